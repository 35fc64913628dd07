"""Refit the reference-coverage model on the `training` split of SAF v2.0 (English) only.

Writes ``src/loopready/grading/model/reference_model.json``: two models, one for when the
question text is known and one for when it is not, each with the features chosen, their
standardisation and training range, logistic-regression weights, and the similarity
threshold that marks a key point as covered.

Procedure (all on ``training``; ``unseen_answers`` and ``unseen_questions`` are never read):

1. Every answer is matched against its reference's key points by
   ``loopready.grading.reference.analyse``, which computes the base features.
2. Target: the tutor's score divided by the question's maximum score in ``training``.
   Off-topic answers are added with target 0 (for each question, 8 answers to other
   training questions and the question itself), since SAF has almost none and a grader
   must not reward them; the first two correlations below leave them out.
3. Candidates: the base features and all their pairwise products. Forward selection
   adds, one at a time, the candidate that most improves the mean of three cross-validated
   Pearson correlations: leave-one-question-out (new questions, as for custom questions),
   5-fold over answers (new answers to known questions), and leave-one-question-out with
   the off-topic answers included (they must score low); it stops when the gain is below
   0.002 or at 10 features. Then the L2 strength is chosen the same way.
4. The model is a logistic regression on the score fraction (cross-entropy with soft
   labels), fitted by Newton's method with an L2 penalty.
5. The covered-point rule ``similarity + w * word overlap >= threshold`` takes the
   ``(w, threshold)`` whose share of covered points correlates best with the target.

Data: Filighera, Parihar, Steuer, Meuser, Ochs (2022), "Your Answer is Incorrect... Would
you like to know why? Introducing a Bilingual Short Answer Feedback Dataset", ACL 2022
(MIT / CC-BY-4.0). Evaluation data only; never shipped.

Usage::

    python benchmarks/fit_reference.py                      # refit and write the JSON
    python benchmarks/fit_reference.py --dry-run --cache    # report CV only; reuse vectors
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CSV = REPO.parent / "shared" / "evaldata" / "saf" / "saf_v2_english.csv"
FloatArray = NDArray[np.float64]
Fitted = tuple[FloatArray, FloatArray, FloatArray]

MAX_FEATURES = 10
MIN_GAIN = 0.002
SELECTION_L2 = 0.01
L2_GRID = (0.001, 0.003, 0.01, 0.03, 0.1)
FOLDS = 5
SEED = 0
#: Off-topic answers added per question, as target 0 (see ``add_off_topic``).
OFF_TOPIC_PER_QUESTION = 8


def load_training(csv_path: Path) -> list[dict[str, Any]]:
    """The ``training`` rows, each with ``target`` = score / the question's max score."""
    import csv

    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["split"] == "training"]
    if not rows:
        raise SystemExit(f"{csv_path} has no 'training' rows")
    top: dict[str, float] = defaultdict(float)
    for r in rows:
        top[r["qid"]] = max(top[r["qid"]], float(r["score"]))
    out: list[dict[str, Any]] = []
    for r in rows:
        out.append({**r, "target": float(r["score"]) / top[r["qid"]] if top[r["qid"]] else 0.0})
    return out


