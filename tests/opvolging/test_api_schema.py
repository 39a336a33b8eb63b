"""Schemathesis against the OpenAPI document, in-process over WSGI: no server error, no schema violation."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
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


@pytest.mark.timeout(600)  # ten operations fuzzed; slow on a shared machine
def test_api_conforms_to_its_openapi_document(app, wereld, token):
    """Every operation, fuzzed in-process over WSGI (runs per database, like every integration test)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operaties = [resultaat.ok() for resultaat in schema.get_all_operations()]
    assert len(operaties) == 10
    for operatie in operaties:

        @given(case=operatie.as_strategy())
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def controleer(case) -> None:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            case.validate_response(response, checks=CHECKS)

        controleer()


def _fuzz(operatie, modus: GenerationMode, checks: list, token: str, gezien: set[int]) -> None:
    @given(case=operatie.as_strategy(generation_mode=modus))
    @settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def controleer(case) -> None:
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        gezien.add(response.status_code)
        assert response.status_code < 500
        case.validate_response(response, checks=checks)

    controleer()


@pytest.mark.timeout(600)
def test_posting_signalen_never_fails_under_fuzzing(app, wereld):
    """POST /knelpunten with a 'signalen melden' token: valid bodies (201/200/409/422) and invalid ones (400/422)."""
    _rij, token = tokens.maak(
        wereld.begeleider, "schemathesis", scope=tokens.SIGNALEN_SCHRIJVEN, gemeente_id=wereld.gemeente.id
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    [operatie] = [
        r.ok() for r in schema.get_all_operations() if r.ok().path == "/knelpunten" and r.ok().method == "post"
    ]
    gezien: set[int] = set()
    _fuzz(operatie, GenerationMode.POSITIVE, CHECKS, token, gezien)
    _fuzz(operatie, GenerationMode.NEGATIVE, [not_a_server_error, content_type_conformance], token, gezien)
    assert max(gezien) < 500 and gezien & {400, 422}


def test_openapi_document_is_public_and_describes_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert {"/sessies", "/acties", "/acties/{actie_id}/status", "/dashboard", "/besluiten"} <= set(doc["paths"])
    assert "post" in doc["paths"]["/knelpunten"]
    assert set(doc["webhooks"]) == {"besluit.vastgelegd", "actie.aangemaakt", "actie.status_gewijzigd"}
