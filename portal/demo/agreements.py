"""Demo addendum: keeps the seeded Madiun–Ngawi agreement in force on any day.

The seeds keep the agreement as signed (27-11-2025, one year). When the demo
runs on a day the agreement has expired, or is about to, the demo records a
plainly fictitious addendum, marked "(Demo)", proposed by the demo Kepala Bapas
and confirmed by the demo Setda through the same services as the web, which
keeps it in force for another year (and moves the slots that ended with it).

Idempotent: nothing is added while the agreement stays in force beyond the
warning period.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from portal import clock
from portal.agreements.addenda import AddendumInput, confirm_addendum, propose_addendum
from portal.agreements.rules import one_year_after
from portal.extensions import db
from portal.models import Agreement, Bapas, Pemda, User


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def demo_agreement() -> Agreement | None:
    """The seeded agreement the demo story lives under (Bapas Madiun × Pemkab Ngawi)."""
    return db.session.scalar(
        select(Agreement)
        .join(Bapas, Bapas.id == Agreement.bapas_id)
        .join(Pemda, Pemda.id == Agreement.pemda_id)
        .where(Bapas.code == "MDN", Pemda.code == "NGAWI")
    )


def build_demo_addendum() -> None:
    """Record a '(Demo)' addendum, agreed by both parties, when the agreement ends soon."""
    agreement = demo_agreement()
    head, setda = _user("kabapas.madiun"), _user("setda.ngawi")
    if agreement is None or agreement.signed_on is None or head is None or setda is None:
        return
    today = clock.today()
    end = agreement.effective_valid_until
    if end is None or (end - today).days > current_app.config["AGREEMENT_WARNING_DAYS"]:
        return
    # Signed shortly before the old end, or (demo run long after it) a few weeks ago, so
    # that the story's recent placements lie inside the renewed agreement.
    signed = min(today, max(end - timedelta(days=14), today - timedelta(days=60)))
    signed = max(signed, agreement.signed_on)
    valid_until = one_year_after(max(end, signed))
    proposal = propose_addendum(
        agreement,
        AddendumInput(
            number_bapas=f"WP.15.PAS.42.HK.01.02-DEMO/{signed.year} (Demo)",
            number_pemda=f"400.9.4.3/DEMO/NK/{signed.year} (Demo)",
            signed_on=signed,
            valid_until=valid_until,
            summary=(
                "Addendum fiktif untuk demonstrasi portal (Demo): kesepakatan diperpanjang "
                "satu tahun dengan isi yang sama. Bukan dokumen sebenarnya."
            ),
        ),
        head,
    )
    confirm_addendum(proposal, setda, extend_slots=True)
    db.session.flush()
