"""Indicator figures against numbers worked out by hand on tests/monitoring_fixture.py."""

from __future__ import annotations

from datetime import date

import pytest

from portal.monitoring import facts
from portal.monitoring import indicators as ind
from tests.monitoring_fixture import build_world


@pytest.fixture
def world(db):  # noqa: ANN001, ANN201
    return build_world()


def _filters(world, **kw):  # noqa: ANN001, ANN003, ANN202
    start, end = ind.year_period(2026)
    values = {"agreement_ids": (world.agreement.id,), "start": start, "end": end}
    values.update(kw)
    return ind.Filters(**values)


def test_headline_figures_match_hand_computation(db, world):
    s = facts.summarise(db.session, _filters(world))

    # Cohort = clients received in 2026 with a non-declined placement in a Ngawi slot:
    # C1..C5. C6 was received in Dec 2025, CT belongs to the Trenggalek agreement.
    assert s.clients_total == 5
    # C1 completed; C2 active, C3 accepted → 2 active; C4 only booked → waiting;
    # C5 ended without completing → terminated.
    assert (s.clients_completed, s.clients_active, s.clients_waiting, s.clients_terminated) == (
        1,
        2,
        1,
        1,
    )
    # One non-declined placement each (C4's declined one does not count).
    assert s.placements_total == 5
    # Hours ordered 40 + 60 + 100 + 80 + 30 = 310.
    assert s.hours_ordered == 310
    # Verified: C1 5 × 8 = 40; C2 3 × 4 + 3 (the correction; the superseded 4 h and the
    # unverified 4 h do not count) = 15; C5 6 → 61.
    assert s.hours_verified == 61
    # Completion rate = completed ÷ (completed + terminated) = 1 ÷ 2.
    assert s.completion_rate == 0.5
    # LKjIP ready to live in society: C3 (one record for three ignored summonses) and C5
    # (two records, counted once) breached → 3 of 5 = 60 %.
    assert s.clients_without_breach == 3
    assert s.ready_for_society_percent == 60.0
    # Partners 2026: Dinsos (S1, S5), DLH (S2), Satpol PP (S6 closed but was published)
    # = 3; RSUD's S3 is a draft. Partners 2025: BPBD (S4), Dinsos (S5) = 2.
    # Community empowerment = (3 − 2) ÷ 2 = 50 %.
    assert (s.partners_this_year, s.partners_last_year) == (3, 2)
    assert s.community_empowerment_percent == 50.0
    # Live slots = published and valid in 2026: S1 (3), S2 (2), S5 (1) → 3 slots, 6 seats.
    # Seats held now: S1 = C2 active + C4 booked + C6 active = 3; S2 = C3 = 1; S5 = 0.
    # Utilisation = 4 ÷ 6 = 66.7 %.
    assert (s.slots_total, s.capacity_total, s.occupied_total) == (3, 6, 4)
    assert s.utilisation_percent == 66.7
    # Decision → first verified day: C1 2 Jan → 19 Jan = 17; C2 10 Feb → 2 Mar = 20;
    # C5 1 Mar → 16 Mar = 15.
    assert s.days_to_first_work == (15, 17, 20)
    # Violations by category: C3's third ignored summons (one record, not three), C5's
    # late departure and C5's absence; C5's single ignored summons is no record.
    assert s.violations_by_type == {
        "summons_ignored": 1,
        "late_or_early": 1,
        "absent_without_reason": 1,
    }
    # Closure record: C1 (served). PK assessments: C1 and C2 (both placed); final: C1.
    assert (s.clients_closed, s.clients_supervised, s.clients_final_assessed) == (1, 2, 1)


def test_breakdowns_by_opd_and_month(db, world):
    s = facts.summarise(db.session, _filters(world))
    rows = {r.name: r for r in s.by_opd}
    assert set(rows) == {"Dinas Sosial", "Dinas Lingkungan Hidup"}
    dinsos, dlh = rows["Dinas Sosial"], rows["Dinas Lingkungan Hidup"]
    # Dinsos: S1 + S5 = 2 slots, 4 seats, 3 taken (75 %); clients C1, C2, C4;
    # planned 40 + 60 + 80 = 180 h; verified 40 + 15 = 55 h.
    assert (dinsos.slots, dinsos.capacity, dinsos.occupied, dinsos.clients) == (2, 4, 3, 3)
    assert dinsos.utilisation_percent == 75.0
    assert (dinsos.hours_planned, dinsos.hours_verified) == (180, 55)
    # DLH: S2 = 1 slot, 2 seats, 1 taken; clients C3, C5 (C4's was declined); 130 h; 6 h.
    assert (dlh.slots, dlh.capacity, dlh.occupied, dlh.clients) == (1, 2, 1, 2)
    assert (dlh.hours_planned, dlh.hours_verified) == (130, 6)

    months = {(r.year, r.month): r for r in s.by_month}
    assert len(months) == 12
    jan, feb, mar, apr = (months[(2026, m)] for m in (1, 2, 3, 4))
    # Received: Jan C1; Feb C2 (decision 10 Feb) and C3; Mar C4 and C5.
    assert (jan.received, feb.received, mar.received, apr.received) == (1, 2, 2, 0)
    # First day of work: Jan C1; Mar C2 and C5.
    assert (jan.started, feb.started, mar.started) == (1, 0, 2)
    # Verified hours: Jan 3 × 8 = 24; Feb 2 × 8 = 16; Mar C2 15 + C5 6 = 21.
    assert (jan.hours_verified, feb.hours_verified, mar.hours_verified) == (24, 16, 21)
    # C1's case closed (served) on 25 Mar; violations Feb C3, Mar C5 (late), Apr C5.
    assert (mar.completed, feb.violations, mar.violations, apr.violations) == (1, 1, 1, 1)


