"""Events → notifications for the people concerned, written in the event's transaction.

Each service of the portal calls one function here after it changed its records
(``booking_requested(placement)`` ...). The notification and its outbox rows are
added to the same session, so they are committed with the event or not at all:
if the mail server is down, nothing is lost; the ``notify`` command sends later.

What a notification may say follows the pages' need-to-know rules: a Bapas user
reads the client's code and name; an OPD admin or a PJ lokasi only the client's
code; the Setda never anything about a client (no event that names one reaches
him). E-mails and gateway messages carry only the kind's subject and a link.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol, cast

from flask import current_app, has_request_context, url_for
from sqlalchemy import CursorResult, Select, bindparam, func, insert, select, update

from portal import clock, policy
from portal.extensions import db
from portal.models import (
    Agreement,
    Client,
    ConductCase,
    Notification,
    NotificationDelivery,
    NotificationPreference,
    Placement,
    Role,
    User,
)
from portal.models.base import utcnow
from portal.notifications import kinds

Compose = Callable[[User], tuple[str, str]]


# --- what a recipient may read about a client -------------------------------------


class ClientLike(Protocol):
    """What a notification may read of a client (a record or a plain row)."""

    @property
    def code(self) -> str: ...
    @property
    def full_name(self) -> str: ...
    @property
    def bapas_id(self) -> int: ...


class SlotLike(Protocol):
    """What finding the people of a site needs of a slot (read only: a record or a row)."""

    @property
    def opd_id(self) -> int: ...
    @property
    def supervisor_user_id(self) -> int | None: ...


def client_ref(client: ClientLike, recipient: User) -> str:
    """The client as ``recipient`` may read him: code and name for the Bapas, else the code."""
    if policy.sees_client_identity(recipient) and recipient.bapas_id == client.bapas_id:
        return f"{client.code} {client.full_name}"
    if policy.on_opd_side(recipient):
        return client.code
    raise ValueError("this recipient may not read about a client")


_PLACEHOLDER = 987654321


def link(endpoint: str, **values: int) -> str:
    """The portal path of a page (also outside a request, for the worker).

    Built once per endpoint with a placeholder id, then filled in: the scan makes
    thousands of links.
    """
    if not has_request_context():
        with current_app.test_request_context("/"):
            return link(endpoint, **values)
    [(name, value)] = values.items()
    templates = current_app.extensions.setdefault("notification_links", {})
    if endpoint not in templates:
        placeholder: dict[str, Any] = {name: _PLACEHOLDER}
        templates[endpoint] = url_for(endpoint, **placeholder)
    return templates[endpoint].replace(str(_PLACEHOLDER), str(int(value)))


# --- writing notifications ----------------------------------------------------------


def _preferences(
    pairs: Iterable[tuple[int, str]],
) -> dict[tuple[int, str], NotificationPreference]:
    """The preferences of these (user, kind) pairs, in one query."""
    wanted = set(pairs)
    ids = {uid for uid, _ in wanted}
    if not ids:
        return {}
    rows = db.session.scalars(
        select(NotificationPreference).where(
            NotificationPreference.user_id.in_(ids),
            NotificationPreference.kind.in_({k for _, k in wanted}),
        )
    )
    return {(p.user_id, p.kind): p for p in rows}


def next_digest_at(digest_time: str, now: datetime) -> datetime:
    """The next moment (UTC) the user's daily digest is due, at his local ``HH:MM``."""
    hour, minute = (int(part) for part in digest_time.split(":"))
    local_now = now.astimezone(clock.zone())
    due = datetime.combine(local_now.date(), time(hour, minute), tzinfo=clock.zone())
    if due <= local_now:
        due += timedelta(days=1)
    return due.astimezone(UTC)


def notify(
    recipients: Iterable[User],
    kind: str,
    compose: Compose,
    url: str,
    event_key: str | None = None,
) -> int:
    """Put one notification per recipient in his inbox and queue what must be sent.

    ``compose(user)`` returns (title, body) for that user. With ``event_key`` a
    recipient who already had that event is skipped.
    """
    if kind not in kinds.KINDS:
        raise ValueError(f"unknown notification kind {kind}")
    people = {u.id: u for u in recipients if u is not None and u.enabled}
    if event_key is not None and people:
        seen = set(
            db.session.scalars(
                select(Notification.user_id).where(
                    Notification.user_id.in_(people), Notification.event_key == event_key
                )
            )
        )
        people = {uid: u for uid, u in people.items() if uid not in seen}
    if not people:
        return 0
    return write([(user, kind, *compose(user), url, event_key) for user in people.values()])


# (recipient, kind, title, body, url, event key)
Item = tuple[User, str, str, str, str, str | None]


