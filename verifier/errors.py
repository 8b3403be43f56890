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
