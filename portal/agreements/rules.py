"""Rules for recording an agreement (NK): pure functions, no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AgreementInput:
    """What the admin enters for an agreement."""

    status: str
    number_bapas: str
    number_pemda: str
    signed_on: date | None
    valid_until: date | None


def one_year_after(day: date) -> date:
    """NK Pasal 11: valid one year from signing (27-11-2025 → 27-11-2026; 29 Feb → 28 Feb)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def check_agreement(data: AgreementInput) -> dict[str, str]:
    """Refusals by field name, in Indonesian; empty when the agreement may be saved."""
    errors: dict[str, str] = {}
    if data.status not in ("draft", "active", "expired"):
        errors["status"] = "Status tidak dikenal."
    if data.status != "draft":
        if not data.number_bapas.strip():
            errors["number_bapas"] = "Kesepakatan yang sudah ditandatangani wajib bernomor."
        if not data.number_pemda.strip():
            errors["number_pemda"] = "Kesepakatan yang sudah ditandatangani wajib bernomor."
        if data.signed_on is None:
            errors["signed_on"] = "Tanggal penandatanganan wajib diisi bila status bukan draf."
        if data.valid_until is None:
            errors["valid_until"] = "Akhir masa berlaku wajib diisi bila status bukan draf."
    if data.signed_on and data.valid_until and data.valid_until <= data.signed_on:
        errors["valid_until"] = "Akhir masa berlaku harus sesudah tanggal penandatanganan."
    return errors
