"""The offer schema: one job offer (or the current job) as validated data.

An offer file is YAML; the web form sends the same keys. Every model forbids
unknown keys, and every problem is reported as ``FILE: field: message`` through
:class:`loopready.errors.InputError`, so a typo names the key to fix.

Money may be written as a number or as text such as ``"$170,000"``, ``170k`` or
``1.2M``; percentages as ``12.5`` or ``"12.5%"``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from loopready.bounds import MAX_AMOUNT
from loopready.errors import InputError
from loopready.language.numbers import typed_amount
from loopready.offers.fmt import fmt_number, money
from loopready.yamlfiles import allowed_keys, load_bounded, malformed, read_user_file

Frequency = Literal["monthly", "quarterly", "semiannual", "annual"]
ClawbackRule = Literal["full", "prorated"]

#: Months between vest dates for each frequency.
PERIOD_MONTHS: dict[str, int] = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}


def _money_text(value: Any) -> Any:
    """Turn "$170,000", "170k" or "1.2M" into a number; leave anything else to pydantic."""
    if isinstance(value, str):
        number = typed_amount(value)
        if number is not None:
            return number
    return value


def _percent_text(value: Any) -> Any:
    """Turn "12.5%" into 12.5; leave anything else to pydantic."""
    if isinstance(value, str):
        text = value.strip().removesuffix("%").strip()
        try:
            return float(text)
        except ValueError:
            return value
    return value


#: Amounts are bounded (:data:`loopready.bounds.MAX_AMOUNT`) so every sum stays exact.
Money = Annotated[
    float, BeforeValidator(_money_text), Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)
]
Percent = Annotated[float, BeforeValidator(_percent_text), Field(ge=0, allow_inf_nan=False)]


def field_error(field: str, message: str) -> PydanticCustomError:
    """An error about ``field`` of the model being validated (appended to its location)."""
    return PydanticCustomError("offer_field", message, {"field": field})


class _Strict(BaseModel):
    """Base for every offer model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Equity(_Strict):
    """The initial equity grant, in one of three forms.

    * ``grant_value``: the grant's value in money at grant;
    * ``shares`` and ``price``: a number of shares and the price per share;
    * ``percent`` and ``valuation``: a percentage of the company and its valuation.

    ``valuation`` may also accompany the first two forms: it lets the market check
    express the grant as a percentage of the company.
    """

    grant_value: Money | None = None
    shares: Annotated[float, Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)] | None = None
    price: Money | None = None
    percent: Annotated[Percent, Field(le=100)] | None = None
    valuation: Money | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Equity:
        forms = [
            key
            for key in ("grant_value", "shares", "price", "percent")
            if getattr(self, key) is not None
        ]
        if "shares" in forms and "price" in forms:
            forms.remove("price")
        if len(forms) > 1:
            raise PydanticCustomError(
                "offer_form",
                "give the grant in one form only: grant_value; shares and price; or "
                "percent and valuation (got {got})",
                {"got": " and ".join(forms)},
            )
        if not forms:
            raise PydanticCustomError(
                "offer_form",
                "give the grant as grant_value; shares and price; or percent and valuation",
            )
        if self.shares is not None and self.price is None:
            raise field_error("price", "needed with shares: the price per share")
        if self.price is not None and self.shares is None:
            raise field_error("shares", "needed with price: the number of shares")
        if self.percent is not None and self.valuation is None:
            raise field_error("valuation", "needed with percent: the company's valuation")
        return self

    @property
    def value(self) -> float:
        """The grant's value at grant, in money."""
        if self.grant_value is not None:
            return self.grant_value
        if self.shares is not None and self.price is not None:
            return self.shares * self.price
        assert self.percent is not None and self.valuation is not None
        return self.percent / 100 * self.valuation

    @property
    def percent_of_company(self) -> float | None:
        """The grant as a percentage of the company, when a valuation is known."""
        if self.percent is not None:
            return self.percent
        if self.valuation:
            return self.value / self.valuation * 100
        return None

    def describe(self, currency: str = "USD") -> str:
        if self.grant_value is not None:
            return f"a grant worth {money(self.grant_value, currency)}"
        if self.shares is not None and self.price is not None:
            return (
                f"{fmt_number(self.shares)} shares at {money(self.price, currency, cents=True)} "
                f"= {money(self.value, currency)}"
            )
        return (
            f"{fmt_number(self.percent or 0)}% of a {money(self.valuation or 0, currency)} "
            f"valuation = {money(self.value, currency)}"
        )


