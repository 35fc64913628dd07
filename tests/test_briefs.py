"""Briefs: the model's errors, every lint rule failing and passing, Markdown round trips."""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from loopready.briefs import (
    RULES,
    Brief,
    BriefError,
    from_form,
    lint,
    lint_document,
    load_brief,
    parse_brief,
    parse_brief_text,
    parse_markdown,
    to_markdown,
    to_yaml,
)
from loopready.briefs.bundled import EXAMPLES, FLAWED, example_path, template_text
from loopready.briefs.markdown import decode, encode
from loopready.errors import InputError

SONY = example_path("sony-ai-pm-2026")
DOCS = Path(__file__).resolve().parents[1] / "docs" / "briefs.md"


def sony() -> dict[str, Any]:
    """The clean example as plain data, a fresh copy each time."""
    data: dict[str, Any] = yaml.safe_load(SONY.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def findings_of(data: dict[str, Any], layout: bool = False) -> list[tuple[str, str]]:
    return [(f.rule, f.location) for f in lint(parse_brief(data), layout=layout)]


# -- the examples -----------------------------------------------------------------------


def test_sony_example_lints_clean_including_the_page_check() -> None:
    doc = load_brief(SONY)
    assert doc.brief.pack == "sony-ai-pm-2026"
    assert lint_document(doc, layout=True) == []


def test_flawed_example_shows_every_rule_the_issue_names() -> None:
    doc = load_brief(FLAWED)
    found = {f.rule for f in lint_document(doc, layout=False)}
    for rule in (
        "too_many_primary_kpis",
        "kpi_without_outcome",
        "model_metric_as_north_star",
        "no_guardrail",
        "rollout_without_criteria",
        "phase_without_date",
        "unfalsifiable_hypothesis",
        "jargon_density",
        "dates_out_of_order",
        "no_stop_rule",
    ):
        assert rule in found, rule


def test_findings_carry_yaml_lines_and_page_order() -> None:
    doc = load_brief(FLAWED)
    findings = lint_document(doc, layout=False)
    lines = FLAWED.read_text(encoding="utf-8").splitlines()
    by_rule = {f.rule: f for f in findings}
    ns = by_rule["model_metric_as_north_star"]
    assert ns.line is not None and lines[ns.line - 1].strip() == "north_star:"
    too_many = by_rule["too_many_primary_kpis"]
    assert too_many.location == "kpis.primary.2"
    assert too_many.line is not None
    assert "Click-through rate" in lines[too_many.line - 1]
    # Page order: the hypothesis before the KPIs before the rollout before the people.
    tops = [f.location.split(".")[0] for f in findings]
    order = ["summary", "hypothesis", "kpis", "rollout", "risks", "stakeholders"]
    ranks = [order.index(t) for t in tops]
    assert ranks == sorted(ranks)


def test_every_finding_has_a_one_sentence_fix_and_a_known_severity() -> None:
    findings = lint_document(load_brief(FLAWED), layout=False)
    findings += lint(parse_brief(yaml.safe_load(template_text("Draft"))), layout=False)
    for f in findings:
        assert f.severity == RULES[f.rule].severity
        assert f.fix.endswith(".") and f.fix[0].isupper(), f
        # One sentence: no full stop followed by a new capitalised sentence.
        assert not re.search(r"[.!?] [A-Z]", f.fix.rstrip(".")), f.fix


def test_new_template_loads_and_lists_what_to_fill_in() -> None:
    brief = parse_brief(yaml.safe_load(template_text('A "quoted" title: yes')))
    assert brief.title == 'A "quoted" title: yes'
    rules = {f.rule for f in lint(brief, layout=False)}
    assert {"hypothesis_missing_part", "north_star_missing", "rollout_missing"} <= rules


# -- every rule fails and passes --------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def apply(d: dict[str, Any]) -> None:
        node: Any = d
        parts = [int(p) if p.isdigit() else p for p in path.split(".")]
        for p in parts[:-1]:
            node = node[p]
        if value is _DELETE:
            del node[parts[-1]]
        else:
            node[parts[-1]] = value

    return apply


def _all(*mutations: Mutation) -> Mutation:
    def apply(d: dict[str, Any]) -> None:
        for m in mutations:
            m(d)

    return apply


def _nothing(d: dict[str, Any]) -> None:
    return None


_DELETE = object()


def _drop_no_go(d: dict[str, Any], keep_from: int) -> None:
    for phase in d["rollout"][:keep_from]:
        phase.pop("no_go", None)


_OPT_OUT = {
    "name": "Opt-out rate",
    "definition": "Owners who switch Keeper Picks off, per week.",
    "baseline": "0%",
    "target": "Below 3%",
    "model_signal": "Share of groups where the owner overrides the keeper",
}
_EXTRA_PRIMARY = {
    "name": "Click-through rate on shared albums",
    "definition": "Opens of a shared album per share.",
    "baseline": "20%",
    "target": "25%",
    "model_signal": "Top-1 agreement",
}

#: rule -> (location it must report, a mutation that breaks it, a near miss that passes).
CASES: dict[str, tuple[str, Mutation, Mutation]] = {
    "placeholder_text": (
        "summary",
        _set("summary", "TODO: say what the feature does."),
        _set("summary", "Keeps your to-do list of photos short; under <5 s a burst."),
    ),
    "summary_missing": ("summary", _set("summary", ""), _set("summary", "Picks the keeper.")),
    "hypothesis_missing_part": (
        "hypothesis.why_now",
        _set("hypothesis.why_now", ""),
        _set("hypothesis.why_now", "On-device scoring became fast enough this year."),
    ),
    "unfalsifiable_hypothesis": (
        "hypothesis.statement",
        _set("hypothesis.statement", "Owners will love it and sharing might go up."),
        _set(
            "hypothesis.statement",
            "Owners with Keeper Picks share 15% more photos than a holdout within 6 weeks.",
        ),
    ),
    "market_size_not_quantified": (
        "hypothesis.size",
        _set("hypothesis.size", "Huge: everyone takes photos."),
        _set("hypothesis.size", "About 2 million owners shoot bursts weekly (assumed)."),
    ),
    "north_star_missing": ("kpis.north_star", _set("kpis.north_star", _DELETE), _nothing),
    "model_metric_as_north_star": (
        "kpis.north_star",
        _all(
            _set("kpis.north_star.name", "NDCG@10 of the keeper ranking"),
            _set("kpis.north_star.definition", "Ranking quality on held-out play sessions."),
        ),
        _set("kpis.north_star.name", "Photos kept and shared per weekly camera user"),
    ),
    "too_many_primary_kpis": (
        "kpis.primary.2",
        lambda d: d["kpis"]["primary"].append(dict(_EXTRA_PRIMARY)),
        lambda d: d["kpis"]["primary"].__setitem__(1, dict(_EXTRA_PRIMARY)),
    ),
    "no_primary_kpi": ("kpis.primary", _set("kpis.primary", []), _nothing),
    "kpi_without_outcome": (
        "kpis.primary.0",
        _all(
            _set("kpis.primary.0.name", "Precision@5 of keeper picks"),
            _set("kpis.primary.0.definition", "Share of the top five picks that are correct."),
        ),
        _set("kpis.primary.0.name", "Keeper keep rate"),
    ),
    "kpi_without_definition": (
        "kpis.primary.0.definition",
        _set("kpis.primary.0.definition", ""),
        _set("kpis.primary.0.definition", "Keepers kept, per keeper suggested."),
    ),
    "kpi_without_baseline_or_target": (
        "kpis.primary.1.baseline",
        _set("kpis.primary.1.baseline", ""),
        _set("kpis.primary.1.baseline", "new: pilot estimate 60%"),
    ),
    "target_not_measurable": (
        "kpis.north_star.target",
        _set("kpis.north_star.target", "Higher than today"),
        _set("kpis.north_star.target", "Higher than today: 3.5 a week"),
    ),
    "kpi_without_model_signal": (
        "kpis.primary.1.model_signal",
        _set("kpis.primary.1.model_signal", ""),
        # Guardrails do not need one.
        _set("kpis.guardrails.0.model_signal", ""),
    ),
    "duplicate_kpi": (
        "kpis.guardrails.3",
        lambda d: d["kpis"]["guardrails"].append(dict(d["kpis"]["primary"][0])),
        lambda d: d["kpis"]["guardrails"].append(
            {**d["kpis"]["primary"][0], "name": "Keeper acceptance rate in low light"}
        ),
    ),
    "no_guardrail": ("kpis.guardrails", _set("kpis.guardrails", []), _nothing),
    "guardrail_not_enforced": (
        "kpis.guardrails.3",
        lambda d: d["kpis"]["guardrails"].append(dict(_OPT_OUT)),
        _all(
            lambda d: d["kpis"]["guardrails"].append(dict(_OPT_OUT)),
            _set("rollout.2.no_go", "Opt-outs above 3% a week turn the feature off by flag."),
        ),
    ),
    "rollout_missing": ("rollout", _set("rollout", []), _nothing),
    "big_bang_launch": (
        "rollout.0",
        lambda d: d.__setitem__("rollout", d["rollout"][-1:]),
        lambda d: d.__setitem__("rollout", d["rollout"][-2:]),
    ),
    "phase_without_date": (
        "rollout.1.start",
        _set("rollout.1.start", _DELETE),
        _set("rollout.1.end", _DELETE),
    ),
    "dates_out_of_order": (
        "rollout.2.start",
        _set("rollout.2.start", "2026-09-15"),
        _set("rollout.2.start", "2026-11-15"),  # overlaps the beta: allowed
    ),
    "phase_without_audience": (
        "rollout.0",
        _all(_set("rollout.0.audience", ""), _set("rollout.0.share", _DELETE)),
        _set("rollout.0.audience", ""),  # the share alone says who
    ),
    "phase_audience_not_increasing": (
        "rollout.2.share",
        _set("rollout.2.share", 5),
        _set("rollout.2.share", 6),
    ),
    "rollout_without_criteria": (
        "rollout.1",
        _all(_set("rollout.1.go", ""), _set("rollout.1.no_go", "")),
        _set("rollout.3.go", ""),  # the last phase needs no go criteria
    ),
    "criteria_not_measurable": (
        "rollout.0.go",
        _set("rollout.0.go", "Staff like it."),
        _set("rollout.0.go", "Nine in ten staff keep it on."),
    ),
    "no_stop_rule": (
        "rollout",
        lambda d: _drop_no_go(d, keep_from=4),
        lambda d: _drop_no_go(d, keep_from=2),
    ),
    "no_risks": ("risks", _set("risks", []), _set("risks", [{"risk": "X", "mitigation": "Y"}])),
    "risk_without_mitigation": (
        "risks.0.mitigation",
        _set("risks.0.mitigation", ""),
        _set("risks.0.owner", ""),
    ),
    "no_stakeholders": ("stakeholders", _set("stakeholders", []), _nothing),
    "stakeholder_without_need": (
        "stakeholders.0.needs",
        _set("stakeholders.0.needs", ""),
        _set("stakeholders.0.needs", "A budget."),
    ),
    "jargon_density": (
        "summary",
        _set(
            "summary",
            "A fine-tuned vision transformer with embeddings and a softmax over the burst.",
        ),
        # The same terms where they belong: in the model-signal column.
        _set(
            "kpis.primary.0.model_signal",
            "Fine-tuned vision transformer: top-1 agreement, softmax calibration, embeddings",
        ),
    ),
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) | {"too_long_for_one_page"} == set(RULES)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fails(rule: str) -> None:
    location, breaks, _ = CASES[rule]
    data = sony()
    breaks(data)
    found = findings_of(data)
    assert (rule, location) in found, found


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_passes(rule: str) -> None:
    _, _, near_miss = CASES[rule]
    data = sony()
    near_miss(data)
    found = findings_of(data)
    assert rule not in {r for r, _ in found}, found


def test_too_long_for_one_page_fails_and_passes() -> None:
    data = sony()
    assert "too_long_for_one_page" not in {r for r, _ in findings_of(data, layout=True)}
    data["risks"] = data["risks"] * 4
    found = [f for f in lint(parse_brief(data)) if f.rule == "too_long_for_one_page"]
    assert len(found) == 1 and found[0].location == "brief"
    assert re.search(r"runs 1\.\d pages .*cut about \d+ words", found[0].message)


def test_unfalsifiable_says_what_is_missing() -> None:
    data = sony()
    data["hypothesis"]["statement"] = "Owners will share 20% more photos than a holdout."
    [f] = [f for f in lint(parse_brief(data), layout=False) if f.rule == "unfalsifiable_hypothesis"]
    assert "no time frame" in f.message and "no number" not in f.message


def test_pipeline_kpi_without_outcome() -> None:
    data = sony()
    data["kpis"]["primary"][1]["name"] = "Model retrains per month"
    data["kpis"]["primary"][1]["definition"] = "How often the ranking model is retrained."
    assert ("kpi_without_outcome", "kpis.primary.1") in findings_of(data)


def test_jargon_spread_over_the_brief_is_reported_once_for_the_brief() -> None:
    data = sony()
    data["hypothesis"]["why_now"] = "Transformers got small enough."
    data["risks"][0]["mitigation"] = "Calibration on a held-out set."
    data["stakeholders"][0]["needs"] = "A quantized model."
    data["rollout"][0]["audience"] = "Staff, to check overfitting."
    found = [loc for rule, loc in findings_of(data) if rule == "jargon_density"]
    assert found == ["brief"]


# -- reading and errors -----------------------------------------------------------------


def _error(text: str) -> str:
    with pytest.raises(InputError) as info:
        parse_brief_text(text, "b.yaml")
    return str(info.value)


def test_unknown_key_names_the_field_suggests_and_gives_the_line() -> None:
    text = "title: X\nkpis:\n  primary:\n    - name: A\n      taget: 5%\n"
    assert _error(text) == (
        "b.yaml: kpis.primary.0.taget: unknown key; did you mean `target`? (allowed keys: "
        "name, definition, baseline, target, model_signal) (line 5)"
    )


def test_bad_values_name_their_fields() -> None:
    text = (
        "title: X\n"
        "rollout:\n"
        "  - name: Beta\n"
        "    start: July 2026\n"
        "    share: 150\n"
        "  - start: 2026-09-01\n"
    )
    assert _error(text).splitlines() == [
        "b.yaml: rollout.0.start: write the date as YYYY-MM-DD, e.g. 2026-09-01 "
        "(got 'July 2026') (line 4)",
        "b.yaml: rollout.0.share: the share is a percentage between 0 and 100 (line 5)",
        "b.yaml: rollout.1.name: required field is missing (line 6)",
    ]


def test_exactly_one_north_star() -> None:
    text = "title: X\nkpis:\n  north_star:\n    - name: A\n    - name: B\n"
    message = _error(text)
    assert message.startswith("b.yaml: kpis.north_star: a brief has exactly one north star")
    assert "not a list of 2" in message and message.endswith("(line 3)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: [unclosed\n", "b.yaml: malformed YAML at line 2, column 1"),
        ("", "b.yaml: the file is empty"),
        ("- a list\n", "b.yaml: (top): a brief must be a mapping"),
        ("product: X\n", "b.yaml: title: required field is missing"),
        ("title: ''\n", "b.yaml: title: must not be empty (line 1)"),
        (
            "title: X\nrisks: a string\n",
            "b.yaml: risks: expected a list (lines starting with -), each",
        ),
        ("title: X\nhypothesis: text\n", "b.yaml: hypothesis: expected a mapping with keys who"),
        ("title: X\npack: Sony Pack\n", "b.yaml: pack: a pack id uses lower-case letters"),
        ("title: true\n", "b.yaml: title: expected text, got True; quote it"),
    ],
)
def test_bad_yaml_errors(text: str, expected: str) -> None:
    assert _error(text).startswith(expected)


