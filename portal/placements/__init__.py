"""Placements: bookings of clients into slots, confirmed by the OPD."""

from portal.placements import booking  # noqa: F401 - the matching and booking pages
from portal.placements.routes import bp

__all__ = ["bp"]
