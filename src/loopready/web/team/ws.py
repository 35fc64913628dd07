"""The live mock's WebSocket: actions in, numbered events out, catching up after a drop.

A page connects to ``/live/<id>/ws?after=<seq>`` with the last event number it has. The
server first sends every event after it, then each new one as the mock changes, as
:class:`~loopready.team.bus.LiveBus` offers it (already rendered, nothing read back), or
read from the database when the page is behind. Each message the page sends is one action of
:func:`loopready.team.live.apply`; the page keeps an action until its event comes back, and
sends it again after a reconnection, so a dropped connection loses nothing.

The handshake is checked like a form post: the ``Origin`` must be one of the app's names
(another site cannot open a socket with the visitor's cookie), and the visitor must be
signed in and take part in the mock.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from loopready.errors import LoopreadyError
from loopready.store import Database
from loopready.store.team_models import LiveMock
from loopready.team import auth, jobs, live
from loopready.team.access import load_mock, still_allowed
from loopready.team.accounts import Person
from loopready.team.bus import LiveBus, Waiter
from loopready.web.hosts import origin_host

#: Close codes (4000-4999 are the application's).
POLICY = 1008
NOT_ALLOWED = 4403


async def live_socket(websocket: WebSocket) -> None:
    """Mounted at ``/live/{mock_id}/ws`` (a plain Starlette route: no form checks apply)."""
    app = websocket.app
    mock_id = str(websocket.path_params["mock_id"])
    try:
        after = int(websocket.query_params.get("after", "0"))
    except ValueError:
        after = 0
    allowed: tuple[str, ...] = app.state.allowed_hosts
    if origin_host(websocket.headers.get("origin", "")) not in allowed:
        await websocket.close(code=POLICY)
        return
    db = app.state.db_holder.get()
    bus = app.state.live_bus
    # Listen before reading the backlog: an event made in between is offered too.
    woken = bus.subscribe(mock_id, max(0, after))
    try:
        await _serve(websocket, db, bus, woken, mock_id)
    finally:
        bus.unsubscribe(mock_id, woken)


def _admit(
    db: Database, token: str | None, mock_id: str, after: int
) -> tuple[Person, LiveMock, str, list[dict[str, Any]]] | None:
    """Who connects, the mock, their role and the events after *after*: one trip to the
    thread pool (many pages connect at once when a server restarts). None: not allowed."""
    who = auth.current(db, token)
    if who is None:
        return None
    try:
        mock, role = load_mock(db, who, mock_id)
    except LoopreadyError:
        return None
    return who, mock, role, live.events_after(db, mock.id, after)


async def _serve(
    websocket: WebSocket, db: Database, bus: LiveBus, woken: Waiter, mock_id: str
) -> None:
    admitted = await run_in_threadpool(
        _admit, db, websocket.cookies.get(auth.COOKIE), mock_id, woken.seen
    )
    if admitted is None:
        await websocket.close(code=NOT_ALLOWED)
        return
    who, mock, role, backlog = admitted
    await websocket.accept()
    lock = asyncio.Lock()

    async def read_new() -> None:
        """Send what the database has after the last event sent (catching up)."""
        while True:
            batch = await run_in_threadpool(live.events_after, db, mock.id, woken.seen)
            if batch:
                woken.seen = batch[-1]["seq"]
                await websocket.send_json({"type": "events", "events": batch})
            if len(batch) < live.READ_BATCH:
                return  # that was all there is

    async def pump() -> None:
        while True:
            await woken.wait()
            woken.clear()
            if role == "coach" and not await run_in_threadpool(still_allowed, db, who, mock, role):
                await websocket.close(code=NOT_ALLOWED)  # a coach the candidate removed
                return
            async with lock:
                ready, behind = woken.take()
                if ready:
                    await websocket.send_text(_events_text(ready))
                if behind:
                    await read_new()

    async def receive() -> None:
        while True:
            message: Any = await websocket.receive_json()
            if not isinstance(message, dict):
                continue
            if message.get("action") == "read" and role == "interviewer":
                reading = await _reading(db, mock.id)
                await websocket.send_json({"type": "reading", **reading})
                continue
            try:
                change = None
                pool = bus.pool_here()
                if message.get("action") == "type" and pool is not None:
                    change = await live.type_async(pool, who, mock.id, message)
                if change is None:
                    change = await run_in_threadpool(live.apply, db, who, mock.id, message)
            except LoopreadyError as error:
                await websocket.send_json(
                    {"type": "error", "message": str(error), "ref": message.get("ref")}
                )
                continue
            if change is not None:
                if change.kind != "typed":  # typing never starts background work
                    # Queue its background work first: a page shown the event may ask
                    # for the report at once, and must find the job there.
                    await run_in_threadpool(jobs.after_event, db, change.kind, mock.id)
                if change.kind in live.ANNOUNCED_AFTER_WORK:
                    await run_in_threadpool(live.announce, db, change)
                bus.publish(mock.id, change.seq, change.prev, change.message)

    pump_task = asyncio.create_task(pump())
    try:
        async with lock:
            await websocket.send_json({"type": "hello", "role": role})
            if backlog:
                woken.seen = backlog[-1]["seq"]
                await websocket.send_json({"type": "events", "events": backlog})
            if len(backlog) >= live.READ_BATCH:
                await read_new()
        await receive()
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        pump_task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump_task


def _events_text(messages: list[str]) -> str:
    """The ``events`` message of events already rendered as JSON text."""
    return '{"type":"events","events":[' + ",".join(messages) + "]}"


async def _reading(db: Any, mock_id: str) -> dict[str, Any]:
    try:
        return await run_in_threadpool(live.reading_now, db, mock_id)
    except LoopreadyError as error:
        return {"probes": [], "missing": [], "note": str(error)}
