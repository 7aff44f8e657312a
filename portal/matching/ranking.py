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

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from portal import law
from portal.codes import FACILITIES, JOB_CATEGORIES, RISKS, SECTORS, SPECIAL_NEED_REQUIREMENTS
from portal.matching import rules
from portal.matching.profiles import (
    EARTH_RADIUS_KM,
    ClientProfile,
    SlotProfile,
    Thresholds,
    merge_windows,
)
from portal.matching.rules import km, planning_start, travel_limit_km
from portal.refusals import RuleViolation

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
    lat_order: np.ndarray | None = None
    static_masks: dict[tuple[object, ...], np.ndarray] = field(default_factory=dict)
    lat_sorted: np.ndarray | None = None

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

    def near(self, lat: float, lng: float, radius_km: float) -> np.ndarray:
        """Indices (ascending) of the slots whose latitude is within ``radius_km`` of ``lat``.

        A cheap pre-filter: a point farther north or south than the radius is
        farther away than the radius. The exact distance is checked afterwards.
        """
        if self.lat_order is None or self.lat_sorted is None:
            self.lat_order = np.argsort(self.lat, kind="stable")
            self.lat_sorted = self.lat[self.lat_order]
        band = radius_km / EARTH_RADIUS_KM + 1e-9
        plat = np.radians(lat)
        lo = np.searchsorted(self.lat_sorted, plat - band, side="left")
        hi = np.searchsorted(self.lat_sorted, plat + band, side="right")
        return np.sort(self.lat_order[lo:hi])


def weekday_counts_array(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """[n, 7]: how many of each weekday (0 = Monday) lie in [first, last] (ordinals)."""
    counts = np.empty((first.shape[0], 7), dtype=np.int64)
    for d in range(7):
        r = d + 1  # ordinal x falls on weekday (x + 6) % 7
        counts[:, d] = (last - r) // 7 - (first - 1 - r) // 7
    counts[last < first] = 0
    return counts


class View:
    """Some rows of a slot table; columns are gathered on first use and kept."""

    def __init__(self, table: SlotTable, index: np.ndarray | None = None) -> None:
        self.table = table
        self.index = index
        self.size = len(table) if index is None else int(index.size)
        self.cache: dict[str, np.ndarray] = {}

    def col(self, name: str) -> np.ndarray:
        """Column ``name`` restricted to the view's rows."""
        found = self.cache.get(name)
        if found is None:
            full = getattr(self.table, name)
            found = full if self.index is None else full[self.index]
            self.cache[name] = found
        return found

    def take(self, keep: np.ndarray) -> View:
        """The rows of this view where ``keep`` is true, with computed columns carried over.

        Table columns are gathered again on use: most are read once per view, and
        carrying them all over cost more than the rules themselves.
        """
        rows = np.arange(len(self.table)) if self.index is None else self.index
        sub = View(self.table, rows[keep])
        sub.cache = {name: col[keep] for name, col in self.cache.items() if name[0] == "_"}
        return sub

    def distances_km(self, lat: float, lng: float) -> np.ndarray:
        """Great-circle distance from one point to every row."""
        plat, plng = np.radians(lat), np.radians(lng)
        h = (
            np.sin((self.col("lat") - plat) / 2) ** 2
            + np.cos(plat) * self.col("cos_lat") * np.sin((self.col("lng") - plng) / 2) ** 2
        )
        km_away: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))
        return km_away


