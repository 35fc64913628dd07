"""Numbers as people write and say them: one place for the number words and digit grammars.

Three kinds of reader share the word lists here:

* regular-expression fragments (:data:`NUMBER_WORD`, :data:`COUNT_WORD`, :data:`DIGITS`,
  :data:`FIGURE`, :data:`PERCENT`, :data:`QUANTITY`) that the signal detectors, the brief
  linter and the claims extractor compile into their own patterns;
* :func:`parse_number` for one matched number ("8", "eight", "1,200", "twenty-five"),
  :func:`figures` for the decimals of a text (key points against an answer), and
  :func:`number_words` the other way, for comparing a transcript with its script, and
  :func:`typed_amount` for one amount typed into a form ("170k", "$1.2M");
* money in any phrasing: "one hundred fifty-five thousand", "160k", "one sixty",
  "$165,000". Number words are read by ``text2num`` (a maintained parser for written
  numbers), then the shorthand it leaves alone is expanded: "172 thousand" and "160k"
  are thousands, "one sixty" is 160. :func:`money` lists the amounts with their place in
  the sentence :func:`normalise` gives, so a detector can look at the words around each one.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Final

from text_to_num import alpha2digit

# -- number words ---------------------------------------------------------------------------

_ONES_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS_WORDS = (
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip
_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ONES = "|".join(_ONES_WORDS)
_TEENS = "|".join(_TEENS_WORDS)
#: "twenty", "twenty-five", "ninety nine".
_COMPOUND = rf"(?:{'|'.join(_TENS_WORDS)})(?:[- ](?:{_ONES}))?"

#: Spelled-out numbers, including compounds ("twenty-five") and fractions ("a third").
NUMBER_WORD: Final = (
    rf"(?:{_COMPOUND}|{_ONES}|{_TEENS}|a hundred|one hundred|hundred|a dozen|dozen|half|a half"
    r"|a third|a quarter|a tenth)"
)
#: Spelled-out counts, with the idioms people count in ("a couple of", "half a dozen"):
#: the words :func:`parse_number` reads.
COUNT_WORD: Final = (
    rf"(?:half a dozen|a couple(?: of)?|a dozen|a hundred|{_COMPOUND}|zero|{_ONES}|{_TEENS}"
    r"|dozen)"
)
_WORD_VALUES: Final[dict[str, int]] = {
    "zero": 0,
    **{w: i for i, w in enumerate(_ONES_WORDS + _TEENS_WORDS, start=1)},
    **{w: 10 * i for i, w in enumerate(_TENS_WORDS, start=2)},
    "a dozen": 12, "dozen": 12, "a hundred": 100, "half a dozen": 6, "a couple of": 2,
    "a couple": 2,
}  # fmt: skip
#: Multipliers written after a figure: "3k", "1.2 million", "$2bn".
SCALES: Final[dict[str, float]] = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
    "billion": 1e9,
}  # fmt: skip

# -- digit grammars -----------------------------------------------------------------------

#: Digits with thousands separators or decimals: 5, 0.8, 1,200, 3.5.
DIGITS: Final = r"\d+(?:[.,]\d+)*"
#: One figure, read strictly: "1,200,000.5", "12", "0.8" (commas only between thousands).
FIGURE: Final = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

#: Percentages and point changes: "5%", "5 percent", "five percent", "3 points", "40 bps".
PERCENT: Final = (
    rf"(?:{DIGITS}\s?(?:%|percent|per cent|pct|pp|percentage points?|points?|pts|bps"
    rf"|basis points)|{NUMBER_WORD}\s(?:percent|per cent|percentage points?|points?)"
    r"|half an? (?:percent|per cent|percentage point|point))"
)

#: Any quantity worth quoting: money, percentages, multiples, counts with units.
QUANTITY: Final = (
    rf"(?:[$£€¥]\s?{DIGITS}(?:\s?(?:k|m|mm|bn|b|million|billion|thousand))?"
    rf"|{PERCENT}"
    rf"|{DIGITS}\s?(?:x|times|ms|milliseconds|seconds|secs|s|minutes|mins|hours|hrs|k|m|bn"
    rf"|million|billion|thousand|users|players|customers|stars|fps)"
    rf"|(?:{NUMBER_WORD})\s(?:times|x|million|billion|thousand|hundred)"
    rf"|{DIGITS}"
    rf"|twice|double|triple|half)"
)

#: Any sign of a number in a sentence: a digit or a number word ("twice", "a dozen").
SAYS_A_NUMBER: Final = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|thousand|million|billion|half|double|twice|triple|dozen|quarter)\b",
    re.IGNORECASE,
)

_DECIMAL = re.compile(r"\d+(?:[.,]\d+)?")


def parse_number(text: str) -> float | None:
    """``"8"``, ``"eight"``, ``"1,200"``, ``"twenty-five"`` -> a float."""
    t = text.lower().strip()
    if re.fullmatch(FIGURE, t):
        return float(t.replace(",", ""))
    if t in _WORD_VALUES:
        return float(_WORD_VALUES[t])
    parts = re.split(r"[- ]", t)
    if len(parts) == 2 and parts[0] in _WORD_VALUES and parts[1] in _WORD_VALUES:
        return float(_WORD_VALUES[parts[0]] + _WORD_VALUES[parts[1]])
    return None


_SPELLING_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))


def number_words(n: int) -> str:
    """Spell a whole number in English words: 2026 -> "two thousand twenty six"."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return ("zero", *_ONES_WORDS, *_TEENS_WORDS)[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS_WORDS[tens - 2] + ("" if ones == 0 else " " + number_words(ones))
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return number_words(hundreds) + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    for size, name in _SPELLING_SCALES:
        if n >= size:
            high, rest = divmod(n, size)
            return number_words(high) + " " + name + ("" if rest == 0 else " " + number_words(rest))
    raise AssertionError("unreachable")  # pragma: no cover


def figures(text: str) -> set[float]:
    """The figures written in digits in ``text``, to one decimal ("12,5" is 12.5)."""
    found = set()
    for match in _DECIMAL.findall(text):
        try:
            found.add(round(float(match.replace(",", ".")), 1))
        except ValueError:  # "1.2.3" style
            continue
    return found


_TYPED_AMOUNT = re.compile(
    r"^\s*([-+]?)\s*[$€£¥]?\s*([-+]?[0-9][0-9,]*(?:\.[0-9]*)?)\s*([kmb]?)\s*$", re.I
)


def typed_amount(text: str) -> float | None:
    """One amount as typed into a form field: "$170,000", "170k", "1.2M", "-5,000".

    None when the text is anything else (words, a range, two figures).
    """
    match = _TYPED_AMOUNT.match(text)
    if not match:
        return None
    sign, digits, scale = match.groups()
    number = float(digits.replace(",", "")) * SCALES.get(scale.lower(), 1.0)
    return -number if sign == "-" else number


# -- money ------------------------------------------------------------------------------------

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
