"""Live events between app processes: each carries the number of its mock's event before
it, so a page sends on what follows from its last event and reads back the rest."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from loopready.store import Database, open_db
from loopready.team import accounts, live
from loopready.team.accounts import Person
from loopready.team.bus import LiveBus, Waiter

pytest_plugins = ["fixtures_db"]

SECRET = "s" * 48
PASSWORD = "correct horse battery"


def change(mock: str, seq: int, prev: int, text: str = "x") -> live.Change:
    return live.Change(mock, seq, prev, "typed", live.message_text(seq, "typed", {"text": text}))


# --- what a page takes from what it is offered --------------------------------------------


def test_a_page_takes_the_events_that_follow_on_from_its_last() -> None:
    waiter = Waiter(seen=3)
    waiter.offer(9, 7, "nine")  # offered out of order: taken in order
    waiter.offer(7, 3, "seven")
    waiter.offer(3, 1, "three")  # sent already
    assert waiter.take() == (["seven", "nine"], False)
    assert waiter.seen == 9
    assert waiter.take() == ([], False)


def test_a_gap_has_the_page_read_the_database() -> None:
    waiter = Waiter(seen=3)
    waiter.offer(5, 3, "five")
    waiter.offer(9, 7, "nine")  # event 7 never came
    ready, behind = waiter.take()
    assert (ready, behind) == (["five"], True)
    assert waiter.seen == 5  # the read starts after what was sent


def test_a_wake_without_an_event_has_the_page_read() -> None:
    waiter = Waiter(seen=3)
    waiter.poke()
    assert waiter.take() == ([], True)


def test_a_page_that_fell_far_behind_reads_instead_of_keeping_everything() -> None:
    waiter = Waiter(seen=0)
    prev = 0
    for seq in range(1, 2000):
        waiter.offer(seq, prev, str(seq))
        prev = seq
    ready, behind = waiter.take()
    assert behind and ready == []  # the oldest were dropped: the chain from 0 is broken


# --- the notification ----------------------------------------------------------------------


def test_a_notification_carries_the_event_when_it_fits() -> None:
    small = change("m-1", 12, 10, "hello")
    assert live.read_note(live.note_of(small)) == ("m-1", 12, 10, small.message)
    large = change("m-1", 13, 12, "word " * 4000)
    note = live.note_of(large)
    assert len(note.encode()) < 8000  # PostgreSQL's limit
    assert live.read_note(note) == ("m-1", 13, 12, None)
    # Multi-byte text counts in bytes, not characters.
    wide = change("m-1", 14, 13, "é" * 5000)
    assert len(wide.message) < live.MAX_NOTE_BYTES < len(wide.message.encode())
    assert live.read_note(live.note_of(wide))[3] is None
    # A notification of an older process (number only) still wakes the pages.
    assert live.read_note("m-1:15") == ("m-1", 15, None, None)


def test_publish_offers_the_event_to_every_page_of_the_mock() -> None:
    async def scenario() -> tuple[Any, ...]:
        bus = LiveBus(None)
        first, second = bus.subscribe("m", 4), bus.subscribe("m", 4)
        other = bus.subscribe("n", 4)
        bus.publish("m", 6, 4, "six")
        bus.wake("m", 5)  # both have not seen 5: they will read
        return first.take(), second.take(), other.take(), other.is_set()

    first, second, other, woken = asyncio.run(scenario())
    assert first == second == (["six"], True)
    assert other == ([], False) and not woken


# --- on PostgreSQL: the numbers are exact, across processes --------------------------------


@pytest.fixture
def pgdb(pg_module_databases: Any) -> Iterator[Database]:
    from fixtures_db import _emptied

    url = _emptied(pg_module_databases.url("bus"))
    with open_db(url) as db:
        yield db


def two_mocks(db: Database) -> list[tuple[str, Person]]:
    out = []
    for n in range(2):
        cand = accounts.create_account(
            db, f"c{n}@example.org", "correct horse battery", "candidate"
        )
        peer = accounts.create_account(
            db, f"p{n}@example.org", "correct horse battery", "candidate"
        )
        started = live.start(db, cand, SECRET, "sony-ai-pm-2026", "product_sense")
        live.join(db, peer, SECRET, started.token)
        out.append((started.mock.id, cand))
    return out


@pytest.mark.postgres
def test_each_event_names_its_mocks_event_before_it(pgdb: Database) -> None:
    from loopready.store import team_repo as repo

    mocks = two_mocks(pgdb)

    async def typing() -> list[live.Change]:
        bus = LiveBus(pgdb.engine.url.render_as_string(hide_password=False))
        await bus.start()
        assert bus.pool is not None
        made = []
        try:
            for n in range(3):
                for mock_id, cand in mocks:  # the two mocks' events interleave
                    action = {"action": "type", "text": f"take {n}", "client_rev": n}
                    found = await live.type_async(bus.pool, cand, mock_id, action)
                    assert found is not None
                    made.append(found)
            for mock_id, cand in (mocks[1], mocks[1]):  # one mock twice running
                action = {"action": "type", "text": "again"}
                found = await live.type_async(bus.pool, cand, mock_id, action)
                assert found is not None
                made.append(found)
        finally:
            await bus.stop()
        return made

    made = asyncio.run(typing())
    # The thread's path (any action) numbers the same way.
    last = made[-4]
    made.append(_applied(pgdb, mocks[0], {"action": "clock", "run": True}))
    # Typing through the thread's path (a page without a socket) too, twice running.
    for mock in (mocks[1], mocks[1], mocks[0], mocks[0]):
        made.append(_applied(pgdb, mock, {"action": "type", "text": "typed on a page"}))
    for mock_id, _ in mocks:
        with pgdb.read_session() as session:
            numbers = [e.seq for e in repo.events_after(session, mock_id, 0)]
        ours = [c for c in made if c.mock_id == mock_id]
        chain = dict(zip(numbers[1:], numbers[:-1], strict=True))  # after "joined"
        assert all(chain[c.seq] == c.prev for c in ours)
    assert last.kind == "typed" and '"client_rev":2' in last.message


def _applied(db: Database, mock: tuple[str, Person], action: dict[str, Any]) -> live.Change:
    found = live.apply(db, mock[1], mock[0], action)
    assert found is not None
    return found


@pytest.mark.postgres
def test_another_process_gets_the_event_from_the_notification(pgdb: Database) -> None:
    (mock_id, cand), _ = two_mocks(pgdb)
    url = pgdb.engine.url.render_as_string(hide_password=False)
    joined = live.snapshot(pgdb, mock_id)["seq"]

    async def scenario() -> tuple[tuple[list[str], bool], tuple[list[str], bool]]:
        writer, reader = LiveBus(url), LiveBus(url)  # two app processes
        await writer.start()
        await reader.start()
        await asyncio.wait_for(reader.listening.wait(), 10)
        page = reader.subscribe(mock_id, joined)
        try:
            assert writer.pool is not None
            action = {"action": "type", "text": "I would start with the user"}
            await live.type_async(writer.pool, cand, mock_id, action)
            await asyncio.wait_for(page.wait(), 10)
            page.clear()
            small = page.take()
            action = {"action": "type", "text": "word " * 3000}  # too large to carry
            await live.type_async(writer.pool, cand, mock_id, action)
            await asyncio.wait_for(page.wait(), 10)
            return small, page.take()
        finally:
            await reader.stop()
            await writer.stop()

    small, large = asyncio.run(scenario())
    ready, behind = small
    assert not behind and len(ready) == 1
    assert '"text":"I would start with the user"' in ready[0]
    assert large == ([], True)  # the page reads it from the database
    events = live.events_after(pgdb, mock_id, joined)
    assert [e["text"][:5] for e in events] == ["I wou", "word "]


@pytest.mark.postgres
def test_the_end_is_announced_only_once_its_grading_is_queued(pgdb: Database) -> None:
    (mock_id, cand), _ = two_mocks(pgdb)
    url = pgdb.engine.url.render_as_string(hide_password=False)
    joined = live.snapshot(pgdb, mock_id)["seq"]

    async def scenario() -> tuple[bool, tuple[list[str], bool]]:
        reader = LiveBus(url)
        await reader.start()
        await asyncio.wait_for(reader.listening.wait(), 10)
        page = reader.subscribe(mock_id, joined)
        try:
            end = await asyncio.to_thread(live.apply, pgdb, cand, mock_id, {"action": "end"})
            assert end is not None and end.kind in live.ANNOUNCED_AFTER_WORK
            await asyncio.sleep(0.5)  # a notification sent on commit would be here by now
            early = page.is_set()
            await asyncio.to_thread(live.announce, pgdb, end)  # the caller queued the job
            await asyncio.wait_for(page.wait(), 10)
            return early, page.take()
        finally:
            await reader.stop()

    early, (ready, behind) = asyncio.run(scenario())
    assert not early
    assert not behind and '"kind":"ended"' in ready[0]
