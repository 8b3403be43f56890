from __future__ import annotations

from verifier import Article, compare, load_articles
from verifier.origin import find_credits, find_origins

WIRE = (
    "Chinese J-15 fighter jets locked fire-control radar on Japanese F-15 fighters twice on "
    "Saturday, the Japanese defence ministry said."
)


def article(number: int, text: str, source: str) -> Article:
    return Article(id=f"a{number}", source=source, text=text)


def test_seed_credits(seed_paths: list[str]) -> None:
    origins = find_origins(load_articles(seed_paths))
    credits = {(o.article, o.outlet, o.scope) for o in origins if o.kind == "credit"}
    assert ("a0", "Financial Times", "article") in credits
    assert ("a0", "Kyodo", "sentence") in credits
    assert ("a1", "Reuters", "article") in credits
    for origin in origins:
        text = load_articles(seed_paths)[int(origin.article[1:])].text
        assert text[origin.start : origin.end] == origin.text


def test_glass_quote_rests_on_two_independent_sources(seed_paths: list[str]) -> None:
    report = compare(load_articles(seed_paths))
    quotes = {q.id: q for q in report.quotes}
    glass = next(
        f
        for f in report.findings
        if any(quotes[m].text == "have her back" for m in f.members if m in quotes)
    )
    assert glass.independent_sources == 2
    assert "Financial Times" in glass.explanation and "Reuters" in glass.explanation


def test_credit_forms() -> None:
    cases = {
        "The ministry confirmed it, the Financial Times reported.": "Financial Times",
        "Officials met on Sunday, according to Kyodo News.": "Kyodo News",
        "A ferry stopped, reports South China Morning Post today.": "South China Morning Post",
        "The talks failed, citing Reuters.": "Reuters",
    }
    for text, outlet in cases.items():
        assert [o.outlet for o in find_credits(article(0, text, "x"))] == [outlet], text


def test_wire_copy_counts_once() -> None:
    left = article(0, WIRE + " Tokyo protested.", "Outlet A")
    right = article(1, "In a statement on Sunday: " + WIRE, "Outlet B")
    report = compare([left, right])
    copies = [o for o in report.origins if o.kind == "copy"]
    assert {o.article for o in copies} == {"a0", "a1"}
    shared = [f for f in report.findings if f.relation == "agree"]
    assert shared and all(f.independent_sources == 1 for f in shared)


def test_both_crediting_one_agency_is_one_source() -> None:
    left = article(
        0, "via Reuters\n\nTokyo said the jets locked radar on Saturday near Okinawa.", "A"
    )
    right = article(
        1, "via Reuters\n\nJapan said Chinese jets locked radar near Okinawa on Saturday.", "B"
    )
    report = compare([left, right])
    agreed = [f for f in report.findings if f.relation == "agree"]
    assert agreed and all(f.independent_sources == 1 for f in agreed)
