"""Whatever arrives: odd text, odd quote marks, repeated articles. No crash, and every span
still slices to its words."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from verifier import Article, Report, compare, extract, load_articles

QUOTE_MARKS = [*"\"'“”‘’«»„", "''", "'''", "―", "—"]
WORDS = ["said", "Glass", "she", "told", "reporters", "according to", "Mr.", "the", "we"]
pieces = st.one_of(
    st.sampled_from(QUOTE_MARKS),
    st.sampled_from(WORDS),
    st.sampled_from([" ", ", ", ". ", "\n", "\n\n", ": "]),
    st.text(max_size=8),
)
texts = st.lists(pieces, max_size=40).map("".join)


def assert_spans(report: Report) -> None:
    for item in [*report.quotes, *report.facts, *report.claims]:
        text = report.article(item.article).text
        assert text[item.start : item.end] == item.text
    for quote in report.quotes:
        text = report.article(quote.article).text
        if quote.speaker is not None:
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker
        if quote.mention is not None:
            assert text[quote.mention_start : quote.mention_end] == quote.mention
        if quote.cue is not None:
            assert text[quote.cue_start : quote.cue_end] == quote.cue


@settings(max_examples=150, deadline=None)
@given(texts, texts)
def test_any_text_with_any_quote_marks_compares_without_a_crash(left: str, right: str) -> None:
    report = compare(
        [
            Article(id="a0", source="one", text=left, date=dt.date(2025, 12, 7)),
            Article(id="a1", source="two", text=right),
        ]
    )
    assert_spans(report)


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_unicode_text_extracts(text: str) -> None:
    article = Article(id="a0", source="one", text=text)
    result = extract(article)
    assert_spans(
        Report(
            version="t",
            articles=[article],
            quotes=result.quotes,
            facts=result.facts,
            claims=result.claims,
        )
    )


def test_unbalanced_quote_marks() -> None:
    text = 'He said "this never ends.\n\nThen she said, "it is closed."\n\nNo "quote here.'
    report = compare([Article(id="a0", source="one", text=text)])
    assert_spans(report)
    assert [q.text for q in report.quotes] == ["it is closed."]


def test_the_same_article_twice_agrees_with_itself(seed_paths: list[str]) -> None:
    report = compare(load_articles([seed_paths[0], seed_paths[0]]))
    assert [a.id for a in report.articles] == ["a0", "a1"]
    quote_findings = [f for f in report.findings if f.kind == "quote"]
    assert quote_findings
    assert all(f.relation == "agree" and f.fidelity == "identical" for f in quote_findings)


def test_same_input_gives_byte_identical_json(seed_paths: list[str]) -> None:
    first = compare(load_articles(seed_paths)).model_dump_json()
    second = compare(load_articles(seed_paths)).model_dump_json()
    assert first == second
