"""Each client text limit is declared once and the column, the API schema and the
validator all hold to it (portal/fields.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import String

from portal.clients.api import CLIENT_FIELDS
from portal.clients.validation import ClientData, validate_client
from portal.fields import CLIENT_TEXT, LETTER_NUMBER
from portal.models import Addendum, Agreement, Client


@pytest.mark.parametrize("name", sorted(CLIENT_TEXT))
def test_column_schema_and_validator_share_the_limit(name):
    longest = CLIENT_TEXT[name]
    column = Client.__table__.columns[name]
    if isinstance(column.type, String) and column.type.length is not None:
        assert column.type.length == longest
    assert CLIENT_FIELDS[name]["maxLength"] == longest

    fits = validate_client(ClientData(**{name: "x" * longest}), date(2026, 6, 1))
    assert f"Maksimal {longest} karakter." not in fits.get(name, [])
    too_long = validate_client(ClientData(**{name: "x" * (longest + 1)}), date(2026, 6, 1))
    assert f"Maksimal {longest} karakter." in too_long[name]


def test_letter_numbers_share_one_limit():
    tables = (Agreement.__table__.columns, Addendum.__table__.columns)
    lengths = {c.type.length for cols in tables for c in cols if "number" in c.name}
    assert lengths == {LETTER_NUMBER}
