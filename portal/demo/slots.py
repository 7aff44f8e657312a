"""Demo slots: realistic but plainly fictitious work places of several Ngawi OPDs.

Idempotent: a slot is found by its title and OPD and left as it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Opd, Role, Slot, User
from portal.models.base import utcnow
from portal.slots.services import agreement_for_opd


def _week(days: range | list[int], start: str, end: str) -> list[dict[str, Any]]:
    return [{"weekday": d, "start": start, "end": end} for d in days]


MON_FRI = range(5)

# opd code, title, category, place type, sector, address, lat, lng, capacity, schedule,
# facilities, risks, extra fields
DEMO_SLOTS: list[tuple[Any, ...]] = [
    (
        "NGAWI-DINSOS",
        "Dapur umum Dinas Sosial (Demo)",
        "social_institution",
        "social_welfare",
        "social_care",
        "Jl. Contoh Sosial No. 1, Ngawi (fiktif)",
        -7.4031,
        111.4427,
        4,
        _week(MON_FRI, "08:00", "12:00"),
        ["prayer_room", "accessible_toilet", "ramp"],
        [],
        {"tasks": "Menyiapkan bahan makanan, mencuci peralatan dapur, membagikan makanan."},
    ),
    (
        "NGAWI-DINSOS",
        "Gudang logistik bantuan sosial (Demo)",
        "public_service",
        "government",
        "social_care",
        "Jl. Contoh Logistik No. 7, Paron (fiktif)",
        -7.4242,
        111.3905,
        3,
        _week(MON_FRI, "08:00", "11:00") + _week([5], "08:00", "10:00"),
        ["prayer_room", "ppe_provided"],
        ["physical_risk"],
        {
            "tasks": "Menata dan menghitung paket bantuan, membersihkan gudang.",
            "physical_risk_skill": "Mengangkat beban sedang dengan teknik yang benar",
        },
    ),
    (
        "NGAWI-DINSOS",
        "Pendampingan di panti werdha (Demo)",
        "social_institution",
        "elderly_home",
        "social_care",
        "Jl. Contoh Werdha No. 3, Ngawi (fiktif)",
        -7.3948,
        111.4512,
        2,
        _week([0, 2, 4], "09:00", "12:00"),
        ["prayer_room", "accessible_toilet", "lactation_room"],
        ["vulnerable_contact"],
        {"tasks": "Membersihkan ruang bersama, menemani kegiatan senam pagi (dengan pengawasan)."},
    ),
    (
        "NGAWI-DLH",
        "Kebersihan Alun-alun Ngawi (Demo)",
        "environment_cleaning",
        "government",
        "environment",
        "Alun-alun Merdeka, Ngawi",
        -7.4040,
        111.4462,
        6,
        _week(range(6), "06:00", "10:00"),
        ["prayer_room", "ppe_provided"],
        [],
        {"tasks": "Menyapu jalur pejalan kaki, memungut sampah, menyiram tanaman."},
    ),
    (
        "NGAWI-DLH",
        "Pemilahan sampah di TPS3R (Demo)",
        "environment_cleaning",
        "government",
        "environment",
        "Jl. Contoh TPS3R, Geneng (fiktif)",
        -7.4715,
        111.4238,
        4,
        _week(MON_FRI, "07:00", "11:00"),
        ["ppe_provided"],
        ["physical_risk"],
        {
            "tasks": "Memilah sampah organik dan anorganik, mencatat hasil pilahan.",
            "physical_risk_skill": "Memakai sarung tangan dan masker dengan benar",
        },
    ),
    (
        "NGAWI-DLH",
        "Perawatan taman Benteng Van den Bosch (Demo)",
        "environment_cleaning",
        "government",
        "environment",
        "Kawasan Benteng Pendem, Ngawi",
        -7.3986,
        111.4395,
        5,
        _week([1, 3, 5], "07:00", "11:00"),
        ["prayer_room", "ramp", "ppe_provided"],
        [],
        {},
    ),
    (
        "NGAWI-RSUD",
        "Pendamping pasien di loket pendaftaran (Demo)",
        "public_service",
        "hospital",
        "health",
        "Jl. Dr. Wahidin, Ngawi",
        -7.3981,
        111.4481,
        2,
        _week(MON_FRI, "08:00", "12:00"),
        ["prayer_room", "accessible_toilet", "ramp", "lactation_room"],
        ["vulnerable_contact"],
        {"tasks": "Mengarahkan pengunjung ke loket, membantu kursi roda di lobi."},
    ),
    (
        "NGAWI-RSUD",
        "Kebersihan taman dan parkir rumah sakit (Demo)",
        "environment_cleaning",
        "hospital",
        "health",
        "Jl. Dr. Wahidin, Ngawi",
        -7.3976,
        111.4490,
        3,
        _week(MON_FRI, "13:00", "16:00"),
        ["prayer_room", "ppe_provided"],
        [],
        {},
    ),
    (
        "NGAWI-RSUD",
        "Arsip rekam medis (Demo, tidak dapat terbit)",
        "light_admin",
        "hospital",
        "health",
        "Jl. Dr. Wahidin, Ngawi",
        -7.3983,
        111.4477,
        1,
        _week(MON_FRI, "08:00", "12:00"),
        ["prayer_room"],
        ["confidential_data"],
        {"status": "draft", "tasks": "Contoh draf: akses data rahasia, sehingga tidak terbit."},
    ),
    (
        "NGAWI-SATPOLPP",
        "Penertiban reklame liar (Demo)",
        "environment_cleaning",
        "government",
        "public_order",
        "Jl. Contoh Ketertiban, Ngawi (fiktif)",
        -7.4055,
        111.4475,
        3,
        _week([1, 3], "08:00", "12:00"),
        ["prayer_room", "ppe_provided"],
        [],
        {"tasks": "Mencopot stiker dan selebaran liar, membersihkan coretan di fasilitas umum."},
    ),
    (
        "NGAWI-BPBD",
        "Posko logistik bencana (Demo)",
        "social_institution",
        "government",
        "disaster",
        "Jl. Contoh Siaga, Ngawi (fiktif)",
        -7.4151,
        111.4402,
        4,
        _week(MON_FRI, "08:00", "12:00") + _week(MON_FRI, "13:00", "15:00"),
        ["prayer_room", "ppe_provided", "child_care"],
        [],
        {"tasks": "Menata perlengkapan posko, membersihkan tenda dan velbed."},
    ),
    (
        "NGAWI-BAGUMUM",
        "Pengarsipan surat masuk umum (Demo)",
        "light_admin",
        "government",
        "administration",
        "Jl. Teuku Umar No. 12, Ngawi",
        -7.4041,
        111.4451,
        2,
        _week(MON_FRI, "08:00", "12:00"),
        ["prayer_room", "accessible_toilet", "ramp"],
        [],
        {"tasks": "Menyusun map arsip non-rahasia, memberi label, memfotokopi formulir kosong."},
    ),
]


def build_demo_slots() -> None:
    """Create the demo slots that do not exist yet."""
    today = clock.today()
    supervisor = db.session.scalar(select(User).where(User.username == "pj.dinsos"))
    for (
        opd_code,
        title,
        category,
        place_type,
        sector,
        address,
        lat,
        lng,
        capacity,
        schedule,
        facilities,
        risks,
        extra,
    ) in DEMO_SLOTS:
        opd = db.session.scalar(select(Opd).where(Opd.code == opd_code))
        if opd is None:
            continue
        if db.session.scalar(select(Slot.id).where(Slot.title == title, Slot.opd_id == opd.id)):
            continue
        agreement = agreement_for_opd(opd)
        if agreement is None or agreement.signed_on is None:
            continue
        admin = db.session.scalar(
            select(User).where(User.opd_id == opd.id, User.role == Role.OPD_ADMIN)
        )
        until = agreement.effective_valid_until or date(today.year, 12, 31)
        values: dict[str, Any] = {
            "opd_id": opd.id,
            "agreement_id": agreement.id,
            "title": title,
            "category": category,
            "place_type": place_type,
            "sector": sector,
            "address": address,
            "lat": lat,
            "lng": lng,
            "capacity": capacity,
            "schedule": schedule,
            # From well before today (the story's placements started weeks ago) to the
            # agreement's end, months ahead (the demo addendum keeps it in force).
            "valid_from": max(agreement.signed_on, today - timedelta(days=200)),
            "valid_until": until,
            "supervisor_name": f"Penanggung Jawab {opd.short_name} (Demo)",
            "supervisor_position": "Pengawas lapangan",
            "supervisor_phone": "0800-0000-0000",
            "facilities": [*facilities, "complaint_channel"],
            "complaint_contact": f"Kotak pengaduan di kantor {opd.short_name}; "
            "telepon 0800-0000-0001 (Demo)",
            "risks": risks,
            "unpaid_confirmed": True,
            "status": "published",
            "created_by_id": admin.id if admin else None,
            "description": "Data contoh untuk mencoba portal; bukan lokasi sebenarnya.",
        }
        values.update(extra)
        if opd_code == "NGAWI-DINSOS" and supervisor is not None:
            # The demo PJ of Dinas Sosial supervises its sites (he verifies attendance there).
            values["supervisor_user_id"] = supervisor.id
            values["supervisor_name"] = supervisor.full_name
        slot = Slot(**values)
        if slot.status == "published":
            slot.published_at = utcnow()
        db.session.add(slot)
    db.session.flush()
