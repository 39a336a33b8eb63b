"""Settings from the environment (CONTRACT.md); nothing secret lives in the repo."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
DEFAULT_DATABASE_URL = "sqlite:///instance/ontmoet.db"


def absolute_database_url(url: str, root: Path = ROOT) -> str:
    """Resolve a relative SQLite path against the project root, as CONTRACT.md documents it.

    Flask-SQLAlchemy would otherwise resolve it against the instance folder
    (giving instance/instance/ontmoet.db).
    """
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str((root / url[len(prefix) :]).resolve())
    return url


def secret_key(instance: Path = INSTANCE) -> str:
    """Return SECRET_KEY from the environment, or one generated once into instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def aantal_proxies(waarde: str | None) -> int:
    """ONTMOET_PROXIES: how many reverse-proxy hops are trusted (0, the default: none)."""
    try:
        hops = int(waarde or "0")
    except ValueError:
        raise ValueError(f"ONTMOET_PROXIES moet een geheel getal zijn (0 of meer), niet {waarde!r}.") from None
    if hops < 0:
        raise ValueError(f"ONTMOET_PROXIES moet 0 of meer zijn, niet {hops}.")
    return hops


def pool_opties(url: str, omgeving: dict[str, str] | os._Environ[str] = os.environ) -> dict[str, object]:
    """The connection pool, sized for gevent: one process holds a greenlet per request and socket.

    SQLAlchemy's default (5 + 10 overflow) ran dry during a join wave; under gevent a connection
    costs no thread, so the pool can be larger. PostgreSQL's own limit (`max_connections`,
    100 by default) must stay above processes × (ONTMOET_DB_POOL + ONTMOET_DB_POOL_OVERFLOW).
    """
    # A ping per checkout finds a server connection that dropped (a PostgreSQL restart); a SQLite
    # file cannot drop, and there the ping is a statement per request for nothing.
    opties: dict[str, object] = {"pool_pre_ping": not url.startswith("sqlite")}
    if url.startswith("sqlite") and (":memory:" in url or url.rstrip("/") in ("sqlite:", "sqlite:/")):
        return opties  # one in-memory connection; no queue to size
    try:
        opties["pool_size"] = int(omgeving.get("ONTMOET_DB_POOL", "20"))
        opties["max_overflow"] = int(omgeving.get("ONTMOET_DB_POOL_OVERFLOW", "20"))
        opties["pool_timeout"] = float(omgeving.get("ONTMOET_DB_POOL_TIMEOUT", "30"))
    except ValueError as fout:
        raise ValueError(f"ONTMOET_DB_POOL, _OVERFLOW en _TIMEOUT moeten getallen zijn: {fout}") from None
    if opties["pool_size"] < 1 or opties["max_overflow"] < 0 or opties["pool_timeout"] <= 0:  # type: ignore[operator]
        raise ValueError("ONTMOET_DB_POOL moet 1 of meer zijn, _OVERFLOW 0 of meer, _TIMEOUT meer dan 0.")
    return opties


