"""Show a report as one self-contained HTML page.

The articles stand side by side, each in its own scrolling column, with every quote, claim,
fact and credit marked at its span. Beside them stand the findings, grouped by event, each
group in the order of the report (conflicts, agreements, then what only one outlet says,
grouped by outlet). Opening a finding shows its versions with the differing words marked and
lights up its members in the articles; clicking a marked passage opens its finding.

The page loads nothing from anywhere: its style and its few lines of script are inline. All
article text is escaped (the template autoescapes; highlighted text is built with
``markupsafe.escape``), so an article that contains markup shows it as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from verifier.models import TEXT_FINDER, Article, Claim, Fact, Finding, Origin, Quote, Report
from verifier.render import (  # shared with the Markdown and terminal layouts
    _difference_line,
    _Index,
    _marked_versions,
    _model_claim_line,
    _model_claims,
    _model_heading,
    _Segment,
    _shorten,
    _speaker,
    _summary,
    _verbatim,
    _verdict_line,
)

__all__ = ["render_html"]

_ENVIRONMENT = Environment(
    loader=PackageLoader("verifier", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_GIST_CHARS = 120


# --- text with spans marked --------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    """A stretch of text to wrap in ``tag``; ``anchor`` is the id of its first element."""

    start: int
    end: int
    attrs: Mapping[str, str]
    anchor: str | None = None
    tag: str = "span"


def _open_tag(span: _Span, first: bool) -> Markup:
    attrs = dict(span.attrs)
    if first and span.anchor:
        attrs["id"] = span.anchor
    rendered = Markup("").join(Markup(' {}="{}"').format(Markup(k), v) for k, v in attrs.items())
    return Markup("<{}{}>").format(Markup(span.tag), rendered)


def _marked_text(text: str, spans: Iterable[_Span], offset: int = 0) -> Markup:
    """``text`` escaped, with each span wrapped in its element; ``offset`` is where ``text``
    starts in the article the spans index into.

    Spans may nest or cross. The text is cut at every span boundary; at each cut the elements
    that no longer match the open spans are closed and the ones now needed are opened, the
    outer (earlier, longer) span first. A span cut this way goes on in a second element
    without the id, so each id stays on one element.
    """
    end_of_text = offset + len(text)
    inside = [s for s in spans if offset <= s.start < s.end <= end_of_text]
    cuts = sorted({offset, end_of_text} | {s.start for s in inside} | {s.end for s in inside})
    parts: list[Markup] = []
    open_spans: list[_Span] = []
    opened: set[int] = set()
    for start, end in pairwise(cuts):
        wanted = sorted(
            (s for s in inside if s.start <= start and end <= s.end),
            key=lambda s: (s.start, -s.end),
        )
        kept = 0
        while kept < min(len(open_spans), len(wanted)) and open_spans[kept] is wanted[kept]:
            kept += 1
        parts += [Markup(f"</{s.tag}>") for s in reversed(open_spans[kept:])]
        for span in wanted[kept:]:
            parts.append(_open_tag(span, id(span) not in opened))
            opened.add(id(span))
        parts.append(escape(text[start - offset : end - offset]))
        open_spans = wanted
    parts += [Markup(f"</{s.tag}>") for s in reversed(open_spans)]
    return Markup("").join(parts)


# --- the articles ------------------------------------------------------------------------

_Item = Quote | Claim | Fact | Origin


def _item_span(item: _Item, finding_of: Mapping[str, str]) -> _Span | None:
    if item.start is None or item.end is None:  # a model claim that is not in the text
        return None
    if isinstance(item, Quote):
        css, title = "quote", _speaker(item) + (f", {item.cue}" if item.cue else "")
    elif isinstance(item, Claim):
        css = "claim" if item.by == TEXT_FINDER else "claim model"
        title = "statement" if item.by == TEXT_FINDER else f"claim by {item.by}"
    elif isinstance(item, Fact):
        css, title = "fact", f"{item.kind}: {item.value if item.resolved else 'unresolved'}"
    else:
        css, title = "origin", f"{item.kind}: {item.outlet}"
    attrs = {"class": f"hl {css}", "data-item": item.id, "title": f"{title} · {item.id}"}
    if item.id in finding_of:
        attrs["data-finding"] = finding_of[item.id]
    return _Span(item.start, item.end, attrs, anchor=item.id)


def _article_text(report: Report, article: Article, finding_of: Mapping[str, str]) -> Markup:
    items: Iterable[_Item] = [*report.claims, *report.quotes, *report.facts, *report.origins]
    spans = [_item_span(item, finding_of) for item in items if item.article == article.id]
    if article.body_start:
        spans.append(_Span(0, article.body_start, {"class": "meta"}))
    return _marked_text(article.text, [span for span in spans if span])


@dataclass(frozen=True)
class _Column:
    article: Article
    text: Markup


# --- the findings ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Version:
    """One member of a finding as its card shows it."""

    item_id: str
    source: str
    who: str
    words: Markup
    location: str | None


@dataclass(frozen=True)
class _Card:
    finding: Finding
    title: str
    gist: str
    versions: list[_Version]
    differences: list[str]
    verdict: str | None
    verdict_grounded: bool


@dataclass(frozen=True)
class _Group:
    """The findings about one event (or about none): shared ones, then one outlet's."""

    title: str
    shared: list[_Card] = field(default_factory=list)
    unique: dict[str, list[_Card]] = field(default_factory=dict)


