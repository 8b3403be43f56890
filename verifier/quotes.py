"""Direct quotes and their speakers, found by rules on the text alone (no model).

The steps: pair the quote marks of each paragraph (straight, curly and the doubled
apostrophes some papers print); decide whether each quotation is the reported speech itself
(``direct``) or a few quoted words inside the outlet's own sentence (``partial``); find its
attribution (speaker and cue) after it, before it, or, for a quote with none of its own, from
the quote or paragraph it continues; resolve a pronoun to the person it refers to where the
text makes that clear; and give the speaker the fullest form of the name the article uses.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from verifier.models import Article, Quote
from verifier.text import Span, paragraphs, sentences

_CUE_WORDS = """
said says saying say told tells telling tell added adds adding asked asks asking wrote writes
writing tweeted tweets posted posts explained explains stated states noted notes continued
continues argued argues insisted insists claimed claims warned warns declared declares announced
announces replied replies responded responds recalled recalls acknowledged acknowledges admitted
admits conceded concedes countered counters remarked remarks observed observes predicted predicts
quipped joked jokes complained complains suggested suggests emphasized emphasised stressed
stresses contended contends cautioned cautions vowed vows promised promises pledged pledges
boasted boasts shouted yelled lamented laments demanded demands asserted asserts concluded
concludes reported reports read reads described describes describing called calls calling
urged urges testified interjected mused exclaimed thundered chimed wondered wonders
blasted blasts slammed slams charged charges agreed agrees disagreed mocked mocks repeated
repeats proclaimed proclaims announced opined opines retorted replied griped bragged
""".split()
_CUE = r"(?:" + "|".join(sorted(set(_CUE_WORDS), key=len, reverse=True)) + r")"
_CUE_RE = re.compile(r"\b" + _CUE + r"\b")
_ACCORDING_TO = re.compile(r"\baccording to\b", re.IGNORECASE)

_UPPER = "A-ZÀ-ÖØ-Þ"
_NAME_WORD = rf"(?:[{_UPPER}][\w\-]*(?:['’](?!s\b)\w+)*\.?|[{_UPPER}]\.)"
_PARTICLE = r"(?:de|del|der|van|von|al|bin|la|le|du|da|di|of)"
_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_WORD})*"
_NAME_RE = re.compile(_NAME)
_PRONOUNS = {"he", "she", "they", "it", "i", "we"}
_PRONOUN_RE = re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|I|[Ww]e)\b")

# Words that start a capitalised run but are not part of a name.
_NOT_NAME = frozenset(
    """The A An And But Or So Yet In On At Of For To From With By As After Before When While
    Since Until If Then This That These Those It He She They We I You His Her Their Its Our
    Asked Meanwhile However Still Also Instead Later Earlier Now Today Yesterday Last Next
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December According Some Many Several One Two
    Another Other Both Each Every Such Mr Mrs Ms Dr Here There Where What Who Why How""".split()
)
_TITLES = frozenset(
    """Mr. Mrs. Ms. Dr. Sen. Rep. Gov. Gen. President Senator Governor Secretary Minister
    Ambassador Prime Foreign Defense Defence Chief Judge Justice Mayor Speaker Leader Professor
    Prof. Rev. Lt. Col. Sgt. Capt. Adm. Vice Deputy Former former""".split()
)
_HEAD_NOUNS = re.compile(
    r"\b(?:official|officials|spokesman|spokeswoman|spokesperson|source|sources|aide|aides|"
    r"adviser|advisers|advisor|expert|experts|analyst|analysts|lawyer|attorney|people|person|"
    r"voter|voters|supporter|supporters|ministry|department|embassy|government|campaign|"
    r"statement|committee|office|spokespeople|representative|staff|executive|economist|"
    r"strategist|pollster|critics|observers|residents|officer|officers|leader|leaders)\b",
    re.IGNORECASE,
)

_OPENERS = "“«„"
_CLOSERS = "”»"
_AMBIGUOUS = ('"', "''")
_MARK_RE = re.compile(r"'''|''|[\"“”«»„]")


@dataclass
class _Attribution:
    speaker: Span | None = None
    cue: Span | None = None


@dataclass
class _Found:
    open: int
    close: int
    start: int
    end: int
    paragraph: int
    kind: str = "direct"
    attribution: _Attribution = field(default_factory=_Attribution)
    continues: int | None = None


def reports_speech(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` reports what someone said ("X said", "according to X")."""
    return bool(_CUE_RE.search(text, start, end) or _ACCORDING_TO.search(text, start, end))


