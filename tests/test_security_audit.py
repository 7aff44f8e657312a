"""Cross-cutting security checks over every route the application has.

* Inventory: every web route needs a login (except the sign-in and SSO pages),
  every POST route refuses a request without a CSRF token, every API route
  answers 401 without a token. A new route that is open fails here.
* Organisation isolation: every web GET route, its path parameters filled with
  records of Bapas Kediri / Pemkab Trenggalek, is never 200 for a Madiun/Ngawi
  demo account.
* Client reads: every page or document showing a client's identity writes a
  ``client_viewed`` audit entry.
* Uploaded files: served only to allowed roles, as files (Content-Disposition,
  nosniff), 404 for another organisation.
"""

from __future__ import annotations

import io
import re
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import func, select

from portal.attendance import photos
from portal.models import (
    Addendum,
    Agreement,
    Assessment,
    AuditLog,
    ClientDocument,
    Closure,
    ConductCase,
    LetterNumber,
    Litmas,
    Opd,
    ProgressReport,
    User,
    WorkplanActivity,
    WorkplanEvidence,
    WorkplanReport,
)
from portal.models.work_session import Permit, PlacementChange, WorkSession
from portal.monitoring import evidence as evidence_store
from tests import factories as f

DEMO_ROLES = ["admin", "setda.ngawi", "kabapas.madiun", "pk.madiun", "opd.dinsos", "pj.dinsos"]
PUBLIC_ENDPOINTS = {
    "auth.login",
    "auth.sso_start",
    "auth.sso_callback",
    "dashboard.home",
    "static",
    "ops.healthz",  # probes for the container platform: no data, only "ok"/"unavailable"
    "ops.readyz",
}


def web_rules(app: Flask) -> list[Any]:
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint != "static" and not r.rule.startswith("/api/")
    ]


def url_for_rule(rule: Any, ids: dict[str, Any] | None = None) -> str:
    # Any-converters take words, not ids; every other parameter gets a record id.
    words = {"kind": "litmas"}
    values = {name: (ids or {}).get(name, words.get(name, 1)) for name in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


# --- inventory -----------------------------------------------------------------


def test_every_web_route_requires_login(app: Flask, client: Any) -> None:
    open_routes = []
    for rule in web_rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = url_for_rule(rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method)
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/masuk" not in location:
                open_routes.append((method, rule.rule, response.status_code))
    assert open_routes == []


def test_public_pages_are_only_sign_in_and_sso(app: Flask, client: Any) -> None:
    """The exempt list stays small: the sign-in page answers, the home page redirects."""
    assert client.get("/masuk").status_code == 200
    assert client.get("/").headers["Location"].endswith("/masuk")
    assert {r.endpoint for r in app.url_map.iter_rules()} >= PUBLIC_ENDPOINTS - {"auth.sso_start"}


def test_every_post_route_refuses_a_missing_csrf_token(
    app: Flask, client: Any, login_as: Any
) -> None:
    login_as("kabapas.madiun")
    accepted = []
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for rule in web_rules(app):
            if "POST" not in rule.methods:
                continue
            response = client.post(url_for_rule(rule), data={"x": "1"})
            # The portal answers a CSRF failure with a redirect and this message.
            with client.session_transaction() as session:
                flashes = session.pop("_flashes", [])
            refused = any("Sesi formulir kedaluwarsa" in text for _, text in flashes)
            if response.status_code != 302 or not refused:
                accepted.append((rule.rule, response.status_code))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert accepted == []


def test_every_api_route_is_401_without_a_token(app: Flask, client: Any) -> None:
    answered = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.endpoint == "api.openapi_document":
            continue
        url = url_for_rule(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, json={})
            if response.status_code != 401 or set(response.get_json()) != {
                "error",
                "message",
                "details",
            }:
                answered.append((method, rule.rule, response.status_code))
    assert answered == []


# --- records of both regions -----------------------------------------------------


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, "JPEG")
    return out.getvalue()


