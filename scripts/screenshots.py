"""Screenshots for the README, made from the demo data so they stay current.

    .venv/bin/python scripts/screenshots.py [--uit docs/img] [--chromium /usr/bin/chromium]

Migrates a scratch SQLite database in a temporary folder, loads the demo (`seed-demo`), serves
it with `python wsgi.py` on a free port on 127.0.0.1, and drives Debian's chromium with
Playwright (no browser download). Writes small PNGs (viewport only, scale 1) to docs/img/.
Nothing touches instance/ or any other database.

Add a picture: append a `Opname` to `OPNAMES` with who signs in (or None for a deelnemer that
joins the live demo sessie) and where to go. `pad` may contain `{live}` (id of the live sessie),
`{afgerond}` (the finished one) and `{code}` (its deelnamecode); `terugval` is tried when `pad`
does not answer 200 (e.g. the Scherm on a version that does not have it yet).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
WACHTWOORD = "ontmoet-demo-2026"  # the demo's, for local demos only (README)
DESKTOP = {"width": 1200, "height": 760}
TELEFOON = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Opname:
    bestand: str
    beschrijving: str
    pad: str
    email: str | None  # None: a deelnemer without account joins the live sessie first
    scherm: dict[str, int]
    terugval: str | None = None  # tried when `pad` does not answer 200 ...
    terugval_bestand: str | None = None  # ... and then written under this name instead
    telefoon: bool = False
    anker: str | None = None  # scroll this element to the top first


BEGELEIDER = "begeleider@ontmoet.demo"
OPNAMES = [
    Opname("telefoon.png", "Een deelnemer op de telefoon", "/s/{code}", None, TELEFOON, telefoon=True),
    # The Scherm (projector view); until that route exists, the begeleider's page instead.
    Opname(
        "scherm.png",
        "Het Scherm voor de beamer",
        "/sessies/{live}/scherm",
        BEGELEIDER,
        DESKTOP,
        terugval="/sessies/{live}",
        terugval_bestand="begeleider.png",
    ),
    Opname("dashboard.png", "Het dashboard van de wethouder", "/dashboard", "wethouder@ontmoet.demo", DESKTOP),
    Opname(
        "verslag.png",
        "Het verslag van een sessie",
        "/sessies/{afgerond}/verslag",
        BEGELEIDER,
        DESKTOP,
        anker="#verslag-stemmen-kop",
    ),
]


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flask(env: dict[str, str], *args: str) -> str:
    uit = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return uit.stdout


def _wacht(url: str, proces: subprocess.Popen, seconden: float = 30) -> None:
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        if proces.poll() is not None:
            raise SystemExit(f"De server stopte (exit {proces.returncode}).")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as antwoord:  # noqa: S310 - our own 127.0.0.1
                if antwoord.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("De server antwoordde niet op /healthz.")


def _inloggen(page: Page, email: str) -> None:
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen" not in url)


def _deelnemen(page: Page, code: str) -> None:
    page.goto(f"/deelnemen?code={code}")
    page.get_by_label("Deelnamecode").fill(code)
    naam = page.get_by_label("Naam (optioneel)")
    if naam.count():
        naam.fill("Sanne")
    radio = page.get_by_role("radio", name="Uitvoering", exact=True)
    if radio.count():
        radio.check()
    page.get_by_role("button", name="Deelnemen").click()
    page.wait_for_url("**/s/*")


def _sessies(env: dict[str, str]) -> dict[str, str]:
    """Ids of the live and the finished demo sessie and the live one's deelnamecode."""
    code = (
        "from facilitatie.sessies.models import Sessie\n"
        "from facilitatie.extensions import db\n"
        "for s in db.session.query(Sessie).order_by(Sessie.id):\n"
        "    print(s.status, s.id, s.deelnamecode)\n"
    )
    uit = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", "from wsgi import app\nwith app.app_context():\n" + _inspring(code)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    waarden: dict[str, str] = {}
    for regel in uit.stdout.splitlines():
        status, ident, deelnamecode = regel.split()
        if status == "live":
            waarden.update(live=ident, code=deelnamecode)
        elif status == "afgesloten":
            waarden.setdefault("afgerond", ident)  # the ontmoeting (first); later ones are leerkringen
    return waarden


