"""A cache key for a pack, for the embedded example banks built from it.

The exemplar, red-flag and off-topic banks are embedded once per pack and round and kept in
``functools.lru_cache``; a :class:`~loopready.packs.schema.Pack` is not hashable, so the caches
key on this wrapper instead.
"""

from __future__ import annotations

from loopready.packs.schema import Pack


class PackKey:
    """Hashable by the pack's identity and content version, so a cache never goes stale."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._key = (pack.id, pack.version, id(pack))

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PackKey) and other._key == self._key
