"""Writing and reading work slots: every rule of portal.slots.rules enforced here.

The web pages and the API call these functions; they flush and write the audit
log, and the request commits once.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVarTuple

from sqlalchemy import (
    Integer,
    Row,
    Select,
    String,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import joinedload

from portal import audit, cache, clock, policy
from portal.agreements.services import agreement_active_on
from portal.codes import FACILITIES, FACILITY_IMPLIES, effective_facilities
from portal.extensions import db, plain_rows
from portal.listing import PAGE_IDS, columns, in_order
from portal.locking import lock_slot
from portal.models import (
    Agreement,
    Bapas,
    Opd,
    Pemda,
    PlaceType,
    Role,
    Slot,
    User,
)
from portal.models.base import utcnow
from portal.pagination import bounded, bounds
from portal.refusals import Refused, RuleViolation
from portal.slots.maps import MapSlot
from portal.slots.partners import PARTNER_KINDS, PKS_KINDS, pks_in_force
from portal.slots.rules import SlotContext, check_slot, schedule_text

# Fields of a slot that a caller may set (opd, agreement, status and audit fields excluded).
EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "category",
    "tasks",
    "description",
    "place_type",
    "sector",
    "address",
    "lat",
    "lng",
    "capacity",
    "schedule",
    "valid_from",
    "valid_until",
    "supervisor_name",
    "supervisor_position",
    "supervisor_phone",
    "supervisor_user_id",
    "facilities",
    "complaint_contact",
    "risks",
    "physical_risk_skill",
    "unpaid_confirmed",
)
TEXT_DEFAULTS: dict[str, Any] = {
    "tasks": "",
    "description": "",
    "supervisor_position": "",
    "supervisor_phone": "",
    "physical_risk_skill": "",
    "complaint_contact": "",
    "facilities": [],
    "risks": [],
    "schedule": [],
    "supervisor_user_id": None,
    "unpaid_confirmed": False,
}


@dataclass(frozen=True)
class SlotFilters:
    """Filters of the slot list and the map (all optional)."""

    opd_id: int | None = None
    category: str | None = None
    facility: str | None = None
    available: bool = False
    status: str | None = None
    q: str | None = None


# --- reading -----------------------------------------------------------------

Columns = TypeVarTuple("Columns")


def agreement_for_opd(opd: Opd) -> Agreement | None:
    """The agreement of the OPD's Pemda: the one in force, else the latest."""
    agreements = list(
        db.session.scalars(
            select(Agreement)
            .where(Agreement.pemda_id == opd.pemda_id)
            .order_by(Agreement.signed_on.desc().nulls_last(), Agreement.id.desc())
        )
    )
    for agreement in agreements:
        if agreement_active_on(agreement):
            return agreement
    return agreements[0] if agreements else None


def seats_in_use(slot_id: int) -> int:
    """Placements holding a seat of the slot (booked, accepted or active), as kept on it."""
    return occupied_counts([slot_id]).get(slot_id, 0)


def occupied_counts(slot_ids: Iterable[int]) -> dict[int, int]:
    """Seats in use for many slots, read from the count kept on each slot."""
    ids = list(slot_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Slot.id, Slot.occupied).where(Slot.id.in_(ids)))
    return {slot_id: count for slot_id, count in rows}


def slots_query(
    user: User, filters: SlotFilters, published_only: bool = False
) -> Select[Slot, int]:
    """Slots the user may see, with their occupied seats, filtered; newest first."""
    used = Slot.occupied
    stmt = select(Slot, used.label("occupied")).options(joinedload(Slot.opd))
    stmt = _in_scope(stmt, user, filters, published_only)
    return stmt.order_by(Slot.updated_at.desc(), Slot.id.desc())


def slot_ids(user: User, filters: SlotFilters) -> Select[tuple[int]]:
    """The ids of the slots the user may see, filtered: a narrow statement that a list
    sorts, pages and counts on the slot's indexes before reading the rows it shows."""
    return _in_scope(select(Slot.id), user, filters)


