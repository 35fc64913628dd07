"""The hiring-committee debrief: the packet a committee would read, and its decision.

It takes each round's latest finished attempt in the loop and assembles:

* **Scores against the bars**: every round against the pack's round bar, and the
  overall score (rounds weighted by their length, as interviewers' time is)
  against the overall, strong-hire and no-hire lines.
* **Consistency**: claims extracted from every answer (numbers with their
  subject, dates, named projects; :mod:`loopready.language.claims`), with every
  contradiction quoted from both rounds. Figures about the company and figures
  the case brief handed the candidate are not the candidate's claims.
* **The story thread**: the named projects and restated results that link the
  rounds, and how similar the rounds' answers are in meaning (MiniLM embeddings,
  when the model is installed). Rounds that share nothing tell disconnected
  stories: the pack's blind spot whose rule is ``isolated_rounds``.
* **The closing narrative**: the hiring-committee round, graded on its own rubric
  (consistency, one theme, evidence), and which earlier story elements it reuses.
* **The decision** by the pack's rule: ``no_hire`` below the no-hire line;
  ``hire`` when every required round is done and at the round bar, the overall is
  at the bar, contradictions are within the limit and no blocking blind spot was
  seen (``strong_hire`` above the strong-hire bar); otherwise ``lean_no_hire``.
  With it come the reasons, the rule that produced it and what would flip it.
* **A mock offer** drawn from the pack's compensation bands after a hire.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

from loopready.errors import InputError, LoopreadyError
from loopready.grading.base import GradeResult
from loopready.interview.offer_draw import draw_offer
from loopready.interview.sessions import SessionView, load
from loopready.language.claims import (
    Claim,
    Inconsistency,
    agree,
    check_consistency,
    named_entities,
)
from loopready.language.sentences import split_sentences
from loopready.packs import get_pack
from loopready.packs.schema import Pack
from loopready.store import Database, Loop, get_loop, list_sessions
from loopready.store.debriefs import save_debrief
from loopready.store.repo import final_grades, resolve_id

Decision = Literal["strong_hire", "hire", "lean_no_hire", "no_hire"]
#: Which attempt of each round the committee reads.
Attempts = Literal["latest", "best"]
ATTEMPTS: tuple[Attempts, ...] = ("latest", "best")
DECISIONS: tuple[Decision, ...] = ("strong_hire", "hire", "lean_no_hire", "no_hire")

#: The built-in rule of the blind spot a disconnected loop shows (whatever the pack calls it).
ISOLATED_RULE = "isolated_rounds"
#: Names that are places, teams or calendar words rather than a candidate's projects.
_NOT_STORY = {
    "europe", "north america", "asia", "japan", "us", "usa", "uk", "eu", "america",
    "legal", "research", "engineering", "marketing", "finance", "product", "design",
    "sales", "support", "data", "privacy", "panel", "christmas", "black friday",
}  # fmt: skip


# -- consistency ----------------------------------------------------------------------------


def company_names(pack: Pack) -> list[str]:
    """Names whose figures are the company's, not the candidate's."""
    names = {pack.company, pack.company.split()[0]}
    for launch in pack.launches:
        names.update({launch.product, launch.name, launch.product.split()[0]})
        if "Network" in launch.product:
            names.add("PSN")
    return sorted(n for n in names if n)


def given_text(pack: Pack, round_id: str) -> str:
    """Every question and brief of a round: figures handed to the candidate."""
    try:
        rnd = pack.round(round_id)
    except KeyError:
        return ""
    return "\n".join(f"{p.question}\n{p.brief or ''}" for p in rnd.prompts)


def loop_consistency(
    pack: Pack, answers: Iterable[tuple[str, str]]
) -> tuple[list[Claim], list[Inconsistency]]:
    """Claims from ``(round_id, text)`` answers and the contradictions between rounds."""
    answers = list(answers)
    given = {source: given_text(pack, source) for source, _ in answers}
    return check_consistency(answers, ignore_entities=company_names(pack), given=given)


# -- the packet -----------------------------------------------------------------------------


class RoundLine(BaseModel):
    round: str
    name: str
    done: bool
    required: bool
    session_id: str | None = None
    prompt_id: str | None = None
    score: float | None = None
    best: float | None = None
    attempts: int = 0
    bar: float
    at_bar: bool | None = None
    weight: float
    blind_spots: list[str] = Field(default_factory=list)


class ClaimQuote(BaseModel):
    round: str
    quote: str
    value: float
    unit: str


class InconsistencyLine(BaseModel):
    subject: str
    entity: str | None = None
    claims: list[ClaimQuote]
    summary: str
    #: How much it counts against the pack's limit: 1 for a plain contradiction, 0.5
    #: when a figure is hedged or the gap is small, 0 when the answers explain it.
    weight: float = 1.0
    why: str = ""


class ExplainedChange(BaseModel):
    """A figure that changed between rounds with the change explained: not held against you."""

    subject: str
    summary: str
    explanation: str


class ThreadElement(BaseModel):
    name: str
    kind: Literal["project", "figure"]
    rounds: list[str]


class StoryThread(BaseModel):
    connected: bool
    linked_rounds: list[str]
    unlinked_rounds: list[str]
    elements: list[ThreadElement]
    similarity: float | None = None
    summary: str


class ClosingNarrative(BaseModel):
    session_id: str
    prompt_id: str
    question: str
    score: float
    cohesive: bool
    criteria: list[dict[str, Any]]
    reuses: list[str]
    contradicts: list[str]
    summary: str


class DecisionRuleUsed(BaseModel):
    id: str
    text: str
    pack_rule: str


class DebriefPacket(BaseModel):
    """The committee's packet for a loop; ``model_dump(mode="json")`` is the CLI's JSON."""

    loop_id: str
    pack_id: str
    decision: Decision
    reasons: list[str]
    rule: DecisionRuleUsed
    what_would_flip: list[str]
    overall: float | None
    bars: dict[str, float]
    rounds: list[RoundLine]
    missing_rounds: list[str]
    inconsistencies: list[InconsistencyLine]
    claims_checked: int
    story_thread: StoryThread
    closing_narrative: ClosingNarrative | None
    blocking_blind_spots: list[str]
    mock_offer: dict[str, Any] | None = None
    debrief_id: str | None = None
    attempts_read: Attempts = "latest"
    explained_changes: list[ExplainedChange] = Field(default_factory=list)
    contradiction_weight: float = 0.0

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


@dataclass
class _Used:
    view: SessionView
    result: GradeResult
    attempts: int
    best: float


def _latest_attempts(
    db: Database, loop_id: str, attempts: Attempts = "latest", rounds: Iterable[str] | None = None
) -> dict[str, _Used]:
    """round id -> its latest (or best) finished, graded attempt in the loop. With
    ``rounds``, only those rounds count: practice outside the loop (the negotiation,
    drills) is never a loop round."""
    allowed = set(rounds) if rounds is not None else None
    with db.read_session() as s:
        sessions = list_sessions(
            s, db.user_id, loop_id=loop_id, status="completed", newest_first=False
        )
        grades = final_grades(s, db.user_id, [x.id for x in sessions])
        chosen: dict[str, tuple[str, dict[str, Any]]] = {}
        counts: dict[str, int] = {}
        best: dict[str, float] = {}
        for rs in sessions:
            grade = grades.get(rs.id)
            if grade is None or (allowed is not None and rs.round_id not in allowed):
                continue
            better = grade.score >= best.get(rs.round_id, -1.0)
            if attempts == "latest" or better:
                chosen[rs.round_id] = (rs.id, dict(grade.result))
            counts[rs.round_id] = counts.get(rs.round_id, 0) + 1
            best[rs.round_id] = max(best.get(rs.round_id, 0.0), grade.score)
    used: dict[str, _Used] = {}
    for round_id, (session_id, result) in chosen.items():
        used[round_id] = _Used(
            load(db, session_id),
            GradeResult.model_validate(result),
            counts[round_id],
            round(best[round_id], 1),
        )
    return used


def _story_elements(pack: Pack, texts: dict[str, str], claims: list[Claim]) -> list[ThreadElement]:
    """Named projects and restated results that appear in more than one round."""
    ignored = {n.lower() for n in company_names(pack)} | _NOT_STORY
    ignored |= {p.name.split(",")[0].lower() for p in pack.personas}
    # A word that only ever opens a sentence ("Drift matters") is grammar, not a name.
    mid_sentence = {
        n.lower() for text in texts.values() for n in named_entities(text, sentence_starts=False)
    }
    seen: dict[str, tuple[str, set[str]]] = {}
    for round_id, text in texts.items():
        for name in named_entities(text):
            key = name.lower()
            if key in ignored or any(key.startswith(i + " ") for i in ignored) or len(key) < 3:
                continue
            if key not in mid_sentence:
                continue
            seen.setdefault(key, (name, set()))[1].add(round_id)
    elements = [
        ThreadElement(name=name, kind="project", rounds=sorted(rounds, key=_order(pack)))
        for name, rounds in seen.values()
        if len(rounds) > 1
    ]
    # A result restated the same way in several rounds is a thread too.
    figures: dict[str, tuple[Claim, set[str]]] = {}
    for claim in claims:
        if claim.unit == "year":
            continue
        key = f"{claim.subject}:{claim.unit}:{claim.change}"
        match = next(
            (k for k, (c, _) in figures.items() if k.startswith(key) and agree(c, claim)), None
        )
        if match is None:
            figures[f"{key}:{claim.value}"] = (claim, {claim.source})
        else:
            figures[match][1].add(claim.source)
    for claim, rounds in figures.values():
        if len(rounds) > 1:
            elements.append(
                ThreadElement(
                    name=claim.describe(), kind="figure", rounds=sorted(rounds, key=_order(pack))
                )
            )
    return elements


def _order(pack: Pack) -> Any:
    ids = [r.id for r in pack.all_rounds()]
    return lambda round_id: ids.index(round_id) if round_id in ids else len(ids)


def _similarity(texts: dict[str, str]) -> float | None:
    """Mean pairwise similarity in meaning of the rounds' answers (None without the model)."""
    if len(texts) < 2:
        return None
    try:
        import numpy as np

        from loopready.grading.embeddings import embed

        centroids = []
        for text in texts.values():
            sentences = split_sentences(text) or [text]
            vectors = embed(sentences)
            mean = vectors.mean(axis=0)
            norm = float(np.linalg.norm(mean))
            centroids.append(mean / norm if norm else mean)
        sims = [
            float(centroids[i] @ centroids[j])
            for i in range(len(centroids))
            for j in range(i + 1, len(centroids))
        ]
    except (LoopreadyError, ImportError, OSError, ValueError):
        return None
    return round(sum(sims) / len(sims), 3)


