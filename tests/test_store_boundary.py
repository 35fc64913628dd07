"""Every query lives in ``store/``: outside it, no module asks an open database session
for rows (``session.get(Model, id)``, ``.execute``, ``.scalars``, ``.scalar``, ``.query``).

``lint-imports`` keeps SQLAlchemy out of the services and the domain, so they cannot build
a ``select``; but ``s.get(RoundSession, id)`` needs no import, so this test reads the calls.
Team mode (``team/``, ``web/team/``) is held to it too, its live mock and LISTEN/NOTIFY bus
included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import loopready
from loopready.store.models import Base

SRC = Path(loopready.__file__).parent
OUTSIDE = ("store",)
#: What a SQLAlchemy session (or connection) is asked for rows with.
READS = {"execute", "scalars", "scalar", "query"}
MODELS = {mapper.class_.__name__ for mapper in Base.registry.mappers}


def _is_session(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in {"s", "session", "sess", "tx", "connection"}


def queries_outside_store(root: Path = SRC) -> list[str]:
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        where = path.relative_to(root).as_posix()
        if where.startswith(tuple(f"{part}/" for part in OUTSIDE)):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            name, owner = node.func.attr, node.func.value
            by_model = (
                name in {"get", "query"}
                and bool(node.args)
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id in MODELS
            )
            if by_model or (name in READS and _is_session(owner)):
                found.append(f"{where}:{node.lineno} .{name}(...)")
    return found


def test_no_module_outside_store_queries_the_database() -> None:
    assert queries_outside_store() == [], "move the query into store/ and call it by name"


def test_the_check_sees_a_query_outside_store_only(tmp_path: Path) -> None:
    query = "def f(db, ref):\n    with db.session() as s:\n        return s.get(Loop, ref)\n"
    for folder in ("prep", "store"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.py").write_text(query, encoding="utf-8")
    (tmp_path / "prep" / "rows.py").write_text(
        "def g(s, q):\n    return list(s.scalars(q))\n", encoding="utf-8"
    )
    (tmp_path / "prep" / "fine.py").write_text(
        "def h(cache, key):\n    return cache.get(key)\n", encoding="utf-8"
    )
    assert queries_outside_store(tmp_path) == [
        "prep/notes.py:3 .get(...)",
        "prep/rows.py:2 .scalars(...)",
    ]


def test_team_mode_is_checked_too(tmp_path: Path) -> None:
    status = (
        "def g(db, q):\n    with db.engine.connect() as connection:\n"
        "        return connection.execute(q).first()\n"
    )
    for where in ("team/jobs.py", "web/team/coach.py", "team/live.py", "team/bus.py"):
        (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / where).write_text(status, encoding="utf-8")
    assert queries_outside_store(tmp_path) == [
        "team/bus.py:3 .execute(...)",
        "team/jobs.py:3 .execute(...)",
        "team/live.py:3 .execute(...)",
        "web/team/coach.py:3 .execute(...)",
    ]
