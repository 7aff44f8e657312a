"""Supervision pages: roles, organisations, forms, closure and read-only cases."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, select

from portal.models import Assessment, AuditLog, ConductCase
from portal.supervision import services
from tests import factories


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("pk.madiun", 200),
        ("kabapas.madiun", 200),
        ("opd.dinsos", 403),
        ("pj.dinsos", 403),
        ("setda.ngawi", 403),
        ("admin", 403),
    ],
)
def test_supervision_pages_by_role(
    client: Any, db: Any, login_as: Any, username: str, status: int
) -> None:
    person = factories.make_client()
    factories.make_supervised_placement(person)
    login_as(username)
    assert client.get("/pengawasan/").status_code == status
    assert client.get(f"/pengawasan/klien/{person.id}").status_code == status
    assert client.get(f"/pengawasan/klien/{person.id}/lampiran-iii.pdf").status_code == status


def test_another_pks_client_is_not_found(client: Any, db: Any, login_as: Any) -> None:
    """A PK supervises the clients assigned to him; his colleague's are not his to see."""
    person = factories.make_client(pk="pk.madiun")
    factories.make_supervised_placement(person)
    login_as("pk2.madiun")
    assert client.get(f"/pengawasan/klien/{person.id}").status_code == 404
    assert client.get(f"/pengawasan/klien/{person.id}/lampiran-iii.pdf").status_code == 404
    assert person.code not in client.get("/pengawasan/").text


def test_another_bapas_client_is_not_found(client: Any, db: Any, login_as: Any) -> None:
    kediri = factories.make_client("KDR", pk=None)
    login_as("kabapas.madiun")
    assert client.get(f"/pengawasan/klien/{kediri.id}").status_code == 404
    assert client.get(f"/pengawasan/klien/{kediri.id}/lampiran-ii.pdf").status_code == 404


def test_client_page_shows_ledger_absences_and_is_audited(
    client: Any, db: Any, login_as: Any
) -> None:
    person = factories.make_client()
    placement = factories.make_supervised_placement(person)
    factories.make_attendance(placement, work_date=date(2026, 5, 4), verified=True)
    login_as("pk.madiun")
    page = client.get(f"/pengawasan/klien/{person.id}").get_data(as_text=True)
    assert person.full_name in page
    assert 'data-ledger="verified">4 jam' in page
    assert 'data-ledger="remaining">116 jam' in page
    assert "hari mungkin tidak hadir" in page
    assert db.session.scalar(
        select(AuditLog).where(
            AuditLog.action == "client_viewed", AuditLog.object_id == str(person.id)
        )
    )


def test_pk_records_an_assessment_with_the_form(client: Any, db: Any, login_as: Any) -> None:
    person = factories.make_client()
    placement = factories.make_supervised_placement(person)
    login_as("pk.madiun")
    assert client.get(f"/pengawasan/klien/{person.id}/penilaian").status_code == 200
    data = {
        "kind": "visit",
        "assessed_on": "2026-05-29",
        "placement_id": str(placement.id),
        "stage": "preparation",
        "notes": "Bekerja dengan baik.",
        "ind_on_time": "y",
        "ind_diligent": "y",
    }
    response = client.post(f"/pengawasan/klien/{person.id}/penilaian", data=data)
    assert response.status_code == 302
    saved = db.session.scalar(select(Assessment).where(Assessment.client_id == person.id))
    assert saved.score == 2
    assert saved.place == placement.slot.title


def test_assessment_without_a_stage_is_refused_next_to_the_field(
    client: Any, db: Any, login_as: Any
) -> None:
    person = factories.make_client()
    login_as("pk.madiun")
    response = client.post(
        f"/pengawasan/klien/{person.id}/penilaian",
        data={"kind": "visit", "assessed_on": "2026-05-29", "placement_id": "0", "stage": ""},
    )
    assert response.status_code == 200
    assert "Pilih tahap perubahan." in response.get_data(as_text=True)
    assert db.session.scalar(select(Assessment)) is None