def story_thread(pack: Pack, texts: dict[str, str], claims: list[Claim]) -> StoryThread:
    """Whether one story runs through the rounds: which rounds share a project or result."""
    elements = _story_elements(pack, texts, claims)
    linked = sorted({r for e in elements for r in e.rounds}, key=_order(pack))
    unlinked = [r for r in sorted(texts, key=_order(pack)) if r not in linked]
    done = len(texts)
    need = max(2, math.ceil(0.6 * done)) if done >= 2 else done
    connected = done < 2 or len(linked) >= need
    similarity = _similarity(texts)
    projects = [e.name for e in elements if e.kind == "project"]
    if done < 2:
        summary = "Only one round is done, so there is no thread to check yet."
    elif connected:
        main = max(elements, key=lambda e: len(e.rounds))
        summary = (
            f"One story runs through {len(linked)} of {done} rounds"
            + (f", carried by {', '.join(projects[:3])}" if projects else "")
            + f" (strongest link: {main.name}, in {len(main.rounds)} rounds)."
        )
    else:
        summary = (
            f"The rounds tell disconnected stories: only {len(linked)} of {done} share a "
            "project or a result. Carry the same two projects and their numbers into every "
            "round."
        )
    if unlinked and connected and done >= 2:
        names = {r.id: r.name for r in pack.all_rounds()}
        summary += f" Not linked: {', '.join(names.get(r, r) for r in unlinked)}."
    return StoryThread(
        connected=connected,
        linked_rounds=linked,
        unlinked_rounds=unlinked,
        elements=elements,
        similarity=similarity,
        summary=summary,
    )


