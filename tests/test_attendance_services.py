"""Recording, verifying and correcting attendance through the services."""

from __future__ import annotations

import io
from datetime import date, time
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.attendance.services import (
    AttendanceInput,
    client_ledger,
    correct_attendance,
    record_attendance,
    verify_attendance,
)
from portal.models import Attendance, AuditLog
from portal.refusals import Refused
from tests import factories


def entry(
    day: date = date(2026, 5, 29), start: int = 8, end: int = 12, **kw: Any
) -> AttendanceInput:
    return AttendanceInput(day, time(start), time(end), kw.pop("activity", "Menyapu"), **kw)


def count(db: Any) -> int:
    return db.session.scalar(select(func.count(Attendance.id)))


def test_record_then_verify_moves_the_hours(db: Any) -> None:
    placement = factories.make_supervised_placement()
    pj = factories.user("pj.dinsos")
    record = record_attendance(placement, entry(), pj)
    assert placement.status == "active"
    assert client_ledger(placement.client).minutes_verified == 0
    assert client_ledger(placement.client).minutes_pending == 240
    verify_attendance(record, pj)
    ledger = client_ledger(placement.client)
    assert ledger.minutes_verified == 240
    assert ledger.minutes_pending == 0
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"attendance_recorded", "attendance_verified", "placement_activated"} <= actions


def test_nine_hours_across_two_placements_is_refused_and_nothing_saved(db: Any) -> None:
    client = factories.make_client()
    first = factories.make_placement(client)
    second = factories.make_placement(client, factories.make_slot("NGAWI-DLH"))
    pk = factories.user("pk.madiun")
    record_attendance(first, entry(start=7, end=12), pk)
    before = count(db)
    with pytest.raises(Refused) as refused:
        record_attendance(second, entry(start=13, end=17), pk)
    assert [v.code for v in refused.value.violations] == ["DAILY_HOURS_EXCEEDED"]
    assert count(db) == before


def test_hours_beyond_what_is_owed_are_refused(db: Any) -> None:
    client = factories.make_client(hours_ordered=8)
    placement = factories.make_placement(client)
    pk = factories.user("pk.madiun")
    record_attendance(placement, entry(date(2026, 5, 28), 8, 14), pk)
    with pytest.raises(Refused) as refused:
        record_attendance(placement, entry(date(2026, 5, 29), 8, 11), pk)
    assert [v.code for v in refused.value.violations] == ["TOTAL_HOURS_EXCEEDED"]
    assert count(db) == 1


def test_a_record_past_the_deadline_is_refused(db: Any) -> None:
    client = factories.make_client(deadline=date(2026, 5, 20))
    placement = factories.make_placement(client)
    with pytest.raises(Refused) as refused:
        record_attendance(placement, entry(date(2026, 5, 21)), factories.user("pk.madiun"))
    assert [v.code for v in refused.value.violations] == ["DEADLINE_EXCEEDED"]
    assert count(db) == 0


def test_a_booked_placement_takes_no_attendance(db: Any) -> None:
    placement = factories.make_placement(status="booked")
    with pytest.raises(Refused) as refused:
        record_attendance(placement, entry(), factories.user("pk.madiun"))
    assert [v.code for v in refused.value.violations] == ["PLACEMENT_NOT_ACTIVE"]


def test_verified_record_is_corrected_by_a_new_record_keeping_the_original(db: Any) -> None:
    placement = factories.make_supervised_placement()
    pj = factories.user("pj.dinsos")
    original = record_attendance(placement, entry(), pj)
    verify_attendance(original, pj)
    replacement = correct_attendance(original, entry(start=8, end=11), "Pulang jam 11", pj)
    assert replacement.id != original.id
    assert original.superseded_by_id == replacement.id
    assert original.minutes == 240  # the original is kept as it was
    assert replacement.verified  # the OPD side corrects what it verified
    assert client_ledger(placement.client).minutes_verified == 180
    log = db.session.scalar(select(AuditLog).where(AuditLog.action == "attendance_corrected"))
    assert log.details["before"]["minutes"] == 240
    assert log.details["after"]["minutes"] == 180
    assert log.details["reason"] == "Pulang jam 11"


