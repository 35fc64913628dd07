"""Browser: the offer modeller recalculates as fields change, in Debian's Chromium.

Type an offer field by field and watch the year table, the chart and the total follow;
switch the equity form and see only its fields; make a field wrong and see the error
next to it, then fix it; save, compare; and read it all on a phone.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def _total(page: Any) -> str:
    return str(page.locator("#offer-results .big-money").inner_text())


def _wait_total(page: Any, expected: str) -> None:
    page.locator("#offer-results .big-money", has_text=expected).wait_for(timeout=10_000)


def test_the_table_and_chart_follow_the_fields(page: Any, shot: Any) -> None:
    page.goto("/offers")
    assert page.get_by_text("Type the base salary").first.is_visible()
    page.get_by_label("Name", exact=True).fill("Sony AI PM")
    base = page.get_by_label("Base salary, per year")
    base.press_sequentially("170000", delay=20)
    _wait_total(page, "$680,000")  # base alone, four years
    page.get_by_label("Target bonus, % of base").fill("12.5")
    _wait_total(page, "$765,000")
    assert page.get_by_role("textbox", name="Grant value").is_visible()  # the default equity form
    page.get_by_role("textbox", name="Grant value").fill("200000")
    page.get_by_label("Sign-on, year 1").fill("15000")
    _wait_total(page, "$980,000")
    table = page.locator("#offer-results table.offer-table")
    assert "$256,250" in table.inner_text()  # year 1: base, bonus, a quarter of the grant, sign-on
    assert page.locator("#offer-results svg").count() == 1
    assert "$980,000" in page.locator("#offer-total").inner_text()  # the line atop the form
    shot(page, "offer-modelled")

    # Changing a field recalculates again, without a reload.
    base.fill("180000")
    _wait_total(page, "$1,025,000")
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1

    # Shares and price: only their fields show; a missing price is flagged beside it.
    page.get_by_role("radio", name="Shares × price").check()
    assert page.get_by_label("Number of shares").is_visible()
    assert not page.get_by_role("textbox", name="Grant value").is_visible()
    page.get_by_label("Number of shares").fill("1000")
    price_error = page.locator("#e-equity-price")
    price_error.get_by_text("needed with shares: the price per share").wait_for(timeout=10_000)
    assert page.get_by_label("Price per share").get_attribute("aria-invalid") == "true"
    assert "Fix the marked fields" in page.locator("#offer-results").inner_text()
    shot(page, "offer-field-error")
    page.get_by_label("Price per share").fill("200")
    _wait_total(page, "$1,025,000")
    assert price_error.inner_text().strip() == ""
    assert page.get_by_label("Price per share").get_attribute("aria-invalid") is None

    # A share-price scenario is one more field.
    page.get_by_label("Share price").select_option("up30")
    _wait_total(page, "$1,085,000")
    assert page.js_errors == []


def test_save_compare_and_the_market_check(page: Any, shot: Any) -> None:
    page.goto("/offers?example=1")
    _wait_total(page, "$980,000")
    market = page.locator(".market-card")
    assert "the guide's figures, not market data" in market.inner_text()
    page.get_by_role("button", name="Save this offer").click()
    page.wait_for_url(re.compile(r"/offers\?id=.+&done=saved"))
    assert page.get_by_text("Offer saved.").is_visible()

    page.goto("/offers")
    page.get_by_label("Name", exact=True).fill("Current job")
    page.get_by_label("This is my current job").check()
    page.get_by_role("radio", name="None").check()
    page.get_by_label("Base salary, per year").fill("150000")
    page.get_by_label("Target bonus, % of base").fill("10")
    _wait_total(page, "$660,000")
    page.get_by_role("button", name="Save this offer").click()
    page.wait_for_url(re.compile(r"done=saved"))

    page.get_by_label("Compare Example offer").check()
    page.get_by_label("Compare Current job").check()
    page.get_by_role("button", name="Compare the ticked offers").click()
    page.wait_for_url(re.compile(r"/offers/compare\?"))
    assert page.get_by_text("+$320,000").is_visible()
    assert page.locator("svg").count() >= 1
    shot(page, "offers-compared")
    assert page.js_errors == []


def test_the_modeller_on_a_phone(phone_page: Any, shot: Any) -> None:
    tab = phone_page
    for path in ("/offers?example=1", "/offers/negotiate"):
        tab.goto(path)
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways on a phone by {overflow}px"
    tab.goto("/offers?example=1")
    base = tab.get_by_label("Base salary, per year")
    base.fill("")
    base.press_sequentially("200000", delay=20)
    tab.locator("#offer-total", has_text="$1,115,000").wait_for(timeout=10_000)
    assert tab.locator("#offer-total").is_visible()  # sticky above the form while typing
    shot(tab, "phone-offer-typing", full_page=False)
    tab.locator("#offer-results").scroll_into_view_if_needed()
    shot(tab, "phone-offer-results")
