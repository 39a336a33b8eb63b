"""Dashboard benchmark: server time of /dashboard with 100,000 knelpunten in PostgreSQL (issue 6, item 7).

It creates a scratch PostgreSQL database, applies the migrations, generates one gemeente
with N knelpunten over two years of sessies, besluiten for most of them, acties with their
history for the opgepakte ones and some 'eerder gemeld' links (plus a second, small gemeente
so the gemeente filter has something to skip), runs ANALYZE, and then measures the time
the app takes to answer, in-process through Flask's test client (no network; what is left
is routing, the SQL aggregation and the template):

  /dashboard                       the whole period
  /dashboard?van=…&tot=…           the last twelve months
  /api/v1/dashboard                the same figures as JSON
  /opvolging?te_laat=1             a list page behind a dashboard number
  /opvolging?weergave=knelpunten&besluit=zonder

The dashboard pages are measured three ways: with the figures cached (nothing changed since
the last view), right after a change (the stamp moved: everything is computed), and a
moment after a change with the background refresher on (the first view is a hit again).

Each page is requested `--warmup` times, then `--runs` times; p50 and p95 are reported.
The database is dropped at the end, also when something fails.

usage:
  .venv/bin/python benchmarks/dashboard.py                  # 100,000 knelpunten, writes docs/benchmarks.md
  .venv/bin/python benchmarks/dashboard.py --knelpunten 20000 --no-write
Environment: BENCH_PG_ADMIN_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facilitatie import create_app  # noqa: E402
from facilitatie.extensions import db  # noqa: E402

ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DOCS = ROOT / "docs" / "benchmarks.md"
DOMEINEN = ["Wmo", "Jeugd", "Participatie / werk en inkomen", "Schulden", "Wonen", "Zorg en gezondheid", "Onderwijs"]
BESLUITEN = [("opgepakt", 0.45), ("niet_opgepakt", 0.2), ("doorverwezen", 0.15), ("al_opgelost", 0.1), (None, 0.1)]
CHUNK = 5000
VERVERS = 1.0  # the refresher's interval in the last scenario (served default: 10 s)
WACHT = 3.5  # seconds between the change and the view: a round to see the stamp still, one to recompute


def _kies_besluit(rng: random.Random) -> str | None:
    r = rng.random()
    for soort, kans in BESLUITEN:
        if r < kans:
            return soort
        r -= kans
    return None


def _insert(conn: sa.Connection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    tabel = sa.table(table, *(sa.column(k) for k in rows[0]))
    for i in range(0, len(rows), CHUNK):
        conn.execute(sa.insert(tabel), rows[i : i + CHUNK])


def generate(url: str, n_knelpunten: int, seed: int = 6) -> dict[str, int]:
    """Fill the scratch database; returns ids the measurement needs."""
    rng = random.Random(seed)
    engine = sa.create_engine(url)
    nu = datetime(2026, 11, 1, 12)
    vandaag = nu.date()
    with engine.begin() as conn:
        gemeente_id = conn.execute(sa.text("INSERT INTO gemeente (naam) VALUES ('Benchstad') RETURNING id")).scalar()
        andere_id = conn.execute(sa.text("INSERT INTO gemeente (naam) VALUES ('Elders') RETURNING id")).scalar()
        team_ids = [
            conn.execute(
                sa.text("INSERT INTO team (naam, werkmodel, gemeente_id) VALUES (:n, 'teammodel', :g) RETURNING id"),
                {"n": f"Wijkteam {i}", "g": gemeente_id},
            ).scalar()
            for i in range(12)
        ]
        gebruikers = {}
        for rol in ("begeleider", "beleidsmedewerker", "wethouder"):
            gebruikers[rol] = conn.execute(
                sa.text(
                    "INSERT INTO gebruiker (email, naam, password_hash, rol, gemeente_id, actief, aangemaakt_op) "
                    "VALUES (:e, :n, 'x', :r, :g, true, :t) RETURNING id"
                ),
                {"e": f"{rol}@bench.test", "n": rol.title(), "r": rol, "g": gemeente_id, "t": nu},
            ).scalar()
        eigenaren = [gebruikers["beleidsmedewerker"], gebruikers["begeleider"]]

        n_sessies = max(1, n_knelpunten // 250)
        sessies = []
        for i in range(n_sessies):
            begin = nu - timedelta(days=730 * (n_sessies - i) / n_sessies)
            sessies.append(
                {
                    "titel": f"Sessie {i}",
                    "sessievorm": "ontmoeten-en-ont-moeten",
                    "gemeente_id": gemeente_id,
                    "begeleider_id": gebruikers["begeleider"],
                    "deelnamecode": f"B{i:05d}",
                    "status": "afgesloten" if i < n_sessies - 2 else "live",
                    "naam_verplicht": False,
                    "laatste_seq": 0,
                    "aangemaakt_op": begin,
                    "gestart_op": begin,
                    "afgesloten_op": begin + timedelta(hours=3) if i < n_sessies - 2 else None,
                }
            )
        sessies.append({**sessies[0], "titel": "Elders", "gemeente_id": andere_id, "deelnamecode": "ELDERS"})
        _insert(conn, "sessie", sessies)
        sessie_rows = conn.execute(
            sa.text("SELECT id, aangemaakt_op, status FROM sessie WHERE gemeente_id = :g ORDER BY id"),
            {"g": gemeente_id},
        ).all()

        knelpunten = []
        for i in range(n_knelpunten):
            sessie_id, begin, _status = sessie_rows[i % len(sessie_rows)]
            knelpunten.append(
                {
                    "sessie_id": sessie_id,
                    "team_id": rng.choice(team_ids) if rng.random() > 0.05 else None,
                    "domein": rng.choice(DOMEINEN),
                    "tekst": f"Knelpunt {i}: regels en werkelijkheid lopen uiteen bij {rng.choice(DOMEINEN)}.",
                    "anoniem": rng.random() < 0.2,
                    "aangemaakt_op": begin + timedelta(minutes=rng.randint(5, 90)),
                    "onthuld": True,
                    "verborgen": rng.random() < 0.01,
                }
            )
        kolommen = set(conn.execute(sa.text("SELECT * FROM knelpunt LIMIT 0")).keys())
        knelpunten = [{k: v for k, v in rij.items() if k in kolommen} for rij in knelpunten]
        _insert(conn, "knelpunt", knelpunten)
        kn = conn.execute(
            sa.text(
                "SELECT k.id, k.aangemaakt_op, s.status FROM knelpunt k JOIN sessie s ON s.id = k.sessie_id "
                "WHERE s.gemeente_id = :g ORDER BY k.id"
            ),
            {"g": gemeente_id},
        ).all()

        besluiten, opgepakt = [], []
        for knelpunt_id, op, status in kn:
            soort = _kies_besluit(rng) if status == "afgesloten" else None
            if soort is None:
                continue
            besloten = op + timedelta(days=rng.expovariate(1 / 20))
            besluiten.append(
                {
                    "knelpunt_id": knelpunt_id,
                    "soort": soort,
                    "reden": "Buiten onze bevoegdheid." if soort == "niet_opgepakt" else None,
                    "doorverwezen_naar": "Regio" if soort == "doorverwezen" else None,
                    "toelichting": None,
                    "besloten_door_id": gebruikers["beleidsmedewerker"],
                    "besloten_op": besloten,
                }
            )
            if soort == "opgepakt":
                opgepakt.append((knelpunt_id, besloten))
        _insert(conn, "besluit", besluiten)

        acties, links = [], []
        for knelpunt_id, besloten in opgepakt:
            for _ in range(rng.choice([1, 1, 1, 2])):
                streef = (besloten + timedelta(days=rng.randint(14, 120))).date()
                r = rng.random()
                status = "afgerond" if r < 0.45 else "vervallen" if r < 0.5 else "in_uitvoering" if r < 0.7 else "open"
                afgerond = besloten + timedelta(days=rng.randint(5, 150)) if status == "afgerond" else None
                acties.append(
                    {
                        "gemeente_id": gemeente_id,
                        "omschrijving": f"Actie bij knelpunt {knelpunt_id}",
                        "eigenaar_id": rng.choice(eigenaren),
                        "streefdatum": streef,
                        "status": status,
                        "aangemaakt_door_id": gebruikers["beleidsmedewerker"],
                        "aangemaakt_op": besloten,
                        "afgerond_op": min(afgerond, nu) if afgerond else None,
                        "bijgewerkt_op": besloten,
                    }
                )
                links.append(knelpunt_id)
        _insert(conn, "actie", acties)
        actie_ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM actie ORDER BY id")).all()]
        _insert(
            conn, "actie_knelpunt", [{"actie_id": a, "knelpunt_id": k} for a, k in zip(actie_ids, links, strict=True)]
        )
        _insert(
            conn,
            "actie_historie",
            [
                {"actie_id": a, "door_id": eigenaren[0], "op": nu, "veld": "aangemaakt", "naar": "open"}
                for a in actie_ids
            ],
        )
        oud = [r[0] for r in kn[: len(kn) // 2]]
        nieuw = [r[0] for r in kn[len(kn) // 2 :]]
        paren = {(rng.choice(nieuw), rng.choice(oud[:500])) for _ in range(max(1, n_knelpunten // 50))}
        _insert(conn, "eerder_gemeld", [{"knelpunt_id": k, "eerder_id": e, "gekoppeld_op": nu} for k, e in paren])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()
    return {
        "gemeente": gemeente_id,
        "wethouder": gebruikers["wethouder"],
        "acties": len(acties),
        "besluiten": len(besluiten),
        "vandaag": vandaag.toordinal(),
    }


def measure(url: str, ids: dict[str, int], runs: int, warmup: int) -> list[tuple[str, float, float]]:
    """p50 and p95 server time in ms per page."""
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True}
    app = create_app({**config, "DASHBOARD_VERVERS_SECONDEN": 0})
    # The same app with its background refresher on (as served), for the last scenario only.
    app_ververs = create_app({**config, "DASHBOARD_VERVERS_SECONDEN": VERVERS})
    clients = {False: app.test_client(), True: app_ververs.test_client()}
    for client in clients.values():
        with client.session_transaction() as sessie:
            sessie["_user_id"] = str(ids["wethouder"])
            sessie["_fresh"] = True
    vandaag = date.fromordinal(ids["vandaag"])
    jaar_terug = (vandaag - timedelta(days=365)).isoformat()
    twaalf = f"/dashboard?van={jaar_terug}&tot={vandaag.isoformat()}"
    # (label, path, change the data before each request, with the background refresher)
    paginas = [
        ("/dashboard", "/dashboard", False, False),
        ("/dashboard (laatste 12 maanden)", twaalf, False, False),
        ("/api/v1/dashboard", "/api/v1/dashboard", False, False),
        ("/dashboard, right after a change", "/dashboard", True, False),
        ("/dashboard (laatste 12 maanden), right after a change", twaalf, True, False),
        ("/api/v1/dashboard, right after a change", "/api/v1/dashboard", True, False),
        ("/opvolging?te_laat=1", "/opvolging?te_laat=1", False, False),
        (
            "/opvolging?weergave=knelpunten&besluit=zonder",
            "/opvolging?weergave=knelpunten&besluit=zonder",
            False,
            False,
        ),
        (f"/dashboard, {WACHT:g} s after a change (refresher)", "/dashboard", True, True),
    ]
    schrijver = sa.create_engine(url)

    def wijzig() -> None:
        """An eigenaar updates one actie (as /acties/<id> would): the gemeente's stamp moves."""
        with schrijver.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE actie SET bijgewerkt_op = now() "
                    "WHERE id = (SELECT min(id) FROM actie WHERE gemeente_id = :g)"
                ),
                {"g": ids["gemeente"]},
            )

    uitkomst = []
    for naam, pad, na_wijziging, ververs in paginas:
        client = clients[ververs]
        for _ in range(warmup):
            antwoord = client.get(pad)
            assert antwoord.status_code == 200, (pad, antwoord.status_code)
        tijden = []
        for _ in range(runs):
            if na_wijziging:
                wijzig()
                if ververs:
                    time.sleep(WACHT)
            begin = time.perf_counter()
            antwoord = client.get(pad)
            tijden.append((time.perf_counter() - begin) * 1000)
            assert antwoord.status_code == 200
        tijden.sort()
        p95 = tijden[min(len(tijden) - 1, round(0.95 * (len(tijden) - 1)))]
        uitkomst.append((naam, statistics.median(tijden), p95))
        print(f"{naam:<50} p50 {statistics.median(tijden):7.1f} ms   p95 {p95:7.1f} ms", flush=True)
    for a in (app, app_ververs):
        with a.app_context():
            db.engine.dispose()
    schrijver.dispose()
    return uitkomst


