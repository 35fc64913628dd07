"""How an answer was spoken, measured from the transcript's word timestamps.

* **Pace**: words per minute of speaking time (talk time less pauses over 2 s),
  judged against the 130-160 band that most speaking coaches recommend.
* **Fillers**: um, uh, er, hmm, and filler uses of "like", "you know", "sort of",
  "kind of", "I mean", "basically", "literally", per minute of talk time.
  Each is listed with the second it was said.
* **Pauses** longer than 2 s, with the words either side.
* **Talk time** (first word to last word) against the time box, when one is given.
* **Longest stretch** spoken without a pause over 2 s.

Whisper models tend to leave out "um" and "uh" (they were trained on tidied
captions); loopready prompts the model with disfluent text so it keeps more of
them, but a filler count from a transcript is a floor, not an exact figure.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from loopready.language import fillers as fl
from loopready.speech.timing import WordTiming

#: Words per minute that most speaking coaches call a comfortable, clear pace.
PACE_BAND = (130, 160)
#: A silence longer than this between two words is a pause.
PAUSE_S = 2.0
#: Below this much talk time the pace is not judged.
MIN_TALK_S = 5.0


_STRIP = re.compile(r"^[^\w']+|[^\w']+$")


class Filler(BaseModel):
    filler: str
    start: float


class Pause(BaseModel):
    start: float
    end: float
    seconds: float
    after: str = Field(description="The word before the pause.")
    before: str = Field(description="The word after the pause.")


class SpeechDelivery(BaseModel):
    """Delivery figures for one spoken answer; ``to_dict()`` is the JSON ``delivery`` block."""

    words: int
    talk_time_s: float = Field(description="First word to last word.")
    speaking_time_s: float = Field(description="Talk time less pauses over 2 s.")
    first_word_s: float | None = Field(description="Silence before the first word.")
    wpm: float
    wpm_band: tuple[int, int] = PACE_BAND
    pace: Literal["slow", "in band", "fast", "too short to judge", "no speech"]
    fillers: int
    fillers_per_minute: float
    filler_counts: dict[str, int] = Field(default_factory=dict)
    filler_times: list[Filler] = Field(default_factory=list)
    pause_threshold_s: float = PAUSE_S
    pauses: list[Pause] = Field(default_factory=list)
    longest_stretch_s: float
    longest_stretch_start_s: float | None = None
    time_box_s: float | None = None
    time_box_share: float | None = Field(default=None, description="Talk time / time box.")
    time_box: Literal["within", "over"] | None = None
    notes: list[str] = Field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _clean(word: str) -> str:
    return _STRIP.sub("", word.lower().replace("\u2019", "'"))


def _ends_clause(word: str) -> bool:
    return word.rstrip().endswith((",", ".", "?", "!", ";", ":", "\u2026", "-"))


def find_fillers(words: Sequence[WordTiming]) -> list[Filler]:
    """Fillers in spoken order, each with the time it started."""
    tokens = [_clean(w.word) for w in words]
    found: list[Filler] = []
    i = 0
    while i < len(words):
        token = tokens[i]
        prev = tokens[i - 1] if i > 0 else ""
        prev_raw = words[i - 1].word if i > 0 else "."
        nxt = tokens[i + 1] if i + 1 < len(words) else ""
        at_clause_start = _ends_clause(prev_raw)
        hesitation = next((k for k, rx in fl.HESITATIONS.items() if rx.match(token)), None)
        if hesitation is not None:
            found.append(Filler(filler=hesitation, start=words[i].start))
        elif token in fl.ALWAYS_FILLERS:
            found.append(Filler(filler=token, start=words[i].start))
        elif token == "like":
            # Only a "like" the transcript sets off with a comma is counted: ", like how"
            # is as often a list ("games, like racing") as a filler. After "would" and
            # the like it is a verb unless a bare verb follows ("I would like, check").
            if _ends_clause(words[i].word) and (
                prev not in fl.LIKE_VERB_BEFORE_COMMA or nxt not in fl.LIKE_VERB_OBJECT
            ):
                found.append(Filler(filler="like", start=words[i].start))
        elif token == "you" and nxt == "know" and i + 1 < len(words):
            know_raw = words[i + 1].word
            after = tokens[i + 2] if i + 2 < len(words) else ""
            aside = _ends_clause(know_raw) or (at_clause_start and after not in fl.YOU_KNOW_OBJECT)
            if aside and prev not in fl.YOU_KNOW_NOT_FILLER:
                found.append(Filler(filler="you know", start=words[i].start))
                i += 2
                continue
        elif token in {"sort", "kind"} and nxt == "of" and prev not in fl.KIND_OF_NOUN:
            found.append(Filler(filler=f"{token} of", start=words[i].start))
            i += 2
            continue
        elif token == "i" and nxt == "mean" and prev not in fl.MEAN_NOT_FILLER:
            mean_raw = words[i + 1].word
            if _ends_clause(mean_raw) or at_clause_start:
                found.append(Filler(filler="I mean", start=words[i].start))
                i += 2
                continue
        i += 1
    return found


def find_pauses(words: Sequence[WordTiming], threshold_s: float = PAUSE_S) -> list[Pause]:
    """Silences longer than ``threshold_s`` between consecutive words."""
    pauses = []
    for before, after in itertools.pairwise(words):
        gap = after.start - before.end
        if gap > threshold_s:
            pauses.append(
                Pause(
                    start=round(before.end, 2),
                    end=round(after.start, 2),
                    seconds=round(gap, 2),
                    after=before.word.strip(),
                    before=after.word.strip(),
                )
            )
    return pauses


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def measure_speech(words: Sequence[WordTiming], time_box_s: float | None = None) -> SpeechDelivery:
    """All delivery figures for one answer, with plain-language notes."""
    spoken = [w for w in words if any(ch.isalnum() for ch in w.word)]
    if not spoken:
        return SpeechDelivery(
            words=0, talk_time_s=0.0, speaking_time_s=0.0, first_word_s=None, wpm=0.0,
            pace="no speech", fillers=0, fillers_per_minute=0.0, longest_stretch_s=0.0,
            time_box_s=time_box_s, notes=["No speech detected."],
        )  # fmt: skip
    talk = max(spoken[-1].end - spoken[0].start, 0.0)
    pauses = find_pauses(spoken)
    speaking = max(talk - sum(p.seconds for p in pauses), 0.0)
    wpm = len(spoken) / (speaking / 60) if speaking > 0 else 0.0
    low, high = PACE_BAND
    pace: Literal["slow", "in band", "fast", "too short to judge"]
    if talk < MIN_TALK_S:
        pace = "too short to judge"
    elif wpm < low:
        pace = "slow"
    elif wpm > high:
        pace = "fast"
    else:
        pace = "in band"
    fillers = find_fillers(spoken)
    per_minute = len(fillers) / (talk / 60) if talk > 0 else 0.0

    # Stretches between pauses: the longest is the longest run without stopping.
    stretch_start = spoken[0].start
    longest, longest_start = 0.0, spoken[0].start
    for before, after in itertools.pairwise(spoken):
        if after.start - before.end > PAUSE_S:
            if before.end - stretch_start > longest:
                longest, longest_start = before.end - stretch_start, stretch_start
            stretch_start = after.start
    if spoken[-1].end - stretch_start > longest:
        longest, longest_start = spoken[-1].end - stretch_start, stretch_start

    share = verdict = None
    if time_box_s:
        share = round(talk / time_box_s, 3)
        verdict = "over" if talk > time_box_s else "within"

    notes = []
    if pace == "too short to judge":
        notes.append(f"Pace: {len(spoken)} words in {talk:.0f} s, too short to judge.")
    else:
        advice = {
            "slow": "a little slow; tighten the pauses between points",
            "fast": "fast; slow down so each point lands",
            "in band": "a clear, comfortable pace",
        }[pace]
        notes.append(f"Pace: {wpm:.0f} words a minute ({low}-{high} is the usual band): {advice}.")
    if fillers:
        counts = Counter(f.filler for f in fillers)
        listed = ", ".join(f'"{k}" x{v}' for k, v in counts.most_common())
        notes.append(f"Fillers: {len(fillers)} ({per_minute:.1f} a minute): {listed}.")
    else:
        notes.append("Fillers: none heard.")
    if pauses:
        longest_pause = max(pauses, key=lambda p: p.seconds)
        notes.append(
            f"Pauses over {PAUSE_S:.0f} s: {len(pauses)}; the longest, "
            f'{longest_pause.seconds:.1f} s, came after "{longest_pause.after}" '
            f"at {_clock(longest_pause.start)}."
        )
    notes.append(
        f"Longest stretch without a pause: {_clock(longest)}"
        + (" (break long answers into points with a short pause)." if longest > 120 else ".")
    )
    if time_box_s:
        notes.append(
            f"Talk time {_clock(talk)} of a {_clock(time_box_s)} time box ({talk / time_box_s:.0%})"
            + (": over the time box, cut to the strongest points." if verdict == "over" else ".")
        )
    else:
        notes.append(f"Talk time {_clock(talk)}.")

    return SpeechDelivery(
        words=len(spoken),
        talk_time_s=round(talk, 2),
        speaking_time_s=round(speaking, 2),
        first_word_s=round(spoken[0].start, 2),
        wpm=round(wpm, 1),
        pace=pace,
        fillers=len(fillers),
        fillers_per_minute=round(per_minute, 2),
        filler_counts=dict(Counter(f.filler for f in fillers)),
        filler_times=fillers,
        pauses=pauses,
        longest_stretch_s=round(longest, 2),
        longest_stretch_start_s=round(longest_start, 2),
        time_box_s=time_box_s,
        time_box_share=share,
        time_box=verdict,
        notes=notes,
    )
