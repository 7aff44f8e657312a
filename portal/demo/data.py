"""Demo data kept as YAML under seeds/demo/, and the weekly windows it is written in."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import yaml

from portal.models.base import utcnow
from portal.resources import SEEDS


def load(name: str) -> Any:
    """The YAML document ``seeds/demo/<name>.yaml``."""
    with (SEEDS / "demo" / f"{name}.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def week(days: range | list[int], start: str, end: str) -> list[dict[str, Any]]:
    """The windows ``start``–``end`` on each of ``days`` (0 = Monday)."""
    return [{"weekday": d, "start": start, "end": end} for d in days]


def windows(spec: list[list[Any]]) -> list[dict[str, Any]]:
    """A schedule from its YAML form: [weekdays, start, end] per window."""
    return [w for days, start, end in spec for w in week(days, start, end)]


def office_morning(day: date) -> datetime:
    """09:00 WIB of ``day``: when the demo's offices do what the story dates that day."""
    return datetime.combine(day, time(2, 0), tzinfo=UTC)


def booking_times(start: date, today: date) -> tuple[datetime, datetime]:
    """When a placement starting on ``start`` was booked and answered: a week and five days
    before, never later than the demo's today (nor than now)."""
    latest = min(office_morning(today), utcnow())
    return (
        min(office_morning(start - timedelta(days=7)), latest),
        min(office_morning(start - timedelta(days=5)), latest),
    )
