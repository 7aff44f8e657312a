"""Matching and booking pages: the slots a client may take, booking one, the batch proposal.

Booking here and ``POST /api/v1/placements`` call the same service with the same
schedule shape (``[{weekday, start, end}]``); the service refuses for both (422 with
the rules broken, 409 when the last seat went first).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import clock
from portal.attendance.services import ledgers_for
from portal.clients.services import view_client, waiting_clients
from portal.codes import WEEKDAYS
from portal.extensions import db
from portal.forms import parse_date, refusal_errors, show_refused
from portal.matching.assignment import propose_assignment
from portal.matching.profiles import windows_from_dicts
from portal.matching.rules import rule_slug
from portal.models import Client, Slot
from portal.pagination import page_of
from portal.placements.engine import (
    candidate_slots,
    client_profile,
    default_schedule,
    default_start,
    rank_for,
)
from portal.placements.engine import thresholds as engine_thresholds
from portal.placements.forms import weekly_schedule
from portal.placements.services import book_placement, holding_placement
from portal.refusals import Refused
from portal.web import map_settings, require, visible_client

# Matching and booking start from a client, so their pages keep the client's paths.
bp = Blueprint("booking", __name__, url_prefix="/klien")

MATCHES_SHOWN = 50


@bp.route("/<int:client_id>/pencocokan")
@require("placement.book")
def matches(client_id: int) -> str:
    """Eligible slots best first with reasons, excluded slots with the rules they break."""
    client = visible_client(client_id)
    view_client(client, current_user, page="matches")
    slots, ranking = rank_for(client)
    eligible_total = len(ranking.eligible_index)
    excluded_total = len(ranking.excluded_index)
    # The best 50 are offered; the excluded slots are counted by the rule they break
    # (from the rule masks, no slot read), and listed (50 a page) for one rule on demand,
    # or all when they are few.
    eligible = ranking.eligible(MATCHES_SHOWN)
    by_rule = ranking.excluded_by_rule()
    wanted = request.args.get("aturan", "")
    rule = next((code for code in by_rule if rule_slug(code) == wanted), "")
    if rule:
        chosen = ranking.excluded(rule=rule)
    else:
        chosen = ranking.excluded() if excluded_total <= MATCHES_SHOWN else []
    excluded_page = page_of(chosen, MATCHES_SHOWN)
    excluded = excluded_page.items
    markers = [
        {
            "lat": e.slot.location.lat,
            "lng": e.slot.location.lng,
            "title": e.slot.title,
            "text": f"Skor {e.score:.0f} · {slots[e.slot.id].opd.short_name}",
            "ok": True,
        }
        for e in eligible
    ] + [
        {
            "lat": x.slot.location.lat,
            "lng": x.slot.location.lng,
            "title": x.slot.title,
            "text": "; ".join(v.message for v in x.violations),
            "ok": False,
        }
        for x in excluded
    ]
    home = {"lat": client.home_lat, "lng": client.home_lng} if client.home_lat is not None else None
    victims = [
        {"lat": v["lat"], "lng": v["lng"], "label": v.get("label") or "Tempat korban"}
        for v in client.victim_places or []
    ]
    return render_template(
        "placements/matches.html",
        client=client,
        slots=slots,
        eligible=eligible,
        eligible_total=eligible_total,
        excluded=excluded,
        excluded_total=excluded_total,
        excluded_page=excluded_page,
        by_rule=by_rule.most_common(),
        rule=rule,
        map_data={"markers": markers, "home": home, "victims": victims, **map_settings()},
        current=holding_placement(client),
        weights=_score_weights(),
    )


def _score_weights() -> dict[str, float]:
    """The parts of the match score, for its legend."""
    from portal.matching import ranking

    return {
        "skill": ranking.WEIGHT_SKILL,
        "profession": ranking.WEIGHT_PROFESSION,
        "distance": ranking.WEIGHT_DISTANCE,
        "capacity": ranking.WEIGHT_CAPACITY,
    }


@bp.route("/<int:client_id>/pesan/<int:slot_id>", methods=["GET", "POST"])
@require("placement.book")
def book(client_id: int, slot_id: int) -> str | Response:
    """Book the client into a slot with a weekly schedule and a start date."""
    client = visible_client(client_id)
    slot = db.session.get(Slot, slot_id)
    if slot is None or slot.agreement.bapas_id != client.bapas_id:
        abort(404)
    errors: dict[str, list[str]] = {}
    violations = []
    schedule = default_schedule(client, slot.schedule)
    start = default_start(client, slot)
    if request.method == "POST":
        schedule = weekly_schedule(request.form)
        try:
            start = parse_date(request.form.get("start_date"))  # type: ignore[assignment]
        except ValueError:
            start = None  # type: ignore[assignment]
        try:
            placement = book_placement(client, slot.id, start, schedule, current_user)
        except Refused as refused:
            errors, violations = refusal_errors(refused, rules=False), refused.violations
        else:
            flash(
                f"Penempatan {client.code} di {slot.title} dipesan; menunggu konfirmasi OPD.",
                "success",
            )
            return redirect(url_for("placements.detail", placement_id=placement.id))
    by_day = {int(w["weekday"]): w for w in schedule if str(w.get("weekday", "")).isdigit()}
    view_client(client, current_user, page="book")
    return render_template(
        "placements/book.html",
        client=client,
        slot=slot,
        weekdays=list(enumerate(WEEKDAYS)),
        by_day=by_day,
        start=start,
        errors=errors,
        violations=violations,
        slot_hours=default_schedule_text(slot.schedule),
        client_hours=default_schedule_text(client.available),
    )


def default_schedule_text(items: list[dict[str, Any]]) -> str:
    """'Senin 08:00–12:00, Selasa ...'."""
    try:
        return ", ".join(w.label() for w in windows_from_dicts(items)) or "—"
    except ValueError:
        return "—"


@bp.route("/usulan", methods=["GET", "POST"])
@require("placement.book")
def batch() -> str | Response:
    """A proposal for all waiting clients at once; the PK accepts it line by line."""
    clients = waiting_clients(current_user)
    if request.method == "POST":
        client = visible_client(request.form.get("client_id", type=int) or 0)
        slot_id = request.form.get("slot_id", type=int) or 0
        slot = db.session.get(Slot, slot_id)
        if slot is None:
            abort(404)
        try:
            book_placement(
                client,
                slot_id,
                default_start(client, slot),
                default_schedule(client, slot.schedule),
                current_user,
            )
        except Refused as refused:
            show_refused(refused, prefix=f"{client.code} belum dipesan: ")
        else:
            flash(f"{client.code} dipesan di {slot.title}; menunggu konfirmasi OPD.", "success")
        return redirect(url_for("booking.batch"))
    rows: list[tuple[Client, Any, Any]] = []
    proposal = None
    if clients:
        slots_rows, table = candidate_slots(current_user.bapas_id)
        ledgers = ledgers_for(clients, absences=False)
        profiles = [client_profile(c, ledgers[c.id].hours_verified) for c in clients]
        proposal = propose_assignment(
            profiles, table, today=clock.today(), thresholds=engine_thresholds()
        )
        by_slot = {s.id: s for s in slots_rows}
        by_client: dict[int | None, Client] = {c.id: c for c in clients}
        for a in proposal.assignments:
            rows.append((by_client[a.client_id], by_slot[a.slot_id], a))
        for u in proposal.unassigned:
            rows.append((by_client[u.client_id], None, u))
        rows.sort(key=lambda r: r[0].code)
    return render_template("placements/batch.html", rows=rows, proposal=proposal)
