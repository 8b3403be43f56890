"""Reading articles: every input format, the two seed articles, and every kind of bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from verifier.errors import InputError
from verifier.ingest import MAX_BYTES, load_article, load_articles

SEEDS = Path(__file__).parent.parent / "seeds"
SEED_000 = SEEDS / "000_01b82f39c62d276e.txt"
SEED_003 = SEEDS / "003_961c532401d1d023.txt"

BODY = "Japan has urged the US to give Prime Minister Sanae Takaichi more public support.\n"

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Japan presses US to back Takaichi | Example News</title>
  <meta property="og:site_name" content="Example News">
  <meta property="og:title" content="Japan presses US to back Takaichi">
  <meta property="og:url" content="https://news.example.com/world/japan-us-support">
  <meta property="article:published_time" content="2025-12-07T10:00:00Z">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
  <article>
    <h1>Japan presses US to back Takaichi</h1>
    <p>Japan has urged the United States to give Prime Minister Sanae Takaichi more public
    support after her comments about Taiwan angered Beijing, officials said.</p>
    <p>Tokyo thinks senior US officials have not offered enough backing. "We expected a
    clearer statement," one of them told reporters on Saturday.</p>
    <p>China has summoned Japan's ambassador twice since the remarks, and about 2,000 flights
    between the two countries have been cancelled this month.</p>
  </article>
  <footer>
    <p>&copy; 2025 Example News. All rights reserved.</p><a href="/privacy">Privacy</a>
  </footer>
</body>
</html>
"""

