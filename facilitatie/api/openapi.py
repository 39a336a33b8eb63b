"""The OpenAPI 3 document of API v1, written by hand so it says exactly what the views return."""

from __future__ import annotations

from typing import Any

from facilitatie.knelpunten.models import DOMEINEN
from facilitatie.opvolging.regels import Actiestatus, Besluitsoort


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


_TIJD = {"type": "string", "format": "date-time"}
_DATUM = {"type": "string", "format": "date"}
_ID = {"type": "integer", "minimum": 1}

_FOUT = {
    "type": "object",
    "required": ["fout"],
    "properties": {"fout": {"type": "string", "description": "Wat er mis is, in het Nederlands."}},
}


def _lijst(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items", "totaal", "pagina", "per_pagina"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            "totaal": {"type": "integer", "minimum": 0},
            "pagina": {"type": "integer", "minimum": 1},
            "per_pagina": {"type": "integer", "minimum": 1},
        },
    }


_TELLING = {
    "type": "object",
    "required": [
        "knelpunten",
        "opgepakt",
        "niet_opgepakt",
        "doorverwezen",
        "al_opgelost",
        "zonder",
        "in_sessie",
        "met_besluit",
        "mediaan_besluit",
    ],
    "properties": {
        **{
            naam: {"type": "integer", "minimum": 0}
            for naam in (
                "knelpunten",
                "opgepakt",
                "niet_opgepakt",
                "doorverwezen",
                "al_opgelost",
                "zonder",
                "in_sessie",
                "met_besluit",
            )
        },
        "mediaan_besluit": _nullable({"type": "number", "minimum": 0}),
    },
}

