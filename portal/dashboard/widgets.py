"""Dashboard widgets: each area of the portal registers what it shows on a role's dashboard.

A widget is a template under templates/ plus a function that computes its data
for the signed-in user. Areas register widgets when their package is imported::

    @widget("slots/_widget_opd.html", shown_to="slot.manage", order=10)
    def opd_slots(user): return {"slots": ...}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from portal import policy
from portal.models import User

WidgetData = Callable[[User], dict[str, Any]]

# Agreements a dashboard lists in one block, the most urgent first; the others of a
# province are one click away on the agreement list, so a dashboard costs the same with
# 2 agreements or 40.
SHOWN = 5


@dataclass(frozen=True)
class Widget:
    """A dashboard block for the users who may take ``shown_to`` (a ``policy`` action)."""

    template: str
    shown_to: str
    data: WidgetData
    order: int = 50
    name: str = field(default="")


WIDGETS: list[Widget] = []


def widget(template: str, shown_to: str, order: int = 50) -> Callable[[WidgetData], WidgetData]:
    """Register the decorated function as the data source of a dashboard widget."""

    def decorator(fn: WidgetData) -> WidgetData:
        WIDGETS.append(Widget(template, shown_to, fn, order, fn.__name__))
        return fn

    return decorator


def widgets_for(user: User) -> list[tuple[Widget, dict[str, Any]]]:
    """The user's widgets in order, each with its data."""
    chosen = sorted(
        (w for w in WIDGETS if policy.may(user, w.shown_to)), key=lambda w: (w.order, w.name)
    )
    return [(w, w.data(user)) for w in chosen]
