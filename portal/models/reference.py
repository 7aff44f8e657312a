"""Reference data: the job catalogue, place types and forms of work (Pedoman tables 1-3)."""

from __future__ import annotations

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model


class JobCategory(Model):
    """One of the five groups of work of the Trenggalek plan's catalogue."""

    __tablename__ = "job_category"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class PlaceType(Model):
    """A kind of place where the work is done (Pedoman table 1)."""

    __tablename__ = "place_type"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500), default="")
    sort: Mapped[int] = mapped_column(Integer, default=0)


class JobForm(Model):
    """Forms of work per institution (Pedoman tables 2 and 3)."""

    __tablename__ = "job_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # government or non_government
    body: Mapped[str] = mapped_column(String(200), unique=True)
    sector: Mapped[str] = mapped_column(String(40))
    category: Mapped[str | None] = mapped_column(String(40))
    place_type: Mapped[str | None] = mapped_column(String(40))
    forms: Mapped[list[str]] = mapped_column(JSON, default=list)
    sort: Mapped[int] = mapped_column(Integer, default=0)
