"""Briefs out: the one-page PDF (pages counted), overflow advice, HTML, and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typst
import yaml
from click.testing import CliRunner

from loopready.briefs import (
    Brief,
    TooLong,
    load_brief,
    measure,
    parse_brief,
    render_html,
    render_pdf,
    render_png,
    typst_source,
)
from loopready.briefs.bundled import FLAWED, example_path
from loopready.briefs.pdf import typst_string
from loopready.cli import cli

SONY = example_path("sony-ai-pm-2026")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF, counted from its page objects (independent of our own query)."""
    return len(_PAGE.findall(pdf))


def sony() -> Brief:
    return load_brief(SONY).brief


def long_brief(copies: int = 4) -> Brief:
    data: dict[str, Any] = yaml.safe_load(SONY.read_text(encoding="utf-8"))
    data["risks"] = data["risks"] * copies
    return parse_brief(data)


# -- PDF ---------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["us-letter", "a4"])
def test_example_pdf_has_exactly_one_page(paper: str) -> None:
    pdf = render_pdf(sony(), paper)  # type: ignore[arg-type]
    assert pdf.startswith(b"%PDF-")
    assert pdf_pages(pdf) == 1
    assert len(render_png(sony(), paper, ppi=20)) == 1  # type: ignore[arg-type]


def test_page_counter_counts_more_than_one_page() -> None:
    pdf = render_pdf(long_brief(), allow_overflow=True)
    assert pdf_pages(pdf) == 2


def test_too_long_says_by_how_much_and_where_instead_of_shrinking() -> None:
    brief = long_brief()
    with pytest.raises(TooLong) as info:
        render_pdf(brief)
    message = str(info.value)
    layout = info.value.layout
    assert 1.0 < layout.pages < 2.0
    assert re.match(r"the brief runs 1\.\d pages on us-letter paper: cut about \d+0 words", message)
    assert "the risks (" in message and "--allow-overflow" in message


def test_the_cut_estimate_is_close_to_what_actually_fits() -> None:
    brief = long_brief(copies=3)
    estimate = measure(brief).cut_words
    # Remove risks one at a time until it fits, counting the words removed.
    removed = 0
    while not measure(brief).fits:
        gone = brief.risks.pop()
        removed += len(f"{gone.risk} {gone.mitigation} {gone.owner}".split())
    assert removed / 2 <= estimate <= removed * 2, (estimate, removed)


def test_text_size_is_fixed_whatever_the_length() -> None:
    assert "size: 9.5pt" in typst_source(sony()) and "size: 9.5pt" in typst_source(long_brief())


def test_user_text_is_never_typst_markup() -> None:
    nasty = (
        '#set text(red) ]) } $x^2$ *bold* _em_ <label> @ref `raw` "quote" \\ back\\slash '
        '// not a comment /* nor this */ = heading\n- list #import "x.typ"'
    )
    brief = parse_brief(
        {"title": nasty, "summary": nasty, "risks": [{"risk": nasty, "mitigation": nasty}]}
    )
    source = typst_source(brief)
    # The text arrives in Typst as the exact string, not as markup...
    found = typst.query(source.encode(), "<brief-data>", field="value", one=True)
    data = json.loads(found)
    assert data["title"] == brief.title
    assert data["risks"][0]["mitigation"] == brief.risks[0].mitigation
    # ...and the document compiles.
    assert pdf_pages(render_pdf(brief)) == 1


def test_typst_string_escapes_only_what_strings_need() -> None:
    assert typst_string('a"b\\c\nd\te\x01') == '"a\\"b\\\\c\\nd\\te\\u{1}"'
    assert typst_string("#$*_<@") == '"#$*_<@"'


def test_measure_reports_each_section() -> None:
    layout = measure(sony())
    assert layout.fits and 0.5 < layout.pages <= 1.0
    assert [s.key for s in layout.sections] == [
        "header",
        "hypothesis",
        "kpis",
        "rollout",
        "risks",
        "stakeholders",
    ]
    assert all(s.height > 0 and s.words > 0 for s in layout.sections)
    assert layout.advice() == ""


# -- HTML --------------------------------------------------------------------------------


def test_html_preview_escapes_text_and_marks_fields() -> None:
    brief = parse_brief(
        {
            "title": "<script>alert(1)</script>",
            "summary": "line one\nline <b>two</b>",
            "kpis": {"primary": [{"name": "A & B"}]},
            "rollout": [{"name": "Beta", "start": "2026-10-05", "end": "2026-11-29", "share": 5}],
        }
    )
    html = render_html(brief)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "line one<br>line &lt;b&gt;two&lt;/b&gt;" in html
    assert "A &amp; B" in html
    assert 'data-field="kpis.primary.0"' in html and 'data-field="rollout.0"' in html
    assert "5 Oct – 29 Nov 2026" in html and "5% of eligible users" in html


def test_html_preview_of_the_example_has_every_section() -> None:
    html = render_html(sony())
    for heading in ("Market hypothesis", "KPI hierarchy", "Rollout timeline", "Risks"):
        assert f"<h2>{heading}</h2>" in html
    assert html.count('class="lr-tier-guardrail"') == 3


# -- CLI ---------------------------------------------------------------------------------


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_new_writes_a_template_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "keeper-picks.yaml"
    result = run("brief", "new", str(path))
    assert result.exit_code == 0, result.output
    assert load_brief(path).brief.title == "Keeper picks"
    path.write_text("title: mine\n", encoding="utf-8")
    result = run("brief", "new", str(path))
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {path} already exists; choose another name or add --force to replace it"
    )
    assert path.read_text(encoding="utf-8") == "title: mine\n"
    assert run("brief", "new", "--example", "--force", str(path)).exit_code == 0
    assert load_brief(path).brief == sony()


