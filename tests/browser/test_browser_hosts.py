"""Browser: DNS rebinding, done for real. Chromium resolves ``evil.example`` to 127.0.0.1.

A page at ``http://evil.example:PORT`` is, to the browser, the same origin as every
path under that name, so were the server to answer, the page's script could read the
export and post forms. The server refuses the foreign name, so it reads and writes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from loopready.store import count_rows

from .conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, LiveServer

pytestmark = pytest.mark.browser

EVIL = "evil.example"


@pytest.fixture
def rebinding_browser(browser: Any) -> Iterator[Any]:
    """A Chromium in which ``evil.example`` resolves to this computer."""
    rule = f"--host-resolver-rules=MAP {EVIL} 127.0.0.1"
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, rule], headless=True
    )
    yield chromium
    chromium.close()


def test_a_rebound_page_can_neither_read_nor_write(
    rebinding_browser: Any, server: LiveServer
) -> None:
    context = rebinding_browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    # The user's own tab, at the real address, adds a story.
    tab.goto(f"{server.url}/stories")
    tab.fill("#new-title", "Shipped the ranking model")
    tab.fill("#new-situation", "Churn was rising on the store.")
    tab.fill("#new-action", "I ran an experiment on ranking.")
    tab.fill("#new-result", "Churn fell by four percent.")
    tab.locator("form[action='/stories'] button[type=submit]").first.click()
    tab.wait_for_url("**/stories?done=added*")

    # The attacker's page: the same server, reached through a name the attacker controls.
    evil = f"http://{EVIL}:{server.port}"
    answer = tab.goto(f"{evil}/")
    assert answer is not None and answer.status == 400
    assert "http://127.0.0.1" in tab.content()  # the refusal says where to go instead
    stolen = tab.evaluate(
        """async () => {
            const read = await fetch('/settings/export');
            const body = new FormData();
            body.append('title', 'Planted by another site');
            body.append('situation', 'x'); body.append('action', 'x'); body.append('result', 'x');
            const write = await fetch('/stories', {method: 'POST', body: body});
            return {read: read.status, text: await read.text(), write: write.status};
        }"""
    )
    assert stolen["read"] == 400 and stolen["write"] == 400
    assert "Shipped the ranking model" not in stolen["text"]
    with server.db.read_session() as s:
        assert count_rows(s, server.db.user_id)["stories"] == 1
    context.close()
