"""Dependencies shared by the routers: the database, the current pack and loop."""

from __future__ import annotations

import threading

from fastapi import Request

from loopready.store import Database, open_db


class DatabaseHolder:
    """Opens the database once, on first use, and closes it if it opened it."""

    def __init__(self, db: Database | None, url: str | None) -> None:
        self._db = db
        self._url = url
        self._owned = db is None
        self._lock = threading.Lock()

    def get(self) -> Database:
        if self._db is None:
            with self._lock:
                if self._db is None:
                    self._db = open_db(self._url)
        return self._db

    def close(self) -> None:
        if self._owned and self._db is not None:
            self._db.close()
            self._db = None


def get_db(request: Request) -> Database:
    """FastAPI dependency: the app's database."""
    holder: DatabaseHolder = request.app.state.db_holder
    return holder.get()