def test_values_are_forgiving_where_it_is_safe() -> None:
    brief = parse_brief_text(
        "title: X\nkpis:\n  north_star: {name: N, baseline: 0.31, target: 40}\n"
        "rollout:\n  - {name: Beta, start: '2026-09-01', share: '5%'}\n",
        "b.yaml",
    ).brief
    assert brief.kpis.north_star is not None
    assert (brief.kpis.north_star.baseline, brief.kpis.north_star.target) == ("0.31", "40")
    assert brief.rollout[0].share == 5.0 and brief.rollout[0].start is not None


def test_load_brief_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_brief(tmp_path / "nope.yaml")
    (tmp_path / "latin.yaml").write_bytes(b"title: caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8"):
        load_brief(tmp_path / "latin.yaml")


def test_brief_error_lists_problems_for_the_form() -> None:
    with pytest.raises(BriefError) as info:
        parse_brief({"title": "X", "kpis": {"primary": [{"name": ""}]}}, "form")
    assert [(p.location, p.message) for p in info.value.problems] == [
        ("kpis.primary.0.name", "must not be empty")
    ]


# -- the web form ------------------------------------------------------------------------


def test_from_form_builds_the_nested_brief_and_drops_blank_rows() -> None:
    fields = {
        "title": "Keeper Picks",
        "hypothesis.who": "Burst shooters",
        "kpis.north_star.name": "",
        "kpis.north_star.target": " ",
        "kpis.primary.1.name": "Second",
        "kpis.primary.0.name": "First",
        "kpis.primary.0.target": "70%",
        "kpis.primary.2.name": "",
        "rollout.0.name": "Beta",
        "rollout.0.start": "2026-10-05",
        "rollout.0.share": "5%",
    }
    brief = parse_brief(from_form(fields), "form")
    assert brief.kpis.north_star is None
    assert [k.name for k in brief.kpis.primary] == ["First", "Second"]
    assert brief.kpis.primary[0].target == "70%"
    assert brief.rollout[0].share == 5.0 and str(brief.rollout[0].start) == "2026-10-05"
    # Findings point at the same dotted names the form uses.
    assert ("north_star_missing", "kpis.north_star") in [
        (f.rule, f.location) for f in lint(brief, layout=False)
    ]


