"""Stable codes of API.md with the Indonesian labels the UI shows for them.

Pure data, no Flask: the matching engine, the forms and the API all read it.
"""

from __future__ import annotations

from collections.abc import Iterable

SECTORS: dict[str, str] = {
    "health": "Kesehatan",
    "education": "Pendidikan",
    "social_care": "Layanan sosial",
    "environment": "Lingkungan hidup",
    "administration": "Administrasi pemerintahan",
    "public_order": "Ketertiban umum",
    "religious": "Keagamaan",
    "transport": "Perhubungan",
    "sports_tourism": "Pariwisata, pemuda dan olahraga",
    "trade_industry": "Perdagangan, perindustrian dan tenaga kerja",
    "disaster": "Penanggulangan bencana",
    "finance": "Keuangan",
    "other": "Lainnya",
}

JOB_CATEGORIES: dict[str, str] = {
    "social_institution": "Membantu di lembaga sosial",
    "public_service": "Membantu pelayanan publik",
    "environment_cleaning": "Kebersihan lingkungan dan fasilitas umum",
    "light_admin": "Administrasi ringan",
    "teaching_training": "Mengajar atau melatih sesuai keahlian",
}

FACILITIES: dict[str, str] = {
    "ramp": "Ramp dan akses datar",
    "accessible_toilet": "Toilet ramah disabilitas",
    "safe_toilet": "MCK aman dan layak",
    "adequate_lighting": "Penerangan yang cukup",
    "companion_available": "Penerjemah bahasa isyarat atau pendamping",
    "lactation_room": "Ruang laktasi",
    "child_care": "Tempat penitipan anak",
    "prayer_room": "Tempat ibadah",
    "complaint_channel": "Media keluhan/pengaduan",
    "ppe_provided": "Alat pelindung diri disediakan",
}

# A facility that also counts as others: an accessible toilet is a safe toilet (API.md).
FACILITY_IMPLIES: dict[str, tuple[str, ...]] = {"accessible_toilet": ("safe_toilet",)}


def effective_facilities(facilities: Iterable[object] | None) -> frozenset[str]:
    """The facilities a slot offers, with those its facilities count as (FACILITY_IMPLIES)."""
    given = frozenset(str(f) for f in (facilities or ()))
    implied = {extra for f in given for extra in FACILITY_IMPLIES.get(f, ())}
    return given | implied


# Pedoman table 1: the kinds of place where the work is done (slot place_type).
PLACE_TYPES: dict[str, str] = {
    "hospital": "Rumah sakit",
    "orphanage": "Rumah panti asuhan (Panti sosial)",
    "elderly_home": "Panti lansia (Panti Sosial)",
    "school": "Sekolah (Satuan pendidikan)",
    "social_welfare": "Lembaga sosial (Lembaga kesejahteraan sosial)",
    "government": "Lembaga pemerintah (Instansi Pemerintah)",
    "non_government": "Lembaga non-pemerintah (Organisasi Kemasyarakatan)",
    "social_work": "Pekerjaan Sosial",
}

RISKS: dict[str, str] = {
    "vulnerable_contact": "Kontak langsung dengan kelompok rentan",
    "confidential_data": "Akses ke data atau dokumen rahasia",
    "technical_work": "Pekerjaan listrik, mesin atau alat khusus",
    "physical_risk": "Risiko fisik tinggi",
}

SPECIAL_NEEDS: dict[str, str] = {
    "disability_mobility": "Disabilitas fisik/mobilitas",
    "disability_other": "Disabilitas lainnya",
    "elderly": "Lanjut usia",
    "pregnant": "Hamil",
    "breastfeeding": "Menyusui",
    "child_under_3": "Ibu dengan anak di bawah 3 tahun",
    "chronic_illness": "Penyakit kronis",
}

PRAYER_ROOM_NEED = "prayer_room_request"
PRAYER_ROOM_NEED_LABEL = "Meminta ruang ibadah"

