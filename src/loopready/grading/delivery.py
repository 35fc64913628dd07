"""Delivery: how an answer would land when spoken, measured from its words.

:func:`measure` counts words and sentences, estimates speaking time at 150 words per
minute (or uses real word timings from a transcript when given), compares it with the
time box, and reports filler words, hedges and ML-jargon density with short notes a
candidate can act on. Everything is counted, never guessed, so each note can be checked
against the text.

Word timings (from speech-to-text) may be objects with ``start``/``end`` attributes in
seconds (faster-whisper's ``Word``), mappings with ``"start"``/``"end"`` keys, or
``(word, start, end)`` / ``(start, end)`` tuples.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any, Final

from loopready.errors import InputError
from loopready.grading.delivery_model import Delivery as Delivery  # its home: delivery_model
from loopready.grading.delivery_model import JargonStats, TermCount, TimeVerdict
from loopready.grading.matcher import Index
from loopready.grading.signals import JargonMention, jargon_terms
from loopready.language import fillers as fl
from loopready.language.numbers import NUMBER_WORD

#: Speaking rate assumed when there are no word timings.
WPM: Final = 150
#: An answer under this share of its time box is "short".
SHORT_RATIO: Final = 0.25
#: A gap between two timed words longer than this (seconds) counts as a long pause.
LONG_PAUSE_S: Final = 2.0

#: A word is a whitespace-separated token with at least one letter or digit, as a word
#: processor counts: "go/no-go", "A/B" and "5%" are one word each, a lone dash is none.
_HAS_ALNUM: Final = re.compile(r"[^\W_]")


# -- fillers and hedges -----------------------------------------------------------------

_INDEX: Final = Index()
_PLAIN_FILLERS = _INDEX.phrases("filler", [p for _, p in fl.FILLERS_PLAIN])
_PLAIN_FILLER_NAMES: Final = [n for n, _ in fl.FILLERS_PLAIN]
_HEDGES = _INDEX.phrases("hedge", [p for _, p in fl.HEDGES])
_HEDGE_NAMES: Final = [n for n, _ in fl.HEDGES]

_I = re.IGNORECASE
#: A number ahead: "like three weeks", "like 20 percent", "like a couple".
_NUM_AHEAD = (
    r"(?:\d|a (?:week|month|day|year|minute|second|hour|couple|few|hundred|thousand|million"
    rf"|dozen|ton|bunch)|{NUMBER_WORD})\b"
)
# "like" is a filler only in some places; each pattern marks the "like" it counts.
_LIKE_FILLER: Final = (
    # set off by a comma after it: "we, like, shipped", "Like, the model", "it was like, wow"
    re.compile(r"\blike(?=\s*,)", _I),
    # after a comma, before a pronoun, article, hedge or number: "we had, like three"
    re.compile(
        r"(?<=,)\s*\blike(?=\s+(?:a|an|the|this|that|some|maybe|we|i|you|they|it|he|she|really"
        rf"|super|so|totally|literally|just|um|uh|{_NUM_AHEAD}))",
        _I,
    ),
    # glued to a discourse word: "so like we", "and like the", "um like"
    re.compile(
        r"\b(?:so|and|but|um|uh|yeah|just|or)\s+(?:um\s+|uh\s+)?\blike(?=\s+(?!(?:that|this|it|them"
        r"|these|those|how|when)\b)\w)",
        _I,
    ),
    # approximating a number: "it took like three weeks", "was like 20 percent"
    re.compile(
        r"(?<=\s)(?<!something )(?<!anything )(?<!nothing )\blike(?=\s+" + _NUM_AHEAD + ")",
        _I,
    ),
)
# words before "like" that make it a verb or a comparison, never a filler
_LIKE_NOT_AFTER = re.compile(
    r"(?:\b(?:would|i'd|we'd|you'd|they'd|he'd|she'd|feel|feels|felt|look|looks|looked|seem"
    r"|seems|seemed|sound|sounds|sounded|something|anything|nothing|exactly|just|much|more"
    r"|i|you|we|they|people|users|players|don't|doesn't|didn't|to|who|might|may|not|really"
    r"|also|still|things|stuff|games|features|metrics)\s*)$",
    _I,
)
# "like this one", "like those ones": a comparison with a thing just named, not a filler
_LIKE_COMPARISON = re.compile(r"\s+(?:this|that|these|those)\s+ones?\b", _I)
_YOU_KNOW = re.compile(r"\byou know\b", _I)
_YOU_KNOW_NOT_AFTER = re.compile(
    r"\b(?:do|did|does|if|don't|didn't|as|what|whatever|would|you'd|might|may|will|let|'ll|to)\s*$",
    _I,
)
_YOU_KNOW_NOT_BEFORE = re.compile(
    r"\s*(?:what|how|that|why|when|where|who|if|whether|about|it|them|him|her|this|the (?:answer"
    r"|way|drill))\b",
    _I,
)
_ACTUALLY = re.compile(
    r"(?:^\W*|[,;:.!?]\s*|\b(?:and|so|but|um|uh|well|yeah|okay|ok)\s+)actually\b|\bactually(?=\s*,)",
    _I,
)
_I_MEAN = re.compile(r"\bi mean\b", _I)
_I_MEAN_NOT_AFTER = re.compile(r"\b(?:what|which|if|that|do|did|don't)\s*$", _I)
_I_MEAN_NOT_BEFORE = re.compile(r"\s+(?:it|that|to|by|what|when|business|well)\b", _I)
_KIND_OF = re.compile(r"\b(?:kind|sort) of\b|\b(?:kinda|sorta)\b", _I)
_KIND_OF_NOT_AFTER = re.compile(
    r"\b(?:the|a|an|what|this|that|some|any|each|every|one|same|which|no|these|those|my|our"
    r"|your|their|his|her|its|right|wrong|different|other|new|another|all|two|three|many|any"
    r"|whatever)\s*$",
    _I,
)


def _like_fillers(sentence: str) -> list[int]:
    # A typographic apostrophe ("I’d like") reads as the typed one; same length, same offsets.
    sentence = sentence.replace("’", "'")
    starts: set[int] = set()
    for rx in _LIKE_FILLER:
        for m in rx.finditer(sentence):
            at = m.end() - 4  # every pattern ends on the word "like"
            if _LIKE_COMPARISON.match(sentence, m.end()):
                continue
            if not _LIKE_NOT_AFTER.search(sentence, 0, at):
                starts.add(at)
    return sorted(starts)


def _filler_terms(sentence: str) -> Counter[str]:
    found: Counter[str] = Counter()
    scan = _INDEX.scan(sentence)
    for hit in _PLAIN_FILLERS.finditer(scan):
        found[_PLAIN_FILLER_NAMES[hit.alt]] += 1
    found["like"] += len(_like_fillers(sentence))
    found["actually"] += len({m.end() for m in _ACTUALLY.finditer(sentence)})
    for m in _YOU_KNOW.finditer(sentence):
        if _YOU_KNOW_NOT_AFTER.search(sentence, 0, m.start()):
            continue
        rest = sentence[m.end() :]
        if (
            not rest.strip()
            or rest.lstrip()[:1] in ",.;:!?-"
            or not _YOU_KNOW_NOT_BEFORE.match(rest)
        ):
            found["you know"] += 1
    for m in _I_MEAN.finditer(sentence):
        if _I_MEAN_NOT_AFTER.search(sentence, 0, m.start()):
            continue
        if _I_MEAN_NOT_BEFORE.match(sentence, m.end()):
            continue
        found["I mean"] += 1
    for m in _KIND_OF.finditer(sentence):
        if not _KIND_OF_NOT_AFTER.search(sentence, 0, m.start()):
            found[m.group().lower().replace("kinda", "kind of").replace("sorta", "sort of")] += 1
    return +found  # drop zero counts


def _hedge_terms(sentence: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for hit in _HEDGES.finditer(_INDEX.scan(sentence)):
        found[_HEDGE_NAMES[hit.alt]] += 1
    return found


def filler_counts(sentences: Sequence[str]) -> Counter[str]:
    """Filler words across the sentences, by term ("um", "like", "you know" ...)."""
    total: Counter[str] = Counter()
    for s in sentences:
        total.update(_filler_terms(s))
    return total


def hedge_counts(sentences: Sequence[str]) -> Counter[str]:
    """Hedges across the sentences, by term ("maybe", "I think" ...)."""
    total: Counter[str] = Counter()
    for s in sentences:
        total.update(_hedge_terms(s))
    return total


# -- timing -----------------------------------------------------------------------------


def _seconds(value: Any, what: str, i: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(
            f"word timing {i + 1} has a {what} of {value!r}; give start and end as seconds "
            "(numbers), e.g. {'word': 'hello', 'start': 0.0, 'end': 0.4}"
        )
    return float(value)


def _span(item: Any, i: int) -> tuple[float, float]:
    if isinstance(item, Mapping):
        if "start" not in item or "end" not in item:
            raise InputError(
                f"word timing {i + 1} has no 'start'/'end' keys; give seconds, e.g. "
                "{'word': 'hello', 'start': 0.0, 'end': 0.4}"
            )
        start, end = item["start"], item["end"]
    elif hasattr(item, "start") and hasattr(item, "end"):
        start, end = item.start, item.end
    elif isinstance(item, Sequence) and not isinstance(item, str) and len(item) in (2, 3):
        start, end = item[-2], item[-1]
    else:
        raise InputError(
            f"word timing {i + 1} is {item!r}; give (word, start, end) or a mapping with "
            "'start' and 'end' in seconds"
        )
    a, b = _seconds(start, "start", i), _seconds(end, "end", i)
    if a < 0 or b < a:
        raise InputError(
            f"word timing {i + 1} runs from {a} s to {b} s; start must be 0 or more and end "
            "must not come before start"
        )
    return a, b


def _timed(words_timing: Sequence[Any]) -> tuple[float, int, int]:
    """(seconds from first word start to last word end, timed words, long pauses)."""
    spans = [_span(item, i) for i, item in enumerate(words_timing)]
    spans.sort()
    duration = max(b for _, b in spans) - spans[0][0]
    pauses = sum(
        1 for (_, prev_end), (start, _) in pairwise(spans) if start - prev_end > LONG_PAUSE_S
    )
    return duration, len(spans), pauses


# -- notes ------------------------------------------------------------------------------


def _top(terms: Mapping[str, int], n: int = 3) -> str:
    ranked = sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return ", ".join(f"'{t}' x{c}" for t, c in ranked)


def _time_verdict(
    minutes_spoken: float, box: int | None, short_ratio: float
) -> tuple[float | None, TimeVerdict | None, str]:
    if box is None:
        return None, None, ""
    ratio = minutes_spoken / box
    if ratio > 1.0:
        over = minutes_spoken - box
        return (
            ratio,
            "over",
            (
                f"about {minutes_spoken:.1f} min of speaking, {over:.1f} min over the {box}-min "
                "time box: cut to the points that carry the decision"
            ),
        )
    if ratio < short_ratio:
        return (
            ratio,
            "short",
            (
                f"about {minutes_spoken:.1f} min of speaking, {ratio:.0%} of the {box}-min time "
                "box: if this is the whole answer, add evidence (a number, an owner, a date)"
            ),
        )
    return (
        ratio,
        "within",
        (
            f"about {minutes_spoken:.1f} min of speaking, within the {box}-min time box "
            f"({ratio:.0%} of it)"
        ),
    )


def _notes(
    d: dict[str, Any], fillers: TermCount, hedges: TermCount, jargon: JargonStats
) -> list[str]:
    notes: list[str] = []
    if d["time_message"]:
        notes.append(d["time_message"])
    if d["timed"]:
        wpm = d["words_per_minute"]
        pace = "fast: slow down" if wpm > 180 else "slow: tighten" if wpm < 110 else "a good pace"
        notes.append(f"{wpm:.0f} words per minute: {pace}")
        if d["long_pauses"]:
            notes.append(f"{d['long_pauses']} pauses over {LONG_PAUSE_S:.0f} s")
    if d["words"] == 0:
        return notes
    f = fillers.per_minute
    if fillers.count == 0:
        notes.append("no filler words")
    else:
        verdict = (
            "fine"
            if f <= 3
            else "noticeable: pause instead"
            if f <= 6
            else ("distracting: pause silently instead")
        )
        notes.append(f"{f:.1f} filler words per minute ({_top(fillers.terms)}): {verdict}")
    h = hedges.per_minute
    if hedges.count:
        verdict = (
            "fine"
            if h <= 2
            else "some hedging: state the call plainly"
            if h <= 4
            else ("heavy hedging: commit to a call and say what would change it")
        )
        notes.append(f"{h:.1f} hedges per minute ({_top(hedges.terms)}): {verdict}")
    if jargon.count:
        line = (
            f"jargon density {jargon.per_100_words:.1f} per 100 words, {jargon.tied} of "
            f"{jargon.count} terms tied to an outcome"
        )
        if jargon.tied < jargon.count:
            line += ": tie the rest to what the user gets"
        notes.append(line)
    if d["avg_sentence_words"] > 25:
        notes.append(f"sentences average {d['avg_sentence_words']:.0f} words: split the long ones")
    elif d["longest_sentence_words"] > 40:
        notes.append(f"longest sentence is {d['longest_sentence_words']} words: split it")
    return notes


# -- public API -------------------------------------------------------------------------


def count_words(text: str) -> int:
    """Whitespace-separated tokens that contain a letter or digit ("A/B" is one word)."""
    return sum(1 for token in text.split() if _HAS_ALNUM.search(token))


def measure(
    text: str,
    sentences: Sequence[str],
    minutes: int | None,
    words_timing: Sequence[Any] | None = None,
    *,
    jargon: Sequence[JargonMention] | None = None,
    wpm: int = WPM,
    short_ratio: float = SHORT_RATIO,
) -> Delivery:
    """Measure the delivery of one answer.

    ``sentences`` is the answer already split (empty means the whole text is one
    sentence); ``minutes`` is the time box to compare with (None skips the verdict).
    With ``words_timing`` the real duration (first word start to last word end) replaces
    the 150-wpm estimate. Pass ``jargon`` from :func:`signals.analyse` to avoid running
    the detectors twice.
    """
    if minutes is not None and minutes <= 0:
        raise InputError(f"time box must be a positive number of minutes, not {minutes}")
    parts = [s for s in sentences if s.strip()] or ([text] if text.strip() else [])
    words = count_words(text)
    per_sentence = [count_words(s) for s in parts]

    timed = bool(words_timing)
    long_pauses: int | None = None
    if words_timing:
        seconds, timed_words, long_pauses = _timed(words_timing)
        speaking_minutes = seconds / 60
        rate = timed_words / speaking_minutes if speaking_minutes > 0 else 0.0
    else:
        speaking_minutes = words / wpm
        rate = float(wpm)

    def per_minute(n: int) -> float:
        return round(n / speaking_minutes, 2) if speaking_minutes > 0 else 0.0

    f_terms = filler_counts(parts)
    h_terms = hedge_counts(parts)
    fillers = TermCount(
        count=sum(f_terms.values()),
        per_minute=per_minute(sum(f_terms.values())),
        terms=dict(f_terms.most_common()),
    )
    hedges = TermCount(
        count=sum(h_terms.values()),
        per_minute=per_minute(sum(h_terms.values())),
        terms=dict(h_terms.most_common()),
    )

    mentions = list(jargon) if jargon is not None else jargon_terms(parts)
    tied = sum(1 for j in mentions if j.tied_to_outcome)
    jargon_stats = JargonStats(
        count=len(mentions),
        per_100_words=round(100 * len(mentions) / words, 2) if words else 0.0,
        tied=tied,
        tied_share=round(tied / len(mentions), 2) if mentions else None,
        terms=list(dict.fromkeys(j.term for j in mentions)),
        untied_terms=list(dict.fromkeys(j.term for j in mentions if not j.tied_to_outcome)),
    )

    longest_i = max(range(len(parts)), key=lambda i: per_sentence[i]) if parts else -1
    ratio, verdict, message = _time_verdict(speaking_minutes, minutes, short_ratio)
    fields: dict[str, Any] = {
        "words": words,
        "sentences": len(parts),
        "speaking_minutes": round(speaking_minutes, 2),
        "timed": timed,
        "words_per_minute": round(rate, 1),
        "time_box_minutes": minutes,
        "time_ratio": round(ratio, 3) if ratio is not None else None,
        "time_verdict": verdict,
        "time_message": message,
        "avg_sentence_words": round(sum(per_sentence) / len(parts), 1) if parts else 0.0,
        "longest_sentence_words": per_sentence[longest_i] if parts else 0,
        "longest_sentence": parts[longest_i].strip() if parts else "",
        "long_pauses": long_pauses,
    }
    notes = _notes(fields, fillers, hedges, jargon_stats)
    return Delivery(**fields, fillers=fillers, hedges=hedges, jargon=jargon_stats, notes=notes)
