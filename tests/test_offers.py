"""The offer modeller: hand-computed schedules, cliffs, clawbacks, scenarios, bad input.

Every expected figure below is worked out by hand in the comment next to it, not
read back from the engine.
"""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from loopready.cli import cli
from loopready.errors import InputError
from loopready.offers import (
    GUIDE_NOTE,
    Offer,
    Vesting,
    check_offer,
    draft_counter,
    growth_path,
    load_compensation,
    load_offer,
    model_offer,
    parse_growth,
    parse_offer,
    render_svg,
    resolve,
    svg_to_png,
    vest_schedule,
)
from loopready.packs.schema import Compensation

DATA = Path(__file__).parent / "data" / "offers"
SONY = DATA / "sony.yaml"
CURRENT = DATA / "current.yaml"
STARTUP = DATA / "startup.yaml"
BACKLOADED = DATA / "backloaded.yaml"
PACK_FILE = (
    Path(__file__).parents[1] / "src" / "loopready" / "packs" / "data" / "sony-ai-pm-2026.yaml"
)


def offer(**fields: Any) -> Offer:
    return parse_offer({"name": "t", **fields}, "test")


def schedule(**vesting: Any) -> list[tuple[int, float]]:
    """(month, percent of the grant) for each vest date."""
    return [(m, round(float(f) * 100, 6)) for m, f in vest_schedule(Vesting(**vesting))]


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["offer", *args], catch_exceptions=False)


def error_of(tmp_path: Path, text: str, *args: str) -> str:
    """The one-line error for an offer file holding ``text``; asserts exit code 2."""
    path = tmp_path / "o.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("model", str(path), *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    return str(result.stderr).strip().replace(str(path), "FILE")


@pytest.fixture(scope="module")
def sony_bands() -> Compensation:
    _, comp = load_compensation("sony-ai-pm-2026")
    return comp


# -- vesting shapes ----------------------------------------------------------------------


def test_even_quarterly_with_one_year_cliff() -> None:
    # 25% accrued at the cliff, then 25/4 = 6.25% each quarter.
    assert schedule(years=4, cliff_months=12, frequency="quarterly") == [
        (12, 25.0),
        *[(m, 6.25) for m in range(15, 49, 3)],
    ]


def test_even_monthly_without_cliff() -> None:
    assert schedule(years=4, cliff_months=0, frequency="monthly") == [
        (m, round(100 / 48, 6)) for m in range(1, 49)
    ]


def test_annual_front_loaded_33_33_22_12() -> None:
    assert schedule(
        years=4, cliff_months=12, frequency="annual", schedule_pct=[33, 33, 22, 12]
    ) == [(12, 33.0), (24, 33.0), (36, 22.0), (48, 12.0)]


def test_monthly_front_loaded_after_cliff() -> None:
    # 33% at month 12, then 33/12 = 2.75% a month, 22/12 a month, 1% a month.
    got = schedule(cliff_months=12, frequency="monthly", schedule_pct=[33, 33, 22, 12])
    assert got[0] == (12, 33.0)
    assert got[1:13] == [(m, 2.75) for m in range(13, 25)]
    assert got[13:25] == [(m, round(22 / 12, 6)) for m in range(25, 37)]
    assert got[25:] == [(m, 1.0) for m in range(37, 49)]


def test_quarterly_back_loaded_5_15_40_40() -> None:
    # 5% at the cliff, 15/4 = 3.75% then 40/4 = 10% a quarter.
    got = schedule(cliff_months=12, frequency="quarterly", schedule_pct=[5, 15, 40, 40])
    assert got == [
        (12, 5.0),
        (15, 3.75),
        (18, 3.75),
        (21, 3.75),
        (24, 3.75),
        *[(m, 10.0) for m in range(27, 49, 3)],
    ]


def test_semiannual_back_loaded_in_money() -> None:
    # 400 shares x $180 = $72,000: 5% = 3,600 at 12; 7.5% = 5,400 at 18 and 24; 20% = 14,400.
    m = model_offer(load_offer(BACKLOADED))
    assert [(e.month, e.value) for e in m.events] == [
        (12, 3600.0),
        (18, 5400.0),
        (24, 5400.0),
        (30, 14400.0),
        (36, 14400.0),
        (42, 14400.0),
        (48, 14400.0),
    ]
    assert [r.equity for r in m.rows] == [3600.0, 10800.0, 28800.0, 28800.0]