def test_from_form_rejects_malformed_keys() -> None:
    with pytest.raises(BriefError):
        from_form({"title": "X", "title.sub": "Y"})
    with pytest.raises(BriefError):
        from_form({"kpis..name": "X"})


# -- round trips ---------------------------------------------------------------------------


def _nasty() -> Brief:
    weird = 'a | b \\ c \\| d <br> &amp; <b>bold</b> *star* _u_ `code` # hash $x$ @ref "q"'
    return parse_brief(
        {
            "title": "# Not a heading | pipe",
            "product": "Xperia ™ — “camera”",
            "author": "Zoë\\",
            "summary": "Line one\nLine two\n\nAfter a blank line\u2028and a separator\x0cform feed",
            "hypothesis": {"who": weird, "statement": "*None yet.*", "size": "---"},
            "kpis": {
                "north_star": {"name": "N|S", "definition": weird, "target": "≥ 5%"},
                "primary": [{"name": "- **Who:** fake bullet", "baseline": "> quote"}],
                "guardrails": [{"name": "_Note:_ not a note", "model_signal": "|"}],
            },
            "rollout": [
                {"name": "Beta | one", "start": "2026-01-31", "share": 0.125, "go": "a\nb"},
                {"name": "GA", "end": "2027-01-01", "share": 33.33333333333333},
            ],
            "risks": [{"risk": "## Not a section", "mitigation": "|||", "owner": "\\"}],
            "stakeholders": [{"who": "Legal & privacy", "needs": "<script>x</script>"}],
            "note": "_Note:_ nested",
        }
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: load_brief(SONY).brief,
        lambda: load_brief(FLAWED).brief,
        _nasty,
        lambda: parse_brief({"title": "Only a title"}),
    ],
    ids=["sony", "flawed", "nasty", "minimal"],
)
def test_markdown_round_trips(make: Callable[[], Brief]) -> None:
    brief = make()
    md = to_markdown(brief)
    assert parse_markdown(md, "b.md") == brief
    assert parse_markdown(to_markdown(parse_markdown(md)), "b.md") == brief


