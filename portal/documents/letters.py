"""Addressing official letters: the Kantor Wilayah of a Bapas and the usual recipients."""

from __future__ import annotations

from portal.models import Bapas

# Province of each seeded Bapas's Kantor Wilayah (Direktorat Jenderal Pemasyarakatan).
KANWIL_PROVINCE: dict[str, str] = {
    "MDN": "Jawa Timur",
    "KDR": "Jawa Timur",
    "MGL": "Jawa Tengah",
}


def kanwil_of(bapas: Bapas | None) -> str:
    """'Direktorat Jenderal Pemasyarakatan Jawa Timur', or '' when the province is unknown."""
    if bapas is None or bapas.code not in KANWIL_PROVINCE:
        return ""
    return f"Direktorat Jenderal Pemasyarakatan {KANWIL_PROVINCE[bapas.code]}"
