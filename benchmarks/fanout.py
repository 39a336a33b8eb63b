"""Fan-out and join-wave benchmark: how long does one change take to reach every deelnemer,
and can a whole room join at once? (issue 4 item 11, issue 12 items 1 and 7)

For each N it runs, on this machine:

  app    `python wsgi.py` exactly as `make run` serves it (SQLite, gevent, simple-websocket) on
         a scratch database; N deelnemers join over HTTP, each gets a real Socket.IO client that
         connects with its cookie and sends `volg`; then M changes are made over HTTP at a
         steady rate and every client records when each update arrives.
  floor  a bare Flask-SocketIO server in the same serving mode (gevent; `--floor-mode`), no app
         code, told over HTTP to emit a message of the same size to the same number of clients
         (the idea and server code of ../shared/bench/fanout_floor.py).

`--achter-nginx` serves the app as deploy/ ships it instead: nginx (deploy/nginx/ontmoet.conf)
in front of two `python wsgi.py` processes on a fresh PostgreSQL database with Redis as the
message queue; every browser goes through nginx and its route cookie, so the sockets split over
both processes and every update crosses Redis (issue 12's "2 processes, 2,000 deelnemers").

`--via` picks the change: `knelpunt` (deelnemers post, default), `fase` (the begeleider moves
between fasen), `join` (one more deelnemer joins per step with N connected; a join is presence
for the begeleider only, so the others should get nothing), or `golf`, the join wave: N
deelnemers open the join page (the QR code's address) spread over `--wave` seconds (default 30),
post the form, open the deelnemer page, connect a websocket and `volg`; live = the answer to
`volg`. Reported: how many went live, HTTP 5xx, `stil` (a `volg` without any answer in 30 s),
open→live p50/p95/max, server CPU per join (join page, join, page, socket and catch-up), then
with everyone connected the fan-out of `--updates` knelpunten (p50/p95, lost, duplicated), and
the load average before the run (the machine may be shared: compare with the floor of the
same run).

Latency is arrival time at the client minus the time just before the HTTP POST that caused
the update was sent (both on this machine's clock), for every (client, update) pair. Lost:
an update a connected client never got; duplicated: one it got more than once (by seq).

The Socket.IO clients live in K separate processes (`--client-procs`, default 1), each an
asyncio loop of python-socketio AsyncClients (and, for the wave, aiohttp sessions); the
coordinator (this process) makes the changes with `requests`. The client processes' CPU use
is reported so one can see whether the clients, not the server, are the bottleneck.

usage:
  .venv/bin/pip install -r benchmarks/requirements.txt      # aiohttp, psutil, requests
  .venv/bin/python benchmarks/fanout.py 100 500 1000
  .venv/bin/python benchmarks/fanout.py 1000 --via golf --wave 30 --client-procs 2
  .venv/bin/python benchmarks/fanout.py 1000 --updates 20 --interval 1 --client-procs 2 --only app
  .venv/bin/python benchmarks/fanout.py 2000 --achter-nginx --only app --client-procs 4
Prints one JSON line per run and a Markdown table at the end (`--json FILE` saves all runs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark-wachtwoord-2026"
BEGELEIDER = "begeleider@fanout.bench"
_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
_SEQ = re.compile(r'data-seq="(\d+)"')
_CODE = re.compile(r'data-code="([A-Z0-9]{6})"')
BATCH = 50  # sockets connecting at once (werkzeug's listen backlog is 128)


def _token(html: str) -> str:
    return _META.search(html).group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, path: str = "/healthz", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server stopped (exit {process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url + path, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {timeout}s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the clients (run in child processes) ----------------------------------------------------


def client_main(conn: Any, url: str, cookies: list[str | None], volg: dict | None, batch: int) -> None:
    """Child process: connect one Socket.IO client per cookie, record every `update`."""
    asyncio.run(_client_loop(conn, url, cookies, volg, batch))


async def _client_loop(conn: Any, url: str, cookies: list[str | None], volg: dict | None, batch: int) -> None:
    import socketio

    arrivals: list[dict[int, list[float]]] = [{} for _ in cookies]
    types: dict[int, str] = {}
    sizes: dict[str, int] = {}
    clients: list[Any] = []
    failed = 0

    def make(i: int) -> Any:
        client = socketio.AsyncClient(reconnection=False)

        @client.on("update")
        async def _update(data: dict, i: int = i) -> None:
            now = time.time()
            seq = data.get("seq")
            arrivals[i].setdefault(seq, []).append(now)
            kind = data.get("type", "")
            if seq not in types:
                types[seq] = kind
                sizes.setdefault(kind, len(json.dumps(data, separators=(",", ":"))))

        return client

    async def connect(i: int) -> bool:
        client = make(i)
        headers = {"Cookie": cookies[i]} if cookies[i] else {}
        try:
            await client.connect(url, headers=headers, transports=["websocket"], wait_timeout=30)
            if volg is not None:
                ack = await client.call("volg", volg, timeout=30)
                if not (isinstance(ack, dict) and ack.get("ok")):
                    raise RuntimeError(f"volg refused: {ack}")
        except Exception as exc:
            print(f"client {i}: {exc!r}", file=sys.stderr)
            await client.disconnect()
            return False
        clients.append(client)
        return True

    for start in range(0, len(cookies), batch):
        results = await asyncio.gather(*(connect(i) for i in range(start, min(len(cookies), start + batch))))
        failed += results.count(False)
    me = psutil.Process()
    conn.send({"ready": len(cookies) - failed, "failed": failed})
    loop = asyncio.get_running_loop()
    cpu_before = sum(me.cpu_times()[:2])
    t_before = time.monotonic()
    while await loop.run_in_executor(None, conn.recv) == "count":  # until "stop"
        conn.send(sum(len(per_client) for per_client in arrivals))  # distinct (client, seq) pairs
    cpu = (sum(me.cpu_times()[:2]) - cpu_before) / max(1e-9, time.monotonic() - t_before)
    conn.send({"arrivals": arrivals, "types": types, "sizes": sizes, "cpu": cpu, "failed": failed})
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)


@dataclass
class Fleet:
    """K client processes holding N sockets between them."""

    url: str
    cookies: list[str | None]
    volg: dict | None
    procs: int
    children: list[tuple[Any, Any]] = field(default_factory=list)
    ready: int = 0

    def start(self, timeout: float = 300) -> int:
        ctx = mp.get_context("spawn")
        parts = [self.cookies[k :: self.procs] for k in range(self.procs)]
        for part in parts:
            parent, child = ctx.Pipe()
            process = ctx.Process(target=client_main, args=(child, self.url, part, self.volg, BATCH), daemon=True)
            process.start()
            self.children.append((process, parent))
        ready = 0
        for _process, parent in self.children:
            if not parent.poll(timeout):
                raise RuntimeError("client process did not connect in time")
            ready += parent.recv()["ready"]
        self.ready = ready
        return ready

    def count(self) -> int:
        """Distinct (client, seq) arrivals so far, over all client processes."""
        for _, parent in self.children:
            parent.send("count")
        return sum(parent.recv() for _, parent in self.children)

    def finish(self) -> dict[str, Any]:
        for _, parent in self.children:
            parent.send("stop")
        arrivals: list[dict[int, list[float]]] = []
        types: dict[int, str] = {}
        sizes: dict[str, int] = {}
        cpu: list[float] = []
        failed = 0
        for process, parent in self.children:
            result = parent.recv()
            arrivals += result["arrivals"]
            types.update(result["types"])
            sizes.update(result["sizes"])
            cpu.append(result["cpu"])
            failed += result["failed"]
            process.join(30)
            if process.is_alive():
                process.kill()
        return {"arrivals": arrivals, "types": types, "sizes": sizes, "cpu": cpu, "failed": failed}

    def kill(self) -> None:
        for process, _ in self.children:
            if process.is_alive():
                process.kill()


# --- the join wave (run in child processes) -------------------------------------------------


def wave_main(conn: Any, url: str, code: str, offsets: list[float], t0: float, timeout: float) -> None:
    """Child process: one deelnemer per offset opens the join page at t0 + offset and goes live."""
    asyncio.run(_wave_loop(conn, url, code, offsets, t0, timeout))


async def _wave_loop(conn: Any, url: str, code: str, offsets: list[float], t0: float, timeout: float) -> None:
    import aiohttp
    import socketio

    results: list[dict[str, Any]] = []
    clients: list[Any] = []
    arrivals: list[dict[int, list[float]]] = []

    async def deelnemer(i: int, offset: float) -> None:
        await asyncio.sleep(max(0.0, t0 + offset - time.time()))
        opened = time.time()
        result: dict[str, Any] = {"status": [], "fout": None, "live_s": None, "stappen": []}

        def stap() -> None:  # seconds since the previous step: where the time goes
            result["stappen"].append(time.time() - opened - sum(result["stappen"]))

        results.append(result)
        got: dict[int, list[float]] = {}
        arrivals.append(got)
        try:
            jar = aiohttp.CookieJar(unsafe=True)
            limit = aiohttp.ClientTimeout(total=timeout)
            async with aiohttp.ClientSession(cookie_jar=jar, timeout=limit) as http:
                async with http.get(f"{url}/deelnemen?code={code}") as r:  # the QR code's address
                    result["status"].append(r.status)
                    page = await r.text()
                stap()
                form = {"csrf_token": _token(page), "code": code, "naam": "", "perspectief": "uitvoering"}
                async with http.post(f"{url}/deelnemen", data=form) as r:  # joins, follows to /s/<code>
                    result["status"].append(r.status)
                    page = await r.text()
                stap()
                if r.status != 200 or not _SEQ.search(page):
                    result["fout"] = f"join {r.status}"
                    return
                sinds = int(_SEQ.search(page).group(1))
                cookie = "; ".join(f"{c.key}={c.value}" for c in jar)
            client = socketio.AsyncClient(reconnection=False)

            @client.on("update")
            async def _update(data: dict) -> None:
                got.setdefault(data.get("seq"), []).append(time.time())

            await client.connect(url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=timeout)
            clients.append(client)
            stap()
            try:
                ack = await client.call("volg", {"code": code, "sinds": sinds}, timeout=timeout)
            except socketio.exceptions.TimeoutError:
                result["fout"] = "stil"  # no answer to volg: the silent failure of issue 12
                return
            if not (isinstance(ack, dict) and ack.get("ok")):
                result["fout"] = f"volg {ack}"
                return
            stap()
            result["live_s"] = time.time() - opened
        except Exception as exc:  # a refused or dropped connection, a timeout
            result["fout"] = f"{type(exc).__name__}: {exc}"[:200]

    await asyncio.gather(*(deelnemer(i, offset) for i, offset in enumerate(offsets)))
    conn.send({"done": True})
    loop = asyncio.get_running_loop()
    while await loop.run_in_executor(None, conn.recv) == "count":  # until "stop"
        conn.send(sum(len(g) for g in arrivals))
    conn.send({"results": results, "arrivals": arrivals})
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)


# --- measuring -------------------------------------------------------------------------------


def quantile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def drive(
    fleet: Fleet,
    server: psutil.Process,
    change: Callable[[int], None],
    updates: int,
    interval: float,
    settle: float,
    spy: list[str] | None = None,
) -> tuple[list[float], dict[str, Any], dict[str, float]]:
    """Make `updates` changes at a steady rate; return send times, client results, server figures.

    `spy` is a py-spy command line (profiling the server while the changes are made).
    """
    time.sleep(1)
    tree = [server, *server.children(recursive=True)]  # gunicorn: the arbiter and its worker
    worker = tree[-1]
    profiler = subprocess.Popen([*spy, "--pid", str(worker.pid)]) if spy else None
    rss = [sum(p.memory_info().rss for p in tree)]
    cpu_before = sum(sum(p.cpu_times()[:2]) for p in tree)
    psutil.cpu_percent()  # starts the machine-wide measurement
    before = fleet.count()
    t0 = time.monotonic()
    sent: list[float] = []
    post_ms: list[float] = []
    for k in range(1, updates + 1):
        pause = t0 + (k - 1) * interval - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        sent.append(time.time())
        change(k)
        post_ms.append((time.time() - sent[-1]) * 1000)
    # Wait until every client has every update (or `settle` seconds at most), then 1 s more so a
    # duplicate would still be seen. What has not arrived by then counts as lost.
    deadline = time.monotonic() + settle
    while time.monotonic() < deadline and fleet.count() < before + fleet.ready * updates:
        time.sleep(0.2)
    time.sleep(1)
    if profiler is not None:
        profiler.send_signal(signal.SIGINT)
        profiler.wait(60)
    machine = psutil.cpu_percent() / 100 * (os.cpu_count() or 1)
    elapsed = time.monotonic() - t0
    server_cpu_s = sum(sum(p.cpu_times()[:2]) for p in tree) - cpu_before
    rss.append(sum(p.memory_info().rss for p in tree))
    result = fleet.finish()
    figures = {
        "rss_mb": max(rss) / 2**20,
        "server_cpu": server_cpu_s / elapsed,
        "server_cpu_ms_per_update": server_cpu_s / max(1, updates) * 1000,
        "machine_cpu": machine,
        "threads": worker.num_threads(),
        "post_p50_ms": statistics.median(post_ms),
        "post_max_ms": max(post_ms),
    }
    return sent, result, figures


def summarise(
    run: str, n: int, sent: list[float], result: dict[str, Any], seqs: list[int], figures: dict[str, float]
) -> dict[str, Any]:
    latencies: list[float] = []
    per_update: dict[int, list[float]] = {seq: [] for seq in seqs}
    lost = dup = 0
    for per_client in result["arrivals"]:
        for seq, t_sent in zip(seqs, sent, strict=False):
            times = per_client.get(seq)
            if not times:
                lost += 1
                continue
            latencies.append((min(times) - t_sent) * 1000)
            per_update[seq].append(latencies[-1])
            dup += len(times) - 1
    lost += (len(sent) - len(seqs)) * len(result["arrivals"])  # updates nobody received
    lost += result["failed"] * len(sent)  # clients that never connected
    latencies.sort()
    return {
        "run": run,
        "n": n,
        "updates": len(sent),
        "p50_ms": round(quantile(latencies, 0.50), 1),
        "p95_ms": round(quantile(latencies, 0.95), 1),
        "p99_ms": round(quantile(latencies, 0.99), 1),
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "lost": lost,
        "dup": dup,
        "failed_connects": result["failed"],
        "rss_mb": round(figures["rss_mb"], 1),
        "server_threads": figures["threads"],
        "server_cpu": round(figures["server_cpu"], 2),
        "server_cpu_ms_per_update": round(figures["server_cpu_ms_per_update"], 1),
        "machine_cpu": round(figures["machine_cpu"], 2),
        "client_cpu": [round(c, 2) for c in result["cpu"]],
        "payload_bytes": max(result["sizes"].values(), default=0),
        "post_p50_ms": round(figures["post_p50_ms"], 1),
        "post_max_ms": round(figures["post_max_ms"], 1),
        # per update: [p50, max] over the clients, to tell a slow update from a slow client
        "per_update_ms": [[round(quantile(sorted(v), 0.5)), round(max(v, default=0))] for v in per_update.values()],
    }


# --- the app ---------------------------------------------------------------------------------


def migreer_met_begeleider(root: Path, env: dict[str, str]) -> None:
    """`flask db upgrade` and the benchmark's begeleider, on the database `env` names."""
    for args in (
        ["db", "upgrade"],
        [
            *("create-user", "--email", BEGELEIDER, "--name", "Bench Begeleider", "--role", "begeleider"),
            *("--password", PASSWORD, "--gemeente", "Benchstede"),
        ],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-3000:]}")