@pytest.mark.parametrize("make", [lambda: load_brief(SONY).brief, _nasty], ids=["sony", "nasty"])
def test_yaml_round_trips(make: Callable[[], Brief]) -> None:
    brief = make()
    assert parse_brief_text(to_yaml(brief)).brief == brief


def test_markdown_round_trips_random_text() -> None:
    rng = random.Random(8)
    alphabet = "ab |\\<>&*_#`-\n\t:é“”—" + "\u2028\x0b"

    def text() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))

    for _ in range(200):
        data = {
            "title": "T" + text(),
            "summary": text(),
            "hypothesis": {"who": text(), "statement": text()},
            "kpis": {"primary": [{"name": "K" + text(), "definition": text()}]},
            "risks": [{"risk": "R" + text(), "mitigation": text()}],
            "note": text(),
        }
        brief = parse_brief(data)
        assert parse_markdown(to_markdown(brief)) == brief, data


def test_encode_is_one_line_and_decodes_exactly() -> None:
    for value in ("a|b", "\\|", "<br>", "&lt;", "x\ny", "\\\\|\\"):
        enc = encode(value)
        assert "\n" not in enc and decode(enc) == value


def test_markdown_is_readable_markdown() -> None:
    md = to_markdown(load_brief(SONY).brief)
    assert "\n# Keeper Picks: the camera chooses your best shot\n" in md
    assert "- **Pack:** sony-ai-pm-2026" in md
    assert "| North star | Photos shared per weekly camera user |" in md
    assert "| Staff dogfood | 2026-09-01 | 2026-09-28 |" in md


