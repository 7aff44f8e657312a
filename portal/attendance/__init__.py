"""Attendance: daily records of the work, their verification and the hours ledger."""

from portal.attendance import widgets  # noqa: F401 - widgets register on the dashboard
from portal.attendance.routes import bp

__all__ = ["bp"]
