"""Flask CLI commands of CONTRACT.md: create-user, seed-demo, opschonen (db upgrade comes from Flask-Migrate)."""

from __future__ import annotations

import functools
from typing import Any

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from facilitatie import demo
from facilitatie.accounts import service as accounts
from facilitatie.accounts.models import Gemeente, User
from facilitatie.accounts.rollen import Rol
from facilitatie.avg import opschonen as bewaartermijn
from facilitatie.database import als_schrijver
from facilitatie.extensions import db
from facilitatie.fouten import Ongeldig


def register(app: Flask) -> None:
    app.cli.add_command(_schrijvend(create_user))
    app.cli.add_command(seed_demo)  # runs before serving (make run); it uses more than one connection
    app.cli.add_command(_schrijvend(opschonen))


def _schrijvend(command: click.Command) -> click.Command:
    """These commands write beside a running server: on SQLite every transaction takes the write
    lock at BEGIN (and waits for it), rather than reading first and then finding the server wrote
    in between, which SQLite refuses at once with "database is locked"."""
    callback = command.callback
    if callback is None or getattr(callback, "_schrijvend", False):
        return command

    @functools.wraps(callback)
    def schrijvend(*args: Any, **kwargs: Any) -> Any:
        with als_schrijver():
            return callback(*args, **kwargs)

    schrijvend._schrijvend = True  # type: ignore[attr-defined]
    command.callback = schrijvend
    return command


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", "naam", required=True)
@click.option("--role", "rol", required=True, type=click.Choice([r.value for r in Rol]))
@click.option("--password", required=True)
@click.option("--gemeente", default=None, help="Naam van de gemeente (wordt aangemaakt als die niet bestaat).")
def create_user(email: str, naam: str, rol: str, password: str, gemeente: str | None) -> None:
    """Create an account."""
    gem = None
    if gemeente:
        gem = db.session.scalar(select(Gemeente).where(Gemeente.naam == gemeente)) or accounts.create_gemeente(gemeente)
    try:
        user = accounts.create_user(email=email, naam=naam, rol=rol, password=password, gemeente=gem)
    except Ongeldig as fout:
        db.session.rollback()
        if fout.veld == "gemeente":
            raise click.ClickException(
                'Een begeleider maakt sessies voor een gemeente: geef die op met --gemeente "Naam".'
            ) from fout
        raise click.ClickException(fout.bericht) from fout
    db.session.commit()
    click.echo(f"Account aangemaakt: {user.email} ({user.rol}).")


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Ook laden als de database al gegevens bevat.")
@click.option("--if-empty", "if_empty", is_flag=True, help="Stil overslaan als de database al gegevens bevat.")
def seed_demo(force: bool, if_empty: bool) -> None:
    """Load the demo gemeente, teams, users and sessies; refuses a non-empty database."""
    has_data = (db.session.scalar(select(func.count(User.id))) or 0) > 0
    if has_data and not force:
        if if_empty:
            click.echo("De database bevat al gegevens; demodata niet opnieuw geladen.")
            click.echo(demo.logins_text())
            return
        raise click.ClickException("De database bevat al gegevens. Gebruik --force om toch demodata te laden.")
    # Live fragments are rendered while loading; they need a request context for url_for.
    with current_app.test_request_context("/"):
        demo.load()
    click.echo("Demodata geladen.")
    click.echo(demo.logins_text())


@click.command("opschonen")
@click.option("--dry-run", "proef", is_flag=True, help="Alleen tellen wat zou worden verwijderd; niets wijzigen.")
@click.option(
    "--maanden",
    type=click.IntRange(min=0),
    default=None,
    help="Bewaartermijn in maanden (standaard ONTMOET_BEWAARTERMIJN_MAANDEN; 0 = nooit).",
)
def opschonen(proef: bool, maanden: int | None) -> None:
    """Remove the free text of sessies closed longer ago than the bewaartermijn; the figures stay."""
    termijn = current_app.config["BEWAARTERMIJN_MAANDEN"] if maanden is None else maanden
    verslag = bewaartermijn.opschonen(maanden=termijn, proef=proef)
    if proef:
        click.echo("Proefdraai: er is niets gewijzigd.")
    for regel in verslag.regels(proef):
        click.echo(regel)
