"""Ranking one client against many slots at once, with NumPy.

The slots' attributes are laid out once as arrays (:class:`SlotTable`): positions,
codes, bitmasks of facilities and risks, and the weekly windows as an array of
minutes per weekday. One client is then checked against all of them with a few
dozen array operations instead of a Python loop of rule calls per pair. The
per-rule functions of :mod:`portal.matching.rules` remain the reference: the
messages of an excluded slot come from them, and the tests check on random data
that both paths find the same rules broken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from portal.codes import FACILITIES, JOB_CATEGORIES, RISKS, SECTORS, SPECIAL_NEED_REQUIREMENTS
from portal.matching import rules
from portal.matching.profiles import (
    EARTH_RADIUS_KM,
    ClientProfile,
    SlotProfile,
    Thresholds,
    merge_windows,
)
from portal.matching.rules import RuleViolation, km, planning_start, travel_limit_km

FACILITY_BITS = {code: 1 << i for i, code in enumerate(FACILITIES)}
RISK_BITS = {code: 1 << i for i, code in enumerate(RISKS)}
SECTOR_INDEX = {code: i for i, code in enumerate(SECTORS)}
PLACE_TYPE_INDEX = {
    code: i
    for i, code in enumerate(
        sorted({p for places in rules.SECTOR_PLACE_TYPES.values() for p in places})
    )
}

# Soft preferences: points out of 100.
WEIGHT_SKILL = 35.0
WEIGHT_PROFESSION = 25.0
WEIGHT_DISTANCE = 25.0
WEIGHT_CAPACITY = 15.0


def _bits(codes: frozenset[str] | set[str], table: dict[str, int]) -> int:
    value = 0
    for code in codes:
        value |= table.get(code, 0)
    return value


def _ordinal(day: date) -> int:
    return day.toordinal()


@dataclass
class SlotTable:
    """Column arrays of a list of slots, built once per request or batch."""

    slots: list[SlotProfile]
    ids: np.ndarray
    lat: np.ndarray  # radians
    lng: np.ndarray
    cos_lat: np.ndarray
    sector: np.ndarray
    place_type: np.ndarray
    category: list[str]
    category_index: np.ndarray
    facilities: np.ndarray
    risks: np.ndarray
    published: np.ndarray
    unpaid: np.ndarray
    agreement_bapas: np.ndarray
    agreement_active: np.ndarray
    capacity: np.ndarray
    occupied: np.ndarray
    valid_from: np.ndarray
    valid_until: np.ndarray
    win_start: np.ndarray  # [n, 7, w] minutes, padding start == end == 0
    win_end: np.ndarray
    categories: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.slots)

    @classmethod
    def build(cls, slots: Sequence[SlotProfile]) -> SlotTable:
        """Lay out the slots' attributes as arrays."""
        slots = list(slots)
        n = len(slots)
        merged = [merge_windows(s.schedule) for s in slots]
        per_day = [[0] * 7 for _ in range(n)]
        for i, windows in enumerate(merged):
            for w in windows:
                per_day[i][w.weekday] += 1
        width = max([max(row) for row in per_day] + [1])
        win_start = np.zeros((n, 7, width), dtype=np.int32)
        win_end = np.zeros((n, 7, width), dtype=np.int32)
        for i, windows in enumerate(merged):
            fill = [0] * 7
            for w in windows:
                win_start[i, w.weekday, fill[w.weekday]] = w.start
                win_end[i, w.weekday, fill[w.weekday]] = w.end
                fill[w.weekday] += 1
        categories: dict[str, int] = {code: i for i, code in enumerate(JOB_CATEGORIES)}
        for s in slots:
            categories.setdefault(s.category, len(categories))
        lat = np.radians(np.array([s.location.lat for s in slots], dtype=np.float64))
        return cls(
            slots=slots,
            ids=np.array([s.id for s in slots], dtype=np.int64),
            lat=lat,
            lng=np.radians(np.array([s.location.lng for s in slots], dtype=np.float64)),
            cos_lat=np.cos(lat),
            sector=np.array([SECTOR_INDEX.get(s.sector, -1) for s in slots], dtype=np.int16),
            place_type=np.array(
                [PLACE_TYPE_INDEX.get(s.place_type, -1) for s in slots], dtype=np.int16
            ),
            category=[s.category for s in slots],
            category_index=np.array([categories[s.category] for s in slots], dtype=np.int16),
            facilities=np.array([_bits(s.facilities, FACILITY_BITS) for s in slots], np.int32),
            risks=np.array([_bits(s.risks, RISK_BITS) for s in slots], dtype=np.int32),
            published=np.array([s.status == "published" for s in slots], dtype=bool),
            unpaid=np.array([s.unpaid_confirmed for s in slots], dtype=bool),
            agreement_bapas=np.array(
                [-1 if s.agreement_bapas_id is None else s.agreement_bapas_id for s in slots],
                dtype=np.int64,
            ),
            agreement_active=np.array([s.agreement_active for s in slots], dtype=bool),
            capacity=np.array([s.capacity for s in slots], dtype=np.int32),
            occupied=np.array([s.occupied for s in slots], dtype=np.int32),
            valid_from=np.array([_ordinal(s.valid_from) for s in slots], dtype=np.int64),
            valid_until=np.array([_ordinal(s.valid_until) for s in slots], dtype=np.int64),
            win_start=win_start,
            win_end=win_end,
            categories=categories,
        )

    def distances_km(self, lat: float, lng: float) -> np.ndarray:
        """Great-circle distance from one point to every slot."""
        plat, plng = np.radians(lat), np.radians(lng)
        h = (
            np.sin((self.lat - plat) / 2) ** 2
            + np.cos(plat) * self.cos_lat * np.sin((self.lng - plng) / 2) ** 2
        )
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))


