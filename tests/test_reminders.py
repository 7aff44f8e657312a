"""Reminders page and the navbar count, per role."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from portal.reminders.services import reminders_for
from portal.supervision import services
from tests import factories


@pytest.fixture(autouse=True)
def _request(app: Any) -> Any:
    """Reminders carry links (url_for), so they are built inside a request."""
    with app.test_request_context():
        yield


def kinds(username: str) -> list[str]:
    return [r.kind for r in reminders_for(factories.user(username))]


def test_pj_and_opd_admin_are_reminded_of_attendance_to_verify(db: Any) -> None:
    placement = factories.make_supervised_placement()
    factories.make_attendance(placement)
    assert kinds("pj.dinsos") == ["verify"]
    assert kinds("opd.dinsos") == ["verify"]
    assert kinds("opd.dlh") == []


def test_opd_admin_is_reminded_of_bookings_to_answer(db: Any) -> None:
    factories.make_supervised_placement(status="booked")
    assert kinds("opd.dinsos") == ["booking"]
    assert kinds("pj.dinsos") == []


def test_pk_is_reminded_of_evaluation_pace_and_team_deadline(db: Any) -> None:
    # Started 4 May, deadline 8 June: a quarter has passed; 120 h cannot fit in 6 days.
    person = factories.make_client(start_date=date(2026, 5, 4), deadline=date(2026, 6, 8))
    factories.make_supervised_placement(person)
    pk = factories.user("pk.madiun")
    case = services.record_conduct(
        person,
        "violation",
        date(2026, 5, 25),
        "Mangkir dua hari.",
        pk,
        category="absent_without_reason",
    )
    services.propose_team(case, "Tim PK", date(2026, 5, 26), pk)  # deadline 2 June
    found = kinds("pk.madiun")
    assert "evaluation" in found
    assert "pace" in found
    assert "team" in found
    assert kinds("pk2.madiun") == []  # not his client


def test_head_is_reminded_of_a_recommendation_to_sign(db: Any) -> None:
    person = factories.make_client()
    pk, head = factories.user("pk.madiun"), factories.user("kabapas.madiun")
    case = services.record_conduct(
        person,
        "violation",
        date(2026, 5, 20),
        "Mangkir tiga hari.",
        pk,
        category="absent_without_reason",
    )
    services.propose_team(case, "Tim PK", date(2026, 5, 21), pk)
    services.record_examination(case, date(2026, 5, 22), "Terbukti mangkir.", pk)
    services.record_tpp_session(case, date(2026, 5, 23), "recommend_jaksa", "", head)
    assert "recommendation" in kinds("kabapas.madiun")
    assert "recommendation" not in kinds("pk.madiun")


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("pj.dinsos", 200),
        ("opd.dinsos", 200),
        ("pk.madiun", 200),
        ("kabapas.madiun", 200),
        ("setda.ngawi", 403),
        ("admin", 403),
    ],
)
def test_reminders_page_by_role(client: Any, login_as: Any, username: str, status: int) -> None:
    login_as(username)
    assert client.get("/pengingat/").status_code == status


def test_navbar_badge_counts_what_waits(client: Any, db: Any, login_as: Any) -> None:
    placement = factories.make_supervised_placement()
    for d in (4, 5, 6):
        factories.make_attendance(placement, work_date=date(2026, 5, d))
    login_as("pj.dinsos")
    page = client.get("/beranda").get_data(as_text=True)
    assert 'data-reminders="3"' in page
    listing = client.get("/pengingat/").get_data(as_text=True)
    assert listing.count("Verifikasi kehadiran") == 3
    assert placement.client.full_name not in listing
    login_as("setda.ngawi")
    assert "data-reminders" not in client.get("/beranda").get_data(as_text=True)


def test_served_sentence_prompts_the_closure(db: Any) -> None:
    person = factories.make_client(hours_ordered=4)
    placement = factories.make_supervised_placement(person)
    factories.make_attendance(placement, verified=True)
    assert "closure" in kinds("pk.madiun")


def test_dashboards_show_todays_work_and_what_needs_attention(
    client: Any, db: Any, login_as: Any
) -> None:
    placement = factories.make_supervised_placement()
    factories.make_attendance(placement, work_date=date(2026, 5, 29))
    login_as("pj.dinsos")
    page = client.get("/beranda").get_data(as_text=True)
    assert "Kehadiran hari ini" in page
    assert "klien terjadwal" in page
    assert "Catat dan verifikasi" in page
    login_as("pk.madiun")
    page = client.get("/beranda").get_data(as_text=True)
    assert "Perlu perhatian" in page
