"""The adapter between the models and the placement engine (portal.matching).

Builds the engine's plain profiles from Client and Slot rows, counts seats and
served hours, and loads the slots a client of a Bapas may be matched against.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal import cache, clock
from portal.agreements.services import agreement_active_on
from portal.attendance.services import verified_minutes
from portal.codes import PRAYER_ROOM_NEED, effective_facilities
from portal.extensions import db
from portal.matching.profiles import (
    ClientProfile,
    Point,
    SlotProfile,
    Thresholds,
    Window,
    common_windows,
    windows_from_dicts,
    windows_to_dicts,
)
from portal.matching.ranking import Ranking, SlotTable, rank_client
from portal.matching.rules import first_start_day
from portal.models import Agreement, Client, Placement, PlacementStatus, Slot
from portal.slots.partners import PKS_KINDS, pks_in_force


def thresholds() -> Thresholds:
    """The rules' limits from the settings."""
    cfg = current_app.config
    return Thresholds(
        victim_min_distance_km=float(cfg["VICTIM_MIN_DISTANCE_KM"]),
        default_max_travel_km=float(cfg["DEFAULT_MAX_TRAVEL_KM"]),
    )


def _windows(items: Iterable[Mapping[str, Any]] | None) -> tuple[Window, ...]:
    try:
        return windows_from_dicts(items)
    except ValueError:
        return ()


def client_needs(client: Client) -> frozenset[str]:
    """The client's special needs, with his request for a prayer room (Pedoman 2.3.1 f.1)."""
    needs = set(client.special_needs or ())
    if client.requests_prayer_room:
        needs.add(PRAYER_ROOM_NEED)
    return frozenset(needs)


def client_profile(client: Client, served: float | None = None) -> ClientProfile:
    """The engine's view of a client (no name, no identity); ``served`` from the ledger."""
    if served is None:
        served = verified_minutes(client.id) / 60 if client.id else 0.0
    home = (
        Point(client.home_lat, client.home_lng)
        if client.home_lat is not None and client.home_lng is not None
        else None
    )
    victims = tuple(
        Point(float(v["lat"]), float(v["lng"]), str(v.get("label") or ""))
        for v in client.victim_places or []
        if v.get("lat") is not None and v.get("lng") is not None
    )
    return ClientProfile(
        id=client.id,
        bapas_id=client.bapas_id,
        is_child=bool(client.is_child),
        hours_ordered=float(client.hours_ordered),
        start_date=client.start_date,
        deadline=client.deadline,
        home=home,
        max_travel_km=client.max_travel_km,
        profession_sector=client.profession_sector or "other",
        offence_via_profession=bool(client.offence_via_profession),
        victim_places=victims,
        special_needs=client_needs(client),
        skills=frozenset(client.skills or ()),
        available=_windows(client.available),
        health_cleared=bool(client.health_cleared),
        vulnerable_contact_exception=bool(client.vulnerable_contact_exception),
        physical_risk_skill=bool((client.physical_risk_skill or "").strip()),
        dependants=client.dependants or 0,
        hours_served=served,
    )


def occupied_counts(
    slot_ids: Iterable[int], exclude_placement: int | None = None
) -> dict[int, int]:
    """Seats held (booked, accepted, active) per slot."""
    ids = list(slot_ids)
    if not ids:
        return {}
    stmt = (
        select(Placement.slot_id, func.count(Placement.id))
        .where(Placement.slot_id.in_(ids), Placement.status.in_(PlacementStatus.SEAT_HOLDING))
        .group_by(Placement.slot_id)
    )
    if exclude_placement is not None:
        stmt = stmt.where(Placement.id != exclude_placement)
    return {slot_id: count for slot_id, count in db.session.execute(stmt)}


