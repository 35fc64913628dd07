"""The OpenAI-compatible grader, against a real HTTP server on 127.0.0.1.

The server below is a tiny /v1/chat/completions endpoint that records each request
and answers with canned replies, so the real ``openai`` client, our prompt, our
checks on the reply and the CLI are all exercised end to end, offline.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

if importlib.util.find_spec("openai") is None and os.environ.get("CI") != "true":
    pytest.skip(
        "the openai grader's tests need the openai package: pip install 'loopready[llm]'",
        allow_module_level=True,
    )

from click.testing import CliRunner
from pydantic import ValidationError

from loopready import __version__
from loopready.cli import cli
from loopready.errors import InputError, MissingExtra
from loopready.grading.base import GradeRequest
from loopready.grading.openai_compat import LLMGraderError, LLMOptions, OpenAIGrader
from loopready.grading.registry import available, get_grader
from loopready.grading.service import build_request, grade_request
from loopready.packs import get_pack

MODEL = "test-model"
KEY_VAR = "LOOPREADY_TEST_LLM_KEY"
KEY = "sk-test-123"

ANSWER = (
    "I'd start with lapsed PS Plus members in the US and UK, because they already pay and "
    "have stopped playing. Success is the seven-day return rate, with purchases per "
    "recommendation shown as the business metric. We'd track precision, recall, NDCG, AUC, "
    "MRR, coverage and diversity every day. We launch to 5% of users in week two and roll "
    "back if complaints double. I'd agree the go/no-go call with the engineering lead and "
    "the store team."
)
INVENTED = "we will use a transformer to double revenue"


# -- the fake endpoint --------------------------------------------------------------------


@dataclass
class Canned:
    """One reply: a chat completion's content, or an HTTP error, after an optional delay."""

    content: str | None = None
    status: int = 200
    error: str = ""
    delay: float = 0.0


@dataclass
class Endpoint:
    server: ThreadingHTTPServer
    replies: list[Canned] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    reject_response_format: bool = False
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def reply(self, *contents: str | dict[str, Any]) -> None:
        for c in contents:
            self.replies.append(Canned(c if isinstance(c, str) else json.dumps(c)))


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is expected here


def _handler(endpoint_ref: list[Endpoint]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            ep = endpoint_ref[0]
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            ep.requests.append(
                {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                }
            )
            if self.path != "/v1/chat/completions":
                self._send(404, {"error": {"message": f"no route {self.path}"}})
                return
            if ep.reject_response_format and "response_format" in body:
                self._send(
                    400,
                    {"error": {"message": "response_format is not supported", "type": "bad"}},
                )
                return
            if not ep.replies:
                self._send(500, {"error": {"message": "the test gave no canned reply"}})
                return
            canned = ep.replies.pop(0)
            if canned.delay:
                ep.release.wait(canned.delay)
            if canned.status != 200:
                self._send(canned.status, {"error": {"message": canned.error}})
                return
            self._send(
                200,
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body.get("model", ""),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": canned.content},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                },
            )

    return Handler


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch) -> Iterator[Endpoint]:
    """A running endpoint, with the LOOPREADY_LLM_* variables pointing at it."""
    ref: list[Endpoint] = []
    server = _Quiet(("127.0.0.1", 0), _handler(ref))
    endpoint = Endpoint(server)
    ref.append(endpoint)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setenv("LOOPREADY_LLM_BASE_URL", endpoint.url)
    monkeypatch.setenv("LOOPREADY_LLM_MODEL", MODEL)
    monkeypatch.setenv("LOOPREADY_LLM_API_KEY_ENV", KEY_VAR)
    monkeypatch.setenv(KEY_VAR, KEY)
    monkeypatch.setenv("LOOPREADY_LLM_TIMEOUT", "10")
    monkeypatch.delenv("LOOPREADY_GRADER", raising=False)
    try:
        yield endpoint
    finally:
        endpoint.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def answer_file(tmp_path: Path) -> Path:
    path = tmp_path / "answer.txt"
    path.write_text(ANSWER, encoding="utf-8")
    return path


# -- canned replies -----------------------------------------------------------------------


