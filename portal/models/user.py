"""Accounts, their roles and organisations, and the failed-login throttle."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.base import UTCDateTime, utcnow
from portal.models.organisation import Bapas, Opd, Pemda

# The organisation an account without one (the portal's admin) is shown under.
PORTAL_NAME = "Portal Sinergi"


class Role:
    """The six roles of DOMAIN.md, with the codes the API uses."""

    ADMIN = "admin"
    OPD_ADMIN = "opd_admin"
    SITE_SUPERVISOR = "site_supervisor"
    PK = "pk"
    KEPALA_BAPAS = "kepala_bapas"
    SETDA = "setda"
    ALL = (ADMIN, OPD_ADMIN, SITE_SUPERVISOR, PK, KEPALA_BAPAS, SETDA)
    BAPAS_ROLES = (PK, KEPALA_BAPAS)
    OPD_ROLES = (OPD_ADMIN, SITE_SUPERVISOR)
    LABELS = {
        ADMIN: "Admin sistem",
        OPD_ADMIN: "Admin OPD",
        SITE_SUPERVISOR: "Penanggung jawab lokasi",
        PK: "PK Bapas",
        KEPALA_BAPAS: "Kepala Bapas",
        SETDA: "Sekretariat Daerah",
    }


class User(UserMixin, Model):
    """A person who signs in; role and organisation decide what he may see."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(160))
    email: Mapped[str | None] = mapped_column(String(200), unique=True)
    nip: Mapped[str | None] = mapped_column(String(18))
    phone: Mapped[str] = mapped_column(String(40), default="")
    position: Mapped[str] = mapped_column(String(160), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    bapas_id: Mapped[int | None] = mapped_column(ForeignKey("bapas.id"), index=True)
    pemda_id: Mapped[int | None] = mapped_column(ForeignKey("pemda.id"), index=True)
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    # Bumped on password change or disable, so old sessions stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    bapas: Mapped[Bapas | None] = relationship()
    pemda: Mapped[Pemda | None] = relationship()
    opd: Mapped[Opd | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts
        return self.enabled

    def get_id(self) -> str:
        """Session identifier: id plus version, so a password change ends other sessions."""
        return f"{self.id}:{self.session_version}"

    @property
    def role_label(self) -> str:
        """The role's name as users read it."""
        return Role.LABELS.get(self.role, self.role)

    @property
    def organisation_type(self) -> str | None:
        """'bapas', 'pemda' or 'opd'; None for the portal's admin."""
        if self.opd_id:
            return "opd"
        if self.bapas_id:
            return "bapas"
        if self.pemda_id:
            return "pemda"
        return None

    @property
    def organisation(self) -> Bapas | Pemda | Opd | None:
        """The organisation the account belongs to."""
        return self.opd or self.bapas or self.pemda

    @property
    def organisation_name(self) -> str:
        """The organisation's name, or the portal for admins."""
        org = self.organisation
        return org.name if org else PORTAL_NAME

    @property
    def effective_pemda_id(self) -> int | None:
        """The Pemda of a setda user or of an OPD user's agency."""
        if self.opd is not None:
            return self.opd.pemda_id
        return self.pemda_id

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginThrottle(Model):
    """Consecutive failed sign-ins per username, kept in the database so every worker agrees."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
