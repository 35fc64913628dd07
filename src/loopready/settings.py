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
    """The data folder, created on first use."""
    env = os.environ.get("LOOPREADY_HOME")
    path = Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


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


def model_cache_dir() -> Path:
    """Where derived model files are kept (``LOOPREADY_MODEL_CACHE``, or the user cache folder).

    Separate from the data folder: the files depend only on the installed packages, so
    every data folder on the machine shares them.
    """
    env = os.environ.get("LOOPREADY_MODEL_CACHE")
    return Path(env).expanduser() if env else Path(platformdirs.user_cache_dir(APP_NAME)) / "models"
