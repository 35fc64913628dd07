"""The free-form role-play through a local server speaking the OpenAI chat protocol:
the personas' words stream from the model, the concern states stay the local judgement."""

from __future__ import annotations

import importlib.util
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

if importlib.util.find_spec("openai") is None and os.environ.get("CI") != "true":
    pytest.skip(
        "the openai package is missing: pip install 'loopready[llm]'", allow_module_level=True
    )

from loopready.interview import sessions
from loopready.interview.roleplay_llm import llm_options
from loopready.packs import get_pack
from loopready.store import Database, open_db
from loopready.web import create_app
from loopready.web.testing import PageClient

MODEL = "panel-model"
PSN = "ss_psn_launch_conflict"
COMMIT = "Legal starts the privacy review this week, and nothing goes public until it is done."


@dataclass
class Panel:
    """A fake endpoint: each request streams the next canned reply in small pieces."""

    server: ThreadingHTTPServer
    replies: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True


def _handler(ref: list[Panel]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            panel = ref[0]
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            panel.requests.append({"path": self.path, "body": body})
            reply = panel.replies.pop(0) if panel.replies else "Kenji: Noted."
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for k in range(0, len(reply), 7):
                chunk = {
                    "id": "c1",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": MODEL,
                    "choices": [
                        {"index": 0, "delta": {"content": reply[k : k + 7]}, "finish_reason": None}
                    ],
                }
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    return Handler


@pytest.fixture
def panel(monkeypatch: pytest.MonkeyPatch) -> Iterator[Panel]:
    ref: list[Panel] = []
    server = _Quiet(("127.0.0.1", 0), _handler(ref))
    endpoint = Panel(server)
    ref.append(endpoint)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setenv("LOOPREADY_ROLEPLAY", "llm")
    monkeypatch.setenv("LOOPREADY_LLM_BASE_URL", endpoint.url)
    monkeypatch.setenv("LOOPREADY_LLM_MODEL", MODEL)
    monkeypatch.setenv("LOOPREADY_LLM_TIMEOUT", "10")
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


def test_without_the_switch_the_scripted_panel_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPREADY_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("LOOPREADY_LLM_MODEL", MODEL)
    monkeypatch.delenv("LOOPREADY_ROLEPLAY", raising=False)
    assert llm_options() is None


def test_the_model_voices_the_panel_and_the_states_stay_local(panel: Panel, db: Database) -> None:
    panel.replies.append(
        "Aiko: Starting the review this week is exactly what I needed. I can sign off on that.\n"
        "Kenji: Fine, but you still owe me the 150 ms plan."
    )
    view = sessions.start(db, get_pack(), "stakeholder_simulation", prompt_id=PSN)
    streamed: list[str] = []
    view = sessions.submit(db, view, COMMIT, on_chunk=streamed.append)
    assert len(streamed) > 3  # it arrived in pieces
    said = [t for t in view.turns if t.speaker in {"legal_counsel", "engineering_lead"}]
    assert any("exactly what I needed" in t.text for t in said)
    assert any("150 ms plan" in t.text for t in said)
    # the system prompt carries the case facts, the panel and each concern's state
    body = panel.requests[0]["body"]
    assert body["stream"] is True and body["model"] == MODEL
    system = body["messages"][0]["content"]
    assert "150 ms" in system and "Aiko, legal counsel" in system and "still open" in system
    assert COMMIT in body["messages"][-1]["content"]
    # the judgement is local: Aiko's consent concern is settled, by the candidate's words
    outcome = view.meta["outcome"]
    aiko = next(p for p in outcome["personas"] if p["id"] == "legal_counsel")
    consent = next(c for c in aiko["concern_states"] if c["id"] == "consent")
    assert consent["state"] == "addressed" and aiko["satisfied"]


def test_an_unreachable_model_leaves_the_scripted_panel_speaking(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOPREADY_ROLEPLAY", "llm")
    monkeypatch.setenv("LOOPREADY_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("LOOPREADY_LLM_MODEL", MODEL)
    monkeypatch.setenv("LOOPREADY_LLM_TIMEOUT", "2")
    view = sessions.start(db, get_pack(), "stakeholder_simulation", prompt_id=PSN)
    notes: list[str] = []
    view = sessions.submit(db, view, COMMIT, on_chunk=notes.append)
    assert any("scripted panel" in n for n in notes)
    assert any("That I can sign off on" in t.text for t in view.turns)


def test_the_web_room_streams_the_reply(panel: Panel, db: Database) -> None:
    panel.replies.append("Aiko: Good. The review first, then a date. That I can sign off on.")
    with PageClient(create_app(db)) as client:
        started = client.submit(
            "/mock/start", {"round_id": "stakeholder_simulation", "prompt_id": PSN}
        )
        sid = started.headers["location"].split("/")[2].split("?")[0]
        page = client.page(f"/mock/{sid}")
        assert f'data-stream="/mock/{sid}/stream"' in page.text
        seq = page.text.split('name="seq" value="')[1].split('"')[0]
        reply = client.post(
            f"/mock/{sid}/stream",
            data={"seq": seq, "text": COMMIT},
            headers={"X-CSRF-Token": client.ensure_token(), "X-Requested-With": "fetch"},
        )
        assert reply.status_code == 200
        assert reply.headers["content-type"].startswith("text/plain")
        assert "The review first, then a date." in reply.text
        room = client.page(f"/mock/{sid}")
        assert "The review first, then a date." in room.text
        assert 'data-persona="legal_counsel" data-state="satisfied"' in room.text
