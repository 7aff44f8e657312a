"""The attendance rules and the hours ledger, without a database."""

from __future__ import annotations

from datetime import date, time

from portal.attendance.ledger import ScheduledPeriod, WorkDay, build_ledger
from portal.attendance.rules import DayContext, Interval, check_attendance, record_state
from portal.durations import hours_text

TODAY = date(2026, 6, 1)  # a Monday


def ctx(**over: object) -> DayContext:
    values: dict[str, object] = {
        "today": TODAY,
        "period_start": date(2026, 5, 4),
        "deadline": date(2026, 11, 3),
        "minutes_ordered": 120 * 60,
        "minutes_verified": 0,
        "minutes_pending": 0,
    }
    values.update(over)
    return DayContext(**values)  # type: ignore[arg-type]


def codes(found: list) -> list[str]:
    return [v.code for v in found]


def test_a_normal_morning_is_allowed() -> None:
    assert check_attendance(date(2026, 5, 29), time(8), time(12), ctx()) == []


def test_exactly_eight_hours_in_a_day_is_allowed_nine_is_refused() -> None:
    assert check_attendance(date(2026, 5, 29), time(7), time(15), ctx()) == []
    found = check_attendance(date(2026, 5, 29), time(7), time(16), ctx())
    assert codes(found) == ["DAILY_HOURS_EXCEEDED"]
    assert "8 jam" in found[0].message


def test_eight_hours_count_across_all_placements_of_the_day() -> None:
    other = (Interval(time(7), time(12)),)  # 5 h at another placement that day
    found = check_attendance(date(2026, 5, 29), time(13), time(17), ctx(same_day=other))
    assert codes(found) == ["DAILY_HOURS_EXCEEDED"]
    assert "sisa hari itu 3 jam" in found[0].message
    assert check_attendance(date(2026, 5, 29), time(13), time(16), ctx(same_day=other)) == []


def test_overlapping_records_are_refused() -> None:
    other = (Interval(time(8), time(10)),)
    found = check_attendance(date(2026, 5, 29), time(9), time(11), ctx(same_day=other))
    assert codes(found) == ["ATTENDANCE_OVERLAP"]
    # Touching ends are not an overlap.
    assert check_attendance(date(2026, 5, 29), time(10), time(11), ctx(same_day=other)) == []


def test_hours_beyond_what_is_owed_are_refused_counting_pending_hours() -> None:
    found = check_attendance(
        date(2026, 5, 29),
        time(8),
        time(12),
        ctx(minutes_ordered=600, minutes_verified=300, minutes_pending=120),
    )
    assert codes(found) == ["TOTAL_HOURS_EXCEEDED"]
    assert "3 jam" in found[0].message
    ok = ctx(minutes_ordered=600, minutes_verified=300, minutes_pending=60)
    assert check_attendance(date(2026, 5, 29), time(8), time(12), ok) == []


def test_dates_outside_the_period_and_in_the_future_are_refused() -> None:
    assert codes(check_attendance(date(2026, 6, 2), time(8), time(12), ctx())) == ["FUTURE_DATE"]
    assert codes(check_attendance(date(2026, 5, 1), time(8), time(12), ctx())) == ["BEFORE_START"]
    late = ctx(deadline=date(2026, 5, 29))
    found = check_attendance(date(2026, 6, 1), time(8), time(12), late)
    assert codes(found) == ["DEADLINE_EXCEEDED"]
    assert "29-05-2026" in found[0].message
    # The deadline day itself still counts.
    assert check_attendance(date(2026, 5, 29), time(8), time(12), late) == []


def test_time_out_must_follow_time_in() -> None:
    assert codes(check_attendance(date(2026, 5, 29), time(12), time(8), ctx())) == ["TIME_ORDER"]
    assert codes(check_attendance(date(2026, 5, 29), time(8), time(8), ctx())) == ["TIME_ORDER"]


def test_hours_text() -> None:
    assert hours_text(480) == "8 jam"
    assert hours_text(270) == "4 jam 30 menit"
    assert hours_text(45) == "45 menit"


WEEKDAYS = ScheduledPeriod(frozenset(range(5)), date(2026, 5, 4), date(2026, 11, 3))


def test_ledger_counts_only_verified_hours_as_served() -> None:
    ledger = build_ledger(
        120 * 60,
        date(2026, 11, 3),
        TODAY,
        [WEEKDAYS],
        [WorkDay(date(2026, 5, 4), 240, True), WorkDay(date(2026, 5, 5), 240, False)],
    )
    assert ledger.minutes_verified == 240
    assert ledger.minutes_pending == 240
    assert ledger.minutes_remaining == 120 * 60 - 240
    assert ledger.minutes_owed == 120 * 60 - 480
    assert ledger.progress_percent == 3
    assert ledger.pending_percent == 3
    assert ledger.days_to_deadline == 155
    assert not ledger.pace_warning
    assert not ledger.served


def test_scheduled_days_without_attendance_are_possible_absences() -> None:
    ledger = build_ledger(
        120 * 60,
        date(2026, 11, 3),
        TODAY,
        [WEEKDAYS],
        [WorkDay(date(2026, 5, d), 240, True) for d in (4, 5, 6, 7, 8, 11)],
    )
    # 12-15 and 18-22, 25-29 May are weekdays without a record; weekends are not.
    assert ledger.possible_absences[0] == date(2026, 5, 12)
    assert date(2026, 5, 16) not in ledger.possible_absences
    assert len(ledger.possible_absences) == 14
    assert TODAY not in ledger.possible_absences  # today is not over yet


def test_pace_warning_when_owed_hours_exceed_eight_hours_per_day_left() -> None:
    # Two weekdays left (1 and 2 June) before a deadline on Tuesday 2 June: 16 h at most.
    ledger = build_ledger(
        20 * 60,
        date(2026, 6, 2),
        TODAY,
        [ScheduledPeriod(frozenset(range(5)), date(2026, 5, 25), date(2026, 6, 2))],
        [WorkDay(date(2026, 5, 25), 180, True)],
    )
    assert ledger.working_days_left == 2
    assert ledger.minutes_owed == 17 * 60
    assert ledger.pace_warning
    fits = build_ledger(
        19 * 60,
        date(2026, 6, 2),
        TODAY,
        [ScheduledPeriod(frozenset(range(5)), date(2026, 5, 25), date(2026, 6, 2))],
        [WorkDay(date(2026, 5, 25), 180, True)],
    )
    assert not fits.pace_warning
    assert fits.minutes_per_day_needed == 480


def test_served_sentence_has_no_pace_warning_and_no_later_absences() -> None:
    ledger = build_ledger(
        8 * 60,
        date(2026, 11, 3),
        TODAY,
        [WEEKDAYS],
        [WorkDay(date(2026, 5, 4), 240, True), WorkDay(date(2026, 5, 5), 240, True)],
    )
    assert ledger.served
    assert ledger.progress_percent == 100
    assert not ledger.pace_warning
    assert ledger.possible_absences == []


def test_a_record_is_superseded_before_it_is_verified_or_waiting() -> None:
    from types import SimpleNamespace as Row

    assert record_state(Row(superseded_by_id=7, verified=True)) == "superseded"
    assert record_state(Row(superseded_by_id=None, verified=True)) == "verified"
    assert record_state(Row(superseded_by_id=None, verified=False)) == "waiting"
