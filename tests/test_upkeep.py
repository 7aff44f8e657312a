"""``flask recount``: the totals kept beside the records, set wrong by SQL that bypassed
the portal (an import, a repair), are found by ``--check`` (nothing changed, exit code 1)
and set again from their records by the command itself."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text

from portal.extensions import db as _db
from portal.models import AttendanceMonth, Placement, Slot
from tests import factories as f


@pytest.mark.commits
def test_recount_finds_and_sets_again_the_totals_sql_changed(
    app: Flask, committed_world: Any
) -> None:
    with app.app_context():
        world = committed_world.open()
        slot = world.slot("Taman kota", capacity=3)
        placement = world.placement(world.client(1), slot, status="active")
        _db.session.flush()
        f.make_attendance(placement, work_date=date(2026, 5, 11), verified=True)
        f.make_attendance(placement, work_date=date(2026, 5, 12), verified=True)
        _db.session.commit()
        slot_id, placement_id = slot.id, placement.id
        weekdays = placement.weekdays
        runner = app.test_cli_runner()
        # All right to begin with.
        checked = runner.invoke(args=["recount", "--check"])
        assert checked.exit_code == 0, checked.output
        assert "salah" not in checked.output
        # SQL outside the portal: a seat, a placement's weekdays and Bapas, a month.
        _db.session.execute(text("UPDATE slot SET occupied = 3 WHERE id = :i"), {"i": slot_id})
        _db.session.execute(
            text("UPDATE placement SET weekdays = 0, bapas_id = NULL WHERE id = :i"),
            {"i": placement_id},
        )
        _db.session.execute(
            text("DELETE FROM attendance_month WHERE placement_id = :i"), {"i": placement_id}
        )
        _db.session.commit()

        checked = runner.invoke(args=["recount", "--check"])
        assert checked.exit_code == 1
        assert "kursi terisi per slot: 1 baris salah" in checked.output
        assert "hari jadwal per penempatan: 1 baris salah" in checked.output
        assert "Bapas dan OPD per penempatan: 1 baris salah" in checked.output
        assert "menit terverifikasi per penempatan dan bulan: 1 baris salah" in checked.output
        assert "jumlah sesi per penempatan: benar" in checked.output
        _db.session.expire_all()
        assert _db.session.get(Slot, slot_id).occupied == 3  # a check changes nothing

        fixed = runner.invoke(args=["recount"])
        assert fixed.exit_code == 0, fixed.output
        assert "disetel ulang" in fixed.output
        _db.session.expire_all()
        assert _db.session.get(Slot, slot_id).occupied == 1
        kept = _db.session.get(Placement, placement_id)
        assert (kept.weekdays, kept.bapas_id) == (weekdays, world.bapas.id)
        month = _db.session.scalars(
            select(AttendanceMonth).where(AttendanceMonth.placement_id == placement_id)
        ).one()
        assert (month.month, month.first_day, month.minutes) == (202605, date(2026, 5, 11), 480)
        assert runner.invoke(args=["recount", "--check"]).exit_code == 0
        _db.session.remove()
