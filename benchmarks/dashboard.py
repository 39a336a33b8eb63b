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
the last view), right after a change (the stamp moved: the queued change is folded into the
summary and the figures are read from it), and a moment after a change with the background
refresher on (the first view is a hit again). Then the live scenario (issue 12): a sessie
writes every few seconds (a knelpunt, a besluit, an actie status) while the wethouder opens
the dashboard right after each write, so every view is the first after a change.

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
import threading
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facilitatie import create_app  # noqa: E402
from facilitatie.extensions import db  # noqa: E402

try:  # absent before issue 12: the same script then measures the old code
    from facilitatie.opvolging import samenvatting
except ImportError:  # pragma: no cover
    samenvatting = None

ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DOCS = ROOT / "docs" / "benchmarks.md"
DOMEINEN = ["Wmo", "Jeugd", "Participatie / werk en inkomen", "Schulden", "Wonen", "Zorg en gezondheid", "Onderwijs"]
BESLUITEN = [("opgepakt", 0.45), ("niet_opgepakt", 0.2), ("doorverwezen", 0.15), ("al_opgelost", 0.1), (None, 0.1)]
CHUNK = 5000
VERVERS = 1.0  # the refresher's interval in the last scenario (served default: 10 s)
WACHT = 3.5  # seconds between the change and the view: a round to see the stamp still, one to recompute
INTERVAL = 3.0  # seconds between two writes of the live sessie in the live scenario


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


def measure(
    url: str, ids: dict[str, int], runs: int, warmup: int, live_n: int, alleen_live: bool = False
) -> list[tuple[str, float, float]]:
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
            # the stamps sign-in sets (accounts.inlogsessie): account version, sign-in and last activity
            sessie["_ontmoet_versie"] = 0
            sessie["_ontmoet_begin"] = sessie["_ontmoet_actief"] = time.time()
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
        """An eigenaar moves one actie between open and in uitvoering (as /acties/<id> would)."""
        with schrijver.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE actie SET bijgewerkt_op = now(), "
                    "status = CASE WHEN status = 'open' THEN 'in_uitvoering' ELSE 'open' END "
                    "WHERE id = (SELECT min(id) FROM actie "
                    "WHERE gemeente_id = :g AND status IN ('open', 'in_uitvoering'))"
                ),
                {"g": ids["gemeente"]},
            )

    uitkomst = []
    for naam, pad, na_wijziging, ververs in [] if alleen_live else paginas:
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
    uitkomst += live(
        clients[False],
        schrijver,
        ids,
        pagina_paden=[("/dashboard", "/dashboard"), ("/dashboard (laatste 12 maanden)", twaalf)],
        n=live_n,
    )
    for a in (app, app_ververs):
        with a.app_context():
            db.engine.dispose()
    schrijver.dispose()
    return uitkomst


