"""The vectorised ranking agrees with the per-rule reference and orders slots sensibly."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import numpy as np
import pytest

from portal.matching.profiles import Point, Window
from portal.matching.ranking import SlotTable, eligible_slots, evaluate, rank_client
from portal.matching.rules import check_placement
from portal.matching.synthetic import random_client, random_slot
from tests.matching.builders import HOME, TODAY, client, slot


@pytest.mark.parametrize("seed", range(6))
def test_vectorised_rules_agree_with_the_reference_on_random_data(seed: int) -> None:
    rng = random.Random(seed)
    slots = [random_slot(rng, i) for i in range(300)]
    table = SlotTable.build(slots)
    for k in range(25):
        c = random_client(rng, k)
        today = date(2026, 5, 1) + (date(2026, 7, 1) - date(2026, 5, 1)) * rng.random()
        ranking = rank_client(c, table, today=today)
        for i, s in enumerate(slots):
            expected = [v.code for v in check_placement(c, s, today=today)]
            assert ranking.codes(i) == expected, (seed, k, s.id)


@pytest.mark.parametrize("seed", range(4))
def test_batch_fast_path_finds_the_same_eligible_slots_and_scores(seed: int) -> None:
    rng = random.Random(50 + seed)
    table = SlotTable.build([random_slot(rng, i, spread_deg=0.15) for i in range(500)])
    for k in range(60):
        c = random_client(rng, k, spread_deg=0.15)
        full = evaluate(c, table, TODAY)
        index, scores = eligible_slots(c, table, TODAY)
        assert list(index) == list(np.flatnonzero(~full.excluded))
        assert list(scores) == list(full.scores[index])


def test_excluded_slots_carry_the_reference_messages() -> None:
    s = slot(risks=frozenset({"confidential_data"}))
    ranking = rank_client(client(max_travel_km=1), SlotTable.build([s]), today=TODAY)
    (excluded,) = ranking.excluded()
    assert excluded.violations == check_placement(client(max_travel_km=1), s, today=TODAY)
    assert ranking.eligible() == []


def test_doctor_convicted_of_malpractice_is_never_offered_a_hospital() -> None:
    rng = random.Random(7)
    slots = [random_slot(rng, i, spread_deg=0.05) for i in range(2000)]
    doctor = client(profession_sector="health", offence_via_profession=True, max_travel_km=50)
    ranking = rank_client(doctor, SlotTable.build(slots), today=TODAY)
    offered = [e.slot for e in ranking.eligible()]
    assert offered, "the doctor can still work elsewhere"
    assert all(s.place_type != "hospital" and s.sector != "health" for s in offered)
    hospital_excluded = [
        x
        for x in ranking.excluded()
        if x.slot.place_type == "hospital" or x.slot.sector == "health"
    ]
    assert hospital_excluded
    assert all("PROFESSION_CONFLICT" in [v.code for v in x.violations] for x in hospital_excluded)


def test_never_near_the_victim_beyond_travel_outside_days_or_without_facilities() -> None:
    rng = random.Random(11)
    slots = [random_slot(rng, i, spread_deg=0.2) for i in range(3000)]
    c = client(
        victim_places=(Point(HOME.lat + 0.05, HOME.lng + 0.05, "rumah korban"),),
        max_travel_km=20,
        available=(Window(1, 8 * 60, 16 * 60), Window(3, 8 * 60, 16 * 60)),
        special_needs=frozenset({"breastfeeding"}),
        hours_ordered=40,
    )
    for e in rank_client(c, SlotTable.build(slots), today=TODAY).eligible():
        assert check_placement(c, e.slot, today=TODAY) == []
        assert {"lactation_room", "child_care"} <= e.slot.facilities
        assert {w.weekday for w in e.slot.schedule} & {1, 3}
        assert e.distance_km is not None
        assert e.distance_km <= 20


def test_best_fit_first_with_reasons() -> None:
    near_skilled = slot(id=1)
    far_skilled = slot(id=2, location=Point(HOME.lat + 0.09, HOME.lng))
    near_other = slot(id=3, category="light_admin", sector="administration")
    ranking = rank_client(
        client(), SlotTable.build([near_other, far_skilled, near_skilled]), today=TODAY
    )
    eligible = ranking.eligible()
    assert [e.slot.id for e in eligible] == [1, 2, 3]
    assert eligible[0].score > eligible[1].score > eligible[2].score
    assert eligible[0].reasons[0].startswith("Sesuai minat dan keahlian klien")
    assert "Jarak 3,0 km dari rumah (batas 15,0 km)." in eligible[0].reasons
    assert "3 dari 3 kursi masih kosong." in eligible[0].reasons


def test_profession_fit_counts_when_the_offence_was_not_through_it() -> None:
    teacher = client(profession_sector="education", skills=frozenset())
    school = slot(id=1, sector="education", place_type="school", category="teaching_training")
    park = slot(id=2)
    eligible = rank_client(teacher, SlotTable.build([park, school]), today=TODAY).eligible()
    assert eligible[0].slot.id == 1
    assert "Sesuai bidang profesi klien (pendidikan)." in eligible[0].reasons


def test_excluded_counts_and_one_rules_slots_agree_with_the_full_list() -> None:
    rng = random.Random(23)
    slots = [random_slot(rng, i, spread_deg=0.3) for i in range(400)]
    ranking = rank_client(client(max_travel_km=10), SlotTable.build(slots), today=TODAY)
    full = ranking.excluded()
    assert full
    expected = Counter(v.code for x in full for v in x.violations)
    assert ranking.excluded_by_rule() == expected
    for code in expected:
        chosen = ranking.excluded(rule=code)
        assert [x.slot.id for x in chosen] == [
            x.slot.id for x in full if code in [v.code for v in x.violations]
        ]
        assert [x.violations for x in chosen] == [
            x.violations for x in full if code in [v.code for v in x.violations]
        ]
    assert ranking.excluded(rule="NO_SUCH_RULE") == []
    # The sentences written when read equal the reference check's, slot by slot.
    for x in full[:40]:
        reference = check_placement(client(max_travel_km=10), x.slot, today=TODAY)
        assert x.violations == reference
        assert [v.message for v in x.violations] == [v.message for v in reference]
