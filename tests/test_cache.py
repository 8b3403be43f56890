from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from verifier.cache import Cache, cache_key, default_cache_path


def test_a_stored_answer_comes_back_by_key(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite")
    key = cache_key(text="Japan protested.", model="m", prompt="claims.v1")
    assert cache.get(key) is None
    cache.put(key, '{"claims": []}')
    assert cache.get(key) == '{"claims": []}'
    assert Cache(tmp_path / "c.sqlite").get(key) == '{"claims": []}'
    assert len(cache) == 1


def test_the_key_changes_with_every_part_and_not_with_their_order() -> None:
    base = {"text": "t", "model": "m", "prompt": "claims.v1", "max_tokens": 2048}
    key = cache_key(**base)
    assert cache_key(**dict(reversed(base.items()))) == key
    for name, other in [
        ("text", "t2"),
        ("model", "m2"),
        ("prompt", "claims.v2"),
        ("max_tokens", 1),
    ]:
        assert cache_key(**{**base, name: other}) != key
    assert len(key) == 64


def test_the_default_path_follows_xdg_cache_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_path() == tmp_path / "verifier" / "cache.sqlite"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_cache_path() == tmp_path / ".cache" / "verifier" / "cache.sqlite"


def test_the_cache_uses_write_ahead_logging(tmp_path: Path) -> None:
    Cache(tmp_path / "c.sqlite")
    with sqlite3.connect(tmp_path / "c.sqlite") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _write_many(path: str, worker: int) -> None:
    cache = Cache(Path(path))
    for number in range(50):
        cache.put(f"{worker}-{number}", str(number))


def test_concurrent_processes_share_one_cache(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    Cache(path)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(str(path), n)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert len(Cache(path)) == 200


def test_a_write_that_fails_midway_leaves_the_previous_answer(tmp_path: Path) -> None:
    """A write is one transaction: what a crash interrupts is rolled back, not half-stored."""
    path = tmp_path / "c.sqlite"
    cache = Cache(path)
    cache.put("k", "old")
    connection = sqlite3.connect(path)
    with pytest.raises(RuntimeError), connection:
        connection.execute("INSERT OR REPLACE INTO answers (key, answer) VALUES ('k', 'new')")
        raise RuntimeError("crash between the write and the commit")
    connection.close()
    assert cache.get("k") == "old"
