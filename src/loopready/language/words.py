"""Words: lower-cased tokens, a light stemmer and the stop words the graders share.

:func:`stem` strips common English endings so that "congestion" and "congested" or
"frames" and "frame" meet.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:[._'’-][a-z0-9]+)*")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def words(text: str) -> list[str]:
    """Lower-case word tokens; numbers keep their decimals ("12.5"), words their hyphens."""
    return _WORD.findall(text.lower().replace("’", "'"))


# Light suffix stripping: (suffix, replacement, minimum stem length), longest first.
_SUFFIXES: tuple[tuple[str, str, int], ...] = (
    ("izations", "iz", 3),
    ("ization", "iz", 3),
    ("fulness", "ful", 3),
    ("iveness", "ive", 3),
    ("ousness", "ous", 3),
    ("ability", "abl", 3),
    ("ibility", "ibl", 3),
    ("ations", "", 3),
    ("ation", "", 3),
    ("ency", "ent", 3),
    ("ments", "", 4),
    ("ment", "", 4),
    ("ness", "", 3),
    ("ities", "", 3),
    ("ity", "", 3),
    ("ingly", "", 3),
    ("edly", "", 3),
    ("ing", "", 3),
    ("ies", "y", 2),
    ("ied", "y", 2),
    ("ed", "", 3),
    ("ly", "", 3),
    ("er", "", 4),
    ("es", "", 4),
    ("s", "", 3),
)
_KEEP_S = ("ss", "us", "is", "os", "as")


def stem(word: str) -> str:
    """A light stemmer: strip one common English ending, then tidy the stem.

    >>> [stem(w) for w in ("frames", "frame", "congested", "congestion", "policies")]
    ['fram', 'fram', 'congest', 'congest', 'policy']
    """
    w = word.lower()
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith(("tion", "sion", "tions", "sions")) and not w.endswith(("ation", "ations")):
        return w[: w.rindex("ion")] if len(w) > 6 else w
    for suffix, repl, min_stem in _SUFFIXES:
        if not w.endswith(suffix):
            continue
        base = w[: len(w) - len(suffix)]
        if len(base) < min_stem:
            continue
        if suffix == "s" and w.endswith(_KEEP_S):
            break
        if suffix == "es" and not base.endswith(("ss", "sh", "ch", "x", "z")):
            base = w[:-1]  # "frames" -> "frame", "boxes" -> "box"
        w = base + repl
        break
    # "stopped" -> "stopp" -> "stop"; "frame" keeps its "e".
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1].isalpha():
        w = w[:-1]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


STOPWORDS = _wordset(
    """a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can cannot could couldn't did didn't do does
    doesn't doing don't down during each either etc few for from further had hadn't has hasn't
    have haven't having he her here hers herself him himself his how however i if in into is
    isn't it it's its itself just let's may me might more most must mustn't my myself neither
    nor not of off on once one only or other otherwise ought our ours ourselves out over own
    per rather same shall she should shouldn't since so some such than that that's the their
    theirs them themselves then there there's therefore these they this those though through
    thus to too under until up upon us very via was wasn't we were weren't what when where
    whether which while who whom whose why will with within without would wouldn't yet you
    your yours yourself yourselves e.g i.e eg ie can't won't also using use used"""
)


def content_words(text: str) -> list[str]:
    """Stemmed words of ``text`` that carry meaning (stop words and 1-letter words dropped)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
