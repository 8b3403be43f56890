"""The command line: thin commands over the library.

Exit codes: 0 done; 1 an unexpected failure (reported in one line); 2 a wrong command line;
3 an input that cannot be read as an article; 5 a finding named by --fail-on exists (the
report is still written).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress

from verifier import __version__
from verifier.cache import Cache
from verifier.compare import compare, model_path
from verifier.errors import ConfigError, InputError, VerifierError
from verifier.html import render_html
from verifier.ingest import load_articles
from verifier.models import Article, Report
from verifier.quotes import find_quotes
from verifier.relate import pair_line, read_pairs, relate, relate_lines
from verifier.render import render_markdown, render_terminal, render_text
from verifier.session import model_session, settings_from_cassette
from verifier.settings import ModelSettings

FORMATS = ("text", "markdown", "json", "html")
GATES = ("conflict", "unique", "ungrounded")
GATE_EXIT_CODE = 5
_Command = TypeVar("_Command", bound=Callable[..., Any])


class _Failure(click.ClickException):
    """A VerifierError on its way out: one line on stderr and the error's exit code."""

    def __init__(self, error: VerifierError) -> None:
        super().__init__(str(error))
        # click 8.5 types exit_code as a class variable (older clicks do not), but reads it from
        # the instance: each failure carries its own error's code.
        self.exit_code = error.exit_code  # type: ignore[misc, unused-ignore]

    def show(self, file: Any = None) -> None:
        click.echo(f"verifier: error: {self.message}", err=True)


def _report_options(command: _Command) -> _Command:
    """The options every report-writing command shares."""
    command = click.option(
        "--quiet", "-q", is_flag=True, help="No progress and no notes on standard error."
    )(command)
    command = click.option(
        "--verbose", "-v", is_flag=True, help="Say what each stage found and how long it took."
    )(command)
    command = click.option(
        "--out",
        "-o",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help="Write the report to this file (replaced whole, only once the report is ready).",
    )(command)
    command = click.option(
        "--format",
        "-f",
        "output_format",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="text for a person, markdown for a document, html for a page to read and click "
        "through (self-contained), json for a program.",
    )(command)
    return click.argument("articles", nargs=-1, required=True)(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="verifier")
def cli() -> None:
    """Line up the quotes, facts and claims of several articles on one event, and report where
    they agree, where they conflict, and what only one of them says.

    ARTICLES are files: plain text (leading 'date 2025-12-07' style lines are metadata),
    Markdown, HTML, JSON or JSON Lines; '-' reads standard input.
    """


