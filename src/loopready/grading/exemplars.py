"""Exemplar vectors for a round, embedded once per process and reused for every answer.

A round's bank holds, for each criterion, the vectors of its strong and weak
exemplar sentences; the round's topic vectors (prompt questions, briefs, key points
and every exemplar), which tell an on-topic answer from an off-topic one; and the
example sentences of each blind spot that applies to the round.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from loopready.grading.embeddings import Vectors, get_embedder
from loopready.grading.packkey import PackKey
from loopready.language.sentences import split_sentences
from loopready.packs.schema import Pack


@dataclass(frozen=True)
class CriterionBank:
    strong: Vectors
    weak: Vectors


@dataclass(frozen=True)
class RoundBank:
    criteria: dict[str, CriterionBank]
    topic: Vectors
    blind_spots: dict[str, Vectors]
    #: prompt id -> unit centroid of its question and key points
    prompts: dict[str, Vectors]

    def closest_prompt(self, sentence_vectors: Vectors) -> str | None:
        """The prompt an answer most resembles (when the caller did not say which)."""
        if sentence_vectors.shape[0] == 0 or not self.prompts:
            return None
        centroid = sentence_vectors.mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
        return max(self.prompts, key=lambda pid: float(self.prompts[pid] @ centroid))


def round_bank(pack: Pack, round_id: str) -> RoundBank:
    """The bank for one round of a pack (cached per pack object and round)."""
    return _bank(PackKey(pack), round_id)


@lru_cache(maxsize=64)
def _bank(key: PackKey, round_id: str) -> RoundBank:
    pack = key.pack
    rnd = pack.round(round_id)
    embedder = get_embedder()
    criteria = {
        c.id: CriterionBank(
            strong=embedder.embed(c.strong_examples, persist=True),
            weak=embedder.embed(c.weak_examples, persist=True),
        )
        for c in rnd.rubric.criteria
    }
    topic_texts: list[str] = []
    for prompt in rnd.prompts:
        topic_texts.append(prompt.question)
        if prompt.brief:
            topic_texts += split_sentences(prompt.brief)
        topic_texts += prompt.key_points
        topic_texts += [f.question for f in prompt.follow_ups]
    for c in rnd.rubric.criteria:
        topic_texts += c.strong_examples + c.weak_examples
    blind = {b.id: embedder.embed(b.examples, persist=True) for b in pack.blind_spots_for(round_id)}
    prompts = {}
    for prompt in rnd.prompts:
        centroid = embedder.embed([prompt.question, *prompt.key_points], persist=True).mean(axis=0)
        prompts[prompt.id] = centroid / max(float(np.linalg.norm(centroid)), 1e-9)
    return RoundBank(
        prompts=prompts,
        criteria=criteria,
        topic=embedder.embed(list(dict.fromkeys(topic_texts)), persist=True),
        blind_spots=blind,
    )
