"""Settings and data: where the data lives, and export or import all of it as one file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from loopready import settings
from loopready.errors import InputError
from loopready.store import (
    Database,
    ImportSummary,
    check_document,
    check_packs,
    export_data,
    head_revision,
    import_data,
    user_row_counts,
    write_backup,
)
from loopready.web.deps import get_db
from loopready.web.limits import IMPORT_LIMIT, describe_size
from loopready.web.templating import render
from loopready.yamlfiles import check_depth

router = APIRouter()


def _settings_page(
    request: Request,
    db: Database,
    *,
    summary: ImportSummary | None = None,
    imported_name: str = "",
    backup: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    counts = user_row_counts(db)
    revision = db.revision()
    return render(
        request,
        "settings.html",
        {
            "title": "Settings and data",
            "data_dir": settings.data_dir(),
            "packs_dir": settings.user_packs_dir(),
            "db_url": db.url,
            "dialect": db.dialect,
            "revision": revision,
            "revision_current": revision == head_revision(),
            "counts": counts,
            "total_rows": sum(counts.values()),
            "summary": summary,
            "imported_name": imported_name,
            "backup": backup,
            "import_limit": describe_size(IMPORT_LIMIT),
        },
        section="settings",
        status_code=status_code,
    )


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, db: Annotated[Database, Depends(get_db)]) -> HTMLResponse:
    """Where the data lives, how much there is, and the export and import forms."""
    return _settings_page(request, db)


@router.get("/settings/export")
def export_download(db: Annotated[Database, Depends(get_db)]) -> Response:
    """All the user's data as one JSON file (the same as ``loopready export``)."""
    document = export_data(db)
    payload = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    return Response(
        payload.encode("utf-8"),
        media_type="application/json",
        headers={
            "content-disposition": f'attachment; filename="loopready-export-{stamp}.json"',
            "cache-control": "no-store",
        },
    )


def _parse(raw: bytes, name: str) -> Any:
    hint = "Choose a file written by loopready's Export button or `loopready export`."
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise InputError(
            f"{name} is not a loopready export: it is nested too deeply. {hint}"
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            f"{name} is not a loopready export: it is not UTF-8 text. {hint}"
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name} is not a loopready export: it is not valid JSON ({exc.msg} at line "
            f"{exc.lineno}, column {exc.colno}). {hint}"
        ) from None
    check_depth(document, name)
    return document


@router.post("/settings/import", response_class=HTMLResponse)
async def import_upload(
    request: Request,
    db: Annotated[Database, Depends(get_db)],
    file: Annotated[UploadFile | None, File()] = None,
    replace: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Restore data from an export file; with *replace*, current data is backed up first."""
    raw = await file.read() if file is not None else b""
    name = PurePath((file.filename if file else "") or "the file").name or "the file"
    if not raw:
        raise InputError("Choose an export file (.json) to import.")
    document = _parse(raw, name)
    check_document(document, name)  # a bad file stops here, before any backup or change
    check_packs(document, name)
    backup = ""
    if replace:
        backup = str(write_backup(db, settings.data_dir() / "backups"))
    summary = import_data(db, document, name=name, replace=bool(replace))
    return _settings_page(request, db, summary=summary, imported_name=name, backup=backup)
