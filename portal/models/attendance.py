"""Daily attendance (Pedoman Lampiran III): only verified minutes count as served."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    and_,
    delete,
    extract,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal.extensions import Model
from portal.models.base import UTCDateTime, lock_rows, recount_on_flush, utcnow
from portal.models.placement import Placement
from portal.models.user import User


class Attendance(Model):
    """One day's work of a client at a placement."""

    __tablename__ = "attendance"
    # Records still to verify are read per placement among a year of verified ones, counted
    # and sorted on the index alone; a placement's record of one day by (placement, date).
    __table_args__ = (
        Index(
            "ix_attendance_placement_id_waiting",
            "placement_id",
            "verified",
            "superseded_by_id",
            "work_date",
            "time_in",
        ),
        Index("ix_attendance_placement_id_work_date", "placement_id", "work_date"),
        # The same, of the records still to verify only (a few among a year of verified
        # ones): a user's waiting records counted and sorted from a small index. Its columns
        # are the full one's, so SQLite, which weighs the two alike, takes the later one.
        Index(
            "ix_attendance_placement_id_to_verify",
            "placement_id",
            "verified",
            "superseded_by_id",
            "work_date",
            "time_in",
            sqlite_where=text("verified IS 0 AND superseded_by_id IS NULL"),
            postgresql_where=text("verified IS false AND superseded_by_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    work_date: Mapped[date] = mapped_column(Date, index=True)
    time_in: Mapped[time] = mapped_column(Time)
    time_out: Mapped[time] = mapped_column(Time)
    minutes: Mapped[int] = mapped_column(Integer)
    activity: Mapped[str] = mapped_column(Text, default="")
    photo_path: Mapped[str | None] = mapped_column(String(300))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A correction replaces a verified record; the original stays, marked superseded.
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("attendance.id"))
    # Why this record replaces a verified one (empty for an original record).
    correction_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    placement: Mapped[Placement] = relationship()
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


# What counts toward the sentence: verified and not replaced by a correction, as the
# ledger's minutes_verified counts it; the kept months sum these records.
VERIFIED_LIVE = and_(Attendance.verified.is_(True), Attendance.superseded_by_id.is_(None))


class AttendanceMonth(Model):
    """A placement's verified minutes of one month, kept on every write of its attendance.

    The monitoring's monthly totals per client and OPD read these few rows per placement
    instead of a year of daily records. What they count is the hours ledger's rule: verified
    records not replaced by a correction. ``recount_months`` sets them from the records.
    """

    __tablename__ = "attendance_month"

    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), primary_key=True)
    # Year and month as one number: 202611 is November 2026.
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)  # the month's first day worked
    minutes: Mapped[int] = mapped_column(Integer)


def recount_months(connection: Connection, placement_ids: Iterable[int] | None = None) -> None:
    """Set the ``AttendanceMonth`` rows of ``placement_ids`` (every placement when None) from
    their verified, live attendance records.

    On PostgreSQL the placements are locked first, in id order (FOR NO KEY UPDATE, as the
    other totals are): a second writer of the same placement waits, then reads what the
    first committed. The services lock the client before writing attendance anyway."""
    chosen = sorted(set(placement_ids)) if placement_ids is not None else None
    if chosen == []:
        return
    months = AttendanceMonth.__table__
    work_month = extract("year", Attendance.work_date) * 100 + extract(
        "month", Attendance.work_date
    )
    counted = (
        select(
            Attendance.placement_id,
            work_month,
            func.min(Attendance.work_date),
            func.sum(Attendance.minutes),
        )
        .where(VERIFIED_LIVE)
        .group_by(Attendance.placement_id, work_month)
    )
    cleared = delete(months)
    if chosen is not None:
        lock_rows(connection, Placement.__table__, chosen)
        counted = counted.where(Attendance.placement_id.in_(chosen))
        cleared = cleared.where(months.c.placement_id.in_(chosen))
    connection.execute(cleared)
    connection.execute(
        insert(months).from_select(["placement_id", "month", "first_day", "minutes"], counted)
    )


def _months_written(session: Session, placement_ids: set[int]) -> None:
    recount_months(session.connection(), placement_ids)
    for obj in session.identity_map.values():
        if isinstance(obj, AttendanceMonth) and obj.placement_id in placement_ids:
            session.expire(obj)


# A record added, deleted, verified, replaced or moved changes its placement's months.
recount_on_flush(
    Attendance,
    "placement_id",
    ("placement_id", "verified", "superseded_by_id", "work_date", "minutes"),
    _months_written,
)
