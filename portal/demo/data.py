"""Demo data kept as YAML under seeds/demo/, and the weekly windows it is written in."""

from __future__ import annotations

from typing import Any

import yaml

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
