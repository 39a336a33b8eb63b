"""The permission matrix: every role × every opvolging page and API endpoint, other gemeente's ids included."""

from __future__ import annotations

import pytest

from facilitatie.api import tokens
from facilitatie.volgen import service as volgen
from tests.conftest import login, post

ROLLEN = [
    "begeleider",
    "beleid",
    "wethouder",
    "lid_noord",
    "lid_zuid",
    "beheerder",
    "begeleider_x",
    "beleid_x",
    "wethouder_x",
    "lid_x",
    "anoniem",
]
G_STAF = {"begeleider", "beleid", "wethouder"}
X_STAF = {"begeleider_x", "beleid_x", "wethouder_x"}
G_BEWERKERS = {"begeleider", "beleid"}


def _verwacht(rol: str, toegestaan: set[str], anoniem: int = 302) -> int:
    if rol == "anoniem":
        return anoniem
    return 200 if rol in toegestaan else 403


def _pagina_matrix(w) -> list[tuple[str, set[str], int]]:
    """(path, roles that get 200, status for an anonymous visitor)."""
    alle = set(ROLLEN) - {"anoniem"}
    return [
        ("/opvolging", alle, 302),
        (f"/opvolging?gemeente={w.gemeente.id}", G_STAF | {"lid_noord", "lid_zuid", "beheerder"}, 302),
        (f"/opvolging?gemeente={w.andere.id}&weergave=knelpunten", X_STAF | {"lid_x", "beheerder"}, 302),
        ("/dashboard", G_STAF | X_STAF | {"beheerder"}, 302),
        (f"/dashboard?gemeente={w.gemeente.id}", G_STAF | {"beheerder"}, 302),
        (f"/dashboard?gemeente={w.andere.id}", X_STAF | {"beheerder"}, 302),
        (f"/acties/{w.a['a2'].id}", G_STAF | {"lid_noord", "beheerder"}, 302),
        (f"/acties/{w.ax.id}", X_STAF | {"lid_x", "beheerder"}, 302),
        (f"/sessies/{w.sessie.id}/besluiten", G_STAF | {"beheerder"}, 302),
        (f"/sessies/{w.sessie_x.id}/besluiten", X_STAF | {"beheerder"}, 302),
        (f"/teams/{w.noord.id}/terugkoppeling", G_STAF | {"lid_noord", "beheerder"}, 302),
        (f"/teams/{w.team_x.id}/terugkoppeling", X_STAF | {"lid_x", "beheerder"}, 302),
        (f"/sessies/{w.sessie.id}/verslag", G_STAF | {"lid_noord", "lid_zuid", "beheerder"}, 403),
        (f"/sessies/{w.sessie.id}/verslag.csv", G_STAF | {"lid_noord", "lid_zuid", "beheerder"}, 403),
        (f"/sessies/{w.sessie.id}/verslag.md", G_STAF | {"lid_noord", "lid_zuid", "beheerder"}, 403),
        (f"/sessies/{w.sessie.id}/terugkoppeling", G_STAF | {"lid_noord", "lid_zuid", "beheerder"}, 403),
        (f"/sessies/{w.sessie_x.id}/verslag", X_STAF | {"beheerder"}, 403),
        ("/account/tokens", set(ROLLEN) - {"anoniem"}, 302),
        ("/koppelingen/webhooks", {"begeleider", "begeleider_x", "beheerder"}, 302),
        ("/account/meldingen", set(ROLLEN) - {"anoniem"}, 302),
        ("/beheer/mail", {"beheerder"}, 302),
        # Gevonden ruimte: every signed-in role of the gemeente, wijkteamleden of every team.
        ("/gevonden-ruimte", alle, 302),
        (f"/gevonden-ruimte?gemeente={w.gemeente.id}", G_STAF | {"lid_noord", "lid_zuid", "beheerder"}, 302),
        (f"/gevonden-ruimte?gemeente={w.andere.id}", X_STAF | {"lid_x", "beheerder"}, 302),
    ]


def _api_matrix(w) -> list[tuple[str, set[str]]]:
    alle = set(ROLLEN) - {"anoniem"}
    return [
        ("/api/v1/sessies", alle),
        (f"/api/v1/sessies/{w.sessie.id}", G_STAF | {"lid_noord", "lid_zuid", "beheerder"}),
        (f"/api/v1/sessies/{w.sessie.id}/knelpunten", G_STAF | {"lid_noord", "lid_zuid", "beheerder"}),
        (f"/api/v1/sessies/{w.sessie_x.id}/knelpunten", X_STAF | {"beheerder"}),
        ("/api/v1/besluiten", alle),
        (f"/api/v1/besluiten?gemeente={w.andere.id}", X_STAF | {"lid_x", "beheerder"}),
        ("/api/v1/acties", alle),
        (f"/api/v1/acties?gemeente={w.gemeente.id}", G_STAF | {"lid_noord", "lid_zuid", "beheerder"}),
        (f"/api/v1/acties/{w.a['a2'].id}", G_STAF | {"lid_noord", "beheerder"}),
        (f"/api/v1/acties/{w.ax.id}", X_STAF | {"lid_x", "beheerder"}),
        (f"/api/v1/dashboard?gemeente={w.gemeente.id}", G_STAF | {"beheerder"}),
        ("/api/v1/dashboard", G_STAF | X_STAF | {"beheerder"}),
    ]


