"""Demo clients: one plainly fictitious story of Bapas Madiun's clients in Ngawi.

Nine clients of Bapas Kelas II Madiun, at every stage of a sentence, placed in
the Ngawi demo slots (the slots area's builder runs first):

* waiting for a placement: dr. Bagus Hartono (a doctor convicted of medical
  negligence: the hospital's slots are never offered to him);
* booked, waiting for the OPD's answer: Wulan Sari (BPBD, a mother with a small
  child, so a site with child care), Yanto Prabowo (DLH), Fajar Nugroho (Dinas
  Sosial);
* accepted and just started, his first days waiting for RSUD's verification:
  Dedi Kurniawan;
* at work, with verified attendance over past weeks and the last days still
  waiting for the PJ: Joko Santoso (DLH, one recent session still without its
  outcome), Sri Wahyuni (Dinas Sosial);
* at work with a violation case in progress (team proposed, examination due):
  Rudi Hermawan (Dinas Sosial);
* closed as served, with its register number: Andi Firmansyah (DLH).

Dates are relative to the portal's today, so the story holds on any day:
nothing lies in the future, a day has at most 8 hours, a sentence at most 240
hours over at most six months. Every step goes through the same services as
the web, so every rule is checked; a step the rules refuse is left out.

Idempotent: a client is found by its decision number (prefix ``DEMO/``) and
each later step (booking, decision, attendance, visit, case, closure) is taken
only when its record does not exist yet.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from portal import clock, law
from portal.attendance.services import AttendanceInput, record_attendance, verify_attendance
from portal.clients.services import register_client
from portal.clients.validation import ClientData
from portal.demo.data import booking_times, week
from portal.demo.sessions import plan_from_start
from portal.demo.visits import has_visits, record_visit
from portal.extensions import db
from portal.matching.profiles import add_months
from portal.models import Attendance, Client, ConductCase, Placement, Role, Slot, User
from portal.models.work_session import WorkSession
from portal.placements.engine import default_schedule, rank_for
from portal.placements.services import (
    book_placement,
    decide_placement,
    holding_placement,
)
from portal.refusals import Refused
from portal.sessions import rules as session_rules
from portal.sessions.services import OutcomeInput, record_outcome
from portal.supervision.services import (
    close_case,
    closure_of,
    propose_team,
)

# Stages of the story, in the order a case goes through them.
WAITING, BOOKED, ACCEPTED, ACTIVE, VIOLATION, SERVED = (
    None,
    "booked",
    "accepted",
    "active",
    "violation",
    "served",
)


@dataclass(frozen=True)
class DemoClient:
    """One fictitious client and how far his case has gone."""

    pk: str
    full_name: str
    sex: str
    birth_date: date
    occupation: str
    profession_sector: str
    offence: str
    offence_via_profession: bool
    hours: int
    skills: list[str]
    special_needs: list[str]
    available: list[dict[str, Any]]
    home: tuple[float, float]
    stage: str | None
    start_days_ago: int  # the court's start date, days before today
    slot: str = ""  # the demo slot he goes to (the best-ranked one if absent)
    worked_share: float = 0.0  # 0: no work yet; a served case stops at this share
    dependants: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    open_session: bool = False  # a recent session whose outcome the site has not recorded yet


# What a demo client states in the portal's own terms (ClientData fields).
_PROFILE = (
    "full_name",
    "sex",
    "birth_date",
    "occupation",
    "profession_sector",
    "offence",
    "offence_via_profession",
    "skills",
    "special_needs",
    "available",
    "dependants",
)

# The first five keep their decision numbers (DEMO/1 ... DEMO/5) from earlier demos.
DEMO_CLIENTS: list[DemoClient] = [
    DemoClient(
        "pk.madiun", "Joko Santoso (Demo)", "L", date(1988, 3, 14), "Buruh bangunan", "other",
        "Pencurian ringan", False, 80, ["environment_cleaning"], [],
        week([0, 2, 4], "06:00", "14:00"), (-7.3980, 111.4520), ACTIVE, 42,
        slot="Kebersihan Alun-alun Ngawi (Demo)", worked_share=0.55, dependants=1,
        open_session=True,
    ),
    DemoClient(
        "pk.madiun", "Sri Wahyuni (Demo)", "P", date(1992, 8, 2), "Pedagang", "trade_industry",
        "Penggelapan ringan", False, 48, ["light_admin", "social_institution"],
        ["chronic_illness"], week([1, 3], "07:00", "14:00"), (-7.4102, 111.4391), ACTIVE, 35,
        slot="Dapur umum Dinas Sosial (Demo)", worked_share=0.45, dependants=2,
    ),
    DemoClient(
        "pk.madiun", "dr. Bagus Hartono (Demo)", "L", date(1979, 11, 23), "Dokter", "health",
        "Kelalaian medis", True, 160, ["teaching_training", "light_admin"], [],
        week(range(5), "08:00", "16:00"), (-7.4068, 111.4475), WAITING, 6,
    ),
    DemoClient(
        "pk2.madiun", "Rudi Hermawan (Demo)", "L", date(2000, 1, 9), "Mahasiswa", "education",
        "Perusakan barang", False, 48, ["environment_cleaning", "public_service"], [],
        week([0, 2], "07:00", "12:00"), (-7.3921, 111.4603), VIOLATION, 42,
        slot="Dapur umum Dinas Sosial (Demo)", worked_share=0.3,
    ),
    DemoClient(
        "pk2.madiun", "Wulan Sari (Demo)", "P", date(1995, 5, 30), "Ibu rumah tangga", "other",
        "Penghinaan ringan", False, 16, ["social_institution"], ["child_under_3"],
        week(range(5), "08:00", "11:00"), (-7.4150, 111.4300), BOOKED, 8,
        slot="Posko logistik bencana (Demo)", dependants=2,
    ),
    DemoClient(
        "pk.madiun", "Andi Firmansyah (Demo)", "L", date(1998, 7, 19), "Pengemudi ojek",
        "transport",
        "Penadahan ringan", False, 40, ["environment_cleaning"], [],
        week(range(6), "07:00", "12:00"), (-7.3990, 111.4380), SERVED, 60,
        slot="Perawatan taman Benteng Van den Bosch (Demo)", worked_share=1.0,
    ),
    DemoClient(
        "pk2.madiun", "Dedi Kurniawan (Demo)", "L", date(1985, 2, 11), "Petani", "other",
        "Penganiayaan ringan", False, 16, ["environment_cleaning"], [],
        week(range(5), "12:00", "17:00"), (-7.3960, 111.4500), ACTIVE, 4,
        slot="Kebersihan taman dan parkir rumah sakit (Demo)", worked_share=0.4, dependants=3,
    ),
    DemoClient(
        "pk.madiun", "Yanto Prabowo (Demo)", "L", date(1990, 10, 5), "Montir", "other",
        "Pencurian ringan", False, 16, ["environment_cleaning"], [],
        week(range(6), "06:00", "10:00"), (-7.4020, 111.4420), BOOKED, 5,
        slot="Kebersihan Alun-alun Ngawi (Demo)",
    ),
    DemoClient(
        "pk2.madiun", "Fajar Nugroho (Demo)", "L", date(2001, 4, 27), "Karyawan toko",
        "trade_industry", "Perbuatan tidak menyenangkan", False, 12, ["social_institution"], [],
        week(range(5), "08:00", "12:00"), (-7.4010, 111.4410), BOOKED, 3,
        slot="Dapur umum Dinas Sosial (Demo)",
    ),
]  # fmt: skip

# The last week of attendance still waits for the PJ, as on a real site.
UNVERIFIED_DAYS = 7
# The violation: the last scheduled day at least this many days ago, missed without reason.
VIOLATION_DAYS_AGO = 9
# An ``open_session`` story: the site has not recorded the outcome of its last scheduled day
# at least this many days ago; the session is overdue for the PK and the Kepala Bapas.
OPEN_DAYS_AGO = 4


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def _decision_number(i: int, year: int) -> str:
    return f"DEMO/{i}/Pid.C/{year}/PN Ngw"


def build_demo_clients() -> None:
    """Create the demo clients once and take each as far as its stage (see module doc)."""
    head = _user("kabapas.madiun")
    if head is None or head.bapas_id is None:
        return
    if head.bapas is not None and not head.bapas.letter_pattern:
        # The demo admin has set the numbering of the Bapas's letters.
        head.bapas.letter_pattern = DEMO_LETTER_PATTERN
    today = clock.today()
    for i, demo in enumerate(DEMO_CLIENTS, start=1):
        number = _decision_number(i, today.year)
        client = db.session.scalar(select(Client).where(Client.decision_number == number))
        pk = _user(demo.pk)
        if client is None and pk is not None:
            client = _register(i, demo, number, pk, head, today)
        if client is None or demo.stage is WAITING:
            continue
        placement = holding_placement(client)
        if placement is None and client.status == "registered":
            placement = _book(client, demo, head)
            if placement is not None:
                # Booked when the story says, not on the day the demo is built.
                placement.booked_at = booking_times(placement.start_date, today)[0]
        if placement is None:
            continue
        if demo.stage == BOOKED:
            continue
        if placement.status == "booked":
            _accept(placement)
            placement.decided_at = booking_times(placement.start_date, today)[1]
        if demo.stage == ACCEPTED or placement.client.pk is None:
            continue
        _work(placement, demo, today)
        if demo.stage == VIOLATION:
            _violation(client, today)
        if demo.stage == SERVED:
            _close(client, head)


def _fitting_hours(demo: DemoClient, start: date) -> int:
    """The ordered hours, cut to what the story's slot can still take before it expires.

    A slot ends with the agreement, and a booking must let the client finish
    before then; on a later day of the demo the sentences are simply shorter.
    """
    slot = db.session.scalar(select(Slot).where(Slot.title == demo.slot)) if demo.slot else None
    if slot is None or slot.valid_until is None:
        return demo.hours
    free = {int(w["weekday"]) for w in demo.available}
    minutes, day = 0, start
    while day <= min(slot.valid_until, add_months(start, law.MAX_MONTHS)):
        for w in slot.schedule or []:
            if int(w["weekday"]) == day.weekday() and day.weekday() in free:
                minutes += _minutes(w["start"], w["end"])
                break
        day += timedelta(days=1)
    return max(law.ADULT_HOURS[0], min(demo.hours, minutes // 60 // 4 * 4))


def _register(i: int, demo: DemoClient, number: str, pk: User, head: User, today: date) -> Client:
    start = today - timedelta(days=demo.start_days_ago)
    return register_client(
        ClientData(
            **{name: getattr(demo, name) for name in _PROFILE},
            birth_place="Ngawi",
            address="Alamat fiktif untuk demo, Kabupaten Ngawi",
            home_lat=demo.home[0],
            home_lng=demo.home[1],
            decision_number=number,
            decision_date=start - timedelta(days=14),
            court="Pengadilan Negeri Ngawi",
            execution_order_number=f"DEMO-EKS/{i}/{today.year}",
            hours_ordered=_fitting_hours(demo, start),
            start_date=start,
            deadline=add_months(start, law.MAX_MONTHS),
            document_checks={k: True for k in ("issuer", "name", "identity", "signature")},
            notes="Data fiktif untuk demonstrasi.",
            pk_id=pk.id,
        ),
        head,
    )


def _book(client: Client, demo: DemoClient, actor: User) -> Any:
    """Book the story's slot, else the best-scoring slot that takes the client."""
    slots, ranking = rank_for(client)
    scores = ranking.evaluation.scores
    order = sorted(range(len(ranking.table)), key=lambda i: -scores[i])
    candidates = [slots[int(ranking.table.ids[i])] for i in order]
    candidates.sort(key=lambda s: s.title != demo.slot)  # the story's slot first, if offered
    for slot in candidates:
        try:
            with db.session.begin_nested():
                return book_placement(
                    client,
                    slot.id,
                    # The story began weeks ago: from the court's start, inside the slot.
                    max(client.start_date, slot.valid_from),
                    default_schedule(client, slot.schedule),
                    actor,
                )
        except Refused:
            continue
    return None


