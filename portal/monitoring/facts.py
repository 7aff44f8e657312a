"""The SQL side of the monitoring indicators: the scope's records read into plain facts.

``load_facts(db_session, filters)`` runs a handful of queries and returns the frozen
records of ``portal.monitoring.indicators`` (ids only: no client names, no client
codes); ``summarise`` loads and computes, kept briefly in ``portal.cache``. Every
figure itself is computed by the pure functions of ``indicators``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select

from portal import cache, clock
from portal.codes import INDIVIDUAL_ASSESSMENT_KINDS
from portal.extensions import DbSession
from portal.models import (
    Agreement,
    Assessment,
    AttendanceMonth,
    Client,
    Closure,
    CommunityActivity,
    ConductCase,
    IndividualAssessment,
    JudgeRecommendation,
    Litmas,
    Opd,
    Placement,
    PlacementStatus,
    Slot,
)
from portal.monitoring.indicators import (
    CLOSURE_STATES,
    AttendanceFact,
    ClientFact,
    Facts,
    Filters,
    PksPartnerFact,
    PlacementFact,
    SlotFact,
    Summary,
    ViolationFact,
    compute,
)
from portal.slots.partners import PKS_KINDS


def summarise(session: DbSession, filters: Filters) -> Summary:
    """Load the facts and compute the indicators for ``filters``.

    Computed once per request and kept briefly per agreements and filter
    (``portal.cache``: a saved change to any record starts afresh).
    """
    return cache.cached(
        "monitoring-summary",
        repr(filters),
        lambda: compute(load_facts(session, filters), filters),
        local=True,
    )


def load_facts(session: DbSession, filters: Filters) -> Facts:
    """Read the scope's records for ``filters`` with a handful of queries."""
    scope = _Scope.of(filters)
    cohort = _cohort_placements(session, scope)
    attendance: list[AttendanceFact] = []
    violations: list[ViolationFact] = []
    marks = _Marks()
    if cohort:
        attendance = _attendance(session, scope)
        violations = _violations(session, scope)
        marks = _marks(session, scope, filters.end)
    clients = _client_facts(cohort, attendance, marks)
    slots = _slots(session, scope)
    opd_ids = {s.opd_id for s in slots} | {p.opd_id for c in clients for p in c.placements}
    return Facts(
        clients,
        tuple(attendance),
        tuple(violations),
        slots,
        _opd_names(session, opd_ids),
        _pks_partners(session, filters),
    )


@dataclass(frozen=True)
class _Scope:
    """The SQL conditions of a filter: the scope's slots, and its cohort of clients."""

    slots: tuple[ColumnElement[bool], ...]
    placements: ColumnElement[bool]
    # The cohort as a subquery (never a long IN list: SQLite caps bound parameters).
    cohort: Select[Any]
    received_on: Any

    @classmethod
    def of(cls, filters: Filters) -> _Scope:
        slots: list[ColumnElement[bool]] = [Slot.agreement_id.in_(filters.agreement_ids)]
        if filters.opd_id is not None:
            slots.append(Slot.opd_id == filters.opd_id)
        received_on = func.coalesce(Client.execution_order_date, Client.decision_date)
        placements = and_(
            *slots,
            Placement.status != PlacementStatus.DECLINED,
            received_on >= filters.start,
            received_on <= filters.end,
        )
        cohort = _client_placements(select(Client.id)).where(placements)
        return cls(tuple(slots), placements, cohort, received_on)


def _client_placements(query: Select[Any]) -> Select[Any]:
    """``query`` over clients joined to their placements and those placements' slots."""
    return query.join(Placement, Placement.client_id == Client.id).join(
        Slot, Slot.id == Placement.slot_id
    )


@dataclass
class _CohortClient:
    received_on: date
    decision_date: date
    hours_ordered: float
    closed_on: date | None
    placements: list[PlacementFact] = field(default_factory=list)


def _local_day(value: Any) -> date | None:
    return None if value is None else clock.local(value).date()


