"""Time-based events, found by the ``notify`` command and each sent once.

Every event carries a key (``agreement_expiring:3:2026-11-27:30``); a user who
already has a notification with that key is skipped, so running the scan every
minute, or from several workers, tells each person once. On PostgreSQL the scan
takes a transaction-level advisory lock: a second worker waits, then finds
every key already written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app, has_request_context
from sqlalchemy import ARRAY, String, any_, bindparam, func, select, text
from sqlalchemy.orm import selectinload

from portal import clock
from portal.extensions import db
from portal.models import (
    Agreement,
    AgreementStatus,
    Attendance,
    AttendanceMonth,
    Client,
    ConductCase,
    Notification,
    Placement,
    PlacementStatus,
    Slot,
    User,
)
from portal.models.placement import with_slot_and_client
from portal.notifications.service import (
    ClientLike,
    Item,
    agreement_parties,
    client_ref,
    heads_of,
    link,
    opd_admins,
    people_cached,
    people_of,
    site_people,
    write,
)
from portal.statuses import ClientStatus
from portal.supervision import rules as supervision_rules


# Only the columns a notification names: no JSON profile columns decoded for thousands of rows.
@dataclass(frozen=True)
class ClientRow:
    """The few columns of a client a notification may name."""

    id: int
    code: str
    full_name: str
    bapas_id: int
    pk_id: int | None


@dataclass(frozen=True)
class SlotRow:
    """The few columns of a slot a notification names."""

    id: int
    title: str
    opd_id: int
    supervisor_user_id: int | None
    valid_until: date


@dataclass(frozen=True)
class PlacementRow:
    """A placement with its client and slot, read as plain rows (thousands at a time)."""

    id: int
    start_date: date
    client: ClientRow
    slot: SlotRow


def _placements(*conditions: Any) -> list[PlacementRow]:
    """Placements matching ``conditions`` (on Placement, Client or Slot), of open cases."""
    rows = db.session.execute(
        with_slot_and_client(
            select(
                Placement.id,
                Placement.start_date,
                Client.id,
                Client.code,
                Client.full_name,
                Client.bapas_id,
                Client.pk_id,
                Slot.id,
                Slot.title,
                Slot.opd_id,
                Slot.supervisor_user_id,
                Slot.valid_until,
            )
        )
        .where(Client.status != ClientStatus.CLOSED, *conditions)
        .order_by(Placement.id)
    )
    return [
        PlacementRow(
            pid, start, ClientRow(cid, code, name, bapas, pk), SlotRow(sid, title, opd, sup, until)
        )
        for pid, start, cid, code, name, bapas, pk, sid, title, opd, sup, until in rows
    ]


def pk_user(client: ClientRow) -> list[User]:
    """The client's PK (looked up once per scan)."""
    return people_of(("user", client.pk_id)) if client.pk_id else []


EXPIRY_STEPS = (7, 30, 60)  # days before an agreement ends
UNVERIFIED_DAYS = 2
SLOT_ENDING_DAYS = 7
SCAN_LOCK = 715_001  # advisory lock id of the scan on PostgreSQL


# Title and body of each message, formatted with the event's values; ``{client}`` is the
# client as the recipient may read him (code and name for the Bapas, the code for others).
TEXTS: dict[str, tuple[str, str]] = {
    "agreement_expiring": (
        "Kesepakatan berakhir dalam {left} hari: {title}",
        "Berlaku sampai {until:%d-%m-%Y}. Siapkan addendum bila akan diperpanjang.",
    ),
    "team_deadline": (
        "Pemeriksaan tim {client} {when}",
        "Batas 7 hari pemeriksaan oleh tim (Pedoman 2.3).",
    ),
    "placement_starting": (
        "Klien {client} mulai besok",
        "{slot}, {start:%d-%m-%Y}. Siapkan pendampingan dan daftar hadir.",
    ),
    "attendance_unverified": (
        "{days} hari kehadiran {client} menunggu verifikasi",
        "{slot}. Verifikasi paling lambat 2 hari setelah hari kerja.",
    ),
    "recommendation_waiting": (
        "Rekomendasi kepada Jaksa menunggu tanda tangan: {client}",
        "Sidang TPP memutus rekomendasi kepada Jaksa (KUHP Pasal 85 ayat 7).",
    ),
    "closure_waiting": (
        "Pengakhiran menunggu tanda tangan: {client}",
        "Seluruh jam terverifikasi. Siapkan penilaian akhir dan surat pengakhiran.",
    ),
    "slot_ending": (
        "{slot} berakhir {until:%d-%m-%Y} dengan {count} klien masih ditempatkan",
        "Perpanjang masa lokasi kerja atau bicarakan pemindahan dengan PK.",
    ),
    "slot_ending_pk": (
        "Lokasi kerja {client} berakhir {until:%d-%m-%Y}",
        "{slot}. Cari lokasi pengganti bila jam belum terpenuhi.",
    ),
}