def test_cliff_off_the_quarter_vests_what_accrued() -> None:
    # 48 months even = 100/48 % a month; 7 months accrued at the cliff, then to month 9.
    got = schedule(years=4, cliff_months=7, frequency="quarterly")
    assert got[0] == (7, round(7 * 100 / 48, 6))
    assert got[1] == (9, round(2 * 100 / 48, 6))
    assert got[2] == (12, 6.25)


def test_cliff_as_long_as_the_vesting_period_vests_everything_at_the_end() -> None:
    assert schedule(years=4, cliff_months=48, frequency="monthly") == [(48, 100.0)]


def test_years_default_to_the_schedule_length() -> None:
    assert Vesting(schedule_pct=[50, 30, 20]).years == 3


def test_tranches_add_up_to_the_grant_to_the_cent() -> None:
    # 22% of $500,000 over 12 months is $9,166.666... a month: running totals keep the cents.
    m = model_offer(load_offer(STARTUP))
    initial = [e.value for e in m.events if e.grant == "initial grant"]
    assert round(sum(initial), 2) == 500000.0
    assert m.rows[2].equity == 110000.0 + 25000.0  # initial 22% + refresher 4 x 6.25% of 100k


# -- the year-by-year model -----------------------------------------------------------------


def test_issue_example_year_by_year() -> None:
    # base 170,000; bonus 12.5% = 21,250; equity 200,000 / 4 = 50,000; sign-on 15,000 in year 1.
    m = model_offer(load_offer(SONY))
    assert [r.to_dict() for r in m.rows] == [
        {
            "year": 1,
            "base": 170000.0,
            "bonus": 21250.0,
            "equity": 50000.0,
            "sign_on": 15000.0,
            "other": 0.0,
            "total": 256250.0,
        },
        *[
            {
                "year": y,
                "base": 170000.0,
                "bonus": 21250.0,
                "equity": 50000.0,
                "sign_on": 0.0,
                "other": 0.0,
                "total": 241250.0,
            }
            for y in (2, 3, 4)
        ],
    ]
    assert m.total_4y == 256250 + 3 * 241250


def test_raises_bonus_first_year_and_other_money() -> None:
    # Start-up: base 160,000 with raises 4%, 4%, 3%: 166,400; 173,056; 178,247.68.
    # Bonus 10%, half in year 1: 8,000; 16,640; 17,305.60; 17,824.77 (17,824.768).
    # Other: relocation 10,000 in year 1 + a 6,000 401(k) match every year.
    m = model_offer(load_offer(STARTUP))
    assert [r.base for r in m.rows] == [160000.0, 166400.0, 173056.0, 178247.68]
    assert [r.bonus for r in m.rows] == [8000.0, 16640.0, 17305.6, 17824.77]
    assert [r.other for r in m.rows] == [16000.0, 6000.0, 6000.0, 6000.0]
    assert [r.sign_on for r in m.rows] == [20000.0, 10000.0, 0.0, 0.0]
    # Equity: 0.1% of 500M = 500,000 at 33/33/22/12; refresher 100k from year 3, quarterly.
    assert [r.equity for r in m.rows] == [165000.0, 165000.0, 135000.0, 85000.0]
    assert m.equity_after_horizon == 50000.0  # the refresher's second half


def test_same_raise_every_year() -> None:
    m = model_offer(offer(base=100000, raise_pct=3))
    assert [r.base for r in m.rows] == [100000.0, 103000.0, 106090.0, 109272.7]


def test_shares_and_percent_forms_value_the_grant() -> None:
    assert offer(base=1, equity={"shares": 1000, "price": 85.0}).equity_value == 85000
    assert offer(base=1, equity={"percent": 0.03, "valuation": 5.0e8}).equity_value == 150000


def test_money_can_be_written_as_people_write_it() -> None:
    o = offer(base="$170,000", sign_on="15k", bonus_target_pct="12.5%")
    assert (o.base, o.sign_on, o.bonus_target_pct) == (170000, [15000], 12.5)


