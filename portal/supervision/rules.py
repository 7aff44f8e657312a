"""Supervision and closing rules (Pedoman 2.3, 2.4), as plain data and functions.

No Flask and no database: the ten indicators of Lampiran IV, the Cycle of
Change, when the ¼ and ¾ evaluations fall due, the team's 7-day deadline and
what a closure needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from portal.attendance.rules import RuleViolation

# Lampiran IV, Laporan Penilaian Sikap: ten yes/no indicators, in the form's order.
INDICATORS: dict[str, str] = {
    "on_time": "Klien hadir dan pulang sesuai dengan jam yang ditentukan",
    "finishes_work": "Klien menyelesaikan semua pekerjaannya sesuai beban kerja per hari",
    "rests_on_time": "Klien beristirahat sesuai dengan jam yang ditentukan",
    "respects_officers": (
        "Klien tidak menentang atau menolak PK dan/atau penanggung jawab di tempat pidana "
        "kerja sosial"
    ),
    "diligent": "Klien rajin melaksanakan pekerjaannya",
    "follows_rules": (
        "Klien tidak melanggar aturan yang ditetapkan PK dan/atau tempat kerja sosial"
    ),
    "no_supervisor_complaint": "Klien tidak mendapatkan keluhan dari penanggung jawab",
    "no_public_complaint": "Klien tidak mendapatkan keluhan dari masyarakat",
    "polite": (
        "Klien bertutur kata sopan kepada PK, penanggung jawab, rekan kerja, dan masyarakat "
        "sekitar selama pelaksanaan pidana kerja sosial"
    ),
    "accepts_sentence": "Klien tidak mengeluhkan pidana kerja sosial yang dilaksanakannya",
}

# The Cycle of Change (Prochaska and DiClemente), as the Pedoman names the stages.
STAGES: dict[str, str] = {
    "precontemplation": "Prakontemplasi",
    "contemplation": "Kontemplasi",
    "preparation": "Persiapan",
    "action": "Tindakan",
    "maintenance": "Pemeliharaan",
}

ASSESSMENT_KINDS: dict[str, str] = {
    "visit": "Kunjungan PK",
    "evaluation_q1": "Evaluasi ¼ masa pidana",
    "evaluation_q3": "Evaluasi ¾ masa pidana",
    "final": "Penilaian akhir",
}
ONCE_ONLY_KINDS = ("evaluation_q1", "evaluation_q3", "final")
EVALUATION_POINTS: dict[str, float] = {"evaluation_q1": 0.25, "evaluation_q3": 0.75}

CONDUCT_KINDS: dict[str, str] = {
    "violation": "Pelanggaran",
    "good_conduct": "Perilaku baik",
}
CONDUCT_STATUSES: dict[str, str] = {
    "recorded": "Dicatat",
    "team_proposed": "Tim diusulkan",
    "examined": "Diperiksa tim",
    "decided": "Diputus sidang TPP",
    "recommended": "Rekomendasi dikirim ke Jaksa",
}
TEAM_DAYS = 7  # Pedoman 2.3: the team examines within 7 days

TPP_OUTCOMES: dict[str, str] = {
    "continue": "Pembimbingan dilanjutkan",
    "warning": "Teguran atau peringatan tertulis",
    "reward": "Penghargaan atas perilaku baik",
    "recommend_jaksa": "Rekomendasi kepada Jaksa (KUHP Pasal 85 ayat (7))",
}

# KUHP Pasal 85(7): what the decision orders when the work is not done without reason.
RECOMMENDATIONS: dict[str, str] = {
    "repeat": "mengulangi seluruh atau sebagian pidana kerja sosial",
    "prison": (
        "menjalani seluruh atau sebagian pidana penjara yang diganti dengan pidana kerja sosial"
    ),
    "fine": "membayar seluruh atau sebagian pidana denda yang diganti dengan pidana kerja sosial",
}

CLOSURE_REASONS: dict[str, str] = {
    "served": "Pidana kerja sosial telah selesai dijalani",
    "died": "Klien meninggal dunia",
    "sanctioned": "Klien dikenai sanksi atas pelanggaran",
}

HOURS_NOT_SERVED = "HOURS_NOT_SERVED"
NO_SANCTION = "NO_SANCTION"
EVALUATION_DONE = "EVALUATION_DONE"
WRONG_STEP = "WRONG_STEP"
FUTURE_DATE = "FUTURE_DATE"


@dataclass(frozen=True)
class EvaluationDue:
    """An evaluation that is due (or will be), with when and why."""

    kind: str
    due_on: date
    due_by_hours: bool

    @property
    def label(self) -> str:
        """The evaluation's name as users read it."""
        return ASSESSMENT_KINDS[self.kind]


def evaluation_date(start: date, deadline: date, share: float) -> date:
    """The day a share of the sentence's period has passed."""
    return start + timedelta(days=round((deadline - start).days * share))


def evaluations_due(
    start: date,
    deadline: date,
    minutes_ordered: int,
    minutes_verified: int,
    today: date,
    done: set[str],
) -> list[EvaluationDue]:
    """Evaluations at ¼ and ¾ not done yet whose time (or hours) has come."""
    due = []
    for kind, share in EVALUATION_POINTS.items():
        if kind in done:
            continue
        on = evaluation_date(start, deadline, share)
        by_hours = minutes_ordered > 0 and minutes_verified >= minutes_ordered * share
        if today >= on or by_hours:
            due.append(EvaluationDue(kind, on, by_hours and today < on))
    return due


def team_deadline(proposed_on: date) -> date:
    """The last day for the team's examination."""
    return proposed_on + timedelta(days=TEAM_DAYS)


def check_assessment(
    kind: str, assessed_on: date, today: date, done: set[str]
) -> list[RuleViolation]:
    """An assessment is not dated in the future and each evaluation is made once."""
    found = []
    if assessed_on > today:
        found.append(RuleViolation(FUTURE_DATE, "Tanggal penilaian belum terjadi."))
    if kind in ONCE_ONLY_KINDS and kind in done:
        found.append(
            RuleViolation(EVALUATION_DONE, f"{ASSESSMENT_KINDS[kind]} sudah pernah dibuat.")
        )
    return found


def check_closure(reason: str, served: bool, sanctioned: bool) -> list[RuleViolation]:
    """'Served' needs every ordered hour verified; 'sanctioned' needs a recommendation sent."""
    if reason == "served" and not served:
        return [
            RuleViolation(
                HOURS_NOT_SERVED,
                "Jam pidana belum terpenuhi: pengakhiran karena selesai menjalani pidana "
                "menunggu seluruh jam terverifikasi.",
            )
        ]
    if reason == "sanctioned" and not sanctioned:
        return [
            RuleViolation(
                NO_SANCTION,
                "Belum ada rekomendasi kepada Jaksa atas pelanggaran klien.",
            )
        ]
    return []