def test_markdown_errors_name_the_line() -> None:
    md = to_markdown(load_brief(SONY).brief)
    lines = md.split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("| Primary |"))
    lines[row] = lines[row].replace(" | ", " ", 1)
    with pytest.raises(InputError, match=rf"^b\.md: line {row + 1}: expected 6 cells"):
        parse_markdown("\n".join(lines), "b.md")
    bad_tier = md.replace("| Primary |", "| Secondary |", 1)
    with pytest.raises(InputError, match="unknown tier 'Secondary'"):
        parse_markdown(bad_tier, "b.md")
    two_stars = md.replace("| Primary |", "| North star |", 1)
    with pytest.raises(InputError, match="exactly one north star"):
        parse_markdown(two_stars, "b.md")
    with pytest.raises(InputError, match="unknown section 'Budget'"):
        parse_markdown(md.replace("## Risks", "## Budget"), "b.md")
    with pytest.raises(InputError, match="Start: write the date as YYYY-MM-DD"):
        parse_markdown(md.replace("2026-09-01", "1 Sep"), "b.md")
    with pytest.raises(InputError, match="no `# Title` line"):
        parse_markdown("## Risks\n", "b.md")


def test_markdown_file_loads_by_extension(tmp_path: Path) -> None:
    path = tmp_path / "brief.md"
    path.write_text(to_markdown(load_brief(SONY).brief), encoding="utf-8")
    assert load_brief(path).brief == load_brief(SONY).brief