def write(items: list[Item]) -> int:
    """Write the notifications and their outbox rows: two bulk inserts, however many."""
    if not items:
        return 0
    now = utcnow()
    db.session.flush()  # records the caller changed exist before the inserts
    ids = db.session.scalars(
        insert(Notification).returning(Notification.id, sort_by_parameter_order=True),
        [
            {
                "user_id": user.id,
                "kind": kind,
                "title": title[:300],
                "body": body,
                "url": url,
                "event_key": key,
                "created_at": now,
            }
            for user, kind, title, body, url, key in items
        ],
    ).all()
    prefs = _preferences((user.id, kind) for user, kind, *_ in items)
    deliveries = []
    for note_id, (user, kind, *_) in zip(ids, items, strict=True):
        pref = prefs.get((user.id, kind))
        channel = pref.channel if pref else kinds.DEFAULT_CHANNEL
        delivery = _delivery(note_id, user, channel, pref, now)
        if delivery is not None:
            deliveries.append(delivery)
    if deliveries:
        db.session.execute(insert(NotificationDelivery), deliveries)
    return len(ids)


def _delivery(
    note_id: int,
    user: User,
    channel: str,
    pref: NotificationPreference | None,
    now: datetime,
) -> dict[str, object] | None:
    due = now
    if channel == kinds.DIGEST:
        due = next_digest_at(pref.digest_time if pref else "07:00", now)
    elif channel not in (kinds.EMAIL, kinds.GATEWAY):
        return None
    if not (user.phone if channel == kinds.GATEWAY else user.email):
        return None
    return {
        "notification_id": note_id,
        "channel": channel,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": due,
        "last_error": "",
        "created_at": now,
    }


# --- who is concerned -----------------------------------------------------------------


# While the scan runs, who holds a role in an organisation is looked up once.
_people_cache: ContextVar[dict[tuple[str, int], list[User]] | None] = ContextVar(
    "notification_people", default=None
)


@contextmanager
def people_cached() -> Iterator[None]:
    """Within the block, the lists of OPD admins, heads and Setda users are read once."""
    token = _people_cache.set({})
    try:
        yield
    finally:
        _people_cache.reset(token)


def people_of(key: tuple[str, int]) -> list[User]:
    """Enabled users: ("opd", id) admins, ("heads", bapas id), ("setda", pemda id), ("user", id)."""
    cache = _people_cache.get()
    if cache is not None and key in cache:
        return cache[key]
    what, value = key
    condition = {
        "opd": lambda: (User.opd_id == value, User.role == Role.OPD_ADMIN),
        "heads": lambda: (User.bapas_id == value, User.role == Role.KEPALA_BAPAS),
        "setda": lambda: (User.pemda_id == value, User.role == Role.SETDA),
        "user": lambda: (User.id == value,),
    }[what]()
    found = list(db.session.scalars(select(User).where(User.enabled.is_(True), *condition)))
    if cache is not None:
        cache[key] = found
    return found


def opd_admins(opd_id: int) -> list[User]:
    """The admins of one OPD."""
    return people_of(("opd", opd_id))


def site_people(slot: SlotLike) -> list[User]:
    """The PJ lokasi named on the slot, or the OPD's admins when none is named."""
    if slot.supervisor_user_id is not None:
        pj = people_of(("user", slot.supervisor_user_id))
        if pj:
            return pj
    return opd_admins(slot.opd_id)


def heads_of(bapas_id: int) -> list[User]:
    """The Kepala Bapas of one Bapas."""
    return people_of(("heads", bapas_id))


def pk_of(client: Client) -> list[User]:
    """The PK assigned to the client."""
    return [client.pk] if client.pk is not None else []


def agreement_parties(agreement: Agreement) -> list[User]:
    """Both parties of an agreement: the Kepala Bapas and the Setda of the Pemda."""
    return heads_of(agreement.bapas_id) + people_of(("setda", agreement.pemda_id))


# --- events raised by the services ---------------------------------------------------


def booking_requested(placement: Placement) -> int:
    """A PK booked a client: the slot's OPD admins must answer."""
    slot = placement.slot
    return notify(
        opd_admins(slot.opd_id),
        "booking_requested",
        lambda u: (
            f"Pemesanan baru untuk klien {client_ref(placement.client, u)}",
            f"{slot.title} · mulai {placement.start_date:%d-%m-%Y}. Terima atau tolak.",
        ),
        link("placements.detail", placement_id=placement.id),
    )


