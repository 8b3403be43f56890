"""Show a report to a person: as Markdown, or laid out with rich for a terminal or plain text.

Both layouts carry the same content in the same order: the articles; the conflicts, then the
agreements, each with its versions side by side and the words that differ marked; then what
only one outlet says, grouped by outlet. Every quoted thing is followed by its location,
``source [start:end]``, so an editor can check it against the article.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from verifier.models import (
    TEXT_FINDER,
    Article,
    Claim,
    Difference,
    Fact,
    Finding,
    Quote,
    Relation,
    Report,
    Side,
)

__all__ = ["render_markdown", "render_terminal", "render_text"]

_UNIQUE_LINE_CHARS = 200
"""How much of a quote or sentence a one-line entry under "Only in ..." shows."""

_GAP = "[…]"
_DIFFERS_STYLE = "bold yellow"
_RELATION_STYLE: dict[Relation, str] = {"conflict": "red", "agree": "green"}
_SHARED_SECTIONS: tuple[tuple[Relation, str], ...] = (
    ("conflict", "Conflicts"),
    ("agree", "Agreements"),
)
_WORD_PUNCTUATION = ".,;:!?\"'()-\u2013\u2014\u2026"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")

_Escape = Callable[[str], str]


def _verbatim(text: str) -> str:
    return text


# --- looking things up -------------------------------------------------------------------


@dataclass(frozen=True)
class _Index:
    """The report's items by id, and where each one stands in its article."""

    report: Report
    quotes: dict[str, Quote]
    claims: dict[str, Claim]
    facts: dict[str, Fact]

    @classmethod
    def of(cls, report: Report) -> _Index:
        return cls(
            report,
            {quote.id: quote for quote in report.quotes},
            {claim.id: claim for claim in report.claims},
            {fact.id: fact for fact in report.facts},
        )

    def source(self, item: Quote | Claim | Fact | Side) -> str:
        return self.report.article(item.article).source

    def location(self, item: Quote | Claim | Fact | Side, escape: _Escape = _verbatim) -> str:
        """Where the item stands: ``source [start:end]``."""
        return f"{escape(self.source(item))} [{item.start}:{item.end}]"

    def member_quotes(self, finding: Finding) -> list[Quote]:
        return [self.quotes[member] for member in finding.members]

    def member_claims(self, finding: Finding) -> list[Claim]:
        return [self.claims[member] for member in finding.members]

    def counts(self, article: Article) -> tuple[int, int]:
        """How many quotes and facts the article has."""
        quotes = sum(quote.article == article.id for quote in self.report.quotes)
        facts = sum(fact.article == article.id for fact in self.report.facts)
        return quotes, facts


def _findings(report: Report, relation: Relation) -> list[Finding]:
    return [finding for finding in report.findings if finding.relation == relation]


def _unique_by_outlet(index: _Index) -> dict[str, list[Quote | Claim]]:
    """What only one outlet says, grouped by outlet in the order the articles come."""
    grouped: dict[str, list[Quote | Claim]] = {
        article.source: [] for article in index.report.articles
    }
    for finding in _findings(index.report, "unique"):
        members: list[Quote] | list[Claim] = (
            index.member_quotes(finding)
            if finding.kind == "quote"
            else index.member_claims(finding)
        )
        for member in members:
            grouped[index.source(member)].append(member)
    return {source: items for source, items in grouped.items() if items}


# --- words shared by both layouts --------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _shorten(text: str, limit: int = _UNIQUE_LINE_CHARS) -> str:
    text = _one_line(text)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip() + "…"


def _nothing_to_compare(report: Report) -> str:
    if report.articles:
        return "Nothing to compare: the report has only one article."
    return "Nothing to compare: the report has no articles."


def _speaker(quote: Quote) -> str:
    if quote.speaker is None:
        return "unattributed"
    if quote.speaker_role:
        return f"{quote.speaker} ({quote.speaker_role})"
    return quote.speaker


