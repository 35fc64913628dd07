"""Every grading rule against its own examples: answers that show it, near misses that do not.

The examples are data beside the tests (``tests/data/rules/``), one file per rule:

* ``blind_spots/<id>.yaml``: every blind spot of every built-in pack, graded through the
  public grading API (``build_request`` + the local grader) and read back from
  ``blind_spots[].id``, so the examples outlive any rewrite of the detectors. Loop-level
  blind spots (judged across rounds) carry a loop's answers by round and go through the
  debrief's story thread.
* ``signals/<name>.yaml``: every language signal the grader counts, through
  :func:`loopready.grading.signals.analyse`.
* ``semantic/<id>.yaml``: a blind spot a pack declares with no rule of its own, found by
  similarity to its examples (``semantic_pack.yaml``).

A near miss is the negated, the conditional or the safe version of a positive. A positive may
name the words its finding must ``quote``. An example a current detector gets wrong stays in
its file, marked ``xfail: <reason>``; the reason names the issue that fixes it. A rule without
a file fails the meta-tests at the bottom.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from loopready.grading import redflags, signals
from loopready.grading.blindspots import LOOP_LEVEL, RULES
from loopready.grading.service import build_request, grade_request
from loopready.interview.debrief import loop_consistency, story_thread
from loopready.language.sentences import split_sentences
from loopready.packs import get_pack
from loopready.packs.registry import discover
from loopready.settings import user_packs_dir

RULES_DIR = Path(__file__).parent / "data" / "rules"
SPOTS_DIR = RULES_DIR / "blind_spots"
SIGNALS_DIR = RULES_DIR / "signals"
SEMANTIC_DIR = RULES_DIR / "semantic"
SEMANTIC_PACK = RULES_DIR / "semantic_pack.yaml"
#: At least this many of each kind per file: one positive proves little.
MIN_FIRES = 2
MIN_QUIET = 2


@dataclass(frozen=True)
class Example:
    rule: str
    fires: bool
    text: str
    why: str
    xfail: str | None
    settings: dict[str, Any]
    rounds: dict[str, str] | None = None
    quote: str | None = None


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: expected a mapping"
    return data


def _examples(folder: Path) -> list[Example]:
    out: list[Example] = []
    for path in sorted(folder.glob("*.yaml")):
        data = _load(path)
        settings = {k: v for k, v in data.items() if k not in {"fires", "quiet"}}
        for key, fires in (("fires", True), ("quiet", False)):
            for item in data.get(key, []):
                entry = item if isinstance(item, dict) else {"text": item}
                rounds = entry.get("rounds")
                out.append(
                    Example(
                        rule=path.stem,
                        fires=fires,
                        text=entry.get("text", ""),
                        why=entry.get("why", ""),
                        xfail=entry.get("xfail"),
                        settings=settings,
                        rounds=rounds,
                        quote=entry.get("quote"),
                    )
                )
    return out


def _params(examples: list[Example]) -> list[Any]:
    params = []
    for n, ex in enumerate(examples):
        marks = [pytest.mark.xfail(reason=ex.xfail, strict=True)] if ex.xfail else []
        label = f"{ex.rule}-{'fires' if ex.fires else 'quiet'}-{n}"
        params.append(pytest.param(ex, id=label, marks=marks))
    return params


SPOT_EXAMPLES = _examples(SPOTS_DIR)
SIGNAL_EXAMPLES = _examples(SIGNALS_DIR)
SEMANTIC_EXAMPLES = _examples(SEMANTIC_DIR)


def _builtin_spot_ids() -> set[str]:
    return {
        spot.id
        for entry in discover()
        if entry.origin == "built-in" and entry.pack is not None
        for spot in entry.pack.blind_spots
    }


# -- blind spots --------------------------------------------------------------------------


def _graded_spots(answer: str, round_id: str, pack_id: str = "sony-ai-pm-2026") -> list[Any]:
    result = grade_request(build_request(answer, pack_id=pack_id, round_id=round_id))
    return result.blind_spots


def _check_answer(ex: Example, pack_id: str = "sony-ai-pm-2026") -> None:
    spots = _graded_spots(ex.text, ex.settings["round"], pack_id)
    ids = [s.id for s in spots]
    if ex.fires:
        assert ex.rule in ids, f"{ex.rule} should fire ({ex.why}): {ex.text}"
        quote = next(s.evidence for s in spots if s.id == ex.rule)
        assert quote and quote in ex.text, "the finding quotes a sentence of the answer"
        if ex.quote is not None:
            assert ex.quote in quote, f"{ex.rule} should quote {ex.quote!r}, not {quote!r}"
    else:
        assert ex.rule not in ids, f"{ex.rule} should stay quiet ({ex.why}): {ex.text}"


def _check_loop(ex: Example) -> None:
    assert ex.rounds, f"{ex.rule}: a loop-level example needs `rounds`"
    pack = get_pack()
    claims, _ = loop_consistency(pack, ex.rounds.items())
    thread = story_thread(pack, ex.rounds, claims)
    disconnected = not thread.connected
    state = "disconnected" if disconnected else f"connected by {thread.elements}"
    assert disconnected is ex.fires, f"{ex.rule} ({ex.why}): {state}"


@pytest.mark.parametrize("ex", _params(SPOT_EXAMPLES))
def test_blind_spot_example(ex: Example) -> None:
    if ex.settings.get("loop"):
        _check_loop(ex)
    else:
        _check_answer(ex)


@pytest.mark.parametrize("ex", _params(SEMANTIC_EXAMPLES))
def test_pack_blind_spot_without_a_rule_is_found_by_its_examples(ex: Example) -> None:
    folder = user_packs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEMANTIC_PACK, folder / SEMANTIC_PACK.name)
    _check_answer(ex, pack_id="rules-semantic")


# -- signals ------------------------------------------------------------------------------


@pytest.mark.parametrize("ex", _params(SIGNAL_EXAMPLES))
def test_signal_example(ex: Example) -> None:
    sentences = split_sentences(ex.text)
    hits = signals.analyse(sentences).hits[ex.rule]
    if ex.fires:
        assert hits, f"{ex.rule} should fire ({ex.why}): {ex.text}"
        for hit in hits:
            assert hit.quote in ex.text
            assert sentences[hit.sentence_index][hit.start : hit.end]
    else:
        assert hits == [], f"{ex.rule} should stay quiet ({ex.why}): {ex.text}: {hits}"


# -- red flags ----------------------------------------------------------------------------
# A red flag's examples and near misses are pack data (``examples``, ``near_misses`` of each
# round's ``red_flags``), so they are read from every built-in pack rather than copied here.
# Each is graded alone, through the public grading API, in the round that declares the flag.


@dataclass(frozen=True)
class FlagExample:
    pack: str
    round: str
    flag: str
    fires: bool
    text: str


def _builtin_packs() -> list[Any]:
    return [e.pack for e in discover() if e.origin == "built-in" and e.pack is not None]


def _flag_examples() -> list[FlagExample]:
    return [
        FlagExample(pack.id, rnd.id, flag.id, fires, text)
        for pack in _builtin_packs()
        for rnd in pack.rounds
        for flag in rnd.red_flags
        for fires, texts in ((True, flag.examples), (False, flag.near_misses))
        for text in texts
    ]


FLAG_EXAMPLES = _flag_examples()


@pytest.mark.parametrize(
    "ex",
    FLAG_EXAMPLES,
    ids=[
        f"{e.round}-{e.flag}-{'fires' if e.fires else 'quiet'}-{n}"
        for n, e in enumerate(FLAG_EXAMPLES)
    ],
)
def test_red_flag_example(ex: FlagExample) -> None:
    result = grade_request(build_request(ex.text, pack_id=ex.pack, round_id=ex.round))
    ids = [f.id for f in result.red_flags]
    if ex.fires:
        assert ex.flag in ids, f"{ex.round}/{ex.flag} should fire: {ex.text}"
        hit = next(f for f in result.red_flags if f.id == ex.flag)
        assert hit.evidence in ex.text and ex.text[hit.start : hit.end] == hit.evidence
        # A flagged answer is held at 40 at most, and each criterion the flag names at 1.
        assert result.score <= 40.0
        caps = next(f.caps for f in get_pack(ex.pack).round(ex.round).red_flags if f.id == ex.flag)
        assert caps and all(c.score <= 1 for c in result.criteria if c.id in caps)
    else:
        assert ex.flag not in ids, f"{ex.round}/{ex.flag} should stay quiet: {ex.text}: {ids}"


def test_a_red_flag_holds_the_score_below_the_round_bar() -> None:
    pack = get_pack()
    for bar, cap in ((55, 40.0), (50, 40.0), (30, 20.0), (5, 0.0)):
        decision = pack.decision.model_copy(update={"round_bar": bar})
        assert redflags.overall_cap(pack.model_copy(update={"decision": decision})) == cap


def test_red_flags_cap_the_criteria_they_name_in_a_fluent_answer() -> None:
    from test_redflags import HARMFUL  # fluent, with three red flags

    request = build_request(HARMFUL, round_id="product_sense", question_id="ps_psn_recommendations")
    result = grade_request(request)
    assert result.red_flags and result.score <= 40.0
    flags = {f.id: f for f in get_pack().round("product_sense").red_flags}
    capped = {c for hit in result.red_flags for c in flags[hit.id].caps}
    assert capped, "the flags found name criteria to cap"
    for criterion in result.criteria:
        if criterion.id in capped:
            assert criterion.score <= 1, criterion.id
            assert criterion.advice.startswith("Red flag, ")


FLAG_QUIET = [
    (pack.id, rnd.id, entry["text"])
    for pack in _builtin_packs()
    for rnd in pack.rounds
    if rnd.red_flags
    for entry in _load(RULES_DIR / "red_flags.yaml")["quiet"]
]


@pytest.mark.parametrize(("pack_id", "round_id", "text"), FLAG_QUIET)
def test_red_flag_quiet_everywhere(pack_id: str, round_id: str, text: str) -> None:
    result = grade_request(build_request(text, pack_id=pack_id, round_id=round_id))
    assert [f.id for f in result.red_flags] == [], f"no red flag in {round_id}: {text}"


# -- meta: a rule without examples fails ----------------------------------------------------


def _counts(folder: Path) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for path in folder.glob("*.yaml"):
        data = _load(path)
        out[path.stem] = (len(data.get("fires", [])), len(data.get("quiet", [])))
    return out


def test_every_blind_spot_of_a_builtin_pack_has_examples() -> None:
    have = _counts(SPOTS_DIR)
    missing = sorted(_builtin_spot_ids() - set(have))
    assert missing == [], f"add tests/data/rules/blind_spots/<id>.yaml for: {missing}"


def test_every_blind_spot_rule_has_examples() -> None:
    rules = set(RULES) | LOOP_LEVEL
    missing = sorted(rules - set(_counts(SPOTS_DIR)))
    assert missing == [], f"add tests/data/rules/blind_spots/<id>.yaml for: {missing}"


def test_every_signal_has_examples() -> None:
    missing = sorted(set(signals.SIGNALS) - set(_counts(SIGNALS_DIR)))
    assert missing == [], f"add tests/data/rules/signals/<name>.yaml for: {missing}"


def test_every_red_flag_of_a_builtin_pack_has_examples_and_near_misses() -> None:
    thin = [
        f"{pack.id}/{rnd.id}/{flag.id}"
        for pack in _builtin_packs()
        for rnd in pack.rounds
        for flag in rnd.red_flags
        if len(flag.examples) < MIN_FIRES or len(flag.near_misses) < MIN_QUIET
    ]
    assert thin == [], f"each red flag needs {MIN_FIRES}+ examples and near misses: {thin}"
    flagged = {(p.id, r.id, f.id) for p in _builtin_packs() for r in p.rounds for f in r.red_flags}
    assert flagged == {(e.pack, e.round, e.flag) for e in FLAG_EXAMPLES if e.fires}


def test_no_example_file_names_an_unknown_rule() -> None:
    spots = _builtin_spot_ids() | set(RULES) | LOOP_LEVEL
    assert sorted(set(_counts(SPOTS_DIR)) - spots) == []
    assert sorted(set(_counts(SIGNALS_DIR)) - set(signals.SIGNALS)) == []
    semantic = {b["id"] for b in yaml.safe_load(SEMANTIC_PACK.read_text())["blind_spots"]}
    assert set(_counts(SEMANTIC_DIR)) == semantic - LOOP_LEVEL


@pytest.mark.parametrize("folder", [SPOTS_DIR, SIGNALS_DIR, SEMANTIC_DIR], ids=lambda p: p.name)
def test_every_example_file_has_positives_and_near_misses(folder: Path) -> None:
    thin = {
        name: counts
        for name, counts in _counts(folder).items()
        if counts[0] < MIN_FIRES or counts[1] < MIN_QUIET
    }
    assert thin == {}, f"each file needs {MIN_FIRES}+ fires and {MIN_QUIET}+ quiet examples"


def test_an_example_that_is_expected_to_fail_says_why() -> None:
    for ex in SPOT_EXAMPLES + SIGNAL_EXAMPLES + SEMANTIC_EXAMPLES:
        if ex.xfail is not None:
            assert "issue" in ex.xfail, f"{ex.rule}: name the issue that fixes {ex.text!r}"