def _cohort_placements(session: DbSession, scope: _Scope) -> dict[int, _CohortClient]:
    """The cohort's clients with their placements in the scope, by client id."""
    rows = (
        session.connection()
        .execute(
            _client_placements(
                select(
                    Client.id,
                    scope.received_on,
                    Client.decision_date,
                    Client.hours_ordered,
                    Client.closed_at,
                    Placement.status,
                    Placement.hours_planned,
                    Placement.ended_at,
                    Slot.opd_id,
                )
            )
            .where(scope.placements)
            .order_by(Client.id, Placement.id)
        )
        .all()
    )
    cohort: dict[int, _CohortClient] = {}
    for cid, received, decided, ordered, closed_at, status, planned, ended_at, opd_id in rows:
        client = cohort.setdefault(
            cid, _CohortClient(received, decided, float(ordered), _local_day(closed_at))
        )
        client.placements.append(
            PlacementFact(opd_id, status, float(planned), _local_day(ended_at))
        )
    return cohort


def _attendance(session: DbSession, scope: _Scope) -> list[AttendanceFact]:
    """Verified minutes per client, OPD and month, with the month's first day worked.

    Read from the months kept per placement (``AttendanceMonth``: verified records not
    replaced by a correction, the hours ledger's rule), not from the daily records. Read as
    plain rows (tens of thousands on a province), without the ORM's handling of each.

    Of the cohort's placements in the scope themselves (``scope.placements``), not of every
    placement of a cohort client: the same months, as only a placement the OPD accepted
    is worked (a declined one never has attendance), read without the cohort's subquery."""
    rows = (
        session.connection()
        .execute(
            select(
                Placement.client_id,
                Slot.opd_id,
                func.min(AttendanceMonth.first_day),
                func.sum(AttendanceMonth.minutes),
            )
            .join(Placement, Placement.id == AttendanceMonth.placement_id)
            .join(Slot, Slot.id == Placement.slot_id)
            .join(Client, Client.id == Placement.client_id)
            .where(scope.placements)
            .group_by(Placement.client_id, Slot.opd_id, AttendanceMonth.month)
        )
        .all()
    )
    return [AttendanceFact(c, o, d, int(m)) for c, o, d, m in rows]


def _violations(session: DbSession, scope: _Scope) -> list[ViolationFact]:
    rows = session.execute(
        select(ConductCase.client_id, ConductCase.category, ConductCase.occurred_on).where(
            ConductCase.client_id.in_(scope.cohort), ConductCase.kind == "violation"
        )
    ).all()
    return [ViolationFact(c, category or "other", d) for c, category, d in rows]


@dataclass
class _Marks:
    """What the Bapas recorded on the cohort's clients, by client id."""

    closures: dict[int, tuple[str, date]] = field(default_factory=dict)
    assessed: set[int] = field(default_factory=set)
    final_assessed: set[int] = field(default_factory=set)
    litmas: set[int] = field(default_factory=set)
    assessment_kinds: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    recommended: set[int] = field(default_factory=set)
    in_community: set[int] = field(default_factory=set)


def _marks(session: DbSession, scope: _Scope, until: date) -> _Marks:
    def having(column: Any, *where: Any) -> set[int]:
        """The cohort's clients with at least one record of ``column``'s table."""
        query = select(column).where(column.in_(scope.cohort), *where).distinct()
        return set(session.scalars(query))

    marks = _Marks(
        litmas=having(Litmas.client_id),
        recommended=having(JudgeRecommendation.client_id),
        in_community=having(CommunityActivity.client_id, CommunityActivity.held_on <= until),
    )
    closures = select(Closure.client_id, Closure.reason, Closure.closed_on)
    for cid, reason, closed_day in session.execute(
        closures.where(Closure.client_id.in_(scope.cohort))
    ):
        marks.closures[cid] = (CLOSURE_STATES.get(reason, "terminated"), closed_day)
    for cid, kind in session.execute(
        select(Assessment.client_id, Assessment.kind)
        .where(Assessment.client_id.in_(scope.cohort))
        .distinct()
    ):
        marks.assessed.add(cid)
        if kind == "final":
            marks.final_assessed.add(cid)
    for cid, kind in session.execute(
        select(IndividualAssessment.client_id, IndividualAssessment.kind)
        .where(IndividualAssessment.client_id.in_(scope.cohort))
        .distinct()
    ):
        marks.assessment_kinds[cid].add(kind)
    return marks


