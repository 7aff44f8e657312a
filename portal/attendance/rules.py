"""The rules of a day's attendance (KUHP Pasal 85, Pedoman 2.3), as plain functions.

No Flask and no database here: the services gather the numbers (what the
client already did that day, what he still owes) and ask these functions
whether a record may be saved. Each refusal names an API.md rule code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from portal.durations import hours_text
from portal.law import MAX_DAILY_MINUTES
from portal.refusals import RuleViolation

DAILY_HOURS_EXCEEDED = "DAILY_HOURS_EXCEEDED"
TOTAL_HOURS_EXCEEDED = "TOTAL_HOURS_EXCEEDED"
DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
BEFORE_START = "BEFORE_START"
FUTURE_DATE = "FUTURE_DATE"
TIME_ORDER = "TIME_ORDER"
ATTENDANCE_OVERLAP = "ATTENDANCE_OVERLAP"
PLACEMENT_NOT_ACTIVE = "PLACEMENT_NOT_ACTIVE"
ALREADY_VERIFIED = "ALREADY_VERIFIED"
HEALTH_CLEARANCE = "HEALTH_CLEARANCE"  # DOMAIN rule 9: infectious illness, no attendance

# Which form field a refusal belongs next to.
RULE_FIELDS: dict[str, str] = {
    DAILY_HOURS_EXCEEDED: "time_out",
    TOTAL_HOURS_EXCEEDED: "time_out",
    DEADLINE_EXCEEDED: "date",
    BEFORE_START: "date",
    FUTURE_DATE: "date",
    TIME_ORDER: "time_out",
    ATTENDANCE_OVERLAP: "time_in",
    HEALTH_CLEARANCE: "date",
}


@dataclass(frozen=True)
class Interval:
    """A stretch of work on one day, [start, end)."""

    start: time
    end: time

    @property
    def minutes(self) -> int:
        """Length in whole minutes."""
        return minutes_between(self.start, self.end)

    def overlaps(self, other: Interval) -> bool:
        """True when the two stretches share at least one minute."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class DayContext:
    """What the client already has on the record, apart from the record being checked.

    ``same_day``: his other live (not superseded) records on that date, across
    all his placements. Minutes are the client's totals across placements.
    """

    today: date
    period_start: date
    deadline: date
    minutes_ordered: int
    minutes_verified: int
    minutes_pending: int
    same_day: tuple[Interval, ...] = ()
    health_cleared: bool = True


def minutes_between(start: time, end: time) -> int:
    """Whole minutes from ``start`` to ``end`` on the same day (negative when reversed)."""
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def record_state(record: Any) -> str:
    """An attendance record's state as its badge is keyed (a record or a plain row with its
    ``superseded_by_id`` and ``verified``): superseded by a correction, verified, or waiting
    for verification."""
    if record.superseded_by_id:
        return "superseded"
    return "verified" if record.verified else "waiting"


def check_attendance(
    work_date: date, time_in: time, time_out: time, ctx: DayContext
) -> list[RuleViolation]:
    """Every rule a day's record breaks; an empty list means it may be saved."""
    found: list[RuleViolation] = []
    if not ctx.health_cleared:
        found.append(
            RuleViolation(
                HEALTH_CLEARANCE,
                "Klien sedang sakit menular dan belum ada surat keterangan sehat dari dokter: "
                "kehadiran belum dapat dicatat.",
            )
        )
    if work_date > ctx.today:
        found.append(
            RuleViolation(FUTURE_DATE, "Tanggal kerja belum terjadi: kehadiran dicatat setelahnya.")
        )
    if work_date < ctx.period_start:
        found.append(
            RuleViolation(
                BEFORE_START,
                f"Tanggal sebelum mulai penempatan ({_date_text(ctx.period_start)}).",
            )
        )
    if work_date > ctx.deadline:
        found.append(
            RuleViolation(
                DEADLINE_EXCEEDED,
                f"Tanggal melewati batas akhir pidana kerja sosial ({_date_text(ctx.deadline)}).",
            )
        )
    minutes = minutes_between(time_in, time_out)
    if minutes <= 0:
        found.append(RuleViolation(TIME_ORDER, "Jam pulang harus sesudah jam datang."))
        return found

    interval = Interval(time_in, time_out)
    clashes = [other for other in ctx.same_day if interval.overlaps(other)]
    if clashes:
        spans = ", ".join(f"{c.start:%H:%M}-{c.end:%H:%M}" for c in clashes)
        found.append(
            RuleViolation(
                ATTENDANCE_OVERLAP,
                f"Bertumpuk dengan kehadiran lain klien pada hari itu ({spans}).",
            )
        )
    day_total = minutes + sum(other.minutes for other in ctx.same_day)
    if day_total > MAX_DAILY_MINUTES:
        already = day_total - minutes
        found.append(
            RuleViolation(
                DAILY_HOURS_EXCEEDED,
                "Melebihi 8 jam dalam satu hari (KUHP Pasal 85): "
                f"sudah tercatat {hours_text(already)}, sisa hari itu "
                f"{hours_text(MAX_DAILY_MINUTES - already)}.",
            )
        )
    owed = ctx.minutes_ordered - ctx.minutes_verified - ctx.minutes_pending
    if minutes > owed:
        found.append(
            RuleViolation(
                TOTAL_HOURS_EXCEEDED,
                f"Melebihi sisa jam pidana: yang masih harus dijalani {hours_text(max(owed, 0))} "
                "(termasuk jam yang menunggu verifikasi).",
            )
        )
    return found


def _date_text(day: date) -> str:
    return day.strftime("%d-%m-%Y")
