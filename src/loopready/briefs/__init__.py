"""One-page product briefs: the model, the linter, and Markdown, PDF and HTML output.

The interview guide's prep step is a one-page brief for a hypothetical AI feature with a
market hypothesis, a KPI hierarchy and a rollout timeline. This package reads one
(YAML, exported Markdown, or a web form), lints it like a PM coach, and exports it::

    doc = load_brief("brief.yaml")            # BriefDocument(brief, source, yaml root)
    findings = lint_document(doc)             # [Finding(rule, severity, location, ...)]
    to_markdown(doc.brief); render_pdf(doc.brief); render_html(doc.brief)

Names are imported on first use, so writing a template does not load the grader's
detectors and reading a brief does not load Typst.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loopready.briefs.files import load_brief
    from loopready.briefs.html import render_html
    from loopready.briefs.linter import RULES, Finding, Rule, lint, lint_document
    from loopready.briefs.markdown import parse_markdown, to_markdown
    from loopready.briefs.model import (
        Brief,
        BriefDocument,
        BriefError,
        Hypothesis,
        Kpi,
        Kpis,
        Phase,
        Problem,
        Risk,
        Stakeholder,
        from_form,
        parse_brief,
        parse_brief_text,
        to_yaml,
    )
    from loopready.briefs.pdf import (
        Layout,
        TooLong,
        measure,
        render_pdf,
        render_png,
        typst_source,
    )

_HOME: dict[str, str] = {
    "render_html": "html",
    "load_brief": "files",
    **dict.fromkeys(("RULES", "Finding", "Rule", "lint", "lint_document"), "linter"),
    **dict.fromkeys(("parse_markdown", "to_markdown"), "markdown"),
    **dict.fromkeys(
        (
            "Brief",
            "BriefDocument",
            "BriefError",
            "Hypothesis",
            "Kpi",
            "Kpis",
            "Phase",
            "Problem",
            "Risk",
            "Stakeholder",
            "from_form",
            "parse_brief",
            "parse_brief_text",
            "to_yaml",
        ),
        "model",
    ),
    **dict.fromkeys(
        ("Layout", "TooLong", "measure", "render_pdf", "render_png", "typst_source"), "pdf"
    ),
}

__all__ = [
    "RULES",
    "Brief",
    "BriefDocument",
    "BriefError",
    "Finding",
    "Hypothesis",
    "Kpi",
    "Kpis",
    "Layout",
    "Phase",
    "Problem",
    "Risk",
    "Rule",
    "Stakeholder",
    "TooLong",
    "from_form",
    "lint",
    "lint_document",
    "load_brief",
    "measure",
    "parse_brief",
    "parse_brief_text",
    "parse_markdown",
    "render_html",
    "render_pdf",
    "render_png",
    "to_markdown",
    "to_yaml",
    "typst_source",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'loopready.briefs' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"loopready.briefs.{module}"), name)
    globals()[name] = value
    return value
