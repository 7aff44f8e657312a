"""Counts on dashboards link to the list they count."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.testing import FlaskClient

from tests import factories as f


def test_waiting_for_verification_links_to_that_reminder_list(
    client: FlaskClient, login_as: Any, db: Any
) -> None:
    slot = f.make_slot(supervisor_user_id=f.user("pj.dinsos").id)
    placement = f.make_placement(f.make_client(), slot, status="active")
    f.make_attendance(placement, work_date=date(2026, 5, 29), verified=False)
    db.session.commit()
    login_as("pj.dinsos")
    page = client.get("/beranda").get_data(as_text=True)
    assert 'href="/pengingat/?jenis=verify"' in page
    listed = client.get("/pengingat/?jenis=verify").get_data(as_text=True)
    assert placement.client.code in listed


def test_each_reminder_count_links_to_its_kind(client: FlaskClient, login_as: Any, db: Any) -> None:
    person = f.make_client(hours_ordered=4)
    placement = f.make_supervised_placement(person)
    f.make_attendance(placement, verified=True)  # hours served: ready to be closed
    db.session.commit()
    login_as("pk.madiun")
    page = client.get("/beranda").get_data(as_text=True)
    kinds = [part.split('"', 1)[0] for part in page.split('href="/pengingat/?jenis=')[1:]]
    assert "closure" in kinds
    for kind in kinds:
        assert client.get(f"/pengingat/?jenis={kind}").status_code == 200
