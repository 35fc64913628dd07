"""The company research worksheet: launches from the pack, the candidate's metric and why."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from loopready.cli import COMMANDS, cli
from loopready.errors import InputError, NotFound
from loopready.packs import get_pack
from loopready.packs.schema import Launch, Pack, Prompt
from loopready.prep.research import (
    clear_research,
    related_launches,
    research_items,
    research_progress,
    set_research,
)
from loopready.store import Database, open_db

SONY = "sony-ai-pm-2026"
LAUNCHES = ["playstation_ai_assist", "xperia_camera_ai", "psn_store_recommendations"]


@pytest.fixture
def db() -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def pack() -> Pack:
    return get_pack(SONY)


@pytest.fixture(autouse=True)
def research_command(monkeypatch: pytest.MonkeyPatch) -> None:
    # Registered the way cli/__init__.py registers every command; a no-op once it is there.
    monkeypatch.setitem(COMMANDS, "research", "loopready.cli.research:research")


def test_the_worksheet_lists_the_packs_launches_in_order_with_empty_notes(
    db: Database, pack: Pack
) -> None:
    items = research_items(db, pack)
    assert [i.launch.id for i in items] == LAUNCHES
    assert all(i.metric == "" and i.why == "" and not i.done for i in items)
    assert items[1].launch.candidate_metrics  # the pack seeds metrics worth considering
    assert research_progress(items) == (0, 3)


def test_set_keeps_what_is_not_given_and_clear_forgets(db: Database, pack: Pack) -> None:
    item = set_research(db, pack, "xperia_camera_ai", metric="  Share of photos kept  ")
    assert (item.metric, item.why, item.done) == ("Share of photos kept", "", True)
    item = set_research(db, pack, "xperia_camera_ai", why="A kept photo means the AI helped.")
    assert (item.metric, item.why) == ("Share of photos kept", "A kept photo means the AI helped.")
    set_research(db, pack, "playstation_ai_assist", why="Players who stay are the point.")
    items = {i.launch.id: i for i in research_items(db, pack)}
    assert items["xperia_camera_ai"].done and items["xperia_camera_ai"].updated_at is not None
    assert not items["playstation_ai_assist"].done  # a reason alone is not a chosen metric
    assert research_progress(list(items.values())) == (1, 3)

    assert clear_research(db, pack, "xperia_camera_ai") is True
    assert clear_research(db, pack, "xperia_camera_ai") is False
    assert research_progress(research_items(db, pack)) == (0, 3)


def test_notes_belong_to_their_pack(db: Database, pack: Pack) -> None:
    other = pack.model_copy(update={"id": "other-pack"})
    set_research(db, pack, "xperia_camera_ai", metric="Photos kept")
    assert all(not i.done for i in research_items(db, other))
    assert research_progress(research_items(db, pack)) == (1, 3)


def test_bad_input_is_refused_with_what_to_do(db: Database, pack: Pack) -> None:
    with pytest.raises(NotFound, match=r"No launch 'walkman' in sony-ai-pm-2026; launches: "):
        set_research(db, pack, "walkman", metric="x")
    with pytest.raises(InputError, match="Give the metric, the reason, or both"):
        set_research(db, pack, "xperia_camera_ai")
    with pytest.raises(InputError, match="keep it under 2,000"):
        set_research(db, pack, "xperia_camera_ai", metric="x" * 2001)
    assert research_progress(research_items(db, pack)) == (0, 3)


def test_prompts_are_linked_to_the_launch_they_are_about(pack: Pack) -> None:
    prompts = {p.id: p for r in pack.all_rounds() for p in r.prompts}

    def linked(prompt_id: str) -> list[str]:
        return [launch.id for launch in related_launches(pack, prompts[prompt_id])]

    assert linked("ps_psn_recommendations") == ["psn_store_recommendations"]
    assert linked("ps_xperia_camera_assistant") == ["xperia_camera_ai"]
    assert linked("ps_playstation_ai_assist") == ["playstation_ai_assist"]
    assert linked("ss_camera_privacy") == ["xperia_camera_ai"]
    assert linked("rs_why_sony") == []


def test_related_launches_takes_the_best_match_and_shares_a_tie() -> None:
    pack = get_pack(SONY).model_copy(
        update={
            "launches": [
                Launch(id="walkman_dj", name="Walkman DJ", product="Walkman", summary="s"),
                Launch(id="bravia_upscale", name="Bravia upscaling", product="Bravia", summary="s"),
            ]
        }
    )
    both = Prompt(id="p", question="Compare what Walkman and Bravia owners expect.")
    one = Prompt(id="q", question="How would you measure the DJ on Walkman players?")
    none = Prompt(id="r", question="Why this role?")
    assert [x.id for x in related_launches(pack, one)] == ["walkman_dj"]
    assert [x.id for x in related_launches(pack, both)] == ["walkman_dj", "bravia_upscale"]
    assert related_launches(pack, none) == []


# --- CLI ------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_show_set_and_json() -> None:
    code, out, err = run("research", "show")
    assert code == 0, err
    assert "Research worksheet: Sony" in out and "(0 of 3 done)" in out
    assert "PlayStation AI-assist" in out and "not chosen yet" in out
    assert "Next: loopready research set playstation_ai_assist" in out

    code, out, err = run(
        "research",
        "set",
        "xperia_camera_ai",
        "--metric",
        "Share of photos kept",
    )
    assert code == 0, err
    assert out.splitlines() == [
        "Saved your research on Xperia camera AI (1 of 3 launches done).",
        'Now say why it comes first: loopready research set xperia_camera_ai --why "..."',
    ]
    code, out, _ = run("research", "set", "xperia_camera_ai", "--why", "Kept photos = quality")
    assert code == 0 and len(out.splitlines()) == 1

    code, out, _ = run("research", "show", "--json")
    data = json.loads(out)
    assert (data["pack"], data["done"], data["total"]) == (SONY, 1, 3)
    xperia = next(row for row in data["launches"] if row["launch_id"] == "xperia_camera_ai")
    assert (xperia["metric"], xperia["why"]) == ("Share of photos kept", "Kept photos = quality")

    code, out, _ = run("research", "clear", "xperia_camera_ai")
    assert (code, out.strip()) == (0, "Cleared.")
    assert json.loads(run("research", "show", "--json")[1])["done"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("set", "walkman", "--metric", "x"),
            "Error: No launch 'walkman' in sony-ai-pm-2026; launches: playstation_ai_assist, "
            "xperia_camera_ai, psn_store_recommendations.",
        ),
        (
            ("set", "xperia_camera_ai"),
            "Error: Give the metric, the reason, or both, e.g. --metric '...' --why '...'.",
        ),
        (
            ("show", "--pack", "nope"),
            None,
        ),
    ],
)
def test_cli_errors_are_one_line(args: tuple[str, ...], message: str | None) -> None:
    code, _out, err = run("research", *args)
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    if message is not None:
        assert lines[0] == message


def test_cli_help_ends_with_an_example() -> None:
    for command in ("show", "set", "clear"):
        code, out, _ = run("research", command, "--help")
        assert code == 0 and "loopready research " + command in out
