"""Practise for this job posting: read a posting, draft a pack, in the CLI and the web page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from loopready.cli import cli
from loopready.errors import PackError
from loopready.packs import discover, load_pack_file, parse_pack
from loopready.packs.draft import draft_pack
from loopready.packs.posting import read_posting
from loopready.store import Database, open_db
from loopready.web import create_app
from loopready.web.testing import PageClient

POSTINGS = Path(__file__).parent / "data" / "postings"

#: Per example posting: the company, the role, and the product areas a reader would name
#: (written by hand from the posting, not taken from the extractor).
EXPECTED = {
    "sony-ai-ml-pm.txt": (
        "Sony AI",
        "Product Manager, Machine Learning",
        ["PlayStation Network", "Xperia camera effects"],
    ),
    "northwind-clinical-ai-pm.txt": (
        "Northwind Health",
        "Senior AI Product Manager, Clinical Documentation",
        ["Northwind Scribe", "Inbox Assistant"],
    ),
    "lumen-search-pm.txt": (
        "Lumen Outfitters",
        "Product Manager, Search & Recommendations",
        ["Lumen Search", "Picked for you", "Search & Recommendations"],
    ),
}


def _text(name: str) -> str:
    return (POSTINGS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_posting_is_read(name: str) -> None:
    company, role, areas = EXPECTED[name]
    posting = read_posting(_text(name))
    assert (posting.company, posting.role) == (company, role)
    assert len(posting.responsibilities) == 6
    assert len(posting.requirements) >= 4
    for area in areas:
        assert any(area in found for found in posting.product_areas), (area, posting.product_areas)
    assert posting.missing == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_drafted_questions_name_the_postings_own_product_areas(name: str) -> None:
    _company, _role, areas = EXPECTED[name]
    draft = draft_pack(read_posting(_text(name)))
    assert draft.questions
    for question in draft.questions:
        assert any(area in question for area in areas), question
    for area in areas:
        assert any(area in q for q in draft.questions), area
    # ... and never another posting's products.
    others = [a for other, (_, _, found) in EXPECTED.items() if other != name for a in found]
    for question in draft.questions:
        assert not any(other in question for other in others), question


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_draft_is_a_valid_pack_marked_as_a_draft(name: str) -> None:
    company, role, _areas = EXPECTED[name]
    draft = draft_pack(read_posting(_text(name)))
    pack = parse_pack(draft.text, name)  # validated like any pack: schema and checks
    assert pack.draft is True
    assert pack.name == f"{company} {role} loop (draft)" and pack.role in pack.name
    assert draft.text.startswith("# DRAFT pack")
    assert [r.kind for r in pack.rounds] == ["screen", "case", "technical", "stakeholder"]
    for rnd in pack.rounds:
        strong = {c.strong for c in rnd.rubric.criteria}
        criteria = {c.id for c in rnd.rubric.criteria}
        for prompt in rnd.prompts:
            assert prompt.key_points and set(prompt.key_points) <= strong  # from the rubric
            assert {f.criterion for f in prompt.follow_ups} <= criteria
    # The product-sense briefs quote the posting's own responsibilities.
    posting = read_posting(_text(name))
    briefs = [p.brief for p in pack.round("product_sense").prompts if p.brief]
    assert briefs and all(
        b.removeprefix("From the posting: ") in posting.responsibilities for b in briefs
    )


def test_the_technical_round_asks_about_the_model_the_posting_mentions() -> None:
    draft = draft_pack(read_posting(_text("northwind-clinical-ai-pm.txt")))
    technical = " ".join(p.question for p in draft.pack.round("technical_depth").prompts)
    assert "speech recognition model" in technical and "summarisation LLM" in technical


def test_a_role_without_ai_gets_no_technical_round() -> None:
    posting = read_posting(
        "Product Manager — Harbor Payments\n\nWhat you'll do\n"
        "- Own the roadmap for Harbor Checkout in Europe.\n"
        "- Work with finance and legal on refund rules.\n\n"
        "What you bring\n- 4+ years of product management.\n"
    )
    assert (posting.company, posting.role) == ("Harbor Payments", "Product Manager")
    assert not posting.is_ml
    pack = draft_pack(posting).pack
    assert [r.id for r in pack.rounds] == ["recruiter_screen", "product_sense", "cross_functional"]
    assert all("Harbor Checkout" in p.question for r in pack.rounds for p in r.prompts)


def test_a_posting_with_nothing_to_read_says_what_is_missing() -> None:
    posting = read_posting("We are a great team.\nApply now.")
    assert any("the company" in m for m in posting.missing)
    assert any("responsibilities" in m for m in posting.missing)


def test_an_edited_draft_that_breaks_the_schema_is_refused_with_its_problems() -> None:
    draft = draft_pack(read_posting(_text("lumen-search-pm.txt")))
    broken = draft.text.replace("kind: case", "kind: quiz", 1)
    with pytest.raises(PackError) as caught:
        parse_pack(broken, "edited")
    assert any("kind" in line for line in caught.value.problems)


# --- the CLI ------------------------------------------------------------------------------------


def test_cli_drafts_a_pack_from_a_posting(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "packs",
            "new",
            "--from-posting",
            str(POSTINGS / "sony-ai-ml-pm.txt"),
            "--dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    written = sorted(tmp_path.glob("*.yaml"))
    assert len(written) == 1
    assert f"Wrote {written[0]}" in result.stdout
    pack = load_pack_file(written[0])
    assert pack.draft and pack.company == "Sony AI"
    assert "PlayStation Network" in result.stderr
    again = runner.invoke(
        cli,
        [
            "packs",
            "new",
            "--from-posting",
            str(POSTINGS / "sony-ai-ml-pm.txt"),
            "--dir",
            str(tmp_path),
        ],
    )
    assert again.exit_code == 0
    second = sorted(tmp_path.glob("*.yaml"))
    assert len(second) == 2  # never over the first one, and its id follows its file name
    assert load_pack_file(second[1]).id == second[1].stem
    printed = runner.invoke(
        cli, ["packs", "new", "--from-posting", "-", "--print"], input=_text("lumen-search-pm.txt")
    )
    assert printed.exit_code == 0
    assert yaml.safe_load(printed.stdout)["company"] == "Lumen Outfitters"


def test_cli_new_needs_a_name_or_a_posting(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["packs", "new"])
    assert result.exit_code != 0
    assert "--from-posting FILE" in result.stderr
    missing = CliRunner().invoke(cli, ["packs", "new", "--from-posting", str(tmp_path / "no.txt")])
    assert missing.exit_code != 0 and "file not found" in missing.stderr


# --- the web page -------------------------------------------------------------------------------


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def test_web_drafts_edits_and_saves_a_pack(client: PageClient) -> None:
    page = client.page("/packs/from-posting")
    assert page.status_code == 200 and 'name="posting"' in page.text
    assert 'href="/packs/from-posting"' in client.page("/packs").text
    drafted = client.submit(
        "/packs/from-posting", {"posting": _text("northwind-clinical-ai-pm.txt")}
    )
    assert drafted.status_code == 200
    areas = drafted.text[drafted.text.index('id="posting-areas"') :]
    assert "Northwind Scribe" in areas[: areas.index("</dd>")]
    assert (
        "Three weeks after launch, the speech recognition model behind Northwind Scribe"
        in drafted.text
    )
    box = re.search(r'<textarea id="draft-text"[^>]*>(.*?)</textarea>', drafted.text, re.S)
    assert box is not None
    import html

    text = html.unescape(box.group(1))
    assert "draft: true" in text
    edited = text.replace(
        "Northwind Health wants to improve Northwind Scribe.", "Make Scribe better."
    )
    # A broken edit comes back with its problems and the text as typed.
    broken = edited.replace("kind: case", "kind: quiz", 1)
    refused = client.submit("/packs/from-posting/save", {"text": broken, "posting": "x"})
    assert refused.status_code == 400
    assert "nothing was saved" in refused.text and "kind: quiz" in refused.text
    saved = client.submit("/packs/from-posting/save", {"text": edited, "posting": "x"})
    assert saved.status_code == 200 and "Saved as a draft pack" in saved.text
    mine = [e for e in discover() if e.origin == "user" and e.pack is not None]
    assert len(mine) == 1 and mine[0].pack is not None and mine[0].pack.draft
    assert any(
        "Make Scribe better." in p.question for p in mine[0].pack.round("product_sense").prompts
    )
    listed = client.page("/packs")
    assert "(draft)" in listed.text and ">draft</span>" in listed.text


def test_web_refuses_an_empty_posting(client: PageClient) -> None:
    page = client.submit("/packs/from-posting", {"posting": "  "})
    assert page.status_code == 422 and "Paste the job posting first" in page.text
