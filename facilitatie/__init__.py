"""Ontmoet: a live meeting between beleid and uitvoering, and what becomes of it.

`create_app()` builds everything: config, extensions, the database setup, the realtime funnel,
the sessievormen, and every blueprint in one list (`_register_blueprints`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from gevent import monkey

from facilitatie import adres, beveiliging, cli, database, realtime, statisch, taken, templating, web
from facilitatie.accounts import beheer, inlogsessie, perspectieven_views
from facilitatie.accounts import views as accounts_views
from facilitatie.api import verzenden as webhooks_verzenden
from facilitatie.api import views as api_views
from facilitatie.api import webhook_views
from facilitatie.avg import opschonen
from facilitatie.avg import views as avg_views
from facilitatie.config import INSTANCE, ROOT, Config, absolute_database_url, pool_opties, secret_key
from facilitatie.database import als_schrijver, write_intent
from facilitatie.extensions import csrf, db, htmx, limiter, login, mail, migrate, socketio
from facilitatie.knelpunten import views as knelpunten_views
from facilitatie.leerkring import views as leerkring_views
from facilitatie.meldingen import instellingen as mailinstellingen
from facilitatie.meldingen import planning as meldingen_planning
from facilitatie.meldingen import views as meldingen_views
from facilitatie.opvolging import views as opvolging_views
from facilitatie.reeksen import views as reeksen_views
from facilitatie.sessies import aanwezigheid, deelname
from facilitatie.sessies import views as sessies_views
from facilitatie.sessies.vormen import load_vormen
from facilitatie.signalen import lezen as signalen_lezen
from facilitatie.signalen import views as signalen_views
from facilitatie.verwachtingen import views as verwachtingen_views
from facilitatie.volgen import bevestiging as volgen_bevestiging
from facilitatie.volgen import views as volgen_views

__all__ = ["als_schrijver", "create_app", "write_intent"]


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came in over https.

    Behind a TLS-terminating proxy that is known from X-Forwarded-Proto, believed only from the
    hops ONTMOET_PROXIES trusts (ProxyFix, facilitatie/beveiliging.py).
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, socket handlers, sessievormen."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(Config)
    if test_config:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = absolute_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config.get("SQLALCHEMY_ENGINE_OPTIONS") is None:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = pool_opties(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        app.config["PUBLIC_URL"] = adres.publieke_url(app.config.get("PUBLIC_URL"))
        contact = app.config.get("TOEGANKELIJKHEID_CONTACT")
        app.config["TOEGANKELIJKHEID_CONTACT"] = contact if isinstance(contact, dict) else adres.contactadres(contact)
        # A wrong mail setting stops the start: mail that silently never leaves is worse.
        mailinstellingen.controleer(app.config, os.environ)
    except ValueError as fout:
        raise RuntimeError(f"Ontmoet start niet: {fout}") from None
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key()
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.session_interface = SessionInterface()

    _configure_logging(app)
    _init_extensions(app)
    _load_sessievormen(app)
    web.register_url_converters(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _start_opschonen(app)
    _start_webhooks(app)
    _start_meldingen(app)
    return app


def _start_webhooks(app: Flask) -> None:
    """The webhook sender (docs/api.md): every serving process looks at the queue; a lease per row sends it once.

    Started by the first request, so a CLI command (`db upgrade`, `seed-demo`) runs no sender.
    """
    if app.testing:
        return

    @app.before_request
    def _webhooks_versturen() -> None:
        webhooks_verzenden.start(app)


def _start_meldingen(app: Flask) -> None:
    """Reminders, the monthly stand and the outbox sender (facilitatie/meldingen/planning.py)."""
    if app.testing:
        return
    meldingen_planning.start(app)


def _start_opschonen(app: Flask) -> None:
    """The daily bewaartermijn run (docs/privacy.md): one process per day does it, by a lease."""
    maanden = int(app.config.get("BEWAARTERMIJN_MAANDEN", 0))
    if app.testing or maanden <= 0 or not app.config.get("OPSCHONEN_AUTOMATISCH"):
        return
    taken.start_dagelijks(
        app,
        "opschonen",
        lambda: opschonen.opschonen(maanden=maanden),
        controle=float(app.config["OPSCHONEN_CONTROLE_SECONDEN"]),
    )


def _configure_logging(app: Flask) -> None:
    # Werkzeug's access log writes client IP addresses; anonymous posts must leave no trace,
    # so request lines are not logged at all.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("engineio.server").setLevel(logging.WARNING)
    logging.getLogger("socketio.server").setLevel(logging.WARNING)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    login.init_app(app)
    login.login_view = "accounts.inloggen"
    login.login_message = "Log in om deze pagina te zien."
    login.login_message_category = "info"
    realtime.init_app(
        app,
        sessie_met_code=deelname.sessie_met_code,
        audience_for=deelname.audience_for,
        bij_volgen=aanwezigheid.bij_volgen,
        bij_verlaten=aanwezigheid.bij_verlaten,
    )
    # Flask-SocketIO keeps the queue's client manager of an earlier init_app in server_options;
    # a second app in the same process (the tests) would inherit a message queue it never asked for.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode=_async_mode(),
        message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE"),
        channel=app.config.get("SOCKETIO_CHANNEL", "flask-socketio"),
        manage_session=True,
        ping_interval=20,
        ping_timeout=20,
    )
    database.init_app(app)
    beveiliging.init_app(app)
    # Static files are answered before Flask (and the socket): hashed names, compressed, no cookie.
    statisch.init_app(app, beveiliging.statische_headers(), beveiliging.https_headers())
    # Last, so ProxyFix wraps the Socket.IO middleware too: sockets see the real client and scheme.
    beveiliging.vertrouw_proxies(app, int(app.config.get("PROXIES", 0)))

    # Checks the session's stamps (version, idle time, lifetime) on every request and socket event.
    login.user_loader(inlogsessie.laad_gebruiker)


def _async_mode() -> str:
    """gevent when the process was monkey-patched (`python wsgi.py`, gunicorn -k gevent), else threads."""
    return "gevent" if monkey.is_module_patched("socket") else "threading"


def _load_sessievormen(app: Flask) -> None:
    # A malformed file stops the app here, naming file and field, never during a meeting.
    app.extensions["sessievormen"] = load_vormen(Path(app.config["SESSIEVORMEN_DIR"]))


def _register_blueprints(app: Flask) -> None:
    """Every page of the app, area by area: this list is the app's outline."""
    app.register_blueprint(web.bp)  # start, healthz
    app.register_blueprint(accounts_views.bp)  # inloggen, uitloggen
    app.register_blueprint(beheer.bp)  # gemeenten, teams, gebruikers
    app.register_blueprint(perspectieven_views.bp)  # /perspectieven, /gemeenten/<id>/perspectieven
    app.register_blueprint(sessies_views.bp)  # sessies, deelnemen, /s/<code>
    app.register_blueprint(knelpunten_views.bp)  # /s/<code>/knelpunten, themas, stemmen, dialoog
    app.register_blueprint(verwachtingen_views.bp)  # verwachtingen, rondes, ambitie
    app.register_blueprint(opvolging_views.bp)  # besluiten, opvolging, terugkoppeling, dashboard
    app.register_blueprint(signalen_views.bp)  # /signalen, /signalen/nieuw, /melden/<token>, meldlinks, opgelost
    app.register_blueprint(volgen_views.bp)  # /volg/<token>: the volglink page
    app.register_blueprint(reeksen_views.bp)  # /reeksen/<id>, the reeks in Nieuwe sessie
    app.register_blueprint(leerkring_views.bp)  # casus, vragen, reflecties, evaluatie, peiling, /leerkring
    app.register_blueprint(api_views.bp)  # /api/v1
    app.register_blueprint(webhook_views.bp)  # /koppelingen/webhooks: a gemeente's webhooks and their log
    app.register_blueprint(avg_views.bp)  # sessie or account verwijderen, gegevens downloaden, /account
    app.register_blueprint(meldingen_views.bp)  # /account/meldingen, afmelden, /beheer/mail
    api_views.init_app(app)
    # A post's answer carries its volglink; the knelpunten area cannot import volgen (it comes later).
    knelpunten_views.init_app(app, na_indienen=volgen_bevestiging.volglink_tonen)
    signalen_views.init_app(app, na_melden=volgen_bevestiging.volglink_tonen)
    cli.register(app)
    web.register_error_handlers(app)


def _register_template_helpers(app: Flask) -> None:
    templating.register(app)
    # Signalen parts shown on pages of earlier areas (start, terugkoppeling, dashboard), which must
    # not import the signalen area (tests/test_architectuur.py): they ask through these globals.
    app.jinja_env.globals["opgelost_vragen"] = signalen_lezen.open_vragen_voor
    app.jinja_env.globals["opgelost_antwoorden"] = signalen_lezen.antwoorden_over
    app.jinja_env.globals["bevestigd_opgelost"] = signalen_lezen.bevestigd_opgelost
