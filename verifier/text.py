"""Text layout shared by the finders: paragraphs and sentences as character ranges."""

from __future__ import annotations

import re

Span = tuple[int, int]

_PARAGRAPH_BREAK = re.compile(r"[ \t\r\f\v]*\n\s*")

# A sentence ends at . ? ! (and any closing quote marks or brackets after it) followed by
# white space and something that can start a sentence. Abbreviations are the usual trap.
_SENTENCE_END = re.compile(r"[.?!]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]*[A-Z0-9À-Þ])")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen lt col sgt capt st jr sr inc corp co ltd vs
    u.s u.k u.n e.g i.e no jan feb mar apr jun jul aug sep sept oct nov dec ft rev""".split()
)


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The non-blank lines of ``text[start:end]`` as ranges, without surrounding white space."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    position = start
    for match in _PARAGRAPH_BREAK.finditer(text, start, end):
        spans.extend(_strip(text, position, match.start()))
        position = match.end()
    spans.extend(_strip(text, position, end))
    return spans


def sentences(text: str, start: int, end: int) -> list[Span]:
    """The sentences of one paragraph ``text[start:end]`` as ranges."""
    spans: list[Span] = []
    position = start
    for match in _SENTENCE_END.finditer(text, start, end):
        word = re.search(r"([\w.]+)\.+$", text[max(position, match.start() - 12) : match.end()])
        if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        spans.extend(_strip(text, position, match.end()))
        position = match.end()
    spans.extend(_strip(text, position, end))
    return spans


def _strip(text: str, start: int, end: int) -> list[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if start < end else []
