"""The life cycles of a placement and of a client, as plain string constants.

No Flask and no database: the models store these values, and pure modules (the
monitoring indicators, the rules) compare against them without importing the models.
"""

from __future__ import annotations


class PlacementStatus:
    """booked → accepted | declined; accepted → active → completed | ended."""

    BOOKED = "booked"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED = "ended"
    # Statuses that hold a seat of the slot's capacity.
    SEAT_HOLDING = (BOOKED, ACCEPTED, ACTIVE)
    # Placements on which the client works: attendance may be recorded on them.
    WORKING = (ACCEPTED, ACTIVE)


class ClientStatus:
    """registered → placed → active → completed; closed once the Kepala Bapas closes the case."""

    REGISTERED = "registered"
    PLACED = "placed"
    ACTIVE = "active"
    COMPLETED = "completed"
    CLOSED = "closed"