class Region:
    """One record of each kind that has a page: in Madiun/Ngawi or in Kediri/Trenggalek."""

    def __init__(self, app: Flask, kediri: bool) -> None:
        if kediri:
            tr_opd = f.db.session.scalar(
                select(Opd).where(Opd.code.like("TRENGGALEK-%")).order_by(Opd.id).limit(1)
            )
            self.agreement = f.db.session.scalar(
                select(Agreement).where(Agreement.pemda_id == tr_opd.pemda_id)
            )
            self.slot = f.make_slot(
                "NGAWI-DINSOS", opd_id=tr_opd.id, agreement_id=self.agreement.id
            )
            self.client = f.make_client("KDR", pk=None, full_name="Rahasia Kediri Santoso")
            self.user = User(
                username="pk.kediri",
                full_name="PK Kediri",
                role="pk",
                bapas_id=self.client.bapas_id,
            )
            f.db.session.add(self.user)
            f.db.session.flush()
            self.client.pk_id = self.user.id
        else:
            self.slot = f.make_slot("NGAWI-DINSOS", supervisor_user_id=f.user("pj.dinsos").id)
            self.agreement = self.slot.agreement
            self.client = f.make_client("MDN", full_name="Rahasia Madiun Wibowo")
            self.user = f.user("pk2.madiun")
        self.placement = f.make_placement(self.client, self.slot)
        self.work_session = WorkSession(
            placement_id=self.placement.id,
            client_id=self.client.id,
            session_date=date(2026, 6, 1),
            start=time(8, 0),
            end=time(12, 0),
            minutes=240,
        )
        f.db.session.add(self.work_session)
        self.permit = Permit(
            client_id=self.client.id,
            destination="Surabaya",
            purpose="Menjenguk keluarga",
            first_day=date(2026, 6, 10),
            last_day=date(2026, 6, 12),
            received_on=date(2026, 6, 1),
        )
        f.db.session.add(self.permit)
        self.change = PlacementChange(
            placement_id=self.placement.id,
            new_slot_id=self.slot.id,
            schedule=[{"weekday": 0, "start": "08:00", "end": "12:00"}],
            reason="Banjir di lokasi kerja.",
        )
        f.db.session.add(self.change)
        stored = photos.store_photo(_jpeg(), app.config["UPLOAD_FOLDER"])
        self.attendance = f.make_attendance(self.placement, photo_path=stored)
        self.assessment = Assessment(
            client_id=self.client.id,
            placement_id=self.placement.id,
            kind="visit",
            assessed_on=date(2026, 5, 20),
            stage="action",
            indicators={},
        )
        self.case = ConductCase(
            client_id=self.client.id,
            kind="violation",
            occurred_on=date(2026, 5, 15),
            description="Tidak hadir tanpa alasan.",
            status="recommended",
            tpp_outcome="recommend_jaksa",
            team_members="PK A, PK B",
            team_proposed_on=date(2026, 5, 16),
            team_deadline=date(2026, 5, 23),
            examined_on=date(2026, 5, 18),
            examination_findings="Tidak ada alasan sah.",
            tpp_session_on=date(2026, 5, 20),
            recommendation="repeat",
            recommendation_hours=4,
            recommendation_number="UJI-REK-1",
            recommendation_on=date(2026, 5, 25),
            prosecutor_office="Kejaksaan Negeri",
        )
        self.activity = f.db.session.scalar(
            select(WorkplanActivity).where(WorkplanActivity.agreement_id == self.agreement.id)
        )
        if self.activity is None:
            self.activity = WorkplanActivity(
                agreement_id=self.agreement.id,
                seq=1,
                stage=1,
                stage_name="Perencanaan",
                activity="Litmas",
                responsible="Bapas",
                responsible_party="bapas",
                output="Laporan Litmas",
            )
            f.db.session.add(self.activity)
        f.db.session.add_all([self.assessment, self.case])
        f.db.session.flush()
        report = WorkplanReport(
            activity_id=self.activity.id, reported_on=date(2026, 5, 30), percent=10, note="Bukti"
        )
        f.db.session.add(report)
        f.db.session.flush()
        checked = evidence_store.CheckedFile(
            original_name="bukti.pdf",
            data=b"%PDF-1.4 bukti",
            extension="pdf",
            content_type="application/pdf",
            sha256="0" * 64,
        )
        name = evidence_store.store(app.config["UPLOAD_FOLDER"], checked)
        self.evidence = WorkplanEvidence(
            report_id=report.id,
            original_name="bukti.pdf",
            stored_name=name,
            content_type="application/pdf",
            size=14,
            sha256="0" * 64,
        )
        f.db.session.add(self.evidence)
        f.db.session.flush()
        self.litmas = Litmas(
            client_id=self.client.id,
            number="UJI-LITMAS-1",
            made_on=date(2026, 4, 25),
            social_summary="Data sosial uji.",
            recommendation="Pidana kerja sosial.",
        )
        f.db.session.add(self.litmas)
        folder = Path(app.config["UPLOAD_FOLDER"]) / "client_documents"
        folder.mkdir(parents=True, exist_ok=True)
        stored_doc = f"uji-{'kdr' if kediri else 'mdn'}.pdf"
        (folder / stored_doc).write_bytes(b"%PDF-1.4 putusan\n%%EOF")
        self.document = ClientDocument(
            client_id=self.client.id,
            kind="putusan",
            stored_name=stored_doc,
            original_name="putusan.pdf",
            content_type="application/pdf",
            size=23,
            sha256="0" * 64,
            checks={},
        )
        self.letter = LetterNumber(
            bapas_id=self.client.bapas_id,
            year=2026,
            number=f"UJI-KELENGKAPAN-{'KDR' if kediri else 'MDN'}",
            kind="incomplete_file",
            object_type="client",
            object_id=self.client.id,
            issued_on=date(2026, 5, 20),
            details=["Surat eksekusi belum diterima."],
        )
        f.db.session.add_all([self.document, self.letter])
        f.db.session.flush()
        self.report = ProgressReport(
            client_id=self.client.id,
            letter_id=self.letter.id,
            period_start=date(2026, 5, 4),
            period_end=date(2026, 5, 31),
            prosecutor_office="Kejaksaan Negeri Uji",
            court="Pengadilan Negeri Uji",
        )
        f.db.session.add(self.report)
        f.db.session.flush()
        self.addendum = Addendum(
            agreement_id=self.agreement.id,
            number="ADD-UJI/1",
            number_pemda="ADD-UJI/P1",
            signed_on=date(2026, 5, 20),
            new_valid_until=date(2027, 11, 27),
            summary="Perpanjangan satu tahun.",
            status="proposed",
            proposed_party="bapas",
            scan_name=evidence_store.store(app.config["UPLOAD_FOLDER"], checked, "addendum"),
            scan_original="addendum.pdf",
        )
        f.db.session.add(self.addendum)
        f.db.session.flush()
        from portal.api.tokens import create_token

        token, _ = create_token(self.user, "Uji", 30, via="test")
        f.db.session.flush()
        self.token_id = token.id

    def ids(self) -> dict[str, Any]:
        return {
            "kind": "litmas",
            "litmas_id": self.litmas.id,
            "agreement_id": self.agreement.id,
            "addendum_id": self.addendum.id,
            "slot_id": self.slot.id,
            "client_id": self.client.id,
            "placement_id": self.placement.id,
            "attendance_id": self.attendance.id,
            "session_id": self.work_session.id,
            "permit_id": self.permit.id,
            "change_id": self.change.id,
            "assessment_id": self.assessment.id,
            "case_id": self.case.id,
            "activity_id": self.activity.id,
            "evidence_id": self.evidence.id,
            "user_id": self.user.id,
            "token_id": self.token_id,
            "document_id": self.document.id,
            "letter_id": self.letter.id,
            "report_id": self.report.id,
            "partner_id": self.slot.opd_id,
        }


