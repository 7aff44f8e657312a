"""No page, export or API answer that setda.ngawi can open names a client or shows his code.

The test (1) calls every GET route of the application (web and API), filling path
parameters with every id of the fixture's records, and (2) crawls every same-site
link found in the pages it receives. Each answer is turned into text: HTML and JSON
as they are, Excel cell by cell, PDF through pdftotext. None may contain a client's
name or code.
"""

from __future__ import annotations

import io
import json
import re
from collections import deque
from datetime import date
from itertools import product
from urllib.parse import urljoin, urlsplit

from openpyxl import load_workbook
from werkzeug.routing import IntegerConverter

from portal.extensions import db as _db
from portal.models import AgreementEvaluation, WorkplanEvidence, WorkplanReport
from tests.factories import bearer
from tests.monitoring_fixture import build_world
from tests.pdftools import pdf_text

HREF = re.compile(r"""(?:href|src|action)=["']([^"'#]+)""")
MAX_PAGES = 3000


def as_text(response) -> str:  # noqa: ANN001
    """The readable content of a response, whatever its format."""
    mime = response.mimetype or ""
    if mime == "application/pdf":
        return pdf_text(response.data)
    if "spreadsheetml" in mime:
        wb = load_workbook(io.BytesIO(response.data))
        return "\n".join(
            str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v
        )
    if mime == "application/json":
        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data(as_text=True) if mime.startswith("text/") else ""


def secrets_of(world) -> list[str]:  # noqa: ANN001
    out = []
    for c in world.clients.values():
        out += [c.full_name, c.code]
    return out


def test_setda_never_sees_a_client_name_or_code(app, client, login_as, db):
    world = build_world()
    litmas = next(a for a in world.agreement.activities if a.metric == "litmas")
    report = WorkplanReport(
        activity_id=litmas.id, reported_on=date(2026, 5, 2), percent=30, note="Litmas berjalan"
    )
    report.evidence.append(
        WorkplanEvidence(original_name="bukti.pdf", stored_name="f" * 32 + ".pdf",
                         content_type="application/pdf", size=1, sha256="0" * 64)
    )  # fmt: skip
    db.session.add(report)
    db.session.add(
        AgreementEvaluation(agreement_id=world.agreement.id, year=2026,
                            evaluated_on=date(2026, 5, 5), conclusion="continue",
                            summary="Evaluasi berjalan baik")
    )  # fmt: skip
    db.session.commit()
    secrets = secrets_of(world)
    assert all(secrets)

    ids = sorted(
        {world.agreement.id, world.other_agreement.id, litmas.id, report.id,
         report.evidence[0].id}
        | {s.id for s in world.slots.values()}
        | {c.id for c in world.clients.values()}
        | {a.id for a in world.agreement.activities}
    )  # fmt: skip

    login_as("setda.ngawi")
    headers = bearer("setda.ngawi")
    db.session.commit()
    checked: list[str] = []
    leaks: list[tuple[str, str]] = []

    def check(url: str, use_token: bool) -> str | None:
        response = client.get(url, headers=headers if use_token else None)
        if response.status_code != 200:
            return None
        text = as_text(response)
        checked.append(url)
        for secret in secrets:
            if secret in text:
                leaks.append((url, secret))
        return text if (response.mimetype or "").startswith("text/html") else None

    # (1) every GET route, its integer parameters filled with the fixture's ids
    queue: deque[str] = deque()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        args = sorted(rule.arguments)
        if any(not isinstance(rule._converters[a], IntegerConverter) for a in args):
            continue
        combos = product(ids, repeat=len(args)) if args else [()]
        for values in combos:
            url = rule.build(dict(zip(args, values, strict=True)), append_unknown=False)[1]
            if url.startswith("/api/"):
                check(url, use_token=True)
            else:
                queue.append(url)
    # the monitoring pages and exports with their filters go first
    queue.appendleft(f"/monitoring/laporan-monev.pdf?kesepakatan={world.agreement.id}")
    for agreement_id in (world.agreement.id, ""):
        queue.appendleft(f"/monitoring/?kesepakatan={agreement_id}")
        queue.appendleft(f"/monitoring/ekspor.xlsx?kesepakatan={agreement_id}")
        queue.appendleft(f"/monitoring/?kesepakatan={agreement_id}&opd={world.slots['S1'].opd_id}")
        check(f"/api/v1/reports/summary?agreement_id={agreement_id}", use_token=True)

    # (2) crawl: every same-site link of every page received
    seen: set[str] = set()
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or "keluar" in url or "logout" in url:
            continue
        seen.add(url)
        html = check(url, use_token=False)
        if html is None:
            continue
        for href in HREF.findall(html):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or parts.path.startswith("/static/"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))

    assert leaks == []
    # The test really looked at the monitoring area and the exports.
    must = [
        "/monitoring/",
        f"/monitoring/rencana-kerja/{world.agreement.id}",
        f"/monitoring/laporan-monev.pdf?kesepakatan={world.agreement.id}",
        f"/api/v1/agreements/{world.agreement.id}/workplan",
        "/beranda",
        "/monitoring/peta",
    ]
    for url in must:
        assert url in checked, url
    assert any(u.startswith("/monitoring/ekspor.xlsx") for u in checked)
    assert any(u.startswith("/api/v1/reports/summary") for u in checked)
    assert len(checked) > 20
    _db.session.rollback()
