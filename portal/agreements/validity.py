"""An agreement's validity on a given day: pure rules, no Flask, no database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

WARNING_STEPS = (60, 30, 7)

# state: (as the UI says it, Bootstrap colour of its badge)
STATE_LOOKS: dict[str, tuple[str, str]] = {
    "draft": ("Draf (belum ditandatangani)", "secondary"),
    "active": ("Berlaku", "success"),
    "expiring": ("Segera berakhir", "warning"),
    "expired": ("Berakhir", "danger"),
}


@dataclass(frozen=True)
class Validity:
    """Where an agreement stands on ``today``."""

    state: str  # draft, active, expiring, expired
    valid_until: date | None
    days_left: int | None

    # The state as the UI says it, and the Bootstrap colour of its badge.
    label = property(lambda self: STATE_LOOKS[self.state][0])
    css = property(lambda self: STATE_LOOKS[self.state][1])

    @property
    def is_active(self) -> bool:
        """True while the agreement is in force (also during the warning period)."""
        return self.state in ("active", "expiring")

    @property
    def warning_step(self) -> int | None:
        """The smallest of 60/30/7 days that ``days_left`` has reached, if any."""
        if self.state != "expiring" or self.days_left is None:
            return None
        return min(step for step in WARNING_STEPS if self.days_left <= step)


def validity_on(
    status: str,
    signed_on: date | None,
    valid_until: date | None,
    today: date,
    warning_days: int = 60,
) -> Validity:
    """Compute the state: expired after ``valid_until``, expiring within ``warning_days``.

    The agreement is valid up to and including ``valid_until``; an agreement not yet
    signed, or signed in the future, is a draft.
    """
    if status == "draft" or signed_on is None or signed_on > today:
        return Validity("draft", valid_until, None)
    if status == "expired" or (valid_until is not None and today > valid_until):
        return Validity("expired", valid_until, 0)
    if valid_until is None:
        return Validity("active", None, None)
    days_left = (valid_until - today).days
    state = "expiring" if days_left <= warning_days else "active"
    return Validity(state, valid_until, days_left)


# The order in which states ask for attention: an ended agreement stops publishing and
# booking, one in its warning period needs an addendum soon, a draft waits for signing.
URGENCY = ("expired", "expiring", "draft", "active")


def urgency(v: Validity) -> tuple[int, int]:
    """Sort key, most urgent first: ended agreements (the most recently ended first), then
    those in their warning period by the fewest days left, drafts, and those in force by
    the fewest days left (one without an end last)."""
    rank = URGENCY.index(v.state)
    if v.state == "expired":
        return rank, -(v.valid_until.toordinal() if v.valid_until else 0)
    return rank, v.days_left if v.days_left is not None else 1 << 30


def states_counted(validities: Iterable[Validity]) -> list[tuple[str, str, int]]:
    """Each state some of ``validities`` are in, in ``URGENCY`` order, with its label and
    how many are in it (the filters of the agreement list and the dashboard's links)."""
    counts = Counter(v.state for v in validities)
    return [(state, STATE_LOOKS[state][0], counts[state]) for state in URGENCY if counts[state]]
