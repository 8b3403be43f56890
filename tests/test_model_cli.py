"""The model path from the command line: replaying the recorded seed run, and the one-line
errors of a model that cannot be reached. No test here reaches a network."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli as run

from verifier import Report

ROOT = Path(__file__).resolve().parent.parent
SEEDS_CASSETTE = ROOT / "fixtures" / "cassettes" / "seeds.yaml"
SECRET = "sk-test-0123456789abcdefghij"


def test_replay_reruns_the_seed_report_offline(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str]
) -> None:
    code, out, err = run(
        capsys, "compare", *seed_paths, "--replay", str(SEEDS_CASSETTE), "-f", "json"
    )
    assert code == 0, err
    report = Report.model_validate_json(out)
    assert report.model == "SmolLM2-135M-Instruct.Q4_1"
    assert report.prompts == {"claims": "claims.v1", "judge": "judge.v1"}
    model_claims = [c for c in report.claims if c.by == report.model]
    assert model_claims
    for claim in model_claims:
        if claim.grounded:
            text = report.article(claim.article).text
            assert text[claim.start : claim.end] == claim.text
        else:
            assert claim.reason and claim.start is None
    assert all(c.grounded for c in report.claims if c.by == "text")


def test_replay_is_byte_identical(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str]
) -> None:
    first = run(capsys, "compare", *seed_paths, "--replay", str(SEEDS_CASSETTE), "-f", "json")[1]
    second = run(capsys, "compare", *seed_paths, "--replay", str(SEEDS_CASSETTE), "-f", "json")[1]
    assert first == second


def test_unverified_model_claims_are_shown_as_such(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str]
) -> None:
    code, out, _ = run(
        capsys, "compare", *seed_paths, "--replay", str(SEEDS_CASSETTE), "-f", "markdown"
    )
    assert code == 0
    assert "## Claims from SmolLM2-135M-Instruct.Q4\\_1 (prompt claims.v1)" in out
    assert "UNVERIFIED: " in out and "its sentence is not in the article" in out
    assert "*UNVERIFIED model verdict (SmolLM2-135M-Instruct.Q4\\_1, judge.v1): " in out


def test_ungrounded_gate(capsys: pytest.CaptureFixture[str], seed_paths: list[str]) -> None:
    code, _, err = run(
        capsys,
        "compare",
        *seed_paths,
        "--replay",
        str(SEEDS_CASSETTE),
        "--fail-on",
        "ungrounded",
        "-q",
    )
    assert code == 5 and "ungrounded" in err


def test_a_changed_setting_does_not_replay_a_stale_answer(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "report.json"
    out.write_text("kept")
    code, _, err = run(
        capsys, "compare", *seed_paths, "--replay", str(SEEDS_CASSETTE), "--max-tokens-not-a-flag"
    )
    assert code == 2
    code, _, err = run(
        capsys,
        "compare",
        *seed_paths,
        "--replay",
        str(SEEDS_CASSETTE),
        "--mode",
        "json",
        "--retries",
        "0",
        "-o",
        str(out),
    )
    assert code == 4
    assert err.startswith("verifier: error: model endpoint http://127.0.0.1:8080/v1: ")
    assert "Can't play back this request" in err and err.count("\n") == 1
    assert out.read_text() == "kept"


def test_unreachable_endpoint_is_one_line_without_the_key(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERIFIER_API_KEY", SECRET)
    code, out, err = run(
        capsys,
        "compare",
        seed_paths[0],
        "--model",
        "m",
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--retries",
        "0",
        "--no-cache",
    )
    assert code == 4
    assert err.startswith("verifier: error: model endpoint http://127.0.0.1:9/v1: cannot connect")
    assert err.count("\n") == 1
    assert SECRET not in out + err


def test_openai_without_a_key_says_how_to_fix_it(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str]
) -> None:
    code, _, err = run(capsys, "compare", seed_paths[0], "--model", "gpt-4o-mini", "--no-cache")
    assert code == 2
    assert "set OPENAI_API_KEY or VERIFIER_API_KEY, or pass --base-url" in err


def test_record_never_overwrites_a_file(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str], tmp_path: Path
) -> None:
    cassette = tmp_path / "mine.yaml"
    cassette.write_text("precious")
    code, _, err = run(
        capsys,
        "compare",
        seed_paths[0],
        "--model",
        "m",
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--record",
        str(cassette),
    )
    assert code == 2 and "exists" in err
    assert cassette.read_text() == "precious"


def test_missing_cassette(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "compare", seed_paths[0], "--replay", str(tmp_path / "none.yaml"))
    assert code == 2 and "no such cassette" in err


def test_missing_gguf(
    capsys: pytest.CaptureFixture[str], seed_paths: list[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "compare", seed_paths[0], "--gguf", str(tmp_path / "none.gguf"))
    assert code == 2
    assert "none.gguf" in err and err.count("\n") == 1
