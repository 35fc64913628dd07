"""``loopready serve``: run the web app on this computer."""

from __future__ import annotations

import ipaddress
import threading
import time
import urllib.error
import urllib.request
import webbrowser

import click


def is_loopback(host: str) -> bool:
    """Whether *host* is reachable only from this computer (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def browser_url(host: str, port: int) -> str:
    """The address to open in a browser for a server bound to *host*."""
    shown = host
    if host in {"0.0.0.0", "::", "[::]"}:
        shown = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        shown = f"[{host}]"
    return f"http://{shown}:{port}/"


#: How long --open waits for the server to answer before opening the browser anyway.
OPEN_TIMEOUT_S = 20.0


def _open_when_ready(url: str) -> None:
    deadline = time.monotonic() + OPEN_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "healthz", timeout=1):
                break
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    webbrowser.open(url)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the app in your web browser.")
@click.option("--reload", is_flag=True, hidden=True, help="Restart on code changes (developers).")
@click.option(
    "--team",
    is_flag=True,
    envvar="LOOPREADY_TEAM",
    help="Team mode: accounts, live peer mocks and coaches, on PostgreSQL (docs/team.md).",
)
def serve(host: str, port: int, open_browser: bool, reload: bool, team: bool) -> None:
    """Start the web app: practise rounds, read your reports and run the debrief.

    It listens on 127.0.0.1 (this computer only) unless you pass --host. Anyone who can
    reach another address can read and change your practice data: loopready has no
    login, so only do that on a network you trust.

    The app answers only to 127.0.0.1, localhost, [::1] and the --host address (a page
    of another site cannot reach it through a name of its own); set LOOPREADY_PUBLIC_HOST
    to a name to serve it under that name as well.

    \b
    Example:
        loopready serve --open
    """
    import os

    import uvicorn

    from loopready import settings
    from loopready.store import open_db

    # The app answers to the names in settings.allowed_hosts(), this address among them.
    os.environ[settings.SERVE_HOST_ENV] = host
    if team:
        from loopready.team.mode import TEAM_ENV, require_postgres

        require_postgres(os.environ.get("LOOPREADY_DATABASE_URL"))
        os.environ[TEAM_ENV] = "1"

    # Open (and migrate) the database now, so a problem is one clear error line.
    with open_db() as db:
        where = db.url
    url = browser_url(host, port)
    click.echo(f"loopready is running at {url}  (data: {where})")
    if team:
        click.echo(
            "Team mode: people sign in; make the first account with `loopready team add-user`."
        )
    elif not is_loopback(host):
        click.secho(
            f"Warning: listening on {host}, which other computers can reach. loopready has no "
            "login: anyone who can reach this address can read and change your practice "
            "data. Use --host 127.0.0.1 unless you trust every device on this network.",
            fg="yellow",
            err=True,
        )
    click.echo("Press Ctrl+C to stop.")
    if open_browser:
        threading.Thread(target=_open_when_ready, args=(url,), daemon=True).start()
    uvicorn.run(
        "loopready.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
    )