def _closing(
    pack: Pack,
    used: dict[str, _Used],
    thread: StoryThread,
    inconsistencies: list[Inconsistency],
) -> ClosingNarrative | None:
    committee = next((r for r in pack.rounds if r.kind == "committee"), None)
    if committee is None or committee.id not in used:
        return None
    attempt = used[committee.id]
    result = attempt.result
    reuses = [e.name for e in thread.elements if committee.id in e.rounds]
    contradicts = [
        i.subject for i in inconsistencies if any(c.source == committee.id for c in i.claims)
    ]
    scores = {c.id: c.score for c in result.criteria}
    theme = next((c for c in committee.rubric.criteria if "story_thread" in c.signals), None)
    cohesive = (
        bool(reuses)
        and not contradicts
        and all(v >= 2 for v in scores.values())
        and (theme is None or scores.get(theme.id, 0) >= 2)
    )
    if cohesive:
        summary = f"Cohesive: it reuses {', '.join(reuses[:3])} from earlier rounds."
    elif contradicts:
        summary = f"It contradicts earlier rounds on {', '.join(contradicts)}."
    elif not reuses:
        summary = "It does not reuse any project or figure from the earlier rounds."
    else:
        low = [c.name for c in result.criteria if c.score < 2]
        summary = "It reuses earlier material, but " + (
            f"{', '.join(low)} scored low." if low else "scored low overall."
        )
    return ClosingNarrative(
        session_id=attempt.view.id,
        prompt_id=attempt.view.prompt.id,
        question=attempt.view.prompt.question,
        score=round(result.score, 1),
        cohesive=cohesive,
        criteria=[
            {"id": c.id, "name": c.name, "score": c.score, "evidence": list(c.evidence)}
            for c in result.criteria
        ],
        reuses=reuses,
        contradicts=contradicts,
        summary=summary,
    )


