"""``loopready brief``: write, lint and export a one-page product brief."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from loopready.errors import InputError

if TYPE_CHECKING:
    from loopready.briefs.linter import Finding, Severity
    from loopready.briefs.model import Brief
    from loopready.briefs.pdf import Paper

FORMATS = ("md", "pdf", "yaml")


def _write(path: Path, data: bytes) -> None:
    """Write atomically: a crash mid-write never leaves half a file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        mode = path.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.group()
def brief() -> None:
    """One-page product brief: a market hypothesis, a KPI hierarchy and a rollout.

    Write the brief as YAML, lint it like a PM coach would, and export it to
    Markdown or a one-page PDF to bring to the loop.

    \b
        loopready brief new keeper-picks.yaml
        loopready brief lint keeper-picks.yaml
        loopready brief export keeper-picks.yaml --format pdf
    """


@brief.command("new")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Write a finished example brief instead.")
@click.option(
    "--pack",
    "pack_id",
    default=None,
    metavar="PACK",
    help="The interview pack the brief is for (default: sony-ai-pm-2026).",
)
@click.option("--title", default=None, help="The brief's title (default: from the file name).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def new(file: Path, example: bool, pack_id: str | None, title: str | None, force: bool) -> None:
    """Write a commented brief template (or a finished example) to FILE.

    The template leaves every field blank with a comment saying what goes in
    it; `--example` writes the pack's example brief, which lints clean.

    \b
        loopready brief new keeper-picks.yaml
        loopready brief new --example sony-example.yaml
    """
    from loopready.briefs.bundled import (
        DEFAULT_PACK_ID,
        example_path,
        template_text,
        title_from_path,
    )

    if file.exists() and not force:
        raise InputError(f"{file} already exists; choose another name or add --force to replace it")
    if example:
        text = example_path(pack_id or DEFAULT_PACK_ID).read_text(encoding="utf-8")
    else:
        text = template_text(title or title_from_path(file), pack_id or DEFAULT_PACK_ID)
    _write(file, text.encode("utf-8"))
    what = "example brief" if example else "brief template"
    click.echo(f"Wrote the {what} to {file}. Next: loopready brief lint {file}")


@brief.command("lint")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option(
    "--no-layout",
    is_flag=True,
    help="Skip typesetting the PDF to check it fits one page (faster).",
)
def lint_cmd(file: Path, as_json: bool, strict: bool, no_layout: bool) -> None:
    """Check a brief (YAML or exported Markdown) the way a PM coach would.

    Each finding has a rule, a severity (error, warning, info), a location
    (a dotted path such as kpis.primary.2, counted from 0) and a one-sentence
    fix. Exit status: 0 when there are no errors, 1 when there is at least one
    error (with --strict, warnings count too), 2 when the file cannot be read.
    `--json` prints {"findings": [{"rule", "severity", "location", "message",
    "fix", "line"}]}.

    \b
        loopready brief lint keeper-picks.yaml --json
    """
    from loopready.briefs.files import load_brief
    from loopready.briefs.linter import counts, lint_document

    doc = load_brief(file)
    findings = lint_document(doc, layout=not no_layout)
    tally = counts(findings)
    failed = tally["error"] > 0 or (strict and tally["warning"] > 0)
    if as_json:
        payload = {"findings": [f.to_dict() for f in findings]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        _print_findings(str(file), findings, tally)
    click.get_current_context().exit(1 if failed else 0)


def _print_findings(name: str, findings: list[Finding], tally: dict[Severity, int]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    if not findings:
        console.print(f"[green]{name}: no findings.[/green] It is ready to export.", soft_wrap=True)
        return
    styles = {"error": "bold red", "warning": "yellow", "info": "cyan"}
    table = Table(box=box.SIMPLE_HEAD, expand=False)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Where", overflow="fold", max_width=28)
    table.add_column("Finding and fix", ratio=1)
    for f in findings:
        where = f.location + (f"\n[dim]line {f.line}[/dim]" if f.line else "")
        table.add_row(
            f"[{styles[f.severity]}]{f.severity}[/]",
            where,
            f"[dim]{f.rule}[/dim]\n{f.message}\n[dim]Fix:[/dim] {f.fix}",
        )
    console.print(table)
    parts = [f"{tally[s]} {s}{'s' if tally[s] != 1 else ''}" for s in ("error", "warning")]
    notes = tally["info"]
    parts.append(f"{notes} note{'s' if notes != 1 else ''}")
    console.print(f"{name}: " + ", ".join(parts) + ".", soft_wrap=True)


@brief.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="md (reads back with lint and export), pdf (one page), or yaml.",
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write; default: next to FILE with the format's extension; - for stdout "
    "(md and yaml).",
)
@click.option(
    "--paper",
    type=click.Choice(["us-letter", "a4"]),
    default="us-letter",
    show_default=True,
    help="PDF paper size.",
)
@click.option(
    "--allow-overflow",
    is_flag=True,
    help="Write the PDF even if it runs past one page.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing .md or .yaml output.")
def export(
    file: Path,
    fmt: str,
    out: Path | None,
    paper: str,
    allow_overflow: bool,
    force: bool,
) -> None:
    """Export a brief to Markdown, a one-page PDF, or YAML.

    The PDF keeps a readable text size: when the brief runs past one page,
    nothing is written and the error says by how much and where to cut
    (or pass --allow-overflow). An existing PDF is replaced; an existing
    .md or .yaml is not, unless --force, since you may have edited it.

    \b
        loopready brief export keeper-picks.yaml --format pdf
        loopready brief export keeper-picks.yaml --format md -o brief.md
    """
    from loopready.briefs.files import load_brief

    doc = load_brief(file)
    if out is not None and str(out) == "-":
        if fmt == "pdf":
            raise InputError("a PDF cannot go to the terminal; give -o FILE.pdf")
        click.echo(_render_text(doc.brief, fmt), nl=False)
        return
    target = out or file.with_suffix(f".{fmt}")
    if target.resolve() == file.resolve():
        raise InputError(f"{target} is the brief itself; give another -o OUT")
    if fmt == "pdf":
        from loopready.briefs.pdf import measure, render_pdf

        data = render_pdf(doc.brief, cast("Paper", paper), allow_overflow=allow_overflow)
        if allow_overflow:
            layout = measure(doc.brief, cast("Paper", paper))
            if not layout.fits:
                click.echo(f"Warning: {layout.advice()}", err=True)
    else:
        if target.exists() and not force:
            raise InputError(f"{target} already exists; add --force to replace it or give -o OUT")
        data = _render_text(doc.brief, fmt).encode("utf-8")
    _write(target, data)
    click.echo(f"Wrote {target}")


def _render_text(doc_brief: Brief, fmt: str) -> str:
    from loopready.briefs.markdown import to_markdown
    from loopready.briefs.model import to_yaml

    return to_markdown(doc_brief) if fmt == "md" else to_yaml(doc_brief)