@dataclass
class Event:
    """One time-based event: who, what kind, which message with what values, where, its key."""

    recipients: list[User]
    kind: str
    text: str  # a key of TEXTS
    url: str
    key: str
    client: ClientLike | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def compose(self, user: User) -> tuple[str, str]:
        """Title and body for ``user``."""
        values = dict(self.values)
        if self.client is not None:
            values["client"] = client_ref(self.client, user)
        title, body = TEXTS[self.text]
        return title.format(**values), body.format(**values)


def scan(today: date | None = None) -> int:
    """Find every time-based event due today and notify whoever has not heard of it yet."""
    if not has_request_context():
        # Links are built with url_for; one request context serves the whole scan.
        with current_app.test_request_context("/"):
            return scan(today)
    today = today or clock.today()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": SCAN_LOCK})
    events: list[Event] = []
    with people_cached():
        for finder in (
            _agreements_expiring,
            _team_deadlines,
            _placements_starting,
            _attendance_unverified,
            _signatures_waiting,
            _slots_ending,
        ):
            events += finder(today)
    if not events:
        return 0
    seen = _seen_keys([e.key for e in events])
    items: list[Item] = []
    for event in events:
        for user in {u.id: u for u in event.recipients if u.enabled}.values():
            if (user.id, event.key) not in seen:
                title, body = event.compose(user)
                items.append((user, event.kind, title, body, event.url, event.key))
    return write(items)


def _seen_keys(keys: list[str]) -> set[tuple[int, str | None]]:
    """(user, key) pairs already notified, looked up through the (event_key, user) index."""
    unique = sorted(set(keys))
    if db.session.get_bind().dialect.name == "postgresql":
        # One array parameter instead of thousands of bound values.
        chunks = [Notification.event_key == any_(bindparam("keys", unique, type_=ARRAY(String)))]
    else:
        chunks = [
            Notification.event_key.in_(unique[start : start + 500])
            for start in range(0, len(unique), 500)
        ]
    seen: set[tuple[int, str | None]] = set()
    for condition in chunks:
        for user_id, key in db.session.execute(
            select(Notification.user_id, Notification.event_key).where(condition)
        ):
            seen.add((user_id, key))
    return seen


def _agreements_expiring(today: date) -> list[Event]:
    found = []
    for agreement in db.session.scalars(
        select(Agreement).where(
            Agreement.status == AgreementStatus.ACTIVE,
            Agreement.valid_until.is_not(None),
            Agreement.valid_until >= today,
            Agreement.valid_until <= today + timedelta(days=max(EXPIRY_STEPS)),
        )
    ):
        assert agreement.valid_until is not None
        left = (agreement.valid_until - today).days
        step = min(s for s in EXPIRY_STEPS if left <= s)
        end = agreement.valid_until
        found.append(
            Event(
                agreement_parties(agreement),
                "agreement_expiring",
                "agreement_expiring",
                link("agreements.detail", agreement_id=agreement.id),
                f"agreement_expiring:{agreement.id}:{end.isoformat()}:{step}",
                values={"left": left, "title": agreement.title, "until": end},
            )
        )
    return found


def _team_deadlines(today: date) -> list[Event]:
    found = []
    heads: dict[int, list[User]] = {}
    for case in db.session.scalars(
        select(ConductCase)
        .where(
            ConductCase.status == "team_proposed",
            ConductCase.team_deadline.is_not(None),
            ConductCase.team_deadline
            <= today + timedelta(days=supervision_rules.TEAM_WARNING_DAYS),
        )
        .options(selectinload(ConductCase.client).selectinload(Client.pk))
    ):
        client = case.client
        assert case.team_deadline is not None
        late = case.team_deadline < today
        if client.bapas_id not in heads:
            heads[client.bapas_id] = heads_of(client.bapas_id)
        when = "sudah lewat" if late else f"paling lambat {case.team_deadline:%d-%m-%Y}"
        found.append(
            Event(
                ([client.pk] if client.pk else []) + heads[client.bapas_id],
                "team_deadline",
                "team_deadline",
                link("supervision.conduct", case_id=case.id),
                f"team_deadline:{case.id}:{'passed' if late else 'soon'}",
                client,
                {"when": when},
            )
        )
    return found


