"""Session pages: the roster's JSON endpoint and undo, the PK's month calendar beside the
ledger, the OPD admin's week, the Kepala Bapas's missed sessions."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select

from portal import clock
from portal.models import Placement
from portal.models.work_session import WorkSession
from portal.sessions.services import OutcomeInput, generate_sessions, record_outcome
from tests import factories as f
from tests.pdftools import minimal_pdf


def _placement() -> tuple[Placement, list[WorkSession]]:
    person = f.make_client(full_name="Joko Susilo Wibowo")
    placement = f.make_supervised_placement(person)
    generate_sessions(placement)
    f.db.session.commit()
    sessions = list(
        f.db.session.scalars(
            select(WorkSession)
            .where(WorkSession.placement_id == placement.id)
            .order_by(WorkSession.session_date)
        )
    )
    return placement, sessions


def _roster_data(html: str) -> dict[str, Any]:
    start = html.index('id="roster-data">') + len('id="roster-data">')
    return json.loads(html[start : html.index("</script>", start)])


def test_roster_shows_code_and_first_name_only(client: Any, login_as: Any) -> None:
    placement, _ = _placement()
    login_as("pj.dinsos")
    html = client.get("/sesi/lokasi").get_data(as_text=True)
    data = _roster_data(html)
    mine = [s for s in data["sessions"] if s["code"] == placement.client.code]
    assert len(mine) == 5  # Monday to Friday of this week
    assert mine[0]["first_name"] == "Joko"
    assert "Susilo" not in html
    assert "Wibowo" not in html
    login_as("opd.dlh")
    other = _roster_data(client.get("/sesi/lokasi").get_data(as_text=True))
    assert other["sessions"] == []
    login_as("pk.madiun")
    assert client.get("/sesi/lokasi").status_code == 403


def test_roster_first_name_skips_titles_before_the_name() -> None:
    """A PJ reads "Bagus", not "dr.", for dr. Bagus Hartono on the roster."""
    from portal.sessions.routes import first_name

    assert first_name("dr. Bagus Hartono (Demo)") == "Bagus"
    assert first_name("Hj. Siti Aminah") == "Siti"
    assert first_name("Prof. Dr. Ir. Rahmat") == "Rahmat"
    assert first_name("Joko Santoso (Demo)") == "Joko"


def test_roster_outcome_once_per_key_and_undo_the_same_day(client: Any, login_as: Any) -> None:
    placement, sessions = _placement()
    login_as("pj.dinsos")
    url = f"/sesi/{sessions[0].id}/hasil"
    body = {"outcome": "attended", "time_in": "08:00", "time_out": "12:00", "key": "k-1"}
    first = client.post(url, json=body)
    again = client.post(url, json=body)
    assert first.status_code == again.status_code == 200
    assert again.get_json()["replayed"] is True
    assert first.get_json()["session"]["undo"] is True
    conflict = client.post(url, json={"outcome": "unacceptable_absence", "key": "k-2"})
    assert conflict.status_code == 409
    assert "sudah tercatat" in conflict.get_json()["message"]
    undone = client.post(f"/sesi/{sessions[0].id}/batal")
    assert undone.status_code == 200
    assert undone.get_json()["session"]["outcome"] is None
    refused = client.post(url, json={"outcome": "sent_home", "key": "k-3"})
    assert refused.status_code == 422
    assert "client_fault" in refused.get_json()["fields"]
    login_as("opd.dlh")
    assert client.post(url, json={"outcome": "unacceptable_absence"}).status_code == 404


def test_pk_month_calendar_beside_the_ledger(client: Any, login_as: Any) -> None:
    placement, sessions = _placement()
    record_outcome(sessions[0], OutcomeInput("unacceptable_absence"), f.user("pj.dinsos"))
    f.db.session.commit()
    login_as("pk.madiun")
    html = client.get(f"/sesi/klien/{placement.client_id}?bulan=2026-06").get_data(as_text=True)
    assert 'data-month="2026-06"' in html
    assert 'data-ledger="remaining"' in html
    assert html.count('data-kind="absent"') == 1
    assert html.count('data-kind="planned"') >= 20
    login_as("pk2.madiun")
    assert client.get(f"/sesi/klien/{placement.client_id}").status_code == 404


def test_opd_week_and_kepala_bapas_missed_sessions(client: Any, login_as: Any) -> None:
    placement, sessions = _placement()
    clock.freeze(date(2026, 6, 4))
    record_outcome(sessions[1], OutcomeInput("unacceptable_absence"), f.user("pj.dinsos"))
    f.db.session.commit()
    login_as("opd.dinsos")
    week = client.get("/sesi/minggu?mulai=2026-06-01").get_data(as_text=True)
    assert placement.client.code in week
    assert "Absen tanpa alasan sah" in week
    assert placement.client.full_name not in week
    login_as("kabapas.madiun")
    missed = client.get("/sesi/terlewat").get_data(as_text=True)
    assert missed.count(placement.client.code) == 3  # Monday and Wednesday open, Tuesday absent
    assert "Belum ada hasil" in missed
    login_as("pk.madiun")
    assert client.get("/sesi/terlewat").status_code == 403
    reminders = client.get("/pengingat/").get_data(as_text=True)
    assert f"Sesi {placement.client.code} 01-06-2026 belum ada hasilnya" in reminders


def test_kepala_bapas_sets_how_many_absences_open_a_case(client: Any, login_as: Any) -> None:
    from portal.models import Bapas

    login_as("kabapas.madiun")
    assert 'name="absences_for_case" value="1"' in client.get("/sesi/terlewat").get_data(
        as_text=True
    )
    client.post("/sesi/pengaturan", data={"absences_for_case": "3"})
    bapas = f.db.session.scalar(select(Bapas).where(Bapas.code == "MDN"))
    f.db.session.refresh(bapas)
    assert bapas.absences_for_case == 3
    client.post("/sesi/pengaturan", data={"absences_for_case": "0"})
    f.db.session.refresh(bapas)
    assert bapas.absences_for_case == 3
    login_as("pk.madiun")
    assert client.post("/sesi/pengaturan", data={"absences_for_case": "2"}).status_code == 403


def test_letter_of_an_acceptable_absence_is_kept_and_served_as_a_download(
    client: Any, login_as: Any
) -> None:
    import io

    placement, sessions = _placement()
    pj = f.user("pj.dinsos")
    record_outcome(sessions[0], OutcomeInput("acceptable_absence", reason_code="sick"), pj)
    f.db.session.commit()
    login_as("pk.madiun")
    calendar = client.get(f"/sesi/klien/{placement.client_id}").get_data(as_text=True)
    assert "Absen dengan alasan sah bulan ini" in calendar
    pdf = minimal_pdf("Surat dokter")
    bad = client.post(
        f"/sesi/{sessions[0].id}/bukti",
        data={"evidence": (io.BytesIO(b"MZ not a letter"), "surat.exe"), "back": "calendar"},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "bukan PDF, PNG atau JPEG" in bad
    client.post(
        f"/sesi/{sessions[0].id}/bukti",
        data={"evidence": (io.BytesIO(pdf), "surat-dokter.pdf"), "back": "calendar"},
        content_type="multipart/form-data",
    )
    for who in ("pk.madiun", "pj.dinsos", "opd.dinsos"):
        login_as(who)
        answer = client.get(f"/sesi/{sessions[0].id}/bukti")
        assert answer.status_code == 200, who
        assert answer.data == pdf
        assert "attachment" in answer.headers["Content-Disposition"]
        assert "sandbox" in answer.headers["Content-Security-Policy"]
    login_as("opd.dlh")
    assert client.get(f"/sesi/{sessions[0].id}/bukti").status_code == 404
    login_as("pk.madiun")
    refused = client.post(
        f"/sesi/{sessions[1].id}/bukti",
        data={"evidence": (io.BytesIO(pdf), "surat.pdf"), "back": "calendar"},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Bukti hanya untuk absen dengan alasan sah." in refused