def write_docs(
    n: int, ids: dict[str, int], resultaten: list[tuple[str, float, float]], runs: int, seconden: float
) -> None:
    """Replace (or add) the "## Dashboard" section of docs/benchmarks.md, leaving other sections alone."""
    cpu = os.cpu_count()
    last = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    te_traag = [naam for naam, p50, _p95 in resultaten if p50 > 200]
    oordeel = (
        "Every page is under the 200 ms target."
        if not te_traag
        else f"Over the 200 ms target: {', '.join(f'`{n}`' for n in te_traag)}."
    )
    rijen = "\n".join(f"| `{naam}` | {p50:.0f} | {p95:.0f} |" for naam, p50, p95 in resultaten)
    sectie = f"""## Dashboard

`benchmarks/dashboard.py` (issue 6): a scratch PostgreSQL database with **{n:,} knelpunten** of one
gemeente over two years ({ids["besluiten"]:,} besluiten, {ids["acties"]:,} acties with history, 'eerder
gemeld' links, a second gemeente), after `ANALYZE`. Server time is measured in-process with Flask's
test client (routing, SQL, template; no network), signed in as the wethouder, {runs} runs per page
after warm-up. Machine: {platform.machine()}, {cpu} CPUs, Python {platform.python_version()}; generating
the data took {seconden:.0f} s (with the dashboard triggers); load average after the run {last}.
Target: under 200 ms per page.

| page | p50 ms | p95 ms |
|---|---|---|
{rijen}

{oordeel}

What the rows mean:
- **`/dashboard` and the other plain rows**: the figures for that gemeente and period are already
  computed and nothing they count has changed since: the page reads the gemeente's stamp (one
  primary-key lookup), takes the figures from the cache, reads names, teams and the signals that
  came back fresh, and renders. This is every view except the two cases below.
- **right after a change**: one actie was updated just before each request (as an eigenaar does
  on `/acties/<id>`), so the stamp moved and the page computes everything: one hash-aggregated
  scan with `GROUPING SETS ((), (domein), (team_id), (month))` for the counts, `percentile_cont`
  over `GROUPING SETS ((), (domein), (team_id))` for the medians, the acties per status and per
  domein and team. Nearly all of that time is PostgreSQL joining and sorting about 90,000 rows for
  exact medians; it is what every view cost before the cache.
- **{WACHT:g} s after a change (refresher)**: the same change, but the view comes after the
  background refresher's rounds (`ONTMOET_DASHBOARD_VERVERS`, every {VERVERS:g} s here, 10 s by
  default): it recomputes, two at most per round, the dashboards viewed in the last 15 minutes
  whose stamp moved and then stood still for a round (a live sessie that changes the figures
  every few seconds costs nothing until it pauses), so the view is a hit.

So a view costs the full computation only within about two refresh intervals after a change of that
gemeente's data (10–20 s by default), or as the first view of a period in a process. How the cache
stays right: a row per gemeente in `dashboard_stand` holds a random stamp that database triggers
move on every insert, update or delete of a knelpunt, besluit, actie, actie-knelpunt link or sessie
status of that gemeente, by any path (views, bulk statements, scripts, another process); the cache
key includes the stamp, so a hit is always what a fresh computation would give. On PostgreSQL the
stamp moves once per writing transaction, at its commit (deferred triggers: the stamp's row lock is
always the last lock a writer takes, so it adds no deadlock), and a transaction that has written
neither reads nor fills the cache.
Re-run: `.venv/bin/python benchmarks/dashboard.py` (about two minutes; `--keep` keeps the database).
"""
    DOCS.parent.mkdir(exist_ok=True)
    tekst = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    patroon = re.compile(r"^## Dashboard\n.*?(?=^## |\Z)", re.S | re.M)
    if patroon.search(tekst):
        tekst = patroon.sub(lambda _m: sectie + "\n", tekst, count=1)
    else:
        tekst = tekst.rstrip("\n") + "\n\n" + sectie
    DOCS.write_text(tekst.rstrip("\n") + "\n")
    print(f"wrote the Dashboard section of {DOCS}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knelpunten", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (to profile it); prints its URL")
    args = parser.parse_args()

    naam = f"ontmoet_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{naam}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{naam}"
    try:
        from flask_migrate import upgrade

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
        with app.app_context():
            upgrade()
            db.engine.dispose()
        begin = time.perf_counter()
        ids = generate(url, args.knelpunten)
        seconden = time.perf_counter() - begin
        print(f"generated {args.knelpunten:,} knelpunten in {seconden:.1f} s", flush=True)
        resultaten = measure(url, ids, args.runs, args.warmup)
        if not args.no_write:
            write_docs(args.knelpunten, ids, resultaten, args.runs, seconden)
    finally:
        if args.keep:
            print(f"kept {url}")
        else:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
