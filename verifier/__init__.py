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

from verifier.compare import Extraction, compare, extract
from verifier.errors import InputError, VerifierError
from verifier.facts import find_facts
from verifier.ingest import load_article, load_articles
from verifier.models import Article, Claim, Difference, Fact, Finding, Origin, Quote, Report
from verifier.quotes import find_quotes
from verifier.relate import Judgement, relate, relate_lines

__all__ = [
    "Article",
    "Claim",
    "Difference",
    "Extraction",
    "Fact",
    "Finding",
    "InputError",
    "Judgement",
    "Origin",
    "Quote",
    "Report",
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
]
