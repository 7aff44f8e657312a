"""Factories that build valid records; keyword arguments override any field.

Each builder adds to the session and flushes, so the record has an id.
"""

from __future__ import annotations

import itertools
from datetime import date, time
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Agreement,
    Attendance,
    Bapas,
    Client,
    Opd,
    Pemda,
    Placement,
    Slot,
    User,
)

_seq = itertools.count(1)

# Kantor Dinas Sosial Ngawi area; a point well inside Kabupaten Ngawi.
NGAWI_CENTRE = (-7.4040, 111.4460)
WEEKDAYS_8_TO_12 = [{"weekday": d, "start": "08:00", "end": "12:00"} for d in range(5)]


def opd(code: str = "NGAWI-DINSOS") -> Opd:
    """A seeded OPD by code."""
    found = db.session.scalar(select(Opd).where(Opd.code == code))
    assert found is not None, code
    return found


LETTER_PATTERNS = {"MDN": "W15.PAS.PAS42-PK.01.05.02-{seq}"}


def bapas(code: str = "MDN") -> Bapas:
    """A seeded Bapas by code, whose admin has set the numbering of its letters."""
    found = db.session.scalar(select(Bapas).where(Bapas.code == code))
    assert found is not None, code
    if not found.letter_pattern:
        found.letter_pattern = LETTER_PATTERNS.get(code, f"{code}-PK.01.05.02-{{seq}}")
    return found


def agreement_of(opd_row: Opd, bapas_code: str = "MDN") -> Agreement:
    """The agreement between a Bapas and an OPD's Pemda."""
    found = db.session.scalar(
        select(Agreement).where(
            Agreement.pemda_id == opd_row.pemda_id, Agreement.bapas_id == bapas(bapas_code).id
        )
    )
    assert found is not None
    return found


def make_agreement_with(
    name: str, valid_until: date | None, signed_on: date = date(2025, 6, 1), bapas_code: str = "MDN"
) -> Agreement:
    """A signed agreement of a seeded Bapas with a new Pemda, ``Pemkab <name>`` (its short
    name ``name``), added and flushed."""
    agreement = Agreement(
        bapas=bapas(bapas_code),
        pemda=Pemda(code=name.upper().replace(" ", ""), name=f"Pemkab {name}", short_name=name),
        title=f"Kesepakatan {name.lower()}",
        status="signed",
        signed_on=signed_on,
        valid_until=valid_until,
    )
    db.session.add(agreement)
    db.session.flush()
    return agreement


def user(username: str) -> User:
    """A demo account by username."""
    found = db.session.scalar(select(User).where(User.username == username))
    assert found is not None, username
    return found


def make_slot(opd_code: str = "NGAWI-DINSOS", **fields: Any) -> Slot:
    """A published, unpaid slot of an OPD, open weekday mornings."""
    owner = opd(opd_code)
    n = next(_seq)
    values: dict[str, Any] = {
        "opd_id": owner.id,
        "agreement_id": agreement_of(owner).id,
        "title": f"Kebersihan taman kota {n}",
        "category": "environment_cleaning",
        "tasks": "Menyapu dan merapikan taman",
        "description": "Membersihkan taman dan trotoar di sekitar kantor.",
        "place_type": "government",
        "sector": "environment",
        "address": "Jl. Teuku Umar, Ngawi",
        "lat": NGAWI_CENTRE[0],
        "lng": NGAWI_CENTRE[1],
        "capacity": 3,
        "schedule": list(WEEKDAYS_8_TO_12),
        "valid_from": date(2026, 1, 5),
        "valid_until": date(2026, 11, 27),
        "supervisor_name": "Slamet Riyadi",
        "supervisor_phone": "0812-0000-0000",
        "facilities": ["prayer_room", "ppe_provided", "complaint_channel"],
        "complaint_contact": "Kotak pengaduan di lobi; WhatsApp 0812-0000-0001",
        "risks": [],
        "unpaid_confirmed": True,
        "status": "published",
    }
    values.update(fields)
    slot = Slot(**values)
    db.session.add(slot)
    db.session.flush()
    return slot


