"""The web app's frame: layout, friendly errors, CSRF, size limits, security headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI

from loopready.errors import InputError, NotFound, PackError
from loopready.store import Database, open_db
from loopready.web import create_app
from loopready.web.csrf import COOKIE, SECRET_FILE, load_or_create_secret
from loopready.web.testing import PageClient, csrf_token_in


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


def _with_failing_routes(app: FastAPI) -> FastAPI:
    boom = APIRouter()

    @boom.get("/boom")
    def explode() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    @boom.get("/input-error")
    def input_error() -> None:
        raise InputError("Give a date like 2026-03-01.")

    @boom.get("/not-found")
    def not_found() -> None:
        raise NotFound("No loop with id 'x'. List yours to find the right id.")

    @boom.get("/pack-error")
    def pack_error() -> None:
        raise PackError(["my.yaml: rounds.0.minutes: input should be greater than 0 (line 9)"])

    @boom.post("/echo")
    def echo() -> dict[str, str]:
        return {"ok": "yes"}

    app.include_router(boom)
    return app


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    app = _with_failing_routes(create_app(db))
    with PageClient(app) as c:
        yield c


def test_layout_has_navigation_skip_link_and_csrf_meta(client: PageClient) -> None:
    page = client.page("/packs")
    assert page.status_code == 200
    html = page.text
    assert '<a class="skip-link" href="#main">' in html
    assert '<nav class="mainnav" aria-label="Main">' in html
    for label in ("Dashboard", "Loop", "Practise", "Reports", "Debrief", "Packs", "Settings"):
        assert f">{label}</a>" in html
    assert 'href="/packs" aria-current="page"' in html
    assert csrf_token_in(html)
    assert COOKIE in page.headers["set-cookie"]
    assert "samesite=strict" in page.headers["set-cookie"].lower()
    assert "httponly" in page.headers["set-cookie"].lower()


def test_nav_slots_show_only_pages_that_are_served(client: PageClient) -> None:
    from loopready.web.templating import NAV

    paths = {item.path for item in NAV}
    assert {"/plan", "/stories", "/brief", "/offers"} <= paths
    html = client.page("/packs").text
    nav = html[html.index('<nav class="mainnav"') : html.index("</nav>")]
    served = client.app.state.served_paths  # type: ignore[attr-defined]
    for item in NAV:
        assert (f'href="{item.path}"' in nav) == (item.path in served), item.path


def _main_nav(html: str) -> str:
    start = html.index('<nav class="mainnav"')
    return html[start : html.index("</nav>", start)]


def test_nav_lists_every_page_in_order() -> None:
    from loopready.web.templating import NAV

    assert [item.label for item in NAV] == [
        "Dashboard",
        "Loop",
        "Practise",
        "Reports",
        "Debrief",
        "Plan",
        "Research",
        "Stories",
        "Drills",
        "Brief",
        "Offers",
        "Packs",
        "Settings",
    ]
    assert len({item.section for item in NAV}) == len(NAV)  # one highlight per page


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "/"),
        ("/practice", "/practice"),
        ("/plan", "/plan"),
        ("/research", "/research"),
        ("/stories", "/stories"),
        ("/drills", "/drills"),
        ("/brief", "/brief"),
        ("/offers", "/offers"),
        ("/offers/negotiate", "/offers"),
        ("/settings", "/settings"),
    ],
)
def test_each_page_highlights_its_own_nav_entry(
    client: PageClient, path: str, current: str
) -> None:
    page = client.page(path)
    assert page.status_code == 200
    nav = _main_nav(page.text)
    highlighted = re.findall(r'<a href="([^"]+)" aria-current="page">', nav)
    assert highlighted == [current]
    # The main navigation replaced the prep pages' own row of tabs.
    assert page.text.count('aria-current="page"') == 1
    assert "prep-tabs" not in page.text


@pytest.mark.parametrize("path", ["/plan", "/research", "/stories", "/drills", "/brief", "/offers"])
def test_prep_pages_load_their_css_and_script_in_the_head(client: PageClient, path: str) -> None:
    html = client.page(path).text
    head, body = html.split("</head>", 1)
    assert '<link rel="stylesheet" href="/static/prep.css?v=' in head
    assert '<script src="/static/prep.js?v=' in head
    assert "/static/prep.css" not in body and "/static/prep.js" not in body
    # app.js first: deferred scripts run in document order.
    assert head.index("/static/app.js") < head.index("/static/prep.js")


def test_other_pages_do_not_load_the_prep_assets(client: PageClient) -> None:
    html = client.page("/packs").text
    assert "/static/prep.css" not in html and "/static/prep.js" not in html
    assert "<head>" in html and "</head>" in html


def test_tables_keep_visually_hidden_text_inside_their_scroll_box(client: PageClient) -> None:
    """``.visually-hidden`` is absolutely placed: a ``.table-wrap`` must be its containing
    block, or hidden labels in a wide table widen a phone's page (see test_browser_pages)."""
    app_css = client.get("/static/app.css").text
    prep_css = client.get("/static/prep.css").text
    hidden = re.search(r"\.visually-hidden \{([^}]*)\}", app_css)
    assert hidden is not None and "position: absolute" in hidden.group(1)
    wraps = re.findall(r"(?m)^\.table-wrap \{([^}]*)\}", app_css)
    assert any("position: relative" in rule for rule in wraps)
    assert any("overflow-x: auto" in rule for rule in wraps)
    assert ".table-wrap" not in prep_css