# A Bapas's agreements past which a page is sorted whole rather than merged per agreement.
MERGED_AGREEMENTS_MAX = 20

# How many of each agreement's first slots a merged page reads (its offset and limit).
_PART = bindparam("part_limit", type_=Integer())


@dataclass(frozen=True)
class SlotPage:
    """A slot list's statements for one reader, filters and sort: the count of its slots
    and one page of their ids, the page's bounds (and each agreement's share) bound at
    each view (``page_of_slots``)."""

    count: Select[Any]
    page: Select[Any]


def merged_agreements(user: User) -> tuple[int, ...]:
    """The agreements whose slots a page of the user's list merges, each read in order off
    its own index; none (a page sorted whole) outside a Bapas or past
    MERGED_AGREEMENTS_MAX."""
    if not policy.on_bapas_side(user):
        return ()
    found = tuple(plain_rows(select(Agreement.id).where(policy.agreements_scope(user))).scalars())
    return found if len(found) <= MERGED_AGREEMENTS_MAX else ()


def slot_page(
    user: User,
    filters: SlotFilters,
    keys: Sequence[Any],
    descending: bool,
    agreements: Sequence[int],
) -> SlotPage:
    """The statements of ``slot_ids`` sorted by ``keys`` (expressions of Slot, the last one
    unique), all ascending or all ``descending``.

    A Bapas sees the slots of its agreements: each agreement's first ``offset + limit``
    slots are read in order off its own index and only those are sorted, instead of
    sorting every slot of every agreement (5,000 for one Bapas) for each page.
    """

    def sorted_by(columns: Sequence[Any]) -> list[Any]:
        return [c.desc() if descending else c.asc() for c in columns]

    ids = slot_ids(user, filters)
    count = select(func.count()).select_from(ids.subquery())
    if not agreements:
        return SlotPage(count, bounded(ids.order_by(*sorted_by(keys))))
    parts = [
        ids.add_columns(*[k.label(f"k{i}") for i, k in enumerate(keys)])
        .where(Slot.agreement_id == agreement_id)
        .order_by(*sorted_by(keys))
        .limit(_PART)
        .subquery()
        .select()
        for agreement_id in agreements
    ]
    merged = union_all(*parts).subquery()
    resorted = sorted_by([merged.c[f"k{i}"] for i in range(len(keys))])
    return SlotPage(count, bounded(select(merged.c.id).order_by(*resorted)))


def page_of_slots(statements: SlotPage, limit: int, offset: int) -> list[int]:
    """``limit`` ids of ``statements``' list from ``offset``."""
    values = {**bounds(offset, limit), "part_limit": offset + limit}
    return list(plain_rows(statements.page, values).scalars())


# What the slot list shows of a slot.
SLOT_ROW = "id title address category capacity occupied valid_until status"


def slot_rows(ids: Sequence[int]) -> list[Row[Any]]:
    """The list's rows of the slots ``ids`` (already chosen in the user's scope), with the
    OPD's short name, in that order: read by primary key in one statement."""
    return in_order(_slot_rows(), ids)


@functools.cache
def _slot_rows() -> Select[Any]:
    # Built once (a statement built afresh costs its construction and cache key each view).
    stmt = select(
        *columns(Slot, SLOT_ROW),
        # The JSON text: most slots share a few schedules, each read once.
        cast(Slot.schedule, String).label("schedule"),
        Opd.short_name.label("opd_name"),
    )
    return stmt.join(Opd, Opd.id == Slot.opd_id).where(Slot.id.in_(PAGE_IDS))


def _in_scope(
    stmt: Select[*Columns], user: User, filters: SlotFilters, published_only: bool = False
) -> Select[*Columns]:
    stmt = stmt.where(policy.slots_scope(user))
    if published_only:
        stmt = stmt.where(Slot.status == "published")
    elif filters.status:
        stmt = stmt.where(Slot.status == filters.status)
    return _apply_filters(stmt, filters, Slot.occupied)


