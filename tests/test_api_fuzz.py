"""Property-based run over the live OpenAPI document, for every role: the document tells the truth.

schemathesis reads /api/v1/openapi.json from the app in-process, so every
endpoint that any area adds is called here too, with a valid bearer token of
each role and with generated (also invalid) parameters and bodies. Each answer
must be no server error, a status the document lists for that operation, the
content type and the JSON schema it documents; and a request the document calls
valid must not be refused as invalid input (``validation_error``): bounds and
formats belong in the document. Hypothesis drives each operation directly
(schemathesis' lazy pytest loader breaks on newer pytest releases); the number
of examples is bounded so the whole run stays short.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import make_api_token
from tests.test_security_audit import DEMO_ROLES

MAX_EXAMPLES = 12


# Fields the server may still refuse in a request the schema allows: rules between fields or
# against records (an OPD of another agreement, a point outside the Pemda's area), which a
# JSON schema cannot state. Each operation's description says so; any other field is a lie.
CLIENT_CROSS_CHECKED = {
    "available",  # each window ends after it starts, no overlap, at most 8 hours a day
    "birth_date",  # before today
    "deadline",  # after the start, at most six months later
    "decision_date",  # not after today
    "execution_order_date",
    "start_date",
    "hours_ordered",  # 8-240 for an adult, another range for a child (is_child)
    "is_child",  # against the age on the offence date (UU SPPA Pasal 20)
    "offence_date",  # not after the decision date
    "pk_id",  # a PK of the caller's Bapas
    "vulnerable_contact_exception",  # only the Kepala Bapas, with a reason
    "vulnerable_contact_reason",
}
SLOT_CROSS_CHECKED = {
    "complaint_contact",  # required to publish (Pedoman 2.3.1 f.3)
    "lat",  # inside the Pemda's area
    "physical_risk_skill",  # required when the risks include a high physical one
    "lng",
    "place_type",  # one of the reference table's place types
    "schedule",  # each window ends after it starts, no overlap, at most 8 hours a day
    "supervisor_user_id",  # an account of the caller's own OPD
    "valid_from",  # within the agreement
    "valid_until",
}
CROSS_CHECKED: dict[str, set[str]] = {
    "GET /api/v1/reports/summary": {"end", "opd_id"},
    "POST /api/v1/clients": CLIENT_CROSS_CHECKED,
    "PATCH /api/v1/clients/{client_id}": CLIENT_CROSS_CHECKED,
    "POST /api/v1/slots": SLOT_CROSS_CHECKED,
    "PATCH /api/v1/slots/{slot_id}": SLOT_CROSS_CHECKED | {"capacity"},  # not below seats in use
    "POST /api/v1/agreements/{agreement_id}/addenda": {
        "number_bapas",  # not blank, not the number of another live addendum
        "number_pemda",  # not blank
        "signed_on",  # not in the future, not before the agreement
        "valid_until",  # after the addendum's date and the current end
        "summary",  # 10 characters besides surrounding spaces
    },  # (checked with the others, so that every wrong field is told at once)
}


class SchemaValidInputRefused(Failure):
    """The document allowed the request; the server called it invalid input."""


def schema_valid_input_is_not_refused(ctx: Any, response: Any, case: Any) -> bool | None:
    """A request generated from the schema (positive mode) is never a ``validation_error``."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code in (400, 415, 422):
        try:
            body = response.json()
        except ValueError:
            body = {}
        code = body.get("error") if isinstance(body, dict) else None
        fields = set((body.get("details") or {}).get("fields") or {}) if code else set()
        allowed = CROSS_CHECKED.get(case.operation.label, set())
        if response.status_code != 422 or (code == "validation_error" and fields - allowed):
            raise SchemaValidInputRefused(
                operation=case.operation.label,
                title="Request valid by the schema refused as invalid input",
                message=f"{response.status_code} {body!r}",
            )
    return True


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
EXTRA = [response_schema_conformance, schema_valid_input_is_not_refused]


def fuzz_operations(app: Flask, headers: dict[str, str]) -> list[str]:
    """Call every documented operation with generated input; returns their labels."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    labels = []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(f"{operation.method.upper()} {operation.path}")

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            # A generated Authorization header (a random token) is replaced by a valid one.
            case.headers = {**(case.headers or {}), **headers}
            case.call_and_validate(checks=CHECKS, additional_checks=EXTRA)

        run()
    return labels


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_every_role_gets_only_documented_answers(app: Flask, db: Any, username: str) -> None:
    headers = {"Authorization": f"Bearer {make_api_token(username, days=1)}"}
    labels = fuzz_operations(app, headers)
    assert "GET /api/v1/me" in labels
    assert "GET /api/v1/opds" in labels
