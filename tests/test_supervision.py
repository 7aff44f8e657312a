"""Supervision: assessments, evaluations due, conduct steps, closure, read-only closed cases."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import select

from portal.attendance.services import AttendanceInput, record_attendance, verify_attendance
from portal.models import AuditLog, Closure
from portal.refusals import Refused
from portal.supervision import rules, services
from tests import factories

ALL_YES = {code: True for code in rules.INDICATORS}


def visit(kind: str = "visit", on: date = date(2026, 5, 29)) -> services.AssessmentInput:
    return services.AssessmentInput(kind, on, dict(ALL_YES, polite=False), "action", "Rajin.")


def test_evaluations_fall_due_at_a_quarter_and_three_quarters() -> None:
    start, deadline = date(2026, 1, 1), date(2026, 5, 1)  # 120 days
    assert rules.evaluation_date(start, deadline, 0.25) == date(2026, 1, 31)
    none = rules.evaluations_due(start, deadline, 6000, 0, date(2026, 1, 30), set())
    assert none == []
    due = rules.evaluations_due(start, deadline, 6000, 0, date(2026, 1, 31), set())
    assert [e.kind for e in due] == ["evaluation_q1"]
    by_hours = rules.evaluations_due(start, deadline, 6000, 4500, date(2026, 1, 10), set())
    assert [e.kind for e in by_hours] == ["evaluation_q1", "evaluation_q3"]
    assert by_hours[1].due_by_hours
    done = rules.evaluations_due(start, deadline, 6000, 4500, date(2026, 4, 20), {"evaluation_q1"})
    assert [e.kind for e in done] == ["evaluation_q3"]


def test_team_deadline_is_seven_days() -> None:
    assert rules.team_deadline(date(2026, 6, 1)) == date(2026, 6, 8)


def test_assessment_scores_indicators_and_each_evaluation_is_made_once(db: Any) -> None:
    client = factories.make_client()
    pk = factories.user("pk.madiun")
    a = services.record_assessment(client, visit("evaluation_q1"), pk)
    assert a.score == 9
    assert a.indicators["polite"] is False
    with pytest.raises(Refused) as refused:
        services.record_assessment(client, visit("evaluation_q1"), pk)
    assert refused.value.violations[0].code == "EVALUATION_DONE"
    with pytest.raises(Refused):
        services.record_assessment(client, visit(on=date(2026, 6, 2)), pk)
    with pytest.raises(Refused):
        services.record_assessment(
            client, services.AssessmentInput("visit", date(2026, 5, 1), {}, "bogus"), pk
        )


def test_the_evaluations_made_read_from_a_page_s_assessments_match_the_query(db: Any) -> None:
    """The supervision page takes the evaluations already made from the assessments it
    lists; the form's check asks the database: both name the same ones."""
    from portal.models import Assessment
    from portal.queries import of_client

    client = factories.make_client()
    pk = factories.user("pk.madiun")
    services.record_assessment(client, visit(), pk)
    services.record_assessment(client, visit("evaluation_q1"), pk)
    listed = of_client(Assessment, client.id, "assessed_on")
    assert len(listed) == 2
    assert services.done_kinds(client, listed) == services.done_kinds(client) == {"evaluation_q1"}


def _violation_to_recommendation(client: Any) -> Any:
    pk, head = factories.user("pk.madiun"), factories.user("kabapas.madiun")
    case = services.record_conduct(
        client,
        "violation",
        date(2026, 5, 20),
        "Tidak hadir tiga kali tanpa alasan sah.",
        pk,
        category="absent_without_reason",
    )
    assert case.category == "absent_without_reason"
    with pytest.raises(Refused) as refused:
        services.record_tpp_session(case, date(2026, 5, 22), "continue", "", pk)
    assert refused.value.violations[0].code == "WRONG_STEP"
    services.propose_team(case, "Rina (PK), Agus (PK), Kasubsi BKD", date(2026, 5, 21), pk)
    assert case.team_deadline == date(2026, 5, 28)
    services.record_examination(
        case, date(2026, 5, 27), "Klien mengakui tidak hadir tanpa alasan.", pk
    )
    services.record_tpp_session(case, date(2026, 5, 29), "recommend_jaksa", "Sepakat.", head)
    services.issue_recommendation(case, "repeat", "", "Kejaksaan Negeri Ngawi", 40, head)
    return case


def test_violation_goes_through_team_tpp_and_recommendation(db: Any) -> None:
    client = factories.make_client()
    case = _violation_to_recommendation(client)
    assert case.status == "recommended"
    assert case.recommendation_hours == 40
    assert case.recommendation_on == date(2026, 6, 1)
    actions = list(
        db.session.scalars(
            select(AuditLog.action)
            .where(AuditLog.object_type == "conduct_case")
            .order_by(AuditLog.id)  # without an order PostgreSQL may return any
        )
    )
    assert actions == [
        "conduct_recorded",
        "conduct_team_proposed",
        "conduct_examined",
        "conduct_tpp_decided",
        "conduct_recommendation_issued",
    ]
    assert case.recommendation_number == "W15.PAS.PAS42-PK.01.05.02-1"


