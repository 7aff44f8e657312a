"""Records committed for tests that need real commits from several connections.

Parallel requests, killed servers and two running instances cannot share the
rolled-back ``db`` fixture: such a test commits its records through the
application's engine. ``World`` builds them on the reference data (Bapas
Madiun, Dinas Sosial Ngawi, their agreement, the demo PK) with valid defaults;
``purge`` then removes every row appended since the world was opened, whatever
the test or the server made of them, children first, and puts back the Bapas
settings (letter pattern, absences for a case) as they were. ``race`` runs jobs
at once on their own connections, as parallel requests do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Table, delete, func, select, tuple_, update

from portal.extensions import db
from portal.models import Agreement, Bapas, Client, Opd, Placement, PlacementStatus, Slot, User
from portal.refusals import Refused

WORKDAYS = [{"weekday": d, "start": "08:00", "end": "16:00"} for d in range(5)]


def needs_postgresql(app: Flask) -> None:
    """Skip the test unless the test database is PostgreSQL."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("needs PostgreSQL (PORTAL_TEST_DATABASE_URL)")


def race(
    app: Flask,
    jobs: Sequence[Callable[[], Any]],
    *,
    refused: str = "refused",
    request: str | None = None,
    timeout: float = 60,
) -> list[Any]:
    """Run each job in its own thread, session and transaction, all released at once.

    A job's outcome is what it returns ("ok" when it returns nothing), committed; a
    ``Refused`` rolls back and reads ``refused``; anything else rolls back and is
    reported as ``"error: ..."`` for the test's assertion. With ``request`` (a path)
    each job runs inside a POST to it, as the portal serves one. Outcomes come in
    the order the jobs finished.
    """
    barrier = threading.Barrier(len(jobs))
    outcomes: list[Any] = []
    lock = threading.Lock()

    def run(job: Callable[[], Any]) -> None:
        context = app.test_request_context(request, method="POST") if request else app.app_context()
        with context:  # its own session and connection
            try:
                barrier.wait(timeout=30)
                result = job()
                db.session.commit()
                if result is None:
                    result = "ok"
            except Refused:
                db.session.rollback()
                result = refused
            except Exception as err:  # noqa: BLE001 - reported in the test's assertion
                db.session.rollback()
                result = f"error: {err!r}"
            finally:
                db.session.remove()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return outcomes


# --- removing what a test appended ------------------------------------------------------


def _key(table: Table) -> Any:
    columns = list(table.primary_key.columns)
    return columns[0] if len(columns) == 1 else tuple_(*columns)


def marks(names: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Where each table (all, or ``names``) stands now: its largest id, or its keys."""
    found: dict[str, Any] = {}
    for table in db.metadata.sorted_tables:
        if names is not None and table.name not in names:
            continue
        if "id" in table.c and table.c.id.type.python_type is int:
            found[table.name] = db.session.scalar(select(func.coalesce(func.max(table.c.id), 0)))
        else:
            found[table.name] = set(db.session.execute(select(*table.primary_key.columns)).all())
    return found


def remove_appended(since: dict[str, Any]) -> None:
    """Delete the rows appended after ``since`` (from ``marks``), children first; commit."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in since:
            continue
        mark = since[table.name]
        if isinstance(mark, set):
            key = _key(table)
            for row in set(db.session.execute(select(*table.primary_key.columns)).all()) - mark:
                db.session.execute(delete(table).where(key == (row[0] if len(row) == 1 else row)))
        else:
            db.session.execute(delete(table).where(table.c.id > mark))
    db.session.commit()


# --- building ---------------------------------------------------------------------------


class World:
    """Committed records for one test on the reference data; ``purge`` removes them."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.series = "9"
        self._marks: dict[str, Any] | None = None
        self._bapas_settings: list[dict[str, Any]] = []

    def open(self, series: str = "9") -> World:
        """Inside an app context: note where every table stands, load the reference rows.

        Clients are coded MDN-2026-<series>NNN.
        """
        self.series = series
        self._marks = marks()
        table = Bapas.__table__
        self._bapas_settings = [dict(row) for row in db.session.execute(select(table)).mappings()]
        self.bapas = db.session.scalar(select(Bapas).where(Bapas.code == "MDN"))
        self.opd = db.session.scalar(select(Opd).where(Opd.code == "NGAWI-DINSOS"))
        self.agreement = db.session.scalar(
            select(Agreement).where(
                Agreement.bapas_id == self.bapas.id, Agreement.pemda_id == self.opd.pemda_id
            )
        )
        self.pk = self.user("pk.madiun")
        return self

    def user(self, username: str) -> User:
        """A demo account."""
        return db.session.scalar(select(User).where(User.username == username))

    def letter_pattern(self, pattern: str) -> None:
        """Give Bapas Madiun a numbering pattern (the old one comes back on purge)."""
        self.bapas.letter_pattern = pattern

    def slot(self, title: str, **fields: Any) -> Slot:
        """A published slot of Dinas Sosial Ngawi under the Madiun agreement."""
        values: dict[str, Any] = {
            "opd_id": self.opd.id,
            "agreement_id": self.agreement.id,
            "title": title,
            "category": "environment_cleaning",
            "place_type": "government",
            "sector": "environment",
            "address": "Ngawi",
            "lat": -7.404,
            "lng": 111.446,
            "capacity": 1,
            "schedule": WORKDAYS,
            "valid_from": date(2026, 1, 1),
            "valid_until": date(2026, 11, 27),
            "supervisor_name": "PJ",
            "facilities": [],
            "risks": [],
            "unpaid_confirmed": True,
            "status": "published",
        }
        row = Slot(**(values | fields))
        db.session.add(row)
        return row

    def client(self, n: int, **fields: Any) -> Client:
        """Client number ``n`` of Bapas Madiun, supervised by the demo PK."""
        values: dict[str, Any] = {
            "bapas_id": self.bapas.id,
            "code": f"MDN-2026-{self.series}{n:03d}",
            "pk_id": self.pk.id,
            "full_name": f"Klien uji {n}",
            "birth_date": date(1990, 1, 1),
            "sex": "L",
            "address": "Ngawi",
            "home_lat": -7.39,
            "home_lng": 111.46,
            "decision_number": f"UJI-{self.series}{n}",
            "decision_date": date(2026, 4, 1),
            "court": "PN Ngawi",
            "hours_ordered": 200,
            "start_date": date(2026, 5, 1),
            "deadline": date(2026, 10, 30),
            "offence": "Uji",
            "available": WORKDAYS,
            "skills": [],
        }
        row = Client(**(values | fields))
        db.session.add(row)
        return row

    def placement(self, client: Client, slot: Slot, **fields: Any) -> Placement:
        """An accepted placement of ``client`` at ``slot`` on his own days and hours."""
        db.session.flush()  # the client's and the slot's ids
        values: dict[str, Any] = {
            "client_id": client.id,
            "slot_id": slot.id,
            "status": PlacementStatus.ACCEPTED,
            "start_date": client.start_date,
            "deadline": client.deadline,
            "schedule": client.available,
            "hours_planned": client.hours_ordered,
            "booked_by_id": self.pk.id,
        }
        row = Placement(**(values | fields))
        db.session.add(row)
        return row

    def purge(self) -> None:
        """Remove every row appended since ``open``; put the Bapas settings back."""
        if self._marks is None:
            return
        with self.app.app_context():
            remove_appended(self._marks)
            table = Bapas.__table__
            for row in self._bapas_settings:
                db.session.execute(update(table).where(table.c.id == row["id"]).values(row))
            db.session.commit()
            db.session.remove()
