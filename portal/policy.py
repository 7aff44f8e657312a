"""Who may see and do what: the one place that decides, by role *and* organisation.

Two kinds of question, both plain functions without Flask:

* ``may(user, action)``: does the user's role allow the action at all?
  Views turn a "no" into 403.
* ``can_see_<record>(user, record)`` and ``<records>_scope(user)``: is this record
  inside the user's organisation? Views turn a "no" into 404, so that a record of
  another organisation is not revealed to exist.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from portal.models import (
    Agreement,
    Client,
    Placement,
    Role,
    Slot,
    User,
    WorkplanActivity,
    WorkSession,
)

A, OA, SS, PK, KB, SD = (
    Role.ADMIN,
    Role.OPD_ADMIN,
    Role.SITE_SUPERVISOR,
    Role.PK,
    Role.KEPALA_BAPAS,
    Role.SETDA,
)
EVERYONE = frozenset(Role.ALL)

PERMISSIONS: dict[str, frozenset[str]] = {
    "dashboard.view": EVERYONE,
    "agreement.view": EVERYONE,
    "agreement.manage": frozenset({A}),
    "user.manage": frozenset({A}),
    "audit.view": frozenset({A, KB}),
    "partner.view": EVERYONE,
    "slot.view": frozenset({A, OA, SS, PK, KB}),
    "slot.manage": frozenset({OA}),
    "client.view": frozenset({PK, KB}),
    "client.manage": frozenset({PK, KB}),
    "client.assign_pk": frozenset({KB}),
    "client.vulnerable_exception": frozenset({KB}),
    "placement.view": frozenset({A, OA, SS, PK, KB}),
    "placement.book": frozenset({PK, KB}),
    "placement.decide": frozenset({OA}),
    "session.list": frozenset({OA, SS, PK, KB}),
    "attendance.record": frozenset({PK, SS, OA}),
    "attendance.verify": frozenset({SS, OA}),
    "supervision.manage": frozenset({PK, KB}),
    "closure.sign": frozenset({KB}),
    "reminder.view": frozenset({OA, SS, PK, KB}),
    "monitoring.view": frozenset({A, KB, SD}),
    "workplan.report": frozenset({A, KB, SD, OA}),
    "workplan.own_activities": frozenset({OA, KB}),  # the dashboard's "my activities"
    "agreement.addendum": frozenset({A, KB, SD}),
    "agreement.evaluate": frozenset({A, KB, SD}),
    "api.token": EVERYONE,
    "notification.view": EVERYONE,
    "notification.failures": frozenset({A}),
}


def may(user: User, action: str) -> bool:
    """True when the user's role allows ``action`` (an unknown action is never allowed)."""
    if not user.enabled:
        return False
    return role_may(user.role, action)


def role_may(role: str, action: str) -> bool:
    """True when ``role`` allows ``action``, whoever holds it (the menu of a role)."""
    return role in PERMISSIONS.get(action, frozenset())


# --- who the user is: for pages, lists and reminders that differ by role ------


def is_admin(user: User) -> bool:
    """The portal's operator."""
    return user.role == A


def is_pk(user: User) -> bool:
    """A Pembimbing Kemasyarakatan: works on the clients assigned to him."""
    return user.role == PK


def is_head_of_bapas(user: User) -> bool:
    """The Kepala Bapas: sees every client of his Bapas, appoints PKs, signs."""
    return user.role == KB


def on_bapas_side(user: User) -> bool:
    """A PK or the Kepala Bapas."""
    return user.role in Role.BAPAS_ROLES


def on_opd_side(user: User) -> bool:
    """An OPD admin or a PJ lokasi (site supervisor)."""
    return user.role in Role.OPD_ROLES


def on_placement_side(user: User) -> bool:
    """The Bapas side or the OPD side: the only roles a placement is ever shown to."""
    return on_bapas_side(user) or on_opd_side(user)


# --- agreements -------------------------------------------------------------


def can_see_agreement(user: User, agreement: Agreement) -> bool:
    """A party to the agreement sees it: its Bapas, its Pemda's Setda and OPDs."""
    if user.role == A:
        return True
    if user.role in Role.BAPAS_ROLES:
        return agreement.bapas_id == user.bapas_id
    pemda_id = user.effective_pemda_id
    return pemda_id is not None and agreement.pemda_id == pemda_id


def agreements_scope(user: User) -> ColumnElement[bool]:
    """SQL condition selecting the agreements ``user`` may see."""
    if user.role == A:
        return true()
    if user.role in Role.BAPAS_ROLES:
        return Agreement.bapas_id == user.bapas_id if user.bapas_id else false()
    pemda_id = user.effective_pemda_id
    return Agreement.pemda_id == pemda_id if pemda_id else false()


