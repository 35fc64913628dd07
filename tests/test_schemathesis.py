"""API fuzzing with schemathesis against the app's own OpenAPI schema (issue 12).

Every route is called with generated path, query and body values (forms and multipart
uploads as the schema describes them) and must never answer 5xx. Routes that read their
form by hand get a form body added to the schema here (their field names, plus any other
field), and path ids may be a real row's id, so the fuzzing reaches past the 404s.

Each request carries a valid CSRF cookie and token, like a page's own form. Speech
uploads (``/mock/{id}/audio``) are left out: each would start a transcription job. The
example count per route is small so the whole run stays well under two minutes.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from itsdangerous import URLSafeSerializer
from schemathesis.checks import not_a_server_error

from loopready.interview.loops import new_loop
from loopready.packs import get_pack
from loopready.store import open_db
from loopready.web import create_app
from loopready.web.csrf import _SALT, COOKIE, HEADER
from loopready.web.testing import seed_attempt

_SECRET = "schemathesis-" + "s" * 40
_COOKIE_VALUE = "c" * 32
_TOKEN = URLSafeSerializer(_SECRET, salt=_SALT).dumps(_COOKIE_VALUE)
_EXAMPLES = int(os.environ.get("LOOPREADY_FUZZ_EXAMPLES", "12"))

#: Fields of the routes that read their form themselves (the schema cannot know them).
_HAND_READ_FORMS: dict[tuple[str, str], list[str]] = {
    ("post", "/loop/{loop_id}/dates"): [
        "date_recruiter_screen",
        "time_recruiter_screen",
        "date_product_sense",
        "time_product_sense",
    ],
    ("post", "/stories"): ["title", "situation", "task", "action", "result", "competencies"],
    ("post", "/stories/{story_id}"): ["title", "situation", "task", "action", "result"],
    ("post", "/brief/{brief_id}"): ["title", "hypothesis.who", "kpis.primary.0.target"],
    ("post", "/brief/{brief_id}/preview"): ["title", "rollout.0.start", "decision_date"],
    ("post", "/offers/model"): ["name", "base", "currency", "equity_form", "sign_on"],
    ("post", "/offers/save"): ["name", "base", "currency", "vesting.years", "scenario"],
}


def _build() -> tuple[Any, dict[str, str]]:
    """The app on a fresh database with one row of each kind, and those rows' ids."""
    home = tempfile.mkdtemp(prefix="loopready-fuzz-")
    db = open_db(f"sqlite:///{home}/fuzz.db")
    pack = get_pack()
    loop = new_loop(db, pack, title="Fuzz loop")
    session_id = seed_attempt(db, pack, "product_sense", "We ship to 5% of users.", score=55)
    app = create_app(db, secret=_SECRET)
    ids = {"loop_id": loop.id, "session_id": session_id, "pack_id": pack.id}
    return app, ids


APP, IDS = _build()


def _schema_for_fuzzing() -> dict[str, Any]:
    raw = APP.openapi()
    for path, operations in raw["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                real = IDS.get(parameter["name"])
                if parameter.get("in") == "path" and real:
                    parameter["schema"] = {"anyOf": [{"enum": [real]}, {"type": "string"}]}
            fields = _HAND_READ_FORMS.get((method, path))
            if fields is not None and "requestBody" not in operation:
                operation["requestBody"] = {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {name: {"type": "string"} for name in fields},
                                "additionalProperties": {"type": "string"},
                            }
                        }
                    }
                }
    return raw


schema = schemathesis.openapi.from_dict(_schema_for_fuzzing())
schema.app = APP


@pytest.fixture(autouse=True)
def _keep_the_home(loopready_home: Any) -> None:
    """Backups and set-aside files go to the test's data folder (conftest sets it)."""


@schema.exclude(path_regex=r"^/mock/\{session_id\}/audio$", method="POST").parametrize()
@settings(
    max_examples=_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_route_answers_a_server_error(case: schemathesis.Case) -> None:
    headers = {HEADER: _TOKEN, "host": "127.0.0.1"}
    response = case.call(headers=headers, cookies={COOKIE: _COOKIE_VALUE})
    case.validate_response(response, checks=[not_a_server_error])


def test_the_fuzzing_requests_reach_the_routes() -> None:
    """The Host, CSRF cookie and token the fuzzing sends are accepted (or every answer
    would be a refusal, and the check above would pass without testing anything)."""
    headers = {HEADER: _TOKEN, "host": "127.0.0.1"}
    cookies = {COOKIE: _COOKIE_VALUE}
    page = schema["/"]["GET"].Case().call(headers=headers, cookies=cookies)
    assert page.status_code == 200
    form = schema["/mock/start"]["POST"].Case(
        body={"round_id": "product_sense", "loop_id": IDS["loop_id"]},
        media_type="application/x-www-form-urlencoded",
    )
    started = form.call(headers=headers, cookies=cookies, allow_redirects=False)
    assert started.status_code == 303, started.text[:300]
