"""PK visits (Lampiran IV) on demo placements, shared by the client and attendance builders."""

from __future__ import annotations

import contextlib
from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Assessment, Placement, User
from portal.refusals import Refused
from portal.supervision import rules
from portal.supervision.services import AssessmentInput, record_assessment


def has_visits(placement: Placement) -> bool:
    """True once the placement's client has any assessment (the builders then leave it)."""
    visits = select(func.count(Assessment.id)).where(Assessment.client_id == placement.client_id)
    return bool(db.session.scalar(visits))


def record_visit(
    placement: Placement, pk: User, on: date, *, late: bool, stage: str, note: str
) -> None:
    """A visit with every indicator met (but punctuality when ``late``); a refusal skips it."""
    indicators = {code: True for code in rules.INDICATORS}
    if late:
        indicators["on_time"] = False
    with contextlib.suppress(Refused):
        record_assessment(
            placement.client,
            AssessmentInput(
                "visit", on, indicators, stage, note, placement.slot.title, placement.id
            ),
            pk,
        )
