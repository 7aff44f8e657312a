"""Partners beyond the OPDs (Pedoman 2.1.2, table 3; Lampiran V).

A non-government place (a religious foundation, an NGO, a private school, a hospital or
care home) or a Pokmas Lipas works with the Bapas under its own cooperation agreement
(Perjanjian Kerja Sama, PKS). It is recorded as a partner in the Pemda's area (for the
map and the boundary), gets its own admin account, and publishes slots exactly as an
OPD does, with the same rules, while its PKS is in force. Before the PKS comes the
identification of 2.1.2 (profile, visit, finding), reported to the Kepala Bapas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal import audit
from portal.extensions import db
from portal.models import Opd, User
from portal.refusals import Refused

PARTNER_KINDS: dict[str, str] = {
    "government": "Perangkat daerah (OPD)",
    "non_government": "Lembaga non-pemerintah",
    "pokmas_lipas": "Pokmas Lipas",
}
PKS_KINDS = ("non_government", "pokmas_lipas")


@dataclass
class PartnerData:
    """A partner as the admin enters it."""

    name: str = ""
    short_name: str = ""
    kind: str = "non_government"
    pemda_id: int | None = None
    address: str = ""
    phone: str = ""
    lat: float | None = None
    lng: float | None = None
    pks_bapas_id: int | None = None
    pks_number: str = ""
    pks_signed_on: date | None = None
    pks_valid_until: date | None = None
    pks_scope: str = ""
    identified_on: date | None = None
    identification_notes: str = ""
    identification_feasible: bool = False


def pks_in_force(opd: Opd, day: date) -> bool:
    """Whether the partner may offer work on ``day``: an OPD by the NK (checked elsewhere),
    a PKS partner only between the signing of its PKS and its end."""
    if opd.kind not in PKS_KINDS:
        return True
    return bool(
        opd.pks_number
        and opd.pks_signed_on
        and opd.pks_valid_until
        and opd.pks_signed_on <= day <= opd.pks_valid_until
    )


def check_partner(data: PartnerData) -> dict[str, list[str]]:
    """Indonesian messages per field; empty when the partner may be saved."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.name.strip():
        add("name", "Isi nama mitra.")
    if len(data.name) > 200:
        add("name", "Maksimal 200 karakter.")
    if data.kind not in PARTNER_KINDS:
        add("kind", "Pilih jenis mitra.")
    if data.pemda_id is None:
        add("pemda_id", "Pilih wilayah (Pemda) tempat mitra berada.")
    if data.kind in PKS_KINDS:
        if data.pks_bapas_id is None:
            add("pks_bapas_id", "Pilih Bapas pihak PKS.")
        if len(data.pks_number.strip()) < 3:
            add("pks_number", "Isi nomor PKS dengan Bapas.")
        if data.pks_signed_on is None:
            add("pks_signed_on", "Isi tanggal penandatanganan PKS.")
        if data.pks_valid_until is None:
            add("pks_valid_until", "Isi tanggal berakhir PKS.")
        elif data.pks_signed_on and data.pks_valid_until < data.pks_signed_on:
            add("pks_valid_until", "Tanggal berakhir harus sesudah penandatanganan.")
        if len(data.pks_scope.strip()) < 10:
            add("pks_scope", "Uraikan ruang lingkup PKS (minimal 10 karakter).")
        if data.identified_on is None:
            add(
                "identified_on",
                "Isi tanggal identifikasi: kerja sama didahului tahap identifikasi "
                "(Pedoman 2.1.2).",
            )
        elif not data.identification_feasible:
            add(
                "identification_feasible",
                "PKS hanya untuk lembaga yang dinilai layak pada identifikasi (Pedoman 2.1.2).",
            )
    return errors


def _code(data: PartnerData) -> str:
    base = re.sub(r"[^A-Z0-9]+", "-", (data.short_name or data.name).upper()).strip("-")[:24]
    code, n = f"MITRA-{base}", 1
    while db.session.query(Opd.id).filter(Opd.code == code).first():
        n += 1
        code = f"MITRA-{base}-{n}"
    return code


def save_partner(data: PartnerData, actor: User, partner: Opd | None = None) -> Opd:
    """Create or change a partner (admin only); refused input saves nothing."""
    errors = check_partner(data)
    if errors:
        raise Refused(errors)
    values: dict[str, Any] = {
        "name": data.name.strip(),
        "short_name": (data.short_name or data.name).strip()[:100],
        "kind": data.kind,
        "pemda_id": data.pemda_id,
        "address": data.address.strip()[:300],
        "phone": data.phone.strip()[:60],
        "lat": data.lat,
        "lng": data.lng,
        "identified_on": data.identified_on,
        "identification_notes": data.identification_notes.strip(),
        "identification_feasible": data.identification_feasible,
    }
    if data.kind in PKS_KINDS:
        values.update(
            pks_bapas_id=data.pks_bapas_id,
            pks_number=data.pks_number.strip(),
            pks_signed_on=data.pks_signed_on,
            pks_valid_until=data.pks_valid_until,
            pks_scope=data.pks_scope.strip(),
        )
    if partner is None:
        partner = Opd(code=_code(data), **values)
        db.session.add(partner)
    else:
        for key, value in values.items():
            setattr(partner, key, value)
    audit.note(partner, "partner_saved", actor, kind=partner.kind)
    return partner
