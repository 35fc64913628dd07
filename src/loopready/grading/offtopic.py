"""Off-topic answers: said plainly, with the question the answer seems to answer.

An answer is off topic when it is about something other than its round (the
calibration's topicality gate is low), or when it is clearly closer in meaning to
another question of the pack than to the one asked: a fluent plan for the Xperia
camera given to the PlayStation recommendations question. Each prompt is
represented by its question, brief, key points and follow-ups; MiniLM tells topics
apart better than questions, so the rule is set for precision and misses some.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from loopready.grading.embeddings import Vectors, get_embedder
from loopready.grading.text import split_sentences
from loopready.packs.schema import Pack, Prompt, Round

#: An off-topic answer scores at most this (of 100).
SCORE_CAP = 30.0
#: The topicality gate below which an answer is about something else entirely.
GATE_FLOOR = 0.5
#: How much closer to another question than to the one asked an answer must be ...
MARGIN = 0.10
#: ... while its closeness to the question asked stays below this. Set on the training
#: split for precision: an answer wrongly called off topic loses most of its score.
ASKED_CEILING = 0.30
#: A low-scoring answer this far from the question asked is about something else.
FAR_FROM_ASKED = 0.30
#: ... and at least this much closer to another question.
LOW_SCORE_MARGIN = 0.03


@dataclass(frozen=True)
class Verdict:
    off_topic: bool
    #: The pack question the answer seems to answer instead, if any.
    other: tuple[Round, Prompt] | None = None

    def message(self, asked: Prompt | None) -> str:
        asked_text = f' ("{asked.question}")' if asked else ""
        if self.other is not None:
            rnd, prompt = self.other
            return (
                f'this answer seems to answer another question, "{prompt.question}" '
                f"({rnd.name}), not the one asked{asked_text}: answer the question asked "
                "directly; the score is capped while the answer is off topic"
            )
        return (
            f"this answer does not seem to address the question{asked_text}: re-read the "
            "prompt and answer it directly; the score is capped while the answer is off topic"
        )


class _PackKey:
    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._key = (pack.id, pack.version, id(pack))

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _PackKey) and other._key == self._key


@lru_cache(maxsize=16)
def _prompt_banks(key: _PackKey) -> tuple[list[tuple[Round, Prompt]], list[Vectors]]:
    embedder = get_embedder()
    prompts: list[tuple[Round, Prompt]] = []
    banks: list[Vectors] = []
    for rnd in key.pack.all_rounds():
        for prompt in rnd.prompts:
            texts = [prompt.question, *prompt.key_points, *(f.question for f in prompt.follow_ups)]
            if prompt.brief:
                texts += split_sentences(prompt.brief)
            banks.append(embedder.embed(texts, persist=True))
            prompts.append((rnd, prompt))
    return prompts, banks


def closeness(pack: Pack, vectors: Vectors) -> tuple[list[tuple[Round, Prompt]], np.ndarray]:
    """Every prompt of the pack, and how close the answer is to each: the mean, over the
    answer's sentences, of each sentence's best similarity to the prompt's question, brief,
    key points and follow-ups."""
    prompts, banks = _prompt_banks(_PackKey(pack))
    if vectors.shape[0] == 0 or not prompts:
        return prompts, np.zeros(len(prompts), np.float32)
    sims = np.array([float((vectors @ bank.T).max(axis=1).mean()) for bank in banks])
    return prompts, sims


def judge(
    pack: Pack,
    round_id: str,
    question_id: str | None,
    vectors: Vectors,
    gate: float,
    score: float = 100.0,
) -> Verdict:
    """Whether the answer addresses its question (or, with none given, its round).

    ``score`` is the grade before any cap: an answer that already scores low and is far
    from the question asked is said to be off topic too.
    """
    prompts, sims = closeness(pack, vectors)
    if not prompts or vectors.shape[0] == 0:
        return Verdict(False)
    asked = [
        i
        for i, (rnd, p) in enumerate(prompts)
        if rnd.id == round_id and (question_id is None or p.id == question_id)
    ]
    others = [i for i in range(len(prompts)) if i not in asked]
    if not asked:
        return Verdict(False)
    best_asked = float(sims[asked].max())
    best_other = max(others, key=lambda i: float(sims[i])) if others else None
    closer = best_other is not None and float(sims[best_other]) > best_asked
    if (
        best_other is not None
        and best_asked < ASKED_CEILING
        and float(sims[best_other]) >= best_asked + MARGIN
    ):
        return Verdict(True, prompts[best_other])
    far = (
        score <= SCORE_CAP + 5
        and best_asked < FAR_FROM_ASKED
        and best_other is not None
        and float(sims[best_other]) >= best_asked + LOW_SCORE_MARGIN
    )
    if gate < GATE_FLOOR or far:
        return Verdict(True, prompts[best_other] if closer and best_other is not None else None)
    return Verdict(False)


#: Key-point coverage at or below this, with a low score, means the answer is about something
#: else (set on the training split: off-topic answers cover 0.09-0.35 of the key points, on-topic
#: weak ones mostly 0.2 and more).
KEY_POINT_FLOOR = 0.20
#: ... when the answer also scores at most this.
KEY_POINT_SCORE = 40.0


def judge_coverage(
    pack: Pack,
    round_id: str,
    question_id: str | None,
    vectors: Vectors,
    coverage: float,
    score: float,
) -> Verdict:
    """Off topic by the question's own key points: an answer that covers almost none of them
    and scores low is answering something else."""
    if coverage > KEY_POINT_FLOOR or score > KEY_POINT_SCORE:
        return Verdict(False)
    prompts, sims = closeness(pack, vectors)
    asked = [
        i
        for i, (rnd, p) in enumerate(prompts)
        if rnd.id == round_id and (question_id is None or p.id == question_id)
    ]
    others = [i for i in range(len(prompts)) if i not in asked]
    if not asked or not others:
        return Verdict(True)
    best_other = max(others, key=lambda i: float(sims[i]))
    closer = float(sims[best_other]) > float(sims[asked].max())
    return Verdict(True, prompts[best_other] if closer else None)
