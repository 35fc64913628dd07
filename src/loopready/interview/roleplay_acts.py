"""What each sentence of a role-play turn does: restates, asks, challenges, concedes,
proposes, trades off, decides, assigns an owner, or waves a concern away.

A small softmax classifier over the sentence's MiniLM embedding and a handful of cue
features (a question mark, a modal "will", an option word, a figure or date, a
named owner, a negation, a condition, a deferral past launch, how much of the
sentence is ordinary function words) picks the act. Its weights are a data file
(``data/roleplay_acts.json``) fitted on labelled sentences by
``benchmarks/fit_roleplay_acts.py``; nothing is fitted at run time.

The cues are read per clause and are negation- and condition-aware: "we won't launch
without the review" commits to the review, "legal can look at it after launch"
defers it, "if the review is done by October we ship in November" makes the date
conditional on it. A list of terms ("latency ms fallback kill switch") has almost
no function words and no verb, and is recognised as saying nothing (act ``other``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, get_args

import numpy as np

from loopready.language.sentences import split_sentences

Act = Literal[
    "restate",
    "question",
    "challenge",
    "concede",
    "propose",
    "tradeoff",
    "decide",
    "assign",
    "dismiss",
    "other",
]
ACTS: tuple[Act, ...] = get_args(Act)
#: Acts that put something concrete on the table.
COMMITTING: frozenset[str] = frozenset({"propose", "tradeoff", "decide", "assign"})
#: Acts that show the candidate heard a concern.
HEARING: frozenset[str] = frozenset({"restate", "concede"})

WEIGHTS_FILE = "roleplay_acts.json"

_WORD = re.compile(r"[a-z0-9']+")
_FUNCTION_TEXT = (
    "i we you he she they it me us them my our your their this that these those a an the "
    "is are was were be been being am will would can could should shall may might must do "
    "does did have has had to of in on at by for with from as and or but if so then than "
    "when while what which who how why where not no let's let i'll we'll you'll it's "
    "that's i'm we're there here about into after before until once only just all each "
    "every any some"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split(" "))
_NEGATION = re.compile(
    r"\b(not|no|never|without|don't|doesn't|won't|can't|cannot|isn't|aren't|nobody|none"
    r"|skip|skipping|ignore|ignoring)\b"
)
_CONDITION = re.compile(r"\b(if|unless|once|only when|as long as|provided|assuming|until)\b")
#: Putting a step after the launch, or off to an unnamed later.
_DEFERRAL = re.compile(
    r"\b(after (the )?(launch|release|go[- ]live|we (launch|ship|go live))|post[- ]launch"
    r"|later on|deal with (it|that|them) later|(sort|figure|worry|handle|catch up)\w* (\w+ )?"
    r"(out )?(later|afterwards|after)|down the (road|line)|can wait|once (it'?s|we'?re|the "
    r"(campaign|feature) is) live|when someone complains|afterwards)\b"
)
_MODAL = re.compile(r"\b(will|'ll|shall|going to|are launching|we ship|we launch|decision)\b")
_OPTION = re.compile(
    r"\b(could|option|alternative|what if|how about|suggest|propose|proposal|perhaps|might"
    r"|consider|middle path|suppose)\b"
)
_TRADE = re.compile(
    r"\b(give up|gives up|in exchange|in return|trade|at the cost of|costs us|rather than"
    r"|instead of|worth it|price of|outweigh|but)\b"
)
_FIGURE = re.compile(
    r"\d|\b(one|two|three|four|five|six|ten|half|first|second|january|february|march|april"
    r"|may|june|july|august|september|october|november|december|monday|tuesday|wednesday"
    r"|thursday|friday|week|weeks|month|months|quarter|q[1-4]|spring|summer|autumn|winter"
    r"|hundred|thousand|million|percent|per cent)\b"
)
_OWNER = re.compile(
    r"\b(owns?|owner|i will|i'll|by (the )?(end|monday|tuesday|wednesday|thursday|friday)"
    r"|due|responsible for|can you|please)\b"
)
#: A negation that sets a precondition: "not before", "never without", "nothing until".
_PRECONDITION = re.compile(
    r"\b(not|never|no|nothing|nobody|won't|don't|can't|cannot)\b[^.;]{0,60}"
    r"\b(before|until|unless|without)\b"
)
#: A team or a named person as the subject: "Marketing claims ...", "Kenji owns ...".
_TEAM_SUBJECT = re.compile(
    r"^(research|engineering|marketing|legal|data|design|finance|support|product|on-call"
    r"|the \w+ team|\w+'s team)\b"
)
_NAMED_SUBJECT = re.compile(
    r"^[A-Z][a-z]+ (owns|will|gets|runs|reviews|measures|claims|builds|starts|finishes|puts"
    r"|presents|drafts|signs|takes|leads)\b"
)
_FIRST_PERSON = re.compile(r"\b(i|we|let's|my|our)\b")
_SECOND_PERSON = re.compile(r"\b(you|your|you're|yours)\b")
_HEARING = re.compile(
    r"\b(hear|hearing|understand|worr\w*|concerns?|fears?|your point|you are saying|if i have"
    r"|let me check|restate|so your|i get that|i see)\b"
)
_DISMISSIVE = re.compile(
    r"\b(overblown|formality|anyway|not our problem|not really a problem|whatever|just have to"
    r"|regardless|don't need|no need|made up|corner case|not our concern|their job|live with"
    r"|slows? things down|doesn't matter|does not matter|can wait|later|after launch|skip"
    r"|ignore|bogged down|don't worry|not worry|no point|waste of time|not a problem"
    r"|not a big deal|overkill|nobody reads|not needed|won't notice|will not notice"
    r"|not notice|sort (it|that) out|get over it|it's fine|not our|only the"
    r"|(don't|do not|doesn't|does not) (need|have to|think|care|matter)"
    r"|not (needed|necessary|important|relevant|a priority)|no need)\b"
)
#: A team's position described: "Engineering cannot absorb ...", "Marketing needs ...".
_DESCRIBES_TEAM = re.compile(
    r"^(and )?(research|engineering|marketing|legal|finance|support|design|data|product"
    r"|the \w+ team|\w+'s team|\w+'s point|\w+'s worry|\w+'s concern)\b[^.]{0,12}?\b(needs?|wants?"
    r"|is worried|worries|cannot|can't|has to|fears?|is|are|point)\b"
)


def _lower(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


def function_share(text: str) -> float:
    """The share of a sentence's words that are function words (near 0 for term lists)."""
    words = _WORD.findall(_lower(text))
    if not words:
        return 0.0
    return sum(1 for w in words if w in _FUNCTION_WORDS) / len(words)


