"""The OpenAPI document: valid OpenAPI 3, and exactly the /api/v1 routes that exist."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from portal.api.openapi import api_rules, openapi_path, undocumented_endpoints


def test_document_validates_as_openapi_3(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    validate(document)


def test_every_api_route_is_documented(app: Flask) -> None:
    assert undocumented_endpoints(app) == []


def test_document_lists_exactly_the_routes_that_exist(app: Flask, client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    in_document = {
        (path, method.upper()) for path, ops in document["paths"].items() for method in ops
    }
    in_url_map = {
        (openapi_path(rule.rule)[0], method)
        for rule in api_rules(app)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert in_document == in_url_map
    assert {"/api/v1/me", "/api/v1/agreements", "/api/v1/opds", "/api/v1/job-categories"} <= {
        p for p, _ in in_document
    }


def test_protected_operations_declare_bearer_auth_and_the_error_shape(client: FlaskClient) -> None:
    document: dict[str, Any] = client.get("/api/v1/openapi.json").get_json()
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            if path == "/api/v1/openapi.json":
                assert op["security"] == []
                continue
            assert op["security"] == [{"bearerAuth": []}], (path, method)
            assert {"401", "403"} <= set(op["responses"]), (path, method)
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "message", "details"]