def rubric_reply(**changes: Any) -> dict[str, Any]:
    """A plausible grade for ANSWER in product_sense, with a few things our checks must catch."""
    reply: dict[str, Any] = {
        "criteria": [
            {
                "id": "scope",
                "score": 3,
                "evidence": ["lapsed PS Plus members in the US and UK", INVENTED],
                "advice": "Say why this segment first.",
            },
            {
                "id": "success_metrics",
                "score": 2,
                # spacing and typographic quotes differ from the answer: still the candidate's
                "evidence": [
                    "Success is the seven-day  return rate",
                    "\u201cpurchases per recommendation shown\u201d",
                ],
                "advice": "Add a guardrail.",
            },
            {
                "id": "business_translation",
                "score": 1,
                "evidence": "as the business metric",
                "advice": "",
            },
            {
                "id": "rollout_plan",
                "score": 4,
                "evidence": ["We launch to 5% of users in week two"],
                "advice": "nothing to add, but the model said something anyway",
            },
            {
                "id": "stakeholder_framing",
                "score": 0,
                "evidence": ["the store team"],
                "advice": "Name who decides.",
            },
            {"id": "made_up_criterion", "score": 4, "evidence": [], "advice": ""},
        ],
        "blind_spots": [
            {
                "id": "metric_dump",
                "evidence": "We'd track precision, recall, NDCG, AUC, MRR, coverage and "
                "diversity every day.",
            },
            {"id": "base_only_negotiation", "evidence": "lapsed PS Plus members"},
            {"id": "jargon_without_outcome", "evidence": INVENTED},
            {"id": "no_such_spot", "evidence": "We launch to 5% of users"},
        ],
        "on_topic": True,
    }
    reply.update(changes)
    return reply


def grade_answer(answer: str = ANSWER, **kwargs: Any) -> Any:
    kwargs.setdefault("round_id", "product_sense")
    kwargs.setdefault("question_id", "ps_psn_recommendations")
    return grade_request(build_request(answer, **kwargs), "openai")


# -- the grader through the registry ------------------------------------------------------


def test_registered_as_an_entry_point_that_needs_the_network() -> None:
    assert available()["openai"] is OpenAIGrader
    grader = get_grader("openai")
    assert grader.needs_network is True
    assert get_grader("local").needs_network is False


def test_request_shape_sends_model_rubric_and_answer(llm: Endpoint) -> None:
    llm.reply(rubric_reply())
    grade_answer()
    assert len(llm.requests) == 1
    sent = llm.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["headers"]["authorization"] == f"Bearer {KEY}"
    body = sent["body"]
    assert body["model"] == MODEL
    assert body["response_format"] == {"type": "json_object"}
    assert body["temperature"] == 0
    roles = [m["role"] for m in body["messages"]]
    assert roles == ["system", "user"]
    system, user = (m["content"] for m in body["messages"])
    assert "JSON" in system and '"criteria"' in system and '"blind_spots"' in system
    pack = get_pack("sony-ai-pm-2026")
    rnd = pack.round("product_sense")
    prompt = next(p for p in rnd.prompts if p.id == "ps_psn_recommendations")
    assert prompt.question in user
    assert rnd.name in user
    for c in rnd.rubric.criteria:
        assert f"id: {c.id}" in user
        assert c.name in user and c.strong in user and c.weak in user
        assert f"weight: {c.weight:g}" in user
    applicable = {b.id for b in pack.blind_spots_for("product_sense")}
    for b in pack.blind_spots:
        assert (f"id: {b.id}\n" in user) == (b.id in applicable)
    for point in prompt.key_points:
        assert point in user
    assert f"ANSWER START\n{ANSWER}\nANSWER END" in user


