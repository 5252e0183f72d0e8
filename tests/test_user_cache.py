"""The per-user cache folder, its overrides, and the converted-model store in `cache info/clear`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ONE_PARAGRAPH = "Kim Jong Un pritet të takojë Putinin. Ai tha se bisedimet po përparojnë."


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No cache option or variable: the default, per-user folder under XDG_CACHE_HOME."""
    monkeypatch.delenv("TRANSLATE_CLI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "translate-cli"


def test_results_and_models_follow_the_user_not_the_folder(
    cli, user_cache: Path, marian: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ONE_PARAGRAPH, encoding="utf-8")
    args = ["run", article, "--mt-model", marian, "--no-summary"]
    for folder in ("one", "two"):  # the same article, run from two different folders
        (tmp_path / folder).mkdir()
        monkeypatch.chdir(tmp_path / folder)
        status, _, err = cli(*args)
        assert status == 0, err
        assert not Path("cache").exists()
    assert re.search(r"cache: [1-9]\d* hits, 0 misses", err)  # the second folder reused the first's work
    assert (user_cache / "results.sqlite3").is_file()
    assert len(list((user_cache / "models").glob("*-int8"))) == 1


def test_the_option_beats_the_variable_which_beats_the_user_folder(
    cli, user_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert f"{user_cache}/results.sqlite3" in cli("cache", "info")[1]
    monkeypatch.setenv("TRANSLATE_CLI_CACHE_DIR", "from-env")
    assert "from-env/results.sqlite3" in cli("cache", "info")[1]
    assert "from-option/results.sqlite3" in cli("cache", "info", "--cache-dir", "from-option")[1]


def test_cache_info_counts_the_model_store_and_clear_models_empties_it(
    cli, marian: Path, tmp_path: Path
) -> None:
    Path("a.txt").write_text(ONE_PARAGRAPH, encoding="utf-8")
    assert cli("run", "a.txt", "--mt-model", marian, "--no-summary", "-q")[0] == 0
    store = tmp_path / "cache" / "models"
    (store / "0123456789abcdef0123.engine.json").write_text("{}", encoding="utf-8")  # a fallback's
    on_disk = sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
    status, out, _ = cli("cache", "info")
    assert status == 0
    assert f"models: {store} (1 converted model)" in out
    size = re.search(r"models: .*\n\s+size\s+([\d.]+) KB", out).group(1)
    assert abs(float(size) * 1024 - on_disk) < 1024  # the store's real size, not the database's
    assert re.search(r"^total: [\d.]+ KB in ", out, re.MULTILINE)
    status, out, _ = cli("cache", "clear", "--models")
    assert status == 0 and out.startswith("deleted 1 converted models")
    assert not list(store.glob("*-int8")) and (tmp_path / "cache" / "results.sqlite3").is_file()
    assert not list(store.glob("*.engine.json"))  # decided afresh with the next conversion
    assert "(0 converted models)" in cli("cache", "info")[1]