def find_quotes(article: Article) -> list[Quote]:
    """The quotations of an article body, each with its speaker and cue where the text says."""
    text = article.text
    found: list[_Found] = []
    spans = paragraphs(text, article.body_start)
    for index, (start, end) in enumerate(spans):
        found.extend(_pair_marks(text, start, end, index))
    _link_continued_paragraphs(text, spans, found)
    for item in found:
        item.kind = _kind(text, spans[item.paragraph][0], item)
        item.attribution = _attribution(text, spans[item.paragraph], item)
    _share_attributions(text, spans, found)
    names: dict[tuple[str, int], Span | None] = {}
    return [_to_quote(article, number, item, names) for number, item in enumerate(found)]


def _pair_marks(text: str, start: int, end: int, paragraph: int) -> list[_Found]:
    """Pair the quote marks of one paragraph into quotations."""
    found: list[_Found] = []
    opened: tuple[int, int] | None = None  # position and width of the open mark
    for match in _MARK_RE.finditer(text, start, end):
        mark, position = match.group(), match.start()
        if mark == "'''":
            mark, position = "''", position + 1
        before = text[position - 1] if position > start else " "
        after = text[position + len(mark)] if position + len(mark) < end else " "
        if mark in _AMBIGUOUS:
            if before.isalnum() and after.isalnum():
                continue  # an apostrophe typed as a quote mark: Japan"s
            can_open = not after.isspace() and (
                before.isspace() or before in "([{—–-/:" or position == start
            )
            can_close = not before.isspace()
            if opened is None and not can_open:
                continue
            if opened is not None and not can_close:
                opened = (position, len(mark)) if can_open else opened
                continue
        elif mark in _OPENERS:
            can_close = False
        else:
            can_close = True
        if opened is None:
            if mark in _CLOSERS:
                continue
            opened = (position, len(mark))
        elif can_close:
            found.extend(_make(text, opened, position, paragraph))
            opened = None
        else:
            opened = (position, len(mark))
    if opened is not None:
        # An open quote runs to the end of its paragraph: the usual way of printing a quote
        # that goes on into the next paragraph. Unbalanced marks elsewhere are dropped.
        found.extend(_make(text, opened, end, paragraph, closed=False))
    return found


def _make(
    text: str, opened: tuple[int, int], close: int, paragraph: int, *, closed: bool = True
) -> list[_Found]:
    start = opened[0] + opened[1]
    end = close
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if start >= end:
        return []
    item = _Found(
        open=opened[0], close=close if closed else -1, start=start, end=end, paragraph=paragraph
    )
    return [item]


def _link_continued_paragraphs(text: str, spans: list[Span], found: list[_Found]) -> None:
    """A quote left open at a paragraph's end continues in the next paragraph if that one opens
    with a quote mark; otherwise the unclosed quote is not a quotation we can trust."""
    keep: list[_Found] = []
    for index, item in enumerate(found):
        if item.close == -1:
            following = found[index + 1] if index + 1 < len(found) else None
            starts_next = (
                following is not None
                and following.paragraph == item.paragraph + 1
                and following.open == spans[following.paragraph][0]
            )
            if not starts_next:
                continue
            item.close = item.end
        keep.append(item)
    found[:] = keep
    for previous, item in itertools.pairwise(found):
        if (
            item.paragraph == previous.paragraph + 1
            and previous.end == _paragraph_end_content(text, spans[previous.paragraph])
            and item.open == spans[item.paragraph][0]
            and not _closed_with_mark(text, previous)
        ):
            item.continues = found.index(previous)


def _paragraph_end_content(text: str, span: Span) -> int:
    end = span[1]
    while end > span[0] and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return end