_CHANGE_WORDS = re.compile(
    r"\b(grew|grown|growing|rose|risen|increased|expanded|doubled|tripled|shrank|shrunk"
    r"|dropped|fell|fallen|decreased|went|moved|reached|hired|later|by then|now|since|after"
    r"|became|climbed|cut|reduced|from)\b",
    re.IGNORECASE,
)


def _number_pattern(value: float) -> re.Pattern[str]:
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return re.compile(rf"(?<![\d.]){re.escape(text)}(?![\d])")


def explanation_of(item: Inconsistency, texts: dict[str, str]) -> str | None:
    """The sentence that explains a changed figure ("the team grew from 8 to 15"): both
    values in one sentence with a word of change. None when nothing explains it."""
    values = sorted({c.value for c in item.claims})
    if len(values) < 2:
        return None
    for text in texts.values():
        for sentence in split_sentences(text, line_breaks=True):
            if all(_number_pattern(v).search(sentence) for v in values[:2]) and (
                _CHANGE_WORDS.search(sentence)
            ):
                return sentence.strip()
    return None


def weigh(item: Inconsistency) -> tuple[float, str]:
    """How much a contradiction counts, and why: hedged figures or a small gap weigh half."""
    hedged = any(c.approx for c in item.claims)
    values = [abs(c.value) for c in item.claims]
    low, high = min(values), max(values)
    gap = (high - low) / high if high else 0.0
    if hedged:
        return 0.5, "one of the figures was hedged"
    if gap < 0.2:
        return 0.5, f"the figures differ by {gap:.0%}"
    return 1.0, f"the figures differ by {gap:.0%}, with nothing in your answers explaining it"


