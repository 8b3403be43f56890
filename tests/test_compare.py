from __future__ import annotations

import pytest

from verifier import Article, Finding, Report, compare
from verifier.compare import quote_relation, same_speaker


@pytest.fixture(scope="module")
def report(ft_article: Article, zh_article: Article) -> Report:
    return compare([ft_article, zh_article])


def quote_finding(report: Report, words: str) -> Finding:
    quotes = {q.id: q for q in report.quotes}
    return next(
        f for f in report.findings if any(words in quotes[m].text for m in f.members if m in quotes)
    )


def test_every_span_slices_to_its_text(report: Report) -> None:
    for item in [*report.quotes, *report.facts, *report.claims]:
        assert report.article(item.article).text[item.start : item.end] == item.text


def test_have_her_back_is_one_finding_with_the_longer_version(report: Report) -> None:
    finding = quote_finding(report, "have her back")
    quotes = {q.id: q for q in report.quotes}
    members = [quotes[m] for m in finding.members]
    assert {q.article for q in members} == {"a0", "a1"}
    assert finding.relation == "agree"
    assert finding.fidelity == "truncated"
    assert not finding.speakers_differ
    assert {q.speaker for q in members} == {"George Glass"}
    assert any(q.text.startswith("This is a classic case") for q in members)


def test_regrettable_is_a_wording_variant_with_different_speakers(report: Report) -> None:
    finding = quote_finding(report, "regrettable")
    quotes = {q.id: q for q in report.quotes}
    assert sorted(quotes[m].text for m in finding.members) == [
        "deeply regrettable",
        "extremely regrettable",
    ]
    assert finding.fidelity == "variant"
    assert finding.speakers_differ
    assert finding.relation == "conflict"
    assert {quotes[m].speaker for m in finding.members} == {
        "Sanae Takaichi",
        "Japan's Ministry of Foreign Affairs",
    }


def test_quotes_in_one_outlet_only_are_unique(report: Report) -> None:
    finding = quote_finding(report, "We will respond calmly and resolutely")
    assert finding.relation == "unique"
    assert finding.sources == [report.article("a0").source]


def test_conflicts_come_first(report: Report) -> None:
    order = [f.relation for f in report.findings]
    assert order == sorted(order, key=["conflict", "agree", "unique"].index)


def test_one_article_has_nothing_to_compare(ft_article: Article) -> None:
    report = compare([ft_article])
    assert report.findings == []
    assert report.quotes and report.facts and report.claims


def test_a_different_date_for_the_same_event_is_a_conflict() -> None:
    import datetime as dt

    left = Article(
        id="a0",
        source="one",
        date=dt.date(2025, 12, 7),
        text="Chinese jets locked radar on Japanese fighter jets near Okinawa on Saturday.",
    )
    right = Article(
        id="a1",
        source="two",
        text="Chinese jets locked radar on Japanese fighter jets near Okinawa on December 4, 2025.",
    )
    report = compare([left, right])
    conflicts = [f for f in report.findings if f.kind == "statement" and f.relation == "conflict"]
    assert len(conflicts) == 1
    assert [d.slot for d in conflicts[0].differences] == ["date"]


@pytest.mark.parametrize(
    ("left", "right", "relation"),
    [
        ("we will win", "We will win.", "identical"),
        ("have her back", "from myself, we have her back", "truncated"),
        ("extremely regrettable", "deeply regrettable", "variant"),
        ("a disaster", "a great success", None),
        ("great", "great", "identical"),
    ],
)
def test_quote_relation(left: str, right: str, relation: str | None) -> None:
    assert quote_relation(left, right) == relation


def test_same_speaker() -> None:
    assert same_speaker("George Glass", "Glass") is True
    assert same_speaker("Sanae Takaichi", "Japan's Ministry of Foreign Affairs") is False
    assert same_speaker(None, "Glass") is None


def test_regrettable_differences_point_at_both_sides(report: Report) -> None:
    finding = quote_finding(report, "regrettable")
    slots = {d.slot: d for d in finding.differences}
    assert set(slots) == {"wording", "speaker"}
    assert {slots["wording"].left.text, slots["wording"].right.text} == {
        "extremely regrettable",
        "deeply regrettable",
    }
    for difference in finding.differences:
        for side in (difference.left, difference.right):
            assert report.article(side.article).text[side.start : side.end] == side.text
