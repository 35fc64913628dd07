"""Reading a brief from a file: YAML as written, or Markdown this tool exported.

It sits above both readers (:mod:`loopready.briefs.model` for YAML,
:mod:`loopready.briefs.markdown` for Markdown), so neither imports the other's caller.
"""

from __future__ import annotations

from pathlib import Path

from loopready.briefs.markdown import parse_markdown
from loopready.briefs.model import BriefDocument, parse_brief_text
from loopready.yamlfiles import read_user_file


def load_brief(path: Path | str) -> BriefDocument:
    """Read a brief from a YAML file, or a Markdown file this tool exported."""
    path = Path(path)
    name = str(path)
    text = read_user_file(path, "a brief file (.yaml or .md)")
    if path.suffix.lower() in (".md", ".markdown"):
        return BriefDocument(parse_markdown(text, name), name)
    return parse_brief_text(text, name)
