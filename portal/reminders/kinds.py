"""A reminder, and the Indonesian names of its kinds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Reminder:
    """One thing to do: its kind, a sentence, where to do it, and how urgent."""

    kind: str
    title: str
    detail: str
    url: str
    due: date | None = None
    urgent: bool = False


KIND_LABELS: dict[str, str] = {
    "verify": "Kehadiran menunggu verifikasi",
    "booking": "Pemesanan menunggu jawaban",
    "evaluation": "Evaluasi jatuh tempo",
    "team": "Batas pemeriksaan tim",
    "pace": "Batas akhir tidak terkejar",
    "recommendation": "Rekomendasi menunggu tanda tangan",
    "closure": "Siap diakhiri",
    "session": "Sesi tanpa hasil",
    "propose_team": "Usulkan tim pemeriksa",
}