def test_more_years_than_four() -> None:
    m = model_offer(load_offer(SONY), years=6)
    assert [r.equity for r in m.rows] == [50000.0] * 4 + [0.0, 0.0]
    assert m.total_4y == 980000.0
    assert m.total == 980000.0 + 2 * (170000 + 21250)


# -- leaving: cliff edges and clawbacks ----------------------------------------------------


def test_leaving_at_month_11_keeps_no_equity_and_repays_the_sign_on() -> None:
    m = model_offer(load_offer(SONY), leave_at_month=11)
    assert m.leave is not None
    assert m.leave.equity_kept == 0.0
    assert m.leave.equity_forfeited == 200000.0
    assert m.leave.sign_on_repaid == 15000.0
    assert m.leave.bonus_forfeited == 21250.0
    # 11 months of base: 170,000 x 11 / 12 = 155,833.33; the sign-on nets to zero.
    assert m.rows[0].to_dict() == {
        "year": 1,
        "base": 155833.33,
        "bonus": 0.0,
        "equity": 0.0,
        "sign_on": 0.0,
        "other": 0.0,
        "total": 155833.33,
    }
    assert m.total == 155833.33


def test_leaving_at_month_12_keeps_the_cliff_and_the_sign_on() -> None:
    m = model_offer(load_offer(SONY), leave_at_month=12)
    assert m.leave is not None
    assert (m.leave.equity_kept, m.leave.equity_forfeited) == (50000.0, 150000.0)
    assert m.leave.sign_on_repaid == 0.0
    assert m.rows[0].total == 170000 + 21250 + 50000 + 15000
    assert m.total == m.rows[0].total


def test_prorated_clawback_of_two_sign_on_payments_and_relocation() -> None:
    # Leave at month 9: 3 of 12 months short -> repay 3/12 of 20,000 (5,000) and of the
    # 10,000 relocation (2,500); the year-2 payment never arrives.
    m = model_offer(load_offer(STARTUP), leave_at_month=9)
    assert m.leave is not None
    assert (m.leave.sign_on_received, m.leave.sign_on_repaid) == (20000.0, 5000.0)
    assert m.leave.relocation_repaid == 2500.0
    assert m.rows[0].sign_on == 15000.0
    # Other: relocation 10,000 - 2,500 + 9 months of the 6,000 match = 12,000.
    assert m.rows[0].other == 12000.0


def test_leaving_six_months_after_the_second_sign_on_repays_it_in_year_two() -> None:
    # Start-up, month 18: the 20,000 is safe (18 >= 12); the 10,000 paid at month 12 was
    # kept only 6 of 12 months -> repay 6/12 = 5,000, booked in year 2.
    m = model_offer(load_offer(STARTUP), leave_at_month=18)
    assert m.leave is not None
    assert m.leave.sign_on_repaid == 5000.0
    assert [r.sign_on for r in m.rows] == [20000.0, 5000.0, 0.0, 0.0]
    # Equity: 33% at 12 + 6 x 2.75% = 49.5% of 500,000 = 247,500 kept.
    assert m.leave.equity_kept == 247500.0
    assert m.leave.equity_forfeited == 252500.0  # the refresher was never granted


def test_full_clawback_repays_everything() -> None:
    m = model_offer(load_offer(BACKLOADED), leave_at_month=20)
    # 60,000 kept (20 >= 12); 45,000 paid at month 12, kept 8 months -> repaid in full.
    assert m.leave is not None
    assert m.leave.sign_on_repaid == 45000.0
    assert m.rows[1].sign_on == 0.0


# -- scenarios ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "equity"), [("down30", 140000.0), ("flat", 200000.0), ("up30", 260000.0)]
)
def test_price_presets(name: str, equity: float) -> None:
    m = model_offer(load_offer(SONY), resolve(name))
    assert m.component_total("equity") == equity
    assert m.total_4y == 980000.0 - 200000.0 + equity


def test_custom_price_change() -> None:
    m = model_offer(load_offer(SONY), resolve(price_change_pct=-15))
    assert m.component_total("equity") == 170000.0


def test_growth_path_compounds_and_then_holds() -> None:
    # x1.1 then x1.1: year 1 at 1.1, year 2 onwards at 1.21.
    # 50,000 x 1.1 = 55,000; 50,000 x 1.21 = 60,500 for years 2-4.
    m = model_offer(load_offer(SONY), resolve(growth=parse_growth("1.1, +10%")))
    assert [r.equity for r in m.rows] == [55000.0, 60500.0, 60500.0, 60500.0]


