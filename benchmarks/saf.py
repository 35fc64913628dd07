"""How well reference coverage agrees with tutors' scores on SAF v2.0 (English).

SAF (Filighera, Parihar, Steuer, Meuser, Ochs, ACL 2022; MIT / CC-BY-4.0) holds 2,981
tutor-scored answers to 31 networking questions, each with a reference answer. For every
answer this script computes ``grade_reference(answer, reference=..., question=...)`` and
correlates its ``coverage`` with the tutor's score divided by the question's maximum
score, per split. The plain baseline is the MiniLM cosine between the whole answer and the
whole reference. The coverage model was fitted on ``training`` only
(``benchmarks/fit_reference.py``); ``unseen_answers`` and ``unseen_questions`` are
reported, never tuned on.

``--speed`` also measures the embedding model and the reference grader: model load,
milliseconds per sentence batch, a warm grade of a 450-word answer, a cold grade in a
fresh process, answers per second and peak memory.

Usage::

    python benchmarks/saf.py
    python benchmarks/saf.py --csv ../shared/evaldata/saf/saf_v2_english.csv --speed --json
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CSV = REPO.parent / "shared" / "evaldata" / "saf" / "saf_v2_english.csv"
SPLITS = ("unseen_answers", "unseen_questions", "training")
CITATION = (
    "SAF v2.0 English: Filighera, Parihar, Steuer, Meuser, Ochs (2022), 'Your Answer is "
    "Incorrect... Would you like to know why? Introducing a Bilingual Short Answer Feedback "
    "Dataset', ACL 2022."
)


def load_rows(csv_path: Path) -> list[dict[str, Any]]:
    """SAF rows with ``target`` = score / the question's maximum score in the file."""
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows: list[dict[str, Any]] = list(csv.DictReader(fh))
    if not rows:
        raise SystemExit(f"{csv_path} has no rows")
    top: dict[str, float] = defaultdict(float)
    for row in rows:
        top[row["qid"]] = max(top[row["qid"]], float(row["score"]))
    for row in rows:
        best = top[row["qid"]]
        row["target"] = float(row["score"]) / best if best > 0 else 0.0
    return rows


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks with ties sharing their average rank (as Spearman's correlation needs)."""
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    averaged: np.ndarray = (np.bincount(inverse, weights=ranks) / counts)[inverse]
    return averaged


def _correlations(pred: np.ndarray, target: np.ndarray) -> dict[str, float]:
    return {
        "pearson": round(float(np.corrcoef(pred, target)[0, 1]), 4),
        "spearman": round(float(np.corrcoef(_ranks(pred), _ranks(target))[0, 1]), 4),
    }


def _within_question(pred: np.ndarray, target: np.ndarray, qids: np.ndarray) -> float:
    """Mean Pearson inside each question (questions whose scores all tie are skipped)."""
    values = []
    for qid in np.unique(qids):
        m = qids == qid
        if m.sum() > 2 and target[m].std() > 0 and pred[m].std() > 0:
            values.append(float(np.corrcoef(pred[m], target[m])[0, 1]))
    return round(float(np.mean(values)), 4) if values else float("nan")


def run(
    csv_path: Path | str = DEFAULT_CSV,
    splits: tuple[str, ...] = SPLITS,
    *,
    persist: bool = False,
) -> dict[str, Any]:
    """Score every answer of ``splits``; return correlations per split and method.

    ``persist=True`` keeps the vectors in the data folder's cache, so re-runs are fast.

    ``{"splits": {split: {"n": ..., "reference_coverage": {"pearson", "spearman"},
    "cosine_baseline": {...}, "mean_coverage": ...}}, "seconds": ..., "model": {...}}``
    """
    from loopready.grading.embeddings import get_embedder
    from loopready.grading.reference import grade_reference, key_points_from_reference, load_model
    from loopready.language.sentences import split_sentences

    started = time.perf_counter()
    rows = [r for r in load_rows(Path(csv_path)) if r["split"] in splits]
    emb = get_embedder()
    # Embed everything once, in big batches; the graders then hit the in-memory cache.
    texts: set[str] = set()
    for row in rows:
        texts.update(split_sentences(row["answer"]))
        texts.update(key_points_from_reference(row["reference"]))
        texts.add(row["question"])
    emb.embed(sorted(texts), persist=persist)
    coverage = np.array(
        [
            grade_reference(r["answer"], reference=r["reference"], question=r["question"]).coverage
            for r in rows
        ]
    )
    whole = emb.embed([r["answer"] for r in rows], persist=persist)
    refs = emb.embed([r["reference"] for r in rows], persist=persist)
    cosine = (whole * refs).sum(axis=1)
    target = np.array([r["target"] for r in rows])
    split_of = np.array([r["split"] for r in rows])
    qids = np.array([r["qid"] for r in rows])
    result: dict[str, Any] = {"splits": {}}
    for split in splits:
        mask = split_of == split
        if not mask.any():
            continue
        result["splits"][split] = {
            "n": int(mask.sum()),
            "questions": len({r["qid"] for r in rows if r["split"] == split}),
            "reference_coverage": {
                **_correlations(coverage[mask], target[mask]),
                "within_question_pearson": _within_question(
                    coverage[mask], target[mask], qids[mask]
                ),
            },
            "cosine_baseline": {
                **_correlations(cosine[mask], target[mask]),
                "within_question_pearson": _within_question(cosine[mask], target[mask], qids[mask]),
            },
            "mean_coverage": round(float(coverage[mask].mean()), 4),
            "mean_target": round(float(target[mask].mean()), 4),
        }
    model = load_model()
    result["model"] = {"features": list(model.features), "fitted_on": model.meta.get("fitted_on")}
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["citation"] = CITATION
    return result


def _answer_of_words(rows: list[dict[str, Any]], n_words: int) -> tuple[str, str, str]:
    """A long answer made of one question's SAF answers, with that question and reference."""
    qid = max({r["qid"] for r in rows}, key=lambda q: sum(r["qid"] == q for r in rows))
    same = [r for r in rows if r["qid"] == qid]
    parts: list[str] = []
    for r in same:
        parts.append(r["answer"].strip())
        if sum(len(p.split()) for p in parts) >= n_words:
            break
    words = " ".join(parts).split()[:n_words]
    return " ".join(words), same[0]["reference"], same[0]["question"]


def speed(csv_path: Path | str = DEFAULT_CSV) -> dict[str, Any]:
    """Load time, embedding speed, warm and cold grade latency, throughput, peak memory."""
    rows = load_rows(Path(csv_path))
    answer, reference, question = _answer_of_words(rows, 450)
    # A fresh process per cold grade: imports, model load, one grade, peak memory.
    code = """
import json, resource, sys, time
t0 = time.perf_counter()
from loopready.grading.embeddings import get_embedder
from loopready.grading.reference import grade_reference
t1 = time.perf_counter()
get_embedder()
t2 = time.perf_counter()
grade_reference(sys.argv[1], reference=sys.argv[2], question=sys.argv[3])
t3 = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "grade": t3 - t2, "rss": rss}))
"""
    cold: list[dict[str, float]] = []
    for _ in range(3):
        t = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code, answer, reference, question],
            check=True,
            capture_output=True,
            text=True,
        )
        cold.append({**json.loads(out.stdout), "total": time.perf_counter() - t})

    from loopready.grading.embeddings import get_embedder
    from loopready.grading.reference import grade_reference
    from loopready.language.sentences import split_sentences

    emb = get_embedder()
    sentences = split_sentences(answer)
    batch_ms = []
    for _ in range(7):
        emb.clear_cache()
        t = time.perf_counter()
        emb.embed(sentences)
        batch_ms.append((time.perf_counter() - t) * 1000)

    from loopready.grading.reference import key_points_from_reference

    known = [*key_points_from_reference(reference), question]
    grade_reference(answer, reference=reference, question=question)
    warm_ms, fresh_ms = [], []
    for _ in range(15):
        # A new answer to a known question: the reference's vectors are cached.
        emb.clear_cache()
        emb.embed(known)
        t = time.perf_counter()
        grade_reference(answer, reference=reference, question=question)
        warm_ms.append((time.perf_counter() - t) * 1000)
        # A new answer to a new custom question: nothing cached.
        emb.clear_cache()
        t = time.perf_counter()
        grade_reference(answer, reference=reference, question=question)
        fresh_ms.append((time.perf_counter() - t) * 1000)

    sample = [r for r in rows if r["split"] == "unseen_questions"][:200]
    emb.clear_cache()
    t = time.perf_counter()
    for r in sample:
        grade_reference(r["answer"], reference=r["reference"], question=r["question"])
    per_s = len(sample) / (time.perf_counter() - t)
    return {
        "answer_words": len(answer.split()),
        "answer_sentences": len(sentences),
        "answer_tokens": sum(emb.token_count(s) for s in sentences),
        "cold_grade_process_s_p50": round(statistics.median(c["total"] for c in cold), 2),
        "cold_import_s_p50": round(statistics.median(c["import"] for c in cold), 2),
        "cold_model_load_s_p50": round(statistics.median(c["load"] for c in cold), 2),
        "cold_first_grade_s_p50": round(statistics.median(c["grade"] for c in cold), 2),
        "cold_peak_rss_mb": round(max(c["rss"] for c in cold)),
        "embed_450_words_ms_p50": round(statistics.median(batch_ms), 1),
        "grade_450_words_warm_ms_p50": round(statistics.median(warm_ms), 1),
        "grade_450_words_warm_ms_p90": round(float(np.percentile(warm_ms, 90)), 1),
        "grade_450_words_new_reference_ms_p50": round(statistics.median(fresh_ms), 1),
        "reference_words": len(reference.split()),
        "saf_answers_per_s": round(per_s, 1),
        "saf_answer_words_mean": round(statistics.mean(len(r["answer"].split()) for r in sample)),
        "benchmark_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _print(result: dict[str, Any], speed_result: dict[str, Any] | None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Reference coverage vs tutor score (SAF v2.0 English, normalised)")
    columns = (
        "split",
        "n",
        "coverage r",
        "coverage ρ",
        "coverage r in-q",
        "cosine r",
        "cosine ρ",
        "cosine r in-q",
    )
    for col in columns:
        table.add_column(col, justify="left" if col == "split" else "right", no_wrap=True)
    for split, res in result["splits"].items():
        label = f"{split} (fitted on)" if split == "training" else split
        rc, cb = res["reference_coverage"], res["cosine_baseline"]
        table.add_row(
            label,
            str(res["n"]),
            f"{rc['pearson']:.3f}",
            f"{rc['spearman']:.3f}",
            f"{rc['within_question_pearson']:.3f}",
            f"{cb['pearson']:.3f}",
            f"{cb['spearman']:.3f}",
            f"{cb['within_question_pearson']:.3f}",
        )
    console = Console(width=max(110, Console().width))
    console.print(table)
    console.print(
        "r = Pearson, ρ = Spearman, pooled over the split's answers; r in-q = mean Pearson "
        "within each question. Coverage model fitted on 'training' only; "
        f"{result['seconds']} s. {result['citation']}"
    )
    if speed_result:
        speed_table = Table(title="Speed and memory")
        speed_table.add_column("measure")
        speed_table.add_column("value", justify="right")
        for key, value in speed_result.items():
            speed_table.add_row(key, str(value))
        console.print(speed_table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="SAF v2.0 English CSV")
    parser.add_argument("--speed", action="store_true", help="also measure speed and memory")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument(
        "--cache", action="store_true", help="keep vectors in the data folder's cache for re-runs"
    )
    args = parser.parse_args(argv)
    if not args.csv.is_file():
        parser.error(f"{args.csv} not found: pass --csv PATH to saf_v2_english.csv")
    result = run(args.csv, persist=args.cache)
    speed_result = speed(args.csv) if args.speed else None
    if args.json:
        print(json.dumps({"agreement": result, "speed": speed_result}, indent=2))
    else:
        _print(result, speed_result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
