"""Money in any phrasing: "one hundred fifty-five thousand", "160k", "one sixty", "$165,000".

Candidates say figures the way people talk. Number words are read by ``text2num``
(a maintained parser for written numbers), then the shorthand it leaves alone is
expanded: "172 thousand" and "160k" are thousands, "one sixty" is 160. What is left
is a list of amounts with their place in the normalised sentence, so a detector can
look at the words around each one.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from text_to_num import alpha2digit

#: "one-fifty" is "one fifty" to a speaker; the parser reads the hyphen as a word break.
_HYPHEN_SHORTHAND = re.compile(
    r"\bone-(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b", re.IGNORECASE
)
#: What text2num leaves of "one sixty" (a salary in thousands): "1 60".
_ONE_TENS = re.compile(r"\b1 ([2-9]\d)\b")
#: What text2num leaves of "172 thousand": "172 1000"; of "1.5 million": "1.5 1000000".
_SCALED = re.compile(r"\b(\d+(?:\.\d+)?) (1000|1000000)\b")
_AMOUNT = re.compile(
    r"(?<![\d.,])(?P<cur>[$£€]\s?)?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\d|[.,]\d)"
    r"(?:\s?(?P<unit>k|K|grand|m|M)\b)?(?!\s?(?:%|percent|per cent|years?|months?|weeks?|"
    r"days?|hours?|minutes?|ms\b|people|players|users))"
)


@dataclass(frozen=True)
class Amount:
    """An amount of money in a normalised sentence, in whole units of currency."""

    value: float
    start: int
    end: int


def normalise(text: str) -> str:
    """The text with number words and spoken shorthand written as digits."""
    text = _HYPHEN_SHORTHAND.sub(lambda m: f"one {m.group(1)}", text)
    # The parser is best effort: on text it cannot read, keep the words as they are.
    with contextlib.suppress(Exception):
        text = alpha2digit(text, "en")
    text = _ONE_TENS.sub(r"1\1", text)
    return _SCALED.sub(lambda m: _scaled(m.group(1), m.group(2)), text)


def _scaled(number: str, scale: str) -> str:
    value = float(number) * int(scale)
    return f"{value:.0f}"


def money(text: str) -> list[Amount]:
    """Amounts in ``normalise``d text that could be a yearly salary (20 thousand to 5 million).

    A bare two- or three-digit figure ("I'm on 160") counts as thousands, the way pay is
    said aloud; percentages, durations and years are not amounts.
    """
    found: list[Amount] = []
    for m in _AMOUNT.finditer(text):
        raw = m.group("num").replace(",", "")
        value = float(raw)
        unit = (m.group("unit") or "").lower()
        if unit in {"k", "grand"}:
            value *= 1000
        elif unit == "m":
            value *= 1_000_000
        elif not m.group("cur") and 1900 <= value <= 2100 and "," not in m.group("num"):
            continue  # a year
        elif value < 1000:
            if "." in raw or value < 20:
                continue
            value *= 1000
        if 20_000 <= value <= 5_000_000:
            found.append(Amount(value, m.start(), m.end()))
    return found