def _inspring(code: str) -> str:
    return "".join(f"    {r}\n" for r in code.splitlines())


def _status(page: Page, pad: str) -> int:
    antwoord = page.goto(pad)
    return antwoord.status if antwoord else 0


def maak(uit: Path, chromium: str) -> list[str]:
    """Make every picture in OPNAMES; returns one line per picture for the caller to print."""
    uit.mkdir(parents=True, exist_ok=True)
    verslag: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ontmoet-screenshots-") as tmp:
        poort = _vrije_poort()
        env = {k: v for k, v in os.environ.items() if k != "SOCKETIO_MESSAGE_QUEUE"}
        env.update(
            DATABASE_URL=f"sqlite:///{tmp}/demo.db",
            SECRET_KEY="screenshots",  # noqa: S106 - a throw-away database
            HOST="127.0.0.1",
            PORT=str(poort),
            ONTMOET_OPSCHONEN_AUTOMATISCH="0",
            ONTMOET_LOGIN_LIMIT="1000 per minute",
            ONTMOET_JOIN_LIMIT="1000 per minute",
            PYTHONUNBUFFERED="1",
            # The address a gemeente would set (a reserved .example name): the QR code and the
            # join address show it instead of this run's port on 127.0.0.1.
            ONTMOET_PUBLIC_URL="https://ontmoet.vechtstede.example",
        )
        _flask(env, "db", "upgrade")
        _flask(env, "seed-demo")
        waarden = _sessies(env)
        url = f"http://127.0.0.1:{poort}"
        with open(Path(tmp) / "server.log", "w") as log:
            server = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            _wacht(url, server)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
                for opname in OPNAMES:
                    context = browser.new_context(
                        base_url=url,
                        locale="nl-NL",
                        viewport=opname.scherm,
                        device_scale_factor=1,
                        is_mobile=opname.telefoon,
                        has_touch=opname.telefoon,
                    )
                    page = context.new_page()
                    if opname.email:
                        _inloggen(page, opname.email)
                    else:
                        _deelnemen(page, waarden["code"])
                    pad = opname.pad.format(**waarden)
                    bestand, opmerking = opname.bestand, ""
                    if _status(page, pad) != 200 and opname.terugval:
                        opmerking = f" ({pad} antwoordde niet: {opname.terugval_bestand or bestand} in plaats daarvan)"
                        pad = opname.terugval.format(**waarden)
                        bestand = opname.terugval_bestand or bestand
                        page.goto(pad)
                    page.wait_for_load_state("networkidle")
                    if opname.anker:
                        page.locator(opname.anker).evaluate("el => el.scrollIntoView({block: 'start'})")
                    page.screenshot(path=str(uit / bestand), animations="disabled", caret="hide")
                    grootte = (uit / bestand).stat().st_size // 1024
                    verslag.append(f"{bestand}: {opname.beschrijving}, {pad}, {grootte} kB{opmerking}")
                    context.close()
                browser.close()
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    _verklein(uit)
    return verslag


def _verklein(uit: Path) -> None:
    """Fewer colours, same look, where pngquant is installed (optional: `apt-get install pngquant`)."""
    pngquant = shutil.which("pngquant")
    if not pngquant:
        return
    for png in sorted(uit.glob("*.png")):
        opdracht = [pngquant, "--force", "--skip-if-larger", "--output", str(png), "--", str(png)]
        subprocess.run(opdracht, check=False)  # noqa: S603 - found on PATH, fixed arguments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uit", type=Path, default=ROOT / "docs" / "img", help="folder for the PNGs")
    parser.add_argument("--chromium", default=os.environ.get("ONTMOET_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    if not Path(args.chromium).exists():
        raise SystemExit(f"{args.chromium} ontbreekt: installeer Debian's chromium (make chromium).")
    for regel in maak(args.uit, args.chromium):
        print(regel)


if __name__ == "__main__":
    if not re.match(r"3\.1[1-9]", sys.version):
        print("Let op: Ontmoet is gemaakt voor Python 3.11 of nieuwer.", file=sys.stderr)
    main()
