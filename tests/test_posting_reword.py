"""Optional better wording of a drafted pack from an OpenAI-compatible endpoint.

The endpoint is a small HTTP server on 127.0.0.1 in this process: no network.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner

from loopready.cli import cli
from loopready.grading.openai_compat import LLMOptions
from loopready.packs import load_pack_file, parse_pack
from loopready.packs.draft import draft_pack
from loopready.packs.posting import read_posting
from loopready.prep.reword import acceptable, reword_draft

POSTING = (Path(__file__).parent / "data" / "postings" / "sony-ai-ml-pm.txt").read_text(
    encoding="utf-8"
)


class _Chat(BaseHTTPRequestHandler):
    """Rewords the product-sense questions well; drops the product from every other one."""

    seen: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({"path": self.path, "body": body})
        question = body["messages"][-1]["content"].split("Question: ", 1)[1]
        if "wants to improve" in question:
            reply = question.replace("Who would you build for first", "Which users come first")
        else:
            reply = "Tell me about a time you shipped something?"
        data = json.dumps({"choices": [{"message": {"role": "assistant", "content": reply}}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data.encode())

    def log_message(self, *args: Any) -> None:  # quiet
        pass


@pytest.fixture
def endpoint() -> Iterator[str]:
    _Chat.seen = []
    server = HTTPServer(("127.0.0.1", 0), _Chat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_acceptable_keeps_the_names_and_the_form() -> None:
    names = ["PlayStation Network recommendations"]
    original = "Sony AI wants to improve PlayStation Network recommendations. Who first?"
    assert acceptable(
        "Who should PlayStation Network recommendations serve first, and why?", original, names
    )
    assert not acceptable("Who should the feature serve first, and why?", original, names)
    assert not acceptable(
        "Sure! Here it is:\nWho first for PlayStation Network recommendations?", original, names
    )
    assert not acceptable("PlayStation Network recommendations.", original, names)


def test_reworded_questions_keep_their_products_and_the_pack_stays_valid(endpoint: str) -> None:
    draft = draft_pack(read_posting(POSTING))
    done = reword_draft(draft, LLMOptions(base_url=endpoint, model="tiny"))
    cases = [q for q in draft.questions if "wants to improve" in q]
    assert done.replaced == len(cases) > 0
    assert done.kept == len(draft.questions) - done.replaced
    pack = parse_pack(done.draft.text, "reworded")
    assert pack.draft
    questions = done.draft.questions
    for case in cases:
        assert case.replace("Who would you build for first", "Which users come first") in questions
    assert "Tell me about a time you shipped something?" not in questions  # lost its product
    sources = [p.source for p in pack.round("product_sense").prompts]
    assert all(src.endswith("reworded by tiny") for src in sources)
    # Only the drafted questions were sent, never the posting.
    sent = json.dumps([s["body"] for s in _Chat.seen])
    assert "What you bring" not in sent and _Chat.seen[0]["path"] == "/v1/chat/completions"
    assert _Chat.seen[0]["body"]["model"] == "tiny"


def test_an_unreachable_endpoint_keeps_the_draft() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    draft = draft_pack(read_posting(POSTING))
    done = reword_draft(
        draft, LLMOptions(base_url=f"http://127.0.0.1:{port}/v1", model="m", timeout=2)
    )
    assert done.replaced == 0 and done.draft.text == draft.text
    assert done.notes and "could not be used" in done.notes[0]


def test_cli_reword(endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPREADY_LLM_BASE_URL", endpoint)
    monkeypatch.setenv("LOOPREADY_LLM_MODEL", "tiny")
    posting = tmp_path / "posting.txt"
    posting.write_text(POSTING, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["packs", "new", "--from-posting", str(posting), "--reword", "--dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "Reworded 2 questions" in result.stderr
    pack = load_pack_file(next(tmp_path.glob("*.yaml")))
    assert any("Which users come first" in p.question for p in pack.round("product_sense").prompts)


def test_cli_reword_without_an_endpoint_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LOOPREADY_LLM_BASE_URL", raising=False)
    posting = tmp_path / "posting.txt"
    posting.write_text(POSTING, encoding="utf-8")
    result = CliRunner().invoke(cli, ["packs", "new", "--from-posting", str(posting), "--reword"])
    assert result.exit_code != 0
    assert "LOOPREADY_LLM_BASE_URL" in result.stderr


def test_web_offers_rewording_only_when_an_endpoint_is_set(
    endpoint: str, loopready_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loopready.store import open_db
    from loopready.web import create_app
    from loopready.web.testing import PageClient

    monkeypatch.delenv("LOOPREADY_LLM_BASE_URL", raising=False)
    with open_db() as db, PageClient(create_app(db)) as client:
        assert 'name="reword"' not in client.page("/packs/from-posting").text
        monkeypatch.setenv("LOOPREADY_LLM_BASE_URL", endpoint)
        monkeypatch.setenv("LOOPREADY_LLM_MODEL", "tiny")
        assert 'name="reword"' in client.page("/packs/from-posting").text
        page = client.submit("/packs/from-posting", {"posting": POSTING, "reword": "1"})
        assert page.status_code == 200
        assert "Reworded 2 questions; kept the drafted wording of" in page.text
        assert "Which users come first" in page.text