class Config:
    """Defaults for serving; tests override with a mapping passed to create_app."""

    SQLALCHEMY_DATABASE_URI = absolute_database_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    # None: create_app sizes the pool for the URL in use (pool_opties); a mapping overrides it.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict | None] = None
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # Redis pub/sub channels are server-wide (not per database index): deployments or test runs
    # sharing one Redis each need their own channel.
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL") or "flask-socketio"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # per request: Secure whenever served over https
    # The signed cookie is sent again only when the session changed (a join, sign-in, the
    # last-activity stamp once a minute: accounts/inlogsessie.py), not re-signed on every page.
    SESSION_REFRESH_EACH_REQUEST = False
    # Trusted reverse-proxy hops whose X-Forwarded-For/-Proto count (facilitatie/beveiliging.py).
    PROXIES = aantal_proxies(os.environ.get("ONTMOET_PROXIES"))
    # The address people use to reach Ontmoet (QR codes, links for others); checked by create_app
    # (facilitatie/adres.py). HOST and PORT: where `python wsgi.py` listens, so a request on
    # 127.0.0.1 can hand phones the LAN address when that is every interface.
    PUBLIC_URL = os.environ.get("ONTMOET_PUBLIC_URL") or None
    LUISTERADRES = os.environ.get("HOST", "127.0.0.1")
    # Where people report accessibility problems (/toegankelijkheid): e-mail or http(s) page.
    TOEGANKELIJKHEID_CONTACT = os.environ.get("ONTMOET_TOEGANKELIJKHEID_CONTACT") or None
    LUISTERPOORT = os.environ.get("PORT", "5000")
    WTF_CSRF_TIME_LIMIT = None  # a sessie can last a whole afternoon
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Only guessing counts: see facilitatie/sessies/toegang.py and accounts/pogingen.py for the
    # sizes (a room or an office behind one address) and the arithmetic. Overridable, so the
    # browser tests' live server (one client IP for every test) is not throttled.
    LOGIN_LIMIT = os.environ.get("ONTMOET_LOGIN_LIMIT", "100 per 10 minutes")  # failed sign-ins per address
    LOGIN_ACCOUNT_LIMIT = os.environ.get("ONTMOET_LOGIN_ACCOUNT_LIMIT", "5 per 5 minutes")  # … per account
    # A signed-in session ends after this many minutes without a request, and this many minutes
    # after sign-in whatever happens (facilitatie/accounts/inlogsessie.py).
    SESSIE_INACTIEF_MINUTEN = float(os.environ.get("ONTMOET_SESSION_IDLE_MINUTES", "60"))
    SESSIE_MAXIMUM_MINUTEN = float(os.environ.get("ONTMOET_SESSION_LIFETIME_MINUTES", "720"))
    JOIN_LIMIT = os.environ.get("ONTMOET_JOIN_LIMIT", "50 per 10 minutes")  # unknown codes per address
    JOIN_GLOBAL_LIMIT = os.environ.get("ONTMOET_JOIN_GLOBAL_LIMIT", "300 per hour")  # … across all addresses
    # Posts through a wijkteam's meldlink (facilitatie/signalen/toegang.py): per address, per link.
    MELDLINK_LIMIT_ADRES = os.environ.get("ONTMOET_MELDLINK_LIMIT_ADRES", "5 per minute; 30 per hour")
    MELDLINK_LIMIT_LINK = os.environ.get("ONTMOET_MELDLINK_LIMIT_LINK", "100 per hour")
    # Volglinks that open nothing, per address (facilitatie/volgen/toegang.py).
    VOLG_LIMIT = os.environ.get("ONTMOET_VOLG_LIMIT", "30 per 10 minutes")
    SESSIEVORMEN_DIR = str(ROOT / "sessies")
    # Seconds between background refreshes of viewed dashboards after a change (0: off).
    DASHBOARD_VERVERS_SECONDEN = float(os.environ.get("ONTMOET_DASHBOARD_VERVERS", "10"))
    MAX_CONTENT_LENGTH = 1024 * 1024
    # Seconds over which joins, connects and disconnects are gathered into one refresh of the
    # begeleider's numbers (facilitatie/sessies/aanwezigheid.py); 0: each one at once.
    AANWEZIGHEID_BUNDEL_SECONDEN = float(os.environ.get("ONTMOET_AANWEZIGHEID_BUNDEL", "1"))
    # AVG: months after a sessie was closed before its free text is removed (0: never), and
    # whether this process runs that daily by itself (docs/privacy.md; `flask opschonen`).
    BEWAARTERMIJN_MAANDEN = int(os.environ.get("ONTMOET_BEWAARTERMIJN_MAANDEN", "24"))
    OPSCHONEN_AUTOMATISCH = os.environ.get("ONTMOET_OPSCHONEN_AUTOMATISCH", "1") != "0"
    # Seconds between checks whether the daily run is due (the lease makes it once per day).
    OPSCHONEN_CONTROLE_SECONDEN = float(os.environ.get("ONTMOET_OPSCHONEN_CONTROLE", "600"))
    # Webhooks (docs/api.md): seconds between looks at the delivery queue in each process (0: this
    # process sends none), and how long one delivery may take before it counts as failed.
    WEBHOOK_INTERVAL_SECONDEN = float(os.environ.get("ONTMOET_WEBHOOK_INTERVAL", "5"))
    WEBHOOK_TIJDSLIMIET_SECONDEN = float(os.environ.get("ONTMOET_WEBHOOK_TIMEOUT", "10"))
    # Signalen that one API token may report (POST /api/v1/knelpunten), per moving window.
    API_SIGNALEN_LIMIT = os.environ.get("ONTMOET_API_SIGNALEN_LIMIT", "60 per minute; 1000 per day")
    # Meldingen per e-mail (README): the SMTP server and sender. Without MAIL_SERVER mails wait in
    # the outbox (/beheer/mail). Checked, and turned into numbers, by meldingen/instellingen.py.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = os.environ.get("MAIL_PORT") or "25"
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0")
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER") or None
    MAIL_TIMEOUT = os.environ.get("MAIL_TIMEOUT") or "10"  # seconds per SMTP conversation step
    MAIL_MAX_POGINGEN = os.environ.get("MAIL_MAX_POGINGEN") or "8"  # then the mail is 'mislukt'
    MAIL_CONTROLE_SECONDEN = os.environ.get("MAIL_CONTROLE_SECONDEN") or "15"  # how often the outbox is sent
    MAIL_BEWAAR_DAGEN = os.environ.get("MAIL_BEWAAR_DAGEN") or "90"  # sent mails are removed after this
