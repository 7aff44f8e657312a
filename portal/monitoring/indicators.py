"""The monitoring indicators: ONE aggregation for the pages, the exports and the API.

Two layers:

* ``portal.monitoring.facts.load_facts(db_session, filters)`` reads the few columns
  the indicators need into the plain, frozen records defined here (no client names,
  no client codes: only ids); ``facts.summarise`` loads and computes.
* ``compute(facts, filters)`` and the helpers below are pure functions over those
  records (no database, no Flask), tested on records made by hand.
* ``public_view(summary)`` is the only way a summary leaves this module for a
  reader: it applies the small-cell rule (``suppress``) in one place, so the page,
  the Excel and PDF exports and the API show exactly the same figures.

Definitions (written down because the Setda quotes them in reports):

* **Scope.** The slots of the selected agreements (optionally of one OPD). A client
  belongs to the scope when he has at least one placement in such a slot that the
  OPD did not decline.
* **Received** (*diterima*): a client of the scope whose surat eksekusi is dated in
  the period (the court decision date when the surat eksekusi date is missing).
  All per-client totals (active, completed, hours, LKjIP) are taken over the
  clients received in the period: the period's *cohort*.
* **Active**: a cohort client with a placement accepted by the OPD or under way.
  **Waiting**: only bookings not yet answered. **Completed**: a placement finished
  (all hours served). **Terminated**: placements ended without completion (sanction,
  death, transfer). A closure record, once present, decides completed/terminated.
* **Hours ordered**: the court's hours of the cohort's clients; **hours verified**:
  verified, not superseded attendance of those clients in the scope's slots.
* **Completion rate** = completed ÷ (completed + terminated): the share of finished
  programmes that ended with the sentence served. None while no programme ended.
* **% ready to live in society** (LKjIP) = cohort clients with no breach ÷ all
  cohort clients × 100. A breach is a violation record (a conduct case of kind
  "violation", whatever its outcome); a client with several counts once. The third
  summons ignored without a reason opens such a record (category "summons_ignored",
  Pedoman 2.2), so summonses are not counted a second time here.
* **Violations by type**: violation records by the category the PK chose
  (``portal.codes.VIOLATION_CATEGORIES``; records without one count as "other").
* **Community acceptance** (LKjIP, "tingkat penerimaan masyarakat") = cohort clients
  included by the RT head or the community's officers in a community activity (as the
  PK recorded it, up to the end of the period) ÷ all cohort clients × 100.
* **Community empowerment** (LKjIP) = (partners this year − partners last year) ÷
  partners last year × 100. The partners of a year are the OPDs (the Pemda's
  partners) with at least one published slot valid at some time in the year, and the
  partners under their own PKS with the Bapas (non-government places and Pokmas
  Lipas, Pedoman 2.1.2) whose PKS was in force at some time in the year, with or
  without slots. "This year" is the year the period ends.
* **Capacity and utilisation** per OPD: published slots valid in the period; seats
  taken = placements holding a seat (booked, accepted, active) now; utilisation =
  seats taken ÷ capacity × 100.
* **Days to first work**: from the court decision date to the first verified day of
  work, for cohort clients who have one (mean and median).
* **By month**: events dated in the period's months: clients received, clients
  starting work (first verified day), verified hours, programmes completed,
  violations.

Privacy (NK Pasal 9): ``public_view`` shows every count of persons from 1 to 2 as
"< 3" (0 stays 0); hides a percentage or average computed over 1 or 2 persons; and
hides a percentage that would give a hidden count away (seats taken at an OPD).
Counts of slots, seats offered and OPDs are not persons and are shown as they are.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from portal.codes import VIOLATION_CATEGORIES
from portal.statuses import PlacementStatus

SMALL = "< 3"
SMALL_LIMIT = 3
ON_TRACK_TOLERANCE = 10  # percentage points behind schedule still counted "on track"

VIOLATION_LABELS: dict[str, str] = VIOLATION_CATEGORIES
# A closure record's reason → the programme's end state.
CLOSURE_STATES = {"served": "completed", "died": "terminated", "sanctioned": "terminated"}


# --- filters -----------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the reader chose: agreements (already limited to his scope), OPD, period."""

    agreement_ids: tuple[int, ...]
    start: date
    end: date
    opd_id: int | None = None

    @property
    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        out = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def year_period(year: int) -> tuple[date, date]:
    """1 January to 31 December of ``year``."""
    return date(year, 1, 1), date(year, 12, 31)


