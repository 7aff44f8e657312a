"""Receiving and profiling clients: the registration form, refusals at the field, access."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from portal.clients.services import register_client, summons_violations
from portal.clients.validation import ClientData
from portal.models import AuditLog, Client
from portal.refusals import Forbidden
from tests import factories

ROLES = ["admin", "setda.ngawi", "kabapas.madiun", "pk.madiun", "opd.dinsos", "pj.dinsos"]


def form(**changes: Any) -> dict[str, Any]:
    """A valid registration form as the browser posts it."""
    data: dict[str, Any] = {
        "full_name": "Budi Fiktif",
        "birth_place": "Ngawi",
        "birth_date": "1990-02-03",
        "sex": "L",
        "address": "Desa Fiktif RT 1, Ngawi",
        "home_lat": "-7.3900",
        "home_lng": "111.4600",
        "decision_number": "12/Pid.C/2026/PN Ngw",
        "decision_date": "2026-05-20",
        "court": "Pengadilan Negeri Ngawi",
        "hours_ordered": "120",
        "start_date": "2026-06-01",
        "deadline": "2026-11-30",
        "document_checks": ["issuer", "name", "signature"],
        "occupation": "Petani",
        "profession_sector": "other",
        "offence": "Pencurian ringan",
        "skills": ["environment_cleaning"],
        "health_cleared": "y",
        "dependants": "1",
        "available-0-start": "08:00",
        "available-0-end": "12:00",
        "available-2-start": "08:00",
        "available-2-end": "12:00",
        "available-4-start": "08:00",
        "available-4-end": "12:00",
    }
    data.update(changes)
    return data


def count_clients(db: Any) -> int:
    return db.session.scalar(select(func.count(Client.id)))


def test_pk_registers_a_client_who_gets_a_code_and_him_as_pk(
    client: Any, db: Any, login_as: Any
) -> None:
    pk = login_as("pk.madiun")
    response = client.post("/klien/baru", data=form())
    assert response.status_code == 302
    saved = db.session.scalar(select(Client).where(Client.full_name == "Budi Fiktif"))
    assert saved.code.startswith("MDN-2026-")
    assert saved.pk_id == pk.id
    assert saved.available[0] == {"weekday": 0, "start": "08:00", "end": "12:00"}
    assert saved.document_checks == {"issuer": True, "name": True, "signature": True}
    assert db.session.scalar(
        select(AuditLog).where(
            AuditLog.action == "client_registered", AuditLog.object_id == str(saved.id)
        )
    )


def test_codes_count_up_per_bapas_and_year(db: Any, user: Any) -> None:
    pk = user("pk.madiun")
    data = dict(
        full_name="A",
        birth_date=date(1990, 1, 1),
        sex="L",
        address="x",
        home_lat=-7.39,
        home_lng=111.46,
        decision_number="1",
        decision_date=date(2026, 5, 1),
        court="PN",
        hours_ordered=100,
        start_date=date(2026, 6, 1),
        deadline=date(2026, 11, 30),
        offence="x",
        available=[{"weekday": 0, "start": "08:00", "end": "12:00"}],
    )
    first = register_client(ClientData(**data), pk)
    second = register_client(ClientData(**data), pk)
    n1, n2 = int(first.code.rsplit("-", 1)[1]), int(second.code.rsplit("-", 1)[1])
    assert n2 == n1 + 1
    assert second.code == f"MDN-2026-{n2:04d}"


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        (
            {"hours_ordered": "241"},
            "Untuk klien dewasa (KUHP Pasal 85) jumlah jam harus 8 sampai 240 jam.",
        ),
        (
            {"hours_ordered": "121", "is_child": "y", "birth_date": "2012-01-01"},
            "jumlah jam harus 7 sampai 120 jam",
        ),
        ({"deadline": "2026-12-15"}, "Pidana kerja sosial paling lama enam bulan"),
        (
            {"replaced_penalty_kind": "prison", "replaced_penalty_months": "7"},
            "pidana penjara paling lama 6 (enam) Bulan",
        ),
        ({"offence_date": "2026-05-25"}, "tidak boleh sesudah tanggal putusan"),
        ({"home_lat": "", "home_lng": ""}, "Tentukan lokasi pada peta"),
        ({"full_name": ""}, "Wajib diisi."),
    ],
)
def test_impossible_input_is_refused_at_the_field_and_nothing_is_saved(
    client: Any, db: Any, login_as: Any, changes: dict, field_message: str
) -> None:
    login_as("pk.madiun")
    before = count_clients(db)
    response = client.post("/klien/baru", data=form(**changes))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert field_message in page
    assert "invalid-feedback" in page
    assert "Belum ada yang disimpan" in page
    assert count_clients(db) == before


def test_only_the_kepala_bapas_may_record_the_vulnerable_contact_exception(
    db: Any, user: Any
) -> None:
    base = dict(
        full_name="A",
        birth_date=date(1990, 1, 1),
        sex="L",
        address="x",
        home_lat=-7.39,
        home_lng=111.46,
        decision_number="1",
        decision_date=date(2026, 5, 1),
        court="PN",
        hours_ordered=100,
        start_date=date(2026, 6, 1),
        deadline=date(2026, 11, 30),
        offence="x",
        available=[{"weekday": 0, "start": "08:00", "end": "12:00"}],
        vulnerable_contact_exception=True,
        vulnerable_contact_reason="Perawat berpengalaman",
    )
    with pytest.raises(Forbidden):
        register_client(ClientData(**base), user("pk.madiun"))
    head = user("kabapas.madiun")
    saved = register_client(ClientData(**base, pk_id=user("pk2.madiun").id), head)
    assert saved.vulnerable_contact_exception is True
    assert saved.vulnerable_contact_by_id == head.id
    assert saved.pk_id == user("pk2.madiun").id


def test_pk_edit_cannot_switch_the_exception_on(client: Any, db: Any, login_as: Any) -> None:
    login_as("pk.madiun")
    c = factories.make_client()
    client.post(
        f"/klien/{c.id}/ubah",
        data=form(vulnerable_contact_exception="y", vulnerable_contact_reason="x"),
    )
    db.session.refresh(c)
    assert c.vulnerable_contact_exception is False


@pytest.mark.parametrize("route", ["/klien/", "/klien/baru", "/klien/usulan"])
@pytest.mark.parametrize("username", ROLES)
def test_role_matrix(client: Any, login_as: Any, route: str, username: str) -> None:
    login_as(username)
    allowed = {"kabapas.madiun", "pk.madiun"}
    assert client.get(route).status_code == (200 if username in allowed else 403)


def test_a_pk_sees_his_clients_the_head_all_of_his_bapas(
    client: Any, db: Any, login_as: Any
) -> None:
    mine = factories.make_client(pk="pk.madiun")
    other_pk = factories.make_client(pk="pk2.madiun")
    other_bapas = factories.make_client(bapas_code="KDR", pk=None)
    login_as("pk.madiun")
    assert client.get(f"/klien/{mine.id}").status_code == 200
    assert client.get(f"/klien/{other_pk.id}").status_code == 404
    assert client.get(f"/klien/{other_bapas.id}").status_code == 404
    listing = client.get("/klien/").get_data(as_text=True)
    assert mine.code in listing
    assert other_pk.code not in listing
    login_as("kabapas.madiun")
    assert client.get(f"/klien/{other_pk.id}").status_code == 200
    assert client.get(f"/klien/{other_bapas.id}").status_code == 404
    for username in ("opd.dinsos", "setda.ngawi", "admin"):
        login_as(username)
        assert client.get(f"/klien/{mine.id}").status_code == 403


def test_every_read_is_audited_and_the_head_sees_who_read(
    client: Any, db: Any, login_as: Any
) -> None:
    c = factories.make_client(pk="pk.madiun")
    login_as("pk.madiun")
    client.get(f"/klien/{c.id}")
    reads = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "client_viewed", AuditLog.object_id == str(c.id))
    ).all()
    assert [r.username for r in reads] == ["pk.madiun"]
    page = client.get(f"/klien/{c.id}").get_data(as_text=True)
    assert "Siapa membuka data ini" not in page
    login_as("kabapas.madiun")
    page = client.get(f"/klien/{c.id}").get_data(as_text=True)
    assert "Siapa membuka data ini" in page
    assert "pk.madiun" in page
    audit_page = client.get("/admin/audit?aksi=client_viewed").get_data(as_text=True)
    assert "Data klien dibuka" in audit_page  # the action in words, not its code
    assert f"Klien nomor {c.id}" in audit_page


def test_third_unanswered_summons_records_a_violation(client: Any, db: Any, login_as: Any) -> None:
    login_as("pk.madiun")
    c = factories.make_client()
    for outcome in ("absent_without_reason", "absent_with_reason"):
        client.post(f"/klien/{c.id}/panggilan", data={"sent_on": "2026-05-20", "outcome": outcome})
    assert summons_violations([c.id]) == {}
    response = client.post(
        f"/klien/{c.id}/panggilan",
        data={"sent_on": "2026-05-27", "outcome": "absent_without_reason"},
    )
    assert response.status_code == 302
    case = summons_violations([c.id])[c.id]
    assert (case.kind, case.category, case.status) == ("violation", "summons_ignored", "recorded")
    assert case.occurred_on == date(2026, 5, 27)
    assert db.session.scalar(
        select(AuditLog).where(
            AuditLog.action == "conduct_recorded", AuditLog.object_id == str(case.id)
        )
    )
    client.post(f"/klien/{c.id}/panggilan", data={"sent_on": "2026-05-28", "outcome": "attended"})
    assert (
        len(
            db.session.scalars(
                select(AuditLog).where(
                    AuditLog.action == "summons_recorded", AuditLog.object_id == str(c.id)
                )
            ).all()
        )
        == 3
    )
    page = client.get(f"/klien/{c.id}").get_data(as_text=True)
    assert "Pelanggaran tercatat" in page
    assert f'href="/pengawasan/perilaku/{case.id}"' in page


def test_head_appoints_a_pk_and_a_pk_may_not(
    client: Any, db: Any, login_as: Any, user: Any
) -> None:
    c = factories.make_client(pk="pk.madiun")
    payload = {
        "pk_id": str(user("pk2.madiun").id),
        "appointment_number": "W15.PAS.42-PK.01",
        "appointed_on": "2026-05-25",
    }
    login_as("pk.madiun")
    assert client.post(f"/klien/{c.id}/pk", data=payload).status_code == 403
    login_as("kabapas.madiun")
    assert client.post(f"/klien/{c.id}/pk", data=payload).status_code == 302
    db.session.refresh(c)
    assert c.pk_id == user("pk2.madiun").id
    assert c.appointment_number == "W15.PAS.42-PK.01"


def test_the_record_lists_the_clients_own_summons_stage_one_and_letters_in_order(
    client: Any, db: Any, login_as: Any
) -> None:
    from portal.clients.record import record_entries
    from portal.models import (
        ClientDocument,
        IndividualAssessment,
        JudgeRecommendation,
        LetterNumber,
        Litmas,
        Summons,
    )

    person, other = factories.make_client(), factories.make_client()
    for who in (person, other):
        for seq in (2, 1):  # entered out of order
            db.session.add(
                Summons(client_id=who.id, seq=seq, sent_on=date(2026, 5, seq), note=f"n{seq}")
            )
        for n, made_on in ((1, date(2026, 5, 3)), (2, date(2026, 5, 9))):
            db.session.add(
                Litmas(
                    client_id=who.id,
                    number=f"LIT-{who.id}-{n}",
                    made_on=made_on,
                    social_summary=f"Ringkasan {n}",
                    intervention_history="" if n == 1 else "Konseling",
                    recommendation=f"Rekomendasi {n}",
                    document_name="berkas.pdf" if n == 2 else None,
                )
            )
        db.session.add(
            IndividualAssessment(
                client_id=who.id, kind="social", assessed_on=date(2026, 5, 4), findings="Temuan"
            )
        )
        db.session.add(
            JudgeRecommendation(
                client_id=who.id, court="PN Ngawi", sent_on=date(2026, 5, 6), content="Isi"
            )
        )
        for seq in (1, 2):
            db.session.add(
                LetterNumber(
                    bapas_id=who.bapas_id, year=2026, seq=10 * who.id + seq,
                    number=f"{seq:03d}/{who.id}",
                    kind="incomplete_file", object_type="client", object_id=who.id,
                    issued_on=date(2026, 5, 7),
                )
            )  # fmt: skip
        for n, kind in ((1, "putusan"), (2, "pas_foto")):
            db.session.add(
                ClientDocument(
                    client_id=who.id, kind=kind, stored_name=f"d{who.id}{n}", content_type="x",
                    original_name=f"berkas-{who.id}-{n}.pdf", size=1, sha256="0",
                    checks={"issuer": True, "name": True} if n == 1 else {},
                    created_at=datetime(2026, 5, n, 9, tzinfo=UTC),
                )
            )  # fmt: skip
    db.session.add(  # another kind of letter about him is not a completion letter
        LetterNumber(
            bapas_id=person.bapas_id, year=2026, seq=9, number="009/lain", kind="closure",
            object_type="client", object_id=person.id, issued_on=date(2026, 5, 8),
        )
    )  # fmt: skip
    db.session.commit()

    entries = record_entries(person.id)
    assert [(s.seq, s.sent_on, s.note, s.outcome) for s in entries.summons] == [
        (1, date(2026, 5, 1), "n1", "pending"),
        (2, date(2026, 5, 2), "n2", "pending"),
    ]
    assert [(li.number, li.intervention_history, li.has_document) for li in entries.litmas] == [
        (f"LIT-{person.id}-2", "Konseling", True),
        (f"LIT-{person.id}-1", "", False),
    ]
    assert [(a.kind, a.findings) for a in entries.assessments] == [("social", "Temuan")]
    assert [(r.court, r.content) for r in entries.recommendations] == [("PN Ngawi", "Isi")]
    assert [letter.number for letter in entries.letters] == [f"001/{person.id}", f"002/{person.id}"]
    assert "Asesmen sosial" not in entries.missing_kinds
    assert [(d.original_name, d.kind, d.checks) for d in entries.documents] == [
        (f"berkas-{person.id}-2.pdf", "pas_foto", {}),
        (f"berkas-{person.id}-1.pdf", "putusan", {"issuer": True, "name": True}),
    ]
    assert entries.documents[0].created_at == datetime(2026, 5, 2, 9, tzinfo=UTC)

    login_as("pk.madiun")
    page = client.get(f"/klien/{person.id}").text
    assert page.index(f"LIT-{person.id}-2") < page.index(f"LIT-{person.id}-1")
    assert f"/klien/{person.id}/litmas/" in page  # the PDF of the newer one
    assert f"LIT-{other.id}-" not in page
    assert "Catat panggilan 3" in page
    assert f"berkas-{person.id}-1.pdf" in page
    assert f"berkas-{other.id}-1.pdf" not in page
    assert "2/7 pemeriksaan" in page
    assert "Pas foto diunggah 02-05-2026" in page


def test_a_summons_is_recorded_from_the_record_with_the_date_as_people_write_it(
    client: Any, db: Any, login_as: Any
) -> None:
    from portal.models import Summons

    person = factories.make_client()
    db.session.commit()
    login_as("kabapas.madiun")
    page = client.get(f"/klien/{person.id}").text
    assert 'name="sent_on"' in page
    assert 'value="01-06-2026"' in page  # today, as the portal writes dates
    answer = client.post(
        f"/klien/{person.id}/panggilan",
        data={"sent_on": "28-05-2026", "outcome": "attended", "note": "Datang bersama keluarga"},
    )
    assert answer.status_code == 302
    saved = db.session.scalar(select(Summons).where(Summons.client_id == person.id))
    assert (saved.seq, saved.sent_on, saved.outcome, saved.note) == (
        1,
        date(2026, 5, 28),
        "attended",
        "Datang bersama keluarga",
    )
    assert "Catat panggilan 2" in client.get(f"/klien/{person.id}").text
