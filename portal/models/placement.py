"""Placements: a client booked into a slot with a weekly schedule."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Connection,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from portal.extensions import Model
from portal.models.base import ClientRecord, UTCDateTime, recount_on_flush, set_totals, utcnow
from portal.models.client import Client
from portal.models.slot import Slot
from portal.models.user import User
from portal.statuses import PlacementStatus


def schedule_weekdays(schedule: Iterable[dict[str, Any]] | None) -> int:
    """The weekdays a weekly schedule has a window on, as bits: Monday (weekday 0) is 1,
    Tuesday 2, ... Sunday 64; no window 0. The reference for ``Placement.weekdays``."""
    bits = 0
    for window in schedule or []:
        bits |= 1 << int(window["weekday"])
    return bits


def _weekdays_inserted(context: DefaultExecutionContext) -> int:
    """``Placement.weekdays`` of a row inserted without it (bulk and Core inserts): from
    the row's schedule."""
    return schedule_weekdays(context.get_current_parameters().get("schedule"))


class Placement(ClientRecord, Model):
    """A booking of one client into one slot."""

    __tablename__ = "placement"
    # A page of clients' placements in given states (ledgers, lists) by client first; it
    # covers the placement list's default order (waiting first, newest booking first) and
    # a PK's sum of sessions.
    __table_args__ = (
        Index(
            "ix_placement_client_id_status_booked_at_sessions",
            "client_id",
            "status",
            "booked_at",
            "session_count",
        ),
        # A Bapas's and an OPD's placements (their own keys, ``placement_keys``) in the
        # order of the list's bookings, with what the lists count and sort by: a page, a
        # count or a sum of sessions read from the index alone, not from every placement
        # of the province.
        Index(
            "ix_placement_bapas_id_booked_at",
            "bapas_id",
            "booked_at",
            "id",
            "status",
            "session_count",
        ),
        Index("ix_placement_opd_id_booked_at", "opd_id", "booked_at", "id", "status"),
        # A slot's placements (its seats, a PJ's sites) with what today's attendance reads
        # of them, their id last: PostgreSQL finds a PJ's few placements slot by slot from
        # the index alone instead of scanning every placement of the province or reading
        # each placement's row for its id.
        Index(
            "ix_placement_slot_id_today",
            "slot_id",
            "client_id",
            "status",
            "weekdays",
            "start_date",
            "deadline",
            "id",
        ),
        # Today's attendance of a Bapas side: its clients' working placements, their site,
        # weekdays, dates and id read from the index alone (not from each placement's row).
        Index(
            "ix_placement_client_id_status_today",
            "client_id",
            "status",
            "slot_id",
            "weekdays",
            "start_date",
            "deadline",
            "id",
        ),
    )

    slot_id: Mapped[int] = mapped_column(ForeignKey("slot.id"))
    # The client's Bapas and the slot's OPD, set when the placement is written (neither
    # ever changes for a client or a slot): the scopes of a Kepala Bapas and an OPD admin.
    bapas_id: Mapped[int | None] = mapped_column(ForeignKey("bapas.id"))
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    status: Mapped[str] = mapped_column(String(20), default=PlacementStatus.BOOKED, index=True)
    start_date: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    schedule: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The schedule's weekdays as bits (``schedule_weekdays``), kept with the schedule: set
    # whenever the schedule is (``_schedule_set``) and on inserts that leave it out, so
    # today's attendance finds the day's placements without reading every schedule.
    weekdays: Mapped[int] = mapped_column(Integer, default=_weekdays_inserted, server_default="0")
    hours_planned: Mapped[int] = mapped_column(Integer)
    # How many work sessions the placement has (any status): kept by every flush and bulk
    # write of sessions (``work_session.recount_sessions``), so a list counts by placement.
    session_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    score: Mapped[float | None] = mapped_column(Float)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str] = mapped_column(Text, default="")

    slot: Mapped[Slot] = relationship()
    booked_by: Mapped[User | None] = relationship(foreign_keys=[booked_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @validates("schedule")
    def _schedule_set(self, _key: str, schedule: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.weekdays = schedule_weekdays(schedule)
        return schedule


SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


def with_slot_and_client(query: SelectT) -> SelectT:
    """``query`` over placements, joined to each placement's slot and client."""
    return query.join(Slot, Placement.slot_id == Slot.id).join(
        Client, Placement.client_id == Client.id
    )


# --- the Bapas and the OPD of a placement ---------------------------------------------
# Set when the placement is written (through the ORM when it is added or moved to another
# client or slot; bulk loads set them on their rows).


def placement_keys(client_id: Any, slot_id: Any) -> Select[Any]:
    """SQL: (the client's Bapas, the slot's OPD) - the reference for ``Placement.bapas_id``
    and ``opd_id`` (``client_id`` and ``slot_id``: values or columns)."""
    return select(*_keys(client_id, slot_id).values())


def _keys(client_id: Any, slot_id: Any) -> dict[str, Any]:
    return {
        "bapas_id": select(Client.bapas_id).where(Client.id == client_id).scalar_subquery(),
        "opd_id": select(Slot.opd_id).where(Slot.id == slot_id).scalar_subquery(),
    }


def fill_keys(connection: Connection, placement_ids: Iterable[int] | None = None) -> None:
    """Set ``bapas_id`` and ``opd_id`` of ``placement_ids`` (all when None) from their client
    and slot: for rows inserted in bulk, which bypass the ORM."""
    table = Placement.__table__
    set_totals(connection, table, _keys(table.c.client_id, table.c.slot_id), placement_ids)


@event.listens_for(Placement, "before_insert")
def _keys_of_a_new_placement(_mapper: Any, connection: Connection, target: Placement) -> None:
    if target.bapas_id is None or target.opd_id is None:
        _set_keys(connection, target)


@event.listens_for(Placement, "before_update")
def _keys_of_a_moved_placement(_mapper: Any, connection: Connection, target: Placement) -> None:
    changed = inspect(target).attrs
    if changed.client_id.history.has_changes() or changed.slot_id.history.has_changes():
        _set_keys(connection, target)


def _set_keys(connection: Connection, target: Placement) -> None:
    client_id = target.client_id or target.client.id
    slot_id = target.slot_id or target.slot.id
    target.bapas_id, target.opd_id = connection.execute(placement_keys(client_id, slot_id)).one()


# --- seats kept on the slot --------------------------------------------------------
# Every flush that adds, deletes, moves or changes the status of a placement recounts the
# seats of the slots concerned, in the same transaction: first the slot rows are locked
# (in id order, so two writers never wait on each other crosswise), then one UPDATE sets
# ``Slot.occupied`` from the placements. Under READ COMMITTED the UPDATE's snapshot is
# taken after the lock was granted, so it sees every placement a concurrent writer of the
# same slot committed. Bulk inserts that bypass the ORM call ``recount_seats`` themselves.


def recount_seats(connection: Connection, slot_ids: Iterable[int] | None = None) -> None:
    """Set ``Slot.occupied`` of ``slot_ids`` (all slots when None) from their placements."""
    slot = Slot.__table__
    held = (
        select(func.count(Placement.id))
        .where(
            Placement.slot_id == slot.c.id,
            Placement.status.in_(PlacementStatus.SEAT_HOLDING),
        )
        .scalar_subquery()
    )
    # updated_at keeps its value: a seat taken is not an edit of the slot.
    set_totals(
        connection, slot, {"occupied": held, "updated_at": slot.c.updated_at}, slot_ids, lock=True
    )


def _seats_written(session: Session, slots: set[int]) -> None:
    recount_seats(session.connection(), slots)
    for obj in session.identity_map.values():
        if isinstance(obj, Slot) and obj.id in slots:
            session.expire(obj, ["occupied"])


# A placement added, deleted, moved or changing status changes its slot's seats.
recount_on_flush(Placement, "slot_id", ("status", "slot_id"), _seats_written)
