"""Supervision and closing rules (Pedoman 2.3, 2.4), as plain data and functions.

No Flask and no database: the ten indicators of Lampiran IV, the Cycle of
Change, when the ¼ and ¾ evaluations fall due, the team's 7-day deadline and
what a closure needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from portal.refusals import RuleViolation

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
TEAM_DAYS = 7  # Pedoman 2.3.3 f: the team examines within 7 days
TEAM_WARNING_DAYS = 2  # the deadline is announced this many days ahead

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

# Which outcomes a decision allows: always repeating the work; serving the prison term or
# paying the fine only when the work replaced that penalty (KUHP Pasal 85 ayat 7).
RECOMMENDATION_NEEDS_PENALTY: dict[str, str] = {"prison": "prison", "fine": "fine"}


def allowed_recommendations(replaced_penalty_kind: str) -> dict[str, str]:
    """The outcomes of KUHP Pasal 85(7) the client's decision allows, in the Pedoman's words."""
    return {
        code: label
        for code, label in RECOMMENDATIONS.items()
        if RECOMMENDATION_NEEDS_PENALTY.get(code, replaced_penalty_kind) == replaced_penalty_kind
    }


def recommendation_refusal(recommendation: str, replaced_penalty_kind: str) -> str | None:
    """Why the decision does not allow ``recommendation``, or None."""
    if recommendation in allowed_recommendations(replaced_penalty_kind):
        return None
    what = "pidana penjara" if recommendation == "prison" else "pidana denda"
    if not replaced_penalty_kind:
        recorded = "pidana yang diganti belum dicatat pada data putusan klien"
    else:
        recorded = "putusan mengganti " + (
            "pidana penjara" if replaced_penalty_kind == "prison" else "pidana denda"
        )
    return (
        f"Putusan tidak memuat {what} yang diganti dengan pidana kerja sosial ({recorded}); "
        "KUHP Pasal 85 ayat (7) hanya memungkinkan terpidana "
        f'"{RECOMMENDATIONS[recommendation]}" bila putusan menggantinya.'
    )


CLOSURE_REASONS: dict[str, str] = {
    "served": "Pidana kerja sosial telah selesai dijalani",
    "died": "Klien meninggal dunia",
    "sanctioned": "Klien dikenai sanksi atas pelanggaran",
}

HOURS_NOT_SERVED = "HOURS_NOT_SERVED"
NO_SANCTION = "NO_SANCTION"
CASE_PENDING = "CASE_PENDING"
JAKSA_ANSWER_MISSING = "JAKSA_ANSWER_MISSING"
RECOMMENDATION_NOT_ALLOWED = "RECOMMENDATION_NOT_ALLOWED"
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


@dataclass(frozen=True)
class TeamDeadline:
    """How the team's 7-day deadline stands: running, due soon (≤ 2 days) or passed."""

    deadline: date
    state: str  # running, soon, late
    days: int  # days left (negative when passed)

    @property
    def text(self) -> str:
        """'batas pemeriksaan tim 28-05-2026, 2 hari lagi' and the like, in Indonesian."""
        when = f"batas pemeriksaan tim (7 hari, Pedoman 2.3.3 f) {self.deadline:%d-%m-%Y}"
        if self.state == "late":
            return f"{when}: terlewat {-self.days} hari"
        if self.days == 0:
            return f"{when}: hari ini"
        return f"{when}: {self.days} hari lagi"

    @property
    def css(self) -> str:
        """Red when passed, amber when due soon."""
        return {"late": "text-danger fw-semibold", "soon": "text-warning-emphasis fw-semibold"}.get(
            self.state, "text-muted"
        )


def team_deadline_state(deadline: date, today: date) -> TeamDeadline:
    """Passed, within the warning days, or still running."""
    days = (deadline - today).days
    if days < 0:
        state = "late"
    elif days <= TEAM_WARNING_DAYS:
        state = "soon"
    else:
        state = "running"
    return TeamDeadline(deadline, state, days)


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


def pending_step(status: str, tpp_outcome: str, jaksa_answer: str) -> str | None:
    """What a violation case still waits for, in Indonesian; None when it is settled."""
    if status in ("recorded", "team_proposed", "examined"):
        return "masih dalam pemeriksaan tim dan sidang TPP"
    if status == "decided" and tpp_outcome == "recommend_jaksa":
        return "rekomendasi kepada Jaksa belum ditandatangani"
    if status == "recommended" and not jaksa_answer:
        return "rekomendasi kepada Jaksa menunggu jawaban Jaksa"
    return None


def check_closure(
    reason: str,
    served: bool,
    sanctioned: bool,
    pending: list[str] | tuple[str, ...] = (),
    jaksa_answer: str | None = None,
) -> list[RuleViolation]:
    """Whether the case may be closed for ``reason``.

    'Served' needs every ordered hour verified and no violation case or recommendation to
    the Jaksa still open (``pending``: one phrase per open case). 'Sanctioned' needs a
    recommendation sent and the Jaksa's answer to it recorded, with its letter.
    """
    found = []
    if reason == "served":
        if pending:
            found.append(
                RuleViolation(
                    CASE_PENDING,
                    "Perkara belum dapat diakhiri sebagai selesai menjalani pidana: "
                    + "; ".join(pending)
                    + " (Pedoman 2.3.3: pelanggaran diperiksa tim, diputus sidang TPP dan "
                    "direkomendasikan kepada Jaksa).",
                )
            )
        if not served:
            found.append(
                RuleViolation(
                    HOURS_NOT_SERVED,
                    "Jam pidana belum terpenuhi: pengakhiran karena selesai menjalani pidana "
                    "menunggu seluruh jam terverifikasi.",
                )
            )
    if reason == "sanctioned":
        if not sanctioned:
            found.append(
                RuleViolation(
                    NO_SANCTION,
                    "Belum ada rekomendasi kepada Jaksa atas pelanggaran klien.",
                )
            )
        elif not jaksa_answer:
            found.append(
                RuleViolation(
                    JAKSA_ANSWER_MISSING,
                    "Jawaban Jaksa atas rekomendasi belum dicatat: pengakhiran karena sanksi "
                    "menunggu keputusan Jaksa selaku pengawas pelaksanaan pidana, dengan "
                    "nomor suratnya.",
                )
            )
        elif jaksa_answer == "repeat":
            found.append(
                RuleViolation(
                    NO_SANCTION,
                    "Jaksa memerintahkan klien mengulangi pidana kerja sosial: perkara berlanjut "
                    "dan diakhiri setelah jam terpenuhi.",
                )
            )
    return found
