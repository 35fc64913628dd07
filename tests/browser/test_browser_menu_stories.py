"""Browser: the main menu and the story bank, on a laptop (1280 px) and a phone (390 px)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

LINKS = ".mainnav a"
VISIBLE_LINKS = f"[...document.querySelectorAll('{LINKS}')].filter(a => a.offsetParent).length"


def test_laptop_menu_is_one_row_without_a_menu_button(page: Any) -> None:
    page.goto("/stories")
    assert not page.locator("label.nav-button").is_visible()
    assert page.evaluate(VISIBLE_LINKS) == 13
    tops = page.evaluate(f"[...document.querySelectorAll('{LINKS}')].map(a => a.offsetTop)")
    assert len(set(tops)) == 1, tops


def test_phone_menu_folds_behind_a_menu_button(phone_page: Any, shot: Any) -> None:
    tab = phone_page
    tab.goto("/stories")
    header = tab.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] <= 70, header  # was about 145 px
    button = tab.locator("label.nav-button")
    assert button.is_visible() and "Stories" in button.inner_text()
    assert tab.evaluate(VISIBLE_LINKS) == 0
    shot(tab, "phone-menu-closed")
    button.click()
    assert tab.evaluate(VISIBLE_LINKS) == 13
    current = tab.locator('.mainnav a[aria-current="page"]')
    assert current.is_visible() and current.inner_text() == "Stories"
    shot(tab, "phone-menu-open")
    tab.get_by_role("link", name="Plan", exact=True).click()
    tab.wait_for_url("**/plan")
    assert tab.evaluate(VISIBLE_LINKS) == 0  # a new page starts with the menu folded


def test_phone_menu_opens_from_the_keyboard(phone_page: Any) -> None:
    tab = phone_page
    tab.goto("/packs")
    toggle = tab.locator("#nav-toggle")
    assert toggle.get_attribute("aria-label") == "Menu, current page Packs"
    toggle.focus()
    tab.keyboard.press("Space")
    assert toggle.is_checked()
    assert tab.evaluate(VISIBLE_LINKS) == 13
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.closest('.mainnav') !== null")


def test_phone_menu_works_without_javascript(browser: Any, server: Any) -> None:
    context = browser.new_context(
        base_url=server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    try:
        tab = context.new_page()
        tab.goto("/stories")
        drills = tab.get_by_role("link", name="Drills", exact=True)
        assert not drills.is_visible()
        tab.locator("label.nav-button").click()
        assert drills.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_stories_page_records_a_telling_and_reads_in_words(
    browser: Any, server: Any, shot: Any, width: int
) -> None:
    context = browser.new_context(base_url=server.url, viewport={"width": width, "height": 900})
    try:
        tab = context.new_page()
        tab.goto("/stories")
        tab.get_by_label("Title").fill("Cutting churn at Aurora")
        tab.get_by_label("Situation").fill("Aurora, our subscription app, had 2 million users.")
        tab.get_by_label("Result").fill("In the Store, retention went up 4 points in a quarter.")
        tab.get_by_label("Competencies it shows").fill("success metrics, experimentation")
        tab.get_by_role("button", name="Add the story").click()
        tab.wait_for_url("**/stories?done=added*")
        card = tab.locator(".story-card").first
        text = card.inner_text()
        assert "success_metrics" not in text and "Prioritised success metrics" in text
        assert "not told yet" in text
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, f"the stories page scrolls sideways at {width}px"
        card.get_by_role("link", name="Cutting churn at Aurora").click()
        tab.wait_for_url("**/stories/*")
        tab.get_by_label("Told in round").select_option(label="Product sense case")
        box = tab.get_by_label("The words you used")
        box.fill("Retention went up 4 points at Aurora.")
        tab.get_by_role("button", name="Record this telling").click()
        tab.wait_for_url("**done=told*")
        assert tab.get_by_text("Telling recorded.").is_visible()
        assert tab.get_by_label("The words you used").input_value() == ""
        tab.reload()
        assert tab.get_by_label("The words you used").input_value() == ""
        shot(tab, f"story-told-{width}")
    finally:
        context.close()
