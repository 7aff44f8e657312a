"""Helpers the lists draw each row with: the same HTML and links as the slower originals."""

from __future__ import annotations

import re

from flask import render_template_string, url_for

from portal.web import badge, url_pattern

MACRO = (
    "{% macro old(text, colour='secondary', icon=None) -%}\n"
    '  <span class="badge text-bg-{{ colour }}">{% if icon %}<i class="bi bi-{{ icon }} me-1" '
    'aria-hidden="true"></i>{% endif %}{{ text }}</span>\n'
    "{%- endmacro %}{{ old(text, colour, icon) }}"
)


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


def _menu_links(html: str) -> set[str]:
    """The links of the navbar's menu (after ``id="menu"``)."""
    nav = html.split('id="menu"', 1)[1] if 'id="menu"' in html else ""
    return set(re.findall(r'class="(?:nav-link|dropdown-item)[^"]*" href="([^"#]+)"', nav))


def test_each_role_s_menu_links_what_its_role_may_open(app, client, login_as):
    """The menu is built once per role and kept: every role still gets its own."""
    from portal import policy
    from portal.navigation import NAV

    seen = {}
    for username in ("admin", "kabapas.madiun", "pk.madiun", "setda.ngawi", "pj.dinsos",
                     "kabapas.madiun"):  # fmt: skip
        account = login_as(username)
        links = _menu_links(client.get("/beranda").get_data(as_text=True))
        with app.test_request_context("/"):
            expected = {url_for(i.endpoint) for i in NAV if policy.may(account, i.action)}
        assert links == expected, username
        seen.setdefault(username, links)
        assert seen[username] == links
        client.post("/keluar", data={})
    assert seen["pk.madiun"] != seen["kabapas.madiun"] != seen["admin"]


def test_the_menu_follows_where_the_portal_is_mounted(app, client, login_as):
    login_as("pk.madiun")
    plain = _menu_links(client.get("/beranda").get_data(as_text=True))
    mounted = _menu_links(
        client.get("/beranda", environ_overrides={"SCRIPT_NAME": "/portal"}).get_data(as_text=True)
    )
    assert plain
    assert mounted == {"/portal" + link for link in plain}
