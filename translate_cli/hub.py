"""Resolve a model name to files on disk: a local folder, the Hugging Face cache, or a download.

Nothing here imports torch or transformers. A Hub id found in the standard HF cache (which
honours `HF_HOME` and `HF_HUB_CACHE`) is used without touching the network; otherwise it is
downloaded, unless `HF_HUB_OFFLINE` is set. Either way a missing model fails fast with one line.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from .data import ModelInfo
from .errors import ModelNotCached, ModelUnavailable
from .printable import printable

# Files a seq2seq checkpoint needs besides its weights: configs and tokenizer files.
_SUPPORT_FILES = ["*.json", "*.spm", "*.model", "*.txt"]
_WEIGHT_SUFFIXES = (".safetensors", ".bin")
_REPO_ID = re.compile(r"\A[\w.-]+(?:/[\w.-]+)?\Z")
#: The Hub must answer, or send more of a file, at least this often; HF_HUB_DOWNLOAD_TIMEOUT
#: overrides it. huggingface_hub's own timeouts restart with each of its retries.
DEFAULT_STALL_TIMEOUT_S = 8.0

_T = TypeVar("_T")


def resolve_model(name_or_path: str, *, option: str = "--mt-model") -> ModelInfo:
    """Find a model's files: a local folder, a cached Hub snapshot, or a fresh download.

    `option` names the command-line option a user can pass instead, for the error message.
    """
    info = find_model(name_or_path)
    if info is not None:
        return info
    if hub_offline():
        raise not_cached(name_or_path, "HF_HUB_OFFLINE is set, so no download", option)
    return download_model(name_or_path, option=option)


def resolve_models(
    requests: Sequence[tuple[str, str]], *, hints: Mapping[str, str] | None = None
) -> list[ModelInfo]:
    """Resolve each (name, option) like `resolve_model`, trying them all before failing, so
    that one error names every model that is unavailable.

    `hints` maps an option to advice added when its model is the only one unavailable, such
    as "or translate only with --no-summary" for the summarizer.
    """
    found: list[ModelInfo] = []
    failures: list[tuple[str, ModelUnavailable]] = []
    for name, option in requests:
        try:
            found.append(resolve_model(name, option=option))
        except ModelUnavailable as error:
            failures.append((option, error))
    if len(failures) == 1:
        option, error = failures[0]
        hint = (hints or {}).get(option)
        if hint:
            raise ModelUnavailable(f"{error}; {hint}") from None
        raise error
    if failures:
        raise ModelUnavailable(combined_message([error for _, error in failures]))
    return found


def combined_message(failures: Sequence[ModelUnavailable]) -> str:
    """One line for several unavailable models, with the ways out said once."""
    parts, options = [], []
    for error in failures:
        if isinstance(error, ModelNotCached):
            parts.append(f"{error.repo_id} is not in the local Hugging Face cache ({error.reason})")
            options.append(error.option)
        else:
            parts.append(str(error))
    message = f"{len(failures)} models are unavailable: " + "; ".join(parts)
    if options:
        message += "; run `translate-cli models download` on a machine with network, or pass "
        message += " and ".join(f"{option} DIR" for option in options)
    return message


def not_cached(repo_id: str, reason: str, option: str) -> ModelNotCached:
    """The error for a Hub model that is neither cached nor downloadable."""
    return ModelNotCached(
        missing_model_message(repo_id, reason, option), repo_id=repo_id, reason=reason, option=option
    )


def find_model(name_or_path: str) -> ModelInfo | None:
    """A local folder or a cached Hub snapshot; None when the model would need a download."""
    folder = Path(name_or_path).expanduser()
    if folder.is_dir():
        if not (folder / "config.json").is_file():
            raise ModelUnavailable(f"{name_or_path}: folder has no config.json, so it is not a model")
        return ModelInfo(name=name_or_path, path=folder.resolve())
    _refuse_missing_folder(name_or_path)
    snapshot = cached_snapshot(name_or_path)
    if snapshot is None:
        return None
    return ModelInfo(name=name_or_path, path=snapshot, revision=snapshot.name)


def _refuse_missing_folder(name: str) -> None:
    """Raise ModelUnavailable when `name` is meant as a local folder, which does not exist.

    A name is a path when it starts with ".", "/" or "~", or when its first component exists
    here (`models/opus` while `models/` exists): a typo there must not become a Hub download.
    """
    first = name.split("/", 1)[0]
    if name.startswith((".", "/", "~")) or ("/" in name and first and Path(first).exists()):
        raise ModelUnavailable(f"{printable(name)}: model folder does not exist")
    if not _REPO_ID.match(name):
        raise ModelUnavailable(
            f"{printable(name)}: model folder does not exist, and it is not a Hub id either"
        )


def hub_offline() -> bool:
    """True when `HF_HUB_OFFLINE` asks for no network access."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def cached_snapshot(repo_id: str) -> Path | None:
    """The folder of a complete cached snapshot of `repo_id`, or None."""
    from huggingface_hub import try_to_load_from_cache

    config = try_to_load_from_cache(repo_id, "config.json")
    if not isinstance(config, str):
        return None
    snapshot = Path(config).parent
    if not any(p.suffix in _WEIGHT_SUFFIXES for p in snapshot.iterdir()):
        return None  # only a config was cached, e.g. by an earlier AutoConfig call
    return snapshot


