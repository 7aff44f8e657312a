"""Demo accounts and plainly fictitious demo data, for trying the portal out.

One module per area in this package builds that area's records through the area's
services; ``DEMO_BUILDERS`` runs them in order after the accounts exist, and each is
idempotent. Nothing in the application imports this package: ``flask demo`` and the
tests do.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from portal.auth.services import hash_password
from portal.config import DEMO_PASSWORD
from portal.demo.agreements import build_demo_addendum
from portal.demo.attendance import build_attendance_demo
from portal.demo.clients import build_demo_clients
from portal.demo.monitoring import build_demo_monitoring_clients, build_demo_workplan_reports
from portal.demo.sessions import build_demo_sessions
from portal.demo.slots import build_demo_slots
from portal.extensions import db
from portal.models import Bapas, Opd, Pemda, Role, User

# username, full name, role, organisation kind, organisation code, position
DEMO_ACCOUNTS: list[tuple[str, str, str, str | None, str | None, str]] = [
    ("admin", "Admin Portal (Demo)", Role.ADMIN, None, None, "Operator portal"),
    ("setda.ngawi", "Sri Lestari (Demo)", Role.SETDA, "pemda", "NGAWI", "Analis Tata Pemerintahan"),
    (
        "kabapas.madiun",
        "Bambang Wicaksono (Demo)",
        Role.KEPALA_BAPAS,
        "bapas",
        "MDN",
        "Kepala Bapas",
    ),
    (
        "pk.madiun",
        "Rina Kusumawati (Demo)",
        Role.PK,
        "bapas",
        "MDN",
        "Pembimbing Kemasyarakatan Muda",
    ),
    (
        "pk2.madiun",
        "Agus Prasetyo (Demo)",
        Role.PK,
        "bapas",
        "MDN",
        "Pembimbing Kemasyarakatan Pertama",
    ),
    ("opd.dinsos", "Dewi Anggraini (Demo)", Role.OPD_ADMIN, "opd", "NGAWI-DINSOS", "Kasubag Umum"),
    ("opd.dlh", "Hendra Saputra (Demo)", Role.OPD_ADMIN, "opd", "NGAWI-DLH", "Kasubag Umum"),
    ("opd.rsud", "dr. Maya Puspita (Demo)", Role.OPD_ADMIN, "opd", "NGAWI-RSUD", "Kabag Umum"),
    (
        "pj.dinsos",
        "Slamet Riyadi (Demo)",
        Role.SITE_SUPERVISOR,
        "opd",
        "NGAWI-DINSOS",
        "Pengawas Lapangan",
    ),
]

# Each area's builder, in order: the agreement in force on the day the demo runs (before any
# slot), slots, clients and placements, monitoring, attendance and PK visits on the demo
# placements, then sessions planned from today for every running placement (after all records).
DEMO_BUILDERS: list[Callable[[], None]] = [
    build_demo_addendum,
    build_demo_slots,
    build_demo_clients,
    build_demo_monitoring_clients,
    build_demo_workplan_reports,
    build_attendance_demo,
    build_demo_sessions,
]


def create_demo_accounts() -> list[User]:
    """Create (or reset) the demo accounts, all with the demo password."""
    models: dict[str, type[Bapas | Pemda | Opd]] = {"bapas": Bapas, "pemda": Pemda, "opd": Opd}
    password_hash = hash_password(DEMO_PASSWORD)
    users = []
    for username, full_name, role, kind, code, position in DEMO_ACCOUNTS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, full_name=full_name, role=role)
            db.session.add(user)
        org_id = None
        if kind and code:
            model = models[kind]
            org_id = db.session.scalar(select(model.id).where(model.code == code))
            if org_id is None:
                raise RuntimeError(f"Organisasi {code} belum ada: jalankan 'flask seed' dulu.")
        user.full_name = full_name
        user.role = role
        user.position = position
        user.email = f"{username}@demo.invalid"
        user.bapas_id = org_id if kind == "bapas" else None
        user.pemda_id = org_id if kind == "pemda" else None
        user.opd_id = org_id if kind == "opd" else None
        user.enabled = True
        user.password_hash = password_hash
        users.append(user)
    db.session.flush()
    return users


def load_demo() -> None:
    """Demo accounts, then every area's demo data."""
    create_demo_accounts()
    for builder in DEMO_BUILDERS:
        builder()
        db.session.flush()