def _closed_with_mark(text: str, item: _Found) -> bool:
    return item.close < len(text) and text[item.close : item.close + 1] in "\"”»'"


def _kind(text: str, paragraph_start: int, item: _Found) -> str:
    """direct when the quotation stands as the speech itself; partial when it sits inside the
    outlet's own clause ("called it a 'disaster'", "said that 'we ...'")."""
    before = text[paragraph_start : item.open].rstrip()
    if not before or before[-1] in ".?!:" or before[-1] in _CLOSERS or before.endswith(('"', "''")):
        return "direct"
    last_words = before[-40:]
    if before[-1] == ",":
        return (
            "direct"
            if _CUE_RE.search(last_words) or _ACCORDING_TO.search(last_words)
            else "partial"
        )
    if re.search(_CUE + r"(?:\s+(?:reporters|\w+))?$", before[-40:]):
        return "direct"
    return "partial"


def _attribution(text: str, paragraph: Span, item: _Found) -> _Attribution:
    """The speaker and cue of a quotation from its own sentence: after it, then before it."""
    after = _after(text, paragraph, item)
    if after.speaker is not None:
        return after
    before = _before(text, paragraph, item)
    if before.speaker is not None:
        return before
    return after if after.cue is not None else before


def _sentence_around(text: str, paragraph: Span, position: int) -> Span:
    for start, end in sentences(text, *paragraph):
        if start <= position < end or position == end:
            return start, end
    return paragraph


_AFTER_NP_CUE = re.compile(
    r"\s*[,—–-]?\s*(?P<np>[^?!;:\"“”]{1,200}?)\s+(?:(?:also|then|later|had|has|have|once|"
    r"previously|recently|repeatedly|quickly|simply|flatly|also|again)\s+)*(?P<cue>" + _CUE + r")\b"
)
_AFTER_CUE_NP = re.compile(r"\s*[,—–-]?\s*(?P<cue>" + _CUE + r")\s+(?P<np>[^?!;:\"“”,]{1,120})")
_AFTER_DASH = re.compile(rf"\s*(?P<cue>[―—–]|--)\s*(?P<np>{_NAME})")
_AFTER_ACCORDING = re.compile(
    r"\s*[,—–-]?\s*(?P<cue>according to)\s+(?P<np>[^?!;:\"“”,]{1,120})", re.IGNORECASE
)


def _after(text: str, paragraph: Span, item: _Found) -> _Attribution:
    if item.close < 0:
        return _Attribution()
    close_end = item.close + (2 if text.startswith("''", item.close) else 1)
    limit = min(paragraph[1], close_end + 200)
    segment_end = _segment_end(text, close_end, limit)
    for pattern in (_AFTER_CUE_NP, _AFTER_NP_CUE, _AFTER_ACCORDING, _AFTER_DASH):
        match = pattern.match(text, close_end, segment_end)
        if match is None:
            continue
        if pattern is _AFTER_NP_CUE:
            speaker = _np_before_cue(text, match.start("np"), match.end("np"))
        else:
            speaker = _speaker_span(text, match.start("np"), match.end("np"), reverse=False)
        if speaker is not None:
            return _Attribution(speaker=speaker, cue=match.span("cue"))
    return _Attribution()


def _np_before_cue(text: str, start: int, end: int) -> Span | None:
    """The speaker in what stands between a quote and its verb: '," Mr. Welch said',
    '," the White House press secretary, Josh Earnest, said', '," the moderator said'."""
    parts = [m.span() for m in re.finditer(r"[^,]+", text[start:end])]
    for part_start, part_end in parts:
        span = _speaker_span(text, start + part_start, start + part_end, reverse=False)
        if span is not None and _has_name(text[span[0] : span[1]]):
            return span
    first_start, first_end = parts[0] if parts else (0, 0)
    words = _words(text, start + first_start, start + first_end)
    leads = words and (words[0][2].lower() in _PRONOUNS or _DETERMINER.match(words[0][2]))
    if leads and len(words) <= 6:
        return words[0][0], words[-1][1]
    return _speaker_span(text, start + first_start, start + first_end, reverse=False)


