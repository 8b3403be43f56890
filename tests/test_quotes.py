from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verifier import Article, Quote, find_quotes


def quotes_of(text: str) -> list[Quote]:
    return find_quotes(Article(id="a0", source="test", text=text))


def only(text: str) -> Quote:
    quotes = quotes_of(text)
    assert len(quotes) == 1, quotes
    return quotes[0]


def test_seed_quotes_slice_to_their_text(ft_article: Article, zh_article: Article) -> None:
    for article in (ft_article, zh_article):
        for quote in find_quotes(article):
            assert article.text[quote.start : quote.end] == quote.text
            if quote.speaker is not None:
                assert article.text[quote.speaker_start : quote.speaker_end] == quote.speaker
            if quote.cue is not None:
                assert article.text[quote.cue_start : quote.cue_end] == quote.cue
            if quote.mention is not None:
                assert article.text[quote.mention_start : quote.mention_end] == quote.mention


def test_glass_is_the_speaker_of_have_her_back_in_both_seeds(
    ft_article: Article, zh_article: Article
) -> None:
    short = [q for q in find_quotes(ft_article) if q.text == "have her back"]
    assert [(q.speaker, q.kind, q.speaker_role) for q in short] == [
        ("George Glass", "partial", "ambassador to Japan")
    ]
    longer = [q for q in find_quotes(zh_article) if q.text.endswith("we have her back")]
    assert len(longer) == 1
    assert longer[0].speaker == "George Glass"
    assert longer[0].mention == "Glass"
    assert longer[0].kind == "direct"


def test_pronoun_resolves_to_takaichi(ft_article: Article) -> None:
    quote = next(q for q in find_quotes(ft_article) if q.text.startswith("Japan has strongly"))
    assert quote.mention == "she"
    assert quote.speaker == "Sanae Takaichi"
    assert quote.cue == "told"
    regrettable = next(q for q in find_quotes(ft_article) if q.text == "extremely regrettable")
    assert regrettable.speaker == "Sanae Takaichi"
    assert regrettable.cue == "described"


def test_straight_quote_typed_as_apostrophe_is_not_a_quote(ft_article: Article) -> None:
    assert not any("s ambassador" in q.text for q in find_quotes(ft_article))


def test_quote_continued_in_next_paragraph_keeps_its_speaker(ft_article: Article) -> None:
    quotes = find_quotes(ft_article)
    second = next(q for q in quotes if q.text.startswith("Setting aside"))
    first = next(q for q in quotes if q.id == second.continues)
    assert first.text.startswith("This was the clearest statement")
    assert second.speaker == first.speaker == "Christopher Johnstone"


def test_quote_with_no_attribution_has_no_speaker() -> None:
    quote = only('The banner read like a slogan.\n\n"Nothing will stop us now."\n')
    assert quote.speaker is None
    assert quote.text == "Nothing will stop us now."


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ('"We will win," Mr. Welch said.', "Welch", "said"),
        ("“We will win,” said Maria Lopez, a city councillor.", "Maria Lopez", "said"),
        ("''We will win,'' the mayor told reporters.", "the mayor", "told"),
        ('Senator Ann Ford said: "We will win."', "Ann Ford", "said"),
        ('According to the ministry, "we will win."', "the ministry", "According to"),
        ('"We will win." ― Jorge Falcon', "Jorge Falcon", "―"),
    ],
)
def test_attribution_patterns(text: str, speaker: str, cue: str) -> None:
    quote = only(text)
    assert quote.text.rstrip(".") == "We will win" or quote.text.lower().startswith("we will win")
    assert quote.speaker == speaker
    assert quote.cue == cue


def test_split_quote_has_one_speaker_for_both_parts() -> None:
    quotes = quotes_of('"We will win," she said. "And we will win again."')
    assert [q.text for q in quotes] == ["We will win", "And we will win again."]
    assert quotes[0].mention == quotes[1].mention == "she"


def test_partial_quote_inside_the_outlets_sentence() -> None:
    quote = only('Critics called the plan "a disaster" on Monday.')
    assert quote.kind == "partial"
    assert quote.text == "a disaster"


def test_doubled_apostrophes_are_quote_marks() -> None:
    quote = only("''It is all lies,'' Mr. Putin said.")
    assert quote.text == "It is all lies"
    assert quote.speaker == "Putin"
    assert quote.mention == "Mr. Putin"


def test_unbalanced_quote_mark_does_not_run_into_the_next_paragraph() -> None:
    quotes = quotes_of('He said "this never ends.\n\nA new paragraph with no quote.')
    assert all("new paragraph" not in q.text for q in quotes)


@given(st.text(alphabet=st.sampled_from(list("ab .,\n\"“”'‘’:said"))))
def test_any_text_gives_spans_that_slice_to_their_text(text: str) -> None:
    for quote in quotes_of(text):
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker_start is not None:
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker
