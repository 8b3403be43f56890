"""Find what each article says and line it up across articles, with no model.

Quotes with the same or nearly the same words form one finding that says how the versions
relate. Sentences that state facts (claims) are paired across articles when they share enough
words; a pair that gives a different date, number or place for the same thing is a conflict.
Candidates are found through an index of shared words, so the work grows with the number of
statements rather than with the number of pairs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from verifier import __version__
from verifier.facts import find_facts
from verifier.models import (
    Article,
    Claim,
    Difference,
    Fact,
    Fidelity,
    Finding,
    Origin,
    Quote,
    Report,
)
from verifier.origin import find_origins, independent_sources
from verifier.quotes import find_quotes
from verifier.text import paragraphs, sentences

_STOPWORDS = frozenset(
    """a an the and or but of to in on at by for with from as is are was were be been being has
    have had do does did it its this that these those he she they we i you his her their our
    my your not no so if than then there here which who whom what when where why how all any
    some more most also just very can could would should will may might must about into over
    after before up down out said says say told would""".split()
)
_WORD = re.compile(r"[\w'’]+")


@dataclass(frozen=True)
class Extraction:
    """What one article says: its quotes, facts and claims."""

    quotes: list[Quote]
    facts: list[Fact]
    claims: list[Claim]


def extract(article: Article) -> Extraction:
    """Find the quotes, facts and fact-bearing sentences (claims) of one article."""
    quotes = find_quotes(article)
    facts = find_facts(article)
    claims: list[Claim] = []
    for paragraph in paragraphs(article.text, article.body_start):
        for start, end in sentences(article.text, *paragraph):
            held = [f.id for f in facts if start <= f.start and f.end <= end]
            if not held:
                continue
            claims.append(
                Claim(
                    id=f"{article.id}.c{len(claims)}",
                    article=article.id,
                    text=article.text[start:end],
                    start=start,
                    end=end,
                    facts=held,
                    quotes=[q.id for q in quotes if start <= q.start and q.end <= end],
                )
            )
    return Extraction(quotes=quotes, facts=facts, claims=claims)


def compare(articles: Sequence[Article]) -> Report:
    """Find what each article says and report where the articles agree, conflict, or stand
    alone. One article gives its quotes, facts and claims and nothing to compare."""
    extractions = [extract(article) for article in articles]
    quotes = [q for e in extractions for q in e.quotes]
    facts = [f for e in extractions for f in e.facts]
    claims = [c for e in extractions for c in e.claims]
    sources = {article.id: article.source for article in articles}
    findings: list[Finding] = []
    origins = find_origins(articles) if len(articles) > 1 else []
    if len(articles) > 1:
        findings.extend(_quote_findings(quotes, sources))
        findings.extend(_fact_findings(claims, {f.id: f for f in facts}, sources))
        spans = {q.id: (q.article, q.start, q.end) for q in quotes}
        spans.update({c.id: (c.article, c.start, c.end) for c in claims})
        for finding in findings:
            if finding.relation != "unique":
                _count_independent(finding, [spans[m] for m in finding.members], origins, sources)
    order = {"conflict": 0, "agree": 1, "unique": 2}
    findings.sort(key=lambda f: order[f.relation])
    for number, finding in enumerate(findings):
        finding.id = f"F{number}"
    return Report(
        version=__version__,
        articles=list(articles),
        quotes=quotes,
        facts=facts,
        claims=claims,
        origins=origins,
        findings=findings,
    )


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


def _words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def _content_words(text: str) -> set[str]:
    return {w.removesuffix("'s") for w in _words(text) if w not in _STOPWORDS and len(w) > 2}


def _candidate_pairs(
    items: Sequence[tuple[str, set[str]]], minimum_shared: int
) -> set[tuple[int, int]]:
    """Index pairs of items from different articles that share at least ``minimum_shared``
    words. Words that occur in very many items carry no signal and are skipped."""
    index: dict[str, list[int]] = defaultdict(list)
    for number, (_, words) in enumerate(items):
        for word in words:
            index[word].append(number)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    ceiling = max(8, len(items) // 4)
    for postings in index.values():
        if len(postings) > ceiling:
            continue
        for position, left in enumerate(postings):
            for right in postings[position + 1 :]:
                if items[left][0] != items[right][0]:
                    shared[left, right] += 1
    return {pair for pair, count in shared.items() if count >= minimum_shared}


class _Groups:
    """Union-find over item numbers."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, left: int, right: int) -> None:
        self.parent[self.find(left)] = self.find(right)

    def members(self) -> list[list[int]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for item in range(len(self.parent)):
            groups[self.find(item)].append(item)
        return list(groups.values())


def quote_relation(left: str, right: str) -> Fidelity | None:
    """How two versions of a quote relate: identical, truncated (one is part of the other),
    variant (the wording differs), or None when they are not the same quote."""
    a, b = _words(left), _words(right)
    if not a or not b:
        return None
    if a == b:
        return "identical"
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) >= 2 and _contains(longer, shorter):
        return "truncated"
    shared = set(shorter) & set(longer)
    content = {w for w in shared if w not in _STOPWORDS and len(w) > 3}
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
    a, b = _content_words(left), _content_words(right)
    return bool(a & b) or left.lower() in right.lower() or right.lower() in left.lower()


