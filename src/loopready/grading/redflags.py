"""Red flags: judgment failures that sink an answer however fluent it is.

A round of a pack lists its red flags as data: sentences that show each one
(``examples``) and sentences that look alike but do not (``near_misses``: the
negated, conditional or safe version). A sentence of the answer shows a red flag
when it is close in meaning to the examples, closer to them than to every
near-miss, and does not read as guarded: "we will not launch without a holdout"
and "only once the test clears do we widen" put the risky act under a negation or a
condition, while "with no test" does not. A flag may instead name a built-in
``rule`` (the blind-spot detectors). Nothing here knows any pack's ids.

A hit caps the criteria the flag names and the round's overall score, and its
sentence is never quoted as evidence for a criterion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from loopready.grading import blindspots
from loopready.grading.base import GradeResult, RedFlagHit
from loopready.grading.embeddings import Vectors, get_embedder
from loopready.grading.packkey import PackKey
from loopready.grading.signals import Analysis
from loopready.packs.schema import Pack, RedFlag, Round

#: A sentence must be at least this close to one of a flag's examples ...
EXAMPLE_FLOOR = 0.70
#: ... or this close, when it also dismisses a safeguard or overclaims.
CUED_FLOOR = 0.45
#: A sentence with a cue is dropped only when a near-miss is clearly closer to it than any
#: example (by this much): near-misses share its topic and differ from it by the very stance
#: MiniLM hardly sees, so the cue decides unless the sentence is a near-miss's paraphrase
#: (five-fold cross-validation on the training split: harmful caught 32 -> 34 of 34, no
#: more false alarms, against requiring a lead of 0.05 over the near-misses).
NEAR_MISS_MARGIN = -0.05
#: ... and, when no dismissive cue backs it, closer to the examples than to any near-miss
#: by this much.
CLEAR_MARGIN = 0.20
#: A flagged criterion scores at most this (of 4).
CRITERION_CAP = 1
#: A flagged answer scores at most this (of 100), and always below the round's bar.
OVERALL_CAP = 40.0
#: How far below the pack's round bar a flagged answer is held.
BELOW_BAR = 10.0

#: Verbs of the risky acts a red flag is about: launching, using data, committing, announcing.
_ACT = (
    r"(?:launch|ship|release|go|roll|commit|announce|use|train|push|widen|expand|open|promise|"
    r"give|put|start|turn|switch|share|tell|deploy|publish|announce|lock|collect|feed|make)\w*"
)
#: The risky act put under a negation: "we will not launch without", "never ship before".
_NEGATED_ACT = re.compile(
    r"\b(?:not|never|won't|wouldn't|don't|doesn't|can't|cannot|shouldn't|no\s+one|nobody|"
    rf"nothing)\s+(?:\w+\s+){{0,3}}?{_ACT}\b[^.;!?]{{0,70}}?\b(?:without|until|unless|before)\b",
    re.IGNORECASE,
)
#: The act refused outright: "we will not use party chat", "I won't give you a date today".
_REFUSED_ACT = re.compile(
    rf"\b(?:not|never|won't|wouldn't|can't|cannot|shouldn't)\s+(?:\w+\s+){{0,2}}?{_ACT}\b",
    re.IGNORECASE,
)
#: The risky act made conditional on a check: "only once the test clears", "not until legal
#: signs off", "after the holdout shows a lift". A bare "if" or "once" is not enough: "if the
#: filter gets worse, users will tell us" conditions nothing on a check.
_CHECK = (
    r"(?:test\w*|holdout|held[- ]back|experiment\w*|review\w*|sign(?:s|ed)?[- ]?off|signs?\b|"
    r"approv\w*|clear(?:s|ed)?\b|pass(?:es|ed)?\b|confirm\w*|agree\w*|checked|"
    r"opt(?:s|ed)?[- ]?in|consent\w*|shows?\b|beats?\b|green|estimat\w*|"
    r"met|meets?|wins?|won|holds?|held|is\s+up|improv\w*|lift\w*|bar|threshold|floor|guardrails?|"
    r"(?:say|says|said|given?)\s+(?:yes|so|the\s+go-?ahead)|go-?ahead|on\s+board)"
)
_CHECKER = (
    r"(?:test|holdout|held[- ]back|control|experiment|beta|trial|review|legal|privacy|safety|"
    r"engineering|team|lead|owner|audit|result|group|player|user|rule|bar|metric|criteri|"
    r"threshold|guardrail|readout|number|target)\w*"
)
_CONDITIONED_ACT = re.compile(
    r"\b(?:only\s+(?:after|once|if|when)|not\s+until|until|unless|provided|as\s+long\s+as)\s+"
    rf"[^.;!?]{{0,60}}?\b{_CHECK}|"
    rf"\b(?:once|after|if|when)\s+(?:the\s+|our\s+|a\s+|its\s+|their\s+)?(?:[\w-]+\s+){{0,2}}?"
    rf"{_CHECKER}\s+(?:[\w-]+\s+){{0,4}}?{_CHECK}",
    re.IGNORECASE,
)
#: The act staged behind a trial: "to all PS5 players after four clean weeks on ten percent",
#: "to everyone once the pilot is over", "after the beta".
_STAGED_ACT = re.compile(
    r"\b(?:only\s+)?(?:after|once|following)\s+(?:the\s+|a\s+|an\s+|our\s+|its\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:pilot|beta|holdout|test|trial|experiment|canary|stage|phase)s?\b(?!\s+(?:is\s+)?(?:skipped|dropped))"
    r"|\b(?:weeks?|days?|months?)\s+(?:on|at|with)\s+(?:\d+|one|two|three|five|ten|a\s+\w+)\s*"
    r"(?:%|percent|per\s*cent)",
    re.IGNORECASE,
)
#: A safeguard put in place, not skipped: the old version kept ("the older version stays
#: installed on every phone"), monitoring running early ("monitoring starts on day one").
_SAFEGUARD_KEPT = re.compile(
    r"\b(?:old|older|previous|prior|current|last)\s+(?:[\w-]+\s+)?(?:model|version|row|app|build)s?\s+"
    r"(?:stays?|remains?|is\s+kept|are\s+kept|is\s+still|are\s+still|still)\b"
    r"|^\W*(?:the\s+)?(?:monitoring|alerts?|alerting|dashboards?|drift\s+alerts?|rollback|holdout|"
    r"(?:legal|privacy|safety)\s+review)\b[^.;]{0,40}?\b(?:starts?|begins?|runs?|(?:is|are)\s+"
    r"(?:live|ready|on|in\s+place))\b",
    re.IGNORECASE,
)
#: The act named as the thing to avoid: "would be the mistake", "would be reckless".
_NAMED_AS_WRONG = re.compile(
    r"\b(?:would\s+(?:be|tell\s+us\s+nothing)\s+(?:a\s+|the\s+)?(?:mistake|reckless|wrong|"
    r"red\s+flag|bad\s+idea|irresponsible|nothing|a\s+promise\s+i\s+can't\s+keep)|"
    r"(?:avoid|refuse|resist)\w*|isn't\s+an\s+option|is\s+(?:a\s+)?(?:hard\s+line|gate|"
    r"launch\s+gate|non-?negotiable))\b",
    re.IGNORECASE,
)
#: Language that dismisses a safeguard or overclaims: "no need", "skip", "review it later",
#: "will figure it out", "proves". Generic English, not any pack's words; it only lowers the
#: similarity a sentence needs to a flag's examples, and a negated cue ("I wouldn't brush
#: off research") does not count.
_DISMISSIVE = re.compile(
    r"\b(?:no\s+need|needn't|(?:don't|do\s+not|doesn't)\s+(?:think\s+)?(?:we\s+|you\s+|it\s+)?"
    r"(?:really\s+)?need|skip\w*|with\s+no|without\s+(?:any|asking|checking|waiting)|"
    r"ignor\w*|brush\w*\s+off|wave\w*\s+(?:away|off)|formality|ceremony|overhead|"
    r"slow\w*\s+us\s+down|hold\w*\s+(?:us|it)\s+back|"
    r"not\s+(?:really\s+)?(?:our|my|a)\s+(?:problem|concern|priority)|"
    r"(?:isn't|is\s+not|aren't)\s+(?:really\s+)?(?:a\s+|our\s+|my\s+)?(?:problem|concern|"
    r"priority|hard\s+limit)|guideline|(?:review|fix|look|check|deal|sort|loop|audit|patch)\w*"
    r"[^.;]{0,40}\b(?:later|afterwards|after\s+(?:launch|release|it's\s+live|it\s+ships))|"
    r"once\s+(?:it's|we're|the\s+feature\s+is)\s+(?:already\s+)?(?:live|out|shipping)|(?:ship|launch|go)\w*\s+anyway|regardless|"
    r"still\s+ship|mov(?:e|es|ed|ing)\s+on\b(?!\s+(?:their|its|his|her|our|my|your)\s+own)|good\s+enough|acceptable(?!\s+(?:if|as\s+long\s+as|provided|only\s+if)\s+(?![^.;]*\b(?:average|overall|aggregate|global|total)\b))|(?<!many\s)(?<!who\s)accept\s+(?:that|it|the)\b(?!\s+(?:consent|terms|prompt|offer))|somehow|"
    r"figure\s+(?:it\s+)?out|make\s+it\s+work|sort\s+(?:it|that|them)\s+out|"
    r"don't\s+see\s+(?:the\s+|a\s+|any\s+)?(?:value|point|need)|rather\s+not\s+wait|(?:won't|not)\s+bother|"
    r"no\s+point|nobody\s+has\s+to|everyone\s+(?:is\s+|gets\s+|will\s+be\s+)?happy|"
    r"proves(?!\s+(?:nothing|little|only|very\s+little))|proven|(?:is|as|that's)\s+(?:the\s+)?proof|automatically|no\s+question|clearly\s+better|obviously|"
    r"already\s+told|before\s+asking|haven't\s+(?:run|checked|asked)|didn't\s+check|"
    r"will\s+have\s+to(?!\s+(?:confirm|agree|sign|estimate|approve|review|clear|check|test|pass|show|prove))|consider\s+the\s+job\s+done|no\s+reason\s+to|"
    r"(?:to|for)\s+(?:every(?:one|body)|every\s+\w+|all\s+(?:\w+\s+)?(?:users|players|customers|"
    r"owners|phones|consoles|markets|regions))|worldwide|straight\s+(?:away|to)|at\s+once|"
    r"on\s+the\s+same\s+day|from\s+day\s+one|on\s+day\s+one|just\s+ship|go\s+big|big[- ]bang|"
    r"no\s+time\s+for|(?:don't|do\s+not)\s+have\s+time|can't\s+afford\s+to\s+wait|"
    r"(?:won't|not\s+going\s+to)\s+wait|not\s+worth\s+(?:the|waiting)|nice[- ]to[- ]have|"
    r"fine\s+for\s+now|should\s+be\s+(?:fine|solved|fixed|ready)|hope\w*(?!\s+to\b)|if\s+anyone\s+complains|"
    r"if\s+something\s+goes\s+wrong|cross\s+that\s+bridge|trust\s+(?:that|them|the\s+team)\s+to|"
    r"(?:from|on)\s+every(?:one|body|\s+\w+)|(?:including|even|also)\s+(?:kids|children|child|"
    r"minors|under-?1\d|passers-?by|bystanders|strangers))\b"
    # Plain acts, no dismissive word: the whole population at once, data already sitting
    # somewhere reused, a minority written off, a date imposed on the team that owns the
    # work, an estimate or offline figure banked as a result, data that needs consent fed
    # to a model.
    r"|\b(?:feed|use|train|learn|pull|add|include|join|mine|read|scan|fold)\w*\s+(?:on\s+|from\s+|in\s+)?"
    r"(?:(?:the|our|their|all|every|players'|users')\s+)?(?:[\w-]+\s+){0,2}?(?:child(?:ren)?'?s?|"
    r"kids?'?s?|minors?'?|under-?1\d|private\s+messages|party\s+chat|voice\s+chat|direct\s+messages|"
    r"bystanders'?|strangers'?|precise\s+location|location\s+(?:history|traces)|bought|purchased|"
    r"third-party|broker)\b"
    r"|\b(?:to|for)\s+(?:all|every)\s+(?:(?:[\w-]+\s+){0,3}?)(?:users|players|customers|visitors|"
    r"accounts|owners|members|people|subscribers|phones|consoles|markets|regions|countries)\b"
    r"|\b(?:whole|entire)\s+(?:user\s+base|network|audience|fleet|install\s+base|population)\b"
    r"|\b(?:already\s+(?:sitting|stored|saved)|every\s+face|faces\s+(?:it|they|the\s+camera)\s+sees)\b"
    r"|\bbut\s+(?:those|they|that|it|these)(?:'s|'re|\s+are|\s+is)\s+(?:only\s+|just\s+|about\s+|"
    r"barely\s+)?(?:a\s+|an\s+)?(?:tenth|fraction|small|few|minority|handful|niche|\d+\s?%)"
    r"|\b(?:plan\s+for|(?:will|'ll|must|has\s+to|have\s+to)\s+(?:deliver|hit|land|have\s+it\s+ready)"
    r"(?:\s+\w+){0,3}?\s+(?:by|for|in)?)\s*(?:the\s+)?(?:january|february|march|april|may|june|"
    r"july|august|september|october|november|december|q[1-4]|first\s+week|end\s+of|\d)"
    r"|\bhow\s+(?:they|you|engineering|the\s+team)(?:'ll|\s+will)\s+(?:hit|make|meet)\b"
    r"|\b(?:count\s+on\s+it|gives?\s+us\s+(?:our|the)\s+answer|book\s+(?:it|that)\s+as)\b"
    # Plain acts that leave no choice, no watch or no way back: every party given its ask
    # ("whatever it takes", "nobody's plan changes"), the model left to itself, the old
    # version deleted, the risk work run beside a public commitment, shipping as it is.
    r"|\bwhatever\s+(?:it|that)\s+takes\b"
    r"|\b(?:nobody|no\s+one)(?:'s|\s+has\s+to|\s+needs\s+to)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:changes?|give\s+up|wait|lose|compromise|move)\b"
    r"|\b(?:each|every)\s+team\s+(?:gets|has|keeps)\s+(?:its|their|what)\b"
    r"|\b(?:simply|just)\s+runs\b|\bruns\s+(?:on\s+its\s+own|unattended|by\s+itself)\b"
    r"|\bdelet\w*\s+(?:the\s+)?(?:old|previous|last|prior)\b"
    r"|\b(?:work|fix|testing|tests|review|checks?)\w*\s+(?:runs?|happens?|continues?|goes?)\s+"
    r"(?:on\s+)?in\s+parallel\b(?!\s+with\s+(?:the\s+|that\s+|a\s+|our\s+)?(?:[\w-]+\s+)?"
    r"(?:test|experiment|beta|pilot|trial|holdout))"
    r"|\b(?:ship|launch|release|go\s+live)\w*\s+(?:it\s+|with\s+it\s+)?(?:as[- ]is|at\s+\d)",
    re.IGNORECASE,
)
_NEGATION_BEFORE = re.compile(
    r"\b(?:not|never|wouldn't|won't|don't|shouldn't|can't|cannot)\s+(?:\w+\s+)?$", re.IGNORECASE
)
#: A cue inside a question the candidate weighs ("deciding whether it is good enough",
#: "agreeing when the model is ready") is a deliberation, not the candidate's dismissal.
_DELIBERATED_BEFORE = re.compile(
    r"\b(?:whether|(?:decid|agree|judg|ask)\w*\s+(?:on\s+)?(?:when|if|how))\b[^.;]*$",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r"[;:\u2014]|,\s+(?=(?:and|but|so|because|while|though)\b)|\s+but\s+")


#: A sentence that reports another party's position ("Marketing needs a date", "research
#: wants more time") restates the case; only a cue makes it the candidate's own move.
_REPORTED = re.compile(
    r"^\W*(?:[\w-]+\s+){0,2}?(?:team\s+)?(?:needs?|wants?|is\s+worried|worries|is\s+concerned|"
    r"has\s+(?:a|an|the)|asks?|asked|cares?|is\s+pushing|pushes)\b",
    re.IGNORECASE,
)


def dismissive(sentence: str) -> bool:
    """Whether a clause of the sentence dismisses a safeguard or overclaims, unguarded."""
    if _STATED_RULE.search(sentence):
        return False
    for clause in _CLAUSES.split(sentence):
        if guarded(clause):
            continue
        for m in _DISMISSIVE.finditer(clause):
            before = clause[: m.start()]
            if _NEGATION_BEFORE.search(before) or _DELIBERATED_BEFORE.search(before):
                continue
            if _WHOLE_OR_EARLY.search(m.group(0)) and (
                _STAGED_ACT.search(clause) or _SAFEGUARD_KEPT.search(clause)
            ):
                continue
            if _DATE_CUE.search(m.group(0)) and _OWNER_ASKED.search(sentence):
                continue
            return True
    return False


#: The cues that name a date or a team's delivery ("plan for March", "how they'll hit") ...
_DATE_CUE = re.compile(r"^(?:plan\s+for|will|'ll|must|has\s+to|have\s+to|how)\b", re.IGNORECASE)
#: ... are answered when the sentence asks the owning team or waits for its sign-off ("I'll
#: ask the serving team how they'll hit 150 ms before we set any date", "engineering confirms
#: it after the estimate"), unless the owner is only told afterwards.
_OWNER_ASKED = re.compile(
    r"^(?![^.;]*\b(?:afterwards|later|after\s+the\s+fact|(?:adjust|adapt)\w*\s+(?:its|their)\s+plan)\b)"
    r"[^.;]*\b(?:ask\w*|check\w*\s+with|confirm\w*|sign\w*\s*off|signs?\b|estimat\w*|agree\w*)",
    re.IGNORECASE,
)
#: The cues that only say "everyone" or "early" ("to all owners", "on every phone", "on day
#: one"): a clause that stages the act behind a trial or keeps a safeguard answers them; it
#: does not answer a skipped test, a deleted fallback or data that needs consent.
_WHOLE_OR_EARLY = re.compile(
    r"^(?:to|for|on|from)\s+(?:all|every|the\s+whole|the\s+entire)|^(?:whole|entire)\s|^worldwide|"
    r"^(?:on|from)\s+day\s+one|^at\s+once|^straight\s",
    re.IGNORECASE,
)


#: A sentence that states the rule a launch must pass ("Ship rule: purchases up ... and it
#: goes to everyone") conditions the act on that rule.
_STATED_RULE = re.compile(
    r"^\W*(?:ship|launch|release|rollout|roll-out|go)[- ]?(?:rule|criteria|criterion|gate|bar)\b",
    re.IGNORECASE,
)


def guarded(sentence: str) -> bool:
    """Whether a sentence puts a risky act under a negation, a condition or a warning."""
    return bool(
        _STATED_RULE.search(sentence)
        or _NEGATED_ACT.search(sentence)
        or _REFUSED_ACT.search(sentence)
        or _CONDITIONED_ACT.search(sentence)
        or _NAMED_AS_WRONG.search(sentence)
    )


@dataclass(frozen=True)
class FlagBank:
    examples: Vectors
    near_misses: Vectors
    #: The near-misses that are safe in substance, not only by a negation or condition cue:
    #: an unguarded sentence is compared with these, since MiniLM hardly sees a "not".
    plain_near_misses: Vectors


@dataclass(frozen=True)
class RedFlagFinding:
    id: str
    sentence_index: int
    similarity: float


def flag_bank(pack: Pack, round_id: str) -> dict[str, FlagBank]:
    """The embedded examples and near-misses of a round's red flags and of its blind spots
    (cached per pack object and round)."""
    return _bank(PackKey(pack), round_id)


@lru_cache(maxsize=64)
def _bank(key: PackKey, round_id: str) -> dict[str, FlagBank]:
    pack = key.pack
    embedder = get_embedder()
    bank: dict[str, FlagBank] = {}
    items: list[tuple[str, list[str], list[str]]] = [
        (f.id, f.examples, f.near_misses) for f in pack.round(round_id).red_flags
    ]
    items += [
        (f"blind:{b.id}", b.examples, b.near_misses)
        for b in pack.blind_spots_for(round_id)
        if b.near_misses
    ]
    for key_id, examples, near in items:
        near_vectors = _embed(embedder, near)
        plain = [i for i, text in enumerate(near) if not guarded(text)]
        bank[key_id] = FlagBank(
            examples=_embed(embedder, examples),
            near_misses=near_vectors,
            plain_near_misses=near_vectors[plain],
        )
    return bank


def _embed(embedder: object, texts: list[str]) -> Vectors:
    if not texts:
        return np.zeros((0, 384), np.float32)
    vectors: Vectors = embedder.embed(texts, persist=True)  # type: ignore[attr-defined]
    return vectors


def detect(
    rnd: Round,
    sentences: list[str],
    vectors: Vectors,
    analysis: Analysis,
    bank: dict[str, FlagBank],
) -> list[RedFlagFinding]:
    """The red flags an answer shows, each with the sentence to quote.

    A sentence shows at most one red flag, the one whose examples it is closest to, so
    one careless sentence is not counted as three failures.
    """
    if not sentences:
        return []
    safe = [guarded(s) or bool(_REPORTED.search(s)) for s in sentences]
    cued = [dismissive(s) for s in sentences]
    candidates: list[tuple[float, int, str]] = []  # (similarity, sentence, flag id)
    for order, flag in enumerate(rnd.red_flags):
        hit = _by_rule(flag, sentences, analysis)
        if hit is not None:
            candidates.append((2.0 - order * 1e-3, hit[0], flag.id))
        elif flag.id in bank:
            candidates += [
                (sim, i, flag.id) for i, sim in _by_examples(bank[flag.id], vectors, safe, cued)
            ]
    found: dict[str, RedFlagFinding] = {}
    claimed: set[int] = set()
    for sim, index, flag_id in sorted(candidates, reverse=True):
        if flag_id in found or index in claimed:
            continue
        found[flag_id] = RedFlagFinding(flag_id, index, sim)
        claimed.add(index)
    order_of = {f.id: k for k, f in enumerate(rnd.red_flags)}
    return sorted(found.values(), key=lambda f: (f.sentence_index, order_of[f.id]))


def _by_rule(flag: RedFlag, sentences: list[str], analysis: Analysis) -> tuple[int, float] | None:
    rule = blindspots.RULES.get(flag.rule) if flag.rule else None
    if rule is None:
        return None
    index = rule(sentences, analysis)
    return None if index is None else (index, 1.0)


def _by_examples(
    fb: FlagBank, vectors: Vectors, safe: list[bool], cued: list[bool]
) -> list[tuple[int, float]]:
    """Every sentence that shows the flag, with its similarity to the flag's examples."""
    if fb.examples.shape[0] == 0 or vectors.shape[0] == 0:
        return []
    to_examples = (vectors @ fb.examples.T).max(axis=1)
    if fb.plain_near_misses.shape[0]:
        to_near = (vectors @ fb.plain_near_misses.T).max(axis=1)
    else:
        to_near = np.full(vectors.shape[0], -1.0, np.float32)
    hits: list[tuple[int, float]] = []
    for i in range(vectors.shape[0]):
        sim, near = float(to_examples[i]), float(to_near[i])
        if sim < CUED_FLOOR or sim < near + NEAR_MISS_MARGIN:
            continue
        if not cued[i] and (safe[i] or sim < EXAMPLE_FLOOR or sim < near + CLEAR_MARGIN):
            continue
        hits.append((i, sim))
    return hits


