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


# Every main-navigation link that lies outside the viewport (hidden by a scroll or cut off).
_NAV_OUT_OF_VIEW = """() => [...document.querySelectorAll('.mainnav a')]
    .filter(a => { const r = a.getBoundingClientRect();
                   return r.width === 0 || r.left < 0 || r.right > window.innerWidth; })
    .map(a => a.textContent)"""


def _overflow(tab: Any) -> int:
    """How far the page is wider than the phone's screen. (Not ``window.innerWidth``: a
    mobile browser widens its layout viewport to fit a page that is too wide.)"""
    width: int = tab.viewport_size["width"]
    scrolled: int = tab.evaluate("document.documentElement.scrollWidth")
    return scrolled - width


def test_pages_fit_a_phone(phone_page: Any, shot: Any, server: Any) -> None:
    from loopready.interview.loops import new_loop
    from loopready.packs import get_pack

    new_loop(server.db, get_pack(), start=date.today() + timedelta(days=5), title="Loop")
    tab = phone_page
    for path, label in (
        ("/", "dashboard"),
        ("/loop", "loop"),  # a table with visually hidden labels inside
        ("/practice", "practice"),
        ("/plan", "plan"),
        ("/research", "research"),
        ("/stories", "stories"),
        ("/drills", "drills"),
        ("/packs", "packs"),
        ("/settings", "settings"),
    ):
        tab.goto(path)
        overflow = _overflow(tab)
        assert overflow <= 1, f"{path} scrolls sideways on a phone by {overflow}px"
        # The navigation folds behind the Menu control; opened, every entry, the current
        # one too, is on screen.
        tab.locator("label.nav-button").click()
        assert tab.evaluate(_NAV_OUT_OF_VIEW) == [], path
        current = tab.locator('.mainnav a[aria-current="page"]')
        assert current.count() == 1 and current.is_visible(), path
        shot(tab, f"phone-{label}")


def test_hidden_text_in_a_wide_table_stays_in_its_scroll_box(phone_page: Any) -> None:
    """``.visually-hidden`` is absolutely placed; inside a wide, scrolling table it must not
    make the whole page wider than the phone."""
    phone_page.goto("/settings")
    phone_page.evaluate(
        """() => {
          const wrap = document.createElement('div');
          wrap.className = 'table-wrap';
          wrap.innerHTML = '<table style="min-width:900px"><tr>'
            + '<td style="width:880px">wide</td><td><button>Edit'
            + '<span class="visually-hidden"> the offer</span></button></td></tr></table>';
          document.querySelector('main').appendChild(wrap);
        }"""
    )
    hidden = phone_page.locator(".table-wrap .visually-hidden").bounding_box()
    assert hidden is not None and hidden["x"] > 390  # it does sit beyond the screen's edge
    assert _overflow(phone_page) <= 1
    box = "document.querySelector('main > .table-wrap:last-child')"
    assert phone_page.evaluate(f"{box}.scrollWidth") > 800  # it scrolls inside its own box


def test_the_navigation_fits_a_laptop_on_one_row(page: Any) -> None:
    page.goto("/research")
    tops = page.evaluate(
        "[...document.querySelectorAll('.mainnav a')].map(a => a.getBoundingClientRect().top)"
    )
    assert len(tops) == 13 and len(set(tops)) == 1, tops
    assert page.evaluate(_NAV_OUT_OF_VIEW) == []


def test_friendly_404(page: Any, shot: Any) -> None:
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    shot(page, "404")
