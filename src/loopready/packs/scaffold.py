"""``loopready packs new``: start a user pack from the bundled template."""

from __future__ import annotations

import re
from pathlib import Path

from loopready.errors import InputError
from loopready.packs.registry import builtin_dir, template_path
from loopready.settings import user_packs_dir

TEMPLATE_ID = "my-company-pm"
TEMPLATE_NAME = "My Company PM loop"
TEMPLATE_COMPANY = "My Company"


def slugify(name: str) -> str:
    """``"Acme Robotics PM"`` -> ``"acme-robotics-pm"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:64]


def new_pack(name: str, folder: Path | None = None, company: str | None = None) -> Path:
    """Write a new pack file named after ``name`` and return its path."""
    pack_id = slugify(name)
    if not pack_id:
        raise InputError(f"cannot make a pack id from {name!r}: use letters or digits")
    if (builtin_dir() / f"{pack_id}.yaml").exists():
        raise InputError(f"{pack_id!r} is a built-in pack id; choose another name")
    target_dir = folder or user_packs_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{pack_id}.yaml"
    if target.exists():
        raise InputError(f"{target} already exists; edit it, or choose another name")
    text = template_path().read_text(encoding="utf-8")
    text = text.replace(TEMPLATE_ID, pack_id).replace(TEMPLATE_NAME, name.strip())
    if company:
        text = text.replace(f"company: {TEMPLATE_COMPANY}", f"company: {company.strip()}")
    target.write_text(text, encoding="utf-8")
    return target


def save_draft(pack_id: str, text: str, folder: Path | None = None) -> Path:
    """Write a drafted pack's YAML as ``<pack id>.yaml``; never over an existing file."""
    if (builtin_dir() / f"{pack_id}.yaml").exists():
        raise InputError(f"{pack_id!r} is a built-in pack id; change the draft's id")
    target_dir = folder or user_packs_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{pack_id}.yaml"
    n = 2
    while target.exists():
        target = target_dir / f"{pack_id}-{n}.yaml"
        n += 1
    if target.stem != pack_id:
        # The file name and the id agree, so the pack loads under the name it is saved as.
        text = text.replace(f"\nid: {pack_id}\n", f"\nid: {target.stem}\n", 1)
    target.write_text(text, encoding="utf-8")
    return target
