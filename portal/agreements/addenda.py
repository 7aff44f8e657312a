"""Addenda (NK Pasal 15): proposed by one party, binding only when the other confirms.

The Kepala Bapas signs for the Bapas, the Setda for the Pemda. One of them
proposes an addendum (both document numbers, signing date, new end of validity,
a summary and the signed scan); a user of the *other* party confirms or refuses
it; the proposer may withdraw it while it waits. The admin may record one that
both parties have already signed. Every step is kept: nothing is deleted.

On confirmation the slots whose validity ended with the old end date may move
with the agreement (``extend_slots``), so that the partnership goes on in one step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, inspect, select, update

from portal import audit, clock, policy
from portal.extensions import db
from portal.fields import LETTER_NUMBER
from portal.locking import lock_row
from portal.models import Addendum, AddendumStatus, Agreement, Slot, User
from portal.models.base import utcnow
from portal.monitoring import evidence
from portal.notifications import service as notifications
from portal.queries import newest_first
from portal.refusals import Forbidden, Refused

SUBFOLDER = "addendum"


@dataclass(frozen=True)
class AddendumInput:
    """What a party enters for an addendum."""

    number_bapas: str
    number_pemda: str
    signed_on: date | None
    valid_until: date | None
    summary: str


Scan = evidence.Upload  # the signed scan as the route received it


def announce(kind: str, addendum: Addendum, user: User, **details: object) -> None:
    """The one place where an addendum step is made known (audit log and notifications).

    ``kind`` is one of addendum_proposed, addendum_confirmed, addendum_refused,
    addendum_withdrawn, addendum_recorded.
    """
    audit.record(
        kind,
        "agreement",
        addendum.agreement_id,
        user=user,
        addendum_id=addendum.id,
        number=addendum.number_bapas,
        **details,
    )
    if kind == "addendum_proposed":
        notifications.addendum_proposed(addendum.agreement, addendum.id, by=user)
    elif kind in ("addendum_confirmed", "addendum_recorded"):
        notifications.addendum_confirmed(addendum.agreement, addendum.id)
    else:  # refused or withdrawn
        notifications.addendum_settled(addendum.id)


def addenda_of(agreement: Agreement) -> list[Addendum]:
    """The agreement's addenda, every status, newest first (the history)."""
    return newest_first(Addendum, Addendum.agreement_id == agreement.id, Addendum.created_at)


def pending_shown(agreement: Agreement) -> Addendum | None:
    """``pending_addendum`` for a page: from the addenda read with the agreement when a
    list read them (a warning per agreement, no query each); never for a decision."""
    if "addenda" in inspect(agreement).unloaded:
        return pending_addendum(agreement)
    return next((a for a in agreement.addenda if a.status == AddendumStatus.PROPOSED), None)


def pending_addendum(agreement: Agreement) -> Addendum | None:
    """The proposal that waits for the other party, if any (one at a time)."""
    return db.session.scalar(
        select(Addendum).where(
            Addendum.agreement_id == agreement.id, Addendum.status == AddendumStatus.PROPOSED
        )
    )


