"""Numbers, dates and places found in the seed articles and in small texts."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verifier.facts import find_facts, place_lineage
from verifier.models import Article, Fact

SEEDS = Path(__file__).parent.parent / "seeds"
PLACES_FILE = Path(__file__).parent.parent / "verifier" / "data" / "places.txt"
ARTICLE_DATE = dt.date(2025, 12, 7)  # a Sunday
_DATE_LINE = re.compile(r" date (\d{4}-\d{2}-\d{2})")


def seed(name: str) -> Article:
    """A seed file as an Article: a leading " date YYYY-MM-DD" is its date, not its body."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    match = _DATE_LINE.match(text)
    if match is None:
        return Article(id="a0", source="seed", text=text)
    date = dt.date.fromisoformat(match.group(1))
    return Article(id="a0", source="seed", text=text, date=date, body_start=match.end())


def facts_in(text: str, date: dt.date | None = ARTICLE_DATE) -> list[Fact]:
    return find_facts(Article(id="t", source="test", text=text, date=date))


def seen(facts: list[Fact], kind: str) -> list[tuple[str, str]]:
    return [(fact.text, fact.value) for fact in facts if fact.kind == kind]


def assert_spans_hold(article: Article, facts: list[Fact]) -> None:
    for fact in facts:
        assert article.text[fact.start : fact.end] == fact.text
        assert fact.start >= article.body_start
    assert [fact.id for fact in facts] == [f"{article.id}.f{n}" for n in range(len(facts))]
    assert [fact.start for fact in facts] == sorted(fact.start for fact in facts)


# --- the seed articles ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def dated() -> tuple[Article, list[Fact]]:
    article = seed("000_01b82f39c62d276e.txt")
    return article, find_facts(article)


@pytest.fixture(scope="module")
def undated() -> tuple[Article, list[Fact]]:
    article = seed("003_961c532401d1d023.txt")
    return article, find_facts(article)


def test_seed_loader_reads_the_date_line() -> None:
    article = seed("000_01b82f39c62d276e.txt")
    assert (article.date, article.body_start) == (ARTICLE_DATE, 16)
    assert seed("003_961c532401d1d023.txt").date is None


def test_dated_seed_resolves_relative_dates(dated: tuple[Article, list[Fact]]) -> None:
    dates = dict(seen(dated[1], "date"))
    assert dates["Saturday"] == "2025-12-06"
    assert dates["Sunday"] == "2025-12-07"
    assert dates["last month"] == "2025-11"
    assert dates["October"] == "2025-10"
    assert dates["This week"] == "2025-W49"
    assert all(fact.resolved for fact in dated[1])


def test_dated_seed_every_sunday_is_the_article_date(dated: tuple[Article, list[Fact]]) -> None:
    sundays = [value for text, value in seen(dated[1], "date") if text == "Sunday"]
    assert sundays == ["2025-12-07", "2025-12-07"]


def test_dated_seed_names_its_places(dated: tuple[Article, list[Fact]]) -> None:
    places = {value for _, value in seen(dated[1], "place")}
    assert {"Okinawa", "Tokyo", "Washington", "Taiwan", "China", "Japan"} <= places
    assert ("south-east of Okinawa", "Okinawa") in seen(dated[1], "place")


def test_dated_seed_metadata_line_gives_no_fact(dated: tuple[Article, list[Fact]]) -> None:
    article, facts = dated
    assert "2025-12-07" not in {fact.text for fact in facts}
    assert_spans_hold(article, facts)


def test_undated_seed_keeps_absolute_dates(undated: tuple[Article, list[Fact]]) -> None:
    (fact,) = [fact for fact in undated[1] if fact.text == "December 6, 2025"]
    assert (fact.kind, fact.value, fact.resolved) == ("date", "2025-12-06", True)


def test_undated_seed_leaves_relative_dates_unresolved(
    undated: tuple[Article, list[Fact]],
) -> None:
    relative = {(f.text, f.value) for f in undated[1] if f.kind == "date" and not f.resolved}
    assert relative == {("Sunday", "sunday"), ("last month", "last month")}


def test_undated_seed_counts_occasions_not_jet_names(
    undated: tuple[Article, list[Fact]],
) -> None:
    numbers = [(f.text, f.value, f.unit) for f in undated[1] if f.kind == "number"]
    assert numbers == [("two", "2", "occasions")]