@pytest.fixture
def regions(app: Flask, db: Any) -> tuple[Region, Region]:
    own, other = Region(app, kediri=False), Region(app, kediri=True)
    db.session.commit()
    return own, other


# The portal's operator sees reference data of every organisation, never a client.
ADMIN_SEES = {
    "agreement_id",
    "addendum_id",
    "slot_id",
    "user_id",
    "activity_id",
    "evidence_id",
    "partner_id",
}


def test_every_path_parameter_has_a_fixture_record(app: Flask, regions: Any) -> None:
    names = {a for r in web_rules(app) for a in r.arguments}
    assert names <= set(regions[1].ids())


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_another_organisations_record_is_never_shown(
    app: Flask, client: Any, login_as: Any, regions: Any, username: str
) -> None:
    _, other = regions
    login_as(username)
    shown = []
    for rule in web_rules(app):
        if "GET" not in rule.methods or not rule.arguments:
            continue
        if username == "admin" and set(rule.arguments) <= ADMIN_SEES:
            continue
        url = url_for_rule(rule, other.ids())
        response = client.get(url)
        if response.status_code not in (403, 404):
            shown.append((url, response.status_code))
    assert shown == []


def test_the_same_routes_open_for_the_own_organisation(
    client: Any, login_as: Any, regions: Any
) -> None:
    """Control: the isolation above is not just every page being broken."""
    own, _ = regions
    ids = own.ids()
    login_as("kabapas.madiun")
    for url in (
        f"/klien/{ids['client_id']}",
        f"/penempatan/{ids['placement_id']}",
        f"/pengawasan/klien/{ids['client_id']}",
        f"/pengawasan/perilaku/{ids['case_id']}",
        f"/lokasi-kerja/{ids['slot_id']}",
        f"/kehadiran/{ids['attendance_id']}/foto",
    ):
        assert client.get(url).status_code == 200, url