def test_result_keeps_only_the_candidates_own_words(llm: Endpoint) -> None:
    llm.reply(rubric_reply())
    result = grade_answer()
    by_id = {c.id: c for c in result.criteria}
    rnd = get_pack("sony-ai-pm-2026").round("product_sense")
    assert list(by_id) == [c.id for c in rnd.rubric.criteria]  # unknown id dropped, order kept
    assert {c.id: c.score for c in result.criteria} == {
        "scope": 3,
        "success_metrics": 2,
        "business_translation": 1,
        "rollout_plan": 4,
        "stakeholder_framing": 0,
    }
    quotes = [q for c in result.criteria for q in c.evidence]
    assert quotes and all(q in ANSWER for q in quotes)
    assert INVENTED not in " ".join(quotes)
    assert by_id["scope"].evidence == ["lapsed PS Plus members in the US and UK"]
    # recovered from spacing / curly quotes, shown as the answer has it
    assert by_id["success_metrics"].evidence == [
        "Success is the seven-day return rate",
        "purchases per recommendation shown",
    ]
    assert by_id["business_translation"].evidence == ["as the business metric"]
    assert by_id["stakeholder_framing"].evidence == []  # a 0 quotes nothing
    # advice: the model's; when it gave none, the service's advice about this answer
    # (quoting the answer's own words), not the pack's general line; none for a 4
    assert by_id["scope"].advice == "Say why this segment first."
    generic = next(c.advice for c in rnd.rubric.criteria if c.id == "business_translation")
    assert by_id["business_translation"].advice != generic
    assert "“as the business metric”" in by_id["business_translation"].advice
    assert by_id["rollout_plan"].advice == ""
    # the same new fields as the local grader: offsets of every quote, status
    for c in result.criteria:
        assert c.status == "scored"
        assert [ANSWER[a:b] for a, b in c.evidence_spans] == c.evidence
    # blind spots: only ones that apply to the round, and only with a real quote
    assert [(b.id, b.evidence) for b in result.blind_spots] == [
        (
            "metric_dump",
            "We'd track precision, recall, NDCG, AUC, MRR, coverage and diversity every day.",
        )
    ]
    spot = next(b for b in get_pack("sony-ai-pm-2026").blind_spots if b.id == "metric_dump")
    assert result.blind_spots[0].name == spot.name and result.blind_spots[0].better == spot.better
    assert result.grader == f"openai {__version__} ({MODEL} at {llm.host})"
    assert result.message is None


def test_overall_score_is_the_weighted_mean_of_criterion_scores(llm: Endpoint) -> None:
    llm.reply(rubric_reply())
    result = grade_answer()
    rnd = get_pack("sony-ai-pm-2026").round("product_sense")
    weights = {c.id: c.weight for c in rnd.rubric.criteria}
    scores = {"scope": 3, "success_metrics": 2, "business_translation": 1}
    scores |= {"rollout_plan": 4, "stakeholder_framing": 0}
    expected = 100 * sum(weights[k] * s for k, s in scores.items()) / (4 * sum(weights.values()))
    assert result.score == pytest.approx(expected, abs=0.05)


def test_question_focus_turns_other_criteria_down(llm: Endpoint) -> None:
    # rs_walkthrough asks about "narrative" only: the others are not asked, not counted
    reply = {
        "criteria": [
            {"id": "narrative", "score": 4, "evidence": ["I'd start with lapsed"], "advice": ""},
            {"id": "motivation", "score": 0, "evidence": [], "advice": "x"},
            {"id": "comp_framing", "score": 0, "evidence": [], "advice": "x"},
        ],
        "blind_spots": [],
    }
    llm.reply(reply, reply)
    focused = grade_answer(round_id="recruiter_screen", question_id="rs_walkthrough")
    unfocused = grade_answer(round_id="recruiter_screen", question_id=None)
    rnd = get_pack("sony-ai-pm-2026").round("recruiter_screen")
    w = {c.id: c.weight for c in rnd.rubric.criteria}
    assert focused.score == pytest.approx(100.0, abs=0.05)
    assert {c.id: c.status for c in focused.criteria} == {
        "narrative": "scored",
        "motivation": "not_asked",
        "comp_framing": "not_asked",
    }
    assert all(not c.advice for c in focused.criteria if c.status == "not_asked")
    assert unfocused.score == pytest.approx(100 * w["narrative"] / sum(w.values()), abs=0.05)
    assert {c.status for c in unfocused.criteria} == {"scored"}
    assert focused.score > unfocused.score


def test_delivery_is_measured_locally(llm: Endpoint) -> None:
    llm.reply(rubric_reply())
    result = grade_answer()
    assert result.delivery is not None
    assert result.delivery.words == len(ANSWER.split())
    # the same time box as the local grader's: a sixth of the 45-minute round
    assert result.delivery.time_box_minutes == 8
    assert len(llm.requests) == 1  # delivery sent nothing


