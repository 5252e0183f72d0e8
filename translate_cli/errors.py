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


class NotJsonLines(UsageError):
    """An existing `--jsonl` file holds a line that is not a JSON object: not one a run wrote."""


class PromptError(UsageError):
    """A summarizer prompt template is missing or malformed."""


class ModelUnavailable(TranslateCliError):
    """A model cannot be found locally or downloaded, or it fails to load."""

    exit_status = 3


class ModelNotCached(ModelUnavailable):
    """A Hub model that is not in the local Hugging Face cache and could not be downloaded."""

    def __init__(self, message: str, *, repo_id: str, reason: str, option: str) -> None:
        super().__init__(message)
        self.repo_id = repo_id  # the Hub id
        self.reason = reason  # why there was no download, e.g. "HF_HUB_OFFLINE is set, so no download"
        self.option = option  # the command-line option that names another model, e.g. "--mt-model"


class CacheError(TranslateCliError):
    """The result cache cannot be opened or written."""

    exit_status = 4