def _placements_starting(today: date) -> list[Event]:
    tomorrow = today + timedelta(days=1)
    return [
        Event(
            site_people(p.slot),
            "placement_starting",
            "placement_starting",
            link("attendance.placement", placement_id=p.id),
            f"placement_starting:{p.id}:{p.start_date.isoformat()}",
            p.client,
            {"slot": p.slot.title, "start": p.start_date},
        )
        for p in _placements(
            Placement.status == PlacementStatus.ACCEPTED, Placement.start_date == tomorrow
        )
    ]


def _attendance_unverified(today: date) -> list[Event]:
    from portal.attendance.services import LIVE

    waiting = (
        select(
            Attendance.placement_id,
            func.min(Attendance.id).label("oldest"),
            func.count().label("days"),
        )
        .where(
            LIVE,
            Attendance.verified.is_(False),
            Attendance.work_date <= today - timedelta(days=UNVERIFIED_DAYS),
        )
        .group_by(Attendance.placement_id)
        .subquery()
    )
    counts = {
        pid: (oldest, days)
        for pid, oldest, days in db.session.execute(
            select(waiting.c.placement_id, waiting.c.oldest, waiting.c.days)
        )
    }
    if not counts:
        return []
    found = []
    for placement in _placements(Placement.id.in_(select(waiting.c.placement_id))):
        oldest_id, count = counts[placement.id]
        found.append(
            Event(
                site_people(placement.slot),
                "attendance_unverified",
                "attendance_unverified",
                link("attendance.placement", placement_id=placement.id),
                f"attendance_unverified:{placement.id}:{oldest_id}",
                placement.client,
                {"days": count, "slot": placement.slot.title},
            )
        )
    return found


def _signatures_waiting(today: date) -> list[Event]:
    from portal.attendance.services import WORKING, ledgers_for

    found = []
    heads: dict[int, list[User]] = defaultdict(list)

    def heads_for(bapas_id: int) -> list[User]:
        if bapas_id not in heads:
            heads[bapas_id] = heads_of(bapas_id)
        return heads[bapas_id]

    for case in db.session.scalars(
        select(ConductCase)
        .where(ConductCase.status == "decided", ConductCase.tpp_outcome == "recommend_jaksa")
        .options(selectinload(ConductCase.client))
    ):
        found.append(
            Event(
                heads_for(case.client.bapas_id),
                "signature_waiting",
                "recommendation_waiting",
                link("supervision.conduct", case_id=case.id),
                f"recommendation_waiting:{case.id}",
                case.client,
            )
        )
    # Clients still working whose hours are all verified: the closure waits for signing.
    # SQL picks the few whose verified minutes reach the order; the ledger decides.
    verified = (
        select(Placement.client_id, func.sum(AttendanceMonth.minutes).label("minutes"))
        .join(AttendanceMonth, AttendanceMonth.placement_id == Placement.id)
        .group_by(Placement.client_id)
        .subquery()
    )
    clients = list(
        db.session.scalars(
            select(Client)
            .join(verified, verified.c.client_id == Client.id)
            .where(
                Client.status != ClientStatus.CLOSED,
                verified.c.minutes >= Client.hours_ordered * 60,
                Client.id.in_(select(Placement.client_id).where(Placement.status.in_(WORKING))),
            )
        )
    )
    if clients:
        ledgers = ledgers_for(clients, absences=False)
        for client in clients:
            if ledgers[client.id].served:
                found.append(
                    Event(
                        heads_for(client.bapas_id),
                        "signature_waiting",
                        "closure_waiting",
                        link("supervision.close", client_id=client.id),
                        f"closure_waiting:{client.id}",
                        client,
                    )
                )
    return found


def _slots_ending(today: date) -> list[Event]:
    placements = _placements(
        Placement.status.in_(PlacementStatus.SEAT_HOLDING),
        Slot.valid_until >= today,
        Slot.valid_until <= today + timedelta(days=SLOT_ENDING_DAYS),
    )
    by_slot: dict[int, list[PlacementRow]] = defaultdict(list)
    for placement in placements:
        by_slot[placement.slot.id].append(placement)
    found = []
    for slot_id, held in by_slot.items():
        slot = held[0].slot
        key = f"slot_ending:{slot_id}:{slot.valid_until.isoformat()}"
        until = {"slot": slot.title, "until": slot.valid_until}
        found.append(
            Event(
                opd_admins(slot.opd_id),
                "slot_ending",
                "slot_ending",
                link("slots.detail", slot_id=slot_id),
                key,
                values={**until, "count": len(held)},
            )
        )
        found += [
            Event(
                pk_user(p.client),
                "slot_ending",
                "slot_ending_pk",
                link("placements.detail", placement_id=p.id),
                f"{key}:{p.id}",
                p.client,
                until,
            )
            for p in held
        ]
    return found
