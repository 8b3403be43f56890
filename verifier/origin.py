"""Shared origin: which outlet an article relies on, so agreement counts independent sources.

Two signs, both found in the text:
- credits: "via Reuters", "according to Kyodo", "the Financial Times reported", "reports South
  China Morning Post". A credit on a line of its own or in the opening sentence covers the
  whole article; elsewhere it covers its sentence.
- copies: a passage of one article that stands nearly word for word in another (wire copy).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from verifier.models import Article, Origin
from verifier.text import paragraphs, sentences

_NEWS_WORDS = (
    r"Reuters|Associated Press|AP|AFP|Agence France-Presse|Kyodo(?: News)?|Xinhua|Bloomberg|"
    r"Yonhap|TASS|Interfax|NHK|BBC|CNN|Nikkei|Jiji(?: Press)?|Al Jazeera|Axios|Politico"
)
_ORG_END = (
    r"Times|Post|Journal|News|Press|Herald|Tribune|Guardian|Telegraph|Daily|Agency|Review|"
    r"Network|Television|TV|Radio|Broadcasting|Service|Wire|Insider|Magazine|Economist"
)
_CAP = r"[A-Z][\w'’&.-]*"
_OUTLET = (
    rf"(?:the\s+)?(?:{_NEWS_WORDS}|(?:{_CAP}\s+){{0,4}}(?:{_ORG_END}))(?:\s+(?:of|on)\s+{_CAP})?"
    r"(?![\w-])"
)
_CREDIT = re.compile(
    rf"\b(?:via|according to|reported by|citing|cited by)\s+(?P<a>{_OUTLET})"
    rf"|(?P<b>{_OUTLET})\s+(?:reported|reports|has reported|first reported|said in a report)\b"
    rf"|\breports?\s+(?P<c>{_OUTLET})"
)
_SHINGLE = 8
"""Words in a row that two articles must share for a passage to count as copied."""


def find_credits(article: Article) -> list[Origin]:
    """The outlets an article credits, each with the words that credit it."""
    text = article.text
    origins: list[Origin] = []
    spans = paragraphs(text, article.body_start)
    for index, (start, end) in enumerate(spans):
        lede = index == 0
        for number, sentence in enumerate(sentences(text, start, end)):
            for match in _CREDIT.finditer(text, *sentence):
                group = next(g for g in ("a", "b", "c") if match.group(g))
                outlet_start, outlet_end = match.span(group)
                outlet = re.sub(r"^the\s+", "", text[outlet_start:outlet_end], flags=re.I)
                alone = sentence == (start, end) and len(text[start:end].split()) <= 6
                origins.append(
                    Origin(
                        id=f"{article.id}.o{len(origins)}",
                        article=article.id,
                        kind="credit",
                        outlet=outlet,
                        text=text[match.start() : match.end()],
                        start=match.start(),
                        end=match.end(),
                        scope="article" if alone or (lede and number == 0) else "sentence",
                    )
                )
    return origins


def find_copies(articles: Sequence[Article]) -> list[Origin]:
    """Passages that stand nearly word for word in two articles: each side is marked as
    shared with the other article's outlet."""
    shingles: dict[tuple[str, ...], list[tuple[int, int, int]]] = defaultdict(list)
    tokens = []
    for number, article in enumerate(articles):
        words = [
            (m.start(), m.end(), m.group().lower())
            for m in re.finditer(r"\w+", article.text[article.body_start :])
        ]
        offset = article.body_start
        words = [(start + offset, end + offset, word) for start, end, word in words]
        tokens.append(words)
        for position in range(len(words) - _SHINGLE + 1):
            key = tuple(word for _, _, word in words[position : position + _SHINGLE])
            shingles[key].append((number, position, position + _SHINGLE))
    runs: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for places in shingles.values():
        for one, first, last in places:
            for other, _, _ in places:
                if other != one:
                    runs[one, other].append((first, last))
    origins: list[Origin] = []
    for (one, other), ranges in sorted(runs.items()):
        article = articles[one]
        for first, last in _merge(sorted(ranges)):
            start, end = tokens[one][first][0], tokens[one][last - 1][1]
            origins.append(
                Origin(
                    id="",
                    article=article.id,
                    kind="copy",
                    outlet=articles[other].source,
                    text=article.text[start:end],
                    start=start,
                    end=end,
                    scope="sentence",
                )
            )
    return origins


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in ranges:
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def find_origins(articles: Sequence[Article]) -> list[Origin]:
    """Credits and copies of all the articles, numbered per article."""
    origins: list[Origin] = []
    for article in articles:
        origins.extend(find_credits(article))
    copies = find_copies(articles)
    for article in articles:
        count = sum(o.article == article.id for o in origins)
        for origin in (c for c in copies if c.article == article.id):
            origin.id = f"{article.id}.o{count}"
            count += 1
            origins.append(origin)
    return origins


def independent_sources(
    members: Sequence[tuple[str, int, int]], origins: Sequence[Origin], sources: dict[str, str]
) -> tuple[int, list[str]]:
    """How many independent sources stand behind statements ``(article, start, end)``.

    A statement rests on the outlet its article credits for the whole article or for the
    statement's own words, else on its own outlet; a statement mostly inside a passage copied from
    another article rests on the same root as that article's statements. Returns the number
    of distinct roots and a sentence per reliance found.
    """
    root_of: dict[str, str] = {}
    notes: set[str] = set()
    for article, start, end in members:
        root = sources[article]
        for origin in origins:
            covers = origin.scope == "article" or (origin.start <= end and start <= origin.end)
            if origin.article == article and origin.kind == "credit" and covers:
                root = origin.outlet
                notes.add(f'{sources[article]} relies on {origin.outlet} ("{origin.text}").')
                break
        root_of[article] = root_of.get(article, root)
    parent = {root.lower(): root.lower() for root in root_of.values()}

    def find(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    by_source = {sources[a]: a for a in root_of}
    for origin in origins:
        if origin.kind != "copy" or origin.article not in root_of:
            continue
        twin = by_source.get(origin.outlet)
        inside = any(
            a == origin.article and 2 * (min(e, origin.end) - max(s, origin.start)) >= e - s
            for a, s, e in members
        )
        if twin is not None and inside:
            parent[find(root_of[origin.article].lower())] = find(root_of[twin].lower())
            notes.add(f"{sources[origin.article]} shares these words with {origin.outlet}.")
    return len({find(key) for key in parent}), sorted(notes)