def _summary(finding: Finding) -> str:
    """The heading of a finding: relation, kind, and how the versions differ."""
    parts: list[str] = [finding.relation, finding.kind]
    if finding.kind == "quote":
        parts.append(finding.fidelity or "fidelity unknown")
        parts.append("speakers differ" if finding.speakers_differ else "same speaker")
    elif finding.differences:
        parts.append("differs on " + ", ".join(diff.slot for diff in finding.differences))
    return f"{' · '.join(parts).capitalize()} ({finding.id})"


def _fact_value(fact: Fact) -> str:
    if not fact.resolved:
        return "unresolved"
    return f"{fact.value} {fact.unit}" if fact.unit else fact.value


def _fact_line(index: _Index, fact: Fact, escape: _Escape) -> str:
    return (
        f'{fact.kind}: "{escape(_one_line(fact.text))}" ({escape(_fact_value(fact))})'
        f" — {index.location(fact, escape)}"
    )


def _difference_line(index: _Index, difference: Difference, escape: _Escape) -> str:
    left, right = difference.left, difference.right
    line = (
        f'{difference.slot}: "{escape(_one_line(_shorten(left.text)))}"{_side_value(left, escape)}'
        f' vs "{escape(_one_line(_shorten(right.text)))}"{_side_value(right, escape)}'
        f" — {index.location(left, escape)} vs {index.location(right, escape)}"
    )
    return f"{line}. {escape(difference.note)}" if difference.note else line


def _side_value(side: Side, escape: _Escape) -> str:
    return f" ({escape(side.value)})" if side.value else ""


def _claim_line(index: _Index, claim: Claim, escape: _Escape) -> str:
    return f'"{escape(_one_line(claim.text))}" — {index.location(claim, escape)}'


def _quote_line(index: _Index, quote: Quote, escape: _Escape, shorten: bool = False) -> str:
    words = _shorten(quote.text) if shorten else _one_line(quote.text)
    return f'{escape(_speaker(quote))}: "{escape(words)}" — {index.location(quote, escape)}'


def _unique_line(index: _Index, item: Quote | Claim, escape: _Escape) -> str:
    if isinstance(item, Quote):
        return _quote_line(index, item, escape, shorten=True)
    return f'"{escape(_shorten(item.text))}" — {index.location(item, escape)}'


# --- word-level differences --------------------------------------------------------------

_SegmentKind = Literal["same", "differs", "gap"]


@dataclass(frozen=True)
class _Segment:
    kind: _SegmentKind
    words: str


def _word_key(word: str) -> str:
    # Case, curly quotes and the punctuation around a word follow each outlet's house style;
    # they are not a difference in what was said.
    return word.casefold().replace("\u2019", "'").strip(_WORD_PUNCTUATION)


def _opcodes(longest: list[str], other: list[str]) -> Sequence[tuple[str, int, int, int, int]]:
    matcher = SequenceMatcher(
        None, [_word_key(w) for w in longest], [_word_key(w) for w in other], autojunk=False
    )
    return matcher.get_opcodes()


def _segments_of_other(longest: list[str], other: list[str]) -> list[_Segment]:
    """A shorter or other version: its changed words, and gaps where it lacks words."""
    segments: list[_Segment] = []
    for tag, i1, i2, j1, j2 in _opcodes(longest, other):
        if tag == "equal":
            segments.append(_Segment("same", " ".join(other[j1:j2])))
        elif j1 < j2:
            segments.append(_Segment("differs", " ".join(other[j1:j2])))
        elif i1 < i2:
            segments.append(_Segment("gap", _GAP))
    return segments


