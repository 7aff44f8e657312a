"""Letter numbers: the Bapas's numbering pattern and the register of numbers given.

A number is given when the Kepala Bapas signs: the next in the Bapas's pattern, set by
the admin (e.g. ``W15.PAS.PAS42-PK.01.05.02-{seq}``; the sequence restarts each year
when the pattern shows ``{year}``), unique, and written to the register. A number typed
by hand is an override kept with its reason. Giving a number locks the Bapas row
(PostgreSQL ``SELECT ... FOR UPDATE``), so two letters signed at the same moment never
get the same number.
"""

from __future__ import annotations

import string
from datetime import date
from typing import Any

from sqlalchemy import func, select

from portal import audit, clock
from portal.extensions import db
from portal.fields import LETTER_NUMBER
from portal.locking import lock_bapas
from portal.models import Bapas, Client, LetterNumber, User
from portal.refusals import Refused

PLACEHOLDERS: dict[str, str] = {
    "seq": "nomor urut (wajib; mulai dari 1 tiap tahun bila pola memuat {year})",
    "year": "tahun (4 angka)",
    "month": "bulan (2 angka)",
}
MIN_OVERRIDE_REASON = 10

LETTER_KINDS: dict[str, str] = {
    "recommendation": "Rekomendasi kepada Jaksa",
    "closure": "Surat pengakhiran",
    "incomplete_file": "Permintaan kelengkapan berkas kepada Kejaksaan",
    "progress_report": "Laporan perkembangan kepada Jaksa dan Hakim",
}


def check_pattern(pattern: str) -> str | None:
    """Why a numbering pattern cannot be used, or None."""
    text = pattern.strip()
    if not text:
        return "Isi pola nomor surat."
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return "Kurung kurawal tidak berpasangan; tulis penanda seperti {seq}."
    unknown = sorted({f for f in fields if f not in PLACEHOLDERS})
    if unknown:
        return "Penanda tidak dikenal: " + ", ".join("{" + u + "}" for u in unknown) + "."
    if fields.count("seq") != 1:
        return "Pola harus memuat {seq} tepat satu kali (nomor urut)."
    if len(render(text, 99999, date(2026, 12, 31))) > LETTER_NUMBER:
        return f"Nomor surat paling panjang {LETTER_NUMBER} karakter."
    return None


def render(pattern: str, seq: int, day: date) -> str:
    """The number for ``seq`` on ``day``."""
    return pattern.strip().format(seq=seq, year=f"{day.year:04d}", month=f"{day.month:02d}")


def set_pattern(bapas: Bapas, pattern: str, user: User) -> Bapas:
    """The admin sets the Bapas's numbering pattern."""
    problem = check_pattern(pattern)
    if problem:
        raise Refused({"pattern": [problem]})
    bapas.letter_pattern = pattern.strip()
    audit.note(bapas, "letter_pattern_set", user, pattern=bapas.letter_pattern)
    return bapas


def assign_number(
    bapas_id: int,
    kind: str,
    day: date,
    user: User,
    *,
    subject: str = "",
    about: Any = None,
    typed: str = "",
    override_reason: str = "",
    field: str = "number",
    details: list[str] | None = None,
) -> LetterNumber:
    """Give the letter its number and register it (the caller's transaction commits).

    ``about`` is the record the letter is on. Without ``typed`` the next number of the
    Bapas's pattern; with it, an override that needs a reason. Refusals raise
    Refused on ``field`` (or ``override_reason``).
    """
    # Lock the Bapas row: parallel signings wait here, then read the sequence in turn.
    bapas = lock_bapas(bapas_id)
    typed = typed.strip()
    taken = select(LetterNumber.id).where(LetterNumber.bapas_id == bapas_id)
    if typed:
        errors: dict[str, list[str]] = {}
        if len(override_reason.strip()) < MIN_OVERRIDE_REASON:
            errors["override_reason"] = [
                "Nomor diketik sendiri hanya sebagai pengecualian: tuliskan alasannya "
                f"(minimal {MIN_OVERRIDE_REASON} karakter), atau kosongkan nomor agar "
                "diberikan otomatis."
            ]
        if len(typed) > LETTER_NUMBER:
            errors[field] = [f"Nomor surat paling panjang {LETTER_NUMBER} karakter."]
        elif db.session.scalar(taken.where(LetterNumber.number == typed)):
            errors[field] = [f"Nomor {typed} sudah tercatat di register surat."]
        if errors:
            raise Refused(errors)
        entry = LetterNumber(
            bapas_id=bapas_id,
            year=day.year,
            seq=None,
            number=typed,
            override_reason=override_reason.strip(),
        )
    else:
        if not bapas.letter_pattern:
            raise Refused(
                {
                    field: [
                        "Pola nomor surat Bapas belum diatur oleh admin: nomor tidak dapat "
                        "diberikan otomatis. Ketik nomor sebagai pengecualian beserta alasannya."
                    ]
                }
            )
        # The sequence restarts each year only when the number shows the year; otherwise
        # it runs on, so a number is never given twice.
        last_query = select(func.max(LetterNumber.seq)).where(LetterNumber.bapas_id == bapas_id)
        if "{year}" in bapas.letter_pattern:
            last_query = last_query.where(LetterNumber.year == day.year)
        last = db.session.scalar(last_query)
        seq = (last or 0) + 1
        number = render(bapas.letter_pattern, seq, day)
        while db.session.scalar(taken.where(LetterNumber.number == number)):
            seq += 1  # a typed override already holds this number
            number = render(bapas.letter_pattern, seq, day)
        entry = LetterNumber(bapas_id=bapas_id, year=day.year, seq=seq, number=number)
    entry.kind = kind
    entry.subject = subject[:300]
    entry.object_type = audit.object_type_of(about) if about is not None else ""
    entry.object_id = about.id if about is not None else None
    entry.issued_on = day
    entry.details = list(details or [])
    entry.assigned_by_id = user.id
    return audit.saved(
        entry, "letter_number_assigned", user, number=entry.number, kind=kind, override=bool(typed)
    )


def number_letter(
    client: Client, kind: str, user: User, subject: str, *, about: Any = None, **options: Any
) -> LetterNumber:
    """Number a letter on ``client`` (or ``about``, one of his records) in his Bapas's register.

    Dated today unless ``day`` is given; the other options are ``assign_number``'s.
    """
    day = options.pop("day", None) or clock.today()
    return assign_number(
        client.bapas_id, kind, day, user, subject=subject, about=about or client, **options
    )


def register(bapas_id: int, year: int) -> list[LetterNumber]:
    """The register of the Bapas for the year, in order of numbering."""
    return list(
        db.session.scalars(
            select(LetterNumber)
            .where(LetterNumber.bapas_id == bapas_id, LetterNumber.year == year)
            .order_by(LetterNumber.created_at, LetterNumber.id)
        )
    )