def test_refresher_is_priced_from_its_own_grant() -> None:
    # A 40,000 refresher at the start of year 2 is bought at year 1's level (1.1); its first
    # vest (25% at month 24) is in year 2 at 1.21: 10,000 x 1.21 / 1.1 = 11,000.
    o = offer(
        base=0,
        vesting={"years": 4, "cliff_months": 12, "frequency": "quarterly"},
        refreshers=[{"year": 2, "grant_value": 40000}],
    )
    m = model_offer(o, growth_path([1.1, 1.1]))
    assert (m.events[0].month, m.events[0].value) == (24, 11000.0)
    down = model_offer(o, resolve("down30"))  # the price is already down when it is granted
    assert down.rows[1].equity == 10000.0


def test_bonus_payout() -> None:
    m = model_offer(load_offer(SONY), resolve(bonus_payout_pct=150))
    assert m.rows[1].bonus == 31875.0  # 170,000 x 12.5% x 1.5


# -- the CLI --------------------------------------------------------------------------------


def test_model_json_shape_and_scenarios() -> None:
    result = run("model", str(SONY), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["total_4y"] == 980000.0
    assert [set(y) for y in data["years"]] == [
        {"year", "base", "bonus", "equity", "sign_on", "other", "total"}
    ] * 4
    assert {k: v["total_4y"] for k, v in data["scenarios"].items()} == {
        "down30": 920000.0,
        "flat": 980000.0,
        "up30": 1040000.0,
    }
    assert [b["bonus_4y"] for b in data["bonus_scenarios"]] == [0.0, 42500.0, 85000.0, 127500.0]
    assert "Taxes are out of scope" in data["note"]


def test_model_with_a_growth_path_adds_it_to_the_scenarios() -> None:
    data = json.loads(run("model", str(SONY), "--growth", "1.1,1.1", "--json").stdout)
    assert data["scenario"]["name"] == "growth"
    assert data["scenarios"]["growth"]["equity_4y"] == 236500.0  # 55,000 + 3 x 60,500


def test_model_table_and_leave(tmp_path: Path) -> None:
    result = run("model", str(SONY), "--scenario", "down30", "--leave-at", "11")
    assert result.exit_code == 0
    out = result.stdout
    assert "price down 30%" in out
    assert "Leaving after 11 months" in out
    assert "repaid: $15,000" in out
    assert "Taxes are out of scope" in out


def test_compare_labels_the_current_job_and_measures_against_it(tmp_path: Path) -> None:
    result = run("compare", str(SONY), str(CURRENT), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["baseline"] == "Current job"
    by_name = {o["offer"]["name"]: o for o in data["offers"]}
    # Current: base 160,000 +3%/yr: 160,000 + 164,800 + 169,744 + 174,836.32 = 669,380.32;
    # bonus 10% of that = 66,938.03; equity 120,000 -> 856,318.35.
    assert by_name["Current job"]["total_4y"] == 856318.35
    assert by_name["Sony AI PM"]["vs_baseline_4y"] == round(980000 - 856318.35, 2)
    table = run("compare", str(SONY), str(CURRENT))
    assert "Current job (current)" in table.stdout


def test_compare_writes_svg_and_png_charts(tmp_path: Path) -> None:
    for suffix in ("svg", "png"):
        out = tmp_path / f"chart.{suffix}"
        result = run("compare", str(SONY), str(CURRENT), str(STARTUP), "--chart", str(out))
        assert result.exit_code == 0, result.output
        assert f"Chart written to {out}" in result.stdout.replace("\n", "")
    root = ET.parse(tmp_path / "chart.svg").getroot()
    titles = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    # One segment per non-zero component per bar: Sony year 1 has base, bonus, equity, sign-on.
    assert [t for t in titles if t.startswith("Sony AI PM, year 1,")] == [
        "Sony AI PM, year 1, Base: $170,000",
        "Sony AI PM, year 1, Bonus: $21,250",
        "Sony AI PM, year 1, Equity: $50,000",
        "Sony AI PM, year 1, Sign-on: $15,000",
    ]
    png = (tmp_path / "chart.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    svg_width = float(root.attrib["width"])
    assert width == round(svg_width * 2)  # 144 ppi: two pixels per SVG unit
    assert height > 300


def test_chart_draws_a_repaid_sign_on_below_zero() -> None:
    # 24,000 paid at the start, two-year pro-rated clawback, gone at month 18:
    # 6 of 24 months short -> 6,000 repaid, booked in year 2 below the zero line.
    o = offer(
        name="Short stay",
        base=100000,
        sign_on=24000,
        sign_on_clawback_months=24,
        clawback_rule="prorated",
    )
    m = model_offer(o, leave_at_month=18)
    assert [r.sign_on for r in m.rows] == [24000.0, -6000.0, 0.0, 0.0]
    svg = render_svg([m, model_offer(load_offer(SONY))])
    assert "Short stay, year 2, Sign-on: -$6,000" in svg
    root = ET.fromstring(svg)
    zero_line = next(el for el in root.iter("{http://www.w3.org/2000/svg}text") if el.text == "$0")
    below = next(
        el
        for el in root.iter("{http://www.w3.org/2000/svg}rect")
        if "".join(el.itertext()) == "Short stay, year 2, Sign-on: -$6,000"
    )
    assert float(below.attrib["y"]) >= float(zero_line.attrib["y"]) - 4 - 0.01
    assert svg_to_png(svg)[:4] == b"\x89PNG"


def test_compare_errors(tmp_path: Path) -> None:
    second = tmp_path / "also-current.yaml"
    second.write_text("name: Other\ncurrent: true\nbase: 1\n", encoding="utf-8")
    result = run("compare", str(CURRENT), str(second))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {second}: current: only one file can be the current job ({CURRENT} already "
        "is); remove `current: true` from one of them"
    )
    result = run("compare", str(SONY))
    assert result.stderr.strip() == (
        "Error: offer compare: give two or more offer files (your current job can be one: "
        "mark it `current: true`)"
    )
    result = run("compare", str(SONY), str(CURRENT), "--chart", str(tmp_path / "c.jpg"))
    assert result.stderr.strip() == f"Error: --chart: {tmp_path / 'c.jpg'} must end in .svg or .png"


# -- bad input: exact messages ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("base: -5", "base: must not be negative (got -5)"),
        (
            "base: 1\nvesting: {schedule_pct: [25, 25, 25, 20]}",
            "vesting.schedule_pct: must sum to 100 (got 95)",
        ),
        (
            "base: 1\nvesting: {years: 4, cliff_months: 60}",
            "vesting.cliff_months: cliff (60 months) is longer than the vesting period (48 months)",
        ),
        (
            "base: 1\nequity: {grnt_value: 5}",
            "equity.grnt_value: unknown key; allowed: grant_value, shares, price, percent, "
            "valuation",
        ),
        ("base: 1\nequity: {shares: 5}", "equity.price: needed with shares: the price per share"),
        (
            "base: 1\nequity: {percent: 0.1}",
            "equity.valuation: needed with percent: the company's valuation",
        ),
        (
            "base: 1\nequity: {grant_value: 5, shares: 2, price: 3}",
            "equity: give the grant in one form only: grant_value; shares and price; or "
            "percent and valuation (got grant_value and shares)",
        ),
        (
            "base: 1\nvesting: {years: 4, schedule_pct: [50, 50]}",
            "vesting.schedule_pct: has 2 entries but vesting.years is 4; give one percentage "
            "per year",
        ),
        (
            "base: 1\nvesting: {frequency: weekly}",
            "vesting.frequency: must be 'monthly', 'quarterly', 'semiannual' or 'annual' "
            "(got 'weekly')",
        ),
        ("base: 1\nsign_on: -100", "sign_on: must not be negative (got -100)"),
        ("base: 1\nsign_on: [1000, -5]", "sign_on.1: must not be negative (got -5)"),
        ("base: lots", "base: must be a number (got 'lots')"),
        ("bonus_target_pct: 10", "base: is required (the yearly base salary)"),
        ("base: 1\nbonus_target_pct: 250", "bonus_target_pct: must be at most 200 (got 250)"),
        (
            "base: 1\nvesting: {cliff_months: 12.5}",
            "vesting.cliff_months: must be a whole number (got 12.5)",
        ),
        (
            "base: 1\nrefreshers: [{year: 2, grant_value: 5, vesting: {cliff_months: 100}}]",
            "refreshers.0.vesting.cliff_months: cliff (100 months) is longer than the vesting "
            "period (48 months)",
        ),
        (
            "base: 1\nraise_pct: 3\nraises_pct: [3]",
            "raises_pct: give raise_pct (the same raise every year) or raises_pct (one per "
            "year), not both",
        ),
        (
            "base: 1\ncurrency: dollars",
            "currency: must be a three-letter currency code such as USD (got 'DOLLARS')",
        ),
    ],
)
def test_bad_offer_fields(tmp_path: Path, text: str, message: str) -> None:
    assert error_of(tmp_path, text) == f"Error: FILE: {message}"


def test_unknown_top_level_key_lists_every_allowed_key(tmp_path: Path) -> None:
    assert error_of(tmp_path, "base: 1\nbonus_pct: 10") == (
        "Error: FILE: bonus_pct: unknown key; allowed: name, current, currency, base, "
        "raise_pct, raises_pct, bonus_target_pct, first_year_bonus_pct, equity, vesting, "
        "refreshers, sign_on, sign_on_clawback_months, relocation, relocation_clawback_months, "
        "clawback_rule, other, notes"
    )


def test_every_problem_is_reported(tmp_path: Path) -> None:
    assert error_of(tmp_path, "base: -1\nrelocation: -2") == (
        "Error: FILE: base: must not be negative (got -1)\n"
        "FILE: relocation: must not be negative (got -2)"
    )


def test_file_problems(tmp_path: Path) -> None:
    assert error_of(tmp_path, "base: 1\n  x: : [") == (
        "Error: FILE: malformed YAML at line 2, column 4: mapping values are not allowed "
        "here; check the indentation and quoting there"
    )
    assert error_of(tmp_path, "") == (
        "Error: FILE: the file is empty; an offer needs at least `base: <salary>`"
    )
    assert error_of(tmp_path, "- base: 1") == (
        "Error: FILE: an offer must be a mapping of keys such as `base: 170000` (got list)"
    )
    missing = tmp_path / "nope.yaml"
    result = run("model", str(missing))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {missing}: file not found; check the path"


def test_bad_options(tmp_path: Path) -> None:
    result = run("model", str(SONY), "--leave-at", "49")
    assert result.stderr.strip() == (
        "Error: --leave-at: must be a month between 1 and 48 (the 4 modelled years; got 49)"
    )
    result = run("model", str(SONY), "--growth", "1.1,abc")
    assert result.stderr.strip() == (
        "Error: --growth: year 2: 'abc' is not a number; write multipliers such as "
        "1.1,1.05,0.9 or changes such as +10%,+5%,-10%"
    )
    result = run("model", str(SONY), "--price-change", "-100")
    assert result.stderr.strip() == (
        "Error: price change: must be more than -100% (got -100%); a price cannot fall below zero"
    )
    result = run("model", str(SONY), "--growth", "1.1", "--price-change", "5")
    assert result.stderr.strip() == "Error: give --price-change or --growth, not both"


def test_example_file_is_a_valid_offer(tmp_path: Path) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(run("example").stdout, encoding="utf-8")
    m = model_offer(load_offer(path))
    # The issue's offer plus a 3% raise: base 170,000; 175,100; 180,353; 185,763.59;
    # bonus 12.5% of each: 21,250; 21,887.50; 22,544.13; 23,220.45.
    assert [r.base for r in m.rows] == [170000.0, 175100.0, 180353.0, 185763.59]
    assert [r.bonus for r in m.rows] == [21250.0, 21887.5, 22544.13, 23220.45]
    assert m.total_4y == 1015118.67  # 711,216.59 + 88,902.08 + 200,000 + 15,000


# -- market check ------------------------------------------------------------------------------


def test_market_check_places_each_component(sony_bands: Compensation) -> None:
    o = offer(base=187000, bonus_target_pct=9, sign_on=15000, equity={"grant_value": 200000})
    result = check_offer(o, sony_bands, valuation=5e8)
    verdicts = [(c.band.component, c.verdict) for c in result.checks]
    # 187k: within 150-190k, above 155-185k; 9% < 10%; 200k / 500M = 0.04% within 0.02-0.05%.
    assert verdicts == [
        ("base", "within"),
        ("base", "above"),
        ("bonus", "below"),
        ("equity", "within"),
        ("sign_on", "within"),
    ]
    assert result.note.startswith(GUIDE_NOTE)


def test_market_check_equity_needs_a_valuation(sony_bands: Compensation) -> None:
    result = check_offer(load_offer(SONY), sony_bands)
    equity = next(c for c in result.checks if c.band.component == "equity")
    assert (equity.verdict, equity.value) == ("unknown", None)


def test_market_check_rescales_equity_to_the_band_years(sony_bands: Compensation) -> None:
    # 0.03% vesting over 3 years is 0.04% per 4 years.
    o = offer(base=1, equity={"percent": 0.03, "valuation": 1e9}, vesting={"years": 3})
    equity = next(c for c in check_offer(o, sony_bands).checks if c.band.component == "equity")
    assert equity.value == pytest.approx(0.04)


def test_check_cli_says_the_figures_are_the_guides() -> None:
    result = run("check", str(SONY))
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "figures are the guide's, not market data" in text
    assert "Guide summary figure" in text and "Guide compensation section" in text
    data = json.loads(run("check", str(SONY), "--pack", str(PACK_FILE), "--json").stdout)
    assert data["pack"] == "sony-ai-pm-2026"
    assert [c["verdict"] for c in data["checks"]] == [
        "within",
        "within",
        "within",
        "unknown",
        "within",
    ]


def test_check_currency_mismatch(tmp_path: Path) -> None:
    path = tmp_path / "eur.yaml"
    path.write_text("name: Berlin\ncurrency: EUR\nbase: 90000\n", encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: Berlin: currency: the offer is in EUR but the pack's bands are in USD; convert "
        "the offer's figures to USD first"
    )


# -- counter-proposal --------------------------------------------------------------------------


def test_counter_asks_for_the_three_quarter_point(sony_bands: Compensation) -> None:
    c = draft_counter(load_offer(SONY), sony_bands, valuation=5e8)
    asks = {lv.name: (lv.action, lv.ask, lv.gain_4y) for lv in c.levers}
    # Base: the two ranges agree on 155-185k; 3/4 point 177,500 -> 178,000. Four years:
    # +8,000 base and +1,000 bonus a year = +36,000.
    assert asks["base"] == ("ask", 178000.0, 36000.0)
    # Bonus 10-15% -> 13.75% -> 14%: +1.5% of 170,000 x 4 = 10,200.
    assert asks["bonus"] == ("ask", 14.0, 10200.0)
    # Sign-on 12-18k -> 16,500.
    assert asks["sign_on"] == ("ask", 16500.0, 1500.0)
    # Equity 0.02-0.05% -> 0.0425% of 500M = 212,500 -> 213,000, all vested in 4 years.
    assert asks["equity"] == ("ask", 213000.0, 13000.0)
    # One specific ask, the one worth most over four years: base. The total is the offer
    # with that ask alone.
    assert [lv.name for lv in c.levers] == ["base", "equity", "bonus", "sign_on"]
    assert c.chosen == "base" and c.ask is not None and c.ask.ask == 178000.0
    assert c.total_4y_after == c.total_4y_before + 36000.0
    assert "My one ask is on the base: $178,000 (from $170,000)." in c.draft
    for other in ("$213,000", "14%", "$16,500"):
        assert other not in c.draft
    # The reasons quote the figure the draft would ask for, not the unrounded point.
    bonus = next(lv for lv in c.levers if lv.name == "bonus")
    assert "rounded up to 14%" in bonus.reason and "13.75%" not in bonus.reason
    base = next(lv for lv in c.levers if lv.name == "base")
    assert "$178,000" in base.reason and "$177,500" not in base.reason


def test_counter_holds_when_high_and_asks_the_middle_when_below(
    sony_bands: Compensation,
) -> None:
    o = offer(base=140000, bonus_target_pct=15, sign_on=18000)
    by_name = {lv.name: lv for lv in draft_counter(o, sony_bands).levers}
    assert (by_name["base"].action, by_name["base"].ask) == ("ask", 170000.0)  # middle
    assert by_name["bonus"].action == "hold"
    assert by_name["sign_on"].action == "hold"
    assert by_name["equity"].action == "clarify"  # no valuation, nothing to match
    assert by_name["equity"].reason.endswith(
        "give the company's valuation to compare the equity with the band"
    )


def test_counter_makes_no_ask_worth_only_a_rounding(sony_bands: Compensation) -> None:
    # Only the bonus has room (13.5% -> 14%): 0.5% of 184,000 for four years is 3,680,
    # under 1% of the package, not worth spending the one ask on.
    o = offer(base=184000, bonus_target_pct=13.5, sign_on=17000)
    c = draft_counter(o, sony_bands)
    bonus = next(lv for lv in c.levers if lv.name == "bonus")
    assert (bonus.action, bonus.ask, bonus.gain_4y) == ("ask", 14.0, 3680.0)
    assert c.chosen is None and c.total_4y_after == c.total_4y_before
    assert "I am not asking for a change to the figures" in c.draft
    assert "My one ask" not in c.draft and "14%" not in c.draft


def test_counter_closes_a_first_year_gap_with_the_sign_on(sony_bands: Compensation) -> None:
    # The current job pays 300,000 in year 1; the offer 256,250: a 43,750 gap.
    current = offer(name="Now", current=True, base=300000)
    c = draft_counter(load_offer(SONY), sony_bands, alternatives=[current])
    sign_on = next(lv for lv in c.levers if lv.name == "sign_on")
    assert (sign_on.action, sign_on.ask) == ("ask", 59000.0)  # 15,000 + 43,750 -> 59,000
    assert "my current package comes to about $1,200,000" in c.draft


def test_counter_matches_better_equity_elsewhere(sony_bands: Compensation) -> None:
    rival = offer(name="Rival", base=170000, equity={"grant_value": 300000})
    c = draft_counter(load_offer(SONY), sony_bands, alternatives=[rival])
    equity = next(lv for lv in c.levers if lv.name == "equity")
    assert (equity.action, equity.ask, equity.gain_4y) == ("ask", 300000.0, 100000.0)


def test_counter_questions_an_equity_band_that_does_not_fit(sony_bands: Compensation) -> None:
    # 0.02% of a 120B company is 24M: far beyond the grant, so ask, do not quote.
    c = draft_counter(load_offer(SONY), sony_bands, valuation=1.2e11)
    equity = next(lv for lv in c.levers if lv.name == "equity")
    assert equity.action == "clarify"


def test_counter_cli(tmp_path: Path) -> None:
    result = run("counter", str(SONY), "--text")
    assert result.exit_code == 0
    assert result.stdout.startswith("Subject: Sony AI PM: the package")
    data = json.loads(run("counter", str(SONY), "--against", str(CURRENT), "--json").stdout)
    assert data["total_4y_before"] == 980000.0
    assert data["alternatives"] == [{"name": "Current job", "total_4y": 856318.35, "current": True}]
    result = run("counter", str(CURRENT))
    assert result.exit_code == 2
    assert "is marked `current: true`" in result.stderr


def test_counter_is_deterministic(sony_bands: Compensation) -> None:
    a = draft_counter(load_offer(STARTUP), sony_bands, alternatives=[load_offer(SONY)])
    b = draft_counter(load_offer(STARTUP), sony_bands, alternatives=[load_offer(SONY)])
    assert a.to_dict() == b.to_dict()


def test_input_error_type() -> None:
    with pytest.raises(InputError, match=r"^test: base: must not be negative \(got -1\)$"):
        offer(base=-1)


def test_fewer_than_four_years_has_no_four_year_total() -> None:
    data = json.loads(run("model", str(SONY), "--years", "2", "--json").stdout)
    assert (data["total_4y"], data["total"]) == (None, 497500.0)  # 256,250 + 241,250
    assert data["equity_after_horizon"] == 100000.0


def test_a_folder_or_an_unknown_pack_is_a_clear_error(tmp_path: Path) -> None:
    result = run("model", str(tmp_path))
    assert result.stderr.strip() == f"Error: {tmp_path}: is a folder; give an offer file (.yaml)"
    result = run("check", str(SONY), "--pack", "no-such-pack")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no pack with id 'no-such-pack'")
