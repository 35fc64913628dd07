"""loopready's web app: FastAPI, server-rendered Jinja2 pages, HTMX, no front-end build.

    from loopready.web import create_app
    app = create_app()          # opens the database on first request

``loopready serve`` runs it with uvicorn; see ``docs/web.md``.
"""

from loopready.web.app import create_app

__all__ = ["create_app"]
