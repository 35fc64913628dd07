"""Where loopready keeps its data, and how it reaches its database.

``LOOPREADY_HOME`` overrides the platform's user-data folder (as llm's
``LLM_USER_PATH`` does); ``LOOPREADY_DATABASE_URL`` selects another database,
for example PostgreSQL, instead of the SQLite file inside the data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "loopready"


def data_dir() -> Path:
    """The data folder, created on first use, readable by its owner only (0700)."""
    env = os.environ.get("LOOPREADY_HOME")
    path = Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    make_private(path)
    return path


def make_private(path: Path) -> None:
    """Take group and other permissions off *path* (an older install made it 0755 / 0644).

    Nothing happens where permissions cannot be changed (another owner, Windows).
    """
    try:
        mode = path.stat().st_mode
        if mode & 0o077:
            path.chmod(mode & 0o700)
    except OSError:
        pass


def user_packs_dir() -> Path:
    """Where user packs live: ``<data folder>/packs``."""
    return data_dir() / "packs"


def database_url() -> str:
    """``LOOPREADY_DATABASE_URL`` or the SQLite file in the data folder."""
    env = os.environ.get("LOOPREADY_DATABASE_URL")
    if env:
        return env
    return f"sqlite:///{data_dir() / 'loopready.db'}"


def model_dir() -> Path | None:
    """A folder with the user's own embedding model files (``LOOPREADY_MODEL_DIR``)."""
    env = os.environ.get("LOOPREADY_MODEL_DIR")
    return Path(env).expanduser() if env else None


#: The address ``loopready serve --host`` listens on; the serve command sets it for the app.
SERVE_HOST_ENV = "LOOPREADY_HOST"
#: A public name the app also answers to (a future team mode behind a proxy), e.g.
#: ``prep.example.org``; several names may be separated by commas.
PUBLIC_HOST_ENV = "LOOPREADY_PUBLIC_HOST"
#: The names every install answers to: this computer only.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def allowed_hosts() -> tuple[str, ...]:
    """The host names the web app answers to (``Host`` and ``Origin`` are checked against them).

    Loopback names always; the address given to ``loopready serve --host`` unless it is a
    wildcard (0.0.0.0, ::), which is not a name a browser uses; and the names in
    ``LOOPREADY_PUBLIC_HOST``.
    """
    names = list(LOOPBACK_HOSTS)
    serve_host = os.environ.get(SERVE_HOST_ENV, "").strip()
    public = os.environ.get(PUBLIC_HOST_ENV, "")
    extra = [serve_host, *public.split(",")]
    for raw in extra:
        name = raw.strip().lower()
        if not name or name in {"0.0.0.0", "::", "[::]"}:
            continue
        name = _host_name(name)
        if name not in names:
            names.append(name)
    return tuple(names)


def _host_name(value: str) -> str:
    """*value* as it appears in a ``Host`` header, without a port: IPv6 in brackets."""
    import ipaddress

    if value.startswith("[") and "]" in value:  # [::1] or [::1]:8000
        value = value[1 : value.index("]")]
    try:
        address = ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return value.split(":", 1)[0]  # a name, perhaps written with its port
    return f"[{address.compressed}]" if address.version == 6 else str(address)


def model_cache_dir() -> Path:
    """Where derived model files are kept (``LOOPREADY_MODEL_CACHE``, or the user cache folder).

    Separate from the data folder: the files depend only on the installed packages, so
    every data folder on the machine shares them.
    """
    env = os.environ.get("LOOPREADY_MODEL_CACHE")
    return Path(env).expanduser() if env else Path(platformdirs.user_cache_dir(APP_NAME)) / "models"
