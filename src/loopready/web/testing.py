"""Helpers for driving the app in-process (tests and the render benchmark).

client = PageClient(create_app(db))
page = client.page("/")             # a page: the client remembers its CSRF token
client.submit("/loop", {...})       # the token is added to every form post
seed_attempt(db, pack, "product_sense", "My answer...", score=64)
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from loopready.grading.base import BlindSpotHit, CriterionScore, GradeResult
from loopready.grading.pipeline import place
from loopready.interview.sessions import record_attempt
from loopready.packs.schema import Pack
from loopready.store import Database

if TYPE_CHECKING:  # the HTTP client Starlette's test client is built on
    from httpx2 import Response

_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def local_grader_problem() -> str | None:
    """Why the local grader cannot grade a round's answer here, or ``None`` when it can.

    Tests of the full flow need the real grader; while its model files are being built
    they say so instead of failing for a reason outside the web app.
    """
    from pathlib import Path

    import loopready.grading

    folder = Path(loopready.grading.__file__).parent / "model"
    missing = [n for n in ("calibration.json", "reference_model.json") if not (folder / n).exists()]
    if missing:
        return f"the local grader's model files are missing ({', '.join(missing)} in {folder})"
    try:
        import loopready.grading.local
    except ImportError as exc:
        return f"the local grader cannot be imported: {exc}"
    return None


def csrf_token_in(html: str) -> str | None:
    """The CSRF token a page carries, if any."""
    found = _TOKEN.search(html)
    return found.group(1) if found else None


class PageClient(TestClient):
    """A test client that posts forms the way the pages do, CSRF token included."""

    def __init__(self, app: FastAPI, **kwargs: Any) -> None:
        kwargs.setdefault("raise_server_exceptions", False)
        kwargs.setdefault("follow_redirects", False)
        # The app answers only to this computer's names (web/hosts.py), not "testserver".
        kwargs.setdefault("base_url", "http://127.0.0.1")
        super().__init__(app, **kwargs)
        self.token: str | None = None

    def page(self, url: str, **kwargs: Any) -> Response:
        """GET *url*, remembering the CSRF token of the page."""
        response = self.get(url, **kwargs)
        token = csrf_token_in(response.text)
        if token:
            self.token = token
        return response

    def ensure_token(self) -> str:
        if self.token is None:
            self.page("/packs")
        assert self.token is not None, "no page carried a CSRF token"
        return self.token

    def submit(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Response:
        """POST a form to *url* with the page's CSRF token in its hidden field."""
        form = dict(data or {})
        form.setdefault("csrf_token", self.ensure_token())
        return self.post(url, data=form, **kwargs)

    def htmx(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Response:
        """POST as HTMX and the page script do: token in the header."""
        headers = {"X-CSRF-Token": self.ensure_token(), "HX-Request": "true"}
        headers.update(kwargs.pop("headers", {}) or {})
        return self.post(url, data=data or {}, headers=headers, **kwargs)


def seed_attempt(
    db: Database,
    pack: Pack,
    round_id: str,
    answer: str,
    *,
    score: float,
    criterion_scores: dict[str, int] | None = None,
    evidence: dict[str, list[str]] | None = None,
    blind_spots: list[tuple[str, str]] | None = None,
    loop_id: str | None = None,
    started_at: datetime | None = None,
    active_s: float = 600.0,
) -> str:
    """Store a finished, graded attempt without running a grader; return its session id.

    The grade is a real :class:`GradeResult` built from the pack's rubric: each criterion
    gets its score from *criterion_scores* (default: ``score`` scaled to 0-4) and its
    quotes from *evidence*; *blind_spots* are ``(id, quoted words)`` pairs. Each quote gets
    its offsets in *answer* where it is there word for word, as the grading pipeline gives.
    """
    rnd = pack.round(round_id)
    prompt = rnd.prompts[0]
    default = max(0, min(4, round(score / 25)))
    criteria = [
        CriterionScore(
            id=c.id,
            name=c.name,
            score=(criterion_scores or {}).get(c.id, default),
            weight=c.weight,
            evidence=list((evidence or {}).get(c.id, [])),
            evidence_spans=[place(answer, q) for q in (evidence or {}).get(c.id, [])],
            advice=c.advice,
        )
        for c in rnd.rubric.criteria
    ]
    spots_by_id = {b.id: b for b in pack.blind_spots}
    hits = [
        BlindSpotHit(
            id=spot_id,
            name=spots_by_id[spot_id].name if spot_id in spots_by_id else spot_id,
            evidence=quote,
            better=spots_by_id[spot_id].better if spot_id in spots_by_id else "",
            start=span[0] if (span := place(answer, quote)) else None,
            end=span[1] if span else None,
        )
        for spot_id, quote in (blind_spots or [])
    ]
    result = GradeResult(
        round=round_id,
        question=prompt.id,
        score=score,
        criteria=criteria,
        blind_spots=hits,
        grader="seed 1",
    )
    return record_attempt(
        db,
        pack,
        rnd,
        prompt,
        answer,
        result,
        loop_id=loop_id,
        active_s=active_s,
        started_at=started_at,
    )