def overall_cap(pack: Pack) -> float:
    """The most a red-flagged answer can score: below the pack's round bar, and at most 40."""
    return max(0.0, min(OVERALL_CAP, pack.decision.round_bar - BELOW_BAR))


def flagged_sentences(
    red_flags: list[RedFlagFinding], blind_spots: list[blindspots.Finding]
) -> set[int]:
    """Indices of sentences that show a red flag or a blind spot: never positive evidence."""
    spots = {f.sentence_index for f in blind_spots} | {i for f in blind_spots for i in f.also}
    return {f.sentence_index for f in red_flags} | spots


def sentence_spans(answer: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Each sentence's character offsets in the answer (sentences are exact substrings)."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in sentences:
        start = answer.find(sentence, cursor)
        if start < 0:
            start = max(answer.find(sentence), 0)
        end = start + len(sentence)
        spans.append((start, end))
        cursor = end
    return spans


def apply(
    result: GradeResult,
    findings: list[RedFlagFinding],
    pack: Pack,
    rnd: Round,
    sentences: list[str],
    answer: str,
) -> GradeResult:
    """Quote each red flag with its offsets, cap the criteria it names and the overall score."""
    if not findings:
        return result
    flags = {f.id: f for f in rnd.red_flags}
    spans = sentence_spans(answer, sentences)
    hits: list[RedFlagHit] = []
    for finding in findings:
        flag = flags[finding.id]
        start, end = spans[finding.sentence_index]
        hits.append(
            RedFlagHit(
                id=flag.id,
                name=flag.name,
                evidence=sentences[finding.sentence_index],
                start=start,
                end=end,
                why=flag.why,
                better=flag.better,
            )
        )
    return cap(result, hits, pack, rnd)


def cap(result: GradeResult, hits: list[RedFlagHit], pack: Pack, rnd: Round) -> GradeResult:
    """Record red-flag hits on a result (any grader's), capping the criteria each names
    and the overall score."""
    if not hits:
        return result
    flags = {f.id: f for f in rnd.red_flags}
    result.red_flags = [*result.red_flags, *hits]
    capped: dict[str, RedFlag] = {}
    for hit in hits:
        flag = flags.get(hit.id)
        for criterion_id in flag.caps if flag else []:
            capped.setdefault(criterion_id, flag)  # type: ignore[arg-type]
    for criterion in result.criteria:
        flag_for = capped.get(criterion.id)
        if flag_for is not None:
            criterion.score = min(criterion.score, CRITERION_CAP)
            criterion.advice = f"Red flag, {flag_for.name.lower()}: {flag_for.better}"
    result.score = min(result.score, overall_cap(pack))
    return result
