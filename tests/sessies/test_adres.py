"""The QR code and links for others carry an address a phone can open (issue 14, item 7).

ONTMOET_PUBLIC_URL decides when set; unset, a begeleider on 127.0.0.1 of a server listening on
every interface hands out the LAN address; on a loopback-only server the page warns.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import segno

from facilitatie import adres
from facilitatie.extensions import db
from tests.conftest import DEMO_PASSWORD, Factory, make_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def maak(tmp_path, sqlite_template):
    """An app on a fresh SQLite copy with these settings, a begeleider and a live sessie."""
    gemaakt = []

    def _maak(**instellingen):
        doel = tmp_path / f"ontmoet{len(gemaakt)}.db"
        shutil.copy(sqlite_template, doel)
        app = make_app(f"sqlite:///{doel}", SERVER_NAME=None, **instellingen)
        context = app.app_context()
        context.push()
        factory = Factory()
        gemeente = factory.gemeente("Vechtstede")
        begeleider = factory.user("begeleider", gemeente=gemeente)
        sessie = factory.sessie(begeleider)
        gemaakt.append(context)
        return app, begeleider, sessie

    yield _maak
    for context in reversed(gemaakt):
        db.session.remove()
        db.engine.dispose()
        context.pop()


def _qr_inhoud(app, begeleider, sessie, monkeypatch, basis: str) -> tuple[str, str]:
    """What the QR code encodes, and the begeleider's page, as seen from `basis`."""
    gezien: list[str] = []
    echte = segno.make

    def vang(inhoud, **kwargs):
        gezien.append(inhoud)
        return echte(inhoud, **kwargs)

    monkeypatch.setattr("facilitatie.sessies.views.segno.make", vang)
    client = app.test_client()
    # Every request, the sign-in included, on the address the begeleider's browser used.
    inloggen = client.get("/inloggen", base_url=basis).get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', inloggen).group(1)
    gegevens = {"csrf_token": token, "email": begeleider.email, "wachtwoord": DEMO_PASSWORD}
    assert client.post("/inloggen", data=gegevens, base_url=basis).status_code == 302
    pagina = client.get(f"/sessies/{sessie.id}", base_url=basis).get_data(as_text=True)
    assert client.get(f"/sessies/{sessie.id}/qr.svg", base_url=basis).status_code == 200
    return gezien[0], pagina


def test_qr_code_uses_the_public_url(maak, monkeypatch):
    app, begeleider, sessie = maak(PUBLIC_URL="https://ontmoet.vechtstede.nl/")
    inhoud, pagina = _qr_inhoud(app, begeleider, sessie, monkeypatch, "http://127.0.0.1:5000")
    assert inhoud == f"https://ontmoet.vechtstede.nl/deelnemen?code={sessie.deelnamecode}"
    assert "https://ontmoet.vechtstede.nl/deelnemen" in pagina
    assert "127.0.0.1" not in pagina and "alleen op deze computer" not in pagina


def test_public_url_with_a_path_keeps_it(maak, monkeypatch):
    app, begeleider, sessie = maak(PUBLIC_URL="https://www.vechtstede.nl/ontmoet")
    inhoud, _ = _qr_inhoud(app, begeleider, sessie, monkeypatch, "http://127.0.0.1:5000")
    assert inhoud == f"https://www.vechtstede.nl/ontmoet/deelnemen?code={sessie.deelnamecode}"


def test_loopback_request_on_a_server_listening_everywhere_gets_the_lan_address(maak, monkeypatch):
    monkeypatch.setattr(adres, "lan_adres", lambda: "192.168.1.23")
    app, begeleider, sessie = maak(LUISTERADRES="0.0.0.0")
    inhoud, pagina = _qr_inhoud(app, begeleider, sessie, monkeypatch, "http://127.0.0.1:5000")
    assert inhoud == f"http://192.168.1.23:5000/deelnemen?code={sessie.deelnamecode}"
    assert "http://192.168.1.23:5000/deelnemen" in pagina
    assert "alleen op deze computer" not in pagina


def test_a_network_address_the_begeleider_used_is_kept(maak, monkeypatch):
    monkeypatch.setattr(adres, "lan_adres", lambda: "192.168.1.23")
    app, begeleider, sessie = maak(LUISTERADRES="0.0.0.0")
    inhoud, _ = _qr_inhoud(app, begeleider, sessie, monkeypatch, "http://laptop.lan:8080")
    assert inhoud == f"http://laptop.lan:8080/deelnemen?code={sessie.deelnamecode}"


