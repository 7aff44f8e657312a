"""What makes a work slot acceptable: pure rules over plain data, no Flask, no database.

``check_slot`` returns every refusal at once, each naming the field it concerns and
the rule in Indonesian, so the form can show them next to the fields and the API
can return them as 422 details.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, TypeGuard

from portal import codes
from portal.refusals import RuleViolation

MAX_CAPACITY = 500
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

# Risks that keep a slot from being offered at all (DOMAIN.md hard rules 5 and 6).
UNPUBLISHABLE_RISKS: dict[str, tuple[str, str]] = {
    "confidential_data": (
        "CONFIDENTIAL_DATA",
        "Lokasi dengan akses ke data, dokumen atau informasi rahasia tidak dapat diterbitkan: "
        "klien tidak boleh mengakses data rahasia (Pedoman, aturan penempatan 5).",
    ),
    "technical_work": (
        "TECHNICAL_RISK",
        "Lokasi dengan pekerjaan listrik, mesin atau alat yang memerlukan keahlian khusus tidak "
        "dapat diterbitkan (Pedoman, aturan penempatan 6).",
    ),
}

# Column lengths of the slot table, so the API refuses what the database cannot hold.
MAX_LENGTHS: dict[str, int] = {
    "title": 200,
    "address": 300,
    "supervisor_name": 160,
    "supervisor_position": 160,
    "supervisor_phone": 40,
    "physical_risk_skill": 300,
    "complaint_contact": 300,
}

PPE_MESSAGE = (
    "Pekerjaan ini memerlukan alat pelindung diri (berisiko fisik tinggi, kebersihan pasar, "
    "toilet atau jalan, atau posko bencana): centang 'Alat pelindung diri disediakan' sebelum "
    'menerbitkan. Pedoman 2.3.1 huruf i: "Klien wajib menggunakan alat pelindung diri (APD) '
    'sesuai jenis kegiatan yang dilakukan."'
)
COMPLAINT_MESSAGE = (
    "Sebutkan media keluhan/pengaduan bagi klien di lokasi ini (nomor, kotak atau petugas) "
    'sebelum menerbitkan. Pedoman 2.3.1 huruf f angka 3: "Memastikan media '
    'keluhan/pengaduan."'
)

REQUIRED_TEXT: dict[str, str] = {
    "title": "Judul lokasi kerja wajib diisi.",
    "address": "Alamat lokasi wajib diisi.",
    "supervisor_name": "Nama penanggung jawab di lokasi wajib diisi.",
}


@dataclass(frozen=True)
class SlotContext:
    """What the rules need to know beyond the slot's own fields."""

    place_types: Collection[str]
    boundary: Sequence[Sequence[float]]
    agreement_start: date | None
    agreement_end: date | None
    agreement_active: bool
    seats_in_use: int = 0
    # What the slot lives under: the Pemda's NK, or a partner's own PKS with the Bapas.
    agreement_name: str = "Kesepakatan (NK) Pemda Anda"


def minutes(text: str) -> int:
    """'08:30' → 510."""
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


def point_in_polygon(lat: float, lng: float, polygon: Sequence[Sequence[float]]) -> bool:
    """Ray casting: True when (lat, lng) lies inside the polygon of [lat, lng] points."""
    inside = False
    n = len(polygon)
    for i in range(n):
        y1, x1 = polygon[i][0], polygon[i][1]
        y2, x2 = polygon[(i + 1) % n][0], polygon[(i + 1) % n][1]
        if (y1 > lat) != (y2 > lat):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lng < x_cross:
                inside = not inside
    return inside


