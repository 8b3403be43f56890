"""Read news articles from files or stdin: plain text, Markdown, HTML, JSON and JSON Lines.

The format comes from the file extension; for stdin or any other extension it is sniffed from
the content. Every problem with an input is raised as one ``InputError`` naming the input.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal, Required, TypedDict

from verifier.errors import InputError
from verifier.models import Article

__all__ = ["MAX_BYTES", "load_article", "load_articles"]

MAX_BYTES = 10 * 1024 * 1024
"""The largest input read as articles, in bytes (10 MB); a larger one is refused unread."""

Format = Literal["text", "markdown", "html", "json", "jsonl"]


class _Fields(TypedDict, total=False):
    """What one input says about one article; the caller adds its id and path."""

    text: Required[str]
    body_start: int
    source: str
    date: dt.date | None
    title: str
    url: str


_FORMAT_BY_SUFFIX: dict[str, Format] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

_STDIN = "-"
_STDIN_NAME = "stdin"
_BINARY_SNIFF_BYTES = 8192
# trafilatura's own MIN_EXTRACTED_SIZE: below it, what it finds is a menu or a teaser.
_MIN_HTML_CHARS = 250

_HTML_TAG = re.compile(r"<(!doctype html|html|head|body|article|div|p)\b", re.IGNORECASE)
_DATE_FORMATS = ("%Y/%m/%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y")

# Leading metadata of a plain-text article. A date or url is one token and may share its line
# with the body (the seeds begin " date 2025-12-07 Japan has urged ..."); a title or source
# takes the rest of its own line.
_TOKEN_FIELD = re.compile(r"(date|url)(?::[ \t]*|[ \t]+)(\S+)", re.IGNORECASE)
_LINE_FIELD = re.compile(r"(title|source)(?:(:)[ \t]*|[ \t]+)([^\r\n]*\S)", re.IGNORECASE)
_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", '"', "\u201d")

_FRONT_MATTER = re.compile(r"---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_FRONT_MATTER_FIELD = re.compile(
    r"^(date|source|url|title)[ \t]*:[ \t]*(.*?)[ \t]*$", re.IGNORECASE | re.MULTILINE
)
_MARKDOWN_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t]*$", re.MULTILINE)


def load_article(path: str | os.PathLike[str], *, article_id: str = "a0") -> Article:
    """Read exactly one article from ``path`` (``"-"`` for stdin)."""
    articles = _read(path, itertools.repeat(article_id))
    if len(articles) > 1:
        raise InputError(
            f"{_display_name(path)}: holds {len(articles)} articles; use load_articles to read "
            "them all"
        )
    return articles[0]


def load_articles(paths: Sequence[str | os.PathLike[str]]) -> list[Article]:
    """Read every article in ``paths``, in order, with ids a0, a1, a2, ...

    A JSON or JSON Lines file may hold many articles; a path given twice is read twice.
    """
    ids = (f"a{number}" for number in itertools.count())
    return [article for path in paths for article in _read(path, ids)]


def _read(path: str | os.PathLike[str], ids: Iterator[str]) -> list[Article]:
    location = os.fspath(path)
    name = _display_name(path)
    text = _decode(_read_bytes(location, name), name)
    fmt = _FORMAT_BY_SUFFIX.get(Path(location).suffix.lower()) or _sniff(text)
    source = _STDIN_NAME if location == _STDIN else Path(location).stem
    articles = []
    for fields in _parse(text, fmt, name):
        fields.setdefault("source", source)
        articles.append(Article(id=next(ids), path=location, **fields))
    return articles


def _parse(text: str, fmt: Format, name: str) -> list[_Fields]:
    if fmt == "text":
        return [_text_fields(text)]
    if fmt == "markdown":
        return [_markdown_fields(text, name)]
    if fmt == "html":
        return [_html_fields(text, name)]
    return _json_records(text, name, lines=fmt == "jsonl")


def _display_name(path: str | os.PathLike[str]) -> str:
    location = os.fspath(path)
    return _STDIN_NAME if location == _STDIN else location


def _read_bytes(location: str, name: str) -> bytes:
    if location == _STDIN:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        try:
            status = os.stat(location)
            if stat.S_ISDIR(status.st_mode):
                example = os.path.join(location, "*.txt")
                raise InputError(
                    f"{name}: is a directory; pass the article files inside it, e.g. {example}"
                )
            if status.st_size > MAX_BYTES:
                raise _too_large(name, status.st_size)
            with open(location, "rb") as file:
                # Capped because a pipe or device reports no size before it is read.
                data = file.read(MAX_BYTES + 1)
        except FileNotFoundError:
            raise InputError(f"{name}: no such file") from None
        except PermissionError:
            raise InputError(f"{name}: permission denied; make the file readable") from None
        except OSError as error:
            raise InputError(f"{name}: cannot be read ({error.strerror or error})") from None
    if len(data) > MAX_BYTES:
        raise _too_large(name, None)
    return data


def _too_large(name: str, size: int | None) -> InputError:
    amount = f"{size / 1e6:.1f} MB is" if size else "the input is"
    limit = f"{MAX_BYTES // 2**20} MB"
    return InputError(f"{name}: {amount} over the {limit} limit for one article")


def _decode(data: bytes, name: str) -> str:
    if b"\0" in data[:_BINARY_SNIFF_BYTES]:
        raise InputError(
            f"{name}: binary data (NUL bytes), not an article; if it is UTF-16 text, "
            "convert it to UTF-8"
        )
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: not UTF-8 text (invalid byte 0x{data[error.start]:02X} at offset "
            f"{error.start}); convert it to UTF-8"
        ) from None
    if not text.strip():
        raise InputError(f"{name}: empty or only whitespace; there is no article to read")
    return text


def _sniff(text: str) -> Format:
    start = text.lstrip()
    if start.startswith("<") and _HTML_TAG.search(start):
        return "html"
    if start.startswith("{"):
        # A first line that is a whole JSON value means one record a line.
        try:
            json.loads(start.split("\n", 1)[0])
        except (ValueError, RecursionError):
            return "json"
        return "jsonl"
    if start.startswith("["):
        return "json"
    return "text"


def _parse_date(value: str) -> dt.date | None:
    """The date ``value`` names, as written: a timestamp is not moved to another time zone."""
    value = value.strip()
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        pass
    for date_format in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, date_format).date()
        except ValueError:
            pass
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError):
        return None


def _text_fields(text: str) -> _Fields:
    fields = _Fields(text=text)
    position = len(text) - len(text.lstrip())
    at_line_start = True
    while True:
        token = _TOKEN_FIELD.match(text, position)
        line = _LINE_FIELD.match(text, position) if at_line_start else None
        if token and token[1].lower() == "date" and (date := _parse_date(token[2])):
            fields["date"], end = date, token.end()
        elif token and token[1].lower() == "url" and _URL.fullmatch(token[2]):
            fields["url"], end = token[2], token.end()
        elif line and (line[2] or not line[3].endswith(_SENTENCE_END)):
            # Without a colon, a line that ends like a sentence is the body's first sentence.
            if line[1].lower() == "title":
                fields["title"] = line[3]
            else:
                fields["source"] = line[3]
            end = line.end()
        else:
            break
        rest = text[end:]
        gap = len(rest) - len(rest.lstrip())
        at_line_start = "\n" in rest[:gap]
        position = fields["body_start"] = end + gap
    return fields


def _markdown_fields(text: str, name: str) -> _Fields:
    fields = _Fields(text=text)
    front_matter = _FRONT_MATTER.match(text)
    if front_matter:
        values = {
            key.lower(): _unquote(value)
            for key, value in _FRONT_MATTER_FIELD.findall(front_matter[1])
        }
        if values.get("title"):
            fields["title"] = values["title"]
        if values.get("source"):
            fields["source"] = values["source"]
        if values.get("url"):
            fields["url"] = values["url"]
        if values.get("date"):
            fields["date"] = _required_date(values["date"], f"{name}: front matter")
        rest = text[front_matter.end() :]
        fields["body_start"] = len(text) - len(rest.lstrip())
    if "title" not in fields and (
        heading := _MARKDOWN_TITLE.search(text, fields.get("body_start", 0))
    ):
        fields["title"] = heading[1]
    return fields


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _html_fields(html: str, name: str) -> _Fields:
    # trafilatura takes a quarter of a second to import: only HTML input pays for it.
    import trafilatura
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if (
        not isinstance(document, Document)
        or document.text is None
        or len(document.text.strip()) < _MIN_HTML_CHARS
    ):
        raise InputError(f"{name}: no article text found in this HTML")
    # trafilatura's plain text puts each paragraph on one line; a blank line between them is
    # how paragraphs are set apart in every other input.
    paragraphs = (line.strip() for line in document.text.splitlines())
    fields = _Fields(text="\n\n".join(paragraph for paragraph in paragraphs if paragraph))
    if document.title:
        fields["title"] = document.title
    if document.url:
        fields["url"] = document.url
    if document.sitename:
        fields["source"] = document.sitename
    if document.date:
        fields["date"] = _parse_date(document.date)
    return fields


def _json_records(text: str, name: str, *, lines: bool) -> list[_Fields]:
    if lines:
        return [
            _record(_json_value(line, name, first_line=number), f"{name}: line {number}")
            for number, line in enumerate(text.split("\n"), start=1)
            if line.strip()
        ]
    value = _json_value(text, name, first_line=1)
    if not isinstance(value, list):
        return [_record(value, name)]
    if not value:
        raise InputError(f"{name}: an empty JSON list; there is no article to read")
    return [_record(item, f"{name}: record {n}") for n, item in enumerate(value, start=1)]


def _json_value(text: str, name: str, *, first_line: int) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{name}: line {first_line + error.lineno - 1}: not valid JSON "
            f"({error.msg} at column {error.colno})"
        ) from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply to read") from None


def _record(value: object, where: str) -> _Fields:
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected a JSON object with a 'text', got {_json_type(value)}")
    text = value.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no article 'text' (a non-empty string is required)")
    fields = _Fields(text=text)
    for key in ("source", "url", "title", "date"):
        field = value.get(key)
        if field is not None and not isinstance(field, str):
            raise InputError(f"{where}: '{key}' must be a string, not {_json_type(field)}")
    if value.get("source"):
        fields["source"] = value["source"]
    if value.get("url"):
        fields["url"] = value["url"]
    if value.get("title"):
        fields["title"] = value["title"]
    if value.get("date"):
        fields["date"] = _required_date(value["date"], where)
    return fields


def _required_date(value: str, where: str) -> dt.date:
    date = _parse_date(value)
    if date is None:
        raise InputError(f"{where}: date {value!r} is not a date; write it as YYYY-MM-DD")
    return date


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}
    return names.get(type(value), "null" if value is None else "a number")
