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
            status="in_force",  # agreed by both parties
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


# --- recording agreements (admin) --------------------------------------------

from portal.agreements.rules import AgreementInput, check_agreement, one_year_after  # noqa: E402


def test_one_year_after_signing() -> None:
    assert one_year_after(date(2025, 11, 27)) == date(2026, 11, 27)
    assert one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)


def test_a_signed_agreement_needs_numbers_and_dates() -> None:
    errors = check_agreement(AgreementInput("active", "", " ", None, None))
    assert set(errors) == {"number_bapas", "number_pemda", "signed_on", "valid_until"}
    assert check_agreement(AgreementInput("draft", "", "", None, None)) == {}
    backwards = AgreementInput("active", "A", "B", date(2026, 5, 1), date(2026, 4, 1))
    assert "sesudah" in check_agreement(backwards)["valid_until"]


def _kediri(db: Any) -> Agreement:
    return _agreement_of(db, "KDR")


def _agreement_of(db: Any, code: str) -> Agreement:
    bapas = db.session.scalar(select(Bapas).where(Bapas.code == code))
    return db.session.scalar(select(Agreement).where(Agreement.bapas_id == bapas.id))


def _form(agreement: Agreement, **overrides: Any) -> dict[str, Any]:
    data = {
        "bapas_id": agreement.bapas_id,
        "pemda_id": agreement.pemda_id,
        "title": agreement.title,
        "status": "active",
        "number_bapas": "WP.15.PAS.99.HK.01.02-0001",
        "number_pemda": "400.9.4.3/1/NK/406.001/2026",
        "signed_on": "2026-05-04",
        "valid_until": "",
        "signatory_bapas": "Kepala Bapas Kediri",
        "signatory_pemda": "Bupati Trenggalek",
    }
    data.update(overrides)
    return data


def test_admin_records_the_signing_of_a_draft(client: Any, db: Any, login_as: Any) -> None:
    draft = _kediri(db)
    login_as("admin")
    response = client.post(f"/kesepakatan/{draft.id}/ubah", data=_form(draft))
    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.status == "active"
    assert draft.signed_on == date(2026, 5, 4)
    assert draft.valid_until == date(2027, 5, 4)  # one year by default
    page = client.get(f"/kesepakatan/{draft.id}").text
    assert "WP.15.PAS.99.HK.01.02-0001" in page


def test_signing_without_numbers_is_refused_and_nothing_changes(
    client: Any, db: Any, login_as: Any
) -> None:
    draft = _kediri(db)
    login_as("admin")
    response = client.post(
        f"/kesepakatan/{draft.id}/ubah", data=_form(draft, number_bapas="", signed_on="")
    )
    assert response.status_code == 200
    assert "wajib bernomor" in response.text
    assert "Tanggal penandatanganan wajib diisi" in response.text
    db.session.refresh(draft)
    assert draft.status == "draft"


def test_one_agreement_per_pair(client: Any, db: Any, login_as: Any) -> None:
    ngawi = _agreement_of(db, "MDN")
    login_as("admin")
    count = db.session.scalar(select(db.func.count()).select_from(Agreement))
    response = client.post("/kesepakatan/baru", data=_form(ngawi, title="Duplikat"))
    assert "sudah memiliki kesepakatan" in response.text
    assert db.session.scalar(select(db.func.count()).select_from(Agreement)) == count


@pytest.mark.parametrize("username", ["setda.ngawi", "kabapas.madiun", "pk.madiun", "opd.dinsos"])
def test_only_admin_records_agreements(client: Any, db: Any, login_as: Any, username: str) -> None:
    login_as(username)
    ngawi = _agreement_of(db, "MDN")
    assert client.get("/kesepakatan/baru").status_code == 403
    assert client.post(f"/kesepakatan/{ngawi.id}/ubah", data=_form(ngawi)).status_code == 403
