"""The coach's dashboard: each candidate's live mocks and how the humans and grader agree."""

from __future__ import annotations

from typing import Any

from loopready.store import Database
from loopready.store import team_repo as repo
from loopready.team.accounts import Person


def candidates(db: Database, coach: Person) -> list[dict[str, Any]]:
    """One row per candidate who invited *coach*.

    Per round: how many live mocks and the best grader score (0-100, the readiness the
    grader reads); and how often the human scorecards and the grader agree within a point.
    """
    with db.read_session() as session:
        people = repo.candidates_of(session, coach.user_id)
        rows = []
        for account in people:
            mocks = [
                m
                for m in repo.live_mocks_of(session, account.user_id)
                if m.user_id == account.user_id
            ]
            rounds: dict[str, int] = {}
            best: dict[str, float] = {}
            agree = total = 0
            for mock in mocks:
                rounds[mock.round_id] = rounds.get(mock.round_id, 0) + 1
                score = (mock.grade or {}).get("score")
                if isinstance(score, int | float):
                    best[mock.round_id] = max(best.get(mock.round_id, 0.0), float(score))
                machine = {c["id"]: c["score"] for c in (mock.grade or {}).get("criteria", [])}
                for card in repo.scorecards_of_mock(session, mock.id):
                    for criterion, entry in card.scores.items():
                        human = entry.get("score")
                        if human is None or criterion not in machine:
                            continue
                        total += 1
                        agree += abs(human - machine[criterion]) <= 1
            rows.append(
                {
                    "email": account.email,
                    "mocks": [{"id": m.id, "round": m.round_id, "status": m.status} for m in mocks],
                    "rounds": rounds,
                    "readiness": best,
                    "agreement": (agree / total) if total else None,
                    "compared": total,
                    "user_id": account.user_id,
                }
            )
    return rows
