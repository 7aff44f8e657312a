"""Rules of planned work sessions and their outcomes, as plain functions.

No Flask and no database: the services gather the numbers (the schedule, what
the client still owes, what other placements already take on each day) and
ask these functions for a plan or for the refusals of an outcome.

* A plan has one session per scheduled work day between the first and last
  date, never more minutes in total than still owed and never more than
  8 hours on one day across all the client's placements (KUHP Pasal 85).
* An outcome is one of four codes (UK Community Payback's appointment
  outcomes, in the Pedoman's words); an unacceptable absence, or being sent
  home for one's own conduct, counts toward a violation record.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta

from portal.law import MAX_DAILY_MINUTES

PLANNED = "planned"
RECORDED = "recorded"
VERIFIED = "verified"
CANCELLED = "cancelled"
STATUSES: dict[str, str] = {
    PLANNED: "Terjadwal",
    RECORDED: "Tercatat",
    VERIFIED: "Terverifikasi",
    CANCELLED: "Dibatalkan",
}

ATTENDED = "attended"
SENT_HOME = "sent_home"
ACCEPTABLE_ABSENCE = "acceptable_absence"
UNACCEPTABLE_ABSENCE = "unacceptable_absence"
OUTCOMES: dict[str, str] = {
    ATTENDED: "Hadir",
    SENT_HOME: "Dipulangkan",
    ACCEPTABLE_ABSENCE: "Absen dengan alasan sah",
    UNACCEPTABLE_ABSENCE: "Absen tanpa alasan sah",
}
ABSENCE_REASONS: dict[str, str] = {
    "sick": "Sakit (dengan surat keterangan)",
    "permit": "Izin keluar daerah",
    "force_majeure": "Keadaan kahar",
    "site_closed": "Lokasi tutup",
}

# Refusal codes (API.md style) of outcomes.
SESSION_CANCELLED = "SESSION_CANCELLED"
OUTCOME_EXISTS = "OUTCOME_EXISTS"
FUTURE_SESSION = "FUTURE_SESSION"
UNDO_EXPIRED = "UNDO_EXPIRED"


@dataclass(frozen=True, order=True)
class Window:
    """A weekly work window: weekday (0 = Monday) and minutes from midnight."""

    weekday: int
    start: int
    end: int


@dataclass(frozen=True)
class PlannedSession:
    """One session of a plan."""

    day: date
    start: time
    end: time

    @property
    def minutes(self) -> int:
        """Length in minutes."""
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    @property
    def key(self) -> tuple[date, time, time]:
        """What makes two planned sessions the same."""
        return (self.day, self.start, self.end)


def _clock(minutes: int) -> time:
    minutes = min(minutes, 23 * 60 + 59)
    return time(minutes // 60, minutes % 60)


def plan_sessions(
    windows: Iterable[Window],
    first: date,
    last: date,
    minutes_owed: int,
    busy: Mapping[date, int] | None = None,
    skip: Collection[date] = (),
) -> list[PlannedSession]:
    """Sessions from ``first`` to ``last`` following the weekly windows.

    ``busy``: minutes the client is already planned for on a day elsewhere
    (the 8-hour cap is across placements). ``skip``: days that already have a
    session of this placement, or must stay free. The last session is
    shortened so the plan never exceeds ``minutes_owed``.
    """
    busy = busy or {}
    by_weekday: dict[int, list[Window]] = {}
    for w in sorted(windows):
        if w.end > w.start:
            by_weekday.setdefault(w.weekday, []).append(w)
    if not by_weekday or minutes_owed <= 0 or first > last:
        return []
    skip = set(skip)
    left = minutes_owed
    plan: list[PlannedSession] = []
    day = first
    one = timedelta(days=1)
    while day <= last and left > 0:
        day_windows = by_weekday.get(day.weekday())
        if day_windows and day not in skip:
            room = MAX_DAILY_MINUTES - busy.get(day, 0)
            for w in day_windows:
                minutes = min(w.end - w.start, room, left)
                if minutes <= 0:
                    break
                plan.append(PlannedSession(day, _clock(w.start), _clock(w.start + minutes)))
                room -= minutes
                left -= minutes
                if left <= 0:
                    break
        day += one
    return plan


def status_of(stored: str, outcome: str | None, attendance_verified: bool | None) -> str:
    """The session's status as API.md names it: planned, recorded, verified, cancelled."""
    if stored == CANCELLED:
        return CANCELLED
    if outcome is None:
        return PLANNED
    if outcome == ATTENDED and attendance_verified:
        return VERIFIED
    return RECORDED


