"""Browser: the brief editor's live preview and lint panel follow the typing.

Load the Sony example, break it and fix it field by field, and watch the coach's notes,
the note under the field and the preview change half a second after each pause; reload
and find every change saved; read it on a phone.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def _open_example(page: Any) -> None:
    page.goto("/brief")
    page.get_by_role("button", name="Load the Sony AI example").click()
    page.wait_for_url(re.compile(r"/brief/[0-9a-f-]+\?done=example"))


def test_preview_and_lint_follow_the_typing(page: Any, shot: Any) -> None:
    _open_example(page)
    tally = page.locator(".lint-tally")
    assert "Nothing to fix" in tally.inner_text()
    assert page.locator("#brief-preview h1").inner_text().startswith("Keeper Picks")
    shot(page, "brief-example")

    why_now = page.get_by_label("Why now")
    previews: list[str] = []
    page.on("request", lambda r: previews.append(r.url) if r.url.endswith("/preview") else None)
    why_now.fill("")
    tally.get_by_text("1 error").wait_for(timeout=10_000)
    note = page.locator("#m-hypothesis-why_now")
    assert "missing why now" in note.inner_text()
    assert why_now.get_attribute("aria-invalid") == "true"
    link = page.locator(".findings a", has_text="Market hypothesis: Why now")
    assert link.get_attribute("href") == "#f-hypothesis-why_now"
    shot(page, "brief-why-now-missing")

    # Typing a few words sends one preview after the pause, not one per key.
    sent = len(previews)
    why_now.press_sequentially("On-device scoring now takes under a second.", delay=15)
    tally.get_by_text("Nothing to fix").wait_for(timeout=10_000)
    assert len(previews) - sent <= 3, previews
    assert note.inner_text().strip() == ""
    assert why_now.get_attribute("aria-invalid") is None

    # The preview follows the title; the state line says it was saved.
    title = page.get_by_label("Title")
    title.fill("Keeper Picks for everyone")
    page.locator("#brief-preview h1", has_text="Keeper Picks for everyone").wait_for()
    assert re.match(r"Saved \d\d:\d\d:\d\d", page.locator("#brief-saved").inner_text())

    # A share that cannot be read: the preview waits, the field says why.
    share = page.locator("#f-rollout-0-share")
    kept = share.input_value()
    share.fill("a few")
    page.locator("#m-rollout-0-share", has_text="write the share as a percentage").wait_for()
    assert "to fix before it can be checked" in tally.inner_text()
    assert "The preview comes back" in page.locator("#brief-preview").inner_text()
    shot(page, "brief-unreadable-share")
    share.fill(kept)
    tally.get_by_text("Nothing to fix").wait_for(timeout=10_000)

    # Everything typed was saved as it went.
    page.reload()
    assert page.get_by_label("Title").input_value() == "Keeper Picks for everyone"
    assert page.get_by_label("Why now").input_value().startswith("On-device scoring")
    assert page.js_errors == []


def test_brief_editor_on_a_phone(phone_page: Any, shot: Any) -> None:
    tab = phone_page
    _open_example(tab)
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the editor scrolls sideways on a phone by {overflow}px"
    shot(tab, "phone-brief-editor", full_page=False)
    tab.get_by_label("Why now").fill("")
    tab.locator("#m-hypothesis-why_now", has_text="missing why now").wait_for(timeout=10_000)
    tab.get_by_label("Why now").scroll_into_view_if_needed()
    shot(tab, "phone-brief-field-note", full_page=False)
    tab.locator("#brief-preview").scroll_into_view_if_needed()
    shot(tab, "phone-brief-preview", full_page=False)
