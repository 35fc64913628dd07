"""Web: the packs pages, and checking an uploaded pack file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loopready.settings import user_packs_dir
from loopready.store import open_db
from loopready.web import create_app
from loopready.web.testing import PageClient

MINIMAL = (Path(__file__).parent / "data" / "packs" / "minimal.yaml").read_text(encoding="utf-8")


@pytest.fixture
def client(loopready_home: Path) -> Iterator[PageClient]:
    with open_db() as db, PageClient(create_app(db)) as c:
        yield c


def _upload(client: PageClient, text: str | bytes, name: str = "mine.yaml", **form: str) -> Any:
    data = text.encode() if isinstance(text, str) else text
    fields = {"csrf_token": client.ensure_token(), **form}
    return client.post("/packs/validate", data=fields, files={"file": (name, data, "text/yaml")})


def test_packs_page_lists_the_builtin_pack(client: PageClient) -> None:
    page = client.page("/packs")
    assert page.status_code == 200
    assert 'href="/packs/sony-ai-pm-2026"' in page.text
    assert "built-in" in page.text
    assert str(user_packs_dir()) in page.text


def test_pack_detail_shows_rounds_personas_and_the_bar(client: PageClient) -> None:
    page = client.page("/packs/sony-ai-pm-2026")
    assert page.status_code == 200
    for text in ("Recruiter screen", "Product sense case", "Offer negotiation", "practice only"):
        assert text in page.text
    assert "Stakeholders in the role-play" in page.text
    assert "The hiring bar" in page.text


def test_unknown_pack_is_a_friendly_404(client: PageClient) -> None:
    page = client.page("/packs/acme-nothing")
    assert page.status_code == 404
    assert "no pack with id &#39;acme-nothing&#39;" in page.text
    assert "sony-ai-pm-2026" in page.text  # the message lists what exists


def test_template_download(client: PageClient) -> None:
    got = client.get("/packs/template.yaml")
    assert got.status_code == 200
    assert "attachment" in got.headers["content-disposition"]
    assert "rounds:" in got.text


def test_valid_upload_is_reported_and_not_installed_unless_asked(client: PageClient) -> None:
    page = _upload(client, MINIMAL)
    assert page.status_code == 200
    assert "mine.yaml is a valid pack" in page.text
    assert "Tiny PM loop" in page.text
    assert not (user_packs_dir() / "tiny-pm.yaml").exists()


def test_valid_upload_can_be_added_to_my_packs(client: PageClient) -> None:
    page = _upload(client, MINIMAL, install="1")
    assert "Added to your packs" in page.text
    assert (user_packs_dir() / "tiny-pm.yaml").read_text(encoding="utf-8") == MINIMAL
    listing = client.page("/packs")
    assert 'href="/packs/tiny-pm"' in listing.text
    assert client.page("/packs/tiny-pm").status_code == 200


def test_a_builtin_id_is_never_replaced(client: PageClient) -> None:
    clash = MINIMAL.replace("id: tiny-pm", "id: sony-ai-pm-2026")
    page = _upload(client, clash, install="1")
    assert "Not added" in page.text
    assert "built-in pack" in page.text
    assert not (user_packs_dir() / "sony-ai-pm-2026.yaml").exists()


def test_invalid_upload_lists_every_problem_with_field_and_line(client: PageClient) -> None:
    broken = MINIMAL.replace("minutes: 30", "minutes: 0").replace("role: Product manager", "")
    page = _upload(client, broken, name="broken.yaml", install="1")
    assert page.status_code == 400
    assert "broken.yaml has 2 problems" in page.text
    assert "rounds.0.minutes: input should be greater than 0" in page.text
    assert "(line " in page.text
    assert "role: required field is missing" in page.text
    assert not (user_packs_dir() / "tiny-pm.yaml").exists()


def test_malformed_yaml_and_wrong_encoding(client: PageClient) -> None:
    page = _upload(client, "id: [unclosed\n", name="bad.yaml")
    assert page.status_code == 400
    assert "malformed YAML at line" in page.text
    latin = _upload(client, "name: caf\xe9\n".encode("latin-1"), name="latin.yaml")
    assert latin.status_code == 400
    assert "not UTF-8 text" in latin.text


def test_empty_upload_says_what_to_do(client: PageClient) -> None:
    page = client.submit("/packs/validate")
    assert page.status_code == 400
    assert "Choose a pack file" in page.text


def test_pack_text_is_escaped(client: PageClient) -> None:
    hostile = MINIMAL.replace("name: Tiny PM loop", "name: <script>alert(1)</script>")
    hostile = hostile.replace(
        "- title: Written for loopready's tests",
        "- title: Written for loopready's tests\n    url: javascript:alert(1)",
    )
    page = _upload(client, hostile, install="1")
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    detail = client.page("/packs/tiny-pm")
    assert 'href="javascript:' not in detail.text
    assert "&lt;script&gt;" in detail.text


def test_upload_over_the_limit_is_refused(client: PageClient) -> None:
    page = _upload(client, "# " + "x" * (6 * 1024 * 1024))
    assert page.status_code == 413
    assert "5 MB" in page.text


def test_user_pack_that_fails_is_listed_with_its_problems(
    client: PageClient, loopready_home: Path
) -> None:
    folder = user_packs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    page = client.page("/packs")
    assert "broken.yaml" in page.text
    assert "cannot load" in page.text
    assert "required field is missing" in page.text
