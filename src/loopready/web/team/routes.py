"""Team pages: sign in and out, start and join a live mock, its room and its report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from loopready.errors import InputError, StorageError
from loopready.packs.registry import DEFAULT_PACK_ID, get_pack
from loopready.store import Database
from loopready.store.team_models import LiveMock
from loopready.team import accounts, auth, coaching, invitations, jobs, live, reports
from loopready.team.access import NotAllowed, load_mock, mock_role
from loopready.team.accounts import Person
from loopready.web.team.deps import (
    LoginRequired,
    clear_session_cookie,
    require_person,
    safe_next,
    set_session_cookie,
    signed_in,
    team_db,
)
from loopready.web.templating import render

router = APIRouter()

Db = Annotated[Database, Depends(team_db)]
Who = Annotated[Person, Depends(require_person)]


def _page(request: Request, template: str, status_code: int = 200, **ctx: Any) -> Response:
    ctx.setdefault("person", signed_in(request))
    return render(request, f"team/{template}", ctx, status_code=status_code)


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


# --- signing in ---------------------------------------------------------------------------


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return _page(request, "login.html", title="Sign in", next=safe_next(next), error=None)


@router.post("/login")
def login(
    request: Request,
    db: Db,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    try:
        who = accounts.authenticate(db, email, password)
    except InputError as error:
        return _page(
            request, "login.html", 400, title="Sign in", next=safe_next(next), error=str(error)
        )
    response = _back(safe_next(next))
    set_session_cookie(request, response, auth.sign_in(db, who))
    return response


@router.post("/logout")
def logout(request: Request, db: Db) -> Response:
    auth.sign_out(db, request.cookies.get(auth.COOKIE))
    response = _back("/login")
    clear_session_cookie(request, response)
    return response


@router.post("/logout/everywhere")
def logout_everywhere(request: Request, db: Db, who: Who) -> Response:
    auth.sign_out_everywhere(db, who.user_id)
    response = _back("/login")
    clear_session_cookie(request, response)
    return response


# --- home ---------------------------------------------------------------------------------


@router.get("/")
def home(request: Request, db: Db, who: Who) -> Response:
    pack = get_pack(DEFAULT_PACK_ID)
    mocks = live.mocks_of(db, who)
    coaches = coaching.coaches(db, who)
    return _page(
        request,
        "home.html",
        title="Team",
        pack=pack,
        mocks=mocks,
        coaches=coaches,
    )


# --- live mocks ---------------------------------------------------------------------------


@router.post("/live")
def start_live(
    request: Request,
    db: Db,
    who: Who,
    round_id: Annotated[str, Form(max_length=100)],
    pack_id: Annotated[str, Form(max_length=64)] = DEFAULT_PACK_ID,
) -> Response:
    started = live.start(db, who, request.app.state.team_secret, pack_id, round_id)
    return _back(f"/live/{started.mock.id}?invite={started.token}")


@router.post("/live/{mock_id}/invite")
def reinvite(request: Request, db: Db, who: Who, mock_id: str) -> Response:
    token = live.reinvite(db, who, request.app.state.team_secret, mock_id)
    return _back(f"/live/{mock_id}?invite={token}")


@router.get("/live/{mock_id}")
async def room(request: Request, mock_id: str, invite: str = "") -> Response:
    # The page many load at once. With the live pool (PostgreSQL, the app started), the
    # sign-in and the mock are read in the event loop, two statements on one connection,
    # no thread and no ORM; otherwise everything takes one trip to the thread pool.
    pool = request.app.state.live_bus.pool_here()
    if pool is not None:
        try:
            read = await _room_reads(request, pool, mock_id)
        except StorageError:
            read = None  # the live pool failed: the thread's path reads (or says why)
        if read is not None:
            mock, state = read
            return await _room_page(request, mock, state, invite)
    return await run_in_threadpool(_room, request, mock_id, invite)


async def _room_reads(
    request: Request, pool: Any, mock_id: str
) -> tuple[LiveMock, dict[str, Any]] | None:
    """The sign-in and the mock with its state, read on the live pool; None if there is
    no such mock (the thread's path then refuses it as it refuses every other)."""
    async with live.live_connection(pool) as conn:
        who = await auth.current_async(conn, request.cookies.get(auth.COOKIE))
        request.state.team_person = who  # what signed_in() and the page's layout use
        if who is None:
            raise LoginRequired(request.url.path)
        return await live.mock_and_snapshot(conn, mock_id)


async def _room_page(
    request: Request, mock: LiveMock, state: dict[str, Any], invite: str
) -> Response:
    db, who = team_db(request), require_person(request)
    if who.user_id in (mock.user_id, mock.peer_user_id):
        role = mock_role(db, who, mock)  # the candidate or the peer: no query
    else:  # anyone else is a coach the candidate invited, or nobody
        role = await run_in_threadpool(mock_role, db, who, mock)
    if role is None:
        raise NotAllowed("live mock")
    return _room_for(request, mock, role, state, invite)


def _room(request: Request, mock_id: str, invite: str) -> Response:
    db, who = team_db(request), require_person(request)
    mock, role = load_mock(db, who, mock_id)
    return _room_for(request, mock, role, live.snapshot(db, mock.id), invite)


def _room_for(
    request: Request, mock: LiveMock, role: str, state: dict[str, Any], invite: str
) -> Response:
    if role == "coach":
        return _back(f"/live/{mock.id}/report")
    _, rnd, prompt = live.round_and_prompt(mock)
    invite_url = ""
    if invite and role == "candidate" and mock.peer_user_id is None:
        invite_url = str(request.base_url).rstrip("/") + f"/join/{invite}"
    return _page(
        request,
        "room.html",
        title=f"Live mock: {rnd.name}",
        mock=mock,
        role=role,
        round=rnd,
        prompt=prompt,
        guide=live.guide(mock) if role == "interviewer" else None,
        state=state,
        invite_url=invite_url,
    )


@router.get("/live/{mock_id}/events")
def events(db: Db, who: Who, mock_id: str, after: int = 0) -> Response:
    mock, _role = load_mock(db, who, mock_id)
    return JSONResponse({"events": live.events_after(db, mock.id, max(0, after))})


@router.post("/live/{mock_id}/action")
async def action(request: Request, db: Db, who: Who, mock_id: str) -> Response:
    """The same actions as the WebSocket, for a page without one (and for scripts)."""
    await run_in_threadpool(load_mock, db, who, mock_id)  # a stranger learns nothing more
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise InputError("Send one action as a JSON object.")
    change = await run_in_threadpool(live.apply, db, who, mock_id, body)
    if change is not None:
        await run_in_threadpool(jobs.after_event, db, change.kind, mock_id)
        if change.kind in live.ANNOUNCED_AFTER_WORK:
            await run_in_threadpool(live.announce, db, change)
        request.app.state.live_bus.publish(mock_id, change.seq, change.prev, change.message)
    return JSONResponse({"seq": change.seq if change else None})


@router.get("/live/{mock_id}/report")
def report(request: Request, db: Db, who: Who, mock_id: str) -> Response:
    mock, role = load_mock(db, who, mock_id)
    if role == "interviewer" and mock.status != "ended":
        return _back(f"/live/{mock_id}")
    return _page(
        request,
        "report.html",
        title="Live mock report",
        mock=mock,
        role=role,
        report=reports.live_report(db, mock, jobs.grading_status(db, mock.id)),
        comments=coaching.comments(db, mock.id) if role in ("candidate", "coach") else [],
    )


# --- joining ------------------------------------------------------------------------------


@router.get("/join/{token}")
def join_page(request: Request, db: Db, token: str) -> Response:
    error = None
    try:
        invitations.read(request.app.state.team_secret, token)
    except invitations.InvitationRefused as refused:
        error = str(refused)
    return _page(
        request,
        "join.html",
        400 if error else 200,
        title="Join a live mock",
        token=token,
        error=error,
        next=f"/join/{token}",
    )


@router.post("/join/{token}")
def join(request: Request, db: Db, who: Who, token: str) -> Response:
    mock = live.join(db, who, request.app.state.team_secret, token)
    request.app.state.live_bus.wake(mock.id)
    return _back(f"/live/{mock.id}")


@router.post("/signup")
def signup(
    request: Request,
    db: Db,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
    token: Annotated[str, Form(max_length=2000)],
) -> Response:
    """Create an account to join a mock: only with a good invitation in hand."""
    try:
        invitations.read(request.app.state.team_secret, token)
        who = accounts.create_account(db, email, password, "candidate")
    except InputError as error:
        return _page(
            request,
            "join.html",
            400,
            title="Join a live mock",
            token=token,
            error=str(error),
            next=f"/join/{token}",
        )
    response = _back(f"/join/{token}")
    set_session_cookie(request, response, auth.sign_in(db, who))
    return response
