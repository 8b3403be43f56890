"""Line up the statements of several articles, with no model.

Statements (claims) of different articles are paired when their words overlap enough, rare
words counting for more than common ones. Candidate pairs come from an index of shared words,
so the number of comparisons grows with the number of statements, not with its square. Paired
statements become one finding; statements that speak of the same happening, more loosely,
form an event, and within an event each side blaming the other is a conflict.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from verifier.judge import actor_reversal, differences, framing
from verifier.models import Article, Claim, Difference, Event, Fact, Finding

STOPWORDS = frozenset(
    """a an the and or but of to in on at by for with from as is are was were be been being has
    have had do does did it its this that these those he she they we i you his her their our
    my your not no so if than then there here which who whom what when where why how all any
    some more most also just very can could would should will may might must about into over
    after before up down out said says say told would""".split()
)
_WORD = re.compile(r"[\w'’]+")
_CONTINUES = re.compile(r"(?:But|However|Yet|Still|Instead|In response|In turn)\b")

SAME_STATEMENT = 0.3
"""Weighted share of the lighter statement's words the other must hold to be the same
statement."""
SAME_EVENT = 0.25
"""The same share for two statements to speak of the same happening: the best F1 (0.72) for
pairing Emergent's headlines by the rumour they report (benchmarks/align_eval.py)."""
_COMMON = 0.25
"""Words in more than this share of the statements carry no signal for pairing."""
_MOST_HOLDERS = 60
"""Nor do words held by more statements than this, however many statements there are: each
word then yields a bounded number of candidate pairs, so the comparisons grow linearly with
the statements (a share alone lets them grow with its square; benchmarks/align_eval.py)."""


