"""The hard placement rules of DOMAIN.md, one function per rule.

Each rule takes the client's profile, the slot and a :class:`Context` and returns
a :class:`RuleViolation` (an API.md code and an Indonesian sentence) or None. A
slot that breaks any rule is not offered, and the portal says why.

These functions are the reference: :mod:`portal.matching.ranking` evaluates the
same rules for thousands of slots at once with NumPy, and the tests check that
both agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from portal import law
from portal.codes import (
    FACILITIES,
    MONTHS,
    PRAYER_ROOM_NEED,
    PRAYER_ROOM_NEED_LABEL,
    RISKS,
    SECTORS,
    SPECIAL_NEED_REQUIREMENTS,
    SPECIAL_NEEDS,
    WEEKDAYS,
)
from portal.matching.profiles import (
    ClientProfile,
    PlacementRequest,
    SlotProfile,
    Thresholds,
    add_months,
    covered_by,
    day_minutes,
    haversine_km,
    overlap_minutes,
    overlapping,
    weekday_counts,
)
from portal.refusals import RuleViolation

# Place types tied to a professional field (Pedoman table 1): a doctor convicted of
# malpractice is kept out of every hospital, whatever sector the slot declares.
SECTOR_PLACE_TYPES: dict[str, frozenset[str]] = {
    "health": frozenset({"hospital"}),
    "education": frozenset({"school"}),
    "social_care": frozenset({"orphanage", "elderly_home", "social_welfare", "social_work"}),
}

PLACE_TYPE_LABELS: dict[str, str] = {
    "hospital": "rumah sakit",
    "school": "sekolah",
    "orphanage": "panti asuhan",
    "elderly_home": "panti lansia",
    "social_welfare": "lembaga kesejahteraan sosial",
    "social_work": "pekerjaan sosial",
}

# API.md rule codes with a short Indonesian label (PAID_WORK is added for NK Pasal 7(2)).
RULE_LABELS: dict[str, str] = {
    "PROFESSION_CONFLICT": "Bertentangan dengan profesi terkait tindak pidana",
    "VICTIM_PROXIMITY": "Terlalu dekat dengan korban",
    "TOO_FAR": "Terlalu jauh dari rumah",
    "VULNERABLE_CONTACT": "Kontak dengan kelompok rentan",
    "CONFIDENTIAL_DATA": "Akses data rahasia",
    "TECHNICAL_RISK": "Pekerjaan teknis berisiko",
    "SAFETY_RISK": "Risiko fisik tanpa keahlian",
    "SPECIAL_NEEDS_UNMET": "Kebutuhan khusus tidak terpenuhi",
    "HEALTH_CLEARANCE": "Belum ada keterangan sehat",
    "PAID_WORK": "Tidak dijamin tanpa upah",
    "SCHEDULE_CONFLICT": "Jadwal tidak cocok",
    "DAILY_HOURS_EXCEEDED": "Melebihi 8 jam sehari",
    "TOTAL_HOURS_EXCEEDED": "Melebihi jumlah jam",
    "DEADLINE_EXCEEDED": "Melewati batas waktu",
    "AGREEMENT_NOT_ACTIVE": "Kesepakatan tidak berlaku",
    "SLOT_NOT_PUBLISHED": "Slot belum terbit",
    "CAPACITY_FULL": "Kapasitas penuh",
}


def rule_label(code: str) -> str:
    """A rule's short Indonesian name (never its code)."""
    return RULE_LABELS.get(code, "Aturan penempatan")


def rule_slug(code: str) -> str:
    """A rule in a link: its Indonesian name in lower case with dashes
    ("terlalu-jauh-dari-rumah"), so no code shows in the address bar."""
    return "-".join(re.findall(r"[a-z0-9]+", rule_label(code).lower()))


@dataclass(frozen=True)
class Context:
    """Everything a rule needs beyond the client and the slot."""

    today: date
    thresholds: Thresholds = field(default_factory=Thresholds)
    request: PlacementRequest | None = None