def _opd_admin(slot: Slot) -> User | None:
    return db.session.scalar(
        select(User).where(User.opd_id == slot.opd_id, User.role == Role.OPD_ADMIN).limit(1)
    )


def _verifier(slot: Slot) -> User | None:
    """The slot's PJ when it names one, else its OPD admin."""
    if slot.supervisor_user_id is not None:
        return db.session.get(User, slot.supervisor_user_id)
    return _opd_admin(slot)


def _accept(placement: Any) -> None:
    admin = _opd_admin(placement.slot)
    if admin is not None:
        decide_placement(placement, True, "Lokasi siap menerima klien (demo).", admin)


def _scheduled_days(placement: Any, until: date) -> list[tuple[date, dict[str, Any]]]:
    """The scheduled days from the start to the day before ``until``."""
    days, day = [], placement.start_date
    while day < until and day <= placement.deadline:
        windows = [w for w in placement.schedule or [] if int(w["weekday"]) == day.weekday()]
        if windows:
            days.append((day, windows[0]))
        day += timedelta(days=1)
    return days


def _work(placement: Any, demo: DemoClient, today: date) -> None:
    """Attendance on every scheduled day since the start (the rules stop it at the hours)."""
    has_work = db.session.scalar(
        select(func.count(Attendance.id)).where(Attendance.placement_id == placement.id)
    )
    if has_work or demo.worked_share <= 0:
        return
    pk = placement.client.pk
    verifier = _verifier(placement.slot)
    days = _scheduled_days(placement, today)
    if not days:
        return
    first = days[0][1]
    per_day = _minutes(first["start"], first["end"])
    wanted = math.ceil(demo.worked_share * demo.hours * 60 / max(per_day, 1))
    missed: list[date] = []
    if demo.stage == SERVED:
        days = days[:wanted]  # worked steadily from the start, long finished
    else:
        # The sessions as planned on the first day: each day worked below fills its own.
        plan_from_start(placement)
    if demo.open_session:
        unrecorded = [d for d, _w in days if d <= today - timedelta(days=OPEN_DAYS_AGO)][-1:]
        days = [(d, w) for d, w in days if d not in unrecorded]
    if demo.stage == VIOLATION:
        # A scheduled day missed without reason, the one the violation record is about.
        missed_until = today - timedelta(days=VIOLATION_DAYS_AGO)
        missed = [d for d, _w in days if d <= missed_until][-1:]
        days = [(d, w) for d, w in days if d not in missed]
    for day, window in days:
        entry = AttendanceInput(
            day,
            _time(window["start"]),
            _time(window["end"]),
            placement.slot.tasks or placement.slot.title,
        )
        try:
            with db.session.begin_nested():
                record = record_attendance(placement, entry, verifier or pk)
        except Refused:
            continue  # e.g. the ordered hours are all worked
        fresh = (today - day).days <= UNVERIFIED_DAYS and demo.stage != SERVED
        if verifier is not None and not fresh:
            verify_attendance(record, verifier)
            # Verified on the day itself, not on the day the demo was loaded.
            record.verified_at = datetime.combine(day, time(11, 0), tzinfo=UTC)
    for day in missed:
        _absent(placement, day, verifier or pk)
    _visits(placement, pk, days)