def _describe_inconsistency(pack: Pack, item: Inconsistency) -> InconsistencyLine:
    names = {r.id: r.name for r in pack.all_rounds()}
    parts = [
        f"{c.value_text()} in the {names.get(c.source, c.source).lower()}" for c in item.claims
    ]
    where = f" ({item.entity})" if item.entity else ""
    return InconsistencyLine(
        subject=item.subject,
        entity=item.entity,
        claims=[
            ClaimQuote(round=c.source, quote=c.quote, value=c.value, unit=c.unit)
            for c in item.claims
        ],
        summary=f"{item.subject.capitalize()}{where}: " + ", ".join(parts) + ".",
        weight=weigh(item)[0],
        why=weigh(item)[1],
    )


# -- the decision ---------------------------------------------------------------------------


@dataclass
class _Facts:
    overall: float | None
    rounds: list[RoundLine]
    missing: list[str]
    below: list[RoundLine]
    inconsistencies: list[InconsistencyLine]
    blocking: list[str]


def decide(pack: Pack, facts: _Facts) -> tuple[Decision, list[str], DecisionRuleUsed, list[str]]:
    """The decision, its reasons, the rule that produced it and what would flip it."""
    rule = pack.decision
    names = {r.id: r.name for r in pack.all_rounds()}
    overall = facts.overall if facts.overall is not None else 0.0
    reasons: list[str] = []
    flips: list[str] = []
    contradictions = len(facts.inconsistencies)
    weight = _total_weight(facts.inconsistencies)
    # Findings are weighed: the pack's limit is on their total weight, so one small or
    # hedged changed figure is not a contradiction count of one (docs/interview.md).
    too_many = weight > rule.max_inconsistencies

    # Reasons: every condition of the rule, passed or failed, in plain words.
    if facts.missing:
        reasons.append(
            "Not every required round is done: "
            + ", ".join(names.get(r, r) for r in facts.missing)
            + "."
        )
    else:
        reasons.append("Every required round is done.")
    reasons.append(
        f"Overall {overall:.1f} (rounds weighted by length) against the bar of "
        f"{rule.overall_bar:.0f}: {'at or above' if overall >= rule.overall_bar else 'below'} it."
    )
    if facts.below:
        for line in facts.below:
            reasons.append(
                f"{line.name} scored {line.score:.0f}, below the round bar of {rule.round_bar:.0f}."
            )
    else:
        done = [r for r in facts.rounds if r.done]
        if done:
            reasons.append(
                f"Every round done is at or above the round bar of {rule.round_bar:.0f}."
            )
    if contradictions:
        for item in facts.inconsistencies:
            reasons.append(
                f"Contradiction between rounds (weight {item.weight:g}: {item.why}): {item.summary}"
            )
        reasons.append(
            f"Contradictions weigh {weight:g} in all, against the pack's limit of "
            f"{rule.max_inconsistencies}: "
            + ("over it, which blocks a hire." if too_many else "within it.")
        )
    else:
        reasons.append("No contradictions between rounds.")
    spot_names = {b.id: b.name for b in pack.blind_spots}
    if facts.blocking:
        reasons.append(
            "Blocking blind spot seen: "
            + ", ".join(spot_names.get(b, b.replace("_", " ")).lower() for b in facts.blocking)
            + "."
        )

    hire_ok = not facts.missing and not facts.below and not too_many and not facts.blocking
    hire_ok = hire_ok and overall >= rule.overall_bar

    decision: Decision
    if overall < rule.no_hire_below:
        decision = "no_hire"
        used = DecisionRuleUsed(
            id="no_hire_below",
            text=f"overall {overall:.1f} < no-hire line {rule.no_hire_below:.0f}",
            pack_rule=rule.notes,
        )
        flips.append(
            f"Raise the overall from {overall:.0f} to {rule.no_hire_below:.0f} or more to reach "
            f"lean no hire; to {rule.overall_bar:.0f} with every round at {rule.round_bar:.0f} "
            "and no contradictions for a hire."
        )
        flips.extend(_room(facts, rule.round_bar))
    elif hire_ok and overall >= rule.strong_hire_bar:
        decision = "strong_hire"
        used = DecisionRuleUsed(
            id="strong_hire_bar",
            text=(
                f"all hire conditions met and overall {overall:.1f} >= strong-hire bar "
                f"{rule.strong_hire_bar:.0f}"
            ),
            pack_rule=rule.notes,
        )
        flips.append(
            f"It drops to hire if the overall falls below {rule.strong_hire_bar:.0f} "
            f"({overall - rule.strong_hire_bar:.1f} points of margin)."
        )
        flips.extend(_hire_risks(facts, rule.round_bar, rule.max_inconsistencies))
    elif hire_ok:
        decision = "hire"
        used = DecisionRuleUsed(
            id="hire_conditions",
            text=(
                f"every required round done and >= {rule.round_bar:.0f}, overall {overall:.1f} "
                f">= {rule.overall_bar:.0f}, contradictions weighing {weight:g} <= "
                f"{rule.max_inconsistencies}, no blocking blind spot"
            ),
            pack_rule=rule.notes,
        )
        flips.append(
            f"Strong hire needs an overall of {rule.strong_hire_bar:.0f} "
            f"({rule.strong_hire_bar - overall:.1f} more)."
        )
        flips.extend(_hire_risks(facts, rule.round_bar, rule.max_inconsistencies))
    else:
        decision = "lean_no_hire"
        failed = []
        if facts.missing:
            failed.append("required rounds missing")
        if overall < rule.overall_bar:
            failed.append(f"overall {overall:.1f} < {rule.overall_bar:.0f}")
        if facts.below:
            failed.append(f"{len(facts.below)} round(s) < {rule.round_bar:.0f}")
        if too_many:
            failed.append(f"contradictions weighing {weight:g} > {rule.max_inconsistencies}")
        if facts.blocking:
            failed.append("blocking blind spot")
        used = DecisionRuleUsed(
            id="hire_conditions_failed",
            text=(
                f"overall {overall:.1f} >= no-hire line {rule.no_hire_below:.0f}, but a hire "
                f"condition failed: {'; '.join(failed)}"
            ),
            pack_rule=rule.notes,
        )
        if facts.missing:
            flips.append(
                "Do the missing rounds: " + ", ".join(names.get(r, r) for r in facts.missing) + "."
            )
        for line in facts.below:
            assert line.score is not None
            flips.append(
                f"Raise {line.name} from {line.score:.0f} to {rule.round_bar:.0f} "
                f"(+{rule.round_bar - line.score:.0f})."
            )
        if overall < rule.overall_bar:
            flips.append(
                f"Raise the overall from {overall:.1f} to {rule.overall_bar:.0f} "
                f"(+{rule.overall_bar - overall:.1f})."
            )
        if too_many:
            for item in facts.inconsistencies:
                flips.append(f"Tell one version of the facts: {item.summary}")
        better = {b.id: (b.name, b.better) for b in pack.blind_spots}
        for spot in facts.blocking:
            name, advice = better.get(spot, (spot.replace("_", " "), ""))
            flips.append(f"Avoid the blocking blind spot {name.lower()}: {advice}".rstrip(": "))
    return decision, reasons, used, flips


