"""Notifications: events reach the people concerned in the portal, by e-mail (a real SMTP
server on loopback) and through the gateway (a real HTTP receiver); nothing confidential
leaves the portal, and nothing is lost while the mail server is down."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterator
from datetime import date, time, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal import clock
from portal.models import (
    Agreement,
    ConductCase,
    Notification,
    NotificationDelivery,
    NotificationPreference,
    User,
)
from portal.models.base import utcnow
from portal.notifications import reload_mail_settings, service
from portal.notifications.delivery import deliver_due, pause_after
from portal.notifications.preferences import Settings, save_settings
from portal.notifications.scan import scan
from portal.placements.services import book_placement, decide_placement
from portal.refusals import Refused
from portal.supervision.services import record_conduct
from tests import factories as f
from tests.notify_parts import SmtpServer, WebhookReceiver, free_port

MORNINGS = [{"weekday": d, "start": "08:00", "end": "12:00"} for d in range(5)]


def inbox_of(username: str) -> list[Notification]:
    return service.inbox(f.user(username), limit=500)


def deliveries_of(note: Notification) -> list[NotificationDelivery]:
    return list(
        f.db.session.scalars(
            select(NotificationDelivery).where(NotificationDelivery.notification_id == note.id)
        )
    )


@pytest.fixture
def mail_settings(app: Flask) -> Iterator[dict[str, Any]]:
    """Point the portal's mail and gateway settings somewhere for one test; restore after."""
    keys = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "WEBHOOK_URL", "WEBHOOK_SECRET")
    saved = {k: app.config.get(k) for k in keys}

    def apply(**values: Any) -> None:
        app.config.update(values)
        reload_mail_settings(app)

    yield {"apply": apply}
    app.config.update(saved)
    reload_mail_settings(app)


@pytest.fixture
def smtp(mail_settings: dict[str, Any]) -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    mail_settings["apply"](MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False)
    yield server
    server.stop()


@pytest.fixture
def gateway(mail_settings: dict[str, Any]) -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    mail_settings["apply"](WEBHOOK_URL=receiver.url, WEBHOOK_SECRET="rahasia-gateway-uji")
    yield receiver
    receiver.close()


def book_at(opd_code: str = "NGAWI-DLH", **client_fields: Any) -> Any:
    slot = f.make_slot(opd_code)
    klien = f.make_client(**client_fields)
    return book_placement(klien, slot.id, date(2026, 6, 2), MORNINGS, f.user("pk.madiun"))


# --- events → inbox ------------------------------------------------------------------


def test_booking_tells_the_opd_admins_the_code_only_and_an_email_arrives(
    db: Any, smtp: SmtpServer
) -> None:
    placement = book_at(full_name="Sutrisno Wibowo")
    f.db.session.commit()

    notes = inbox_of("opd.dlh")
    assert [n.kind for n in notes] == ["booking_requested"]
    assert placement.client.code in notes[0].title
    assert "Sutrisno" not in notes[0].title + notes[0].body
    assert notes[0].url == f"/penempatan/{placement.id}"
    assert inbox_of("opd.dinsos") == []  # another OPD hears nothing

    outcome = deliver_due()
    assert outcome.sent == 1
    [mail] = smtp.messages
    assert mail.rcpt == ["opd.dlh@demo.invalid"]
    assert mail.subject == "[Portal Sinergi] Ada pemesanan baru yang perlu dijawab"
    assert f"http://127.0.0.1:5000/penempatan/{placement.id}" in mail.text
    assert f'href="http://127.0.0.1:5000/penempatan/{placement.id}"' in mail.html
    # Subject and link only: neither the client's name nor even his code.
    assert "Sutrisno" not in mail.raw
    assert placement.client.code not in mail.raw
    assert deliveries_of(notes[0])[0].status == "sent"
    assert deliver_due().sent == 0  # sent once


def test_decline_tells_the_pk_with_name_and_reason(db: Any) -> None:
    placement = book_at(full_name="Sutrisno Wibowo")
    decide_placement(placement, False, "Kuota relawan bulan ini penuh.", f.user("opd.dlh"))
    [note] = [n for n in inbox_of("pk.madiun") if n.kind == "booking_decided"]
    assert "Sutrisno Wibowo" in note.title
    assert "ditolak" in note.title
    assert "Kuota relawan bulan ini penuh." in note.body
    assert [n.kind for n in inbox_of("pk2.madiun")] == []