# --- client reads are audited --------------------------------------------------

# Every GET page or document that shows a client's identity, with the role that opens it.
CLIENT_READS = {
    "clients.detail": "/klien/{client_id}",
    "clients.edit": "/klien/{client_id}/ubah",
    "booking.matches": "/klien/{client_id}/pencocokan",
    "booking.book": "/klien/{client_id}/pesan/{slot_id}",
    "placements.detail": "/penempatan/{placement_id}",
    "placements.case_plan": "/penempatan/{placement_id}/rencana",
    "placements.case_plan_pdf": "/penempatan/{placement_id}/lampiran-i.pdf",
    "supervision.client": "/pengawasan/klien/{client_id}",
    "supervision.assess": "/pengawasan/klien/{client_id}/penilaian",
    "supervision.new_conduct": "/pengawasan/klien/{client_id}/perilaku",
    "supervision.close": "/pengawasan/klien/{client_id}/pengakhiran",
    "supervision.conduct": "/pengawasan/perilaku/{case_id}",
    "supervision.report_pdf": "/pengawasan/klien/{client_id}/lampiran-ii.pdf",
    "supervision.attendance_pdf": "/pengawasan/klien/{client_id}/lampiran-iii.pdf",
    "supervision.assessment_pdf": "/pengawasan/penilaian/{assessment_id}.pdf",
    "supervision.recommendation_pdf": "/pengawasan/perilaku/{case_id}/rekomendasi.pdf",
    "supervision.closure_pdf": "/pengawasan/klien/{client_id}/surat-pengakhiran.pdf",
    "clients.stage_one_new": "/klien/{client_id}/{kind}/baru",
    "sessions.calendar": "/sesi/klien/{client_id}",
    "sessions.client_permits": "/sesi/klien/{client_id}/izin",
    "sessions.propose_change": "/sesi/penempatan/{placement_id}/pindah",
    "clients.client_document": "/klien/{client_id}/dokumen/{document_id}",
    "clients.file_completion_pdf": "/klien/{client_id}/surat-kelengkapan/{letter_id}.pdf",
    "supervision.progress_report_pdf": "/pengawasan/laporan-perkembangan/{report_id}.pdf",
}


