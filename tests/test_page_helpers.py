"""Helpers the lists draw each row with: the same HTML and links as the slower originals."""

from __future__ import annotations

import re

from flask import render_template_string, url_for

from portal.durations import hours_text
from portal.web import badge, cached_url_for, progress_bar, url_pattern

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


def test_a_template_link_is_url_for_s_wherever_the_portal_is_mounted(app):
    calls = [
        ("static", {"filename": "css/portal.css"}),
        ("clients.index", {"status": "active", "page": 2}),
        ("clients.detail", {"client_id": 7}),
        ("clients.detail", {"client_id": 8}),
        ("sessions.index", {"q": "Ab c&d", "urut": "kode"}),
        ("clients.detail", {"client_id": 7, "_anchor": "panggilan"}),
        ("clients.index", {"pk": ["1", "2"]}),
    ]
    for _ in range(2):  # the second round reads what the first kept
        for root in ("", "/portal", ""):
            with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": root}):
                for endpoint, values in calls:
                    assert cached_url_for(endpoint, **values) == url_for(endpoint, **values)
                    assert cached_url_for(endpoint, **values).startswith(f"{root}/")
    with app.test_request_context("/", base_url="https://portal.example.go.id/"):
        external = cached_url_for("clients.index", _external=True)
        assert external == "https://portal.example.go.id/klien/"


def test_pages_write_a_duration_as_the_attendance_rules_do(app):
    expected = {0: "0 jam", 45: "45 menit", 60: "1 jam", 150: "2 jam 30 menit",
                240 * 60: "240 jam", 240 * 60 + 5: "240 jam 5 menit"}  # fmt: skip
    with app.test_request_context("/"):
        for minutes, text in expected.items():
            assert render_template_string("{{ hours_text(m) }}", m=minutes) == text
            assert hours_text(minutes) == text


def test_the_ledger_bar_shows_its_figure_from_eight_percent_and_escapes_its_label(app):
    with app.test_request_context("/"):
        bar = str(progress_bar(45, 10))
        assert 'aria-valuenow="45"' in bar
        assert 'width: 45%">45%</div>' in bar
        assert "width: 10%" in bar
        assert "Menunggu verifikasi" in bar
        assert ">7%<" not in str(progress_bar(7, 0))
        assert "<b>" not in str(progress_bar(50, 0, "<b>x</b>"))


WHO_MACRO = (
    "{% macro who(client, show_name) -%}\n"
    '  {% if show_name %}{{ client.full_name }} <span class="text-muted small">'
    '({{ client.code }})</span>{% else %}<span class="font-monospace">{{ client.code }}'
    "</span>{% endif %}\n{%- endmacro %}{{ who(client, show_name) }}"
)


def test_a_client_is_named_as_the_macro_named_him_and_only_the_bapas_side_sees_the_name(app):
    from types import SimpleNamespace

    with app.test_request_context("/"):
        for name, code in [("Budi Santoso", "MDN-2026-0001"), ('<b>"x"</b>', "A&B<1>")]:
            client = SimpleNamespace(full_name=name, code=code)
            for show_name in (True, False):
                expected = render_template_string(WHO_MACRO, client=client, show_name=show_name)
                drawn = render_template_string(
                    "{{ client|klien(show_name) }}", client=client, show_name=show_name
                )
                assert drawn == expected
                assert (name in drawn) is (show_name and "<" not in name)
            assert "<b>" not in render_template_string("{{ c|klien(True) }}", c=client)


def test_templates_call_helpers_as_jinja_does_those_wanting_the_context_given_it(app):
    """The portal's faster ``Context.call`` keeps Jinja's meaning for every kind of callable."""
    import functools

    from jinja2 import pass_context, pass_environment

    @pass_context
    def page_name(context, suffix):
        return context["name"] + suffix

    @pass_environment
    def has_dates(environment):
        return "tanggal" in environment.filters

    @functools.lru_cache
    def twice(value, sep="-"):
        return f"{value}{sep}{value}"

    class Counter:
        def __call__(self, n):
            return n + 1

    def stops():
        raise StopIteration

    source = (
        "{% macro hello(who) %}Halo {{ who }}{% endmacro %}"
        "{{ page_name('!') }}|{{ has_dates() }}|{{ twice(3, sep='+') }}|{{ counter(4) }}"
        "|{{ hello('<b>') }}|{{ names.upper() }}|{{ stops() is undefined }}|{{ '%s'|format(1) }}"
    )
    with app.test_request_context("/"):
        html = render_template_string(
            source, name="Daftar", page_name=page_name, has_dates=has_dates,
            twice=twice, counter=Counter(), names="ab", stops=stops,
        )  # fmt: skip
    assert html == "Daftar!|True|3+3|5|Halo &lt;b&gt;|AB|True|1"


def test_a_list_row_is_read_by_its_column_names_and_positions(app, db):
    """Rows handed to templates (named tuples) answer by column name and position."""
    from sqlalchemy import literal, select

    from portal.listing import PAGE_IDS, in_order
    from portal.models import User

    stmt = select(User.id, User.username, literal("x").label("mark")).where(User.id.in_(PAGE_IDS))
    ids = [u.id for u in db.session.scalars(select(User).order_by(User.id.desc()).limit(3))]
    rows = in_order(stmt, ids)
    assert [r.id for r in rows] == ids
    assert [r[0] for r in rows] == ids
    assert all(r.mark == "x" and r.username for r in rows)
    with app.test_request_context("/"):
        html = render_template_string("{% for r in rows %}{{ r.username }};{% endfor %}", rows=rows)
    assert html == "".join(f"{r.username};" for r in rows)
