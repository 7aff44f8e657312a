"""Random, plainly fictitious profiles for the engine's tests and benchmarks."""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal import law
from portal.codes import FACILITIES, JOB_CATEGORIES, RISKS, SECTORS, SPECIAL_NEEDS
from portal.matching.profiles import ClientProfile, Point, SlotProfile, Window, add_months

CENTRE = (-7.45, 111.45)  # around Ngawi
PLACE_TYPES = ("hospital", "school", "orphanage", "elderly_home", "government", "non_government")


def _windows(rng: random.Random, days: int, chance_two: float = 0.2) -> tuple[Window, ...]:
    out = []
    for d in rng.sample(range(7), days):
        start = rng.randrange(6 * 2, 14 * 2) * 30
        end = min(start + rng.randrange(2, 12) * 30, 22 * 60)
        out.append(Window(d, start, end))
        if rng.random() < chance_two and end < 21 * 60:
            s2 = end + rng.randrange(1, 4) * 30
            out.append(Window(d, s2, min(s2 + rng.randrange(2, 8) * 30, 23 * 60)))
    return tuple(sorted(out))


def _point(rng: random.Random, spread_deg: float) -> Point:
    return Point(
        CENTRE[0] + rng.uniform(-spread_deg, spread_deg),
        CENTRE[1] + rng.uniform(-spread_deg, spread_deg),
    )


def random_slot(rng: random.Random, slot_id: int, spread_deg: float = 0.4) -> SlotProfile:
    """A slot with random place, hours, facilities, risks and validity."""
    capacity = rng.randint(1, 5)
    valid_from = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 200))
    return SlotProfile(
        id=slot_id,
        opd_id=rng.randint(1, 8),
        title=f"Slot {slot_id}",
        category=rng.choice(list(JOB_CATEGORIES)),
        sector=rng.choice(list(SECTORS)),
        place_type=rng.choice(PLACE_TYPES),
        location=_point(rng, spread_deg),
        capacity=capacity,
        occupied=rng.choice([0, 0, 0, rng.randint(0, capacity)]),
        schedule=_windows(rng, rng.randint(1, 6)),
        valid_from=valid_from,
        valid_until=valid_from + timedelta(days=rng.randrange(30, 400)),
        facilities=frozenset(f for f in FACILITIES if rng.random() < 0.5),
        risks=frozenset(r for r in RISKS if rng.random() < 0.12),
        status="published" if rng.random() < 0.95 else "draft",
        unpaid_confirmed=rng.random() < 0.98,
        agreement_bapas_id=1 if rng.random() < 0.97 else 2,
        agreement_active=rng.random() < 0.97,
    )


def random_client(rng: random.Random, client_id: int, spread_deg: float = 0.4) -> ClientProfile:
    """A client with random home, profession, needs, availability and sentence."""
    is_child = rng.random() < 0.1
    start = date(2026, 5, 1) + timedelta(days=rng.randrange(0, 60))
    deadline = add_months(start, law.MAX_MONTHS) - timedelta(days=rng.choice([0, 0, 0, 30]))
    if rng.random() < 0.02:
        deadline = add_months(start, law.MAX_MONTHS) + timedelta(days=5)
    high = law.hours_range(is_child)[1]
    return ClientProfile(
        id=client_id,
        bapas_id=1,
        is_child=is_child,
        hours_ordered=rng.choice([rng.randint(7, high), rng.randint(7, high), high + 1]),
        start_date=start,
        deadline=deadline,
        home=_point(rng, spread_deg) if rng.random() < 0.98 else None,
        max_travel_km=rng.choice([None, 5.0, 10.0, 20.0, 30.0]),
        profession_sector=rng.choice(list(SECTORS)),
        offence_via_profession=rng.random() < 0.3,
        victim_places=tuple(_point(rng, spread_deg) for _ in range(rng.choice([0, 0, 1, 2]))),
        special_needs=frozenset(n for n in SPECIAL_NEEDS if rng.random() < 0.08),
        skills=frozenset(c for c in JOB_CATEGORIES if rng.random() < 0.35),
        available=_windows(rng, rng.randint(1, 7)),
        health_cleared=rng.random() < 0.95,
        vulnerable_contact_exception=rng.random() < 0.1,
        physical_risk_skill=rng.random() < 0.2,
        dependants=rng.randint(0, 4),
        hours_served=rng.choice([0.0, 0.0, float(rng.randint(0, 50))]),
    )