def test_every_client_route_is_in_the_audited_list(app: Flask) -> None:
    """A new GET page about one client (or its documents) must be added to CLIENT_READS."""
    about_a_client = {
        "client_id",
        "placement_id",
        "assessment_id",
        "case_id",
        "litmas_id",
        "document_id",
        "letter_id",
        "report_id",
    }
    endpoints = {
        r.endpoint
        for r in web_rules(app)
        if "GET" in r.methods and set(r.arguments) & about_a_client
    }
    # Attendance pages show the OPD side a client code only; the file is audited on its own.
    endpoints -= {"attendance.placement", "attendance.photo", "attendance.correct"}
    # The Litmas file writes its own client_viewed entry with the litmas id (test_litmas).
    endpoints -= {"clients.litmas_document"}
    assert endpoints == set(CLIENT_READS)


@pytest.mark.parametrize("endpoint", list(CLIENT_READS))
def test_client_read_is_audited(
    client: Any, db: Any, login_as: Any, regions: Any, endpoint: str
) -> None:
    own, _ = regions
    if endpoint == "supervision.closure_pdf":
        db.session.add(
            Closure(
                client_id=own.client.id,
                bapas_id=own.client.bapas_id,
                reason="served",
                closed_on=date(2026, 5, 30),
                final_assessment="Selesai dengan baik.",
                register_year=2026,
                register_seq=977,
                register_number="UJI/977/2026",
                letter_number="UJI-SURAT-977",
                minutes_verified=240,
            )
        )
    if endpoint == "booking.book":
        own.placement.status = "declined"  # a client waiting for a seat
    login_as("kabapas.madiun")

    def reads() -> int:
        return db.session.scalar(
            select(func.count(AuditLog.id)).where(
                AuditLog.action == "client_viewed",
                AuditLog.object_type == "client",
                AuditLog.object_id == str(own.client.id),
            )
        )

    before = reads()
    response = client.get(CLIENT_READS[endpoint].format(**own.ids()))
    assert response.status_code == 200, response.status_code
    assert reads() == before + 1


# --- Excel exports ------------------------------------------------------------------

# Every Excel export: a role that opens it, and whether it shows client identities
# (then each client it shows is a recorded read, as on his page).
EXPORTS = {
    "placements.index_xlsx": ("/penempatan/daftar.xlsx", "kabapas.madiun", True),
    "supervision.index_xlsx": ("/pengawasan/daftar.xlsx", "kabapas.madiun", True),
    "slots.index_xlsx": ("/lokasi-kerja.xlsx", "opd.dinsos", False),
    "slots.partners_xlsx": ("/mitra.xlsx", "kabapas.madiun", False),
    "admin.users_xlsx": ("/admin/pengguna.xlsx", "admin", False),
    "admin.audit_xlsx": ("/admin/audit.xlsx", "kabapas.madiun", False),
    "monitoring.export_xlsx": ("/monitoring/ekspor.xlsx", "kabapas.madiun", False),
    "sessions.index_xlsx": ("/sesi/daftar.xlsx", "kabapas.madiun", True),
    "clients.index_xlsx": ("/klien/daftar.xlsx", "kabapas.madiun", True),
}


def test_every_export_is_in_the_inventory(app: Flask) -> None:
    endpoints = {
        r.endpoint for r in web_rules(app) if "GET" in r.methods and r.rule.endswith(".xlsx")
    }
    assert endpoints == set(EXPORTS)


@pytest.mark.parametrize("endpoint", list(EXPORTS))
def test_export_holds_the_own_organisation_only_and_audits_identities(
    client: Any, db: Any, login_as: Any, regions: Any, endpoint: str
) -> None:
    from openpyxl import load_workbook

    own, other = regions
    url, username, identities = EXPORTS[endpoint]
    login_as(username)

    def reads() -> int:
        return db.session.scalar(
            select(func.count(AuditLog.id)).where(
                AuditLog.action == "client_viewed",
                AuditLog.object_id == str(own.client.id),
            )
        )

    before = reads()
    response = client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    assert other.client.code not in text
    assert other.client.full_name not in text
    if identities:
        assert own.client.full_name in text
        assert reads() == before + 1
    else:
        assert own.client.full_name not in text


# --- JSON data behind pages ----------------------------------------------------------

# Every web route answering JSON for a page's script, with a role that opens it and
# the record of the other organisation it must never carry.
DATA_FEEDS = {
    "slots.map_data": ("/peta.json", "kabapas.madiun", "slot"),
}


