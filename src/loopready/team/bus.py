"""Waking the pages of a live mock when it changes, on this process and on every other.

Each app process keeps one PostgreSQL connection that ``LISTEN``\\s on
:data:`loopready.team.live.CHANNEL`. A notification names a mock; every page of that
mock connected to this process is woken and reads the events it has not seen from the
database (the notification carries no data, so it is never the only copy). A change made
on this process wakes its own pages at once, without waiting for the round trip.

When the listening connection drops, it is opened again and every page is woken, so a
notification lost meanwhile costs at most one reconnection delay, never an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from typing import Final

from sqlalchemy import make_url

from loopready.team.live import CHANNEL

log = logging.getLogger("loopready.team.bus")

#: Wait before opening the listening connection again after it failed.
RETRY_S: Final = 1.0


class Waiter(asyncio.Event):
    """A page waiting for a mock's events; ``seen`` is the last number it has sent."""

    def __init__(self, seen: int = 0) -> None:
        super().__init__()
        self.seen = seen


def _set_all(waiting: dict[Waiter, asyncio.AbstractEventLoop], seq: int | None = None) -> None:
    try:
        current: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        current = None
    for event, loop in waiting.items():
        if seq is not None and event.seen >= seq:
            continue  # it has this event already (sent by the process that made it)
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

    def wake(self, mock_id: str, seq: int | None = None) -> None:
        """Wake the pages of *mock_id* (those that have not seen event *seq*, if given)."""
        _set_all(dict(self._waiters.get(mock_id, {})), seq)

    def wake_all(self) -> None:
        for waiting in list(self._waiters.values()):
            _set_all(dict(waiting))

    # -- PostgreSQL ------------------------------------------------------------------------

    async def start(self) -> None:
        if self._url is None or make_url(self._url).get_backend_name() != "postgresql":
            self.listening.set()  # one process: local wake-ups are all there is
            return
        self._task = asyncio.create_task(self._listen_forever())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    def _conninfo(self) -> str:
        assert self._url is not None
        url = make_url(self._url).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    async def _listen_forever(self) -> None:
        import psycopg

        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(self._conninfo(), autocommit=True)
                async with conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    self.wake_all()  # catch up on anything sent while not listening
                    async for note in conn.notifies():
                        mock_id, _, seq = note.payload.partition(":")
                        self.wake(mock_id, int(seq) if seq.isdigit() else None)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the server restarted, the network dropped...
                self.listening.clear()
                log.warning("live updates: listening connection lost (%s); retrying", error)
                await asyncio.sleep(RETRY_S)