def _segments_of_longest(longest: list[str], others: list[list[str]]) -> list[_Segment]:
    """The longest version: the words that some other version lacks or changes."""
    differs = [False] * len(longest)
    for other in others:
        for tag, i1, i2, _, _ in _opcodes(longest, other):
            if tag != "equal":
                differs[i1:i2] = [True] * (i2 - i1)
    segments: list[_Segment] = []
    for position, word in enumerate(longest):
        kind: _SegmentKind = "differs" if differs[position] else "same"
        if segments and segments[-1].kind == kind:
            segments[-1] = _Segment(kind, f"{segments[-1].words} {word}")
        else:
            segments.append(_Segment(kind, word))
    return segments


def _marked_versions(quotes: list[Quote]) -> list[list[_Segment]]:
    """Each quote's words, marked against the longest version in the group."""
    words = [quote.text.split() for quote in quotes]
    longest = max(range(len(words)), key=lambda i: (len(words[i]), len(quotes[i].text)))
    others = [version for i, version in enumerate(words) if i != longest]
    return [
        _segments_of_longest(version, others)
        if i == longest
        else _segments_of_other(words[longest], version)
        for i, version in enumerate(words)
    ]


# --- Markdown ----------------------------------------------------------------------------


def _md(text: str) -> str:
    """Article text made safe inside Markdown: one line, with markup characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _one_line(text))


def _md_table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _md_segment(segment: _Segment) -> str:
    if segment.kind == "gap":
        return segment.words
    if segment.kind == "differs":
        return f"**{_md(segment.words)}**"
    return _md(segment.words)


def _md_marked(segments: list[_Segment]) -> str:
    return " ".join(_md_segment(segment) for segment in segments)


def _md_articles(index: _Index) -> list[str]:
    rows = []
    for article in index.report.articles:
        quotes, facts = index.counts(article)
        date = article.date.isoformat() if article.date else "no date"
        title = _md(article.title) if article.title else ""
        rows.append([_md(article.id), _md(article.source), date, title, str(quotes), str(facts)])
    return [
        "## Articles",
        "",
        *_md_table(["id", "source", "date", "title", "quotes", "facts"], rows),
    ]


def _md_quote_finding(index: _Index, finding: Finding) -> list[str]:
    quotes = index.member_quotes(finding)
    rows = [
        [
            _md(index.source(quote)),
            _md(_speaker(quote)),
            _md(quote.cue or ""),
            _md_marked(marked),
            index.location(quote, _md),
        ]
        for quote, marked in zip(quotes, _marked_versions(quotes), strict=True)
    ]
    return _md_table(["outlet", "speaker", "cue", "quote", "location"], rows)


def _md_fact_finding(index: _Index, finding: Finding) -> list[str]:
    lines = [
        f"- **{_md(index.source(claim))}**: {_claim_line(index, claim, _md)}"
        for claim in index.member_claims(finding)
    ]
    if finding.differences:
        lines += ["", "Differences:", ""]
        lines += [f"- {_difference_line(index, diff, _md)}" for diff in finding.differences]
    return [*lines, ""]


def _md_finding(index: _Index, finding: Finding) -> list[str]:
    body = (
        _md_quote_finding(index, finding)
        if finding.kind == "quote"
        else _md_fact_finding(index, finding)
    )
    verdict = _verdict_line(finding, _md)
    extra = [f"*{verdict}*", ""] if verdict else []
    return [f"### {_summary(finding)}", "", _md(finding.explanation), "", *body, *extra]


def _verdict_line(finding: Finding, escape: _Escape) -> str | None:
    """A model's judgement of a finding: checked, or plainly unverified with the problem."""
    verdict = finding.verdict
    if verdict is None:
        return None
    if not verdict.grounded:
        return (
            f"UNVERIFIED model verdict ({escape(verdict.by)}, {verdict.prompt}): "
            f"{verdict.relation}: {escape(verdict.problem or 'not checked against the text')}"
        )
    slot = f" ({verdict.slot})" if verdict.slot else ""
    cites = "; ".join(f'"{escape(_shorten(words, 80))}"' for words in verdict.cited)
    return (
        f"Model ({escape(verdict.by)}, {verdict.prompt}): {verdict.relation}{slot}: "
        f"{escape(verdict.reason)}; cites {cites}"
    )


