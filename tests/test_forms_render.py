"""Form controls come out exactly as WTForms writes them, through the portal's faster
writer of their attributes (``portal.forms.html_params``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import wtforms.widgets.core
from markupsafe import Markup
from wtforms import Form

from portal import forms
from portal.clients.forms import SummonsForm
from portal.supervision.forms import ConductForm

ATTRIBUTES: list[dict[str, Any]] = [
    {},
    {"name": "text1", "id": "f", "class_": "text"},
    {"checked": True, "readonly": False, "name": "text1", "abc": "hello"},
    {"data_attr": "user.name", "aria_labeledby": "name", "data_a_b_c": 1},
    {"value": 'say "hi" & <b>bye</b>', "title": "it's"},
    {"value": Markup('<i class="x">safe</i>'), "for_": "a"},
    {"value": 0, "min": 1.5, "max": None, "placeholder": "hh-bb-tttt"},
    {"aria_label": "Tanggal panggilan", "type": "date", "required": True},
]


@pytest.mark.parametrize("attributes", ATTRIBUTES)
def test_control_attributes_are_written_as_wtforms_writes_them(attributes: dict[str, Any]) -> None:
    ours = forms.html_params(**attributes)
    assert isinstance(ours, Markup)
    assert ours == forms.WTFORMS_HTML_PARAMS(**attributes)


def test_every_widget_writes_through_the_portal_writer() -> None:
    assert wtforms.widgets.core.html_params is forms.html_params
    assert wtforms.widgets.core.Input.html_params is forms.html_params


def _render_all(form: Form) -> list[str]:
    out = []
    for field in form:
        out.append(str(field(class_="form-control", aria_label=f"Isian {field.name}")))
        out.append(str(field.label(class_="form-label")))
        if field.type == "RadioField":
            out += [str(choice(class_="form-check-input")) for choice in field]
    return out


def test_forms_draw_the_same_html_with_either_writer(app: Any) -> None:
    """Text, dates, selects (with a choice selected), radios and text areas, with values
    that must be escaped, drawn with WTForms' writer and with the portal's."""
    with app.test_request_context("/"):
        drawn = {}
        for writer in (forms.WTFORMS_HTML_PARAMS, forms.html_params):
            wtforms.widgets.core.html_params = writer
            wtforms.widgets.core.Input.html_params = staticmethod(writer)
            try:
                summons = SummonsForm(formdata=None, sent_on=date(2026, 6, 1))
                summons.note.data = 'Datang "terlambat" <15 menit> & pulang'
                conduct = ConductForm(
                    formdata=None, kind="good_conduct", occurred_on=date(2026, 5, 2)
                )
                drawn[writer] = _render_all(summons) + _render_all(conduct)
            finally:
                forms._use_html_params()
        theirs, ours = drawn.values()
        assert ours == theirs
        assert any("&#34;terlambat&#34;" in line for line in ours)
        assert any(line.startswith("<input checked") and "good_conduct" in line for line in ours)