def test_key_points_of_the_question_are_graded_with_quotes(llm: Endpoint) -> None:
    # Key points are the grading service's shared work: the same list whichever grader
    # ran and whatever the model claims, each covered one quoting the answer exactly.
    prompt = next(
        p
        for p in get_pack("sony-ai-pm-2026").round("product_sense").prompts
        if p.id == "ps_psn_recommendations"
    )
    points = [{"id": 1, "covered": True, "evidence": "lapsed PS Plus members"}]
    points.append({"id": 2, "covered": True, "evidence": INVENTED})  # not said
    llm.reply(rubric_reply(key_points=points))
    result = grade_answer()
    assert result.key_points is not None
    assert [p.text for p in result.key_points] == prompt.key_points
    for p in result.key_points:
        assert (p.evidence is not None) == p.covered
        if p.covered:
            assert p.evidence in ANSWER and ANSWER[p.start : p.end] == p.evidence
        assert INVENTED not in (p.evidence or "")
    ref = result.reference_coverage
    assert ref is not None
    covered = [p.text for p in result.key_points if p.covered]
    assert [c.point for c in ref.covered] == covered
    assert ref.coverage == pytest.approx(len(covered) / len(prompt.key_points), abs=1e-4)


def test_off_topic_flag_becomes_a_message(llm: Endpoint) -> None:
    llm.reply(rubric_reply(on_topic=False))
    result = grade_answer()
    assert result.message is not None and "does not seem to address the question" in result.message


def test_reference_grading_without_a_round(llm: Endpoint) -> None:
    answer = "We cut churn by calling users who stopped logging in. Margins also went up."
    llm.reply(
        {
            "key_points": [
                {"id": 1, "covered": True, "evidence": "cut churn by calling users"},
                {"id": 2, "covered": True, "evidence": "by emailing inactive users"},
                {"id": 3, "covered": False, "evidence": ""},
            ]
        }
    )
    request = build_request(
        answer, reference="Reduce churn.\nWin back inactive users.\nRaise prices."
    )
    result = grade_request(request, "openai")
    body = llm.requests[0]["body"]
    system, user = (m["content"] for m in body["messages"])
    assert '"key_points"' in system and '"criteria"' not in system
    assert "1. Reduce churn." in user and "3. Raise prices." in user
    assert result.round == "custom" and result.criteria == []
    ref = result.reference_coverage
    assert ref is not None
    assert [(c.point, c.evidence) for c in ref.covered] == [
        ("Reduce churn.", "cut churn by calling users")
    ]
    assert ref.missing == ["Win back inactive users.", "Raise prices."]
    assert result.score == pytest.approx(100 / 3, abs=0.05)


def test_empty_answer_sends_nothing(llm: Endpoint) -> None:
    result = grade_answer("   ")
    assert result.score == 0 and result.message
    assert llm.requests == []


# -- bad replies ----------------------------------------------------------------------------


def test_non_json_reply_is_retried_once(llm: Endpoint) -> None:
    llm.reply("Sure! The candidate did well overall.", rubric_reply())
    result = grade_answer()
    assert len(llm.requests) == 2
    retry = llm.requests[1]["body"]["messages"]
    assert retry[-2] == {"role": "assistant", "content": "Sure! The candidate did well overall."}
    assert retry[-1]["role"] == "user" and "not JSON" in retry[-1]["content"]
    assert result.criteria[0].score == 3


def test_fenced_json_with_reasoning_is_read_without_retry(llm: Endpoint) -> None:
    llm.reply("<think>Let me weigh this.</think>\n```json\n" + json.dumps(rubric_reply()) + "\n```")
    result = grade_answer()
    assert len(llm.requests) == 1
    assert result.criteria[0].score == 3


def test_repeated_bad_json_is_a_clear_error(llm: Endpoint) -> None:
    long_bad = "I cannot produce JSON, sorry. " * 100
    llm.reply(long_bad, long_bad)
    with pytest.raises(LLMGraderError) as err:
        grade_answer()
    message = str(err.value)
    assert len(llm.requests) == 2
    assert llm.url in message and MODEL in message
    assert "the reply was not JSON" in message
    assert "I cannot produce JSON, sorry." in message
    assert len(message) < 800  # what came back is shown truncated
    assert "…" in message


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ({"criteria": [{"id": "scope", "score": 3}], "blind_spots": []}, "no score for criteria"),
        (rubric_reply(criteria=[{"id": "scope", "score": 7}]), "no score for criteria"),
        (
            rubric_reply(
                criteria=[
                    {"id": c, "score": 7 if c == "scope" else 2}
                    for c in (
                        "scope",
                        "success_metrics",
                        "business_translation",
                        "rollout_plan",
                        "stakeholder_framing",
                    )
                ]
            ),
            "criterion scope has score 7, not a whole number from 0 to 4",
        ),
        ({"blind_spots": []}, '"criteria" is missing or not a list'),
        ([1, 2, 3], "not an object"),
    ],
)
def test_invalid_grades_are_retried_then_refused(llm: Endpoint, bad: Any, problem: str) -> None:
    llm.reply(bad, bad)
    with pytest.raises(LLMGraderError, match="did not reply with a usable grade") as err:
        grade_answer()
    assert problem in str(err.value)
    assert len(llm.requests) == 2
    assert problem in llm.requests[1]["body"]["messages"][-1]["content"]


