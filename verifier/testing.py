"""Recording model calls for tests: the vcrpy settings to put in a conftest, and a scan that
proves no secret reached a cassette.

    # conftest.py
    from verifier.testing import vcr_config as verifier_vcr_config

    @pytest.fixture(scope="module")
    def vcr_config():
        return verifier_vcr_config()

Record with ``pytest --record-mode=rewrite`` against any OpenAI-compatible endpoint; replay is
the default (pytest-recording's ``none`` mode). ``record_mode`` is deliberately not set here:
it would override the ``--record-mode`` option.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = ["LOOPBACK_URL", "SECRET_PATTERNS", "scan_for_secrets", "vcr_config"]

LOOPBACK_URL = "http://127.0.0.1:8080"
"""Where every request to a server on this machine is recorded as being sent. A local server
(xllamacpp, llama.cpp, Ollama) listens on whatever port was free; the recorded port must not
decide whether a replay matches."""

_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
_FILTERED_REQUEST_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "cookie",
    "openai-organization",
    "openai-project",
]
_VOLATILE_RESPONSE_HEADERS = re.compile(
    r"^(set-cookie|openai-organization|openai-project|openai-processing-ms|openai-version|"
    r"x-request-id|request-id|x-ratelimit-.*|cf-.*|x-envoy-.*|alt-svc|date|server-timing|"
    r"strict-transport-security|via|x-cloud-trace-context|x-amzn-.*|x-kong-.*)$",
    re.IGNORECASE,
)

SECRET_PATTERNS = {
    "OpenAI key": re.compile(r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}"),
    "bearer token": re.compile(r"bearer\s+(?!\*|REDACTED)[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE),
    "authorization header": re.compile(r"^\s*-?\s*(authorization|api-key|x-api-key):", re.I | re.M),
    "cookie": re.compile(r"^\s*-?\s*(set-cookie|cookie):", re.IGNORECASE | re.MULTILINE),
    "organization or project id": re.compile(r"\b(org|proj)-[A-Za-z0-9]{16,}"),
    "request id header": re.compile(r"^\s*-?\s*(x-request-id|openai-organization):", re.I | re.M),
}
"""What must never appear in a cassette, by name."""


def vcr_config() -> dict[str, Any]:
    """vcrpy / pytest-recording settings: match on the body too (an edited prompt must fail,
    not replay a stale answer); keep keys, cookies and volatile headers out of the cassette;
    record a local server's requests at ``LOOPBACK_URL`` whatever port it had."""
    return {
        "match_on": ["method", "scheme", "host", "port", "path", "query", "body"],
        "filter_headers": list(_FILTERED_REQUEST_HEADERS),
        "before_record_request": _normalise_request,
        "before_record_response": _strip_response_headers,
        "decode_compressed_response": True,
    }


_PYDANTIC_VERSION_IN_LINKS = re.compile(rb"errors\.pydantic\.dev/[0-9][0-9.]*/")


def _normalise_request(request: Any) -> Any:
    """The request as recorded and as matched: sent to ``LOOPBACK_URL`` when it went to this
    machine, so replay is independent of the port; and with the pydantic version taken out of
    the error links a re-ask quotes ("https://errors.pydantic.dev/2.14/v/value_error"), so
    replay is independent of the installed pydantic. vcrpy applies this both before recording
    and before matching."""
    parts = urlsplit(request.uri)
    body = request.body.encode() if isinstance(request.body, str) else request.body
    local = parts.hostname in _LOOPBACK_HOSTS
    versioned = body is not None and _PYDANTIC_VERSION_IN_LINKS.search(body) is not None
    if not local and not versioned:
        return request
    normalised = copy.deepcopy(request)
    if local:
        base = urlsplit(LOOPBACK_URL)
        normalised.uri = urlunsplit(
            (base.scheme, base.netloc, parts.path, parts.query, parts.fragment)
        )
    if versioned:
        normalised.body = _PYDANTIC_VERSION_IN_LINKS.sub(b"errors.pydantic.dev/", body)
    return normalised


def _strip_response_headers(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    response["headers"] = {
        name: value for name, value in headers.items() if not _VOLATILE_RESPONSE_HEADERS.match(name)
    }
    return response


def scan_for_secrets(path: Path) -> list[str]:
    """Every secret-looking thing in the cassette at ``path``, as "path:line: what"."""
    found = []
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        for name, pattern in SECRET_PATTERNS.items():
            if pattern.search(line):
                found.append(f"{path}:{number}: {name}")
    return found