def _quote_findings(quotes: list[Quote], sources: dict[str, str]) -> Iterable[Finding]:
    items = [(q.article, _content_words(q.text) or set(_words(q.text))) for q in quotes]
    groups = _Groups(len(quotes))
    relations: dict[tuple[int, int], Fidelity] = {}
    for left, right in sorted(_candidate_pairs(items, 1)):
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
    )


_SAME_EVENT = 45.0
"""Share of the shorter claim's content words that the other claim must hold, in percent."""


def _fact_findings(
    claims: list[Claim], facts: dict[str, Fact], sources: dict[str, str]
) -> Iterable[Finding]:
    words = [_content_words(c.text) for c in claims]
    items = [(c.article, w) for c, w in zip(claims, words, strict=True)]
    best: dict[tuple[int, str], tuple[float, int]] = {}
    for left, right in _candidate_pairs(items, 3):
        score = 100 * len(words[left] & words[right]) / min(len(words[left]), len(words[right]))
        if score < _SAME_EVENT:
            continue
        for one, other in ((left, right), (right, left)):
            key = (one, claims[other].article)
            if key not in best or best[key][0] < score:
                best[key] = (score, other)
    groups = _Groups(len(claims))
    for (one, _), (_, other) in best.items():
        if best.get((other, claims[one].article), (0.0, -1))[1] == one:
            groups.join(one, other)
    for members in groups.members():
        group = [claims[m] for m in members]
        if len({c.article for c in group}) < 2:
            for claim in group:
                yield Finding(
                    id="",
                    relation="unique",
                    kind="fact",
                    members=[claim.id],
                    sources=[sources[claim.article]],
                    explanation=f"Only {sources[claim.article]} states this.",
                )
            continue
        differences = list(_differences(group, facts))
        outlets = sorted({sources[c.article] for c in group})
        if differences:
            slots = sorted({d.slot for d in differences})
            explanation = (
                f"{' and '.join(outlets)} report the same event with a different "
                f"{' and '.join(slots)}."
            )
        else:
            explanation = f"{' and '.join(outlets)} report the same event without a difference."
        yield Finding(
            id="",
            relation="conflict" if differences else "agree",
            kind="fact",
            members=[c.id for c in group],
            sources=outlets,
            explanation=explanation,
            differences=differences,
        )


def _differences(group: list[Claim], facts: dict[str, Fact]) -> Iterable[Difference]:
    """Facts of one kind that both sides state and that share no value: a different date, a
    different count of the same thing, no place in common."""
    for position, left in enumerate(group):
        for right in group[position + 1 :]:
            if left.article == right.article:
                continue
            for slot in ("date", "number", "place"):
                ours = [facts[f] for f in left.facts if facts[f].kind == slot and facts[f].resolved]
                theirs = [
                    facts[f] for f in right.facts if facts[f].kind == slot and facts[f].resolved
                ]
                if slot == "number":
                    ours, theirs = _same_units(ours, theirs)
                if not ours or not theirs:
                    continue
                if {f.value for f in ours} & {f.value for f in theirs}:
                    continue
                if slot == "date" and _dates_overlap(ours, theirs):
                    continue
                yield Difference(slot=slot, left=ours[0].id, right=theirs[0].id)


def _same_units(ours: list[Fact], theirs: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    units = {f.unit for f in ours if f.unit} & {f.unit for f in theirs if f.unit}
    return [f for f in ours if f.unit in units], [f for f in theirs if f.unit in units]


def _dates_overlap(ours: list[Fact], theirs: list[Fact]) -> bool:
    """A month and a day in that month are not in conflict ("in November", "November 6")."""
    return any(
        a.value.startswith(b.value) or b.value.startswith(a.value) for a in ours for b in theirs
    )


def _clip(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
