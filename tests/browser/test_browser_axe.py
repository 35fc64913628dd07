"""Accessibility: axe-core on every page, with data on it (issue 12).

axe-core ships inside ``axe-playwright-python`` (no network). Each page is loaded in
Chromium with a loop, graded attempts, a story, an offer, a plan and a brief in the
database, so tables, charts and forms are all present, and must have no violation of
serious or critical impact. A failure lists each rule, its help text and the elements.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

BLOCKING = ("serious", "critical")


def _seed(server: Any, page: Any) -> dict[str, str]:
    """Data on every page; returns ids for the pages that need one."""
    from loopready.interview.loops import new_loop
    from loopready.packs import get_pack
    from loopready.prep.stories import create_story
    from loopready.web.testing import seed_attempt

    db = server.db
    pack = get_pack()
    new_loop(db, pack, title="Sony loop")
    report = seed_attempt(
        db,
        pack,
        "product_sense",
        "I would launch to lapsed players first. We ship to 5% of users in one region.",
        score=62,
        evidence={"rollout_plan": ["We ship to 5% of users in one region."]},
    )
    seed_attempt(db, pack, "product_sense", "A second try with a metric.", score=70)
    story = create_story(
        db,
        title="Shipped the recommender",
        situation="Sessions fell.",
        action="I ran an A/B test.",
        result="Sessions rose 9%.",
        pack=pack,
    )
    page.goto("/offers")
    page.get_by_label("Base salary").first.fill("170000")
    first = (date.today() + timedelta(days=20)).isoformat()
    page.goto("/plan")
    page.locator("input[name=first_round]").fill(first)
    page.locator("form[action='/plan'] [type=submit]").first.click()
    page.wait_for_load_state()
    page.goto("/brief")
    page.locator("form[action='/brief/example'] [type=submit]").first.click()
    page.wait_for_load_state()
    brief = page.url.rstrip("/").split("/")[-1]
    page.goto("/practice")
    page.locator("form[action='/mock/start'] [type=submit]").first.click()
    page.wait_for_url("**/mock/*")
    room = page.url.split("/mock/")[1].split("?")[0]
    return {"report": report, "story": story.id, "brief": brief, "room": room}


def _violations(page: Any, path: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    response = page.goto(path)
    assert response is not None and response.status < 400, f"{path}: {response and response.status}"
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            found.append(
                f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} "
                f"-> {targets}"
            )
    return found


def test_no_serious_accessibility_violations_on_any_page(server: Any, page: Any) -> None:
    ids = _seed(server, page)
    pack = "sony-ai-pm-2026"
    paths = [
        "/",
        "/loop",
        "/practice",
        f"/mock/{ids['room']}",
        "/reports",
        f"/reports/{ids['report']}",
        "/debrief",
        "/packs",
        f"/packs/{pack}",
        "/settings",
        "/plan",
        "/research",
        "/stories",
        f"/stories/{ids['story']}",
        "/drills",
        "/brief",
        f"/brief/{ids['brief']}",
        "/offers",
        "/offers?example=1",
        "/offers/negotiate",
        "/nothing-here",
    ]
    problems: list[str] = []
    for path in paths:
        if path == "/nothing-here":  # the error page
            page.goto(path)
            from axe_playwright_python.sync_playwright import Axe

            problems += [
                f"{path}: {v['id']} ({v['impact']}): {v['help']}"
                for v in Axe().run(page).response["violations"]
                if v.get("impact") in BLOCKING
            ]
            continue
        problems += _violations(page, path)
    assert problems == [], "\n".join(problems)