def test_conduct_steps_through_the_pages_and_only_the_head_signs(
    client: Any, db: Any, login_as: Any
) -> None:
    person = factories.make_client(replaced_penalty_kind="prison", replaced_penalty_months=4)
    login_as("pk.madiun")
    response = client.post(
        f"/pengawasan/klien/{person.id}/perilaku",
        data={
            "kind": "violation",
            "category": "absent_without_reason",
            "occurred_on": "2026-05-20",
            "description": "Mangkir 3 hari.",
        },
    )
    case = db.session.scalar(select(ConductCase))
    assert response.headers["Location"].endswith(f"/pengawasan/perilaku/{case.id}")
    client.post(
        f"/pengawasan/perilaku/{case.id}",
        data={"members": "Tim PK", "proposed_on": "2026-05-21"},
    )
    client.post(
        f"/pengawasan/perilaku/{case.id}",
        data={"examined_on": "2026-05-30", "findings": "Terbukti mangkir tanpa alasan."},
    )
    page = client.get(f"/pengawasan/perilaku/{case.id}").get_data(as_text=True)
    assert "terlambat" in page  # examined after the 7-day deadline (28 May)
    client.post(
        f"/pengawasan/perilaku/{case.id}",
        data={"session_on": "2026-05-31", "outcome": "recommend_jaksa", "notes": ""},
    )
    assert case.status == "decided"
    recommendation = {
        "recommendation": "prison",
        "number": "",
        "prosecutor_office": "Kejaksaan Negeri Ngawi",
    }
    assert client.post(f"/pengawasan/perilaku/{case.id}", data=recommendation).status_code == 403
    assert "Menunggu tanda tangan Kepala Bapas" in client.get(
        f"/pengawasan/perilaku/{case.id}"
    ).get_data(as_text=True)
    login_as("kabapas.madiun")
    assert client.post(f"/pengawasan/perilaku/{case.id}", data=recommendation).status_code == 302
    assert case.status == "recommended"
    pdf = client.get(f"/pengawasan/perilaku/{case.id}/rekomendasi.pdf")
    assert pdf.mimetype == "application/pdf"


def test_only_the_head_closes_and_a_closed_case_is_read_only(
    client: Any, db: Any, login_as: Any
) -> None:
    person = factories.make_client()
    data = {
        "reason": "died",
        "closed_on": "2026-06-01",
        "final_assessment": "Klien meninggal dunia karena sakit.",
        "letter_number": "",
    }
    login_as("pk.madiun")
    assert client.get(f"/pengawasan/klien/{person.id}/pengakhiran").status_code == 200
    assert client.post(f"/pengawasan/klien/{person.id}/pengakhiran", data=data).status_code == 403
    assert person.status != "closed"
    login_as("kabapas.madiun")
    assert client.post(f"/pengawasan/klien/{person.id}/pengakhiran", data=data).status_code == 302
    assert person.status == "closed"
    page = client.get(f"/pengawasan/klien/{person.id}").get_data(as_text=True)
    assert "Perkara ditutup" in page
    assert "001/REG.PKS/MDN/2026" in page
    assert client.get(f"/pengawasan/klien/{person.id}/penilaian").status_code == 403
    assert client.get(f"/pengawasan/klien/{person.id}/perilaku").status_code == 403
    assert "Catat pelanggaran" not in page
    response = client.post(
        f"/pengawasan/klien/{person.id}/perilaku",
        data={"kind": "violation", "occurred_on": "2026-05-20", "description": "Apa saja lah."},
        follow_redirects=True,
    )
    assert "Perkara klien sudah ditutup" in response.get_data(as_text=True)
    assert db.session.scalar(select(ConductCase)) is None
    assert services.closure_of(person) is not None


def test_supervision_list_pages_by_fifty(client: Any, db: Any, login_as: Any) -> None:
    people = [factories.make_client(pk="pk.madiun") for _ in range(55)]
    login_as("kabapas.madiun")
    first = client.get("/pengawasan/").text
    second = client.get("/pengawasan/?page=2").text
    on_first = [p for p in people if p.code in first]
    on_second = [p for p in people if p.code in second]
    assert len(on_first) == 50
    assert len(on_second) == 5
    assert "Halaman 1 dari 2" in first


