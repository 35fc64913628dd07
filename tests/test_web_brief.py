"""Web: the one-page brief editor (live preview, lint panel, autosave, downloads)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
import yaml

from loopready.briefs import load_brief
from loopready.briefs.bundled import example_path
from loopready.briefs.form import flatten, to_form_location
from loopready.briefs.markdown import parse_markdown
from loopready.store import Brief as BriefRow
from loopready.store import Database, open_db
from loopready.web import create_app
from loopready.web.testing import PageClient

_FIELD = re.compile(r'name="([a-z_.0-9]+)" value="([^"]*)"')
_AREA = re.compile(r'<textarea id="[^"]+" name="([a-z_.0-9]+)"[^>]*>(.*?)</textarea>', re.S)


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def _example(client: PageClient) -> str:
    done = client.submit("/brief/example")
    assert done.status_code == 303
    match = re.match(r"^/brief/([0-9a-f-]+)\?done=example$", done.headers["location"])
    assert match, done.headers["location"]
    return match.group(1)


def _form(html: str) -> dict[str, str]:
    """The editor's fields as the browser would post them."""
    fields = {k: unescape(v) for k, v in _FIELD.findall(html)}
    fields.update({k: unescape(v) for k, v in _AREA.findall(html)})
    pack = re.search(r'<option value="([^"]*)" selected>', html)
    fields["pack"] = pack.group(1) if pack else ""
    fields.pop("csrf_token", None)
    fields.pop("add", None)  # the "add a row" buttons
    return fields


def _stored(db: Database, brief_id: str) -> dict[str, str]:
    with db.read_session() as s:
        row = s.get(BriefRow, brief_id)
        assert row is not None
        form: dict[str, str] = row.data["form"]
        return form


def test_start_page_then_a_blank_brief(client: PageClient, db: Database) -> None:
    page = client.page("/brief")
    assert page.status_code == 200
    assert 'action="/brief/new"' in page.text and 'action="/brief/example"' in page.text
    done = client.submit("/brief/new")
    assert done.status_code == 303
    editor = client.page(done.headers["location"])
    assert editor.status_code == 200
    assert 'hx-trigger="input changed delay:500ms"' in editor.text
    assert re.search(r'hx-post="/brief/[0-9a-f-]+/preview"', editor.text)
    assert 'hx-target="#brief-live"' in editor.text
    assert "to fix before it can be checked" in editor.text  # the title is still empty
    # With a brief saved, /brief opens the newest one.
    again = client.get("/brief")
    assert again.status_code == 303 and again.headers["location"].startswith("/brief/")


def test_the_example_loads_clean_with_its_preview(client: PageClient, db: Database) -> None:
    brief_id = _example(client)
    page = client.page(f"/brief/{brief_id}?done=example")
    assert "The example is loaded as a brief of your own" in page.text
    assert "Nothing to fix" in page.text
    assert '<article class="lr-brief">' in page.text
    assert "Keeper Picks: the camera chooses your best shot" in page.text
    example = load_brief(example_path("sony-ai-pm-2026")).brief
    assert _stored(db, brief_id) == flatten(example)


def test_preview_saves_and_returns_preview_lint_and_field_findings(
    client: PageClient, db: Database
) -> None:
    brief_id = _example(client)
    fields = _form(client.page(f"/brief/{brief_id}").text)
    fields["hypothesis.why_now"] = ""
    fields["title"] = "Keeper Picks v2"
    live = client.htmx(f"/brief/{brief_id}/preview", fields)
    assert live.status_code == 200
    assert live.text.lstrip().startswith('<div id="brief-live"')
    assert "Keeper Picks v2" in live.text  # the preview follows the form
    assert '<span class="badge badge-bad">1 error</span>' in live.text
    assert 'href="#f-hypothesis-why_now">Market hypothesis: Why now</a>' in live.text
    slot = re.search(
        r'<div id="m-hypothesis-why_now" class="field-msgs" data-msg-for="f-hypothesis-why_now" '
        r'hx-swap-oob="true">(.*?)</div>',
        live.text,
        re.S,
    )
    assert slot and "missing why now" in slot.group(1)
    assert re.search(
        r'<span id="brief-saved"[^>]*hx-swap-oob="true">Saved \d\d:\d\d:\d\d', live.text
    )
    stored = _stored(db, brief_id)
    assert stored["title"] == "Keeper Picks v2" and stored["hypothesis.why_now"] == ""
    with db.read_session() as s:
        row = s.get(BriefRow, brief_id)
        assert row is not None and row.title == "Keeper Picks v2"