# What each special need requires of a slot (API.md, "Additions of 30-11-2026"; Pedoman
# 2.3.1): facilities it must have, risks its work must not carry, and the Pedoman's words.
SPECIAL_NEED_REQUIREMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "disability_mobility": {
        "facilities": ("ramp", "accessible_toilet", "adequate_lighting"),
        "forbidden_risks": ("physical_risk",),
        "pedoman": (
            "Pedoman 2.3.1 a.2: tempat dengan aksesibilitas penuh, seperti jalan yang landai, "
            "fasilitas mandi cuci kakus (MCK) mudah diakses, dan penerangan yang cukup",
        ),
    },
    "disability_other": {
        "facilities": ("companion_available", "adequate_lighting"),
        "forbidden_risks": (),
        "pedoman": (
            "Pedoman 2.3.1 a.1–2: menyediakan penerjemah bahasa isyarat atau pendamping "
            "sesuai kebutuhan disabilitasnya, dan penerangan yang cukup",
        ),
    },
    "elderly": {
        "facilities": ("safe_toilet",),
        "forbidden_risks": ("physical_risk",),
        "pedoman": (
            "Pedoman 2.3.1 b: kerja sosial tidak melampaui kondisi fisik Klien dan akses ke "
            "fasilitas MCK yang aman dan layak",
        ),
    },
    "pregnant": {
        "facilities": ("safe_toilet",),
        "forbidden_risks": ("physical_risk", "technical_work"),
        "pedoman": (
            "Pedoman 2.3.1 c: tempat yang aman dan tidak membahayakan ibu dan janin, dan "
            "fasilitas MCK yang aman dan layak",
        ),
    },
    "breastfeeding": {
        "facilities": ("lactation_room", "child_care"),
        "forbidden_risks": (),
        "pedoman": (
            "Pedoman 2.3.1 d: tersedianya ruang laktasi dan ruang penitipan anak bagi Klien",
        ),
    },
    "child_under_3": {
        "facilities": ("child_care",),
        "forbidden_risks": (),
        "pedoman": (
            "Pedoman 2.3.1 e: tersedianya tempat bagi anak klien yang layak pada tempat "
            "pelaksanaan pidana kerja sosial",
        ),
    },
    "chronic_illness": {
        "facilities": (),
        "forbidden_risks": ("physical_risk",),
        "pedoman": (
            "Pedoman 2.3.1 huruf i: pembatasan bagi pengidap penyakit kronis untuk lingkungan "
            "kerja yang aman",
        ),
    },
    # Not a special need the PK picks: a client who asks for a prayer room (Client.
    # requests_prayer_room) carries it, so matching offers him only slots with one.
    PRAYER_ROOM_NEED: {
        "facilities": ("prayer_room",),
        "forbidden_risks": (),
        "pedoman": ("Pedoman 2.3.1 f.1: Memastikan ketersediaan ruang ibadah",),
    },
}

# Work that needs personal protective equipment (Pedoman 2.3.1 huruf i: "Klien wajib
# menggunakan alat pelindung diri (APD) sesuai jenis kegiatan yang dilakukan"): high
# physical risk, cleaning markets, toilets or streets, and disaster posts.
PPE_RISKS: tuple[str, ...] = ("physical_risk",)
PPE_CATEGORIES: tuple[str, ...] = ("environment_cleaning",)
PPE_SECTORS: tuple[str, ...] = ("disaster",)


def needs_ppe(category: object, sector: object, risks: Iterable[object] | None) -> bool:
    """True when the slot's work needs protective equipment."""
    return (
        category in PPE_CATEGORIES
        or sector in PPE_SECTORS
        or any(r in PPE_RISKS for r in (risks or ()))
    )


# The type of a violation (ConductCase.category), chosen when the PK records it;
# monitoring's "violations by type" counts by it.
VIOLATION_CATEGORIES: dict[str, str] = {
    "absent_without_reason": "Tidak hadir tanpa alasan",
    "absence": "Tidak hadir atau dipulangkan pada sesi kerja terjadwal (dari catatan sesi)",
    "summons_ignored": "Mangkir dari panggilan Kepala Bapas",
    "late_or_early": "Terlambat datang atau pulang sebelum waktunya",
    "refused_work": "Menolak atau tidak menyelesaikan pekerjaan",
    "misconduct": "Perilaku tidak patut atau melanggar tata tertib",
    "other": "Pelanggaran lain",
}

# Laporan asesmen individual (Rencana Kerja stage 1): the three kinds.
INDIVIDUAL_ASSESSMENT_KINDS: dict[str, str] = {
    "social": "Asesmen sosial",
    "psychological": "Asesmen psikologis",
    "skills": "Asesmen keterampilan",
}

WEEKDAYS: tuple[str, ...] = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

SLOT_STATUSES: dict[str, str] = {
    "draft": "Draf",
    "published": "Terbit",
    "closed": "Ditutup",
}

AGREEMENT_STATUSES: dict[str, str] = {
    "draft": "Draf",
    "active": "Berlaku",
    "expired": "Berakhir",
}

