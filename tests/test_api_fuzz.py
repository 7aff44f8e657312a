"""Property-based run over the live OpenAPI document: no request makes the server fail.

schemathesis reads /api/v1/openapi.json from the app in-process, so every
endpoint that any area adds is called here too, with a valid bearer token of a
Bapas and of an OPD user, and with generated (also invalid) parameters and
bodies. Hypothesis drives each operation directly (schemathesis' lazy pytest
loader breaks on newer pytest releases).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import make_api_token

MAX_EXAMPLES = 25
# The foundation's own endpoints must also answer exactly as documented.
CONFORMANCE_CHECKED = {
    "/api/v1/me",
    "/api/v1/agreements",
    "/api/v1/opds",
    "/api/v1/job-categories",
}


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
            extra = [response_schema_conformance] if case.path in CONFORMANCE_CHECKED else []
            case.call_and_validate(checks=[not_a_server_error], additional_checks=extra)

        run()
    return labels


@pytest.mark.parametrize("username", ["pk.madiun", "opd.dinsos"])
def test_no_server_error(app: Flask, db: Any, username: str) -> None:
    headers = {"Authorization": f"Bearer {make_api_token(username, days=1)}"}
    labels = fuzz_operations(app, headers)
    assert "GET /api/v1/me" in labels
    assert "GET /api/v1/opds" in labels
