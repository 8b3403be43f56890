"""verifier: line up the quotes, claims and facts of several news articles on one event, and
report where the sources agree, where they conflict, and what only one of them says.

    from verifier import compare, load_article
    report = compare([load_article(p) for p in paths])
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("verifier")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

from verifier.cache import Cache
from verifier.compare import Extraction, compare, extract
from verifier.errors import ConfigError, InputError, ModelError, VerifierError
from verifier.facts import find_facts
from verifier.html import render_html
from verifier.ingest import load_article, load_articles
from verifier.models import (
    Article,
    Claim,
    Difference,
    Event,
    Fact,
    Finding,
    Origin,
    Quote,
    Report,
    Side,
    Verdict,
)
from verifier.quotes import find_quotes
from verifier.relate import Judgement, relate, relate_lines
from verifier.render import render_markdown, render_terminal, render_text
from verifier.settings import ModelSettings

__all__ = [
    "Article",
    "Cache",
    "Claim",
    "ConfigError",
    "Difference",
    "Event",
    "Extraction",
    "Fact",
    "Finding",
    "InputError",
    "Judgement",
    "ModelError",
    "ModelSettings",
    "Origin",
    "Quote",
    "Report",
    "Side",
    "Verdict",
    "VerifierError",
    "__version__",
    "compare",
    "extract",
    "find_facts",
    "find_quotes",
    "load_article",
    "load_articles",
    "relate",
    "relate_lines",
    "render_html",
    "render_markdown",
    "render_terminal",
    "render_text",
]
