"""Supervision of placed clients: hours ledger, PK visits and assessments, conduct, closure."""

from portal.supervision.routes import bp

__all__ = ["bp"]
