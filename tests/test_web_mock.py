"""Web: the mock room (autosave, resume, follow-ups, the stakeholder role-play)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from loopready.interview import sessions
from loopready.packs import get_pack
from loopready.store import Database, open_db
from loopready.web import create_app
from loopready.web.testing import PageClient, local_grader_problem

ANSWER = (
    "I would scope the first version to lapsed players who have not bought a game in ninety "
    "days. My primary metric is the share of store visits that end in a purchase within seven "
    "days, with latency as a guardrail. I would start with a two-week internal dogfood, then "
    "an A/B test on five percent of users in one region, and stop if refunds rise."
)


@pytest.fixture
def grader() -> None:
    """The local grader's model files ship with the package: fail clearly if they don't."""
    problem = local_grader_problem()
    if problem is not None:
        pytest.fail(problem, pytrace=False)


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def _start(client: PageClient, round_id: str, **form: str) -> str:
    started = client.submit("/mock/start", {"round_id": round_id, **form})
    assert started.status_code == 303, started.text
    location = started.headers["location"]
    assert location.startswith("/mock/")
    return location.split("/")[2].split("?")[0]


def _seq(html: str) -> str:
    found = re.search(r'name="seq" value="(\d+)"', html)
    assert found is not None, "the page has no editor"
    return found.group(1)


def test_practice_page_lists_rounds_and_their_questions(client: PageClient) -> None:
    page = client.page("/practice?round=product_sense")
    assert page.status_code == 200
    pack = get_pack()
    for rnd in pack.all_rounds():
        assert f'id="round-{rnd.id}"' in page.text
    assert "Rounds of the loop" in page.text and "Practice outside the loop" in page.text
    assert 'class="card chosen" id="round-product_sense"' in page.text
    assert pack.round("product_sense").prompts[1].question.split(",")[0] in page.text


def test_the_room_has_the_brief_the_clock_and_an_editor(client: PageClient) -> None:
    prompt = get_pack().round("product_sense").prompts[1]
    sid = _start(client, "product_sense", prompt_id=prompt.id)
    page = client.page(f"/mock/{sid}")
    assert page.status_code == 200
    assert "The brief" in page.text
    assert prompt.question.split(",")[0] in page.text
    assert 'data-limit="2700"' in page.text
    assert ">45:00</span>" in page.text
    assert f'data-autosave="/mock/{sid}/autosave"' in page.text
    assert 'aria-live="polite"' in page.text


def test_autosave_then_reload_shows_the_text_and_the_clock_resumes(
    client: PageClient, db: Database
) -> None:
    sid = _start(client, "product_sense")
    saved = client.htmx(
        f"/mock/{sid}/autosave", {"seq": "0", "text": "Half an answer", "active_s": "600"}
    )
    assert saved.status_code == 200
    assert re.fullmatch(r"Saved \d\d:\d\d:\d\d", saved.text.strip())
    # A new server process (a restart) shows the text as last saved.
    with PageClient(create_app(db)) as restarted:
        page = restarted.page(f"/mock/{sid}")
    assert "\nHalf an answer</textarea>" in page.text
    assert ">35:00</span>" in page.text  # 45 minutes less the 10 used
    assert sessions.load(db, sid).current.text == "Half an answer"  # type: ignore[union-attr]


def test_typed_markup_comes_back_as_text(client: PageClient) -> None:
    sid = _start(client, "recruiter_screen")
    client.htmx(f"/mock/{sid}/autosave", {"seq": "0", "text": "<script>alert(1)</script>"})
    page = client.page(f"/mock/{sid}")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in page.text


def test_autosave_needs_the_csrf_header(client: PageClient) -> None:
    sid = _start(client, "recruiter_screen")
    refused = client.post(f"/mock/{sid}/autosave", data={"seq": "0", "text": "x"})
    assert refused.status_code == 403


def test_a_turn_already_handed_in_is_not_overwritten(client: PageClient) -> None:
    sid = _start(client, "recruiter_screen")
    stale = client.htmx(f"/mock/{sid}/autosave", {"seq": "7", "text": "from another tab"})
    assert stale.status_code == 409
    assert "already handed in" in stale.text
    assert stale.text.lstrip().startswith('<div class="notice notice-error"')


def test_an_overlong_answer_is_refused_with_advice(client: PageClient) -> None:
    sid = _start(client, "recruiter_screen")
    too_long = client.htmx(f"/mock/{sid}/autosave", {"seq": "0", "text": "word " * 20_000})
    assert too_long.status_code in (400, 413)
    assert "Shorten it" in too_long.text or "larger than this page accepts" in too_long.text


def test_starting_again_resumes_unless_asked_for_a_fresh_one(
    client: PageClient, db: Database
) -> None:
    sid = _start(client, "technical_depth")
    again = client.submit("/mock/start", {"round_id": "technical_depth"})
    assert again.headers["location"] == f"/mock/{sid}?resumed=1"
    assert "here it is, as you left it" in client.page(again.headers["location"]).text
    fresh = _start(client, "technical_depth", fresh="1")
    assert fresh != sid
    assert sessions.load(db, sid).status == "abandoned"


def test_set_aside_keeps_the_text(client: PageClient) -> None:
    sid = _start(client, "recruiter_screen")
    client.htmx(f"/mock/{sid}/autosave", {"seq": "0", "text": "Worth keeping"})
    gone = client.submit(f"/mock/{sid}/abandon")
    assert gone.headers["location"] == "/practice"
    page = client.page(f"/mock/{sid}")
    assert "was set aside" in page.text and "Worth keeping" in page.text
    late = client.htmx(f"/mock/{sid}/autosave", {"seq": "0", "text": "more"})
    assert late.status_code == 409


def test_unknown_round_and_session(client: PageClient) -> None:
    bad = client.submit("/mock/start", {"round_id": "nope"})
    assert bad.status_code == 400 and "valid rounds" in bad.text
    assert client.page("/mock/ffffffffffff").status_code == 404


@pytest.mark.slow
def test_answer_follow_ups_and_report(grader: None, client: PageClient) -> None:
    sid = _start(client, "product_sense")
    handed = client.submit(f"/mock/{sid}/submit", {"seq": "0", "text": ANSWER, "action": "next"})
    assert handed.status_code == 303 and handed.headers["location"] == f"/mock/{sid}"
    page = client.page(f"/mock/{sid}")
    assert "Follow-up 1 of" in page.text or "Closing" in page.text
    assert ANSWER[:40] in page.text  # the main answer stays readable above
    for _ in range(6):
        if page.status_code == 303:
            break
        seq = _seq(page.text)
        reply = "We decide by 1 March; engineering owns the rollout and marketing the launch."
        client.submit(f"/mock/{sid}/submit", {"seq": seq, "text": reply, "action": "next"})
        page = client.page(f"/mock/{sid}")
    assert page.status_code == 303 and page.headers["location"] == f"/reports/{sid}"
    report = client.page(f"/reports/{sid}")
    assert report.status_code == 200
    assert "<mark " in report.text
    assert "What the interviewer scores" in report.text


@pytest.mark.slow
def test_end_now_goes_straight_to_the_report(grader: None, client: PageClient) -> None:
    sid = _start(client, "recruiter_screen")
    done = client.submit(
        f"/mock/{sid}/submit",
        {"seq": "0", "text": "I shipped two AI products.", "action": "finish"},
    )
    assert done.headers["location"] == f"/reports/{sid}"
    assert client.page(f"/reports/{sid}").status_code == 200


@pytest.mark.slow
def test_stakeholder_role_play_to_a_decision(
    grader: None, client: PageClient, db: Database
) -> None:
    sid = _start(client, "stakeholder_simulation")
    page = client.page(f"/mock/{sid}")
    pack = get_pack()
    panel = pack.round("stakeholder_simulation").prompts[0].panel
    for persona_id in panel:
        assert pack.persona(persona_id).name in page.text
    assert 'hx-post="/mock/' in page.text
    reply = client.htmx(
        f"/mock/{sid}/submit",
        {"seq": _seq(page.text), "text": "We launch to everyone next week.", "action": "send"},
    )
    assert reply.status_code == 200
    assert reply.text.lstrip().startswith('<div id="roleplay">')
    assert "We launch to everyone next week." in reply.text
    assert reply.text.count('class="bubble them"') > len(panel)  # someone pushed back
    ready = client.htmx(
        f"/mock/{sid}/submit", {"seq": _seq(reply.text), "text": "", "action": "decide"}
    )
    assert "Your decision" in ready.text
    decision = (
        "We ship to 5% of users in one region on 15 November with a fallback; legal reviews "
        "consent first, research gets the next version slot in spring, engineering owns latency."
    )
    final = client.htmx(
        f"/mock/{sid}/submit", {"seq": _seq(ready.text), "text": decision, "action": "send"}
    )
    assert final.status_code == 204
    assert final.headers["HX-Redirect"] == f"/reports/{sid}"
    report = client.page(f"/reports/{sid}")
    assert "How the panel took it" in report.text
    assert sessions.load(db, sid).status == "completed"


@pytest.mark.slow
def test_role_play_works_without_javascript(client: PageClient) -> None:
    sid = _start(client, "stakeholder_simulation")
    page = client.page(f"/mock/{sid}")
    sent = client.submit(
        f"/mock/{sid}/submit",
        {"seq": _seq(page.text), "text": "Latency stays under 150 ms.", "action": "send"},
    )
    assert sent.status_code == 303 and sent.headers["location"] == f"/mock/{sid}"
    assert "Latency stays under 150 ms." in client.page(f"/mock/{sid}").text


def test_the_page_script_gets_where_to_go_not_a_second_page(client: PageClient) -> None:
    sid = _start(client, "stakeholder_simulation")
    page = client.page(f"/mock/{sid}")
    headers = {"X-Requested-With": "fetch", "X-CSRF-Token": client.ensure_token()}
    moved = client.post(
        f"/mock/{sid}/submit",
        data={"seq": _seq(page.text), "text": "", "action": "decide"},
        headers=headers,
    )
    assert moved.status_code == 204
    assert moved.headers["X-Redirect"] == f"/mock/{sid}"
    stale = client.post(
        f"/mock/{sid}/submit", data={"seq": "0", "text": "x", "action": "next"}, headers=headers
    )
    assert stale.status_code == 409
    assert stale.text.lstrip().startswith('<div class="notice notice-error"')  # a message


def _revision(html: str) -> str:
    found = re.search(r'data-revision="(\d+)"', html)
    assert found is not None, "the editor carries no revision"
    return found.group(1)


def test_two_tabs_a_stale_save_is_refused_and_both_texts_kept(
    client: PageClient, db: Database
) -> None:
    sid = _start(client, "product_sense")
    page = client.page(f"/mock/{sid}")
    base = _revision(page.text)
    assert re.search(r'data-updated="\d{4}-\d\d-\d\dT[^"]+"', page.text)  # the server copy's time
    # Tab A and tab B opened the same turn at the same revision. A saves first.
    first = client.htmx(
        f"/mock/{sid}/autosave", {"seq": "0", "text": "Text typed in tab A", "revision": base}
    )
    assert first.status_code == 200
    newer = first.headers["x-revision"]
    assert int(newer) > int(base)
    # B's save is based on the old revision: refused, with A's text to show beside B's.
    second = client.htmx(
        f"/mock/{sid}/autosave", {"seq": "0", "text": "Text typed in tab B", "revision": base}
    )
    assert second.status_code == 409
    assert second.headers["x-conflict"] == "revision"
    assert second.headers["x-revision"] == newer
    assert "Text typed in tab A" in second.text
    assert sessions.load(db, sid).current.text == "Text typed in tab A"  # type: ignore[union-attr]
    # B chose to keep both, based on the revision it was shown: that save goes through.
    merged = client.htmx(
        f"/mock/{sid}/autosave",
        {"seq": "0", "text": "Text typed in tab B\n\nText typed in tab A", "revision": newer},
    )
    assert merged.status_code == 200
    assert sessions.load(db, sid).current.text.startswith("Text typed in tab B")  # type: ignore[union-attr]
    assert _revision(client.page(f"/mock/{sid}").text) == merged.headers["x-revision"]


def test_a_stale_tab_cannot_hand_in_over_newer_text(client: PageClient, db: Database) -> None:
    sid = _start(client, "product_sense")
    base = _revision(client.page(f"/mock/{sid}").text)
    newer = client.htmx(
        f"/mock/{sid}/autosave", {"seq": "0", "text": "The newer text", "revision": base}
    )
    assert newer.status_code == 200
    stale = client.submit(f"/mock/{sid}/submit", {"seq": "0", "text": "Old text", "revision": base})
    assert stale.status_code == 409
    assert "changed elsewhere" in stale.text
    view = sessions.load(db, sid)
    assert view.current is not None and view.current.seq == 0
    assert view.current.text == "The newer text"


def test_the_same_words_saved_elsewhere_are_no_conflict(client: PageClient, db: Database) -> None:
    # A transcript is saved as the turn's text by the server while the page appends the same
    # words and autosaves from the older revision: nothing differs, so nothing is refused.
    sid = _start(client, "product_sense")
    base = _revision(client.page(f"/mock/{sid}").text)
    words = "Notes first.\n\nMy main metric is store visits ending in a purchase."
    server_side = client.htmx(
        f"/mock/{sid}/autosave", {"seq": "0", "text": words, "revision": base}
    )
    assert server_side.status_code == 200
    same = client.htmx(f"/mock/{sid}/autosave", {"seq": "0", "text": words, "revision": base})
    assert same.status_code == 200
    assert same.headers["x-revision"] == server_side.headers["x-revision"]
    handed = client.submit(f"/mock/{sid}/submit", {"seq": "0", "text": words, "revision": base})
    assert handed.status_code in (200, 303)
    view = sessions.load(db, sid)
    assert view.turns[0].text == words
