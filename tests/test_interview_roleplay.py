"""The stakeholder role-play: whole-word phrase matching and the deterministic panel."""

from __future__ import annotations

import pytest

from loopready.interview.roleplay import DECISION_CALL, RolePlay
from loopready.packs import get_pack
from loopready.phrases import find_phrases, mentions


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("our teams are great", "ms", False),
        ("the platforms team", "ms", False),
        ("it adds 70 ms", "ms", True),
        ("it adds 70ms to the page", "ms", True),
        ("We will roll-out to 5%", "rollout", True),
        ("the roll out starts Monday", "rollout", True),
        ("the rollout", "roll out", True),
        ("we are launching next week", "launch", True),
        ("the launches went well", "launch", True),
        ("caching the top results", "cache", True),
        ("the wishlist data", "wish list", True),
        ("p99 latency", "p99", True),
        ("keep 90% of the gain", "90%", True),
        ("a 190% rise", "90%", False),
        ("Legal counsel", "legal", True),
        ("paralegal", "legal", False),
    ],
)
def test_phrases_match_whole_words_only(text: str, phrase: str, expected: bool) -> None:
    assert mentions(text, phrase) is expected


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("we launch without a fallback", "fallback", False),
        ("we won't launch without a fallback", "fallback", True),
        ("we don't need a legal review", "legal review", False),
        ("we ship no later than November", "november", True),
        ("not only latency but cost", "latency", True),
        ("we will not launch everywhere", "everywhere", False),
        ("we skip Europe, but legal reviews consent", "consent", True),
    ],
)
def test_negated_phrases_do_not_count(text: str, phrase: str, expected: bool) -> None:
    assert mentions(text, phrase) is expected


def test_find_phrases_keeps_the_given_order() -> None:
    found = find_phrases(
        "A kill switch, a fallback and a rollback.", ["rollback", "fallback", "cache"]
    )
    assert found == ["rollback", "fallback"]


def _play() -> RolePlay:
    pack = get_pack("sony-ai-pm-2026")
    rnd = pack.round("stakeholder_simulation")
    return RolePlay(pack, rnd, rnd.prompts[0])


def test_each_persona_opens_with_its_position() -> None:
    play = _play()
    lines = play.opening()
    assert [line.speaker for line in lines] == [
        "research_lead",
        "engineering_lead",
        "marketing_lead",
        "legal_counsel",
    ]
    assert all(line.kind == "position" for line in lines)
    assert "150 millisecond" in lines[1].text


def test_ignoring_latency_makes_engineering_push_back() -> None:
    play = _play()
    play.opening()
    lines = play.respond(
        "Thanks all. Research gets a spring slot on the roadmap, and legal does a privacy "
        "review before we announce anything in the holiday campaign."
    )
    refs = [line.ref for line in lines if line.kind == "pushback"]
    assert "eng_latency_ignored" in refs
    assert all(line.speaker != "research_lead" for line in lines)


def test_mentioning_latency_in_any_form_prevents_that_pushback() -> None:
    for said in ("The page must stay within 150 ms.", "We cut latency with caching."):
        play = _play()
        play.opening()
        play.respond(said)
        assert "eng_latency_ignored" not in play.outcome().personas[1]["pushbacks"]


def test_promising_a_date_without_legal_makes_legal_object() -> None:
    play = _play()
    play.opening()
    lines = play.respond("We launch in November for the holiday, to every user.")
    spoken = {line.ref for line in lines}
    assert "legal_date_without_review" in spoken
    # the same promise with a privacy review in it draws no objection
    play = _play()
    play.opening()
    lines = play.respond("After the privacy review, we launch in November for the holiday.")
    assert "legal_date_without_review" not in {line.ref for line in lines}


def test_a_pushback_fires_at_most_once() -> None:
    play = _play()
    play.opening()
    fired: list[str | None] = []
    for _ in range(5):
        fired += [line.ref for line in play.respond("We ship everywhere in November.")]
    pushbacks = [ref for ref in fired if ref]
    assert len(pushbacks) == len(set(pushbacks))
    assert play.outcome().pushbacks_fired == len(pushbacks)


def test_at_most_two_lines_a_turn_one_per_persona() -> None:
    play = _play()
    play.opening()
    lines = play.respond("We launch globally to all users by the holiday, using all the data.")
    pushbacks = [line for line in lines if line.kind == "pushback"]
    assert len(pushbacks) == 2
    assert len({line.speaker for line in pushbacks}) == 2


def test_satisfied_personas_and_the_decision_reactions() -> None:
    play = _play()
    play.opening()
    play.respond(
        "Engineering: we ship a smaller model within the 150 ms budget, with a fallback. "
        "Research gets a spring slot on the roadmap. Legal runs a privacy review first. "
        "Marketing gets a holiday beta message."
    )
    assert play.outcome().satisfied == 4
    while not play.ready_for_decision:
        play.respond("Nothing to add.")
    closing = play.decide("Decision: a five percent beta in one region in November.")
    assert [line.kind for line in closing] == ["reaction"] * 4
    assert all(line.text == "I can work with that." for line in closing)
    assert play.outcome().decided


def test_a_decision_that_promises_a_date_without_legal_draws_an_objection() -> None:
    play = _play()
    play.opening()
    play.respond("Research keeps its spring roadmap slot; the page stays under 150 ms.")
    closing = play.decide("We go live on the launch date in November, everywhere.")
    objections = [line.ref for line in closing if line.kind == "objection"]
    assert "legal_date_without_review" in objections
    legal = [
        line for line in closing if line.speaker == "legal_counsel" and line.kind == "reaction"
    ]
    assert legal and legal[0].text.startswith("I am not comfortable yet")


def test_the_panel_asks_for_the_decision_once_nothing_is_left() -> None:
    play = _play()
    play.opening()
    everything = (
        "Latency: a smaller model keeps us under 150 ms, with a fallback and kill switch. "
        "Research gets a spring slot on the roadmap and we keep the quality bar. "
        "Marketing: a holiday beta in one region with a clear message, launch date in November. "
        "Legal: a privacy review and consent first, and we drop wish-list data."
    )
    calls = []
    for _ in range(4):
        calls += [line for line in play.respond(everything) if line.kind == "decision_call"]
    assert len(calls) == 1
    assert calls[0].text == DECISION_CALL


def test_replay_gives_the_same_conversation() -> None:
    pack = get_pack("sony-ai-pm-2026")
    rnd = pack.round("stakeholder_simulation")
    turns = ["We launch to everyone in November.", "OK: a fallback and a smaller model."]
    first = RolePlay.replay(pack, rnd, rnd.prompts[0], turns, "Decision: beta in one region.")
    second = RolePlay.replay(pack, rnd, rnd.prompts[0], turns, "Decision: beta in one region.")
    assert first.lines == second.lines
    assert first.outcome() == second.outcome()
