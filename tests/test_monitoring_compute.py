"""The indicators computed from facts made by hand: no database, no application."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from portal.monitoring import indicators as ind

ROOT = Path(__file__).resolve().parent.parent


def _client(cid, received, *placements, **extra):  # noqa: ANN001, ANN002, ANN003, ANN202
    return ind.ClientFact(cid, received, received, 100, tuple(placements), **extra)


def _facts() -> ind.Facts:
    # OPD 1 (Dinsos): C1 completed (closure record), C2 active. OPD 2 (DLH): C3 only booked.
    c1 = _client(
        1,
        date(2026, 1, 10),
        ind.PlacementFact(1, "completed", 100, date(2026, 3, 5)),
        first_verified_day=date(2026, 1, 20),
        verified_minutes=6000,
        closed_on=date(2026, 3, 6),
        closure="completed",
        assessed=True,
        final_assessed=True,
        litmas=True,
        in_community=True,
    )
    c2 = _client(
        2,
        date(2026, 2, 1),
        ind.PlacementFact(1, "active", 50),
        first_verified_day=date(2026, 2, 11),
        verified_minutes=600,
        assessed=True,
    )
    c3 = _client(3, date(2026, 2, 15), ind.PlacementFact(2, "booked", 40))
    attendance = (
        ind.AttendanceFact(1, 1, date(2026, 1, 20), 3000),
        ind.AttendanceFact(1, 1, date(2026, 2, 2), 3000),
        ind.AttendanceFact(2, 1, date(2026, 2, 11), 600),
    )
    violations = (ind.ViolationFact(2, "absent", date(2026, 2, 20)),)
    slots = (
        # Two slots of Dinsos alike (one fact), one of DLH, a DLH draft.
        ind.SlotFact(1, "published", 4, 2, date(2025, 6, 1), date(2026, 12, 31), slots=2),
        ind.SlotFact(2, "published", 2, 1, date(2026, 1, 1), date(2026, 12, 31)),
        ind.SlotFact(2, "draft", 9, 0, date(2026, 1, 1), date(2026, 12, 31)),
    )
    partners = (ind.PksPartnerFact(7, date(2025, 1, 1), date(2026, 12, 31)),)
    names = {1: "Dinsos", 2: "DLH"}
    return ind.Facts((c1, c2, c3), attendance, violations, slots, names, partners)


def test_compute_on_hand_made_facts():
    filters = ind.Filters((1,), date(2026, 1, 1), date(2026, 3, 31))
    s = ind.compute(_facts(), filters)

    assert (s.clients_total, s.clients_waiting, s.clients_active) == (3, 1, 1)
    assert (s.clients_completed, s.clients_terminated, s.clients_closed) == (1, 0, 1)
    assert (s.clients_supervised, s.clients_final_assessed, s.clients_litmas) == (2, 1, 1)
    assert s.placements_total == 3
    assert (s.hours_ordered, s.hours_verified) == (300, 110.0)
    assert s.completion_rate == 1.0
    # C2 broke a condition: 2 of 3 ready to live in society; C1 took part in the community.
    assert s.clients_without_breach == 2
    assert s.ready_for_society_percent == 66.7
    assert s.community_acceptance_percent == 33.3
    # Partners: OPD 1 (slot valid in 2025 and 2026), OPD 2 (2026 only), PKS partner 7 both.
    assert (s.partners_last_year, s.partners_this_year) == (2, 3)
    assert s.community_empowerment_percent == 50.0
    # Draft slots are not offered: 3 slots, 6 seats, 3 taken.
    assert (s.slots_total, s.capacity_total, s.occupied_total) == (3, 6, 3)
    assert s.utilisation_percent == 50.0
    assert s.days_to_first_work == (10, 10)
    assert [(r.name, r.clients, r.hours_planned, r.hours_verified) for r in s.by_opd] == [
        ("DLH", 1, 40, 0.0),
        ("Dinsos", 2, 150, 110.0),
    ]
    assert [(r.name, r.slots, r.capacity, r.occupied) for r in s.by_opd] == [
        ("DLH", 1, 2, 1),
        ("Dinsos", 2, 4, 2),
    ]
    assert [(r.month, r.received, r.started, r.hours_verified, r.completed, r.violations)
            for r in s.by_month] == [
        (1, 1, 1, 50.0, 0, 0),
        (2, 2, 1, 60.0, 0, 1),
        (3, 0, 0, 0.0, 1, 0),
    ]  # fmt: skip
    assert s.violations_by_type == {"absent": 1}


def test_public_view_of_hand_made_facts_hides_small_cells():
    filters = ind.Filters((1,), date(2026, 1, 1), date(2026, 3, 31))
    view = ind.public_view(ind.compute(_facts(), filters))

    assert view["clients_total"] == 3
    assert view["clients_completed"] == "< 3"
    assert view["completion_rate"] is None  # one finished programme only
    assert view["by_month"][1]["received"] == "< 3"


def test_indicators_module_reads_no_database():
    """The computation imports neither the database, nor Flask, nor the models."""
    tree = ast.parse((ROOT / "portal/monitoring/indicators.py").read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    forbidden = ("sqlalchemy", "flask", "portal.models", "portal.extensions", "portal.cache")
    assert not [m for m in imported if m and m.startswith(forbidden)], imported
