"""POST /api/v1/placements/{id}/attendance and POST /api/v1/attendance/{id}/verify."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import func, select

from portal.models import Attendance
from tests import factories
from tests.factories import bearer

DAY = {"date": "2026-05-29", "time_in": "08:00", "time_out": "12:00", "activity": "Menyapu"}


def _count(db: Any) -> int:
    return db.session.scalar(select(func.count(Attendance.id)))


def _post(client: Any, placement_id: int, body: dict[str, Any], who: str = "pj.dinsos") -> Any:
    return client.post(
        f"/api/v1/placements/{placement_id}/attendance", json=body, headers=bearer(who)
    )


def test_record_returns_201_unverified(client: Any, db: Any) -> None:
    placement = factories.make_supervised_placement()
    db.session.commit()  # setup survives the rollback of a refused request
    response = _post(client, placement.id, DAY)
    assert response.status_code == 201
    body = response.get_json()
    assert body["hours"] == 4
    assert body["verified"] is False
    assert "client" not in str(body).lower()
    assert _count(db) == 1


def test_without_a_token_401_and_nothing_saved(client: Any, db: Any) -> None:
    placement = factories.make_supervised_placement()
    db.session.commit()  # setup survives the rollback of a refused request
    response = client.post(f"/api/v1/placements/{placement.id}/attendance", json=DAY)
    assert response.status_code == 401
    assert response.get_json()["error"]
    assert _count(db) == 0


def test_wrong_role_403(client: Any, db: Any) -> None:
    placement = factories.make_supervised_placement()
    db.session.commit()  # setup survives the rollback of a refused request
    for who in ("setda.ngawi", "kabapas.madiun", "admin"):
        assert _post(client, placement.id, DAY, who).status_code == 403, who
    assert _count(db) == 0


def test_another_organisation_404(client: Any, db: Any) -> None:
    placement = factories.make_supervised_placement()
    kediri = factories.make_placement(factories.make_client("KDR", pk=None))
    db.session.commit()  # setup survives the rollback of a refused request
    assert _post(client, placement.id, DAY, "opd.dlh").status_code == 404
    assert _post(client, kediri.id, DAY, "pk.madiun").status_code == 404
    assert _post(client, 999999, DAY, "pk.madiun").status_code == 404
    assert _count(db) == 0


def test_nine_hours_422_daily_hours_exceeded_nothing_saved(client: Any, db: Any) -> None:
    placement = factories.make_supervised_placement()
    db.session.commit()  # setup survives the rollback of a refused request
    response = _post(client, placement.id, dict(DAY, time_in="07:00", time_out="16:00"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "rule_violation"
    assert [r["code"] for r in body["details"]["rules"]] == ["DAILY_HOURS_EXCEEDED"]
    assert _count(db) == 0


def test_past_the_deadline_422_deadline_exceeded(client: Any, db: Any) -> None:
    person = factories.make_client(deadline=date(2026, 5, 20))
    placement = factories.make_supervised_placement(person)
    db.session.commit()  # setup survives the rollback of a refused request
    response = _post(client, placement.id, DAY)
    assert response.status_code == 422
    assert [r["code"] for r in response.get_json()["details"]["rules"]] == ["DEADLINE_EXCEEDED"]
    assert _count(db) == 0


def test_beyond_the_hours_ordered_422_total_hours_exceeded(client: Any, db: Any) -> None:
    person = factories.make_client(hours_ordered=8)
    placement = factories.make_supervised_placement(person)
    factories.make_attendance(
        placement, work_date=date(2026, 5, 28), time_in=time(8), time_out=time(14), minutes=360
    )
    db.session.commit()  # setup survives the rollback of a refused request
    response = _post(client, placement.id, DAY, "pk.madiun")
    assert response.status_code == 422
    assert [r["code"] for r in response.get_json()["details"]["rules"]] == ["TOTAL_HOURS_EXCEEDED"]
    assert _count(db) == 1


def test_bad_shape_422_with_fields(client: Any, db: Any) -> None:
    placement = factories.make_supervised_placement()
    db.session.commit()  # setup survives the rollback of a refused request
    response = _post(client, placement.id, {"date": "29-05-2026", "time_in": "8", "extra": 1})
    assert response.status_code == 422
    fields = response.get_json()["details"]["fields"]
    assert {"date", "time_in", "time_out"} <= set(fields)
    assert _count(db) == 0


def test_verify_by_the_pj_counts_the_hours(client: Any, db: Any) -> None:
    record = factories.make_attendance(factories.make_supervised_placement())
    db.session.commit()  # setup survives the rollback of a refused request
    response = client.post(f"/api/v1/attendance/{record.id}/verify", headers=bearer("pj.dinsos"))
    assert response.status_code == 200
    assert response.get_json()["verified"] is True
    again = client.post(f"/api/v1/attendance/{record.id}/verify", headers=bearer("opd.dinsos"))
    assert again.status_code == 422
    assert again.get_json()["details"]["rules"][0]["code"] == "ALREADY_VERIFIED"


def test_verify_refusals(client: Any, db: Any) -> None:
    record = factories.make_attendance(factories.make_supervised_placement())
    db.session.commit()  # setup survives the rollback of a refused request
    url = f"/api/v1/attendance/{record.id}/verify"
    assert client.post(url).status_code == 401
    assert client.post(url, headers=bearer("pk.madiun")).status_code == 403
    assert client.post(url, headers=bearer("opd.dlh")).status_code == 404
    assert (
        client.post("/api/v1/attendance/999999/verify", headers=bearer("pj.dinsos")).status_code
        == 404
    )
    db.session.refresh(record)
    assert not record.verified