def _md_findings(index: _Index) -> list[str]:
    lines: list[str] = []
    for relation, title in _SHARED_SECTIONS:
        findings = _findings(index.report, relation)
        if findings:
            lines += [f"## {title}", ""]
            for finding in findings:
                lines += _md_finding(index, finding)
    unique = _unique_by_outlet(index)
    if unique:
        lines += ["## Only in one source", ""]
        for source, items in unique.items():
            lines += [f"### Only in {_md(source)}", ""]
            lines += [f"- {_unique_line(index, item, _md)}" for item in items]
            lines.append("")
    return lines or ["No findings.", ""]


def _md_single(index: _Index) -> list[str]:
    lines = [_nothing_to_compare(index.report), "", "## Quotes", ""]
    lines += [f"- {_quote_line(index, quote, _md)}" for quote in index.report.quotes] or ["None."]
    lines += ["", "## Facts", ""]
    lines += [f"- {_fact_line(index, fact, _md)}" for fact in index.report.facts] or ["None."]
    return [*lines, ""]


def _model_claims(report: Report) -> list[Claim]:
    return [claim for claim in report.claims if claim.by != TEXT_FINDER]


def _model_heading(report: Report) -> str:
    return f"Claims from {report.model} (prompt {report.prompts.get('claims')})"


def _model_claim_line(index: _Index, claim: Claim, escape: _Escape) -> str:
    """One model claim: checked against the text, or plainly unverified with the reason."""
    said = escape(_shorten(claim.statement or claim.text))
    by = f" ({escape(claim.asserted_by)})" if claim.asserted_by else ""
    if claim.grounded:
        sentence = escape(_shorten(claim.text))
        return f'{said}{by}: rests on "{sentence}" — {index.location(claim, escape)}'
    return f"UNVERIFIED: {said}{by}: {escape(claim.reason or 'not found in the text')}"


def _md_model_claims(index: _Index) -> list[str]:
    claims = _model_claims(index.report)
    if not claims:
        return []
    lines = ["", f"## {_md(_model_heading(index.report))}", ""]
    return lines + [f"- {_model_claim_line(index, claim, _md)}" for claim in claims]


def render_markdown(report: Report) -> str:
    """The report as a Markdown document."""
    index = _Index.of(report)
    body = _md_findings(index) if len(report.articles) > 1 else _md_single(index)
    lines = ["# Verifier report", "", *_md_articles(index), *body, *_md_model_claims(index)]
    return "\n".join(lines).rstrip() + "\n"


# --- terminal ----------------------------------------------------------------------------


def _styled(segments: list[_Segment], plain: bool) -> Text:
    # Without colour the style would vanish, so the differing words take Markdown's marks.
    text = Text()
    for position, segment in enumerate(segments):
        if position:
            text.append(" ")
        if segment.kind == "differs" and plain:
            text.append(f"**{segment.words}**")
        elif segment.kind == "differs":
            text.append(segment.words, style=_DIFFERS_STYLE)
        else:
            text.append(segment.words, style="dim" if segment.kind == "gap" else "")
    return text


def _tty_articles(index: _Index) -> Table:
    table = Table(title="Articles", title_justify="left")
    for column in ("id", "source", "date", "title"):
        table.add_column(column)
    table.add_column("quotes", justify="right")
    table.add_column("facts", justify="right")
    for article in index.report.articles:
        quotes, facts = index.counts(article)
        date = article.date.isoformat() if article.date else "no date"
        cells = [article.id, article.source, date, article.title or "", str(quotes), str(facts)]
        table.add_row(*(Text(cell) for cell in cells))
    return table


