"""How the portal writes a duration: one wording for rules' messages, pages and forms."""

from __future__ import annotations


def hours_text(minutes: int) -> str:
    """Minutes as Indonesian hours: 270 -> '4 jam 30 menit', 480 -> '8 jam', 45 -> '45 menit'."""
    hours, rest = divmod(max(minutes, 0), 60)
    if rest and hours:
        return f"{hours} jam {rest} menit"
    if rest:
        return f"{rest} menit"
    return f"{hours} jam"
