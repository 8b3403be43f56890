"""A SQLite cache of model answers, so that a rerun on the same articles makes no model call.

The key is a sha256 of everything that shapes the answer: the text asked about, the model id,
the prompt version and digest, the answer's schema and the request settings. The value is the
answer's JSON. WAL mode and a busy timeout let concurrent runs share one file; each write is
one transaction, so a crash mid-write leaves the previous state.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

__all__ = ["Cache", "cache_key", "default_cache_path"]

_BUSY_TIMEOUT_S = 30.0


def default_cache_path() -> Path:
    """``$XDG_CACHE_HOME/verifier/cache.sqlite``, else ``~/.cache/verifier/cache.sqlite``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "verifier" / "cache.sqlite"


def cache_key(**parts: Any) -> str:
    """The sha256 of ``parts`` as canonical JSON."""
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class Cache:
    """Answers by key in one SQLite file. Safe to share between threads and processes: every
    operation opens its own short connection."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as connection, connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS answers "
                "(key TEXT PRIMARY KEY, answer TEXT NOT NULL, "
                "created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
            )

    def get(self, key: str) -> str | None:
        with closing(self._connect()) as connection:
            row = connection.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, answer: str) -> None:
        with closing(self._connect()) as connection, connection:
            connection.execute(
                "INSERT OR REPLACE INTO answers (key, answer) VALUES (?, ?)", (key, answer)
            )

    def __len__(self) -> int:
        with closing(self._connect()) as connection:
            return int(connection.execute("SELECT count(*) FROM answers").fetchone()[0])

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S)
        connection.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT_S * 1000)}")
        return connection
