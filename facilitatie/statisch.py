"""Static files: hashed names, compressed, cached for a year, served before Flask (issue 12, item 4).

- Every file under static/ gets a name with its content's hash: `css/app.css` is linked as
  `/static/css/app.1a2b3c4d5e6f.css`. Templates keep writing `url_for('static', filename=…)`;
  a url_defaults hook puts the hash in, so a new template or file needs nothing else.
- A hashed URL is answered with `Cache-Control: public, max-age=31536000, immutable`: a browser
  never asks again, and a changed file is a new URL. The plain name still works (scripts that
  build a URL by hand, axe-core in the browser tests) with `no-cache` and an ETag; a hash that
  is not the current one (a page rendered before a deploy) gets today's file with `no-cache`,
  never a 500 and never a year-long cache of the wrong content.
- Bodies are sent with brotli or gzip when the browser accepts it (`Vary: Accept-Encoding`),
  compressed once per content and kept in memory and in `instance/statisch/`.
- These responses are made here, in WSGI middleware in front of Flask: no session is opened,
  so no `Set-Cookie` and no `Vary: Cookie` (Flask-Login reads the session on every request it
  sees). The security headers come along (`headers`, from facilitatie/beveiliging.py).
- `css/nl-design-system.css` is built, not stored: the Utrecht components the sources use and
  the design tokens they reach (facilitatie/nlds.py), rebuilt at every start.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import mimetypes
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import brotli
from flask import Flask

from facilitatie import nlds

JAAR = 365 * 24 * 3600
ONVERANDERLIJK = f"public, max-age={JAAR}, immutable"
OPNIEUW_VRAGEN = "no-cache"
HASH_LENGTE = 12
BUNDEL = "css/nl-design-system.css"
UTRECHT = "vendor/@utrecht/component-library-css/index.css"
THEMA = "vendor/@nl-design-system-unstable/voorbeeld-design-tokens/theme.css"
# Where a component name can come from: what renders a page, and what changes it in the browser.
BRONNEN = ("templates/**/*.html", "static/js/**/*.js", "facilitatie/**/*.py", "sessies/**/*.md")
_GEHASHT = re.compile(rf"^(?P<stam>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTE}}})(?P<ext>\.[A-Za-z0-9]+)?$")
_COMPRIMEERBAAR = ("text/", "application/javascript", "application/json", "image/svg+xml")
_MIN_COMPRIMEREN = 256  # bytes: smaller bodies gain nothing
_BROTLI_GROOT = 256 * 1024  # above this, a faster brotli level (axe-core in the browser tests)


@dataclass
class Bestand:
    """One static file as served: its bytes, their hash, and the compressed forms once made."""

    naam: str
    inhoud: bytes
    mimetype: str
    hash: str = ""
    _vormen: dict[str, bytes] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.hash = hashlib.sha256(self.inhoud).hexdigest()[:HASH_LENGTE]

    @property
    def gehashte_naam(self) -> str:
        stam, punt, ext = self.naam.rpartition(".")
        if not punt or "/" in ext:
            return f"{self.naam}.{self.hash}"
        return f"{stam}.{self.hash}.{ext}"

    @property
    def comprimeerbaar(self) -> bool:
        return self.mimetype.startswith(_COMPRIMEERBAAR) and len(self.inhoud) >= _MIN_COMPRIMEREN


def _lees_bronnen(root: Path) -> list[str]:
    return [
        pad.read_text(encoding="utf-8", errors="replace")
        for patroon in BRONNEN
        for pad in sorted(root.glob(patroon))
        if pad.is_file() and pad.name != "nlds.py"  # its docstring names components as examples
    ]


def bouw_bundel(map: Path, bronnen: Iterable[str]) -> bytes:
    """css/nl-design-system.css: the used Utrecht components, then the design tokens they reach."""
    gebruikt = nlds.gebruik(bronnen)
    componenten = nlds.componenten((map / UTRECHT).read_text(encoding="utf-8"), gebruikt)
    eigen_css = [p.read_text(encoding="utf-8") for p in sorted((map / "css").glob("*.css"))]
    eigen_js = [p.read_text(encoding="utf-8") for p in sorted((map / "js").glob("**/*.js"))]
    tokens = nlds.tokens((map / THEMA).read_text(encoding="utf-8"), [componenten, *eigen_css], eigen_js)
    kop = (
        "/* Built by facilitatie/statisch.py from the vendored "
        "@utrecht/component-library-css and voorbeeld-design-tokens (static/vendor/VERSIONS.txt): "
        "only the components the templates use. Do not edit; it is rebuilt at every start. */\n"
    )
    return (kop + componenten + tokens).encode("utf-8")


def lees_map(map: Path, bronnen: Iterable[str] | None = None) -> dict[str, Bestand]:
    """Every file under `map` by its name there (`css/app.css`), plus the built bundle."""
    bestanden: dict[str, Bestand] = {}
    for pad in sorted(map.rglob("*")):
        if pad.is_file():
            naam = pad.relative_to(map).as_posix()
            bestanden[naam] = Bestand(naam, pad.read_bytes(), _mimetype(naam))
    if UTRECHT in bestanden and THEMA in bestanden:
        inhoud = bouw_bundel(map, _lees_bronnen(map.parent) if bronnen is None else bronnen)
        bestanden[BUNDEL] = Bestand(BUNDEL, inhoud, "text/css; charset=utf-8")
    return bestanden


@functools.lru_cache(maxsize=8)
def _lees_map_gedeeld(map: Path, bronnen: tuple[str, ...] | None, _stempel: tuple) -> dict[str, Bestand]:
    """lees_map once per content: every create_app of a process (the tests make hundreds) shares it.

    `_stempel` (names, mtimes, sizes) is only the cache key: a changed file is a new key.
    """
    return lees_map(map, bronnen)


def _mimetype(naam: str) -> str:
    soort = mimetypes.guess_type(naam)[0] or "application/octet-stream"
    if soort == "text/javascript":
        soort = "application/javascript"
    if soort.startswith("text/") or soort == "application/javascript":
        soort += "; charset=utf-8"
    return soort


def _kies_codering(accept: str) -> str | None:
    """br, gzip or None (identity) from an Accept-Encoding header, honouring q=0."""
    gewicht: dict[str, float] = {}
    for deel in accept.split(","):
        naam, _, params = deel.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            sleutel, _, waarde = param.strip().partition("=")
            if sleutel == "q":
                try:
                    q = float(waarde)
                except ValueError:
                    q = 0.0
        if naam:
            gewicht[naam.lower()] = q
    for codering in ("br", "gzip"):
        if gewicht.get(codering, gewicht.get("*", 0.0)) > 0:
            return codering
    return None


class Statisch:
    """The static files of one app: URL names for templates, and the WSGI answers."""

    def __init__(
        self,
        map: Path,
        headers: Mapping[str, str],
        cache: Path | None = None,
        bronnen: Iterable[str] | None = None,
        https_headers: Mapping[str, str] | None = None,
    ) -> None:
        self.map = map
        self.headers = dict(headers)
        self.https_headers = dict(https_headers or {})
        self.cache = cache
        self.bronnen = tuple(bronnen) if bronnen is not None else None
        self._stempel = self._vingerafdruk()
        self.bestanden = _lees_map_gedeeld(map, self.bronnen, self._stempel)
        self._lock = threading.Lock()
        # `flask run --debug`: an edited file gets its new hash without a restart.
        self.volg_wijzigingen = False
        self._gecontroleerd = time.monotonic()

    def _vingerafdruk(self) -> tuple:
        paden = [p for p in self.map.rglob("*") if p.is_file()]
        paden += [p for patroon in BRONNEN for p in self.map.parent.glob(patroon)]
        return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paden))

    def _bij(self) -> None:
        """In debug mode, at most once a second: read everything again when a file changed."""
        if not self.volg_wijzigingen or time.monotonic() - self._gecontroleerd < 1.0:
            return
        self._gecontroleerd = time.monotonic()
        stempel = self._vingerafdruk()
        if stempel != self._stempel:
            self.bestanden = _lees_map_gedeeld(self.map, self.bronnen, stempel)
            self._stempel = stempel

    def naam_voor(self, naam: str) -> str:
        """The hashed name for a static file (unchanged for a name that is not a file)."""
        self._bij()
        bestand = self.bestanden.get(naam)
        return bestand.gehashte_naam if bestand else naam

    def zoek(self, naam: str) -> tuple[Bestand, bool] | None:
        """The file a URL name means and whether the name is its current hashed one."""
        self._bij()
        if bestand := self.bestanden.get(naam):
            return bestand, False
        if m := _GEHASHT.match(naam):
            if bestand := self.bestanden.get(m["stam"] + (m["ext"] or "")) or self.bestanden.get(m["stam"]):
                return bestand, m["hash"] == bestand.hash
        return None

    def vorm(self, bestand: Bestand, codering: str) -> bytes:
        """The body compressed with `codering`, made once (memory, then instance/statisch/)."""
        if codering in bestand._vormen:
            return bestand._vormen[codering]
        with self._lock:
            if codering not in bestand._vormen:
                bestand._vormen[codering] = self._uit_cache(bestand, codering)
        return bestand._vormen[codering]

    def _uit_cache(self, bestand: Bestand, codering: str) -> bytes:
        sleutel = hashlib.sha256(bestand.inhoud).hexdigest()
        pad = self.cache / f"{sleutel}.{codering}" if self.cache else None
        if pad and pad.exists():
            return pad.read_bytes()
        if codering == "br":
            kwaliteit = 11 if len(bestand.inhoud) <= _BROTLI_GROOT else 5
            data = brotli.compress(bestand.inhoud, quality=kwaliteit)
        else:
            data = gzip.compress(bestand.inhoud, compresslevel=9, mtime=0)
        if pad:
            pad.parent.mkdir(parents=True, exist_ok=True)
            # Several processes may write the same file: each writes its own, the rename is atomic.
            fd, tijdelijk = tempfile.mkstemp(dir=pad.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tijdelijk, pad)
        return data

    def voorbereiden(self) -> None:
        """Compress what pages load before the first visitor asks (python wsgi.py does this)."""
        for bestand in self.bestanden.values():
            if bestand.comprimeerbaar and len(bestand.inhoud) <= _BROTLI_GROOT:
                for codering in ("br", "gzip"):
                    self.vorm(bestand, codering)

    def antwoord(self, environ: dict[str, Any], naam: str) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """Status, headers and body for GET/HEAD of /static/<naam>; None when no such file."""
        gevonden = self.zoek(naam)
        if gevonden is None:
            return None
        bestand, actueel = gevonden
        codering = _kies_codering(environ.get("HTTP_ACCEPT_ENCODING", "")) if bestand.comprimeerbaar else None
        body = self.vorm(bestand, codering) if codering else bestand.inhoud
        etag = f'"{bestand.hash}{"-" + codering if codering else ""}"'
        headers = [
            ("Content-Type", bestand.mimetype),
            ("Cache-Control", ONVERANDERLIJK if actueel else OPNIEUW_VRAGEN),
            ("ETag", etag),
            *self.headers.items(),
        ]
        if bestand.comprimeerbaar:
            headers.append(("Vary", "Accept-Encoding"))
        if codering:
            headers.append(("Content-Encoding", codering))
        if environ.get("wsgi.url_scheme") == "https":
            headers.extend(self.https_headers.items())
        if etag in {t.strip() for t in environ.get("HTTP_IF_NONE_MATCH", "").split(",")}:
            return "304 Not Modified", headers, b""
        headers.append(("Content-Length", str(len(body))))
        return "200 OK", headers, body

    def middleware(self, volgende: Callable, prefix: str = "/static/") -> Callable:
        """WSGI: answer GET and HEAD of a static file here; everything else goes on to `volgende`."""

        def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
            pad = environ.get("PATH_INFO", "")
            methode = environ.get("REQUEST_METHOD", "GET")
            if pad.startswith(prefix) and methode in ("GET", "HEAD"):
                resultaat = self.antwoord(environ, pad[len(prefix) :])
                if resultaat is not None:
                    status, headers, body = resultaat
                    start_response(status, headers)
                    return [] if methode == "HEAD" else [body]
            return volgende(environ, start_response)

        return app


def init_app(app: Flask, headers: Mapping[str, str], https_headers: Mapping[str, str] | None = None) -> Statisch:
    """Serve app.static_folder through `Statisch` and make url_for('static', …) give hashed names."""
    assert app.static_folder is not None
    statisch = Statisch(
        Path(app.static_folder), headers, cache=Path(app.instance_path) / "statisch", https_headers=https_headers
    )
    statisch.volg_wijzigingen = app.debug
    app.extensions["statisch"] = statisch

    @app.url_defaults
    def _gehashte_naam(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = statisch.naam_voor(values["filename"])

    app.wsgi_app = statisch.middleware(app.wsgi_app)  # type: ignore[method-assign]
    return statisch