def _check(agreement: Agreement, data: AddendumInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if agreement.status == "draft" or agreement.signed_on is None:
        errors["agreement"] = [
            "Kesepakatan ini belum ditandatangani: ubah datanya, bukan Addendum."
        ]
    number_bapas = data.number_bapas.strip()
    number_pemda = data.number_pemda.strip()
    if not number_bapas:
        errors["number_bapas"] = ["Nomor Addendum Pihak Kesatu (Bapas) wajib diisi."]
    elif len(number_bapas) > LETTER_NUMBER:
        errors["number_bapas"] = [f"Maksimal {LETTER_NUMBER} karakter."]
    if not number_pemda:
        errors["number_pemda"] = ["Nomor Addendum Pihak Kedua (Pemda) wajib diisi."]
    elif len(number_pemda) > LETTER_NUMBER:
        errors["number_pemda"] = [f"Maksimal {LETTER_NUMBER} karakter."]
    live = [
        a
        for a in agreement.addenda
        if a.status in (AddendumStatus.PROPOSED, AddendumStatus.IN_FORCE)
    ]
    if number_bapas and any(a.number_bapas == number_bapas for a in live):
        errors["number_bapas"] = ["Nomor Addendum ini sudah dicatat."]
    today = clock.today()
    if data.signed_on is None:
        errors["signed_on"] = ["Tanggal penandatanganan wajib diisi."]
    elif data.signed_on > today:
        errors["signed_on"] = ["Tanggal penandatanganan tidak boleh di masa depan."]
    elif agreement.signed_on and data.signed_on < agreement.signed_on:
        errors["signed_on"] = ["Addendum tidak boleh sebelum kesepakatan ditandatangani."]
    current_end = agreement.effective_valid_until
    if data.valid_until is not None:
        if data.signed_on and data.valid_until <= data.signed_on:
            errors["valid_until"] = ["Masa berlaku baru harus sesudah tanggal Addendum."]
        elif current_end and data.valid_until <= current_end:
            errors["valid_until"] = [
                "Masa berlaku baru harus sesudah akhir masa berlaku sekarang "
                f"({current_end.strftime('%d-%m-%Y')})."
            ]
    if len(data.summary.strip()) < 10:
        errors["summary"] = ["Tuliskan ringkasan perubahan (paling sedikit 10 karakter)."]
    return errors


def _check_scan(
    errors: dict[str, list[str]], scan: Scan | None, max_bytes: int, required: bool
) -> evidence.CheckedFile | None:
    """The checked PDF scan, if one was sent; what is wrong with it goes to ``errors``."""
    if scan is None or not (scan.filename or scan.data):
        if required:
            errors["scan"] = ["Unggah pindaian Addendum yang sudah ditandatangani."]
        return None
    checked = evidence.check_uploads(errors, "scan", [scan], max_bytes, kind="addendum_scan")
    if checked and checked[0].extension != "pdf":
        errors["scan"] = ["Unggah pindaian Addendum sebagai PDF."]
        return None
    return checked[0] if checked else None


def propose_addendum(
    agreement: Agreement,
    data: AddendumInput,
    user: User,
    *,
    scan: Scan | None = None,
    upload_folder: str | Path = "",
    max_bytes: int = 5 * 1024 * 1024,
) -> Addendum:
    """A party proposes an addendum; it binds only once the other party confirms it."""
    if not policy.can_propose_addendum(user, agreement):
        raise Forbidden()
    _lock_agreement(agreement)  # one proposal at a time, even when both parties press at once
    errors = _check(agreement, data)
    if pending_addendum(agreement) is not None:
        errors["agreement"] = [
            "Masih ada Addendum yang menunggu persetujuan: putuskan atau tarik dulu."
        ]
    checked = _check_scan(errors, scan, max_bytes, required=False)
    if errors:
        raise Refused(errors)
    party = policy.agreement_party(user, agreement) or "both"
    with evidence.stored(upload_folder, SUBFOLDER) as files:
        row = _new_addendum(agreement, data, party, user, checked, files)
        db.session.flush()
    announce("addendum_proposed", row, user, party=party)
    return row


def record_signed_addendum(
    agreement: Agreement,
    data: AddendumInput,
    user: User,
    *,
    scan: Scan | None,
    upload_folder: str | Path,
    max_bytes: int = 5 * 1024 * 1024,
    extend_slots: bool = False,
) -> Addendum:
    """The admin records an addendum both parties have signed, with its scan: in force at once."""
    if not policy.is_admin(user):
        raise Forbidden()
    errors = _check(agreement, data)
    checked = _check_scan(errors, scan, max_bytes, required=True)
    if errors:
        raise Refused(errors)
    with evidence.stored(upload_folder, SUBFOLDER) as files:
        row = _new_addendum(agreement, data, "both", user, checked, files)
        db.session.flush()
        _bring_into_force(row, user, extend_slots)
    announce("addendum_recorded", row, user, slots_extended=row.slots_extended)
    return row


def _new_addendum(
    agreement: Agreement,
    data: AddendumInput,
    party: str,
    user: User,
    checked: evidence.CheckedFile | None,
    files: evidence.Stored,
) -> Addendum:
    """A proposal of ``data`` by ``user`` for ``party``, its scan stored, on the agreement."""
    row = Addendum(
        agreement_id=agreement.id,
        number=data.number_bapas.strip(),
        number_pemda=data.number_pemda.strip(),
        signed_on=data.signed_on,
        new_valid_until=data.valid_until,
        summary=data.summary.strip(),
        status=AddendumStatus.PROPOSED,
        proposed_party=party,
        proposed_by_id=user.id,
        proposed_at=utcnow(),
    )
    if checked is not None:
        row.scan_name = files.store(checked)
        row.scan_original = checked.original_name
        row.scan_size = len(checked.data)
        row.scan_sha256 = checked.sha256
    agreement.addenda.append(row)
    return row


def scan_path(upload_folder: str | Path, addendum: Addendum) -> Path | None:
    """Where the addendum's signed scan is stored, if it has one."""
    if not addendum.scan_name:
        return None
    return evidence.path_of(upload_folder, addendum.scan_name, SUBFOLDER)


def _lock_agreement(agreement: Agreement) -> None:
    """Hold the agreement's row (PostgreSQL) until the transaction ends."""
    lock_row(Agreement, agreement.id)


def _locked(addendum: Addendum) -> Addendum:
    """The addendum re-read under a row lock (PostgreSQL), so two decisions cannot race."""
    locked = lock_row(Addendum, addendum.id)
    assert locked is not None
    return locked


def _still_proposed(addendum: Addendum) -> None:
    if addendum.status != AddendumStatus.PROPOSED:
        raise Refused(
            {"status": [f"Addendum ini sudah {addendum.status_label.lower()}: tidak dapat diubah."]}
        )


def confirm_addendum(addendum: Addendum, user: User, *, extend_slots: bool = False) -> Addendum:
    """The other party agrees: the addendum binds and the agreement's end moves.

    The proposing party cannot confirm its own proposal (Forbidden).
    """
    agreement = addendum.agreement
    if not policy.can_confirm_addendum(user, agreement, addendum.proposed_party):
        raise Forbidden("Addendum harus disetujui pihak yang lain, bukan pihak pengusul.")
    addendum = _locked(addendum)
    _still_proposed(addendum)
    current_end = agreement.effective_valid_until
    if addendum.new_valid_until and current_end and addendum.new_valid_until <= current_end:
        raise Refused(
            {
                "valid_until": [
                    "Masa berlaku dalam Addendum ini tidak lagi sesudah akhir masa berlaku "
                    f"sekarang ({current_end.strftime('%d-%m-%Y')})."
                ]
            }
        )
    _bring_into_force(addendum, user, extend_slots)
    announce("addendum_confirmed", addendum, user, slots_extended=addendum.slots_extended)
    return addendum


def _bring_into_force(addendum: Addendum, user: User, extend_slots: bool) -> None:
    agreement = addendum.agreement
    old_end = agreement.effective_valid_until
    addendum.status = AddendumStatus.IN_FORCE
    addendum.decided_by_id = user.id
    addendum.decided_at = utcnow()
    new_end = addendum.new_valid_until
    addendum.previous_valid_until = old_end
    if extend_slots and old_end and new_end and new_end > old_end:
        addendum.slots_extended = extend_agreement_slots(agreement, old_end, new_end)
    db.session.flush()
    db.session.expire(agreement, ["addenda"])


def extend_agreement_slots(
    agreement: Agreement, old_end: date, new_end: date, opd_id: int | None = None
) -> int:
    """Move every slot of the agreement that ended with ``old_end`` to ``new_end``."""
    stmt = (
        update(Slot)
        .where(Slot.agreement_id == agreement.id, Slot.valid_until == old_end)
        .values(valid_until=new_end)
        .execution_options(synchronize_session="fetch")
    )
    if opd_id is not None:
        stmt = stmt.where(Slot.opd_id == opd_id)
    result = db.session.execute(stmt)
    # An UPDATE gives a CursorResult; Session.execute() is typed for every kind of statement.
    return int(cast(CursorResult[Any], result).rowcount or 0)


def refuse_addendum(addendum: Addendum, user: User, reason: str) -> Addendum:
    """The other party does not agree; the reason is kept."""
    if not policy.can_confirm_addendum(user, addendum.agreement, addendum.proposed_party):
        raise Forbidden()
    addendum = _locked(addendum)
    _still_proposed(addendum)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise Refused({"reason": ["Tuliskan alasan penolakan (paling sedikit 5 karakter)."]})
    addendum.status = AddendumStatus.REFUSED
    addendum.decided_by_id = user.id
    addendum.decided_at = utcnow()
    addendum.decision_note = reason[:2000]
    db.session.flush()
    announce("addendum_refused", addendum, user)
    return addendum


def withdraw_addendum(addendum: Addendum, user: User) -> Addendum:
    """The proposing party takes its proposal back while it still waits."""
    if not policy.can_withdraw_addendum(user, addendum.agreement, addendum.proposed_party):
        raise Forbidden()
    addendum = _locked(addendum)
    _still_proposed(addendum)
    addendum.status = AddendumStatus.WITHDRAWN
    addendum.decided_by_id = user.id
    addendum.decided_at = utcnow()
    db.session.flush()
    announce("addendum_withdrawn", addendum, user)
    return addendum


def slots_left_behind(agreement: Agreement, opd_id: int) -> list[Slot]:
    """The OPD's slots that ended with an end date an addendum in force has since moved.

    These are what the OPD admin is offered to extend in one step.
    """
    new_end = agreement.effective_valid_until
    old_ends = {
        a.previous_valid_until
        for a in agreement.addenda
        if a.in_force and a.previous_valid_until and new_end and a.previous_valid_until < new_end
    }
    if not old_ends:
        return []
    return list(
        db.session.scalars(
            select(Slot)
            .where(
                Slot.agreement_id == agreement.id,
                Slot.opd_id == opd_id,
                Slot.valid_until.in_(old_ends),
                Slot.status != "closed",
            )
            .order_by(Slot.title)
        )
    )


def extend_opd_slots(agreement: Agreement, user: User) -> int:
    """The OPD admin moves his slots left behind to the agreement's new end, in one step."""
    opd = user.opd
    if not policy.may(user, "slot.manage") or opd is None or opd.pemda_id != agreement.pemda_id:
        raise Forbidden()
    new_end = agreement.effective_valid_until
    if new_end is None:
        return 0
    slots = slots_left_behind(agreement, opd.id)
    for slot in slots:
        slot.valid_until = new_end
    db.session.flush()
    if slots:
        audit.record(
            "slots_extended",
            "agreement",
            agreement.id,
            user=user,
            slots=[s.id for s in slots],
            valid_until=new_end.isoformat(),
        )
    return len(slots)
