"""Helpers for driving the app in-process (tests and the render benchmark).

    client = PageClient(create_app(db))
    page = client.get("/")              # a page: the client remembers its CSRF token
    client.post("/loop", data={...})    # the token is added to every form post
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def csrf_token_in(html: str) -> str | None:
    """The CSRF token a page carries, if any."""
    found = _TOKEN.search(html)
    return found.group(1) if found else None


class PageClient(TestClient):
    """A test client that posts forms the way the pages do, CSRF token included."""

    def __init__(self, app: FastAPI, **kwargs: Any) -> None:
        kwargs.setdefault("raise_server_exceptions", False)
        kwargs.setdefault("follow_redirects", False)
        super().__init__(app, **kwargs)
        self.token: str | None = None

    def page(self, url: str, **kwargs: Any) -> Response:
        """GET *url*, remembering the CSRF token of the page."""
        response = self.get(url, **kwargs)
        token = csrf_token_in(response.text)
        if token:
            self.token = token
        return response

    def ensure_token(self) -> str:
        if self.token is None:
            self.page("/packs")
        assert self.token is not None, "no page carried a CSRF token"
        return self.token

    def submit(
        self, url: str, data: dict[str, Any] | None = None, **kwargs: Any
    ) -> Response:
        """POST a form to *url* with the page's CSRF token in its hidden field."""
        form = dict(data or {})
        form.setdefault("csrf_token", self.ensure_token())
        return self.post(url, data=form, **kwargs)

    def htmx(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Response:
        """POST as HTMX and the page script do: token in the header."""
        headers = {"X-CSRF-Token": self.ensure_token(), "HX-Request": "true"}
        headers.update(kwargs.pop("headers", {}) or {})
        return self.post(url, data=data or {}, headers=headers, **kwargs)