Rule = Callable[[ClientProfile, SlotProfile, Context], RuleViolation | None]


def km(value: float) -> str:
    """A distance as Indonesians write it: '2,4 km'."""
    return f"{value:.1f}".replace(".", ",") + " km"


def hours_text(value: float) -> str:
    """'12 jam' or '12,5 jam'."""
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} jam"


def tanggal(day: date) -> str:
    """'3 November 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def travel_limit_km(client: ClientProfile, thresholds: Thresholds) -> float:
    """The client's own travel limit, or the portal's default."""
    if client.max_travel_km is not None and client.max_travel_km > 0:
        return client.max_travel_km
    return thresholds.default_max_travel_km


def first_start_day(client_start: date, slot_valid_from: date, today: date) -> date:
    """The first day both the client and the slot allow work to start, never before today.

    One definition for "offered means bookable": matching plans the hours from this
    day, and the booking form pre-fills it (``portal.placements.engine.default_start``).
    """
    return max(client_start, slot_valid_from, today)


def planning_start(client: ClientProfile, ctx: Context) -> date:
    """The booking's start, else the later of the client's start and today.

    Against a slot, the work starts at ``first_start_day`` (this day or the slot's
    first valid day, whichever is later).
    """
    if ctx.request is not None:
        return ctx.request.start_date
    return max(client.start_date, ctx.today)


def legal_deadline(client: ClientProfile, thresholds: Thresholds) -> date:
    """Six months after the start of the sentence (KUHP Pasal 85)."""
    return add_months(client.start_date, thresholds.max_months)


# --- 1. profession -----------------------------------------------------------------


def profession_conflict(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """Not in the field or institution of the profession through which the offence was done."""
    if not c.offence_via_profession or c.profession_sector in ("", "other"):
        return None
    tied_places = SECTOR_PLACE_TYPES.get(c.profession_sector, frozenset())
    if s.sector != c.profession_sector and s.place_type not in tied_places:
        return None
    field_name = SECTORS.get(c.profession_sector, c.profession_sector).lower()
    where = PLACE_TYPE_LABELS.get(s.place_type) if s.place_type in tied_places else None
    where = where or f"bidang {SECTORS.get(s.sector, s.sector).lower()}"
    return RuleViolation(
        "PROFESSION_CONFLICT",
        f"Tindak pidana dilakukan melalui profesi klien di bidang {field_name}; "
        f"klien tidak boleh ditempatkan di {where}.",
    )


# --- 2. victim ---------------------------------------------------------------------


def victim_proximity(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """Not near the victim's home or work."""
    limit = ctx.thresholds.victim_min_distance_km
    for place in c.victim_places:
        dist = haversine_km(place.lat, place.lng, s.location.lat, s.location.lng)
        if dist < limit:
            label = place.label or "tempat korban"
            return RuleViolation(
                "VICTIM_PROXIMITY",
                f"Lokasi slot hanya {km(dist)} dari {label} (minimal {km(limit)}).",
            )
    return None


# --- 3. travel ---------------------------------------------------------------------