def _segment_end(text: str, start: int, limit: int) -> int:
    """Where the text after a quotation stops being its attribution: the next quote mark or the
    end of the sentence."""
    for position in range(start, limit):
        char = text[position]
        if char in '"“”«»' or text.startswith("''", position):
            return position
        if char in ".?!" and (position + 1 >= limit or text[position + 1].isspace()):
            word = re.search(r"(\S+)$", text[start:position])
            if word is None or not _is_abbreviation(word.group(1)):
                return position
    return limit


def _is_abbreviation(word: str) -> bool:
    return bool(re.fullmatch(rf"(?:{_NAME_WORD}|[{_UPPER}])", word + ".")) and len(word) <= 4


_BEFORE_NP_CUE = re.compile(
    r"(?P<np>[^.?!;:\"“”]{1,160}?)\s+(?:(?:also|then|later|had|has|have|once|previously|"
    r"recently|repeatedly|simply|again|on \w+|last \w+|this \w+)\s+)*(?P<cue>"
    + _CUE
    + r")\b[^.?!;\"“”]{0,80}$"
)


def _before(text: str, paragraph: Span, item: _Found) -> _Attribution:
    sentence = _sentence_around(text, paragraph, item.open)
    start = sentence[0]
    # A quote before this one in the same sentence ends the span we read.
    for match in _MARK_RE.finditer(text, start, item.open):
        start = match.end()
    clause_start = start
    according = None
    for match in _ACCORDING_TO.finditer(text, clause_start, item.open):
        according = match
    if according is not None:
        np_end = _np_end(text, according.end(), item.open)
        speaker = _speaker_span(text, according.end(), np_end, reverse=False)
        if speaker is not None:
            return _Attribution(speaker=speaker, cue=according.span())
    cues = list(_CUE_RE.finditer(text, clause_start, item.open))
    for cue in reversed(cues):
        if cue.group().endswith("ing") and text[: cue.start()].rstrip().endswith(","):
            # "Trump attacked Clinton ..., saying": the words are the sentence subject's.
            speaker = _sentence_subject(text, clause_start, cue.start(), "he")
            if speaker is None:
                pronoun = _PRONOUN_RE.match(text, clause_start, cue.start())
                speaker = pronoun.span() if pronoun else None
        else:
            speaker = _subject_of(text, clause_start, cue.start())
        if speaker is not None:
            return _Attribution(speaker=speaker, cue=cue.span())
    return _Attribution(cue=cues[-1].span()) if cues else _Attribution()


def _np_end(text: str, start: int, limit: int) -> int:
    for position in range(start, limit):
        if text[position] in ',;:."“”':
            return position
    return limit


def _subject_of(text: str, clause_start: int, cue_start: int) -> Span | None:
    """The noun phrase a cue verb says the words of: the nearest name, pronoun or noun phrase
    before the verb, stepping over time words and an appositive set off by commas."""
    window_start = max(clause_start, cue_start - 160)
    left = text[window_start:cue_start]
    # Drop the verb's adverbs and time phrases: "Takaichi on Sunday said".
    trimmed = re.sub(
        r"(?:\s+(?:also|then|later|had|has|have|once|previously|recently|repeatedly|simply|"
        r"again|on \w+|last \w+|this \w+|earlier|who|which|that))+\s*$",
        "",
        left,
    )
    trimmed = trimmed.rstrip()
    end = window_start + len(trimmed)
    if not trimmed:
        return None
    if trimmed.endswith(","):
        # An appositive: "George Glass, ambassador to Japan, said"; the head comes before it.
        inner_start = trimmed.rfind(",", 0, len(trimmed) - 1)
        if inner_start >= 0:
            head = _speaker_span(text, window_start, window_start + inner_start, reverse=True)
            if head is not None:
                return head
        return _speaker_span(text, window_start, end - 1, reverse=True)
    return _speaker_span(text, window_start, end, reverse=True)


_DETERMINER = re.compile(
    r"(?:the|a|an|one|another|two|three|four|some|several|many|other|former|its|his|her|their)$",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[\w'’\-.&]+")


def _words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text, start, end)]


