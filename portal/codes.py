"""Stable codes of API.md with the Indonesian labels the UI shows for them.

Pure data, no Flask: the matching engine, the forms and the API all read it.
"""

from __future__ import annotations

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
    "lactation_room": "Ruang laktasi",
    "child_care": "Tempat penitipan anak",
    "prayer_room": "Tempat ibadah",
    "ppe_provided": "Alat pelindung diri disediakan",
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

# What each special need requires of a slot (API.md, "Codes").
SPECIAL_NEED_REQUIREMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "disability_mobility": {
        "facilities": ("ramp", "accessible_toilet"),
        "forbidden_risks": ("physical_risk",),
    },
    "disability_other": {"facilities": (), "forbidden_risks": ()},
    "elderly": {"facilities": ("accessible_toilet",), "forbidden_risks": ("physical_risk",)},
    "pregnant": {"facilities": (), "forbidden_risks": ("physical_risk",)},
    "breastfeeding": {"facilities": ("lactation_room", "child_care"), "forbidden_risks": ()},
    "child_under_3": {"facilities": ("child_care",), "forbidden_risks": ()},
    "chronic_illness": {"facilities": (), "forbidden_risks": ("physical_risk",)},
}

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
