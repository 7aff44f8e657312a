"""Receiving and profiling clients, and matching them to slots (the PK's workflow)."""

from portal.clients import (  # noqa: F401 - pages register on bp
    document_routes,
    stage_one,
    widgets,  # noqa: F401 - widgets register on the dashboard
)
from portal.clients.routes import bp

__all__ = ["bp"]