def _is_name_word(word: str) -> bool:
    return word[0].isupper() and word.rstrip(".") not in _NOT_NAME


def _speaker_span(text: str, start: int, end: int, *, reverse: bool) -> Span | None:
    """The speaker inside ``text[start:end]``: a name, a pronoun or a noun phrase such as
    "a spokesman for committee Democrats". ``reverse`` reads it back from the end (the subject
    before a verb); otherwise it is read from the start (the subject after "said")."""
    words = _words(text, start, end)
    if not words:
        return None
    if reverse:
        return _np_backward(text, words)
    return _np_forward(text, words)


def _np_forward(text: str, words: list[tuple[int, int, str]]) -> Span | None:
    first = words[0]
    if first[2].lower() in _PRONOUNS:
        return first[0], first[1]
    index = 0
    while index < len(words) and index < 6 and not _is_name_word(words[index][2]):
        if _HEAD_NOUNS.fullmatch(words[index][2].strip(".")):
            return _extend_of_phrase(text, words, words[0][0], index)
        index += 1
    if index >= len(words) or index >= 6 or not _is_name_word(words[index][2]):
        return None
    if index and not _DETERMINER.match(words[0][2]) and not words[0][2][0].isupper():
        return None
    run_end = index
    while run_end + 1 < len(words):
        word = words[run_end + 1][2]
        if _is_name_word(word) and text[words[run_end][1] : words[run_end + 1][0]] == " ":
            run_end += 1
        elif (
            re.fullmatch(_PARTICLE, word)
            and run_end + 2 < len(words)
            and _is_name_word(words[run_end + 2][2])
        ):
            run_end += 2
        else:
            break
    return words[0][0], words[run_end][1]


def _extend_of_phrase(text: str, words: list[tuple[int, int, str]], start: int, head: int) -> Span:
    """Keep "for committee Democrats" in "a spokesman for committee Democrats"."""
    end = words[head][1]
    if head + 1 < len(words) and words[head + 1][2] in ("for", "of", "at", "in", "with"):
        for index in range(head + 2, min(len(words), head + 6)):
            if _is_name_word(words[index][2]):
                end = words[index][1]
            elif end > words[head][1]:
                break
    return start, end


def _np_backward(text: str, words: list[tuple[int, int, str]]) -> Span | None:
    last = len(words) - 1
    while last >= 0 and words[last][2].lower() in ("for", "after", "by", "before", "in"):
        last -= 1
    if last < 0:
        return None
    word = words[last][2]
    if word.lower() in _PRONOUNS:
        return words[last][0], words[last][1]
    if _is_name_word(word):
        first = last
        while first > 0:
            previous = words[first - 1][2]
            gap = text[words[first - 1][1] : words[first][0]]
            if gap != " ":
                break
            if _is_name_word(previous) or previous in _TITLES:
                first -= 1
            elif (
                re.fullmatch(_PARTICLE, previous)
                and first > 1
                and _is_name_word(words[first - 2][2])
            ):
                first -= 2
            else:
                break
        if first > 0 and _DETERMINER.match(words[first - 1][2]):
            first -= 1
        return words[first][0], words[last][1]
    if _HEAD_NOUNS.fullmatch(word.strip(".")) or _HEAD_NOUNS.fullmatch(word.rstrip("s")):
        first = last
        while first > 0 and last - first < 6:
            previous = words[first - 1][2]
            if text[words[first - 1][1] : words[first][0]] != " ":
                break
            first -= 1
            if _DETERMINER.match(previous):
                return words[first][0], words[last][1]
        if _is_name_word(words[first][2]):
            return words[first][0], words[last][1]
    return None


def _has_name(phrase: str) -> bool:
    return any(word not in _NOT_NAME for word in re.findall(rf"[{_UPPER}][\w'’\-]+", phrase))


