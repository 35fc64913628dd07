"""Accepted values that used to break pages (issue 12, defects 4, 7 and 8).

Each case was a 500 or a runaway page before: a far-off date, a huge amount or page
number, an overlong pack id, a deeply nested import, a YAML alias bomb, a NUL character
on PostgreSQL. Now the value is refused with a message saying how to fix it, or stored
clean, and a bad row already in the database leaves the rest of the page working.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

import pg
from loopready.bounds import MAX_PLAN_DAYS
from loopready.briefs.model import parse_brief_text
from loopready.errors import InputError, PackError
from loopready.interview.loops import new_loop
from loopready.offers.model import parse_offer_text
from loopready.packs import get_pack, parse_pack
from loopready.planning.schedule import build_plan
from loopready.store import Database, Loop, Story, Turn, export_data, import_data, open_db
from loopready.store import Offer as OfferRow
from loopready.web import create_app
from loopready.web.testing import PageClient
from loopready.yamlfiles import MAX_ALIASES, MAX_DEPTH, YamlLimitError, load_bounded

OFFER = {"name": "Big", "base": "170000", "equity_form": "none", "scenario": "flat"}


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db), raise_server_exceptions=False) as c:
        c.page("/")
        yield c


# -- defect 4: values at the edge -------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("9999-12-31", "too far from today; give a date between"),
        ("2100-01-01", "too far from today; give a date between"),
        ("0001-01-01", "is in the past"),
    ],
)
def test_a_far_off_loop_date_is_refused_and_the_pages_still_work(
    client: PageClient, day: str, message: str
) -> None:
    refused = client.submit("/loop", {"first_round": day})
    assert refused.status_code == 400
    assert message in refused.text
    for path in ("/", "/loop", "/practice"):
        assert client.page(path).status_code == 200, path


def test_far_off_round_dates_are_refused(client: PageClient, db: Database) -> None:
    loop = new_loop(db, get_pack())
    saved = client.submit(f"/loop/{loop.id}/dates", {"date_recruiter_screen": "9999-12-31"})
    assert saved.status_code == 400 and "too far from today" in saved.text
    with pytest.raises(InputError, match="too far from today"):
        new_loop(db, get_pack(), start=date(1, 1, 1))


def test_a_loop_stored_with_a_far_date_leaves_the_pages_working(
    client: PageClient, db: Database
) -> None:
    loop = new_loop(db, get_pack())
    with db.session() as s:  # as an older version could have stored it
        s.execute(update(Loop).where(Loop.id == loop.id).values(start_date=date(9999, 12, 31)))
    for path in ("/", "/loop", "/practice"):
        assert client.page(path).status_code == 200, path


@pytest.mark.parametrize("first", ["9999-12-31", "2100-01-01"])
def test_a_plan_is_at_most_a_year_long(client: PageClient, first: str) -> None:
    page = client.submit("/plan", {"first_round": first, "tz": "UTC"})
    assert page.status_code == 422
    assert "too far from today" in page.text or "at most 366 days" in page.text
    assert len(page.text) < 200_000
    today = date.today()
    with pytest.raises(InputError, match=f"at most {MAX_PLAN_DAYS} days"):
        build_plan(get_pack(), today, today + timedelta(days=MAX_PLAN_DAYS + 30))


def test_offer_amounts_are_bounded(client: PageClient, db: Database) -> None:
    live = client.htmx("/offers/model", {**OFFER, "base": "1e308"})
    assert live.status_code == 200 and "must be at most" in live.text
    saved = client.submit("/offers/save", {**OFFER, "base": "1e30"})
    assert saved.status_code == 422 and "must be at most" in saved.text
    with pytest.raises(InputError, match="must be at most"):
        parse_offer_text("base: 1e30\n", "offer.yaml")


def test_an_offer_stored_out_of_bounds_leaves_the_offer_pages_working(
    client: PageClient, db: Database
) -> None:
    assert client.submit("/offers/save", OFFER).status_code == 303
    good = client.submit("/offers/save", {**OFFER, "name": "Fine"})
    assert good.status_code == 303
    with db.session() as s:  # as an older version could have stored it
        row = s.scalars(select(OfferRow).where(OfferRow.name == "Big")).one()
        row.data = {**row.data, "offer": {**row.data["offer"], "base": 1e30}}
    listing = client.page("/offers")
    assert listing.status_code == 200
    assert "Fine" in listing.text and "can no longer be read" in listing.text
    assert "Delete “Big”" in listing.text
    assert client.page("/offers/negotiate").status_code == 200


def test_page_numbers_are_bounded(client: PageClient) -> None:
    huge = client.page("/reports?page=100000000000000000000")
    assert huge.status_code == 400 and "pages go up to" in huge.text
    assert client.page("/reports?page=1e20").status_code == 422
    assert client.page("/reports?page=-3").status_code == 200


def test_an_overlong_pack_id_is_not_found(client: PageClient) -> None:
    for answer in (
        client.submit("/loop", {"pack_id": "a" * 5000}),
        client.page("/packs/" + "a" * 5000),
    ):
        assert answer.status_code == 404
        assert "ids are 1 to 64 lowercase letters" in answer.text
        assert "a" * 100 not in answer.text


def _export(db: Database) -> dict:
    document = export_data(db)
    return json.loads(json.dumps(document))


def test_a_deeply_nested_import_is_refused(client: PageClient) -> None:
    deep = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    answer = client.submit(
        "/settings/import", {}, files={"file": ("deep.json", deep, "application/json")}
    )
    assert answer.status_code == 400 and "nested too deeply" in answer.text
    shallow_but_deep = b"[" * 200 + b"]" * 200
    answer = client.submit(
        "/settings/import", {}, files={"file": ("d.json", shallow_but_deep, "application/json")}
    )
    assert answer.status_code == 400 and f"more than {MAX_DEPTH} levels" in answer.text


def test_the_cli_import_refuses_a_deeply_nested_file(tmp_path: Path) -> None:
    from loopready.store.transfer import read_document

    deep = tmp_path / "deep.json"
    deep.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(InputError, match="nested too deeply"):
        read_document(deep)


def test_imports_check_dates_and_nesting(db: Database) -> None:
    new_loop(db, get_pack())
    document = _export(db)
    document["tables"]["loops"][0]["start_date"] = "9999-12-31"
    with pytest.raises(InputError, match=r"loops\[0\]\.start_date: 9999-12-31 is outside"):
        import_data(db, document)
    document = _export(db)
    nested: object = 1
    for _ in range(MAX_DEPTH + 5):
        nested = [nested]
    document["tables"]["loops"][0]["round_dates"] = {"x": nested}
    with pytest.raises(InputError, match="nested more than"):
        import_data(db, document)


# -- defect 7: YAML alias amplification ---------------------------------------------------


def _alias_bomb(copies: int, size: int = 100_000) -> str:
    lines = [f'big: &big "{"x" * size}"']
    lines += [f"k{i}: *big" for i in range(copies)]
    return "\n".join(lines) + "\n"


def test_alias_expansion_is_capped_for_every_yaml_reader() -> None:
    bomb = _alias_bomb(MAX_ALIASES + 1, size=10)
    with pytest.raises(PackError, match=f"more than {MAX_ALIASES} times"):
        parse_pack(bomb, "pack.yaml")
    with pytest.raises(InputError, match=f"more than {MAX_ALIASES} times"):
        parse_offer_text(bomb, "offer.yaml")
    with pytest.raises(InputError, match=f"more than {MAX_ALIASES} times"):
        parse_brief_text(bomb, "brief.yaml")
    # One 1 MB string repeated 50 times: few aliases, but 50 MB once expanded.
    with pytest.raises(YamlLimitError, match="51,000,"):
        load_bounded(_alias_bomb(50, size=1_000_000), "wide.yaml")
    with pytest.raises(YamlLimitError, match="over the limit of 5,242,880"):
        load_bounded("a: " + "x" * 6_000_000, "big.yaml")


def test_a_few_large_aliases_are_refused_by_expanded_size() -> None:
    nested = "a: &a [" + ", ".join(["x" * 100] * 50) + "]\n"
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        nested += f"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}]\n"
    with pytest.raises(YamlLimitError, match="expanded the document would hold"):
        load_bounded(nested, "laughs.yaml")
    with pytest.raises(YamlLimitError, match="refers to a value that contains it"):
        load_bounded("a: &a [1, *a]\n", "loop.yaml")


def test_the_web_pack_check_names_the_alias_limit(client: PageClient) -> None:
    answer = client.submit(
        "/packs/validate",
        {},
        files={"file": ("bomb.yaml", _alias_bomb(1_000).encode(), "application/yaml")},
    )
    assert answer.status_code in (200, 400, 422)
    assert f"more than {MAX_ALIASES} times" in answer.text


def test_ordinary_anchors_still_work() -> None:
    data, _ = load_bounded("base: &b {x: 1}\nother: *b\n", "ok.yaml")
    assert data == {"base": {"x": 1}, "other": {"x": 1}}


# -- defect 8: NUL characters -------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, loopready_home: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        with open_db() as database:
            yield database
        return
    with pg.fresh_database(pg.server_url()) as url, open_db(url) as database:
        yield database


def test_nul_is_dropped_the_same_on_both_databases(any_db: Database) -> None:
    with PageClient(create_app(any_db), raise_server_exceptions=False) as client:
        started = client.submit("/mock/start", {"round_id": "product_sense"})
        assert started.status_code == 303
        sid = started.headers["location"].split("/")[2].split("?")[0]
        saved = client.htmx(f"/mock/{sid}/autosave", {"seq": "0", "text": "half\x00 typed"})
        assert saved.status_code == 200, saved.text
        story = client.submit(
            "/stories",
            {"title": "Nul\x00 story", "situation": "S\x00", "action": "A", "result": "R"},
        )
        assert story.status_code in (303, 422), story.text
        offer = client.submit("/offers/save", {**OFFER, "name": "With\x00nul"})
        assert offer.status_code == 303, offer.text
        assert client.page("/offers").status_code == 200
    with any_db.read_session() as s:
        texts = [t.text for t in s.scalars(select(Turn))]
        names = [o.name for o in s.scalars(select(OfferRow))]
        titles = [st.title for st in s.scalars(select(Story))]
    assert texts == ["half typed"]
    assert names == ["Withnul"]
    assert all("\x00" not in t for t in titles)


@pytest.mark.postgres
def test_a_sqlite_export_with_nul_imports_into_postgresql(db: Database) -> None:
    new_loop(db, get_pack(), title="Loop")
    document = _export(db)
    document["tables"]["loops"][0]["title"] = "Loop\x00 with nul"
    document["tables"]["loops"][0]["round_dates"] = {"note\x00": "x\x00y"}
    with pg.fresh_database(pg.server_url()) as url, open_db(url) as target:
        summary = import_data(target, document, replace=True)
        assert summary.total_added >= 1
        with target.read_session() as s:
            loop = s.scalars(select(Loop)).one()
    assert loop.title == "Loop with nul"
    assert loop.round_dates == {"note": "xy"}


# -- load: grading runs one at a time ------------------------------------------------------


def _run(make: Any) -> None:
    """``asyncio.run(make())`` in its own thread: the browser tests' Playwright keeps an
    event loop running in the main thread for the whole session."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(make())).result()


def test_grading_requests_queue_while_pages_go_on() -> None:
    import asyncio

    from loopready.web.limits import GradingGate

    running = 0
    most = 0
    seen: list[str] = []

    async def app(scope: dict, receive: object, send: object) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        seen.append(scope["path"])
        await asyncio.sleep(0.01)
        running -= 1

    gate = GradingGate(app, slots=1)

    async def call(method: str, path: str) -> None:
        await gate({"type": "http", "method": method, "path": path}, None, None)  # type: ignore[arg-type]

    async def burst() -> None:
        await asyncio.gather(*(call("POST", f"/mock/s{i}/submit") for i in range(5)))

    _run(burst)
    assert most == 1 and len(seen) == 5
    most = 0

    async def mixed() -> None:
        await asyncio.gather(
            *(call("POST", "/offers/negotiate") for _ in range(3)),
            *(call("GET", "/") for _ in range(3)),
        )

    _run(mixed)
    assert most >= 2  # pages are not held back by the queue
    assert not gate.grades("POST", "/mock/s1/autosave")
    assert gate.grades("POST", "/drills/c1/answer") and not gate.grades("GET", "/debrief/run")