def _absent(placement: Any, day: date, recorder: User) -> None:
    """The PJ records the day's session as an unacceptable absence: the enforcement service
    writes the violation record (category ``absence``) and plans a make-up session."""
    session = db.session.scalar(
        select(WorkSession)
        .where(WorkSession.placement_id == placement.id, WorkSession.session_date == day)
        .order_by(WorkSession.start)
        .limit(1)
    )
    if session is None or session.outcome is not None:
        return
    entry = OutcomeInput(
        session_rules.UNACCEPTABLE_ABSENCE,
        reason="Tidak datang dan tidak memberi kabar; tidak dapat dihubungi (demo).",
    )
    with contextlib.suppress(Refused):
        record_outcome(session, entry, recorder)


def _visits(placement: Any, pk: User, days: list[tuple[date, dict[str, Any]]]) -> None:
    """A PK visit (Lampiran IV) every few weeks of work."""
    if has_visits(placement):
        return
    for n, (day, _window) in enumerate(days[::8]):
        stage = "preparation" if n == 0 else "action"
        note = "Kunjungan rutin PK di lokasi kerja sosial (demo)."
        record_visit(placement, pk, day, late=n == 0, stage=stage, note=note)


def _violation(client: Client, today: date) -> None:
    """The record the missed session opened: team proposed; the examination is still due."""
    case = db.session.scalar(select(ConductCase).where(ConductCase.client_id == client.id))
    if case is None or case.status != "recorded":
        return
    pk = client.pk
    assert pk is not None  # every demo client has his PK
    propose_team(
        case,
        f"{pk.full_name}; Kasubsi Bimbingan Klien Dewasa (Demo); PJ lokasi Dinas Sosial (Demo)",
        today - timedelta(days=5),
        pk,
    )


DEMO_LETTER_PATTERN = "W15.PAS.PAS42-PK.01.05.02-{seq}"


def _close(client: Client, head: User) -> None:
    """Every hour verified: the Kepala Bapas closes the case, with its register number."""
    if closure_of(client) is not None:
        return
    last = db.session.scalar(
        select(func.max(Attendance.work_date))
        .join(Placement, Placement.id == Attendance.placement_id)
        .where(Placement.client_id == client.id)
    )
    closed_on = (last or clock.today()) + timedelta(days=3)
    closed_on = min(closed_on, clock.today())
    with contextlib.suppress(Refused):
        close_case(
            client,
            "served",
            closed_on,
            "Klien menjalani seluruh jam kerja sosial dengan disiplin dan sikap baik (demo).",
            "",  # the next number of the register
            head,
        )


def _minutes(start: str, end: str) -> int:
    return (datetime.strptime(end, "%H:%M") - datetime.strptime(start, "%H:%M")).seconds // 60


def _time(text: str) -> time:
    return datetime.strptime(text, "%H:%M").time()
