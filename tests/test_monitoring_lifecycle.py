"""An agreement in force on a day (addenda count); demo workplan reports."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.agreements.services import agreement_active_on
from portal.models import Addendum, Agreement
from tests import factories as f


@pytest.mark.parametrize(
    ("day", "active"),
    [
        (date(2025, 11, 26), False),  # before signing
        (date(2025, 11, 27), True),
        (date(2026, 11, 27), True),  # the last day of validity
        (date(2026, 11, 28), False),
    ],
)
def test_ngawi_agreement_in_force(db, day, active):
    ngawi = f.agreement_of(f.opd("NGAWI-DINSOS"))
    assert agreement_active_on(ngawi, day) is active


def test_addendum_extends_and_draft_never_in_force(db):
    ngawi = f.agreement_of(f.opd("NGAWI-DINSOS"))
    day = date(2027, 3, 1)
    assert not agreement_active_on(ngawi, day)
    ngawi.addenda.append(
        Addendum(
            number="ADD-UJI",
            signed_on=date(2026, 11, 1),
            new_valid_until=date(2027, 11, 27),
            status="in_force",
        )
    )
    db.session.flush()
    assert agreement_active_on(ngawi, day)
    draft = db.session.scalar(select(Agreement).where(Agreement.status == "draft"))
    assert draft is not None
    assert not agreement_active_on(draft, date(2026, 6, 1))


def test_demo_reports_are_idempotent(db):
    from portal.demo.monitoring import build_demo_workplan_reports
    from portal.models import WorkplanReport

    build_demo_workplan_reports()
    first = db.session.scalar(select(func.count(WorkplanReport.id)))
    build_demo_workplan_reports()
    assert db.session.scalar(select(func.count(WorkplanReport.id))) == first == 7


def test_demo_clients_give_derived_progress(db):
    from portal.demo.monitoring import build_demo_monitoring_clients
    from portal.demo.slots import build_demo_slots
    from portal.models import Client
    from portal.monitoring import workplan

    build_demo_slots()
    build_demo_monitoring_clients()
    count = db.session.scalar(select(func.count(Client.id)).where(Client.code.like("MDN-DEMO-%")))
    build_demo_monitoring_clients()  # Bapas Madiun has clients now: nothing more is added
    assert db.session.scalar(select(func.count(Client.id))) == count == 8
    ngawi = f.agreement_of(f.opd("NGAWI-DINSOS"))
    rows = {
        p.activity.metric: p
        for p in workplan.workplan_progress(db.session, ngawi, date(2026, 6, 1))
    }
    assert rows["social_work"].source == "derived"
    assert rows["social_work"].percent > 0
    # On 1 June the first demo client was received 160 days earlier, in 2025: the 2026
    # cohort has 7, of whom 6 are accepted by an OPD (one booking waits) → 85 %.
    assert rows["placement_coordination"].percent == 85
