"""Settings resolved in one place: command-line option, then environment variable, then default."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import UsageError

DEFAULT_MT_MODEL = "Helsinki-NLP/opus-mt-sq-en"
DEFAULT_SUMMARY_MODEL = "sshleifer/distilbart-cnn-12-6"
DEFAULT_DEVICE = "auto"
#: The per-user cache folder's name under the platform's cache root (~/.cache on Linux).
APP_NAME = "translate-cli"
#: Larger input files are refused. The longest real news articles are about 100 KB of text, so
#: a bigger file is likely not one article; 1 MB leaves room for ten times that, and a file at
#: the limit still takes minutes, not hours, to summarize (README, "Very long articles").
DEFAULT_MAX_BYTES = 1_000_000

#: Environment variables that supply a setting when its option is not given.
ENV_CACHE_DIR = "TRANSLATE_CLI_CACHE_DIR"
ENV_MT_MODEL = "TRANSLATE_CLI_MT_MODEL"
ENV_SUMMARY_MODEL = "TRANSLATE_CLI_SUMMARY_MODEL"
ENV_DEVICE = "TRANSLATE_CLI_DEVICE"
#: The devices and engines a run may ask for; "auto" picks (engines.py). The one list of each.
DEVICES = ("auto", "cpu", "cuda")
BACKENDS = ("auto", "ctranslate2", "transformers")


def setting(option: str | None, env: str, default: str) -> str:
    """The option's value if given, else the environment variable if set and non-empty, else the default."""
    if option is not None:
        return option
    return os.environ.get(env) or default


def default_cache_dir() -> Path:
    """The per-user cache folder: `~/.cache/translate-cli` on Linux, honouring XDG_CACHE_HOME.

    Results and converted models follow the user, not the working folder, so a run from
    another folder reuses them. Only computed, never created here.
    """
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def cache_dir(option: str | None) -> Path:
    """The cache directory: --cache-dir, then TRANSLATE_CLI_CACHE_DIR, then the per-user folder."""
    value = option if option is not None else os.environ.get(ENV_CACHE_DIR)
    return Path(value).expanduser() if value else default_cache_dir()


def mt_model(option: str | None) -> str:
    """The translation model: --mt-model, then TRANSLATE_CLI_MT_MODEL, then opus-mt-sq-en."""
    return setting(option, ENV_MT_MODEL, DEFAULT_MT_MODEL)


def summary_model(option: str | None) -> str:
    """The summarizer: --summary-model, then TRANSLATE_CLI_SUMMARY_MODEL, then distilbart-cnn-12-6."""
    return setting(option, ENV_SUMMARY_MODEL, DEFAULT_SUMMARY_MODEL)


def device(option: str | None) -> str:
    """Where models run: --device, then TRANSLATE_CLI_DEVICE, then "auto" (a GPU when one is visible)."""
    value = setting(option, ENV_DEVICE, DEFAULT_DEVICE)
    if value not in DEVICES:
        raise UsageError(f"{ENV_DEVICE}={value!r} is not a device; use {', '.join(DEVICES)}")
    return value


_SIZE_UNITS = {"": 1, "B": 1, "KB": 1_000, "MB": 1_000_000, "GB": 1_000_000_000}
_SIZE = re.compile(r"\A\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*\Z")


def parse_size(value: str) -> int:
    """Bytes in a size such as "5MB", "200 KB" or "1048576"; ValueError if it is not one."""
    match = _SIZE.match(value)
    if match is None or match.group(2).upper() not in _SIZE_UNITS:
        raise ValueError(
            f"{value!r} is not a size: write a number with B, KB, MB or GB, such as 5MB or 200KB"
        )
    size = int(float(match.group(1)) * _SIZE_UNITS[match.group(2).upper()])
    if size < 1:
        raise ValueError(f"{value!r} is not a positive size")
    return size


#: Articles are read and processed about this many sentences at a time: enough for full,
#: length-sorted batches, few enough that memory stays flat however many articles a run has.
DEFAULT_CHUNK_SENTENCES = 256
#: The same with --ray: a pool of actors starts, and loads its model, per chunk and stage.
RAY_CHUNK_SENTENCES = 20_000
#: How to install what --ray needs.
RAY_EXTRA = 'pip install "translate-cli[ray]"'