def test_a_decided_booking_no_longer_asks_the_opd_to_accept_or_decline(
    client: Any, login_as: Any, db: Any
) -> None:
    """Once the OPD answered, its "Terima atau tolak" note is no longer shown as new."""
    placement = book_at()
    other = book_at()
    f.db.session.commit()
    decide_placement(placement, True, "", f.user("opd.dlh"))
    f.db.session.commit()
    unread = {n.url: n.read_at is None for n in inbox_of("opd.dlh")}
    assert unread[f"/penempatan/{placement.id}"] is False
    assert unread[f"/penempatan/{other.id}"] is True  # still waiting for an answer
    login_as("opd.dlh")
    assert 'data-unread="1"' in client.get("/notifikasi/").get_data(as_text=True)


def test_violation_tells_the_pk_and_the_kepala_bapas(db: Any) -> None:
    klien = f.make_client(full_name="Bagus Santoso")
    case = record_conduct(
        klien, "violation", date(2026, 5, 30), "Tidak datang tanpa alasan sah.",
        f.user("pk.madiun"), category="absent_without_reason",
    )  # fmt: skip
    for username in ("pk.madiun", "kabapas.madiun"):
        [note] = inbox_of(username)
        assert note.kind == "violation_opened"
        assert "Bagus Santoso" in note.title
        assert note.url == f"/pengawasan/perilaku/{case.id}"
    assert inbox_of("pk2.madiun") == []
    assert inbox_of("setda.ngawi") == []


def test_good_conduct_writes_no_violation_note_and_counts_none(db: Any) -> None:
    """Good conduct is not a violation: nobody is told, and the count of notes written is 0."""
    klien = f.make_client()
    case = record_conduct(
        klien, "good_conduct", date(2026, 5, 30), "Membantu warga membersihkan selokan.",
        f.user("pk.madiun"),
    )  # fmt: skip
    assert service.violation_opened(case) == 0
    assert inbox_of("pk.madiun") == []
    assert inbox_of("kabapas.madiun") == []


# --- the inbox in the browser and the API --------------------------------------------------


def test_navbar_count_inbox_and_mark_read(client: Any, login_as: Any, db: Any) -> None:
    placement = book_at()
    login_as("opd.dlh")
    assert 'data-unread="1"' in client.get("/lokasi-kerja/").get_data(as_text=True)
    page = client.get("/notifikasi/").get_data(as_text=True)
    assert f"Pemesanan baru untuk klien {placement.client.code}" in page
    note = inbox_of("opd.dlh")[0]
    response = client.post("/notifikasi/baca", data={"id": note.id, "open": "1"})
    assert response.headers["Location"].endswith(f"/penempatan/{placement.id}")
    assert 'data-unread="0"' in client.get("/notifikasi/").get_data(as_text=True)


def test_someone_elses_notification_cannot_be_read_or_marked(
    client: Any, login_as: Any, db: Any
) -> None:
    book_at()
    note = inbox_of("opd.dlh")[0]
    login_as("opd.dinsos")
    assert client.post("/notifikasi/baca", data={"id": note.id}).status_code == 404
    assert client.post("/notifikasi/baca", data={"id": "99999999999"}).status_code == 404
    f.db.session.refresh(note)
    assert note.read_at is None
    headers = f.bearer("opd.dinsos")
    assert client.post(f"/api/v1/notifications/{note.id}/read", headers=headers).status_code == 404
    assert client.get("/api/v1/notifications", headers=headers).get_json() == []


def test_api_lists_the_inbox_and_marks_read(client: Any, db: Any) -> None:
    placement = book_at()
    headers = f.bearer("opd.dlh")
    [item] = client.get("/api/v1/notifications", headers=headers).get_json()
    assert set(item) == {"id", "kind", "title", "body", "url", "created_at", "read"}
    assert item["kind"] == "booking_requested"
    assert item["read"] is False
    assert item["url"] == f"/penempatan/{placement.id}"
    answer = client.post(f"/api/v1/notifications/{item['id']}/read", headers=headers)
    assert answer.status_code == 200
    assert answer.get_json()["read"] is True
    assert client.get("/api/v1/notifications", headers=headers).get_json()[0]["read"] is True


