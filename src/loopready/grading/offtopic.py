"""Off-topic answers: said plainly, with the question the answer seems to answer.

An answer is off topic when it is about something other than its round (the
calibration's topicality gate is low), or when it is clearly closer in meaning to
another question of the pack than to the one asked: a fluent plan for the Xperia
camera given to the PlayStation recommendations question. Each prompt is
represented by the centroid of its question, brief and key points.
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
#: How much closer to another question than to the one asked an answer must be.
MARGIN = 0.06


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
def _prompt_centroids(key: _PackKey) -> tuple[list[tuple[Round, Prompt]], Vectors]:
    embedder = get_embedder()
    prompts: list[tuple[Round, Prompt]] = []
    rows: list[np.ndarray] = []
    for rnd in key.pack.all_rounds():
        for prompt in rnd.prompts:
            texts = [prompt.question, *prompt.key_points]
            if prompt.brief:
                texts += split_sentences(prompt.brief)[:6]
            centroid = embedder.embed(texts, persist=True).mean(axis=0)
            rows.append(centroid / max(float(np.linalg.norm(centroid)), 1e-9))
            prompts.append((rnd, prompt))
    return prompts, np.asarray(rows, dtype=np.float32)


def closeness(pack: Pack, vectors: Vectors) -> tuple[list[tuple[Round, Prompt]], np.ndarray]:
    """Every prompt of the pack, and how close the answer's centroid is to each."""
    prompts, matrix = _prompt_centroids(_PackKey(pack))
    if vectors.shape[0] == 0 or not prompts:
        return prompts, np.zeros(len(prompts), np.float32)
    centroid = vectors.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    sims: np.ndarray = matrix @ centroid
    return prompts, sims


def judge(
    pack: Pack, round_id: str, question_id: str | None, vectors: Vectors, gate: float
) -> Verdict:
    """Whether the answer addresses its question (or, with none given, its round)."""
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
    if best_other is not None and float(sims[best_other]) >= best_asked + MARGIN:
        return Verdict(True, prompts[best_other])
    if gate < GATE_FLOOR:
        closer = best_other is not None and float(sims[best_other]) > best_asked
        return Verdict(True, prompts[best_other] if closer and best_other is not None else None)
    return Verdict(False)
