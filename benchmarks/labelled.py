"""The project's labelled answers and their fixed train / held-out split.

The split is by a stable hash of each answer's id: an answer is in ``train`` when the
first eight hex digits of the SHA-256 of its id, read as a number, fall in the lowest
60 per cent of their range. Each answer's side depends on its id alone, so adding
answers never moves an existing one across the split. Nothing is ever fitted on
``heldout``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "grading"
ROUNDS = ("recruiter_screen", "product_sense", "technical_depth", "stakeholder_simulation")
TRAIN_SHARE = 0.6
ADVERSARIAL = ("stuffed", "padded", "off_topic")


def load(folder: Path = DATA) -> list[dict[str, Any]]:
    """Every labelled answer, each with a ``split`` key added."""
    rows: list[dict[str, Any]] = []
    paths = [folder / f"{r}.jsonl" for r in ROUNDS]
    paths += [folder / "extra" / f"{r}.jsonl" for r in ROUNDS]
    paths += [folder / "depth.jsonl"]  # outlines, plain-worded strong answers (issue 13)
    paths += [folder / "train_more.jsonl"]  # written for training only, pinned to train
    for path in paths:
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                row["_source"] = f"{path.name}:{number}"
                rows.append(row)
    assign_split(rows)
    return rows


def _digest(answer_id: str) -> str:
    return hashlib.sha256(answer_id.encode("utf-8")).hexdigest()


def assign_split(rows: list[dict[str, Any]]) -> None:
    """Each row's side by the hash of its id; a row written for training only carries
    ``"split": "train"`` and stays there (a row can never be pinned to held-out)."""
    for row in rows:
        if row.get("split") == "train":
            continue
        position = int(_digest(row["id"])[:8], 16) / 0xFFFFFFFF
        row["split"] = "train" if position < TRAIN_SHARE else "heldout"


def load_sentences(folder: Path = DATA) -> list[dict[str, Any]]:
    """Sentence-level labels (which criteria a sentence supports), each with the split of
    the answer it comes from, so a held-out answer's sentences are held out too."""
    rows = [
        json.loads(line)
        for line in (folder / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for row in rows:
        position = int(_digest(row["answer_id"])[:8], 16) / 0xFFFFFFFF
        row["split"] = "train" if position < TRAIN_SHARE else "heldout"
    return rows


def split(rows: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["split"] == name]
