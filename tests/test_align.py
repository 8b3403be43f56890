from __future__ import annotations

import pytest

from verifier import Article, Finding, Report, compare
from verifier.align import Statements
from verifier.judge import actor_reversal, framing
from verifier.models import Claim


@pytest.fixture(scope="module")
def report(ft_article: Article, zh_article: Article) -> Report:
    return compare([ft_article, zh_article])


def claim_text(report: Report, claim_id: str) -> str:
    return next(c.text for c in report.claims if c.id == claim_id)


def statement_findings(report: Report, words: str) -> list[Finding]:
    return [
        f
        for f in report.findings
        if f.kind == "statement" and any(words in claim_text(report, m) for m in f.members)
    ]


def test_radar_lock_accounts_form_one_event_in_conflict(report: Report) -> None:
    japanese = next(c for c in report.claims if "locked their radars" in c.text)
    chinese = next(c for c in report.claims if "obstructed safe flight operations" in c.text)
    events = [e for e in report.events if japanese.id in e.members]
    assert len(events) == 1 and chinese.id in events[0].members
    conflict = next(
        f
        for f in report.findings
        if f.relation == "conflict" and {japanese.id, chinese.id} <= set(f.members)
    )
    assert conflict.event == events[0].id
    (difference,) = conflict.differences
    assert difference.slot == "actor"
    for side in (difference.left, difference.right):
        assert report.article(side.article).text[side.start : side.end] == side.text
    assert {difference.left.text, difference.right.text} == {"Chinese", "Japanese"}


def test_both_outlets_tell_of_chinese_jets_targeting_japanese_jets(report: Report) -> None:
    (finding,) = [
        f for f in statement_findings(report, "locked their radars") if f.relation == "agree"
    ]
    assert any("fire-control radar" in claim_text(report, m) for m in finding.members)


def test_takaichi_taiwan_remark_is_framed_differently(report: Report) -> None:
    (finding,) = statement_findings(report, "existential threat which would allow")
    assert finding.relation == "agree"
    framing_differences = [d for d in finding.differences if d.slot == "framing"]
    assert framing_differences
    words = {framing_differences[0].left.text, framing_differences[0].right.text}
    assert "pro-independence" in words


def test_each_outlet_has_unique_statements(report: Report) -> None:
    unique = [f for f in report.findings if f.relation == "unique" and f.kind == "statement"]
    assert {f.sources[0] for f in unique} == {a.source for a in report.articles}
    assert any("Elbridge Colby" in claim_text(report, f.members[0]) for f in unique)


def test_differences_point_at_their_words(report: Report) -> None:
    for finding in report.findings:
        for difference in finding.differences:
            for side in (difference.left, difference.right):
                text = report.article(side.article).text
                assert text[side.start : side.end] == side.text


def test_actor_reversal_needs_opposite_roles() -> None:
    def claim_of(text: str, number: int) -> tuple[Article, object]:
        article = Article(id=f"a{number}", source=str(number), text=text)
        return article, compare([article]).claims[0]

    a, left = claim_of("Tokyo said Russian ships entered Japanese waters on Monday.", 0)
    b, right = claim_of("Moscow said Japanese boats provoked Russian ships on Monday.", 1)
    c, same = claim_of("Officials said Russian ships entered Japanese waters on Monday.", 2)
    articles = {"a0": a, "a1": b, "a2": c}
    assert actor_reversal(left, right, articles) is not None  # type: ignore[arg-type]
    assert actor_reversal(left, same, articles) is None  # type: ignore[arg-type]
    assert framing(left, same, articles) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (
            "Bangkok said Cambodian troops shelled Thai positions on Monday.",
            "Phnom Penh said Thai soldiers attacked Cambodian positions on Monday.",
        ),
        (
            "Officials said Armenian forces fired on Azerbaijani posts overnight.",
            "Officials said Azerbaijani units fired on Armenian villages overnight.",
        ),
        (
            "Officials said South Korean ships entered North Korean waters.",
            "Officials said North Korean boats entered South Korean waters.",
        ),
    ],
)
def test_actor_reversal_knows_the_parties_of_every_country(ours: str, theirs: str) -> None:
    articles = {
        f"a{n}": Article(id=f"a{n}", source=str(n), text=t) for n, t in enumerate([ours, theirs])
    }
    left, right = (compare([article]).claims[0] for article in articles.values())
    assert actor_reversal(left, right, articles) is not None


def test_candidates_skip_words_every_statement_has() -> None:
    claims = compare(
        [
            Article(id=f"a{n}", source=str(n), text=f"Officials said item {n} was sold.")
            for n in range(40)
        ]
    ).claims
    assert Statements(claims).pairs(0.2) == {}


def test_a_word_held_by_many_statements_yields_no_candidate_pairs_at_any_corpus_size() -> None:
    # 1,000 statements in 100 articles; "minister" is in every fifth one: a fifth of the corpus
    # is under the 25% share, but pairing on it would mean some 20,000 comparisons.
    claims = [
        Claim(
            id=f"c{n}",
            article=f"a{n % 100}",
            text=f"{'minister ' if n % 5 == 0 else ''}word{n}x alpha{n}y",
            start=0,
            end=1,
        )
        for n in range(1_000)
    ]
    assert Statements(claims).pairs(0.0) == {}
