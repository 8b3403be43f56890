from __future__ import annotations

import contextlib
import http.server
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from verifier import Article, load_article
from verifier.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in-process: its exit code, standard output and standard error."""
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True)
def _no_model_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the machine's model settings or writes to the user's cache."""
    for name in list(os.environ):
        if name.startswith(("VERIFIER_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture(scope="session")
def seed_paths() -> list[str]:
    return SEEDS


@pytest.fixture(scope="session")
def ft_article() -> Article:
    """The seed that gives the short "have her back" and "extremely regrettable"."""
    return load_article(ROOT / "seeds" / "000_01b82f39c62d276e.txt", article_id="a0")


@pytest.fixture(scope="session")
def zh_article() -> Article:
    """The seed that gives Glass's longer quote and "deeply regrettable"."""
    return load_article(ROOT / "seeds" / "003_961c532401d1d023.txt", article_id="a1")


# A misbehaving OpenAI-compatible server on 127.0.0.1, for the model path's failure tests. Its
# answers are written by hand: test doubles, never passed off as recordings.

Answer = tuple[int, Any, float] | tuple[int, Any, float, dict[str, str]]
"""(HTTP status, body (JSON-able, or bytes sent as they are), delay in seconds, headers)."""


class FakeOpenAI(http.server.ThreadingHTTPServer):
    """Answers each POST with the next of ``script``, then with ``answer`` again and again;
    ``answer_for`` may pick the answer from the request body instead. Counts the requests and
    keeps their bodies."""

    answer: Answer = (500, {"error": {"message": "no answer set"}}, 0.0)
    script: list[Answer]
    answer_for: Callable[[str], Answer] | None = None

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _FakeOpenAIHandler)
        self.script = []
        self.bodies: list[str] = []

    @property
    def requests(self) -> int:
        return len(self.bodies)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _FakeOpenAIHandler(http.server.BaseHTTPRequestHandler):
    server: FakeOpenAI

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.server.bodies.append(body)
        if self.server.script:
            answer = self.server.script.pop(0)
        elif self.server.answer_for is not None:
            answer = self.server.answer_for(body)
        else:
            answer = self.server.answer
        status, payload, delay, *rest = answer
        time.sleep(delay)
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        # A client that gave up waiting (a timeout test) has closed the connection.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (rest[0] if rest else {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def fake_server() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def fake_llm(claims: list[dict[str, Any]]) -> dict[str, Any]:
    """A hand-written chat completion: a test double, not a recording."""
    return {
        "id": "fake",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": json.dumps({"claims": claims})},
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def fake_judge(verdicts: list[dict[str, Any]]) -> dict[str, Any]:
    """A hand-written chat completion holding verdicts: a test double, not a recording."""
    completion = fake_llm([])
    completion["choices"][0]["message"]["content"] = json.dumps({"verdicts": verdicts})
    return completion