def agreement_party(user: User, agreement: Agreement) -> str | None:
    """Which party of the agreement the user signs for: 'bapas' (its Kepala Bapas),
    'pemda' (its Setda), or None (everyone else, the admin included)."""
    if user.role == KB and user.bapas_id is not None and agreement.bapas_id == user.bapas_id:
        return "bapas"
    if user.role == SD and user.pemda_id is not None and agreement.pemda_id == user.pemda_id:
        return "pemda"
    return None


def can_propose_addendum(user: User, agreement: Agreement) -> bool:
    """NK Pasal 15: a party (Kepala Bapas, Setda) proposes an addendum; the admin may
    record one that both parties have signed."""
    if not may(user, "agreement.addendum"):
        return False
    return user.role == A or agreement_party(user, agreement) is not None


def can_confirm_addendum(user: User, agreement: Agreement, proposed_party: str) -> bool:
    """Only the *other* party (or the admin) confirms or refuses a proposed addendum."""
    if not may(user, "agreement.addendum"):
        return False
    if user.role == A:
        return True
    party = agreement_party(user, agreement)
    return party is not None and party != proposed_party


def can_withdraw_addendum(user: User, agreement: Agreement, proposed_party: str) -> bool:
    """The proposing party (or the admin) withdraws its own proposal."""
    if not may(user, "agreement.addendum"):
        return False
    return user.role == A or agreement_party(user, agreement) == proposed_party


# --- api (issue 3) ----------------------------------------------------------


def opds_scope(user: User) -> ColumnElement[bool]:
    """SQL condition selecting the OPDs ``user`` may see.

    Admins see all; Bapas users the OPDs of the Pemdas their Bapas has an
    agreement with; Pemda and OPD users the OPDs of their own Pemda.
    """
    from portal.models import Opd

    if user.role == A:
        return true()
    partner_pemdas = select(Agreement.pemda_id).where(agreements_scope(user))
    conditions: list[ColumnElement[bool]] = [Opd.pemda_id.in_(partner_pemdas)]
    if user.effective_pemda_id is not None:
        conditions.append(Opd.pemda_id == user.effective_pemda_id)
    return or_(*conditions)


# --- slots -------------------------------------------------------------------


def can_see_slot(user: User, slot: Slot) -> bool:
    """OPD users see their own OPD's slots (drafts too); Bapas users the offered slots
    of their own Bapas's agreements (published, or closed ones their placements may
    still point to); admin all; Setda none (it sees aggregates in monitoring)."""
    if user.role == A:
        return True
    if user.role in Role.OPD_ROLES:
        return user.opd_id is not None and slot.opd_id == user.opd_id
    if user.role in Role.BAPAS_ROLES:
        return (
            user.bapas_id is not None
            and slot.status != "draft"
            and slot.agreement.bapas_id == user.bapas_id
        )
    return False


def can_manage_slot(user: User, slot: Slot) -> bool:
    """Only an OPD admin of the slot's own OPD changes it."""
    return user.role == OA and user.opd_id is not None and slot.opd_id == user.opd_id


def slots_scope(user: User) -> ColumnElement[bool]:
    """SQL condition selecting the slots ``user`` may see (see ``can_see_slot``)."""
    if user.role == A:
        return true()
    if user.role in Role.OPD_ROLES:
        return Slot.opd_id == user.opd_id if user.opd_id else false()
    if user.role in Role.BAPAS_ROLES and user.bapas_id:
        own = select(Agreement.id).where(Agreement.bapas_id == user.bapas_id)
        return and_(Slot.status != "draft", Slot.agreement_id.in_(own))
    return false()


# --- clients and placements (issue 7) ----------------------------------------
#
# Need-to-know (NK Pasal 9): a PK sees the clients assigned to him, the Kepala
# Bapas every client of his Bapas; nobody outside the Bapas sees a client record
# (not even the portal's admin). Placements: the Bapas side as for its client;
# the OPD admin every placement at his OPD's slots; a site supervisor only the
# placements at the slots that name him as supervisor (Slot.supervisor_user_id).


def can_see_client(user: User, client: Client) -> bool:
    """The client's own PK, or the Kepala Bapas of the client's Bapas."""
    if not user.enabled or user.bapas_id is None or client.bapas_id != user.bapas_id:
        return False
    if user.role == KB:
        return True
    return user.role == PK and client.pk_id == user.id


def clients_scope(user: User) -> ColumnElement[bool]:
    """SQL condition selecting the clients ``user`` may see."""
    if user.role == KB and user.bapas_id:
        return Client.bapas_id == user.bapas_id
    if user.role == PK and user.bapas_id:
        return and_(Client.bapas_id == user.bapas_id, Client.pk_id == user.id)
    return false()


def can_see_placement(user: User, placement: Placement) -> bool:
    """The client's Bapas side, or the OPD side of the slot (client code only)."""
    if user.role in Role.BAPAS_ROLES:
        return can_see_client(user, placement.client)
    slot = placement.slot
    if user.role == OA:
        return user.opd_id is not None and slot.opd_id == user.opd_id
    if user.role == SS:
        return slot.supervisor_user_id == user.id
    return False


