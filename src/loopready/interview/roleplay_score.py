"""How the panel's outcome bounds a role-play's score.

The grader reads the transcript against the round's rubric; the panel knows what the
words did. A role-play where nobody's concern was addressed by a commitment (a list
of terms, questions only, promises to everyone) cannot score like a negotiation, and
a concern waved away is a red flag however fluent the rest was. So, after grading:

* the score is capped at ``30 + 60 x`` the share of personas satisfied (30 when none
  is, 90 when all are);
* each concern dismissed and never addressed afterwards costs
  :data:`DISMISSED_MAIN` points (a main concern) or :data:`DISMISSED_OTHER`; one
  dismissed and then addressed still costs :data:`RECOVERED`.

The adjustment is reported with its reasons, so the number is never a mystery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Points lost for a main concern dismissed and left so.
DISMISSED_MAIN = 10.0
#: Points lost for another concern dismissed and left so.
DISMISSED_OTHER = 5.0
#: Points lost for a dismissal that was later made good.
RECOVERED = 3.0
#: The cap with no persona satisfied, and what satisfying all of them adds.
CAP_FLOOR = 30.0
CAP_RANGE = 60.0


@dataclass(frozen=True)
class Adjustment:
    """The graded score, the panel's bound on it, and why."""

    graded: float
    score: float
    cap: float
    penalty: float
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "graded": round(self.graded, 1),
            "score": round(self.score, 1),
            "cap": round(self.cap, 1),
            "penalty": round(self.penalty, 1),
            "reasons": list(self.reasons),
        }


def adjust(score: float, outcome: dict[str, Any]) -> Adjustment:
    """Bound ``score`` (0-100) by the role-play ``outcome`` (``Outcome.to_dict()``)."""
    personas = outcome.get("personas") or []
    total = len(personas) or 1
    satisfied = sum(1 for p in personas if p.get("satisfied"))
    cap = CAP_FLOOR + CAP_RANGE * satisfied / total
    reasons: list[str] = []
    if satisfied < len(personas):
        reasons.append(
            f"{satisfied} of {len(personas)} stakeholders were satisfied, which caps the "
            f"round at {cap:.0f}"
        )
    penalty = 0.0
    for p in personas:
        for c in p.get("concern_states") or []:
            if not c.get("escalated"):
                continue
            name = str(p.get("name", "")).split(",")[0]
            concern = str(c.get("concern", "")).lower()
            if c.get("state") == "addressed":
                penalty += RECOVERED
                reasons.append(
                    f"{name}'s concern ({concern}) was waved away before it was addressed"
                )
            else:
                cost = DISMISSED_MAIN if c.get("main") else DISMISSED_OTHER
                penalty += cost
                reasons.append(f"{name}'s concern ({concern}) was waved away: -{cost:.0f}")
    final = max(0.0, min(score, cap) - penalty)
    return Adjustment(score, round(final, 1), cap, penalty, tuple(reasons))
