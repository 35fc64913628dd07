"""The stakeholder role-play: phrase matching, the sentence acts, the panel's memory and replies."""

from __future__ import annotations

import pytest

from loopready.interview.roleplay import RolePlay
from loopready.interview.roleplay_acts import analyse_turn, is_term_list, read_cues
from loopready.interview.roleplay_score import adjust
from loopready.language.phrases import find_phrases, mentions
from loopready.packs import get_pack


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


PSN, CAMERA, METRICS = 0, 1, 2


def _play(prompt: int = PSN) -> RolePlay:
    pack = get_pack("sony-ai-pm-2026")
    rnd = pack.round("stakeholder_simulation")
    play = RolePlay(pack, rnd, rnd.prompts[prompt])
    play.opening()
    return play


def _concern(play: RolePlay, persona: str, issue: str) -> dict[str, object]:
    person = next(p for p in play.outcome().personas if p["id"] == persona)
    concerns: list[dict[str, object]] = person["concern_states"]
    return next(c for c in concerns if c["id"] == issue)


GOOD_PLAN = (
    "We ship the smaller, distilled model, which fits inside the 150 ms budget, to five percent "
    "of players in North America in mid-November. Legal starts the privacy review this week, and "
    "nothing goes public until it is done. Engineering puts the model behind a kill switch with "
    "the curated row as the fallback before the beta. Research gets a spring slot on the roadmap "
    "for the larger model."
)
KEYWORDS = (
    "Latency ms latency budget ms older consoles fallback kill switch. Campaign date holiday "
    "November message beta. Consent privacy review legal GDPR opt-out data protection."
)


# -- the sentence acts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Latency ms latency budget ms older consoles fallback kill switch.",
        "Consent privacy review legal GDPR opt-out data protection.",
        "Roadmap research slot spring version two offline gain.",
    ],
)
def test_a_list_of_terms_is_recognised_as_saying_nothing(text: str) -> None:
    assert is_term_list(text)
    assert [s.act for s in analyse_turn(text)] == ["other"]


def test_a_question_mark_keeps_only_asking_acts() -> None:
    acts = [
        s.act for s in analyse_turn("Is 150 really a hard wall? How long does the review take?")
    ]
    assert len(acts) == 2
    assert set(acts) <= {"question", "challenge", "propose"}


def test_cues_are_negation_and_condition_aware() -> None:
    assert read_cues("We will not launch before the privacy review is done.").negated
    assert read_cues("If legal clears it by October, we launch in November.").conditional
    assert not read_cues("We launch in November.").conditional
    assert read_cues("Legal can finish looking at it after launch.").deferred
    assert not read_cues("We ship after the privacy review.").deferred


# -- the panel per prompt -------------------------------------------------------------------


def test_each_prompt_opens_with_its_own_panel() -> None:
    speakers = [[line.speaker for line in _play(i).lines] for i in (PSN, CAMERA, METRICS)]
    assert speakers[0] == ["research_lead", "engineering_lead", "marketing_lead", "legal_counsel"]
    assert speakers[1] == [
        "camera_research_lead",
        "camera_engineering_lead",
        "camera_marketing_lead",
        "camera_legal_counsel",
    ]
    assert speakers[2] == ["research_metrics", "marketing_metrics", "engineering_metrics"]
    # the Xperia case is not argued by the store team
    camera_text = " ".join(line.text for line in _play(CAMERA).lines)
    assert "150" not in camera_text and "holiday" not in camera_text


# -- memory ---------------------------------------------------------------------------------


def test_keyword_lists_move_no_concern_and_satisfy_nobody() -> None:
    play = _play()
    play.respond(KEYWORDS)
    play.decide("Decision November beta legal latency roadmap.")
    outcome = play.outcome()
    assert outcome.satisfied == 0
    assert outcome.addressed == 0
    assert all(c["state"] == "open" for p in outcome.personas for c in p["concern_states"])


def test_a_concrete_plan_addresses_each_main_concern_and_quotes_it() -> None:
    play = _play()
    play.respond(GOOD_PLAN)
    outcome = play.outcome()
    assert outcome.satisfied == 4
    legal = next(p for p in outcome.personas if p["id"] == "legal_counsel")
    assert any("privacy review" in quote for quote in legal["satisfied_by"])
    assert _concern(play, "legal_counsel", "consent")["state"] == "addressed"


def test_waving_legal_past_launch_dismisses_and_escalates() -> None:
    play = _play()
    lines = play.respond(
        GOOD_PLAN.replace(
            "Legal starts the privacy review this week, and nothing goes public until it is done.",
            "Legal can finish looking at it after launch.",
        )
    )
    consent = _concern(play, "legal_counsel", "consent")
    assert consent["state"] == "dismissed" and consent["escalated"]
    assert consent["stronger"]
    assert any(line.speaker == "legal_counsel" and line.kind == "escalation" for line in lines)
    legal = next(p for p in play.outcome().personas if p["id"] == "legal_counsel")
    assert not legal["satisfied"]
    assert legal["escalations"][0]["quote"] == "Legal can finish looking at it after launch."


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("We will not launch before the privacy review is done.", "addressed"),
        ("We launch in November without a privacy review.", "dismissed"),
    ],
)
def test_negation_decides_whether_the_review_is_committed(said: str, expected: str) -> None:
    play = _play()
    play.respond(said)
    assert _concern(play, "legal_counsel", "consent")["state"] == expected


def test_a_persona_never_raises_a_concern_just_addressed() -> None:
    play = _play()
    lines = play.respond(
        "Legal starts the privacy review this week, and nothing goes public until it is done."
    )
    assert _concern(play, "legal_counsel", "consent")["state"] == "addressed"
    for _ in range(4):
        lines += play.respond("Let me think about the rest.")
    assert not [line for line in lines if line.kind == "pushback" and line.ref == "consent"]


