"""After a live mock: the interviewer's scorecard beside the grader's, criterion by criterion."""

from __future__ import annotations

from typing import Any, Final

from loopready.store import Database
from loopready.store import team_repo as repo
from loopready.store.team_models import LiveMock
from loopready.team.live import round_and_prompt

#: Scores further apart than this (on 0-4) are shown as a disagreement.
DISAGREE_AT: Final = 2


def grader_reading(db: Database, mock: LiveMock) -> dict[str, Any] | None:
    """The grader's result on the mock's final answer, computed once and kept."""
    if mock.grade is not None:
        return mock.grade
    if mock.status != "ended" or len(mock.answer.split()) < 5:
        return None
    from loopready.grading.service import build_request, grade_request

    _, _, prompt = round_and_prompt(mock)
    result = grade_request(
        build_request(
            mock.answer, pack_id=mock.pack_id, round_id=mock.round_id, question_id=prompt.id
        )
    ).to_json_dict()
    with db.session() as session:
        repo.set_live_mock_grade(session, mock.id, result)
    mock.grade = result
    return result


#: Job states in which the report waits for the worker instead of grading itself.
WAITING: Final = ("todo", "doing")


def live_report(db: Database, mock: LiveMock, job: dict[str, Any] | None = None) -> dict[str, Any]:
    """Per criterion: the human's score and note, the grader's score, and whether they differ.

    The grader's reading comes from the background job when one ran (team mode); while
    the job waits or runs the report says so; without one, or after it failed, the report
    grades the answer itself. *job* is the grading job's state
    (:func:`loopready.team.jobs.grading_status`).
    """
    _, rnd, prompt = round_and_prompt(mock)
    with db.read_session() as session:
        cards = [c for c in repo.scorecards_of_mock(session, mock.id)]
    card = cards[0] if cards else None
    waiting = mock.grade is None and job is not None and job["status"] in WAITING
    reading = None if waiting else grader_reading(db, mock)
    machine = {c["id"]: c["score"] for c in (reading or {}).get("criteria", [])}
    rows = []
    for criterion in rnd.rubric.criteria:
        human = (card.scores if card else {}).get(criterion.id, {})
        h = human.get("score")
        g = machine.get(criterion.id)
        rows.append(
            {
                "id": criterion.id,
                "name": criterion.name,
                "human": h,
                "note": human.get("note", ""),
                "grader": g,
                "disagree": h is not None and g is not None and abs(h - g) >= DISAGREE_AT,
            }
        )
    return {
        "round": rnd.name,
        "question": prompt.question,
        "answer": mock.answer,
        "rows": rows,
        "red_flags": card.red_flags if card else [],
        "submitted": bool(card and card.submitted),
        "grader_score": (reading or {}).get("score"),
        "job": job,
        "waiting": waiting,
    }
