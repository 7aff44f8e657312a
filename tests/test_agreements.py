"""Agreement validity rules and pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from portal import clock
from portal.agreements.validity import validity_on
from portal.models import Addendum, Agreement, Bapas

SIGNED = date(2025, 11, 27)
UNTIL = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("today", "state", "days_left", "step"),
    [
        (date(2026, 6, 1), "active", 179, None),
        (date(2026, 9, 28), "expiring", 60, 60),
        (date(2026, 10, 28), "expiring", 30, 30),
        (date(2026, 11, 20), "expiring", 7, 7),
        (date(2026, 11, 27), "expiring", 0, 7),
        (date(2026, 11, 28), "expired", 0, None),
    ],
)
def test_validity_states(today: date, state: str, days_left: int, step: int | None) -> None:
    v = validity_on("active", SIGNED, UNTIL, today)
    assert (v.state, v.days_left, v.warning_step) == (state, days_left, step)


def test_draft_is_draft_whatever_the_dates() -> None:
    assert validity_on("draft", None, None, date(2026, 6, 1)).state == "draft"
    assert validity_on("active", date(2027, 1, 1), None, date(2026, 6, 1)).state == "draft"


def _ngawi(db: Any) -> Agreement:
    madiun = db.session.scalar(select(Bapas).where(Bapas.code == "MDN"))
    return db.session.scalar(select(Agreement).where(Agreement.bapas_id == madiun.id))


def test_agreement_page_shows_numbers_workplan_and_warning(
    client: Any, db: Any, login_as: Any
) -> None:
    clock.freeze(date(2026, 11, 23))
    login_as("setda.ngawi")
    page = client.get(f"/kesepakatan/{_ngawi(db).id}").text
    assert "WP.15.PAS.42.HK.01.02-1671" in page
    assert "400.9.4.3/11.05/NK/404.101.1/2025" in page
    assert "27 November 2025" in page
    assert "Segera berakhir" in page
    assert "4 hari" in page
    assert page.count("<tr>") - page.count("<thead><tr>") == 12
    for stage in (
        "Perencanaan",
        "Persiapan",
        "Pelaksanaan",
        "Monitoring dan Evaluasi",
        "Pengakhiran",
    ):
        assert stage in page


def test_expired_agreement_is_shown_red(client: Any, db: Any, login_as: Any) -> None:
    clock.freeze(date(2026, 12, 1))
    login_as("kabapas.madiun")
    page = client.get("/beranda").text
    assert "alert-danger" in page
    assert "Kesepakatan telah berakhir" in page


def test_addendum_extends_validity(client: Any, db: Any, login_as: Any) -> None:
    agreement = _ngawi(db)
    db.session.add(
        Addendum(
            agreement=agreement,
            number="ADD/1/2026",
            signed_on=date(2026, 11, 1),
            new_valid_until=date(2027, 11, 27),
        )
    )
    db.session.flush()
    clock.freeze(date(2026, 12, 1))
    login_as("setda.ngawi")
    page = client.get(f"/kesepakatan/{agreement.id}").text
    assert "27 November 2027" in page
    assert "Berlaku" in page
    assert "ADD/1/2026" in page


def test_agreement_list_shows_only_own_agreements(client: Any, login_as: Any) -> None:
    login_as("pk.madiun")
    page = client.get("/kesepakatan/").text
    assert "Pemkab Ngawi" in page
    assert "Trenggalek" not in page
