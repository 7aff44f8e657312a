"""The case plan of a placement (Pedoman 2.2.6 f): ten parts, printed as Lampiran I."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.base import UTCDateTime, utcnow
from portal.models.placement import Placement
from portal.models.user import User


class CasePlan(Model):
    """Rencana penempatan: the ten parts, filled from the placement and editable by the PK."""

    __tablename__ = "case_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), unique=True)
    place: Mapped[str] = mapped_column(Text)  # 1
    institution: Mapped[str] = mapped_column(String(300))  # 2
    institution_kind: Mapped[str] = mapped_column(String(20))  # 2: government / non_government
    total_hours: Mapped[int] = mapped_column(Integer)  # 3
    schedule: Mapped[str] = mapped_column(Text)  # 4
    supervisor: Mapped[str] = mapped_column(Text)  # 5
    work_description: Mapped[str] = mapped_column(Text)  # 6
    pk_visits: Mapped[str] = mapped_column(Text)  # 7
    counselling: Mapped[str] = mapped_column(Text)  # 8
    evaluation: Mapped[str] = mapped_column(Text)  # 9
    special_needs: Mapped[str] = mapped_column(Text)  # 10
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    placement: Mapped[Placement] = relationship()
    updated_by: Mapped[User | None] = relationship()