def test_undated_seed_skips_carrier_and_newspaper(undated: tuple[Article, list[Fact]]) -> None:
    article, facts = undated
    places = {value for _, value in seen(facts, "place")}
    assert "Liaoning" not in places
    paper = article.text.index("South China Morning Post")
    assert not [f for f in facts if paper <= f.start < paper + len("South China Morning Post")]
    assert {"Beijing", "Tokyo", "Japan", "China", "Taiwan", "Washington"} <= places
    assert_spans_hold(article, facts)


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It happened on December 6, 2025.", [("December 6, 2025", "2025-12-06")]),
        ("Talks open on Dec. 6 in Geneva.", [("Dec. 6", "2025-12-06")]),
        ("Talks opened on Dec 20.", [("Dec 20", "2024-12-20")]),
        ("Signed 6 December 2025.", [("6 December 2025", "2025-12-06")]),
        ("Filed 2025-12-07.", [("2025-12-07", "2025-12-07")]),
        ("It met in October.", [("October", "2025-10")]),
        ("It met in January.", [("January", "2025-01")]),
        ("It met in October 2023.", [("October 2023", "2023-10")]),
        ("Since 2016 it has grown.", [("2016", "2016")]),
        ("He spoke on Saturday.", [("Saturday", "2025-12-06")]),
        ("He spoke on Sunday.", [("Sunday", "2025-12-07")]),
        ("He spoke Monday.", [("Monday", "2025-12-01")]),
        ("He spoke last Sunday.", [("last Sunday", "2025-11-30")]),
        ("He speaks next Monday.", [("next Monday", "2025-12-08")]),
        (
            "Yesterday it rained; today it snows.",
            [("Yesterday", "2025-12-06"), ("today", "2025-12-07")],
        ),
        ("It rose last month.", [("last month", "2025-11")]),
        ("It rose earlier this month.", [("earlier this month", "2025-12")]),
        ("It rose last week.", [("last week", "2025-W48")]),
        ("This week it fell.", [("This week", "2025-W49")]),
        ("It rose last year.", [("last year", "2024")]),
    ],
)
def test_dates(text: str, expected: list[tuple[str, str]]) -> None:
    assert seen(facts_in(text), "date") == expected


def test_last_month_in_january_is_last_december() -> None:
    assert seen(facts_in("It fell last month.", dt.date(2026, 1, 15)), "date") == [
        ("last month", "2025-12")
    ]


def test_relative_dates_without_article_date_keep_their_words() -> None:
    facts = facts_in("On Saturday, and earlier this month, and in October.", date=None)
    assert [(f.text, f.value, f.resolved) for f in facts] == [
        ("Saturday", "saturday", False),
        ("earlier this month", "earlier this month", False),
        ("October", "october", False),
    ]


@pytest.mark.parametrize(
    "text",
    ["Theresa May spoke.", "They may march.", "February 30 never comes.", "the 2025-13-45 file"],
)
def test_not_dates(text: str) -> None:
    assert seen(facts_in(text), "date") == []


def test_date_digits_are_not_numbers() -> None:
    facts = facts_in("On December 6, 2025 and 2025-12-07 and in 2016 and on Dec. 6th.")
    assert [fact.kind for fact in facts] == ["date"] * 4


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Some 3,210 people died.", [("3,210", "3210", "people")]),
        ("It grew 1.5 times.", [("1.5", "1.5", "times")]),
        ("Turnout was 40%.", [("40%", "40", "%")]),
        ("Turnout was 40 percent.", [("40 percent", "40", "%")]),
        ("It cost $3 million.", [("$3 million", "3000000", "$")]),
        ("It cost £2.5bn.", [("£2.5bn", "2500000000", "£")]),
        ("It cost US$4 billion.", [("US$4 billion", "4000000000", "US$")]),
        ("On at least two separate occasions.", [("two", "2", "occasions")]),
        ("One soldier was hurt.", [("One", "1", "soldier")]),
        ("Twelve new fighter jets flew.", [("Twelve", "12", "jets")]),
        ("The share was 0.50.", [("0.50", "0.5", None)]),
    ],
)
def test_numbers(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    facts = facts_in(text)
    assert [(f.text, f.value, f.unit) for f in facts if f.kind == "number"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Chinese J-15 jets and Japanese F-15 fighters.",
        "COVID-19 spread.",
        "Posted by @pamkeyNEN and @user42.",
        "See pic.twitter.com/ieoRZZVo8T and https://example.com/story/12345.",
        "After 9/11 and at 10:30, version 3.5.2.",
        "No one came; they blamed one another.",
        "The one-China policy took two-thirds of twenty-one days.",
        "A 3m wall in the 1990s.",
    ],
)
def test_not_numbers(text: str) -> None:
    assert [f.text for f in facts_in(text) if f.kind == "number"] == []