def test_filters_by_opd_and_period(db, world):
    dinsos_id = world.slots["S1"].opd_id
    s = facts.summarise(db.session, _filters(world, opd_id=dinsos_id))
    # At Dinsos: C1, C2, C4 → 40 + 60 + 80 = 180 h ordered; verified 55 h.
    assert (s.clients_total, s.hours_ordered, s.hours_verified) == (3, 180, 55)
    assert (s.capacity_total, s.occupied_total) == (4, 3)

    q1 = facts.summarise(db.session, _filters(world, start=date(2026, 1, 1), end=date(2026, 2, 28)))
    # Received in Jan-Feb: C1, C2, C3 → 40 + 60 + 100 = 200 h; breaches: C3 → 2 of 3.
    assert (q1.clients_total, q1.hours_ordered, q1.clients_without_breach) == (3, 200, 2)
    assert len(q1.by_month) == 2
    # S5 (valid to 28 Feb) is live in Jan-Feb as well: 6 seats.
    assert q1.capacity_total == 6


def test_other_agreement_is_isolated(db, world):
    s = facts.summarise(db.session, _filters(world, agreement_ids=(world.other_agreement.id,)))
    # Only CT: 70 h ordered, 8 h verified; the Trenggalek slot offers 5 seats, 1 taken.
    assert (s.clients_total, s.hours_ordered, s.hours_verified) == (1, 70, 8)
    assert (s.capacity_total, s.occupied_total) == (5, 1)


def test_public_view_suppresses_small_cells(db, world):
    view = ind.public_view(facts.summarise(db.session, _filters(world)))
    assert view["clients_total"] == 5
    assert view["clients_active"] == "< 3"  # 2
    assert view["clients_completed"] == "< 3"  # 1
    assert view["clients_without_breach"] == 3
    assert view["ready_for_society_percent"] == 60.0
    # Completion rate rests on 2 ended programmes: hidden.
    assert view["completion_rate"] is None
    assert view["days_to_first_work"] == {"clients": 3, "mean": 17.3, "median": 17}
    dlh = next(r for r in view["by_opd"] if r["opd"] == "Dinas Lingkungan Hidup")
    # 1 seat taken of 2 would reveal the count: both hidden; seats offered stay.
    assert (dlh["occupied"], dlh["utilisation_percent"], dlh["capacity"]) == ("< 3", None, 2)
    assert dlh["clients"] == "< 3"
    jan = view["by_month"][0]
    assert (jan["received"], jan["hours_verified"]) == ("< 3", 24)
    assert view["by_month"][3]["received"] == 0  # 0 stays 0
    # In the order of portal.codes.VIOLATION_CATEGORIES, Indonesian labels, cells of 1 hidden.
    assert [(v["type"], v["label"], v["count"]) for v in view["violations_by_type"]] == [
        ("absent_without_reason", "Tidak hadir tanpa alasan", "< 3"),
        ("summons_ignored", "Mangkir dari panggilan Kepala Bapas", "< 3"),
        ("late_or_early", "Terlambat datang atau pulang sebelum waktunya", "< 3"),
    ]
    assert ind.chart_series(view, "received")[:4] == [None, None, None, 0]


# --- pure helpers, no database -------------------------------------------------


def test_lkjip_formulas_on_the_magelang_figures():
    # LKjIP Bapas Magelang 2025: 683 of 716 clients without breach = 95.4 %.
    ready, total = ind.ready_for_society(range(716), range(33))
    assert (ready, total) == (683, 716)
    assert ind.percent(ready, total) == 95.4
    # Community empowerment: 13 partners after 11 → (13 − 11) ÷ 11 = 18.2 %.
    assert ind.growth_percent(13, 11) == 18.2
    assert ind.growth_percent(5, 0) is None


def test_partners_by_year_counts_published_opds_once():
    def slot(opd, status, start, end):  # noqa: ANN001, ANN202
        return ind.SlotFact(opd, status, 1, 0, start, end)

    slots = [
        slot(1, "published", date(2025, 1, 1), date(2026, 12, 31)),
        slot(1, "published", date(2026, 3, 1), date(2026, 4, 1)),
        slot(2, "draft", date(2026, 1, 1), date(2026, 12, 31)),
        slot(3, "closed", date(2025, 5, 1), date(2025, 6, 1)),
    ]
    assert ind.partners_by_year(slots, (2025, 2026)) == {2025: {1, 3}, 2026: {1}}


def test_suppress_and_guard():
    assert [ind.suppress(n) for n in (0, 1, 2, 3)] == [0, "< 3", "< 3", 3]
    assert ind.guarded(50.0, 2) is None
    assert ind.guarded(50.0, 0, 3) == 50.0


def test_client_state_rules():
    def fact(*statuses):  # noqa: ANN002, ANN202
        ps = tuple(ind.PlacementFact(1, s, 10) for s in statuses)
        return ind.ClientFact(1, date(2026, 1, 1), date(2026, 1, 1), 10, ps)

    assert ind.client_state(fact("ended", "completed")) == "completed"
    assert ind.client_state(fact("ended", "active")) == "active"
    assert ind.client_state(fact("booked")) == "waiting"
    assert ind.client_state(fact("ended")) == "terminated"
