"""Refit the evidence judgement on the sentence labels of the TRAINING split only.

    python benchmarks/fit_evidence.py     # writes src/loopready/grading/model/evidence.json

Each labelled sentence gives one example per criterion of its round: positive when
the label says the sentence does what that criterion asks, negative otherwise. The
model is one L2-regularised logistic regression over the features of
:data:`loopready.grading.evidence.FEATURES`, shared by every criterion. Sentences of
held-out answers are never read here. Refit the calibration afterwards
(``python benchmarks/fit_grader.py``): it reads the evidence probabilities. A second
model on the exemplar features only serves rounds with no labelled sentences.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import labelled
import logistic
from loopready.grading import depth, evidence, signals
from loopready.grading.embeddings import get_embedder
from loopready.grading.exemplars import round_bank
from loopready.grading.features import topicality
from loopready.language.sentences import split_sentences
from loopready.packs import get_pack

L2 = 1.0


def sentence_rows(
    split: str,
) -> tuple[np.ndarray, np.ndarray, list[dict[str, Any]]]:
    """Features and 0/1 targets of every (labelled sentence, criterion) pair in ``split``,
    with one record per pair (answer id, sentence index, criterion, label)."""
    answers = {r["id"]: r for r in labelled.load()}
    labels = [s for s in labelled.load_sentences() if s["split"] == split]
    pack = get_pack("sony-ai-pm-2026")
    by_answer: dict[str, list[dict[str, Any]]] = {}
    for s in labels:
        by_answer.setdefault(s["answer_id"], []).append(s)
    xs: list[np.ndarray] = []
    ys: list[float] = []
    records: list[dict[str, Any]] = []
    examples = {
        round_id: evidence.EvidenceModel(
            np.zeros(1), np.ones(1), np.zeros(1), 0.0, examples=tuple(training_examples().items())
        ).examples_for(round_id)
        for round_id in labelled.ROUNDS
    }
    for answer_id, items in by_answer.items():
        row = answers[answer_id]
        pairs, sentences = answer_pairs(
            pack, row["round"], row["answer"], examples[row["round"]], answer_id
        )
        ids = [c.id for c in pack.round(row["round"]).rubric.criteria]
        for item in items:
            if item["sentence"] not in sentences:
                raise SystemExit(f"{answer_id}: labelled sentence not found: {item['sentence']!r}")
            i = sentences.index(item["sentence"])
            for j, cid in enumerate(ids):
                xs.append(pairs[i, j])
                ys.append(1.0 if cid in item["criteria"] else 0.0)
                records.append(
                    {"answer": answer_id, "sentence": i, "criterion": cid, "label": ys[-1]}
                )
    return np.array(xs), np.array(ys), records


def training_examples() -> dict[str, tuple[tuple[str, tuple[str, ...], str], ...]]:
    """The training split's labelled sentences, by round: the model's learned examples."""
    out: dict[str, list[tuple[str, tuple[str, ...], str]]] = {}
    for s in labelled.load_sentences():
        if s["split"] == "train":
            out.setdefault(s["round"], []).append(
                (s["sentence"], tuple(s["criteria"]), s["answer_id"])
            )
    return {k: tuple(v) for k, v in sorted(out.items())}


def answer_pairs(
    pack: Any,
    round_id: str,
    answer: str,
    examples: evidence.Examples | None = None,
    leave_out: str | None = None,
) -> tuple[np.ndarray, list[str]]:
    rnd = pack.round(round_id)
    sentences = split_sentences(answer)
    vectors = get_embedder().embed(sentences)
    analysis = signals.analyse(sentences)
    bank = round_bank(pack, round_id)
    measured = depth.measure(sentences, analysis)
    pairs = evidence.pair_features(
        rnd,
        bank,
        vectors,
        analysis,
        measured,
        topicality(vectors, bank),
        sentences,
        examples,
        leave_out,
    )
    return pairs, sentences


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float) -> dict[str, Any]:
    fitted = logistic.fit(x, y, l2, steps=5000)
    mean, std, w, b = (fitted[k] for k in ("mean", "std", "weights", "bias"))
    return {
        "features": list(evidence.FEATURES),
        "mean": mean.tolist(),
        "std": std.tolist(),
        "weights": w.tolist(),
        "bias": float(b),
        "threshold": evidence.THRESHOLD,
        "examples": {
            round_id: [{"text": t, "criteria": list(c), "answer": a} for t, c, a in items]
            for round_id, items in training_examples().items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=evidence.PATH)
    args = parser.parse_args()
    x, y, records = sentence_rows("train")
    data = fit_logistic(x, y, L2)
    base = fit_logistic(x[:, : evidence.EXEMPLAR_FEATURES], y, L2)
    data["exemplar_only"] = {k: base[k] for k in ("mean", "std", "weights", "bias")}
    sentences = len({(r["answer"], r["sentence"]) for r in records})
    data["fitted_on"] = (
        f"benchmarks/data/grading/sentences.jsonl, train split ({sentences} sentences, "
        f"{int(y.sum())} positive pairs of {len(y)}); refit with python benchmarks/fit_evidence.py"
    )
    args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} from {sentences} training sentences ({len(y)} pairs)")
    print("weights:", dict(zip(evidence.FEATURES, np.round(data["weights"], 3), strict=True)))
    print("exemplar-only weights:", np.round(base["weights"], 3).tolist())


if __name__ == "__main__":
    main()
