"""Codes never reach a person: the audit log shows Indonesian words; dates, times and
numbers follow Indonesian conventions (Flask-Babel, locale id, WIB/WITA/WIT)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from flask import Flask

from portal import clock, codes
from portal.forms import parse_date
from portal.web import format_clock, format_date, format_number, format_time

ROOT = Path(__file__).resolve().parent.parent


def test_every_recorded_audit_action_has_an_indonesian_label() -> None:
    recorded = set()
    for path in (ROOT / "portal").rglob("*.py"):
        text = path.read_text()
        recorded |= set(re.findall(r'audit\.record\(\s*"([a-z_]+)"', text))
    assert recorded, "no audit actions found"
    assert recorded - set(codes.AUDIT_ACTIONS) == set()


def test_every_recorded_audit_object_has_an_indonesian_label() -> None:
    """The audit log names what was touched ("Sesi kerja nomor 4"), never "Data lain"."""
    recorded = set()
    for path in (ROOT / "portal").rglob("*.py"):
        recorded |= set(re.findall(r'audit\.record\(\s*\S+,\s*"([a-z_]+)"', path.read_text()))
    assert "work_session" in recorded
    assert recorded - set(codes.AUDIT_OBJECTS) == set()


def test_audit_page_shows_words_not_codes(client: Any, login_as: Any) -> None:
    client.post("/masuk", data={"username": "admin", "password": "salah"})
    login_as("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Gagal masuk" in page
    assert "login_failed" not in page.split("<tbody>")[1]
    assert "<code>" not in page


def test_dates_times_and_numbers_in_indonesian(app: Flask) -> None:
    with app.app_context():
        assert format_date(date(2026, 8, 17)) == "17 Agustus 2026"
        assert format_date(date(2026, 1, 5), "short") == "05-01-2026"
        moment = datetime(2026, 11, 30, 7, 5, tzinfo=UTC)
        assert format_date(moment, "datetime") == "30 November 2026, 14:05 WIB"
        assert format_time(moment) == "14:05 WIB"
        assert format_number(1234567.456, 1) == "1.234.567,5"
        try:
            clock.set_zone("Asia/Makassar")
            assert format_time(moment) == "15:05 WITA"
            clock.set_zone("Asia/Jayapura")
            assert format_time(moment) == "16:05 WIT"
        finally:
            clock.set_zone(app.config["TIMEZONE"])


def test_hours_of_the_day_read_as_the_clock_shows_them() -> None:
    """A session's or a record's hours are wall-clock times: no zone, no conversion."""
    assert format_clock(time(8, 0)) == "08:00"
    assert format_clock(time(7, 5), time(12, 30)) == "07:05–12:30"
    assert format_clock(time(7, 5), time(12, 30)) == "07:05–12:30"  # remembered alike


def test_typed_dates_are_read_day_first() -> None:
    assert parse_date("05-01-2027") == date(2027, 1, 5)
    assert parse_date("5-1-2027") == date(2027, 1, 5)
    assert parse_date("2027-01-05") == date(2027, 1, 5)
    assert parse_date("") is None
    for wrong in ("01/05/2027", "31-02-2027", "kemarin"):
        try:
            parse_date(wrong)
        except ValueError:
            continue
        raise AssertionError(f"{wrong!r} was accepted")


def test_remembered_dates_and_numbers_read_as_flask_babel_writes_them(app: Flask) -> None:
    from datetime import timedelta

    from flask_babel import format_date as babel_date
    from flask_babel import format_decimal as babel_decimal

    with app.test_request_context():
        day = date(2027, 1, 1)
        for _ in range(400):  # every month name, a leap-free year and more
            assert format_date(day) == babel_date(day, "d MMMM y")
            assert format_date(day, "short") == babel_date(day, "dd-MM-y")
            day += timedelta(days=1)
        for value in (0, 7, 1234, 1234567, 12.5, 1234.567, -3.25):
            assert format_number(value) == babel_decimal(value, format="#,##0")
            assert format_number(value, 2) == babel_decimal(value, format="#,##0.00")
    assert format_date(date(2026, 3, 2)) == "2 Maret 2026"
    assert format_number(1234.5, 1) == "1.234,5"


def test_timestamps_read_as_flask_babel_writes_them(app: Flask) -> None:
    """A list's timestamps (audit log, accounts) are written without Babel per row: the
    same text as Babel's, in every zone the portal runs in, across midnight and the year."""
    from datetime import timedelta

    from flask_babel import format_datetime as babel_datetime

    with app.test_request_context():
        moment = datetime(2026, 12, 31, 13, 59, tzinfo=UTC)
        try:
            for zone in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"):
                clock.set_zone(zone)
                for _ in range(300):
                    local = clock.local(moment)
                    shown = babel_datetime(local, "d MMMM y, HH:mm", rebase=False)
                    assert format_date(moment, "datetime").startswith(shown + " W")
                    assert (
                        format_time(moment)
                        == babel_datetime(local, "HH:mm", rebase=False) + (format_time(moment)[5:])
                    )
                    moment += timedelta(minutes=37)
        finally:
            clock.set_zone(app.config["TIMEZONE"])