def test_only_a_working_client_is_flagged_as_not_making_his_deadline(
    client: Any, db: Any, login_as: Any
) -> None:
    """A client not yet placed has no scheduled day, but he can still be placed in time:
    no red "Tidak terkejar" for him (as in the reminders), only for a client at work."""
    waiting = factories.make_client(hours_ordered=16)
    slot = factories.make_slot("NGAWI-DINSOS")
    behind = factories.make_client(hours_ordered=2000)
    factories.make_placement(behind, slot, status="active")
    login_as("kabapas.madiun")
    page = client.get("/pengawasan/").text

    def row(code: str) -> str:
        return page.split(code, 1)[1].split("</tr>", 1)[0]

    assert "Tidak terkejar" not in row(waiting.code)
    assert "Belum ada penempatan berjalan" in row(waiting.code)
    assert "Tidak terkejar" in row(behind.code)
    waiting_page = client.get(f"/pengawasan/klien/{waiting.id}").text
    assert "Tidak terkejar" not in waiting_page
    assert "Belum ada penempatan berjalan" in waiting_page
    assert "Tidak terkejar" in client.get(f"/pengawasan/klien/{behind.id}").text


def test_the_record_keeps_its_ledger_until_an_hour_is_verified(
    client: Any, db: Any, login_as: Any, shared_cache: Any
) -> None:
    """The supervision record's hours are walked once and kept; a record verified by the
    PJ shows at the PK's next view, moved from waiting to verified."""
    placement = factories.make_supervised_placement(status="active")
    record = factories.make_attendance(placement, work_date=date(2026, 5, 29))
    db.session.commit()
    path = f"/pengawasan/klien/{placement.client_id}"
    seen: list[str] = []

    def ledger() -> tuple[str, str]:
        login_as("pk.madiun")
        seen.clear()
        event.listen(db.engine, "before_cursor_execute", note)
        try:
            page = client.get(path).get_data(as_text=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
        found = dict(re.findall(r'data-ledger="(\w+)">([^<]+)<', page))
        return found["verified"], found["pending"]

    def note(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        seen.append(sql)

    def attendance_read() -> bool:
        return any("FROM attendance" in sql for sql in seen)

    assert ledger() == ("0 jam", "4 jam")
    assert attendance_read()
    assert ledger() == ("0 jam", "4 jam")
    assert not attendance_read()  # kept from the first view
    login_as("pj.dinsos")
    assert client.post(f"/kehadiran/{record.id}/verifikasi").status_code == 302
    assert ledger() == ("4 jam", "0 jam")
    assert attendance_read()


def test_a_clients_record_and_supervision_read_as_much_for_one_placement_as_for_three(
    client: Any, login_as: Any, db: Any
) -> None:
    """Each placement names its slot and the slot's OPD: read with the placements (only what
    the pages name of them), not one statement per placement."""
    person = factories.make_client()
    factories.make_supervised_placement(person, status="ended")
    db.session.commit()
    login_as("pk.madiun")
    pages = (f"/klien/{person.id}", f"/pengawasan/klien/{person.id}")

    for path in pages:
        client.get(path)  # the first view after signing in reads more than the next ones
    one = [factories.reads(client, path) for path in pages]
    others = [
        factories.make_placement(person, factories.make_slot(code, title=f"Tempat {code}"))
        for code in ("NGAWI-DLH", "NGAWI-DINSOS")
    ]
    others[0].status = "ended"
    db.session.commit()
    assert [factories.reads(client, path) for path in pages] == one
    for path in pages:
        page = client.get(path).text
        assert "Tempat NGAWI-DLH" in page
        assert "Tempat NGAWI-DINSOS" in page
        assert others[0].slot.opd.short_name in page or others[0].slot.opd.name in page
