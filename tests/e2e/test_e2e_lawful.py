"""In Chromium: the PK uploads the client's pas foto and court document, the Kepala Bapas
sees what the file lacks and the running team deadlines, and signs the letter."""

from __future__ import annotations

from datetime import date
from typing import Any

from PIL import Image

from portal.extensions import db
from portal.supervision import services
from tests.factories import make_client, user
from tests.pdftools import minimal_pdf


def _png(path: Any) -> str:
    Image.new("RGB", (300, 400), "navy").save(path, format="PNG")
    return str(path)


def test_documents_letter_and_team_deadlines_in_the_browser(
    app: Any, app_ctx: Any, page: Any, login: Any, screenshot: Any, tmp_path: Any
) -> None:
    person = make_client(full_name="Dimas Uji Peramban")
    pk = user("pk.madiun")
    case = services.record_conduct(
        person, "violation", date(2026, 5, 28), "Tidak hadir tanpa alasan.", pk, category="other"
    )
    services.propose_team(case, "Tim PK", date(2026, 5, 28), pk)  # deadline 4 June: 3 days
    late = make_client(full_name="Eko Uji Terlambat")
    old = services.record_conduct(
        late, "violation", date(2026, 5, 20), "Tidak hadir tanpa alasan.", pk, category="other"
    )
    services.propose_team(old, "Tim PK", date(2026, 5, 20), pk)  # deadline 27 May: passed
    person_id = person.id
    db.session.commit()
    db.session.close()  # the server thread uses the database from here on

    login(page, "pk.madiun")
    page.goto(page.base_url + f"/klien/{person_id}")
    page.select_option("#doc-kind", "pas_foto")
    page.set_input_files("#doc-file", _png(tmp_path / "pasfoto.png"))
    page.click("#dokumen button[type=submit]:has-text('Unggah')")
    page.wait_for_load_state()
    assert "Dokumen tersimpan." in page.content()
    assert "Pas foto diunggah" in page.locator("#dokumen").inner_text()
    page.select_option("#doc-kind", "putusan")
    page.set_input_files(
        "#doc-file",
        files=[{"name": "putusan.pdf", "mimeType": "application/pdf",
                "buffer": minimal_pdf("Putusan")}],
    )  # fmt: skip
    page.check("#doc-check-issuer")
    page.click("#dokumen button[type=submit]:has-text('Unggah')")
    page.wait_for_load_state()
    assert "Surat eksekusi belum diterima." in page.locator("#file-gaps").inner_text()
    page.click("text=Keluar")

    login(page, "kabapas.madiun")
    page.goto(page.base_url + "/pengawasan/")
    deadlines = page.locator("#team-deadlines")
    assert "Eko Uji Terlambat" in deadlines.inner_text()
    assert "terlewat 5 hari" in deadlines.inner_text()
    assert deadlines.locator(".team-late .text-danger").count() == 1
    screenshot(page, "kepala-bapas-team-deadlines")
    page.goto(page.base_url + f"/klien/{person_id}")
    screenshot(page, "client-documents-card")
    page.click("text=Tandatangani surat kepada Kejaksaan untuk melengkapi berkas")
    page.wait_for_load_state()
    page.goto(page.base_url + "/pengawasan/register-surat")
    register = page.locator("#letter-register").inner_text()
    assert "W15.PAS.PAS42-PK.01.05.02-1" in register
    assert "Permintaan kelengkapan berkas" in register
    screenshot(page, "letter-register")
