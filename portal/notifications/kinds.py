"""The kinds of notification, the channels, and what an e-mail subject may say.

An e-mail or gateway message carries only the kind's subject and a link: never a
client's name or anything else confidential (NK Pasal 9).
"""

from __future__ import annotations

# kind → (label for the inbox and preferences, subject of an e-mail or gateway message)
KINDS: dict[str, tuple[str, str]] = {
    "booking_requested": (
        "Pemesanan baru di lokasi kerja",
        "Ada pemesanan baru yang perlu dijawab",
    ),
    "booking_decided": ("Jawaban OPD atas pemesanan", "OPD telah menjawab pemesanan"),
    "placement_starting": ("Penempatan mulai besok", "Ada penempatan yang mulai besok"),
    "session_missed": (
        "Sesi kerja terlewat atau tanpa hasil",
        "Ada sesi kerja yang terlewat atau belum dicatat",
    ),
    "attendance_unverified": (
        "Kehadiran menunggu verifikasi",
        "Ada kehadiran yang menunggu verifikasi",
    ),
    "violation_opened": ("Pelanggaran dicatat", "Ada pelanggaran baru yang dicatat"),
    "team_deadline": (
        "Batas 7 hari pemeriksaan tim",
        "Batas pemeriksaan tim hampir atau sudah lewat",
    ),
    "signature_waiting": (
        "Menunggu tanda tangan Kepala Bapas",
        "Ada dokumen yang menunggu tanda tangan",
    ),
    "agreement_expiring": ("Kesepakatan segera berakhir", "Kesepakatan segera berakhir"),
    "addendum_proposed": ("Addendum diusulkan", "Ada addendum yang menunggu persetujuan"),
    "addendum_confirmed": ("Addendum disetujui", "Addendum telah disetujui kedua pihak"),
    "slot_ending": (
        "Lokasi kerja berakhir dengan klien masih ditempatkan",
        "Lokasi kerja segera berakhir",
    ),
}

INBOX, EMAIL, GATEWAY, DIGEST = "inbox", "email", "gateway", "digest"
CHANNELS: dict[str, str] = {
    INBOX: "Hanya di portal",
    EMAIL: "E-mail",
    GATEWAY: "WhatsApp/SMS (gateway)",
    DIGEST: "Ringkasan harian (e-mail)",
}
# Column heads of the settings table (narrow enough for a phone).
CHANNEL_SHORT: dict[str, str] = {
    INBOX: "Portal saja",
    EMAIL: "E-mail",
    GATEWAY: "WA/SMS",
    DIGEST: "Ringkasan",
}
DEFAULT_CHANNEL = EMAIL


def label(kind: str) -> str:
    """The kind's name as users read it."""
    return KINDS.get(kind, (kind, kind))[0]


def subject(kind: str) -> str:
    """The only words about the event an e-mail or gateway message may carry."""
    return KINDS.get(kind, (kind, "Pemberitahuan baru"))[1]
