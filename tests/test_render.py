"""Rendering a report for a person: Markdown, the rich terminal layout, and plain text."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from rich.console import Console

from verifier.models import (
    Article,
    Claim,
    Difference,
    Fact,
    FactKind,
    Finding,
    Quote,
    Report,
    Side,
)
from verifier.render import render_markdown, render_terminal, render_text

LONG_SENTENCE = (
    "The ministry also said that it had been in contact with the embassy in Beijing throughout "
    "the week, that travel advice for citizens had not changed, and that it would keep the "
    "situation under review as airlines continued to cancel flights between the two countries."
)

KYODO = Article(
    id="a0",
    source="Kyodo",
    date=dt.date(2025, 12, 7),
    title="Tokyo presses Washington | analysis",
    text=(
        'Minoru Kihara said the remarks were "extremely regrettable". '
        'Marco Rubio said "...I just want to say ..., we have her back". '
        "The talks took place on Saturday in Tokyo. "
        'An aide wrote "[bold]x[/bold] and\na | b" online. '
        "About 2,000 flights were cancelled."
    ),
)
TIMES = Article(
    id="a1",
    source="The Times",
    text=(
        'Toshimitsu Motegi told parliament it was "deeply regrettable". '
        'Rubio said "have her back". '
        "The talks took place on December 5, 2025, officials said. "
        '"We will respond calmly," a spokesman said. ' + LONG_SENTENCE
    ),
)


def span(article: Article, words: str) -> tuple[int, int]:
    start = article.text.index(words)
    return start, start + len(words)


def quote(
    qid: str,
    article: Article,
    words: str,
    speaker: str | None = None,
    speaker_role: str | None = None,
    cue: str | None = None,
) -> Quote:
    start, end = span(article, words)
    return Quote(
        id=qid,
        article=article.id,
        text=words,
        start=start,
        end=end,
        speaker=speaker,
        speaker_role=speaker_role,
        cue=cue,
    )


def fact(fid: str, article: Article, kind: FactKind, words: str, value: str) -> Fact:
    start, end = span(article, words)
    unit = "flights" if kind == "number" else None
    return Fact(
        id=fid,
        article=article.id,
        kind=kind,
        text=words,
        start=start,
        end=end,
        value=value,
        unit=unit,
    )


def claim(cid: str, article: Article, words: str, facts: list[str]) -> Claim:
    start, end = span(article, words)
    return Claim(id=cid, article=article.id, text=words, start=start, end=end, facts=facts)


QUOTES = [
    quote(
        "a0.q0",
        KYODO,
        "extremely regrettable",
        speaker="Minoru Kihara",
        speaker_role="chief cabinet secretary",
        cue="said",
    ),
    quote("a0.q1", KYODO, "...I just want to say ..., we have her back", speaker="Marco Rubio"),
    quote("a0.q2", KYODO, "[bold]x[/bold] and\na | b", cue="wrote"),
    quote("a1.q0", TIMES, "deeply regrettable", speaker="Toshimitsu Motegi", cue="told"),
    quote("a1.q1", TIMES, "have her back", speaker="Marco Rubio", cue="said"),
    quote("a1.q2", TIMES, "We will respond calmly,", speaker="spokesman", cue="said"),
]
FACTS = [
    fact("a0.f0", KYODO, "date", "on Saturday", "2025-12-06"),
    fact("a0.f1", KYODO, "number", "2,000", "2000"),
    fact("a1.f0", TIMES, "date", "December 5, 2025", "2025-12-05"),
]
CLAIMS = [
    claim("a0.c0", KYODO, "The talks took place on Saturday in Tokyo.", ["a0.f0"]),
    claim("a0.c1", KYODO, "About 2,000 flights were cancelled.", ["a0.f1"]),
    claim("a1.c0", TIMES, "The talks took place on December 5, 2025, officials said.", ["a1.f0"]),
    claim("a1.c1", TIMES, LONG_SENTENCE, []),
]


def finding(fid: str, relation: str, kind: str, members: list[str], **details: object) -> Finding:
    sources = sorted({"Kyodo" if member.startswith("a0") else "The Times" for member in members})
    return Finding.model_validate(
        {
            "id": fid,
            "relation": relation,
            "kind": kind,
            "members": members,
            "sources": sources,
            "explanation": f"Explanation of {fid}.",
            **details,
        }
    )


def side(fact: Fact) -> Side:
    return Side(
        article=fact.article,
        text=fact.text,
        start=fact.start,
        end=fact.end,
        value=fact.value,
        item=fact.id,
    )


FINDINGS = [
    finding("f0", "agree", "quote", ["a0.q1", "a1.q1"], fidelity="truncated"),
    finding(
        "f1",
        "conflict",
        "quote",
        ["a0.q0", "a1.q0"],
        fidelity="variant",
        speakers_differ=True,
    ),
    finding(
        "f2",
        "conflict",
        "statement",
        ["a0.c0", "a1.c0"],
        differences=[Difference(slot="date", left=side(FACTS[0]), right=side(FACTS[2]))],
    ),
    finding("f3", "unique", "quote", ["a0.q2"], fidelity="unique"),
    finding("f4", "unique", "quote", ["a1.q2"], fidelity="unique"),
    finding("f5", "unique", "statement", ["a0.c1"]),
    finding("f6", "unique", "statement", ["a1.c1"]),
]

Render = Callable[[Report], str]


@pytest.fixture
def report() -> Report:
    return Report(
        version="test",
        articles=[KYODO, TIMES],
        quotes=QUOTES,
        facts=FACTS,
        claims=CLAIMS,
        findings=FINDINGS,
    )


@pytest.fixture
def single() -> Report:
    return Report(
        version="test",
        articles=[KYODO],
        quotes=[q for q in QUOTES if q.article == "a0"],
        facts=[f for f in FACTS if f.article == "a0"],
        claims=[c for c in CLAIMS if c.article == "a0"],
    )


def colour_console() -> tuple[Console, io.StringIO]:
    output = io.StringIO()
    return Console(file=output, force_terminal=True, color_system="standard", width=100), output


def test_fixture_spans_slice_to_their_words(report: Report) -> None:
    items: list[Quote | Fact | Claim] = [*report.quotes, *report.facts, *report.claims]
    for item in items:
        assert report.article(item.article).text[item.start : item.end] == item.text


def test_header_lists_every_article(report: Report) -> None:
    markdown = render_markdown(report)
    assert "| a0 | Kyodo | 2025-12-07 | Tokyo presses Washington \\| analysis | 3 | 2 |" in markdown
    assert "| a1 | The Times | no date |  | 3 | 1 |" in markdown
    text = render_text(report)
    assert "Tokyo presses Washington | analysis" in text
    assert "no date" in text


@pytest.mark.parametrize("render", [render_markdown, render_text])
def test_conflicts_come_before_agreements_and_unique(report: Report, render: Render) -> None:
    output = render(report)
    conflict = output.index("Conflict · quote · variant")
    agreement = output.index("Agree · quote · truncated")
    only_in = output.index("Only in Kyodo")
    assert output.index("Conflicts") < conflict < agreement < only_in
    assert output.index("Agreements") < agreement


def test_markdown_variant_marks_the_differing_word_and_names_both_speakers(
    report: Report,
) -> None:
    markdown = render_markdown(report)
    assert "Conflict · quote · variant · speakers differ (f1)" in markdown
    assert (
        "| Kyodo | Minoru Kihara (chief cabinet secretary) | said | **extremely** regrettable |"
        " Kyodo [37:58] |"
    ) in markdown
    assert "| The Times | Toshimitsu Motegi | told | **deeply** regrettable |" in markdown
    assert "Explanation of f1." in markdown


def test_markdown_truncated_marks_what_the_short_version_lacks(report: Report) -> None:
    markdown = render_markdown(report)
    assert "Agree · quote · truncated · same speaker (f0)" in markdown
    assert "| **...I just want to say ..., we** have her back |" in markdown
    assert "| […] have her back |" in markdown


def test_fact_conflict_shows_each_side_and_the_difference(report: Report) -> None:
    difference = 'date: "on Saturday" (2025-12-06) vs "December 5, 2025" (2025-12-05)'
    markdown = render_markdown(report)
    assert f"- {difference} — Kyodo [146:157] vs The Times [115:131]" in markdown
    assert '- **The Times**: "The talks took place on December 5, 2025' in markdown
    for output in (markdown, render_text(report)):
        assert difference in output
        assert "Conflict · statement · differs on date (f2)" in output
        assert '"The talks took place on Saturday in Tokyo." — Kyodo [125:167]' in output


def test_unique_items_are_listed_under_their_outlet(report: Report) -> None:
    markdown = render_markdown(report)
    kyodo = markdown.split("### Only in Kyodo")[1].split("### Only in The Times")[0]
    times = markdown.split("### Only in The Times")[1]
    assert '- unattributed: "\\[bold\\]x\\[/bold\\] and a \\| b" — Kyodo' in kyodo
    assert '- "About 2,000 flights were cancelled." — Kyodo [217:252]' in kyodo
    assert '- spokesman: "We will respond calmly," — The Times' in times
    assert "Kyodo" not in times


def test_long_unique_sentence_is_shortened_with_an_ellipsis(report: Report) -> None:
    markdown = render_markdown(report)
    assert LONG_SENTENCE not in markdown
    shortened = re.search(r'- "(The ministry also said[^"]*)" — The Times', markdown)
    assert shortened is not None
    assert shortened[1].endswith("…")
    assert 150 < len(shortened[1]) <= 201


def test_markdown_escapes_article_text_that_would_break_the_layout(report: Report) -> None:
    markdown = render_markdown(report)
    assert "\\[bold\\]x\\[/bold\\] and a \\| b" in markdown
    header = "| outlet | speaker | cue | quote | location |"
    for table in markdown.split(header)[1:]:
        rows = [line for line in table.strip().splitlines() if line.startswith("| ")]
        assert rows
        for row in rows:
            assert len(re.findall(r"(?<!\\)\|", row)) == header.count("|")


def test_plain_text_has_no_colour_codes_and_marks_differences_in_words(report: Report) -> None:
    text = render_text(report)
    assert "\x1b" not in text
    assert "**extremely** regrettable" in text
    assert "**deeply** regrettable" in text
    assert "[…] have her back" in text
    assert "Minoru Kihara" in text and "Toshimitsu Motegi" in text


def test_markup_like_article_text_is_printed_literally(report: Report) -> None:
    assert '"[bold]x[/bold] and a | b"' in render_text(report)
    console, output = colour_console()
    render_terminal(report, console)
    assert '"[bold]x[/bold] and a | b"' in output.getvalue()


def test_terminal_uses_colour_only_on_a_terminal(report: Report) -> None:
    piped = io.StringIO()
    render_terminal(report, Console(file=piped, force_terminal=False, width=100))
    assert "\x1b" not in piped.getvalue()
    console, output = colour_console()
    render_terminal(report, console)
    assert "\x1b[" in output.getvalue()
    assert "**extremely**" not in output.getvalue()
    assert "extremely" in output.getvalue()


def test_every_quote_and_claim_gets_its_location_in_both_formats(report: Report) -> None:
    markdown, text = render_markdown(report), render_text(report)
    items: list[Quote | Claim] = [*report.quotes, *report.claims]
    for item in items:
        location = f"{report.article(item.article).source} [{item.start}:{item.end}]"
        assert location in markdown
        assert location in text


@pytest.mark.parametrize("render", [render_markdown, render_text])
def test_one_article_lists_its_quotes_and_facts(single: Report, render: Render) -> None:
    output = render(single)
    assert "Nothing to compare" in output
    assert "Conflicts" not in output and "Only in" not in output
    assert 'Marco Rubio: "...I just want to say ..., we have her back" — Kyodo [79:122]' in output
    assert 'date: "on Saturday" (2025-12-06) — Kyodo [146:157]' in output
    assert 'number: "2,000" (2000 flights) — Kyodo' in output


def test_report_without_findings_says_so() -> None:
    report = Report(version="test", articles=[KYODO, TIMES])
    assert "No findings." in render_markdown(report)
    assert "No findings." in render_text(report)
