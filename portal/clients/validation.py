"""What a client's registration and profile must satisfy: plain rules, no Flask.

``validate_client(data, today)`` returns Indonesian messages per field; the web
form shows them next to its fields and the API answers them in
``details.fields``. Nothing is saved while any message remains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal import fields, law
from portal.codes import JOB_CATEGORIES, SECTORS, SPECIAL_NEEDS, WEEKDAYS
from portal.matching.profiles import (
    Thresholds,
    Window,
    add_months,
    day_minutes,
    overlapping,
    window_from_dict,
)
from portal.matching.rules import hours_text

# Authenticity checks of the court documents (Pedoman 2.2).
DOCUMENT_CHECKS: dict[str, str] = {
    "issuer": "Instansi penerbit sesuai",
    "name": "Nama klien sesuai",
    "identity": "Identitas klien sesuai",
    "signature": "Tanda tangan ada",
    "stamp": "Cap/stempel ada",
    "date": "Tanggal sesuai",
    "barcode": "Barcode terbaca",
}

SUMMONS_OUTCOMES: dict[str, str] = {
    "pending": "Belum ada tanggapan",
    "attended": "Klien hadir",
    "absent_with_reason": "Tidak hadir dengan alasan sah",
    "absent_without_reason": "Tidak hadir tanpa alasan",
}

MAX_SUMMONS = 3

# What the court set to apply if the work is not done (KUHP Pasal 85 ayat 7): the
# prison term or the fine the work replaced. Pasal 85 ayat 1: work replaces "pidana
# penjara paling lama 6 (enam) Bulan atau pidana denda paling banyak kategori II".
REPLACED_PENALTY_KINDS: dict[str, str] = {
    "prison": "Pidana penjara",
    "fine": "Pidana denda",
}

# Approximate bounding box of Indonesia, to catch swapped or mistyped coordinates.
LAT_RANGE = (-11.5, 6.5)
LNG_RANGE = (94.5, 141.5)


@dataclass
class ClientData:
    """A client's registration and profile as entered (web form or API)."""

    full_name: str = ""
    nik: str | None = None
    birth_place: str = ""
    birth_date: date | None = None
    sex: str = ""
    religion: str = ""
    address: str = ""
    home_lat: float | None = None
    home_lng: float | None = None
    father_name: str = ""
    mother_name: str = ""
    physical_marks: str = ""
    fingerprints_taken: bool = False
    is_child: bool = False
    decision_number: str = ""
    decision_date: date | None = None
    court: str = ""
    execution_order_number: str = ""
    execution_order_date: date | None = None
    hours_ordered: int | None = None
    offence_date: date | None = None
    replaced_penalty_kind: str = ""
    replaced_penalty_months: int | None = None
    replaced_penalty_amount: int | None = None
    start_date: date | None = None
    deadline: date | None = None
    document_checks: dict[str, bool] = field(default_factory=dict)
    occupation: str = ""
    profession_sector: str = "other"
    offence: str = ""
    offence_via_profession: bool = False
    victim_places: list[dict[str, Any]] = field(default_factory=list)
    max_travel_km: float | None = None
    dependants: int = 0
    special_needs: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    interests: str = ""
    available: list[dict[str, Any]] = field(default_factory=list)
    health_cleared: bool = True
    requests_prayer_room: bool = False
    physical_risk_skill: str = ""
    vulnerable_contact_exception: bool = False
    vulnerable_contact_reason: str = ""
    notes: str = ""
    pk_id: int | None = None


def _coord_errors(lat: float | None, lng: float | None) -> str | None:
    if lat is None or lng is None:
        return "Tentukan lokasi pada peta (lintang dan bujur)."
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
        return "Koordinat berada di luar wilayah Indonesia; periksa lintang dan bujur."
    return None


def age_on(birth: date, day: date) -> int:
    """Age in whole years on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def rupiah(amount: int) -> str:
    """'Rp10.000.000'."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def replaced_penalty_text(client: Any) -> str:
    """The replaced penalty as the letters print it, or a dash when not recorded."""
    penalty = client.replaced_penalty
    if penalty is None:
        return "—"
    if penalty["kind"] == "prison":
        return f"pidana penjara {penalty['months']} bulan"
    return f"pidana denda {rupiah(penalty['amount'])}"


def child_at_offence(birth: date, offence: date) -> bool:
    """Under 18 on the day of the offence: a child (UU 11/2012 SPPA Pasal 20)."""
    return age_on(birth, offence) < law.CHILD_AGE_LIMIT