def check_schedule(windows: Any) -> list[str]:
    """Messages about a weekly schedule: well-formed windows without overlaps.

    A window is when the site can take clients; it may be longer than 8 hours (an
    08:00–18:00 availability). The 8-hour limit of KUHP Pasal 85 is on a client's work in
    a day, which booking and attendance cap.
    """
    if not isinstance(windows, list):
        return ["Jadwal harus berupa daftar jendela waktu (hari, jam mulai, jam selesai)."]
    problems: list[str] = []
    by_day: dict[int, list[tuple[int, int]]] = {}
    for n, window in enumerate(windows, start=1):
        if not isinstance(window, Mapping):
            problems.append(f"Jendela ke-{n}: isian tidak sah.")
            continue
        weekday = window.get("weekday")
        start, end = window.get("start"), window.get("end")
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            problems.append(f"Jendela ke-{n}: pilih hari (Senin sampai Minggu).")
            continue
        day = codes.WEEKDAYS[weekday]
        if not (isinstance(start, str) and _TIME.match(start)) or not (
            isinstance(end, str) and _TIME.match(end)
        ):
            problems.append(f"{day}: jam mulai dan jam selesai wajib diisi dengan format JJ:MM.")
            continue
        begin, finish = minutes(start), minutes(end)
        if finish <= begin:
            problems.append(f"{day} {start}–{end}: jam selesai harus sesudah jam mulai.")
            continue
        for other_begin, other_end in by_day.get(weekday, []):
            if begin < other_end and other_begin < finish:
                problems.append(f"{day} {start}–{end}: bertumpang tindih dengan jendela lain.")
                break
        by_day.setdefault(weekday, []).append((begin, finish))
    return problems


def check_slot(
    values: Mapping[str, Any], ctx: SlotContext, publishing: bool
) -> list[RuleViolation]:
    """Every reason ``values`` cannot be saved (or, when ``publishing``, published)."""
    refusals: list[RuleViolation] = []

    def refuse(field: str, message: str, code: str | None = None) -> None:
        refusals.append(RuleViolation(code or "", message, field))

    for field, message in REQUIRED_TEXT.items():
        text = values.get(field)
        if not isinstance(text, str) or not text.strip():
            refuse(field, message)
    for field, limit in MAX_LENGTHS.items():
        text = values.get(field)
        if isinstance(text, str) and len(text) > limit:
            refuse(field, f"Maksimal {limit} karakter.")

    if values.get("category") not in codes.JOB_CATEGORIES:
        refuse("category", "Pilih kategori pekerjaan dari katalog.")
    if values.get("sector") not in codes.SECTORS:
        refuse("sector", "Pilih bidang (sektor) lokasi kerja.")
    if values.get("place_type") not in ctx.place_types:
        refuse("place_type", "Pilih jenis tempat kerja (Pedoman tabel 1).")

    _check_location(values, ctx, refuse)
    _check_capacity(values, ctx, refuse)
    _check_validity(values, ctx, refuse)

    facilities = values.get("facilities") or []
    if not isinstance(facilities, list) or any(f not in codes.FACILITIES for f in facilities):
        refuse("facilities", "Fasilitas tidak dikenal.")
    if not isinstance(facilities, list):
        facilities = []
    risks = values.get("risks") or []
    if not isinstance(risks, list) or any(r not in codes.RISKS for r in risks):
        refuse("risks", "Risiko tidak dikenal.")
        risks = []
    if "physical_risk" in risks and not str(values.get("physical_risk_skill") or "").strip():
        refuse(
            "physical_risk_skill",
            "Lokasi berisiko fisik tinggi: sebutkan keahlian yang diperlukan.",
        )

    schedule = values.get("schedule") or []
    for message in check_schedule(schedule):
        refuse("schedule", message)

    if publishing:
        if values.get("unpaid_confirmed") is not True:
            refuse(
                "unpaid_confirmed",
                "Konfirmasi bahwa pekerjaan tidak dibayar dan tidak bersifat komersial "
                "(NK Pasal 7 ayat 2, KUHP Pasal 85 ayat 3) sebelum menerbitkan.",
            )
        for risk, (code, message) in UNPUBLISHABLE_RISKS.items():
            if risk in risks:
                refuse("risks", message, code)
        if not schedule:
            refuse("schedule", "Isi jadwal mingguan (paling sedikit satu jendela waktu).")
        if (
            codes.needs_ppe(values.get("category"), values.get("sector"), risks)
            and "ppe_provided" not in facilities
        ):
            refuse("facilities", PPE_MESSAGE, "PPE_MISSING")
        if not str(values.get("complaint_contact") or "").strip():
            refuse("complaint_contact", COMPLAINT_MESSAGE)
        if not ctx.agreement_active:
            refuse(
                "agreement",
                f"{ctx.agreement_name} tidak sedang berlaku: lokasi kerja tidak dapat diterbitkan.",
                "AGREEMENT_NOT_ACTIVE",
            )
    return refusals


