"""Plain data the placement engine works on: a client profile, a slot, a schedule."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal import law

EARTH_RADIUS_KM = 6371.0088
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Point:
    """A WGS84 position, with an optional label (e.g. 'rumah korban')."""

    lat: float
    lng: float
    label: str = ""


@dataclass(frozen=True, order=True)
class Window:
    """One weekly time window: weekday 0 (Senin) to 6 (Minggu), minutes from midnight."""

    weekday: int
    start: int
    end: int

    @property
    def minutes(self) -> int:
        """Length of the window in minutes."""
        return self.end - self.start

    def label(self) -> str:
        """'Senin 08:00–12:00'."""
        from portal.codes import WEEKDAYS

        return f"{WEEKDAYS[self.weekday]} {hhmm(self.start)}–{hhmm(self.end)}"


@dataclass(frozen=True)
class Thresholds:
    """Configurable limits of the rules (settings VICTIM_MIN_DISTANCE_KM, ...)."""

    victim_min_distance_km: float = 2.0
    default_max_travel_km: float = 15.0
    max_daily_minutes: int = law.MAX_DAILY_MINUTES
    max_months: int = law.MAX_MONTHS


@dataclass(frozen=True)
class ClientProfile:
    """What the rules need to know about a client (never his name)."""

    id: int | None
    bapas_id: int | None
    is_child: bool
    hours_ordered: float
    start_date: date
    deadline: date
    home: Point | None
    max_travel_km: float | None
    profession_sector: str
    offence_via_profession: bool
    victim_places: tuple[Point, ...] = ()
    special_needs: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    available: tuple[Window, ...] = ()
    health_cleared: bool = True
    vulnerable_contact_exception: bool = False
    physical_risk_skill: bool = False
    dependants: int = 0
    hours_served: float = 0.0

    @property
    def hours_remaining(self) -> float:
        """Hours still to serve."""
        return max(0.0, self.hours_ordered - self.hours_served)


@dataclass(frozen=True)
class SlotProfile:
    """What the rules need to know about a slot."""

    id: int
    opd_id: int | None
    title: str
    category: str
    sector: str
    place_type: str
    location: Point
    capacity: int
    occupied: int
    schedule: tuple[Window, ...]
    valid_from: date
    valid_until: date
    facilities: frozenset[str] = frozenset()
    risks: frozenset[str] = frozenset()
    status: str = "published"
    unpaid_confirmed: bool = True
    agreement_bapas_id: int | None = None
    agreement_active: bool = True

    @property
    def free_seats(self) -> int:
        """Seats not held by a booked, accepted or active placement."""
        return max(0, self.capacity - self.occupied)


# --- helpers ----------------------------------------------------------------------


def haversine_km(a_lat: float, a_lng: float, b_lat: float, b_lng: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp = p2 - p1
    dl = math.radians(b_lng - a_lng)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def hhmm(minutes: int) -> str:
    """Minutes from midnight as 'HH:MM'."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@functools.lru_cache(maxsize=4096)
def parse_hhmm(text: str) -> int:
    """'HH:MM' (00:00 to 24:00) as minutes from midnight; ValueError otherwise."""
    hours, sep, mins = str(text).strip().partition(":")
    if not sep or not hours.isdigit() or not mins.isdigit() or len(mins) != 2:
        raise ValueError(f"Jam tidak sah: {text!r} (format JJ:MM).")
    value = int(hours) * 60 + int(mins)
    if int(mins) > 59 or value > MINUTES_PER_DAY:
        raise ValueError(f"Jam tidak sah: {text!r}.")
    return value


def window_from_dict(item: Mapping[str, Any]) -> Window:
    """A window from ``{"weekday": 0-6, "start": "HH:MM", "end": "HH:MM"}``; ValueError if bad."""
    try:
        weekday = int(item["weekday"])
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError("Hari tidak sah (0 = Senin sampai 6 = Minggu).") from err
    if not 0 <= weekday <= 6:
        raise ValueError("Hari tidak sah (0 = Senin sampai 6 = Minggu).")
    start = parse_hhmm(str(item.get("start", "")))
    end = parse_hhmm(str(item.get("end", "")))
    if end <= start:
        raise ValueError("Jam selesai harus setelah jam mulai.")
    return Window(weekday, start, end)