# --- facts (read from the database by portal.monitoring.facts) -----------------
# Named tuples, not dataclasses: a province's facts are tens of thousands of records, each
# built in a third of a frozen dataclass's time.


class PlacementFact(NamedTuple):
    """One placement of a client in a slot of the scope."""

    opd_id: int
    status: str
    hours_planned: float
    ended_on: date | None = None


class ClientFact(NamedTuple):
    """What the indicators need of one client: never the name or the code."""

    client_id: int
    received_on: date
    decision_date: date
    hours_ordered: float
    placements: tuple[PlacementFact, ...]
    first_verified_day: date | None = None
    verified_minutes: int = 0
    # The day the Bapas closed the case (closure record, else Client.closed_at).
    closed_on: date | None = None
    # completed / terminated as a closure record states it, when there is one.
    closure: str | None = None
    # The PK's attitude assessments (Lampiran IV): any at all, and the final one.
    assessed: bool = False
    final_assessed: bool = False
    # Rencana Kerja stage 1 on the client: a Litmas; all three individual assessments
    # (social, psychological, skills); a recommendation sent to the judge.
    litmas: bool = False
    individually_assessed: bool = False
    recommended: bool = False
    # Included in a community activity by the RT head or the community (recorded by the PK).
    in_community: bool = False


class AttendanceFact(NamedTuple):
    """Verified minutes of one client at one OPD in one month (work_date: its first day worked)."""

    client_id: int
    opd_id: int
    work_date: date
    minutes: int


class ViolationFact(NamedTuple):
    """One breach of conditions by a client, with its type and date."""

    client_id: int
    kind: str
    on: date


class SlotFact(NamedTuple):
    """The scope's slots of one OPD with one status and validity: how many (``slots``),
    their capacity and the seats taken now (a province's slots in a few such groups)."""

    opd_id: int
    status: str
    capacity: int
    occupied: int
    valid_from: date
    valid_until: date
    slots: int = 1


class PksPartnerFact(NamedTuple):
    """A partner under its own PKS with the Bapas (non-government or Pokmas Lipas)."""

    opd_id: int
    signed_on: date
    valid_until: date


@dataclass(frozen=True)
class Facts:
    """Everything ``compute`` reads."""

    clients: tuple[ClientFact, ...]
    attendance: tuple[AttendanceFact, ...]
    violations: tuple[ViolationFact, ...]
    slots: tuple[SlotFact, ...]
    opd_names: dict[int, str] = field(default_factory=dict)
    pks_partners: tuple[PksPartnerFact, ...] = ()


# --- pure computations -------------------------------------------------------


def client_state(c: ClientFact) -> str:
    """waiting, active, completed or terminated (see the module's definitions)."""
    if c.closure in ("completed", "terminated"):
        return c.closure
    statuses = {p.status for p in c.placements}
    if PlacementStatus.COMPLETED in statuses:
        return "completed"
    if statuses & set(PlacementStatus.WORKING):
        return "active"
    if PlacementStatus.BOOKED in statuses:
        return "waiting"
    return "terminated"


def completed_on(c: ClientFact) -> date | None:
    """The day the client's programme finished with the sentence served."""
    if client_state(c) != "completed":
        return None
    if c.closed_on:
        return c.closed_on
    days = [p.ended_on for p in c.placements if p.status == PlacementStatus.COMPLETED]
    known = [d for d in days if d]
    return max(known) if known else None


def percent(part: float, whole: float) -> float | None:
    """part ÷ whole × 100, rounded to one decimal; None when whole is 0."""
    if not whole:
        return None
    return round(part * 100 / whole, 1)


def ready_for_society(client_ids: Iterable[int], breached: Iterable[int]) -> tuple[int, int]:
    """LKjIP: (clients with no breach, all clients)."""
    everyone = set(client_ids)
    return len(everyone - set(breached)), len(everyone)


