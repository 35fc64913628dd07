"""How much work the model does per grade, counted at the onnxruntime session.

Nothing here is timed: the guard is that a grade feeds each of its new sentences to
the model once, and a re-grade of the same text feeds none.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from loopready.grading.base import GradeRequest
from loopready.grading.embeddings import (
    INT8_SOURCE,
    Embedder,
    get_embedder,
    packaged_model_files,
    quantises_activations,
    resolve_model_files,
)
from loopready.grading.local import LocalGrader
from loopready.language.sentences import split_sentences
from loopready.packs import get_pack

ANSWER = (
    "I'd scope the first release to signed-in adults on the PS5 home screen. "
    "The primary metric is seven-day retention of players who start a recommended game. "
    "Guardrails are refund rate and the share of players who hide the row. "
    "We launch to five percent of players, then twenty-five, with a holdout group. "
    "If retention lifts less than one point after four weeks, we stop and rethink. "
    "The platform team owns the model; I own the launch decision and the dates. "
    "For the studios, the pitch is more discovery for their back catalogue. "
    "We launch to five percent of players, then twenty-five, with a holdout group. "
    "Legal reviews the data use before the first cohort sees anything."
)


class CountingSession:
    """Wraps onnxruntime's session and records the batch size of every run."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.rows: list[int] = []

    def run(self, outputs: Any, feed: dict[str, np.ndarray]) -> Any:
        self.rows.append(int(feed["input_ids"].shape[0]))
        return self.session.run(outputs, feed)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingSession]:
    embedder = get_embedder()
    counter = CountingSession(embedder._session)
    monkeypatch.setattr(embedder, "_session", counter)
    yield counter


def _grade(text: str) -> None:
    pack = get_pack("sony-ai-pm-2026")
    LocalGrader().grade(GradeRequest(answer=text, pack=pack, round_id="product_sense"))


def test_a_grade_embeds_each_new_sentence_once_and_a_regrade_none(
    counted: CountingSession,
) -> None:
    _grade("A warm-up answer, so that the round's exemplars are loaded.")
    get_embedder().clear_cache()
    counted.rows.clear()

    _grade(ANSWER)
    distinct = set(split_sentences(ANSWER))
    assert len(distinct) == len(split_sentences(ANSWER)) - 1  # one sentence is repeated
    assert sum(counted.rows) == len(distinct)
    if get_embedder().per_sentence:
        assert counted.rows == [1] * len(distinct)
    else:
        assert len(counted.rows) <= 3

    counted.rows.clear()
    _grade(ANSWER)
    assert counted.rows == []

    edited = ANSWER.replace("Legal reviews", "Our lawyers review")
    _grade(edited)
    assert counted.rows == [1]


def test_a_batch_embeds_each_distinct_sentence_once_across_answers(
    counted: CountingSession, tmp_path: Path
) -> None:
    import json

    from click.testing import CliRunner

    from loopready.cli import cli
    from loopready.cli.grade import PREFETCH

    _grade("A warm-up answer, so that the round's exemplars are loaded.")
    get_embedder().clear_cache()
    counted.rows.clear()
    # More answers than one prefetch group, one shared sentence in every answer,
    # one answer repeated and one bad line: each distinct sentence reaches the model once.
    topics = ["retention", "refunds", "latency", "pricing", "onboarding", "search"]
    answers = [
        f"In cohort {i}, we measure {topics[i % 6]} weekly. "
        f"The owner of cohort {i} is the platform team. "
        "Legal reviews the data use before the first cohort sees anything."
        for i in range(PREFETCH + 3)
    ]
    answers.append(answers[3])
    lines = [
        json.dumps({"id": i, "answer": a, "round": "product_sense"}) for i, a in enumerate(answers)
    ]
    lines.insert(5, "{not json")
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "graded.jsonl"
    result = CliRunner().invoke(cli, ["grade", "--batch", str(batch), "--out", str(out)])
    assert result.exit_code == 1  # the bad line
    graded = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(graded) == len(lines)
    assert [g.get("id") for g in graded if "error" not in g] == [
        str(i) for i in range(len(answers))
    ]
    distinct = {s for a in answers for s in split_sentences(a)}
    assert sum(counted.rows) == len(distinct)
    if get_embedder().per_sentence:
        assert set(counted.rows) == {1}


