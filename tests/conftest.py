from __future__ import annotations

from pathlib import Path

import pytest

from verifier import Article, load_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def seed_paths() -> list[str]:
    return SEEDS


@pytest.fixture(scope="session")
def ft_article() -> Article:
    """The seed that gives the short "have her back" and "extremely regrettable"."""
    return load_article(ROOT / "seeds" / "000_01b82f39c62d276e.txt", article_id="a0")


@pytest.fixture(scope="session")
def zh_article() -> Article:
    """The seed that gives Glass's longer quote and "deeply regrettable"."""
    return load_article(ROOT / "seeds" / "003_961c532401d1d023.txt", article_id="a1")
