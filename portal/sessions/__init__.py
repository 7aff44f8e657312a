"""Planned work sessions of placements, their outcomes, the PJ roster and calendars."""
