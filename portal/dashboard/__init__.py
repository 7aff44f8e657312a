"""The landing page, one per role."""

from portal.dashboard.routes import bp

__all__ = ["bp"]
