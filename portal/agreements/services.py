"""Reading agreements for a user, with their validity."""

from __future__ import annotations

from datetime import date
from itertools import groupby

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal import audit, cache, clock, policy, queries
from portal.agreements.rules import AgreementInput, check_agreement
from portal.agreements.validity import Validity, urgency, validity_on
from portal.extensions import db
from portal.models import Addendum, AddendumStatus, Agreement, Bapas, Pemda, User, WorkplanActivity
from portal.models.agreement import effective_end
from portal.refusals import Refused


def validity(agreement: Agreement) -> Validity:
    """The agreement's validity today, counting addenda that extend it."""
    return validity_on(
        agreement.status,
        agreement.signed_on,
        agreement.effective_valid_until,
        clock.today(),
        current_app.config["AGREEMENT_WARNING_DAYS"],
    )


def expired_agreements_of(user: User) -> list[tuple[Agreement, Validity]]:
    """The user's agreements that have ended, with their validity (the notice on pages where
    publishing or booking stops). Their states are told from one row each (dates, and the
    latest end of an addendum in force); the agreements are read whole only when one has
    ended."""
    extended = (
        select(func.max(Addendum.new_valid_until))
        .where(Addendum.agreement_id == Agreement.id, Addendum.status == AddendumStatus.IN_FORCE)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Agreement.id, Agreement.status, Agreement.signed_on, Agreement.valid_until, extended
        ).where(policy.agreements_scope(user))
    )
    today, warning = clock.today(), current_app.config["AGREEMENT_WARNING_DAYS"]
    ended: dict[int, Validity] = {}
    for agreement_id, status, signed_on, valid_until, new_end in rows:
        state = validity_on(status, signed_on, effective_end(valid_until, new_end), today, warning)
        if state.state == "expired":
            ended[agreement_id] = state
    if not ended:
        return []
    return [(a, ended[a.id]) for a in list_agreements(user) if a.id in ended]


def list_agreements(user: User) -> list[Agreement]:
    """Agreements the user is a party to, newest first, read once per request.

    They are read with their Bapas and Pemda (every dashboard names both). They are also
    the agreements a user who may monitor follows (``monitoring.services.
    monitored_agreements``): for him, and for whoever reports on Rencana Kerja activities,
    their Rencana Kerja, which the dashboards and monitoring pages draw, is read with them.
    """
    options = [
        selectinload(Agreement.addenda),
        joinedload(Agreement.bapas),
        joinedload(Agreement.pemda),
    ]
    if policy.may(user, "monitoring.view") or policy.may(user, "workplan.own_activities"):
        options.append(selectinload(Agreement.activities))
    return cache.per_request(
        f"agreements:{user.id}",
        lambda: queries.agreements(policy.agreements_scope(user), *options),
    )


def ranked_agreements(user: User) -> list[tuple[Agreement, Validity]]:
    """``list_agreements`` with each one's validity, the most urgent first (``urgency``):
    what a dashboard lists, in its banner, its card and its validity widget (ranked once
    per request)."""
    return cache.per_request(
        f"ranked-agreements:{user.id}",
        lambda: sorted(
            ((agreement, validity(agreement)) for agreement in list_agreements(user)),
            key=lambda row: urgency(row[1]),
        ),
    )


def activities_by_stage(
    agreement: Agreement,
) -> list[tuple[tuple[int, str], list[WorkplanActivity]]]:
    """The Rencana Kerja grouped by stage, in order."""
    ordered = sorted(agreement.activities, key=lambda a: (a.stage, a.seq))
    return [
        (key, list(items)) for key, items in groupby(ordered, key=lambda a: (a.stage, a.stage_name))
    ]


def save_agreement(
    agreement: Agreement | None,
    *,
    bapas_id: int,
    pemda_id: int,
    title: str,
    data: AgreementInput,
    signatory_bapas: str = "",
    signatory_pemda: str = "",
    notes: str = "",
) -> Agreement:
    """Create or change an agreement after the rules; one agreement per Bapas and Pemda."""
    errors = check_agreement(data)
    if db.session.get(Bapas, bapas_id) is None:
        errors["bapas_id"] = "Bapas tidak dikenal."
    if db.session.get(Pemda, pemda_id) is None:
        errors["pemda_id"] = "Pemda tidak dikenal."
    clash = db.session.scalar(
        select(Agreement).where(Agreement.bapas_id == bapas_id, Agreement.pemda_id == pemda_id)
    )
    if clash is not None and clash is not agreement:
        errors["pemda_id"] = "Bapas dan Pemda ini sudah memiliki kesepakatan (satu per pasangan)."
    if errors:
        raise Refused(errors)
    creating = agreement is None
    if agreement is None:
        agreement = Agreement(bapas_id=bapas_id, pemda_id=pemda_id, title=title)
        db.session.add(agreement)
    agreement.bapas_id = bapas_id
    agreement.pemda_id = pemda_id
    agreement.title = title.strip()
    agreement.status = data.status
    agreement.number_bapas = data.number_bapas.strip() or None
    agreement.number_pemda = data.number_pemda.strip() or None
    agreement.signed_on = data.signed_on
    agreement.valid_until = data.valid_until
    agreement.signatory_bapas = signatory_bapas.strip()
    agreement.signatory_pemda = signatory_pemda.strip()
    agreement.notes = notes.strip()
    audit.note(
        agreement,
        "agreement_created" if creating else "agreement_changed",
        status=data.status,
        valid_until=data.valid_until.isoformat() if data.valid_until else None,
    )
    return agreement


# --- in force on a day: the ONE definition (matching, slot publishing, booking) -------


def agreement_active_on(agreement: Agreement, day: date | None = None) -> bool:
    """True when the agreement is in force on ``day`` (default today), addenda counted.

    ``validity(agreement).is_active`` rests on the same ``validity_on`` rule.
    """
    return validity_on(
        agreement.status,
        agreement.signed_on,
        agreement.effective_valid_until,
        day or clock.today(),
    ).is_active
