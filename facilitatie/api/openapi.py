"""The OpenAPI 3.1 document of API v1, written by hand so it says exactly what the views return.

3.1 for its `webhooks` key: what Ontmoet posts to a gemeente's webhooks is described next to
the paths it answers. A value that may be null is a JSON Schema type list (3.1 has no `nullable`).
"""

from __future__ import annotations

from typing import Any

from facilitatie.api import signaal_invoer, verzenden, webhooks
from facilitatie.knelpunten.models import BRONNEN, DOMEINEN
from facilitatie.opvolging.regels import Actiestatus, Besluitsoort
from facilitatie.tekst import MAX_KNELPUNT_LENGTE


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "type" in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


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
        "signaal",
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
                "signaal",
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
            "sessie": _nullable({**_ID, "description": "Leeg voor een signaal dat nog in de inbox staat."}),
            "bron": {"type": "string", "enum": list(BRONNEN)},
            "tekst": {"type": "string"},
            "domein": {"type": "string"},
            "team": _nullable(_ID),
            "thema": _nullable(_ID),
            "aangemaakt_op": _TIJD,
            "besluit": _nullable({"$ref": "#/components/schemas/Besluit"}),
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
            "eigenaar": _nullable(
                {
                    "type": "object",
                    "required": ["id", "naam"],
                    "properties": {"id": _ID, "naam": {"type": "string"}},
                }
            ),
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
_VELDFOUTEN = {
    "type": "object",
    "required": ["fout", "velden"],
    "properties": {
        "fout": {"type": "string", "description": "Wat er mis is, in het Nederlands."},
        "velden": {
            "type": "object",
            "description": "Per veld van het verzoek de reden, in het Nederlands.",
            "additionalProperties": {"type": "string"},
        },
        "privacy": {
            "type": "string",
            "enum": ["geweigerd", "waarschuwing"],
            "description": (
                "geweigerd: de tekst bevat een burgerservicenummer en wordt nooit opgeslagen. waarschuwing: de "
                'tekst lijkt persoonsgegevens te bevatten; stuur hetzelfde verzoek met "toch": true als het '
                "niet om een cliënt gaat."
            ),
        },
    },
}

SCHEMAS["Veldfouten"] = _VELDFOUTEN
SCHEMAS["NieuwSignaal"] = {
    "type": "object",
    "additionalProperties": False,
    "required": list(signaal_invoer.VERPLICHT),
    "properties": {
        "tekst": {"type": "string", "minLength": 1, "maxLength": MAX_KNELPUNT_LENGTE, "description": "Het knelpunt."},
        "domein": {"type": "string", "enum": list(DOMEINEN)},
        "team": {
            "oneOf": [_ID, {"type": "string", "minLength": 1, "maxLength": signaal_invoer.MAX_TEAMNAAM}],
            "description": "Het wijkteam van de gemeente van het token: zijn id of zijn naam.",
        },
        "anoniem": {"type": "boolean", "default": False, "description": "Zonder melder: er wordt niemand bij bewaard."},
        "client_request_id": {
            "type": "string",
            "pattern": signaal_invoer.REQUEST_ID.pattern,
            "description": "Maakt het verzoek idempotent: hetzelfde id nog eens geeft 200 met hetzelfde signaal.",
        },
        "toch": {"type": "boolean", "default": False, "description": "Opslaan ondanks een privacywaarschuwing."},
    },
}
SCHEMAS["Signaal"] = {
    "type": "object",
    "description": "Het opgeslagen signaal (nooit met melder).",
    "required": ["id", "team", "domein", "tekst", "anoniem", "client_request_id", "aangemaakt_op"],
    "properties": {
        "id": _ID,
        "team": _nullable(_ID),
        "domein": {"type": "string"},
        "tekst": {"type": "string"},
        "anoniem": {"type": "boolean"},
        "client_request_id": _nullable({"type": "string"}),
        "aangemaakt_op": _TIJD,
    },
}