def _check_location(values: Mapping[str, Any], ctx: SlotContext, refuse: Any) -> None:
    lat, lng = values.get("lat"), values.get("lng")
    if not _is_number(lat) or not _is_number(lng):
        refuse("lat", "Tentukan koordinat lokasi (klik pada peta atau isi lintang dan bujur).")
        return
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        refuse("lat", "Koordinat tidak sah.")
        return
    if ctx.boundary and not point_in_polygon(lat, lng, ctx.boundary):
        refuse("lat", "Koordinat berada di luar wilayah Pemda Anda. Periksa titik pada peta.")


def _check_capacity(values: Mapping[str, Any], ctx: SlotContext, refuse: Any) -> None:
    capacity = values.get("capacity")
    if isinstance(capacity, bool) or not isinstance(capacity, int):
        refuse("capacity", "Kapasitas wajib diisi dengan bilangan bulat.")
    elif capacity < 1:
        refuse("capacity", "Kapasitas paling sedikit 1 klien.")
    elif capacity > MAX_CAPACITY:
        refuse("capacity", f"Kapasitas paling banyak {MAX_CAPACITY} klien.")
    elif capacity < ctx.seats_in_use:
        refuse(
            "capacity",
            f"Kapasitas tidak boleh kurang dari kursi yang sedang terisi ({ctx.seats_in_use} "
            "klien dipesan atau sedang bekerja).",
            "CAPACITY_BELOW_OCCUPIED",
        )


def _check_validity(values: Mapping[str, Any], ctx: SlotContext, refuse: Any) -> None:
    start, end = values.get("valid_from"), values.get("valid_until")
    if not isinstance(start, date):
        refuse("valid_from", "Tanggal mulai berlaku wajib diisi.")
    if not isinstance(end, date):
        refuse("valid_until", "Tanggal akhir berlaku wajib diisi.")
    if not isinstance(start, date) or not isinstance(end, date):
        return
    if end < start:
        refuse("valid_until", "Tanggal akhir harus sama dengan atau sesudah tanggal mulai.")
    if ctx.agreement_start and start < ctx.agreement_start:
        refuse(
            "valid_from",
            "Masa berlaku lokasi harus di dalam masa berlaku kesepakatan: kesepakatan mulai "
            f"{_fmt(ctx.agreement_start)}.",
        )
    if ctx.agreement_end and end > ctx.agreement_end:
        refuse(
            "valid_until",
            "Masa berlaku lokasi harus di dalam masa berlaku kesepakatan: kesepakatan berakhir "
            f"{_fmt(ctx.agreement_end)}.",
        )


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _fmt(day: date) -> str:
    return f"{day.day} {codes.MONTHS[day.month - 1]} {day.year}"


def place_name(title: str, opd_name: str) -> str:
    """The one name of a work place on every form: 'Dapur umum, Dinas Sosial Kabupaten Ngawi'."""
    return f"{title}, {opd_name}"


def schedule_text(windows: Sequence[Mapping[str, Any]]) -> str:
    """A schedule as people read it: 'Senin–Jumat 08:00–12:00; Sabtu 08:00–11:00'."""
    groups: dict[tuple[str, str], list[int]] = {}
    for w in sorted(windows, key=lambda w: (w.get("start", ""), w.get("weekday", 0))):
        groups.setdefault((w["start"], w["end"]), []).append(int(w["weekday"]))
    parts = []
    for (start, end), days in sorted(groups.items(), key=lambda item: (min(item[1]), item[0])):
        parts.append(f"{_day_ranges(sorted(set(days)))} {start}–{end}")
    return "; ".join(parts)


@lru_cache(maxsize=256)
def schedule_text_of_json(raw: str | None) -> str:
    """``schedule_text`` of a schedule's JSON text (a list reads the text, not the list)."""
    return schedule_text(json.loads(raw) if raw else [])


def _day_ranges(days: list[int]) -> str:
    ranges: list[str] = []
    run: list[int] = []
    for d in days + [99]:
        if run and d == run[-1] + 1:
            run.append(d)
            continue
        if run:
            if len(run) >= 3:
                ranges.append(f"{codes.WEEKDAYS[run[0]]}–{codes.WEEKDAYS[run[-1]]}")
            else:
                ranges.extend(codes.WEEKDAYS[x] for x in run)
        run = [d]
    return ", ".join(ranges)
