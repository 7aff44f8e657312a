"""axe-core (from npm, tests/node) on every role's main pages: no critical or serious violation."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parent.parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
# Markup and styles do not depend on the database: run once, in the SQLite phase.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("PORTAL_TEST_DATABASE_URL")), reason="runs in the SQLite phase"
)
ROLES = ["admin", "setda.ngawi", "kabapas.madiun", "pk.madiun", "opd.dinsos", "pj.dinsos"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        npm = shutil.which("npm")
        if not npm:
            pytest.skip("npm is needed for axe-core (apt: nodejs npm)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=AXE.parents[2])
    return AXE.read_text()


def serious_violations(page: Any, axe_source: str) -> list[str]:
    # Evaluated through the browser's debugger protocol: the page's CSP does not apply.
    page.evaluate(axe_source)
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations
              .filter(v => v.impact === 'critical' || v.impact === 'serious')
              .map(v => `${v.impact} ${v.id}: ` +
                   v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
        }"""
    )
    return list(found)


@pytest.mark.parametrize("username", ROLES)
def test_main_pages_have_no_serious_accessibility_violation(
    app_ctx: Any, page: Any, login: Any, axe_source: str, username: str
) -> None:
    login(page, username)
    links = page.eval_on_selector_all(
        "nav a.nav-link[href^='/'], nav a.dropdown-item[href^='/']",
        "els => [...new Set(els.map(e => e.getAttribute('href')))]",
    )
    paths = ["/beranda", *[p for p in links if p not in ("/beranda", "/keluar")]]
    if "/kesepakatan/" in paths:
        paths.append("/kesepakatan/?keadaan=active")  # the list filtered by state (pills)
    problems: dict[str, list[str]] = {}
    for path in paths:
        page.goto(page.base_url + path)
        found = serious_violations(page, axe_source)
        if found:
            problems[path] = found
    assert problems == {}


def test_matching_page_with_its_map_has_no_serious_violation(
    app_ctx: Any, page: Any, login: Any, axe_source: str
) -> None:
    from tests import factories

    person = factories.make_client()
    factories.make_slot(title="Kebersihan Taman Tugu")
    client_id = person.id
    app_ctx.session.commit()
    login(page, "pk.madiun")
    page.goto(f"{page.base_url}/klien/{client_id}/pencocokan")
    page.locator("#match-map .leaflet-control-zoom-in").wait_for()
    assert serious_violations(page, axe_source) == []


def test_slot_page_with_its_map_has_no_serious_violation(
    app_ctx: Any, page: Any, login: Any, axe_source: str
) -> None:
    from tests import factories

    slot = factories.make_slot(title="Kebersihan Taman Tugu")
    slot_id = slot.id
    app_ctx.session.commit()
    login(page, "opd.dinsos")
    page.goto(f"{page.base_url}/lokasi-kerja/{slot_id}")
    page.locator(".folium-map .leaflet-control-zoom-in").wait_for()
    assert serious_violations(page, axe_source) == []
