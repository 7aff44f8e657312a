"""Plain profiles for the engine's tests: a client and a slot that fit, changed per test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from portal.matching.profiles import ClientProfile, Point, SlotProfile, Window

TODAY = date(2026, 6, 1)
HOME = Point(-7.4040, 111.4460)
MORNINGS = tuple(Window(d, 8 * 60, 12 * 60) for d in range(5))


def client(**changes: Any) -> ClientProfile:
    """An adult of Bapas 1 living at HOME, free weekday mornings, 120 hours from 1 June."""
    base = ClientProfile(
        id=1,
        bapas_id=1,
        is_child=False,
        hours_ordered=120,
        start_date=date(2026, 6, 1),
        deadline=date(2026, 11, 30),
        home=HOME,
        max_travel_km=15,
        profession_sector="other",
        offence_via_profession=False,
        skills=frozenset({"environment_cleaning"}),
        available=MORNINGS,
    )
    return replace(base, **changes)


def slot(**changes: Any) -> SlotProfile:
    """A published park-cleaning slot 3 km from HOME, weekday mornings, 3 seats."""
    base = SlotProfile(
        id=10,
        opd_id=1,
        title="Kebersihan taman",
        category="environment_cleaning",
        sector="environment",
        place_type="government",
        location=Point(HOME.lat + 0.027, HOME.lng),
        capacity=3,
        occupied=0,
        schedule=MORNINGS,
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        facilities=frozenset({"prayer_room"}),
        agreement_bapas_id=1,
    )
    return replace(base, **changes)