class Job:
    """One client checked against a view: the vectorised twin of every rule in rules.py."""

    def __init__(self, client: ClientProfile, today: date, th: Thresholds) -> None:
        self.c = client
        self.today = today
        self.th = th
        self.limit = travel_limit_km(client, th)
        self.windows = merge_windows(client.available)
        low, high = law.hours_range(client.is_child)
        self.start = planning_start(client, rules.Context(today=today, thresholds=th))
        self.hopeless_deadline = (
            client.deadline > rules.legal_deadline(client, th) or self.start > client.deadline
        )
        # Rules that depend on the client alone: they exclude every slot or none.
        self.client_level = {
            "HEALTH_CLEARANCE": not client.health_cleared,
            "TOTAL_HOURS_EXCEEDED": not low <= client.hours_ordered <= high,
            "TOO_FAR": client.home is None,
        }
        need_fac = need_risk = 0
        for need in client.special_needs:
            req = SPECIAL_NEED_REQUIREMENTS.get(need)
            if req:
                need_fac |= _bits(set(req["facilities"]), FACILITY_BITS)
                need_risk |= _bits(set(req["forbidden_risks"]), RISK_BITS)
        self.need_fac, self.need_risk = need_fac, need_risk
        forbidden = RISK_BITS["confidential_data"] | RISK_BITS["technical_work"]
        if not client.vulnerable_contact_exception:
            forbidden |= RISK_BITS["vulnerable_contact"]
        if not client.physical_risk_skill:
            forbidden |= RISK_BITS["physical_risk"]
        self.forbidden_risks = forbidden | need_risk

    # -- per view ----------------------------------------------------------------

    def distance(self, v: View) -> np.ndarray:
        """Distance from the client's home to each row (home must be known)."""
        if "_home" not in v.cache:
            home = self.c.home
            assert home is not None
            v.cache["_home"] = v.distances_km(home.lat, home.lng)
        return v.cache["_home"]

    def overlap(self, v: View) -> np.ndarray:
        """[rows, 7] minutes per weekday common to the slot's hours and the client's."""
        if "_overlap" not in v.cache:
            out = np.zeros((v.size, 7), dtype=np.int64)
            starts_all, ends_all = v.col("win_start"), v.col("win_end")
            for w in self.windows:
                common = np.minimum(ends_all[:, w.weekday, :], w.end) - np.maximum(
                    starts_all[:, w.weekday, :], w.start
                )
                out[:, w.weekday] += np.maximum(common, 0).sum(axis=1)
            v.cache["_overlap"] = out
        return v.cache["_overlap"]

    def profession(self, v: View) -> np.ndarray:
        """PROFESSION_CONFLICT."""
        c = self.c
        if not c.offence_via_profession or c.profession_sector in ("", "other"):
            return np.zeros(v.size, dtype=bool)
        hit: np.ndarray = v.col("sector") == SECTOR_INDEX.get(c.profession_sector, -2)
        for p in rules.SECTOR_PLACE_TYPES.get(c.profession_sector, frozenset()):
            hit |= v.col("place_type") == PLACE_TYPE_INDEX[p]
        return hit

    def victim(self, v: View) -> np.ndarray:
        """VICTIM_PROXIMITY."""
        near = np.zeros(v.size, dtype=bool)
        for place in self.c.victim_places:
            near |= v.distances_km(place.lat, place.lng) < self.th.victim_min_distance_km
        return near

    def too_far(self, v: View) -> np.ndarray:
        """TOO_FAR."""
        if self.c.home is None:
            return np.ones(v.size, dtype=bool)
        return self.distance(v) > self.limit

    def risk(self, v: View, code: str) -> np.ndarray:
        """Rows whose work carries the risk ``code``."""
        carries: np.ndarray = (v.col("risks") & RISK_BITS[code]) != 0
        return carries

    def needs(self, v: View) -> np.ndarray:
        """SPECIAL_NEEDS_UNMET."""
        unmet: np.ndarray = ((v.col("facilities") & self.need_fac) != self.need_fac) | (
            (v.col("risks") & self.need_risk) != 0
        )
        return unmet

    def schedule(self, v: View) -> np.ndarray:
        """SCHEDULE_CONFLICT: no common hour in the week."""
        no_common_hour: np.ndarray = self.overlap(v).sum(axis=1) == 0
        return no_common_hour

    def deadline(self, v: View) -> np.ndarray:
        """DEADLINE_EXCEEDED."""
        if self.hopeless_deadline:
            return np.ones(v.size, dtype=bool)
        overlap = self.overlap(v)
        # rules.first_start_day, row by row: max(client's start, today, slot's first day)
        first = np.maximum(_ordinal(self.start), v.col("valid_from"))
        last = np.minimum(_ordinal(self.c.deadline), v.col("valid_until"))
        counts = weekday_counts_array(first, last)
        possible = (counts * np.minimum(overlap, self.th.max_daily_minutes)).sum(axis=1)
        too_late: np.ndarray = (possible < self.c.hours_remaining * 60) & (overlap.sum(axis=1) > 0)
        return too_late

    def agreement(self, v: View) -> np.ndarray:
        """AGREEMENT_NOT_ACTIVE."""
        bad = ~v.col("agreement_active")
        if self.c.bapas_id is not None:
            other = v.col("agreement_bapas")
            bad = bad | ((other != self.c.bapas_id) & (other >= 0))
        return bad

    def masks(self, v: View) -> dict[str, np.ndarray]:
        """Every rule's mask over the view, in the order of rules.RULES."""
        none = np.zeros(v.size, dtype=bool)
        every = ~none
        lvl = self.client_level
        c = self.c
        return {
            "PROFESSION_CONFLICT": self.profession(v),
            "VICTIM_PROXIMITY": self.victim(v),
            "TOO_FAR": self.too_far(v),
            "VULNERABLE_CONTACT": (
                none if c.vulnerable_contact_exception else self.risk(v, "vulnerable_contact")
            ),
            "CONFIDENTIAL_DATA": self.risk(v, "confidential_data"),
            "TECHNICAL_RISK": self.risk(v, "technical_work"),
            "SAFETY_RISK": none if c.physical_risk_skill else self.risk(v, "physical_risk"),
            "SPECIAL_NEEDS_UNMET": self.needs(v),
            "HEALTH_CLEARANCE": every if lvl["HEALTH_CLEARANCE"] else none,
            "PAID_WORK": ~v.col("unpaid"),
            "SCHEDULE_CONFLICT": self.schedule(v),
            "DAILY_HOURS_EXCEEDED": none,
            "TOTAL_HOURS_EXCEEDED": every if lvl["TOTAL_HOURS_EXCEEDED"] else none,
            "DEADLINE_EXCEEDED": self.deadline(v),
            "AGREEMENT_NOT_ACTIVE": self.agreement(v),
            "SLOT_NOT_PUBLISHED": ~v.col("published"),
            "CAPACITY_FULL": v.col("occupied") >= v.col("capacity"),
        }

    def eligible(self, table: SlotTable) -> tuple[np.ndarray, np.ndarray]:
        """Indices of the slots that break no rule, and their scores; cheapest tests first.

        Equivalent to ``~evaluate(...).excluded`` (tested), but each test only looks
        at the slots that survived the previous ones, starting with those in reach.
        """
        home = self.c.home
        if home is None or any(self.client_level.values()) or self.hopeless_deadline:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        v = View(table, table.near(home.lat, home.lng, self.limit))
        v = v.take(~self.too_far(v))
        v = v.take(self.static_ok(table)[v.index])
        if self.c.victim_places:
            v = v.take(~self.victim(v))
        v = v.take(~self.schedule(v))
        v = v.take(~self.deadline(v))
        index = v.index if v.index is not None else np.arange(len(table))
        return index, self.scores(v)

    def static_ok(self, table: SlotTable) -> np.ndarray:
        """Slots passing the rules that depend on the client only through a few codes.

        Clients of a batch share few combinations of risks, needs, Bapas and
        profession, so the mask is computed once per combination and kept.
        """
        c = self.c
        key = (
            self.forbidden_risks,
            self.need_fac,
            c.bapas_id,
            c.profession_sector if c.offence_via_profession else "",
        )
        found = table.static_masks.get(key)
        if found is None:
            v = View(table)
            found = (
                ((v.col("risks") & self.forbidden_risks) == 0)
                & ((v.col("facilities") & self.need_fac) == self.need_fac)
                & v.col("unpaid")
                & v.col("published")
                & (v.col("occupied") < v.col("capacity"))
                & ~self.agreement(v)
                & ~self.profession(v)
            )
            table.static_masks[key] = found
        return found

    def scores(self, v: View) -> np.ndarray:
        """Points out of 100 for skills, profession, travel distance and free capacity."""
        c = self.c
        cats = v.table.categories
        score = np.zeros(v.size)
        for code in c.skills:
            if code in cats:
                score += np.where(v.col("category_index") == cats[code], WEIGHT_SKILL, 0.0)
        if c.profession_sector not in ("", "other") and not c.offence_via_profession:
            same = v.col("sector") == SECTOR_INDEX.get(c.profession_sector, -2)
            score += np.where(same, WEIGHT_PROFESSION, 0.0)
        if c.home is not None and self.limit > 0:
            score += WEIGHT_DISTANCE * np.clip(1.0 - self.distance(v) / self.limit, 0.0, 1.0)
        capacity = v.col("capacity")
        free = np.maximum(capacity - v.col("occupied"), 0)
        score += WEIGHT_CAPACITY * free / np.maximum(capacity, 1)
        return np.round(score, 2)


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
    job = Job(client, today, thresholds or Thresholds())
    v = View(table)
    masks = job.masks(v)
    excluded = np.zeros(len(table), dtype=bool)
    for mask in masks.values():
        excluded |= mask
    distance = job.distance(v) if client.home is not None else None
    return Evaluation(masks, excluded, job.scores(v), distance, job.limit)


