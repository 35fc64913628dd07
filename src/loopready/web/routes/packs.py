"""Packs: browse the built-in and user packs, read one, and check an uploaded pack file."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse

from loopready.errors import InputError, PackError
from loopready.packs import discover, get_pack, parse_pack
from loopready.packs.registry import builtin_dir, template_path
from loopready.packs.schema import Pack
from loopready.settings import user_packs_dir
from loopready.web.limits import PACK_UPLOAD_LIMIT, describe_size
from loopready.web.templating import render

router = APIRouter()


def _upload_name(upload: UploadFile | None) -> str:
    name = PurePath((upload.filename if upload else "") or "pack.yaml").name
    return name or "pack.yaml"


def _packs_page(request: Request, **extra: object) -> HTMLResponse:
    entries = discover()
    context: dict[str, object] = {
        "title": "Packs",
        "entries": entries,
        "user_dir": user_packs_dir(),
        "upload_limit": describe_size(PACK_UPLOAD_LIMIT),
        "checked": None,
        "problems": [],
        "checked_name": "",
        "installed": None,
        "install_problem": "",
    }
    context.update(extra)
    status = 400 if context["problems"] else 200
    return render(request, "packs.html", context, section="packs", status_code=status)


@router.get("/packs", response_class=HTMLResponse)
def packs_page(request: Request) -> HTMLResponse:
    """Every pack: built-in ones, the user's own, and user files that fail to load."""
    return _packs_page(request)


@router.get("/packs/template.yaml")
def pack_template() -> FileResponse:
    """The annotated template for writing a pack for another company."""
    return FileResponse(
        template_path(),
        media_type="application/yaml",
        filename="loopready-pack-template.yaml",
    )


@router.get("/packs/{pack_id}", response_class=HTMLResponse)
def pack_page(request: Request, pack_id: str) -> HTMLResponse:
    """One pack: its rounds, rubrics, personas, blind spots and sources."""
    pack = get_pack(pack_id)
    origin = "built-in" if (builtin_dir() / f"{pack.id}.yaml").is_file() else "user"
    return render(
        request,
        "pack.html",
        {"title": pack.name, "pack": pack, "origin": origin},
        section="packs",
    )


@router.post("/packs/validate", response_class=HTMLResponse)
async def validate_pack(
    request: Request,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str, Form()] = "",
    install: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Check an uploaded (or pasted) pack; list every problem; optionally add it."""
    name = _upload_name(file)
    raw = await file.read() if file is not None else b""
    if not raw and not text.strip():
        raise InputError("Choose a pack file (.yaml) to check, or paste the pack's text.")
    if raw:
        try:
            source = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problem = f"{name}: not UTF-8 text (byte {exc.start}); save it as UTF-8"
            return _packs_page(request, problems=[problem], checked_name=name)
    else:
        source, name = text, "pasted pack"
    try:
        pack = parse_pack(source, name)
    except PackError as exc:
        return _packs_page(request, problems=list(exc.problems), checked_name=name)

    installed = None
    install_problem = ""
    if install:
        try:
            installed = _install(pack, source)
        except InputError as exc:
            install_problem = str(exc)
    return _packs_page(
        request,
        checked=pack,
        checked_name=name,
        installed=installed,
        install_problem=install_problem,
    )


def _install(pack: Pack, source: str) -> str:
    if (builtin_dir() / f"{pack.id}.yaml").is_file():
        raise InputError(
            f"{pack.id!r} is the id of a built-in pack; change the pack's id to add it."
        )
    folder = user_packs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{pack.id}.yaml"
    for entry in discover():
        if entry.origin == "user" and entry.id == pack.id and entry.path != target:
            raise InputError(
                f"Another of your packs ({entry.path.name}) already uses the id {pack.id!r}; "
                "change one of the ids."
            )
    temporary = target.with_suffix(".yaml.tmp")
    temporary.write_text(source, encoding="utf-8")
    temporary.replace(target)
    return str(target)
