"""Red flags, salary blind spots in any phrasing, off-topic answers and rules named by packs.

The grader runs for real (MiniLM ships with the package); assertions are on whether a
flag fires and on bounds of the score, never on exact model numbers.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from loopready.cli import cli
from loopready.grading import blindspots, redflags, signals
from loopready.grading.base import GradeResult
from loopready.grading.local import analyse_answer
from loopready.grading.service import build_request, grade_request
from loopready.language import numbers
from loopready.language.sentences import split_sentences
from loopready.packs import DEFAULT_PACK_ID, get_pack, parse_pack
from loopready.packs.checks import check_pack
from loopready.packs.schema import Pack

PACK = get_pack(DEFAULT_PACK_ID)
TEMPLATE = Path(__file__).parent.parent / "src" / "loopready" / "packs" / "data" / "template.yaml"

#: The issue's harmful answer: fluent, and with three red flags.
HARMFUL = (
    "I would scope the first version to a 'play next' row on the PS5 home screen for adults "
    "with real play history. The number I'd steer by is how many recommended games are "
    "still being played a week later, because that is what renews PlayStation Plus, with "
    "refunds as a guardrail. We roll it out to every PlayStation Network player worldwide "
    "on launch day, with no test. Legal can review after launch if anyone complains. We "
    "also feed child accounts into the model, since younger players are a big share of "
    "the audience. Studios get a monthly report of how often their games were shown."
)


def grade(answer: str, round_id: str, question_id: str | None = None) -> GradeResult:
    return grade_request(build_request(answer, round_id=round_id, question_id=question_id))


def flags_in(round_id: str, sentence: str) -> set[str]:
    """The red flags the detector finds in one sentence of a round."""
    sentences = split_sentences(sentence)
    m = analyse_answer(PACK, round_id, sentence)
    found = redflags.detect(
        m.round, sentences, m.vectors, m.analysis, redflags.flag_bank(PACK, round_id)
    )
    return {f.id for f in found}


# -- the Sony pack's red flags on their own examples ------------------------------------------

CASES = [
    (rnd.id, flag.id, sentence, True)
    for rnd in PACK.rounds
    if rnd.red_flags and rnd.id == "product_sense"
    for flag in rnd.red_flags
    for sentence in flag.examples
] + [
    (rnd.id, flag.id, sentence, False)
    for rnd in PACK.rounds
    if rnd.red_flags and rnd.id == "product_sense"
    for flag in rnd.red_flags
    for sentence in flag.near_misses
]


def test_the_sony_pack_has_the_issues_ten_red_flags() -> None:
    for round_id in ("product_sense", "technical_depth", "stakeholder_simulation"):
        ids = {f.id for f in PACK.round(round_id).red_flags}
        assert len(ids) >= 10, round_id
        for flag in PACK.round(round_id).red_flags:
            assert len(flag.examples) >= 3 and len(flag.near_misses) >= 3
            assert flag.caps and flag.why and flag.better


@pytest.mark.parametrize(
    ("round_id", "flag_id", "sentence", "fires"),
    CASES,
    ids=[f"{c[1]}-{'ex' if c[3] else 'near'}-{i}" for i, c in enumerate(CASES)],
)
def test_each_red_flag_fires_on_its_examples_and_not_its_near_misses(
    round_id: str, flag_id: str, sentence: str, fires: bool
) -> None:
    assert (flag_id in flags_in(round_id, sentence)) is fires


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("We will not launch without a holdout.", False),
        ("It goes to every player worldwide at once, with no test.", True),
        ("Nothing ships to players until the privacy review has signed off.", False),
        ("Privacy can look at it after release; we won't wait for them.", True),
        # Data that needs consent, fed to the model in plain words, and kept out of it.
        ("To improve cold start we will feed child accounts' play history into the model.", True),
        ("We would train on players' private messages to learn their taste.", True),
        ("Child accounts' play history stays out of the model.", False),
        (
            "We will not feed child accounts' history into the model without parental consent.",
            False,
        ),
    ],
)
def test_negation_and_condition_are_read(sentence: str, fires: bool) -> None:
    assert bool(flags_in("product_sense", sentence)) is fires


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        # "Everyone" or "early" answered by a stage, a met bar or a safeguard kept in place.
        ("I'd ship it to all PS5 players after four clean weeks on ten percent.", False),
        (
            "It goes live for everybody on launch day only if the beta met every guardrail.",
            False,
        ),
        (
            "The older version stays installed on every phone, so the fallback is a server switch.",
            False,
        ),
        ("Monitoring starts on day one, and alerts go to the ML on-call.", False),
        (
            "We release to the whole fleet only after the new model wins on the decision metric.",
            False,
        ),
        # Everyday words that only sound careless: a hope, a trade-off with its price, a proof
        # denied, an owner asked before the date.
        (
            "I hope to see the test group convert better, but the launch waits for the numbers.",
            False,
        ),
        ("A one percent drop in battery life is acceptable if photos kept rise by three.", False),
        ("Engineering will have to confirm the estimate before I give marketing a date.", False),
        ("The experiment proves nothing until it has run for two full weeks.", False),
        ("I'll ask the serving team how they'll hit 150 ms before we set any date.", False),
        ("We plan for March as a target, and engineering confirms it after the estimate.", False),
        ("Older phones regress, which is acceptable if the overall accuracy is up.", True),
        ("Tell marketing we'll deliver by November 14; engineering confirms it afterwards.", True),
        ("I hope nothing breaks, because there's no rollback.", True),
        # ... but a stage does not answer a skipped test, a deleted fallback or consent.
        ("After the beta we ship it to everyone and skip the holdout.", True),
        (
            "Once the pilot is done we delete the old model, so there is nothing to roll back to.",
            True,
        ),
        ("We feed child accounts' play history into the model once the pilot is over.", True),
        ("Legal can review after the beta, once it's already live for everyone.", True),
    ],
)
def test_a_stage_a_kept_safeguard_or_an_owner_asked_answers_a_cue(
    sentence: str, fires: bool
) -> None:
    assert bool(flags_in("product_sense", sentence)) is fires


def test_guard_cues() -> None:
    assert redflags.guarded("We will not launch without a holdout.")
    assert redflags.guarded("Only once the held-back group shows a lift do we widen it.")
    assert not redflags.guarded("We launch to everyone with no test.")
    assert redflags.dismissive("We launch to everyone with no test.")
    assert not redflags.dismissive("I wouldn't brush off research's concern.")


# -- a harmful answer, graded -----------------------------------------------------------------


def test_a_fluent_answer_with_red_flags_is_capped_and_quoted() -> None:
    result = grade(HARMFUL, "product_sense", "ps_psn_recommendations")
    assert result.score <= 45
    ids = {f.id for f in result.red_flags}
    assert {"launch_without_holdout", "review_after_launch", "data_without_consent"} <= ids
    for flag in result.red_flags:
        assert HARMFUL[flag.start : flag.end] == flag.evidence
        assert flag.why and flag.better
    # The flagged sentences are never evidence, and the capped criteria are at most 1.
    quoted = {q for c in result.criteria for q in c.evidence}
    assert not quoted & {f.evidence for f in result.red_flags}
    rollout = next(c for c in result.criteria if c.id == "rollout_plan")
    assert rollout.score <= redflags.CRITERION_CAP
    assert "Red flag" in rollout.advice


def test_the_safe_version_of_the_same_answer_has_no_red_flag() -> None:
    safe = (
        HARMFUL.replace(
            "We roll it out to every PlayStation Network player worldwide on launch day, "
            "with no test.",
            "We will not launch to everyone without a holdout: five percent of players get "
            "it first, against a group that keeps the old row.",
        )
        .replace(
            "Legal can review after launch if anyone complains.",
            "Legal signs off on using play history before the staff test.",
        )
        .replace(
            "We also feed child accounts into the model, since younger players are a big "
            "share of the audience.",
            "Child accounts stay out of the first version because of consent.",
        )
    )
    result = grade(safe, "product_sense", "ps_psn_recommendations")
    assert result.red_flags == []


def test_flagged_sentences_are_never_positive_evidence_over_the_labelled_set() -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    import judgment

    rows = [r for r in judgment.load_all() if r.get("kind") in {"harmful", "disclosure"}]
    assert len(rows) >= 30
    for row in rows:
        result = grade(row["answer"], row["round"], row["question"])
        shown = {f.evidence for f in result.red_flags} | {b.evidence for b in result.blind_spots}
        for c in result.criteria:
            assert not set(c.evidence) & shown, (row["id"], c.id)


# -- salary blind spots in any phrasing -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I currently make one hundred fifty-five thousand in base salary", 155_000),
        ("160k plus a ten percent bonus", 160_000),
        ("a hundred and sixty thousand", 160_000),
        ("about two hundred total", 200_000),
        ("172 thousand base right now", 172_000),
        ("my base salary is 165,000 dollars", 165_000),
        ("I am on one sixty plus bonus", 160_000),
    ],
)
def test_money_in_words_and_shorthand(text: str, value: float) -> None:
    assert [a.value for a in numbers.money(numbers.normalise(text))] == [value]


def test_percentages_years_and_durations_are_not_money() -> None:
    text = numbers.normalise("In 2024 I grew revenue ten percent over 18 months for 200 people")
    assert numbers.money(text) == []


def _spots(text: str) -> set[str]:
    sentences = split_sentences(text)
    analysis = signals.analyse(sentences)
    found = set()
    if blindspots.RULES["discloses_current_salary"](sentences, analysis) is not None:
        found.add("discloses_current_salary")
    if blindspots.RULES["base_only_negotiation"](sentences, analysis) is not None:
        found.add("base_only_negotiation")
    return found


@pytest.mark.parametrize(
    "text",
    [
        "I currently make one hundred fifty-five thousand in base salary.",
        "Right now I'm at 160k plus a ten percent bonus.",
        "My base salary is 165,000 dollars.",
        "I'm at 172 thousand base right now.",
        "These days I earn a hundred and sixty, all in.",
        "What I make today is about two hundred total.",
    ],
)
def test_current_salary_is_flagged_in_any_phrasing(text: str) -> None:
    assert "discloses_current_salary" in _spots(text)


@pytest.mark.parametrize(
    "text",
    [
        "Base is the main thing for me.",
        "I need 190 base. The bonus counts as zero in my math.",
        "I want a higher base; stock is noise.",
        "Equity is lottery tickets to me, so let's talk base.",
    ],
)
def test_base_only_asks_are_flagged_when_the_rest_is_dismissed(text: str) -> None:
    assert "base_only_negotiation" in _spots(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd rather not share my current salary; my target is 230 to 250 total.",
        "I'm looking for about 220 total across base, bonus and equity.",
        "I'm aiming for 180k base plus a meaningful equity grant.",
    ],
)
def test_total_package_asks_are_not_flagged(text: str) -> None:
    assert _spots(text) == set()


def test_salary_examples_from_the_cli_are_flagged(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "I currently make one hundred fifty-five thousand in base salary. "
        "Base is the main thing for me, and equity is lottery tickets to me.",
        encoding="utf-8",
    )
    out = CliRunner().invoke(
        cli, ["grade", "--round", "recruiter_screen", "--question", "rs_comp_expectations",
               "--json", str(path)]
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    spots = {b["id"]: b for b in data["blind_spots"]}
    assert {"discloses_current_salary", "base_only_negotiation"} <= set(spots)
    comp = next(c for c in data["criteria"] if c["id"] == "comp_framing")
    assert spots["discloses_current_salary"]["evidence"] not in comp["evidence"]


# -- off topic ----------------------------------------------------------------------------------

CAMERA = (
    "I'd design the camera assistant for parents who photograph their children and pets and "
    "keep getting blurry shots. It runs on the phone, picks the sharpest frame from a burst "
    "and suggests night mode when the scene is dark. I'd judge it by the share of photos "
    "people keep a week later instead of deleting. It goes first to ten percent of new "
    "Xperia owners in Japan, against a group without it, and widens if the keep rate rises "
    "by three points. Photos never leave the device."
)


def test_an_answer_to_another_question_is_said_to_be_off_topic() -> None:
    result = grade(CAMERA, "product_sense", "ps_psn_recommendations")
    assert result.off_topic is True
    assert result.score <= 30
    assert result.message is not None and "Xperia" in result.message
    assert result.to_json_dict()["off_topic"] is True


def test_the_same_answer_to_its_own_question_is_on_topic() -> None:
    result = grade(CAMERA, "product_sense", "ps_xperia_camera_assistant")
    assert result.off_topic is False


# -- the CLI and the reports show red flags first -----------------------------------------------


def test_cli_report_shows_red_flags_first(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(HARMFUL, encoding="utf-8")
    runner = CliRunner()
    args = ["grade", "--round", "product_sense", "--question", "ps_psn_recommendations"]
    out = runner.invoke(cli, [*args, str(path)])
    assert out.exit_code == 0, out.output
    text = out.output
    assert "Red flag" in text and "Why it sinks the answer" in text and "Better:" in text
    assert text.index("Red flag") < text.index("criterion")
    data = json.loads(runner.invoke(cli, [*args, "--json", str(path)]).output)
    assert data["score"] <= 45 and data["red_flags"] and data["off_topic"] is False
    flag = data["red_flags"][0]
    assert HARMFUL[flag["start"] : flag["end"]] == flag["evidence"]


@pytest.fixture
def db(loopready_home: Path) -> Iterator[object]:
    from loopready.store import open_db

    with open_db() as database:
        yield database


def test_web_and_file_reports_show_red_flags_first(db: object) -> None:
    from loopready.interview import sessions
    from loopready.interview.reports import build_report, render
    from loopready.web import create_app
    from loopready.web.testing import PageClient

    view = sessions.start(db, PACK, "product_sense", prompt_id="ps_psn_recommendations",
                          scripted=True)  # type: ignore[arg-type]  # fmt: skip
    run = sessions.run_scripted(db, view, [HARMFUL])  # type: ignore[arg-type]
    report = build_report(db, run.view.id)  # type: ignore[arg-type]
    assert report.red_flags and report.score <= 45
    md = render(report, "md")
    assert md.index("## Red flags") < md.index("## Scores by criterion")
    html = render(report, "html")
    assert html.index("Red flags") < html.index("Scores by criterion")
    assert json.loads(render(report, "json"))["red_flags"][0]["why"]
    with PageClient(create_app(db)) as client:  # type: ignore[arg-type]
        page = client.page(f"/reports/{run.view.id}")
    assert page.status_code == 200
    assert page.text.index("Red flags") < page.text.index("What the interviewer scores")
    assert "Why it sinks the answer" in page.text


# -- a new company's pack works without code changes -------------------------------------------


def _new_pack() -> Pack:
    data = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    data["id"] = "acme-robotics-pm"
    rnd = next(r for r in data["rounds"] if r["id"] == "product_case")
    rnd["red_flags"].append(
        {
            "id": "robots_near_people_untested",
            "name": "Robots sent among people before a safety test",
            "why": "An untested robot near people can injure someone.",
            "better": "Run the safety test in a closed space first, and gate each site on it.",
            "caps": ["rollout_plan"],
            "examples": [
                "We put the new robots on the shop floor next to workers before any safety trial.",
                "Skip the safety certification; the robots go straight into busy warehouses.",
                "The arms will work beside staff from day one and we'll test safety later.",
            ],
            "near_misses": [
                "No robot works near people until the safety trial has passed.",
                "The robots run in a fenced area first, and join staff only after certification.",
                "Putting untested robots beside workers would be reckless; the trial comes first.",
            ],
        }
    )
    data["blind_spots"].append(
        {
            "id": "blames_the_hardware",
            "name": "Blames the hardware",
            "description": "Puts every failure down to the hardware team.",
            "examples": [
                "Honestly every delay we had was the hardware team's fault.",
                "The hardware people always let us down, so nothing shipped on time.",
                "If the motors had been better, the product would have worked.",
            ],
            "near_misses": [
                "The hardware slipped, and I changed the plan so the software could ship first.",
            ],
            "better": "Own the outcome: say what you changed when the hardware slipped.",
        }
    )
    return parse_pack(yaml.safe_dump(data), "acme.yaml")


def test_a_new_pack_from_the_template_gets_red_flags_and_blind_spots() -> None:
    pack = _new_pack()
    assert check_pack(pack) == []
    answer = (
        "I'd pick one warehouse client and measure picks per hour per robot. "
        "To move fast, the new robots go straight onto the busy floor beside the pickers, "
        "and we skip the safety trial. "
        "Honestly every delay on my last project was the hardware team's fault."
    )
    request = build_request(answer)
    request.pack, request.round_id = pack, "product_case"
    result = grade_request(request)
    assert "robots_near_people_untested" in {f.id for f in result.red_flags}
    assert "blames_the_hardware" in {b.id for b in result.blind_spots}
    assert result.score <= redflags.overall_cap(pack)


def test_pack_checks_red_flag_caps_and_counts() -> None:
    data = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    flag = data["rounds"][1]["red_flags"][0]
    flag["caps"] = ["no_such_criterion"]
    flag["near_misses"] = flag["near_misses"][:1]
    problems = check_pack(Pack.model_validate(data))
    messages = [m for _, m in problems]
    assert any("unknown criterion 'no_such_criterion'" in m for m in messages)
    assert any("has 1 near-misses; write at least 3" in m for m in messages)


def test_web_report_says_off_topic(db: object) -> None:
    from loopready.interview import sessions
    from loopready.web import create_app
    from loopready.web.testing import PageClient

    view = sessions.start(db, PACK, "product_sense", prompt_id="ps_psn_recommendations",
                          scripted=True)  # type: ignore[arg-type]  # fmt: skip
    run = sessions.run_scripted(db, view, [CAMERA])  # type: ignore[arg-type]
    with PageClient(create_app(db)) as client:  # type: ignore[arg-type]
        page = client.page(f"/reports/{run.view.id}")
    assert page.status_code == 200
    assert "Off topic." in page.text and "Xperia" in page.text
    assert page.text.index("Off topic.") < page.text.index("What the interviewer scores")