def counts_toward_case(outcome: str | None, client_fault: bool | None) -> bool:
    """An unacceptable absence, or being sent home for his own conduct."""
    return outcome == UNACCEPTABLE_ABSENCE or (outcome == SENT_HOME and bool(client_fault))


def opens_case(uncounted: int, threshold: int) -> bool:
    """True when the absences not yet on a violation record reach the Bapas's threshold."""
    return uncounted >= max(threshold, 1)


def check_outcome(
    outcome: str,
    reason_code: str,
    reason: str,
    client_fault: bool | None,
    has_times: bool,
) -> dict[str, list[str]]:
    """Input errors of an outcome, by field (empty when it may be recorded)."""
    fields: dict[str, list[str]] = {}
    if outcome not in OUTCOMES:
        fields["outcome"] = ["Pilih hasil: hadir, dipulangkan, absen sah atau absen tanpa alasan."]
        return fields
    if outcome == ATTENDED and not has_times:
        fields["time_in"] = ["Isi jam datang dan jam pulang."]
    if outcome == SENT_HOME:
        if len(reason.strip()) < 5:
            fields["reason"] = ["Tuliskan alasan klien dipulangkan (minimal 5 karakter)."]
        if client_fault is None:
            fields["client_fault"] = ["Nyatakan apakah karena perilaku klien."]
    if outcome == ACCEPTABLE_ABSENCE and reason_code not in ABSENCE_REASONS:
        fields["reason_code"] = ["Pilih alasan: sakit, izin, keadaan kahar atau lokasi tutup."]
    if len(reason) > 1000:
        fields["reason"] = ["Alasan maksimal 1000 karakter."]
    return fields


def may_undo(outcome_on: date | None, today: date, verified: bool) -> bool:
    """An outcome may be undone on the day it was taken, before any verification."""
    return outcome_on is not None and outcome_on == today and not verified


def overdue_until(today: date) -> date:
    """The last session date whose outcome is overdue today: a session still without one
    when its next working day has come (a Friday's is overdue on Monday)."""
    day = today - timedelta(days=1)
    while add_working_days(day, 1) > today:
        day -= timedelta(days=1)
    return day


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week of ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    from math import asin, cos, radians, sin, sqrt

    p1, p2 = radians(lat1), radians(lat2)
    dp, dl = p2 - p1, radians(lng2 - lng1)
    a = sin(dp / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 2 * 6_371_000 * asin(sqrt(a))


# --- permits to leave town (Bapas Magelang SOP "Pohon Ketan") ------------------------

PERMIT_WORKING_DAYS = 14  # "paling lama 14 hari kerja sejak permohonan diterima oleh PK"
PERMIT_STATUSES: dict[str, str] = {
    "requested": "Diajukan, menunggu pemeriksaan PK",
    "examined": "Diperiksa PK, menunggu sidang TPP",
    "approved": "Disetujui TPP, menunggu tanda tangan Kepala Bapas",
    "refused": "Ditolak sidang TPP",
    "signed": "Surat izin ditandatangani",
}


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days (Monday to Friday) after ``start``."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(
        1 for i in range(1, (end - start).days + 1) if (start + timedelta(days=i)).weekday() < 5
    )


@dataclass(frozen=True)
class PermitClock:
    """The SOP's 14 working days: the last day, and how many are left (negative: late)."""

    due: date
    left: int

    @property
    def late(self) -> bool:
        """Past the SOP's limit."""
        return self.left < 0


def permit_clock(received_on: date, today: date) -> PermitClock:
    """Where a request stands against the SOP's 14 working days."""
    due = add_working_days(received_on, PERMIT_WORKING_DAYS)
    return PermitClock(due, working_days_between(today, due))


def check_permit(
    first_day: date | None,
    last_day: date | None,
    destination: str,
    purpose: str,
    today: date,
    deadline: date,
) -> dict[str, list[str]]:
    """Input errors of a permit request, by field."""
    fields: dict[str, list[str]] = {}
    if first_day is None:
        fields["first_day"] = ["Isi tanggal berangkat."]
    if last_day is None:
        fields["last_day"] = ["Isi tanggal kembali."]
    if first_day and last_day:
        if last_day < first_day:
            fields["last_day"] = ["Tanggal kembali harus sesudah tanggal berangkat."]
        elif first_day < today:
            fields["first_day"] = ["Izin diajukan sebelum berangkat."]
        elif first_day > deadline:
            fields["first_day"] = ["Tanggal sesudah batas akhir pidana kerja sosial."]
    if len(destination.strip()) < 3:
        fields["destination"] = ["Tuliskan kota tujuan."]
    if len(purpose.strip()) < 5:
        fields["purpose"] = ["Tuliskan keperluan (minimal 5 karakter)."]
    return fields
