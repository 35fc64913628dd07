"""Blind spots: the failure patterns that sink candidates, found with a quote.

The guide's patterns have rules of their own, built on the language signals (a
metric dump is many metrics *and* no choice among them). A pack's other blind spots
are found by similarity to their example sentences. Each finding quotes the sentence
that shows it, so the candidate sees exactly what to change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from loopready.grading.embeddings import Vectors
from loopready.grading.signals import Analysis
from loopready.packs.schema import BlindSpot

#: Similarity above which a sentence counts as an instance of a pack's own blind spot.
SEMANTIC_THRESHOLD = 0.78


@dataclass(frozen=True)
class Finding:
    id: str
    sentence_index: int


_NO_TECH = re.compile(
    r"\b(?:(?:i\s*(?:do\s*not|don't|dont)|i've\s+never|i\s+never)\s+(?:have|had|come\s+from|"
    r"really\s+have)?\s*(?:a|any|much)?\s*(?:technical|engineering|coding|cs|computer science|"
    r"ml|machine learning)\s+(?:background|experience|degree|side)|"
    r"i'?m\s+not\s+(?:a\s+|an\s+|very\s+|that\s+|really\s+)?(?:technical|engineer|coder|"
    r"programmer|data scientist|ml person)|"
    r"(?:leave|leaving)\s+(?:the\s+)?(?:technical|tech|ml|model)\s+(?:stuff|details|side|bits)"
    r"\s+to\s+(?:the\s+)?(?:engineers|scientists|team)|"
    r"not\s+(?:from|coming\s+from)\s+a\s+technical\s+background)",
    re.IGNORECASE,
)
_CURRENT_PAY = re.compile(
    r"(?:\bi(?:'m|\s+am)\s+(?:on|at|making|earning|paid|getting)\s+(?:exactly\s+|about\s+|around\s+)?"
    r"(?:\$|£|€)\s?\d|"
    r"\bi\s+(?:make|earn|take\s+home|get\s+paid)\s+(?:exactly\s+|about\s+|around\s+)?(?:\$|£|€)\s?\d|"
    r"\b(?:currently|right\s+now|today|at\s+the\s+moment|now)\b[^.?!]{0,40}?"
    r"\b(?:make|making|earn|earning|paid|on|at|get|getting|take\s+home)\b[^.?!]{0,25}?"
    r"(?:\$|£|€|\b\d{2,3}\s?k\b|\b\d{2,3},\d{3}\b)|"
    r"\bmy\s+(?:current|present)\s+(?:salary|base|base\s+salary|pay|compensation|comp|package)"
    r"\s+(?:is|was|sits\s+at|comes\s+to)\b[^.?!]{0,25}?(?:\$|£|€|\d))",
    re.IGNORECASE,
)
_BASE_TALK = re.compile(
    r"\b(?:base(?:\s+salary|\s+pay)?|salary|base\s+number|annual\s+pay|pay\s+rise|raise)\b",
    re.IGNORECASE,
)
_OTHER_LEVERS = re.compile(
    r"\b(?:equity|rsus?|stock|shares|options|vesting|bonus|sign[- ]?on|signing|total\s+comp"
    r"(?:ensation)?|total\s+package|whole\s+package|overall\s+package|refresher)\b",
    re.IGNORECASE,
)
_ALGORITHM = re.compile(
    r"\b(?:gradient(?:s|\s+check(?:ing)?|\s+descent)?|backprop(?:agation)?|learning\s+rate|"
    r"hyper-?parameters?|layers?|architecture|loss\s+(?:function|curve)|optimi[sz]er|adam|"
    r"weights?|epochs?|batch\s+(?:size|norm(?:alization)?)|activation|attention\s+heads?|"
    r"dropout|regulari[sz]ation|convolution(?:al)?|resnet|transformer|fine-?tun(?:e|ing)|"
    r"embedding\s+dimension|tensor)\b",
    re.IGNORECASE,
)
_GTM = re.compile(
    r"\b(?:launch|roll\s*out|rollout|ship|go-to-market|go\s+to\s+market|gtm|release|"
    r"go/no-go|go\s+or\s+no[- ]go|ramp|general\s+availability|ga\b|marketing|pricing|"
    r"announce|expand\s+to)\w*",
    re.IGNORECASE,
)


def _first(pattern: re.Pattern[str], sentences: list[str]) -> int | None:
    for i, sentence in enumerate(sentences):
        if pattern.search(sentence):
            return i
    return None


def _metric_dump(sentences: list[str], a: Analysis) -> int | None:
    distinct = {m.name.lower() for m in a.metrics}
    prioritised = len(a.hits.get("metric_prioritised", []))
    # Many metrics and no choice among them; or so many that a passing "primary" does not
    # turn the list into a choice.
    if len(distinct) < 6 or (prioritised and len(distinct) < 9) or prioritised > 2:
        return None
    per_sentence: dict[int, int] = {}
    for m in a.metrics:
        per_sentence[m.sentence_index] = per_sentence.get(m.sentence_index, 0) + 1
    return max(per_sentence, key=lambda i: per_sentence[i])


def _jargon_without_outcome(sentences: list[str], a: Analysis) -> int | None:
    if len(a.jargon) < 4:
        return None
    tied = sum(1 for j in a.jargon if j.tied_to_outcome)
    if tied / len(a.jargon) > 0.2:
        return None
    untied = [j for j in a.jargon if not j.tied_to_outcome]
    return untied[0].sentence_index if untied else None


_RESULT_TO_ACTION = re.compile(
    r"\b(?:if|when|once|unless)\b[^.?!]{0,120}\b(?:win|wins|beat|beats|lift|lifts|improv\w+|"
    r"hold|holds|moves?|drops?|falls?|clears?|hits?|reach\w*|pass\w*|fail\w*|significant)\b"
    r"[^.?!]{0,120}\b(?:launch|ship|roll|expand|go\b|ga\b|release|kill|stop|scale|extend|"
    r"widen|ramp|open)\w*",
    re.IGNORECASE,
)


def _experiments_without_gtm(sentences: list[str], a: Analysis) -> int | None:
    """Tests described with no result that decides a launch: nothing says what a win
    or a loss would make the team do."""
    experiments = a.hits.get("experiment", [])
    if len(experiments) < 2:
        return None
    if any(_RESULT_TO_ACTION.search(s) for s in sentences) or a.hits.get("stop_rule"):
        return None
    return experiments[0].sentence_index


_DEFLECT = re.compile(
    r"\bwhat\s+i\s+bring\b|\bvision\b|\btrust\s+the\s+(?:team|engineers)|"
    r"\blet\s+(?:the\s+)?(?:data\s+science|engineering|ml)\s+team|"
    r"\bnot\s+(?:going\s+to|gonna)\s+pretend|\bwouldn't\s+be\s+the\s+person|"
    r"\bdon't\s+think\s+a\s+pm\s+needs|"
    r"\b(?:so|that's why|which is why|instead)\b[^.?!]{0,60}\b(?:focus|stick|leave|rely|defer|"
    r"trust|hand)\w*|\b(?:leave|leaving|defer|hand)\w*\s+(?:that|it|this|those|the\s+\w+(?:\s+\w+)?)"
    r"\s+(?:to|for)\s+(?:the\s+)?(?:engineers?|scientists?|team|experts?|ml\s+folks)|"
    r"\b(?:product\s+vision|big\s+picture|not\s+my\s+(?:area|job|strength))\b",
    re.IGNORECASE,
)


def _no_tech_background(sentences: list[str], a: Analysis) -> int | None:
    """The excuse is the deflection after the admission, not the admission: "I'm not an
    ML engineer, but here is how I'd evaluate it" is the better alternative itself."""
    for i, sentence in enumerate(sentences):
        if not _NO_TECH.search(sentence):
            continue
        window = " ".join(sentences[i : i + 3])
        if _DEFLECT.search(window):
            return i
    return None


