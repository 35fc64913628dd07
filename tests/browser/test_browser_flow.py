"""Browser: a whole mock loop as a candidate does it, in Debian's Chromium.

Open the dashboard, start a product-sense round, type, reload and restart the server
mid-answer and find the text, fail a hand-in while the server is down and keep the
text, hand in, read the report with its evidence marked; play the stakeholder role-play
to a decision; run the hiring-committee debrief.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from loopready.packs import get_pack
from loopready.store import list_loops
from loopready.web.testing import local_grader_problem, seed_attempt

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

ANSWER = (
    "I would scope the first version to lapsed players who have not bought a game in ninety "
    "days. My primary metric is the share of store visits that end in a purchase within "
    "seven days, with page latency as a guardrail."
)
MORE = (
    " I would start with a two-week internal dogfood, then an A/B test on five percent of "
    "users in one region, and stop the rollout if refunds rise."
)


@pytest.fixture
def grader() -> None:
    """The local grader's model files ship with the package: fail clearly if they don't."""
    problem = local_grader_problem()
    if problem is not None:
        pytest.fail(problem, pytrace=False)


def _start_round(page: Any, round_id: str) -> None:
    page.goto("/practice")
    page.locator(f"#round-{round_id} form button[type=submit]").click()
    page.wait_for_url("**/mock/**")


def _saved(page: Any) -> None:
    page.locator(".save-state.saved").wait_for(timeout=10_000)


def test_product_sense_round_from_dashboard_to_report(
    grader: None, page: Any, server: Any, shot: Any
) -> None:
    page.goto("/")
    shot(page, "dashboard-first-visit")
    _start_round(page, "product_sense")
    editor = page.locator("textarea")
    assert editor.evaluate("el => el === document.activeElement")  # ready to type

    # Autosave follows typing by well under 2 s.
    saves: list[float] = []
    page.on("request", lambda r: saves.append(time.monotonic()) if "autosave" in r.url else None)
    editor.press_sequentially(ANSWER[:60], delay=5)
    typed_at = time.monotonic()
    editor.fill(ANSWER)
    typed_at = time.monotonic()
    _saved(page)
    assert saves and saves[-1] - typed_at < 2.0, "the autosave came more than 2 s after typing"
    assert "Saved" in page.locator(".save-state").inner_text()
    shot(page, "answer-typed")

    # A reload shows the text as last saved (from the server, not this browser's copy).
    page.evaluate("localStorage.clear()")
    page.reload()
    assert page.locator("textarea").input_value() == ANSWER

    # So does a restarted server.
    server.restart()
    page.reload()
    assert page.locator("textarea").input_value() == ANSWER

    # The server goes down: the hand-in fails, says so, and the text stays.
    page.locator("textarea").fill(ANSWER + MORE)
    server.stop()
    page.get_by_role("button", name="Hand in this answer").click()
    failed = page.locator(".save-state.failed")
    failed.wait_for(timeout=10_000)
    assert "Could not reach loopready" in failed.inner_text()
    assert page.locator("textarea").input_value() == ANSWER + MORE
    assert page.locator("#toast").is_visible()
    shot(page, "hand-in-failed-server-down")

    # Back up: the same button works, and the text was not lost.
    server.start()
    page.get_by_role("button", name="Hand in this answer").click()
    expect(page.locator(".editor h2")).not_to_have_text("Your answer", timeout=60_000)
    assert (ANSWER + MORE)[:50] in page.locator("#interview").inner_text()
    shot(page, "follow-up")

    # Ending early asks first: dismissing keeps the mock going, accepting ends it.
    asked: list[str] = []

    def answer(dialog: Any, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="End the mock now and see my report").click()
    assert page.locator("textarea").is_visible() and "/mock/" in page.url
    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="End the mock now and see my report").click()
    page.wait_for_url("**/reports/**", timeout=60_000)
    assert len(asked) == 2 and "End the mock now?" in asked[0]
    marks = page.locator(".answer-text mark")
    assert marks.count() > 0, "no evidence was marked in the answer"
    assert page.get_by_role("heading", name="What the interviewer scores").is_visible()
    shot(page, "report")
    # A quote's link jumps to its words in the answer.
    link = page.get_by_role("link", name="see it in your answer").first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("location.hash") == target
    assert page.js_errors == []


def test_stakeholder_role_play_to_a_decision(grader: None, page: Any, shot: Any) -> None:
    _start_round(page, "stakeholder_simulation")
    chat = page.locator("ol.chat")
    pack = get_pack()
    prompt_text = page.locator(".brief").inner_text()
    prompt = next(
        p for p in pack.round("stakeholder_simulation").prompts if p.question[:60] in prompt_text
    )
    for persona_id in prompt.panel:
        assert pack.persona(persona_id).name in chat.inner_text()
    shot(page, "role-play-opening")

    before = chat.locator("li").count()
    box = page.get_by_label("Your reply to the panel")
    box.fill("We launch the new model to everyone next week.")
    page.get_by_role("button", name="Send").click()
    expect(chat).to_contain_text("We launch the new model to everyone next week.")
    assert chat.locator("li").count() > before + 1  # the panel answered
    shot(page, "role-play-pushback")

    page.get_by_label("Your reply to the panel").fill(
        "Latency stays under 150 ms with a fallback; legal reviews consent before launch."
    )
    page.get_by_label("Your reply to the panel").press("Control+Enter")
    expect(chat).to_contain_text("legal reviews consent")

    page.get_by_role("button", name="I am ready to give my decision").click()
    decision = page.get_by_label("Your decision: what ships, to whom, when, and who does what next")
    decision.wait_for()
    decision.fill(
        "We ship to 5% of users in one region on 15 November with the fallback on; legal "
        "signs off consent first, research gets the next version slot in spring, and "
        "engineering owns latency. We review the numbers together on 1 December."
    )
    shot(page, "role-play-decision")
    page.get_by_role("button", name="Give my decision").click()
    page.wait_for_url("**/reports/**", timeout=60_000)
    assert page.get_by_role("heading", name="How the panel took it").is_visible()
    shot(page, "role-play-report")
    assert page.js_errors == []


def test_debrief_of_the_loop(page: Any, server: Any, shot: Any, phone_page: Any) -> None:
    page.goto("/")
    page.get_by_role("button", name="Start preparing").click()
    page.wait_for_url("**/loop")
    db = server.db
    with db.read_session() as s:
        loop_id = list_loops(s, db.user_id)[0].id
    pack = get_pack()
    story = "At Spotify I led a team of {n} engineers and we lifted retention by 12% in 2023."
    scores = {
        "recruiter_screen": 68,
        "product_sense": 61,
        "technical_depth": 49,
        "stakeholder_simulation": 57,
        "hiring_committee": 63,
    }
    for i, (round_id, score) in enumerate(scores.items()):
        for attempt in range(3):
            seed_attempt(
                db,
                pack,
                round_id,
                story.format(n=8 if i < 4 else 20),
                score=score - 12 + attempt * 6,
                loop_id=loop_id,
            )
    page.goto("/")
    assert page.locator("svg.chart polyline").count() == 5
    shot(page, "dashboard-with-scores")
    phone_page.goto("/")
    shot(phone_page, "dashboard-phone")

    page.goto("/debrief")
    page.get_by_role("button", name="Run the debrief").click()
    page.wait_for_url("**/debrief/**", timeout=60_000)
    decision = page.locator("#decision-h")
    assert decision.inner_text() in {"Strong hire", "Hire", "Lean no hire", "No hire"}
    pair = page.locator(".side-by-side").first
    assert "team of 8 engineers" in pair.inner_text()
    assert "team of 20 engineers" in pair.inner_text()
    shot(page, "debrief")
    assert page.js_errors == []


def test_a_persona_moves_from_open_to_satisfied(grader: None, page: Any, shot: Any) -> None:
    """The PlayStation Store case: Aiko's badge reads "not yet" until a concrete commitment
    settles her consent concern, then "on board", with the concern marked settled."""
    page.goto("/practice")
    with page.expect_navigation():
        page.evaluate(
            """() => {
                const form = document.querySelector('#round-stakeholder_simulation form');
                const field = document.createElement('input');
                field.type = 'hidden'; field.name = 'prompt_id';
                field.value = 'ss_psn_launch_conflict';
                form.appendChild(field);
                form.requestSubmit();
            }"""
        )
    aiko = page.locator('li[data-persona="legal_counsel"]')
    expect(aiko).to_have_attribute("data-state", "open")
    expect(aiko.locator(".badge")).to_have_text("not yet")
    page.get_by_label("Your reply to the panel").fill(
        "Latency ms fallback kill switch consent privacy review legal."
    )
    page.get_by_role("button", name="Send").click()
    expect(page.locator("ol.chat")).to_contain_text("Latency ms fallback")
    expect(aiko).to_have_attribute("data-state", "open")  # a list of terms settles nothing
    page.get_by_label("Your reply to the panel").fill(
        "Legal starts the privacy review this week, and nothing goes public until it is done."
    )
    page.get_by_role("button", name="Send").click()
    expect(aiko).to_have_attribute("data-state", "satisfied", timeout=30_000)
    expect(aiko.locator(".badge")).to_have_text("on board")
    expect(aiko.locator('[data-concern-state="addressed"]').first).to_contain_text("settled")
    expect(page.locator("ol.chat")).to_contain_text("That I can sign off on")
    shot(page, "role-play-persona-satisfied")
    assert page.js_errors == []