def _apply_filters(stmt: Select[*Columns], filters: SlotFilters, used: Any) -> Select[*Columns]:
    if filters.opd_id:
        stmt = stmt.where(Slot.opd_id == filters.opd_id)
    if filters.category:
        stmt = stmt.where(Slot.category == filters.category)
    if filters.available:
        stmt = stmt.where(Slot.capacity > used)
    if filters.facility:
        # JSON lists: a text match on the quoted code works on SQLite and PostgreSQL alike.
        # A facility also matches the ones that count as it (an accessible toilet is a safe one).
        wanted = [filters.facility] + [
            code for code, implied in FACILITY_IMPLIES.items() if filters.facility in implied
        ]
        text = cast(Slot.facilities, String)
        stmt = stmt.where(or_(*(text.contains(f'"{code}"') for code in wanted)))
    if filters.q:
        stmt = stmt.where(Slot.title.icontains(filters.q, autoescape=True))
    return stmt


def visible_opds(user: User) -> list[Opd]:
    """OPDs whose slots the user may see (for filter lists).

    Read from the OPDs the user may see, each asking its own slots for one in scope (the
    slot's OPD is of its agreement's Pemda): the work grows with the OPDs, not the slots.
    """
    has_slot = select(Slot.id).where(Slot.opd_id == Opd.id, policy.slots_scope(user)).exists()
    stmt = select(Opd).where(policy.opds_scope(user), has_slot)
    return list(db.session.scalars(stmt.order_by(Opd.name)))


class OpdChoice(NamedTuple):
    """An OPD as a list's filter offers it."""

    id: int
    short_name: str


def opd_choices(user: User) -> list[OpdChoice]:
    """``visible_opds`` as a filter offers them, kept like other figures (``portal.cache``:
    any saved change starts afresh): every page of a work list shows the filter."""
    return cache.cached(
        "opd_choices",
        str(user.id),
        lambda: [OpdChoice(o.id, o.short_name) for o in visible_opds(user)],
    )


def partner_opds(user: User) -> list[tuple[Opd, int | None]]:
    """OPDs the user may see as partners, each with the visible agreement that binds its Pemda."""
    visible = db.session.scalars(
        select(Agreement).where(policy.agreements_scope(user)).order_by(Agreement.id)
    )
    by_pemda: dict[int, int] = {}
    for agreement in visible:
        by_pemda.setdefault(agreement.pemda_id, agreement.id)
    stmt = (
        select(Opd)
        .where(policy.opds_scope(user))
        .options(joinedload(Opd.pemda))
        .order_by(Opd.pemda_id, Opd.name)
    )
    return [(opd, by_pemda.get(opd.pemda_id)) for opd in db.session.scalars(stmt)]


def visible_outlines(user: User) -> list[list[list[float]]]:
    """Boundaries of the Pemdas of the agreements the user is a party to."""
    stmt = select(Pemda.boundary).where(
        Pemda.id.in_(select(Agreement.pemda_id).where(policy.agreements_scope(user)))
    )
    return [b for b in db.session.scalars(stmt) if b]


def place_type_codes() -> list[tuple[str, str]]:
    """Place types of Pedoman table 1, in order."""
    rows = db.session.execute(select(PlaceType.code, PlaceType.name).order_by(PlaceType.sort))
    return [(code, name) for code, name in rows]


