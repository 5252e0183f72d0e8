"""Missing models through the CLI: every one named in one line, the --no-summary way out, and
`models download` in offline mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate_cli import RunOptions, hub, run
from translate_cli.errors import ModelUnavailable
from translate_cli.hub import resolve_models


@pytest.fixture
def article() -> str:
    Path("a.txt").write_text("Kim Jong Un pritet të takojë Putinin.", encoding="utf-8")
    return "a.txt"


def test_every_missing_model_is_named_in_one_line(cli, article: str) -> None:
    status, out, err = cli("run", article)  # the default Hub models, offline and not cached
    assert status == 3 and out == ""
    assert err.count("\n") == 1 and err.startswith("translate-cli: error: 2 models are unavailable: ")
    assert "Helsinki-NLP/opus-mt-sq-en" in err and "sshleifer/distilbart-cnn-12-6" in err
    assert "--mt-model DIR and --summary-model DIR" in err and "translate-cli models download" in err


def test_missing_local_folders_are_named_together(cli, article: str) -> None:
    status, _, err = cli("run", article, "--mt-model", "./no-mt", "--summary-model", "./no-sum")
    assert status == 3
    assert err == (
        "translate-cli: error: 2 models are unavailable: "
        "./no-mt: model folder does not exist; ./no-sum: model folder does not exist\n"
    )


def test_only_the_summarizer_missing_suggests_no_summary(cli, article: str, marian: Path) -> None:
    status, _, err = cli("run", article, "--mt-model", marian)
    assert status == 3 and err.count("\n") == 1
    assert "sshleifer/distilbart-cnn-12-6" in err and "Helsinki" not in err
    assert err.rstrip().endswith("or translate only with --no-summary")
    status, _, err = cli("run", article, "--mt-model", "./no-mt", "--summary-model", marian)
    assert status == 3 and "--no-summary" not in err  # the translator is needed either way


def test_the_library_names_every_missing_model_too() -> None:
    with pytest.raises(ModelUnavailable, match="2 models are unavailable"):
        resolve_models([("./a", "--mt-model"), ("./b", "--summary-model")])


def test_models_download_in_offline_mode_says_so(cli, marian: Path, bart: Path) -> None:
    status, _, err = cli("models", "download")
    assert status == 3 and err.count("\n") == 1
    assert "offline mode is on (HF_HUB_OFFLINE is set)" in err and "unset HF_HUB_OFFLINE" in err
    assert "run `translate-cli models download`" not in err  # not the advice to run this very command
    status, out, _ = cli("models", "download", "--mt-model", marian, "--summary-model", bart)
    assert status == 0 and str(marian) in out  # local folders need no download


def test_the_library_and_the_cli_give_the_same_line(cli, article: str) -> None:
    options = RunOptions(mt_model="./no-mt", summary_model="./no-sum", device="cpu")
    with pytest.raises(ModelUnavailable) as raised:
        run([article], options)
    status, _, err = cli("run", article, "--mt-model", "./no-mt", "--summary-model", "./no-sum")
    assert status == 3 and err == f"translate-cli: error: {raised.value}\n"
    assert "2 models are unavailable" in err


def test_models_are_found_once_per_run(
    cli, article: str, models: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    found: list[str] = []
    find = hub.find_model

    def counted(name: str) -> object:
        found.append(name)
        return find(name)

    monkeypatch.setattr(hub, "find_model", counted)
    assert cli("run", article, *models, "-q")[0] == 0
    assert sorted(found) == sorted(models[1::2])  # each model once: the run uses what the CLI checked
