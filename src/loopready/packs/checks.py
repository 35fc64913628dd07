"""Cross-reference checks that pydantic cannot express field by field.

Each check returns ``(path, message)`` pairs, where ``path`` is a tuple of keys
and list indexes into the pack document, so the loader can point at the YAML line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from loopready.packs.schema import Pack, Round

Path = tuple[str | int, ...]
Problem = tuple[Path, str]


def _duplicates(ids: Iterable[tuple[Path, str]], what: str) -> list[Problem]:
    seen: dict[str, Path] = {}
    problems: list[Problem] = []
    for path, value in ids:
        if value in seen:
            first = _dotted(seen[value])
            problems.append((path, f"duplicate {what} id {value!r} (first used at {first})"))
        else:
            seen[value] = path
    return problems


def _dotted(path: Sequence[str | int]) -> str:
    return ".".join(str(p) for p in path)


def _round_groups(pack: Pack) -> list[tuple[str, list[Round]]]:
    return [("rounds", pack.rounds), ("extra_rounds", pack.extra_rounds)]


def check_pack(pack: Pack) -> list[Problem]:
    """Every cross-reference problem in a pack that already passed the schema."""
    problems: list[Problem] = []

    round_ids = [
        ((group, i, "id"), r.id)
        for group, rounds in _round_groups(pack)
        for i, r in enumerate(rounds)
    ]
    problems += _duplicates(round_ids, "round")
    known_rounds = {r.id for r in pack.all_rounds()}
    known_personas = {p.id for p in pack.personas}

    prompt_ids = [
        ((group, i, "prompts", j, "id"), p.id)
        for group, rounds in _round_groups(pack)
        for i, r in enumerate(rounds)
        for j, p in enumerate(r.prompts)
    ]
    problems += _duplicates(prompt_ids, "prompt")

    for group, rounds in _round_groups(pack):
        for i, rnd in enumerate(rounds):
            base: Path = (group, i)
            criteria = [c.id for c in rnd.rubric.criteria]
            problems += _duplicates(
                [((*base, "rubric", "criteria", k, "id"), c) for k, c in enumerate(criteria)],
                "criterion",
            )
            for j, prompt in enumerate(rnd.prompts):
                problems += _duplicates(
                    [
                        ((*base, "prompts", j, "follow_ups", k, "id"), f.id)
                        for k, f in enumerate(prompt.follow_ups)
                    ],
                    "follow-up",
                )
                for k, follow in enumerate(prompt.follow_ups):
                    if follow.criterion not in criteria:
                        problems.append(
                            (
                                (*base, "prompts", j, "follow_ups", k, "criterion"),
                                f"unknown criterion {follow.criterion!r} in round {rnd.id!r}; "
                                f"valid criteria: {', '.join(dict.fromkeys(criteria))}",
                            )
                        )
                for k, criterion_id in enumerate(prompt.focus):
                    if criterion_id not in criteria:
                        problems.append(
                            (
                                (*base, "prompts", j, "focus", k),
                                f"unknown criterion {criterion_id!r} in round {rnd.id!r}; "
                                f"valid criteria: {', '.join(dict.fromkeys(criteria))}",
                            )
                        )
            problems += _panel_problems(base, rnd, known_personas)
            problems += _red_flag_problems(base, rnd, criteria)
            for k, persona_id in enumerate(rnd.personas):
                if persona_id not in known_personas:
                    problems.append(
                        (
                            (*base, "personas", k),
                            f"unknown persona {persona_id!r}; define it under personas "
                            f"(known: {', '.join(sorted(known_personas)) or 'none'})",
                        )
                    )

    problems += _duplicates(
        [(("blind_spots", i, "id"), b.id) for i, b in enumerate(pack.blind_spots)], "blind spot"
    )
    for i, spot in enumerate(pack.blind_spots):
        for k, round_id in enumerate(spot.rounds):
            if round_id not in known_rounds:
                problems.append(
                    (("blind_spots", i, "rounds", k), _unknown_round(round_id, known_rounds))
                )

    problems += _duplicates(
        [(("personas", i, "id"), p.id) for i, p in enumerate(pack.personas)], "persona"
    )
    for i, persona in enumerate(pack.personas):
        problems += _duplicates(
            [(("personas", i, "issues", k, "id"), c.id) for k, c in enumerate(persona.issues)],
            "concern",
        )
    problems += _duplicates(
        [(("prep", "phases", i, "id"), p.id) for i, p in enumerate(pack.prep.phases)], "phase"
    )
    for i, phase in enumerate(pack.prep.phases):
        if phase.min_days > phase.days:
            problems.append(
                (
                    ("prep", "phases", i, "min_days"),
                    f"min_days ({phase.min_days}) is more than days ({phase.days})",
                )
            )

    if pack.compensation is not None:
        comp = pack.compensation
        ranges: list[tuple[Path, float, float]] = [
            (("compensation", "base", i), r.low, r.high) for i, r in enumerate(comp.base)
        ]
        ranges += [
            (("compensation", "bonus_pct"), comp.bonus_pct.low, comp.bonus_pct.high),
            (("compensation", "equity_pct"), comp.equity_pct.low, comp.equity_pct.high),
            (("compensation", "sign_on"), comp.sign_on.low, comp.sign_on.high),
        ]
        for path, low, high in ranges:
            if low > high:
                problems.append(((*path, "low"), f"low ({low:g}) is more than high ({high:g})"))

    last_day = max(r.day for r in pack.rounds)
    if last_day >= pack.process.total_days:
        problems.append(
            (
                ("process", "total_days"),
                f"the last round is on day {last_day}, so the loop needs at least "
                f"{last_day + 1} days (got {pack.process.total_days})",
            )
        )

    decision = pack.decision
    for k, spot_id in enumerate(decision.blocking_blind_spots):
        if spot_id not in {b.id for b in pack.blind_spots}:
            problems.append(
                (("decision", "blocking_blind_spots", k), f"unknown blind spot {spot_id!r}")
            )
    for k, round_id in enumerate(decision.required_rounds):
        if round_id not in known_rounds:
            problems.append(
                (("decision", "required_rounds", k), _unknown_round(round_id, known_rounds))
            )
    if not decision.no_hire_below <= decision.overall_bar <= decision.strong_hire_bar:
        problems.append(
            (
                ("decision",),
                "bars must satisfy no_hire_below <= overall_bar <= strong_hire_bar",
            )
        )
    return problems


#: A red flag without a rule needs this many examples and near-misses to be detected well.
MIN_RED_FLAG_SENTENCES = 3


def _red_flag_problems(base: Path, rnd: Round, criteria: list[str]) -> list[Problem]:
    problems = _duplicates(
        [((*base, "red_flags", k, "id"), f.id) for k, f in enumerate(rnd.red_flags)], "red flag"
    )
    for k, flag in enumerate(rnd.red_flags):
        path: Path = (*base, "red_flags", k)
        for n, criterion_id in enumerate(flag.caps):
            if criterion_id not in criteria:
                problems.append(
                    (
                        (*path, "caps", n),
                        f"unknown criterion {criterion_id!r} in round {rnd.id!r}; "
                        f"valid criteria: {', '.join(dict.fromkeys(criteria))}",
                    )
                )
        for field in ("examples", "near_misses"):
            count = len(getattr(flag, field))
            if count < MIN_RED_FLAG_SENTENCES:
                problems.append(
                    (
                        (*path, field),
                        f"red flag {flag.id!r} has {count} {field.replace('_', '-')}; "
                        f"write at least {MIN_RED_FLAG_SENTENCES} sentences in different words",
                    )
                )
    return problems


def _unknown_round(round_id: str, known: set[str]) -> str:
    return f"unknown round {round_id!r}; valid rounds: {', '.join(sorted(known))}"


def _panel_problems(base: Path, rnd: Round, known_personas: set[str]) -> list[Problem]:
    """A stakeholder round's prompts each name their own panel, from the pack's
    personas, and the case facts the panel argues from (when the pack has personas,
    that is when the round runs as a role-play)."""
    problems: list[Problem] = []
    for j, prompt in enumerate(rnd.prompts):
        where: Path = (*base, "prompts", j)
        if rnd.kind != "stakeholder":
            if prompt.panel:
                problems.append(
                    (
                        (*where, "panel"),
                        f"only stakeholder rounds have a panel ({rnd.id!r} is a {rnd.kind} round)",
                    )
                )
            continue
        for k, persona_id in enumerate(prompt.panel):
            if persona_id not in known_personas:
                problems.append(
                    (
                        (*where, "panel", k),
                        f"unknown persona {persona_id!r}; define it under personas "
                        f"(known: {', '.join(sorted(known_personas)) or 'none'})",
                    )
                )
        if not known_personas:
            continue  # no personas: the round is an ordinary interview, not a role-play
        if not prompt.panel:
            problems.append(
                (
                    (*where, "panel"),
                    f"stakeholder prompt {prompt.id!r} names no panel: list the persona ids who "
                    "argue this case",
                )
            )
        if not prompt.case_facts:
            problems.append(
                (
                    (*where, "case_facts"),
                    f"stakeholder prompt {prompt.id!r} has no case_facts: list the figures and "
                    "facts the panel argues from",
                )
            )
    return problems
