"""Carrying a live mock's events to its pages, on this process and on every other.

Each app process keeps one PostgreSQL connection that ``LISTEN``\\s on
:data:`loopready.team.live.CHANNEL`. A notification names a mock, the event's number, the
number of the mock's event before it, and (when it fits) the event itself. Each page of
that mock connected to this process is offered the event once, already rendered: a page
whose last event is the one before sends it on as it is, without reading anything; a page
that is behind (it missed an event, or the event was too large to carry) reads the events
it has not seen from the database, so a notification is never the only copy. A change made
on this process is offered to its own pages at once, without waiting for the round trip.

When the listening connection drops, it is opened again and every page is told to read,
so a notification lost meanwhile costs at most one reconnection delay, never an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict, deque
from typing import TYPE_CHECKING, Any, Final

from loopready.store.engine import backend_name, libpq_conninfo
from loopready.team.live import CHANNEL, read_note

if TYPE_CHECKING:
    from psycopg_pool import AsyncConnectionPool

log = logging.getLogger("loopready.team.bus")

#: Wait before opening the listening connection again after it failed.
RETRY_S: Final = 1.0
#: Connections of the live pool (least, most): typing and the room page, served in the
#: event loop (see :func:`loopready.team.live.type_async` and
#: :func:`loopready.team.auth.current_async`).
POOL_SIZE: Final = (1, 4)
#: Events kept for a page that has not taken them yet; older ones are read back instead.
MAX_OFFERED: Final = 256
#: An offer that means "read the database" (something changed that was not carried).
_READ: Final = (-1, -1, "")


class Waiter(asyncio.Event):
    """A page waiting for a mock's events; ``seen`` is the last number it has sent.

    Events are offered to it from any thread (:meth:`offer`, :meth:`poke`); the page takes
    them in its own loop (:meth:`take`).
    """

    def __init__(self, seen: int = 0) -> None:
        super().__init__()
        self.seen = seen
        self._offered: deque[tuple[int, int, str]] = deque(maxlen=MAX_OFFERED)

    def offer(self, seq: int, prev: int, message: str) -> None:
        self._offered.append((seq, prev, message))

    def poke(self) -> None:
        self._offered.append(_READ)

    def take(self) -> tuple[list[str], bool]:
        """The offered events that follow on from ``seen``, in order (``seen`` moves past
        them), and whether the page must read the database for what may come after."""
        offered = []
        with contextlib.suppress(IndexError):
            while True:
                offered.append(self._offered.popleft())
        ready: list[str] = []
        behind = False
        for seq, prev, message in sorted(offered):
            if seq < 0:
                behind = True
            elif seq <= self.seen:
                continue  # sent already (by this process's own offer, or a read)
            elif prev == self.seen:
                ready.append(message)
                self.seen = seq
            else:
                behind = True  # one is missing before it: the read brings both
        return ready, behind


def _set_all(waiting: dict[Waiter, asyncio.AbstractEventLoop]) -> None:
    try:
        current: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        current = None
    for event, loop in waiting.items():
        if loop is current:
            event.set()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(event.set)


class LiveBus:
    """Per-process registry of waiting pages, fed by ``LISTEN`` (PostgreSQL) or locally."""

    def __init__(self, database_url: str | None) -> None:
        self._url = database_url
        # Each page's event with the loop it waits in: a test client (or an embedding
        # server) may run pages in several loops, and an asyncio.Event is woken in its own.
        self._waiters: dict[str, dict[Waiter, asyncio.AbstractEventLoop]] = defaultdict(dict)
        self._task: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()
        #: Autocommit connections for the hot paths, used without a thread (PostgreSQL
        #: only); see :meth:`pool_here`.
        self.pool: AsyncConnectionPool[Any] | None = None
        self._pool_loop: asyncio.AbstractEventLoop | None = None

    # -- pages ---------------------------------------------------------------------------

    def subscribe(self, mock_id: str, seen: int = 0) -> Waiter:
        event = Waiter(seen)
        self._waiters[mock_id][event] = asyncio.get_running_loop()
        return event

    def unsubscribe(self, mock_id: str, event: Waiter) -> None:
        waiting = self._waiters.get(mock_id)
        if waiting is not None:
            waiting.pop(event, None)
            if not waiting:
                del self._waiters[mock_id]

    def publish(self, mock_id: str, seq: int, prev: int, message: str) -> None:
        """Offer event *seq* of *mock_id* (rendered as *message*) to the mock's pages here."""
        waiting = dict(self._waiters.get(mock_id, {}))
        for event in waiting:
            event.offer(seq, prev, message)
        _set_all(waiting)

    def wake(self, mock_id: str, seq: int | None = None) -> None:
        """Have the pages of *mock_id* read what they have not seen (those that have not
        seen event *seq*, if given)."""
        waiting = {
            event: loop
            for event, loop in self._waiters.get(mock_id, {}).copy().items()
            if seq is None or event.seen < seq
        }
        for event in waiting:
            event.poke()
        _set_all(waiting)

    def wake_all(self) -> None:
        for mock_id in list(self._waiters):
            self.wake(mock_id)

    # -- PostgreSQL ------------------------------------------------------------------------

    async def start(self) -> None:
        if self._url is None or backend_name(self._url) != "postgresql":
            self.listening.set()  # one process: local wake-ups are all there is
            return
        from psycopg_pool import AsyncConnectionPool

        self.pool = AsyncConnectionPool(
            self._conninfo(),
            min_size=POOL_SIZE[0],
            max_size=POOL_SIZE[1],
            open=False,
            name="loopready-live",
            kwargs={"application_name": "loopready-live", "autocommit": True},
        )
        await self.pool.open()
        self._pool_loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._listen_forever())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        if self.pool is not None:
            await self.pool.close()
            self.pool = None
            self._pool_loop = None

    def pool_here(self) -> AsyncConnectionPool[Any] | None:
        """The live pool, if there is one and it serves the running event loop (its
        connections work only there; a test client may run a page in another loop)."""
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            return None
        return self.pool if here is self._pool_loop else None

    def _conninfo(self) -> str:
        assert self._url is not None
        return libpq_conninfo(self._url)

    async def _listen_forever(self) -> None:
        from loopready.store.team_repo import listening

        while True:
            try:
                async with listening(self._conninfo(), CHANNEL) as notes:
                    self.listening.set()
                    self.wake_all()  # catch up on anything sent while not listening
                    async for payload in notes:
                        mock_id, seq, prev, message = read_note(payload)
                        if seq is not None and prev is not None and message is not None:
                            self.publish(mock_id, seq, prev, message)
                        else:  # too large to carry: the pages read it
                            self.wake(mock_id, seq)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the server restarted, the network dropped...
                self.listening.clear()
                log.warning("live updates: listening connection lost (%s); retrying", error)
                await asyncio.sleep(RETRY_S)
