"""Agreement validity rules and pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from portal import clock
from portal.agreements.validity import validity_on
from portal.models import Addendum, Agreement, Bapas
from tests import factories

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


# --- urgency: what the dashboard's validity widget lists first ----------------

from portal.agreements.validity import urgency  # noqa: E402


def test_agreements_are_ranked_ended_then_warning_then_draft_then_in_force() -> None:
    today = date(2026, 6, 1)
    states = {
        "in force, far": validity_on("active", SIGNED, date(2027, 3, 1), today),
        "no end": validity_on("active", SIGNED, None, today),
        "ended long ago": validity_on("active", SIGNED, date(2026, 1, 1), today),
        "warning, 40 days": validity_on("active", SIGNED, date(2026, 7, 11), today),
        "draft": validity_on("draft", None, None, today),
        "ended yesterday": validity_on("active", SIGNED, date(2026, 5, 31), today),
        "warning, 5 days": validity_on("active", SIGNED, date(2026, 6, 6), today),
        "in force, nearer": validity_on("active", SIGNED, date(2026, 9, 1), today),
    }
    ranked = sorted(states, key=lambda name: urgency(states[name]))
    assert ranked == [
        "ended yesterday",
        "ended long ago",
        "warning, 5 days",
        "warning, 40 days",
        "draft",
        "in force, nearer",
        "in force, far",
        "no end",
    ]


def _more_agreements(db: Any, ends: list[date]) -> list[Agreement]:
    made = [factories.make_agreement_with(f"Urgen {n}", end) for n, end in enumerate(ends)]
    db.session.commit()
    return made


def test_the_dashboard_lists_the_most_urgent_agreements_and_links_to_the_rest(
    client: Any, db: Any, login_as: Any
) -> None:
    clock.freeze(date(2026, 6, 1))
    # Two ended, two in their warning period, four in force far from their end, with the
    # demo's own agreements (in force to 27-11-2026): ten in all.
    _more_agreements(
        db,
        [date(2027, 5, 1), date(2026, 5, 20), date(2027, 5, 2), date(2026, 6, 10),
         date(2027, 5, 3), date(2026, 4, 1), date(2026, 7, 1), date(2027, 5, 4)],
    )  # fmt: skip
    login_as("admin")
    page = client.get("/beranda").text
    widget = page[page.index("Masa berlaku kesepakatan") :]
    widget = widget[: widget.index("</ul>")]
    # ended (the latest first), then warning (fewest days left first), then the demo's
    # draft with Trenggalek; none of those in force
    assert widget.count('<li class="list-group-item') == 5
    assert widget.index("Urgen 1") < widget.index("Urgen 5") < widget.index("Urgen 3")
    assert widget.index("Urgen 3") < widget.index("Urgen 6") < widget.index("Trenggalek")
    assert not any(f"Urgen {n}" in widget for n in (0, 2, 4, 7))
    assert "Ngawi" not in widget
    assert "5 paling mendesak dari 10 kesepakatan" in page
    assert 'href="/kesepakatan/">Lihat semua 10 kesepakatan</a>' in page
    # each state's count leads to the list of those agreements
    assert 'href="/kesepakatan/?keadaan=expired">Berakhir: 2</a>' in page
    assert 'href="/kesepakatan/?keadaan=expiring">Segera berakhir: 2</a>' in page
    ended = client.get("/kesepakatan/?keadaan=expired").text
    assert "Urgen 1" in ended
    assert "Urgen 5" in ended
    assert "Urgen 3" not in ended
    assert "Urgen 0" not in ended
    assert "Berakhir (2)" in ended
    assert "Semua (10)" in ended


def test_an_unknown_state_in_the_agreement_list_shows_them_all(
    client: Any, db: Any, login_as: Any
) -> None:
    clock.freeze(date(2026, 6, 1))
    _more_agreements(db, [date(2026, 5, 20)])
    login_as("admin")
    page = client.get("/kesepakatan/?keadaan=<script>").text
    assert "Urgen 0" in page
    assert "Pemkab Ngawi" in page
    assert "Semua (3)" in page


def test_the_dashboard_lists_the_rencana_kerja_furthest_behind_first(
    client: Any, db: Any, login_as: Any
) -> None:
    from portal.models import WorkplanActivity

    clock.freeze(date(2026, 6, 1))
    made = _more_agreements(db, [date(2027, 5, 1)] * 6)
    for n, agreement in enumerate(made):
        # each has one activity still to come; the fourth also two that are overdue
        periods = [(date(2026, 9, 1), date(2026, 10, 31))]
        if n == 3:
            periods += [(date(2026, 1, 5), date(2026, 3, 31))] * 2
        for seq, (start, end) in enumerate(periods, 1):
            agreement.activities.append(
                WorkplanActivity(
                    seq=seq, stage=1, stage_name="Perencanaan", activity=f"Kegiatan {seq}",
                    responsible="Bapas", responsible_party="bapas", output="Berita acara",
                    period_start=start, period_end=end,
                )
            )  # fmt: skip
    db.session.commit()
    login_as("admin")
    page = client.get("/beranda").text
    widget = page[page.index('<i class="bi bi-kanban') :]
    widget = widget[: widget.index("</ul>")]
    assert widget.count('<li class="list-group-item') == 5
    rows = widget.split("<li")[1:]
    # the demo's Rencana Kerja with Ngawi (12 activities behind on 1 June) and Trenggalek
    # (6), then the fourth new one, whose two overdue activities have not started, then
    # two of those with nothing behind
    assert "Ngawi" in rows[0]
    assert "Trenggalek" in rows[1]
    assert "Urgen 3" in rows[2]
    assert "Belum dimulai</span>: 2" in rows[2]
    assert "Urgen" in rows[3]
    assert "Belum dimulai" not in rows[3] + rows[4]
    assert "5 Rencana Kerja dengan kegiatan paling tertinggal dari" in page


def test_a_dashboard_warns_of_the_five_most_urgent_agreements_and_counts_the_rest(
    client: Any, db: Any, login_as: Any
) -> None:
    clock.freeze(date(2026, 6, 1))
    # seven ended or ending, with the demo's two (in force, and a draft): nine in all
    _more_agreements(
        db, [date(2026, 5, n) for n in range(1, 5)] + [date(2026, 6, n) for n in (5, 9, 20)]
    )
    login_as("admin")
    page = client.get("/beranda").text
    warnings = page.count("Kesepakatan telah berakhir</strong>") + page.count(
        "Kesepakatan segera berakhir</strong>"
    )
    assert warnings == 5
    # the four ended ones first, the latest end first, then the nearest end to come
    alerts = page[page.index('role="alert"') : page.index("Dan 2 kesepakatan lain")]
    order = [alerts.index(f"Urgen {n}.") for n in (3, 2, 1, 0)] + [alerts.index("Urgen 4 ")]
    assert order == sorted(order)
    assert "Urgen 5" not in alerts
    assert "Urgen 6" not in alerts
    assert "Dan 2 kesepakatan lain yang segera berakhir atau telah berakhir." in page
    yours = page[page.index("Kesepakatan Anda") :]
    assert yours.count('<li class="list-group-item') == 5
    assert "Lihat semua 9 kesepakatan" in yours
    # an OPD of Ngawi is party to one of them, shown with no link to more
    login_as("opd.dinsos")
    page = client.get("/beranda").text
    assert "Lihat semua" not in page[page.index("Kesepakatan Anda") :]