def download_model(repo_id: str, *, option: str = "--mt-model") -> ModelInfo:
    """Download the files a model needs into the HF cache, preferring safetensors weights.

    An up-to-date cached copy is not downloaded again; a newer Hub revision is.
    """
    if Path(repo_id).expanduser().is_dir():
        return ModelInfo(name=repo_id, path=Path(repo_id).expanduser().resolve())
    _refuse_missing_folder(repo_id)
    from huggingface_hub import HfApi, hf_hub_download
    from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

    stall_s = stall_timeout()
    if _stalled_endpoints.get(_endpoint()) is not None:  # waiting again would only double the wait
        raise not_cached(repo_id, f"download failed: {_stalled_endpoints[_endpoint()]}", option)

    def download() -> tuple[Path, str | None]:
        info = HfApi().model_info(repo_id, timeout=stall_s)
        files = [sibling.rfilename for sibling in info.siblings or []]
        patterns = [*_SUPPORT_FILES, *_weight_patterns(files)]
        if len(patterns) == len(_SUPPORT_FILES):
            raise ModelUnavailable(f"{repo_id}: the Hub repository has no PyTorch or safetensors weights")
        # One file after another in this thread (snapshot_download's pool of threads would keep
        # the process alive after a stall): the weights are one large file anyway.
        wanted = [name for name in files if any(fnmatch.fnmatch(name, p) for p in patterns)]
        for name in wanted:
            hf_hub_download(repo_id, name, revision=info.sha, etag_timeout=stall_s)
        snapshot = Path(hf_hub_download(repo_id, "config.json", revision=info.sha, etag_timeout=stall_s))
        return snapshot.parent, info.sha

    try:
        with _quiet_hub_logging():
            path, sha = _unless_stalled(download, lambda: _bytes_in_cache(repo_id), stall_s)
    except HubStalled as error:
        _stalled_endpoints[_endpoint()] = str(error)
        raise not_cached(repo_id, f"download failed: {error}", option) from None
    except ModelUnavailable:
        raise
    except GatedRepoError:
        raise ModelUnavailable(f"{repo_id}: the model is gated; log in with `hf auth login` first") from None
    except RepositoryNotFoundError:
        raise ModelUnavailable(f"{repo_id}: no such model on the Hugging Face Hub") from None
    except Exception as error:  # network failures come as many library-specific types
        raise not_cached(repo_id, f"download failed: {_reason(error)}", option) from None
    return ModelInfo(name=repo_id, path=path, revision=sha)


#: Hub endpoints that stalled in this process, with the reason: not waited on a second time.
_stalled_endpoints: dict[str, str] = {}


def _endpoint() -> str:
    from huggingface_hub import constants

    return constants.ENDPOINT


class HubStalled(TimeoutError):
    """The Hub sent nothing for too long: it may accept connections and never answer."""