def test_security_headers(client: PageClient) -> None:
    page = client.get("/packs")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"


def test_static_files_are_served_by_the_package(client: PageClient) -> None:
    js = client.get("/static/htmx.min.js")
    assert js.status_code == 200 and "htmx" in js.text[:200]
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/nothing-here.js").status_code == 404


def test_404_is_friendly(client: PageClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "Page not found" in page.text
    assert 'href="/"' in page.text
    assert "Traceback" not in page.text


def test_405_is_friendly(client: PageClient) -> None:
    page = client.submit("/packs")
    assert page.status_code == 405
    assert "Not allowed here" in page.text


def test_500_never_shows_a_traceback(client: PageClient) -> None:
    page = client.get("/boom")
    assert page.status_code == 500
    assert "Something went wrong on our side" in page.text
    assert "Everything you saved before is safe" in page.text
    for leak in ("Traceback", "RuntimeError", "secret internals", "/etc/passwd"):
        assert leak not in page.text


def test_loopready_errors_show_their_message(client: PageClient) -> None:
    page = client.get("/input-error")
    assert page.status_code == 400
    assert "Give a date like 2026-03-01." in page.text
    missing = client.get("/not-found")
    assert missing.status_code == 404
    assert "List yours to find the right id." in missing.text
    pack = client.get("/pack-error")
    assert pack.status_code == 400
    assert "rounds.0.minutes: input should be greater than 0 (line 9)" in pack.text


def test_htmx_errors_are_fragments(client: PageClient) -> None:
    page = client.get("/input-error", headers={"HX-Request": "true"})
    assert page.status_code == 400
    assert page.text.lstrip().startswith('<div class="notice notice-error"')
    assert "<html" not in page.text


class TestCsrf:
    def test_post_without_token_is_refused(self, client: PageClient) -> None:
        client.page("/packs")
        refused = client.post("/echo", data={"a": "1"})
        assert refused.status_code == 403
        assert "security token" in refused.text
        assert "Reload the page" in refused.text

    def test_post_without_cookie_is_refused(self, db: Database) -> None:
        with PageClient(_with_failing_routes(create_app(db))) as fresh:
            token = fresh.ensure_token()
            fresh.cookies.clear()
            refused = fresh.post("/echo", data={"csrf_token": token})
            assert refused.status_code == 403
            assert "security cookie" in refused.text

    def test_form_token_passes(self, client: PageClient) -> None:
        assert client.submit("/echo").json() == {"ok": "yes"}

    def test_header_token_passes_for_htmx(self, client: PageClient) -> None:
        assert client.htmx("/echo").json() == {"ok": "yes"}

    def test_forged_and_mismatched_tokens_fail(self, client: PageClient, db: Database) -> None:
        client.page("/packs")
        assert client.post("/echo", data={"csrf_token": "forged.token"}).status_code == 403
        with PageClient(create_app(db)) as other:
            foreign = other.ensure_token()  # signed by the same secret, other browser
        assert client.post("/echo", data={"csrf_token": foreign}).status_code == 403

    def test_token_from_another_secret_fails(self, client: PageClient, db: Database) -> None:
        with PageClient(create_app(db, secret="x" * 40)) as other:
            stranger = other.ensure_token()
        client.page("/packs")
        assert client.post("/echo", data={"csrf_token": stranger}).status_code == 403

    def test_cross_origin_post_is_refused(self, client: PageClient) -> None:
        token = client.ensure_token()
        refused = client.post(
            "/echo", data={"csrf_token": token}, headers={"Origin": "http://evil.example"}
        )
        assert refused.status_code == 403
        assert "another web site" in refused.text
        same = client.post(
            "/echo", data={"csrf_token": token}, headers={"Origin": "http://127.0.0.1"}
        )
        assert same.status_code == 200

    def test_json_body_needs_the_header(self, client: PageClient) -> None:
        client.page("/packs")
        assert client.post("/echo", json={"csrf_token": client.token}).status_code == 403

    def test_secret_survives_a_restart(self, loopready_home: Path) -> None:
        first = load_or_create_secret(loopready_home)
        assert load_or_create_secret(loopready_home) == first
        mode = (loopready_home / SECRET_FILE).stat().st_mode & 0o777
        assert mode == 0o600

    def test_token_still_valid_after_app_restart(self, db: Database) -> None:
        with PageClient(_with_failing_routes(create_app(db))) as browser:
            browser.ensure_token()
            browser.app = _with_failing_routes(create_app(db))  # a new server process
            assert browser.submit("/echo").status_code == 200


class TestSizeLimits:
    def test_declared_oversize_body_gets_a_friendly_413(self, db: Database) -> None:
        app = _with_failing_routes(create_app(db, body_limit=1000))
        with PageClient(app) as c:
            big = c.submit("/echo", data={"text": "x" * 5000})
            assert big.status_code == 413
            assert "larger than this page accepts (1000 bytes)" in big.text
            assert "Too large" in big.text
            assert c.submit("/echo", data={"text": "x" * 100}).status_code == 200

    def test_streamed_oversize_body_is_stopped(self, db: Database) -> None:
        app = _with_failing_routes(create_app(db, body_limit=1000))
        with PageClient(app) as c:
            token = c.ensure_token()

            def chunks() -> Iterator[bytes]:
                yield f"csrf_token={token}&text=".encode()
                for _ in range(10):
                    yield b"y" * 500

            big = c.post(
                "/echo",
                content=chunks(),
                headers={"content-type": "application/x-www-form-urlencoded"},
            )
            assert big.status_code == 413

    def test_upload_paths_have_larger_limits(self) -> None:
        from loopready.web.limits import BodySizeLimit

        limiter = BodySizeLimit(app=None, default=10)  # type: ignore[arg-type]
        assert limiter.limit_for("/anything") == 10
        assert limiter.limit_for("/packs/validate") == 5 * 1024 * 1024
        assert limiter.limit_for("/settings/import") > limiter.limit_for("/packs/validate")


def test_user_text_is_escaped_everywhere_by_default() -> None:
    from loopready.web.templating import templates

    env = templates.env
    rendered = env.from_string("{{ x }}").render(x="<script>alert(1)</script>")
    assert rendered == "&lt;script&gt;alert(1)&lt;/script&gt;"
