"""The booking form's weekly schedule, read into the shape the API body has."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DAYS = range(7)  # Senin (0) to Minggu (6), the inputs start_<d> and end_<d>


def weekly_schedule(form: Mapping[str, str]) -> list[dict[str, Any]]:
    """``[{weekday, start, end}]`` from the grid, days left empty skipped.

    The booking service checks the windows (format, order, the slot's hours, 8 hours
    a day) the same way for this form and for ``POST /api/v1/placements``.
    """
    schedule = []
    for day in DAYS:
        start = (form.get(f"start_{day}") or "").strip()
        end = (form.get(f"end_{day}") or "").strip()
        if start or end:
            schedule.append({"weekday": day, "start": start, "end": end})
    return schedule
