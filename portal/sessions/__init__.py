"""Planned work sessions of placements, their outcomes, the PJ's roster and the calendars."""

from portal.sessions import change_routes, permit_routes  # noqa: F401 - pages register on bp
from portal.sessions.routes import bp

__all__ = ["bp"]
