"""Typed differences between two statements about the same thing, found without a model.

Each difference names the slot that differs and points at the words on both sides: facts that
differ (date, number, place), an account that one side gives and the other denies, each side
saying the other did it (actor), and words that colour one account but not the other (framing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from verifier.facts import is_country, place_lineage
from verifier.models import Article, Claim, Difference, Fact, FactKind, Side

_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected|rejects|refuted|refutes|dismissed|dismisses|"
    r"disputed|disputes|false|untrue|fabricated|baseless|groundless|never happened)\b",
    re.IGNORECASE,
)
_AFFIRMATION = re.compile(
    r"\b(?:said|says|confirmed|confirms|announced|admitted|acknowledged|stated|reported)\b",
    re.IGNORECASE,
)


_PARTIES_FILE = Path(__file__).with_name("data") / "parties.txt"


def _load_parties() -> dict[str, str]:
    """Each word that stands for a party acting ("Chinese", "Beijing", "PLA") -> the party
    ("China"), from data/parties.txt: ``Party | word | word`` a line."""
    party_of: dict[str, str] = {}
    for line in _PARTIES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        party, *words = (name.strip() for name in line.split("|"))
        party_of.update(dict.fromkeys(filter(None, words), party))
    return party_of


# Countries and groups, and the words that stand for them or their forces, for "who did it to
# whom".
_PARTY_OF = _load_parties()

_PARTY = re.compile(
    r"(?<![\w-])(?:" + "|".join(sorted(map(re.escape, _PARTY_OF), key=len, reverse=True)) + r")"
    r"(?![\w-])"
)
# What opens the clause that tells what happened: "said Chinese jets locked ...",
# "describing that Japanese aircraft obstructed ...", "after Chinese jets ...".
_CLAUSE_OPENER = re.compile(
    r"\b(?:that|wherein|where|after|when|said|says|saying|describing|accused \w+ of|"
    r"alleging|claiming)\b"
)

_FRAMING = re.compile(
    r"\b(?:allegedly|reportedly|apparently|purportedly|so-called|supposed|claimed|"
    r"controversial|aggressive|provocative|dangerous|reckless|hostile|blistering|"
    r"pro-independence|separatist|regime|radical|extremist|illegal|unprovoked|"
    r"lashed out|slammed|blasted|shot back|enraged|coercion|bullying|smearing)\b",
    re.IGNORECASE,
)


def differences(
    left: Claim, right: Claim, facts: dict[str, Fact], articles: dict[str, Article]
) -> list[Difference]:
    """The facts two statements about the same thing state differently, and a denial."""
    found = list(_fact_differences(left, right, facts))
    denial = _denial(left, right, articles)
    if denial is not None:
        found.append(denial)
    return found


def actor_reversal(left: Claim, right: Claim, articles: dict[str, Article]) -> Difference | None:
    """Each side says the other did it: "Chinese jets locked radar on Japanese jets" against
    "Japanese aircraft obstructed the Chinese carrier's flights"."""
    ours = _agent_and_target(articles[left.article].text, *left.span)
    theirs = _agent_and_target(articles[right.article].text, *right.span)
    if ours is None or theirs is None:
        return None
    (agent, agent_side), (target, _) = ours
    (their_agent, their_side), (their_target, _) = theirs
    if agent != their_target or target != their_agent:
        return None
    return Difference(
        slot="actor",
        left=agent_side.model_copy(update={"article": left.article}),
        right=their_side.model_copy(update={"article": right.article}),
        note=f"One account has {agent} acting against {target}; the other has {their_agent} "
        f"acting against {their_target}.",
    )


def framing(left: Claim, right: Claim, articles: dict[str, Article]) -> Difference | None:
    """Words that colour one account and that the other does not use."""
    ours = _framing_words(articles[left.article].text, left)
    theirs = _framing_words(articles[right.article].text, right)
    ours_only = [s for s in ours if s.text.lower() not in {t.text.lower() for t in theirs}]
    theirs_only = [s for s in theirs if s.text.lower() not in {t.text.lower() for t in ours}]
    if not ours_only and not theirs_only:
        return None
    left_side = ours_only[0] if ours_only else _whole(left)
    right_side = theirs_only[0] if theirs_only else _whole(right)
    words = [f'"{s.text}"' for s in ours_only + theirs_only]
    return Difference(
        slot="framing",
        left=left_side,
        right=right_side,
        note=f"Told with different colour: {', '.join(words)} on one side only.",
    )


def differing_facts(
    ours: Sequence[Fact], theirs: Sequence[Fact], slot: FactKind
) -> tuple[Fact, Fact] | None:
    """The first fact of kind ``slot`` on each side when both sides state one and they share
    no value: a different date, a different count of the same unit, no place in common and
    none within another."""
    ours = [f for f in ours if f.kind == slot and f.resolved]
    theirs = [f for f in theirs if f.kind == slot and f.resolved]
    if slot == "number":
        units = {f.unit for f in ours if f.unit} & {f.unit for f in theirs if f.unit}
        ours = [f for f in ours if f.unit in units]
        theirs = [f for f in theirs if f.unit in units]
    if not ours or not theirs or {f.value for f in ours} & {f.value for f in theirs}:
        return None
    if slot == "place" and any(
        a.value in place_lineage(b.value) or b.value in place_lineage(a.value)
        for a in ours
        for b in theirs
    ):
        return None  # one place lies within the other ("Naha", "Okinawa")
    if slot == "date" and any(
        a.value.startswith(b.value) or b.value.startswith(a.value) for a in ours for b in theirs
    ):
        return None  # a month and a day in it ("in November", "November 6") agree
    return ours[0], theirs[0]


def _fact_differences(left: Claim, right: Claim, facts: dict[str, Fact]) -> Iterable[Difference]:
    """The date, number and place the two statements give differently."""
    slots: tuple[FactKind, ...] = ("date", "number", "place")
    for slot in slots:
        ours = [facts[f] for f in left.facts]
        theirs = [facts[f] for f in right.facts]
        if slot == "place":
            # Countries are mostly actors ("Japan protested"), and a city lies in its country:
            # only places below the country level can differ.
            ours = [f for f in ours if not is_country(f.value)]
            theirs = [f for f in theirs if not is_country(f.value)]
        pair = differing_facts(ours, theirs, slot)
        if pair is not None:
            yield Difference(
                slot=slot,
                left=_fact_side(pair[0]),
                right=_fact_side(pair[1]),
                note=f"{slot}: {pair[0].value} against {pair[1].value}.",
            )


def _fact_side(fact: Fact) -> Side:
    return Side(
        article=fact.article,
        text=fact.text,
        start=fact.start,
        end=fact.end,
        value=fact.value,
        item=fact.id,
    )


def _denial(left: Claim, right: Claim, articles: dict[str, Article]) -> Difference | None:
    ours = _DENIAL.search(articles[left.article].text, *left.span)
    theirs = _DENIAL.search(articles[right.article].text, *right.span)
    if (ours is None) == (theirs is None):
        return None
    denying, other = (left, right) if ours is not None else (right, left)
    denial = ours or theirs
    assert denial is not None
    affirmation = _AFFIRMATION.search(articles[other.article].text, *other.span)
    other_side = _span_side(other, affirmation) if affirmation else _whole(other)
    denial_side = _span_side(denying, denial)
    sides = (denial_side, other_side) if denying is left else (other_side, denial_side)
    return Difference(
        slot="negation",
        left=sides[0],
        right=sides[1],
        note="One account is denied by the other.",
    )


def _span_side(claim: Claim, match: re.Match[str]) -> Side:
    return Side(article=claim.article, text=match.group(), start=match.start(), end=match.end())


def _whole(claim: Claim) -> Side:
    start, end = claim.span
    return Side(article=claim.article, text=claim.text, start=start, end=end, item=claim.id)


def _agent_and_target(text: str, start: int, end: int) -> tuple[tuple[str, Side], ...] | None:
    """The first clause opened by "said", "that", "after", ... that names two parties: the
    first is taken as the one acting, the second as the one acted on."""
    for opener in _CLAUSE_OPENER.finditer(text, start, end):
        clause_end = _clause_end(text, opener.end(), end)
        mentions = [
            (_PARTY_OF[m.group()], m) for m in _PARTY.finditer(text, opener.end(), clause_end)
        ]
        if not mentions:
            continue
        agent = mentions[0]
        target = next((m for m in mentions[1:] if m[0] != agent[0]), None)
        if target is None:
            continue
        return tuple(
            (party, Side(article="", text=m.group(), start=m.start(), end=m.end()))
            for party, m in (agent, target)
        )
    return None


def _clause_end(text: str, start: int, end: int) -> int:
    stop = re.compile(r"[;:]|,\s+(?:in what|which|while|but|and)\b").search(text, start, end)
    return stop.start() if stop else end


def _framing_words(text: str, claim: Claim) -> list[Side]:
    return [
        Side(article=claim.article, text=m.group(), start=m.start(), end=m.end())
        for m in _FRAMING.finditer(text, *claim.span)
    ]
