"""Reading agreements for a user, with their validity."""

from __future__ import annotations

from itertools import groupby

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import clock, policy
from portal.agreements.validity import Validity, validity_on
from portal.extensions import db
from portal.models import Agreement, User, WorkplanActivity


def validity(agreement: Agreement) -> Validity:
    """The agreement's validity today, counting addenda that extend it."""
    return validity_on(
        agreement.status,
        agreement.signed_on,
        agreement.effective_valid_until,
        clock.today(),
        current_app.config["AGREEMENT_WARNING_DAYS"],
    )


def list_agreements(user: User) -> list[Agreement]:
    """Agreements the user is a party to, newest first."""
    stmt = (
        select(Agreement)
        .where(policy.agreements_scope(user))
        .options(selectinload(Agreement.addenda), selectinload(Agreement.bapas))
        .order_by(Agreement.signed_on.desc().nulls_last(), Agreement.id)
    )
    return list(db.session.scalars(stmt))


def activities_by_stage(
    agreement: Agreement,
) -> list[tuple[tuple[int, str], list[WorkplanActivity]]]:
    """The Rencana Kerja grouped by stage, in order."""
    ordered = sorted(agreement.activities, key=lambda a: (a.stage, a.seq))
    return [
        (key, list(items)) for key, items in groupby(ordered, key=lambda a: (a.stage, a.stage_name))
    ]
