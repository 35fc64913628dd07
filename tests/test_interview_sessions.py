"""Loops and mock sessions on a real SQLite database: schedule, rotation, autosave, resume."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from loopready.errors import InputError, NotFound
from loopready.interview import loops, sessions
from loopready.interview.roleplay import DECISION_CALL
from loopready.packs import get_pack
from loopready.packs.schema import Pack
from loopready.store import Database, open_db


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The data folder's SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        with open_db() as database:
            yield database
        return
    import pg

    with pg.fresh_database(pg.server_url()) as url:
        monkeypatch.setenv("LOOPREADY_DATABASE_URL", url)
        with open_db(url) as database:
            yield database


@pytest.fixture
def pack() -> Pack:
    return get_pack("sony-ai-pm-2026")


# -- loops ------------------------------------------------------------------------------------


def test_default_schedule_follows_the_pack_offsets(db: Database, pack: Pack) -> None:
    start = date(2026, 3, 2)
    loop = loops.new_loop(db, pack, start=start)
    status = loops.loop_status(db, loop.id)
    assert [(r.round.id, r.when) for r in status.rounds] == [
        (r.id, start + timedelta(days=r.day)) for r in pack.rounds
    ]
    assert status.rounds[-1].when == date(2026, 3, 29)  # day 27 of the 28-day loop
    assert not any(r.real_date for r in status.rounds)
    assert status.next_round is not None and status.next_round.round.id == "recruiter_screen"


def test_real_dates_override_the_schedule_and_anchor_the_start(db: Database, pack: Pack) -> None:
    dates = loops.parse_round_dates(
        pack, ["product_sense=2026-04-10", "technical_depth=2026-04-15T14:30+01:00"]
    )
    loop = loops.new_loop(db, pack, round_dates=dates)
    assert loop.start_date == date(2026, 4, 3)  # product_sense is day 7
    status = loops.loop_status(db, loop.id)
    by_id = {r.round.id: r for r in status.rounds}
    assert by_id["product_sense"].when == date(2026, 4, 10) and by_id["product_sense"].real_date
    assert by_id["technical_depth"].when == date(2026, 4, 15)
    assert by_id["recruiter_screen"].when == date(2026, 4, 3)
    assert not by_id["recruiter_screen"].real_date


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("product_sense", "ROUND=DATE"),
        ("coffee_chat=2026-04-10", "no round 'coffee_chat'"),
        ("product_sense=next tuesday", "not a date"),
    ],
)
def test_bad_round_dates_say_how_to_fix_them(pack: Pack, item: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        loops.parse_round_dates(pack, [item])


def test_ids_resolve_by_prefix_and_last(db: Database, pack: Pack) -> None:
    first = loops.new_loop(db, pack, start=date(2026, 1, 1))
    second = loops.new_loop(db, pack, start=date(2026, 2, 1))
    assert loops.loop_status(db, first.id[:8]).loop_id == first.id
    assert loops.loop_status(db, "last").loop_id == second.id
    with pytest.raises(InputError, match="at least 6"):
        loops.loop_status(db, first.id[:3])
    with pytest.raises(NotFound, match="loopready loop list"):
        loops.loop_status(db, "ffffffff")
    with pytest.raises(InputError, match="not a loop id"):
        loops.loop_status(db, "hello!")


# -- sessions ---------------------------------------------------------------------------------


def test_prompts_rotate_without_repeats_until_they_run_out(db: Database, pack: Pack) -> None:
    rnd = pack.round("technical_depth")
    seen = []
    for _ in range(len(rnd.prompts)):
        view = sessions.start(db, pack, rnd.id)
        seen.append(view.prompt.id)
        sessions.abandon(db, view.id)
    assert sorted(seen) == sorted(p.id for p in rnd.prompts)
    assert seen == [p.id for p in rnd.prompts]
    # once every prompt is used, the rotation starts again from the least practised
    assert sessions.start(db, pack, rnd.id).prompt.id == rnd.prompts[0].id


def test_a_prompt_can_be_asked_for_even_when_practised(db: Database, pack: Pack) -> None:
    first = sessions.start(db, pack, "product_sense")
    again = sessions.start(db, pack, "product_sense", prompt_id=first.prompt.id)
    assert again.prompt.id == first.prompt.id
    with pytest.raises(InputError, match="its prompts: ps_psn_recommendations"):
        sessions.start(db, pack, "product_sense", prompt_id="nope")
    with pytest.raises(InputError, match="valid rounds"):
        sessions.start(db, pack, "lunch")


def test_a_session_opens_its_first_turn_with_the_question(db: Database, pack: Pack) -> None:
    loop = loops.new_loop(db, pack)
    view = sessions.start(db, pack, "product_sense", loop_id=loop.id)
    assert view.mode == "interview" and view.stage == "answer"
    assert view.time_limit_s == 45 * 60
    current = view.current
    assert current is not None and current.seq == 0 and current.kind == "answer"
    assert current.prompt_text == view.prompt.question
    assert loops.loop_status(db, loop.id).rounds[1].in_progress == view.id


def test_autosave_keeps_every_word_and_the_time_spent(db: Database, pack: Pack) -> None:
    view = sessions.start(db, pack, "technical_depth")
    sessions.autosave(db, view.id, 0, "First I would separate", active_s=12.34)
    sessions.autosave(db, view.id, 0, "First I would separate inputs from quality.\n", active_s=30)
    resumed = sessions.load(db, view.id[:8])
    assert resumed.current is not None
    assert resumed.current.text == "First I would separate inputs from quality.\n"
    assert resumed.current.revision == 3  # created empty, then saved twice
    assert resumed.active_s == 30.0
    assert sessions.find_in_progress(db, pack.id, "technical_depth", None) == view.id


def test_autosave_refuses_a_finished_session(db: Database, pack: Pack) -> None:
    view = sessions.start(db, pack, "technical_depth")
    sessions.abandon(db, view.id)
    with pytest.raises(InputError, match="session is over"):
        sessions.autosave(db, view.id, 0, "late words")
    assert sessions.find_in_progress(db, pack.id, "technical_depth", None) is None


def test_the_role_play_opens_with_the_personas(db: Database, pack: Pack) -> None:
    view = sessions.start(db, pack, "stakeholder_simulation")
    assert view.mode == "roleplay"
    speakers = [t.speaker for t in view.turns if not t.by_candidate]
    assert speakers == ["research_lead", "engineering_lead", "marketing_lead", "legal_counsel"]
    assert view.current is not None and view.current.seq == 4


def test_role_play_exchanges_are_stored_as_turns(db: Database, pack: Pack) -> None:
    view = sessions.start(db, pack, "stakeholder_simulation")
    view = sessions.submit(db, view, "We launch everywhere in November for the holiday.")
    assert view.stage == "exchange"
    new = view.turns_after(4)
    assert {t.speaker for t in new} <= {
        "engineering_lead",
        "legal_counsel",
        "marketing_lead",
        "research_lead",
        "panel",
    }
    assert any("privacy review" in t.text for t in new)  # legal objects to the date
    assert view.current is not None and view.current.kind == "candidate"
    # the candidate decides now: the open turn becomes the decision turn
    view = sessions.decide_now(db, view)
    assert view.stage == "decision"
    assert view.current is not None and view.current.kind == "close"
    assert view.current.prompt_text == DECISION_CALL
    # replaying the stored turns reproduces the panel's state
    state = sessions.roleplay_state(view)
    assert "consent" in state.outcome().personas[3]["pushbacks"]


def test_a_stale_copy_cannot_hand_in_a_turn_twice(db: Database, pack: Pack) -> None:
    view = sessions.start(db, pack, "stakeholder_simulation")
    sessions.submit(db, view, "We launch everywhere in November.")
    with pytest.raises(InputError, match="already handed in elsewhere"):
        sessions.submit(db, view, "A second window's words.")  # the old copy of the session
    with pytest.raises(InputError, match="already handed in elsewhere"):
        sessions.autosave(db, view.id, 4, "Typing in the old window.")
    fresh = sessions.load(db, view.id)
    assert [t.text for t in fresh.candidate_turns] == ["We launch everywhere in November.", ""]
