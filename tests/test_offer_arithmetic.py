"""Offer arithmetic at its edges: bounds, sign-on and relocation clawbacks, grant order.

Each test here kills mutants that survived `make mutate` (docs/testing.md).
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from loopready.errors import InputError
from loopready.offers import Vesting, model_offer, parse_offer, vest_schedule
from loopready.offers.compute import MAX_YEARS, cents, grants_of


def offer(**fields: Any) -> Any:
    return parse_offer({"name": "t", "base": 100_000, **fields}, "test")


def test_cents_never_returns_negative_zero() -> None:
    assert math.copysign(1.0, cents(-0.001)) == 1.0
    assert cents(-0.005) == -0.01
    assert cents(2.675) == 2.68


@pytest.mark.parametrize("years", [1, MAX_YEARS])
def test_every_horizon_in_range_is_modelled(years: int) -> None:
    assert len(model_offer(offer(), years=years).rows) == years


@pytest.mark.parametrize("years", [0, MAX_YEARS + 1])
def test_a_horizon_out_of_range_says_the_range(years: int) -> None:
    with pytest.raises(InputError, match=rf"--years: must be between 1 and {MAX_YEARS}"):
        model_offer(offer(), years=years)


@pytest.mark.parametrize("month", [1, 24])
def test_leaving_in_any_modelled_month_is_allowed(month: int) -> None:
    model = model_offer(offer(), years=2, leave_at_month=month)
    assert model.leave is not None and model.leave.month == month


@pytest.mark.parametrize("month", [0, 25])
def test_leaving_outside_the_horizon_says_the_range(month: int) -> None:
    with pytest.raises(InputError, match="--leave-at: must be a month between 1 and 24"):
        model_offer(offer(), years=2, leave_at_month=month)


def test_sign_on_paid_in_later_years_and_clawed_back_in_the_year_you_leave() -> None:
    # Paid at months 0 and 12; leaving at month 18 with a 24-month full clawback repays both,
    # both in year 2.
    model = model_offer(
        offer(sign_on=[10_000, 5_000], sign_on_clawback_months=24), years=2, leave_at_month=18
    )
    assert [r.sign_on for r in model.rows] == [10_000, -10_000]
    assert model.leave is not None
    assert model.leave.sign_on_received == 15_000
    assert model.leave.sign_on_repaid == 15_000


def test_a_sign_on_due_the_month_you_leave_is_never_paid() -> None:
    model = model_offer(offer(sign_on=[10_000, 5_000]), years=2, leave_at_month=12)
    assert model.leave is not None and model.leave.sign_on_received == 10_000
    assert [r.sign_on for r in model.rows] == [10_000, 0]


def test_sign_on_beyond_the_horizon_is_not_counted() -> None:
    model = model_offer(offer(sign_on=[10_000, 5_000]), years=1)
    assert [r.sign_on for r in model.rows] == [10_000]
    model = model_offer(offer(sign_on=[10_000, 5_000]), years=2)
    assert [r.sign_on for r in model.rows] == [10_000, 5_000]


def test_leaving_in_month_13_repays_in_year_2() -> None:
    model = model_offer(
        offer(relocation=8_000, relocation_clawback_months=24, sign_on=[6_000],
              sign_on_clawback_months=24),
        years=2,
        leave_at_month=13,
    )  # fmt: skip
    assert [r.other for r in model.rows] == [8_000, -8_000]
    assert [r.sign_on for r in model.rows] == [6_000, -6_000]
    assert model.leave is not None and model.leave.relocation_repaid == 8_000


def test_refreshers_in_grant_order_and_only_within_the_horizon() -> None:
    o = offer(
        equity={"grant_value": 1},
        refreshers=[{"year": 3, "grant_value": 30_000}, {"year": 2, "grant_value": 20_000}],
    )
    assert [g.year for g in grants_of(o)] == [1, 2, 3]
    assert [g.value for g in grants_of(o)] == [1, 20_000, 30_000]
    assert [g.year for g in model_offer(o, years=2).grants] == [1, 2]
    assert grants_of(offer(equity={"grant_value": 0})) == []


def test_a_refresher_granted_the_month_you_leave_is_not_granted() -> None:
    o = offer(refreshers=[{"year": 2, "grant_value": 20_000}])
    model = model_offer(o, years=2, leave_at_month=12)
    assert model.grants == []
    assert model.leave is not None and model.leave.equity_forfeited == 0


def test_a_one_month_cliff_vests_at_the_cliff_even_when_quarterly() -> None:
    got = vest_schedule(Vesting(years=4, cliff_months=1, frequency="quarterly"))
    assert got[0][0] == 1
    assert sum(share for _, share in got) == 1


def test_a_year_that_vests_nothing_has_no_vest_dates() -> None:
    got = vest_schedule(
        Vesting(years=4, cliff_months=12, frequency="annual", schedule_pct=[50, 50, 0, 0])
    )
    assert [m for m, _ in got] == [12, 24]


def test_the_json_model_names_and_rounds_every_field() -> None:
    from loopready.offers.scenarios import Scenario

    scenario = Scenario("odd", "odd path", (1.123456789, 1.123456789), bonus_payout=0.12345678)
    o = offer(
        equity={"grant_value": 48_000},
        vesting={"years": 4, "cliff_months": 0, "frequency": "monthly"},
        relocation=1_000,
        relocation_clawback_months=12,
    )
    data = model_offer(o, scenario, years=2, leave_at_month=6).to_dict()
    assert data["offer"] == {"name": "t", "current": False, "currency": o.currency}
    assert data["scenario"] == {
        "name": "odd",
        "label": "odd path",
        "price_levels": [1.123457, 1.123457],
        "bonus_payout_pct": 12.3457,
    }
    assert data["horizon_years"] == 2
    assert set(data["components"]) >= {"base", "bonus", "equity", "sign_on", "other"}
    assert [e["grant_value"] for e in data["vesting_events"][:3]] == [1_000.0] * 3
    first = data["vesting_events"][0]
    assert first == {
        "grant": "initial grant",
        "month": 1,
        "year": 1,
        "fraction_pct": 2.0833,
        "grant_value": 1_000.0,
        "price_level": 1.123457,
        "value": 1_123.46,
        "kept": True,
    }
    assert data["leave"] == {
        "month": 6,
        "equity_kept": 6_740.74,
        "equity_forfeited": data["leave"]["equity_forfeited"],
        "bonus_forfeited": 0.0,
        "sign_on_received": 0.0,
        "sign_on_repaid": 0.0,
        "relocation_repaid": 1_000.0,
        "repaid": 1_000.0,
    }
    assert data["leave"]["equity_forfeited"] > 40_000


def test_grant_tranches_add_up_to_the_cent() -> None:
    # 100,000 over 48 months does not divide into cents: running totals keep the sum exact.
    o = offer(equity={"grant_value": 100_000}, vesting={"cliff_months": 0, "frequency": "monthly"})
    events = model_offer(o, years=4).events
    assert len(events) == 48
    assert round(sum(e.grant_value for e in events), 2) == 100_000
    assert round(sum(e.value for e in events), 2) == 100_000
    assert {e.grant_value for e in events} <= {2_083.33, 2_083.34}


def test_the_bonus_of_the_year_you_leave_is_forfeited() -> None:
    o = offer(bonus_target_pct=10, raise_pct=10)
    left = model_offer(o, years=2, leave_at_month=18)
    assert [r.bonus for r in left.rows] == [10_000, 0]
    assert left.leave is not None and left.leave.bonus_forfeited == 11_000
    early = model_offer(o, years=2, leave_at_month=6)
    assert early.leave is not None and early.leave.bonus_forfeited == 10_000
    stayed = model_offer(o, years=2, leave_at_month=24)
    assert [r.bonus for r in stayed.rows] == [10_000, 11_000]
    assert stayed.leave is not None and stayed.leave.bonus_forfeited == 0
    assert model_offer(o, years=2).leave is None


def test_no_clawback_when_you_stay_past_the_horizon() -> None:
    model = model_offer(offer(sign_on=[10_000], sign_on_clawback_months=24), years=1)
    assert [r.sign_on for r in model.rows] == [10_000]
    assert model.leave is None


def test_other_money_is_paid_only_in_its_years() -> None:
    o = offer(other=[{"label": "stipend", "amount": 1_200, "years": [1]}])
    assert [r.other for r in model_offer(o, years=2).rows] == [1_200, 0]


def test_totals_over_the_horizon_and_over_four_years() -> None:
    from loopready.offers.compute import bonus_summary, scenario_summary
    from loopready.offers.scenarios import PRESETS

    o = offer(
        bonus_target_pct=10,
        equity={"grant_value": 50_000},
        vesting={"years": 5, "cliff_months": 12, "frequency": "annual"},
    )
    model = model_offer(o, years=5)
    assert model.component_total("equity") == 50_000
    assert model.component_total("equity", 4) == 40_000
    flat = PRESETS["flat"]
    summary = scenario_summary(o, [flat], years=5, leave_at_month=30)["flat"]
    assert summary["equity_4y"] == 20_000  # years 1 and 2 vest before leaving in month 30
    assert summary["equity"] == 20_000
    assert summary["total"] == sum(summary["totals_by_year"])
    assert len(summary["totals_by_year"]) == 5
    assert scenario_summary(o, [flat], years=3)["flat"]["equity_4y"] is None
    assert len(scenario_summary(o, [flat])["flat"]["totals_by_year"]) == 4
    (half,) = bonus_summary(o, flat, (50,), years=5, leave_at_month=30)
    assert half["payout_pct"] == 50
    assert half["bonus"] == half["bonus_4y"] == 10_000  # years 1 and 2 at half of 10,000
    assert half["total"] == summary["total"] - 10_000
    (full,) = bonus_summary(o, flat, (100,))
    assert full["bonus"] == full["bonus_4y"] == 40_000
    assert bonus_summary(o, flat, (100,), years=3)[0]["bonus_4y"] is None


def test_assumptions_say_the_rules_applied_to_this_offer() -> None:
    from loopready.offers.compute import TAX_NOTE, assumptions

    rich = offer(
        raises_pct=[3, 4],
        bonus_target_pct=10,
        first_year_bonus_pct=50,
        equity={"grant_value": 40_000},
        refreshers=[{"year": 2, "grant_value": 10_000}],
        sign_on=[5_000, 2_000],
        sign_on_clawback_months=12,
        relocation=3_000,
        relocation_clawback_months=6,
    )
    assert assumptions(rich) == [
        TAX_NOTE,
        "Raises at the start of years 2, 3...: 3%, 4% (none after the list ends).",
        "Bonus: 10% of that year's base x the payout, paid at the end of each year if you are "
        "still there; 50% of a full year's bonus in year 1.",
        "Equity (a grant worth $40,000) vests over 4 years, 12-month cliff, quarterly, even; "
        "accrues monthly, delivered on vest dates counted from the grant, all accrued shares "
        "at the cliff.",
        "A vest in year y is valued at the scenario's price level for year y, relative to the "
        "price when that grant was made.",
        "Refresher of $10,000 granted at the start of year 2, vesting over the offer's vesting.",
        "Sign-on: $5,000 at the start of year 1, $2,000 at the start of year 2; repaid (full) "
        "if you leave within 12 months of a payment.",
        "Relocation: $3,000 paid in year 1; repaid (full) if you leave within 6 months.",
    ]
    plain = offer(raise_pct=5, bonus_target_pct=10, sign_on=[1_000], relocation=500)
    assert assumptions(plain) == [
        TAX_NOTE,
        "A 5% raise at the start of every year from 2.",
        "Bonus: 10% of that year's base x the payout, paid at the end of each year if you are "
        "still there; a full year's bonus in year 1.",
        "Sign-on: $1,000 at the start of year 1; no clawback.",
        "Relocation: $500 paid in year 1; no clawback.",
    ]
    assert assumptions(offer()) == [TAX_NOTE, "No raises: base stays the same every year."]
    only_refresher = offer(refreshers=[{"year": 3, "grant_value": 9_000}])
    assert "Equity (refreshers only) vests over" in assumptions(only_refresher)[2]


def test_assumptions_use_the_offer_currency_and_a_refresher_s_own_vesting() -> None:
    from loopready.offers.compute import assumptions

    o = offer(
        currency="GBP",
        sign_on=[1_000],
        relocation=500,
        refreshers=[
            {
                "year": 2,
                "grant_value": 9_000,
                "vesting": {"years": 2, "cliff_months": 0, "frequency": "annual"},
            }
        ],
    )
    assert assumptions(o)[4:] == [
        "Refresher of £9,000 granted at the start of year 2, vesting over 2 years, no cliff, "
        "annual, even.",
        "Sign-on: £1,000 at the start of year 1; no clawback.",
        "Relocation: £500 paid in year 1; no clawback.",
    ]


def test_four_year_totals_stop_at_year_four() -> None:
    from loopready.offers.compute import bonus_summary, scenario_summary
    from loopready.offers.scenarios import PRESETS

    o = offer(
        bonus_target_pct=10,
        equity={"grant_value": 50_000},
        vesting={"years": 5, "cliff_months": 12, "frequency": "annual"},
    )
    summary = scenario_summary(o, [PRESETS["flat"]], years=5)["flat"]
    assert (summary["equity_4y"], summary["equity"]) == (40_000, 50_000)
    (bonus,) = bonus_summary(o, PRESETS["flat"], (100,), years=5)
    assert (bonus["bonus_4y"], bonus["bonus"]) == (40_000, 50_000)