def _client_facts(
    cohort: dict[int, _CohortClient], attendance: list[AttendanceFact], marks: _Marks
) -> tuple[ClientFact, ...]:
    minutes: Counter[int] = Counter()
    first_day: dict[int, date] = {}
    for a in attendance:
        minutes[a.client_id] += a.minutes
        if a.client_id not in first_day or a.work_date < first_day[a.client_id]:
            first_day[a.client_id] = a.work_date
    every_kind = set(INDIVIDUAL_ASSESSMENT_KINDS)
    return tuple(
        ClientFact(
            client_id=cid,
            received_on=c.received_on,
            decision_date=c.decision_date,
            hours_ordered=c.hours_ordered,
            placements=tuple(c.placements),
            first_verified_day=first_day.get(cid),
            verified_minutes=minutes[cid],
            closed_on=marks.closures[cid][1] if cid in marks.closures else c.closed_on,
            closure=marks.closures[cid][0] if cid in marks.closures else None,
            assessed=cid in marks.assessed,
            final_assessed=cid in marks.final_assessed,
            litmas=cid in marks.litmas,
            individually_assessed=every_kind <= marks.assessment_kinds[cid],
            recommended=cid in marks.recommended,
            in_community=cid in marks.in_community,
        )
        for cid, c in cohort.items()
    )


def _slots(session: DbSession, scope: _Scope) -> tuple[SlotFact, ...]:
    """The scope's slots counted per OPD, status and validity, with their seats."""
    group = (Slot.opd_id, Slot.status, Slot.valid_from, Slot.valid_until)
    rows = session.execute(
        select(
            Slot.opd_id,
            Slot.status,
            func.sum(Slot.capacity),
            func.sum(Slot.occupied),  # seats held, kept on the slot
            Slot.valid_from,
            Slot.valid_until,
            func.count(),
        )
        .where(*scope.slots)
        .group_by(*group)
    ).all()
    return tuple(
        SlotFact(opd, status, int(capacity), int(occupied), start, end, count)
        for opd, status, capacity, occupied, start, end, count in rows
    )


def _opd_names(session: DbSession, opd_ids: set[int]) -> dict[int, str]:
    if not opd_ids:
        return {}
    rows = session.execute(select(Opd.id, Opd.short_name).where(Opd.id.in_(opd_ids)))
    return {opd_id: name for opd_id, name in rows}


def _pks_partners(session: DbSession, filters: Filters) -> tuple[PksPartnerFact, ...]:
    """Partners under their own PKS with a Bapas and Pemda of the selected agreements."""
    scope = select(Agreement.bapas_id, Agreement.pemda_id).where(
        Agreement.id.in_(filters.agreement_ids)
    )
    pairs = set(session.execute(scope).all())
    query = select(
        Opd.id, Opd.pks_signed_on, Opd.pks_valid_until, Opd.pks_bapas_id, Opd.pemda_id
    ).where(
        Opd.kind.in_(PKS_KINDS),
        Opd.pks_signed_on.is_not(None),
        Opd.pks_valid_until.is_not(None),
    )
    if filters.opd_id is not None:
        query = query.where(Opd.id == filters.opd_id)
    return tuple(
        PksPartnerFact(opd_id, signed, until)
        for opd_id, signed, until, bapas_id, pemda_id in session.execute(query)
        if (bapas_id, pemda_id) in pairs and signed is not None and until is not None
    )