def slots_and_clients_of_two_offices() -> tuple[list[Slot], list[Client]]:
    """Three slots (two Ngawi OPDs, one Trenggalek OPD under its own agreement) and three
    clients (two of Madiun, one of Kediri without a PK): records across two Bapas and
    three OPDs, for tests of the office each placement or session belongs to."""
    trenggalek = db.session.scalar(
        select(Opd).where(Opd.code.like("TRENGGALEK-%")).order_by(Opd.id).limit(1)
    )
    assert trenggalek is not None
    its_agreement = db.session.scalar(
        select(Agreement).where(Agreement.pemda_id == trenggalek.pemda_id)
    )
    assert its_agreement is not None
    slots = [
        make_slot(),
        make_slot("NGAWI-DLH"),
        make_slot(opd_id=trenggalek.id, agreement_id=its_agreement.id),
    ]
    return slots, [make_client(), make_client("KDR", pk=None), make_client()]


def make_client(bapas_code: str = "MDN", pk: str | None = "pk.madiun", **fields: Any) -> Client:
    """An adult client of a Bapas, assigned to a PK, living near the Ngawi centre."""
    owner = bapas(bapas_code)
    n = next(_seq)
    values: dict[str, Any] = {
        "bapas_id": owner.id,
        "code": f"{owner.code}-2026-{9000 + n:04d}",
        "pk_id": user(pk).id if pk else None,
        "full_name": f"Klien Uji {n}",
        "birth_place": "Ngawi",
        "birth_date": date(1990, 1, 1),
        "sex": "L",
        "address": "Desa Contoh, Ngawi",
        "home_lat": NGAWI_CENTRE[0] + 0.02,
        "home_lng": NGAWI_CENTRE[1] + 0.02,
        "decision_number": f"{n}/Pid.B/2026/PN Ngw",
        "decision_date": date(2026, 4, 20),
        "court": "Pengadilan Negeri Ngawi",
        "hours_ordered": 120,
        "start_date": date(2026, 5, 4),
        "deadline": date(2026, 11, 3),
        "occupation": "Petani",
        "profession_sector": "other",
        "offence": "Pencurian ringan",
        "available": list(WEEKDAYS_8_TO_12),
        "skills": ["environment_cleaning"],
    }
    values.update(fields)
    client = Client(**values)
    db.session.add(client)
    db.session.flush()
    return client


def make_placement(
    client: Client | None = None, slot: Slot | None = None, **fields: Any
) -> Placement:
    """An accepted placement of a client in a slot, weekday mornings."""
    client = client or make_client()
    slot = slot or make_slot()
    values: dict[str, Any] = {
        "client_id": client.id,
        "slot_id": slot.id,
        "status": "accepted",
        "start_date": client.start_date,
        "deadline": client.deadline,
        "schedule": list(WEEKDAYS_8_TO_12),
        "hours_planned": client.hours_ordered,
    }
    values.update(fields)
    placement = Placement(**values)
    db.session.add(placement)
    db.session.flush()
    return placement


def make_attendance(placement: Placement, **fields: Any) -> Attendance:
    """A four-hour morning of work, not yet verified."""
    values: dict[str, Any] = {
        "placement_id": placement.id,
        "work_date": date(2026, 5, 11),
        "time_in": time(8, 0),
        "time_out": time(12, 0),
        "minutes": 240,
        "activity": "Menyapu taman",
    }
    values.update(fields)
    record = Attendance(**values)
    db.session.add(record)
    db.session.flush()
    return record


def make_api_token(username: str | User = "pk.madiun", days: int = 30, name: str = "Uji") -> str:
    """A fresh personal API token for a user; returns the plaintext."""
    from portal.api.tokens import create_token

    owner = user(username) if isinstance(username, str) else username
    _, plaintext = create_token(owner, name, days, via="test")
    db.session.flush()
    return plaintext


def bearer(username: str | User = "pk.madiun") -> dict[str, str]:
    """Request headers that authenticate as ``username`` on /api/v1."""
    return {"Authorization": f"Bearer {make_api_token(username)}"}


# --- attendance and supervision (issue 5) ----------------------------------


def make_supervised_placement(client: Client | None = None, **fields: Any) -> Placement:
    """An accepted placement at a Dinas Sosial slot whose PJ lokasi is the demo pj.dinsos."""
    slot = make_slot("NGAWI-DINSOS", supervisor_user_id=user("pj.dinsos").id)
    return make_placement(client, slot, **fields)


def statements(client: Any, path: str) -> int:
    """How many SQL statements one GET of ``path`` runs (it must answer 200)."""
    return len(_executed(client, path))


def reads(client: Any, path: str) -> int:
    """How many SELECTs one GET of ``path`` runs (it must answer 200): what the page reads,
    without the savepoints the tests' own transaction adds around it."""
    return sum(statement.startswith("SELECT") for statement in _executed(client, path))


def _executed(client: Any, path: str) -> list[str]:
    from sqlalchemy import event

    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return seen