def _tty_quote_finding(index: _Index, finding: Finding, plain: bool) -> Table:
    # The quote takes the room that is left; its location goes under it, so that a long
    # outlet name does not squeeze the words themselves.
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("outlet", max_width=20, overflow="fold")
    table.add_column("speaker", max_width=24)
    table.add_column("cue", max_width=12)
    table.add_column("quote", ratio=1, min_width=30)
    quotes = index.member_quotes(finding)
    for quote, marked in zip(quotes, _marked_versions(quotes), strict=True):
        words = _styled(marked, plain)
        words.append("\n" + index.location(quote), style="dim")
        table.add_row(
            Text(index.source(quote), style="bold"),
            Text(_speaker(quote)),
            Text(quote.cue or ""),
            words,
        )
    return table


def _tty_fact_finding(index: _Index, finding: Finding) -> Group:
    lines: list[RenderableType] = [
        Text.assemble((index.source(claim), "bold"), ": ", _claim_line(index, claim, _verbatim))
        for claim in index.member_claims(finding)
    ]
    if finding.differences:
        lines.append(Text("Differences:", style="bold"))
        lines += [
            Padding(Text(_difference_line(index, diff, _verbatim), style=_DIFFERS_STYLE), (0, 2))
            for diff in finding.differences
        ]
    return Group(*lines)


def _tty_finding(index: _Index, finding: Finding, plain: bool) -> Panel:
    body = (
        _tty_quote_finding(index, finding, plain)
        if finding.kind == "quote"
        else _tty_fact_finding(index, finding)
    )
    style = _RELATION_STYLE[finding.relation]
    verdict = _verdict_line(finding, _verbatim)
    parts: list[RenderableType] = [Text(_one_line(finding.explanation)), body]
    if verdict:
        grounded = finding.verdict is not None and finding.verdict.grounded
        parts.append(Text(verdict, style="italic" if grounded else _DIFFERS_STYLE))
    return Panel(
        Group(*parts),
        title=Text(_summary(finding), style=f"bold {style}"),
        title_align="left",
        border_style=style,
    )


def _tty_findings(index: _Index, plain: bool) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for relation, title in _SHARED_SECTIONS:
        findings = _findings(index.report, relation)
        if findings:
            parts.append(Rule(Text(title, style="bold"), align="left"))
            parts += [_tty_finding(index, finding, plain) for finding in findings]
    for source, items in _unique_by_outlet(index).items():
        parts.append(Rule(Text(f"Only in {source}", style="bold"), align="left"))
        parts += [Text("• " + _unique_line(index, item, _verbatim)) for item in items]
    return parts or [Text("No findings.")]


def _tty_single(index: _Index) -> list[RenderableType]:
    quotes = [Text("• " + _quote_line(index, q, _verbatim)) for q in index.report.quotes]
    facts = [Text("• " + _fact_line(index, f, _verbatim)) for f in index.report.facts]
    return [
        Text(_nothing_to_compare(index.report), style="bold"),
        Rule(Text("Quotes", style="bold"), align="left"),
        *(quotes or [Text("None.")]),
        Rule(Text("Facts", style="bold"), align="left"),
        *(facts or [Text("None.")]),
    ]


def render_terminal(report: Report, console: Console) -> None:
    """Print the report on a rich console; colours only if the console is a terminal."""
    index = _Index.of(report)
    plain = console.color_system is None
    body = _tty_findings(index, plain) if len(report.articles) > 1 else _tty_single(index)
    console.print(_tty_articles(index))
    for part in body:
        console.print(part)
    claims = _model_claims(report)
    if claims:
        console.print(Rule(_model_heading(report), align="left"))
        for claim in claims:
            style = "" if claim.grounded else _DIFFERS_STYLE
            console.print(Text("• " + _model_claim_line(index, claim, _verbatim), style=style))


def render_text(report: Report) -> str:
    """The terminal layout as plain text, without colour codes, for a pipe or a file."""
    output = io.StringIO()
    render_terminal(report, Console(file=output, color_system=None, width=100))
    return output.getvalue()