def test_server_without_json_mode_falls_back_and_remembers(llm: Endpoint) -> None:
    llm.reject_response_format = True
    llm.reply(rubric_reply(), rubric_reply())
    first = grade_answer()
    assert ["response_format" in r["body"] for r in llm.requests] == [True, False]
    second = grade_answer()
    assert ["response_format" in r["body"] for r in llm.requests] == [True, False, False]
    assert first.score == second.score > 0


# -- the endpoint failing -------------------------------------------------------------------


def test_timeout_is_a_clear_error(llm: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPREADY_LLM_TIMEOUT", "0.3")
    llm.replies.append(Canned(json.dumps(rubric_reply()), delay=5))
    with pytest.raises(LLMGraderError) as err:
        grade_answer()
    assert str(err.value) == (
        f"no reply from {llm.url} within 0.3 s: raise LOOPREADY_LLM_TIMEOUT, "
        "or use a smaller or faster model"
    )
    assert len(llm.requests) == 1  # the client does not retry behind our back


def test_unreachable_server(llm: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("LOOPREADY_LLM_BASE_URL", f"http://127.0.0.1:{port}/v1")
    with pytest.raises(LLMGraderError) as err:
        grade_answer()
    assert str(err.value) == (
        f"could not reach http://127.0.0.1:{port}/v1: is the server running? "
        "(check LOOPREADY_LLM_BASE_URL)"
    )


def test_refused_key_names_the_variable(llm: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_VAR)
    llm.replies.append(Canned(status=401, error="Incorrect API key provided"))
    with pytest.raises(LLMGraderError) as err:
        grade_answer()
    assert str(err.value) == (
        f"{llm.url} refused the request (HTTP 401): the API key in {KEY_VAR} is not set; "
        "set it, or name the variable holding your key in LOOPREADY_LLM_API_KEY_ENV"
    )
    assert KEY not in str(err.value)


def test_unknown_model_or_path(llm: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPREADY_LLM_BASE_URL", llm.url.removesuffix("/v1"))  # forgot /v1
    with pytest.raises(LLMGraderError, match="answered HTTP 404 for model 'test-model'") as err:
        grade_answer()
    assert "ends in /v1" in str(err.value)


def test_server_error_is_reported_with_its_message(llm: Endpoint) -> None:
    llm.replies.append(Canned(status=503, error="model is loading"))
    with pytest.raises(LLMGraderError) as err:
        grade_answer()
    assert str(err.value) == f"{llm.url} answered HTTP 503: 'model is loading'"


# -- configuration -------------------------------------------------------------------------


def test_missing_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOOPREADY_LLM_BASE_URL", raising=False)
    monkeypatch.setenv("LOOPREADY_LLM_MODEL", MODEL)
    with pytest.raises(InputError) as err:
        grade_answer()
    assert str(err.value) == (
        "the openai grader needs LOOPREADY_LLM_BASE_URL: set it to your server's "
        "OpenAI-compatible address, e.g. http://127.0.0.1:11434/v1 for Ollama, "
        "http://127.0.0.1:8000/v1 for vLLM or https://api.openai.com/v1"
    )


def test_missing_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPREADY_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.delenv("LOOPREADY_LLM_MODEL", raising=False)
    with pytest.raises(InputError) as err:
        grade_answer()
    assert str(err.value) == (
        "the openai grader needs LOOPREADY_LLM_MODEL: set it to the model's name on the "
        "server, e.g. llama3.1:8b (Ollama) or gpt-4o-mini (OpenAI)"
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "LOOPREADY_LLM_TIMEOUT",
            "soon",
            "LOOPREADY_LLM_TIMEOUT must be a number of seconds between 0 and 3600, not 'soon'",
        ),
        (
            "LOOPREADY_LLM_TIMEOUT",
            "-1",
            "LOOPREADY_LLM_TIMEOUT must be a number of seconds between 0 and 3600, not '-1'",
        ),
        (
            "LOOPREADY_LLM_BASE_URL",
            "localhost:11434/v1",
            "LOOPREADY_LLM_BASE_URL: 'localhost:11434/v1' is not an http(s) address; "
            "e.g. http://127.0.0.1:11434/v1 for Ollama or https://api.openai.com/v1",
        ),
        (
            "LOOPREADY_LLM_API_KEY_ENV",
            "my key",
            "LOOPREADY_LLM_API_KEY_ENV: 'my key' is not an environment variable name "
            "(e.g. OPENAI_API_KEY)",
        ),
    ],
)
def test_bad_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv("LOOPREADY_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("LOOPREADY_LLM_MODEL", MODEL)
    monkeypatch.setenv(variable, value)
    with pytest.raises(InputError) as err:
        LLMOptions.from_env()
    assert str(err.value) == message


def test_options_are_strict_and_default_to_openai_api_key() -> None:
    options = LLMOptions.from_env(
        {"LOOPREADY_LLM_BASE_URL": "https://user:pw@api.openai.com/v1/", "LOOPREADY_LLM_MODEL": "m"}
    )
    assert options.api_key_env == "OPENAI_API_KEY"
    assert options.base_url == "https://user:pw@api.openai.com/v1"
    assert options.host == "api.openai.com"  # never the credentials
    with pytest.raises(ValidationError):
        LLMOptions.model_validate({"base_url": "http://x/v1", "model": "m", "colour": "red"})


def test_options_can_be_given_in_code(llm: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LOOPREADY_LLM_BASE_URL", "LOOPREADY_LLM_MODEL"):
        monkeypatch.delenv(var)
    grader = OpenAIGrader(LLMOptions(base_url=llm.url, model="other-model", api_key_env=KEY_VAR))
    llm.reply(rubric_reply())
    pack = get_pack("sony-ai-pm-2026")
    result = grader.grade(GradeRequest(answer=ANSWER, pack=pack, round_id="product_sense"))
    assert llm.requests[0]["body"]["model"] == "other-model"
    assert result.criteria[0].score == 3


def test_missing_openai_package(
    llm: Endpoint, monkeypatch: pytest.MonkeyPatch, answer_file: Path
) -> None:
    monkeypatch.setitem(sys.modules, "openai", None)  # what an uninstalled package looks like
    with pytest.raises(MissingExtra) as err:
        grade_answer()
    assert str(err.value) == (
        "the openai grader needs the 'openai' package: pip install 'loopready[llm]'"
    )
    result = CliRunner().invoke(
        cli, ["grade", "--grader", "openai", "--round", "product_sense", str(answer_file)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: the openai grader needs the 'openai' package: pip install 'loopready[llm]'"
    )
    assert llm.requests == []


# -- the privacy notice and the CLI --------------------------------------------------------


def test_notice_is_printed_once_per_host(llm: Endpoint, capsys: pytest.CaptureFixture[str]) -> None:
    llm.reply(rubric_reply(), rubric_reply())
    grade_answer()
    first = capsys.readouterr().err
    grade_answer()
    second = capsys.readouterr().err
    assert first == (
        f"loopready: sending the answer to {llm.host} (model {MODEL}) for grading; "
        "the local grader keeps answers on this computer\n"
    )
    assert second == ""


def test_cli_grades_through_the_endpoint(llm: Endpoint, answer_file: Path) -> None:
    llm.reply(rubric_reply())
    result = CliRunner().invoke(
        cli,
        ["grade", "--grader", "openai", "--round", "product_sense", "--json", str(answer_file)],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["grader"] == f"openai {__version__} ({MODEL} at {llm.host})"
    assert [c["score"] for c in data["criteria"]] == [3, 2, 1, 4, 0]
    assert all(q in ANSWER for c in data["criteria"] for q in c["evidence"])
    assert data["delivery"]["words"] == len(ANSWER.split())
    assert result.stderr.count(f"sending the answer to {llm.host}") == 1


def test_cli_batch_in_a_new_process_gives_one_notice(llm: Endpoint, tmp_path: Path) -> None:
    llm.reply(rubric_reply(), rubric_reply())
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        "".join(
            json.dumps({"id": f"a{i}", "answer": ANSWER, "round": "product_sense"}) + "\n"
            for i in range(2)
        ),
        encoding="utf-8",
    )
    # the grader chosen by LOOPREADY_GRADER, in a fresh process (the installed CLI path)
    run = subprocess.run(
        [sys.executable, "-m", "loopready", "grade", "--batch", str(batch)],
        capture_output=True,
        text=True,
        env={**os.environ, "LOOPREADY_GRADER": "openai"},
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["id"] for r in lines] == ["a0", "a1"]
    assert [[c["score"] for c in r["criteria"]] for r in lines] == [[3, 2, 1, 4, 0]] * 2
    assert run.stderr.count("sending the answer to") == 1
    assert llm.host in run.stderr
    assert len(llm.requests) == 2


def test_cli_error_for_a_bad_endpoint_is_one_line(llm: Endpoint, answer_file: Path) -> None:
    llm.reply("not json", "still not json")
    result = CliRunner().invoke(
        cli, ["grade", "--grader", "openai", "--round", "product_sense", str(answer_file)]
    )
    assert result.exit_code == 2
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(error_lines) == 1 and llm.url in error_lines[0]
    assert "Traceback" not in result.stderr


def test_local_grader_prints_no_network_notice(llm: Endpoint, answer_file: Path) -> None:
    # the LLM is configured (at a host never announced before), but not chosen
    result = CliRunner().invoke(
        cli, ["grade", "--grader", "local", "--round", "product_sense", "--json", str(answer_file)]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["grader"].startswith("loopready-local ")
    assert "sending" not in result.stderr
    assert llm.requests == []


# -- red flags and off-topic answers --------------------------------------------------------

HARMFUL = (
    "I'd start with lapsed PS Plus members in the US and UK. Success is the seven-day return "
    "rate. We launch to every player worldwide on day one, with no test. I'd agree the call "
    "with the engineering lead."
)


def test_red_flags_are_in_the_prompt(llm: Endpoint) -> None:
    llm.reply(rubric_reply())
    grade_answer()
    system, user = (m["content"] for m in llm.requests[0]["body"]["messages"])
    assert '"red_flags"' in system and "will not launch without a holdout" in system
    rnd = get_pack("sony-ai-pm-2026").round("product_sense")
    for flag in rnd.red_flags:
        assert f"id: {flag.id}\n" in user and flag.why in user


def test_red_flags_come_back_quoted_with_offsets_and_cap_the_score(llm: Endpoint) -> None:
    quote = "We launch to every player worldwide on day one, with no test."
    reply = rubric_reply(
        criteria=[
            {"id": "scope", "score": 4, "evidence": ["lapsed PS Plus members"], "advice": ""},
            {"id": "success_metrics", "score": 4, "evidence": ["seven-day return rate"]},
            {"id": "business_translation", "score": 4, "evidence": []},
            {"id": "rollout_plan", "score": 4, "evidence": [quote], "advice": ""},
            {"id": "stakeholder_framing", "score": 4, "evidence": ["engineering lead"]},
        ],
        blind_spots=[],
        red_flags=[
            {"id": "launch_without_holdout", "evidence": quote},
            {"id": "no_such_flag", "evidence": quote},
            {"id": "review_after_launch", "evidence": INVENTED},
        ],
    )
    llm.reply(reply)
    result = grade_answer(HARMFUL)
    assert [f.id for f in result.red_flags] == ["launch_without_holdout"]
    flag = result.red_flags[0]
    assert HARMFUL[flag.start : flag.end] == flag.evidence == quote
    assert flag.why and flag.better
    rollout = next(c for c in result.criteria if c.id == "rollout_plan")
    assert rollout.score <= 1 and quote not in rollout.evidence
    assert result.score <= 45
    data = result.to_json_dict()
    assert set(data["red_flags"][0]) == {"id", "name", "evidence", "start", "end", "why", "better"}


def test_off_topic_reply_is_said_and_capped(llm: Endpoint) -> None:
    llm.reply(rubric_reply(on_topic=False))
    result = grade_answer()
    assert result.off_topic is True and result.score <= 30
    assert result.to_json_dict()["off_topic"] is True