def partners_by_year(
    slots: Iterable[SlotFact],
    years: Iterable[int],
    pks_partners: Iterable[PksPartnerFact] = (),
) -> dict[int, set[int]]:
    """Per year, the OPDs with at least one published slot valid at some time in it, and
    the partners whose own PKS with the Bapas was in force at some time in it."""
    out: dict[int, set[int]] = {}
    slots = list(slots)
    pks_partners = list(pks_partners)
    for year in years:
        start, end = year_period(year)
        out[year] = {
            s.opd_id
            for s in slots
            if s.status != "draft" and s.valid_from <= end and s.valid_until >= start
        } | {p.opd_id for p in pks_partners if p.signed_on <= end and p.valid_until >= start}
    return out


def growth_percent(current: int, previous: int) -> float | None:
    """LKjIP community empowerment: (current − previous) ÷ previous × 100; None without base."""
    if previous <= 0:
        return None
    return round((current - previous) * 100 / previous, 1)


def days_between(pairs: Iterable[tuple[date, date]]) -> list[int]:
    """Whole days from the first to the second date of each pair."""
    return [(b - a).days for a, b in pairs]


class _Percent:
    """A read-only attribute: one figure of the object as a percentage of another."""

    def __init__(self, part: str, whole: str) -> None:
        self.part, self.whole = part, whole

    def __get__(self, obj: object, owner: type | None = None) -> float | None:
        return percent(getattr(obj, self.part), getattr(obj, self.whole))


@dataclass(frozen=True)
class OpdRow:
    """One OPD in the breakdown."""

    opd_id: int
    name: str
    slots: int
    capacity: int
    occupied: int
    clients: int
    hours_planned: float
    hours_verified: float

    utilisation_percent = _Percent("occupied", "capacity")  # seats taken of the capacity


@dataclass(frozen=True)
class MonthRow:
    """Events of one month."""

    year: int
    month: int
    received: int
    started: int
    hours_verified: float
    completed: int
    violations: int


@dataclass(frozen=True)
class Summary:
    """Raw indicator figures of one scope and period (never shown without public_view)."""

    filters: Filters
    clients_total: int
    clients_waiting: int
    clients_active: int
    clients_completed: int
    clients_terminated: int
    clients_closed: int
    clients_supervised: int
    clients_final_assessed: int
    clients_litmas: int
    clients_individually_assessed: int
    clients_recommended: int
    placements_total: int
    hours_ordered: float
    hours_verified: float
    clients_without_breach: int
    clients_in_community: int
    partners_this_year: int
    partners_last_year: int
    slots_total: int
    capacity_total: int
    occupied_total: int
    days_to_first_work: tuple[int, ...]
    by_opd: tuple[OpdRow, ...]
    by_month: tuple[MonthRow, ...]
    violations_by_type: dict[str, int]

    # LKjIP: clients without breach, and clients included in community activities, of all.
    ready_for_society_percent = _Percent("clients_without_breach", "clients_total")
    community_acceptance_percent = _Percent("clients_in_community", "clients_total")
    # Seats taken of the capacity of the scope's published slots; verified of ordered hours.
    utilisation_percent = _Percent("occupied_total", "capacity_total")
    hours_verified_percent = _Percent("hours_verified", "hours_ordered")

    @property
    def completion_rate(self) -> float | None:
        """completed ÷ (completed + terminated), 0..1, four decimals."""
        ended = self.clients_completed + self.clients_terminated
        return round(self.clients_completed / ended, 4) if ended else None

    @property
    def community_empowerment_percent(self) -> float | None:
        """LKjIP: growth of partners over the previous year, in percent."""
        return growth_percent(self.partners_this_year, self.partners_last_year)


def _hours(minutes: float) -> float:
    return round(minutes / 60, 2)


