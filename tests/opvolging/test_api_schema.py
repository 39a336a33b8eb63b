"""Schemathesis against the OpenAPI document, in-process over WSGI: no server error, no schema violation."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from facilitatie.api import tokens


@pytest.fixture
def token(wereld) -> str:
    _rij, token = tokens.maak(wereld.beleid, "schemathesis")
    return token


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_api_conforms_to_its_openapi_document(app, wereld, token):
    """Every operation, fuzzed in-process over WSGI (runs per database, like every integration test)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operaties = [resultaat.ok() for resultaat in schema.get_all_operations()]
    assert len(operaties) == 8
    for operatie in operaties:

        @given(case=operatie.as_strategy())
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def controleer(case) -> None:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            case.validate_response(response, checks=CHECKS)

        controleer()


def test_openapi_document_is_public_and_describes_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert {"/sessies", "/acties", "/acties/{actie_id}/status", "/dashboard", "/besluiten"} <= set(doc["paths"])
