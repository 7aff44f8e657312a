"""One refusal, two faces: a rule added to a service shows on the web form and in the API.

The health rule (DOMAIN, hard rule 9: an infectious illness keeps the client away
until a medical statement) lives only in ``portal.attendance.rules``; neither the
attendance page nor the attendance API names it. Both show it because both let
``Refused`` through the one form helper and the one API handler.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from portal.models import Attendance
from portal.refusals import Refused, RuleViolation
from tests import factories
from tests.factories import bearer

DAY = {"date": "2026-05-29", "time_in": "08:00", "time_out": "12:00", "activity": "Menyapu"}
MESSAGE = "belum ada surat keterangan sehat dari dokter"


def _count(db: Any) -> int:
    return db.session.scalar(select(func.count(Attendance.id)))


def _unwell_placement(db: Any) -> Any:
    placement = factories.make_supervised_placement()
    placement.client.health_cleared = False
    db.session.commit()  # setup survives the rollback of the refused request
    return placement


def test_health_rule_shows_next_to_the_date_on_the_web_form(
    client: Any, db: Any, login_as: Any
) -> None:
    placement = _unwell_placement(db)
    login_as("pj.dinsos")
    response = client.post(
        f"/kehadiran/penempatan/{placement.id}",
        data={"work_date": "2026-05-29", "time_in": "08:00", "time_out": "12:00"},
    )
    page = response.get_data(as_text=True)
    date_input = re.search(r'<input[^>]*name="work_date"[^>]*>(.*?)</div>', page, re.S)
    assert date_input is not None
    assert "is-invalid" in date_input.group(0)
    assert MESSAGE in date_input.group(1)  # under the date field, not only somewhere
    assert "HEALTH_CLEARANCE" not in page  # the rule in words, never its code
    assert _count(db) == 0


def test_health_rule_is_a_422_rule_violation_in_the_api(client: Any, db: Any) -> None:
    placement = _unwell_placement(db)
    response = client.post(
        f"/api/v1/placements/{placement.id}/attendance", json=DAY, headers=bearer("pj.dinsos")
    )
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "rule_violation"
    assert [r["code"] for r in body["details"]["rules"]] == ["HEALTH_CLEARANCE"]
    assert MESSAGE in body["details"]["rules"][0]["message"]
    assert _count(db) == 0


def test_a_cleared_client_is_recorded_as_before(client: Any, db: Any) -> None:
    placement = factories.make_supervised_placement()
    db.session.commit()
    response = client.post(
        f"/api/v1/placements/{placement.id}/attendance", json=DAY, headers=bearer("pj.dinsos")
    )
    assert response.status_code == 201


def test_a_refused_one_tap_redirects_keeps_nothing_and_says_why(
    client: Any, db: Any, login_as: Any
) -> None:
    """The one-tap button redirects after a refusal; the message is flashed at the top."""
    placement = _unwell_placement(db)
    login_as("pj.dinsos")
    response = client.post(
        f"/kehadiran/penempatan/{placement.id}/hadir",
        data={"time_in": "08:00", "time_out": "12:00"},
    )
    assert response.status_code == 302
    assert _count(db) == 0
    page = client.get("/kehadiran/").get_data(as_text=True)
    assert MESSAGE in page  # flashed at the top


@pytest.mark.parametrize(
    ("refused", "status", "code", "details"),
    [
        (
            Refused({"reason": "Wajib diisi."}),
            422,
            "validation_error",
            {"fields": {"reason": ["Wajib diisi."]}},
        ),
        (
            Refused(violations=[RuleViolation("DAILY_HOURS_EXCEEDED", "Melebihi 8 jam.")]),
            422,
            "rule_violation",
            {"rules": [{"code": "DAILY_HOURS_EXCEEDED", "message": "Melebihi 8 jam."}]},
        ),
        (Refused.capacity_full(), 409, "capacity_full", {}),
        (Refused.conflict("already_decided", "Sudah diputuskan."), 409, "already_decided", {}),
    ],
)  # fmt: skip
def test_refused_carries_its_api_meaning(
    refused: Refused, status: int, code: str, details: dict[str, Any]
) -> None:
    assert (refused.status, refused.error_code(), refused.error_details()) == (
        status,
        code,
        details,
    )