# -- replies --------------------------------------------------------------------------------


def test_a_challenge_gets_an_answer_about_that_constraint_with_the_figure() -> None:
    lines = _play().respond("Is 150 really a hard wall?")
    kenji = [line for line in lines if line.speaker == "engineering_lead"]
    assert kenji and kenji[0].kind == "answer" and kenji[0].ref == "latency"
    assert "150 ms" in kenji[0].text and "40 ms" in kenji[0].text


def test_a_question_gets_an_answer_from_the_persona_it_concerns() -> None:
    lines = _play().respond("How long does the privacy review take?")
    aiko = [line for line in lines if line.speaker == "legal_counsel"]
    assert aiko and aiko[0].kind == "answer" and "four weeks" in aiko[0].text


def test_ignoring_latency_makes_engineering_raise_it() -> None:
    play = _play()
    lines = play.respond(
        "Research gets a spring slot on the roadmap for the larger model, and legal starts the "
        "privacy review this week, before anything is announced."
    )
    lines += play.respond("Let me think about the rest.")
    raised = {(line.speaker, line.ref) for line in lines if line.kind == "pushback"}
    assert ("engineering_lead", "latency") in raised
    assert all(line.speaker != "research_lead" or line.kind != "pushback" for line in lines)


def test_each_persona_closes_in_its_own_voice() -> None:
    play = _play()
    play.respond(GOOD_PLAN)
    closing = play.decide("My decision: the five percent beta in mid-November, review first.")
    reactions = [line.text for line in closing if line.kind == "reaction"]
    assert len(reactions) == 4 and len(set(reactions)) == 4
    assert all("What settled it for me" in text for text in reactions)


def test_time_cues_follow_the_round_clock() -> None:
    play = _play()
    early = play.respond(GOOD_PLAN, elapsed_s=5 * 60)
    assert not any("nearly out of time" in line.text for line in early)
    late = _play()
    lines = late.respond("Let me think about it.", elapsed_s=52 * 60)
    call = [line for line in lines if line.kind == "decision_call"]
    assert call and "nearly out of time" in call[0].text


def test_at_most_two_lines_a_turn_one_per_persona() -> None:
    lines = _play().respond("We launch globally to all users by the holiday, using all the data.")
    assert 1 <= len(lines) <= 3  # two voices, plus the decision call at most
    voices = [line.speaker for line in lines if line.speaker != "panel"]
    assert len(voices) == len(set(voices)) <= 2


def test_replay_gives_the_same_conversation() -> None:
    pack = get_pack("sony-ai-pm-2026")
    rnd = pack.round("stakeholder_simulation")
    turns = ["We launch to everyone in November.", "OK: a fallback and a smaller model."]
    first = RolePlay.replay(pack, rnd, rnd.prompts[0], turns, "Decision: beta in one region.")
    second = RolePlay.replay(pack, rnd, rnd.prompts[0], turns, "Decision: beta in one region.")
    assert first.lines == second.lines
    assert first.outcome() == second.outcome()


# -- the score bound ------------------------------------------------------------------------


def _outcome(satisfied: int, escalated: list[tuple[bool, str]]) -> dict[str, object]:
    personas = []
    for k in range(4):
        states = []
        if k == 0:
            states = [
                {"concern": "Consent", "main": main, "state": state, "escalated": True}
                for main, state in escalated
            ]
        personas.append(
            {"name": f"P{k}, lead", "satisfied": k < satisfied, "concern_states": states}
        )
    return {"personas": personas}


def test_nobody_satisfied_caps_the_score_at_30() -> None:
    assert adjust(63, _outcome(0, [])).score == 30
    assert adjust(80, _outcome(4, [])).score == 80


def test_a_concern_left_dismissed_costs_more_than_one_made_good() -> None:
    left = adjust(80, _outcome(3, [(True, "dismissed")]))
    made_good = adjust(80, _outcome(3, [(True, "addressed")]))
    assert left.score < made_good.score < 80
    assert any("waved away" in reason for reason in left.reasons)


def test_half_time_is_said_once_at_half_time() -> None:
    play = _play()
    assert not [x for x in play.respond("Let me think.", elapsed_s=10 * 60) if x.kind == "time"]
    half = [x for x in play.respond("Let me think.", elapsed_s=31 * 60) if x.kind == "time"]
    assert len(half) == 1 and "halfway through the hour" in half[0].text
    assert "29 minutes" in half[0].text
    assert not [x for x in play.respond("Let me think.", elapsed_s=35 * 60) if x.kind == "time"]


@pytest.mark.parametrize(
    ("said", "persona", "issue", "expected"),
    [
        ("I don't think legal needs to be involved.", "legal_counsel", "consent", "dismissed"),
        (
            "We launch in November and legal reviews it in parallel.",
            "legal_counsel",
            "consent",
            "dismissed",
        ),
        (
            "We will ship without the kill switch and add it later.",
            "engineering_lead",
            "fallback",
            "dismissed",
        ),
        (
            "If the privacy review finishes in time, we launch in November.",
            "legal_counsel",
            "consent",
            "addressed",
        ),
        (
            "Kenji, I will not ship anything that breaks the 150 ms budget.",
            "engineering_lead",
            "latency",
            "addressed",
        ),
    ],
)
def test_what_a_sentence_does_to_a_concern(
    said: str, persona: str, issue: str, expected: str
) -> None:
    play = _play()
    play.respond(said)
    assert _concern(play, persona, issue)["state"] == expected
