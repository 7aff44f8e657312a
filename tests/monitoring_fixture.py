"""A small, fully known world for the monitoring tests (figures worked out by hand).

Agreement MDN × NGAWI, period 2026. Slots (status, capacity, validity):

  S1 Dinas Sosial   published 3  2026-01-05..2026-11-27
  S2 DLH            published 2  2026-01-05..2026-11-27
  S3 RSUD           draft     4  2026                      (never counted)
  S4 BPBD           published 2  2025-03-01..2025-12-31    (a partner of 2025 only)
  S5 Dinas Sosial   published 1  2025-06-01..2026-02-28    (partner in 2025 and 2026)
  S6 Satpol PP      closed    1  2026-02-01..2026-06-30    (partner of 2026, no seats offered)
  ST Trenggalek OPD published 5  (other agreement: must never be counted)

Clients (received = surat eksekusi date, else decision date):

  C1 exec 2026-01-10, decision 2026-01-02, 40 h: S1 completed (ended 2026-03-20);
     verified 5 × 8 h = 40 h on 19, 20, 21 Jan and 2, 3 Feb.
  C2 no exec, decision 2026-02-10, 60 h: S1 active; verified 3 × 4 h on 2-4 Mar;
     one unverified 4 h and one verified-but-superseded 4 h (both not counted).
  C3 exec 2026-02-15, decision 2026-02-05, 100 h: S2 accepted; ignored three
     summonses (16, 18, 20 Feb): the third opened ONE violation record,
     category summons_ignored, 2026-02-20 (breach, counted once).
  C4 exec 2026-03-01, decision 2026-02-20, 80 h: S2 declined (ignored), S1 booked.
  C5 exec 2026-03-10, decision 2026-03-01, 30 h: S2 ended 2026-04-15 (terminated);
     verified 6 h on 16 Mar; ignored a summons on 2026-03-25 and attended the next
     (no violation record: not a breach by itself).
  C6 exec 2025-12-20: S1 active — received last year, outside the cohort, holds a seat.

Supervision records (issue-5's models):

  C1 PK visit 2026-01-20 and final assessment 2026-03-18; closure "served" 2026-03-25.
  C2 PK visit 2026-03-03.
  C5 violations: late_or_early 2026-03-20 (recorded) and absent_without_reason
     2026-04-10, TPP outcome "recommend_jaksa": two records, one client breached.
  CT a Kediri client in the Trenggalek slot, exec 2026-02-01: other agreement.

Rencana Kerja stage 1 records (portal.models.litmas):

  Litmas: C1, C2, C3 (and C6, CT: outside the cohort).
  Individual assessments: C1 social + psychological + skills (complete); C2 social and
     skills only (incomplete); C6 all three (outside the cohort).
  Recommendation to the judge: C1 (and C6, outside the cohort).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from portal.extensions import db
from portal.models import (
    Agreement,
    Assessment,
    Client,
    Closure,
    ConductCase,
    IndividualAssessment,
    JudgeRecommendation,
    Litmas,
    Opd,
    Slot,
    Summons,
)
from tests import factories as f


@dataclass
class World:
    """The records of the fixture, for tests that need ids."""

    agreement: Agreement
    slots: dict[str, Slot]
    clients: dict[str, Client]
    other_agreement: Agreement


def _att(placement, day: date, hours: float, verified: bool = True, **extra):  # noqa: ANN001, ANN202
    minutes = int(hours * 60)
    end = 8 * 60 + minutes
    return f.make_attendance(
        placement,
        work_date=day,
        time_in=time(8, 0),
        time_out=time(end // 60, end % 60),
        minutes=minutes,
        verified=verified,
        **extra,
    )


def build_world() -> World:
    """Create the fixture's records in the current session (rolled back by the test)."""
    y26 = {"valid_from": date(2026, 1, 5), "valid_until": date(2026, 11, 27)}
    s1 = f.make_slot("NGAWI-DINSOS", capacity=3, title="Pendampingan panti", **y26)
    s2 = f.make_slot("NGAWI-DLH", capacity=2, title="Kebersihan alun-alun", **y26)
    s3 = f.make_slot("NGAWI-RSUD", capacity=4, status="draft", **y26)
    s4 = f.make_slot(
        "NGAWI-BPBD", capacity=2, valid_from=date(2025, 3, 1), valid_until=date(2025, 12, 31)
    )
    s5 = f.make_slot(
        "NGAWI-DINSOS", capacity=1, valid_from=date(2025, 6, 1), valid_until=date(2026, 2, 28)
    )
    s6 = f.make_slot(
        "NGAWI-SATPOLPP",
        capacity=1,
        status="closed",
        valid_from=date(2026, 2, 1),
        valid_until=date(2026, 6, 30),
    )
    ngawi = s1.agreement

    # The Trenggalek agreement (draft) gets a slot and a Kediri client for isolation.
    tr_opd = db.session.scalar(db.select(Opd).where(Opd.code.like("TRENGGALEK-%")).limit(1))
    other = db.session.scalar(db.select(Agreement).where(Agreement.pemda_id == tr_opd.pemda_id))
    # (built on a Ngawi OPD, then moved: the factory looks up the MDN agreement first)
    st = f.make_slot("NGAWI-DINSOS", opd_id=tr_opd.id, agreement_id=other.id, capacity=5, **y26)

    def client(name: str, hours: int, decision: date, exec_on: date | None, bapas: str = "MDN"):  # noqa: ANN202
        return f.make_client(
            bapas,
            pk="pk.madiun" if bapas == "MDN" else None,
            full_name=f"Rahasia {name} Wibowo",
            hours_ordered=hours,
            decision_date=decision,
            execution_order_date=exec_on,
        )

    c1 = client("Satu", 40, date(2026, 1, 2), date(2026, 1, 10))
    c2 = client("Dua", 60, date(2026, 2, 10), None)
    c3 = client("Tiga", 100, date(2026, 2, 5), date(2026, 2, 15))
    c4 = client("Empat", 80, date(2026, 2, 20), date(2026, 3, 1))
    c5 = client("Lima", 30, date(2026, 3, 1), date(2026, 3, 10))
    c6 = client("Enam", 50, date(2025, 12, 10), date(2025, 12, 20))
    ct = client("Kediri", 70, date(2026, 1, 25), date(2026, 2, 1), bapas="KDR")

    p1 = f.make_placement(
        c1, s1, status="completed", ended_at=datetime(2026, 3, 20, 5, 0, tzinfo=UTC)
    )
    for day in (date(2026, 1, 19), date(2026, 1, 20), date(2026, 1, 21)):
        _att(p1, day, 8)
    for day in (date(2026, 2, 2), date(2026, 2, 3)):
        _att(p1, day, 8)

    p2 = f.make_placement(c2, s1, status="active")
    for day in (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)):
        _att(p2, day, 4)
    _att(p2, date(2026, 3, 5), 4, verified=False)
    replacement = _att(p2, date(2026, 3, 6), 3)
    _att(p2, date(2026, 3, 6), 4, superseded_by_id=replacement.id)
    # The replacement counts: C2 has 3 × 4 h + 3 h = 15 h verified.

    f.make_placement(c3, s2, status="accepted")
    for seq, day in enumerate((16, 18, 20), start=1):
        db.session.add(Summons(client_id=c3.id, seq=seq, sent_on=date(2026, 2, day),
                               outcome="absent_without_reason"))  # fmt: skip
    third = "Panggilan ketiga tidak dihadiri tanpa alasan."
    db.session.add(ConductCase(client_id=c3.id, kind="violation", category="summons_ignored",
                               occurred_on=date(2026, 2, 20), status="recorded",
                               description=third))  # fmt: skip

    f.make_placement(c4, s2, status="declined")
    f.make_placement(c4, s1, status="booked")

    p5 = f.make_placement(c5, s2, status="ended", ended_at=datetime(2026, 4, 15, 3, tzinfo=UTC))
    _att(p5, date(2026, 3, 16), 6)
    db.session.add_all(
        [
            Summons(client_id=c5.id, seq=1, sent_on=date(2026, 3, 25),
                    outcome="absent_without_reason"),
            Summons(client_id=c5.id, seq=2, sent_on=date(2026, 3, 30), outcome="attended"),
        ]
    )  # fmt: skip

    db.session.add_all(
        [
            Assessment(client_id=c1.id, placement_id=p1.id, kind="visit",
                       assessed_on=date(2026, 1, 20), stage="action", indicators={}),
            Assessment(client_id=c1.id, placement_id=p1.id, kind="final",
                       assessed_on=date(2026, 3, 18), stage="maintenance", indicators={}),
            Assessment(client_id=c2.id, placement_id=p2.id, kind="visit",
                       assessed_on=date(2026, 3, 3), stage="preparation", indicators={}),
            Closure(client_id=c1.id, bapas_id=c1.bapas_id, reason="served",
                    closed_on=date(2026, 3, 25), final_assessment="Selesai dengan baik.",
                    register_year=2026, register_seq=901, register_number="UJI/901/2026",
                    letter_number="W15.PAS.42-PK.01/901", minutes_verified=2400),
            ConductCase(client_id=c5.id, kind="violation", category="late_or_early",
                        occurred_on=date(2026, 3, 20), description="Pulang sebelum waktunya.",
                        status="recorded"),
            ConductCase(client_id=c5.id, kind="violation", category="absent_without_reason",
                        occurred_on=date(2026, 4, 10),
                        description="Tidak hadir tanpa alasan tiga kali.",
                        status="recommended", tpp_outcome="recommend_jaksa"),
        ]
    )  # fmt: skip

    f.make_placement(c6, s1, status="active")

    def litmas(c: Client) -> Litmas:
        return Litmas(client_id=c.id, number=f"LIT/{c.id}", made_on=date(2026, 1, 8),
                      social_summary="Tinggal bersama orang tua.",
                      recommendation="Kerja sosial.")  # fmt: skip

    def asesmen(c: Client, kind: str) -> IndividualAssessment:
        return IndividualAssessment(client_id=c.id, kind=kind, assessed_on=date(2026, 1, 9),
                                    findings="Temuan asesmen.")  # fmt: skip

    def rekomendasi(c: Client) -> JudgeRecommendation:
        return JudgeRecommendation(client_id=c.id, sent_on=date(2026, 1, 9), court="PN Ngawi",
                                   content="Pidana kerja sosial 40 jam.")  # fmt: skip

    db.session.add_all(
        [litmas(c) for c in (c1, c2, c3, c6, ct)]
        + [asesmen(c1, k) for k in ("social", "psychological", "skills")]
        + [asesmen(c2, k) for k in ("social", "skills")]
        + [asesmen(c6, k) for k in ("social", "psychological", "skills")]
        + [rekomendasi(c1), rekomendasi(c6)]
    )
    pt = f.make_placement(ct, st, status="active")
    _att(pt, date(2026, 2, 9), 8)
    db.session.flush()
    return World(
        agreement=ngawi,
        slots={"S1": s1, "S2": s2, "S3": s3, "S4": s4, "S5": s5, "S6": s6, "ST": st},
        clients={"C1": c1, "C2": c2, "C3": c3, "C4": c4, "C5": c5, "C6": c6, "CT": ct},
        other_agreement=other,
    )
