"""The project's labelled answers and their fixed train / held-out split.

The split is by a stable hash of each answer's id, stratified by round and tier:
in every (round, tier) group the answers are ordered by SHA-256 of their id and the
first 60 per cent (rounded) go to ``train``. Nothing is ever fitted on ``heldout``.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "grading"
ROUNDS = ("recruiter_screen", "product_sense", "technical_depth", "stakeholder_simulation")
TRAIN_SHARE = 0.6
ADVERSARIAL = ("stuffed", "padded", "off_topic")


def load(folder: Path = DATA) -> list[dict[str, Any]]:
    """Every labelled answer, each with a ``split`` key added."""
    rows: list[dict[str, Any]] = []
    for round_id in ROUNDS:
        path = folder / f"{round_id}.jsonl"
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
    groups: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["round"], int(row["tier"]))].append(row)
    for members in groups.values():
        members.sort(key=lambda r: _digest(r["id"]))
        n_train = round(len(members) * TRAIN_SHARE)
        for i, row in enumerate(members):
            row["split"] = "train" if i < n_train else "heldout"


def split(rows: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["split"] == name]