def placements_scope(user: User) -> ColumnElement[bool]:
    """SQL condition selecting the placements ``user`` may see (joined to Slot and Client).

    A Kepala Bapas's and an OPD admin's are read on the placement's own Bapas and OPD (its
    client's and its slot's, kept on it); a PK's through his clients, a PJ's through his
    slots."""
    if user.role == KB and user.bapas_id:
        return Placement.bapas_id == user.bapas_id
    if user.role in Role.BAPAS_ROLES:
        return clients_scope(user)
    if user.role == OA and user.opd_id:
        return Placement.opd_id == user.opd_id
    if user.role == SS:
        return Slot.supervisor_user_id == user.id
    return false()


def placements_within_bapas(user: User) -> list[ColumnElement[bool]]:
    """What ``placements_scope`` implies for a PK on the placement itself: his placements are
    among his Bapas's (the Bapas is kept on each). Told so, PostgreSQL reads his Bapas's
    placements on their index instead of every placement of the province joined to his
    clients; SQLite (no statistics) does better from his clients, so only PostgreSQL is told."""
    if user.role == PK and user.bapas_id:
        return [Placement.bapas_id == user.bapas_id]
    return []


def sessions_office(user: User) -> tuple[ColumnElement[bool], bool] | None:
    """SQL on WorkSession: the sessions of the office that holds every session ``user`` sees
    (his Bapas, or an OPD admin's OPD), and whether they are exactly the sessions he sees
    (a Kepala Bapas, an OPD admin) or more (a PK: a list keeps only his placements). None
    when there is no such office (a PJ's slots are named by account, whatever their OPD)."""
    if user.role in Role.BAPAS_ROLES and user.bapas_id:
        return WorkSession.bapas_id == user.bapas_id, user.role == KB
    if user.role == OA and user.opd_id:
        return WorkSession.opd_id == user.opd_id, True
    return None


def placements_scope_reads_site(user: User) -> bool:
    """Whether ``placements_scope(user)`` reads the slot (a PJ's) or not (the placement or
    the client only)."""
    return user.role == SS


def sees_client_identity(user: User) -> bool:
    """Only the Bapas side ever sees a client's name; others see his code (NK Pasal 9)."""
    return on_bapas_side(user)


# --- attendance and supervision ---------------------------------------------
# Attendance is seen by the client's Bapas, by the OPD admin of the slot's OPD and
# by the PJ lokasi named on the slot (his site only, client code not name).
# Supervision records (assessments, conduct, closure) stay inside the Bapas.


def can_record_attendance(user: User, placement: Placement) -> bool:
    """PK of the client's Bapas, the slot's OPD admin or its PJ may enter attendance."""
    return may(user, "attendance.record") and can_see_placement(user, placement)


def can_verify_attendance(user: User, placement: Placement) -> bool:
    """Only the OPD side of the placement (PJ lokasi, OPD admin) verifies attendance."""
    return may(user, "attendance.verify") and can_see_placement(user, placement)


def placements_at_my_sites_scope(user: User) -> ColumnElement[bool]:
    """SQL condition on Placement joined with Slot: the OPD side's placements (none for others)."""
    return placements_scope(user) if on_opd_side(user) else false()


# --- monitoring ---------------------------------------------------------------


def can_monitor_agreement(user: User, agreement: Agreement) -> bool:
    """Monitoring readers see: admin all, Kepala Bapas his Bapas's, Setda his Pemda's."""
    if not may(user, "monitoring.view"):
        return False
    if user.role == A:
        return True
    if user.role == KB:
        return user.bapas_id is not None and agreement.bapas_id == user.bapas_id
    if user.role == SD:
        return user.pemda_id is not None and agreement.pemda_id == user.pemda_id
    return False


def can_report_workplan(user: User, activity: WorkplanActivity) -> bool:
    """The responsible party reports progress by hand.

    Bapas activities: the Kepala Bapas of that Bapas. Pemda activities: that Pemda's
    Setda. OPD activities: the OPD admin of the responsible OPD (any OPD of the Pemda
    when the activity names none) and the Pemda's Setda, who coordinates the OPDs.
    The portal's admin may report any activity.
    """
    if not may(user, "workplan.report"):
        return False
    agreement = activity.agreement
    if user.role == A:
        return True
    party = activity.responsible_party
    if user.role == KB:
        return party == "bapas" and agreement.bapas_id == user.bapas_id
    if user.role == SD:
        return party in ("pemda", "opd") and agreement.pemda_id == user.pemda_id
    if user.role == OA and party == "opd" and user.opd is not None:
        if activity.responsible_opd_id is not None:
            return activity.responsible_opd_id == user.opd_id
        return user.opd.pemda_id == agreement.pemda_id
    return False