def site_supervisors(opd_id: int) -> list[User]:
    """The OPD's site supervisor accounts, for the 'person in charge' choice."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.opd_id == opd_id, User.role == Role.SITE_SUPERVISOR, User.enabled)
            .order_by(User.full_name)
        )
    )


# --- writing -----------------------------------------------------------------


def _context(opd: Opd, agreement: Agreement | None, seats: int) -> SlotContext:
    if opd.kind in PKS_KINDS:
        # A partner beyond the OPDs works under its own PKS with the Bapas (Pedoman 2.1.2).
        return SlotContext(
            place_types={code for code, _ in place_type_codes()},
            boundary=opd.pemda.boundary or [],
            agreement_start=opd.pks_signed_on,
            agreement_end=opd.pks_valid_until,
            agreement_active=pks_in_force(opd, clock.today()),
            seats_in_use=seats,
            agreement_name="Perjanjian kerja sama (PKS) lembaga Anda dengan Bapas",
        )
    return SlotContext(
        place_types={code for code, _ in place_type_codes()},
        boundary=opd.pemda.boundary or [],
        agreement_start=agreement.signed_on if agreement else None,
        agreement_end=agreement.effective_valid_until if agreement else None,
        agreement_active=bool(agreement and agreement_active_on(agreement)),
        seats_in_use=seats,
    )


def enforce_rules(
    values: Mapping[str, Any], opd: Opd, agreement: Agreement | None, seats: int, publishing: bool
) -> None:
    """Raise Refused with every broken rule for a slot of ``opd`` (nothing written)."""
    refusals = []
    if agreement is None:
        refusals.append(
            RuleViolation(
                "", "Pemda Anda belum memiliki kesepakatan (NK) dengan Bapas.", "agreement"
            )
        )
    refusals += check_slot(values, _context(opd, agreement, seats), publishing)
    supervisor_id = values.get("supervisor_user_id")
    if supervisor_id is not None and supervisor_id not in {u.id for u in site_supervisors(opd.id)}:
        refusals.append(
            RuleViolation(
                "", "Akun penanggung jawab harus dari OPD Anda sendiri.", "supervisor_user_id"
            )
        )
    if refusals:
        raise Refused.of(refusals)


def with_complaint_facility(values: dict[str, Any]) -> dict[str, Any]:
    """The facility ``complaint_channel`` follows the channel named (Pedoman 2.3.1 f.3)."""
    facilities = values.get("facilities")
    if not isinstance(facilities, list):
        return values
    named = bool(str(values.get("complaint_contact") or "").strip())
    rest = [f for f in facilities if f != "complaint_channel"]
    return {**values, "facilities": rest + ["complaint_channel"] if named else rest}


def _require_own_opd(user: User, slot: Slot | None = None) -> Opd:
    if not policy.may(user, "slot.manage") or user.opd is None:
        raise PermissionError("Hanya Admin OPD yang dapat mengelola lokasi kerja.")
    if slot is not None and slot.opd_id != user.opd_id:
        raise PermissionError("Lokasi kerja milik OPD lain.")
    return user.opd


def create_slot(user: User, values: Mapping[str, Any], publish: bool = False) -> Slot:
    """A new slot of the user's own OPD, as a draft or published at once."""
    opd = _require_own_opd(user)
    merged = {**TEXT_DEFAULTS, **{k: v for k, v in values.items() if k in EDITABLE_FIELDS}}
    merged = with_complaint_facility(merged)
    agreement = agreement_for_opd(opd)
    enforce_rules(merged, opd, agreement, 0, publishing=publish)
    assert agreement is not None
    slot = Slot(opd_id=opd.id, agreement_id=agreement.id, created_by_id=user.id, **merged)
    slot.status = "draft"
    if publish:
        _mark_published(slot)
    return audit.saved(slot, "slot_created", user, status=slot.status)


def update_slot(user: User, slot: Slot, values: Mapping[str, Any]) -> Slot:
    """Change a slot's fields; a published slot must keep meeting the publication rules."""
    opd = _require_own_opd(user, slot)
    lock_slot(slot.id)  # seats in use are counted as bookings leave them, not before

    changes = {k: v for k, v in values.items() if k in EDITABLE_FIELDS}
    merged = with_complaint_facility({**{k: getattr(slot, k) for k in EDITABLE_FIELDS}, **changes})
    if "facilities" in merged and merged["facilities"] != slot.facilities:
        changes["facilities"] = merged["facilities"]
    agreement = db.session.get(Agreement, slot.agreement_id)
    published = slot.status == "published"
    enforce_rules(merged, opd, agreement, seats_in_use(slot.id), publishing=published)
    changed = sorted(k for k, v in changes.items() if getattr(slot, k) != v)
    for key, value in changes.items():
        setattr(slot, key, value)
    audit.note(slot, "slot_updated", user, fields=changed)
    return slot