def parse_windows(items: list[dict[str, Any]]) -> tuple[list[Window], list[str]]:
    """Windows from dicts, and messages for the bad ones."""
    windows, problems = [], []
    for item in items:
        try:
            windows.append(window_from_dict(item))
        except ValueError as err:
            problems.append(str(err))
    return windows, problems


def schedule_errors(
    windows: list[Window], max_daily_minutes: int = Thresholds().max_daily_minutes
) -> list[str]:
    """Messages for a weekly schedule: overlaps, and more than 8 hours in one day."""
    problems = []
    if overlapping(windows):
        problems.append("Ada jam yang tumpang tindih pada hari yang sama.")
    for day, minutes in enumerate(day_minutes(windows)):
        if minutes > max_daily_minutes:
            problems.append(
                f"{WEEKDAYS[day]}: {hours_text(minutes / 60)} melebihi batas "
                f"{hours_text(max_daily_minutes / 60)} sehari (KUHP Pasal 85)."
            )
    return problems


def validate_client(data: ClientData, today: date) -> dict[str, list[str]]:
    """Indonesian messages per field; empty when the client may be saved."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name, longest in fields.CLIENT_TEXT.items():
        value = (getattr(data, name, "") or "").strip()
        if not value and name in fields.CLIENT_REQUIRED_TEXT:
            add(name, "Wajib diisi.")
        elif len(value) > longest:
            add(name, f"Maksimal {longest} karakter.")
    if data.nik and not re.fullmatch(rf"\d{{{fields.NIK_DIGITS}}}", data.nik):
        add("nik", f"NIK terdiri dari {fields.NIK_DIGITS} angka.")
    if data.sex not in ("L", "P"):
        add("sex", "Pilih L (laki-laki) atau P (perempuan).")

    if data.birth_date is None:
        add("birth_date", "Wajib diisi.")
    elif data.birth_date >= today:
        add("birth_date", "Tanggal lahir harus sebelum hari ini.")
    if data.decision_date is None:
        add("decision_date", "Wajib diisi.")
    elif data.decision_date > today:
        add("decision_date", "Tanggal putusan tidak boleh di masa depan.")
    if data.offence_date is not None:
        if data.decision_date and data.offence_date > data.decision_date:
            add("offence_date", "Tanggal tindak pidana tidak boleh sesudah tanggal putusan.")
        elif data.offence_date > today:
            add("offence_date", "Tanggal tindak pidana tidak boleh di masa depan.")
        elif data.birth_date and data.offence_date <= data.birth_date:
            add("offence_date", "Tanggal tindak pidana harus sesudah tanggal lahir.")
    _check_child(data, add)
    _check_replaced_penalty(data, add)
    if (
        data.execution_order_date
        and data.decision_date
        and data.execution_order_date < data.decision_date
    ):
        add("execution_order_date", "Surat eksekusi tidak boleh sebelum tanggal putusan.")

    low, high = law.hours_range(data.is_child)
    who = "anak (UU SPPA Pasal 76)" if data.is_child else "dewasa (KUHP Pasal 85)"
    if data.hours_ordered is None:
        add("hours_ordered", "Wajib diisi.")
    elif not low <= data.hours_ordered <= high:
        add("hours_ordered", f"Untuk klien {who} jumlah jam harus {low} sampai {high} jam.")

    if data.start_date is None:
        add("start_date", "Wajib diisi.")
    elif data.decision_date and data.start_date < data.decision_date:
        add("start_date", "Tanggal mulai tidak boleh sebelum tanggal putusan.")
    if data.deadline is None:
        add("deadline", "Wajib diisi.")
    elif data.start_date:
        legal = add_months(data.start_date, Thresholds().max_months)
        if data.deadline <= data.start_date:
            add("deadline", "Batas waktu harus sesudah tanggal mulai.")
        elif data.deadline > legal:
            add(
                "deadline",
                f"Pidana kerja sosial paling lama enam bulan: batas waktu paling lambat "
                f"{legal.day}-{legal.month:02d}-{legal.year}.",
            )

    for name, message in (("home", _coord_errors(data.home_lat, data.home_lng)),):
        if message:
            add(name, message)
    for i, place in enumerate(data.victim_places):
        try:
            lat, lng = float(place.get("lat")), float(place.get("lng"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            add("victim_places", f"Tempat korban {i + 1}: koordinat tidak sah.")
            continue
        message = _coord_errors(lat, lng)
        if message:
            add("victim_places", f"Tempat korban {i + 1}: {message}")
        if len(str(place.get("label") or "")) > fields.VICTIM_LABEL_MAX:
            add(
                "victim_places",
                f"Tempat korban {i + 1}: keterangan maksimal {fields.VICTIM_LABEL_MAX} karakter.",
            )
    if len(data.victim_places) > fields.VICTIM_PLACES_MAX:
        add("victim_places", "Paling banyak lima tempat korban.")
    low_km, high_km = fields.TRAVEL_KM
    if data.max_travel_km is not None and not low_km <= data.max_travel_km <= high_km:
        add("max_travel_km", "Jarak tempuh 0,5 sampai 100 km (kosongkan untuk nilai baku).")
    if not fields.DEPENDANTS[0] <= (data.dependants or 0) <= fields.DEPENDANTS[1]:
        add(
            "dependants", f"Jumlah tanggungan {fields.DEPENDANTS[0]} sampai {fields.DEPENDANTS[1]}."
        )

    if data.profession_sector not in SECTORS:
        add("profession_sector", "Pilih bidang profesi dari daftar.")
    bad = [s for s in data.special_needs if s not in SPECIAL_NEEDS]
    if bad:
        add("special_needs", "Kebutuhan khusus tidak dikenal: " + ", ".join(bad))
    bad = [s for s in data.skills if s not in JOB_CATEGORIES]
    if bad:
        add("skills", "Jenis pekerjaan tidak dikenal: " + ", ".join(bad))
    bad = [k for k in data.document_checks if k not in DOCUMENT_CHECKS]
    if bad:
        add("document_checks", "Pemeriksaan dokumen tidak dikenal: " + ", ".join(bad))

    windows, problems = parse_windows(data.available)
    # When the client is available may exceed 8 hours a day (08:00–18:00); the 8-hour limit
    # of KUHP Pasal 85 is on the work booked, which booking and attendance cap.
    problems += schedule_errors(windows, max_daily_minutes=24 * 60)
    if not data.available:
        problems.append("Isi paling sedikit satu hari dan jam yang tersedia bagi klien.")
    for message in problems:
        add("available", message)

    if data.vulnerable_contact_exception and not data.vulnerable_contact_reason.strip():
        add("vulnerable_contact_reason", "Pengecualian kontak kelompok rentan wajib beralasan.")
    return errors


# UU SPPA Pasal 20: an offence committed before 18 is tried as a child's even when the
# client is 18 or older at the decision; without the offence date the decision's counts.
# Each day: its name, then what follows the age when marked a child, and when not.
_CHILD_DAYS = (
    (
        "offence_date",
        "tindak pidana",
        "; bukan anak (UU SPPA Pasal 20).",
        ": tandai sebagai anak (UU SPPA Pasal 20: anak yang melakukan tindak pidana "
        "sebelum 18 tahun tetap diajukan ke sidang anak).",
    ),
    (
        "decision_date",
        "putusan",
        "; isi tanggal tindak pidana bila ia belum 18 tahun saat itu (UU SPPA Pasal 20).",
        ": tandai sebagai anak.",
    ),
)


def _check_child(data: ClientData, add: Any) -> None:
    """The 'anak' mark agrees with the client's age on the day that decides it."""
    for name, label, marked, unmarked in _CHILD_DAYS:
        day = getattr(data, name)
        if data.birth_date and day and data.birth_date < day:
            age = age_on(data.birth_date, day)
            if data.is_child != (age < law.CHILD_AGE_LIMIT):
                tail = marked if data.is_child else unmarked
                add("is_child", f"Klien berusia {age} tahun pada tanggal {label}{tail}")
            return


