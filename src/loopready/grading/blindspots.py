"""Blind spots: the failure patterns that sink candidates, found with a quote.

A blind spot names its detector with ``rule:`` (a metric dump is many metrics *and*
no choice among them, read from the language signals); one without a rule is found
by similarity to its example sentences, against its near-misses. No rule is tied to
a pack's ids, so a new company's pack works without code changes. Each finding quotes the sentence
that shows it, so the candidate sees exactly what to change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from loopready.grading.depth import is_elaborated
from loopready.grading.embeddings import Vectors
from loopready.grading.signals import Analysis
from loopready.language.pay import states_current_pay
from loopready.packs.schema import BlindSpot

#: Similarity above which a sentence counts as an instance of a pack's own blind spot.
SEMANTIC_THRESHOLD = 0.78


@dataclass(frozen=True)
class Finding:
    id: str
    sentence_index: int
    #: Other sentences that show the same blind spot (the other asks on base, the levers
    #: waved away): never quoted as evidence either.
    also: tuple[int, ...] = ()


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
_BASE_TALK = re.compile(
    r"\b(?:base(?:\s+salary|\s+pay)?|salary|base\s+number|annual\s+pay|pay\s+rise|raise|"
    r"cash|paycheck|pay\s+cheque|guaranteed\s+(?:money|pay))\b",
    re.IGNORECASE,
)
_OTHER_LEVERS = re.compile(
    r"\b(?:equity|rsus?|stock|shares|options|vesting|bonus|sign[- ]?on|signing|total\s+comp"
    r"(?:ensation)?|total\s+package|whole\s+package|overall\s+package|refresher|total|all[- ]in|"
    r"package|grant|(?:other|rest\s+of\s+the)\s+(?:pieces|parts|components|elements|bits))\b",
    re.IGNORECASE,
)
_ALGORITHM = re.compile(
    r"\b(?:gradient(?:s|\s+check(?:ing)?|\s+descent)?|backprop(?:agation)?|learning\s+rate|"
    r"hyper-?parameters?|layers?|architecture|loss\s+(?:function|curve)|optimi[sz]er|adam|"
    r"weights?|epochs?|batch\s+(?:size|norm(?:alization)?)|activation|attention\s+heads?|"
    r"dropout|regulari[sz]ation|convolution(?:al)?|resnet|transformer|fine-?tun(?:e|ing)|"
    r"embedding\s+dimension|tensor|"
    # how a model is built and tuned: training procedure, model families, search
    r"pre-?train(?:ed|ing)?|distil(?:l|led|lation)|fr[eo]z(?:e|en|ing)\s+(?:the\s+)?\w+|"
    r"denois\w*|diffusion|encoder|decoder|two-tower|lambda-?mart|lightgbm|xgboost|"
    r"gradient-?boosted|(?:grid|random|bayesian)\s+search|optuna|tree\s+depth|"
    r"sequence\s+model|quanti[sz]ation(?:-aware)?|pruning|data\s+augmentation|"
    r"cross-?entropy|contrastive)\b",
    re.IGNORECASE,
)
_GTM = re.compile(
    r"\b(?:launch|roll\s*out|rollout|ship|go-to-market|go\s+to\s+market|gtm|release|"
    r"go/no-go|go\s+or\s+no[- ]go|ramp|general\s+availability|ga\b|marketing|pricing|"
    r"announce|expand\s+to)\w*",
    re.IGNORECASE,
)


#: A sentence that reports what several parties each want ("research wants NDCG, marketing
#: wants click-through") restates the room's positions; its metrics are not the candidate's.
_POSITIONS = re.compile(r"\b(?:wants?|needs?|asks?\s+for|cares?\s+about|pushes\s+for)\b", re.I)


def _metric_dump(sentences: list[str], a: Analysis) -> int | None:
    reported = {i for i, s in enumerate(sentences) if len(_POSITIONS.findall(s)) >= 2}
    metrics = [m for m in a.metrics if m.sentence_index not in reported]
    distinct = {m.name.lower() for m in metrics}
    chosen = a.hits.get("metric_prioritised", [])
    prioritised = len(chosen)
    # A choice with its reason ("the one I'd steer by is X, because ...") is a choice
    # however many metrics are named around it.
    reasoned = any(is_elaborated(sentences[h.sentence_index]) for h in chosen)
    # Many metrics and no choice among them; or so many that a passing "primary" does not
    # turn the list into a choice.
    if len(distinct) < 6 or (prioritised and (len(distinct) < 9 or reasoned)) or prioritised > 2:
        return None
    per_sentence: dict[int, int] = {}
    for m in metrics:
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


_EXPERIMENT_TOOLING = re.compile(
    r"\s*(?:tracking|tracker|management|logging|registry|platform|tool\w*)\b", re.IGNORECASE
)


def _experiments_without_gtm(sentences: list[str], a: Analysis) -> int | None:
    """Tests described with no result that decides a launch: nothing says what a win
    or a loss would make the team do."""
    # "experiment tracking in MLflow" names a tool, not a test the team runs.
    experiments = [
        h
        for h in a.hits.get("experiment", [])
        if not _EXPERIMENT_TOOLING.match(sentences[h.sentence_index], h.end)
    ]
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
    r"(?:main|only|real|key|big|one)\s+(?:thing|number|lever|focus|priority)|priority|"
    r"what\s+(?:really\s+)?(?:counts|matters)|all\s+(?:i|that\s+i)\s+care|care\s+about|"
    r"(?:only|just)\s+(?:look|focus)\w*\s+(?:at|on)|is\s+king|prefer|rather\s+have|"
    r"matters?\s+(?:most|to\s+me)|comes?\s+first|goal|as\s+high\s+as|"
    # an ask as a request or as the price of a yes: "could we get the base to 185",
    # "I'd like the base at 188", "base of 200 and I'm in", "it comes down to the paycheck"
    r"(?:could|can)\s+(?:we|you)\s+(?:get|move|bring|raise|lift|take|make)|i'?d\s+like|"
    r"comes?\s+down\s+to|(?:and|then)\s+i'?m\s+in|i'?d\s+sign|i'?ll\s+sign|to\s+say\s+yes)\b",
    re.IGNORECASE,
)
_RAISE = re.compile(
    r"\b(?:want|looking\s+for|expect|ask|target|need|hoping|aiming|push|bump|increase|higher|"
    r"more\s+than|above|beat)\w*\b",
    re.IGNORECASE,
)
_DISMISS = re.compile(
    r"\b(?:not\s+(?:really\s+)?(?:fussed|bothered|interested|worried|optimi[sz]ing|focused|"
    r"counting)|(?:don't|doesn't|do\s+not|does\s+not)\s+(?:really\s+)?(?:factor|matter|care|"
    r"count|move\s+the\s+needle|value|pay\s+(?:much\s+)?attention)|leave\s+(?:those|that|them|it)|whatever\s+is\s+standard|"
    r"rather\s+(?:just\s+)?(?:have|keep|put)\s+(?:it|everything)\s+in\s+(?:the\s+)?base|"
    r"focused\s+on\s+(?:the\s+)?base|can't\s+pay\s+rent|only\s+(?:care|ask)\w*\s+about\s+base|"
    r"ignore|aside|counts?\s+(?:as|for)\s+(?:zero|nothing|0)|gambl\w*|speculative|"
    r"(?:doesn't|does\s+not|don't|do\s+not)\s+(?:mean|trust|believe\s+in)|(?:not|never)\s+"
    r"(?:a|an)\s+(?:stock|equity|rsu|bonus)\s+(?:person|guy|fan)|discount\w*\s+(?:it|them|that|"
    r"equity|stock|rsus?|bonus\w*)\s+to\s+(?:zero|nothing|0)|(?:never|rarely)\s+(?:pays?|paid)\s+"
    r"out|less\s+than\s+(?:they|you)\s+promise|over\s+(?:equity|stock|rsus?|bonus\w*)|"
    r"instead\s+of\s+(?:equity|stock|rsus?|bonus\w*)|(?:is|are)\s+(?:just\s+)?noise|"
    r"lottery\s+tickets?|funny\s+money|monopoly\s+money|paper\s+money|worth(?:less|\s+nothing)|"
    r"(?:a|the)\s+(?:nice[- ]to[- ]have|bonus\s+at\s+best)|write\s+(?:it|them|that)\s+off|"
    r"(?:treat|count|value)\w*\s+(?:it|them|that|those)?\s*(?:as|at)\s+(?:zero|nothing|0)|"
    r"don't\s+(?:put\s+much\s+)?(?:stock|weight)\s+in|"
    # the lever named only to say it does not weigh: "doesn't move me", "don't change my
    # decision", "can't plan around a maybe", "I'd trade the RSUs for base", "leave as is"
    r"(?:don't|doesn't|do\s+not|does\s+not|won't|wouldn't)\s+(?:really\s+)?(?:move|change|"
    r"sway|affect|interest|tempt)\s+(?:me|my)|(?:don't|do\s+not)\s+(?:really\s+)?(?:think|"
    r"worry)\s+(?:much\s+)?about|(?:can't|cannot|won't|don't)\s+(?:plan|count|bank|rely|"
    r"build)\s+(?:around|on)|(?:is|are)\s+(?:just\s+)?(?:a\s+)?maybes?\b|"
    r"trad\w*\s+(?:all\s+(?:of\s+)?)?(?:the\s+|my\s+)?(?:equity|stock|rsus?|bonus\w*|grant|"
    r"shares)\s+(?:for|away)|leave\s+(?:\w+\s+)?as\s+(?:it\s+is|is)|"
    r"rather\s+have\s+[^.;]{0,40}?\s+than\s+(?:any\s+(?:of\s+)?)?(?:the\s+)?(?:equity|stock|"
    r"rsus?|bonus\w*|grant|shares)|put\s+(?:it\s+all|everything)\s+in(?:to)?\s+(?:the\s+)?base)",
    re.IGNORECASE,
)


#: A lever named in a minimising or negated sentence ("the RSU piece isn't something I
#: weigh", "bonus targets are just targets", "you can keep the sign-on") is waved away in
#: any wording, unless the same sentence asks for more of it ("or a larger grant").
_MINIMISED = re.compile(
    r"\b(?:not|no|never|\w+n't|just|merely|whatever|however\s+(?:it|they)\s+lands?|"
    r"(?:you|they|we)\s+can\s+keep|(?:are|is)\s+fine\s+(?:as|however|whatever))\b",
    re.IGNORECASE,
)
_LEVER_ASK = re.compile(
    r"\b(?:more|larger|bigger|increase\w*|higher|grow\w*|extra|additional|top[- ]up|"
    r"refresh\w*|accelerat\w*|excited|understand|how\s+(?:often|much))\b",
    re.IGNORECASE,
)


_TOTAL_ASK = re.compile(
    r"\b(?:target|looking\s+for|aim\w*|ask\w*|want|need|expect\w*)\b[^.;]{0,40}"
    r"\b(?:total|all[- ]in|overall|whole\s+package)\b",
    re.IGNORECASE,
)
#: A short thank-you for "the package" or "the offer" names no lever.
_THANKS_ONLY = re.compile(
    r"^\W*(?:thanks?|thank\s+you|(?:i\s+)?appreciate|grateful)\b[^.;]{0,40}\b(?:package|offer)\W*$",
    re.IGNORECASE,
)


def _lever_waved_away(sentence: str) -> bool:
    """Whether a sentence that names a lever other than base dismisses it."""
    if _DISMISS.search(sentence):
        return True
    if _TOTAL_ASK.search(sentence):  # "my target is 230 to 250 total" frames the whole
        return False
    return bool(_MINIMISED.search(sentence)) and not _LEVER_ASK.search(sentence)


def _base_only(sentences: list[str], a: Analysis) -> int | None:
    """An ask made on base alone: other levers absent, or named only to be waved away
    ("bonus counts as zero", "equity is lottery tickets to me")."""
    ask = next(
        (
            i
            for i, s in enumerate(sentences)
            if _BASE_TALK.search(s)
            and _ASK.search(s)
            # "I'm on 157k base, so that's the number I work from" states pay, asks nothing.
            and (_discloses_salary([s], a) is None or _RAISE.search(s))
        ),
        None,
    )
    dismissed: list[int] = []
    for i, sentence in enumerate(sentences):
        if not _OTHER_LEVERS.search(sentence) or _THANKS_ONLY.search(sentence):
            continue
        if not _lever_waved_away(sentence):
            return None
        dismissed.append(i)
    if ask is not None:
        return ask
    if dismissed and any(_BASE_TALK.search(s) for s in sentences):
        return dismissed[0]
    return None


def _waved_away(sentences: list[str]) -> tuple[int, ...]:
    """With a base-only ask found: every ask on base, and every sentence that names the
    other levers only to wave them away."""
    return tuple(
        i
        for i, s in enumerate(sentences)
        if (_OTHER_LEVERS.search(s) and _lever_waved_away(s))
        or (_BASE_TALK.search(s) and _ASK.search(s))
    )


def _discloses_salary(sentences: list[str], a: Analysis) -> int | None:
    """A current pay figure, in digits, words or shorthand ("one fifty-five thousand",
    "160k", "one sixty", "172 thousand base right now")."""
    return next((i for i, s in enumerate(sentences) if states_current_pay(s)), None)


RULES: dict[str, Callable[[list[str], Analysis], int | None]] = {
    "metric_dump": _metric_dump,
    "jargon_without_outcome": _jargon_without_outcome,
    "experiments_without_gtm": _experiments_without_gtm,
    "no_tech_background_excuse": _no_tech_background,
    "algorithm_over_decision": _algorithm_over_decision,
    "base_only_negotiation": _base_only,
    "discloses_current_salary": _discloses_salary,
}
#: Rules whose blind spot shows in more sentences than the one quoted.
_ALSO: dict[str, Callable[[list[str]], tuple[int, ...]]] = {"base_only_negotiation": _waved_away}
#: Judged across rounds by the debrief, never from one answer.
LOOP_LEVEL = {"isolated_rounds"}
#: A pack's own blind spot (no rule) must beat its nearest near-miss by this much.
NEAR_MISS_MARGIN = 0.02


def detect(
    spots: list[BlindSpot],
    sentences: list[str],
    analysis: Analysis,
    sentence_vectors: Vectors,
    example_vectors: dict[str, Vectors],
    near_miss_vectors: dict[str, Vectors] | None = None,
) -> list[Finding]:
    """The blind spots an answer shows, each with the index of the sentence to quote."""
    found: list[Finding] = []
    if not sentences:
        return found
    for spot in spots:
        if spot.rule in LOOP_LEVEL:
            continue
        rule = RULES.get(spot.rule) if spot.rule else None
        if rule is not None:
            index = rule(sentences, analysis)
        else:
            near = (near_miss_vectors or {}).get(spot.id)
            index = _semantic(sentence_vectors, example_vectors.get(spot.id), near)
        if index is not None:
            also = _ALSO[spot.rule](sentences) if spot.rule in _ALSO else ()
            found.append(Finding(spot.id, index, tuple(i for i in also if i != index)))
    return _most_specific(found)


#: When both fire, the first is the more specific diagnosis of the same answer: model-building
#: detail with no decision is also, trivially, ML terms not tied to an outcome.
_SUBSUMES = {"algorithm_over_decision": "jargon_without_outcome"}


def _most_specific(found: list[Finding]) -> list[Finding]:
    ids = {f.id for f in found}
    dropped = {_SUBSUMES[i] for i in ids if i in _SUBSUMES}
    return [f for f in found if f.id not in dropped]


def _semantic(
    sentence_vectors: Vectors, examples: Vectors | None, near_misses: Vectors | None = None
) -> int | None:
    if examples is None or examples.shape[0] == 0 or sentence_vectors.shape[0] == 0:
        return None
    sims = (sentence_vectors @ examples.T).max(axis=1)
    if near_misses is not None and near_misses.shape[0]:
        near = (sentence_vectors @ near_misses.T).max(axis=1)
        sims = np.where(sims >= near + NEAR_MISS_MARGIN, sims, 0.0)
    best = int(np.argmax(sims))
    return best if float(sims[best]) >= SEMANTIC_THRESHOLD else None
