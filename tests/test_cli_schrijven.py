"""CLI commands write beside a running server: on SQLite they take the write lock at BEGIN.

In CI `flask create-user` against the browser tests' live server failed with "database is
locked": its transaction read the gemeente first, the server committed a write meanwhile, and
SQLite refuses to turn such a stale read transaction into a writing one (no busy wait helps).
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from facilitatie.accounts import service as accounts
from facilitatie.extensions import db


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_create_user_waits_for_a_writer_of_another_process_instead_of_failing(app, runner, database_url):
    accounts.create_gemeente("Vechtstede")
    db.session.commit()
    ander = sqlite3.connect(
        database_url.removeprefix("sqlite:///"), timeout=15, isolation_level=None, check_same_thread=False
    )
    ander.execute("BEGIN IMMEDIATE")  # the server is writing
    gereed = threading.Event()

    def server_schrijft_en_commit() -> None:
        gereed.wait(10)
        time.sleep(0.5)  # the CLI has read the gemeente by now and waits to write
        ander.execute("UPDATE gemeente SET naam = naam")
        ander.execute("COMMIT")

    draad = threading.Thread(target=server_schrijft_en_commit)
    draad.start()
    gereed.set()
    try:
        result = runner.invoke(
            args=["create-user", "--email", "cli@ontmoet.test", "--name", "Cli", "--role", "beleidsmedewerker",
                  "--password", "lang-genoeg-wachtwoord", "--gemeente", "Vechtstede"],
        )  # fmt: skip
    finally:
        draad.join(20)
        ander.close()
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Account aangemaakt" in result.output