def publish_slot(user: User, slot: Slot) -> Slot:
    """Publish a draft (or reopen a closed slot) after checking every publication rule."""
    opd = _require_own_opd(user, slot)
    values = {k: getattr(slot, k) for k in EDITABLE_FIELDS}
    agreement = db.session.get(Agreement, slot.agreement_id)
    enforce_rules(values, opd, agreement, seats_in_use(slot.id), publishing=True)
    _mark_published(slot)
    audit.note(slot, "slot_published", user)
    return slot


def close_slot(user: User, slot: Slot) -> Slot:
    """Stop offering the slot; placements already made keep running."""
    _require_own_opd(user, slot)
    slot.status = "closed"
    audit.note(slot, "slot_closed", user)
    return slot


def duplicate_slot(user: User, slot: Slot) -> Slot:
    """A draft copy of the slot; the unpaid confirmation must be given again."""
    _require_own_opd(user, slot)
    values = {k: getattr(slot, k) for k in EDITABLE_FIELDS}
    values["title"] = f"Salinan dari {slot.title}"[:200]
    values["unpaid_confirmed"] = False
    values["schedule"] = [dict(w) for w in slot.schedule]
    values["facilities"] = list(slot.facilities)
    values["risks"] = list(slot.risks)
    copy = Slot(
        opd_id=slot.opd_id,
        agreement_id=slot.agreement_id,
        created_by_id=user.id,
        status="draft",
        **values,
    )
    return audit.saved(copy, "slot_duplicated", user, source=slot.id)


def _mark_published(slot: Slot) -> None:
    slot.status = "published"
    slot.published_at = utcnow()


def free_seats(slot: Slot | Row[Any], occupied: int) -> int:
    """Seats still free (never negative)."""
    return max(slot.capacity - occupied, 0)


# --- partners (Pedoman Lampiran V, Daftar Mitra) -------------------------------


@dataclass(frozen=True)
class Partner:
    """One row of the Daftar Mitra: an OPD under an agreement, with its scope of work."""

    opd: Opd
    agreement: Agreement
    scope: list[str]
    capacity: int
    facilities: frozenset[str] = frozenset()
    # Published slots beyond those named in ``scope`` (a page names the first few only).
    more: int = 0

    @property
    def contact(self) -> str:
        """The OPD's telephone, or a dash."""
        return self.opd.phone or "—"


def partner_pairs(user: User) -> list[tuple[Opd, Agreement]]:
    """The rows of the Daftar Mitra: each OPD under each agreement the user is a party to,
    by agreement then OPD name (read from the agreement and OPD tables only)."""
    agreements = list(
        db.session.scalars(
            select(Agreement)
            .where(policy.agreements_scope(user))
            .options(joinedload(Agreement.pemda), joinedload(Agreement.bapas))
            .order_by(Agreement.id)
        ).unique()
    )
    pemda_ids = {a.pemda_id for a in agreements}
    opds = list(
        db.session.scalars(select(Opd).where(Opd.pemda_id.in_(pemda_ids)).order_by(Opd.name))
    )
    return [
        (opd, agreement)
        for agreement in agreements
        for opd in opds
        if opd.pemda_id == agreement.pemda_id
        and (opd.kind not in PKS_KINDS or opd.pks_bapas_id == agreement.bapas_id)
    ]


def list_partners(user: User) -> list[Partner]:
    """Partners of the agreements the user is a party to, by Pemda then OPD name."""
    return partners_of(partner_pairs(user))