def slot_profile(slot: Slot, occupied: int, agreement_active: bool | None = None) -> SlotProfile:
    """The engine's view of a slot."""
    if slot.opd.kind in PKS_KINDS:
        # A partner beyond the OPDs offers work while its own PKS with the Bapas is in force.
        agreement_active = pks_in_force(slot.opd, clock.today())
    elif agreement_active is None:
        agreement_active = agreement_active_on(slot.agreement)
    return SlotProfile(
        id=slot.id,
        opd_id=slot.opd_id,
        title=slot.title,
        category=slot.category,
        sector=slot.sector,
        place_type=slot.place_type,
        location=Point(slot.lat, slot.lng),
        capacity=slot.capacity,
        occupied=occupied,
        schedule=_windows(slot.schedule),
        valid_from=slot.valid_from,
        valid_until=slot.valid_until,
        facilities=effective_facilities(slot.facilities),
        risks=frozenset(slot.risks or ()),
        status=slot.status,
        unpaid_confirmed=bool(slot.unpaid_confirmed),
        agreement_bapas_id=slot.agreement.bapas_id,
        agreement_active=agreement_active,
    )


def candidate_slots(bapas_id: int | None) -> tuple[list[Slot], SlotTable]:
    """Published slots with a free seat under the Bapas's agreements, as rows and a table.

    A user of no Bapas (``None``) has none.
    """
    slots = list(
        db.session.scalars(
            select(Slot)
            .join(Agreement, Agreement.id == Slot.agreement_id)
            .where(Agreement.bapas_id == bapas_id, Slot.status == "published")
            .options(
                selectinload(Slot.agreement).selectinload(Agreement.addenda),
                selectinload(Slot.opd),
            )
            .order_by(Slot.id)
        )
    )
    active = {a.id: agreement_active_on(a) for a in {s.agreement for s in slots}}
    rows, profiles = [], []
    for s in slots:
        occupied = s.occupied  # kept on the slot; booking recounts under the slot's lock
        if occupied >= s.capacity:
            continue
        rows.append(s)
        profiles.append(slot_profile(s, occupied, active[s.agreement_id]))
    return rows, SlotTable.build(profiles)


def candidate_table(bapas_id: int) -> SlotTable:
    """``candidate_slots``'s table, kept briefly per Bapas and day (``portal.cache``:
    any saved change, a booking included, starts afresh). Ranking one client then
    reads no slot row."""
    return cache.cached(
        "candidate-slots",
        f"{bapas_id}:{clock.today().isoformat()}",
        lambda: candidate_slots(bapas_id)[1],
        local=True,
    )


class SlotRows(Mapping[int, Slot]):
    """The slots of a ranking by id, read from the database when first asked for.

    A page shows a few dozen of thousands of ranked slots: asking for one slot
    loads it with the next ``BATCH`` of the ranking's order (best eligible first,
    then the excluded), in one query.
    """

    BATCH = 100

    def __init__(self, order: Sequence[int]) -> None:
        self._order = list(order)
        self._loaded: dict[int, Slot] = {}

    def __getitem__(self, slot_id: int) -> Slot:
        if slot_id not in self._loaded:
            try:
                # Searched on a miss only (once a batch): no index of every slot per page.
                start = self._order.index(slot_id)
            except ValueError:
                raise KeyError(slot_id) from None
            wanted = [i for i in self._order[start : start + self.BATCH] if i not in self._loaded]
            for slot in db.session.scalars(
                select(Slot).where(Slot.id.in_(wanted)).options(joinedload(Slot.opd))
            ):
                self._loaded[slot.id] = slot
        return self._loaded[slot_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


def rank_for(client: Client) -> tuple[Mapping[int, Slot], Ranking]:
    """Rank every open slot of the client's Bapas for him."""
    table = candidate_table(client.bapas_id)
    ranking = rank_client(
        client_profile(client), table, today=clock.today(), thresholds=thresholds()
    )
    ids = table.ids
    order = ids[ranking.eligible_index].tolist() + ids[ranking.excluded_index].tolist()
    return SlotRows(order), ranking


def default_start(client: Client, slot: Slot) -> date:
    """The booking form's start: the first day both the slot and the client allow."""
    return first_start_day(client.start_date, slot.valid_from, clock.today())


def default_schedule(client: Client, slot_schedule: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The hours common to the slot and the client, at most 8 a day."""
    try:
        a, b = windows_from_dicts(slot_schedule), windows_from_dicts(client.available)
    except ValueError:
        return []
    return windows_to_dicts(common_windows(a, b, thresholds().max_daily_minutes))
