"""Find what each article says and line it up across articles, with no model.

The stages: ``extract`` finds each article's quotes, facts and statements (sentences that
state facts, hold quotes or report what someone said); quotes with the same or nearly the same
words form one finding that says how the versions relate; statements are lined up by
``verifier.align``; ``verifier.origin`` counts the independent sources behind each finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from rapidfuzz import fuzz

from verifier import __version__
from verifier.align import (
    STOPWORDS,
    Groups,
    content_words,
    shared_word_pairs,
    statement_findings,
    words,
)
from verifier.cache import Cache
from verifier.errors import ConfigError
from verifier.facts import find_facts
from verifier.models import (
    Article,
    Claim,
    Difference,
    Event,
    Fact,
    Fidelity,
    Finding,
    Origin,
    Quote,
    Report,
    Side,
)
from verifier.origin import find_origins, independent_sources
from verifier.quotes import find_quotes, reports_speech
from verifier.settings import ModelSettings
from verifier.text import paragraphs, sentences


@dataclass(frozen=True)
class Extraction:
    """What one article says: its quotes, facts and statements (claims)."""

    quotes: list[Quote]
    facts: list[Fact]
    claims: list[Claim]


def extract(article: Article) -> Extraction:
    """Find the quotes, facts and statements of one article. A statement (claim) is a sentence
    that states a fact, holds a quote or reports what someone said."""
    quotes = find_quotes(article)
    facts = find_facts(article)
    claims: list[Claim] = []
    for paragraph in paragraphs(article.text, article.body_start):
        for start, end in sentences(article.text, *paragraph):
            held = [f.id for f in facts if start <= f.start and f.end <= end]
            inside = [q.id for q in quotes if start <= q.start and q.end <= end]
            if not (held or inside or reports_speech(article.text, start, end)):
                continue
            claims.append(
                Claim(
                    id=f"{article.id}.c{len(claims)}",
                    article=article.id,
                    text=article.text[start:end],
                    start=start,
                    end=end,
                    facts=held,
                    quotes=inside,
                )
            )
    return Extraction(quotes=quotes, facts=facts, claims=claims)


def compare(
    articles: Sequence[Article],
    *,
    model: ModelSettings | None = None,
    cache: Cache | None = None,
    progress: Callable[[Article], None] | None = None,
) -> Report:
    """Find what each article says and report where the articles agree, conflict, or stand
    alone. One article gives its quotes, facts and claims and nothing to compare.

    With ``model`` configured, a model adds atomic claims to each article, each checked
    against the text (``grounded``), and (``model.judge``) a verdict beside each finding that
    lines up quotes or statements, its citations checked against their words; answers are
    kept in ``cache`` when one is given.
    ``progress`` is called with an article each time a stage is done with it.
    """
    extractions = []
    for article in articles:
        extractions.append(extract(article))
        if progress is not None:
            progress(article)
    model_claims: list[Claim] = []
    if model is not None and model.configured:
        model_claims = _model_claims(articles, model, cache, progress)
    quotes = [q for e in extractions for q in e.quotes]
    facts = [f for e in extractions for f in e.facts]
    claims = [c for e in extractions for c in e.claims]
    sources = {article.id: article.source for article in articles}
    findings: list[Finding] = []
    origins: list[Origin] = []
    events: list[Event] = []
    if len(articles) > 1:
        origins = find_origins(articles)
        findings = list(_quote_findings(quotes, sources))
        by_id = {article.id: article for article in articles}
        statements, events = statement_findings(claims, {f.id: f for f in facts}, by_id, findings)
        findings.extend(statements)
        spans = {q.id: (q.article, q.start, q.end) for q in quotes}
        spans.update({c.id: (c.article, *c.span) for c in claims})
        for finding in findings:
            if finding.relation != "unique":
                _count_independent(finding, [spans[m] for m in finding.members], origins, sources)
    order = {"conflict": 0, "agree": 1, "unique": 2}
    event_order = {event.id: n for n, event in enumerate(events)}
    findings.sort(key=lambda f: (order[f.relation], event_order.get(f.event or "", len(events))))
    for number, finding in enumerate(findings):
        finding.id = f"F{number}"
    provenance = _provenance(model) if model is not None and model.configured else {}
    report = Report(
        version=__version__,
        **provenance,
        articles=list(articles),
        quotes=quotes,
        facts=facts,
        claims=claims + model_claims,
        origins=origins,
        events=events,
        findings=findings,
    )
    if model is not None and model.configured and model.judge:
        _judge(report, model, cache)
    return report


def _model_claims(
    articles: Sequence[Article],
    settings: ModelSettings,
    cache: Cache | None,
    progress: Callable[[Article], None] | None,
) -> list[Claim]:
    """The claims a model finds in each article, several articles at a time, in order."""
    llm = model_path()
    with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
        futures = {
            pool.submit(llm.extract_claims, article, settings, cache=cache): article
            for article in articles
        }
        for future in as_completed(futures):
            future.result()
            if progress is not None:
                progress(futures[future])
        found = {futures[f].id: f.result() for f in futures}
    return [
        llm.to_claim(claim, f"{article.id}.m{number}")
        for article in articles
        for number, claim in enumerate(found[article.id])
    ]


def _judge(report: Report, settings: ModelSettings, cache: Cache | None) -> None:
    """Set a model's verdict beside the text's own relation on each lined-up finding."""
    verdicts = model_path().judge_findings(report, settings, cache=cache)
    for finding in report.findings:
        finding.verdict = verdicts.get(finding.id)


def model_path() -> ModuleType:
    """``verifier.llm``, the one module that imports openai and instructor; a ConfigError
    naming the extra to install when they are missing."""
    try:
        from verifier import llm
    except ImportError as error:
        raise ConfigError(
            f"the model path needs openai and instructor ({error.name} is missing): "
            "pip install 'verifier[model]'"
        ) from error
    return llm


def _provenance(settings: ModelSettings) -> dict[str, Any]:
    """What the report says about the model: its id, the prompt versions, and the settings
    that shape its answers (never the key)."""
    llm = model_path()
    return {
        "model": settings.model_id,
        "prompts": {"claims": llm.CLAIMS_PROMPT}
        | ({"judge": llm.JUDGE_PROMPT} if settings.judge else {}),
        "settings": {
            "endpoint": settings.endpoint,
            "mode": settings.instructor_mode,
            "timeout": settings.timeout,
            "max_retries": settings.max_retries,
            "reasks": settings.reasks,
            "concurrency": settings.concurrency,
            "char_budget": settings.char_budget,
            "max_tokens": settings.max_tokens,
            "judge_batch": settings.judge_batch if settings.judge else None,
        },
    }


def _count_independent(
    finding: Finding,
    members: list[tuple[str, int, int]],
    origins: list[Origin],
    sources: dict[str, str],
) -> None:
    count, notes = independent_sources(members, origins, sources)
    finding.independent_sources = count
    finding.explanation += f" Independent sources: {count}."
    if notes:
        finding.explanation += " " + " ".join(notes)


def quote_relation(left: str, right: str) -> Fidelity | None:
    """How two versions of a quote relate: identical, truncated (one is part of the other),
    variant (the wording differs), or None when they are not the same quote."""
    a, b = words(left), words(right)
    if not a or not b:
        return None
    if a == b:
        return "identical"
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) >= 2 and _contains(longer, shorter):
        return "truncated"
    shared = set(shorter) & set(longer)
    content = {w for w in shared if w not in STOPWORDS and len(w) > 3}
    if not content:
        return None
    if len(shorter) <= 4:
        # Short quotes: the same length and a shared content word ("extremely regrettable"
        # against "deeply regrettable").
        if len(longer) - len(shorter) <= 1 and len(shared) * 2 >= len(shorter):
            return "variant"
        return None
    score = fuzz.partial_ratio(" ".join(shorter), " ".join(longer))
    return "variant" if score >= 80 else None


def _contains(longer: list[str], shorter: list[str]) -> bool:
    width = len(shorter)
    return any(longer[i : i + width] == shorter for i in range(len(longer) - width + 1))


def same_speaker(left: str | None, right: str | None) -> bool | None:
    """Whether two speaker names name the same person; None when either is unknown."""
    if left is None or right is None:
        return None
    a, b = content_words(left), content_words(right)
    return bool(a & b) or left.lower() in right.lower() or right.lower() in left.lower()


def _quote_findings(quotes: list[Quote], sources: dict[str, str]) -> Iterable[Finding]:
    quote_words = [content_words(q.text) or set(words(q.text)) for q in quotes]
    groups = Groups(len(quotes))
    relations: dict[tuple[int, int], Fidelity] = {}
    owners = [q.article for q in quotes]
    for left, right in sorted(shared_word_pairs(owners, quote_words)):
        relation = quote_relation(quotes[left].text, quotes[right].text)
        if relation is not None:
            relations[left, right] = relation
            groups.join(left, right)
    for members in groups.members():
        group = [quotes[m] for m in members]
        if len({q.article for q in group}) < 2:
            for quote in group:
                yield _unique_quote(quote, sources)
            continue
        pair_relations = {r for (a, b), r in relations.items() if a in members and b in members}
        yield _shared_quote(group, pair_relations, sources)


def _unique_quote(quote: Quote, sources: dict[str, str]) -> Finding:
    who = quote.speaker or "an unnamed speaker"
    return Finding(
        id="",
        relation="unique",
        kind="quote",
        members=[quote.id],
        sources=[sources[quote.article]],
        explanation=f'Only {sources[quote.article]} quotes {who}: "{_clip(quote.text)}".',
        fidelity="unique",
    )


def _shared_quote(group: list[Quote], relations: set[Fidelity], sources: dict[str, str]) -> Finding:
    fidelity: Fidelity = next((f for f in ("variant", "truncated") if f in relations), "identical")
    speakers = [q.speaker for q in group if q.speaker]
    differ = any(same_speaker(a, b) is False for a in speakers for b in speakers if a is not b)
    outlets = sorted({sources[q.article] for q in group})
    longest = max(group, key=lambda q: len(q.text))
    named = ", ".join(sorted(set(speakers))) or "no named speaker"
    if fidelity == "identical":
        how = "in the same words"
    elif fidelity == "truncated":
        how = f"with {sources[longest.article]} giving the longest version"
    else:
        how = "in different words: " + " / ".join(
            f'{sources[q.article]}: "{_clip(q.text, 60)}"' for q in group
        )
    text = f"{len(outlets)} outlets quote {named} {how}."
    if differ:
        text += " The outlets give these words to different speakers."
    return Finding(
        id="",
        relation="agree" if fidelity != "variant" and not differ else "conflict",
        kind="quote",
        members=[q.id for q in group],
        sources=outlets,
        explanation=text,
        fidelity=fidelity,
        speakers_differ=differ,
        differences=_quote_differences(group, wording=fidelity == "variant", speakers=differ),
    )


def _quote_differences(group: list[Quote], *, wording: bool, speakers: bool) -> list[Difference]:
    """The versions of one quote, side by side, where the wording or the speaker differs: the
    first version of each other outlet against the first version of the first outlet."""
    first = group[0]
    found: list[Difference] = []
    for other in group[1:]:
        if other.article == first.article:
            continue
        if wording and quote_relation(first.text, other.text) == "variant":
            found.append(
                Difference(
                    slot="wording",
                    left=_quote_side(first),
                    right=_quote_side(other),
                    note=f'"{_clip(first.text, 60)}" against "{_clip(other.text, 60)}".',
                )
            )
        if speakers and same_speaker(first.speaker, other.speaker) is False:
            found.append(
                Difference(
                    slot="speaker",
                    left=_speaker_side(first),
                    right=_speaker_side(other),
                    note=f"{first.speaker} against {other.speaker}.",
                )
            )
    return found


def _quote_side(quote: Quote) -> Side:
    return Side(
        article=quote.article, text=quote.text, start=quote.start, end=quote.end, item=quote.id
    )


def _speaker_side(quote: Quote) -> Side:
    assert quote.speaker is not None and quote.speaker_start is not None
    assert quote.speaker_end is not None
    return Side(
        article=quote.article,
        text=quote.speaker,
        start=quote.speaker_start,
        end=quote.speaker_end,
        item=quote.id,
    )


def _clip(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