def live(client, schrijver: sa.Engine, ids: dict[str, int], pagina_paden: list[tuple[str, str]], n: int):
    """A live sessie writes every INTERVAL s (a knelpunt, a besluit, an actie status) while the wethouder
    looks: every page is requested right after each write, so each view is the first after a change."""
    with schrijver.connect() as conn:
        sessies = [
            r[0]
            for r in conn.execute(
                sa.text("SELECT id FROM sessie WHERE gemeente_id = :g AND status = 'live' ORDER BY id"),
                {"g": ids["gemeente"]},
            )
        ]
        teams = [
            r[0] for r in conn.execute(sa.text("SELECT id FROM team WHERE gemeente_id = :g"), {"g": ids["gemeente"]})
        ]
    rng = random.Random(12)
    geschreven = threading.Event()
    gekeken = threading.Event()  # the wethouder has seen this change: the sessie writes the next
    klaar = threading.Event()
    fouten: list[BaseException] = []

    def schrijf(i: int) -> None:
        with schrijver.begin() as conn:
            soort = i % 3
            if soort == 0:  # a deelnemer posts a knelpunt
                conn.execute(
                    sa.text(
                        "INSERT INTO knelpunt "
                        "(sessie_id, team_id, domein, tekst, anoniem, aangemaakt_op, onthuld, verborgen) "
                        "VALUES (:s, :t, :d, 'Live knelpunt', false, now() AT TIME ZONE 'utc', true, false)"
                    ),
                    {"s": rng.choice(sessies), "t": rng.choice(teams), "d": rng.choice(DOMEINEN)},
                )
            elif soort == 1:  # the begeleider records a besluit on one of the sessie's knelpunten
                conn.execute(
                    sa.text(
                        "INSERT INTO besluit (knelpunt_id, soort, besloten_op) "
                        "SELECT id, :soort, now() AT TIME ZONE 'utc' FROM knelpunt WHERE sessie_id = :s "
                        "ORDER BY random() LIMIT 1 "
                        "ON CONFLICT (knelpunt_id) DO UPDATE "
                        "SET soort = excluded.soort, besloten_op = excluded.besloten_op"
                    ),
                    {"s": rng.choice(sessies), "soort": rng.choice(["opgepakt", "niet_opgepakt", "doorverwezen"])},
                )
            else:  # an eigenaar moves an actie on
                conn.execute(
                    sa.text(
                        "UPDATE actie SET bijgewerkt_op = now(), "
                        "status = CASE WHEN status = 'open' THEN 'in_uitvoering' ELSE 'open' END "
                        "WHERE id = (SELECT id FROM actie "
                        "WHERE gemeente_id = :g AND status IN ('open', 'in_uitvoering') "
                        "ORDER BY id OFFSET :o LIMIT 1)"
                    ),
                    {"g": ids["gemeente"], "o": rng.randrange(1000)},
                )

    def sessie() -> None:
        try:
            for i in range(n):
                time.sleep(INTERVAL)
                schrijf(i)
                gekeken.clear()
                geschreven.set()
                gekeken.wait(timeout=120)  # a slow dashboard stretches the interval, never skips a view
        except BaseException as exc:  # pragma: no cover - reported below
            fouten.append(exc)
        finally:
            klaar.set()

    for _label, pad in pagina_paden:  # warm: the figures before the first change are cached
        client.get(pad)
    draad = threading.Thread(target=sessie, daemon=True)
    draad.start()
    tijden: dict[str, list[float]] = {label: [] for label, _pad in pagina_paden}
    for _ in range(n):
        geschreven.wait(timeout=60)
        geschreven.clear()
        for label, pad in pagina_paden:
            begin = time.perf_counter()
            antwoord = client.get(pad)
            tijden[label].append((time.perf_counter() - begin) * 1000)
            assert antwoord.status_code == 200
        gekeken.set()
    klaar.wait(timeout=60)
    if fouten:
        raise fouten[0]
    uitkomst = []
    for label, lijst in tijden.items():
        lijst.sort()
        p95 = lijst[min(len(lijst) - 1, round(0.95 * (len(lijst) - 1)))]
        naam = f"{label}, live sessie writing every {INTERVAL:g} s"
        uitkomst.append((naam, statistics.median(lijst), p95))
        print(f"{naam:<50} p50 {statistics.median(lijst):7.1f} ms   p95 {p95:7.1f} ms", flush=True)
    return uitkomst


