"""The briefs that ship with loopready: the `new` template and the examples.

Examples are named after the pack they belong to (``examples/<pack-id>.yaml``), so the
Sony pack's example brief is ``examples/sony-ai-pm-2026.yaml``; ``flawed.yaml`` is the
deliberately bad brief the docs use to show the linter.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from loopready.errors import NotFound

#: The pack whose example ``brief new --example`` writes by default. Equal to
#: ``loopready.packs.DEFAULT_PACK_ID`` (a test checks), kept here so that writing a
#: template does not load the pack schema.
DEFAULT_PACK_ID: Final = "sony-ai-pm-2026"

EXAMPLES: Final = Path(__file__).with_name("examples")
TEMPLATE: Final = EXAMPLES / "template.yaml"
FLAWED: Final = EXAMPLES / "flawed.yaml"


def example_packs() -> list[str]:
    """Pack ids that have an example brief."""
    return sorted(p.stem for p in EXAMPLES.glob("*.yaml") if p not in (TEMPLATE, FLAWED))


def example_path(pack_id: str) -> Path:
    """The example brief for ``pack_id``; :class:`NotFound` naming the ones that exist."""
    path = EXAMPLES / f"{pack_id}.yaml"
    if pack_id in example_packs():
        return path
    raise NotFound(
        f"no example brief for pack {pack_id!r}; examples exist for: {', '.join(example_packs())}"
    )


def template_text(title: str, pack_id: str | None = None) -> str:
    """The commented template for ``brief new``, with the title (and pack) filled in."""
    text = TEMPLATE.read_text(encoding="utf-8")
    # JSON strings are valid YAML double-quoted scalars, so any title is safe here.
    text = text.replace("title: TITLE       ", f"title: {json.dumps(title, ensure_ascii=False)}", 1)
    if pack_id is not None:
        text = text.replace("pack: sony-ai-pm-2026", f"pack: {pack_id}", 1)
    return text


def title_from_path(path: Path) -> str:
    """``keeper-picks.yaml`` -> ``Keeper picks``."""
    words = path.stem.replace("_", " ").replace("-", " ").split()
    if not words:
        return "Untitled brief"
    text = " ".join(words)
    return text[0].upper() + text[1:]
