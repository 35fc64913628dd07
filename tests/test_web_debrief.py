"""Web: the hiring-committee debrief page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from loopready.interview.debrief import build_debrief
from loopready.interview.loops import new_loop
from loopready.packs import get_pack
from loopready.store import Database, list_loops, open_db
from loopready.web import create_app
from loopready.web.testing import PageClient, seed_attempt


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def _loop(client: PageClient, db: Database) -> str:
    client.submit("/loop", {})
    with db.read_session() as s:
        loop_id: str = list_loops(s, db.user_id)[0].id
    return loop_id


def test_without_a_loop(client: PageClient) -> None:
    page = client.page("/debrief")
    assert page.status_code == 200
    assert 'href="/loop">Set up your loop</a>' in page.text
    assert 'action="/debrief/run"' not in page.text


def test_nothing_finished_yet(client: PageClient, db: Database) -> None:
    _loop(client, db)
    page = client.page("/debrief")
    assert "No round of this loop is finished yet" in page.text
    assert 'action="/debrief/run"' not in page.text


def test_run_shows_decision_reasons_and_contradictions_side_by_side(
    client: PageClient, db: Database
) -> None:
    loop_id = _loop(client, db)
    pack = get_pack()
    seed_attempt(
        db,
        pack,
        "recruiter_screen",
        "At Spotify I led a team of 8 engineers and we lifted retention by 12% in 2023.",
        score=72,
        loop_id=loop_id,
    )
    seed_attempt(
        db,
        pack,
        "hiring_committee",
        "At Spotify I led a team of 20 engineers and we lifted retention by 12% in 2023.",
        score=64,
        loop_id=loop_id,
    )
    before = client.page("/debrief")
    assert "You have finished 2 rounds of 5" in before.text
    ran = client.submit("/debrief/run", {"loop_id": loop_id})
    assert ran.status_code == 303
    page = client.page(ran.headers["location"])
    assert page.status_code == 200
    decision = re.search(r'<h2 id="decision-h" class="decision ([a-z_]+)">([^<]+)</h2>', page.text)
    assert decision is not None
    assert decision.group(1) in {"lean_no_hire", "no_hire"}  # three rounds are missing
    assert "Why" in page.text and "What would change the decision" in page.text
    side = page.text[page.text.index('<div class="side-by-side">') :]
    side = side[: side.index("</div>\n    </div>") if "</div>\n    </div>" in side else 2000]
    assert "team of 8 engineers" in side and "team of 20 engineers" in side
    assert "Recruiter screen" in side and "Hiring committee debrief" in side
    assert "missing" in page.text  # the rounds not done yet
    # The latest debrief is what the page shows next time.
    again = client.page("/debrief")
    assert decision.group(2) in again.text


def test_stored_debriefs_are_listed_and_unknown_ones_404(client: PageClient, db: Database) -> None:
    loop_id = _loop(client, db)
    seed_attempt(
        db, get_pack(), "product_sense", "We ship to 5% in March.", score=66, loop_id=loop_id
    )
    first = client.submit("/debrief/run", {"loop_id": loop_id}).headers["location"]
    client.submit("/debrief/run", {"loop_id": loop_id})
    page = client.page("/debrief")
    assert "Earlier debriefs" in page.text
    assert f'href="{first}"' in page.text
    assert client.page("/debrief/not-a-debrief").status_code == 404


def test_run_for_a_loop_with_nothing_done_is_explained(client: PageClient, db: Database) -> None:
    loop_id = _loop(client, db)
    page = client.submit("/debrief/run", {"loop_id": loop_id})
    assert page.status_code == 400
    assert "no round of this loop is finished yet" in page.text


def test_a_hire_shows_the_mock_offer_and_links_to_negotiation_practice(
    client: PageClient, db: Database
) -> None:
    pack = get_pack()
    loop = new_loop(db, pack, start=date.today(), title="Loop")
    for rnd in pack.rounds:
        seed_attempt(
            db,
            pack,
            rnd.id,
            "At Aurora I led a team of 8 engineers and we lifted retention by 12% with a "
            "staged rollout to 5% of users.",
            score=88,
            loop_id=loop.id,
        )
    packet = build_debrief(db, loop.id, save=True)
    assert packet.decision in {"hire", "strong_hire"}
    drawn = packet.mock_offer
    assert drawn is not None
    offer = drawn["offer"]
    for url in ("/debrief", f"/debrief/{packet.debrief_id}"):
        page = client.page(url)
        assert page.status_code == 200, page.text[-500:]
        start = page.text.index('<section class="card mock-offer"')
        card = page.text[start : page.text.index("</section>", start)]
        assert f"{offer['currency']} {offer['base']:,.0f}" in card
        assert f"{offer['bonus_target_pct']:g}% of base" in card
        # Equity lives beside the offer: a share of the company, over the vesting years.
        equity = f"{drawn['equity_pct']:g}% of the company, vesting over {drawn['vesting_years']}"
        assert equity in card
        assert f"{offer['currency']} {sum(offer['sign_on']):,.0f}" in card
        assert f"{offer['currency']} {drawn['first_year_cash']:,.0f}" in card
        assert '<a class="btn" href="/offers/negotiate">Practise answering this offer</a>' in card
    # The link lands on negotiation practice with this very offer.
    practice = client.page("/offers/negotiate")
    assert "The mock offer after your committee" in practice.text
    assert f"${offer['base']:,.0f}" in practice.text


def test_the_committee_reads_latest_or_best_and_never_the_negotiation(
    client: PageClient, db: Database
) -> None:
    loop_id = _loop(client, db)
    pack = get_pack()
    text = "At Beacon I led a team of 8 engineers and we lifted retention by 12% in 2023."
    seed_attempt(db, pack, "recruiter_screen", text, score=80, loop_id=loop_id)
    seed_attempt(db, pack, "recruiter_screen", text, score=50, loop_id=loop_id)
    seed_attempt(
        db,
        pack,
        "negotiation",
        "At Beacon I led a team of 30 engineers, so my base should be higher.",
        score=90,
        loop_id=loop_id,
    )
    latest = build_debrief(db, loop_id, save=False)
    best = build_debrief(db, loop_id, save=False, attempts="best")
    screen = next(r for r in latest.rounds if r.round == "recruiter_screen")
    assert screen.score == 50 and screen.attempts == 2
    assert next(r for r in best.rounds if r.round == "recruiter_screen").score == 80
    assert best.attempts_read == "best"
    # the negotiation is practice outside the loop: no round line, no contradiction, no thread
    assert "negotiation" not in {r.round for r in latest.rounds}
    assert latest.inconsistencies == []
    assert "negotiation" not in latest.story_thread.unlinked_rounds
    ran = client.submit("/debrief/run", {"loop_id": loop_id, "attempts": "best"})
    page = client.page(ran.headers["location"])
    assert "best attempt" in page.text and 'value="best" selected' in page.text
    for raw in ("recruiter_screen", "hiring_committee", "isolated_rounds"):
        visible = re.sub(r"<[^>]+>", " ", page.text)
        assert raw not in visible
