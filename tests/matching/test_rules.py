"""Every hard rule of DOMAIN.md: a case that passes and a case that fails."""

from __future__ import annotations

from datetime import date

import pytest

from portal.matching.profiles import (
    PlacementRequest,
    Point,
    Thresholds,
    Window,
    add_months,
    haversine_km,
    weekday_counts,
)
from portal.matching.rules import RULE_LABELS, RULES, check_placement
from tests.matching.builders import HOME, MORNINGS, TODAY, client, slot


def codes(c=None, s=None, request=None, **kw) -> list[str]:
    found = check_placement(c or client(), s or slot(), request, today=TODAY, **kw)
    assert all(v.message and v.code in RULE_LABELS for v in found)
    return [v.code for v in found]


def test_fitting_client_and_slot_break_no_rule() -> None:
    assert codes() == []


def test_every_rule_has_a_label_and_an_api_code() -> None:
    assert set(RULES) == set(RULE_LABELS)


def test_haversine_ngawi_to_madiun() -> None:
    # Ngawi town to Madiun town: about 26 km as the crow flies.
    assert 25 < haversine_km(-7.404, 111.446, -7.630, 111.523) < 27


@pytest.mark.parametrize(
    ("client_changes", "slot_changes", "code"),
    [
        # 1. a doctor convicted of malpractice is never placed in a hospital
        (
            {"profession_sector": "health", "offence_via_profession": True},
            {"sector": "social_care", "place_type": "hospital"},
            "PROFESSION_CONFLICT",
        ),
        (
            {"profession_sector": "health", "offence_via_profession": True},
            {"sector": "health", "place_type": "government"},
            "PROFESSION_CONFLICT",
        ),
        # 2. victim's home 500 m from the slot
        (
            {"victim_places": (Point(HOME.lat + 0.027, HOME.lng + 0.0045, "rumah korban"),)},
            {},
            "VICTIM_PROXIMITY",
        ),
        # 3. beyond his travel limit, or home unknown
        ({"max_travel_km": 2}, {}, "TOO_FAR"),
        ({"home": None}, {}, "TOO_FAR"),
        # 4-7. kinds of work
        ({}, {"risks": frozenset({"vulnerable_contact"})}, "VULNERABLE_CONTACT"),
        ({}, {"risks": frozenset({"confidential_data"})}, "CONFIDENTIAL_DATA"),
        ({}, {"risks": frozenset({"technical_work"})}, "TECHNICAL_RISK"),
        ({}, {"risks": frozenset({"physical_risk"})}, "SAFETY_RISK"),
        # 8. special needs
        ({"special_needs": frozenset({"breastfeeding"})}, {}, "SPECIAL_NEEDS_UNMET"),
        # 9. health
        ({"health_cleared": False}, {}, "HEALTH_CLEARANCE"),
        # 10. unpaid
        ({}, {"unpaid_confirmed": False}, "PAID_WORK"),
        # 11. schedule: slot only on Saturdays
        ({}, {"schedule": (Window(5, 8 * 60, 12 * 60),)}, "SCHEDULE_CONFLICT"),
        ({"hours_ordered": 241}, {}, "TOTAL_HOURS_EXCEEDED"),
        ({"is_child": True, "hours_ordered": 121}, {}, "TOTAL_HOURS_EXCEEDED"),
        ({"deadline": date(2026, 12, 2)}, {}, "DEADLINE_EXCEEDED"),
        # slot ends in two weeks: 40 hours possible, 120 ordered
        ({}, {"valid_until": date(2026, 6, 14)}, "DEADLINE_EXCEEDED"),
        # agreement and slot
        ({}, {"agreement_active": False}, "AGREEMENT_NOT_ACTIVE"),
        ({}, {"agreement_bapas_id": 2}, "AGREEMENT_NOT_ACTIVE"),
        ({}, {"status": "draft"}, "SLOT_NOT_PUBLISHED"),
        ({}, {"occupied": 3}, "CAPACITY_FULL"),
    ],
)
def test_rule_fails(client_changes: dict, slot_changes: dict, code: str) -> None:
    assert codes(client(**client_changes), slot(**slot_changes)) == [code]


@pytest.mark.parametrize(
    ("client_changes", "slot_changes"),
    [
        # 1. offence not via the profession; or via another profession
        ({"profession_sector": "health"}, {"sector": "health", "place_type": "hospital"}),
        (
            {"profession_sector": "finance", "offence_via_profession": True},
            {"sector": "health", "place_type": "hospital"},
        ),
        # 2. victim 5 km away
        ({"victim_places": (Point(HOME.lat + 0.027 + 0.045, HOME.lng),)}, {}),
        # 3. default limit used when the client has none
        ({"max_travel_km": None}, {}),
        # 4. the Kepala Bapas's exception
        ({"vulnerable_contact_exception": True}, {"risks": frozenset({"vulnerable_contact"})}),
        # 7. with the skill
        ({"physical_risk_skill": True}, {"risks": frozenset({"physical_risk"})}),
        # 8. facilities present
        (
            {"special_needs": frozenset({"breastfeeding", "disability_mobility"})},
            {
                "facilities": frozenset(
                    {
                        "lactation_room",
                        "child_care",
                        "ramp",
                        "accessible_toilet",
                        "adequate_lighting",
                    }
                )
            },
        ),
        # 11. partial overlap is enough; a child's 120 hours; deadline exactly six months
        ({"available": tuple(Window(d, 10 * 60, 16 * 60) for d in range(5))}, {}),
        ({"is_child": True, "hours_ordered": 120}, {}),
        ({"deadline": add_months(date(2026, 6, 1), 6)}, {}),
    ],
)
def test_rule_passes(client_changes: dict, slot_changes: dict) -> None:
    assert codes(client(**client_changes), slot(**slot_changes)) == []


