"""Supervision pages (filled in below)."""
