"""Offered means bookable: every slot under "Dapat ditawarkan" books with the form's defaults.

The booking form pre-fills the first day both the slot and the client allow
(``first_start_day``) and the hours common to both; matching plans with the same day.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from typing import Any

from portal import clock
from portal.demo import load_demo
from portal.matching.rules import first_start_day
from portal.placements.engine import default_schedule, default_start, rank_for
from portal.placements.services import book_placement
from tests import factories as f

TODAY = date(2026, 6, 1)


def test_first_start_day_is_the_latest_of_client_slot_and_today() -> None:
    assert first_start_day(date(2026, 5, 4), date(2026, 6, 2), TODAY) == date(2026, 6, 2)
    assert first_start_day(date(2026, 6, 10), date(2026, 1, 5), TODAY) == date(2026, 6, 10)
    assert first_start_day(date(2026, 5, 4), date(2026, 1, 5), TODAY) == TODAY


def _form_defaults(page: str) -> dict[str, str]:
    """The values the booking form carries when the PK just presses the button."""
    return {
        name: value
        for name, value in re.findall(r'name="(start_date|start_\d|end_\d)" value="([^"]*)"', page)
        if value
    }


def test_slot_opening_tomorrow_is_offered_and_books_with_the_form_defaults(
    client: Any, login_as: Any, db: Any
) -> None:
    """The case seen in the portal: offered, pre-filled with the client's start, refused."""
    slot = f.make_slot(valid_from=TODAY + timedelta(days=1), valid_until=date(2026, 11, 27))
    klien = f.make_client(start_date=date(2026, 5, 4), deadline=date(2026, 11, 3), hours_ordered=40)
    db.session.commit()
    login_as("pk.madiun")
    offered = client.get(f"/klien/{klien.id}/pencocokan").text
    assert f"/klien/{klien.id}/pesan/{slot.id}" in offered
    form = client.get(f"/klien/{klien.id}/pesan/{slot.id}").text
    defaults = _form_defaults(form)
    assert defaults["start_date"] == "02-06-2026"
    booked = client.post(f"/klien/{klien.id}/pesan/{slot.id}", data=defaults)
    assert booked.status_code == 302, booked.text
    assert "/penempatan/" in booked.headers["Location"]


def test_every_offered_slot_books_with_the_form_defaults(db: Any) -> None:
    """Over a spread of clients and slots (and the whole demo), no offer is refused."""
    clock.freeze(date(2026, 11, 30))
    load_demo()
    today = clock.today()
    pk = f.user("pk.madiun")
    windows = {
        "pagi": [{"weekday": d, "start": "07:00", "end": "12:00"} for d in range(6)],
        "siang": [{"weekday": d, "start": "12:00", "end": "17:00"} for d in range(5)],
        "panjang": [{"weekday": d, "start": "06:00", "end": "16:00"} for d in (1, 3)],
    }
    for n, days in enumerate((-1, 1, 20)):
        f.make_slot(
            title=f"Slot uji mulai {days} hari {n}",
            valid_from=today + timedelta(days=days),
            valid_until=today + timedelta(days=200),
            schedule=[{"weekday": d, "start": "07:00", "end": "15:00"} for d in range(6)],
        )
    f.make_slot(
        title="Slot uji segera berakhir",
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=25),
    )
    clients = []
    for avail, hours, start_shift in itertools.product(
        windows.values(), (8, 40, 120), (-20, 0, 3, 45)
    ):
        start = today + timedelta(days=start_shift)
        clients.append(
            f.make_client(
                available=avail,
                hours_ordered=hours,
                start_date=start,
                deadline=start + timedelta(days=180),
                skills=["environment_cleaning", "social_institution"],
            )
        )
    offers = 0
    failures = []
    for klien in clients:
        slots, ranking = rank_for(klien)
        for entry in ranking.eligible():
            slot = slots[entry.slot.id]
            offers += 1
            savepoint = db.session.begin_nested()
            try:
                book_placement(
                    klien,
                    slot.id,
                    default_start(klien, slot),
                    default_schedule(klien, slot.schedule),
                    pk,
                )
            except Exception as err:  # noqa: BLE001 - every refusal is a failure here
                failures.append((klien.start_date, klien.hours_ordered, slot.title, repr(err)))
            finally:
                savepoint.rollback()
    assert offers > 100
    assert failures == [], failures[:5]
