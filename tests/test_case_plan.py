"""The case plan: ten parts prefilled, edited by the PK, printed as Lampiran I."""

from __future__ import annotations

import subprocess
from typing import Any

from sqlalchemy import select

from portal.models import CasePlan
from tests import factories


def test_prefilled_then_saved_and_printed(
    client: Any, db: Any, login_as: Any, tmp_path: Any
) -> None:
    c = factories.make_client(
        special_needs=["breastfeeding"], religion="Islam", full_name="Ani Fiktif"
    )
    slot = factories.make_slot(facilities=["lactation_room", "child_care", "prayer_room"])
    p = factories.make_placement(client=c, slot=slot)
    db.session.commit()
    login_as("pk.madiun")
    page = client.get(f"/penempatan/{p.id}/rencana").get_data(as_text=True)
    for label in (
        "1. Tempat pelaksanaan",
        "5. Penanggung jawab di lokasi",
        "10. Kebutuhan khusus klien",
    ):
        assert label in page
    assert slot.title in page
    assert "Menyusui; Tempat ibadah (Islam)" in page
    assert "Kunjungan PK ke lokasi setiap dua minggu" in page
    assert "diisi otomatis, belum disimpan" in page

    refused = client.post(f"/penempatan/{p.id}/rencana", data={"place": "", "total_hours": "999"})
    assert refused.status_code == 422
    assert db.session.scalar(select(CasePlan).where(CasePlan.placement_id == p.id)) is None

    form = {
        "place": "Taman Kota Ngawi",
        "institution": "Dinas Sosial",
        "institution_kind": "government",
        "total_hours": "120",
        "schedule": "Senin-Jumat 08.00-12.00",
        "supervisor": "Slamet Riyadi",
        "work_description": "Menyapu dan merapikan taman",
        "pk_visits": "Setiap dua minggu",
        "counselling": "Setiap bulan",
        "evaluation": "Pada 30 dan 90 jam",
        "special_needs": "Ruang laktasi",
    }
    assert client.post(f"/penempatan/{p.id}/rencana", data=form).status_code == 302
    plan = db.session.scalar(select(CasePlan).where(CasePlan.placement_id == p.id))
    assert plan.work_description == "Menyapu dan merapikan taman"

    response = client.get(f"/penempatan/{p.id}/lampiran-i.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pdf = tmp_path / "lampiran-i.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "TEMPAT KERJA SOSIAL KLIEN" in text
    assert "BALAI PEMASYARAKATAN KELAS II MADIUN" in text
    assert "Menyapu dan merapikan taman" in text
    assert "Ani Fiktif" in text
    assert "Halaman 1 dari" in text


def test_case_plan_is_for_the_bapas_side_only(client: Any, db: Any, login_as: Any) -> None:
    p = factories.make_placement()
    db.session.commit()
    for username, status in [
        ("opd.dinsos", 403),
        ("pj.dinsos", 403),
        ("pk2.madiun", 404),
        ("kabapas.madiun", 200),
    ]:
        login_as(username)
        assert client.get(f"/penempatan/{p.id}/rencana").status_code == status, username
