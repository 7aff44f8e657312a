"""Today's date and the current time as the portal sees them.

Business dates (deadlines, expiry) are in the portal's local zone (WIB by
default). Tests freeze the clock with ``freeze(date)`` instead of patching
``datetime`` everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

_frozen: date | None = None
_zone = ZoneInfo("Asia/Jakarta")


def set_zone(name: str) -> None:
    """Set the local zone used for business dates (from the TIMEZONE setting)."""
    global _zone
    _zone = ZoneInfo(name)


def zone() -> ZoneInfo:
    """The local zone for display and business dates."""
    return _zone


def freeze(day: date | None) -> None:
    """Pin today() to a date (None unpins); for tests and demos."""
    global _frozen
    _frozen = day


def today() -> date:
    """Today's date in the local zone."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC).astimezone(_zone).date()


def local(dt: datetime) -> datetime:
    """Convert an aware UTC timestamp to the local zone for display."""
    return dt.astimezone(_zone)


@contextmanager
def frozen_at(day: date) -> Iterator[None]:
    """Today is ``day`` inside the block, then whatever it was before (a demo replaying a day)."""
    global _frozen
    before = _frozen
    _frozen = day
    try:
        yield
    finally:
        _frozen = before