def test_good_conduct_cannot_be_sent_to_the_jaksa(db: Any) -> None:
    client = factories.make_client()
    pk = factories.user("pk.madiun")
    case = services.record_conduct(client, "good_conduct", date(2026, 5, 20), "Membantu warga.", pk)
    services.propose_team(case, "Tim TPP", date(2026, 5, 21), pk)
    services.record_examination(case, date(2026, 5, 22), "Benar membantu warga.", pk)
    with pytest.raises(Refused) as refused:
        services.record_tpp_session(case, date(2026, 5, 23), "recommend_jaksa", "", pk)
    assert "outcome" in refused.value.fields


def _serve_all(placement: Any, hours: int) -> None:
    pj = factories.user("pj.dinsos")
    day = date(2026, 5, 4)
    from datetime import timedelta

    left = hours
    while left > 0:
        if day.weekday() < 5:
            chunk = min(4, left)
            record = record_attendance(
                placement, AttendanceInput(day, time(8), time(8 + chunk), "Menyapu"), pj
            )
            verify_attendance(record, pj)
            left -= chunk
        day += timedelta(days=1)


def test_closing_as_served_needs_every_hour_verified(db: Any) -> None:
    client = factories.make_client(hours_ordered=8)
    placement = factories.make_supervised_placement(client)
    head = factories.user("kabapas.madiun")
    with pytest.raises(Refused) as refused:
        services.close_case(client, "served", date(2026, 6, 1), "Baik sekali.", "", head)
    assert refused.value.violations[0].code == "HOURS_NOT_SERVED"
    _serve_all(placement, 8)
    closure = services.close_case(
        client, "served", date(2026, 6, 1), "Klien menjalani dengan baik.", "", head
    )
    assert closure.register_number == "001/REG.PKS/MDN/2026"
    assert closure.minutes_verified == 480
    assert client.status == "closed"
    assert placement.status == "completed"


def test_register_numbers_follow_each_other_within_a_bapas(db: Any) -> None:
    head = factories.user("kabapas.madiun")
    first = services.close_case(
        factories.make_client(), "died", date(2026, 5, 30), "Meninggal dunia.", "", head
    )
    second = services.close_case(
        factories.make_client(), "died", date(2026, 5, 31), "Meninggal dunia.", "", head
    )
    assert (first.register_seq, second.register_seq) == (1, 2)
    # The surat pengakhiran are numbered from the Bapas's pattern, one after the other.
    assert (first.letter_number, second.letter_number) == (
        "W15.PAS.PAS42-PK.01.05.02-1",
        "W15.PAS.PAS42-PK.01.05.02-2",
    )


def test_sanction_closure_needs_the_recommendation_and_the_jaksa_answer(db: Any) -> None:
    client = factories.make_client(replaced_penalty_kind="prison", replaced_penalty_months=3)
    head = factories.user("kabapas.madiun")
    with pytest.raises(Refused) as refused:
        services.close_case(client, "sanctioned", date(2026, 6, 1), "Dikenai sanksi.", "", head)
    assert refused.value.violations[0].code == "NO_SANCTION"
    case = _violation_to_recommendation(client)
    with pytest.raises(Refused) as refused:
        services.close_case(client, "sanctioned", date(2026, 6, 1), "Dikenai sanksi.", "", head)
    assert refused.value.violations[0].code == "JAKSA_ANSWER_MISSING"
    services.record_jaksa_answer(
        case, "prison", "B-123/M.5.25/Eku.3/06/2026", date(2026, 6, 1), head
    )
    closure = services.close_case(
        client, "sanctioned", date(2026, 6, 1), "Dikenai sanksi.", "", head
    )
    assert closure.conduct_case_id == case.id


def test_a_closed_case_refuses_every_write(db: Any) -> None:
    client = factories.make_client()
    placement = factories.make_supervised_placement(client)
    record = factories.make_attendance(placement)
    pk, pj = factories.user("pk.madiun"), factories.user("pj.dinsos")
    head = factories.user("kabapas.madiun")
    services.close_case(client, "died", date(2026, 6, 1), "Meninggal dunia.", "", head)
    # The placement is ended, but even a working placement of a closed case refuses.
    placement.status = "active"
    attempts = [
        lambda: record_attendance(
            placement, AttendanceInput(date(2026, 5, 29), time(8), time(9)), pj
        ),
        lambda: verify_attendance(record, pj),
        lambda: services.record_assessment(client, visit(), pk),
        lambda: services.record_conduct(
            client, "violation", date(2026, 5, 1), "x" * 20, pk, category="other"
        ),
        lambda: services.close_case(client, "died", date(2026, 6, 1), "Lagi lagi.", "", head),
    ]
    for attempt in attempts:
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.violations[0].code == "CASE_CLOSED"
    assert db.session.scalar(select(Closure).where(Closure.client_id == client.id)) is not None
