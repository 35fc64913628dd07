"""Human scorecards as labelled data, and the grader's agreement with them.

Each submitted scorecard becomes one line in the grader's batch format (``id``,
``answer``, ``pack``, ``round``, ``question``, what ``loopready grade --batch`` reads) with
the human's labels beside it: ``criteria`` (0-4 per criterion scored) and ``red_flags``.
:func:`weighted_kappa` measures agreement per criterion, so a team measures the grader
on its own people.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from loopready.store import Database
from loopready.store import team_repo as repo


def scorecard_lines(db: Database) -> list[dict[str, Any]]:
    """Every submitted scorecard with an answer, oldest first, as batch lines."""
    with db.read_session() as session:
        pairs = repo.all_submitted_scorecards(session)
    lines = []
    for card, mock in pairs:
        scored = {
            criterion: entry["score"]
            for criterion, entry in card.scores.items()
            if isinstance(entry, dict) and isinstance(entry.get("score"), int)
        }
        if not mock.answer.strip() or not scored:
            continue
        lines.append(
            {
                "id": f"scorecard-{card.id}",
                "answer": mock.answer,
                "pack": mock.pack_id,
                "round": mock.round_id,
                "question": mock.prompt_id,
                "criteria": scored,
                "red_flags": list(card.red_flags),
                "source": "live-mock scorecard",
            }
        )
    return lines


def write_scorecards(db: Database, sink: IO[str]) -> int:
    """Write :func:`scorecard_lines` as JSONL to *sink*; how many lines."""
    lines = scorecard_lines(db)
    for line in lines:
        sink.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(lines)


def read_scorecards(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def weighted_kappa(a: Sequence[int], b: Sequence[int], categories: int = 5) -> float:
    """Cohen's kappa with quadratic weights between two raters' 0..categories-1 scores.

    1 is perfect agreement, 0 what chance gives, negative worse than chance. With one
    category used by both raters throughout, agreement is perfect and kappa is 1.
    """
    if len(a) != len(b) or not a:
        raise ValueError("two equally long, non-empty lists of scores are needed")
    n = len(a)
    k = categories
    observed = [[0.0] * k for _ in range(k)]
    for x, y in zip(a, b, strict=True):
        observed[x][y] += 1
    row = [sum(observed[i]) for i in range(k)]
    col = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            weight = (i - j) ** 2 / (k - 1) ** 2
            num += weight * observed[i][j]
            den += weight * row[i] * col[j] / n
    return 1.0 if den == 0 else 1.0 - num / den
