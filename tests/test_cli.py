from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_cli as run

from verifier import Report
from verifier import __all__ as public_names
from verifier.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"


def test_compare_json_follows_the_contract(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str]
) -> None:
    code, out, err = run(capsys, "compare", *seed_paths, "--format", "json")
    assert code == 0, err
    report = Report.model_validate_json(out)
    texts = {a.id: a.text for a in report.articles}
    assert [a.text for a in report.articles] == [Path(p).read_text() for p in seed_paths]
    for quote in report.quotes:
        assert texts[quote.article][quote.start : quote.end] == quote.text
        assert quote.by == "text"
    assert {f.relation for f in report.findings} == {"agree", "conflict", "unique"}
    ids = {q.id for q in report.quotes} | {c.id for c in report.claims}
    assert all(set(f.members) <= ids for f in report.findings)


def test_quotes_command_gives_articles_and_quotes(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str]
) -> None:
    code, out, _ = run(capsys, "quotes", *seed_paths, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert len(data["articles"]) == 2
    assert any(q["text"] == "have her back" for q in data["quotes"])
    assert data["findings"] == []


def test_text_report_shows_both_versions(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str]
) -> None:
    code, out, _ = run(capsys, "compare", *seed_paths)
    assert code == 0
    assert "extremely" in out and "deeply" in out
    assert "George Glass" in out
    assert "\x1b[" not in out


def test_markdown_report(capsys: pytest.CaptureFixture[str], seed_paths: list[str]) -> None:
    code, out, _ = run(capsys, "compare", *seed_paths, "--format", "markdown")
    assert code == 0
    assert out.startswith("#")
    assert "have her back" in out


def test_schema_is_the_report_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    assert json.loads(out) == Report.model_json_schema()


def test_out_writes_the_file(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "report.json"
    code, printed, _ = run(capsys, "compare", *seed_paths, "-f", "json", "--out", str(out))
    assert code == 0 and printed == ""
    Report.model_validate_json(out.read_text())
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_failed_run_leaves_out_as_it_was(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "report.json"
    out.write_text("the old report")
    code, _, err = run(capsys, "compare", str(tmp_path / "missing.txt"), "--out", str(out))
    assert code == 3
    assert out.read_text() == "the old report"
    assert err.count("\n") == 1


def test_out_may_not_be_an_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_paths: list[str]
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(Path(seed_paths[0]).read_text())
    code, _, err = run(capsys, "compare", str(article), "--out", str(article))
    assert code == 3
    assert "is one of the articles" in err
    assert article.read_text() == Path(seed_paths[0]).read_text()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "empty.txt", b""), "empty"),
        (lambda d: _write(d / "binary.txt", b"\x00\x01\x02binary"), "binary"),
        (lambda d: _write(d / "latin1.txt", "café said".encode("latin-1")), "not UTF-8"),
        (lambda d: _write(d / "bad.jsonl", b'{"text": "ok"}\n{broken\n'), "line 2"),
    ],
)
def test_bad_input_is_one_line_and_exit_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    path = make(tmp_path)
    code, out, err = run(capsys, "compare", str(path))
    assert code == 3
    assert out == ""
    assert err.startswith("verifier: error: ") and err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_too_large_file_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    code, _, err = run(capsys, "quotes", str(path))
    assert code == 3
    assert "limit" in err


def test_wrong_command_line_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "compare", "--format", "pdf", "x.txt")
    assert code == 2
    assert "Traceback" not in err


def test_single_article_is_a_report(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str]
) -> None:
    code, out, _ = run(capsys, "compare", seed_paths[0], "--format", "json")
    report = Report.model_validate_json(out)
    assert code == 0
    assert report.findings == [] and report.quotes


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    class Stdin:
        buffer = io.BytesIO(b'"We will win," Mr. Welch said.')

    monkeypatch.setattr(sys, "stdin", Stdin())
    code, out, _ = run(capsys, "quotes", "-", "--format", "json")
    assert code == 0
    assert json.loads(out)["quotes"][0]["speaker"] == "Welch"


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = README.read_text()
    for name, command in cli.commands.items():
        assert command.help, name
        assert re.search(rf"verifier {name}\b", readme), name


def test_public_api_is_listed() -> None:
    import verifier

    for name in public_names:
        assert hasattr(verifier, name), name
        if name != "__version__":
            assert getattr(verifier, name).__doc__, f"{name} has no docstring"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("gate", "code"), [("conflict", 5), ("unique", 5), ("ungrounded", 0)])
def test_fail_on_gates_the_exit_code(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str], tmp_path: Path, gate: str, code: int
) -> None:
    out = tmp_path / "report.json"
    result, _, err = run(
        capsys, "compare", *seed_paths, "--fail-on", gate, "-f", "json", "-o", str(out)
    )
    assert result == code
    Report.model_validate_json(out.read_text())
    assert (gate in err) == (code == 5)


def test_fail_on_passes_when_nothing_matches(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str]
) -> None:
    code, _, _ = run(capsys, "compare", seed_paths[0], "--fail-on", "conflict", "-f", "json")
    assert code == 0


def test_relate_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        '{"id": "p1", "a": "Two jets locked radar on Saturday.", '
        '"b": "Five jets locked radar on Saturday."}\n'
        '{"id": "p2", "a": "The ministry said the talks failed.", '
        '"b": "The ministry denied the talks failed."}\n'
    )
    code, out, _ = run(capsys, "relate", str(pairs))
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(line["id"], line["relation"]) for line in lines] == [
        ("p1", "conflict"),
        ("p2", "conflict"),
    ]


def test_relate_bad_line_names_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text('{"id": 1, "a": "x", "b": "y"}\n{oops\n')
    code, _, err = run(capsys, "relate", str(pairs))
    assert code == 3
    assert "line 2" in err and err.count("\n") == 1


def test_verbose_says_what_was_found_and_quiet_says_nothing(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str]
) -> None:
    code, _, err = run(capsys, "compare", *seed_paths, "-f", "json", "--verbose")
    assert code == 0
    assert re.search(r"2 articles, \d+ quotes, .* findings: \d+ conflict", err)
    code, _, err = run(capsys, "compare", *seed_paths, "-f", "json", "--quiet")
    assert code == 0 and err == ""


def test_html_report_is_written_whole(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    code, _, err = run(capsys, "compare", *seed_paths, "--format", "html", "--out", str(out))
    assert code == 0, err
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "have her back" in page
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # the mode any new file gets here
