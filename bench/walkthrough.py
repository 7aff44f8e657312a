"""Walk through the demo as every role in headless Chromium and screenshot each page.

Run by hand against a demo served by ``flask run`` (not a CI test):

    export FLASK_APP=portal PORTAL_DATABASE_URL=sqlite:////tmp/walk.db
    flask db upgrade && flask seed && flask demo && flask run -p 5055 &
    python bench/walkthrough.py http://127.0.0.1:5055 test-artifacts/walkthrough

For each demo role it signs in, visits every menu page plus the reminders and
profile pages and the first detail page linked from each list, at 1366×900
and at 390×844 (phone), and saves full-page PNGs. It prints each page's HTTP
status, whether the page is wider than the viewport (a table overflowing on a
phone), and any English words left in the visible text.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROLES = [
    "admin",
    "setda.ngawi",
    "kabapas.madiun",
    "pk.madiun",
    "pk2.madiun",
    "opd.dinsos",
    "opd.dlh",
    "opd.rsud",
    "pj.dinsos",
]
PASSWORD = "sinergi-demo"
VIEWPORTS = {"desk": (1366, 900), "phone": (390, 844)}
EXTRA = ["/pengingat/", "/profil"]
# The first link of each kind found on a list page is opened as a detail page.
DETAIL = [
    r"^/klien/\d+$",
    r"^/klien/\d+/pencocokan$",
    r"^/penempatan/\d+$",
    r"^/lokasi-kerja/\d+$",
    r"^/kesepakatan/\d+$",
    r"^/pengawasan/klien/\d+$",
    r"^/kehadiran/penempatan/\d+$",
    r"^/monitoring/rencana-kerja/\d+$",
    r"^/admin/pengguna/\d+$",
]
ENGLISH = re.compile(
    r"\b(Submit|Save|Cancel|Delete|Edit|Search|Next|Previous|Loading|Dashboard|Logout|"
    r"Login|Settings|Status|None|True|False|null|undefined|This field is required)\b"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def slug(path: str) -> str:
    """A file-name-safe form of a URL path."""
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"


def walk(base: str, out: Path) -> None:
    """Sign in as each role and screenshot its pages."""
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for role in ROLES:
            for vp_name, (w, h) in VIEWPORTS.items():
                ctx = browser.new_context(
                    viewport={"width": w, "height": h},
                    locale="id-ID",
                    timezone_id="Asia/Jakarta",
                )
                page = ctx.new_page()
                page.goto(base + "/masuk")
                page.fill("input[name=username]", role)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                links = page.eval_on_selector_all(
                    "nav a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
                )
                pages = ["/beranda"]
                for href in links + EXTRA:
                    if href not in pages and not href.startswith(("/keluar", "/static")):
                        pages.append(href)
                seen: set[str] = set()
                queue = list(pages)
                while queue:
                    path = queue.pop(0)
                    if path in seen or path.endswith((".pdf", ".xlsx")):
                        continue
                    seen.add(path)
                    resp = page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    status = resp.status if resp else 0
                    wide = page.evaluate(
                        "document.documentElement.scrollWidth > window.innerWidth + 1"
                    )
                    text = page.inner_text("main") if page.query_selector("main") else ""
                    english = sorted(set(ENGLISH.findall(text)))
                    name = f"{role}--{vp_name}--{slug(path)}.png"
                    page.screenshot(path=str(out / name), full_page=True)
                    flags = (" WIDE" if wide else "") + (f" EN={english}" if english else "")
                    print(f"{status} {role:15} {vp_name:5} {path}{flags}")
                    if path in pages:
                        hrefs = page.eval_on_selector_all(
                            "main a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
                        )
                        for pattern in DETAIL:
                            for href in hrefs:
                                href = href.split("?")[0].split("#")[0]
                                if re.match(pattern, href) and href not in seen:
                                    queue.append(href)
                                    break
                ctx.close()
        browser.close()


if __name__ == "__main__":
    walk(
        sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5055",
        Path(sys.argv[2] if len(sys.argv) > 2 else "test-artifacts/walkthrough"),
    )