class Vesting(_Strict):
    """How a grant vests: over ``years``, after a cliff, on a frequency, in a shape.

    ``schedule_pct`` gives the share vesting in each year (even when omitted);
    it must have one entry per year and sum to 100. When ``years`` is omitted it
    is the length of ``schedule_pct`` (or 4).
    """

    years: int = Field(default=4, ge=1, le=10)
    cliff_months: int = Field(default=12, ge=0)
    frequency: Frequency = "quarterly"
    schedule_pct: list[Percent] | None = None

    @model_validator(mode="before")
    @classmethod
    def _years_from_schedule(cls, data: Any) -> Any:
        if isinstance(data, dict) and "years" not in data:
            schedule = data.get("schedule_pct")
            if isinstance(schedule, list) and 1 <= len(schedule) <= 10:
                return {**data, "years": len(schedule)}
        return data

    @field_validator("schedule_pct")
    @classmethod
    def _sums_to_100(cls, value: list[float] | None) -> list[float] | None:
        if value is not None:
            if not value:
                raise PydanticCustomError(
                    "offer_value", "give one percentage per year, e.g. [25, 25, 25, 25]"
                )
            total = sum(value)
            if abs(total - 100) > 0.011:
                raise PydanticCustomError(
                    "offer_value", "must sum to 100 (got {got})", {"got": fmt_number(total)}
                )
        return value

    @model_validator(mode="after")
    def _fits(self) -> Vesting:
        if self.schedule_pct is not None and len(self.schedule_pct) != self.years:
            raise field_error(
                "schedule_pct",
                f"has {len(self.schedule_pct)} entries but vesting.years is {self.years}; "
                "give one percentage per year",
            )
        months = self.years * 12
        if self.cliff_months > months:
            raise field_error(
                "cliff_months",
                f"cliff ({self.cliff_months} months) is longer than the vesting period "
                f"({months} months)",
            )
        return self

    @property
    def shape(self) -> list[float]:
        """The percentage vesting in each year (even when no schedule was given)."""
        if self.schedule_pct is not None:
            return list(self.schedule_pct)
        return [100 / self.years] * self.years

    def describe(self) -> str:
        shape = (
            "/".join(fmt_number(p) for p in self.schedule_pct)
            if self.schedule_pct is not None and len(set(self.schedule_pct)) > 1
            else "even"
        )
        cliff = f"{self.cliff_months}-month cliff" if self.cliff_months else "no cliff"
        return f"{self.years} years, {cliff}, {self.frequency}, {shape}"


class Refresher(_Strict):
    """A further grant made at the start of ``year`` (year 2 = after the first year)."""

    year: int = Field(ge=1, le=20)
    grant_value: Money
    vesting: Vesting | None = Field(
        default=None, description="How it vests; the offer's own vesting when omitted."
    )


class OtherItem(_Strict):
    """Any other yearly money: a 401(k) match, a stipend. Accrues month by month."""

    label: Annotated[str, Field(min_length=1)]
    amount: Money
    years: list[Annotated[int, Field(ge=1, le=20)]] | None = Field(
        default=None, description="Years it is paid in; every year when omitted."
    )


class Offer(_Strict):
    """A job offer, or the current job (``current: true``), as a total package."""

    name: Annotated[str, Field(min_length=1, max_length=120)] = "offer"
    current: bool = False
    currency: Annotated[
        str,
        BeforeValidator(lambda v: v.upper() if isinstance(v, str) else v),
        Field(pattern=r"^[A-Z]{3}$"),
    ] = "USD"
    base: Money
    raise_pct: Annotated[Percent, Field(le=100)] = 0.0
    raises_pct: list[Annotated[Percent, Field(le=100)]] | None = None
    bonus_target_pct: Annotated[Percent, Field(le=200)] = 0.0
    first_year_bonus_pct: Annotated[Percent, Field(le=100)] = 100.0
    equity: Equity | None = None
    vesting: Vesting = Field(default_factory=Vesting)
    refreshers: list[Refresher] = Field(default_factory=list)
    sign_on: list[Money] = Field(default_factory=list)
    sign_on_clawback_months: int = Field(default=0, ge=0, le=120)
    relocation: Money = 0.0
    relocation_clawback_months: int = Field(default=0, ge=0, le=120)
    clawback_rule: ClawbackRule = "full"
    other: list[OtherItem] = Field(default_factory=list)
    notes: str = ""

    @field_validator("sign_on", mode="before")
    @classmethod
    def _sign_on_list(cls, value: Any) -> Any:
        # One number is the usual case: a single payment when you join.
        if value is None:
            return []
        if isinstance(value, list):
            return value
        number = _money_text(value)
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise PydanticCustomError(
                "offer_value",
                "must be an amount, or a list of amounts paid at the start of years 1, 2...",
            )
        if number < 0:
            raise PydanticCustomError(
                "offer_value", "must not be negative (got {got})", {"got": fmt_number(number)}
            )
        return [number]

    @model_validator(mode="after")
    def _consistent(self) -> Offer:
        if self.raise_pct and self.raises_pct is not None:
            raise field_error(
                "raises_pct",
                "give raise_pct (the same raise every year) or raises_pct (one per year), not both",
            )
        return self

    # -- derived figures used by the engine ----------------------------------------------

    def base_in_year(self, year: int) -> float:
        """The yearly base in ``year`` (1-based), after the raises before it."""
        base = self.base
        for y in range(2, year + 1):
            base *= 1 + self.raise_for_year(y) / 100
        return base

    def raise_for_year(self, year: int) -> float:
        """The raise (percent) applied at the start of ``year``; none in year 1."""
        if year <= 1:
            return 0.0
        if self.raises_pct is not None:
            index = year - 2
            return self.raises_pct[index] if index < len(self.raises_pct) else 0.0
        return self.raise_pct

    @property
    def equity_value(self) -> float:
        return self.equity.value if self.equity else 0.0


