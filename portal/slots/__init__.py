"""Work slots of the OPDs (lokasi kerja), the map and the partners list (Daftar Mitra)."""

from portal.slots import widgets  # noqa: F401 - widgets register on the dashboard
from portal.slots.routes import bp

__all__ = ["bp"]
