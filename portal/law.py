"""The numbers the law sets on a community-service sentence, in one place.

Plain constants, no Flask and no database: the rule modules, the matching engine, the
validators and the forms read them from here.

- KUHP (UU 1/2023) Pasal 85 (adults): pidana kerja sosial of 8 to 240 hours in all, at
  most 8 hours in one day, spread over at most 6 months.
- KUHP Pasal 85 ayat 1: the work replaces a prison term of at most 6 months or a fine of
  at most kategori II (Pasal 79 ayat 1 huruf b: Rp10.000.000); ayat 7: the court states
  which, to apply if the work is not done.
- UU 11/2012 (SPPA) Pasal 76 (children): pelayanan masyarakat of 7 to 120 hours.
- UU 11/2012 (SPPA) Pasal 20: who offended before 18 is a child and stays in the child
  system (age at the offence decides, not age at the decision).
"""

from __future__ import annotations

from typing import Final

# KUHP Pasal 85: at most 8 hours of work in one day.
MAX_DAILY_HOURS: Final = 8
MAX_DAILY_MINUTES: Final = MAX_DAILY_HOURS * 60

# KUHP Pasal 85: the hours may be spread over at most 6 months.
MAX_MONTHS: Final = 6

# KUHP Pasal 85 ayat 1: the penalty the work replaces is at most 6 months of prison or a
# fine of at most kategori II (KUHP Pasal 79 ayat 1 huruf b).
MAX_REPLACED_PRISON_MONTHS: Final = 6
MAX_REPLACED_FINE: Final = 10_000_000

# Hours ordered in all, (lowest, highest): KUHP Pasal 85 for adults, UU SPPA Pasal 76 for
# children.
ADULT_HOURS: Final = (8, 240)
CHILD_HOURS: Final = (7, 120)

# UU SPPA Pasal 20: under this age on the day of the offence, the client is a child.
CHILD_AGE_LIMIT: Final = 18


def hours_range(is_child: bool) -> tuple[int, int]:
    """The lowest and highest total hours a court may order (SPPA Pasal 76 / KUHP Pasal 85)."""
    return CHILD_HOURS if is_child else ADULT_HOURS