def stall_timeout() -> float:
    """Seconds the Hub may stay silent before a download is given up (HF_HUB_DOWNLOAD_TIMEOUT)."""
    try:
        value = float(os.environ.get("HF_HUB_DOWNLOAD_TIMEOUT", ""))
    except ValueError:
        return DEFAULT_STALL_TIMEOUT_S
    return value if 0 < value < float("inf") else DEFAULT_STALL_TIMEOUT_S


def _unless_stalled(work: Callable[[], _T], progress: Callable[[], int], stall_s: float) -> _T:
    """Run `work` in a thread, giving up when `progress()` has not changed for `stall_s` seconds.

    huggingface_hub retries a stalled transfer five times and restarts that count whenever a
    byte arrives, so its own timeouts do not bound a server that accepts and never answers, or
    one that trickles. The abandoned thread is a daemon and ends with the process.
    """
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the caller's thread below
            outcome["error"] = error

    thread = threading.Thread(target=run, name="translate-cli-download", daemon=True)
    thread.start()
    last, changed = progress(), time.monotonic()
    while thread.is_alive():
        thread.join(0.2)
        now = progress()
        if now != last:
            last, changed = now, time.monotonic()
        elif time.monotonic() - changed > stall_s:
            raise HubStalled(f"the Hub sent nothing for {stall_s:g} s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _bytes_in_cache(repo_id: str) -> int:
    """Bytes of `repo_id` in the HF cache, partial downloads included: grows while data flows."""
    from huggingface_hub import constants

    folder = Path(constants.HF_HUB_CACHE) / ("models--" + repo_id.replace("/", "--"))
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):  # renamed from .incomplete meanwhile
                total += os.lstat(os.path.join(root, name)).st_size
    return total


@contextlib.contextmanager
def _quiet_hub_logging() -> Iterator[None]:
    """Keep huggingface_hub's retry warnings off the terminal: a failure ends in one line.

    Left quiet after a stall, since the abandoned download thread may still log.
    """
    logger = logging.getLogger("huggingface_hub")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def _weight_patterns(files: list[str]) -> list[str]:
    if any(name.endswith(".safetensors") for name in files):
        return ["*.safetensors"]
    return [name for name in files if name.startswith("pytorch_model") and name.endswith(".bin")]


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def missing_model_message(repo_id: str, reason: str, option: str) -> str:
    """The one-line error for a Hub model that is neither cached nor downloadable."""
    return (
        f"model {repo_id} is not in the local Hugging Face cache ({reason}); "
        f"run `translate-cli models download` on a machine with network, or pass {option} DIR"
    )


def model_fingerprint(info: ModelInfo, digest_of: Callable[[Path], str] | None = None) -> str:
    """A stable identity for cache keys: Hub id and commit, or a hash of a folder's files.

    For a local folder, the config, generation config and weights are hashed; `digest_of` lets
    a caller memoize the (slow) hash of large weight files.
    """
    if info.revision is not None:
        return f"hub:{info.name}@{info.revision}"
    digest_of = digest_of or file_digest
    hasher = hashlib.sha256()
    for file in sorted(info.path.iterdir()):
        if file.is_file() and (file.suffix in _WEIGHT_SUFFIXES or file.name.endswith("config.json")):
            hasher.update(f"{file.name}\0{digest_of(file)}\n".encode())
    return f"local:{hasher.hexdigest()}"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's contents."""
    hasher = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def read_config(info: ModelInfo, name: str = "config.json") -> dict:
    """A JSON config file of the model, or an empty dict when it is absent."""
    file = info.path / name
    if not file.is_file():
        return {}
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelUnavailable(f"{file}: unreadable model config ({error})") from None


def input_limit(info: ModelInfo) -> int:
    """The most input tokens the model accepts, from its tokenizer and model configs."""
    config = read_config(info)
    limits = [
        value
        for value in (
            read_config(info, "tokenizer_config.json").get("model_max_length"),
            config.get("max_position_embeddings"),
            config.get("n_positions"),
        )
        if isinstance(value, int) and 0 < value < 1_000_000
    ]
    return min(limits) if limits else 512


def model_family(info: ModelInfo) -> str:
    """The model's `model_type` ("marian", "bart", "t5", ...), or "" when unknown."""
    return str(read_config(info).get("model_type", ""))
