"""Output paths through the CLI: checked before any work, written like a plain write, and a
failure to write one output never loses the other."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

ARTICLE = "Qeveria është e gatshme për reformat.\n\nKryeministri foli sot në Tiranë.\n"


@pytest.fixture
def article() -> Path:
    path = Path("a.txt")
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def translate_only(marian: Path) -> list[str]:
    return ["--mt-model", str(marian), "--no-summary", "-q"]


def _mount_tmpfs(folder: Path, options: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")


@pytest.fixture
def mounts():
    mounted: list[Path] = []

    def mount(folder: Path, options: str) -> Path:
        _mount_tmpfs(folder, options)
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", str(folder)], capture_output=True)


@pytest.mark.parametrize("option", ["--report", "--json"])
def test_an_output_naming_an_input_is_refused_before_any_work(
    cli, article: Path, translate_only: list[str], option: str
) -> None:
    os.symlink("a.txt", "alias.txt")
    Path("in").mkdir()
    Path("in/b.txt").write_text(ARTICLE, encoding="utf-8")
    for inputs, output in [(["a.txt"], "a.txt"), (["a.txt"], "alias.txt"), (["in"], "in/b.txt")]:
        status, _, err = cli("run", *inputs, *translate_only, option, output)
        assert status == 2, err
        assert "is one of the inputs" in err and err.count("\n") == 1
    assert Path("a.txt").read_text(encoding="utf-8") == ARTICLE
    assert Path("in/b.txt").read_text(encoding="utf-8") == ARTICLE
    assert not Path("cache").exists()  # refused before the cache or any model was touched


def test_report_and_json_naming_the_same_file_are_refused(cli, article: Path, translate_only) -> None:
    status, _, err = cli("run", article, *translate_only, "--report", "out", "--json", "./out")
    assert status == 2 and "same file" in err


def test_an_output_that_is_a_folder_or_special_file_is_refused_before_any_work(
    cli, article: Path, translate_only: list[str]
) -> None:
    Path("out").mkdir()
    status, _, err = cli("run", article, *translate_only, "--json", "out")
    assert status == 2 and "out: it is a folder" in err
    status, _, err = cli("run", article, *translate_only, "--report", "/dev/null")
    assert status == 2 and "not a regular file" in err
    for stream in ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/2"):
        status, _, err = cli("run", article, *translate_only, "--json", stream)
        assert status == 2 and "it names a stream (- writes to standard output)" in err
    assert not Path("cache").exists()


def test_a_read_only_output_folder_is_refused_before_any_work(
    cli, article: Path, translate_only: list[str], mounts
) -> None:
    folder = mounts(Path("ro").resolve(), "ro,size=1M")
    status, _, err = cli("run", article, *translate_only, "--report", folder / "r.md")
    assert status == 2, err
    assert "is not writable (Read-only file system)" in err and err.count("\n") == 1
    assert not Path("cache").exists()


def test_outputs_get_the_umask_and_existing_files_keep_their_mode(
    cli, article: Path, translate_only: list[str]
) -> None:
    Path("old.json").write_text("{}", encoding="utf-8")
    os.chmod("old.json", 0o604)
    previous = os.umask(0o027)
    try:
        status, _, err = cli("run", article, *translate_only, "--report", "new.md", "--json", "old.json")
    finally:
        os.umask(previous)
    assert status == 0, err
    assert stat.S_IMODE(os.stat("new.md").st_mode) == 0o640
    assert stat.S_IMODE(os.stat("old.json").st_mode) == 0o604
    assert json.loads(Path("old.json").read_text(encoding="utf-8"))["articles"]


def test_a_symlinked_output_writes_to_the_link_target(cli, article: Path, translate_only) -> None:
    Path("real").mkdir()
    os.symlink("real/r.md", "r.md")  # dangling until the run writes the target
    Path("real/r.json").write_text("old", encoding="utf-8")
    os.symlink("real/r.json", "r.json")
    status, _, err = cli("run", article, *translate_only, "--report", "r.md", "--json", "r.json")
    assert status == 0, err
    assert Path("r.md").is_symlink() and Path("r.json").is_symlink()
    assert Path("real/r.md").read_text(encoding="utf-8").startswith("# Translation report")
    assert json.loads(Path("real/r.json").read_text(encoding="utf-8"))["version"] == 1


def test_a_full_disk_loses_one_output_not_the_other(
    cli, article: Path, translate_only: list[str], mounts
) -> None:
    full = mounts(Path("full").resolve(), "size=64k")
    with (full / "filler").open("wb", buffering=0) as filler:
        try:
            while filler.write(b"\0" * 4096):
                pass
        except OSError:
            pass  # the tmpfs is now full
    status, _, err = cli("run", article, *translate_only, "--report", full / "r.md", "--json", "r.json")
    assert status == 5, err
    lines = err.splitlines()
    assert lines == [f"translate-cli: error: cannot write {full / 'r.md'} (No space left on device)"]
    assert json.loads(Path("r.json").read_text(encoding="utf-8"))["articles"][0]["error"] is None
    assert sorted(p.name for p in full.iterdir()) == ["filler"]  # no report, no temporary file
