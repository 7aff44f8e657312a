"""Monitoring for the Setda and the Kepala Bapas: indicators, Rencana Kerja, reports, map."""

from portal.monitoring import widgets  # noqa: F401 - widgets register on the dashboard
from portal.monitoring.routes import bp

__all__ = ["bp"]
