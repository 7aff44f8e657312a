"""Addenda as NK Pasal 15 wants them: proposed by one party, binding once the other agrees.

Through the web and the API: the Bapas proposes, the Setda confirms, the expired
agreement is back in force (and, when asked, its slots); the proposing side alone
cannot (403); refusing, withdrawing and the history are kept.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from portal import clock
from portal.agreements.services import agreement_active_on
from portal.models import Addendum, AuditLog, Slot
from tests import factories as f
from tests.factories import bearer
from tests.pdftools import minimal_pdf

AFTER_EXPIRY = date(2026, 11, 30)  # the Ngawi NK ended on 27-11-2026
OLD_END, NEW_END = date(2026, 11, 27), date(2027, 11, 27)
PDF = minimal_pdf()  # parses whole, as every upload must


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 0, 0)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def expired(db: Any) -> Any:
    """Three days after the Ngawi agreement ended: a slot that ended with it, one that
    ended earlier, and a client waiting for a placement."""
    clock.freeze(AFTER_EXPIRY)
    with_it = f.make_slot(valid_until=OLD_END)
    earlier = f.make_slot(valid_until=date(2026, 9, 30))
    klien = f.make_client(start_date=AFTER_EXPIRY, deadline=date(2027, 5, 30), hours_ordered=40)
    db.session.commit()
    return with_it, earlier, klien


def _form(**changes: Any) -> dict[str, Any]:
    data = {
        "number_bapas": "WP.15.PAS.42.HK.01.02-ADD/2026",
        "number_pemda": "400.9.4.3/ADD/2026",
        "signed_on": "2026-11-30",
        "valid_until": NEW_END.isoformat(),
        "summary": "Perpanjangan masa berlaku satu tahun dengan isi yang sama.",
    }
    data.update(changes)
    return data


def _offered(client: Any, klien: Any, slot: Slot) -> bool:
    page = client.get(f"/klien/{klien.id}/pencocokan").text
    return f"/klien/{klien.id}/pesan/{slot.id}" in page


# --- web ---------------------------------------------------------------------------


def test_bapas_proposes_setda_confirms_and_the_partnership_lives_again(
    client: Any, login_as: Any, db: Any, expired: Any
) -> None:
    with_it, earlier, klien = expired
    ngawi = with_it.agreement
    login_as("kabapas.madiun")
    home = client.get("/beranda").text
    assert "Kesepakatan telah berakhir" in home
    assert f'href="/kesepakatan/{ngawi.id}/addendum"' in home  # the banner leads to the form
    form = client.get(f"/kesepakatan/{ngawi.id}/addendum")
    assert form.status_code == 200
    assert 'value="27-11-2027"' in form.text  # one more year is pre-filled
    sent = client.post(
        f"/kesepakatan/{ngawi.id}/addendum",
        data={**_form(), "scan": (io.BytesIO(PDF), "addendum.pdf")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    db.session.expire_all()
    (proposal,) = ngawi.addenda
    assert proposal.status == "proposed"
    assert proposal.scan_original == "addendum.pdf"
    # one side alone does not bind: still expired, still nothing to book
    assert not agreement_active_on(ngawi)
    page = client.get(f"/kesepakatan/{ngawi.id}").text
    assert "Menunggu persetujuan Setda" in page
    assert "Anda tidak dapat menyetujuinya sendiri" in page
    assert client.post(f"/kesepakatan/addendum/{proposal.id}/setujui").status_code == 403
    db.session.expire_all()
    assert proposal.status == "proposed"
    login_as("pk.madiun")
    assert not _offered(client, klien, with_it)

    login_as("setda.ngawi")
    home = client.get("/beranda").text
    assert "Tinjau dan setujui Addendum" in home
    done = client.post(f"/kesepakatan/addendum/{proposal.id}/setujui", data={"extend_slots": "y"})
    assert done.status_code == 302
    db.session.expire_all()
    assert proposal.status == "in_force"
    assert proposal.decided_by.username == "setda.ngawi"
    assert agreement_active_on(ngawi)
    assert ngawi.valid_until == OLD_END  # the signed agreement itself is unchanged
    assert ngawi.effective_valid_until == NEW_END
    assert with_it.valid_until == NEW_END
    assert earlier.valid_until == date(2026, 9, 30)
    assert proposal.slots_extended == 1
    detail = client.get(f"/kesepakatan/{ngawi.id}").text
    assert "Berlaku (disetujui kedua pihak)" in detail
    assert "Kesepakatan telah berakhir" not in client.get("/beranda").text

    login_as("pk.madiun")
    assert _offered(client, klien, with_it)
    actions = {a.action for a in db.session.scalars(select(AuditLog))}
    assert {"addendum_proposed", "addendum_confirmed"} <= actions
    # The Kepala Bapas is told the new end, not the one the addendum replaced.
    login_as("kabapas.madiun")
    inbox = client.get("/notifikasi/").text
    assert f"Kesepakatan berlaku sampai {NEW_END:%d-%m-%Y}." in inbox
    assert f"sampai {OLD_END:%d-%m-%Y}" not in inbox
    # The Setda's "Addendum diusulkan" is settled once he agreed: not shown as new any more.
    login_as("setda.ngawi")
    assert 'data-unread="1"' in client.get("/notifikasi/").text  # "Addendum disetujui" only


def test_without_extend_slots_the_opd_admin_extends_his_in_one_step(
    client: Any, login_as: Any, db: Any, expired: Any
) -> None:
    with_it, _earlier, _klien = expired
    ngawi = with_it.agreement
    login_as("setda.ngawi")
    client.post(f"/kesepakatan/{ngawi.id}/addendum", data=_form())
    proposal = db.session.scalars(select(Addendum)).one()
    assert proposal.proposed_party == "pemda"
    login_as("kabapas.madiun")
    client.post(f"/kesepakatan/addendum/{proposal.id}/setujui")  # box left unticked
    db.session.expire_all()
    assert agreement_active_on(ngawi)
    assert with_it.valid_until == OLD_END
    login_as("opd.dlh")  # another OPD's admin moves only his own slots
    assert "slot OPD Anda" not in client.get(f"/kesepakatan/{ngawi.id}").text
    client.post(f"/kesepakatan/{ngawi.id}/perpanjang-slot")
    db.session.expire_all()
    assert with_it.valid_until == OLD_END
    login_as("pk.madiun")
    assert client.post(f"/kesepakatan/{ngawi.id}/perpanjang-slot").status_code == 403
    login_as("opd.dinsos")
    page = client.get(f"/kesepakatan/{ngawi.id}").text
    assert "1 slot OPD Anda" in page
    assert "Perpanjang 1 lokasi" in client.get("/lokasi-kerja/").text  # offered on his list too
    assert client.post(f"/kesepakatan/{ngawi.id}/perpanjang-slot").status_code == 302
    db.session.expire_all()
    assert with_it.valid_until == NEW_END
    assert "slot OPD Anda" not in client.get(f"/kesepakatan/{ngawi.id}").text


def test_refuse_withdraw_and_history(client: Any, login_as: Any, db: Any, expired: Any) -> None:
    ngawi = expired[0].agreement
    login_as("kabapas.madiun")
    client.post(f"/kesepakatan/{ngawi.id}/addendum", data=_form())
    first = db.session.scalars(select(Addendum)).one()
    second_try = client.post(
        f"/kesepakatan/{ngawi.id}/addendum", data=_form(number_bapas="ADD-LAIN")
    )
    assert "menunggu persetujuan" in second_try.text  # one proposal at a time
    login_as("setda.ngawi")
    no_reason = client.post(f"/kesepakatan/addendum/{first.id}/tolak", data={"reason": ""})
    assert no_reason.status_code == 302
    db.session.expire_all()
    assert first.status == "proposed"
    client.post(f"/kesepakatan/addendum/{first.id}/tolak", data={"reason": "Nomor Pemda keliru."})
    db.session.expire_all()
    assert first.status == "refused"
    assert first.decision_note == "Nomor Pemda keliru."
    login_as("kabapas.madiun")
    client.post(f"/kesepakatan/{ngawi.id}/addendum", data=_form(number_pemda="400.9.4.3/B"))
    second = db.session.scalars(select(Addendum).where(Addendum.status == "proposed")).one()
    login_as("setda.ngawi")
    assert client.post(f"/kesepakatan/addendum/{second.id}/tarik").status_code == 403
    login_as("kabapas.madiun")
    client.post(f"/kesepakatan/addendum/{second.id}/tarik")
    db.session.expire_all()
    assert second.status == "withdrawn"
    assert not agreement_active_on(ngawi)
    page = client.get(f"/kesepakatan/{ngawi.id}").text
    assert "Ditolak" in page
    assert "Nomor Pemda keliru." in page
    assert "Ditarik" in page
    api = client.get(f"/api/v1/agreements/{ngawi.id}/addenda", headers=bearer("pk.madiun"))
    assert [a["status"] for a in api.get_json()] == ["withdrawn", "refused"]


def test_only_the_signing_parties_propose(client: Any, login_as: Any, expired: Any) -> None:
    ngawi = expired[0].agreement
    for username in ("pk.madiun", "opd.dinsos", "pj.dinsos"):
        login_as(username)
        assert client.get(f"/kesepakatan/{ngawi.id}/addendum").status_code == 403, username
        page = client.get("/beranda").text
        assert f"/kesepakatan/{ngawi.id}#masa-berlaku" in page, username  # the explanation
    login_as("pk.madiun")
    page = client.get(f"/kesepakatan/{ngawi.id}").text
    assert "penempatan yang sedang berjalan tetap berlanjut" in page


def test_checks_on_the_form_keep_what_was_typed(
    client: Any, login_as: Any, db: Any, expired: Any
) -> None:
    ngawi = expired[0].agreement
    login_as("kabapas.madiun")
    png = client.post(
        f"/kesepakatan/{ngawi.id}/addendum",
        data={**_form(), "scan": (io.BytesIO(_png()), "addendum.png")},
        content_type="multipart/form-data",
    )
    assert "Unggah pindaian Addendum sebagai PDF." in png.text
    assert "400.9.4.3/ADD/2026" in png.text  # nothing typed is lost
    fake = client.post(
        f"/kesepakatan/{ngawi.id}/addendum",
        data={**_form(), "scan": (io.BytesIO(b"%PDF-1.4 tanpa akhir"), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert "rusak atau tidak lengkap" in fake.text
    short = client.post(
        f"/kesepakatan/{ngawi.id}/addendum",
        data=_form(signed_on="2026-11-20", valid_until="2026-11-25"),
    )
    assert "harus sesudah akhir masa berlaku sekarang (27-11-2026)" in short.text
    future = client.post(f"/kesepakatan/{ngawi.id}/addendum", data=_form(signed_on="2026-12-05"))
    assert "tidak boleh di masa depan" in future.text
    assert db.session.scalars(select(Addendum)).all() == []


def test_admin_records_one_signed_by_both_with_its_scan(
    client: Any, login_as: Any, db: Any, expired: Any
) -> None:
    with_it, _earlier, _klien = expired
    ngawi = with_it.agreement
    login_as("admin")
    missing = client.post(f"/kesepakatan/{ngawi.id}/addendum", data=_form(extend_slots="y"))
    assert "Unggah pindaian Addendum yang sudah ditandatangani." in missing.text
    ok = client.post(
        f"/kesepakatan/{ngawi.id}/addendum",
        data={**_form(extend_slots="y"), "scan": (io.BytesIO(PDF), "ttd.pdf")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert ngawi.addenda[0].status == "in_force"
    assert agreement_active_on(ngawi)
    assert with_it.valid_until == NEW_END
    scan = client.get(f"/kesepakatan/addendum/{ngawi.addenda[0].id}/pindaian")
    assert scan.data == PDF


# --- API ---------------------------------------------------------------------------


def test_api_bapas_proposes_setda_confirms_with_its_slots(
    client: Any, db: Any, expired: Any
) -> None:
    with_it, earlier, klien = expired
    ngawi = with_it.agreement
    body = {k: v for k, v in _form().items()}
    created = client.post(
        f"/api/v1/agreements/{ngawi.id}/addenda", json=body, headers=bearer("kabapas.madiun")
    )
    assert created.status_code == 201, created.get_json()
    addendum = created.get_json()
    assert addendum["status"] == "proposed"
    assert addendum["agreement_id"] == ngawi.id
    url = f"/api/v1/addenda/{addendum['id']}/confirm"
    own = client.post(url, json={"extend_slots": True}, headers=bearer("kabapas.madiun"))
    assert own.status_code == 403
    agreements = client.get("/api/v1/agreements", headers=bearer("setda.ngawi")).get_json()
    assert next(a for a in agreements if a["id"] == ngawi.id)["status"] == "expired"
    booking = {
        "client_id": klien.id,
        "slot_id": with_it.id,
        "start_date": AFTER_EXPIRY.isoformat(),
        "schedule": with_it.schedule,
    }
    refused = client.post("/api/v1/placements", json=booking, headers=bearer("pk.madiun"))
    assert refused.status_code == 422

    done = client.post(url, json={"extend_slots": True}, headers=bearer("setda.ngawi"))
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == "in_force"
    assert done.get_json()["confirmed_by"] == "Sri Lestari (Demo)"
    again = client.post(url, json={"extend_slots": True}, headers=bearer("setda.ngawi"))
    assert again.status_code == 409
    agreements = client.get("/api/v1/agreements", headers=bearer("setda.ngawi")).get_json()
    ours = next(a for a in agreements if a["id"] == ngawi.id)
    assert ours["status"] == "active"
    assert ours["valid_until"] == NEW_END.isoformat()
    slots = {
        s["id"]: s for s in client.get("/api/v1/slots", headers=bearer("opd.dinsos")).get_json()
    }
    assert slots[with_it.id]["valid_until"] == NEW_END.isoformat()
    assert slots[earlier.id]["valid_until"] == "2026-09-30"
    booked = client.post("/api/v1/placements", json=booking, headers=bearer("pk.madiun"))
    assert booked.status_code == 201, booked.get_json()
    history = client.get(
        f"/api/v1/agreements/{ngawi.id}/addenda", headers=bearer("opd.dinsos")
    ).get_json()
    assert history[0]["proposed_by"] == "Bambang Wicaksono (Demo)"
    assert history[0]["confirmed_by"] == "Sri Lestari (Demo)"


def test_api_setda_proposes_bapas_confirms_without_slots(
    client: Any, db: Any, expired: Any
) -> None:
    with_it, _earlier, _klien = expired
    ngawi = with_it.agreement
    created = client.post(
        f"/api/v1/agreements/{ngawi.id}/addenda", json=_form(), headers=bearer("setda.ngawi")
    ).get_json()
    url = f"/api/v1/addenda/{created['id']}/confirm"
    assert client.post(url, json={}, headers=bearer("setda.ngawi")).status_code == 403
    assert client.post(url, json={}, headers=bearer("pk.madiun")).status_code == 403
    done = client.post(url, json={"extend_slots": False}, headers=bearer("kabapas.madiun"))
    assert done.status_code == 200
    db.session.expire_all()
    assert agreement_active_on(ngawi)
    assert with_it.valid_until == OLD_END


def test_api_refuses_bad_proposals_with_field_messages(client: Any, expired: Any) -> None:
    ngawi = expired[0].agreement
    response = client.post(
        f"/api/v1/agreements/{ngawi.id}/addenda",
        json=_form(number_pemda="", valid_until="2026-10-01"),
        headers=bearer("kabapas.madiun"),
    )
    assert response.status_code == 422
    fields = response.get_json()["details"]["fields"]
    assert set(fields) == {"number_pemda", "valid_until"}


def test_after_expiry_running_placements_go_on(client: Any, expired: Any) -> None:
    """Only new publications and bookings stop; attendance at a running placement is kept."""
    with_it, _earlier, _klien = expired
    running = f.make_client(start_date=date(2026, 8, 3), deadline=date(2027, 2, 2))
    placement = f.make_placement(running, with_it, status="active", start_date=date(2026, 8, 3))
    f.db.session.commit()
    response = client.post(
        f"/api/v1/placements/{placement.id}/attendance",
        json={"date": "2026-11-30", "time_in": "08:00", "time_out": "12:00", "activity": "Menyapu"},
        headers=bearer("pk.madiun"),
    )
    assert response.status_code == 201, response.get_json()


def test_pages_where_publishing_and_booking_stop_say_so(
    client: Any, login_as: Any, expired: Any
) -> None:
    with_it, _earlier, klien = expired
    stopped = "penerbitan slot dan pemesanan penempatan baru berhenti"
    login_as("opd.dinsos")
    assert stopped in client.get("/lokasi-kerja/baru").text
    login_as("pk.madiun")
    assert stopped in client.get(f"/klien/{klien.id}/pencocokan").text
    booking = client.get(f"/klien/{klien.id}/pesan/{with_it.id}").text
    assert stopped in booking
    assert "Apa artinya?" in booking  # a PK does not sign: he is led to the explanation
    clock.freeze(date(2026, 11, 20))  # still in force a week before the end
    assert "telah berakhir" not in client.get(f"/klien/{klien.id}/pencocokan").text


def test_the_ended_notice_counts_only_addenda_in_force(
    client: Any, login_as: Any, db: Any, expired: Any
) -> None:
    """The notice is told from each agreement's dates and its addenda: a proposed (not yet
    agreed) extension leaves it ended; one in force ends the notice; a later one that does
    not extend (no new end) changes nothing."""
    with_it, _earlier, klien = expired
    ngawi = with_it.agreement
    stopped = "penerbitan slot dan pemesanan penempatan baru berhenti"
    login_as("pk.madiun")

    def addendum(number: str, status: str, new_end: date | None) -> Addendum:
        row = Addendum(
            agreement_id=ngawi.id,
            number=number,
            number_pemda=number,
            signed_on=AFTER_EXPIRY,
            new_valid_until=new_end,
            summary="Perubahan untuk pengujian.",
            status=status,
        )
        db.session.add(row)
        db.session.commit()
        return row

    addendum("ADD/1", "proposed", NEW_END)
    page = client.get(f"/klien/{klien.id}/pencocokan").text
    assert stopped in page
    assert "Kesepakatan telah berakhir</strong> pada 27 November 2026" in page
    addendum("ADD/2", "in_force", None)  # in force, but it does not extend the term
    assert stopped in client.get(f"/klien/{klien.id}/pencocokan").text
    addendum("ADD/3", "in_force", NEW_END)
    assert stopped not in client.get(f"/klien/{klien.id}/pencocokan").text
    clock.freeze(date(2027, 11, 28))  # the day after the extended end
    page = client.get(f"/klien/{klien.id}/pencocokan").text
    assert "Kesepakatan telah berakhir</strong> pada 27 November 2027" in page
