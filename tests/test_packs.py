"""Content packs: the Sony contract, validation messages, user packs and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from loopready.cli import cli
from loopready.errors import NotFound, PackError
from loopready.packs import discover, get_pack, load_pack_file, parse_pack
from loopready.packs.registry import builtin_dir, template_path

DATA = Path(__file__).parent / "data" / "packs"
MINIMAL = (DATA / "minimal.yaml").read_text(encoding="utf-8")

SONY_ROUNDS = {
    "recruiter_screen": 30,
    "product_sense": 45,
    "technical_depth": 30,
    "stakeholder_simulation": 60,
    "hiring_committee": 45,
}
SONY_CRITERIA = {
    "recruiter_screen": ["narrative", "motivation", "comp_framing"],
    "product_sense": [
        "scope",
        "success_metrics",
        "business_translation",
        "rollout_plan",
        "stakeholder_framing",
    ],
    "technical_depth": [
        "pipeline_fluency",
        "drift_detection",
        "decision_loop",
        "experimentation",
        "impact_focus",
    ],
    "stakeholder_simulation": [
        "acknowledges_concerns",
        "tradeoff_negotiation",
        "decision_and_ownership",
        "metric_grounding",
        "communication",
    ],
    "hiring_committee": ["narrative_consistency", "cohesive_theme", "impact_evidence"],
}
SONY_BLIND_SPOTS = {
    "metric_dump",
    "jargon_without_outcome",
    "experiments_without_gtm",
    "no_tech_background_excuse",
    "algorithm_over_decision",
    "base_only_negotiation",
    "discloses_current_salary",
    "isolated_rounds",
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the Sony pack's contract ------------------------------------------------------------


def test_sony_rounds_minutes_and_order() -> None:
    pack = get_pack("sony-ai-pm-2026")
    assert [(r.id, r.minutes) for r in pack.rounds] == list(SONY_ROUNDS.items())
    assert [r.kind for r in pack.rounds] == [
        "screen",
        "case",
        "technical",
        "stakeholder",
        "committee",
    ]
    days = [r.day for r in pack.rounds]
    assert days == sorted(days) and days[0] == 0
    assert pack.process.total_days == 28 and days[-1] < 28


def test_sony_criteria_and_blind_spot_ids() -> None:
    pack = get_pack("sony-ai-pm-2026")
    for rnd in pack.rounds:
        assert [c.id for c in rnd.rubric.criteria] == SONY_CRITERIA[rnd.id]
        assert len(rnd.prompts) >= 3
    assert {b.id for b in pack.blind_spots} == SONY_BLIND_SPOTS


def test_sony_pack_has_the_guides_cases_and_both_base_ranges() -> None:
    pack = get_pack("sony-ai-pm-2026")
    product = " ".join(p.question + (p.brief or "") for p in pack.round("product_sense").prompts)
    technical = " ".join(
        p.question + (p.brief or "") for p in pack.round("technical_depth").prompts
    )
    assert "PlayStation Network" in product and "recommend" in product.lower()
    assert "drift" in technical.lower() and "camera" in technical.lower()
    assert pack.compensation is not None
    ranges = {(r.low, r.high) for r in pack.compensation.base}
    assert {(150000, 190000), (155000, 185000)} <= ranges
    labels = [r.label for r in pack.compensation.base]
    assert len(set(labels)) == len(labels)
    assert [p.days for p in pack.prep.phases] == [7, 7, 7, 2]
    assert {p.id for p in pack.personas} >= {
        "research_lead",
        "engineering_lead",
        "marketing_lead",
        "legal_counsel",
    }


def test_every_follow_up_names_a_criterion_of_its_round() -> None:
    pack = get_pack("sony-ai-pm-2026")
    for rnd in pack.all_rounds():
        criteria = {c.id for c in rnd.rubric.criteria}
        for prompt in rnd.prompts:
            for follow in prompt.follow_ups:
                assert follow.criterion in criteria, (rnd.id, prompt.id, follow.id)


def test_packs_show_json_has_five_rounds_and_minutes() -> None:
    code, out, _ = run("packs", "show", "sony-ai-pm-2026", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "sony-ai-pm-2026"
    assert {r["id"]: r["minutes"] for r in data["rounds"]} == SONY_ROUNDS


def test_packs_show_human_output_names_rounds() -> None:
    code, out, _ = run("packs", "show", "sony-ai-pm-2026")
    assert code == 0
    for round_id in SONY_ROUNDS:
        assert round_id in out


def test_unknown_pack_lists_available_ones() -> None:
    with pytest.raises(NotFound) as exc:
        get_pack("acme")
    assert "available packs: sony-ai-pm-2026" in str(exc.value)
    code, _, err = run("packs", "show", "acme")
    assert code == 2
    assert err.strip() == "Error: no pack with id 'acme'; available packs: sony-ai-pm-2026"


# -- validation messages ----------------------------------------------------------------


def problems_of(text: str) -> list[str]:
    with pytest.raises(PackError) as exc:
        parse_pack(text, "p.yaml")
    return exc.value.problems


def test_minimal_pack_is_valid() -> None:
    assert parse_pack(MINIMAL, "p.yaml").id == "tiny-pm"


def test_malformed_yaml() -> None:
    assert problems_of("id: x\nrounds: [a, b\n") == [
        "p.yaml: malformed YAML at line 3, column 1: did not find expected ',' or ']'"
    ]


def test_top_level_must_be_a_mapping() -> None:
    assert problems_of("- just\n- a list\n") == [
        "p.yaml: a pack must be a YAML mapping (key: value pairs) at the top"
    ]


def test_unknown_key_lists_allowed_keys_with_line() -> None:
    text = MINIMAL.replace(
        "    interviewer: {role: Recruiter}", "    interviewr: {role: Recruiter}"
    )
    assert problems_of(text) == [
        "p.yaml: rounds.0.interviewer: required field is missing (line 9)",
        "p.yaml: rounds.0.interviewr: unknown key; allowed keys: id, name, kind, minutes, day, "
        "interviewer, goal, prompts, rubric, personas, red_flags (line 14)",
    ]


def test_follow_up_tied_to_missing_criterion() -> None:
    text = MINIMAL.replace("criterion: motivation", "criterion: motivaton")
    assert problems_of(text) == [
        "p.yaml: rounds.0.prompts.0.follow_ups.0.criterion: unknown criterion 'motivaton' in "
        "round 'screen'; valid criteria: narrative, motivation (line 21)"
    ]


def test_duplicate_ids() -> None:
    text = MINIMAL.replace(
        "- id: why_us",
        "- id: why_us\n            criterion: narrative\n"
        "            question: Again?\n          - id: why_us",
    )
    assert problems_of(text) == [
        "p.yaml: rounds.0.prompts.0.follow_ups.1.id: duplicate follow-up id 'why_us' "
        "(first used at rounds.0.prompts.0.follow_ups.0.id) (line 23)"
    ]


def test_round_minutes_must_be_positive() -> None:
    text = MINIMAL.replace("    minutes: 30", "    minutes: 0")
    assert problems_of(text) == [
        "p.yaml: rounds.0.minutes: input should be greater than 0 (line 12)"
    ]


def test_cross_reference_problems_are_all_listed() -> None:
    text = MINIMAL.replace("  total_days: 5", "  total_days: 5\n  feedback_within_hours: 24")
    text = text.replace("  no_hire_below: 40", "  no_hire_below: 40\n  required_rounds: [onsite]")
    text = text.replace("    tasks:", "    min_days: 4\n      tasks:")
    assert problems_of(text) == [
        "p.yaml: prep.phases.0.min_days: min_days (4) is more than days (3) (line 46)",
        "p.yaml: decision.required_rounds.0: unknown round 'onsite'; valid rounds: screen "
        "(line 56)",
    ]


def test_cli_validate_exit_codes_and_stderr(tmp_path: Path) -> None:
    good = write(tmp_path, MINIMAL, "good.yaml")
    bad = write(tmp_path, MINIMAL.replace("    minutes: 30", "    minutes: -5"), "bad.yaml")
    code, out, _ = run("packs", "validate", str(good))
    assert code == 0 and out.strip() == f"{good}: ok (tiny-pm, 1 rounds)"
    code, out, err = run("packs", "validate", str(good), str(bad))
    assert code == 2
    assert err.strip() == f"{bad}: rounds.0.minutes: input should be greater than 0 (line 12)"
    assert "Traceback" not in out + err


def test_cli_validate_missing_and_non_utf8_files(tmp_path: Path) -> None:
    code, _, err = run("packs", "validate", str(tmp_path / "nope.yaml"))
    assert code == 2 and err.strip() == f"{tmp_path / 'nope.yaml'}: file not found"
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: Café\n".encode("latin-1"))
    code, _, err = run("packs", "validate", str(latin))
    assert code == 2 and err.strip() == f"{latin}: not UTF-8 text (byte 9); save it as UTF-8"


def test_schema_command_prints_json_schema() -> None:
    code, out, _ = run("packs", "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "Pack"
    assert schema["additionalProperties"] is False
    assert "rounds" in schema["required"]


# -- user packs -------------------------------------------------------------------------


def test_template_validates_and_new_pack_scaffolds_a_valid_user_pack(
    loopready_home: Path,
) -> None:
    load_pack_file(template_path())
    code, out, _ = run("packs", "new", "Acme Robotics PM")
    assert code == 0
    path = loopready_home / "packs" / "acme-robotics-pm.yaml"
    assert out.splitlines()[0] == f"Wrote {path}"
    pack = load_pack_file(path)
    assert pack.id == "acme-robotics-pm" and pack.name == "Acme Robotics PM"
    assert get_pack("acme-robotics-pm").id == "acme-robotics-pm"
    code, _, err = run("packs", "new", "Acme Robotics PM")
    assert code == 2
    assert err.strip() == f"Error: {path} already exists; edit it, or choose another name"


def test_user_pack_cannot_replace_a_built_in(loopready_home: Path) -> None:
    user_dir = loopready_home / "packs"
    user_dir.mkdir()
    clash = MINIMAL.replace("id: tiny-pm", "id: sony-ai-pm-2026")
    path = write(user_dir, clash, "mine.yaml")
    entries = {e.path: e for e in discover()}
    assert entries[path].pack is None
    assert entries[path].problems == (
        f"{path}: id: 'sony-ai-pm-2026' is the id of a built-in pack; give your pack another "
        "id (user packs never replace built-in ones)",
    )
    assert get_pack("sony-ai-pm-2026").company != "Tiny Co"


def test_pack_path_option_and_list_json(tmp_path: Path) -> None:
    folder = tmp_path / "extra"
    folder.mkdir()
    write(folder, MINIMAL, "tiny.yaml")
    write(folder, MINIMAL.replace("id: tiny-pm", "id: broken\nbogus: 1"), "broken.yaml")
    code, out, _ = run("packs", "list", "--json", "--pack-path", str(folder))
    assert code == 0
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows["sony-ai-pm-2026"]["origin"] == "built-in"
    assert rows["tiny-pm"]["origin"] == "user" and rows["tiny-pm"]["problems"] == []
    assert rows["broken"]["problems"][0].endswith(
        "bogus: unknown key; allowed keys: id, name, "
        "company, role, version, description, sources, "
        "rounds, extra_rounds, blind_spots, personas, "
        "prep, compensation, process, faq, launches, "
        "decision, draft (line 3)"
    )
    assert get_pack("tiny-pm", [folder]).name == "Tiny PM loop"


def test_builtin_folder_holds_only_valid_packs() -> None:
    for path in builtin_dir().glob("*.yaml"):
        load_pack_file(path)


def test_built_in_pack_names_its_role_the_same_way_everywhere() -> None:
    # The dashboard shows "company · role", the pack list and the plan show the name:
    # one spelling of the role in both, so the pack reads as one loop.
    for entry in discover():
        pack = entry.pack
        if pack is None or entry.origin != "built-in":
            continue
        assert pack.role in pack.name, (pack.name, pack.role)
        assert pack.company in pack.name, (pack.name, pack.company)


PERSONA = """
personas:
  - id: eng
    name: Sam, engineering lead
    role: Engineering lead
    position: The service is not load-tested yet.
    concerns: [Latency]
