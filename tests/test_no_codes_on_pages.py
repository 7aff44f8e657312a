"""A crawler over the demo, as every role: no raw code and no English word reaches a person.

From each role's home page it follows the portal's own links (GET pages, no downloads),
takes the text a person reads (not scripts, styles or attribute values) and looks for
codes (``DEADLINE_EXCEEDED``, ``client_viewed``) and English interface words.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest

from portal.demo import load_demo

ROLES = ["admin", "setda.ngawi", "kabapas.madiun", "pk.madiun", "opd.dinsos", "pj.dinsos"]
MAX_PAGES = 400
SKIP = re.compile(r"^/(keluar|static/|api/)|\.(pdf|xlsx|csv|png|jpe?g)$|/foto$|/ekspor|/unduh")
UPPER_CODE = re.compile(r"\b[A-Z]{2,}(?:_[A-Z0-9]+)+\b")
LOWER_CODE = re.compile(r"\b[a-z]{2,}(?:_[a-z0-9]+)+\b")
ENGLISH = re.compile(
    r"\b(Outcome|Output|Cycle of Change|Submit|Cancel|Save|Delete|Search|Choose|Loading|"
    r"Previous|Next|Settings|Zoom in|Zoom out|Sign in|Sign out|Logout|Login|Dashboard|"
    r"Unknown|None|True|False|null|undefined)\b"
)


class _Text(HTMLParser):
    """Visible text and same-site links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.links.append(href.split("#")[0])
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


@pytest.fixture
def demo(db: Any) -> None:
    load_demo()
    db.session.flush()


@pytest.mark.parametrize("username", ROLES)
def test_pages_show_no_codes_or_english_words(
    client: Any, login_as: Any, demo: None, username: str
) -> None:
    login_as(username)
    queue, seen, problems = ["/beranda"], set(), []
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or SKIP.search(urlsplit(path).path):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _Text()
        parser.feed(response.get_data(as_text=True))
        text = " ".join(" ".join(parser.parts).split())
        for pattern in (UPPER_CODE, LOWER_CODE, ENGLISH):
            for found in sorted(set(pattern.findall(text))):
                problems.append(f"{path}: {found}")
        queue += [link for link in parser.links if link not in seen]
    assert len(seen) > 3
    assert problems == [], "\n".join(problems)
