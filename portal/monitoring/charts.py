"""Server-side SVG charts for the printed report (WeasyPrint runs no JavaScript).

Pure functions that return SVG markup; every label is XML-escaped. Suppressed
cells (None) are drawn as an empty slot with a "< 3" mark, never as a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

PALETTE = ("#0b5d56", "#3d8bd9", "#3a9d5d", "#e0a100", "#adb5bd")


def _fmt(value: float) -> str:
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _nice_max(value: float) -> float:
    """An axis maximum at or above ``value`` whose quarters are round numbers (at least 4)."""
    scale = 1
    while True:
        for mult in (1, 2, 2.5, 5):
            top = 4 * mult * scale
            if top >= value:
                return float(top)
        scale *= 10


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    title: str,
    width: int = 640,
    height: int = 240,
) -> Markup:
    """Grouped vertical bars with a legend; None values are marked "< 3"."""
    left, right, top, bottom = 44, 10, 28, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, vs in series for v in vs if v is not None]
    vmax = _nice_max(max(values, default=0))
    n = max(len(labels), 1)
    group_w = plot_w / n
    bar_w = max(2.0, group_w * 0.8 / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Liberation Sans, Arial, sans-serif" '
        f'font-size="9" role="img" aria-label="{escape(title)}">',
        f'<text x="{left}" y="14" font-size="11" font-weight="bold">{escape(title)}</text>',
    ]
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="#ddd" stroke-width="0.6"/>'
            f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{_fmt(vmax * i / 4)}</text>'
        )
    for gi, label in enumerate(labels):
        gx = left + gi * group_w + group_w * 0.1
        for si, (_, vs) in enumerate(series):
            v = vs[gi] if gi < len(vs) else None
            x = gx + si * bar_w
            colour = PALETTE[si % len(PALETTE)]
            if v is None:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - 3:.1f}" '
                    f'text-anchor="middle" font-size="7" fill="#666">&lt;3</text>'
                )
                continue
            h = plot_h * v / vmax
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{left + gi * group_w + group_w / 2:.1f}" y="{top + plot_h + 12}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="#333" stroke-width="0.8"/>'
    )
    lx = left
    for si, (name, _) in enumerate(series):
        colour = PALETTE[si % len(PALETTE)]
        parts.append(
            f'<rect x="{lx}" y="{height - 14}" width="9" height="9" fill="{colour}"/>'
            f'<text x="{lx + 12}" y="{height - 6}">{escape(name)}</text>'
        )
        lx += 18 + 6 * len(name)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def hbar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    title: str,
    width: int = 640,
) -> Markup:
    """Horizontal grouped bars (one group per label), for OPD comparisons."""
    left, right, top = 150, 30, 26
    row_h = 10 * max(len(series), 1) + 8
    height = top + row_h * max(len(labels), 1) + 24
    plot_w = width - left - right
    values = [v for _, vs in series for v in vs if v is not None]
    vmax = _nice_max(max(values, default=0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Liberation Sans, Arial, sans-serif" '
        f'font-size="9" role="img" aria-label="{escape(title)}">',
        f'<text x="4" y="14" font-size="11" font-weight="bold">{escape(title)}</text>',
    ]
    for gi, label in enumerate(labels):
        gy = top + gi * row_h
        parts.append(
            f'<text x="{left - 6}" y="{gy + row_h / 2 + 2:.1f}" text-anchor="end">'
            f"{escape(label[:32])}</text>"
        )
        for si, (_, vs) in enumerate(series):
            v = vs[gi] if gi < len(vs) else None
            y = gy + 4 + si * 10
            if v is None:
                parts.append(f'<text x="{left + 2}" y="{y + 8}" fill="#666">&lt; 3</text>')
                continue
            w = plot_w * v / vmax
            parts.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="8" '
                f'fill="{PALETTE[si % len(PALETTE)]}"/>'
                f'<text x="{left + w + 3:.1f}" y="{y + 7}">{_fmt(v)}</text>'
            )
    lx = left
    for si, (name, _) in enumerate(series):
        parts.append(
            f'<rect x="{lx}" y="{height - 14}" width="9" height="9" '
            f'fill="{PALETTE[si % len(PALETTE)]}"/>'
            f'<text x="{lx + 12}" y="{height - 6}">{escape(name)}</text>'
        )
        lx += 18 + 6 * len(name)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
