"""The exceptions verifier raises for the caller's mistakes and for failures the caller must see.

"Not found" and "could not verify" are values in the report, never exceptions.
"""

from __future__ import annotations


class VerifierError(Exception):
    """Base class of every error verifier raises on purpose. Its message is one line for a person.

    ``exit_code`` is what the command line exits with when this error stops it.
    """

    exit_code = 1


class InputError(VerifierError):
    """An input cannot be read as an article: missing, a directory, empty, binary, too large,
    malformed JSON, or no article text in it."""

    exit_code = 3


class ConfigError(VerifierError):
    """The model path is asked for but not set up: no model, no key for a remote endpoint, a
    missing optional package or GGUF file, a broken prompt template."""

    exit_code = 2


class ModelError(VerifierError):
    """The model endpoint failed after the bounded retries: unreachable, too slow, refusing
    (429, 5xx), or answering with something that is not the asked-for shape."""

    exit_code = 4