def test_loopback_only_server_warns_that_no_phone_can_open_it(maak, monkeypatch):
    app, begeleider, sessie = maak(LUISTERADRES="127.0.0.1")
    inhoud, pagina = _qr_inhoud(app, begeleider, sessie, monkeypatch, "http://127.0.0.1:5000")
    assert inhoud.startswith("http://127.0.0.1:5000/deelnemen")
    assert "alleen op deze computer" in pagina and "ONTMOET_PUBLIC_URL" in pagina


def test_links_for_outside_use_work_without_a_request(maak):
    app, _begeleider, _sessie = maak(PUBLIC_URL="https://ontmoet.vechtstede.nl")
    with app.app_context():
        assert adres.buiten_url("sessies.deelnemen", code="ABC123") == (
            "https://ontmoet.vechtstede.nl/deelnemen?code=ABC123"
        )


@pytest.mark.parametrize(
    ("waarde", "verwacht"),
    [
        (None, None),
        ("", None),
        ("https://ontmoet.vechtstede.nl", "https://ontmoet.vechtstede.nl"),
        ("https://ontmoet.vechtstede.nl/", "https://ontmoet.vechtstede.nl"),
        (" http://192.168.1.23:5000/ ", "http://192.168.1.23:5000"),
        ("https://www.vechtstede.nl/ontmoet/", "https://www.vechtstede.nl/ontmoet"),
        ("http://[2001:db8::1]:5000", "http://[2001:db8::1]:5000"),
    ],
)
def test_public_url_accepted(waarde, verwacht):
    assert adres.publieke_url(waarde) == verwacht


@pytest.mark.parametrize(
    "waarde",
    [
        "ontmoet.vechtstede.nl",
        "ftp://ontmoet.vechtstede.nl",
        "javascript:alert(1)",
        "https://",
        "http://0.0.0.0:5000",
        "http://[::]:5000",
        "https://gebruiker:geheim@ontmoet.vechtstede.nl",
        "https://ontmoet.vechtstede.nl/?x=1",
        "https://ontmoet.vechtstede.nl/#deel",
        "https://ontmoet.vechtstede.nl:99999",
        "https://ontmoet vechtstede.nl",
    ],
)
def test_public_url_refused_with_a_message_naming_the_setting(waarde):
    with pytest.raises(ValueError, match="ONTMOET_PUBLIC_URL"):
        adres.publieke_url(waarde)


def test_a_wrong_public_url_stops_create_app(sqlite_template):
    with pytest.raises(RuntimeError, match="Ontmoet start niet: ONTMOET_PUBLIC_URL moet een http"):
        make_app(f"sqlite:///{sqlite_template}", PUBLIC_URL="ftp://ontmoet.vechtstede.nl")


def test_python_wsgi_stops_with_one_clear_line(tmp_path):
    omgeving = {
        **os.environ,
        "ONTMOET_PUBLIC_URL": "0.0.0.0:5000",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
        "SECRET_KEY": "test",
        "ONTMOET_SERVER": "threading",
    }
    uit = subprocess.run(
        [sys.executable, "wsgi.py"], cwd=ROOT, env=omgeving, capture_output=True, text=True, timeout=60, check=False
    )
    assert uit.returncode != 0
    assert "Ontmoet start niet: ONTMOET_PUBLIC_URL" in uit.stderr
    assert "Traceback" not in uit.stderr


def test_start_lines_name_the_lan_address_not_0_0_0_0():
    regels = "\n".join(adres.startregels("0.0.0.0", 5000, None, "192.168.1.23"))
    assert "http://192.168.1.23:5000" in regels and "http://127.0.0.1:5000" in regels
    assert "0.0.0.0" not in regels
    eigen = "\n".join(adres.startregels("127.0.0.1", 5000, None, "192.168.1.23"))
    assert "HOST=0.0.0.0" in eigen
    publiek = "\n".join(adres.startregels("0.0.0.0", 5000, "https://ontmoet.vechtstede.nl", None))
    assert "Publiek adres (QR-code en links): https://ontmoet.vechtstede.nl" in publiek


def test_lan_addresses_leave_out_loopback():
    for gevonden in adres.lan_adressen():
        assert not gevonden.startswith("127.") and not gevonden.startswith("169.254.")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("[::1]", True), ("127.1.2.3", True), ("app.localhost", True),
     ("192.168.1.23", False), ("ontmoet.vechtstede.nl", False), (None, False)],
)
def test_is_loopback(host, loopback):
    assert adres.is_loopback(host) is loopback


def test_setting_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "ONTMOET_PUBLIC_URL" in readme and "HOST=0.0.0.0" in readme