_KNELPUNT_KORT = {
    "type": "object",
    "required": ["id", "team", "domein", "bron", "sessie", "api"],
    "properties": {
        "id": _ID,
        "team": _nullable(_ID),
        "domein": {"type": "string"},
        "bron": {"type": "string", "enum": list(BRONNEN), "description": "Waar het knelpunt binnenkwam."},
        "sessie": _nullable({**_ID, "description": "Leeg voor een signaal dat nog in de inbox staat."}),
        "api": _nullable({"type": "string", "description": "Pad in deze API met meer (met een leestoken)."}),
    },
}
_GEBEURTENIS_BASIS = {
    "id": {"type": "string", "format": "uuid", "description": "Dezelfde bij elke poging (ook in X-Ontmoet-Delivery)."},
    "op": _TIJD,
    "gemeente": _ID,
}
SCHEMAS["BesluitGebeurtenis"] = {
    "type": "object",
    "description": "Een knelpunt kreeg een (nieuw of gewijzigd) besluit. Zonder namen, reden of tekst.",
    "required": ["id", "gebeurtenis", "op", "gemeente", "knelpunt", "besluit"],
    "properties": {
        **_GEBEURTENIS_BASIS,
        "gebeurtenis": {"type": "string", "const": webhooks.BESLUIT_VASTGELEGD},
        "knelpunt": _KNELPUNT_KORT,
        "besluit": {
            "type": "object",
            "required": ["id", "soort", "label", "besloten_op", "nieuw"],
            "properties": {
                "id": _ID,
                "soort": {"type": "string", "enum": [b.value for b in Besluitsoort]},
                "label": {"type": "string"},
                "besloten_op": _TIJD,
                "nieuw": {"type": "boolean", "description": "Het eerste besluit over dit knelpunt."},
            },
        },
    },
}
SCHEMAS["ActieGebeurtenis"] = {
    "type": "object",
    "description": "Een actie is aangemaakt of van status veranderd. Zonder eigenaar of omschrijving.",
    "required": ["id", "gebeurtenis", "op", "gemeente", "actie"],
    "properties": {
        **_GEBEURTENIS_BASIS,
        "gebeurtenis": {"type": "string", "enum": [webhooks.ACTIE_AANGEMAAKT, webhooks.ACTIE_STATUS_GEWIJZIGD]},
        "actie": {
            "type": "object",
            "required": ["id", "status", "status_label", "vorige_status", "streefdatum", "te_laat", "knelpunten"],
            "properties": {
                "id": _ID,
                "status": {"type": "string", "enum": [a.value for a in Actiestatus]},
                "status_label": {"type": "string"},
                "vorige_status": _nullable({"type": "string", "enum": [a.value for a in Actiestatus]}),
                "streefdatum": _nullable(_DATUM),
                "te_laat": {"type": "boolean"},
                "knelpunten": {"type": "array", "items": _ID},
                "sessie": _nullable(_ID),
                "api": {"type": "string"},
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
        403: "Geen toegang (andere gemeente, ander team, alleen-lezen rol of een token met een andere scope)",
        404: "Niet gevonden",
        429: "Te veel verzoeken met dit token; Retry-After zegt wanneer het weer kan",
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


def _json(schema: str, beschrijving: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": beschrijving,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        **extra,
    }


_LOCATION = {"Location": {"description": "Waar het knelpunt te lezen is", "schema": {"type": "string"}}}

_MELDEN = {
    "post": {
        "operationId": "signaalMelden",
        "summary": "Een signaal melden vanuit een ander systeem",
        "description": (
            "Alleen met een token 'Signalen melden' (scope `signalen:schrijven`) dat een begeleider of beheerder van "
            "de gemeente maakte op /account/tokens; het signaal komt binnen bij de Binnengekomen signalen van die "
            "gemeente. Dezelfde regels als in de schermen: de privacytoets (een BSN wordt geweigerd, andere "
            "persoonsgegevens alleen met `toch: true`), en anoniem bewaart geen melder. Idempotent op "
            "`client_request_id`: hetzelfde verzoek nog eens geeft 200 met hetzelfde signaal, één keer opgeslagen."
        ),
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NieuwSignaal"}}},
        },
        "responses": {
            "201": _json("Signaal", "Opgeslagen", headers=_LOCATION),
            "200": _json("Signaal", "Dit verzoek (zelfde client_request_id) was al opgeslagen", headers=_LOCATION),
            **_fouten(400, 401, 403),
            "409": _json("Veldfouten", "Deze client_request_id hoort al bij een ander signaal"),
            "422": _json("Veldfouten", "Een of meer velden kloppen niet, of de privacytoets houdt de tekst tegen"),
            **_fouten(429),
        },
    }
}


def _webhook(schema: str, samenvatting: str) -> dict[str, Any]:
    koppen = [
        _param(
            verzenden.HANDTEKENING,
            {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"},
            (
                "HMAC-SHA256 met het geheim van de webhook over `<tijdstempel>.<body>` (de body byte voor byte), "
                "hexadecimaal, na `sha256=`."
            ),
            "header",
        ),
        _param(
            verzenden.TIJDSTEMPEL,
            {"type": "string", "pattern": "^[0-9]+$"},
            ("Moment van deze poging in Unix-seconden; weiger een bericht dat meer dan vijf minuten afwijkt (replay)."),
            "header",
        ),
        _param(
            verzenden.GEBEURTENIS,
            {"type": "string", "enum": list(webhooks.GEBEURTENISSEN)},
            "Soort gebeurtenis",
            "header",
        ),
        _param(
            verzenden.AFLEVERING,
            {"type": "string", "format": "uuid"},
            ("Gelijk bij elke poging van één aflevering: een ontvanger die hem al verwerkte, slaat hem over."),
            "header",
        ),
    ]
    for kop in koppen:
        kop["required"] = True
    return {
        "post": {
            "summary": samenvatting,
            "description": (
                "Ontmoet stuurt dit naar elke actieve webhook van de gemeente. Antwoord met een 2xx-status; anders "
                "volgt een nieuwe poging, steeds later (30 s, 1, 2, 4 … min), en na 8 pogingen staat de aflevering "
                "als mislukt in het logboek op /koppelingen/webhooks."
            ),
            "parameters": koppen,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
            },
            "responses": {"2XX": {"description": "Ontvangen"}},
        }
    }


def document(basis: str = "/api/v1") -> dict[str, Any]:
    """The OpenAPI 3.1 document; `basis` is where the API is mounted."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ontmoet API",
            "version": "1.0.0",
            "description": (
                "Lezen van sessies, knelpunten, besluiten, acties en dashboardcijfers, de status van een "
                "actie bijwerken, en signalen melden vanuit een ander systeem. Authenticatie met een persoonlijk "
                "API-token (maak er een op /account/tokens) als `Authorization: Bearer <token>`. Een leestoken mag "
                "precies wat de gebruiker in de schermen mag; een token 'Signalen melden' mag alleen "
                "`POST /knelpunten` voor zijn gemeente. Onder `webhooks` staat wat Ontmoet naar de webhooks van een "
                "gemeente stuurt (in te stellen op /koppelingen/webhooks)."
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
            "/knelpunten": _MELDEN,
            "/knelpunten/{knelpunt_id}": {
                "get": {
                    "operationId": "knelpunt",
                    "summary": "Eén knelpunt (ook een signaal) met zijn besluit (nooit een auteur)",
                    "parameters": [_param("knelpunt_id", _ID, "Knelpunt", "path")],
                    "responses": {**_ok("Knelpunt", "Het knelpunt"), **_fouten(401, 403, 404)},
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
        "webhooks": {
            webhooks.BESLUIT_VASTGELEGD: _webhook("BesluitGebeurtenis", "Een knelpunt kreeg een besluit"),
            webhooks.ACTIE_AANGEMAAKT: _webhook("ActieGebeurtenis", "Een actie is aangemaakt"),
            webhooks.ACTIE_STATUS_GEWIJZIGD: _webhook("ActieGebeurtenis", "Een actie veranderde van status"),
        },
    }