@pytest.mark.parametrize("rol", ROLLEN)
def test_permission_matrix(app, client, wereld, rol):
    user = getattr(wereld, rol, None)
    if user is not None:
        login(client, user.email)
    for path, toegestaan, anoniem in _pagina_matrix(wereld):
        response = client.get(path)
        assert response.status_code == _verwacht(rol, toegestaan, anoniem), (rol, path)

    # Writes through the pages.
    a3, a2, k4 = wereld.a["a3"], wereld.a["a2"], wereld.k["k4"]
    schrijven = [
        (f"/acties/{a3.id}/status", {"status": "", "reden": "Voortgang besproken"}, G_BEWERKERS),
        (f"/acties/{a2.id}/status", {"status": "", "reden": "Loopt"}, G_BEWERKERS | {"lid_noord"}),
        (f"/acties/{wereld.ax.id}/status", {"status": "", "reden": "x"}, {"begeleider_x", "beleid_x"}),
        (f"/knelpunten/{k4.id}/besluit", {"soort": "opgepakt"}, G_BEWERKERS),
        (f"/knelpunten/{wereld.kx.id}/besluit", {"soort": "opgepakt"}, {"begeleider_x", "beleid_x"}),
        (f"/sessies/{wereld.sessie.id}/reeks", {"naam": "Reeks"}, G_BEWERKERS),
        (f"/knelpunten/{k4.id}/regelruimte", {"knel": "rijk", "oplosser": "rijk"}, G_BEWERKERS),
        (f"/knelpunten/{wereld.kx.id}/regelruimte", {"knel": "rijk", "oplosser": "rijk"}, {"begeleider_x", "beleid_x"}),
    ]
    for path, data, toegestaan in schrijven:
        response = post(client, path, data)
        if rol == "anoniem":
            assert response.status_code in (302, 403), (rol, path)
            if response.status_code == 302:
                assert "/inloggen" in response.headers["Location"], (rol, path)
        else:
            verwacht = 302 if rol in toegestaan else 403
            assert response.status_code == verwacht, (rol, path)

    # The API with a personal token: the same rules.
    api = app.test_client()
    kop = {}
    if user is not None:
        _rij, token = tokens.maak(user, "test")
        kop = {"Authorization": f"Bearer {token}"}
    for path, toegestaan in _api_matrix(wereld):
        response = api.get(path, headers=kop)
        verwacht = 401 if rol == "anoniem" else (200 if rol in toegestaan else 403)
        assert response.status_code == verwacht, (rol, path)
        assert response.is_json, (rol, path)
    response = api.post(f"/api/v1/acties/{a3.id}/status", json={"status": "afgerond"}, headers=kop)
    verwacht = 401 if rol == "anoniem" else (200 if rol in G_BEWERKERS else 403)
    assert response.status_code == verwacht, rol
    response = api.post(f"/api/v1/acties/{wereld.ax.id}/status", json={"status": "in_uitvoering"}, headers=kop)
    verwacht = 401 if rol == "anoniem" else (200 if rol in {"begeleider_x", "beleid_x"} else 403)
    assert response.status_code == verwacht, rol
    # Reporting signalen needs a token scoped to it: a personal (read) token of any role is refused.
    signaal = {"tekst": "Te veel formulieren", "domein": "Wmo", "team": wereld.noord.id}
    response = api.post("/api/v1/knelpunten", json=signaal, headers=kop)
    assert response.status_code == (401 if rol == "anoniem" else 403), rol


@pytest.mark.parametrize("rol", ROLLEN)
def test_volglink_matrix_a_token_opens_its_own_knelpunt_for_anyone_and_nothing_else(app, client, wereld, rol):
    """/volg/<token>: the link is the permission (no sign-in, no role), and it opens exactly one
    knelpunt; another gemeente's link is unaffected by who asks, and a made-up one is a 404."""
    with app.test_request_context("/"):
        eigen = volgen.uitgeven(wereld.k["k1"], "matrix-k1-request")
        elders = volgen.uitgeven(wereld.kx, "matrix-kx-request")
    user = getattr(wereld, rol, None)
    if user is not None:
        login(client, user.email)
    teksten = {naam: k.tekst for naam, k in wereld.k.items()} | {"kx": wereld.kx.tekst}
    for token, naam in ((eigen, "k1"), (elders, "kx")):
        response = client.get(f"/volg/{token}")
        assert response.status_code == 200, (rol, naam)
        html = response.get_data(as_text=True)
        assert teksten[naam] in html, (rol, naam)
        assert all(tekst not in html for ander, tekst in teksten.items() if ander != naam), (rol, naam)
    assert client.get("/volg/" + "Z" * 43).status_code == 404, rol


def test_api_session_writes_need_csrf_but_token_writes_do_not(app, client, wereld):
    login(client, wereld.beleid.email)
    a3 = wereld.a["a3"]
    assert client.post(f"/api/v1/acties/{a3.id}/status", json={"status": "afgerond"}).status_code == 400
    _rij, token = tokens.maak(wereld.beleid, "script")
    api = app.test_client()
    response = api.post(
        f"/api/v1/acties/{a3.id}/status", json={"status": "afgerond"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200 and response.get_json()["status"] == "afgerond"
    response = api.post(
        f"/api/v1/acties/{a3.id}/status", json={"status": "vervallen"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400 and "Heropen" in response.get_json()["fout"]
    assert api.get("/api/v1/acties", headers={"Authorization": "Bearer onzin"}).status_code == 401


def test_api_never_shows_an_author(app, client, wereld):
    login(client, wereld.beleid.email)
    data = client.get(f"/api/v1/sessies/{wereld.sessie.id}/knelpunten").get_json()
    assert data["totaal"] == 5
    for item in data["items"]:
        assert "deelnemer" not in item and "auteur" not in item
