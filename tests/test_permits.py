"""Permits to leave town (SOP "Pohon Ketan"): PK examines, TPP decides, Kepala Bapas signs a
numbered letter within 14 working days; a permit mid-placement excuses its sessions and the
ledger, Lampiran III and the monitoring agree with the sessions."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import select

from portal import clock
from portal.attendance.services import client_ledger
from portal.models import Placement
from portal.models.work_session import Permit, WorkSession
from portal.monitoring.facts import summarise
from portal.monitoring.indicators import Filters
from portal.sessions import rules
from portal.sessions.services import OutcomeInput, generate_sessions, record_outcome
from tests import factories as f
from tests.pdftools import pdf_words


def test_sop_clock_counts_fourteen_working_days() -> None:
    received = date(2026, 6, 1)  # Monday
    assert rules.add_working_days(received, 14) == date(2026, 6, 19)
    assert rules.permit_clock(received, date(2026, 6, 1)).left == 14
    assert rules.permit_clock(received, date(2026, 6, 19)).left == 0
    late = rules.permit_clock(received, date(2026, 6, 22))
    assert late.late
    assert late.left == -1


def _sessions(placement: Placement) -> list[WorkSession]:
    return list(
        f.db.session.scalars(
            select(WorkSession)
            .where(WorkSession.placement_id == placement.id)
            .order_by(WorkSession.session_date)
        )
    )


def _week_attended(placement: Placement) -> None:
    """Monday to Friday of the first week attended and verified."""
    from portal.attendance.services import verify_attendance

    pj = f.user("pj.dinsos")
    for s in _sessions(placement)[:5]:
        clock.freeze(s.session_date)
        record_outcome(s, OutcomeInput("attended", time(8), time(12), "Menyapu"), pj)
        verify_attendance(s.attendance, pj)


def test_permit_mid_placement_excuses_its_sessions_and_everything_agrees(
    client: Any, login_as: Any
) -> None:
    placement = f.make_supervised_placement(f.make_client(full_name="Slamet Riyadi"))
    generate_sessions(placement)
    _week_attended(placement)
    clock.freeze(date(2026, 6, 8))
    f.db.session.commit()
    planned_before = len(_sessions(placement))
    last_before = _sessions(placement)[-1].session_date

    login_as("pk.madiun")
    page = client.post(
        f"/sesi/klien/{placement.client_id}/izin",
        data={
            "destination": "Surabaya",
            "purpose": "Menjenguk orang tua sakit",
            "first_day": "2026-06-10",
            "last_day": "2026-06-12",
        },
    )
    assert page.status_code == 302
    permit = f.db.session.scalar(select(Permit))
    detail = client.get(f"/sesi/izin/{permit.id}").get_data(as_text=True)
    assert "Sisa 14 hari kerja" in detail
    client.post(f"/sesi/izin/{permit.id}/periksa", data={"examination": "Alasan wajar, ada bukti."})
    client.post(f"/sesi/izin/{permit.id}/sidang", data={"decision": "approve", "tpp_notes": ""})
    detail = client.get(f"/sesi/izin/{permit.id}").get_data(as_text=True)
    assert "3 sesi menjadi absen sah (izin)" in detail
    assert 'data-shortfall="0"' in detail
    assert "Tandatangani surat izin" not in detail  # only the Kepala Bapas signs
    assert client.post(f"/sesi/izin/{permit.id}/tandatangan").status_code == 403

    login_as("kabapas.madiun")
    client.post(f"/sesi/izin/{permit.id}/tandatangan")
    f.db.session.refresh(permit)
    assert permit.status == "signed"
    assert permit.number == "001/IZIN-LK/MDN/2026"
    assert permit.excused_sessions == 3
    after = _sessions(placement)
    excused = [s for s in after if s.outcome == "acceptable_absence"]
    assert [s.session_date.day for s in excused] == [10, 11, 12]
    assert {s.reason_code for s in excused} == {"permit"}
    # The 12 hours are still owed: three make-up sessions after the old last one.
    assert len(after) == planned_before + 3
    assert [s.makeup for s in after[-3:]] == [True] * 3
    assert after[-1].session_date > last_before
    letter = client.get(f"/sesi/izin/{permit.id}/surat.pdf")
    assert letter.mimetype == "application/pdf"
    words = pdf_words(letter.data)
    assert "001/IZIN-LK/MDN/2026" in words
    assert "Surabaya" in words

    # A week later: the ledger, Lampiran III and the monitoring agree with the sessions.
    clock.freeze(date(2026, 6, 15))
    ledger = client_ledger(placement.client)
    credited = sum(s.attendance.minutes for s in after if s.attendance and s.attendance.verified)
    assert ledger.minutes_verified == credited == 5 * 240
    assert not {date(2026, 6, d) for d in (10, 11, 12)} & set(ledger.possible_absences)
    assert date(2026, 6, 8) in ledger.possible_absences  # no outcome, no permit: still flagged
    pdf = client.get(f"/pengawasan/klien/{placement.client_id}/lampiran-iii.pdf")
    text = pdf_words(pdf.data)
    assert "20 jam" in text
    assert "Rabu, 10 Juni 2026" in text
    summary = summarise(
        f.db.session,
        Filters((placement.slot.agreement_id,), date(2026, 1, 1), date(2026, 12, 31)),
    )
    row = next(r for r in summary.by_opd if r.opd_id == placement.slot.opd_id)
    assert row.hours_verified == 20


def test_permit_warns_before_approval_when_hours_pass_the_deadline(
    client: Any, login_as: Any
) -> None:
    person = f.make_client(hours_ordered=20, deadline=date(2026, 6, 10))
    placement = f.make_supervised_placement(person, deadline=date(2026, 6, 10))
    generate_sessions(placement)  # 5 sessions: 1 to 5 June
    f.db.session.commit()
    login_as("pk.madiun")
    client.post(
        f"/sesi/klien/{person.id}/izin",
        data={
            "destination": "Jakarta",
            "purpose": "Pemakaman keluarga",
            "first_day": "2026-06-02",
            "last_day": "2026-06-05",
        },
    )
    permit = f.db.session.scalar(select(Permit))
    client.post(f"/sesi/izin/{permit.id}/periksa", data={"examination": "Ada surat kematian."})
    detail = client.get(f"/sesi/izin/{permit.id}").get_data(as_text=True)
    # 4 sessions (16 h) excused; only 8 to 10 June are left before the deadline: 12 h fit.
    assert "Peringatan: 4 jam tidak lagi dapat dijalani" in detail
    assert 'data-shortfall="240"' in detail
    # The preview changed nothing.
    assert {s.outcome for s in _sessions(placement)} == {None}


def test_permit_refusals_show_next_to_the_fields(client: Any, login_as: Any) -> None:
    placement = f.make_supervised_placement()
    f.db.session.commit()
    login_as("pk.madiun")
    page = client.post(
        f"/sesi/klien/{placement.client_id}/izin",
        data={
            "destination": "",
            "purpose": "x",
            "first_day": "2026-06-05",
            "last_day": "2026-06-03",
        },
    ).get_data(as_text=True)
    assert "Tanggal kembali harus sesudah tanggal berangkat." in page
    assert "Tuliskan kota tujuan." in page
    assert f.db.session.scalar(select(Permit)) is None
    login_as("pk2.madiun")
    assert client.get(f"/sesi/klien/{placement.client_id}/izin").status_code == 404