SCHEMAS: dict[str, Any] = {
    "Fout": _FOUT,
    "Sessie": {
        "type": "object",
        "required": ["id", "titel", "gemeente", "sessievorm", "status", "teams", "aangemaakt_op", "afgesloten_op"],
        "properties": {
            "id": _ID,
            "titel": {"type": "string"},
            "gemeente": _ID,
            "sessievorm": {"type": "string"},
            "status": {"type": "string", "enum": ["concept", "live", "afgesloten"]},
            "teams": {"type": "array", "items": _ID},
            "aangemaakt_op": _TIJD,
            "afgesloten_op": _nullable(_TIJD),
        },
    },
    "Besluit": {
        "type": "object",
        "required": ["id", "knelpunt", "soort", "reden", "doorverwezen_naar", "toelichting", "besloten_op"],
        "properties": {
            "id": _ID,
            "knelpunt": _ID,
            "soort": {"type": "string", "enum": [s.value for s in Besluitsoort]},
            "reden": _nullable({"type": "string"}),
            "doorverwezen_naar": _nullable({"type": "string"}),
            "toelichting": _nullable({"type": "string"}),
            "besloten_op": _TIJD,
        },
    },
    "Knelpunt": {
        "type": "object",
        "description": "Nooit met auteur: een knelpunt wordt alleen bij zijn wijkteam getoond.",
        "required": ["id", "sessie", "tekst", "domein", "team", "thema", "aangemaakt_op", "besluit"],
        "properties": {
            "id": _ID,
            "sessie": _ID,
            "tekst": {"type": "string"},
            "domein": {"type": "string"},
            "team": _nullable(_ID),
            "thema": _nullable(_ID),
            "aangemaakt_op": _TIJD,
            "besluit": {"allOf": [{"$ref": "#/components/schemas/Besluit"}], "nullable": True},
        },
    },
    "Historie": {
        "type": "object",
        "required": ["op", "door", "veld", "van", "naar", "reden"],
        "properties": {
            "op": _TIJD,
            "door": _nullable({"type": "string"}),
            "veld": {"type": "string"},
            "van": _nullable({"type": "string"}),
            "naar": _nullable({"type": "string"}),
            "reden": _nullable({"type": "string"}),
        },
    },
    "Actie": {
        "type": "object",
        "required": [
            "id",
            "gemeente",
            "sessie",
            "verwachting",
            "omschrijving",
            "eigenaar",
            "afdeling",
            "streefdatum",
            "status",
            "te_laat",
            "knelpunten",
            "aangemaakt_op",
            "afgerond_op",
        ],
        "properties": {
            "id": _ID,
            "gemeente": _ID,
            "sessie": _nullable(_ID),
            "verwachting": _nullable(_ID),
            "omschrijving": {"type": "string"},
            "eigenaar": {
                "type": "object",
                "nullable": True,
                "required": ["id", "naam"],
                "properties": {"id": _ID, "naam": {"type": "string"}},
            },
            "afdeling": _nullable({"type": "string"}),
            "streefdatum": _nullable(_DATUM),
            "status": {"type": "string", "enum": [s.value for s in Actiestatus]},
            "te_laat": {"type": "boolean"},
            "knelpunten": {"type": "array", "items": _ID},
            "aangemaakt_op": _TIJD,
            "afgerond_op": _nullable(_TIJD),
            "historie": {"type": "array", "items": {"$ref": "#/components/schemas/Historie"}},
        },
    },
    "Statuswijziging": {
        "type": "object",
        "required": ["status"],
        "properties": {
            "status": {"type": "string", "enum": [s.value for s in Actiestatus]},
            "reden": {"type": "string", "description": "Verplicht bij vervallen, terugzetten en heropenen."},
            "toch": {"type": "boolean", "description": "Opslaan ondanks een privacywaarschuwing."},
        },
    },
    "Telling": _TELLING,
    "Dashboard": {
        "type": "object",
        "required": ["gemeente", "van", "tot", "peildatum", "knelpunten", "per_domein", "per_team", "trend", "acties"],
        "properties": {
            "gemeente": _ID,
            "van": _nullable(_DATUM),
            "tot": _nullable(_DATUM),
            "peildatum": _DATUM,
            "knelpunten": {"$ref": "#/components/schemas/Telling"},
            "per_domein": {
                "type": "array",
                "items": {"allOf": [{"$ref": "#/components/schemas/Telling"}], "required": ["domein"]},
            },
            "per_team": {
                "type": "array",
                "items": {"allOf": [{"$ref": "#/components/schemas/Telling"}], "required": ["team", "naam"]},
            },
            "trend": {
                "type": "array",
                "items": {"allOf": [{"$ref": "#/components/schemas/Telling"}], "required": ["maand"]},
            },
            # Per werkmodel of the teams and per regelruimte; the key is null for no team / not recorded.
            **{
                f"per_{groep}": {
                    "type": "array",
                    "items": {
                        "allOf": [{"$ref": "#/components/schemas/Telling"}],
                        "required": [groep, "naam"],
                        "properties": {groep: _nullable({"type": "string"}), "naam": {"type": "string"}},
                    },
                }
                for groep in ("werkmodel", "knel", "oplosser")
            },
            "acties": {
                "type": "object",
                "required": ["totaal", "open", "in_uitvoering", "te_laat", "afgerond", "vervallen", "mediaan_afgerond"],
                "properties": {
                    **{
                        n: {"type": "integer", "minimum": 0}
                        for n in ("totaal", "open", "in_uitvoering", "te_laat", "afgerond", "vervallen")
                    },
                    "mediaan_afgerond": _nullable({"type": "number", "minimum": 0}),
                },
            },
            "terugkomers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["knelpunt", "keer", "dagen_sinds_eerste", "besluit"],
                    "properties": {
                        "knelpunt": _ID,
                        "keer": {"type": "integer", "minimum": 1},
                        "dagen_sinds_eerste": {"type": "integer"},
                        "besluit": _nullable({"type": "string"}),
                    },
                },
            },
        },
    },
}
for _naam in ("Sessie", "Knelpunt", "Besluit", "Actie"):
    SCHEMAS[f"{_naam}Lijst"] = _lijst(_naam)


def _fouten(*codes: int) -> dict[str, Any]:
    uitleg = {
        400: "Ongeldige invoer of een niet toegestane statuswijziging",
        401: "Geen of een ongeldig token",
        403: "Geen toegang (andere gemeente, ander team of alleen-lezen rol)",
        404: "Niet gevonden",
    }
    return {
        str(c): {
            "description": uitleg[c],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Fout"}}},
        }
        for c in codes
    }