def add_off_topic(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Off-topic answers with target 0: SAF has almost none, users will type some.

    For each question: a few answers to *other* training questions, and the question
    itself (echoing the question earns nothing). Each keeps the question's id as its
    group, so leave-one-question-out holds them out with the question they are graded
    against; they are used for fitting only, never in the reported correlations.
    """
    rng = np.random.default_rng(SEED)
    by_question: dict[str, dict[str, Any]] = {}
    for r in rows:
        by_question.setdefault(r["qid"], r)
    extra: list[dict[str, Any]] = []
    for qid, first in sorted(by_question.items()):
        others = [r for r in rows if r["qid"] != qid]
        picks = rng.choice(len(others), size=OFF_TOPIC_PER_QUESTION, replace=False)
        answers = [others[int(i)]["answer"] for i in picks] + [first["question"]]
        for answer in answers:
            extra.append({**first, "answer": answer, "target": 0.0, "synthetic": True})
    return extra


def analyse_rows(
    rows: list[dict[str, Any]],
    persist: bool,
    with_question: bool,
    question_similarity: float | None = None,
) -> list[Any]:
    """``reference.analyse`` for every row, embedding all texts in one pass first."""
    from loopready.grading.embeddings import get_embedder
    from loopready.grading.reference import analyse, key_points_from_reference
    from loopready.language.sentences import split_sentences

    emb = get_embedder()
    texts: set[str] = set()
    for r in rows:
        texts.update(split_sentences(r["answer"]))
        texts.update(key_points_from_reference(r["reference"]))
        texts.add(r["question"])
    started = time.perf_counter()
    emb.embed(sorted(texts), persist=persist)
    print(f"embedded {len(texts):,} texts in {time.perf_counter() - started:.0f} s", flush=True)
    extra = {} if question_similarity is None else {"question_similarity": question_similarity}
    return [
        analyse(
            r["answer"],
            key_points_from_reference(r["reference"]),
            question=r["question"] if with_question else None,
            reference=r["reference"],
            embedder=emb,
            **extra,
        )
        for r in rows
    ]


def candidate_matrix(analyses: list[Any]) -> tuple[list[str], FloatArray]:
    """Base features and their pairwise products, one column each."""
    from loopready.grading.reference import FEATURES, feature_value

    names = list(FEATURES) + [f"{a}*{b}" for a, b in itertools.combinations(FEATURES, 2)]
    x = np.array([[feature_value(a.features, n) for n in names] for a in analyses])
    return names, x


def fit_logistic(x: FloatArray, y: FloatArray, l2: float) -> Fitted:
    """Standardise ``x``; fit ``sigmoid(z @ w + b)`` to fractions ``y`` by Newton's method.

    Returns ``(mean, scale, [b, w...])``.
    """
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.c_[np.ones(len(x)), (x - mean) / scale]
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], 2 * l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) / len(y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z / len(y) + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return mean, scale, w


def predict(model: Fitted, x: FloatArray) -> FloatArray:
    mean, scale, w = model
    result: FloatArray = 1 / (1 + np.exp(-(((x - mean) / scale) @ w[1:] + w[0])))
    return result


def pearson(a: FloatArray, b: FloatArray) -> float:
    return float(np.corrcoef(a, b)[0, 1])


def cross_validate(
    x: FloatArray, y: FloatArray, groups: NDArray[np.str_], real: NDArray[np.bool_], l2: float
) -> tuple[float, float, float]:
    """Pooled out-of-fold Pearson correlations.

    Returns ``(by question, by answer, off-topic)``: leave-one-question-out on the real
    answers, 5-fold over the real answers (off-topic rows always in the fitting folds),
    and leave-one-question-out over real and off-topic answers together (does the model
    keep off-topic answers low?).
    """
    by_question = np.zeros(len(y))
    for g in np.unique(groups):
        test = groups == g
        by_question[test] = predict(fit_logistic(x[~test], y[~test], l2), x[test])
    folds = np.where(real, np.random.default_rng(SEED).integers(0, FOLDS, len(y)), -1)
    by_answer = np.zeros(len(y))
    for k in range(FOLDS):
        test = folds == k
        by_answer[test] = predict(fit_logistic(x[~test], y[~test], l2), x[test])
    return (
        pearson(by_question[real], y[real]),
        pearson(by_answer[real], y[real]),
        pearson(by_question, y),
    )


def forward_select(
    names: list[str],
    x: FloatArray,
    y: FloatArray,
    groups: NDArray[np.str_],
    real: NDArray[np.bool_],
) -> tuple[list[str], list[dict[str, Any]]]:
    chosen: list[str] = []
    trace: list[dict[str, Any]] = []
    best = -1.0
    while len(chosen) < MAX_FEATURES:
        scored = []
        for name in names:
            if name in chosen:
                continue
            cols = [names.index(c) for c in [*chosen, name]]
            q, a, o = cross_validate(x[:, cols], y, groups, real, SELECTION_L2)
            scored.append(((q + a + o) / 3, q, a, o, name))
        score, q, a, o, name = max(scored)
        if score < best + MIN_GAIN:
            break
        best = score
        chosen.append(name)
        trace.append(
            {
                "add": name,
                "cv_questions": round(q, 4),
                "cv_answers": round(a, 4),
                "cv_with_off_topic": round(o, 4),
            }
        )
        print(
            f"  + {name:<36} CV by question {q:.3f}  by answer {a:.3f}  with off-topic {o:.3f}",
            flush=True,
        )
    return chosen, trace


def choose_cover_rule(analyses: list[Any], y: FloatArray) -> tuple[float, float, float]:
    """``(lexical_weight, threshold, r)`` maximising Pearson of covered share vs target."""
    best = (0.0, 0.6, -1.0)
    for weight in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5):
        scores = [a.best.astype(np.float64) + weight * a.lexical for a in analyses]
        has_sentences = np.array([bool(a.sentences) for a in analyses])
        for threshold in np.arange(0.30, 0.901, 0.025):
            share = np.array([float((s >= threshold).mean()) for s in scores]) * has_sentences
            if share.std() == 0:
                continue
            r = pearson(share, y)
            if r > best[2]:
                best = (weight, float(threshold), r)
    return best


def fit_variant(
    rows: list[dict[str, Any]],
    analyses: list[Any],
    with_question: bool,
    question_similarity: float,
) -> Any:
    """Select features, fit and describe one model (with or without the question text)."""
    from loopready.grading.reference import QUESTION_FEATURES, ReferenceModel

    y = np.array([r["target"] for r in rows])
    groups = np.array([r["qid"] for r in rows])
    real = np.array([not r.get("synthetic") for r in rows])
    names, x = candidate_matrix(analyses)
    if not with_question:
        keep = [i for i, n in enumerate(names) if not set(n.split("*")) & set(QUESTION_FEATURES)]
        names, x = [names[i] for i in keep], x[:, keep]

    label = "with" if with_question else "without"
    print(f"forward selection, {label} the question (training CV only):", flush=True)
    chosen, trace = forward_select(names, x, y, groups, real)
    xs = x[:, [names.index(c) for c in chosen]]
    cv = {l2: cross_validate(xs, y, groups, real, l2) for l2 in L2_GRID}
    l2 = max(cv, key=lambda k: sum(cv[k]))
    cv_q, cv_a, cv_o = cv[l2]
    print(f"L2 {l2}: CV by question {cv_q:.3f}, by answer {cv_a:.3f}, with off-topic {cv_o:.3f}")
    mean, scale, w = fit_logistic(xs, y, l2)
    real_analyses = [a for a, keep in zip(analyses, real, strict=True) if keep]
    weight, threshold, r_cover = choose_cover_rule(real_analyses, y[real])
    print(f"covered rule: similarity + {weight} * overlap >= {threshold:.3f} (r {r_cover:.3f})")
    return ReferenceModel(
        features=tuple(chosen),
        mean=mean,
        scale=scale,
        low=xs.min(axis=0),
        high=xs.max(axis=0),
        coef=w[1:],
        intercept=float(w[0]),
        cover_threshold=threshold,
        lexical_weight=weight,
        question_similarity=question_similarity,
        meta={
            "l2": l2,
            "cv_pearson_leave_one_question_out": round(cv_q, 4),
            "cv_pearson_5fold_answers": round(cv_a, 4),
            "cv_pearson_with_off_topic": round(cv_o, 4),
            "cover_rule_pearson": round(r_cover, 4),
            "selection": trace,
        },
    )


def main(argv: list[str] | None = None) -> int:
    from loopready.grading.reference import MODEL_PATH

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="SAF v2.0 English CSV")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the JSON")
    parser.add_argument("--dry-run", action="store_true", help="report, do not write")
    parser.add_argument(
        "--cache", action="store_true", help="keep vectors in the data folder's cache for re-runs"
    )
    args = parser.parse_args(argv)
    if not args.csv.is_file():
        parser.error(f"{args.csv} not found: pass --csv PATH to saf_v2_english.csv")

    real_rows = load_training(args.csv)
    rows = real_rows + add_off_topic(real_rows)
    n_questions = len({r["qid"] for r in real_rows})
    print(
        f"training: {len(real_rows):,} answers, {n_questions} questions, "
        f"{len(rows) - len(real_rows)} off-topic answers added",
        flush=True,
    )
    with_q = analyse_rows(rows, persist=args.cache, with_question=True)
    # Without a question the "gain" features subtract this typical point-question similarity.
    q_sim = float(
        np.mean(
            [
                float(np.mean(a.best)) - a.features["gain_mean"]
                for a, r in zip(with_q, rows, strict=True)
                if not r.get("synthetic")
            ]
        )
    )
    without_q = analyse_rows(
        rows, persist=args.cache, with_question=False, question_similarity=q_sim
    )
    models = {
        "with_question": fit_variant(rows, with_q, True, q_sim).to_dict(),
        "without_question": fit_variant(rows, without_q, False, q_sim).to_dict(),
    }
    document = {
        **models,
        "meta": {
            "fitted_on": (
                f"SAF v2.0 English, split 'training' only: {len(real_rows)} answers, "
                f"{n_questions} questions, plus {len(rows) - len(real_rows)} off-topic "
                "answers (other questions' answers and the question itself) scored 0"
            ),
            "data_sha256": hashlib.sha256(args.csv.read_bytes()).hexdigest(),
            "target": "tutor score / question's maximum score",
            "script": "benchmarks/fit_reference.py",
        },
    }
    text = json.dumps(document, indent=2) + "\n"
    if args.dry_run:
        print(text)
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