def _model_options(command: _Command) -> _Command:
    """How to reach a model; each also reads VERIFIER_* (or OPENAI_*) from the environment."""
    options = [
        click.option("--model", help="Model id at the endpoint [VERIFIER_MODEL]."),
        click.option(
            "--base-url",
            help="OpenAI-compatible endpoint: OpenAI, vLLM, Ollama, a llama.cpp server "
            "[VERIFIER_BASE_URL, OPENAI_BASE_URL]. The key comes from VERIFIER_API_KEY or "
            "OPENAI_API_KEY.",
        ),
        click.option(
            "--gguf",
            type=click.Path(path_type=Path),
            help="Serve this GGUF file locally with llama.cpp (pip install 'verifier[local]') "
            "[VERIFIER_GGUF].",
        ),
        click.option("--timeout", type=float, help="Seconds to wait for one answer (60)."),
        click.option(
            "--retries",
            "max_retries",
            type=click.IntRange(0),
            help="Retries of a failed request, with backoff (2).",
        ),
        click.option(
            "--reasks",
            type=click.IntRange(0),
            help="Times an answer that fails the checks is sent back with the error (1).",
        ),
        click.option(
            "--concurrency", type=click.IntRange(1), help="Articles asked about at once (2)."
        ),
        click.option(
            "--mode",
            type=click.Choice(["json_schema", "tools", "json"]),
            help="How the answer's shape is asked for (json_schema, or tools for OpenAI).",
        ),
        click.option(
            "--judge/--no-judge",
            default=None,
            help="Ask the model to judge the findings lined up across articles (on).",
        ),
        click.option(
            "--judge-batch",
            type=click.IntRange(1, 16),
            help="Findings judged in one request (4).",
        ),
        click.option(
            "--cache",
            type=click.Path(dir_okay=False, path_type=Path),
            help="SQLite cache of model answers (~/.cache/verifier/cache.sqlite).",
        ),
        click.option("--no-cache", is_flag=True, help="Ask the model even for answers cached."),
        click.option(
            "--record",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the run's model calls to a new cassette FILE.",
        ),
        click.option(
            "--replay",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Answer every model call from a cassette FILE, offline.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.command(name="compare")
@_report_options
@click.option(
    "--fail-on",
    "fail_on",
    type=click.Choice(GATES),
    multiple=True,
    help="Exit with code 5 when the report holds such a finding (repeatable): a conflict, "
    "something only one outlet says, or a model claim or verdict the text does not support.",
)
@_model_options
def compare_command(
    articles: Sequence[str],
    output_format: str,
    out: Path | None,
    fail_on: Sequence[str],
    quiet: bool,
    verbose: bool,
    **model_flags: Any,
) -> None:
    """Compare ARTICLES: shared quotes and how their versions differ, facts that conflict, and
    what only one outlet reports. With a model (--model, --gguf or VERIFIER_MODEL), a model
    adds atomic claims, each checked against the text."""
    _guard_inputs(articles, out)
    loaded = _load(articles)
    record, replay = model_flags.pop("record"), model_flags.pop("replay")
    cache_path, no_cache = model_flags.pop("cache"), model_flags.pop("no_cache")
    settings = _settings(model_flags, replay)
    # A recording must hold every call, and a replay must answer from the cassette alone.
    cache = None if no_cache or record or replay or not settings.configured else Cache(cache_path)
    started = time.perf_counter()
    stages = 2 if settings.configured else 1
    with (
        model_session(settings, record=record, replay=replay) as settings,
        _progress(len(loaded) * stages, quiet) as advance,
    ):
        report = compare(loaded, model=settings, cache=cache, progress=advance)
    if verbose and not quiet:
        _describe(report, time.perf_counter() - started)
    _emit(report, output_format, out)
    tripped = [gate for gate in fail_on if gate_tripped(report, gate)]
    if tripped:
        click.echo(f"verifier: the report has {' and '.join(tripped)} findings", err=True)
        raise click.exceptions.Exit(GATE_EXIT_CODE)


def _settings(flags: dict[str, Any], replay: Path | None) -> ModelSettings:
    """Flags over environment; with --replay and no model named, the cassette's own."""
    given = {name: value for name, value in flags.items() if value is not None}
    try:
        settings = ModelSettings(**given)
        if replay is not None and not settings.configured:
            settings = ModelSettings(**{**settings_from_cassette(replay), **given})
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "settings"
        raise ConfigError(f"{where}: {problem['msg']}") from error
    return settings


@contextlib.contextmanager
def _progress(total: int, quiet: bool) -> Iterator[Callable[[Article], None]]:
    """A progress bar on standard error when it is a terminal and the run is not quiet."""
    console = Console(stderr=True)
    if quiet or not console.is_terminal or total < 2:
        yield lambda article: None
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Reading articles", total=total)
        yield lambda article: bar.advance(task)


def _describe(report: Report, seconds: float) -> None:
    relations = Counter(f.relation for f in report.findings)
    click.echo(
        f"verifier: {len(report.articles)} articles, {len(report.quotes)} quotes, "
        f"{len(report.facts)} facts, {len(report.claims)} statements, "
        f"{len(report.events)} events; findings: {relations['conflict']} conflict, "
        f"{relations['agree']} agree, {relations['unique']} unique; {seconds:.2f} s",
        err=True,
    )


@cli.command(name="quotes")
@_report_options
def quotes_command(
    articles: Sequence[str], output_format: str, out: Path | None, quiet: bool, verbose: bool
) -> None:
    """List the direct quotes of each of ARTICLES with speaker, cue and character span."""
    _guard_inputs(articles, out)
    loaded = _load(articles)
    started = time.perf_counter()
    report = Report(
        version=__version__,
        articles=loaded,
        quotes=[quote for article in loaded for quote in find_quotes(article)],
    )
    if verbose and not quiet:
        _describe(report, time.perf_counter() - started)
    _emit(report, output_format, out)


@cli.command(name="relate")
@click.argument("pairs")
@_model_options
def relate_command(pairs: str, **model_flags: Any) -> None:
    """Judge statement pairs in bulk: PAIRS is JSON Lines of {"id", "a", "b"} ('-' for
    standard input); prints one JSON line {"id", "relation", "score", "slot", "reason"} per
    pair, relation being agree, conflict or unrelated. With a model, each line also carries
    the model's checked "verdict" (agree, conflict, partial or unrelated), or null."""
    record, replay = model_flags.pop("record"), model_flags.pop("replay")
    cache_path, no_cache = model_flags.pop("cache"), model_flags.pop("no_cache")
    settings = _settings(model_flags, replay)
    try:
        if pairs == "-":
            lines: Iterable[str] = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
            _relate(lines, settings, cache_path, no_cache, record, replay)
            return
        with open(pairs, encoding="utf-8") as handle:
            _relate(handle, settings, cache_path, no_cache, record, replay)
    except VerifierError as error:
        raise _Failure(error) from error
    except UnicodeDecodeError as error:
        raise _Failure(InputError(f"{pairs}: not UTF-8 text ({error.reason})")) from error
    except BrokenPipeError:
        raise  # standard output was closed (| head): click ends quietly
    except OSError as error:
        raise _Failure(InputError(f"{pairs}: {error.strerror or 'cannot be read'}")) from error


def _relate(
    lines: Iterable[str],
    settings: ModelSettings,
    cache_path: Path | None,
    no_cache: bool,
    record: Path | None,
    replay: Path | None,
) -> None:
    """Without a model, a line out for each line in as it comes; with one, every line is read
    (and checked) first, then the model is asked about all the pairs in batches."""
    if not settings.configured or not settings.judge:
        for line in relate_lines(lines):
            click.echo(line)
        return
    pairs = list(read_pairs(lines))
    llm = model_path()
    cache = None if no_cache or record or replay else Cache(cache_path)
    with model_session(settings, record=record, replay=replay) as settings:
        verdicts = llm.judge_pairs([(a, b) for _, a, b in pairs], settings, cache=cache)
    for (pair_id, a, b), verdict in zip(pairs, verdicts, strict=True):
        click.echo(pair_line(pair_id, relate(a, b), verdict, judged=True))


@cli.command(name="schema")
def schema_command() -> None:
    """Print the JSON Schema of the report that --format json writes."""
    click.echo(json.dumps(Report.model_json_schema(), indent=2))


def gate_tripped(report: Report, gate: str) -> bool:
    """Whether the report holds a finding of the kind ``--fail-on`` names."""
    if gate == "ungrounded":
        return any(not claim.grounded for claim in report.claims) or any(
            finding.verdict is not None and not finding.verdict.grounded
            for finding in report.findings
        )
    return any(finding.relation == gate for finding in report.findings)


def _load(paths: Sequence[str]) -> list[Any]:
    try:
        return load_articles(paths)
    except VerifierError as error:
        raise _Failure(error) from error


def _guard_inputs(articles: Sequence[str], out: Path | None) -> None:
    """Refuse to write the report over one of its own inputs."""
    if out is None:
        return
    for article in articles:
        if article != "-" and Path(article).resolve() == out.resolve():
            raise _Failure(InputError(f"{out}: is one of the articles; choose another --out"))


def _emit(report: Report, output_format: str, out: Path | None) -> None:
    if output_format == "json":
        _write(report.model_dump_json(indent=2) + "\n", out)
    elif output_format == "markdown":
        _write(render_markdown(report), out)
    elif output_format == "html":
        _write(render_html(report), out)
    elif out is None and sys.stdout.isatty():
        render_terminal(report, Console())
    else:
        _write(render_text(report), out)


def _write(content: str, out: Path | None) -> None:
    """Print, or write to ``out`` through a temporary file renamed over it, so that a reader
    never sees half a report and a failure leaves the old file as it was."""
    if out is None:
        click.echo(content, nl=False)
        return
    directory = out.parent if str(out.parent) else Path(".")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{out.name}.")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(content)
        # mkstemp makes the file private; the report gets the mode a new file would get.
        os.chmod(temporary, out.stat().st_mode if out.exists() else 0o666 & ~_umask())
        os.replace(temporary, out)
    except OSError as error:
        raise _Failure(
            VerifierError(f"{out}: cannot write the report ({error.strerror})")
        ) from error


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit code. Anything unexpected is reported in one
    line, never as a traceback."""
    try:
        # Without standalone mode click returns the code of an Exit rather than raising it.
        result = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except VerifierError as error:
        click.echo(f"verifier: error: {error}", err=True)
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("verifier: interrupted", err=True)
        return 130
    except Exception as error:  # the last resort: one line, and a way to report it
        click.echo(f"verifier: internal error: {type(error).__name__}: {error}", err=True)
        return 1
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
