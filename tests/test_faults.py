"""A model that misbehaves, through the command line: a local OpenAI-compatible server started
by the tests on 127.0.0.1 (test doubles, not recordings) answers 500, 429 with Retry-After,
too late, broken JSON or the wrong shape. Bounded retries, then one line naming the endpoint
and the cause; no --out file overwritten; what succeeded stays cached, so a rerun resumes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FakeOpenAI, fake_llm, run_cli

from verifier import Report

SECRET = "sk-fault-test-0123456789abcdef"
local_only = [pytest.mark.enable_socket, pytest.mark.allow_hosts(["127.0.0.1"])]
pytestmark = local_only

GROUNDED = {
    "statement": "China warned its citizens to avoid Japan.",
    "sentence": "China has attacked Takaichi, threatened economic retaliation and warned its "
    "citizens to avoid Japan.",
    "asserted_by": "the outlet",
    "kind": "event",
    "slots": {"actor": "China", "action": "warned"},
    "quote": None,
}


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFIER_API_KEY", SECRET)
    # These faults are in the claims calls; judging is tested in test_judge_model.py.
    monkeypatch.setenv("VERIFIER_JUDGE", "false")


def run(capsys: pytest.CaptureFixture[str], server: FakeOpenAI, *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, "compare", "--model", "fake", "--base-url", server.base_url, *args)


def test_a_500_is_retried_then_the_run_goes_on(
    capsys: pytest.CaptureFixture[str], fake_server: FakeOpenAI, seed_paths: list[str]
) -> None:
    fake_server.script = [(500, {"error": {"message": "overloaded"}}, 0.0)]
    fake_server.answer = (200, fake_llm([GROUNDED]), 0.0)
    code, out, err = run(
        capsys, fake_server, seed_paths[0], "--retries", "1", "--no-cache", "-f", "json"
    )
    assert code == 0, err
    assert fake_server.requests == 2
    claims = [c for c in Report.model_validate_json(out).claims if c.by == "fake"]
    assert [c.grounded for c in claims] == [True]


def test_429_waits_as_told_then_succeeds(
    capsys: pytest.CaptureFixture[str], fake_server: FakeOpenAI, seed_paths: list[str]
) -> None:
    fake_server.script = [(429, {"error": {"message": "slow down"}}, 0.0, {"Retry-After": "1"})]
    fake_server.answer = (200, fake_llm([GROUNDED]), 0.0)
    code, _, err = run(capsys, fake_server, seed_paths[0], "--retries", "2", "--no-cache", "-q")
    assert code == 0, err
    assert fake_server.requests == 2


def test_429_for_ever_is_one_line_after_the_retries(
    capsys: pytest.CaptureFixture[str],
    fake_server: FakeOpenAI,
    seed_paths: list[str],
    tmp_path: Path,
) -> None:
    fake_server.answer = (429, {"error": {"message": "slow down"}}, 0.0, {"Retry-After": "0"})
    out = tmp_path / "report.json"
    out.write_text("the old report")
    code, printed, err = run(
        capsys, fake_server, seed_paths[0], "--retries", "1", "--no-cache", "-o", str(out)
    )
    assert code == 4
    endpoint = f"model endpoint {fake_server.base_url}"
    assert err == f"verifier: error: {endpoint}: rate limited (HTTP 429) after 1 retries\n"
    assert fake_server.requests == 2
    assert out.read_text() == "the old report"
    assert SECRET not in printed + err


def test_a_server_that_hangs_meets_the_timeout(
    capsys: pytest.CaptureFixture[str], fake_server: FakeOpenAI, seed_paths: list[str]
) -> None:
    fake_server.answer = (200, fake_llm([]), 3.0)
    code, _, err = run(
        capsys, fake_server, seed_paths[0], "--timeout", "0.5", "--retries", "0", "--no-cache"
    )
    assert code == 4
    assert err.endswith("no answer within 0.5 s\n") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("body", "cause"),
    [
        (b"{not json", "not the asked-for shape"),
        (fake_llm([{"statement": "only this"}]), "not the asked-for shape"),
    ],
)
def test_broken_or_misshapen_answers(
    capsys: pytest.CaptureFixture[str],
    fake_server: FakeOpenAI,
    seed_paths: list[str],
    body: object,
    cause: str,
) -> None:
    fake_server.answer = (200, body, 0.0)
    code, _, err = run(
        capsys, fake_server, seed_paths[0], "--retries", "0", "--reasks", "0", "--no-cache"
    )
    assert code == 4, err
    assert err.startswith(f"verifier: error: model endpoint {fake_server.base_url}: ")
    assert cause in err and err.count("\n") == 1


def test_a_rerun_resumes_from_the_cache(
    capsys: pytest.CaptureFixture[str],
    fake_server: FakeOpenAI,
    seed_paths: list[str],
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache.sqlite"
    first_seed = Path(seed_paths[0]).read_text()[40:120]

    def only_the_first_seed(body: str) -> tuple[int, object, float]:
        if json.dumps(first_seed)[1:-1] in body:
            return (200, fake_llm([GROUNDED]), 0.0)
        return (500, {"error": {"message": "down"}}, 0.0)

    fake_server.answer_for = only_the_first_seed
    code, _, err = run(capsys, fake_server, *seed_paths, "--retries", "0", "--cache", str(cache))
    assert code == 4, err
    assert fake_server.requests == 2
    fake_server.answer_for = None
    fake_server.answer = (200, fake_llm([]), 0.0)
    code, _, err = run(
        capsys, fake_server, *seed_paths, "--retries", "0", "--cache", str(cache), "-q"
    )
    assert code == 0, err
    assert fake_server.requests == 3  # only the article that failed was asked again
    code, _, _ = run(capsys, fake_server, *seed_paths, "--cache", str(cache), "-q")
    assert code == 0 and fake_server.requests == 3  # a full rerun makes no call


def test_the_key_reaches_the_server_and_nothing_else(
    capsys: pytest.CaptureFixture[str],
    fake_server: FakeOpenAI,
    seed_paths: list[str],
    tmp_path: Path,
) -> None:
    fake_server.answer = (200, fake_llm([GROUNDED]), 0.0)
    cache = tmp_path / "cache.sqlite"
    cassette = tmp_path / "run.yaml"
    code, out, err = run(
        capsys, fake_server, seed_paths[0], "-f", "json", "-v", "--cache", str(cache)
    )
    assert code == 0, err
    code, _, err = run(capsys, fake_server, seed_paths[0], "-q", "--record", str(cassette))
    assert code == 0, err
    assert SECRET not in out + err
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