def _ok(schema: str, beschrijving: str) -> dict[str, Any]:
    return {
        "200": {
            "description": beschrijving,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
    }


def _param(naam: str, schema: dict[str, Any], beschrijving: str, plek: str = "query") -> dict[str, Any]:
    return {"name": naam, "in": plek, "required": plek == "path", "schema": schema, "description": beschrijving}


_PAGINA = _param("pagina", {"type": "integer", "minimum": 1}, "Paginanummer (vanaf 1)")
_GEMEENTE = _param("gemeente", _ID, "Gemeente (alleen de beheerder kiest een andere dan de eigen)")
_VAN = _param("van", _DATUM, "Vanaf deze datum (inclusief)")
_TOT = _param("tot", _DATUM, "Tot en met deze datum")
_FILTERS = [
    _GEMEENTE,
    _param("team", _ID, "Wijkteam"),
    _param("domein", {"type": "string", "enum": list(DOMEINEN)}, "Domein"),
    _param("sessie", _ID, "Sessie"),
    _param("eigenaar", _ID, "Eigenaar van de actie"),
    _VAN,
    _TOT,
    _PAGINA,
]


def document(basis: str = "/api/v1") -> dict[str, Any]:
    """The OpenAPI 3.0 document; `basis` is where the API is mounted."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Ontmoet API",
            "version": "1.0.0",
            "description": (
                "Lezen van sessies, knelpunten, besluiten, acties en dashboardcijfers, en de status van een "
                "actie bijwerken. Authenticatie met een persoonlijk API-token (maak er een op /account/tokens) "
                "als `Authorization: Bearer <token>`. Een token mag precies wat de gebruiker in de schermen mag."
            ),
        },
        "servers": [{"url": basis}],
        "security": [{"token": []}],
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": {
            "/sessies": {
                "get": {
                    "operationId": "sessies",
                    "summary": "Sessies die je mag zien, nieuwste eerst",
                    "parameters": [_PAGINA],
                    "responses": {**_ok("SessieLijst", "Sessies"), **_fouten(401)},
                }
            },
            "/sessies/{sessie_id}": {
                "get": {
                    "operationId": "sessie",
                    "summary": "Eén sessie",
                    "parameters": [_param("sessie_id", _ID, "Sessie", "path")],
                    "responses": {**_ok("Sessie", "De sessie"), **_fouten(401, 403, 404)},
                }
            },
            "/sessies/{sessie_id}/knelpunten": {
                "get": {
                    "operationId": "knelpunten",
                    "summary": "Knelpunten van een sessie met hun besluit (nooit een auteur)",
                    "parameters": [_param("sessie_id", _ID, "Sessie", "path")],
                    "responses": {**_ok("KnelpuntLijst", "Knelpunten"), **_fouten(401, 403, 404)},
                }
            },
            "/besluiten": {
                "get": {
                    "operationId": "besluiten",
                    "summary": "Besluiten, met dezelfde filters als de opvolging",
                    "parameters": _FILTERS,
                    "responses": {**_ok("BesluitLijst", "Besluiten"), **_fouten(401, 403)},
                }
            },
            "/acties": {
                "get": {
                    "operationId": "acties",
                    "summary": "Acties, met dezelfde filters als de opvolging",
                    "parameters": [
                        *_FILTERS,
                        _param("status", {"type": "string", "enum": [s.value for s in Actiestatus]}, "Status"),
                        _param("te_laat", {"type": "string", "enum": ["1"]}, "Alleen acties die te laat zijn"),
                    ],
                    "responses": {**_ok("ActieLijst", "Acties"), **_fouten(401, 403)},
                }
            },
            "/acties/{actie_id}": {
                "get": {
                    "operationId": "actie",
                    "summary": "Eén actie met haar volledige historie",
                    "parameters": [_param("actie_id", _ID, "Actie", "path")],
                    "responses": {**_ok("Actie", "De actie"), **_fouten(401, 403, 404)},
                }
            },
            "/acties/{actie_id}/status": {
                "post": {
                    "operationId": "actieStatus",
                    "summary": "Status van een actie wijzigen (alleen toegestane overgangen)",
                    "parameters": [_param("actie_id", _ID, "Actie", "path")],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Statuswijziging"}}},
                    },
                    "responses": {**_ok("Actie", "De bijgewerkte actie"), **_fouten(400, 401, 403, 404)},
                }
            },
            "/dashboard": {
                "get": {
                    "operationId": "dashboard",
                    "summary": "Dashboardcijfers per gemeente en periode",
                    "parameters": [_GEMEENTE, _VAN, _TOT],
                    "responses": {**_ok("Dashboard", "Cijfers"), **_fouten(401, 403)},
                }
            },
        },
    }