def partners_of(pairs: Sequence[tuple[Opd, Agreement]], titles: int | None = None) -> list[Partner]:
    """The partners ``pairs`` with their published slots' titles, capacity and facilities.

    Counted in SQL by partner and facility set; ``titles``: at most this many titles
    per partner (the first by title, each partner's read on the slot's index), the
    rest counted in ``Partner.more``.
    """
    opd_ids = sorted({opd.id for opd, _ in pairs})
    # Figures over every published slot of the partners: kept briefly (any saved change
    # starts afresh), like the monitoring aggregates.
    key = f"{titles}:{','.join(map(str, opd_ids))}"
    count, capacity, facilities, scope = cache.cached(
        "partner_offers", key, lambda: _partner_offers(opd_ids, titles)
    )
    return [
        Partner(
            opd,
            agreement,
            scope.get(opd.id, []),
            capacity.get(opd.id, 0),
            facilities.get(opd.id, frozenset()),
            more=count.get(opd.id, 0) - len(scope.get(opd.id, [])),
        )
        for opd, agreement in pairs
    ]


def _partner_offers(
    opd_ids: list[int], titles: int | None
) -> tuple[dict[int, int], dict[int, int], dict[int, frozenset[str]], dict[int, list[str]]]:
    """Per partner of ``opd_ids``: its published slots, their seats, the facilities they
    offer and their first ``titles`` titles (all when None)."""
    published = (Slot.status == "published", Slot.opd_id.in_(opd_ids))
    count: dict[int, int] = {}
    capacity: dict[int, int] = {}
    facilities: dict[int, frozenset[str]] = {}
    groups = db.session.execute(
        select(Slot.opd_id, cast(Slot.facilities, String), func.count(), func.sum(Slot.capacity))
        .where(*published)
        .group_by(Slot.opd_id, cast(Slot.facilities, String))
    )
    for opd_id, offered, n, seats in groups:
        count[opd_id] = count.get(opd_id, 0) + n
        capacity[opd_id] = capacity.get(opd_id, 0) + int(seats or 0)
        offers = effective_facilities(json.loads(offered) if offered else None)
        facilities[opd_id] = facilities.get(opd_id, frozenset()) | offers
    scope: dict[int, list[str]] = {}
    named: Any = select(Slot.opd_id, Slot.title).where(*published).order_by(Slot.title)
    params: dict[str, int] = {}
    if titles is not None:
        # Each partner's first titles, read on the slot's index: one statement per number
        # of partners, built once (a page of 50 would otherwise build 50 subqueries).
        shown = [opd_id for opd_id in opd_ids if count.get(opd_id)]
        named = _first_titles(len(shown)) if shown else None
        params = {f"opd_{n}": opd_id for n, opd_id in enumerate(shown)} | {"titles": titles}
    for opd_id, title in db.session.execute(named, params) if named is not None else ():
        scope.setdefault(opd_id, []).append(title)
    return count, capacity, facilities, scope


@functools.cache
def _first_titles(partners: int) -> Any:
    """The first ``:titles`` published titles of each of the partners ``:opd_0`` ...
    (``partners`` of them), by title."""
    firsts = [
        select(Slot.opd_id, Slot.title)
        .where(Slot.status == "published", Slot.opd_id == bindparam(f"opd_{n}"))
        .order_by(Slot.title)
        .limit(bindparam("titles"))
        .subquery()
        for n in range(partners)
    ]
    return union_all(*(select(*first.c) for first in firsts))


PARTNER_HEADERS = (
    "No",
    "Mitra",
    "Alamat",
    "Kontak",
    "Ruang lingkup pekerjaan",
    "Fasilitas",
    "Kapasitas",
    "Mulai kesepakatan",
    "Akhir kesepakatan",
)


def list_partner_slots(partner: Opd) -> list[Slot]:
    """A partner's slots, published first (for its identification report)."""
    return list(
        db.session.scalars(
            select(Slot).where(Slot.opd_id == partner.id).order_by(Slot.status.desc(), Slot.title)
        )
    )


