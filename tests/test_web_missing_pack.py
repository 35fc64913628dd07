"""Web: a loop whose user pack is missing still opens, with a way to re-install or switch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from loopready import settings
from loopready.packs.registry import builtin_dir
from loopready.store import Database, export_data, open_db
from loopready.web import create_app
from loopready.web.testing import PageClient

PAGES = ["/", "/loop", "/practice", "/stories", "/plan", "/research", "/drills", "/offers"]


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def _user_pack() -> Path:
    data = yaml.safe_load((builtin_dir() / "sony-ai-pm-2026.yaml").read_text(encoding="utf-8"))
    data["id"], data["name"] = "my-pack", "My own loop"
    folder = settings.user_packs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "my-pack.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_the_loop_opens_with_a_banner(client: PageClient, page: str) -> None:
    pack_file = _user_pack()
    assert client.submit("/loop", {"pack_id": "my-pack"}).status_code == 303
    assert "missing-pack" not in client.page(page).text  # installed: no banner
    pack_file.unlink()  # the pack is gone (or the data was restored elsewhere)
    shown = client.page(page)
    assert shown.status_code == 200, shown.text[:500]
    assert "The pack “my-pack” is not installed" in shown.text
    assert 'href="/packs#check-pack"' in shown.text  # re-install it
    assert 'action="/loop"' in shown.text and 'value="sony-ai-pm-2026"' in shown.text  # switch


def test_switching_loops_from_the_banner_clears_it(client: PageClient) -> None:
    pack_file = _user_pack()
    client.submit("/loop", {"pack_id": "my-pack"})
    pack_file.unlink()
    assert "is not installed" in client.page("/").text
    assert client.submit("/loop", {"pack_id": "sony-ai-pm-2026"}).status_code == 303
    assert "is not installed" not in client.page("/").text


def test_importing_the_export_on_a_new_install_brings_the_pack_back(
    client: PageClient, db: Database, loopready_home: Path
) -> None:
    pack_file = _user_pack()
    client.submit("/loop", {"pack_id": "my-pack"})
    exported = client.get("/settings/export").content
    pack_file.unlink()
    assert "is not installed" in client.page("/loop").text
    page = client.submit(
        "/settings/import",
        files={"file": ("export.json", exported, "application/json")},
    )
    assert page.status_code == 200
    assert "Installed the packs it carried: my-pack" in page.text
    loop_page = client.page("/loop")
    assert "is not installed" not in loop_page.text
    assert "My own loop" in loop_page.text
    assert export_data(db)["packs"][0]["id"] == "my-pack"