def _algorithm_over_decision(sentences: list[str], a: Analysis) -> int | None:
    terms = [i for i, s in enumerate(sentences) for _ in _ALGORITHM.finditer(s)]
    if len(terms) < 4 or len(set(terms)) < 2:
        return None
    decisions = len(a.hits.get("decision", [])) + len(a.hits.get("threshold_action", []))
    if decisions >= 2:
        return None
    return terms[0]


_ASK = re.compile(
    r"\b(?:want|wanting|looking\s+for|expect|expecting|ask|asking|target|number|minimum|need|"
    r"would\s+take|hoping\s+for|aiming|push\s+for|negotiate|bump|increase|higher|top\s+of|"
    r"goal|as\s+high\s+as)\b",
    re.IGNORECASE,
)
_DISMISS = re.compile(
    r"\b(?:not\s+(?:really\s+)?(?:fussed|bothered|interested|worried|optimi[sz]ing|focused|"
    r"counting)|(?:don't|doesn't|do\s+not|does\s+not)\s+(?:really\s+)?(?:factor|matter|care|"
    r"count|move\s+the\s+needle)|leave\s+(?:those|that|them|it)|whatever\s+is\s+standard|"
    r"rather\s+(?:just\s+)?(?:have|keep|put)\s+(?:it|everything)\s+in\s+(?:the\s+)?base|"
    r"focused\s+on\s+(?:the\s+)?base|can't\s+pay\s+rent|only\s+(?:care|ask)\w*\s+about\s+base|"
    r"ignore|aside)",
    re.IGNORECASE,
)


