"""What a run with a model needs around it: a local server for a GGUF file, and a recording or
a replay of the model calls, so that a newsroom can reproduce and audit a report offline."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from verifier.errors import ConfigError
from verifier.settings import ModelSettings
from verifier.testing import vcr_config

__all__ = ["model_session", "settings_from_cassette"]


@contextlib.contextmanager
def model_session(
    settings: ModelSettings, *, record: Path | None = None, replay: Path | None = None
) -> Iterator[ModelSettings]:
    """Yield the settings to call the model with while this block runs.

    A GGUF file is served on 127.0.0.1 and stopped on exit (not when replaying: the replay
    answers instead). ``record`` writes every model call to a new cassette; ``replay`` answers
    every call from one and lets nothing reach the network.
    """
    if record is not None and replay is not None:
        raise ConfigError("--record and --replay exclude each other")
    if record is not None and record.exists():
        raise ConfigError(f"{record}: exists; --record writes a new cassette, choose another file")
    if replay is not None and not replay.is_file():
        raise ConfigError(f"{replay}: no such cassette")
    with contextlib.ExitStack() as stack:
        if settings.gguf is not None and replay is None and settings.base_url is None:
            from verifier.local import serve

            base_url = stack.enter_context(serve(settings.gguf))
            settings = settings.model_copy(update={"base_url": base_url})
        if replay is not None:
            stack.enter_context(_cassette(replay, "none"))
        elif record is not None:
            stack.enter_context(_cassette(record, "all"))
        yield settings


def settings_from_cassette(path: Path) -> dict[str, Any]:
    """The model and endpoint a cassette was recorded against, from its first request, so that
    ``--replay FILE`` alone reruns a report."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such cassette")
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError as error:
        raise ConfigError(_NEEDS_MODEL_EXTRA) from error
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        request = data["interactions"][0]["request"]
        body = json.loads(request["body"])
        parts = urlsplit(request["uri"])
    except (OSError, yaml.YAMLError, KeyError, IndexError, TypeError, ValueError) as error:
        raise ConfigError(f"{path}: not a cassette of model calls ({error})") from error
    base = parts.path.rsplit("/chat/completions", 1)[0]
    found: dict[str, Any] = {
        "model": body["model"],
        "base_url": f"{parts.scheme}://{parts.netloc}{base}",
    }
    if "max_tokens" in body:
        found["max_tokens"] = body["max_tokens"]
    return found


_NEEDS_MODEL_EXTRA = "recording and replaying model calls needs: pip install 'verifier[model]'"


@contextlib.contextmanager
def _cassette(path: Path, mode: str) -> Iterator[None]:
    try:
        import vcr  # type: ignore[import-untyped]
    except ImportError as error:
        raise ConfigError(_NEEDS_MODEL_EXTRA) from error
    with vcr.VCR(record_mode=mode).use_cassette(str(path), **vcr_config()):
        yield
