"""Browser: two tabs writing one answer, and drafts this browser kept, never lose a word.

Two tabs of one browser type into the same turn: the second tab's save is refused (409)
and it shows both texts; the candidate keeps both. A draft left in this browser's storage
is restored only when it is newer than the server's copy, and dropped once the server has
it (as after a tab closed with a beacon save).
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from loopready.interview import sessions

from .conftest import LiveServer

pytestmark = pytest.mark.browser

TAB_A = "Tab A says: I would scope the first version to lapsed players."
TAB_B = "Tab B says: my primary metric is the purchase rate within seven days."


def _start(page: Any) -> str:
    page.goto("/practice")
    page.locator("#round-product_sense form button[type=submit]").click()
    page.wait_for_url("**/mock/**")
    return str(page.url)


def _server_text(server: LiveServer, url: str) -> str:
    view = sessions.load(server.db, url.rstrip("/").split("/")[-1].split("?")[0])
    assert view.current is not None
    return view.current.text.replace("\r\n", "\n")  # a form sends line ends as CRLF


def _wait_for_server_text(server: LiveServer, url: str, text: str) -> None:
    deadline = time.monotonic() + 10
    while _server_text(server, url) != text:
        assert time.monotonic() < deadline, f"the server never got {text!r}"
        time.sleep(0.05)


def _draft_key(page: Any) -> str:
    return "loopready:draft:" + page.locator("textarea[data-autosave]").get_attribute(
        "data-draft-key"
    )


def test_two_tabs_show_the_conflict_and_keep_both_texts(page: Any, server: LiveServer) -> None:
    url = _start(page)
    other = page.context.new_page()
    other.goto(url)

    page.locator("textarea[data-autosave]").fill(TAB_A)
    expect(page.locator(".save-state.saved")).to_be_visible(timeout=10_000)
    assert _server_text(server, url) == TAB_A

    editor_b = other.locator("textarea[data-autosave]")
    editor_b.fill(TAB_B)
    panel = other.locator(".conflict")
    expect(panel).to_be_visible(timeout=10_000)
    expect(other.locator(".save-state.failed")).to_contain_text("another tab")
    expect(other.locator(".conflict-other")).to_have_text(TAB_A)
    expect(editor_b).to_have_value(TAB_B)
    assert _server_text(server, url) == TAB_A  # B did not overwrite A

    other.get_by_role("button", name="Keep both (mine first)").click()
    expect(panel).to_be_hidden()
    expect(other.locator(".save-state.saved")).to_be_visible(timeout=10_000)
    assert _server_text(server, url) == TAB_B + "\n\n" + TAB_A

    # Tab A, now behind, types on: refused too, and shown B's merged text.
    page.locator("textarea[data-autosave]").fill(TAB_A + " More.")
    expect(page.locator(".conflict")).to_be_visible(timeout=10_000)
    expect(page.locator(".conflict-other")).to_have_text(TAB_B + "\n\n" + TAB_A)
    page.get_by_role("button", name="Use the other copy").click()
    expect(page.locator("textarea[data-autosave]")).to_have_value(TAB_B + "\n\n" + TAB_A)
    assert _server_text(server, url) == TAB_B + "\n\n" + TAB_A
    assert not page.js_errors


def test_an_older_draft_never_overwrites_the_saved_answer(page: Any, server: LiveServer) -> None:
    url = _start(page)
    editor = page.locator("textarea[data-autosave]")
    editor.fill("Old words")
    expect(page.locator(".save-state.saved")).to_be_visible(timeout=10_000)
    editor.fill("Newer words, saved")
    _wait_for_server_text(server, url, "Newer words, saved")
    expect(page.locator(".save-state.saved")).to_be_visible(timeout=10_000)

    # A draft left behind by a tab closed long ago, based on the first revision.
    key = _draft_key(page)
    stale = {"text": "Old words from a closed tab", "at": 1, "revision": 1}
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps(stale)])
    page.reload()
    expect(editor).to_have_value("Newer words, saved")
    expect(page.locator(".conflict")).to_be_visible()
    expect(page.locator(".conflict-other")).to_have_text("Old words from a closed tab")
    page.wait_for_timeout(1500)  # no save of the old draft happens meanwhile
    assert _server_text(server, url) == "Newer words, saved"
    page.get_by_role("button", name="Keep my text").click()
    assert page.evaluate("k => localStorage.getItem(k)", key) is None


def test_a_newer_draft_is_restored_and_a_saved_one_dropped(page: Any, server: LiveServer) -> None:
    url = _start(page)
    editor = page.locator("textarea[data-autosave]")
    key = _draft_key(page)
    revision = int(editor.get_attribute("data-revision"))

    # The server went down before this text reached it: the draft is newer, so it returns.
    newer = {"text": "Typed while the server was down", "at": 1, "revision": revision}
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps(newer)])
    page.reload()
    expect(editor).to_have_value("Typed while the server was down")
    expect(page.locator(".save-state.saved")).to_be_visible(timeout=10_000)
    assert _server_text(server, url) == "Typed while the server was down"
    assert page.evaluate("k => localStorage.getItem(k)", key) is None

    # A tab closed mid-typing: its beacon saved the text, but the draft stayed behind.
    page.evaluate(
        "k => { const e = document.querySelector('textarea[data-autosave]');"
        " e.value = 'Sent by the beacon'; e.dispatchEvent(new Event('input')); }",
        key,
    )
    assert json.loads(page.evaluate("k => localStorage.getItem(k)", key))["text"] == (
        "Sent by the beacon"
    )
    page.goto("/practice")  # pagehide: the beacon carries the text
    _wait_for_server_text(server, url, "Sent by the beacon")
    # What the closed tab left behind, based on an older revision than the server's now.
    left = {"text": "Sent by the beacon", "at": 1, "revision": revision}
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps(left)])
    page.goto(url)
    expect(editor).to_have_value("Sent by the beacon")
    assert page.evaluate("k => localStorage.getItem(k)", key) is None  # equal: dropped
    expect(page.locator(".conflict")).to_be_hidden()