def words(text: str) -> list[str]:
    """Lower-case words, with curly apostrophes made straight."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def content_words(text: str) -> set[str]:
    """The words that carry meaning: no function words, no possessive endings, crude plurals
    folded ("radars" and "radar")."""
    found = set()
    for word in words(text):
        word = word.removesuffix("'s")
        if word in STOPWORDS or len(word) <= 2:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.add(word)
    return found


def shared_word_pairs(
    owners: Sequence[str], word_sets: Sequence[set[str]], *, ceiling: int | None = None
) -> set[tuple[int, int]]:
    """Index pairs ``(left, right)``, ``left < right``, of items with different owners (their
    articles) that share a word, found through an index of words: the work grows with the
    pairs that share something, not with all pairs. Words held by more than ``ceiling`` items
    carry no signal and are skipped."""
    index: dict[str, list[int]] = defaultdict(list)
    for number, item_words in enumerate(word_sets):
        for word in item_words:
            index[word].append(number)
    pairs: set[tuple[int, int]] = set()
    for postings in index.values():
        if ceiling is not None and len(postings) > ceiling:
            continue
        for position, left in enumerate(postings):
            for right in postings[position + 1 :]:
                if owners[left] != owners[right]:
                    pairs.add((left, right))
    return pairs


class Statements:
    """The claims of a report with their words weighted by rarity."""

    def __init__(self, claims: Sequence[Claim]) -> None:
        self.claims = list(claims)
        self.words = [content_words(c.text) for c in claims]
        counts = Counter(w for ws in self.words for w in ws)
        total = len(claims)
        self.weight = {w: math.log((total + 1) / (n + 1)) + 1 for w, n in counts.items()}
        self.ceiling = min(max(3, int(total * _COMMON)), _MOST_HOLDERS)

    def similarity(self, left: int, right: int) -> float:
        shared = self.words[left] & self.words[right]
        if not shared:
            return 0.0
        mass = min(
            sum(self.weight[w] for w in self.words[left]),
            sum(self.weight[w] for w in self.words[right]),
        )
        return sum(self.weight[w] for w in shared) / mass

    def pairs(self, threshold: float) -> dict[tuple[int, int], float]:
        """Pairs of statements of different articles at least ``threshold`` alike."""
        owners = [claim.article for claim in self.claims]
        candidates = shared_word_pairs(owners, self.words, ceiling=self.ceiling)
        scored = {pair: self.similarity(*pair) for pair in candidates}
        return {pair: score for pair, score in scored.items() if score >= threshold}


class Groups:
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


def statement_findings(
    claims: Sequence[Claim],
    facts: dict[str, Fact],
    articles: dict[str, Article],
    quote_findings: Sequence[Finding],
) -> tuple[list[Finding], list[Event]]:
    """Findings on the statements of several articles, and the events they belong to.

    ``quote_findings`` link the statements that hold the same quote into one event and get
    their ``event`` set.
    """
    sources = {article_id: article.source for article_id, article in articles.items()}
    statements = Statements(claims)
    related = statements.pairs(SAME_EVENT)
    same = _mutual_best({p: s for p, s in related.items() if s >= SAME_STATEMENT}, claims)
    groups = Groups(len(claims))
    for left, right in same:
        groups.join(left, right)
    findings: list[Finding] = []
    grouped: set[int] = set()
    for members in groups.members():
        if len(members) < 2:
            continue
        grouped.update(members)
        findings.append(_shared(members, claims, facts, articles, sources))
    events = _events(claims, related, quote_findings, articles)
    event_of = {claim: event.id for event in events for claim in event.members}
    number_of = {claim.id: number for number, claim in enumerate(claims)}
    for event in events:
        members = [number_of[m] for m in event.members]
        for position, left in enumerate(members):
            for right in members[position + 1 :]:
                if claims[left].article == claims[right].article:
                    continue
                if groups.find(left) == groups.find(right):
                    continue
                reversal = actor_reversal(claims[left], claims[right], articles)
                if reversal is not None:
                    grouped.update((left, right))
                    findings.append(_blame(claims[left], claims[right], reversal, sources))
    for number, claim in enumerate(claims):
        if number not in grouped:
            findings.append(
                Finding(
                    id="",
                    relation="unique",
                    kind="statement",
                    members=[claim.id],
                    sources=[sources[claim.article]],
                    explanation=f"Only {sources[claim.article]} states this.",
                )
            )
    claim_of_quote = {q: c.id for c in claims for q in c.quotes}
    for finding in [*findings, *quote_findings]:
        ids = [claim_of_quote.get(m, m) for m in finding.members]
        finding.event = next((event_of[i] for i in ids if i in event_of), None)
    return findings, events


def _mutual_best(
    pairs: dict[tuple[int, int], float], claims: Sequence[Claim]
) -> list[tuple[int, int]]:
    """Keep a pair when each statement is the other's best match in the other's article."""
    best: dict[tuple[int, str], tuple[float, int]] = {}
    for (left, right), score in pairs.items():
        for one, other in ((left, right), (right, left)):
            key = (one, claims[other].article)
            if key not in best or best[key][0] < score:
                best[key] = (score, other)
    return [
        (one, other)
        for (one, _), (_, other) in best.items()
        if one < other and best.get((other, claims[one].article), (0.0, -1))[1] == one
    ]


def _shared(
    members: list[int],
    claims: Sequence[Claim],
    facts: dict[str, Fact],
    articles: dict[str, Article],
    sources: dict[str, str],
) -> Finding:
    group = [claims[m] for m in members]
    found: list[Difference] = []
    for position, left in enumerate(group):
        for right in group[position + 1 :]:
            if left.article == right.article:
                continue
            found.extend(differences(left, right, facts, articles))
            colour = framing(left, right, articles)
            if colour is not None:
                found.append(colour)
    outlets = sorted({sources[c.article] for c in group})
    substantive = [d for d in found if d.slot != "framing"]
    if substantive:
        slots = sorted({d.slot for d in substantive})
        explanation = f"{' and '.join(outlets)} give a different {' and '.join(slots)}."
    else:
        explanation = f"{' and '.join(outlets)} report this alike."
    if any(d.slot == "framing" for d in found):
        explanation += " The framing differs."
    return Finding(
        id="",
        relation="conflict" if substantive else "agree",
        kind="statement",
        members=[c.id for c in group],
        sources=outlets,
        explanation=explanation,
        differences=found,
    )


def _blame(left: Claim, right: Claim, reversal: Difference, sources: dict[str, str]) -> Finding:
    return Finding(
        id="",
        relation="conflict",
        kind="statement",
        members=[left.id, right.id],
        sources=sorted({sources[left.article], sources[right.article]}),
        explanation=f"{sources[left.article]} and {sources[right.article]} give opposite "
        f"accounts of the same happening. {reversal.note}",
        differences=[reversal],
    )


def _events(
    claims: Sequence[Claim],
    related: dict[tuple[int, int], float],
    quote_findings: Sequence[Finding],
    articles: dict[str, Article],
) -> list[Event]:
    """Statements that speak of the same happening, across articles: loosely alike, holding
    the same quote, or a sentence that answers the one before it ("But Beijing shot back")."""
    groups = Groups(len(claims))
    for left, right in related:
        groups.join(left, right)
    number_of = {c.id: n for n, c in enumerate(claims)}
    holder = {q: number_of[c.id] for c in claims for q in c.quotes}
    for finding in quote_findings:
        holders = [holder[m] for m in finding.members if m in holder]
        for other in holders[1:]:
            groups.join(holders[0], other)
    for number in range(1, len(claims)):
        previous, claim = claims[number - 1], claims[number]
        gap = articles[claim.article].text[previous.end : claim.start]
        if previous.article == claim.article and "\n" not in gap and _CONTINUES.match(claim.text):
            groups.join(number - 1, number)
    statements = Statements(claims)
    events: list[Event] = []
    for members in sorted(groups.members(), key=min):
        articles_in = {claims[m].article for m in members}
        if len(articles_in) < 2:
            continue
        events.append(
            Event(
                id=f"E{len(events)}",
                label=_label(members, statements),
                members=[claims[m].id for m in members],
                sources=sorted(articles[a].source for a in articles_in),
            )
        )
    return events


def _label(members: Iterable[int], statements: Statements) -> str:
    counts = Counter(w for m in members for w in statements.words[m])
    shared = [w for w, n in counts.items() if n > 1] or list(counts)
    shared.sort(key=lambda w: (-counts[w] * statements.weight[w], w))
    return ", ".join(shared[:4])