def test_every_data_feed_is_in_the_inventory(app: Flask) -> None:
    endpoints = {r.endpoint for r in web_rules(app) if r.rule.endswith(".json")}
    assert endpoints == set(DATA_FEEDS)


@pytest.mark.parametrize("endpoint", list(DATA_FEEDS))
@pytest.mark.parametrize("username", DEMO_ROLES)
def test_data_feed_holds_the_own_organisation_only(
    client: Any, login_as: Any, regions: Any, endpoint: str, username: str
) -> None:
    own, other = regions
    url, opener, record = DATA_FEEDS[endpoint]
    login_as(username)
    response = client.get(url)
    if username == "setda.ngawi":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    if username != "admin" or f"{record}_id" not in ADMIN_SEES:
        assert getattr(other, record).title not in text
    if username == opener:
        assert getattr(own, record).title in text


# --- uploaded files --------------------------------------------------------------


def test_attendance_photo_is_a_file_for_the_allowed_roles_only(
    client: Any, login_as: Any, regions: Any
) -> None:
    own, _ = regions
    url = f"/kehadiran/{own.attendance.id}/foto"
    for username in ("pj.dinsos", "opd.dinsos", "kabapas.madiun"):
        login_as(username)
        response = client.get(url)
        assert response.status_code == 200, username
        assert response.mimetype == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "filename=" in response.headers["Content-Disposition"]
        assert "no-store" in response.headers["Cache-Control"]
    for username, status in (("opd.dlh", 404), ("pk.kediri", 404), ("setda.ngawi", 403)):
        login_as(username)
        assert client.get(url).status_code == status, username


def test_evidence_file_is_an_attachment_for_the_parties_only(
    client: Any, login_as: Any, regions: Any
) -> None:
    own, _ = regions
    url = f"/monitoring/bukti/{own.evidence.id}"
    for username in ("setda.ngawi", "kabapas.madiun", "opd.dinsos"):
        login_as(username)
        response = client.get(url)
        assert response.status_code == 200, username
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    login_as("pk.kediri")
    assert client.get(url).status_code == 404


def test_addendum_scan_is_an_attachment_for_the_parties_only(
    client: Any, login_as: Any, regions: Any
) -> None:
    own, _ = regions
    url = f"/kesepakatan/addendum/{own.addendum.id}/pindaian"
    for username in ("setda.ngawi", "kabapas.madiun", "admin"):
        login_as(username)
        response = client.get(url)
        assert response.status_code == 200, username
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    login_as("pk.kediri")
    assert client.get(url).status_code == 404


# --- Content-Security-Policy -----------------------------------------------------

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def script_src(response: Any) -> str:
    policy = response.headers["Content-Security-Policy"]
    return next(p for p in policy.split(";") if p.strip().startswith("script-src")).strip()


def test_inline_scripts_need_the_requests_nonce(client: Any, login_as: Any, regions: Any) -> None:
    own, _ = regions
    login_as("pk.madiun")
    nonces = []
    for url in (
        f"/lokasi-kerja/{own.slot.id}",
        "/peta",
        f"/lokasi-kerja/{own.slot.id}",
        "/beranda",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        directive = script_src(response)
        assert "'unsafe-inline'" not in directive
        found = re.search(r"'nonce-([^']+)'", directive)
        nonce = found.group(1) if found else None
        html = response.get_data(as_text=True)
        inline = [
            a for a in SCRIPT_TAG.findall(html) if "src=" not in a and "application/json" not in a
        ]
        if url != "/beranda":  # the maps: folium's inline scripts, each with the nonce
            assert inline, url
            nonces.append(nonce)
        for attributes in inline:
            assert nonce is not None, url
            assert f'nonce="{nonce}"' in attributes, (url, attributes)
    assert None not in nonces
    assert len(set(nonces)) == 3  # a fresh nonce per request


def test_no_template_has_inline_event_handlers() -> None:
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    found = [
        (path.name, line.strip())
        for path in TEMPLATES.rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if handler.search(line) or "javascript:" in line
    ]
    assert found == []
