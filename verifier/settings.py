"""How to reach a model: read from the environment, overridden by explicit values (the CLI's
flags). An OpenAI endpoint, a llama.cpp server, vLLM or Ollama differ only in these settings.

    VERIFIER_MODEL        model id sent to the endpoint
    VERIFIER_BASE_URL     OpenAI-compatible endpoint (else OPENAI_BASE_URL, else api.openai.com)
    VERIFIER_API_KEY      key (else OPENAI_API_KEY); needed only for api.openai.com
    VERIFIER_GGUF         a GGUF file to serve locally with llama.cpp (the `local` extra)
    VERIFIER_TIMEOUT, VERIFIER_MAX_RETRIES, VERIFIER_REASKS, VERIFIER_CONCURRENCY, VERIFIER_MODE,
    VERIFIER_CHAR_BUDGET, VERIFIER_MAX_TOKENS, VERIFIER_JUDGE, VERIFIER_JUDGE_BATCH
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["OPENAI_HOST", "InstructorMode", "ModelSettings"]

InstructorMode = Literal["json_schema", "tools", "json"]
OPENAI_HOST = "api.openai.com"


class ModelSettings(BaseSettings):
    """Where the model is and how patiently to ask it. ``api_key`` is a SecretStr: it is never
    printed, logged or written to a cache or a cassette."""

    model_config = SettingsConfigDict(
        env_prefix="VERIFIER_", populate_by_name=True, extra="forbid", frozen=True
    )

    model: str | None = Field(default=None, description="Model id sent to the endpoint.")
    base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("base_url", "VERIFIER_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1.",
    )
    api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("api_key", "VERIFIER_API_KEY", "OPENAI_API_KEY"),
        repr=False,
    )
    gguf: Path | None = Field(default=None, description="A GGUF file to serve locally.")
    timeout: float = Field(default=60.0, gt=0, description="Seconds to wait for one answer.")
    max_retries: int = Field(
        default=2,
        ge=0,
        description="Retries of a failed request (connection, timeout, 429, 5xx), with backoff.",
    )
    reasks: int = Field(
        default=1,
        ge=0,
        description="Times an answer that fails the checks is sent back with the error.",
    )
    concurrency: int = Field(default=2, ge=1, description="Requests in flight at once.")
    mode: InstructorMode | None = Field(
        default=None,
        description="How the answer's shape is asked for; default json_schema for a local or "
        "llama.cpp server, tools for api.openai.com.",
    )
    char_budget: int = Field(
        default=6000,
        ge=500,
        description="Most characters of article text per request; longer articles are split "
        "at paragraph breaks (SmolLM2 has an 8k-token context).",
    )
    max_tokens: int = Field(default=2048, ge=64, description="Most tokens in one answer.")
    judge: bool = Field(
        default=True,
        description="Also ask the model to judge the quotes and statements the text lined up "
        "across articles.",
    )
    judge_batch: int = Field(
        default=4,
        ge=1,
        le=16,
        description="Most findings judged in one request (and at most `char_budget` "
        "characters of their words).",
    )

    @property
    def configured(self) -> bool:
        """Whether the model path was asked for: a model or a GGUF file is set."""
        return self.model is not None or self.gguf is not None

    @property
    def model_id(self) -> str | None:
        """The model id: ``model``, else the GGUF file's name (not its path, which differs
        from machine to machine and would change every cache key and recorded request)."""
        if self.model is not None:
            return self.model
        return self.gguf.stem if self.gguf is not None else None

    @property
    def endpoint(self) -> str:
        """The base URL requests go to, for messages."""
        return self.base_url or f"https://{OPENAI_HOST}/v1"

    @property
    def is_openai(self) -> bool:
        return urlsplit(self.endpoint).hostname == OPENAI_HOST

    @property
    def instructor_mode(self) -> InstructorMode:
        # llama.cpp enforces a JSON schema but rejects the object form of tool_choice.
        if self.mode is not None:
            return self.mode
        return "tools" if self.is_openai else "json_schema"