def write_docs(
    n: int,
    ids: dict[str, int],
    resultaten: list[tuple[str, float, float]],
    runs: int,
    seconden: float,
    opbouw: float,
    last_voor: tuple[float, float, float],
) -> None:
    """Replace (or add) the "## Dashboard" section of docs/benchmarks.md, leaving other sections alone."""
    cpu = os.cpu_count()
    last = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    voor = ", ".join(f"{x:.1f}" for x in last_voor)
    te_traag = [naam for naam, _p50, p95 in resultaten if p95 > 200]
    oordeel = (
        "Every page is under the 200 ms target at p95."
        if not te_traag
        else f"Over the 200 ms target at p95: {', '.join(f'`{n}`' for n in te_traag)}."
    )
    rijen = "\n".join(f"| `{naam}` | {p50:.0f} | {p95:.0f} |" for naam, p50, p95 in resultaten)
    sectie = f"""## Dashboard

`benchmarks/dashboard.py` (issues 6 and 12): a scratch PostgreSQL database with **{n:,} knelpunten** of one
gemeente over two years ({ids["besluiten"]:,} besluiten, {ids["acties"]:,} acties with history, 'eerder
gemeld' links, a second gemeente), after `ANALYZE`. Server time is measured in-process with Flask's
test client (routing, SQL, template; no network), signed in as the wethouder, {runs} runs per page
after warm-up. Machine: {platform.machine()}, {cpu} CPUs, Python {platform.python_version()}; generating
the data took {seconden:.0f} s, folding it into the dashboard summary once {opbouw:.0f} s.
**Load average** (1, 5, 15 min) before the measurements {voor}, after {last}: the machine is shared, so
compare rows of one run. Target: the first view after a change under 200 ms at p95.

| page | p50 ms | p95 ms |
|---|---|---|
{rijen}

{oordeel}

What the rows mean:
- **`/dashboard` and the other plain rows**: nothing the figures count changed since the last view:
  the page reads the gemeente's stamp (one primary-key lookup), takes the figures from the cache,
  reads names, teams and the signals that came back fresh, and renders.
- **right after a change**: one actie moved between open and in uitvoering just before each request
  (as an eigenaar does on `/acties/<id>`), so the stamp moved: the page folds the queued change
  into the summary and reads the figures from it (below).
- **live sessie writing every {INTERVAL:g} s**: a second connection writes in a loop, in turn a new
  knelpunt in a live sessie, a besluit on one of its knelpunten and an actie status, every
  {INTERVAL:g} s; right after each write the wethouder opens `/dashboard` and then the last twelve
  months, so every view is the first after a change while writes go on.
- **{WACHT:g} s after a change (refresher)**: the background refresher (`ONTMOET_DASHBOARD_VERVERS`,
  every {VERVERS:g} s here, 10 s by default) recomputed the figures before the view: a cache hit.

How the first view after a change stays fast and exact (issue 12): triggers on knelpunt, besluit,
actie, actie-knelpunt link and sessie status queue which row changed (`dashboard_vuil`); the view
folds the queue (it recomputes what each changed knelpunt and actie adds, takes back what it added
before, kept in `dashboard_bijdrage`) into summary counts per gemeente and day, month, quarter and
year (`dashboard_cijfer`), and reads a period as whole years, quarters, months and days: counts per
besluit and status, and for the medians a histogram per week of days plus, only for the week that
holds the middle, the count per day, so medians of whole days are exact; te laat likewise from
streefdatum months and days. `tests/opvolging/test_dashboard_samenvatting.py` compares these
figures with the straightforward computation (`cijfers.bereken`) on SQLite and PostgreSQL for
random data, changes and periods. A bulk change of more than 5,000 rows is folded by the refresher;
until then a view computes the long way (exact, as slow as before).

Before issue 12 (the same data, the previous code, which computed everything from the base tables
after a change): `/dashboard, right after a change` 467 / 477 ms (p50 / p95) on a quiet machine
(load average 0.5), 785 / 1,144 ms on a busy one; the last twelve months 307 / 311 ms; the API
461 / 475 ms.
Re-run: `.venv/bin/python benchmarks/dashboard.py` (`--keep` keeps the database, `--live N` changes).
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


def bestaand(url: str) -> dict[str, int]:
    """The ids `generate` returns, from a database it filled earlier (--database)."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:

        def een(sql: str) -> int:
            return conn.execute(sa.text(sql)).scalar()

        ids = {
            "gemeente": een("SELECT id FROM gemeente WHERE naam = 'Benchstad'"),
            "wethouder": een("SELECT id FROM gebruiker WHERE email = 'wethouder@bench.test'"),
            "acties": een("SELECT count(*) FROM actie"),
            "besluiten": een("SELECT count(*) FROM besluit"),
            "vandaag": date(2026, 11, 1).toordinal(),
        }
    engine.dispose()
    return ids


def bouw_samenvatting(url: str) -> float:
    """Fold the bulk-loaded rows into the dashboard summary once (as the refresher does after a migration)."""
    if samenvatting is None:
        return 0.0
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    begin = time.perf_counter()
    with app.app_context():
        samenvatting.bij()
        db.session.remove()
        db.engine.dispose()
    seconden = time.perf_counter() - begin
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()
    print(f"built the dashboard summary in {seconden:.1f} s", flush=True)
    return seconden


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knelpunten", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--live", type=int, default=30, help="changes in the live scenario")
    parser.add_argument("--only-live", action="store_true", help="measure only the live scenario")
    parser.add_argument("--database", help="measure an existing scratch database (kept) instead of generating one")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (to profile it); prints its URL")
    args = parser.parse_args()

    naam = args.database or f"ontmoet_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    if not args.database:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{naam}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{naam}"
    try:
        from flask_migrate import upgrade

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
        if not args.database:  # an existing database is measured as it is (also by older code)
            with app.app_context():
                upgrade()
                db.engine.dispose()
        begin = time.perf_counter()
        ids = generate(url, args.knelpunten) if not args.database else bestaand(url)
        seconden = time.perf_counter() - begin
        print(f"generated {args.knelpunten:,} knelpunten in {seconden:.1f} s", flush=True)
        opbouw = bouw_samenvatting(url)
        last_voor = os.getloadavg()
        resultaten = measure(url, ids, args.runs, args.warmup, args.live, args.only_live)
        if not args.no_write:
            write_docs(args.knelpunten, ids, resultaten, args.runs, seconden, opbouw, last_voor)
    finally:
        if args.keep or args.database:
            print(f"kept {url}")
        else:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
