"""One hours ledger: pages, the API, matching and monitoring all show the same verified hours.

The records: 4 h verified, 3 h waiting for verification, and a verified 4 h day
corrected to 2 h (the 4 h record is superseded). Only 4 + 2 = 6 h count; 120 h
were ordered, so 114 h remain.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from portal.attendance.services import client_ledger
from portal.extensions import db as _db
from portal.monitoring.facts import summarise
from portal.monitoring.indicators import Filters
from portal.placements.engine import client_profile
from tests import factories as f
from tests.factories import bearer


@pytest.fixture
def worked(db):  # noqa: ANN001, ANN201
    klien = f.make_client(hours_ordered=120, execution_order_date=date(2026, 4, 25))
    placement = f.make_placement(klien, f.make_slot(), status="active")
    f.make_attendance(placement, work_date=date(2026, 5, 11), verified=True)
    f.make_attendance(placement, work_date=date(2026, 5, 12), minutes=180,
                      time_out=time(11, 0))  # fmt: skip
    fixed = f.make_attendance(placement, work_date=date(2026, 5, 13), minutes=120,
                              time_out=time(10, 0), verified=True)  # fmt: skip
    f.make_attendance(
        placement, work_date=date(2026, 5, 13), verified=True, superseded_by_id=fixed.id
    )
    _db.session.commit()
    return klien, placement


def test_ledger_counts_verified_live_records_only(worked):
    klien, _ = worked
    ledger = client_ledger(klien)
    assert (ledger.hours_verified, ledger.minutes_pending, ledger.hours_remaining) == (6, 180, 114)
    assert client_profile(klien).hours_served == 6


def test_api_placement_uses_the_ledger(client, worked):
    _, placement = worked
    body = client.get(f"/api/v1/placements/{placement.id}", headers=bearer("pk.madiun")).json
    assert (body["hours_verified"], body["hours_remaining"]) == (6.0, 114.0)


def test_pages_use_the_ledger(client, login_as, worked):
    klien, placement = worked
    login_as("pk.madiun")
    assert "terverifikasi 6,0 jam" in client.get(f"/klien/{klien.id}").text
    assert "6,0 / 120" in client.get("/klien/").text
    assert "terverifikasi 6,0 jam" in client.get(f"/penempatan/{placement.id}").text


def test_monitoring_uses_the_ledger_rule(db, worked):
    _, placement = worked
    period = Filters((placement.slot.agreement_id,), date(2026, 1, 1), date(2026, 12, 31))
    summary = summarise(db.session, period)
    assert summary.hours_verified == 6.0