def eligible_slots(
    client: ClientProfile,
    table: SlotTable,
    today: date,
    thresholds: Thresholds | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the slots ``client`` may work at, and their scores (batch fast path)."""
    return Job(client, today, thresholds or Thresholds()).eligible(table)


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


class _SlotMessages:
    """The sentences of every rule one slot breaks, written once when first asked for."""

    __slots__ = ("codes", "ranking", "slot", "written")

    def __init__(self, ranking: Ranking, slot: SlotProfile, codes: tuple[str, ...]) -> None:
        self.ranking, self.slot, self.codes = ranking, slot, codes
        self.written: dict[str, str] | None = None

    def message(self, code: str) -> str:
        if self.written is None:
            r = self.ranking
            found = rules.check_placement(
                r.client, self.slot, today=r.today, thresholds=r.thresholds, only=self.codes
            )
            self.written = {v.code: v.message for v in found}
        # A distance exactly at a limit may round differently in NumPy and in
        # math; the vectorised code still decided, so name the rule.
        return self.written.get(code) or rules.RULE_LABELS[code] + "."


class DeferredViolation(RuleViolation):
    """A broken rule whose sentence is written when first read.

    A client's ranking excludes thousands of slots, of which a page shows a few
    dozen: counting them by rule needs only the codes. Equal to the
    ``RuleViolation`` with the same code and sentence.
    """

    def __init__(self, code: str, messages: _SlotMessages) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "_messages", messages)

    @property
    def message(self) -> str:
        return self._messages.message(self.code)  # type: ignore[attr-defined, no-any-return]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RuleViolation):
            return (self.code, self.message) == (other.code, other.message)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.code, self.message))


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

    def excluded_by_rule(self) -> Counter[str]:
        """How many excluded slots break each rule (from the masks: no slot is listed)."""
        masks = self.evaluation.masks
        counts = Counter(
            {code: int(np.count_nonzero(masks[code][self.excluded_index])) for code in masks}
        )
        return Counter({code: n for code, n in counts.items() if n})

    def excluded(self, limit: int | None = None, rule: str | None = None) -> list[Excluded]:
        """Excluded slots, each with every rule it breaks (in the rules' order).

        ``rule`` keeps the slots breaking that rule only. The codes are known at
        once; each slot's sentences are written when first read (``DeferredViolation``).
        """
        index = self.excluded_index
        if rule is not None:
            mask = self.evaluation.masks.get(rule)
            index = index[mask[index]] if mask is not None else index[:0]
        index = index if limit is None else index[:limit]
        # The rules' codes of each slot at once: one bit per rule, one tuple per pattern.
        order = [code for code in rules.RULES if code in self.evaluation.masks]
        order += [code for code in self.evaluation.masks if code not in rules.RULES]
        pattern = np.zeros(index.size, dtype=np.int64)
        for bit, code in enumerate(order):
            pattern |= self.evaluation.masks[code][index].astype(np.int64) << bit
        combos: dict[int, tuple[str, ...]] = {}
        out = []
        for i, key in zip(index.tolist(), pattern.tolist(), strict=True):
            codes = combos.get(key)
            if codes is None:
                codes = combos[key] = tuple(c for bit, c in enumerate(order) if key >> bit & 1)
            slot = self.table.slots[i]
            messages = _SlotMessages(self, slot, codes)
            out.append(Excluded(slot, [DeferredViolation(c, messages) for c in codes]))
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