def test_admin_sees_the_failures_page_and_others_do_not(
    client: Any, login_as: Any, db: Any
) -> None:
    login_as("opd.dlh")
    assert client.get("/notifikasi/gagal").status_code == 403
    login_as("admin")
    assert client.get("/notifikasi/gagal").status_code == 200


# --- preferences and contact details -------------------------------------------------------


def test_settings_refuse_bad_email_and_phone_and_keep_the_old_values(
    client: Any, login_as: Any, db: Any
) -> None:
    login_as("opd.dlh")
    response = client.post(
        "/notifikasi/pengaturan",
        data={"email": "bukan-email", "phone": "12345", "digest_time": "07:00"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Alamat e-mail tidak valid" in page
    assert "Nomor HP tidak valid" in page
    assert f.user("opd.dlh").email == "opd.dlh@demo.invalid"
    assert f.user("opd.dlh").phone == ""
    response = client.post(
        "/notifikasi/pengaturan",
        data={
            "email": "Hendra@NgawiKab.go.id",
            "phone": "0812-3456-7890",
            "digest_time": "16:30",
            "channel_booking_requested": "gateway",
        },
    )
    assert response.status_code == 302
    user = f.user("opd.dlh")
    assert (user.email, user.phone) == ("hendra@ngawikab.go.id", "081234567890")
    prefs = {
        p.kind: p
        for p in f.db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    assert prefs["booking_requested"].channel == "gateway"
    assert prefs["booking_requested"].digest_time == "16:30"


def test_gateway_or_email_needs_the_contact_detail(db: Any) -> None:
    user = f.user("pj.dinsos")
    with pytest.raises(Refused) as refused:
        save_settings(user, Settings("", "", {"placement_starting": "gateway"}))
    assert "channel_placement_starting" in refused.value.fields
    with pytest.raises(Refused) as refused:
        save_settings(user, Settings("", "081234567890", {"booking_decided": "email"}))
    assert "channel_booking_decided" in refused.value.fields
    with pytest.raises(Refused):  # another account's address
        save_settings(user, Settings("opd.dlh@demo.invalid", "", {}))


def test_inbox_only_sends_nothing(db: Any) -> None:
    save_settings(
        f.user("opd.dlh"),
        Settings("opd.dlh@demo.invalid", "", {"booking_requested": "inbox"}),
    )
    book_at()
    [note] = inbox_of("opd.dlh")
    assert deliveries_of(note) == []


def test_daily_digest_sends_one_email_at_the_chosen_time(db: Any, smtp: SmtpServer) -> None:
    save_settings(
        f.user("opd.dlh"),
        Settings("opd.dlh@demo.invalid", "", {"booking_requested": "digest"}, "16:30"),
    )
    book_at()
    book_at()
    notes = inbox_of("opd.dlh")
    [due] = {d.next_attempt_at for n in notes for d in deliveries_of(n)}
    assert clock.local(due).time() == time(16, 30)
    assert deliver_due(now=due - timedelta(minutes=1)).sent == 0
    assert deliver_due(now=due).sent == 2
    [mail] = smtp.messages
    assert mail.subject == "[Portal Sinergi] Ringkasan harian: 2 pemberitahuan baru"
    assert "Ada pemesanan baru yang perlu dijawab: 2" in mail.text


# --- the gateway -----------------------------------------------------------------------------


def test_gateway_gets_a_signed_json_without_client_data(db: Any, gateway: WebhookReceiver) -> None:
    save_settings(
        f.user("opd.dlh"),
        Settings("opd.dlh@demo.invalid", "081234567890", {"booking_requested": "gateway"}),
    )
    placement = book_at(full_name="Sutrisno Wibowo")
    assert deliver_due().sent == 1
    [(headers, body)] = gateway.requests
    expected = "sha256=" + hmac.new(b"rahasia-gateway-uji", body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-portal-signature"], expected)
    [payload] = gateway.payloads()
    assert payload["recipient"]["phone"] == "081234567890"
    assert payload["kind"] == "booking_requested"
    assert payload["url"] == f"http://127.0.0.1:5000/penempatan/{placement.id}"
    text = body.decode()
    assert "Sutrisno" not in text
    assert placement.client.code not in text


def test_gateway_error_is_retried_later(db: Any, gateway: WebhookReceiver) -> None:
    save_settings(
        f.user("opd.dlh"),
        Settings("opd.dlh@demo.invalid", "081234567890", {"booking_requested": "gateway"}),
    )
    book_at()
    gateway.status = 503
    now = utcnow()
    assert deliver_due(now=now).retried == 1
    gateway.status = 200
    assert deliver_due(now=now + pause_after(1)).sent == 1
    assert len(gateway.requests) == 2


# --- nothing lost, nothing twice -------------------------------------------------------------


def test_smtp_down_then_back_loses_nothing(db: Any, mail_settings: dict[str, Any]) -> None:
    port = free_port()
    mail_settings["apply"](MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    book_at()
    book_at()
    now = utcnow()
    outcome = deliver_due(now=now)
    assert (outcome.sent, outcome.retried) == (0, 2)
    [first, *_] = [d for n in inbox_of("opd.dlh") for d in deliveries_of(n)]
    assert first.status == "pending"
    assert first.attempts == 1
    assert first.last_error
    assert first.next_attempt_at == now + timedelta(minutes=1)
    assert deliver_due(now=now + timedelta(seconds=30)).retried == 0  # waits its turn
    server = SmtpServer(port)
    server.start()
    try:
        assert deliver_due(now=now + timedelta(minutes=1)).sent == 2
        assert sorted(m.rcpt[0] for m in server.messages) == ["opd.dlh@demo.invalid"] * 2
        assert deliver_due(now=now + timedelta(hours=2)).sent == 0
    finally:
        server.stop()


def test_gives_up_after_a_day_and_the_admin_sees_it(
    client: Any, login_as: Any, db: Any, mail_settings: dict[str, Any]
) -> None:
    mail_settings["apply"](MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    book_at()
    [delivery] = deliveries_of(inbox_of("opd.dlh")[0])
    assert deliver_due(now=delivery.created_at + timedelta(hours=23)).retried == 1
    assert deliver_due(now=delivery.created_at + timedelta(days=1, minutes=5)).failed == 1
    assert delivery.status == "failed"
    login_as("admin")
    page = client.get("/notifikasi/gagal").get_data(as_text=True)
    assert f'data-delivery="{delivery.id}"' in page
    assert "opd.dlh" in page


def test_backoff_grows_and_stops_at_an_hour() -> None:
    assert [pause_after(n).seconds // 60 for n in (1, 2, 3, 4, 7, 20)] == [1, 2, 4, 8, 60, 60]


# --- time-based events ------------------------------------------------------------------------


def _ngawi_agreement() -> Agreement:
    return f.agreement_of(f.opd("NGAWI-DLH"))


def test_agreement_expiry_is_told_once_per_step_to_both_parties(db: Any) -> None:
    agreement = _ngawi_agreement()
    assert agreement.valid_until is not None
    end = agreement.valid_until
    clock.freeze(end - timedelta(days=31))
    scan()
    assert [n for n in inbox_of("setda.ngawi") if n.kind == "agreement_expiring"] != []
    sixty = [n.title for n in inbox_of("setda.ngawi")]
    assert sixty == [f"Kesepakatan berakhir dalam 31 hari: {agreement.title}"]
    clock.freeze(end - timedelta(days=30))
    scan()
    scan()
    assert len(inbox_of("setda.ngawi")) == 2
    assert len(inbox_of("kabapas.madiun")) == 2
    clock.freeze(end - timedelta(days=20))
    scan()
    assert len(inbox_of("setda.ngawi")) == 2
    clock.freeze(end - timedelta(days=5))
    scan()
    assert inbox_of("setda.ngawi")[0].title.startswith("Kesepakatan berakhir dalam 5 hari")
    assert inbox_of("pk.madiun") == []
    assert inbox_of("opd.dlh") == []


def test_scan_finds_deadlines_starts_unverified_days_signatures_and_ending_slots(
    db: Any,
) -> None:
    today = clock.today()
    pj = f.user("pj.dinsos")
    # A team whose 7-day deadline is in 2 days, and one whose deadline passed.
    soon_client = f.make_client(full_name="Tim Dekat")
    late_client = f.make_client(full_name="Tim Lewat")
    for klien, deadline in (
        (soon_client, today + timedelta(days=2)),
        (late_client, today - timedelta(days=1)),
    ):
        f.db.session.add(ConductCase(
            client_id=klien.id, kind="violation", category="absent_without_reason",
            occurred_on=today,
            description="Uji", status="team_proposed", team_members="A, B",
            team_deadline=deadline,
        ))  # fmt: skip
    # A recommendation decided by the TPP, waiting for the Kepala Bapas.
    rec_client = f.make_client(full_name="Rekomendasi Jaksa")
    f.db.session.add(ConductCase(
        client_id=rec_client.id, kind="violation", category="absent_without_reason",
        occurred_on=today,
        description="Uji", status="decided", tpp_outcome="recommend_jaksa",
    ))  # fmt: skip
    # A placement starting tomorrow at a slot whose PJ is pj.dinsos.
    starting = f.make_supervised_placement(
        f.make_client(full_name="Mulai Besok"), start_date=today + timedelta(days=1)
    )
    # Two days of work waiting three days for verification.
    working = f.make_supervised_placement(f.make_client(full_name="Belum Diverifikasi"))
    f.make_attendance(working, work_date=today - timedelta(days=3))
    f.make_attendance(working, work_date=today - timedelta(days=2))
    # A DLH slot ending in 5 days with a client still placed.
    ending_slot = f.make_slot("NGAWI-DLH", valid_until=today + timedelta(days=5))
    ending = f.make_placement(f.make_client(full_name="Slot Habis"), ending_slot)
    f.db.session.flush()

    made = scan()
    assert made > 0
    assert scan() == 0  # each event once

    def kinds_of(username: str) -> list[tuple[str, str]]:
        return sorted((n.kind, n.title) for n in inbox_of(username))

    pk = kinds_of("pk.madiun")
    assert ("team_deadline", f"Pemeriksaan tim {soon_client.code} Tim Dekat paling lambat "
            f"{today + timedelta(days=2):%d-%m-%Y}") in pk  # fmt: skip
    assert ("team_deadline", f"Pemeriksaan tim {late_client.code} Tim Lewat sudah lewat") in pk
    head = kinds_of("kabapas.madiun")
    assert any(k == "signature_waiting" and "Rekomendasi Jaksa" in t for k, t in head)
    assert sum(k == "team_deadline" for k, _ in head) == 2
    assert ("placement_starting", f"Klien {starting.client.code} mulai besok") in kinds_of(
        "pj.dinsos"
    )
    assert (
        "attendance_unverified",
        f"2 hari kehadiran {working.client.code} menunggu verifikasi",
    ) in kinds_of("pj.dinsos")
    opd = kinds_of("opd.dlh")
    assert any(k == "slot_ending" and "1 klien masih ditempatkan" in t for k, t in opd)
    assert any(k == "slot_ending" and "Slot Habis" in t for k, t in pk)
    assert pj.id
    assert ending.id


def test_session_missed_and_addenda_can_be_raised_by_their_services(db: Any) -> None:
    placement = f.make_placement(f.make_client(full_name="Sesi Hilang"))
    service.session_missed(placement, date(2026, 5, 29))
    service.session_missed(placement, date(2026, 5, 29))  # the same session: once
    [note] = inbox_of("pk.madiun")
    assert note.title == f"Sesi kerja 29-05-2026 terlewat: {placement.client.code} Sesi Hilang"
    agreement = _ngawi_agreement()
    service.addendum_proposed(agreement, 41, by=f.user("kabapas.madiun"))
    assert [n.kind for n in inbox_of("setda.ngawi")] == ["addendum_proposed"]
    assert [n.kind for n in inbox_of("kabapas.madiun")] == []
    service.addendum_confirmed(agreement, 41)
    assert {n.kind for n in inbox_of("kabapas.madiun")} == {"addendum_confirmed"}
    service.addendum_proposed(agreement, 42, by=f.user("kabapas.madiun"))
    assert not next(n for n in inbox_of("setda.ngawi") if n.event_key.endswith(":42")).read_at
    service.addendum_settled(42)  # withdrawn or refused: nothing waits for the Setda any more
    assert all(n.read_at for n in inbox_of("setda.ngawi") if n.kind == "addendum_proposed")


# --- need to know: a crawl of everything OPD, PJ and Setda users receive ------------------------


def test_nothing_sent_to_opd_pj_or_setda_names_a_client(
    db: Any, smtp: SmtpServer, gateway: WebhookReceiver
) -> None:
    today = clock.today()
    secrets = {
        "full_name": "Raden Mas Sukarjo Hadiningrat",
        "birth_date": date(1987, 3, 14),
        "address": "Dusun Kembangsore RT 03 RW 07",
        "offence": "Penggelapan dana koperasi",
    }
    save_settings(
        f.user("pj.dinsos"),
        Settings("pj.dinsos@demo.invalid", "081298765432", {k: "gateway" for k in (
            "placement_starting", "attendance_unverified")}),
    )  # fmt: skip
    klien = f.make_client(**secrets)
    booked = book_placement(
        klien, f.make_slot("NGAWI-DLH").id, date(2026, 6, 2), MORNINGS, f.user("pk.madiun")
    )
    decide_placement(booked, False, "Tidak ada pendamping.", f.user("opd.dlh"))
    working = f.make_supervised_placement(klien, start_date=today + timedelta(days=1))
    f.make_attendance(working, work_date=today - timedelta(days=4))
    record_conduct(klien, "violation", today, "Tidak hadir tanpa alasan.", f.user("pk.madiun"),
                   category="absent_without_reason")  # fmt: skip
    f.make_placement(
        f.make_client(**secrets), f.make_slot("NGAWI-DLH", valid_until=today + timedelta(days=3))
    )
    agreement = _ngawi_agreement()
    assert agreement.valid_until is not None
    clock.freeze(agreement.valid_until - timedelta(days=7))
    scan()
    clock.freeze(today)
    scan()
    deliver_due()

    outsiders = list(
        f.db.session.scalars(
            select(User).where(User.role.in_(("opd_admin", "site_supervisor", "setda")))
        )
    )
    texts = [
        f"{n.title}\n{n.body}\n{n.url}" for u in outsiders for n in service.inbox(u, limit=1000)
    ]
    texts += [m.raw for m in smtp.messages] + [body.decode() for _, body in gateway.requests]
    received_by = {n.user.username for u in outsiders for n in service.inbox(u, limit=1000)}
    assert {"opd.dlh", "pj.dinsos", "setda.ngawi"} <= received_by
    assert gateway.requests
    assert smtp.messages
    forbidden = [
        "Raden",
        "Sukarjo",
        "Hadiningrat",
        # The birth date as pages write it (the year alone may be part of a client's code).
        "Maret 1987",
        "1987-03-14",
        "14-03",
        "Kembangsore",
        "Penggelapan",
        "koperasi",
    ]
    leaks = [(word, text) for text in texts for word in forbidden if word in text]
    assert leaks == []
    # The Setda hears of the agreement, never of a client (not even a code).
    codes = re.compile(r"MDN-\d{4}-\d{4}")
    assert not [n for n in inbox_of("setda.ngawi") if codes.search(n.title + n.body)]
    # Every e-mail carries no client code either.
    assert not [m for m in smtp.messages if codes.search(m.raw)]


def test_notify_command_once_sends_the_booking_email(app: Flask, db: Any, smtp: SmtpServer) -> None:
    placement = book_at()
    result = app.test_cli_runner().invoke(args=["notify", "--once"])
    assert result.exit_code == 0, result.output
    assert "terkirim: 1" in result.output
    [mail] = smtp.messages
    assert mail.rcpt == ["opd.dlh@demo.invalid"]
    assert f"/penempatan/{placement.id}" in mail.text


def test_notify_command_warns_without_mail_or_gateway_settings(app: Flask, db: Any) -> None:
    book_at()
    result = app.test_cli_runner().invoke(args=["notify", "--once"])
    assert result.exit_code == 0
    assert "PORTAL_MAIL_SERVER" in result.output
    [delivery] = deliveries_of(inbox_of("opd.dlh")[0])
    assert delivery.status == "pending"  # kept for a worker that can send it