def _check_replaced_penalty(data: ClientData, add: Any) -> None:
    """The replaced penalty, when given, is a prison term or a fine within Pasal 85(1)."""
    kind = data.replaced_penalty_kind or ""
    if not kind:
        if data.replaced_penalty_months or data.replaced_penalty_amount:
            add("replaced_penalty_kind", "Pilih jenis pidana yang diganti (penjara atau denda).")
        return
    if kind not in REPLACED_PENALTY_KINDS:
        add("replaced_penalty_kind", "Jenis pidana yang diganti: penjara atau denda.")
    elif kind == "prison":
        months = data.replaced_penalty_months
        if months is None or not 1 <= months <= law.MAX_REPLACED_PRISON_MONTHS:
            add(
                "replaced_penalty_months",
                f"Lama pidana penjara yang diganti 1 sampai {law.MAX_REPLACED_PRISON_MONTHS} bulan "
                "(KUHP Pasal 85 ayat 1: pidana penjara paling lama 6 (enam) Bulan).",
            )
    else:
        amount = data.replaced_penalty_amount
        if amount is None or not 1 <= amount <= law.MAX_REPLACED_FINE:
            add(
                "replaced_penalty_amount",
                "Besar pidana denda yang diganti Rp1 sampai Rp10.000.000 (KUHP Pasal 85 "
                "ayat 1: pidana denda paling banyak kategori II).",
            )