def test_a_pk_correction_of_a_verified_record_waits_for_verification(db: Any) -> None:
    placement = factories.make_supervised_placement()
    original = record_attendance(placement, entry(), factories.user("pj.dinsos"))
    verify_attendance(original, factories.user("pj.dinsos"))
    replacement = correct_attendance(
        original, entry(start=9, end=12), "Datang jam 9", factories.user("pk.madiun")
    )
    assert not replacement.verified
    ledger = client_ledger(placement.client)
    assert (ledger.minutes_verified, ledger.minutes_pending) == (0, 180)


def test_correction_needs_a_reason_and_keeps_the_rules(db: Any) -> None:
    placement = factories.make_supervised_placement()
    pk = factories.user("pk.madiun")
    record = record_attendance(placement, entry(), pk)
    with pytest.raises(Refused):
        correct_attendance(record, entry(start=8, end=11), "", pk)
    with pytest.raises(Refused) as refused:
        correct_attendance(record, entry(start=7, end=16), "Lembur", pk)
    assert [v.code for v in refused.value.violations] == ["DAILY_HOURS_EXCEEDED"]
    # An unverified record is changed in place (it has not counted yet).
    changed = correct_attendance(record, entry(start=8, end=10), "Salah ketik", pk)
    assert changed.id == record.id
    assert record.minutes == 120


def test_a_verified_record_cannot_be_verified_twice(db: Any) -> None:
    placement = factories.make_supervised_placement()
    pj = factories.user("pj.dinsos")
    record = record_attendance(placement, entry(), pj)
    verify_attendance(record, pj)
    with pytest.raises(Refused) as refused:
        verify_attendance(record, pj)
    assert refused.value.violations[0].code == "ALREADY_VERIFIED"


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x013B] = "Pemilik Foto"  # Artist
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_checked_from_content_and_stored_without_metadata(app: Any, db: Any) -> None:
    placement = factories.make_supervised_placement()
    raw = _jpeg_with_exif()
    assert b"KameraRahasia" in raw
    with app.test_request_context():
        record = record_attendance(placement, entry(photo=raw), factories.user("pj.dinsos"))
    from pathlib import Path

    stored = Path(app.config["UPLOAD_FOLDER"]) / record.photo_path
    data = stored.read_bytes()
    assert b"KameraRahasia" not in data
    assert b"Pemilik Foto" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
    assert "static" not in str(stored)


def test_a_file_that_is_not_an_image_is_refused(app: Any, db: Any) -> None:
    placement = factories.make_supervised_placement()
    fake = b"<?php system($_GET['c']); ?>" + b"\xff\xd8\xff" * 10
    with app.test_request_context(), pytest.raises(Refused) as refused:
        record_attendance(placement, entry(photo=fake), factories.user("pj.dinsos"))
    assert "photo" in refused.value.fields
    assert count(db) == 0


def test_summed_ledgers_agree_with_the_full_ledger(db: Any) -> None:
    from portal.attendance.services import ledgers_for

    person = factories.make_client(hours_ordered=20, deadline=date(2026, 6, 3))
    placement = factories.make_supervised_placement(person)
    factories.make_attendance(placement, work_date=date(2026, 5, 29), verified=True)
    factories.make_attendance(placement, work_date=date(2026, 6, 1), time_in=time(8))
    full = client_ledger(person)
    quick = ledgers_for([person], absences=False)[person.id]
    assert (quick.minutes_verified, quick.minutes_pending) == (240, 240)
    assert quick.working_days_left == full.working_days_left == 2  # today is worked
    assert quick.pace_warning == full.pace_warning
    assert quick.possible_absences == []
    assert full.possible_absences  # the full ledger still lists them


def test_a_ledger_from_the_placements_a_page_read_is_the_ledger_read_afresh(db: Any) -> None:
    """The client and supervision pages hand the ledger the placements they show (with
    their slots) instead of reading them again: the same hours, days left and absences."""
    from sqlalchemy import select

    from portal.models import Placement

    person = factories.make_client(hours_ordered=20, deadline=date(2026, 6, 30))
    placement = factories.make_supervised_placement(person)
    factories.make_attendance(placement, work_date=date(2026, 5, 26), verified=True)
    factories.make_attendance(placement, work_date=date(2026, 5, 29), time_in=time(8))
    shown = list(db.session.scalars(select(Placement).where(Placement.client_id == person.id)))
    afresh, given = client_ledger(person), client_ledger(person, shown)
    assert given.minutes_verified == afresh.minutes_verified == 240
    assert given.minutes_pending == afresh.minutes_pending == 240
    assert given.working_days_left == afresh.working_days_left > 0
    assert given.possible_absences == afresh.possible_absences != []
