"""The slot rules as plain functions: no Flask, no database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from portal.slots.rules import (
    SlotContext,
    check_schedule,
    check_slot,
    point_in_polygon,
    schedule_text,
)

NGAWI = [
    [-7.300, 111.100], [-7.150, 111.260], [-7.120, 111.350], [-7.300, 111.560],
    [-7.450, 111.700], [-7.550, 111.500], [-7.650, 111.250], [-7.380, 111.070],
]  # fmt: skip
CTX = SlotContext(
    place_types={"government", "hospital"},
    boundary=NGAWI,
    agreement_start=date(2025, 11, 27),
    agreement_end=date(2026, 11, 27),
    agreement_active=True,
    seats_in_use=2,
)


def good(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Kebersihan taman",
        "category": "environment_cleaning",
        "place_type": "government",
        "sector": "environment",
        "address": "Jl. Teuku Umar, Ngawi",
        "lat": -7.404,
        "lng": 111.446,
        "capacity": 3,
        "schedule": [{"weekday": 0, "start": "08:00", "end": "12:00"}],
        "valid_from": date(2026, 1, 5),
        "valid_until": date(2026, 11, 27),
        "supervisor_name": "Slamet",
        "facilities": ["prayer_room", "ppe_provided"],
        "complaint_contact": "Kotak pengaduan di lobi",
        "risks": [],
        "physical_risk_skill": "",
        "unpaid_confirmed": True,
    }
    values.update(changes)
    return values


def fields(values: dict[str, Any], publishing: bool = True) -> set[str]:
    return {r.field for r in check_slot(values, CTX, publishing)}


def test_a_complete_slot_passes() -> None:
    assert check_slot(good(), CTX, publishing=True) == []


def test_unpaid_confirmation_needed_only_to_publish() -> None:
    assert fields(good(unpaid_confirmed=False)) == {"unpaid_confirmed"}
    assert fields(good(unpaid_confirmed=False), publishing=False) == set()
    [refusal] = check_slot(good(unpaid_confirmed=False), CTX, True)
    assert "tidak dibayar" in refusal.message
    assert "Pasal 7" in refusal.message


@pytest.mark.parametrize(
    ("risk", "code", "words"),
    [
        ("confidential_data", "CONFIDENTIAL_DATA", "rahasia"),
        ("technical_work", "TECHNICAL_RISK", "mesin"),
    ],
)
def test_confidential_or_technical_slot_cannot_be_published(
    risk: str, code: str, words: str
) -> None:
    refusals = check_slot(good(risks=[risk]), CTX, publishing=True)
    assert [(r.field, r.code) for r in refusals] == [("risks", code)]
    assert words in refusals[0].message
    assert check_slot(good(risks=[risk]), CTX, publishing=False) == []


def test_coordinates_outside_the_pemda_are_refused() -> None:
    # Kota Madiun lies outside Kabupaten Ngawi.
    refusals = check_slot(good(lat=-7.63, lng=111.52), CTX, publishing=False)
    assert [r.field for r in refusals] == ["lat"]
    assert "di luar wilayah Pemda" in refusals[0].message


def test_point_in_polygon() -> None:
    square = [[0, 0], [0, 1], [1, 1], [1, 0]]
    assert point_in_polygon(0.5, 0.5, square)
    assert not point_in_polygon(1.5, 0.5, square)
    assert point_in_polygon(-7.404, 111.446, NGAWI)


@pytest.mark.parametrize(
    ("windows", "words"),
    [
        ([{"weekday": 0, "start": "12:00", "end": "08:00"}], "sesudah jam mulai"),
        ([{"weekday": 7, "start": "08:00", "end": "10:00"}], "pilih hari"),
        ([{"weekday": 1, "start": "8", "end": "10:00"}], "JJ:MM"),
        (
            [
                {"weekday": 2, "start": "08:00", "end": "12:00"},
                {"weekday": 2, "start": "11:00", "end": "14:00"},
            ],
            "bertumpang tindih",
        ),
    ],
)
def test_insane_schedules_are_refused(windows: list[dict[str, Any]], words: str) -> None:
    [message] = check_schedule(windows)
    assert words in message
    assert fields(good(schedule=windows)) == {"schedule"}


def test_eight_hours_and_two_windows_a_day_are_fine() -> None:
    windows = [
        {"weekday": 0, "start": "07:00", "end": "15:00"},
        {"weekday": 1, "start": "08:00", "end": "12:00"},
        {"weekday": 1, "start": "12:00", "end": "15:00"},
    ]
    assert check_schedule(windows) == []


def test_publishing_needs_a_schedule() -> None:
    assert fields(good(schedule=[])) == {"schedule"}
    assert fields(good(schedule=[]), publishing=False) == set()


def test_capacity_cannot_drop_below_seats_in_use() -> None:
    refusals = check_slot(good(capacity=1), CTX, publishing=False)
    assert [r.field for r in refusals] == ["capacity"]
    assert "kursi yang sedang terisi (2" in refusals[0].message
    assert fields(good(capacity=0), publishing=False) == {"capacity"}
    assert fields(good(capacity=None), publishing=False) == {"capacity"}


def test_validity_inside_the_agreement() -> None:
    assert fields(good(valid_from=date(2025, 11, 1)), False) == {"valid_from"}
    assert fields(good(valid_until=date(2026, 12, 31)), False) == {"valid_until"}
    assert fields(good(valid_until=date(2026, 1, 1)), False) == {"valid_until"}
    refusal = check_slot(good(valid_until=date(2026, 12, 31)), CTX, False)[0]
    assert "27 November 2026" in refusal.message


def test_required_fields() -> None:
    values = good(title=" ", address="", supervisor_name="", category=None, sector="x")
    values.update(place_type="moon", lat=None, valid_from=None)
    assert fields(values, False) == {
        "title",
        "address",
        "supervisor_name",
        "category",
        "sector",
        "place_type",
        "lat",
        "valid_from",
    }


def test_physical_risk_needs_the_skill() -> None:
    assert fields(good(risks=["physical_risk"])) == {"physical_risk_skill"}
    assert fields(good(risks=["physical_risk"], physical_risk_skill="Memanjat")) == set()


def test_publishing_needs_an_agreement_in_force() -> None:
    ctx = SlotContext(**{**CTX.__dict__, "agreement_active": False})
    refusals = check_slot(good(), ctx, publishing=True)
    assert [(r.field, r.code) for r in refusals] == [("agreement", "AGREEMENT_NOT_ACTIVE")]


def test_schedule_text() -> None:
    windows = [{"weekday": d, "start": "08:00", "end": "12:00"} for d in range(5)]
    windows.append({"weekday": 5, "start": "08:00", "end": "10:00"})
    assert schedule_text(windows) == "Senin–Jumat 08:00–12:00; Sabtu 08:00–10:00"
    assert schedule_text([]) == ""