# -- docs --------------------------------------------------------------------------------


def test_docs_describe_every_rule() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for rule in RULES:
        assert f"`{rule}`" in text, rule


def test_examples_folder_is_named_after_packs() -> None:
    from loopready.packs import get_pack

    for path in EXAMPLES.glob("*.yaml"):
        if path.stem in ("template", "flawed"):
            continue
        brief = load_brief(path).brief
        assert brief.pack == path.stem
        assert get_pack(path.stem).id == path.stem


def test_default_pack_matches_the_pack_registry() -> None:
    from loopready.briefs.bundled import DEFAULT_PACK_ID
    from loopready.packs import DEFAULT_PACK_ID as registry_default

    assert registry_default == DEFAULT_PACK_ID


def test_package_exports_resolve() -> None:
    import loopready.briefs as pkg
    import loopready.briefs.linter as linter

    assert sorted(pkg.__all__) == sorted(pkg._HOME)
    # The function, not a submodule of the same name.
    assert pkg.lint is linter.lint
    for name in pkg.__all__:
        assert getattr(pkg, name) is not None
    with pytest.raises(AttributeError):
        _ = pkg.no_such_name


def test_docs_show_the_linters_real_output_on_the_flawed_example() -> None:
    text = DOCS.read_text(encoding="utf-8")
    block = text.split("<!-- flawed-findings:start -->")[1].split("<!-- flawed-findings:end -->")[0]
    rows = [line for line in block.strip().splitlines()[2:]]
    expected = [
        f"| {f.severity} | `{f.rule}` | `{f.location}` | {f.line or ''} | {f.message} |"
        for f in lint_document(load_brief(FLAWED))
    ]
    assert rows == expected