def _share_attributions(text: str, spans: list[Span], found: list[_Found]) -> None:
    """A quotation with no attribution of its own takes that of the quotation it continues:
    the other part of a split quote, the next or previous quote of its paragraph, or the last
    attributed quote of the paragraph before when it opens a paragraph."""
    for index, item in enumerate(found):
        if item.attribution.speaker is not None or item.kind != "direct":
            continue
        same_paragraph = [
            other
            for other in found[index + 1 :] + found[:index][::-1]
            if other.paragraph == item.paragraph
            and other.kind == "direct"
            and other.attribution.speaker is not None
        ]
        if same_paragraph:
            item.attribution = same_paragraph[0].attribution
            continue
        if item.open != spans[item.paragraph][0]:
            continue
        earlier = [
            other
            for other in found[:index]
            if other.paragraph == item.paragraph - 1 and other.attribution.speaker is not None
        ]
        if earlier:
            item.attribution = earlier[-1].attribution
            item.continues = (
                item.continues if item.continues is not None else found.index(earlier[-1])
            )


def _to_quote(
    article: Article,
    number: int,
    item: _Found,
    names: dict[tuple[str, int], Span | None],
) -> Quote:
    text = article.text
    prefix = f"{article.id}.q"
    speaker = mention = None
    speaker_span = mention_span = None
    role = None
    if item.attribution.speaker is not None:
        mention_span = item.attribution.speaker
        mention = text[mention_span[0] : mention_span[1]]
        speaker_span = _resolve(article, mention_span, item.open)
        if speaker_span is not None:
            speaker_span, role = _fullest_name(article, speaker_span, names)
            speaker = text[speaker_span[0] : speaker_span[1]]
    cue_span = item.attribution.cue
    return Quote(
        id=f"{prefix}{number}",
        article=article.id,
        text=text[item.start : item.end],
        start=item.start,
        end=item.end,
        speaker=speaker,
        speaker_start=speaker_span[0] if speaker_span else None,
        speaker_end=speaker_span[1] if speaker_span else None,
        speaker_role=role,
        mention=mention if mention != speaker else None,
        mention_start=mention_span[0] if mention_span and mention != speaker else None,
        mention_end=mention_span[1] if mention_span and mention != speaker else None,
        cue=text[cue_span[0] : cue_span[1]] if cue_span else None,
        cue_start=cue_span[0] if cue_span else None,
        cue_end=cue_span[1] if cue_span else None,
        kind="direct" if item.kind == "direct" else "partial",
        continues=f"{prefix}{item.continues}" if item.continues is not None else None,
    )


_SUBJECT_RE = re.compile(
    rf"{_NAME}(?:['’]s(?:\s+[a-z]+){{1,2}}?)?(?=\s+(?:[a-z]+ly\s+|also\s+|still\s+)*"
    r"(?:has|had|have|is|was|were|are|will|would|[a-z]+ed|[a-z]+s)\b)"
)
_LEADING_ADVERBIAL = re.compile(r"\s*(?:[A-Z][a-z]+ly\s+|[A-Z][a-z]+ [a-z]+,\s*)?")


def _resolve(article: Article, mention: Span, before: int) -> Span | None:
    """A pronoun's antecedent: the subject of the nearest earlier attribution or sentence that
    names a person (he, she, I, we) or anything (it, they). None when the text gives none."""
    text = article.text
    word = text[mention[0] : mention[1]].lower()
    if word not in _PRONOUNS:
        return mention
    position = min(mention[0], before)
    window_start = max(article.body_start, position - 1500)
    candidates: list[Span] = []
    for paragraph in paragraphs(text, window_start, position):
        for sentence in sentences(text, *paragraph):
            if sentence[0] >= position:
                break
            subject = _sentence_subject(text, sentence[0], min(sentence[1], position), word)
            if subject is not None:
                candidates.append(subject)
    return candidates[-1] if candidates else None


def _sentence_subject(text: str, start: int, end: int, pronoun: str) -> Span | None:
    """The name a sentence is about: the subject of its cue verb, or else its first name."""
    for cue in _CUE_RE.finditer(text, start, end):
        subject = _subject_of(text, start, cue.start())
        if subject is not None and text[subject[0] : subject[1]].lower() not in _PRONOUNS:
            return _name_in(text, subject) if pronoun != "it" else subject
    clause = _LEADING_ADVERBIAL.match(text, start, end)
    match = _SUBJECT_RE.match(text, clause.end() if clause else start, end)
    if match is None or match.group().split()[0] in _NOT_NAME:
        return None
    return match.span()