def too_far(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """Within the distance the client can travel from home."""
    if c.home is None:
        return RuleViolation(
            "TOO_FAR", "Lokasi rumah klien belum diisi, jarak tempuh tidak dapat diperiksa."
        )
    limit = travel_limit_km(c, ctx.thresholds)
    dist = haversine_km(c.home.lat, c.home.lng, s.location.lat, s.location.lng)
    if dist > limit:
        return RuleViolation(
            "TOO_FAR", f"Jarak dari rumah {km(dist)} melebihi batas tempuh klien {km(limit)}."
        )
    return None


# --- 4-7. kinds of work --------------------------------------------------------------


def vulnerable_contact(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """No direct contact with vulnerable groups, unless the Kepala Bapas recorded an exception."""
    if "vulnerable_contact" in s.risks and not c.vulnerable_contact_exception:
        return RuleViolation(
            "VULNERABLE_CONTACT",
            "Pekerjaan ini berinteraksi langsung dengan kelompok rentan (anak, lansia, "
            "penyandang disabilitas, orang sakit) dan tidak ada pengecualian dari Kepala Bapas.",
        )
    return None


def confidential_data(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """No access to confidential data, documents or information."""
    if "confidential_data" in s.risks:
        return RuleViolation(
            "CONFIDENTIAL_DATA", "Pekerjaan ini memberi akses ke data atau dokumen rahasia."
        )
    return None


def technical_risk(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """No work with electricity, machines or equipment that needs special skill."""
    if "technical_work" in s.risks:
        return RuleViolation(
            "TECHNICAL_RISK",
            "Pekerjaan ini memakai listrik, mesin atau peralatan yang memerlukan keahlian khusus.",
        )
    return None


def safety_risk(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """No high physical-risk work without the skill for it."""
    if "physical_risk" in s.risks and not c.physical_risk_skill:
        return RuleViolation(
            "SAFETY_RISK",
            "Pekerjaan ini berisiko fisik tinggi dan klien tidak tercatat memiliki keahliannya.",
        )
    return None


# --- 8. special needs ----------------------------------------------------------------


def need_label(need: str) -> str:
    """The Indonesian name of a special need (or of the client's prayer-room request)."""
    if need == PRAYER_ROOM_NEED:
        return PRAYER_ROOM_NEED_LABEL
    return SPECIAL_NEEDS.get(need, need)


def unmet_needs(c: ClientProfile, s: SlotProfile) -> list[str]:
    """For each special need the slot cannot meet, what is missing and the Pedoman's words."""
    problems = []
    # s.facilities already holds what its facilities count as (codes.effective_facilities,
    # applied when the profile is built), so the vectorised ranking reads the same set.
    offered = s.facilities
    for need in sorted(c.special_needs):
        req = SPECIAL_NEED_REQUIREMENTS.get(need)
        if req is None:
            continue
        missing = [FACILITIES[f].lower() for f in req["facilities"] if f not in offered]
        risky = [RISKS[r].lower() for r in req["forbidden_risks"] if r in s.risks]
        parts = []
        if missing:
            parts.append("tidak ada " + ", ".join(missing))
        if risky:
            parts.append("pekerjaan dengan " + ", ".join(risky))
        if parts:
            words = "; ".join(req.get("pedoman", ()))
            problems.append(
                f"{need_label(need).lower()}: {' dan '.join(parts)}"
                + (f" — {words}" if words else "")
            )
    return problems


def special_needs_unmet(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """The site provides what the client's special needs require (API.md table)."""
    problems = unmet_needs(c, s)
    if problems:
        return RuleViolation(
            "SPECIAL_NEEDS_UNMET", "Kebutuhan khusus tidak terpenuhi (" + "; ".join(problems) + ")."
        )
    return None


# --- 9. health -------------------------------------------------------------------------


def health_clearance(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """An infectious illness keeps the client away until a medical statement."""
    if not c.health_cleared:
        return RuleViolation(
            "HEALTH_CLEARANCE",
            "Klien belum memiliki surat keterangan sehat dari dokter; belum boleh bekerja.",
        )
    return None


# --- 10. unpaid ---------------------------------------------------------------------------


def paid_work(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """The work is unpaid and not commercial (NK Pasal 7(2), KUHP Pasal 85(3))."""
    if not s.unpaid_confirmed:
        return RuleViolation(
            "PAID_WORK",
            "OPD belum menyatakan bahwa pekerjaan ini tanpa upah dan tidak bersifat komersial.",
        )
    return None


# --- 11. schedule ------------------------------------------------------------------------


def schedule_conflict(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """The work happens inside the slot's hours and the client's allowed days and hours."""
    req = ctx.request
    if req is None:
        if sum(overlap_minutes(s.schedule, c.available)) == 0:
            return RuleViolation(
                "SCHEDULE_CONFLICT",
                "Jadwal slot tidak bertemu dengan hari dan jam yang tersedia bagi klien.",
            )
        return None
    problems = []
    if not req.schedule:
        problems.append("jadwal mingguan belum diisi")
    if overlapping(req.schedule):
        problems.append("ada jam yang tumpang tindih")
    for w in req.schedule:
        if not covered_by(w, s.schedule):
            problems.append(f"{w.label()} di luar jam kerja slot")
        elif not covered_by(w, c.available):
            problems.append(f"{w.label()} di luar waktu yang tersedia bagi klien")
    if req.start_date < c.start_date:
        problems.append(f"tanggal mulai sebelum awal pidana ({tanggal(c.start_date)})")
    if not s.valid_from <= req.start_date <= s.valid_until:
        problems.append(
            f"tanggal mulai di luar masa berlaku slot ({tanggal(s.valid_from)} sampai "
            f"{tanggal(s.valid_until)})"
        )
    if problems:
        text = "Jadwal tidak sesuai: " + "; ".join(problems) + "."
        return RuleViolation("SCHEDULE_CONFLICT", text)
    return None


def daily_hours_exceeded(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """At most 8 hours of work in one day (KUHP Pasal 85)."""
    if ctx.request is None:
        return None  # ranking caps each day at the limit itself
    limit = ctx.thresholds.max_daily_minutes
    over = [
        f"{WEEKDAYS[d]} {hours_text(m / 60)}"
        for d, m in enumerate(day_minutes(ctx.request.schedule))
        if m > limit
    ]
    if over:
        return RuleViolation(
            "DAILY_HOURS_EXCEEDED",
            f"Jadwal melebihi {hours_text(limit / 60)} sehari: " + ", ".join(over) + ".",
        )
    return None


def total_hours_exceeded(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """Hours within the law (adult 8-240, child 7-120) and not more than remain to serve."""
    low, high = law.hours_range(c.is_child)
    if not low <= c.hours_ordered <= high:
        who = "anak" if c.is_child else "dewasa"
        return RuleViolation(
            "TOTAL_HOURS_EXCEEDED",
            f"Jumlah jam pidana {hours_text(c.hours_ordered)} di luar batas {low} sampai "
            f"{high} jam untuk klien {who}.",
        )
    req = ctx.request
    if req is not None and req.hours_planned is not None and req.hours_planned > c.hours_remaining:
        return RuleViolation(
            "TOTAL_HOURS_EXCEEDED",
            f"Jam yang direncanakan {hours_text(req.hours_planned)} melebihi sisa pidana "
            f"{hours_text(c.hours_remaining)}.",
        )
    return None


def weekly_minutes(c: ClientProfile, s: SlotProfile, ctx: Context) -> list[int]:
    """Minutes of work possible on each weekday, capped at the daily limit."""
    cap = ctx.thresholds.max_daily_minutes
    if ctx.request is not None:
        per_day = day_minutes(ctx.request.schedule)
    else:
        per_day = overlap_minutes(s.schedule, c.available)
    return [min(cap, m) for m in per_day]


def deadline_exceeded(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """The hours can be worked within six months of the start, and while the slot is valid."""
    legal = legal_deadline(c, ctx.thresholds)
    if c.deadline > legal:
        return RuleViolation(
            "DEADLINE_EXCEEDED",
            f"Batas waktu {tanggal(c.deadline)} melewati enam bulan sejak mulai "
            f"({tanggal(legal)}).",
        )
    start = planning_start(c, ctx)
    if start > c.deadline:
        return RuleViolation(
            "DEADLINE_EXCEEDED", f"Tanggal mulai sesudah batas waktu {tanggal(c.deadline)}."
        )
    per_day = weekly_minutes(c, s, ctx)
    if sum(per_day) == 0:
        return None  # no common hours at all: SCHEDULE_CONFLICT says so
    first = start if ctx.request is not None else first_start_day(start, s.valid_from, ctx.today)
    first = max(first, s.valid_from)
    last = min(c.deadline, s.valid_until)
    counts = weekday_counts(first, last)
    possible = sum(n * m for n, m in zip(counts, per_day, strict=True))
    needed = c.hours_remaining * 60
    if ctx.request is not None and ctx.request.hours_planned is not None:
        needed = min(needed, ctx.request.hours_planned * 60)
    if possible < needed:
        until = "berakhirnya slot" if s.valid_until < c.deadline else "batas waktu"
        return RuleViolation(
            "DEADLINE_EXCEEDED",
            f"Dengan jadwal ini hanya {hours_text(possible / 60)} dapat dikerjakan sampai "
            f"{until} ({tanggal(last)}), sedangkan sisa pidana {hours_text(needed / 60)}.",
        )
    return None


# --- the agreement and the slot ----------------------------------------------------------


def agreement_not_active(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """The slot belongs to an agreement in force between the client's Bapas and the Pemda."""
    if (
        c.bapas_id is not None
        and s.agreement_bapas_id is not None
        and c.bapas_id != s.agreement_bapas_id
    ):
        return RuleViolation(
            "AGREEMENT_NOT_ACTIVE", "Slot ini tidak termasuk kesepakatan Bapas klien."
        )
    if not s.agreement_active:
        return RuleViolation(
            "AGREEMENT_NOT_ACTIVE", "Kesepakatan yang menaungi slot ini sedang tidak berlaku."
        )
    return None


def slot_not_published(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """Only published slots take clients."""
    if s.status != "published":
        return RuleViolation("SLOT_NOT_PUBLISHED", "Slot ini belum terbit atau sudah ditutup.")
    return None


def capacity_full(c: ClientProfile, s: SlotProfile, ctx: Context) -> RuleViolation | None:
    """A seat must be free."""
    if s.free_seats <= 0:
        return RuleViolation("CAPACITY_FULL", f"Semua {s.capacity} kursi slot ini sudah terisi.")
    return None


RULES: dict[str, Rule] = {
    "PROFESSION_CONFLICT": profession_conflict,
    "VICTIM_PROXIMITY": victim_proximity,
    "TOO_FAR": too_far,
    "VULNERABLE_CONTACT": vulnerable_contact,
    "CONFIDENTIAL_DATA": confidential_data,
    "TECHNICAL_RISK": technical_risk,
    "SAFETY_RISK": safety_risk,
    "SPECIAL_NEEDS_UNMET": special_needs_unmet,
    "HEALTH_CLEARANCE": health_clearance,
    "PAID_WORK": paid_work,
    "SCHEDULE_CONFLICT": schedule_conflict,
    "DAILY_HOURS_EXCEEDED": daily_hours_exceeded,
    "TOTAL_HOURS_EXCEEDED": total_hours_exceeded,
    "DEADLINE_EXCEEDED": deadline_exceeded,
    "AGREEMENT_NOT_ACTIVE": agreement_not_active,
    "SLOT_NOT_PUBLISHED": slot_not_published,
    "CAPACITY_FULL": capacity_full,
}


def check_placement(
    client: ClientProfile,
    slot: SlotProfile,
    request: PlacementRequest | None = None,
    *,
    today: date,
    thresholds: Thresholds | None = None,
    only: tuple[str, ...] | None = None,
) -> list[RuleViolation]:
    """Every hard rule the placement breaks (empty when it is allowed).

    Without ``request`` the slot is checked as a candidate for the client (its
    hours against his availability); with it, the booking's own start date and
    weekly schedule are checked. ``only`` restricts the check to some codes.
    """
    ctx = Context(today=today, thresholds=thresholds or Thresholds(), request=request)
    found = []
    for code, rule in RULES.items():
        if only is not None and code not in only:
            continue
        violation = rule(client, slot, ctx)
        if violation is not None:
            found.append(violation)
    return found
