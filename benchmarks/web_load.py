"""Load on the web app: concurrent clients over the main pages, autosave and grading.

    python benchmarks/web_load.py                          # SQLite, 20 clients, 60 s
    python benchmarks/web_load.py --duration 20 --clients 10
    LOOPREADY_BENCH_POSTGRES_URL=postgresql://user:pw@127.0.0.1:5432/postgres \\
        python benchmarks/web_load.py --database postgresql

Starts the app with uvicorn on 127.0.0.1 (a free port) in its own process, on a fresh
data folder (and, for PostgreSQL, a fresh database that is dropped afterwards), seeded
with a loop and 60 graded attempts. Each client fetches a page to get its CSRF token,
then repeats a mix for the whole duration: the dashboard, loop, practice, reports,
stories, offers and plan pages (70%), an autosave of the answer being written (28%), and
handing in an answer no earlier one matched, which grades it with the local grader (2%;
a finished mock is followed by a fresh one). A person autosaves every second or two for
minutes before handing in, so even 2% hand-ins is far more grading than real use; the
grading figures are printed on their own line. It prints the number of requests and errors
(any 5xx, refused connection or timeout), p50/p95/max latency overall and per kind, and
the server's resident memory at start and at its peak (sampled every 0.2 s).

Targets (issue 12): 0 errors, p95 <= 400 ms, server RSS <= 450 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).parent))

import appserver

TARGET_P95_MS = 400.0
TARGET_RSS_MB = 450.0
PAGES = ["/", "/loop", "/practice", "/reports", "/stories", "/offers", "/plan"]
ANSWER = (
    "I would launch to lapsed players first, measured by seven-day purchase conversion, with "
    "latency under 150 milliseconds as a guardrail. We start with a two-week dogfood, then an "
    "A/B test on five percent of users in one region, and stop if refunds rise. Engineering "
    "owns the rollout and we decide on 15 November. "
)
SENTENCES = [
    "I would scope the first version to lapsed players who have not bought a game in {n} days.",
    "My primary metric is the share of store visits that end in a purchase within {n} days.",
    "Latency stays under {n} milliseconds as a guardrail, and refunds must not rise.",
    "We start with a two-week internal dogfood, then an A/B test on {n} percent of users.",
    "If precision rises {n} points, I expect roughly one more relevant game per session.",
    "Research cares about model quality, engineering about serving cost, marketing about week {n}.",
    "At my last company I launched a recommendation feature that lifted sessions by {n} percent.",
    "We would watch input drift weekly and retrain when the drift score passes {n}.",
    "The decision is to ship to one region on day {n}, with engineering owning latency.",
]
_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
_SEQ = re.compile(r'name="seq" value="(\d+)"')


def unique_answer(rng: random.Random) -> str:
    """About 150 words no earlier answer had: real hand-ins are never in the model's cache."""
    picked = rng.sample(SENTENCES, 7)
    return " ".join(sentence.format(n=rng.randint(2, 99_999)) for sentence in picked)


@contextmanager
def postgres_database(server: str) -> Iterator[str]:
    """A fresh database on *server* (dropped afterwards); yields its URL."""
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    from loopready.store import normalize_url

    base = normalize_url(server)
    name = f"loopready_load_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def seed(url: str, attempts: int, clients: int) -> list[str]:
    """*attempts* graded mocks spread over the rounds, and one loop per client (whose
    unfinished mock is its own: a client starting a fresh one sets aside only its own)."""
    from loopready.interview.loops import new_loop
    from loopready.packs import get_pack
    from loopready.store import open_db
    from loopready.store.types import utcnow
    from loopready.web.testing import seed_attempt

    pack = get_pack()
    rounds = [r.id for r in pack.rounds]
    with open_db(url) as db:
        loop = new_loop(db, pack, title="Load loop")
        start = utcnow() - timedelta(days=20)
        for i in range(attempts):
            seed_attempt(
                db,
                pack,
                rounds[i % len(rounds)],
                ANSWER * 2,
                score=40 + (i * 7) % 50,
                loop_id=loop.id,
                started_at=start + timedelta(hours=i),
            )
        return [new_loop(db, pack, title=f"Client {n}").id for n in range(clients)]


class Stats:
    """Latencies (ms) by kind, and errors with a sample of their causes."""

    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.causes: list[str] = []

    def add(self, kind: str, ms: float) -> None:
        self.ms[kind].append(ms)

    def error(self, kind: str, cause: str) -> None:
        self.errors[kind] += 1
        if len(self.causes) < 8:
            self.causes.append(f"{kind}: {cause}")