def test_cli_new_unknown_pack(tmp_path: Path) -> None:
    result = run("brief", "new", "--example", "--pack", "acme", str(tmp_path / "b.yaml"))
    assert result.exit_code == 2
    assert "no example brief for pack 'acme'; examples exist for: sony-ai-pm-2026" in result.output


def test_cli_lint_clean_exits_0(tmp_path: Path) -> None:
    result = run("brief", "lint", str(SONY))
    assert result.exit_code == 0
    assert "no findings" in result.output


def test_cli_lint_json_shape_and_exit_1() -> None:
    result = run("brief", "lint", str(FLAWED), "--json", "--no-layout")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert list(payload) == ["findings"]
    first = payload["findings"][0]
    assert {"rule", "severity", "location", "message"} <= set(first)
    assert set(first) == {"rule", "severity", "location", "message", "fix", "line"}
    rules = {f["rule"] for f in payload["findings"]}
    assert "too_many_primary_kpis" in rules
    [f] = [f for f in payload["findings"] if f["rule"] == "too_many_primary_kpis"]
    assert f["severity"] == "error" and f["location"] == "kpis.primary.2"


def test_cli_lint_table(tmp_path: Path) -> None:
    result = run("brief", "lint", str(FLAWED), "--no-layout")
    assert result.exit_code == 1
    assert "model_metric_as_north_star" in result.output
    assert re.search(r"flawed\.yaml: \d+ errors, \d+ warnings, \d+ notes?\.", result.output)


def test_cli_lint_warnings_only_exit_0_unless_strict(tmp_path: Path) -> None:
    data: dict[str, Any] = yaml.safe_load(SONY.read_text(encoding="utf-8"))
    data["summary"] = ""
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert run("brief", "lint", str(path), "--no-layout").exit_code == 0
    assert run("brief", "lint", str(path), "--no-layout", "--strict").exit_code == 1


def test_cli_lint_bad_yaml_exits_2_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text("title: X\nkpis:\n  north_star:\n    name: A\n    goal: 5%\n", encoding="utf-8")
    result = run("brief", "lint", str(path))
    assert result.exit_code == 2
    assert result.output.startswith(
        f"Error: {path}: kpis.north_star.goal: unknown key (allowed keys: name, definition, "
        "baseline, target, model_signal) (line 5)"
    )


def test_cli_export_pdf_next_to_the_file(tmp_path: Path) -> None:
    src = tmp_path / "sony.yaml"
    src.write_text(SONY.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("brief", "export", str(src), "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert pdf_pages((tmp_path / "sony.pdf").read_bytes()) == 1
    # Re-exporting a PDF replaces it.
    assert run("brief", "export", str(src), "--format", "pdf").exit_code == 0


def test_cli_export_markdown_round_trips_through_the_cli(tmp_path: Path) -> None:
    src = tmp_path / "sony.yaml"
    src.write_text(SONY.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("brief", "export", str(src), "--format", "md").exit_code == 0
    md = tmp_path / "sony.md"
    assert load_brief(md).brief == sony()
    # The Markdown is itself a brief file: lint and export read it.
    assert run("brief", "lint", str(md), "--no-layout").exit_code == 0
    out = tmp_path / "again.yaml"
    assert run("brief", "export", str(md), "--format", "yaml", "-o", str(out)).exit_code == 0
    assert load_brief(out).brief == sony()
    # An existing Markdown file may hold edits: not replaced without --force.
    result = run("brief", "export", str(src), "--format", "md")
    assert result.exit_code == 2 and "already exists; add --force" in result.output
    assert run("brief", "export", str(src), "--format", "md", "--force").exit_code == 0


def test_cli_export_to_stdout(tmp_path: Path) -> None:
    result = run("brief", "export", str(SONY), "--format", "md", "-o", "-")
    assert result.exit_code == 0
    assert result.output.startswith("<!-- loopready brief")
    result = run("brief", "export", str(SONY), "--format", "pdf", "-o", "-")
    assert result.exit_code == 2 and "give -o FILE.pdf" in result.output


def test_cli_export_never_overwrites_the_brief_itself(tmp_path: Path) -> None:
    src = tmp_path / "b.yaml"
    src.write_text(SONY.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("brief", "export", str(src), "--format", "yaml", "--force")
    assert result.exit_code == 2 and "is the brief itself" in result.output


def test_cli_export_overflow(tmp_path: Path) -> None:
    data: dict[str, Any] = yaml.safe_load(SONY.read_text(encoding="utf-8"))
    data["risks"] = data["risks"] * 4
    src = tmp_path / "long.yaml"
    src.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("brief", "export", str(src), "--format", "pdf")
    assert result.exit_code == 2
    assert re.match(
        r"Error: the brief runs 1\.\d pages on us-letter paper: cut about", result.output
    )
    assert not (tmp_path / "long.pdf").exists()
    result = run("brief", "export", str(src), "--format", "pdf", "--allow-overflow")
    assert result.exit_code == 0
    assert pdf_pages((tmp_path / "long.pdf").read_bytes()) == 2


def test_cli_help_ends_with_examples() -> None:
    for cmd in ("new", "lint", "export"):
        result = run("brief", cmd, "--help")
        assert result.exit_code == 0
        assert f"loopready brief {cmd} " in result.output.strip().splitlines()[-1] or (
            f"loopready brief {cmd}" in result.output
        )
