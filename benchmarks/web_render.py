"""Server-side render time of the web app's busiest pages with 1,000 stored attempts.

    python benchmarks/web_render.py                  # 1,000 attempts, 200 renders per page
    python benchmarks/web_render.py --attempts 5000 --renders 100

Seeds a temporary data folder with a loop and N graded attempts spread over the five
rounds (real answers of about 150 words, with quoted evidence and blind spots), then
renders the dashboard, a feedback report, the loop page and the reports list in-process
through Starlette's test client. "Server" is the time inside the app (the ASGI call, from
request to the last byte of the page); "client" adds the test client's own overhead.
The target is a server-side p50 of at most 50 ms for the dashboard and the report.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

TARGET_MS = 50.0

SENTENCES = [
    "I would scope the first version to lapsed players who have not bought a game in ninety days.",
    "My primary metric is the share of store visits that end in a purchase within seven days.",
    "Latency stays under 150 milliseconds as a guardrail, and refunds must not rise.",
    "We start with a two-week internal dogfood, then an A/B test on five percent of users.",
    "If precision rises five points, I expect roughly one more relevant game per session.",
    "Research cares about model quality, engineering about serving cost, and marketing about "
    "the launch window.",
    "At my last company I launched a recommendation feature that lifted weekly sessions by "
    "nine percent.",
    "We would watch input drift weekly and retrain when the drift score passes a threshold.",
    "The decision is to ship to one region on 15 November, with engineering owning latency.",
    "We will track precision, recall, NDCG, latency, CTR and dwell time.",
]


class Timed:
    """ASGI wrapper recording how long the app takes for each request."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app
        self.last_ms = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.last_ms = (time.perf_counter() - started) * 1000


def answer_for(i: int) -> str:
    words = [SENTENCES[(i + k) % len(SENTENCES)] for k in range(9)]
    return " ".join(words)


def seed(attempts: int) -> tuple[Any, str, str]:
    from loopready.interview.loops import new_loop
    from loopready.packs import get_pack
    from loopready.store import open_db
    from loopready.store.types import utcnow
    from loopready.web.testing import seed_attempt

    pack = get_pack()
    db = open_db()
    loop = new_loop(db, pack, title="Benchmark loop")
    rounds = [r.id for r in pack.rounds]
    start = utcnow() - timedelta(days=attempts // 10 + 1)
    last_report = ""
    for i in range(attempts):
        rnd = pack.round(rounds[i % len(rounds)])
        text = answer_for(i)
        first, second = SENTENCES[i % len(SENTENCES)], SENTENCES[(i + 3) % len(SENTENCES)]
        evidence = {c.id: [first if k % 2 else second] for k, c in enumerate(rnd.rubric.criteria)}
        sid = seed_attempt(
            db,
            pack,
            rnd.id,
            text,
            score=35 + (i * 7) % 60,
            evidence=evidence,
            blind_spots=[("metric_dump", SENTENCES[9])] if i % 3 == 0 else [],
            loop_id=loop.id,
            started_at=start + timedelta(minutes=90 * i),
        )
        if rnd.id == "product_sense":
            last_report = sid
    return db, loop.id, last_report


def measure(client: Any, timed: Timed, path: str, renders: int) -> dict[str, float]:
    for _ in range(5):  # warm-up: templates compiled, caches filled
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    server: list[float] = []
    total: list[float] = []
    for _ in range(renders):
        started = time.perf_counter()
        response = client.get(path)
        total.append((time.perf_counter() - started) * 1000)
        server.append(timed.last_ms)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: {response.text[-300:]}")
    server.sort()
    total.sort()

    def pct(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, round(q * (len(values) - 1)))]

    return {
        "p50": statistics.median(server),
        "p95": pct(server, 0.95),
        "max": server[-1],
        "client_p50": statistics.median(total),
        "bytes": float(len(response.content)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--renders", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="loopready-bench-") as home:
        os.environ["LOOPREADY_HOME"] = home
        os.environ.pop("LOOPREADY_DATABASE_URL", None)
        from loopready.web import create_app
        from loopready.web.testing import PageClient

        started = time.perf_counter()
        db, _loop_id, report_id = seed(args.attempts)
        seeded_s = time.perf_counter() - started
        app = create_app(db)
        timed = Timed(app)
        pages = [
            ("dashboard", "/"),
            ("report", f"/reports/{report_id}"),
            ("loop", "/loop"),
            ("reports list", "/reports"),
        ]
        rows = []
        with PageClient(timed) as client:  # type: ignore[arg-type]
            for name, path in pages:
                rows.append((name, measure(client, timed, path, args.renders)))
        db.close()

    print(
        f"web render benchmark: {args.attempts:,} attempts seeded in {seeded_s:.1f} s, "
        f"{args.renders} renders per page, Python {sys.version.split()[0]}"
    )
    print(f"{'page':<14}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'client p50':>12}{'KB':>8}  target")
    failed = False
    for name, stats in rows:
        target = ""
        if name in ("dashboard", "report"):
            ok = stats["p50"] <= TARGET_MS
            failed |= not ok
            target = f"p50 <= {TARGET_MS:.0f} ms: {'ok' if ok else 'MISSED'}"
        print(
            f"{name:<14}{stats['p50']:>9.1f}{stats['p95']:>9.1f}{stats['max']:>9.1f}"
            f"{stats['client_p50']:>12.1f}{stats['bytes'] / 1024:>8.1f}  {target}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
