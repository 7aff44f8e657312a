"""Administration: accounts and the audit log."""

from portal.admin.routes import bp

__all__ = ["bp"]
