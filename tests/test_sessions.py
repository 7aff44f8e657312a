"""Work sessions: planned from an accepted placement, outcomes on the attendance rules,
absences on the conduct record and the PK's reminders without anyone typing a violation."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from portal import clock
from portal.models import Agreement, Attendance, AuditLog, ConductCase, Opd, Placement
from portal.models.work_session import WorkSession
from portal.sessions import rules
from portal.sessions.services import (
    OutcomeInput,
    generate_many,
    generate_sessions,
    record_outcome,
)
from tests import factories as f
from tests.factories import bearer

MONDAY = date(2026, 6, 1)  # the frozen today


# --- the plan, as plain functions ----------------------------------------------


MORNINGS = [rules.Window(d, 8 * 60, 12 * 60) for d in range(5)]


def test_plan_never_exceeds_what_is_owed_and_shortens_the_last_session() -> None:
    plan = rules.plan_sessions(MORNINGS, MONDAY, date(2026, 12, 31), 10 * 60)
    assert [p.minutes for p in plan] == [240, 240, 120]
    assert plan[-1].end == time(10, 0)
    assert [p.day.weekday() for p in plan] == [0, 1, 2]


def test_plan_keeps_eight_hours_a_day_across_placements_and_skips_taken_days() -> None:
    long_days = [rules.Window(d, 7 * 60, 13 * 60) for d in range(5)]  # six hours
    busy = {MONDAY: 300, MONDAY + timedelta(days=1): 480}
    plan = rules.plan_sessions(
        long_days, MONDAY, MONDAY + timedelta(days=4), 100 * 60, busy, {MONDAY + timedelta(2)}
    )
    assert [(p.day, p.minutes) for p in plan] == [
        (MONDAY, 180),  # 5 h elsewhere: 3 h left that day
        (MONDAY + timedelta(days=3), 360),
        (MONDAY + timedelta(days=4), 360),
    ]


def test_plan_stops_at_the_last_day_and_nothing_without_windows() -> None:
    assert rules.plan_sessions([], MONDAY, date(2026, 12, 31), 600) == []
    plan = rules.plan_sessions(MORNINGS, MONDAY, MONDAY + timedelta(days=1), 100 * 60)
    assert len(plan) == 2


def test_a_session_is_overdue_once_its_next_working_day_has_come() -> None:
    friday, saturday, monday = date(2026, 6, 5), date(2026, 6, 6), date(2026, 6, 8)
    assert rules.overdue_until(saturday) == date(2026, 6, 4)  # Friday's may wait for Monday
    assert rules.overdue_until(monday) == date(2026, 6, 7)
    assert rules.overdue_until(date(2026, 6, 9)) == monday
    assert rules.overdue_until(monday) >= friday


def test_sent_home_counts_only_for_the_clients_conduct() -> None:
    assert rules.counts_toward_case(rules.UNACCEPTABLE_ABSENCE, None)
    assert rules.counts_toward_case(rules.SENT_HOME, True)
    assert not rules.counts_toward_case(rules.SENT_HOME, False)
    assert not rules.counts_toward_case(rules.ACCEPTABLE_ABSENCE, None)
    assert rules.opens_case(1, 1)
    assert not rules.opens_case(1, 2)


# --- a booked, accepted placement shows its sessions ------------------------------


def _accepted_via_api(client: Any) -> Placement:
    slot = f.make_slot("NGAWI-DINSOS", supervisor_user_id=f.user("pj.dinsos").id)
    placement = f.make_placement(f.make_client(), slot, status="booked")
    f.db.session.commit()
    answer = client.post(
        f"/api/v1/placements/{placement.id}/decision",
        json={"accept": True},
        headers=bearer("opd.dinsos"),
    )
    assert answer.status_code == 200, answer.get_json()
    return placement


def test_accepted_booking_shows_its_sessions_to_pk_opd_and_pj(client: Any, db: Any) -> None:
    placement = _accepted_via_api(client)
    for who in ("pk.madiun", "opd.dinsos", "pj.dinsos", "kabapas.madiun"):
        answer = client.get(f"/api/v1/placements/{placement.id}/sessions", headers=bearer(who))
        assert answer.status_code == 200, who
    sessions = answer.get_json()
    # 120 hours in four-hour mornings: 30 weekdays from today.
    assert len(sessions) == 30
    assert sessions[0] == {
        "id": sessions[0]["id"],
        "placement_id": placement.id,
        "date": "2026-06-01",
        "start": "08:00",
        "end": "12:00",
        "status": "planned",
        "outcome": None,
        "minutes_credited": 0,
        "reason": "",
        "reason_code": "",
        "makeup": False,
        "distance_m": None,
    }
    assert all(date.fromisoformat(s["date"]).weekday() < 5 for s in sessions)
    week = client.get(
        f"/api/v1/placements/{placement.id}/sessions?from=2026-06-01&to=2026-06-07",
        headers=bearer("pj.dinsos"),
    ).get_json()
    assert [s["date"] for s in week] == [f"2026-06-0{d}" for d in range(1, 6)]
    assert (
        client.get(
            f"/api/v1/placements/{placement.id}/sessions", headers=bearer("setda.ngawi")
        ).status_code
        == 403
    )
    bad = client.get(
        f"/api/v1/placements/{placement.id}/sessions?from=kemarin", headers=bearer("pk.madiun")
    )
    assert bad.status_code == 422


def test_other_organisations_do_not_see_sessions(client: Any, db: Any) -> None:
    tr_opd = f.db.session.scalar(select(Opd).where(Opd.code.like("TRENGGALEK-%")).limit(1))
    other = f.db.session.scalar(select(Agreement).where(Agreement.pemda_id == tr_opd.pemda_id))
    slot = f.make_slot("NGAWI-DINSOS", opd_id=tr_opd.id, agreement_id=other.id)
    placement = f.make_placement(f.make_client("KDR", pk=None), slot)
    generate_sessions(placement)
    f.db.session.commit()
    for who in ("pk.madiun", "opd.dinsos", "pj.dinsos"):
        answer = client.get(f"/api/v1/placements/{placement.id}/sessions", headers=bearer(who))
        assert answer.status_code == 404, who


def _sessions(placement: Placement) -> list[WorkSession]:
    return list(
        f.db.session.scalars(
            select(WorkSession)
            .where(WorkSession.placement_id == placement.id)
            .order_by(WorkSession.session_date)
        )
    )


def test_second_placement_keeps_eight_hours_a_day_and_the_hours_owed(db: Any) -> None:
    person = f.make_client(hours_ordered=12)
    first = f.make_placement(person)
    generate_sessions(first)
    afternoons = [{"weekday": d, "start": "12:00", "end": "18:00"} for d in range(5)]
    second = f.make_placement(person, f.make_slot(), schedule=afternoons)
    generate_sessions(second)
    # 12 h owed: the mornings plan 3 × 4 h; nothing is left for the afternoons.
    assert [s.minutes for s in _sessions(first)] == [240, 240, 240]
    assert _sessions(second) == []


def _plans(placements: list[Placement]) -> set[tuple[int, date, time, time, int, bool]]:
    return {
        (s.placement_id, s.session_date, s.start, s.end, s.minutes, s.makeup)
        for p in placements
        for s in _sessions(p)
    }


def test_a_batch_plans_as_one_placement_after_the_other(db: Any) -> None:
    person = f.make_client(hours_ordered=60)
    # The mornings end after a week; the long days take the rest, 8 hours a day at most.
    mornings = f.make_placement(person, deadline=MONDAY + timedelta(days=4))
    long_days = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)]
    days = f.make_placement(person, f.make_slot(), schedule=long_days)
    other = f.make_placement(f.make_client(hours_ordered=16))
    batch = [mornings, days, other]

    results = generate_many(batch)
    planned = _plans(batch)
    per_day: dict[date, int] = {}
    for p in (mornings, days):
        for s in _sessions(p):
            per_day[s.session_date] = per_day.get(s.session_date, 0) + s.minutes
    assert per_day[MONDAY] == 8 * 60  # 4 h of mornings + 4 h of the long day
    assert max(per_day.values()) <= 8 * 60
    assert sum(per_day.values()) == 60 * 60  # never more than owed
    assert sum(s.minutes for s in _sessions(other)) == 16 * 60
    assert {r.created for r in results.values()} != {0}
    # Planned again, nothing changes.
    again = generate_many(batch)
    assert all((r.created, r.removed) == (0, 0) for r in again.values())

    # The same plans as one placement after the other.
    for p in batch:
        f.db.session.execute(delete(WorkSession).where(WorkSession.placement_id == p.id))
    for p in batch:
        generate_sessions(p)
    assert _plans(batch) == planned


# --- outcomes --------------------------------------------------------------------


def _supervised() -> tuple[Placement, list[WorkSession]]:
    placement = f.make_supervised_placement()
    generate_sessions(placement)
    f.db.session.commit()
    return placement, _sessions(placement)


def test_attended_outcome_is_an_attendance_record_counted_after_verification(
    client: Any, db: Any
) -> None:
    placement, sessions = _supervised()
    today = sessions[0]
    answer = client.post(
        f"/api/v1/sessions/{today.id}/outcome",
        json={"outcome": "attended", "time_in": "08:00", "time_out": "12:00", "activity": "Sapu"},
        headers=bearer("pj.dinsos"),
    )
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["status"], body["outcome"], body["minutes_credited"]) == (
        "recorded",
        "attended",
        0,
    )
    record = f.db.session.scalar(select(Attendance).where(Attendance.placement_id == placement.id))
    assert (record.work_date, record.minutes, record.verified) == (MONDAY, 240, False)
    verified = client.post(f"/api/v1/attendance/{record.id}/verify", headers=bearer("pj.dinsos"))
    assert verified.status_code == 200
    listed = client.get(
        f"/api/v1/placements/{placement.id}/sessions?to=2026-06-01", headers=bearer("pk.madiun")
    ).get_json()
    assert (listed[0]["status"], listed[0]["minutes_credited"]) == ("verified", 240)


def test_attended_hours_follow_the_attendance_rules(client: Any, db: Any) -> None:
    placement, sessions = _supervised()
    other = f.make_placement(placement.client, f.make_slot(), status="active")
    f.make_attendance(other, work_date=MONDAY, time_in=time(13, 0), time_out=time(18, 0))
    f.db.session.commit()
    answer = client.post(
        f"/api/v1/sessions/{sessions[0].id}/outcome",
        json={"outcome": "attended", "time_in": "08:00", "time_out": "12:00"},
        headers=bearer("pj.dinsos"),
    )
    assert answer.status_code == 422
    assert [r["code"] for r in answer.get_json()["details"]["rules"]] == ["DAILY_HOURS_EXCEEDED"]
    assert f.db.session.get(WorkSession, sessions[0].id).outcome is None
    future = client.post(
        f"/api/v1/sessions/{sessions[1].id}/outcome",
        json={"outcome": "unacceptable_absence"},
        headers=bearer("pj.dinsos"),
    )
    assert future.status_code == 422
    assert future.get_json()["details"]["rules"][0]["code"] == "FUTURE_SESSION"
    missing = client.post(
        f"/api/v1/sessions/{sessions[0].id}/outcome",
        json={"outcome": "acceptable_absence"},
        headers=bearer("pj.dinsos"),
    )
    assert missing.status_code == 422
    assert "reason_code" in missing.get_json()["details"]["fields"]


def test_each_outcome_arrives_once_and_a_second_one_is_a_conflict(client: Any, db: Any) -> None:
    _, sessions = _supervised()
    url = f"/api/v1/sessions/{sessions[0].id}/outcome"
    body = {"outcome": "attended", "time_in": "08:00", "time_out": "12:00"}
    headers = {**bearer("pj.dinsos"), "Idempotency-Key": "hp-1-abc"}
    first = client.post(url, json=body, headers=headers)
    again = client.post(url, json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.get_json() == first.get_json()
    count = f.db.session.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.work_date == MONDAY)
    )
    assert count == 1
    other = client.post(url, json={"outcome": "unacceptable_absence"}, headers=bearer("opd.dinsos"))
    assert other.status_code == 409
    assert other.get_json()["details"]["session"]["outcome"] == "attended"


def test_outcome_roles(client: Any, db: Any) -> None:
    _, sessions = _supervised()
    url = f"/api/v1/sessions/{sessions[0].id}/outcome"
    for who, status in (("kabapas.madiun", 403), ("setda.ngawi", 403), ("opd.dlh", 404)):
        answer = client.post(url, json={"outcome": "unacceptable_absence"}, headers=bearer(who))
        assert answer.status_code == status, who
    pk = client.post(
        url,
        json={"outcome": "acceptable_absence", "reason_code": "sick", "reason": "Surat dokter"},
        headers=bearer("pk.madiun"),
    )
    assert pk.status_code == 200
    assert pk.get_json()["reason_code"] == "sick"


# --- enforcement from the records ---------------------------------------------------


def test_unacceptable_absence_opens_a_violation_and_reminds_the_pk(
    client: Any, db: Any, login_as: Any
) -> None:
    placement, sessions = _supervised()
    last_before = sessions[-1].session_date
    answer = client.post(
        f"/api/v1/sessions/{sessions[0].id}/outcome",
        json={"outcome": "unacceptable_absence", "reason": "Tidak datang tanpa kabar"},
        headers=bearer("pj.dinsos"),
    )
    assert answer.status_code == 200
    conduct = client.get(
        f"/api/v1/clients/{placement.client_id}/conduct", headers=bearer("pk.madiun")
    )
    assert conduct.status_code == 200
    [record] = conduct.get_json()
    assert (record["category"], record["date"], record["status"]) == (
        "absence",
        "2026-06-01",
        "recorded",
    )
    assert (
        client.get(
            f"/api/v1/clients/{placement.client_id}/conduct", headers=bearer("pj.dinsos")
        ).status_code
        == 403
    )
    # The hours are still owed: a make-up session follows the old last one.
    after = _sessions(placement)
    assert after[-1].session_date > last_before
    assert after[-1].makeup
    told = f.db.session.scalar(select(AuditLog).where(AuditLog.action == "session_missed"))
    assert told is not None
    login_as("pk.madiun")
    page = client.get("/pengingat/").get_data(as_text=True)
    assert "Usulkan tim pemeriksa" in page
    assert "paling lambat 08-06-2026" in page
    clock.freeze(date(2026, 6, 9))
    page = client.get("/pengingat/").get_data(as_text=True)
    assert "(terlambat)" in page


def test_bapas_threshold_two_absences_open_one_case(client: Any, db: Any) -> None:
    placement, sessions = _supervised()
    placement.client.bapas.absences_for_case = 2
    clock.freeze(date(2026, 6, 2))
    user = f.user("pj.dinsos")
    record_outcome(sessions[0], OutcomeInput("unacceptable_absence"), user)
    assert f.db.session.scalar(select(func.count()).select_from(ConductCase)) == 0
    record_outcome(sessions[1], OutcomeInput("sent_home", reason="Mabuk", client_fault=True), user)
    [case] = f.db.session.scalars(select(ConductCase)).all()
    assert case.category == "absence"
    assert "01-06-2026" in case.description
    assert "02-06-2026" in case.description
    assert {s.conduct_case_id for s in sessions[:2]} == {case.id}


def test_sent_home_not_the_clients_fault_opens_nothing(db: Any) -> None:
    _, sessions = _supervised()
    record_outcome(
        sessions[0],
        OutcomeInput("sent_home", reason="Listrik padam", client_fault=False),
        f.user("pj.dinsos"),
    )
    assert f.db.session.scalar(select(func.count()).select_from(ConductCase)) == 0


def test_undo_within_the_day_takes_the_violation_back(client: Any, db: Any) -> None:
    from portal.sessions.services import undo_outcome

    placement, sessions = _supervised()
    user = f.user("pj.dinsos")
    record_outcome(sessions[0], OutcomeInput("unacceptable_absence"), user)
    count_with_makeup = len(_sessions(placement))
    undo_outcome(sessions[0], user)
    assert sessions[0].outcome is None
    assert f.db.session.scalar(select(func.count()).select_from(ConductCase)) == 0
    assert len(_sessions(placement)) == count_with_makeup - 1
    record_outcome(sessions[0], OutcomeInput("attended", time(8), time(12)), user)
    clock.freeze(date(2026, 6, 2))
    with pytest.raises(Exception, match="hari yang sama"):
        undo_outcome(sessions[0], user)


def test_ending_a_placement_cancels_the_future_never_the_past(client: Any, db: Any) -> None:
    from portal.placements.services import change_status

    placement, sessions = _supervised()
    clock.freeze(date(2026, 6, 3))
    change_status(placement, "ended", "Pindah domisili", f.user("pk.madiun"))
    after = _sessions(placement)
    past = [s for s in after if s.session_date <= date(2026, 6, 3)]
    future = [s for s in after if s.session_date > date(2026, 6, 3)]
    assert {s.status for s in past} == {"planned"}
    assert len(past) == 3
    assert {s.status for s in future} == {"cancelled"}


def test_gps_distance_is_stored_as_evidence_and_never_blocks(client: Any, db: Any) -> None:
    placement, sessions = _supervised()
    slot = placement.slot
    far = client.post(
        f"/api/v1/sessions/{sessions[0].id}/outcome",
        json={"outcome": "unacceptable_absence", "lat": slot.lat + 0.01, "lng": slot.lng},
        headers=bearer("pj.dinsos"),
    )
    assert far.status_code == 200
    assert 1000 < far.get_json()["distance_m"] < 1200  # 0.01° of latitude is about 1.1 km
    clock.freeze(date(2026, 6, 2))
    none = client.post(
        f"/api/v1/sessions/{sessions[1].id}/outcome",
        json={"outcome": "attended", "time_in": "08:00", "time_out": "12:00"},
        headers=bearer("pj.dinsos"),
    )
    assert none.status_code == 200
    assert none.get_json()["distance_m"] is None


def test_attendance_recorded_on_the_attendance_page_fills_the_days_session(
    client: Any, db: Any, login_as: Any
) -> None:
    placement, sessions = _supervised()
    login_as("pj.dinsos")
    answer = client.post(
        f"/kehadiran/penempatan/{placement.id}/hadir",
        data={"time_in": "08:00", "time_out": "12:00"},
    )
    assert answer.status_code == 302
    f.db.session.refresh(sessions[0])
    assert sessions[0].outcome == "attended"
    assert sessions[0].attendance.work_date == MONDAY
    assert f.db.session.scalar(select(func.count()).select_from(Attendance)) == 1