def test_an_unreadable_field_is_reported_next_to_it_and_nothing_is_lost(
    client: PageClient, db: Database
) -> None:
    brief_id = _example(client)
    fields = _form(client.page(f"/brief/{brief_id}").text)
    fields["rollout.1.start"] = "early July"
    live = client.htmx(f"/brief/{brief_id}/preview", fields)
    assert "1 field to fix before it can be checked" in live.text
    assert "write the date as YYYY-MM-DD" in live.text
    assert 'href="#f-rollout-1-start">Phase 2: Starts</a>' in live.text
    assert '<article class="lr-brief">' not in live.text
    assert _stored(db, brief_id)["rollout.1.start"] == "early July"
    page = client.page(f"/brief/{brief_id}")
    assert 'value="early July"' in page.text  # the draft comes back as typed
    md = client.get(f"/brief/{brief_id}/brief.md")
    assert md.status_code == 400
    assert "cannot be exported until these are fixed" in md.text


def test_findings_point_at_the_forms_own_rows(client: PageClient) -> None:
    # A blank row before a filled one: the brief's rollout.0 is the form's rollout.1.
    fields = {"rollout.0.name": "", "rollout.1.name": "Beta", "rollout.1.share": "5"}
    assert to_form_location("rollout.0.start", fields) == "rollout.1.start"
    assert to_form_location("rollout.0", fields) == "rollout.1"
    assert to_form_location("hypothesis.who", fields) == "hypothesis.who"
    done = client.submit("/brief/new")
    brief_id = done.headers["location"].split("/")[-1]
    live = client.htmx(f"/brief/{brief_id}/preview", {"title": "X", **fields})
    assert 'href="#f-rollout-1-start">Phase 2: Starts</a>' in live.text


def test_saving_without_javascript_and_adding_rows(client: PageClient, db: Database) -> None:
    brief_id = _example(client)
    page = client.page(f"/brief/{brief_id}")
    rows = len(set(re.findall(r'name="rollout\.(\d+)\.name"', page.text)))
    fields = {**_form(page.text), "add": "rollout"}
    done = client.submit(f"/brief/{brief_id}", fields)
    assert done.status_code == 303
    assert done.headers["location"] == f"/brief/{brief_id}?add=rollout#m-rollout"
    more = client.page(done.headers["location"].split("#")[0])
    assert len(set(re.findall(r'name="rollout\.(\d+)\.name"', more.text))) == rows + 1
    saved = client.submit(f"/brief/{brief_id}", {**_form(page.text), "note": "Draft 2"})
    assert saved.headers["location"] == f"/brief/{brief_id}?done=saved"
    assert _stored(db, brief_id)["note"] == "Draft 2"


def test_downloads(client: PageClient) -> None:
    brief_id = _example(client)
    example = load_brief(example_path("sony-ai-pm-2026")).brief
    md = client.get(f"/brief/{brief_id}/brief.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert (
        'filename="keeper-picks-the-camera-chooses-your-best-shot.md"'
        in md.headers["content-disposition"]
    )
    assert parse_markdown(md.text, "web.md") == example
    pdf = client.get(f"/brief/{brief_id}/brief.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    a4 = client.get(f"/brief/{brief_id}/brief.pdf?paper=a4")
    assert a4.status_code == 200 and a4.content != pdf.content
    assert client.get(f"/brief/{brief_id}/brief.pdf?paper=legal").status_code == 400
    data = yaml.safe_load(client.get(f"/brief/{brief_id}/brief.yaml").text)
    assert data["title"] == example.title


def test_a_brief_too_long_for_a_page_says_what_to_cut(client: PageClient, db: Database) -> None:
    brief_id = _example(client)
    fields = _form(client.page(f"/brief/{brief_id}").text)
    long_risk = "The model hides a photo the owner wanted, and nobody notices for weeks. " * 12
    for i in range(6):
        fields[f"risks.{i}.risk"] = long_risk
        fields[f"risks.{i}.mitigation"] = long_risk
    live = client.htmx(f"/brief/{brief_id}/preview", fields)
    assert "The brief runs" in live.text and "cut about" in live.text
    pdf = client.get(f"/brief/{brief_id}/brief.pdf")
    assert pdf.status_code == 400 and "cut about" in pdf.text


def test_user_text_is_escaped_in_the_editor_and_the_preview(
    client: PageClient, db: Database
) -> None:
    done = client.submit("/brief/new")
    brief_id = done.headers["location"].split("/")[-1]
    evil = '<script>alert("x")</script>'
    live = client.htmx(f"/brief/{brief_id}/preview", {"title": evil, "summary": evil})
    assert "<script>alert" not in live.text
    page = client.page(f"/brief/{brief_id}")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text


def test_delete_and_csrf(client: PageClient, db: Database) -> None:
    brief_id = _example(client)
    refused = client.post(f"/brief/{brief_id}/preview", data={"title": "Hijacked"})
    assert refused.status_code == 403
    assert _stored(db, brief_id)["title"] != "Hijacked"
    gone = client.submit(f"/brief/{brief_id}/delete", {})
    assert gone.status_code == 303
    assert client.page(f"/brief/{brief_id}").status_code == 404
    assert client.htmx(f"/brief/{brief_id}/preview", {"title": "x"}).status_code == 404
