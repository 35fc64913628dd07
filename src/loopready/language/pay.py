"""Current pay: whether a sentence states what the speaker is paid today.

Disclosing current pay anchors a negotiation low, so the grader flags it and the offer
practice watches for it. A sentence states current pay when it carries a salary-sized
amount (in digits, words or shorthand: "one fifty-five thousand", "160k", "one sixty",
"172 thousand base", read by :mod:`loopready.language.numbers`) said as the speaker's
own pay now ("I make ...", "my base salary is ...", "... right now"), unless it is
withheld ("I'd rather not share"), long past ("in my first job, ten years ago") or a
target ("I'm looking for 180k").
"""

from __future__ import annotations

import re

from loopready.language import numbers

_NOW = (
    r"(?:currently|current|right\s+now|at\s+the\s+moment|today|now|these\s+days|presently|"
    r"present|last\s+year|this\s+year|at\s+my\s+(?:current\s+|present\s+)?(?:job|role|company|"
    r"employer|work))"
)
_PAY_VERB = (
    r"(?:make|making|earn|earning|paid|get\s+paid|getting|on|at|sitting\s+at|take\s+home|"
    r"taking\s+home|bring\s+in|bringing\s+in|pulling\s+in|pull\s+in|clear|clearing|"
    r"bring\s+home|bringing\s+home|made|earned|took\s+home|was\s+paid|got\s+paid)"
)
_PAY_NOUN = r"(?:base\s+salary|salary|base|pay|comp|compensation|package|total\s+comp|ote|income)"
#: Words that make a figure a target, not current pay.
_TARGET = re.compile(
    r"\b(?:looking\s+for|target\w*|aim\w*|expect\w*|ask\w*|hoping|want\w*|would\s+need|"
    r"need\s+to\s+see|range|offer\w*|band|market|would\s+be|goal)\b",
    re.IGNORECASE,
)
#: A figure stated as one's pay, now: "I make ...", "my base salary is ...", "... right now".
_CURRENT_PAY = [
    re.compile(
        rf"\b(?:i|i'm|i\s+am|i've\s+been)\s+(?:currently\s+|now\s+)?{_PAY_VERB}\b", re.IGNORECASE
    ),
    re.compile(
        rf"\bmy\s+(?:current\s+|present\s+|existing\s+|actual\s+)?{_PAY_NOUN}\s+"
        r"(?:[\w-]+\s+){0,2}?(?:is|was|sits|comes|came|stands|of)\b",
        re.IGNORECASE,
    ),
    re.compile(rf"\b{_NOW}\b", re.IGNORECASE),
    re.compile(r"\bwhat\s+i\s+(?:make|earn|take\s+home|get)\b", re.IGNORECASE),
]
_PRESENT_PAY = re.compile(
    r"\b(?:i\s+(?:currently\s+)?(?:make|earn|take\s+home|bring\s+in|bring\s+home|pull\s+in|"
    r"clear)|pays\s+me|"
    r"i(?:'m|\s+am)\s+(?:currently\s+|now\s+)?(?:paid|on|at|making|earning)|i\s+get\s+paid)\b",
    re.IGNORECASE,
)
_WITHHOLD = re.compile(
    r"\b(?:rather\s+not|won't|will\s+not|wouldn't|prefer\s+not|not\s+(?:going\s+to\s+)?"
    r"(?:share|disclose|say|give|discuss|anchor))\b",
    re.IGNORECASE,
)

#: A pay figure from long ago ("in my first job, ten years ago") is history, not today's pay.
_LONG_AGO = re.compile(
    r"\b(?:first\s+job|(?:\w+|\d+)\s+years\s+ago|back\s+then|when\s+i\s+started\s+out|"
    r"out\s+of\s+(?:school|college|university)|as\s+an?\s+intern|early\s+in\s+my\s+career)\b",
    re.IGNORECASE,
)


def states_current_pay(sentence: str) -> bool:
    """Whether ``sentence`` states the speaker's current pay with a figure."""
    text = numbers.normalise(sentence)
    if not numbers.money(text) or _WITHHOLD.search(text):
        return False
    if not any(p.search(text) for p in _CURRENT_PAY):
        return False
    if _LONG_AGO.search(text) and not (_PRESENT_PAY.search(text) or _CURRENT_PAY[2].search(text)):
        return False
    # "I'm currently looking for 180k" is a target; "I make 160 and want 190" discloses.
    return not (
        _TARGET.search(text) and not (_PRESENT_PAY.search(text) or _CURRENT_PAY[1].search(text))
    )