def is_term_list(text: str) -> bool:
    """A run of terms with no sentence around them: "latency ms fallback kill switch"."""
    words = _WORD.findall(_lower(text))
    return len(words) >= 3 and function_share(text) < 0.12


@dataclass(frozen=True)
class Cues:
    """The rule-read cues of one sentence."""

    question: bool
    negated: bool
    conditional: bool
    deferred: bool
    modal: bool
    option: bool
    trade: bool
    figure: bool
    owner: bool
    first_person: bool
    second_person: bool
    hearing: bool
    dismissive: bool
    function_share: float

    def vector(self) -> list[float]:
        flags = [
            self.question,
            self.negated,
            self.conditional,
            self.deferred,
            self.modal,
            self.option,
            self.trade,
            self.figure,
            self.owner,
            self.first_person,
            self.second_person,
            self.hearing,
            self.dismissive,
        ]
        return [1.0 if f else 0.0 for f in flags] + [self.function_share]


def read_cues(text: str) -> Cues:
    """The cues of one sentence, read by rule."""
    low = _lower(text)
    return Cues(
        question=low.rstrip().endswith("?"),
        negated=bool(_NEGATION.search(low)),
        conditional=bool(_CONDITION.search(low)),
        deferred=bool(_DEFERRAL.search(low)),
        modal=bool(_MODAL.search(low)),
        option=bool(_OPTION.search(low)),
        trade=bool(_TRADE.search(low)),
        figure=bool(_FIGURE.search(low)),
        owner=bool(
            _OWNER.search(low) or _TEAM_SUBJECT.match(low) or _NAMED_SUBJECT.match(text.strip())
        ),
        first_person=bool(_FIRST_PERSON.search(low)),
        second_person=bool(_SECOND_PERSON.search(low)),
        hearing=bool(_HEARING.search(low)),
        dismissive=bool(_DISMISSIVE.search(low)),
        function_share=function_share(text),
    )


