"""Browser: the pages a user reads, on a laptop and on a phone, with the keyboard."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def test_set_up_a_loop_from_the_dashboard(page: Any, shot: Any) -> None:
    page.goto("/")
    assert page.get_by_role("heading", name="Get ready for your Sony AI loop").is_visible()
    shot(page, "welcome")
    first = (date.today() + timedelta(days=12)).isoformat()
    page.get_by_label("Date of your first real interview").fill(first)
    page.get_by_role("button", name="Start preparing").click()
    page.wait_for_url("**/loop")
    assert page.get_by_role("heading", name="Recruiter screen").is_visible()
    shot(page, "loop")
    page.goto("/")
    assert page.get_by_role("heading", name="Practise next: Recruiter screen").is_visible()
    assert page.get_by_text("after your first graded attempt").is_visible()
    shot(page, "dashboard")
    assert page.js_errors == []


def test_keyboard_reaches_the_navigation(page: Any) -> None:
    page.goto("/packs")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to content" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_invalid_pack_upload_lists_its_problems(page: Any, shot: Any, tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: Not Valid\nname: x\n", encoding="utf-8")
    page.goto("/packs")
    page.locator("#pack-file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the pack").click()
    result = page.locator("#check-result")
    result.wait_for()
    assert "broken.yaml" in result.inner_text()
    assert "required field is missing" in result.inner_text()
    shot(page, "pack-problems")


def test_pages_fit_a_phone(phone_page: Any, shot: Any) -> None:
    tab = phone_page
    for path, label in (
        ("/", "dashboard"),
        ("/practice", "practice"),
        ("/packs", "packs"),
        ("/settings", "settings"),
    ):
        tab.goto(path)
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways on a phone by {overflow}px"
        shot(tab, f"phone-{label}")


def test_friendly_404(page: Any, shot: Any) -> None:
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    shot(page, "404")
