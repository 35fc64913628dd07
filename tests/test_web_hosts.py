"""DNS rebinding: the app answers only to its own names, and checks Origin against them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from loopready import settings
from loopready.store import Database, count_rows, open_db
from loopready.web import create_app
from loopready.web.testing import PageClient

EVIL = "evil.example:8000"
STORY = {
    "title": "Shipped the ranking model",
    "situation": "Churn was rising.",
    "task": "Cut it.",
    "action": "I ran an experiment.",
    "result": "Churn fell 4%.",
    "competencies": "execution",
}


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        c.ensure_token()
        yield c


def _stories(db: Database) -> int:
    with db.read_session() as s:
        return count_rows(s, db.user_id)["stories"]


def test_a_foreign_host_cannot_read_the_export(client: PageClient) -> None:
    client.submit("/stories", STORY)
    own = client.get("/settings/export")
    assert own.status_code == 200 and "Shipped the ranking model" in own.text

    refused = client.get("/settings/export", headers={"Host": EVIL})
    assert refused.status_code == 400
    assert "Shipped the ranking model" not in refused.text
    assert "evil.example" in refused.text
    assert "http://127.0.0.1" in refused.text  # says which address to use
    assert "LOOPREADY_PUBLIC_HOST" in refused.text


@pytest.mark.parametrize("path", ["/", "/stories", "/offers", "/healthz", "/static/app.js"])
def test_every_route_refuses_a_foreign_host(client: PageClient, path: str) -> None:
    assert client.get(path, headers={"Host": "evil.example"}).status_code == 400


def test_a_rebound_page_cannot_write_even_with_a_matching_origin(
    client: PageClient, db: Database
) -> None:
    forged = {"Host": EVIL, "Origin": f"http://{EVIL}"}
    refused = client.post("/stories", data={**STORY, "csrf_token": client.token}, headers=forged)
    assert refused.status_code == 400
    assert _stories(db) == 0


def test_a_rebound_page_cannot_replace_the_data(client: PageClient, db: Database) -> None:
    client.submit("/stories", STORY)
    document = client.get("/settings/export").json()
    for rows in document["tables"].values():
        rows.clear()
    forged = {"Host": EVIL, "Origin": f"http://{EVIL}"}
    refused = client.post(
        "/settings/import",
        data={"csrf_token": client.token, "replace": "1"},
        files={"file": ("x.json", json.dumps(document), "application/json")},
        headers=forged,
    )
    assert refused.status_code == 400
    assert _stories(db) == 1


@pytest.mark.parametrize(
    "header", [("Origin", "http://evil.example:8000"), ("Referer", "http://evil.example/x")]
)
def test_origin_and_referer_are_checked_against_the_list_not_the_host(
    client: PageClient, db: Database, header: tuple[str, str]
) -> None:
    refused = client.post(
        "/stories", data={**STORY, "csrf_token": client.token}, headers=dict([header])
    )
    assert refused.status_code == 403
    assert "another web site" in refused.text
    assert _stories(db) == 0


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST"])
def test_loopback_names_are_served(client: PageClient, host: str) -> None:
    assert client.get("/packs", headers={"Host": host}).status_code == 200


def test_another_loopback_name_in_origin_passes(client: PageClient, db: Database) -> None:
    # Host 127.0.0.1 with Origin localhost: both are this computer's names.
    headers = {"Host": "127.0.0.1:8000", "Origin": "http://localhost:8000"}
    done = client.post("/stories", data={**STORY, "csrf_token": client.token}, headers=headers)
    assert done.status_code == 303
    assert _stories(db) == 1


def test_the_public_name_and_the_serve_host_are_allowed(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(settings.PUBLIC_HOST_ENV, "prep.example.org, other.example:8443")
    monkeypatch.setenv(settings.SERVE_HOST_ENV, "192.168.1.20")
    assert settings.allowed_hosts() == (
        "127.0.0.1",
        "localhost",
        "[::1]",
        "192.168.1.20",
        "prep.example.org",
        "other.example",
    )
    with PageClient(create_app(db)) as c:
        for host in ("prep.example.org", "other.example:8443", "192.168.1.20:8000"):
            assert c.get("/packs", headers={"Host": host}).status_code == 200
        assert c.get("/packs", headers={"Host": "evil.example"}).status_code == 400
        token = c.ensure_token()
        headers = {"Host": "prep.example.org", "Origin": "https://prep.example.org"}
        done = c.post("/stories", data={**STORY, "csrf_token": token}, headers=headers)
        assert done.status_code == 303


def test_a_wildcard_bind_address_is_not_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.PUBLIC_HOST_ENV, raising=False)
    for wildcard in ("0.0.0.0", "::"):
        monkeypatch.setenv(settings.SERVE_HOST_ENV, wildcard)
        assert settings.allowed_hosts() == settings.LOOPBACK_HOSTS
    monkeypatch.setenv(settings.SERVE_HOST_ENV, "::1")
    assert settings.allowed_hosts() == settings.LOOPBACK_HOSTS