# --- places --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Flights from Tokyo to Beijing.", [("Tokyo", "Tokyo"), ("Beijing", "Beijing")]),
        (
            "In New York City, not New York.",
            [("New York City", "New York City"), ("New York", "New York")],
        ),
        ("Ships in the South China Sea.", [("South China Sea", "South China Sea")]),
        ("Ships in the East China Sea.", [("East China Sea", "East China Sea")]),
        ("Japan-China relations.", [("Japan", "Japan"), ("China", "China")]),
        (
            "The US and the U.S. and Britain.",
            [("US", "United States"), ("U.S.", "United States"), ("Britain", "United Kingdom")],
        ),
        ("Jets flew south-east of Okinawa.", [("south-east of Okinawa", "Okinawa")]),
        ("Officials in Washington, D.C. said.", [("Washington, D.C.", "Washington")]),
        ("Liaoning province, not the Liaoning aircraft carrier.", [("Liaoning", "Liaoning")]),
        ("The Washington Post and The Asia Group.", []),
        ("Japanese and Chinese officials.", []),
    ],
)
def test_places(text: str, expected: list[tuple[str, str]]) -> None:
    assert seen(facts_in(text), "place") == expected


def test_gazetteer_gives_each_name_one_meaning() -> None:
    names = Counter(
        name.strip()
        for line in PLACES_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
        for name in line.lstrip("!").partition(">")[0].split("|")
    )
    assert [name for name, count in names.items() if count > 1] == []


def test_every_parent_in_the_gazetteer_is_a_listed_place_and_no_lineage_loops() -> None:
    canonical = {
        line.partition(">")[0].split("|")[0].strip(): line.partition(">")[2].strip()
        for line in PLACES_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "!"))
    }
    parents = {name: parent for name, parent in canonical.items() if parent}
    assert parents, "the gazetteer names no parents"
    assert sorted(set(parents.values()) - set(canonical)) == []
    for name in parents:
        lineage = place_lineage(name)
        assert len(lineage) == len(set(lineage)) and lineage[-1] not in parents


@pytest.mark.parametrize(
    ("place", "lineage"),
    [
        ("Naha", ("Naha", "Okinawa", "Japan")),
        ("Okinawa", ("Okinawa", "Japan")),
        ("Japan", ("Japan",)),
        ("Los Angeles", ("Los Angeles", "California", "United States")),
        ("South China Sea", ("South China Sea",)),
    ],
)
def test_place_lineage_runs_from_the_place_to_its_country(
    place: str, lineage: tuple[str, ...]
) -> None:
    assert place_lineage(place) == lineage


# --- any text ------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [" ", "\n", ",", ".", "-", "/", "$", "%", "@", "on Sunday", "last month", "in October",
     "December 6, 2025", "Dec.", "6", "2025-12-07", "3,210", "1.5", "two", "one-", "million",
     "percent", "Okinawa", "south-east of", "South China Sea", "Liaoning", "carrier", "F-15"]
)  # fmt: skip


@given(
    pieces=st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=30),
    date=st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))),
    body_start=st.integers(min_value=0, max_value=40),
)
def test_any_text_gives_facts_that_slice_to_their_words(
    pieces: list[str], date: dt.date | None, body_start: int
) -> None:
    text = "".join(pieces)
    article = Article(
        id="h", source="test", text=text, date=date, body_start=min(body_start, len(text))
    )
    facts = find_facts(article)
    assert_spans_hold(article, facts)
    assert all(fact.resolved or date is None for fact in facts)
