"""Receiving and profiling clients, and matching them to slots (the PK's workflow)."""

from portal.clients import (  # noqa: F401 - pages and widgets register on bp
    document_routes,
    list_routes,
    stage_one,
    widgets,
)
from portal.clients.routes import bp

__all__ = ["bp"]