async def client(base: str, stats: Stats, until: float, seed_value: int, loop_id: str) -> None:
    rng = random.Random(seed_value)
    async with httpx.AsyncClient(base_url=base, timeout=30.0) as http:

        async def call(kind: str, method: str, url: str, **kwargs: Any) -> httpx.Response | None:
            started = time.perf_counter()
            try:
                response = await http.request(method, url, **kwargs)
            except httpx.HTTPError as exc:
                stats.error(kind, type(exc).__name__)
                return None
            stats.add(kind, (time.perf_counter() - started) * 1000)
            if response.status_code >= 500:
                stats.error(kind, f"{response.status_code} on {url}")
            return response

        first = await call("page", "GET", "/practice")
        found = _TOKEN.search(first.text) if first is not None else None
        if found is None:
            stats.error("setup", "no CSRF token on /practice")
            return
        headers = {"X-CSRF-Token": found.group(1), "HX-Request": "true"}
        session: str | None = None
        seq = "0"
        words = 0
        while time.perf_counter() < until:
            roll = rng.random()
            if session is None:
                started = await call(
                    "start",
                    "POST",
                    "/mock/start",
                    data={"round_id": "product_sense", "fresh": "1", "loop_id": loop_id},
                    headers=headers,
                )
                location = started.headers.get("location", "") if started is not None else ""
                session = location.split("/")[2].split("?")[0] if location.count("/") >= 2 else None
                if session is None:
                    await asyncio.sleep(0.2)
                    continue
                room = await call("page", "GET", f"/mock/{session}")
                match = _SEQ.search(room.text) if room is not None else None
                seq, words = (match.group(1) if match else "0"), 0
            elif roll < 0.7:
                await call("page", "GET", rng.choice(PAGES))
            elif roll < 0.98:
                words += 12
                text = " ".join(ANSWER.split()[: max(1, words % 60)])
                await call(
                    "autosave",
                    "POST",
                    f"/mock/{session}/autosave",
                    data={"seq": seq, "text": text, "active_s": "30"},
                    headers=headers,
                )
            else:
                handed = await call(
                    "grade",
                    "POST",
                    f"/mock/{session}/submit",
                    data={"seq": seq, "text": unique_answer(rng), "action": "finish"},
                    headers={"X-CSRF-Token": headers["X-CSRF-Token"]},
                )
                if handed is not None and handed.status_code >= 400:
                    detail = re.sub(r"<[^>]+>|\\s+", " ", handed.text)[-200:].strip()
                    stats.error("grade", f"{handed.status_code}: {detail}")
                session = None
            await asyncio.sleep(rng.uniform(0.0, 0.05))


def watch_memory(pid: int, samples: list[float], stop: threading.Event) -> None:
    process = psutil.Process(pid)
    while not stop.is_set():
        try:
            rss = process.memory_info().rss
            rss += sum(child.memory_info().rss for child in process.children(recursive=True))
        except psutil.Error:
            return
        samples.append(rss / 1024 / 1024)
        stop.wait(0.2)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def run(url: str, home: Path, clients: int, duration: float, attempts: int) -> bool:
    loops = seed(url, attempts, clients)
    env = {**os.environ, "LOOPREADY_HOME": str(home), "LOOPREADY_DATABASE_URL": url}
    server, port = appserver.start(env)
    base = f"http://127.0.0.1:{port}"
    try:
        appserver.wait_ready(port)
        httpx.get(f"{base}/", timeout=30)  # open the database, as a first visit does
        samples: list[float] = []
        stop = threading.Event()
        watcher = threading.Thread(target=watch_memory, args=(server.pid, samples, stop))
        watcher.start()
        time.sleep(0.3)
        start_rss = samples[0] if samples else 0.0
        stats = Stats()
        until = time.perf_counter() + duration
        began = time.perf_counter()

        async def all_clients() -> None:
            await asyncio.gather(*(client(base, stats, until, i, loops[i]) for i in range(clients)))

        asyncio.run(all_clients())
        elapsed = time.perf_counter() - began
        stop.set()
        watcher.join()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    everything = [ms for values in stats.ms.values() for ms in values]
    errors = sum(stats.errors.values())
    peak = max(samples) if samples else 0.0
    p95 = percentile(everything, 95)
    print(f"  {len(everything)} requests in {elapsed:.0f} s ({len(everything) / elapsed:.0f}/s)")
    print(f"  errors: {errors}" + (f" ({'; '.join(stats.causes)})" if errors else ""))
    print(
        f"  latency: p50 {statistics.median(everything):.0f} ms, p95 {p95:.0f} ms, "
        f"max {max(everything):.0f} ms"
    )
    for kind, values in sorted(stats.ms.items()):
        print(
            f"    {kind:<9} n={len(values):<6} p50 {percentile(values, 50):6.0f} ms   "
            f"p95 {percentile(values, 95):6.0f} ms"
        )
    print(f"  server RSS: {start_rss:.0f} MB at start -> {peak:.0f} MB peak")
    ok = errors == 0 and p95 <= TARGET_P95_MS and peak <= TARGET_RSS_MB
    print(
        f"  targets (0 errors, p95 <= {TARGET_P95_MS:.0f} ms, RSS <= {TARGET_RSS_MB:.0f} MB): "
        + ("met" if ok else "NOT met")
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--attempts", type=int, default=60, help="graded attempts to seed")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql", "both"],
        default="sqlite",
        help="postgresql needs LOOPREADY_BENCH_POSTGRES_URL (a server URL that may create "
        "databases)",
    )
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = []
    for kind in kinds:
        home = Path(tempfile.mkdtemp(prefix="loopready-load-"))
        print(f"{kind}: {args.clients} clients for {args.duration:.0f} s")
        if kind == "sqlite":
            results.append(
                run(
                    f"sqlite:///{home}/loopready.db",
                    home,
                    args.clients,
                    args.duration,
                    args.attempts,
                )
            )
            continue
        server = os.environ.get("LOOPREADY_BENCH_POSTGRES_URL", "").strip()
        if not server:
            raise SystemExit("set LOOPREADY_BENCH_POSTGRES_URL to a PostgreSQL server URL")
        with postgres_database(server) as url:
            results.append(run(url, home, args.clients, args.duration, args.attempts))
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
