"""Daily attendance (Pedoman Lampiran III): only verified minutes count as served."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Time, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.base import UTCDateTime, utcnow
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