def _base_only(sentences: list[str], a: Analysis) -> int | None:
    """An ask made on base alone: other levers absent, or named only to be waved away."""
    ask = next(
        (i for i, s in enumerate(sentences) if _BASE_TALK.search(s) and _ASK.search(s)), None
    )
    if ask is None:
        return None
    for sentence in sentences:
        if _OTHER_LEVERS.search(sentence) and not _DISMISS.search(sentence):
            return None
    return ask


def _discloses_salary(sentences: list[str], a: Analysis) -> int | None:
    return _first(_CURRENT_PAY, sentences)


RULES: dict[str, Callable[[list[str], Analysis], int | None]] = {
    "metric_dump": _metric_dump,
    "jargon_without_outcome": _jargon_without_outcome,
    "experiments_without_gtm": _experiments_without_gtm,
    "no_tech_background_excuse": _no_tech_background,
    "algorithm_over_decision": _algorithm_over_decision,
    "base_only_negotiation": _base_only,
    "discloses_current_salary": _discloses_salary,
}
#: Judged across rounds by the debrief, never from one answer.
LOOP_LEVEL = {"isolated_rounds"}


def detect(
    spots: list[BlindSpot],
    sentences: list[str],
    analysis: Analysis,
    sentence_vectors: Vectors,
    example_vectors: dict[str, Vectors],
) -> list[Finding]:
    """The blind spots an answer shows, each with the index of the sentence to quote."""
    found: list[Finding] = []
    if not sentences:
        return found
    for spot in spots:
        if spot.id in LOOP_LEVEL:
            continue
        rule = RULES.get(spot.id)
        if rule is not None:
            index = rule(sentences, analysis)
        else:
            index = _semantic(sentence_vectors, example_vectors.get(spot.id))
        if index is not None:
            found.append(Finding(spot.id, index))
    return found


def _semantic(sentence_vectors: Vectors, examples: Vectors | None) -> int | None:
    if examples is None or sentence_vectors.shape[0] == 0:
        return None
    sims = (sentence_vectors @ examples.T).max(axis=1)
    best = int(np.argmax(sims))
    return best if float(sims[best]) >= SEMANTIC_THRESHOLD else None