class App:
    """`python wsgi.py` on a scratch SQLite database, as `make run` serves it."""

    def __init__(self, workdir: Path, root: Path, serve: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "app.log"
        self.env = {k: v for k, v in os.environ.items() if k not in ("SOCKETIO_MESSAGE_QUEUE", "DATABASE_URL")}
        self.env.update(
            {
                "DATABASE_URL": f"sqlite:///{workdir / 'ontmoet.db'}",
                "SECRET_KEY": uuid.uuid4().hex,
                "HOST": "127.0.0.1",
                "PORT": str(self.port),
                "ONTMOET_JOIN_LIMIT": "100000 per minute",
                "ONTMOET_LOGIN_LIMIT": "1000 per minute",
                "PYTHONUNBUFFERED": "1",
            }
        )
        migreer_met_begeleider(root, self.env)
        command = [part.format(port=self.port, bin=Path(sys.executable).parent) for part in serve.split()]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(command, cwd=root, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        wait_until_up(self.url, self.process, self.log)
        self.begeleider = requests.Session()
        self.token = ""

    def post(self, http: requests.Session, path: str, data: dict[str, str], token: str | None = None) -> Any:
        if token is None:
            token = _META.search(http.get(self.url + "/", timeout=30).text).group(1)
        response = http.post(self.url + path, data={"csrf_token": token, **data}, allow_redirects=False, timeout=60)
        if response.status_code not in (200, 201, 204, 302, 303):
            raise RuntimeError(f"POST {path}: {response.status_code}\n{response.text[:2000]}")
        return response

    def sessie(self) -> tuple[int, str]:
        self.post(self.begeleider, "/inloggen", {"email": BEGELEIDER, "wachtwoord": PASSWORD})
        response = self.post(
            self.begeleider, "/sessies/nieuw", {"titel": "Fan-out benchmark", "sessievorm": "ontmoeten-en-ont-moeten"}
        )
        sessie_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        self.post(self.begeleider, f"/sessies/{sessie_id}/starten", {})
        page = self.begeleider.get(f"{self.url}/sessies/{sessie_id}", timeout=30).text
        self.token = _META.search(page).group(1)
        return sessie_id, _CODE.search(page).group(1)

    def join(self, code: str, i: int) -> requests.Session:
        http = requests.Session()
        self.post(http, "/deelnemen", {"code": code, "naam": f"Deelnemer {i}", "perspectief": "uitvoering"})
        return http

    def stop(self) -> None:
        stop(self.process)


NGINX_MAIN = """
daemon off;
master_process off;
worker_rlimit_nofile 20000;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 10000; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  include {tmp}/ontmoet.conf;
}}
"""


class NginxApp(App):
    """deploy/nginx/ontmoet.conf (as the deploy test templates it) in front of 2 `python wsgi.py`
    processes on a fresh PostgreSQL database with Redis as the message queue (issue 12 item 6).

    Every browser, the begeleider's included, talks to nginx only; nginx's route cookie keeps
    each one on one process, so half the sockets sit on each and every update crosses Redis.
    `process` is process A: the CPU figures of the run are A's alone.
    """

    def __init__(self, workdir: Path, root: Path, serve: str) -> None:
        sys.path.insert(0, str(ROOT))
        import sqlalchemy as sa

        from tests.multiprocess.test_deploy_nginx import NGINX, SITE, site_for_test

        admin_url = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
        self.naam = f"ontmoet_bench_{uuid.uuid4().hex[:10]}"
        self.admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{self.naam}"'))
        self._sa = sa
        self.processes: list[subprocess.Popen] = []
        self.env = {k: v for k, v in os.environ.items() if k not in ("FLASK_APP", "FLASK_DEBUG")}
        self.env.update(
            {
                "DATABASE_URL": admin_url.rsplit("/", 1)[0] + f"/{self.naam}",
                "SOCKETIO_MESSAGE_QUEUE": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
                "SOCKETIO_CHANNEL": f"ontmoet-bench-{self.naam}",
                "SECRET_KEY": uuid.uuid4().hex,
                "HOST": "127.0.0.1",
                "ONTMOET_PROXIES": "1",
                "ONTMOET_JOIN_LIMIT": "100000 per minute",
                "ONTMOET_LOGIN_LIMIT": "1000 per minute",
                "PYTHONUNBUFFERED": "1",
            }
        )
        migreer_met_begeleider(root, self.env)
        ports = []
        for label in ("a", "b"):
            port = free_port()
            log = workdir / f"proces-{label}.log"
            with log.open("w") as out:
                self.processes.append(
                    subprocess.Popen(
                        [sys.executable, "wsgi.py"],
                        cwd=root,
                        env={**self.env, "PORT": str(port)},
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            wait_until_up(f"http://127.0.0.1:{port}", self.processes[-1], log)
            ports.append(port)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "nginx.log"
        (workdir / "ontmoet.conf").write_text(site_for_test(SITE.read_text(), self.port, ports))
        (workdir / "nginx.conf").write_text(NGINX_MAIN.format(tmp=workdir))
        with self.log.open("w") as out:
            self.nginx = subprocess.Popen(
                [NGINX, "-e", "stderr", "-p", str(workdir), "-c", str(workdir / "nginx.conf")],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_until_up(self.url, self.nginx, self.log)
        self.process = self.processes[0]
        self.begeleider = requests.Session()
        self.token = ""

    def stop(self) -> None:
        for process in [self.nginx, *self.processes]:
            stop(process)
        with self.admin.connect() as conn:
            conn.execute(self._sa.text(f'DROP DATABASE IF EXISTS "{self.naam}" WITH (FORCE)'))
        self.admin.dispose()


def run_app(n: int, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="fanout-app-") as tmp:
        app = (NginxApp if args.achter_nginx else App)(Path(tmp), args.root, args.serve)
        fleet = None
        try:
            sessie_id, code = app.sessie()
            if args.via == "knelpunt":  # fase 2 of the vorm: "knelpunten ophalen"
                app.post(app.begeleider, f"/sessies/{sessie_id}/volgende", {}, token=app.token)
            t = time.monotonic()
            with ThreadPoolExecutor(8) as pool:
                joined = list(pool.map(lambda i: app.join(code, i), range(n)))
            join_s = time.monotonic() - t
            cookies = ["; ".join(f"{c.name}={c.value}" for c in http.cookies) for http in joined]
            # Everyone loaded the page after the last join: follow from the seq it shows.
            page = joined[-1].get(f"{app.url}/s/{code}", timeout=30).text
            sinds = int(_SEQ.search(page).group(1))
            posters = [(http, _token(http.get(f"{app.url}/s/{code}", timeout=30).text)) for http in joined[:20]]
            newcomers = []  # for --via join: browsers that opened the join form but have not joined yet
            if args.via == "join":
                for _ in range(args.updates):
                    http = requests.Session()
                    newcomers.append((http, _token(http.get(f"{app.url}/deelnemen", timeout=30).text)))
            fleet = Fleet(app.url, cookies, {"code": code, "sinds": sinds}, args.client_procs)
            t = time.monotonic()
            ready = fleet.start()
            connect_s = time.monotonic() - t
            moves = ["volgende", "vorige"]

            def change(k: int) -> None:
                if args.via == "join":  # one more deelnemer joins while the others are connected
                    http, token = newcomers[k - 1]
                    form = {"code": code, "naam": f"Nieuwkomer {k}", "perspectief": "uitvoering"}
                    app.post(http, "/deelnemen", form, token=token)
                    return
                if args.via == "fase":  # the begeleider moves to the next fase and back
                    app.post(app.begeleider, f"/sessies/{sessie_id}/{moves[(k - 1) % 2]}", {}, token=app.token)
                    return
                http, token = posters[(k - 1) % len(posters)]  # deelnemers take turns posting
                form = {
                    "tekst": f"Knelpunt {k}: de herindicatie voor **huishoudelijke hulp** duurt zes weken; "
                    "in die tijd valt de hulp weg en lopen de zorgen bij het wijkteam op.",
                    "domein": "Wmo",
                    "anoniem": "1" if k % 3 == 0 else "",
                    "client_request_id": uuid.uuid4().hex,
                }
                app.post(http, f"/s/{code}/knelpunten", form, token=token)

            sent, result, figures = drive(
                fleet,
                psutil.Process(app.process.pid),
                change,
                args.updates,
                args.interval,
                args.settle,
                spy=_spy(args, f"app-{n}"),
            )
            if args.via == "join":
                # A join is presence for the begeleider only (issue 12): the others should get
                # nothing, so there is no latency to measure; what counts is the server CPU per
                # join (server_cpu_ms_per_update) and that `others_got` stays 0.
                others_got = sum(1 for per_client in result["arrivals"] for seq in per_client if seq > sinds)
                summary = summarise(f"app ({args.serve_name}, join)", n, [], result, [], figures)
                summary.update({"others_got": others_got, "joins": len(sent)})
                summary.update({"join_s": round(join_s, 1), "connect_s": round(connect_s, 1), "connected": ready})
                return summary
            kind_expected = "fase.gewijzigd" if args.via == "fase" else "knelpunt.toegevoegd"
            seqs = sorted(s for s, kind in result["types"].items() if s > sinds and kind == kind_expected)
            summary = summarise(f"app ({args.serve_name}, {args.via})", n, sent, result, seqs[: len(sent)], figures)
            summary.update({"join_s": round(join_s, 1), "connect_s": round(connect_s, 1), "connected": ready})
            return summary
        finally:
            if fleet is not None:
                fleet.kill()
            app.stop()


def run_wave(n: int, args: argparse.Namespace) -> dict[str, Any]:
    """The join wave: n deelnemers open the join page within `--wave` seconds and go live.

    Each: GET /deelnemen?code=… (the QR code), POST the form (redirected to /s/<code>), open a
    websocket with the cookie and `volg` from the page's seq. Live = the answer to `volg`.
    Then, with all of them connected, deelnemers post `--updates` knelpunten (the fan-out).
    """
    with tempfile.TemporaryDirectory(prefix="fanout-wave-") as tmp:
        app = App(Path(tmp), args.root, args.serve)
        children: list[tuple[Any, Any]] = []
        try:
            sessie_id, code = app.sessie()
            app.post(app.begeleider, f"/sessies/{sessie_id}/volgende", {}, token=app.token)
            server = psutil.Process(app.process.pid)
            tree = [server, *server.children(recursive=True)]
            offsets = [args.wave * i / n for i in range(n)]
            ctx = mp.get_context("spawn")
            t0 = time.time() + 3  # the client processes start in step
            for k in range(args.client_procs):
                parent, child = ctx.Pipe()
                process = ctx.Process(
                    target=wave_main,
                    args=(child, app.url, code, offsets[k :: args.client_procs], t0, 30.0),
                    daemon=True,
                )
                process.start()
                children.append((process, parent))
            time.sleep(max(0.0, t0 - time.time()))
            sched_before = _schedstat(tree)
            cpu_before = sum(sum(p.cpu_times()[:2]) for p in tree)
            psutil.cpu_percent()
            load_before = os.getloadavg()
            for _process, parent in children:
                if not parent.poll(args.wave + 300):
                    raise RuntimeError("the join wave did not finish")
                parent.recv()
            wave_s = time.time() - t0
            server_cpu_s = sum(sum(p.cpu_times()[:2]) for p in tree) - cpu_before
            on_cpu, waiting = (after - before for after, before in zip(_schedstat(tree), sched_before, strict=True))
            machine = psutil.cpu_percent() / 100 * (os.cpu_count() or 1)
            rss = sum(p.memory_info().rss for p in tree) / 2**20

            # The fan-out with everyone connected: deelnemers post knelpunten, one per interval.
            posters = [app.join(code, 10_000 + i) for i in range(3)]
            posters_t = [(http, _token(http.get(f"{app.url}/s/{code}", timeout=30).text)) for http in posters]
            sent: list[float] = []
            start = time.monotonic()
            for k in range(1, args.updates + 1):
                time.sleep(max(0.0, start + (k - 1) * args.interval - time.monotonic()))
                http, token = posters_t[(k - 1) % len(posters_t)]
                form = {
                    "tekst": f"Knelpunt {k} na de golf: de wachttijd voor een indicatie loopt op.",
                    "domein": "Wmo",
                    "client_request_id": uuid.uuid4().hex,
                }
                sent.append(time.time())
                app.post(http, f"/s/{code}/knelpunten", form, token=token)
            # Until nothing more arrives for 3 s (or --settle): what has not arrived then is lost.
            deadline, stand, stil_sinds = time.monotonic() + args.settle, -1, time.monotonic()
            while time.monotonic() < deadline and time.monotonic() - stil_sinds < 3:
                nu = sum(_count(parent) for _, parent in children)
                if nu != stand:
                    stand, stil_sinds = nu, time.monotonic()
                time.sleep(0.5)
            results, arrivals = [], []
            for process, parent in children:
                parent.send("stop")
                result = parent.recv()
                results += result["results"]
                arrivals += result["arrivals"]
                process.join(30)
        finally:
            for process, _ in children:
                if process.is_alive():
                    process.kill()
            app.stop()
            if args.server_log:
                args.server_log.write_text(app.log.read_text())
    live_s = sorted(r["live_s"] for r in results if r["live_s"] is not None)
    fouten: dict[str, int] = {}
    for r in results:
        if r["fout"]:
            soort = r["fout"].split(":")[0]
            fouten[soort] = fouten.get(soort, 0) + 1
    status = [s for r in results for s in r["status"]]
    # The fan-out after the wave: seqs above the wave's (posts only), per live deelnemer.
    seqs = sorted({seq for a in arrivals for seq in a})[-len(sent) :] if sent else []
    latencies, lost, dup = [], 0, 0
    for r, got in zip(results, arrivals, strict=False):
        if r["live_s"] is None:
            continue
        for seq, t_sent in zip(seqs, sent, strict=False):
            times = got.get(seq)
            if not times:
                lost += 1
                continue
            latencies.append((min(times) - t_sent) * 1000)
            dup += len(times) - 1
    latencies.sort()
    return {
        "run": f"join wave ({args.serve_name}), {args.wave:g} s",
        "n": n,
        "live": len(live_s),
        "http_5xx": sum(1 for s in status if s >= 500),
        "stil": fouten.get("stil", 0),
        "fouten": fouten,
        "live_p50_s": round(quantile(live_s, 0.5), 2),
        "live_p95_s": round(quantile(live_s, 0.95), 2),
        "live_max_s": round(live_s[-1], 2) if live_s else None,
        "wave_s": round(wave_s, 1),
        "server_cpu_ms_per_join": round(server_cpu_s / n * 1000, 1),  # per deelnemer who tried
        "server_cpu_ms_per_live": round(server_cpu_s / max(1, len(live_s)) * 1000, 1),  # per one who made it
        "machine_cpu": round(machine, 2),
        # Of the time the server was ready to run, the share it got a core (Linux schedstat):
        # below 1.0 the machine's other work, not the server, set the pace of the wave.
        "server_cpu_share": round(on_cpu / max(1e-9, on_cpu + waiting), 2),
        "rss_mb": round(rss, 1),
        "load_before": [round(x, 1) for x in load_before],
        # p50 seconds per step of those who went live: join page, join + page, websocket, volg
        "stappen_p50_s": [
            round(quantile(sorted(r["stappen"][k] for r in results if r["live_s"] is not None), 0.5), 2)
            for k in range(4)
        ],
        "fanout_p50_ms": round(quantile(latencies, 0.5), 1),
        "fanout_p95_ms": round(quantile(latencies, 0.95), 1),
        "fanout_lost": lost,
        "fanout_dup": dup,
    }


def _schedstat(tree: list[psutil.Process]) -> tuple[float, float]:
    """Seconds on a core and seconds runnable but waiting for one, summed over the processes."""
    on_cpu = waiting = 0.0
    for process in tree:
        try:
            ran, waited, _ = Path(f"/proc/{process.pid}/schedstat").read_text().split()
        except (OSError, ValueError):
            continue
        on_cpu, waiting = on_cpu + int(ran) / 1e9, waiting + int(waited) / 1e9
    return on_cpu, waiting


def _count(parent: Any) -> int:
    parent.send("count")
    return parent.recv()


# --- the floor -------------------------------------------------------------------------------

FLOOR_SERVER = textwrap.dedent(
    """
    import os
    if os.environ["MODE"] == "gevent":
        from gevent import monkey; monkey.patch_all()
    import sys, time
    from flask import Flask, request
    from flask_socketio import SocketIO
    app = Flask(__name__)
    sio = SocketIO(app, async_mode=os.environ["MODE"])
    SIZE = int(os.environ["PAYLOAD_BYTES"])
    HTML = "x" * max(0, SIZE - 110)

    @app.post("/emit")
    def emit():
        seq = int(request.args["seq"])
        sio.emit("update", {"seq": seq, "type": "floor", "melding": None,
                            "fragmenten": [{"doel": "#fase", "html": HTML, "wijze": "outerHTML"}]})
        return "ok"

    @app.get("/healthz")
    def healthz():
        return "ok"

    if __name__ == "__main__":
        sio.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), allow_unsafe_werkzeug=True, log_output=False)
    """
)


def run_floor(n: int, payload_bytes: int, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="fanout-floor-") as tmp:
        (Path(tmp) / "floor.py").write_text(FLOOR_SERVER)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = Path(tmp) / "floor.log"
        env = {**os.environ, "PORT": str(port), "PAYLOAD_BYTES": str(payload_bytes), "MODE": args.floor_mode}
        with log.open("w") as out:
            process = subprocess.Popen([sys.executable, "floor.py"], cwd=tmp, env=env, stdout=out, stderr=out)
        fleet = None
        try:
            wait_until_up(url, process, log)
            fleet = Fleet(url, [None] * n, None, args.client_procs)
            t = time.monotonic()
            ready = fleet.start()
            connect_s = time.monotonic() - t
            http = requests.Session()

            def change(k: int) -> None:
                http.post(f"{url}/emit?seq={k}", timeout=60).raise_for_status()

            sent, result, figures = drive(
                fleet,
                psutil.Process(process.pid),
                change,
                args.updates,
                args.interval,
                args.settle,
                spy=_spy(args, f"floor-{n}"),
            )
            summary = summarise(f"floor ({args.floor_mode})", n, sent, result, list(range(1, len(sent) + 1)), figures)
            summary.update({"connect_s": round(connect_s, 1), "connected": ready})
            return summary
        finally:
            if fleet is not None:
                fleet.kill()
            stop(process)


def _spy(args: argparse.Namespace, name: str) -> list[str] | None:
    if not args.py_spy:
        return None
    args.profile_dir.mkdir(parents=True, exist_ok=True)
    out = args.profile_dir / f"{name}.txt"
    return [args.py_spy, "record", "--format", "raw", "--rate", "250", "--gil", "--nonblocking", "-o", str(out)]


# --- main ------------------------------------------------------------------------------------


def table(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| N | run | p50 ms | p95 ms | p99 ms | max ms | lost | dup | RSS MB | server CPU ms/update "
        "| machine CPU | client CPU | payload B |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r['n']} | {r['run']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} | {r['lost']} "
            f"| {r['dup']} | {r['rss_mb']} | {r['server_cpu_ms_per_update']} | {r['machine_cpu']} "
            f"| {'+'.join(map(str, r['client_cpu']))} "
            f"| {r['payload_bytes']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="+", help="numbers of deelnemers, e.g. 100 500 1000")
    parser.add_argument("--updates", type=int, default=20, help="changes per run (default 20)")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between changes (default 1)")
    parser.add_argument(
        "--settle", type=float, default=30.0, help="at most this many seconds for stragglers, then lost (default 30)"
    )
    parser.add_argument("--client-procs", type=int, default=1, help="processes holding the sockets (default 1)")
    parser.add_argument(
        "--via",
        choices=["knelpunt", "fase", "join", "golf"],
        default="knelpunt",
        help="the change: deelnemers post knelpunten (default), the begeleider moves between fasen, "
        "one more deelnemer joins per step with N connected, or `golf`: the join wave (N deelnemers "
        "open the join page within --wave seconds and go live, then --updates knelpunten are posted)",
    )
    parser.add_argument("--wave", type=float, default=30.0, help="seconds the join wave is spread over (default 30)")
    parser.add_argument("--only", choices=["app", "floor"], help="run only the app or only the floor")
    parser.add_argument(
        "--achter-nginx",
        action="store_true",
        help="the app as deploy/ ships it: nginx in front of 2 processes on PostgreSQL + Redis (needs nginx)",
    )
    parser.add_argument("--payload", type=int, default=0, help="floor payload bytes when --only floor")
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the app to serve (default: this checkout), e.g. a `git archive HEAD`"
    )
    parser.add_argument(
        "--serve",
        default="{bin}/python wsgi.py",
        help="command serving the app; {port} and {bin} (the venv's bin) are filled in. Default: as `make run`",
    )
    parser.add_argument("--serve-name", default="wsgi.py", help="label for --serve in the results")
    parser.add_argument("--floor-mode", choices=["threading", "gevent"], default="gevent")
    parser.add_argument("--py-spy", help="path to py-spy: profile the server while the changes are made")
    parser.add_argument("--profile-dir", type=Path, default=Path("profiles"), help="where py-spy writes (raw stacks)")
    parser.add_argument("--json", type=Path, help="also write all runs to this file")
    parser.add_argument("--server-log", type=Path, help="--via golf: keep the app's log in this file")
    args = parser.parse_args()

    print(f"# {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {args.client_procs} client process(es)")
    runs = []
    for n in args.n:
        payload = args.payload
        if args.via == "golf" and args.only != "floor":
            runs.append(run_wave(n, args))
            print(json.dumps(runs[-1]), flush=True)
            if args.only != "app":
                runs.append(run_floor(n, payload or 1000, args))
                print(json.dumps(runs[-1]), flush=True)
            continue
        if args.only != "floor":
            runs.append(run_app(n, args))
            print(json.dumps(runs[-1]), flush=True)
            payload = runs[-1]["payload_bytes"]
        if args.only != "app":
            runs.append(run_floor(n, payload or 1000, args))
            print(json.dumps(runs[-1]), flush=True)
    print()
    print(table([r for r in runs if "p50_ms" in r]))
    for r in runs:
        if "live_p95_s" in r:
            print(
                f"join wave N={r['n']} in {r['wave_s']} s: live {r['live']}, 5xx {r['http_5xx']}, stil {r['stil']}, "
                f"open→live p50/p95/max {r['live_p50_s']}/{r['live_p95_s']}/{r['live_max_s']} s, "
                f"server CPU {r['server_cpu_ms_per_join']} ms/join, fan-out after p50/p95 "
                f"{r['fanout_p50_ms']}/{r['fanout_p95_ms']} ms lost {r['fanout_lost']} dup {r['fanout_dup']}, "
                f"load before {r['load_before']}, server on a core {r['server_cpu_share']:.0%} of its ready time"
            )
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1))


if __name__ == "__main__":
    main()