def partner_bapas(partners: list[Partner]) -> Bapas | None:
    """The Bapas whose letterhead heads the list: the one all partners share, else none."""
    found = {p.agreement.bapas_id: p.agreement.bapas for p in partners}
    return next(iter(found.values())) if len(found) == 1 else None


def scope_text(partner: Partner) -> str:
    """The scope of work: the titles of the partner's published slots (and how many more)."""
    if not partner.scope:
        return "Belum ada lokasi kerja terbit"
    text = "; ".join(partner.scope)
    return f"{text}; dan {partner.more} lokasi kerja lain" if partner.more else text


def partner_rows(partners: Sequence[Partner], first: int = 1) -> list[list[Any]]:
    """The Daftar Mitra as table rows (page and Excel use the same)."""
    return [
        [
            n,
            p.opd.name
            if p.opd.kind not in PKS_KINDS
            else f"{p.opd.name} ({PARTNER_KINDS[p.opd.kind]})",
            p.opd.address or "—",
            p.contact,
            scope_text(p),
            ", ".join(label for code, label in FACILITIES.items() if code in p.facilities) or "—",
            p.capacity,
            p.opd.pks_signed_on if p.opd.kind in PKS_KINDS else p.agreement.signed_on,
            p.opd.pks_valid_until if p.opd.kind in PKS_KINDS else p.agreement.effective_valid_until,
        ]
        for n, p in enumerate(partners, start=first)
    ]


# --- the map -----------------------------------------------------------------


# Up to this many markers travel inside the map page; beyond, the browser fetches them
# as JSON, so that the page stays small whatever the number of slots.
MAP_INLINE_MAX = 500


@dataclass(frozen=True)
class MapSummary:
    """What the map page states without loading its markers."""

    count: int
    free: int
    bounds: tuple[float, float, float, float] | None  # south, west, north, east


def map_summary(user: User, filters: SlotFilters) -> MapSummary:
    """Count, free seats and extent of the published slots the user may see (one query)."""
    used = Slot.occupied
    free = func.coalesce(func.sum(case((Slot.capacity > used, Slot.capacity - used), else_=0)), 0)
    stmt = (
        select(
            func.count(Slot.id),
            free,
            func.min(Slot.lat),
            func.min(Slot.lng),
            func.max(Slot.lat),
            func.max(Slot.lng),
        )
        .join(Opd, Opd.id == Slot.opd_id)
        .where(policy.slots_scope(user), Slot.status == "published")
    )
    count, free_seats_total, south, west, north, east = db.session.execute(
        _apply_filters(stmt, filters, used)
    ).one()
    bounds = (south, west, north, east) if count else None
    return MapSummary(int(count), int(free_seats_total), bounds)


def map_slots(user: User, filters: SlotFilters) -> list[MapSlot]:
    """Published slots the user may see, as light rows for the map (no ORM objects)."""
    used = Slot.occupied
    stmt = (
        select(
            Slot.id,
            Slot.lat,
            Slot.lng,
            Slot.title,
            Opd.short_name,
            Slot.category,
            Slot.capacity,
            used,
            # Raw JSON text: most slots share a few schedules, parse each text once.
            cast(Slot.schedule, String),
        )
        .join(Opd, Opd.id == Slot.opd_id)
        .where(policy.slots_scope(user), Slot.status == "published")
    )
    stmt = _apply_filters(stmt, filters, used)
    texts: dict[str, str] = {}
    result = []
    for sid, lat, lng, title, opd_name, category, capacity, occ, raw in db.session.execute(stmt):
        text = texts.get(raw)
        if text is None:
            text = texts[raw] = schedule_text(json.loads(raw or "[]")) or "belum diatur"
        result.append(MapSlot(sid, lat, lng, title, opd_name, category, capacity, occ, text))
    return result
