"""Placements: bookings of clients into slots, confirmed by the OPD."""

from portal.placements.routes import bp

__all__ = ["bp"]