def _location(index: _Index, item: Quote | Claim) -> str | None:
    return None if item.start is None else f"{index.source(item)} [{item.start}:{item.end}]"


def _diff_words(segments: list[_Segment]) -> Markup:
    def one(segment: _Segment) -> Markup:
        if segment.kind == "differs":
            return Markup("<mark>{}</mark>").format(segment.words)
        if segment.kind == "gap":
            return Markup('<span class="gap" title="words left out">{}</span>').format(
                segment.words
            )
        return escape(segment.words)

    return Markup(" ").join(one(segment) for segment in segments)


def _quote_versions(index: _Index, finding: Finding) -> list[_Version]:
    quotes = index.member_quotes(finding)
    return [
        _Version(
            quote.id,
            index.source(quote),
            _speaker(quote) + (f", {quote.cue}" if quote.cue else ""),
            _diff_words(marked),
            _location(index, quote),
        )
        for quote, marked in zip(quotes, _marked_versions(quotes), strict=True)
    ]


def _claim_versions(index: _Index, finding: Finding) -> list[_Version]:
    versions = []
    for claim in index.member_claims(finding):
        # Each side of a difference is marked in the sentence that holds it.
        marks = [
            _Span(side.start, side.end, {"title": diff.slot}, tag="mark")
            for diff in finding.differences
            for side in (diff.left, diff.right)
            if side.article == claim.article
        ]
        words = (
            escape(claim.text)
            if claim.start is None
            else _marked_text(claim.text, marks, offset=claim.start)
        )
        versions.append(_Version(claim.id, index.source(claim), "", words, _location(index, claim)))
    return versions


def _gist(item: Quote | Claim) -> str:
    """A finding in one line: its first quote or sentence, shortened."""
    if isinstance(item, Quote):
        return f"{_speaker(item)}: “{_shorten(item.text, _GIST_CHARS)}”"
    return _shorten(item.text, _GIST_CHARS)


def _card(index: _Index, finding: Finding) -> _Card:
    quote = finding.kind == "quote"
    first = index.quotes[finding.members[0]] if quote else index.claims[finding.members[0]]
    return _Card(
        finding,
        _gist(first) if finding.relation == "unique" else _summary(finding),
        _gist(first),
        _quote_versions(index, finding) if quote else _claim_versions(index, finding),
        [_difference_line(index, diff, _verbatim) for diff in finding.differences],
        _verdict_line(finding, _verbatim),
        finding.verdict is None or finding.verdict.grounded,
    )


def _groups(index: _Index) -> list[_Group]:
    """Findings grouped by event, the events in the order of their first finding."""
    labels = {event.id: f"Event {event.id}: {event.label}" for event in index.report.events}
    groups: dict[str | None, _Group] = {}
    for finding in index.report.findings:
        title = labels.get(finding.event, "Findings") if finding.event else "Not tied to an event"
        group = groups.setdefault(finding.event, _Group(title))
        card = _card(index, finding)
        if finding.relation == "unique":
            group.unique.setdefault(finding.sources[0], []).append(card)
        else:
            group.shared.append(card)
    outlets = [article.source for article in index.report.articles]
    for group in groups.values():
        ordered = sorted(group.unique.items(), key=lambda item: outlets.index(item[0]))
        group.unique.clear()
        group.unique.update(ordered)
    # The findings that belong to no event come last, whatever their order in the report.
    return sorted(groups.values(), key=lambda group: group is groups.get(None))


# --- the page ----------------------------------------------------------------------------


def _provenance(report: Report) -> list[tuple[str, str]]:
    """Which tool, model and prompts made the report, for the page header."""
    rows = [("verifier", report.version)]
    if report.model:
        rows.append(("model", report.model))
    if report.prompts:
        # Prompt versions are named after their prompt ("claims.v1"); say the name otherwise.
        versions = [v if v.startswith(k) else f"{k} {v}" for k, v in report.prompts.items()]
        rows.append(("prompts", ", ".join(versions)))
    return rows


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (no network resources)."""
    index = _Index.of(report)
    finding_of = {member: f.id for f in report.findings for member in f.members}
    return _ENVIRONMENT.get_template("report.html.j2").render(
        provenance=_provenance(report),
        settings=[(name, str(value)) for name, value in report.settings.items()],
        counts=f"{len(report.quotes)} quotes, {len(report.claims)} claims, "
        f"{len(report.facts)} facts",
        columns=[_Column(a, _article_text(report, a, finding_of)) for a in report.articles],
        groups=_groups(index),
        model_heading=_model_heading(report),
        model_claims=[
            (claim, _model_claim_line(index, claim, _verbatim)) for claim in _model_claims(report)
        ],
    )
