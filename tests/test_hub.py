"""Finding models: local folders, the Hugging Face cache, and failing fast without them."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from translate_cli.errors import ModelUnavailable
from translate_cli.hub import input_limit, model_family, model_fingerprint, resolve_model

REVISION = "0123456789abcdef0123456789abcdef01234567"


def run_cli(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "translate_cli", *args],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_local_folder_is_used_as_is(marian: Path) -> None:
    info = resolve_model(str(marian))
    assert info.path == marian.resolve() and info.revision is None
    assert info.describe() == str(marian.resolve())
    assert model_family(info) == "marian"
    assert input_limit(info) == 64


def test_a_local_fingerprint_changes_with_the_weights(marian: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(marian, tmp_path / "copy"))
    before = model_fingerprint(resolve_model(str(copy)))
    assert before == model_fingerprint(resolve_model(str(marian)))
    with (copy / "model.safetensors").open("ab") as weights:
        weights.write(b"\0")
    assert model_fingerprint(resolve_model(str(copy))) != before


def test_a_folder_without_config_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match=r"no config\.json"):
        resolve_model(str(tmp_path))


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="model folder does not exist"):
        resolve_model("./no/such/model")


def test_an_uncached_hub_model_offline_fails_fast_with_the_ways_out(monkeypatch: pytest.MonkeyPatch) -> None:
    connections: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: connections.append(address))
    with pytest.raises(ModelUnavailable) as error:
        resolve_model("Helsinki-NLP/opus-mt-sq-en", option="--mt-model")
    assert connections == []  # offline means no attempt at all, so nothing to wait for
    message = str(error.value)
    assert "Helsinki-NLP/opus-mt-sq-en" in message
    assert "translate-cli models download" in message and "--mt-model DIR" in message


@pytest.fixture
def refusing_hub() -> Iterator[tuple[str, list[object]]]:
    """A Hub endpoint that accepts each connection and closes it at once; records each attempt."""
    server = socket.create_server(("127.0.0.1", 0))
    attempts: list[object] = []

    def serve() -> None:
        while True:
            try:
                connection, address = server.accept()
            except OSError:
                return
            attempts.append(address)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", attempts
    server.close()
    thread.join(timeout=5)


def test_no_network_fails_fast_through_the_cli(tmp_path: Path, seeds: Path, refusing_hub) -> None:
    endpoint, attempts = refusing_hub
    env = {"HF_HUB_OFFLINE": "0", "HF_HOME": str(tmp_path / "hf"), "HF_ENDPOINT": endpoint}
    result = run_cli(["run", str(seeds)], env, tmp_path)
    # Failing fast means giving up after a few attempts, not ~50 s of retries.
    assert 1 <= len(attempts) <= 3, attempts
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Helsinki-NLP/opus-mt-sq-en" in result.stderr


def _fake_hub_cache(home: Path, repo_id: str, model: Path) -> None:
    repo = home / "hub" / ("models--" + repo_id.replace("/", "--"))
    shutil.copytree(model, repo / "snapshots" / REVISION)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(REVISION)


def test_default_hub_ids_are_found_in_the_hf_cache_offline(
    cli, tmp_path: Path, marian: Path, bart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from huggingface_hub import constants

    home = tmp_path / "hf"
    _fake_hub_cache(home, "Helsinki-NLP/opus-mt-sq-en", marian)
    _fake_hub_cache(home, "sshleifer/distilbart-cnn-12-6", bart)
    # huggingface_hub reads HF_HOME once, at import; point its cache at ours in this process.
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(home / "hub"))
    (tmp_path / "a.txt").write_text("Kim Jong Un pritet të takojë Putinin.", encoding="utf-8")
    status, _, err = cli("run", "a.txt", "--json", "out.json", "-q")
    assert status == 0, err
    models = json.loads((tmp_path / "out.json").read_text())["models"]
    assert models["translation"] == {
        "id": "Helsinki-NLP/opus-mt-sq-en",
        "revision": REVISION,
        "path": str(home / "hub" / "models--Helsinki-NLP--opus-mt-sq-en" / "snapshots" / REVISION),
        "backend": "ctranslate2",
        "compute_type": "int8",
        "device": "cpu",
    }
    assert models["summary"]["revision"] == REVISION


@pytest.fixture
def silent_hub():
    """A 'Hub' on 127.0.0.1 that accepts connections and never answers."""
    server = socket.create_server(("127.0.0.1", 0), backlog=64)
    yield f"http://127.0.0.1:{server.getsockname()[1]}"  # the kernel completes the handshakes
    server.close()


class _StallingHub(http.server.BaseHTTPRequestHandler):
    """Answers the model listing, then starts sending each file and stops mid-way."""

    sha = REVISION

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        if self.path.startswith("/api/models/"):
            files = ["config.json", "model.safetensors"]
            listing = (
                [{"type": "file", "oid": "0" * 40, "size": 10_000, "path": name} for name in files]
                if "/tree/" in self.path
                else {"id": "x/y", "sha": self.sha, "siblings": [{"rfilename": name} for name in files]}
            )
            body = json.dumps(listing).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Length", "10000")
        self.send_header("ETag", '"0000"')
        self.send_header("X-Repo-Commit", self.sha)
        self.end_headers()
        if not head:
            self.wfile.write(b"{" + b" " * 999)  # a tenth of the file, then silence
            self.wfile.flush()
            time.sleep(60)


@pytest.fixture
def stalling_hub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StallingHub)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("hub", ["silent_hub", "stalling_hub"])
def test_a_hub_that_never_answers_or_stalls_is_given_up(
    tmp_path: Path, seeds: Path, hub: str, request: pytest.FixtureRequest
) -> None:
    env = {
        "HF_HUB_OFFLINE": "0",
        "HF_HOME": str(tmp_path / "hf"),
        "HF_ENDPOINT": request.getfixturevalue(hub),
        # The default is 8 s; a shorter bound keeps the test quick and shows it is the bound that
        # ends the wait (huggingface_hub alone retries a stalled file for over a minute).
        "HF_HUB_DOWNLOAD_TIMEOUT": "2",
    }
    started = time.monotonic()
    result = run_cli(["run", str(seeds)], env, tmp_path, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode == 3, result.stderr
    # Both default models are missing; the second is not waited on again once the Hub stalled.
    assert result.stderr.startswith(
        "translate-cli: error: 2 models are unavailable: Helsinki-NLP/opus-mt-sq-en"
    )
    assert result.stderr.count("(download failed: the Hub sent nothing for 2 s)") == 2
    assert result.stderr.count("\n") == 1  # no retry warnings, no traceback
    assert elapsed < 45, elapsed  # generous for a loaded machine; ~4 s start-up + one 2 s stall here