def test_pregnant_client_is_kept_from_physical_risk_even_with_the_skill() -> None:
    c = client(special_needs=frozenset({"pregnant"}), physical_risk_skill=True)
    found = check_placement(c, slot(risks=frozenset({"physical_risk"})), today=TODAY)
    assert [v.code for v in found] == ["SPECIAL_NEEDS_UNMET"]
    assert "hamil" in found[0].message


def test_every_broken_rule_is_reported() -> None:
    c = client(health_cleared=False, max_travel_km=1)
    s = slot(risks=frozenset({"confidential_data", "technical_work"}), status="closed")
    assert codes(c, s) == [
        "TOO_FAR",
        "CONFIDENTIAL_DATA",
        "TECHNICAL_RISK",
        "HEALTH_CLEARANCE",
        "SLOT_NOT_PUBLISHED",
    ]


def test_messages_are_indonesian_sentences_with_figures() -> None:
    (v,) = check_placement(client(max_travel_km=2), slot(), today=TODAY)
    assert v.message == "Jarak dari rumah 3,0 km melebihi batas tempuh klien 2,0 km."


def test_victim_distance_threshold_is_configurable() -> None:
    c = client(victim_places=(Point(HOME.lat, HOME.lng, "tempat kerja korban"),))
    assert codes(c, thresholds=Thresholds(victim_min_distance_km=2)) == []
    assert codes(c, thresholds=Thresholds(victim_min_distance_km=5)) == ["VICTIM_PROXIMITY"]


# --- a booking's own schedule ---------------------------------------------------------


def booking(*windows: Window, start: date = date(2026, 6, 1), hours: float | None = None):
    return PlacementRequest(start_date=start, schedule=tuple(windows), hours_planned=hours)


def test_booking_inside_both_schedules_passes() -> None:
    assert codes(request=booking(*MORNINGS)) == []


def test_booking_outside_the_slot_hours_is_refused() -> None:
    c = client(available=(Window(0, 8 * 60, 17 * 60),) + MORNINGS[1:])
    found = check_placement(c, slot(), booking(Window(0, 13 * 60, 16 * 60)), today=TODAY)
    assert "SCHEDULE_CONFLICT" in [v.code for v in found]
    assert "Senin 13:00–16:00 di luar jam kerja slot" in found[0].message


def test_booking_outside_the_client_days_is_refused() -> None:
    c = client(available=MORNINGS[:2])
    assert "SCHEDULE_CONFLICT" in codes(c, request=booking(MORNINGS[3]))


def test_nine_hours_in_a_day_is_refused() -> None:
    long_day = (Window(0, 7 * 60, 17 * 60),)
    c = client(available=long_day)
    s = slot(schedule=long_day)
    found = codes(c, s, booking(Window(0, 8 * 60, 17 * 60)))
    assert "DAILY_HOURS_EXCEEDED" in found
    assert codes(c, s, booking(Window(0, 8 * 60, 16 * 60))) == []


def test_booking_more_hours_than_remain_is_refused() -> None:
    c = client(hours_served=100)
    assert codes(c, request=booking(*MORNINGS, hours=40)) == ["TOTAL_HOURS_EXCEEDED"]
    assert codes(c, request=booking(*MORNINGS, hours=20)) == []


def test_booking_that_cannot_finish_before_the_deadline_is_refused() -> None:
    # one morning a week from 1 June to 30 November: 27 weeks x 4 h = 108 h < 120 h
    assert codes(request=booking(MORNINGS[0])) == ["DEADLINE_EXCEEDED"]
    assert codes(request=booking(MORNINGS[0], MORNINGS[1])) == []


def test_booking_start_before_the_sentence_or_after_the_deadline() -> None:
    assert "SCHEDULE_CONFLICT" in codes(request=booking(*MORNINGS, start=date(2026, 5, 1)))
    late = codes(request=booking(*MORNINGS, start=date(2026, 12, 1)))
    assert "DEADLINE_EXCEEDED" in late


def test_weekday_counts_and_months() -> None:
    assert weekday_counts(date(2026, 6, 1), date(2026, 6, 7)) == [1] * 7
    assert weekday_counts(date(2026, 6, 1), date(2026, 6, 9)) == [2, 2, 1, 1, 1, 1, 1]
    assert weekday_counts(date(2026, 6, 2), date(2026, 6, 1)) == [0] * 7
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
