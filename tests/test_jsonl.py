"""`--jsonl`: one whole JSON line per finished article, repaired after a kill, resumed on a re-run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate_cli.data import BODY, ArticleResult, TranslatedParagraph, TranslatedSentence
from translate_cli.errors import NotJsonLines
from translate_cli.jsonl import JsonlLog, read_jsonl
from translate_cli.report import article_json


def article(name: str, *, error: str | None = None) -> ArticleResult:
    if error is not None:
        return ArticleResult(source=name, date=None, error=error)
    sentence = TranslatedSentence(f"Lajmi {name} “citim”.", f"News {name} “quote”.")
    return ArticleResult(
        source=name, date="2023-09", paragraphs=(TranslatedParagraph(BODY, (sentence,)),), summary="S."
    )


def test_each_line_is_the_json_article_object(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with JsonlLog.open(path) as log:
        assert log.write(article("a.txt")) and log.write(article("b.txt", error="b.txt: empty"))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        article_json(article("a.txt")),
        article_json(article("b.txt", error="b.txt: empty")),
    ]
    assert "“quote”" in lines[0]  # UTF-8 as is, one line per article


def test_a_cut_off_last_line_is_removed_and_only_missing_articles_are_appended(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with JsonlLog.open(path) as log:
        log.write(article("a.txt"))
        log.write(article("failed.txt", error="failed.txt: no such file"))
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"path": "b.txt", "transl')  # killed while writing b.txt

    with JsonlLog.open(path) as log:
        assert log.repaired
        assert path.read_bytes() == whole
        assert "a.txt" in log and "failed.txt" not in log and "b.txt" not in log
        assert not log.write(article("a.txt"))  # already there
        assert log.write(article("failed.txt"))  # failed before: tried again, a later line
        assert log.write(article("b.txt"))
    paths = [json.loads(line)["path"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert paths == ["a.txt", "failed.txt", "failed.txt", "b.txt"]
    assert [a["path"] for a in read_jsonl(path)] == ["a.txt", "failed.txt", "b.txt"]
    assert all(a["error"] is None for a in read_jsonl(path))


@settings(deadline=None)  # a loaded CI machine takes ~1 s for an example that takes 10 ms here
@given(names=st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=5, unique=True), cut=st.data())
def test_any_cut_leaves_whole_lines_and_only_whole_articles_count_as_done(
    tmp_path_factory, names: list[str], cut: st.DataObject
) -> None:
    path = tmp_path_factory.mktemp("cut") / "out.jsonl"
    with JsonlLog.open(path) as log:
        for name in names:
            log.write(article(name))
    data = path.read_bytes()
    length = cut.draw(st.integers(0, len(data)))
    path.write_bytes(data[:length])
    with JsonlLog.open(path) as log:
        repaired = path.read_bytes()
        assert data.startswith(repaired) and (not repaired or repaired.endswith(b"\n"))
        survivors = [json.loads(line)["path"] for line in repaired.splitlines()]
        assert survivors == names[: len(survivors)]
        assert all((name in log) == (name in survivors) for name in names)


def test_cli_writes_the_same_articles_as_json_and_a_rerun_appends_nothing(
    cli, seeds: Path, models: list[str]
) -> None:
    Path("empty.txt").write_text(" \n", encoding="utf-8")
    status, _, _ = cli("run", seeds, "empty.txt", *models, "--json", "r.json", "--jsonl", "r.jsonl", "-q")
    assert status == 1
    document = json.loads(Path("r.json").read_text(encoding="utf-8"))
    lines = Path("r.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == document["articles"]

    status, _, _ = cli("run", seeds, "empty.txt", *models, "--jsonl", "r.jsonl", "-q")
    assert status == 1
    again = Path("r.jsonl").read_text(encoding="utf-8").splitlines()
    assert again[: len(lines)] == lines
    assert [json.loads(line)["path"] for line in again[len(lines) :]] == ["empty.txt"]  # only the failure


def test_cli_jsonl_in_a_missing_folder_is_a_usage_error(cli, seeds: Path, models: list[str]) -> None:
    status, _, err = cli("run", seeds, *models, "--jsonl", "nowhere/r.jsonl")
    assert status == 2
    assert err.strip() == "translate-cli: error: cannot write nowhere/r.jsonl: folder nowhere does not exist"


def test_lines_that_are_json_but_not_objects_are_refused_unchanged(
    cli, seeds: Path, models: list[str]
) -> None:
    for line in ("null", "[1, 2]", '"s"', "3", "not json"):
        data = f'{{"path": "x.txt", "error": null}}\n{line}\n'.encode()
        Path("r.jsonl").write_bytes(data)
        status, out, err = cli("run", seeds, *models, "--jsonl", "r.jsonl")
        assert status == 2, err
        assert out == "" and err == (
            "translate-cli: error: r.jsonl: line 2 is not a JSON object, so --jsonl will not append "
            "to it; give a new file or one that --jsonl wrote\n"
        )
        assert Path("r.jsonl").read_bytes() == data


def test_a_file_that_is_not_json_lines_keeps_its_last_line(cli, seeds: Path, models: list[str]) -> None:
    for data in (b"my notes\nthe last line", b"the only line", b'{"path": "a.txt"}\nthe last line'):
        Path("notes.txt").write_bytes(data)
        status, _, err = cli("run", seeds, *models, "--jsonl", "notes.txt")
        assert status == 2 and "is not a JSON object" in err and err.count("\n") == 1, err
        assert Path("notes.txt").read_bytes() == data  # nothing truncated
    assert not Path("cache").exists()  # refused before any work


def test_jsonl_dash_is_a_usage_error(cli, seeds: Path, models: list[str]) -> None:
    status, out, err = cli("run", seeds, *models, "--jsonl", "-")
    assert status == 2 and out == ""
    assert err == (
        "translate-cli: error: --jsonl takes a file name, not - "
        "(--json - writes the results to standard output)\n"
    )
    assert not Path("-").exists()


def test_the_library_refuses_a_foreign_file_before_changing_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"[1]\n{")
    with pytest.raises(NotJsonLines):
        JsonlLog.open(path)
    assert path.read_bytes() == b"[1]\n{"
    path.write_bytes(b'{"path": "a.txt", "error": null}\n{"pa')  # a killed run: repaired as before
    with JsonlLog.open(path) as log:
        assert log.repaired and "a.txt" in log
