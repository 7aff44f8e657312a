"""Planned work sessions of placements, their outcomes, the PJ's roster and the calendars."""

from portal.sessions import (  # noqa: F401 - pages and widgets register on bp
    change_routes,
    list_routes,
    permit_routes,
)
from portal.sessions.routes import bp

__all__ = ["bp"]
