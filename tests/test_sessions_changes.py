"""Change of place or time (NK Pasal 14): the PK proposes, the receiving OPD agrees; hours
served and history stay, only the future is re-planned."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import select

from portal import clock
from portal.attendance.services import client_ledger, verify_attendance
from portal.models import Placement
from portal.models.work_session import PlacementChange, WorkSession
from portal.sessions.services import OutcomeInput, generate_sessions, record_outcome
from tests import factories as f

WED = date(2026, 6, 3)


def _sessions(placement_id: int) -> list[WorkSession]:
    return list(
        f.db.session.scalars(
            select(WorkSession)
            .where(WorkSession.placement_id == placement_id)
            .order_by(WorkSession.session_date)
        )
    )


def _started() -> Placement:
    placement = f.make_supervised_placement()
    generate_sessions(placement)
    monday = _sessions(placement.id)[0]
    pj = f.user("pj.dinsos")
    record_outcome(monday, OutcomeInput("attended", time(8), time(12)), pj)
    verify_attendance(monday.attendance, pj)
    clock.freeze(WED)
    f.db.session.commit()
    return placement


def _form(slot_id: int, days: dict[int, tuple[str, str]], reason: str) -> dict[str, str]:
    data = {"new_slot_id": str(slot_id), "reason": reason}
    for day, (start, end) in days.items():
        data |= {f"day{day}": "1", f"start{day}": start, f"end{day}": end}
    return data


def test_new_time_replans_only_the_future(client: Any, login_as: Any) -> None:
    placement = _started()
    before = {(s.session_date, s.start) for s in _sessions(placement.id) if s.session_date <= WED}
    login_as("pk.madiun")
    long_days = {0: ("08:00", "16:00"), 2: ("08:00", "16:00"), 4: ("08:00", "16:00")}
    answer = client.post(
        f"/sesi/penempatan/{placement.id}/pindah",
        data=_form(placement.slot_id, long_days, "Banjir di jalan desa pada pagi hari."),
    )
    assert answer.status_code == 302
    assert {s.session_date.weekday() for s in _sessions(placement.id)} == set(range(5))
    login_as("opd.dinsos")
    page = client.get("/sesi/perubahan").get_data(as_text=True)
    assert placement.client.code in page
    assert placement.client.full_name not in page
    change = f.db.session.scalar(select(PlacementChange))
    client.post(f"/sesi/perubahan/{change.id}/putus", data={"decision": "agree"})
    after = _sessions(placement.id)
    assert {(s.session_date, s.start) for s in after if s.session_date <= WED} == before
    future = [s for s in after if s.session_date > WED]
    assert {s.session_date.weekday() for s in future} == {0, 2, 4}
    assert future[0].minutes == 480
    # Never more than owed: 120 h ordered, 4 h served, Tuesday and Wednesday still open.
    assert sum(s.minutes for s in future) == (120 - 4 - 8) * 60
    assert client_ledger(placement.client).minutes_verified == 240


def test_new_place_needs_the_receiving_opd_and_keeps_the_hours(client: Any, login_as: Any) -> None:
    placement = _started()
    other = f.make_slot("NGAWI-DLH", title="Taman kota DLH")
    f.db.session.commit()
    login_as("pk.madiun")
    client.post(
        f"/sesi/penempatan/{placement.id}/pindah",
        data=_form(other.id, {d: ("08:00", "12:00") for d in range(5)}, "Lokasi lama rusak gempa."),
    )
    change = f.db.session.scalar(select(PlacementChange))
    login_as("opd.dinsos")  # the OPD the client leaves cannot decide for the one he joins
    assert (
        client.post(f"/sesi/perubahan/{change.id}/putus", data={"decision": "agree"}).status_code
        == 404
    )
    login_as("opd.dlh")
    client.post(f"/sesi/perubahan/{change.id}/putus", data={"decision": "agree"})
    f.db.session.refresh(change)
    f.db.session.refresh(placement)
    assert change.status == "agreed"
    assert placement.status == "ended"
    old = _sessions(placement.id)
    assert [s.status for s in old if s.session_date <= WED] == ["recorded", "planned", "planned"]
    assert {s.status for s in old if s.session_date > WED} == {"cancelled"}
    moved = f.db.session.get(Placement, change.new_placement_id)
    assert (moved.slot_id, moved.status, moved.start_date) == (
        other.id,
        "accepted",
        date(2026, 6, 4),
    )
    new = _sessions(moved.id)
    assert new[0].session_date == date(2026, 6, 4)
    assert sum(s.minutes for s in new) == (120 - 4 - 8) * 60
    ledger = client_ledger(placement.client)
    assert ledger.minutes_verified == 240
    # History: the old placement and its attended Monday stay.
    assert old[0].outcome == "attended"


def test_refusals_and_wrong_people(client: Any, login_as: Any) -> None:
    placement = _started()
    login_as("pk.madiun")
    page = client.post(
        f"/sesi/penempatan/{placement.id}/pindah", data={"new_slot_id": "", "reason": "x"}
    ).get_data(as_text=True)
    assert "Isi paling sedikit satu hari kerja." in page
    assert "minimal 10 karakter" in page
    assert f.db.session.scalar(select(PlacementChange)) is None
    login_as("pk2.madiun")
    assert client.get(f"/sesi/penempatan/{placement.id}/pindah").status_code == 404
    login_as("opd.dinsos")
    assert client.get(f"/sesi/penempatan/{placement.id}/pindah").status_code == 403