def weekday_counts_array(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """[n, 7]: how many of each weekday (0 = Monday) lie in [first, last] (ordinals)."""
    counts = np.empty((first.shape[0], 7), dtype=np.int64)
    for d in range(7):
        r = d + 1  # ordinal x falls on weekday (x + 6) % 7
        counts[:, d] = (last - r) // 7 - (first - 1 - r) // 7
    counts[last < first] = 0
    return counts


@dataclass
class Evaluation:
    """Rule masks and scores of one client against a slot table."""

    masks: dict[str, np.ndarray]
    excluded: np.ndarray
    scores: np.ndarray
    distance: np.ndarray | None
    limit_km: float


def evaluate(
    client: ClientProfile,
    table: SlotTable,
    today: date,
    thresholds: Thresholds | None = None,
) -> Evaluation:
    """Every hard rule and the soft score of ``client`` against all slots of ``table``."""
    th = thresholds or Thresholds()
    n = len(table)
    none = np.zeros(n, dtype=bool)
    masks: dict[str, np.ndarray] = {}

    # 1. profession
    if client.offence_via_profession and client.profession_sector not in ("", "other"):
        tied = [
            PLACE_TYPE_INDEX[p]
            for p in rules.SECTOR_PLACE_TYPES.get(client.profession_sector, frozenset())
        ]
        masks["PROFESSION_CONFLICT"] = (
            table.sector == SECTOR_INDEX.get(client.profession_sector, -2)
        ) | np.isin(table.place_type, tied)
    else:
        masks["PROFESSION_CONFLICT"] = none

    # 2. victim
    near = none
    for place in client.victim_places:
        near = near | (table.distances_km(place.lat, place.lng) < th.victim_min_distance_km)
    masks["VICTIM_PROXIMITY"] = near

    # 3. travel
    limit = travel_limit_km(client, th)
    if client.home is None:
        distance = None
        masks["TOO_FAR"] = ~none
    else:
        distance = table.distances_km(client.home.lat, client.home.lng)
        masks["TOO_FAR"] = distance > limit

    # 4-7. kinds of work
    risks = table.risks
    masks["VULNERABLE_CONTACT"] = (
        none
        if client.vulnerable_contact_exception
        else (risks & RISK_BITS["vulnerable_contact"]) != 0
    )
    masks["CONFIDENTIAL_DATA"] = (risks & RISK_BITS["confidential_data"]) != 0
    masks["TECHNICAL_RISK"] = (risks & RISK_BITS["technical_work"]) != 0
    masks["SAFETY_RISK"] = (
        none if client.physical_risk_skill else (risks & RISK_BITS["physical_risk"]) != 0
    )

    # 8. special needs
    need_fac = need_risk = 0
    for need in client.special_needs:
        req = SPECIAL_NEED_REQUIREMENTS.get(need)
        if req:
            need_fac |= _bits(set(req["facilities"]), FACILITY_BITS)
            need_risk |= _bits(set(req["forbidden_risks"]), RISK_BITS)
    masks["SPECIAL_NEEDS_UNMET"] = ((table.facilities & need_fac) != need_fac) | (
        (risks & need_risk) != 0
    )

    # 9, 10. health, unpaid
    masks["HEALTH_CLEARANCE"] = none if client.health_cleared else ~none
    masks["PAID_WORK"] = ~table.unpaid

    # 11. schedule: minutes per weekday common to the slot's hours and the client's
    overlap = np.zeros((n, 7), dtype=np.int64)
    for w in merge_windows(client.available):
        starts = table.win_start[:, w.weekday, :]
        ends = table.win_end[:, w.weekday, :]
        common = np.minimum(ends, w.end) - np.maximum(starts, w.start)
        overlap[:, w.weekday] += np.clip(common, 0, None).sum(axis=1)
    masks["SCHEDULE_CONFLICT"] = overlap.sum(axis=1) == 0
    masks["DAILY_HOURS_EXCEEDED"] = none

    low, high = rules.CHILD_HOURS if client.is_child else rules.ADULT_HOURS
    masks["TOTAL_HOURS_EXCEEDED"] = none if low <= client.hours_ordered <= high else ~none

    ctx = rules.Context(today=today, thresholds=th)
    start = planning_start(client, ctx)
    if client.deadline > rules.legal_deadline(client, th) or start > client.deadline:
        masks["DEADLINE_EXCEEDED"] = ~none
    else:
        first = np.maximum(_ordinal(start), table.valid_from)
        last = np.minimum(_ordinal(client.deadline), table.valid_until)
        counts = weekday_counts_array(first, last)
        possible = (counts * np.minimum(overlap, th.max_daily_minutes)).sum(axis=1)
        masks["DEADLINE_EXCEEDED"] = (possible < client.hours_remaining * 60) & (
            overlap.sum(axis=1) > 0
        )

    # the agreement and the slot
    other_bapas = (
        (table.agreement_bapas != client.bapas_id) & (table.agreement_bapas >= 0)
        if client.bapas_id is not None
        else none
    )
    masks["AGREEMENT_NOT_ACTIVE"] = other_bapas | ~table.agreement_active
    masks["SLOT_NOT_PUBLISHED"] = ~table.published
    masks["CAPACITY_FULL"] = table.occupied >= table.capacity

    excluded = np.zeros(n, dtype=bool)
    for mask in masks.values():
        excluded |= mask

    scores = soft_scores(client, table, distance, limit)
    return Evaluation(masks, excluded, scores, distance, limit)


def soft_scores(
    client: ClientProfile, table: SlotTable, distance: np.ndarray | None, limit: float
) -> np.ndarray:
    """Points out of 100 for skills, profession, travel distance and free capacity."""
    skill_idx = [table.categories[c] for c in client.skills if c in table.categories]
    score = np.where(np.isin(table.category_index, skill_idx), WEIGHT_SKILL, 0.0)
    if client.profession_sector not in ("", "other") and not client.offence_via_profession:
        score += np.where(
            table.sector == SECTOR_INDEX.get(client.profession_sector, -2), WEIGHT_PROFESSION, 0.0
        )
    if distance is not None and limit > 0:
        score += WEIGHT_DISTANCE * np.clip(1.0 - distance / limit, 0.0, 1.0)
    free = np.maximum(table.capacity - table.occupied, 0)
    score += WEIGHT_CAPACITY * free / np.maximum(table.capacity, 1)
    return np.round(score, 2)


@dataclass(frozen=True)
class Eligible:
    """A slot the client may work at, with its score and why."""

    slot: SlotProfile
    score: float
    distance_km: float | None
    reasons: list[str]


@dataclass(frozen=True)
class Excluded:
    """A slot the client may not work at, with every rule it breaks."""

    slot: SlotProfile
    violations: list[RuleViolation]


class Ranking:
    """The outcome of ranking one client: eligible slots best first, and excluded slots."""

    def __init__(
        self,
        client: ClientProfile,
        table: SlotTable,
        ev: Evaluation,
        today: date,
        thresholds: Thresholds,
    ) -> None:
        self.client = client
        self.table = table
        self.evaluation = ev
        self.today = today
        self.thresholds = thresholds
        ok = np.flatnonzero(~ev.excluded)
        dist = ev.distance[ok] if ev.distance is not None else np.zeros(ok.size)
        order = np.lexsort((table.ids[ok], dist, -ev.scores[ok]))
        self.eligible_index = ok[order]
        self.excluded_index = np.flatnonzero(ev.excluded)

    @property
    def eligible_count(self) -> int:
        """How many slots the client may be placed in."""
        return int(self.eligible_index.size)

    @property
    def excluded_count(self) -> int:
        """How many slots break at least one rule."""
        return int(self.excluded_index.size)

    def codes(self, i: int) -> list[str]:
        """The rule codes that slot ``i`` of the table breaks."""
        return [code for code, mask in self.evaluation.masks.items() if mask[i]]

    def reasons(self, i: int) -> list[str]:
        """Why slot ``i`` is a good fit, in Indonesian."""
        slot = self.table.slots[i]
        c = self.client
        out = []
        label = JOB_CATEGORIES.get(slot.category, slot.category)
        if slot.category in c.skills:
            out.append(f"Sesuai minat dan keahlian klien: {label.lower()}.")
        else:
            out.append(f"Jenis pekerjaan ({label.lower()}) belum tercatat sebagai keahlian klien.")
        if (
            c.profession_sector not in ("", "other")
            and not c.offence_via_profession
            and slot.sector == c.profession_sector
        ):
            out.append(f"Sesuai bidang profesi klien ({SECTORS[c.profession_sector].lower()}).")
        if self.evaluation.distance is not None:
            out.append(
                f"Jarak {km(float(self.evaluation.distance[i]))} dari rumah "
                f"(batas {km(self.evaluation.limit_km)})."
            )
        out.append(f"{slot.free_seats} dari {slot.capacity} kursi masih kosong.")
        return out

    def eligible(self, limit: int | None = None) -> list[Eligible]:
        """Eligible slots, best first (``limit`` of them, or all)."""
        index = self.eligible_index if limit is None else self.eligible_index[:limit]
        dist = self.evaluation.distance
        return [
            Eligible(
                self.table.slots[i],
                float(self.evaluation.scores[i]),
                None if dist is None else round(float(dist[i]), 2),
                self.reasons(i),
            )
            for i in index
        ]

    def excluded(self, limit: int | None = None) -> list[Excluded]:
        """Excluded slots, each with the messages of every rule it breaks."""
        index = self.excluded_index if limit is None else self.excluded_index[:limit]
        out = []
        for i in index:
            codes = tuple(self.codes(int(i)))
            slot = self.table.slots[i]
            found = rules.check_placement(
                self.client, slot, today=self.today, thresholds=self.thresholds, only=codes
            )
            # A distance exactly at a limit may round differently in NumPy and in
            # math; the vectorised code still decided, so name the rule.
            named = {v.code for v in found}
            found += [RuleViolation(c, rules.RULE_LABELS[c] + ".") for c in codes if c not in named]
            out.append(Excluded(slot, found))
        return out


def rank_client(
    client: ClientProfile,
    table: SlotTable,
    *,
    today: date,
    thresholds: Thresholds | None = None,
) -> Ranking:
    """Rank every slot of ``table`` for ``client``: eligible by score, excluded with reasons."""
    th = thresholds or Thresholds()
    return Ranking(client, table, evaluate(client, table, today, th), today, th)