# -- loading ---------------------------------------------------------------------------


def load_offer(path: Path | str) -> Offer:
    """Read and validate an offer file; :class:`InputError` saying what to fix otherwise."""
    path = Path(path)
    text = read_user_file(path, "an offer file (.yaml)")
    return parse_offer_text(text, str(path), default_name=path.stem)


def parse_offer_text(text: str, source: str, default_name: str = "offer") -> Offer:
    """Validate offer YAML given as text; ``source`` prefixes every problem."""
    try:
        data, _root = load_bounded(text, source, fast=False)
    except yaml.YAMLError as exc:
        raise InputError(malformed(exc, source)) from None
    if data is None:
        raise InputError(f"{source}: the file is empty; an offer needs at least `base: <salary>`")
    return parse_offer(data, source, default_name)


def parse_offer(data: Any, source: str, default_name: str = "offer") -> Offer:
    """Validate an offer given as a mapping (from YAML or a web form)."""
    if not isinstance(data, dict):
        raise InputError(
            f"{source}: an offer must be a mapping of keys such as `base: 170000` "
            f"(got {type(data).__name__})"
        )
    if "name" not in data or data.get("name") in (None, ""):
        data = {**data, "name": default_name}
    try:
        return Offer.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            field, message = describe_error(err)
            lines.append(f"{source}: {field}: {message}" if field else f"{source}: {message}")
        raise InputError("\n".join(dict.fromkeys(lines))) from None


# -- error messages --------------------------------------------------------------------


def _got(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int | float):
        return fmt_number(value)
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def describe_error(err: Any) -> tuple[str, str]:
    """A pydantic error as (``field.path``, message a person can act on)."""
    loc: tuple[str | int, ...] = tuple(err["loc"])
    ctx: dict[str, Any] = err.get("ctx") or {}
    kind: str = err["type"]
    if kind in ("offer_field",):
        loc = (*loc, ctx["field"])
    field = ".".join(str(p) for p in loc)
    got = _got(err.get("input"))
    if kind == "extra_forbidden":
        allowed = allowed_keys(Offer, loc[:-1])
        return field, f"unknown key; allowed: {', '.join(allowed)}"
    if kind == "missing":
        what = {"base": " (the yearly base salary)"}.get(field, "")
        return field, f"is required{what}"
    if kind == "greater_than_equal":
        bound = ctx["ge"]
        if bound == 0:
            return field, f"must not be negative (got {got})"
        return field, f"must be at least {_got(bound)} (got {got})"
    if kind == "greater_than":
        return field, f"must be more than {_got(ctx['gt'])} (got {got})"
    if kind == "less_than_equal":
        return field, f"must be at most {_got(ctx['le'])} (got {got})"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return field, f"must be a number (got {got})"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return field, f"must be a whole number (got {got})"
    if kind in ("bool_parsing", "bool_type"):
        return field, f"must be true or false (got {got})"
    if kind == "literal_error":
        return field, f"must be {ctx['expected']} (got {got})"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return field, f"must be a group of keys, such as `key: value` (got {got})"
    if kind == "list_type":
        return field, f"must be a list, such as [25, 25, 25, 25] (got {got})"
    if kind == "string_pattern_mismatch" and loc == ("currency",):
        return field, f"must be a three-letter currency code such as USD (got {got})"
    if kind in ("string_too_short",):
        return field, "must not be empty"
    if kind in ("string_too_long",):
        return field, f"must be at most {ctx['max_length']} characters"
    if kind == "too_short":
        return field, "must not be empty"
    message: str = err["msg"]
    message = message.removeprefix("Value error, ")
    return field, message[:1].lower() + message[1:]