#: How much the cue features count against the 384 embedding dimensions.
CUE_SCALE = 2.0


def feature_rows(texts: list[str]) -> np.ndarray:
    """Embeddings (unit length) followed by the scaled cue features, one row a sentence."""
    from loopready.grading.embeddings import get_embedder

    vectors = np.asarray(get_embedder().embed(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.maximum(norms, 1e-9)
    cues = np.asarray([read_cues(t).vector() for t in texts], dtype=np.float32) * CUE_SCALE
    return np.hstack([vectors, cues])


@dataclass(frozen=True)
class Weights:
    """A fitted softmax classifier."""

    classes: tuple[str, ...]
    w: np.ndarray  # (features, classes)
    b: np.ndarray  # (classes,)

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        logits = rows @ self.w + self.b
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        out: np.ndarray = e / e.sum(axis=1, keepdims=True)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "classes": list(self.classes),
            "cue_scale": CUE_SCALE,
            "w": np.round(self.w, 5).tolist(),
            "b": np.round(self.b, 5).tolist(),
        }


@lru_cache(maxsize=1)
def load_weights() -> Weights:
    """The shipped classifier weights."""
    raw = json.loads(
        resources.files("loopready.interview").joinpath(f"data/{WEIGHTS_FILE}").read_text("utf-8")
    )
    return Weights(
        tuple(raw["classes"]),
        np.asarray(raw["w"], dtype=np.float32),
        np.asarray(raw["b"], dtype=np.float32),
    )


@dataclass(frozen=True)
class SentenceAct:
    """One sentence of a turn, what it does and its cues."""

    text: str
    act: Act
    confidence: float
    cues: Cues

    @property
    def commits(self) -> bool:
        return self.act in COMMITTING

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "act": self.act, "confidence": round(self.confidence, 3)}


def _adjust(act: str, probs: dict[str, float], cues: Cues, text: str) -> Act:
    """Rules over the classifier: what the cues settle for certain."""
    if is_term_list(text):
        return "other"
    if cues.question:
        # A question mark keeps only asking acts (or a proposal put as a question).
        allowed: tuple[Act, ...] = ("question", "challenge", "propose")
        return max(allowed, key=lambda a: probs.get(a, 0.0))
    low = _lower(text)
    if act == "dismiss" and _PRECONDITION.search(low) and not cues.dismissive:
        # "We will not launch before the review is done" sets a condition, it waves nothing.
        return "decide"
    if act == "dismiss" and not (cues.dismissive or cues.deferred):
        # A wave-away needs words that wave: without them, the next best reading.
        rest = {a: p for a, p in probs.items() if a not in ("dismiss", "question", "challenge")}
        act = max(rest, key=lambda a: rest[a])
    if act in COMMITTING and _DESCRIBES_TEAM.match(low) and not cues.modal:
        # "Marketing needs a date because ..." describes a position; it commits nothing.
        return "restate"
    if act in ("question", "challenge"):
        # Without a question mark, the best non-asking act.
        rest = {a: p for a, p in probs.items() if a not in ("question", "challenge")}
        act = max(rest, key=lambda a: rest[a])
    if cues.deferred and act in COMMITTING | {"other"}:
        # "We launch in November and legal catches up after" defers a step: a wave-away.
        return "dismiss"
    return act  # type: ignore[return-value]


def classify(texts: list[str]) -> list[SentenceAct]:
    """The act of each sentence (given already split)."""
    if not texts:
        return []
    weights = load_weights()
    probs = weights.probabilities(feature_rows(texts))
    out: list[SentenceAct] = []
    for text, row in zip(texts, probs, strict=True):
        by_class = {c: float(p) for c, p in zip(weights.classes, row, strict=True)}
        best = max(by_class, key=lambda c: by_class[c])
        cues = read_cues(text)
        act = _adjust(best, by_class, cues, text)
        out.append(SentenceAct(text, act, by_class.get(act, 0.0), cues))
    return out


def analyse_turn(text: str) -> list[SentenceAct]:
    """Split a turn into sentences and classify each."""
    return classify(split_sentences(text, line_breaks=True))
