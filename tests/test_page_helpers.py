"""Helpers the lists draw each row with: the same HTML and links as the slower originals."""

from __future__ import annotations

from flask import render_template_string, url_for

from portal.web import badge, url_pattern

MACRO = """{% macro old(text, colour='secondary', icon=None) -%}
  <span class="badge text-bg-{{ colour }}">{% if icon %}<i class="bi bi-{{ icon }} me-1" aria-hidden="true"></i>{% endif %}{{ text }}</span>
{%- endmacro %}{{ old(text, colour, icon) }}"""


def test_badge_draws_what_the_template_macro_drew_and_escapes_every_value(app):
    with app.test_request_context("/"):
        for text, colour, icon in [
            ("Aktif", "success", None),
            ("Pelanggaran panggilan", "danger", "exclamation-triangle"),
            ('<script>alert("x")</script>', 'x" onclick="y', '"><b>'),
            (12, "secondary", None),
        ]:
            expected = render_template_string(MACRO, text=text, colour=colour, icon=icon)
            assert str(badge(text, colour, icon)) == expected
        assert "<script>" not in badge("<script>", "info")


def test_a_url_pattern_gives_url_for_s_link_for_every_id(app):
    for root in ("", "/portal"):
        with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": root}):
            for endpoint, name in [
                ("clients.detail", "client_id"),
                ("placements.detail", "placement_id"),
                ("slots.detail", "slot_id"),
                ("admin.user_edit", "user_id"),
            ]:
                link = url_pattern(endpoint, name)
                for record_id in (1, 7, 98, 987654321, 2**40):
                    assert link(record_id) == url_for(endpoint, **{name: record_id})
                assert link(5).startswith(root + "/")
