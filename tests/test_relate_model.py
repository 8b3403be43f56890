"""`verifier relate` with a model: a checked verdict beside each pair's own judgement.

Replayed from a real recording of SmolLM2-135M (fixtures/cassettes/relate.yaml) and run against
a hand-written fake server (``FakeOpenAI``) where a test needs answers it can predict.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeOpenAI, fake_judge, run_cli

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "fixtures" / "pairs" / "relate.jsonl"
CASSETTE = ROOT / "fixtures" / "cassettes" / "relate.yaml"


def lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def test_a_replayed_model_adds_a_checked_verdict_and_changes_no_text_judgement(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, alone, _ = run_cli(capsys, "relate", str(PAIRS))
    assert code == 0
    code, judged, err = run_cli(capsys, "relate", str(PAIRS), "--replay", str(CASSETTE))
    assert code == 0, err
    without, with_model = lines(alone), lines(judged)
    assert [line["id"] for line in with_model] == [1, "p2", 3, 4]
    for plain, line in zip(without, with_model, strict=True):
        assert "verdict" not in plain
        assert {k: v for k, v in line.items() if k != "verdict"} == plain
    verdicts = [line["verdict"] for line in with_model]
    assert all(v is not None and v["by"] == "SmolLM2-135M-Instruct.Q4_1" for v in verdicts)
    # SmolLM2 cites words with a label in front ("A: ...") or from another pair: the check
    # against the two statements finds every citation wanting.
    assert all(not v["grounded"] and v["problem"] for v in verdicts)
    code, again, _ = run_cli(capsys, "relate", str(PAIRS), "--replay", str(CASSETTE))
    assert again == judged


def _pairs_asked(body: str) -> list[tuple[int, str, str]]:
    prompt = json.loads(body)["messages"][0]["content"]
    found = re.findall(r"^\[(\d+)\] Versions of a statement:\n  A: (.*)\n  B: (.*)$", prompt, re.M)
    return [(int(number), a, b) for number, a, b in found]


def _serve_verdicts(server: FakeOpenAI, cite_b: bool) -> None:
    def answer(body: str) -> tuple[int, Any, float]:
        verdicts = [
            {
                "finding": number,
                "relation": "conflict",
                "slot": "action",
                "reason": "One denies it.",
                "cited": [" ".join(a.split()[:3])] + ([b.split()[-1]] if cite_b else ["nowhere"]),
            }
            for number, a, b in _pairs_asked(body)
        ]
        return (200, fake_judge(verdicts), 0.0)

    server.answer_for = answer


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_verdicts_citing_the_statements_are_grounded_and_asked_in_batches(
    capsys: pytest.CaptureFixture[str], fake_server: FakeOpenAI
) -> None:
    _serve_verdicts(fake_server, cite_b=True)
    code, out, err = run_cli(
        capsys, "relate", str(PAIRS), "--model", "fake", "--base-url", fake_server.base_url,
        "--retries", "0", "--judge-batch", "3", "--no-cache",
    )  # fmt: skip
    assert code == 0, err
    verdicts = [line["verdict"] for line in lines(out)]
    assert [v["relation"] for v in verdicts] == ["conflict"] * 4
    assert all(v["grounded"] and v["problem"] is None and v["by"] == "fake" for v in verdicts)
    assert fake_server.requests == 2  # four pairs, three a request


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_verdict_citing_words_of_neither_statement_is_re_asked_then_kept_ungrounded(
    capsys: pytest.CaptureFixture[str], fake_server: FakeOpenAI
) -> None:
    _serve_verdicts(fake_server, cite_b=False)
    code, out, err = run_cli(
        capsys, "relate", str(PAIRS), "--model", "fake", "--base-url", fake_server.base_url,
        "--retries", "0", "--judge-batch", "4", "--reasks", "1", "--no-cache",
    )  # fmt: skip
    assert code == 0, err
    verdicts = [line["verdict"] for line in lines(out)]
    assert all(not v["grounded"] and '"nowhere"' in v["problem"] for v in verdicts)
    assert fake_server.requests == 2  # asked, then re-asked once


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_answers_are_cached_so_a_rerun_asks_nothing(
    capsys: pytest.CaptureFixture[str], fake_server: FakeOpenAI, tmp_path: Path
) -> None:
    _serve_verdicts(fake_server, cite_b=True)
    flags = ["--model", "fake", "--base-url", fake_server.base_url, "--retries", "0"]
    cache = ["--cache", str(tmp_path / "answers.sqlite")]
    first = run_cli(capsys, "relate", str(PAIRS), *flags, *cache)
    asked = fake_server.requests
    second = run_cli(capsys, "relate", str(PAIRS), *flags, *cache)
    assert first[0] == second[0] == 0 and first[1] == second[1]
    assert asked > 0 and fake_server.requests == asked


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_bad_line_fails_before_any_model_call(
    capsys: pytest.CaptureFixture[str], fake_server: FakeOpenAI, tmp_path: Path
) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(PAIRS.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    code, out, err = run_cli(
        capsys, "relate", str(pairs), "--model", "fake", "--base-url", fake_server.base_url
    )
    assert code == 3 and out == "" and fake_server.requests == 0
    assert err.startswith("verifier: error: line 5: not valid JSON") and err.count("\n") == 1
