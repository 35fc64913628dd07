"""Word error rate: how far a transcript is from the script that was read aloud.

Both texts are normalised the same way first (lower case, punctuation and
hyphens removed, numbers and percentages spelled out), so "5%" and "five
percent" count as the same words. The rate is the word-level Levenshtein
distance (substitutions + deletions + insertions) over the script's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loopready.language.numbers import number_words

_NUMBER = re.compile(r"(\d[\d,]*)(?:\.(\d+))?(%?)")
_NOT_WORD = re.compile(r"[^a-z0-9' ]+")


def _spell_number(match: re.Match[str]) -> str:
    whole = int(match.group(1).replace(",", ""))
    words = number_words(whole)
    if match.group(2):
        words += " point " + " ".join(number_words(int(d)) for d in match.group(2))
    if match.group(3):
        words += " percent"
    return f" {words} "


def normalise_words(text: str) -> list[str]:
    """Lower-case words with punctuation stripped and numbers spelled out."""
    text = text.lower().replace("\u2019", "'")
    text = text.replace("-", " ").replace("\u2013", " ").replace("\u2014", " ")
    text = _NUMBER.sub(_spell_number, text)
    text = text.replace("%", " percent ")
    text = _NOT_WORD.sub(" ", text)
    return [w.replace("'", "") for w in text.split() if w.strip("'")]


@dataclass(frozen=True)
class WerResult:
    """Edit counts behind a word error rate."""

    substitutions: int
    deletions: int
    insertions: int
    reference_words: int

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def rate(self) -> float:
        """Errors over the reference length (0 for two empty texts, 1.0 per word inserted)."""
        if self.reference_words == 0:
            return 0.0 if self.insertions == 0 else float(self.insertions)
        return self.errors / self.reference_words


def word_errors(reference: str, hypothesis: str) -> WerResult:
    """Align two texts word by word and count each kind of edit."""
    ref = normalise_words(reference)
    hyp = normalise_words(hypothesis)
    # cost[j] holds (total, subs, dels, ins) for ref[:i] against hyp[:j]; one row at a time.
    previous = [(j, 0, 0, j) for j in range(len(hyp) + 1)]
    for i in range(1, len(ref) + 1):
        current = [(i, 0, i, 0)]
        for j in range(1, len(hyp) + 1):
            diag = previous[j - 1]
            if ref[i - 1] == hyp[j - 1]:
                best = diag
            else:
                best = (diag[0] + 1, diag[1] + 1, diag[2], diag[3])
            up = previous[j]
            if up[0] + 1 < best[0]:
                best = (up[0] + 1, up[1], up[2] + 1, up[3])
            left = current[j - 1]
            if left[0] + 1 < best[0]:
                best = (left[0] + 1, left[1], left[2], left[3] + 1)
            current.append(best)
        previous = current
    _, subs, dels, ins = previous[-1]
    return WerResult(subs, dels, ins, len(ref))


def word_error_rate(reference: str, hypothesis: str) -> float:
    """The word error rate of ``hypothesis`` against ``reference`` (0.0 is a perfect match)."""
    return word_errors(reference, hypothesis).rate