NAVIGATION_ONLY_HTML = """<!DOCTYPE html>
<html><head><title>Example News</title></head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
  <footer><p>&copy; 2025 Example News</p></footer>
</body></html>
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


def fails_with(path: str | Path) -> str:
    with pytest.raises(InputError) as caught:
        load_article(path)
    return str(caught.value)


def use_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))


# The seed articles


def test_seed_000_metadata_shares_the_first_line_with_the_body() -> None:
    article = load_article(SEED_000)

    assert article.text == SEED_000.read_text(encoding="utf-8")
    assert article.date == dt.date(2025, 12, 7)
    assert article.text[article.body_start :].startswith("Japan has urged")
    assert article.source == "000_01b82f39c62d276e"
    assert article.id == "a0"
    assert article.path == str(SEED_000)


def test_seed_003_has_no_metadata() -> None:
    article = load_article(SEED_003)

    assert article.text == SEED_003.read_text(encoding="utf-8")
    assert article.date is None
    assert article.body_start == 0
    assert article.source == "003_961c532401d1d023"
    assert article.title is None


# Plain text


def test_text_metadata_lines(tmp_path: Path) -> None:
    text = (
        "Title: Japan presses US to back Takaichi\n"
        "source Reuters\n"
        "URL https://example.com/japan\n"
        "date: 2025-12-07T10:00:00Z\n"
        "\n" + BODY
    )
    article = load_article(write(tmp_path, "story.txt", text))

    assert article.title == "Japan presses US to back Takaichi"
    assert article.source == "Reuters"
    assert article.url == "https://example.com/japan"
    assert article.date == dt.date(2025, 12, 7)
    assert article.text == text
    assert article.text[article.body_start :] == BODY


@pytest.mark.parametrize(
    "first_line",
    [
        "Date night is off in Tokyo as Japan urges the US to back Takaichi.",
        "Source close to the talks said on Friday that Tokyo wants more.",
        "URL shorteners were used to spread the claims, officials said.",
        "Title IX was not mentioned in the statement.",
    ],
)
def test_text_first_sentence_is_not_metadata(tmp_path: Path, first_line: str) -> None:
    article = load_article(write(tmp_path, "story.txt", f"{first_line}\n\n{BODY}"))

    assert article.body_start == 0
    assert article.date is None
    assert article.title is None
    assert article.url is None
    assert article.source == "story"


def test_text_keeps_crlf_and_drops_bom(tmp_path: Path) -> None:
    text = "date 2025-12-07\r\n\r\nFirst paragraph.\r\nSecond paragraph.\r\n"
    article = load_article(write(tmp_path, "story.txt", b"\xef\xbb\xbf" + text.encode()))

    assert article.text == text
    assert article.text[article.body_start :] == "First paragraph.\r\nSecond paragraph.\r\n"


def test_unknown_extension_is_read_as_text(tmp_path: Path) -> None:
    article = load_article(write(tmp_path, "story.article", BODY))

    assert article.text == BODY
    assert article.source == "story"


# Markdown


def test_markdown_front_matter(tmp_path: Path) -> None:
    body = "# A heading that is not the title\n\n" + BODY
    text = (
        "---\n"
        'title: "Japan presses US to back Takaichi"\n'
        "source: Example News\n"
        "date: 2025-12-07\n"
        "url: https://example.com/japan\n"
        "tags: japan, us\n"
        "---\n\n" + body
    )
    article = load_article(write(tmp_path, "story.md", text))

    assert article.title == "Japan presses US to back Takaichi"
    assert article.source == "Example News"
    assert article.date == dt.date(2025, 12, 7)
    assert article.url == "https://example.com/japan"
    assert article.text == text
    assert article.text[article.body_start :] == body


def test_markdown_title_from_first_heading(tmp_path: Path) -> None:
    text = "Intro line.\n\n# Japan presses US to back Takaichi\n\n" + BODY
    article = load_article(write(tmp_path, "story.markdown", text))

    assert article.title == "Japan presses US to back Takaichi"
    assert article.body_start == 0
    assert article.source == "story"


def test_markdown_front_matter_with_a_bad_date(tmp_path: Path) -> None:
    path = write(tmp_path, "story.md", "---\ndate: last week\n---\n" + BODY)

    assert fails_with(path) == (
        f"{path}: front matter: date 'last week' is not a date; write it as YYYY-MM-DD"
    )


# HTML


def test_html_article(tmp_path: Path) -> None:
    article = load_article(write(tmp_path, "page.html", ARTICLE_HTML))

    assert article.title == "Japan presses US to back Takaichi"
    assert article.source == "Example News"
    assert article.url == "https://news.example.com/world/japan-us-support"
    assert article.date == dt.date(2025, 12, 7)
    paragraphs = article.text.split("\n\n")
    assert paragraphs[1] == (
        "Japan has urged the United States to give Prime Minister Sanae Takaichi more public "
        "support after her comments about Taiwan angered Beijing, officials said."
    )
    assert paragraphs[-1].startswith("China has summoned Japan's ambassador")
    assert "Home" not in article.text
    assert "All rights reserved" not in article.text


@pytest.mark.parametrize(
    "html",
    [NAVIGATION_ONLY_HTML, "<html><body><div id='root'></div><script>x()</script></body></html>"],
)
def test_html_without_an_article(tmp_path: Path, html: str) -> None:
    path = write(tmp_path, "page.htm", html)

    assert fails_with(path) == f"{path}: no article text found in this HTML"


# JSON and JSON Lines


def test_json_object(tmp_path: Path) -> None:
    record = {
        "id": "own-id",
        "source": "Reuters",
        "url": "https://example.com/japan",
        "date": "2025-12-07T10:00:00Z",
        "title": "Japan presses US",
        "text": BODY,
    }
    article = load_article(write(tmp_path, "story.json", json.dumps(record, indent=2)))

    assert article.id == "a0"
    assert article.source == "Reuters"
    assert article.url == "https://example.com/japan"
    assert article.date == dt.date(2025, 12, 7)
    assert article.title == "Japan presses US"
    assert article.text == BODY


def test_json_list_and_json_lines_give_one_article_per_record(tmp_path: Path) -> None:
    listed = write(tmp_path, "two.json", json.dumps([{"text": "One."}, {"text": "Two."}]))
    lines = write(
        tmp_path,
        "three.jsonl",
        '{"text": "Three.", "source": "AP"}\n\n{"text": "Four."}\n{"text": "Five."}\n',
    )

    articles = load_articles([listed, lines])

    assert [article.id for article in articles] == ["a0", "a1", "a2", "a3", "a4"]
    assert [article.text for article in articles] == ["One.", "Two.", "Three.", "Four.", "Five."]
    assert [article.source for article in articles] == ["two", "two", "AP", "three", "three"]


def test_json_lines_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.ndjson", '{"text": "One."}\n\n{"text": "Two.",}\n')

    assert fails_with(path) == (
        f"{path}: line 3: not valid JSON (Expecting property name enclosed in double quotes "
        "at column 17)"
    )


def test_json_lines_record_without_text_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.jsonl", '{"text": "One."}\n{"title": "No body"}\n')

    with pytest.raises(InputError) as caught:
        load_articles([path])

    assert str(caught.value) == (
        f"{path}: line 2: no article 'text' (a non-empty string is required)"
    )


def test_json_errors(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.json", '{\n  "text": "One."\n  "title": "x"\n}')
    not_object = write(tmp_path, "list.json", '[{"text": "One."}, "Two."]')
    bad_title = write(tmp_path, "title.json", '{"text": "One.", "title": 3}')

    assert fails_with(broken) == (
        f"{broken}: line 3: not valid JSON (Expecting ',' delimiter at column 3)"
    )
    assert fails_with(not_object) == (
        f"{not_object}: record 2: expected a JSON object with a 'text', got a string"
    )
    assert fails_with(bad_title) == f"{bad_title}: 'title' must be a string, not a number"


def test_load_article_refuses_several_records(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.jsonl", '{"text": "One."}\n{"text": "Two."}\n')

    assert fails_with(path) == f"{path}: holds 2 articles; use load_articles to read them all"


# stdin and reading many paths


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    use_stdin(monkeypatch, b" date 2025-12-07 " + BODY.encode())

    article = load_article("-", article_id="a7")

    assert article.id == "a7"
    assert article.path == "-"
    assert article.source == "stdin"
    assert article.date == dt.date(2025, 12, 7)
    assert article.text[article.body_start :] == BODY


@pytest.mark.parametrize(
    ("data", "source"),
    [
        (ARTICLE_HTML, "Example News"),
        ('{"text": "One.", "source": "AP"}', "AP"),
        ('[{"text": "One."}]', "stdin"),
    ],
)
def test_stdin_format_is_sniffed(monkeypatch: pytest.MonkeyPatch, data: str, source: str) -> None:
    use_stdin(monkeypatch, data.encode())

    assert load_article("-").source == source


def test_stdin_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    use_stdin(monkeypatch, b"a" * (MAX_BYTES + 1))

    assert fails_with("-") == "stdin: the input is over the 10 MB limit for one article"


def test_same_file_twice_gives_two_articles() -> None:
    articles = load_articles([SEED_000, SEED_003, str(SEED_000)])

    assert [article.id for article in articles] == ["a0", "a1", "a2"]
    assert articles[0].text == articles[2].text


def test_load_articles_stops_at_the_first_bad_input(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"

    with pytest.raises(InputError) as caught:
        load_articles([SEED_000, missing, tmp_path / "also-missing.txt"])

    assert str(caught.value) == f"{missing}: no such file"


# Bad input


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"

    assert fails_with(path) == f"{path}: no such file"


def test_directory(tmp_path: Path) -> None:
    assert fails_with(tmp_path) == (
        f"{tmp_path}: is a directory; pass the article files inside it, e.g. {tmp_path}/*.txt"
    )


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n  "])
def test_empty_or_whitespace_file(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, "empty.txt", content)

    assert fails_with(path) == f"{path}: empty or only whitespace; there is no article to read"


def test_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    assert fails_with(path) == (
        f"{path}: binary data (NUL bytes), not an article; if it is UTF-16 text, "
        "convert it to UTF-8"
    )


def test_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "latin1.txt", "Café society".encode("latin-1"))

    assert fails_with(path) == (
        f"{path}: not UTF-8 text (invalid byte 0xE9 at offset 3); convert it to UTF-8"
    )


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(50 * 1024 * 1024)

    # The size in the message comes from the file system: only the first MAX_BYTES + 1
    # bytes could ever be read, so it proves the file was measured, not read.
    assert fails_with(path) == f"{path}: 52.4 MB is over the 10 MB limit for one article"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.txt", BODY)

    # Root (as in CI containers) reads any file whatever its mode, so the refusal the OS
    # gives an ordinary user is simulated.
    def refuse(file: str, *args: object) -> None:
        raise PermissionError(13, "Permission denied", file)

    monkeypatch.setattr("verifier.ingest.open", refuse, raising=False)

    assert fails_with(path) == f"{path}: permission denied; make the file readable"
