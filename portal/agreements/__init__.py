"""Agreements (Nota Kesepakatan) and their Rencana Kerja."""

from portal.agreements.routes import bp

__all__ = ["bp"]