"""


def test_stakeholder_prompts_must_name_their_panel_and_case_facts() -> None:
    text = MINIMAL.replace("    kind: screen", "    kind: stakeholder") + PERSONA
    # without personas the round is an ordinary interview and needs no panel
    assert parse_pack(MINIMAL.replace("    kind: screen", "    kind: stakeholder"), "p.yaml")
    problems = problems_of(text)
    assert any(
        "rounds.0.prompts.0.panel: stakeholder prompt 'walkthrough' names no panel" in p
        for p in problems
    )
    assert any(
        "rounds.0.prompts.0.case_facts: stakeholder prompt 'walkthrough' has no" in p
        for p in problems
    )
    named = text.replace(
        "        question: Walk me through your background.",
        "        question: Walk me through your background.\n"
        "        panel: [nobody]\n"
        "        case_facts: [The launch is in May.]",
    )
    assert any(
        "rounds.0.prompts.0.panel.0: unknown persona 'nobody'" in p for p in problems_of(named)
    )


def test_every_sony_stakeholder_prompt_has_a_panel_of_its_own() -> None:
    rnd = get_pack("sony-ai-pm-2026").round("stakeholder_simulation")
    panels = [tuple(p.panel) for p in rnd.prompts]
    assert len(panels) == 3 and all(panels) and len(set(panels)) == 3
    assert all(p.case_facts for p in rnd.prompts)
    camera = next(p for p in rnd.prompts if p.id == "ss_camera_privacy")
    assert not set(camera.panel) & {"engineering_lead", "marketing_lead"}  # not the store team
