"""The local embedding model: loading, vectors, caching and LOOPREADY_MODEL_DIR."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from loopready.errors import InputError
from loopready.grading.embeddings import (
    DIM,
    INT8_SOURCE,
    MODEL_FILE_NAMES,
    Embedder,
    ModelFiles,
    ModelMissing,
    embed,
    get_embedder,
    plan_batches,
    resolve_model_files,
    similarity,
)


@pytest.fixture(scope="module")
def packaged() -> ModelFiles:
    files = resolve_model_files()
    assert files.source == INT8_SOURCE
    return files


def test_vectors_are_unit_length_384_float32() -> None:
    vectors = embed(["Ship the smallest version first.", "x", ""])
    assert vectors.shape == (3, DIM)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.isfinite(vectors).all()


def test_paraphrases_are_closer_than_unrelated_sentences() -> None:
    v = embed(
        [
            "We reduced churn by calling customers who stopped using the product.",
            "Contacting users who had gone inactive brought our churn down.",
            "The bakery opens at seven and sells sourdough bread.",
            "Our quarterly revenue target was missed by four percent.",
        ]
    )
    sim = similarity(v, v)
    assert sim[0, 1] > 0.5
    assert sim[0, 1] > sim[0, 2] + 0.3
    assert sim[0, 1] > sim[0, 3]
    assert sim[1, 0] == pytest.approx(sim[0, 1], abs=1e-6)


def test_order_batching_and_duplicates_do_not_change_vectors() -> None:
    texts = [
        "short",
        "a somewhat longer sentence about product metrics and retention curves",
        "medium length sentence here",
        "short",
    ]
    together = embed(texts)
    emb = get_embedder()
    emb.clear_cache()
    alone = np.stack([emb.embed([t])[0] for t in reversed(texts)])[::-1]
    assert np.allclose(together, alone, atol=1e-5)
    assert np.array_equal(together[0], together[3])


def test_cache_returns_same_vectors_and_copies() -> None:
    emb = get_embedder()
    emb.clear_cache()
    first = emb.embed(["cache me"])
    assert emb.cached == 1
    first[0, :] = 0.0  # the caller's copy, not the cache's
    again = emb.embed(["cache me"])
    assert np.linalg.norm(again[0]) == pytest.approx(1.0, abs=1e-5)
    assert emb.cached == 1


def test_empty_input_and_string_misuse() -> None:
    assert embed([]).shape == (0, DIM)
    with pytest.raises(TypeError):
        embed("not a list")


def test_long_text_is_truncated_not_rejected() -> None:
    long = " ".join(["metric"] * 2000)
    vec = embed([long])
    assert vec.shape == (1, DIM)
    assert np.isclose(np.linalg.norm(vec), 1.0, atol=1e-5)


def test_persisted_vectors_are_read_back_from_the_data_folder(loopready_home: Path) -> None:
    emb = get_embedder()
    text = "a rubric exemplar that every run needs"
    emb.clear_cache()
    original = emb.embed([text], persist=True)[0]
    files = list((loopready_home / "cache").glob("embeddings-*.sqlite"))
    assert len(files) == 1
    # Replace the stored vector: a later persisted lookup must come from disk, not the model.
    marker = np.zeros(DIM, dtype=np.float32)
    marker[0] = 1.0
    with sqlite3.connect(files[0]) as conn:
        assert conn.execute("SELECT count(*) FROM vectors").fetchone()[0] == 1
        conn.execute("UPDATE vectors SET vec = ?", (marker.tobytes(),))
    emb.clear_cache()
    assert np.array_equal(emb.embed([text], persist=True)[0], marker)
    emb.clear_cache()
    assert np.allclose(emb.embed([text])[0], original, atol=1e-6)


def test_broken_disk_cache_never_stops_embedding(loopready_home: Path) -> None:
    emb = get_embedder()
    emb.clear_cache()
    cache_dir = loopready_home / "cache"
    cache_dir.mkdir()
    for name in (f"embeddings-{emb.key[:16]}.sqlite",):
        (cache_dir / name).write_bytes(b"this is not a database" * 100)
    vec = emb.embed(["still works"], persist=True)
    assert vec.shape == (1, DIM)


def _copy_model_dir(packaged: ModelFiles, folder: Path, model_name: str = "model.onnx") -> Path:
    (folder / model_name).parent.mkdir(parents=True, exist_ok=True)
    (folder / model_name).symlink_to(packaged.model)
    shutil.copy(packaged.tokenizer, folder / "tokenizer.json")
    return folder


@pytest.mark.parametrize("model_name", ["model.onnx", "onnx/model_quantized.onnx"])
def test_model_dir_override_is_used(
    packaged: ModelFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model_name: str
) -> None:
    folder = _copy_model_dir(packaged, tmp_path / "mymodel", model_name)
    monkeypatch.setenv("LOOPREADY_MODEL_DIR", str(folder))
    files = resolve_model_files()
    assert files.source == "LOOPREADY_MODEL_DIR"
    assert files.model == folder / model_name
    assert files.tokenizer == folder / "tokenizer.json"
    assert files.sha256 is None
    emb = get_embedder()
    assert emb.files == files
    text = ["the override model embeds this"]
    vec = emb.embed(text)
    monkeypatch.delenv("LOOPREADY_MODEL_DIR")
    # Same files behind the override, so the same vectors as the packaged model.
    assert np.allclose(vec, get_embedder().embed(text), atol=1e-6)
    assert get_embedder().files.source == INT8_SOURCE


def test_model_dir_missing_tokenizer_is_named(
    packaged: ModelFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy_model_dir(packaged, tmp_path / "m")
    (folder / "tokenizer.json").unlink()
    monkeypatch.setenv("LOOPREADY_MODEL_DIR", str(folder))
    with pytest.raises(InputError) as err:
        get_embedder()
    message = str(err.value)
    assert "tokenizer.json" in message
    assert "model.onnx" not in message  # the model is there
    assert "LOOPREADY_MODEL_DIR" in message


def test_model_dir_missing_model_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tokenizer.json").write_text("{}")
    monkeypatch.setenv("LOOPREADY_MODEL_DIR", str(tmp_path))
    with pytest.raises(InputError) as err:
        resolve_model_files()
    message = str(err.value)
    for name in MODEL_FILE_NAMES:
        assert name in message
    assert "tokenizer.json has" not in message


def test_model_dir_that_is_not_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPREADY_MODEL_DIR", str(tmp_path / "nope"))
    with pytest.raises(InputError, match="is not a folder"):
        resolve_model_files()


def test_damaged_packaged_model_is_refused(packaged: ModelFiles, tmp_path: Path) -> None:
    copy = tmp_path / "model.onnx"
    shutil.copy(packaged.model, copy)
    assert packaged.sha256 is not None
    wrong_sha = ModelFiles(copy, packaged.tokenizer, "test", sha256="0" * 64, size=packaged.size)
    with pytest.raises(ModelMissing, match=r"damaged.*pip install --force-reinstall"):
        Embedder(wrong_sha)
    with copy.open("ab") as fh:
        fh.write(b"x")
    with pytest.raises(ModelMissing, match="damaged"):
        Embedder(ModelFiles(copy, packaged.tokenizer, "test", packaged.sha256, packaged.size))


def test_not_an_onnx_file_is_a_clear_error(
    packaged: ModelFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    shutil.copy(packaged.tokenizer, tmp_path / "tokenizer.json")
    monkeypatch.setenv("LOOPREADY_MODEL_DIR", str(tmp_path))
    with pytest.raises(ModelMissing, match="onnxruntime cannot load"):
        get_embedder()


@pytest.mark.parametrize(
    "lengths",
    [[], [5], [3] * 200, list(range(2, 258, 3)), [4, 4, 4, 30, 31, 33, 200, 256, 256, 256]],
)
def test_plan_batches_covers_every_item_within_limits(lengths: list[int]) -> None:
    sorted_lengths = np.array(sorted(lengths), dtype=np.int64)
    batches = plan_batches(sorted_lengths)
    covered = [i for start, stop in batches for i in range(start, stop)]
    assert covered == list(range(len(lengths)))
    for start, stop in batches:
        width = int(sorted_lengths[stop - 1])
        size = stop - start
        assert size <= 64
        assert size == 1 or size * width <= 2048
        assert size == 1 or size * width * width <= 131_072
