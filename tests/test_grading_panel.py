"""The stakeholder check reads the panel of the question asked, not the whole round's."""

from __future__ import annotations

from loopready.grading.features import addressed_by, stakeholder_gaps
from loopready.language.phrases import find_phrases
from loopready.packs import get_pack


def _answer_for(persona_ids: list[str], avoid: tuple[str, ...] = ()) -> str:
    """An answer naming one phrase per persona, never a phrase of the ``avoid`` personas."""
    pack = get_pack("sony-ai-pm-2026")
    others = [phrase for a in avoid for phrase in addressed_by(pack, a)]
    parts = [
        next(x for x in addressed_by(pack, p) if not find_phrases(x, others)) for p in persona_ids
    ]
    return ". ".join(f"On that point, {p}" for p in parts) + "."


def test_a_known_stakeholder_question_is_judged_against_its_own_panel() -> None:
    pack = get_pack("sony-ai-pm-2026")
    rnd = pack.round("stakeholder_simulation")
    camera = next(p for p in rnd.prompts if p.id == "ss_camera_privacy")
    assert camera.panel and set(camera.panel) != set(rnd.personas)
    answer = _answer_for(camera.panel, avoid=tuple(rnd.personas))

    assert stakeholder_gaps(pack, rnd, answer, "ss_camera_privacy") == 0.0
    # Without the question, the round's own personas are the room, and their concerns
    # were not addressed.
    assert stakeholder_gaps(pack, rnd, answer) == 1.0


def test_a_question_without_a_panel_falls_back_to_the_round_personas() -> None:
    pack = get_pack("sony-ai-pm-2026")
    rnd = pack.round("stakeholder_simulation")
    answer = _answer_for(list(rnd.personas))
    assert stakeholder_gaps(pack, rnd, answer) == 0.0
    assert stakeholder_gaps(pack, rnd, answer, "no_such_question") == 0.0
    assert stakeholder_gaps(pack, rnd, "Nothing about anyone's concern here.") == 1.0
