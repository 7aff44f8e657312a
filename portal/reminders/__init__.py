"""Reminders: what waits for each user, on a page and as a count in the navbar."""

from portal.reminders.routes import bp

__all__ = ["bp"]
