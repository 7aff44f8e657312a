"""The hours ledger of one client: ordered, verified, waiting, owed, pace and absences.

Plain functions over plain data (no Flask, no database), so the arithmetic the
PK relies on is tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from portal.law import MAX_DAILY_MINUTES


@dataclass(frozen=True)
class WorkDay:
    """One live attendance record: its date, minutes and whether it was verified."""

    work_date: date
    minutes: int
    verified: bool


@dataclass(frozen=True)
class ScheduledPeriod:
    """A placement's weekly schedule (weekdays 0 = Monday) between its start and deadline."""

    weekdays: frozenset[int]
    start: date
    end: date

    def covers(self, day: date) -> bool:
        """True when the client is expected to work on ``day`` in this placement."""
        return self.start <= day <= self.end and day.weekday() in self.weekdays


@dataclass(frozen=True)
class Ledger:
    """Where a client stands on his sentence, in minutes (templates show hours)."""

    minutes_ordered: int
    minutes_verified: int
    minutes_pending: int
    deadline: date
    today: date
    working_days_left: int
    possible_absences: list[date] = field(default_factory=list)

    @property
    def minutes_remaining(self) -> int:
        """Ordered minus verified: what the sentence still requires."""
        return max(self.minutes_ordered - self.minutes_verified, 0)

    @property
    def hours_verified(self) -> float:
        """Verified hours: the hours that count toward the sentence."""
        return self.minutes_verified / 60

    @property
    def hours_remaining(self) -> float:
        """Ordered minus verified, in hours."""
        return self.minutes_remaining / 60

    @property
    def minutes_owed(self) -> int:
        """Still to be worked: ordered minus verified minus waiting for verification."""
        return max(self.minutes_ordered - self.minutes_verified - self.minutes_pending, 0)

    @property
    def progress_percent(self) -> int:
        """Verified share of the ordered hours, 0 to 100."""
        if self.minutes_ordered <= 0:
            return 0
        return min(100, int(self.minutes_verified * 100 / self.minutes_ordered))

    @property
    def pending_percent(self) -> int:
        """Share waiting for verification, for the second part of the progress bar."""
        if self.minutes_ordered <= 0:
            return 0
        return min(
            100 - self.progress_percent, int(self.minutes_pending * 100 / self.minutes_ordered)
        )

    @property
    def days_to_deadline(self) -> int:
        """Calendar days from today to the deadline (negative once past)."""
        return (self.deadline - self.today).days

    @property
    def capacity_minutes(self) -> int:
        """The most he can still work: 8 hours on each scheduled day left."""
        return MAX_DAILY_MINUTES * self.working_days_left

    @property
    def served(self) -> bool:
        """All ordered hours verified."""
        return self.minutes_ordered > 0 and self.minutes_verified >= self.minutes_ordered

    @property
    def pace_warning(self) -> bool:
        """The owed hours no longer fit into 8 hours a day on the scheduled days left."""
        return self.minutes_owed > 0 and self.minutes_owed > self.capacity_minutes

    @property
    def minutes_per_day_needed(self) -> int | None:
        """Minutes a scheduled day he needs from now on to finish in time (None: no day left)."""
        if self.working_days_left == 0:
            return None
        return -(-self.minutes_owed // self.working_days_left)


def scheduled_days(periods: Sequence[ScheduledPeriod], first: date, last: date) -> list[date]:
    """Every date in [first, last] on which some placement expects him, in order."""
    days: set[date] = set()
    for p in periods:
        start, end = max(p.start, first), min(p.end, last)
        if start > end:
            continue
        for weekday in p.weekdays:
            # Jump straight from one such weekday to the next (a week apart).
            day = start + timedelta(days=(weekday - start.weekday()) % 7)
            while day <= end:
                days.add(day)
                day += timedelta(days=7)
    return sorted(days)


def count_scheduled_days(periods: Sequence[ScheduledPeriod], first: date, last: date) -> int:
    """``len(scheduled_days(periods, first, last))`` without listing the days.

    Arithmetic per period (whole weeks, then the rest) when the periods do not
    overlap; overlapping periods are listed, so no day counts twice.
    """
    spans = sorted(
        (max(p.start, first), min(p.end, last), p.weekdays)
        for p in periods
        if max(p.start, first) <= min(p.end, last) and p.weekdays
    )
    if any(a[1] >= b[0] for a, b in zip(spans, spans[1:], strict=False)):
        return len(scheduled_days(periods, first, last))
    total = 0
    for start, end, weekdays in spans:
        weeks, rest = divmod((end - start).days + 1, 7)
        total += weeks * len(weekdays)
        total += sum(1 for i in range(rest) if (start.weekday() + i) % 7 in weekdays)
    return total


def build_ledger(
    minutes_ordered: int,
    deadline: date,
    today: date,
    periods: Sequence[ScheduledPeriod],
    work: Iterable[WorkDay],
    absences: bool = True,
    excused: Iterable[date] = (),
) -> Ledger:
    """Compute the ledger from the sentence, the schedules and the live attendance records.

    ``absences=False`` skips listing past scheduled days without attendance (the
    reminders need only the totals and the pace). ``excused``: days whose session
    was recorded as an acceptable absence (sick, permit, ...), never listed.
    """
    work = list(work)
    verified = sum(w.minutes for w in work if w.verified)
    pending = sum(w.minutes for w in work if not w.verified)
    worked_dates = {w.work_date for w in work}
    not_missed = worked_dates | set(excused)

    first_day = min((p.start for p in periods), default=today)
    last_day = min(deadline, max((p.end for p in periods), default=deadline))
    # A day he already worked today is spent; a scheduled day still to come counts.
    worked_ahead = sum(
        1 for d in worked_dates if today <= d <= last_day and any(p.covers(d) for p in periods)
    )
    working_days_left = count_scheduled_days(periods, today, last_day) - worked_ahead

    owed = minutes_ordered - verified - pending
    absences_until = min(today - timedelta(days=1), last_day)
    if owed <= 0 and worked_dates:
        # Once everything is worked, later scheduled days are not absences.
        absences_until = min(absences_until, max(worked_dates))
    missed = (
        [d for d in scheduled_days(periods, first_day, absences_until) if d not in not_missed]
        if absences
        else []
    )
    return Ledger(
        minutes_ordered=minutes_ordered,
        minutes_verified=verified,
        minutes_pending=pending,
        deadline=deadline,
        today=today,
        working_days_left=working_days_left,
        possible_absences=missed,
    )
