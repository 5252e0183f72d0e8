"""Exceptions raised by the library; the CLI turns each into one line and an exit status."""

from __future__ import annotations


class TranslateCliError(Exception):
    """Base class for every error a user can cause or fix."""

    #: Exit status the CLI uses when this error stops a whole run.
    exit_status = 1


class InputError(TranslateCliError):
    """An input file cannot be read as an article (missing, empty, binary, undecodable)."""

    def __init__(self, message: str, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source  # the input concerned, when it is not known from context


class UsageError(TranslateCliError):
    """An option or argument is invalid."""

    exit_status = 2


class PromptError(UsageError):
    """A summarizer prompt template is missing or malformed."""


class ModelUnavailable(TranslateCliError):
    """A model cannot be found locally or downloaded, or it fails to load."""

    exit_status = 3


class CacheError(TranslateCliError):
    """The result cache cannot be opened or written."""

    exit_status = 4
