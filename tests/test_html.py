"""The HTML report: one self-contained page, every span marked, all article text escaped."""

from __future__ import annotations

import html
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier import Article, Claim, Quote, Report, compare, load_articles
from verifier.html import render_html

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
CHROMIUM = Path("/usr/bin/chromium")
INJECTED = "<script>alert(1)</script>"


class _Page(HTMLParser):
    """The elements of a page: tags with their attributes, the ids (each with the ids of the
    elements around it), and the text of <script>/<style>. It fails on an end tag that does
    not close the element open last."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: list[str] = []
        self.around: dict[str, set[str]] = {}
        self.code: dict[str, list[str]] = {"script": [], "style": []}
        self.open: list[tuple[str, str | None]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if "id" in values:
            self.ids.append(values["id"])
            self.around[values["id"]] = {id_ for _, id_ in self.open if id_}
        if tag not in {"meta", "br", "hr", "img", "link", "input", "source", "wbr"}:
            self.open.append((tag, values.get("id")))

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1][0] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1][0] in self.code:
            self.code[self.open[-1][0]].append(data)


@pytest.fixture(scope="module")
def seeds_report() -> Report:
    return compare(load_articles(SEEDS))


@pytest.fixture(scope="module")
def seeds_html(seeds_report: Report) -> str:
    return render_html(seeds_report)


def _column(page: str, article: Article) -> str:
    """The article column's text, tags removed and entities decoded."""
    match = re.search(
        rf'aria-labelledby="title-{article.id}">.*?<div class="article-text">(.*?)</div>',
        page,
        re.DOTALL,
    )
    assert match, f"no column for {article.id}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def _card(page: str, finding_id: str) -> str:
    match = re.search(rf'<details [^>]*id="{finding_id}".*?</details>', page, re.DOTALL)
    assert match, f"no card for {finding_id}"
    return match.group(0)


def test_the_page_loads_nothing_from_the_network(seeds_report: Report) -> None:
    # The settings name an endpoint: it may show as text, never as something to load.
    report = seeds_report.model_copy(update={"settings": {"endpoint": "http://127.0.0.1:8080"}})
    page = _Page(render_html(report))
    remote = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
    for tag, attrs in page.tags:
        assert tag not in {"link", "img", "iframe", "object", "embed", "base", "source"}, tag
        assert not (tag == "script" and "src" in attrs)
        for name in ("src", "href", "action", "srcset", "poster", "data", "formaction"):
            assert not remote.match(attrs.get(name, "")), (tag, name, attrs[name])
    for code in page.code["style"] + [attrs.get("style", "") for _, attrs in page.tags]:
        assert "url(" not in code and "@import" not in code
    assert "<dd>http://127.0.0.1:8080</dd>" in render_html(report)


def test_every_quote_and_claim_has_an_anchor(seeds_report: Report, seeds_html: str) -> None:
    ids = _Page(seeds_html).ids
    assert len(ids) == len(set(ids)), "an id is on two elements"
    assert {quote.id for quote in seeds_report.quotes} <= set(ids)
    assert {claim.id for claim in seeds_report.claims if claim.start is not None} <= set(ids)
    assert {finding.id for finding in seeds_report.findings} <= set(ids)


def test_marking_keeps_every_article_word_for_word(seeds_report: Report, seeds_html: str) -> None:
    for article in seeds_report.articles:
        assert _column(seeds_html, article) == article.text


def test_a_quote_is_marked_inside_its_sentence(seeds_report: Report, seeds_html: str) -> None:
    around = _Page(seeds_html).around
    claims = [claim for claim in seeds_report.claims if claim.quotes]
    assert claims
    for claim in claims:
        assert claim.id in around[claim.quotes[0]], f"{claim.quotes[0]} is not in {claim.id}"


def test_article_markup_shows_as_text(seeds_report: Report) -> None:
    text = f'Officials said "{INJECTED} is harmless" on Sunday in Tokyo. More follows.'
    hostile = Article(id="a2", source=f"Evil {INJECTED}", title=INJECTED, text=text)
    start, end = text.index(INJECTED), text.index('" on')
    quote = Quote(id="a2.q0", article="a2", text=text[start:end], start=start, end=end)
    report = seeds_report.model_copy(
        update={
            "articles": [*seeds_report.articles, hostile],
            "quotes": [*seeds_report.quotes, quote],
        }
    )
    page = render_html(report)
    assert INJECTED not in page
    assert html.escape(INJECTED, quote=False) in page
    parsed = _Page(page)
    assert [tag for tag, _ in parsed.tags].count("script") == 1
    assert "alert(1)" not in "".join(parsed.code["script"])
    assert _column(page, hostile) == text


