"""The sentence: child by age at the offence (UU SPPA Pasal 20), the penalty the work
replaced (KUHP Pasal 85(7)), no closure over an open case, the team's 7-day deadline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from portal.clients.services import register_client
from portal.clients.validation import ClientData, validate_client
from portal.models import Client, Closure
from portal.refusals import Refused
from portal.supervision import rules, services
from tests import factories
from tests.pdftools import pdf_page_png, pdf_words
from tests.test_clients import form as client_form
from tests.test_supervision import _serve_all

TODAY = date(2026, 6, 1)
MORNINGS = [{"weekday": d, "start": "08:00", "end": "12:00"} for d in range(5)]


def data(**changes: Any) -> ClientData:
    values: dict[str, Any] = {
        "full_name": "Dimas Fiktif",
        "birth_date": date(2008, 3, 1),
        "sex": "L",
        "address": "Desa Fiktif, Ngawi",
        "home_lat": -7.39,
        "home_lng": 111.46,
        "decision_number": "3/Pid.Sus-Anak/2026/PN Ngw",
        "decision_date": date(2026, 5, 20),  # 18 years old
        "court": "Pengadilan Negeri Ngawi",
        "hours_ordered": 100,
        "start_date": date(2026, 6, 1),
        "deadline": date(2026, 11, 30),
        "offence": "Pencurian ringan",
        "available": MORNINGS,
    }
    values.update(changes)
    return ClientData(**values)


# --- 5. child or adult by age at the offence ---------------------------------------------


def test_a_client_under_18_at_the_offence_is_a_child_though_18_at_the_decision(
    db: Any,
) -> None:
    pk = factories.user("pk.madiun")
    saved = register_client(data(offence_date=date(2026, 1, 10)), pk)  # 17 then
    assert saved.is_child is True
    assert saved.offence_date == date(2026, 1, 10)
    # A child's hours are 7 to 120 (UU SPPA): 150 is refused.
    errors = validate_client(
        data(offence_date=date(2026, 1, 10), is_child=True, hours_ordered=150), TODAY
    )
    assert "7 sampai 120" in errors["hours_ordered"][0]
    # Marking him an adult against the offence date is refused with SPPA Pasal 20.
    errors = validate_client(data(offence_date=date(2026, 1, 10), is_child=False), TODAY)
    assert "UU SPPA Pasal 20" in errors["is_child"][0]


def test_an_offence_after_18_makes_an_adult() -> None:
    assert validate_client(data(offence_date=date(2026, 4, 1)), TODAY) == {}
    errors = validate_client(data(offence_date=date(2026, 4, 1), is_child=True), TODAY)
    assert "bukan anak" in errors["is_child"][0]


def test_offence_date_cannot_follow_the_decision() -> None:
    errors = validate_client(data(offence_date=date(2026, 5, 21)), TODAY)
    assert errors["offence_date"] == ["Tanggal tindak pidana tidak boleh sesudah tanggal putusan."]


# --- 6. what the work replaced ----------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        (
            {"replaced_penalty_kind": "prison", "replaced_penalty_months": 7},
            "replaced_penalty_months",
            "pidana penjara paling lama 6 (enam) Bulan",
        ),
        (
            {"replaced_penalty_kind": "fine", "replaced_penalty_amount": 10_000_001},
            "replaced_penalty_amount",
            "pidana denda paling banyak kategori II",
        ),
        ({"replaced_penalty_months": 3}, "replaced_penalty_kind", "Pilih jenis pidana"),
    ],
)
def test_replaced_penalty_within_pasal_85(changes: dict[str, Any], field: str, words: str) -> None:
    errors = validate_client(data(offence_date=date(2026, 4, 1), **changes), TODAY)
    assert list(errors) == [field]
    assert words in errors[field][0]


def test_recommendation_offers_only_what_the_decision_allows() -> None:
    assert list(rules.allowed_recommendations("prison")) == ["repeat", "prison"]
    assert list(rules.allowed_recommendations("fine")) == ["repeat", "fine"]
    assert list(rules.allowed_recommendations("")) == ["repeat"]


def _to_tpp(person: Client) -> Any:
    pk, head = factories.user("pk.madiun"), factories.user("kabapas.madiun")
    case = services.record_conduct(
        person, "violation", date(2026, 5, 20), "Tidak hadir tiga kali.", pk, category="other"
    )
    services.propose_team(case, "Tim PK", date(2026, 5, 21), pk)
    services.record_examination(case, date(2026, 5, 22), "Terbukti mangkir tanpa alasan.", pk)
    services.record_tpp_session(case, date(2026, 5, 23), "recommend_jaksa", "", head)
    return case


def test_issuing_an_outcome_the_decision_does_not_allow_is_refused(db: Any) -> None:
    person = factories.make_client(replaced_penalty_kind="prison", replaced_penalty_months=4)
    case = _to_tpp(person)
    head = factories.user("kabapas.madiun")
    with pytest.raises(Refused) as refused:
        services.issue_recommendation(case, "fine", "", "Kejaksaan Negeri Ngawi", None, head)
    assert "KUHP Pasal 85 ayat (7)" in refused.value.fields["recommendation"][0]
    assert case.status == "decided"
    services.issue_recommendation(case, "prison", "", "Kejaksaan Negeri Ngawi", None, head)
    assert case.status == "recommended"


# --- 7. no closure over an open case ------------------------------------------------------


def test_served_closure_waits_for_open_violation_cases_and_the_jaksa(db: Any) -> None:
    person = factories.make_client(hours_ordered=8)
    placement = factories.make_supervised_placement(person)
    _serve_all(placement, 8)
    head = factories.user("kabapas.madiun")
    case = _to_tpp(person)

    def close() -> Closure:
        return services.close_case(person, "served", TODAY, "Selesai dengan baik.", "", head)

    with pytest.raises(Refused) as refused:
        close()
    assert [v.code for v in refused.value.violations] == ["CASE_PENDING"]
    assert "rekomendasi kepada Jaksa belum ditandatangani" in refused.value.violations[0].message
    services.issue_recommendation(case, "repeat", "", "Kejaksaan Negeri Ngawi", 4, head)
    with pytest.raises(Refused) as refused:
        close()
    assert "menunggu jawaban Jaksa" in refused.value.violations[0].message
    services.record_jaksa_answer(case, "repeat", "B-9/Eku/06/2026", TODAY, head)
    assert close().reason == "served"


def test_served_closure_needs_the_verified_hours(db: Any) -> None:
    person = factories.make_client()
    head = factories.user("kabapas.madiun")
    with pytest.raises(Refused) as refused:
        services.close_case(person, "served", TODAY, "Selesai dengan baik.", "", head)
    assert [v.code for v in refused.value.violations] == ["HOURS_NOT_SERVED"]


def test_sanctioned_closure_needs_the_jaksa_answer_with_its_letter(db: Any) -> None:
    person = factories.make_client(replaced_penalty_kind="fine", replaced_penalty_amount=5_000_000)
    head = factories.user("kabapas.madiun")
    case = _to_tpp(person)
    services.issue_recommendation(case, "fine", "", "Kejaksaan Negeri Ngawi", None, head)

    def close() -> Closure:
        return services.close_case(person, "sanctioned", TODAY, "Dikenai sanksi denda.", "", head)

    with pytest.raises(Refused) as refused:
        close()
    assert refused.value.violations[0].code == "JAKSA_ANSWER_MISSING"
    with pytest.raises(Refused) as bad:
        services.record_jaksa_answer(case, "prison", "B-1", TODAY, head)
    assert "answer" in bad.value.fields
    with pytest.raises(Refused) as bad:
        services.record_jaksa_answer(case, "fine", "", TODAY, head)
    assert "letter_number" in bad.value.fields
    services.record_jaksa_answer(case, "fine", "B-10/Eku/06/2026", TODAY, head)
    assert case.jaksa_letter_number == "B-10/Eku/06/2026"
    assert close().conduct_case_id == case.id


def test_a_jaksa_ordering_the_work_repeated_is_no_sanction(db: Any) -> None:
    person = factories.make_client()
    head = factories.user("kabapas.madiun")
    case = _to_tpp(person)
    services.issue_recommendation(case, "repeat", "", "Kejaksaan Negeri Ngawi", 8, head)
    services.record_jaksa_answer(case, "repeat", "B-11/Eku/06/2026", TODAY, head)
    with pytest.raises(Refused) as refused:
        services.close_case(person, "sanctioned", TODAY, "Dikenai sanksi.", "", head)
    assert "mengulangi pidana kerja sosial" in refused.value.violations[0].message


# --- 8. the team's 7-day deadline ------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "state", "words"),
    [(3, "running", "3 hari lagi"), (2, "soon", "2 hari lagi"), (0, "soon", "hari ini"),
     (-1, "late", "terlewat 1 hari")],
)  # fmt: skip
def test_team_deadline_warned_two_days_ahead_and_late_after(
    days_left: int, state: str, words: str
) -> None:
    d = rules.team_deadline_state(TODAY + timedelta(days=days_left), TODAY)
    assert d.state == state
    assert words in d.text
    assert ("text-danger" in d.css) == (state == "late")
    assert ("text-warning" in d.css) == (state == "soon")


def test_kepala_bapas_sees_every_running_team_examination(
    client: Any, db: Any, login_as: Any
) -> None:
    pk = factories.user("pk.madiun")
    late_client = factories.make_client(full_name="Andi Terlambat")
    soon_client = factories.make_client(full_name="Budi Segera", pk="pk2.madiun")
    for person, proposed in ((late_client, date(2026, 5, 20)), (soon_client, date(2026, 5, 27))):
        case = services.record_conduct(
            person, "violation", proposed, "Tidak hadir tanpa alasan.", pk, category="other"
        )
        services.propose_team(case, "Tim PK", proposed, pk)
    login_as("kabapas.madiun")
    page = client.get("/pengawasan/").get_data(as_text=True)
    section = page[page.index('id="team-deadlines"') :]
    assert "Andi Terlambat" in section
    assert "Budi Segera" in section
    assert 'team-late"' in section or "team-late" in section
    assert "terlewat 5 hari" in section  # deadline 27 May
    assert "2 hari lagi" in section  # deadline 3 June
    login_as("pk.madiun")
    mine = client.get("/pengawasan/").get_data(as_text=True)
    assert "Andi Terlambat" in mine[mine.index('id="team-deadlines"') :]
    assert "Budi Segera" not in mine[mine.index('id="team-deadlines"') :]


# --- web pages and documents -------------------------------------------------------------------


def test_client_form_records_offence_date_and_replaced_penalty(
    client: Any, db: Any, login_as: Any
) -> None:
    login_as("pk.madiun")
    response = client.post(
        "/klien/baru",
        data=client_form(
            birth_date="2008-03-01",
            offence_date="2026-01-10",
            hours_ordered="100",
            replaced_penalty_kind="prison",
            replaced_penalty_months="4",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = db.session.scalar(select(Client).where(Client.full_name == "Budi Fiktif"))
    assert saved.is_child is True
    assert saved.replaced_penalty == {"kind": "prison", "months": 4}
    page = client.get(f"/klien/{saved.id}").get_data(as_text=True)
    assert "pidana penjara 4 bulan" in page
    assert "Klien anak" in page


def test_conduct_page_offers_allowed_outcomes_and_records_the_jaksa_answer(
    client: Any, db: Any, login_as: Any
) -> None:
    person = factories.make_client(replaced_penalty_kind="fine", replaced_penalty_amount=2_500_000)
    case = _to_tpp(person)
    login_as("kabapas.madiun")
    page = client.get(f"/pengawasan/perilaku/{case.id}").get_data(as_text=True)
    assert 'value="repeat"' in page
    assert 'value="fine"' in page
    assert 'value="prison"' not in page
    assert "pidana denda Rp2.500.000" in page
    refused = client.post(
        f"/pengawasan/perilaku/{case.id}",
        data={"recommendation": "prison", "number": "", "prosecutor_office": "Kejari Ngawi"},
    )
    assert refused.status_code == 200
    assert case.status == "decided"
    client.post(
        f"/pengawasan/perilaku/{case.id}",
        data={"recommendation": "fine", "number": "", "prosecutor_office": "Kejari Ngawi"},
    )
    assert case.status == "recommended"
    pdf = client.get(f"/pengawasan/perilaku/{case.id}/rekomendasi.pdf").data
    words = pdf_words(pdf)
    assert "Pidana yang diganti : pidana denda Rp2.500.000 (KUHP Pasal 85 ayat (7))" in words
    pdf_page_png(pdf, "rekomendasi-jaksa-pidana-diganti")
    closing = client.post(
        f"/pengawasan/klien/{person.id}/pengakhiran",
        data={
            "reason": "sanctioned",
            "closed_on": "2026-06-01",
            "final_assessment": "Klien dikenai sanksi denda.",
            "letter_number": "",
        },
    )
    assert "Jawaban Jaksa atas rekomendasi belum dicatat" in closing.get_data(as_text=True)
    client.post(
        f"/pengawasan/perilaku/{case.id}",
        data={"answer": "fine", "letter_number": "B-12/Eku/06/2026", "answered_on": "2026-06-01"},
    )
    assert case.jaksa_answer == "fine"
    assert "Surat Jaksa nomor B-12/Eku/06/2026" in client.get(
        f"/pengawasan/perilaku/{case.id}"
    ).get_data(as_text=True)


# --- the API ----------------------------------------------------------------------------------


def test_api_takes_and_returns_offence_date_and_replaced_penalty(client: Any, db: Any) -> None:
    from tests.test_api_clients_placements import client_body

    headers = factories.bearer("pk.madiun")
    body = client_body(
        birth_date="2008-03-01",
        offence_date="2026-01-10",
        hours_ordered=100,
        replaced_penalty={"kind": "fine", "amount": 10_000_000},
    )
    response = client.post("/api/v1/clients", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    got = client.get(f"/api/v1/clients/{response.get_json()['id']}", headers=headers).get_json()
    assert got["offence_date"] == "2026-01-10"
    assert got["is_child"] is True
    assert got["replaced_penalty"] == {"kind": "fine", "amount": 10_000_000}
    refused = client.post(
        "/api/v1/clients",
        json={**body, "replaced_penalty": {"kind": "prison", "months": 9}},
        headers=headers,
    )
    assert refused.status_code == 422