def compute(facts: Facts, filters: Filters) -> Summary:
    """All indicators of ``facts`` for ``filters`` (pure; see the module's definitions)."""
    clients = facts.clients
    states = {c.client_id: client_state(c) for c in clients}
    state_count = Counter(states.values())
    breached = {v.client_id for v in facts.violations}
    without_breach, _ = ready_for_society((c.client_id for c in clients), breached)

    year = filters.end.year
    partners = partners_by_year(facts.slots, (year, year - 1), facts.pks_partners)

    live_slots = [
        s
        for s in facts.slots
        if s.status == "published"
        and s.valid_from <= filters.end
        and s.valid_until >= filters.start
    ]

    # By OPD: slots and seats from live slots; clients and hours from the cohort.
    opd_slots: dict[int, list[SlotFact]] = defaultdict(list)
    for s in live_slots:
        opd_slots[s.opd_id].append(s)
    opd_clients: dict[int, set[int]] = defaultdict(set)
    opd_planned: defaultdict[int, float] = defaultdict(int)
    for c in clients:
        for p in c.placements:
            opd_clients[p.opd_id].add(c.client_id)
            opd_planned[p.opd_id] += p.hours_planned
    opd_minutes: Counter[int] = Counter()
    for a in facts.attendance:
        opd_minutes[a.opd_id] += a.minutes
    opd_ids = set(opd_slots) | set(opd_clients)
    by_opd = tuple(
        sorted(
            (
                OpdRow(
                    opd_id=o,
                    name=facts.opd_names.get(o, f"OPD {o}"),
                    slots=sum(s.slots for s in opd_slots[o]),
                    capacity=sum(s.capacity for s in opd_slots[o]),
                    occupied=sum(s.occupied for s in opd_slots[o]),
                    clients=len(opd_clients[o]),
                    hours_planned=round(opd_planned[o], 2),
                    hours_verified=_hours(opd_minutes[o]),
                )
                for o in opd_ids
            ),
            key=lambda r: r.name,
        )
    )

    # By month: events dated inside each month of the period.
    def month_of(d: date | None) -> tuple[int, int] | None:
        if d is None or d < filters.start or d > filters.end:
            return None
        return (d.year, d.month)

    received = Counter(month_of(c.received_on) for c in clients)
    started = Counter(month_of(c.first_verified_day) for c in clients)
    done = Counter(month_of(completed_on(c)) for c in clients)
    month_minutes: Counter[tuple[int, int]] = Counter()
    for a in facts.attendance:  # monthly totals: counted in their month of the period
        month_minutes[(a.work_date.year, a.work_date.month)] += a.minutes
    month_viol = Counter(month_of(v.on) for v in facts.violations)
    by_month = tuple(
        MonthRow(y, m, received[(y, m)], started[(y, m)], _hours(month_minutes[(y, m)]),
                 done[(y, m)], month_viol[(y, m)])
        for y, m in filters.months
    )  # fmt: skip

    days = days_between(
        (c.decision_date, c.first_verified_day) for c in clients if c.first_verified_day
    )

    return Summary(
        filters=filters,
        clients_total=len(clients),
        clients_waiting=state_count["waiting"],
        clients_active=state_count["active"],
        clients_completed=state_count["completed"],
        clients_terminated=state_count["terminated"],
        clients_closed=sum(
            1 for c in clients if c.closed_on and states[c.client_id] in ("completed", "terminated")
        ),
        clients_supervised=sum(
            1 for c in clients if c.assessed and states[c.client_id] != "waiting"
        ),
        clients_final_assessed=sum(
            1
            for c in clients
            if c.final_assessed and states[c.client_id] in ("completed", "terminated")
        ),
        clients_litmas=sum(1 for c in clients if c.litmas),
        clients_individually_assessed=sum(1 for c in clients if c.individually_assessed),
        clients_recommended=sum(1 for c in clients if c.recommended),
        placements_total=sum(len(c.placements) for c in clients),
        hours_ordered=round(sum(c.hours_ordered for c in clients), 2),
        hours_verified=_hours(sum(c.verified_minutes for c in clients)),
        clients_without_breach=without_breach,
        clients_in_community=sum(1 for c in clients if c.in_community),
        partners_this_year=len(partners[year]),
        partners_last_year=len(partners[year - 1]),
        slots_total=sum(s.slots for s in live_slots),
        capacity_total=sum(s.capacity for s in live_slots),
        occupied_total=sum(s.occupied for s in live_slots),
        days_to_first_work=tuple(sorted(days)),
        by_opd=by_opd,
        by_month=by_month,
        violations_by_type=dict(Counter(v.kind for v in facts.violations)),
    )


