"""Content packs: a company's interview loop as validated YAML data."""

from loopready.packs.loader import load_pack_file, parse_pack
from loopready.packs.registry import DEFAULT_PACK_ID, PackEntry, discover, get_pack
from loopready.packs.schema import Criterion, Pack, Prompt, Round

__all__ = [
    "DEFAULT_PACK_ID",
    "Criterion",
    "Pack",
    "PackEntry",
    "Prompt",
    "Round",
    "discover",
    "get_pack",
    "load_pack_file",
    "parse_pack",
]