MONTHS: tuple[str, ...] = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# What the audit log shows for each recorded action and kind of record.
AUDIT_ACTIONS: dict[str, str] = {
    "login": "Masuk",
    "login_failed": "Gagal masuk",
    "login_throttled": "Masuk ditahan (terlalu sering gagal)",
    "login_refused_disabled": "Masuk ditolak (akun nonaktif)",
    "logout": "Keluar",
    "password_changed": "Kata sandi diubah",
    "sso_linked": "Akun dihubungkan ke SSO",
    "sso_refused": "Masuk SSO ditolak",
    "sso_failed": "Masuk SSO gagal",
    "user_created": "Akun dibuat",
    "user_changed": "Akun diubah",
    "api_token_created": "Token API dibuat",
    "api_token_revoked": "Token API dicabut",
    "client_registered": "Klien didaftarkan",
    "client_updated": "Data klien diubah",
    "client_viewed": "Data klien dibuka",
    "pk_assigned": "PK ditunjuk",
    "summons_recorded": "Panggilan dicatat",
    "litmas_recorded": "Litmas dicatat",
    "individual_assessment_recorded": "Asesmen individu dicatat",
    "judge_recommendation_recorded": "Rekomendasi kepada hakim dicatat",
    "assessment_recorded": "Penilaian kunjungan dicatat",
    "case_plan_saved": "Rencana pembimbingan disimpan",
    "vulnerable_exception_set": "Pengecualian kelompok rentan ditetapkan",
    "document_printed": "Dokumen dicetak",
    "slot_created": "Lokasi kerja dibuat",
    "slot_updated": "Lokasi kerja diubah",
    "slot_duplicated": "Lokasi kerja disalin",
    "slot_published": "Lokasi kerja diterbitkan",
    "slot_closed": "Lokasi kerja ditutup",
    "placement_booked": "Penempatan dipesan",
    "placement_accepted": "Penempatan diterima",
    "placement_declined": "Penempatan ditolak",
    "placement_active": "Penempatan dimulai",
    "placement_activated": "Penempatan dimulai",
    "placement_completed": "Penempatan selesai",
    "placement_ended": "Penempatan diakhiri",
    "placement_registered": "Penempatan dikembalikan",
    "attendance_recorded": "Kehadiran dicatat",
    "attendance_verified": "Kehadiran diverifikasi",
    "attendance_corrected": "Kehadiran dikoreksi",
    "attendance_changed": "Kehadiran diubah",
    "attendance_photo_viewed": "Foto kehadiran dibuka",
    "conduct_recorded": "Pelanggaran dicatat",
    "conduct_examined": "Pemeriksaan pelanggaran dicatat",
    "conduct_team_proposed": "Sidang TPP diusulkan",
    "conduct_tpp_decided": "Putusan sidang TPP dicatat",
    "conduct_recommendation_issued": "Rekomendasi pelanggaran diterbitkan",
    "case_closed": "Perkara diakhiri",
    "agreement_created": "Kesepakatan (NK) dicatat",
    "agreement_changed": "Kesepakatan (NK) diubah",
    "agreement_evaluated": "Evaluasi kesepakatan dicatat",
    "addendum_recorded": "Addendum dicatat",
    "addendum_proposed": "Addendum diusulkan",
    "addendum_confirmed": "Addendum disetujui pihak lain",
    "addendum_refused": "Addendum ditolak",
    "addendum_withdrawn": "Addendum ditarik kembali",
    "slots_extended": "Masa berlaku lokasi kerja diperpanjang",
    "bapas_setting_changed": "Pengaturan Bapas diubah",
    "client_document_uploaded": "Dokumen klien diunggah",
    "community_activity_recorded": "Kegiatan kemasyarakatan dicatat",
    "conduct_jaksa_answered": "Jawaban Jaksa dicatat",
    "conduct_withdrawn": "Catatan pelanggaran ditarik",
    "letter_number_assigned": "Nomor surat diberikan",
    "letter_pattern_set": "Pola nomor surat diatur",
    "notification_settings_changed": "Pengaturan notifikasi diubah",
    "partner_saved": "Data mitra disimpan",
    "permit_requested": "Izin keluar daerah diajukan",
    "permit_examined": "Izin keluar daerah diperiksa PK",
    "permit_decided": "Izin keluar daerah diputus TPP",
    "permit_signed": "Surat izin ditandatangani",
    "placement_change_proposed": "Pindah tempat/waktu diusulkan",
    "placement_change_agreed": "Pindah tempat/waktu disetujui",
    "placement_change_refused": "Pindah tempat/waktu ditolak",
    "progress_report_issued": "Laporan perkembangan diterbitkan",
    "session_outcome": "Hasil sesi kerja dicatat",
    "session_outcome_undone": "Hasil sesi kerja dibatalkan",
    "session_missed": "Sesi kerja terlewat",
    "session_evidence_added": "Bukti sesi diunggah",
    "session_evidence_viewed": "Bukti sesi dibuka",
    "sessions_planned": "Sesi kerja direncanakan",
    "sessions_cancelled": "Sesi kerja dibatalkan",
    "sessions_ended": "Sesi masuk diakhiri",
    "workplan_reported": "Laporan rencana kerja dicatat",
    "monitoring_exported": "Data monitoring diunduh",
    "list_exported": "Daftar diunduh (Excel)",
}

AUDIT_OBJECTS: dict[str, str] = {
    "user": "Akun",
    "client": "Klien",
    "placement": "Penempatan",
    "slot": "Lokasi kerja",
    "agreement": "Kesepakatan",
    "attendance": "Kehadiran",
    "api_token": "Token API",
    "conduct_case": "Perkara pelanggaran",
    "litmas": "Litmas",
    "assessment": "Penilaian",
    "workplan_activity": "Kegiatan rencana kerja",
    "bapas": "Bapas",
    "opd": "Perangkat Daerah",
    "permit": "Izin keluar kota",
    "work_session": "Sesi kerja",
    "letter_number": "Nomor surat",
}


def audit_action_label(action: str) -> str:
    """The Indonesian words for an audit action (a new action shows as "Kegiatan lain")."""
    return AUDIT_ACTIONS.get(action, "Kegiatan lain")


def audit_object_label(kind: str) -> str:
    """The Indonesian name of the kind of record an audit entry is about."""
    return AUDIT_OBJECTS.get(kind, "Data lain") if kind else ""
