"""Domain events one area announces and another reacts to, without importing each other.

Each signal is sent by the service that makes the change, after it is flushed, with the
changed record as sender and keyword data; receivers run in the same transaction.
Receivers connect where they are defined (e.g. ``portal.sessions.services``).
"""

from __future__ import annotations

from blinker import Namespace

_events = Namespace()

#: A day of work was recorded: sender the new ``Attendance``; ``user=`` who recorded it.
#: Sent by ``portal.attendance.services.record_attendance``.
attendance_recorded = _events.signal("attendance-recorded")

#: A placement ended because its client's case was closed: sender the ``Placement``;
#: ``reason=`` the Indonesian end reason, ``user=`` who closed the case.
#: Sent by ``portal.supervision.services``.
placement_ended = _events.signal("placement-ended")
