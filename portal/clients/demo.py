"""Demo clients: plainly fictitious clients of Bapas Madiun, some booked into demo slots.

Idempotent: a client is found by its decision number (prefix ``DEMO/``) and left
as it is; bookings go through the same service as the web (every rule is
checked), and only for clients without a placement. Slots are the slots area's
demo builder's; without any open slot the clients simply wait unplaced.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from portal import clock
from portal.clients.services import register_client
from portal.clients.validation import ClientData
from portal.extensions import db
from portal.matching.profiles import add_months
from portal.models import Client, Role, User
from portal.placements.engine import default_schedule, rank_for
from portal.placements.services import (
    BookingRefused,
    CapacityFull,
    RulesBroken,
    book_placement,
    decide_placement,
    holding_placement,
)


def _week(days: range | list[int], start: str, end: str) -> list[dict[str, Any]]:
    return [{"weekday": d, "start": start, "end": end} for d in days]


# pk, name, sex, birth, occupation, sector, offence, via profession, hours, skills, needs,
# availability, home (lat, lng), outcome: None (wait), "booked" or "accepted"
DEMO_CLIENTS: list[tuple[Any, ...]] = [
    (
        "pk.madiun",
        "Joko Santoso (Demo)",
        "L",
        date(1988, 3, 14),
        "Buruh bangunan",
        "other",
        "Pencurian ringan",
        False,
        120,
        ["environment_cleaning"],
        [],
        _week(range(6), "07:00", "15:00"),
        (-7.3980, 111.4520),
        "accepted",
    ),
    (
        "pk.madiun",
        "Sri Wahyuni (Demo)",
        "P",
        date(1992, 8, 2),
        "Pedagang",
        "trade_industry",
        "Penggelapan ringan",
        False,
        80,
        ["light_admin", "social_institution"],
        ["chronic_illness"],
        _week(range(6), "07:00", "14:00"),
        (-7.4102, 111.4391),
        "booked",
    ),
    (
        "pk.madiun",
        "dr. Bagus Hartono (Demo)",
        "L",
        date(1979, 11, 23),
        "Dokter",
        "health",
        "Kelalaian medis",
        True,
        160,
        ["teaching_training", "light_admin"],
        [],
        _week(range(5), "08:00", "16:00"),
        (-7.4068, 111.4475),
        None,
    ),
    (
        "pk2.madiun",
        "Rudi Hermawan (Demo)",
        "L",
        date(2000, 1, 9),
        "Mahasiswa",
        "education",
        "Perusakan barang",
        False,
        60,
        ["environment_cleaning", "public_service"],
        [],
        _week([5, 6], "07:00", "15:00"),
        (-7.3921, 111.4603),
        "accepted",
    ),
    (
        "pk2.madiun",
        "Wulan Sari (Demo)",
        "P",
        date(1995, 5, 30),
        "Ibu rumah tangga",
        "other",
        "Penghinaan ringan",
        False,
        40,
        ["social_institution"],
        ["child_under_3"],
        _week([1, 3], "08:00", "11:00"),
        (-7.4150, 111.4300),
        None,
    ),
]


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def build_demo_clients() -> None:
    """Create the demo clients once, and book the first ones into fitting demo slots."""
    head = _user("kabapas.madiun")
    if head is None or head.bapas_id is None:
        return
    today = clock.today()
    for i, row in enumerate(DEMO_CLIENTS, start=1):
        (
            pk_name,
            name,
            sex,
            birth,
            job,
            sector,
            offence,
            via,
            hours,
            skills,
            needs,
            available,
            home,
            outcome,
        ) = row
        number = f"DEMO/{i}/Pid.C/{today.year}/PN Ngw"
        client = db.session.scalar(select(Client).where(Client.decision_number == number))
        pk = _user(pk_name)
        if client is None and pk is not None:
            # Received some weeks ago, so that the demo shows work under way.
            start = today - timedelta(days=100)
            client = register_client(
                ClientData(
                    full_name=name,
                    sex=sex,
                    birth_date=birth,
                    birth_place="Ngawi",
                    address="Alamat fiktif untuk demo, Kabupaten Ngawi",
                    home_lat=home[0],
                    home_lng=home[1],
                    decision_number=number,
                    decision_date=start - timedelta(days=14),
                    court="Pengadilan Negeri Ngawi",
                    execution_order_number=f"DEMO-EKS/{i}/{today.year}",
                    hours_ordered=hours,
                    start_date=start,
                    deadline=add_months(start, 6),
                    document_checks={k: True for k in ("issuer", "name", "identity", "signature")},
                    occupation=job,
                    profession_sector=sector,
                    offence=offence,
                    offence_via_profession=via,
                    skills=skills,
                    special_needs=needs,
                    available=available,
                    dependants=i % 3,
                    notes="Data fiktif untuk demonstrasi.",
                    pk_id=pk.id,
                ),
                head,
            )
        if client is None or outcome is None or holding_placement(client) is not None:
            continue
        _book_best(client, outcome, head)


def _book_best(client: Client, outcome: str, actor: User) -> None:
    """Book the best-scoring slot that takes the client from his start date."""
    slots, ranking = rank_for(client)
    scores = ranking.evaluation.scores
    order = sorted(range(len(ranking.table)), key=lambda i: -scores[i])
    for i in order:
        slot = slots[int(ranking.table.ids[i])]
        try:
            with db.session.begin_nested():
                placement = book_placement(
                    client,
                    slot.id,
                    client.start_date,
                    default_schedule(client, slot.schedule),
                    actor,
                )
        except (BookingRefused, RulesBroken, CapacityFull):
            continue
        if outcome == "accepted":
            opd_admin = db.session.scalar(
                select(User).where(User.opd_id == slot.opd_id, User.role == Role.OPD_ADMIN)
            )
            if opd_admin is not None:
                decide_placement(placement, True, "Lokasi siap menerima klien (demo).", opd_admin)
        return