def windows_from_dicts(items: Iterable[Mapping[str, Any]] | None) -> tuple[Window, ...]:
    """Windows from stored JSON, sorted; ValueError on a bad one."""
    return tuple(sorted(window_from_dict(item) for item in items or ()))


def schedule_windows(
    items: Iterable[Mapping[str, Any]] | None, fields: dict[str, list[str]]
) -> tuple[Window, ...]:
    """A weekly schedule entered on a form; a bad or empty one is noted in ``fields``."""
    try:
        windows = windows_from_dicts(items)
    except ValueError as err:
        fields["schedule"] = [str(err)]
        return ()
    if not windows:
        fields["schedule"] = ["Isi paling sedikit satu hari kerja."]
    return windows


def windows_to_dicts(windows: Iterable[Window]) -> list[dict[str, Any]]:
    """Windows as the JSON the models and API.md use."""
    return [
        {"weekday": w.weekday, "start": hhmm(w.start), "end": hhmm(w.end)} for w in sorted(windows)
    ]


def merge_windows(windows: Iterable[Window]) -> tuple[Window, ...]:
    """Union of windows: overlapping or touching windows of one day become one."""
    merged: list[Window] = []
    for w in sorted(windows):
        if merged and merged[-1].weekday == w.weekday and w.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Window(w.weekday, last.start, max(last.end, w.end))
        else:
            merged.append(w)
    return tuple(merged)


def overlapping(windows: Iterable[Window]) -> bool:
    """True when two windows of the same day overlap."""
    ordered = sorted(windows)
    pairs = zip(ordered, ordered[1:], strict=False)
    return any(a.weekday == b.weekday and b.start < a.end for a, b in pairs)


def day_minutes(windows: Iterable[Window]) -> list[int]:
    """Minutes per weekday (index 0 = Senin) of a set of non-overlapping windows."""
    totals = [0] * 7
    for w in windows:
        totals[w.weekday] += w.minutes
    return totals


def overlap_minutes(a: Iterable[Window], b: Iterable[Window]) -> list[int]:
    """Per weekday, the minutes common to the unions of ``a`` and ``b``."""
    totals = [0] * 7
    b_list = merge_windows(b)
    for wa in merge_windows(a):
        for wb in b_list:
            if wa.weekday == wb.weekday:
                totals[wa.weekday] += max(0, min(wa.end, wb.end) - max(wa.start, wb.start))
    return totals


def covered_by(window: Window, windows: Iterable[Window]) -> bool:
    """True when ``window`` lies inside the union of ``windows``."""
    for w in merge_windows(windows):
        if w.weekday == window.weekday and w.start <= window.start and window.end <= w.end:
            return True
    return False


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 Aug + 6 → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def weekday_counts(first: date, last: date) -> list[int]:
    """How many Mondays, Tuesdays, ... lie in [first, last] (all zero when empty)."""
    if last < first:
        return [0] * 7
    days = (last - first).days + 1
    full, rest = divmod(days, 7)
    counts = [full] * 7
    for i in range(rest):
        counts[(first.weekday() + i) % 7] += 1
    return counts


@dataclass
class PlacementRequest:
    """A booking being checked: start date and weekly schedule (and planned hours)."""

    start_date: date
    schedule: tuple[Window, ...]
    hours_planned: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def common_windows(
    a: Iterable[Window], b: Iterable[Window], max_daily_minutes: int = law.MAX_DAILY_MINUTES
) -> tuple[Window, ...]:
    """The hours common to ``a`` and ``b``, each day trimmed to the daily limit."""
    out: list[Window] = []
    used = [0] * 7
    b_list = merge_windows(b)
    for wa in merge_windows(a):
        for wb in b_list:
            if wa.weekday != wb.weekday:
                continue
            start, end = max(wa.start, wb.start), min(wa.end, wb.end)
            end = min(end, start + max_daily_minutes - used[wa.weekday])
            if end > start:
                out.append(Window(wa.weekday, start, end))
                used[wa.weekday] += end - start
    return tuple(out)