# --- the public view: the single place where small cells are suppressed -------


def suppress(count: int) -> int | str:
    """A count of persons as a reader may see it: 1 and 2 become "< 3", 0 stays 0."""
    return SMALL if 0 < count < SMALL_LIMIT else count


def guarded(value: float | None, *bases: int) -> float | None:
    """A figure that rests on counts of persons: hidden when any base is 1 or 2."""
    if any(0 < b < SMALL_LIMIT for b in bases):
        return None
    return value


def is_small(value: Any) -> bool:
    """True for a suppressed cell."""
    return value == SMALL


def public_view(summary: Summary) -> dict[str, Any]:
    """The summary as every reader (page, Excel, PDF, API) receives it, small cells hidden.

    Keys follow API.md's ``/reports/summary``, plus the LKjIP and breakdown extras.
    """
    s = summary
    days = list(s.days_to_first_work)
    ended = s.clients_completed + s.clients_terminated
    return {
        "period": {"start": s.filters.start.isoformat(), "end": s.filters.end.isoformat()},
        "clients_total": suppress(s.clients_total),
        "clients_waiting": suppress(s.clients_waiting),
        "clients_active": suppress(s.clients_active),
        "clients_completed": suppress(s.clients_completed),
        "clients_terminated": suppress(s.clients_terminated),
        "placements_total": suppress(s.placements_total),
        "hours_ordered": s.hours_ordered,
        "hours_verified": s.hours_verified,
        "hours_verified_percent": s.hours_verified_percent,
        "completion_rate": guarded(s.completion_rate, ended),
        "ready_for_society_percent": guarded(s.ready_for_society_percent, s.clients_total),
        "clients_without_breach": suppress(s.clients_without_breach),
        "community_acceptance_percent": guarded(s.community_acceptance_percent, s.clients_total),
        "clients_in_community": suppress(s.clients_in_community),
        "community_empowerment_percent": s.community_empowerment_percent,
        "partners_this_year": s.partners_this_year,
        "partners_last_year": s.partners_last_year,
        "slots_total": s.slots_total,
        "capacity_total": s.capacity_total,
        "occupied_total": suppress(s.occupied_total),
        "utilisation_percent": guarded(s.utilisation_percent, s.occupied_total),
        "days_to_first_work": {
            "clients": suppress(len(days)),
            "mean": guarded(round(statistics.fmean(days), 1) if days else None, len(days)),
            "median": guarded(statistics.median(days) if days else None, len(days)),
        },
        "by_opd": [
            {
                "opd_id": r.opd_id,
                "opd": r.name,
                "slots": r.slots,
                "capacity": r.capacity,
                "occupied": suppress(r.occupied),
                "utilisation_percent": guarded(r.utilisation_percent, r.occupied),
                "clients": suppress(r.clients),
                "hours_planned": r.hours_planned,
                "hours_verified": r.hours_verified,
            }
            for r in s.by_opd
        ],
        "by_month": [
            {
                "month": f"{r.year:04d}-{r.month:02d}",
                "received": suppress(r.received),
                "started": suppress(r.started),
                "hours_verified": r.hours_verified,
                "completed": suppress(r.completed),
                "violations": suppress(r.violations),
            }
            for r in s.by_month
        ],
        "violations_by_type": [
            {"type": kind, "label": VIOLATION_LABELS.get(kind, kind), "count": suppress(n)}
            for kind, n in sorted(s.violations_by_type.items(), key=_category_order)
        ],
    }


def _category_order(item: tuple[str, int]) -> int:
    order = list(VIOLATION_LABELS)
    return order.index(item[0]) if item[0] in order else len(order)


def chart_series(view: dict[str, Any], key: str, rows: str = "by_month") -> list[float | None]:
    """A column of a public view for a chart: suppressed cells become gaps (None)."""
    return [None if is_small(r[key]) else r[key] for r in view[rows]]


def month_labels(view: dict[str, Any]) -> list[str]:
    """'Jan 2026' style labels of the view's months."""
    from portal.codes import MONTHS

    out = []
    for r in view["by_month"]:
        y, m = r["month"].split("-")
        out.append(f"{MONTHS[int(m) - 1][:3]} {y}")
    return out