def _name_in(text: str, span: Span) -> Span:
    for match in _NAME_RE.finditer(text, *span):
        if match.group().split()[0] not in _NOT_NAME:
            return match.span()
    return span


_ORGANISATION_WORDS = frozenset(
    """Post Times Journal News Press Ministry Affairs Department House Group Agency Party
    Committee Council Association Institute University Embassy Office Agency Service Network
    Foundation Center Centre Campaign Bureau Court Reuters Kyodo Xinhua Tribune Herald Guardian
    Telegraph Daily Weekly Magazine Review Inc. Corp. Company Commission Administration Army
    Navy Force Forces Government Senate Congress Parliament Union Bank Fund PAC Board""".split()
)


def _name_core(text: str, span: Span) -> Span | None:
    """The name of a person or organisation inside a speaker phrase, without titles or role:
    "American Ambassador to Tokyo George Glass" -> "George Glass"."""
    runs = [
        m
        for m in _NAME_RE.finditer(text, *span)
        if any(w not in _NOT_NAME and w not in _TITLES for w in m.group().split())
    ]
    if not runs:
        return None
    run = runs[-1]
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", run.group())]
    while words and (words[0][2] in _TITLES or words[0][2] in _NOT_NAME):
        words.pop(0)
    if not words:
        return None
    if words[-1][2].rstrip(".") in _ORGANISATION_WORDS or len(words) <= 2:
        keep = words
    else:
        keep = words[-2:]
        if re.fullmatch(rf"[{_UPPER}]\.|{_PARTICLE}", keep[0][2]) and len(words) >= 3:
            keep = words[-3:]
    return run.start() + keep[0][0], run.start() + keep[-1][1]


def _fullest_name(
    article: Article, span: Span, names: dict[tuple[str, int], Span | None]
) -> tuple[Span, str | None]:
    """Give a speaker named by surname ("Glass") the full name the article uses elsewhere
    ("George Glass"), and the title or role it gives them. ``names`` keeps what was found for
    each surname, since the speakers of an article come back quote after quote."""
    text = article.text
    phrase = text[span[0] : span[1]]
    if re.search(r"['’]s\s", phrase) or phrase.split()[-1].rstrip(".") in _ORGANISATION_WORDS:
        return span, _role(text, span)
    core = _name_core(text, span)
    if core is None:
        return span, _role(text, span)
    words = text[core[0] : core[1]].split()
    best = core
    if words[-1].rstrip(".") not in _ORGANISATION_WORDS:
        key = (words[-1], len(words))
        if key not in names:
            names[key] = _longer_name(text, article.body_start, *key)
        best = names[key] or core
    role = _role(text, best) or _role(text, span)
    return best, role


def _longer_name(text: str, body_start: int, surname: str, words: int) -> Span | None:
    """The first mention in the article of a name ending in ``surname`` that has more than
    ``words`` words."""
    for match in re.finditer(rf"\b{re.escape(surname)}\b", text[body_start:]):
        end = body_start + match.end()
        candidate = _name_core(text, (max(body_start, end - 80), end))
        if (
            candidate is not None
            and candidate[1] == end
            and len(text[candidate[0] : candidate[1]].split()) > words
        ):
            return candidate
    return None


_ROLE_AFTER = re.compile(
    r",\s+(?P<role>(?:the |a |an |now |who |former |[a-z])[^,.;:\"“”]{3,120}?)"
    r"(?:,|\.|;|$| said| says)"
)
_ROLE_BEFORE = re.compile(rf"(?P<role>(?:[{_UPPER}][\w.]*\s+(?:(?:of|to|for)\s+)?)+)$")


def _role(text: str, span: Span) -> str | None:
    after = _ROLE_AFTER.match(text, span[1], min(len(text), span[1] + 160))
    if after:
        return after.group("role").strip()
    before = _ROLE_BEFORE.search(text, max(0, span[0] - 60), span[0])
    if before:
        role = before.group("role").strip()
        if any(word in _TITLES for word in role.split()):
            return role
    return None