def test_the_regrettable_versions_mark_the_words_that_differ(
    seeds_report: Report, seeds_html: str
) -> None:
    quotes = {quote.id: quote for quote in seeds_report.quotes}
    finding = next(
        f
        for f in seeds_report.findings
        if f.kind == "quote" and any("regrettable" in quotes[m].text for m in f.members)
    )
    marked = re.findall(r"<mark[^>]*>(.*?)</mark>", _card(seeds_html, finding.id))
    assert {"extremely", "deeply"} <= set(marked)
    assert "regrettable" not in marked


def test_conflicts_come_first_in_each_event(seeds_report: Report, seeds_html: str) -> None:
    position = {f.id: seeds_html.index(f'id="{f.id}"') for f in seeds_report.findings}
    rank = {"conflict": 0, "agree": 1, "unique": 2}
    events = {f.event for f in seeds_report.findings}
    for event in events:
        findings = sorted(
            (f for f in seeds_report.findings if f.event == event), key=lambda f: position[f.id]
        )
        ranks = [rank[f.relation] for f in findings]
        assert ranks == sorted(ranks), event
    first = min(seeds_report.findings, key=lambda f: position[f.id])
    assert first.relation == "conflict"
    assert seeds_html.index("Not tied to an event") > max(
        position[f.id] for f in seeds_report.findings if f.event is not None
    )


def test_the_header_names_the_tool_model_and_prompts(seeds_report: Report) -> None:
    plain = render_html(seeds_report)
    assert f"<dd>{seeds_report.version}</dd>" in plain
    assert "<dt>model</dt>" not in plain and "<dt>prompts</dt>" not in plain
    judged = seeds_report.model_copy(
        update={"model": "SmolLM2-135M", "prompts": {"claims": "claims.v1", "judge": "judge.v1"}}
    )
    page = render_html(judged)
    assert "<dd>SmolLM2-135M</dd>" in page
    assert "claims.v1, judge.v1" in page


def test_a_model_claim_that_is_not_in_the_text_is_listed_unverified(
    seeds_report: Report,
) -> None:
    claim = Claim(
        id="a0.m0",
        article="a0",
        text="Japan declared war.",
        start=None,
        end=None,
        by="SmolLM2-135M",
        grounded=False,
        reason="its sentence is not in the article",
    )
    report = seeds_report.model_copy(
        update={"model": "SmolLM2-135M", "claims": [*seeds_report.claims, claim]}
    )
    page = render_html(report)
    assert 'id="a0.m0"' not in page
    assert "UNVERIFIED: Japan declared war." in page


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet="ab <&>\"'\n", min_size=1, max_size=40),
    cuts=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=8),
)
def test_any_nesting_or_crossing_of_spans_keeps_the_text(
    text: str, cuts: list[tuple[int, int]]
) -> None:
    spans = [(min(a, b), max(a, b)) for a, b in cuts if min(a, b) < max(a, b) <= len(text)]
    items = [
        Quote(id=f"a0.q{i}", article="a0", text=text[s:e], start=s, end=e)
        for i, (s, e) in enumerate(spans[::2])
    ] + [
        Claim(id=f"a0.c{i}", article="a0", text=text[s:e], start=s, end=e)
        for i, (s, e) in enumerate(spans[1::2])
    ]
    article = Article(id="a0", source="x", text=text)
    report = Report(
        version="test",
        articles=[article],
        quotes=[item for item in items if isinstance(item, Quote)],
        claims=[item for item in items if isinstance(item, Claim)],
    )
    page = render_html(report)
    parsed = _Page(page)  # fails on an element closed out of order
    assert len(parsed.ids) == len(set(parsed.ids))
    assert {item.id for item in items} <= set(parsed.ids)
    assert _column(page, article) == text


@pytest.mark.browser
def test_chromium_draws_the_seeds_report(seeds_html: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    page, png = tmp_path / "report.html", tmp_path / "report.png"
    page.write_text(seeds_html, encoding="utf-8")
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1400,1000",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 50_000, "the screenshot is nearly empty"