def test_the_default_model_has_int8_kernels_and_the_package_file_does_not() -> None:
    files = resolve_model_files()
    assert files.source == INT8_SOURCE
    built = files.model.read_bytes()
    assert quantises_activations(built)
    assert b"MatMulInteger" in built
    assert not quantises_activations(packaged_model_files().model.read_bytes())
    assert get_embedder().per_sentence


def test_int8_kernels_keep_vectors_close_to_the_packaged_model() -> None:
    texts = [
        "We cut churn by calling customers who stopped using the product.",
        "Retention of new players is the one metric I would pick.",
        "The bakery opens at seven.",
        "x",
        " ".join(["latency"] * 300),
    ]
    fast = get_embedder().embed(texts)
    slow = Embedder(packaged_model_files(), threads=1).embed(texts)
    cosines = (fast * slow).sum(axis=1)
    assert cosines.min() > 0.95
    assert cosines.mean() > 0.98


def test_a_sentence_gets_the_same_vector_whatever_it_is_batched_with() -> None:
    embedder = get_embedder()
    text = "The platform team owns the model and I own the launch decision."
    embedder.clear_cache()
    alone = embedder.embed([text])[0]
    embedder.clear_cache()
    crowd = [" ".join(["metric"] * 200), text, "ok", "Refund rate is a guardrail."]
    assert np.array_equal(embedder.embed(crowd)[1], alone)


def test_a_damaged_built_model_says_to_delete_it(tmp_path: Path) -> None:
    files = resolve_model_files()
    copy = tmp_path / "built.onnx"
    copy.write_bytes(files.model.read_bytes() + b"x")
    with pytest.raises(Exception, match=r"damaged.*delete .*rebuilt"):
        Embedder(type(files)(copy, files.tokenizer, INT8_SOURCE, sha256=files.sha256))


def test_an_unwritable_model_cache_falls_back_to_the_packaged_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("LOOPREADY_MODEL_CACHE", str(blocker / "models"))
    with caplog.at_level("WARNING"):
        files = resolve_model_files()
    assert files == packaged_model_files()
    assert "LOOPREADY_MODEL_CACHE" in caplog.text


def test_the_model_is_built_once_into_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOPREADY_MODEL_CACHE", str(tmp_path / "cache"))
    first = resolve_model_files()
    built = sorted((tmp_path / "cache").iterdir())
    assert [p.suffix for p in built] == [".onnx", ".sha256"]
    stamp = built[0].stat().st_mtime_ns
    again = resolve_model_files()
    assert again == first
    assert built[0].stat().st_mtime_ns == stamp
    assert first.sha256 is not None and built[1].read_text().strip() == first.sha256


def test_the_speed_benchmark_answers_are_new_and_450_words() -> None:
    import sys

    benchmarks = Path(__file__).resolve().parent.parent / "benchmarks"
    sys.path.insert(0, str(benchmarks))
    try:
        import grading_speed
        import labelled
    finally:
        sys.path.remove(str(benchmarks))
    maker = grading_speed.AnswerMaker(seed=3)
    known = {s for row in labelled.load() for s in split_sentences(row["answer"])}
    seen: set[str] = set()
    for round_id, answer in maker.answers(8):
        assert round_id in labelled.ROUNDS
        assert 450 <= len(answer.split()) <= 560
        sentences = split_sentences(answer)
        assert len(set(sentences)) == len(sentences)
        assert not set(sentences) & known
        assert not set(sentences) & seen
        seen.update(sentences)
        edited = maker.edited(answer, round_id)
        assert len(set(split_sentences(edited)) - set(sentences)) == 1


def test_a_model_of_another_export_is_not_rebuilt(tmp_path: Path) -> None:
    from loopready.grading import int8model

    already_built = resolve_model_files().model
    with pytest.raises(int8model.BuildError, match="0 dequantised weights"):
        int8model.build(already_built, tmp_path / "out.onnx")
    assert not (tmp_path / "out.onnx").exists()
