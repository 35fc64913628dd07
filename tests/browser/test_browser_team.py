"""The headline team test: two people, two browsers, two app processes, one PostgreSQL.

The candidate uses the app process on one port, the interviewer the process on another;
everything one does reaches the other through PostgreSQL's LISTEN/NOTIFY between the
processes: joining, typing, the clock, the scorecard, and the report at the end.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pg
from loopready.store import open_db
from loopready.team import accounts
from loopready.web.csrf import load_or_create_secret

from .conftest import DESKTOP, _free_port

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.slow]

PASSWORD = "correct horse battery"


def _wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"the app on port {port} stopped: {process.stderr and process.stderr.read()!r}"
            )
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the app on port {port} did not answer in {timeout:g} s")


@pytest.fixture
def two_processes(tmp_path: Path) -> Iterator[tuple[int, int, str]]:
    """Two uvicorn processes of the team app on two ports, sharing one PostgreSQL database."""
    with pg.fresh_database(pg.server_url()) as url:
        home = tmp_path / "home"
        load_or_create_secret(home)  # one secret for both processes, made before either
        with open_db(url) as db:
            accounts.create_account(db, "cand@example.org", PASSWORD)
        env = {
            **os.environ,
            "LOOPREADY_HOME": str(home),
            "LOOPREADY_DATABASE_URL": url,
            "LOOPREADY_TEAM": "1",
        }
        ports = (_free_port(), _free_port())
        log = (tmp_path / "servers.log").open("wb")

        def start(port: int) -> subprocess.Popen[bytes]:
            command = [sys.executable, "-m", "uvicorn", "loopready.web.app:create_app"]
            command += ["--factory", "--host", "127.0.0.1", "--port", str(port)]
            return subprocess.Popen([*command, "--log-level", "warning"], env=env, stderr=log)

        processes = [start(port) for port in ports]
        # The background worker grades the answer when the mock ends.
        processes.append(
            subprocess.Popen([sys.executable, "-m", "loopready", "worker"], env=env, stderr=log)
        )

        def restart_second(while_down: Any) -> None:
            """Stop the second process, call *while_down*, start it again on its port."""
            processes[1].terminate()
            processes[1].wait(timeout=20)
            while_down()
            processes[1] = start(ports[1])
            _wait_ready(ports[1], processes[1])

        try:
            for port, process in zip(ports, processes[:2], strict=True):
                _wait_ready(port, process)
            yield ports[0], ports[1], restart_second
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            log.close()


def test_a_live_mock_across_two_app_processes(browser: Any, two_processes: Any) -> None:
    from playwright.sync_api import expect

    port_a, port_b, restart_second = two_processes
    a = f"http://127.0.0.1:{port_a}"
    b = f"http://127.0.0.1:{port_b}"
    cand_ctx = browser.new_context(viewport=DESKTOP)
    peer_ctx = browser.new_context(viewport=DESKTOP)
    try:
        cand = cand_ctx.new_page()
        cand.goto(f"{a}/login")
        cand.fill("input[name=email]", "cand@example.org")
        cand.fill("input[name=password]", PASSWORD)
        cand.click("button[type=submit]")
        cand.select_option("select[name=round_id]", "product_sense")
        cand.click("#start-live button[type=submit]")
        link = cand.input_value("#invite")
        assert link.startswith(f"{a}/join/")
        expect(cand.locator("text=call tool")).to_be_visible()

        # The peer opens the link on the other process and makes an account there.
        peer = peer_ctx.new_page()
        peer.goto(link.replace(a, b))
        peer.fill("#signup input[name=email]", "peer@example.org")
        peer.fill("#signup input[name=password]", PASSWORD)
        peer.click("#signup button[type=submit]")
        peer.click("#join")
        expect(peer.locator("h2", has_text="Interviewer's guide")).to_be_visible()
        expect(peer.locator("#live")).to_have_attribute("data-connected", "true")
        expect(cand.locator("#status")).to_have_text("live", timeout=5000)

        # Typing on process A reaches the interviewer on process B as it is typed.
        cand.click("#answer")
        cand.keyboard.type("I would start with the creators who churn")
        expect(peer.locator("#answer-view")).to_have_text(
            "I would start with the creators who churn", timeout=5000
        )

        # The interviewer's process goes down; the candidate goes on typing; when it is back
        # the interviewer's page reconnects and catches up with every word.
        def type_while_down() -> None:
            expect(peer.locator("#live")).to_have_attribute("data-connected", "false")
            cand.keyboard.type(" and who stay")

        restart_second(type_while_down)
        expect(peer.locator("#live")).to_have_attribute("data-connected", "true", timeout=15000)
        expect(peer.locator("#answer-view")).to_have_text(
            "I would start with the creators who churn and who stay", timeout=5000
        )
        # The interviewer starts the shared clock; the candidate's runs.
        peer.click("#clock-toggle")
        expect(cand.locator("#clock")).not_to_have_text("0:00", timeout=5000)

        criterion = peer.locator("select.score").first
        criterion.select_option("3")
        peer.locator("textarea.note").first.fill("Clear user, no metric yet")
        peer.locator("textarea.note").first.blur()
        peer.click("#submit")
        expect(peer.locator("#submitted")).to_have_text("submitted", timeout=5000)

        cand.keyboard.type(
            ". We would measure weekly retention of creators and run an experiment first."
        )
        expect(peer.locator("#answer-view")).to_contain_text("experiment first.", timeout=5000)
        cand.click("#end")
        expect(cand.locator("#status")).to_have_text("ended", timeout=5000)
        expect(peer.locator("#status")).to_have_text("ended", timeout=5000)

        cand.click("#report-link")
        expect(cand.locator("h2", has_text="Scorecard beside the grader")).to_be_visible(
            timeout=60000
        )
        first = cand.locator("#compare tr[data-criterion] td.human").first
        expect(first).to_have_text("3")
        expect(cand.locator("text=Clear user, no metric yet")).to_be_visible()
        # The report refreshes itself until the worker has graded the answer.
        expect(cand.locator("#job")).to_contain_text("done", timeout=90000)
        grader = cand.locator("#compare tr[data-criterion] td.grader").first
        expect(grader).to_have_text(re.compile(r"^[0-4]$"))
    finally:
        cand_ctx.close()
        peer_ctx.close()
