"""placeholder"""

from __future__ import annotations

from collections.abc import Iterable

from loopready.interview.claims import Claim, Inconsistency, check_consistency
from loopready.packs.schema import Pack


def company_names(pack: Pack) -> list[str]:
    """Names whose figures are the company's, not the candidate's."""
    names = {pack.company, pack.company.split()[0]}
    for launch in pack.launches:
        names.add(launch.product)
        names.add(launch.name)
        names.update(launch.product.split(" ")[:1])
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
    answers = list(answers)
    given = {source: given_text(pack, source) for source, _ in answers}
    return check_consistency(answers, ignore_entities=company_names(pack), given=given)