def booking_decided(placement: Placement) -> int:
    """The OPD accepted or declined: the client's PK learns it."""
    accepted = placement.status == "accepted"
    verdict = "diterima" if accepted else "ditolak"
    opd = placement.slot.opd.name

    def compose(u: User) -> tuple[str, str]:
        body = f"{placement.slot.title} · {opd}"
        if not accepted and placement.decision_reason:
            body += f". Alasan: {placement.decision_reason}"
        return f"Pemesanan {client_ref(placement.client, u)} {verdict}", body

    # The OPD answered: its admins' "Terima atau tolak" notes for this booking are settled.
    settle(
        Notification.kind == "booking_requested",
        Notification.url == link("placements.detail", placement_id=placement.id),
    )
    recipients = pk_of(placement.client) or ([placement.booked_by] if placement.booked_by else [])
    return notify(
        recipients,
        "booking_decided",
        compose,
        link("placements.detail", placement_id=placement.id),
    )


def violation_opened(case: ConductCase) -> int:
    """A violation was recorded: the PK and the Kepala Bapas follow the 7-day team."""
    if case.kind != "violation":
        return 0
    from portal.codes import VIOLATION_CATEGORIES

    client = case.client
    category = VIOLATION_CATEGORIES.get(case.category, case.category)
    return notify(
        pk_of(client) + heads_of(client.bapas_id),
        "violation_opened",
        lambda u: (
            f"Pelanggaran dicatat: {client_ref(client, u)}",
            f"{category}, {case.occurred_on:%d-%m-%Y}. Usulkan tim pemeriksa (7 hari).",
        ),
        link("supervision.conduct", case_id=case.id),
    )


def session_missed(placement: Placement, day: date, without_outcome: bool = False) -> int:
    """A planned work day passed without attendance (or without an outcome): the PK."""
    client = placement.client
    what = "belum dicatat hasilnya" if without_outcome else "terlewat"
    return notify(
        pk_of(client),
        "session_missed",
        lambda u: (
            f"Sesi kerja {day:%d-%m-%Y} {what}: {client_ref(client, u)}",
            placement.slot.title,
        ),
        link("placements.detail", placement_id=placement.id),
        event_key=f"session_missed:{placement.id}:{day.isoformat()}",
    )


def settle(*which: Any) -> None:
    """Mark read the unread notifications that ``which`` selects: what they asked is decided."""
    db.session.execute(
        update(Notification).where(*which, Notification.read_at.is_(None)).values(read_at=utcnow())
    )


def addendum_settled(addendum_id: int) -> None:
    """A proposal agreed, refused or withdrawn: its "Addendum diusulkan" notes wait no more."""
    settle(Notification.event_key == f"addendum_proposed:{addendum_id}")


def addendum_proposed(agreement: Agreement, addendum_id: int, by: User | None) -> int:
    """One party proposed an addendum: both parties (but the proposer) are told."""
    return notify(
        [u for u in agreement_parties(agreement) if by is None or u.id != by.id],
        "addendum_proposed",
        lambda u: (
            f"Addendum diusulkan: {agreement.title}",
            "Addendum mengikat setelah disetujui kedua pihak (NK Pasal 15).",
        ),
        link("agreements.detail", agreement_id=agreement.id),
        event_key=f"addendum_proposed:{addendum_id}",
    )


def addendum_confirmed(agreement: Agreement, addendum_id: int) -> int:
    """The other party confirmed an addendum: both parties are told."""
    # The end after the addendum (the signed agreement's own date stays as signed).
    db.session.flush()
    db.session.refresh(agreement, ["addenda"])
    end = agreement.effective_valid_until
    until = f" sampai {end:%d-%m-%Y}" if end else ""
    addendum_settled(addendum_id)  # agreed: the proposal waits for no one any more
    return notify(
        agreement_parties(agreement),
        "addendum_confirmed",
        lambda u: (f"Addendum disetujui: {agreement.title}", f"Kesepakatan berlaku{until}."),
        link("agreements.detail", agreement_id=agreement.id),
        event_key=f"addendum_confirmed:{addendum_id}",
    )


# --- the inbox -------------------------------------------------------------------------


def inbox(user: User, limit: int = 50) -> list[Notification]:
    """The user's notifications, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (every page's header shows it)."""
    return db.session.scalar(_unread_count(), {"user_id": user.id}) or 0


@functools.cache
def _unread_count() -> Select[int]:
    return (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))
    )


def own_notification(user: User, notification_id: int) -> Notification | None:
    """The user's own notification with that id (None for anyone else's)."""
    note = db.session.get(Notification, notification_id)
    return note if note is not None and note.user_id == user.id else None


def mark_read(note: Notification) -> Notification:
    """Mark one notification read (once; the first reading time stays)."""
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.flush()
    return note


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    # An UPDATE gives a CursorResult; Session.execute() is typed for every kind of statement.
    return cast(CursorResult[Any], result).rowcount or 0