def _total_weight(items: Iterable[InconsistencyLine]) -> float:
    return round(sum(i.weight for i in items), 2)


def _room(facts: _Facts, bar: float) -> list[str]:
    done = sorted((r for r in facts.rounds if r.score is not None), key=lambda r: r.score or 0.0)
    return [
        f"{r.name} ({r.score:.0f}) has the most room to grow."
        for r in done[:2]
        if (r.score or 0) < bar
    ]


def _hire_risks(facts: _Facts, bar: float, limit: int) -> list[str]:
    lines = []
    scored = [r for r in facts.rounds if r.score is not None]
    if scored:
        closest = min(scored, key=lambda r: r.score or 0.0)
        assert closest.score is not None
        lines.append(
            f"It drops to lean no hire if a round falls below {bar:.0f}; closest: "
            f"{closest.name} at {closest.score:.0f}."
        )
    lines.append(
        f"Any contradiction between rounds beyond {limit} would also block the hire."
        if limit
        else "Any contradiction between rounds would block the hire."
    )
    return lines


# -- putting it together --------------------------------------------------------------------


def build_debrief(
    db: Database, loop_ref: str, *, save: bool = True, attempts: Attempts = "latest"
) -> DebriefPacket:
    """Assemble the packet for the user's loop ``loop_ref`` (id, prefix or "last"),
    reading each round's ``attempts``: its latest finished attempt, or its best."""
    if attempts not in ATTEMPTS:
        raise InputError(f"attempts must be one of: {', '.join(ATTEMPTS)} (got {attempts!r})")
    with db.read_session() as s:
        loop_id = resolve_id(s, db.user_id, Loop, loop_ref)
        pack_id = get_loop(s, db.user_id, loop_id).pack_id
    pack = get_pack(pack_id)
    used = _latest_attempts(db, loop_id, attempts, [r.id for r in pack.rounds])
    if not used:
        first = pack.rounds[0].id
        raise InputError(
            "no round of this loop is finished yet; practise one first: "
            f"loopready practice {first} --loop {loop_id[:8]}"
        )
    rule = pack.decision
    required = rule.required_rounds or [r.id for r in pack.rounds]
    lines: list[RoundLine] = []
    for rnd in pack.rounds:
        attempt = used.get(rnd.id)
        line = RoundLine(
            round=rnd.id,
            name=rnd.name,
            done=attempt is not None,
            required=rnd.id in required,
            bar=rule.round_bar,
            weight=float(rnd.minutes),
        )
        if attempt is not None:
            line.session_id = attempt.view.id
            line.prompt_id = attempt.view.prompt.id
            line.score = round(attempt.result.score, 1)
            line.best = attempt.best
            line.attempts = attempt.attempts
            line.at_bar = attempt.result.score >= rule.round_bar
            line.blind_spots = sorted({b.id for b in attempt.result.blind_spots})
        lines.append(line)
    done = [r for r in lines if r.done and r.score is not None]
    weight = sum(r.weight for r in done)
    overall = round(sum((r.score or 0.0) * r.weight for r in done) / weight, 1) if weight else None
    missing = [r for r in required if r not in used]

    texts = {rid: a.view.transcript() for rid, a in used.items()}
    claims, found_all = loop_consistency(pack, texts.items())
    explained: list[ExplainedChange] = []
    found: list[Inconsistency] = []
    for item in found_all:
        because = explanation_of(item, texts)
        if because is None:
            found.append(item)
        else:
            explained.append(
                ExplainedChange(
                    subject=item.subject,
                    summary=_describe_inconsistency(pack, item).summary,
                    explanation=because,
                )
            )
    inconsistencies = [_describe_inconsistency(pack, i) for i in found]
    thread = story_thread(pack, texts, claims)
    closing = _closing(pack, used, thread, found)

    seen_spots = {b for r in done for b in r.blind_spots}
    if not thread.connected:
        seen_spots.update(b.id for b in pack.blind_spots if b.rule == ISOLATED_RULE)
    blocking = sorted(seen_spots & set(rule.blocking_blind_spots))

    facts = _Facts(
        overall=overall,
        rounds=lines,
        missing=missing,
        below=[r for r in done if (r.score or 0.0) < rule.round_bar],
        inconsistencies=inconsistencies,
        blocking=blocking,
    )
    decision, reasons, used_rule, flips = decide(pack, facts)
    packet = DebriefPacket(
        loop_id=loop_id,
        pack_id=pack.id,
        decision=decision,
        reasons=reasons,
        rule=used_rule,
        what_would_flip=flips,
        overall=overall,
        bars={
            "round_bar": rule.round_bar,
            "overall_bar": rule.overall_bar,
            "strong_hire_bar": rule.strong_hire_bar,
            "no_hire_below": rule.no_hire_below,
            "max_inconsistencies": float(rule.max_inconsistencies),
        },
        rounds=lines,
        missing_rounds=missing,
        inconsistencies=inconsistencies,
        claims_checked=len(claims),
        story_thread=thread,
        closing_narrative=closing,
        blocking_blind_spots=blocking,
        mock_offer=draw_offer(pack, decision, loop_id),
        attempts_read=attempts,
        explained_changes=explained,
        contradiction_weight=_total_weight(inconsistencies),
    )
    if save:
        packet.debrief_id = save_debrief(db, loop_id, decision, packet.to_json_dict())
    return packet
