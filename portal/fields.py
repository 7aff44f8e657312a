"""How much each entered field may hold, declared once.

The column (``String(n)``), the web form, the API schema and the validator read the
same number here, so that what a form or the API accepts always fits the database and
the messages name the right limit. Plain constants: no Flask, no database.
"""

from __future__ import annotations

from typing import Final

# --- client (registration and profile) ----------------------------------------

# Text fields and their longest length. Fields kept as TEXT in the database (interests,
# the reason for a vulnerable-contact exception, notes) are limited on entry only.
CLIENT_TEXT: Final[dict[str, int]] = {
    "full_name": 160,
    "birth_place": 100,
    "religion": 40,
    "address": 300,
    "father_name": 160,
    "mother_name": 160,
    "physical_marks": 300,
    "decision_number": 120,
    "court": 160,
    "execution_order_number": 120,
    "occupation": 160,
    "offence": 300,
    "physical_risk_skill": 300,
    "interests": 2000,
    "vulnerable_contact_reason": 2000,
    "notes": 4000,
}
# Text fields a client cannot be registered without.
CLIENT_REQUIRED_TEXT: Final = ("full_name", "address", "decision_number", "court", "offence")
NIK_DIGITS: Final = 16
CODE: Final = 30

VICTIM_PLACES_MAX: Final = 5
VICTIM_LABEL_MAX: Final = 100
TRAVEL_KM: Final = (0.5, 100)  # the furthest a client is asked to travel, (lowest, highest)
DEPENDANTS: Final = (0, 30)

# --- agreements and letters --------------------------------------------------

# A letter number (the parties' agreement and addendum numbers, a PK's appointment,
# the Jaksa's letter).
LETTER_NUMBER: Final = 120
