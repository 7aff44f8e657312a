"""Property-based run over the live OpenAPI document: no request makes the server fail.

schemathesis reads /api/v1/openapi.json from the app in-process, so every
endpoint that any area adds is called here too, with a valid bearer token of a
Bapas and of an OPD user, and with generated (also invalid) parameters and bodies.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import make_api_token

# The foundation's own endpoints must also answer exactly as documented.
CONFORMANCE_CHECKED = {
    "/api/v1/me",
    "/api/v1/agreements",
    "/api/v1/opds",
    "/api/v1/job-categories",
}


@pytest.fixture
def api_schema(app: Flask, db: Any) -> Any:
    """The API as schemathesis sees it, loaded from the running app."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def pk_header(db: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_api_token('pk.madiun', days=1)}"}


@pytest.fixture
def opd_header(db: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_api_token('opd.dinsos', days=1)}"}


schema = schemathesis.pytest.from_fixture("api_schema")
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def call(case: Any, headers: dict[str, str]) -> None:
    # The generated Authorization header (random tokens) is replaced by a valid one.
    case.headers = {**(case.headers or {}), **headers}
    extra = [response_schema_conformance] if case.path in CONFORMANCE_CHECKED else []
    case.call_and_validate(checks=[not_a_server_error], additional_checks=extra)


@schema.parametrize()
@FUZZ
def test_no_server_error_as_pk(case: Any, pk_header: dict[str, str]) -> None:
    call(case, pk_header)


@schema.parametrize()
@FUZZ
def test_no_server_error_as_opd_admin(case: Any, opd_header: dict[str, str]) -> None:
    call(case, opd_header)
