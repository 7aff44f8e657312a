"""Organisations: Bapas (probation offices), Pemda (local governments) and their OPDs."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.fields import LETTER_NUMBER

if TYPE_CHECKING:
    from portal.models.agreement import Agreement


class _Organisation:
    """An organisation: its id, where it is and how to call it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")


class _Office(_Organisation):
    """An office that writes letters: also its e-mail and the name of its head."""

    email: Mapped[str] = mapped_column(String(160), default="")
    head_name: Mapped[str] = mapped_column(String(160), default="")


class Bapas(_Office, Model):
    """A Balai Pemasyarakatan, the probation office whose PKs supervise clients."""

    __tablename__ = "bapas"

    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    full_name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    # How many unacceptable absences (or sent home for conduct) open a violation record.
    absences_for_case: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Numbering of outgoing letters set by the admin, e.g. "W15.PAS.PAS42-PK.01.05.02-{seq}".
    letter_pattern: Mapped[str] = mapped_column(String(120), default="")

    agreements: Mapped[list[Agreement]] = relationship(back_populates="bapas")

    def __repr__(self) -> str:
        return f"<Bapas {self.code}>"


class Pemda(_Office, Model):
    """A regency or city government that signs an agreement with a Bapas."""

    __tablename__ = "pemda"

    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(100))
    head_title: Mapped[str] = mapped_column(String(160), default="")
    # Approximate territory as a list of [lat, lng] points; used to check slot coordinates.
    # A polygon of many points: read only where a map or a location check needs it, not
    # with every account or agreement that names the Pemda.
    boundary: Mapped[list[Any]] = mapped_column(JSON, default=list, deferred=True)

    opds: Mapped[list[Opd]] = relationship(back_populates="pemda", order_by="Opd.name")
    agreements: Mapped[list[Agreement]] = relationship(back_populates="pemda")

    def __repr__(self) -> str:
        return f"<Pemda {self.code}>"


class Opd(_Organisation, Model):
    """A partner that offers work slots: a Perangkat Daerah of a Pemda (under the NK), or a
    non-government place or Pokmas Lipas in the Pemda's area under its own PKS with the
    Bapas (Pedoman 2.1.2, Lampiran V)."""

    __tablename__ = "opd"

    pemda_id: Mapped[int] = mapped_column(ForeignKey("pemda.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    # government (an OPD under the NK), non_government, pokmas_lipas (own PKS with the Bapas)
    kind: Mapped[str] = mapped_column(String(20), default="government")
    pks_bapas_id: Mapped[int | None] = mapped_column(ForeignKey("bapas.id"))
    pks_number: Mapped[str] = mapped_column(String(LETTER_NUMBER), default="")
    pks_signed_on: Mapped[date | None] = mapped_column(Date)
    pks_valid_until: Mapped[date | None] = mapped_column(Date)
    pks_scope: Mapped[str] = mapped_column(Text, default="")
    pks_document: Mapped[str] = mapped_column(String(80), default="")
    # Pedoman 2.1.2: the identification before the PKS (profile, visit, finding).
    identified_on: Mapped[date | None] = mapped_column(Date)
    identification_notes: Mapped[str] = mapped_column(Text, default="")
    identification_feasible: Mapped[bool] = mapped_column(Boolean, default=False)

    pemda: Mapped[Pemda] = relationship(back_populates="opds")
    pks_bapas: Mapped[Bapas | None] = relationship()

    def __repr__(self) -> str:
        return f"<Opd {self.code}>"
