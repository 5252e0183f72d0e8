"""Everyday use through the CLI: what goes to stdout (view, text, Markdown, JSON), colour, folder
names, the stdin hint, help text and small input errors.

One tiny folder is translated once; every test then reruns it from that warm cache, so no test
here loads a model.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from translate_cli.cli import STDIN_HINT, main
from translate_cli.prompts import available_prompts

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = {
    "a/lajmi.txt": "date 2023-09-12 Kim pritet të takojë Putinin\n\nKim Jong Un takon Putinin. Ai tha.",
    "b/lajmi.txt": "date 2023-08 Letra e Kimit\n\nLideri i Koresë së Veriut i dërgoi një letër Putinit.",
}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory, marian: Path, bart: Path) -> Path:
    """A folder `news/` with two `lajmi.txt` in different subfolders, and a cache holding them."""
    folder = tmp_path_factory.mktemp("warm")
    for name, text in ARTICLES.items():
        (folder / "news" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "news" / name).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("TRANSLATE_CLI_CACHE_DIR", str(folder / "cache"))
        status = main(["run", "news", "--mt-model", str(marian), "--summary-model", str(bart), "-q"])
    assert status == 0
    return folder


@pytest.fixture
def run_news(cli, warm: Path, tmp_path: Path, models: list[str]):
    """Run `translate-cli run news ...` from a copy of the warm cache; (status, stdout, stderr)."""
    shutil.copytree(warm / "news", tmp_path / "news")
    shutil.copytree(warm / "cache", tmp_path / "cache")

    def run(*args: str) -> tuple[int, str, str]:
        return cli("run", "news", *models, *args)

    return run


def test_a_failed_file_leaves_the_plain_text_clean_and_its_error_goes_to_stderr(run_news) -> None:
    Path("news/c/empty.txt").parent.mkdir()
    Path("news/c/empty.txt").write_text("", encoding="utf-8")
    status, out, err = run_news()
    assert status == 1
    assert [line for line in out.splitlines() if line.startswith("==> ")] == [
        "==> a/lajmi.txt · 2023-09-12 <==",
        "==> b/lajmi.txt · 2023-08 <==",
    ]
    assert "empty" not in out and "error" not in out
    assert err.count("translate-cli: error: news/c/empty.txt: no text to translate\n") == 1


def test_stdout_in_a_pipe_is_plain_text_with_paragraphs_then_the_summary(run_news) -> None:
    status, out, err = run_news()
    assert status == 0, err
    assert re.search(r"cache: \d+ hits, 0 misses", err)  # served from the warm cache
    blocks = out.rstrip("\n").split("\n\n")
    assert blocks[0] == "==> a/lajmi.txt · 2023-09-12 <=="
    assert blocks[3].startswith("Summary: ")  # headline, paragraph, then the summary
    # then, when the checks flag anything (gibberish always earns flags), what to double-check
    following = blocks[4] if blocks[4].startswith("==>") else blocks[5]
    assert following == "==> b/lajmi.txt · 2023-08 <==", blocks
    assert blocks[4] == following or blocks[4].startswith("Check these:\n⚑ ")
    assert not any(line != line.rstrip() for line in out.splitlines())  # no padding
    assert not re.search("[─│╭╮╰╯]", out) and not ANSI.search(out)


def test_format_view_markdown_and_json_go_to_stdout(run_news) -> None:
    status, view, _ = run_news("--format", "view")
    assert status == 0 and "Albanian" in view and "╭─ Summary" in view
    status, markdown, _ = run_news("--format", "markdown")
    assert status == 0 and markdown.startswith("# Translation report") and "## Digest" in markdown
    status, document, _ = run_news("--format", "json")
    assert status == 0 and len(json.loads(document)["articles"]) == 2


def test_dash_writes_the_json_or_the_report_to_stdout(run_news) -> None:
    status, out, _ = run_news("--json", "-", "--report", "r.md")
    assert status == 0
    assert [a["path"] for a in json.loads(out)["articles"]] == ["news/a/lajmi.txt", "news/b/lajmi.txt"]
    assert Path("r.md").is_file() and not Path("-").exists()
    status, out, _ = run_news("--report", "-")
    assert status == 0 and out.startswith("# Translation report") and not Path("-").exists()
    status, out, _ = run_news("--report", "-", "-q")  # an explicit stdout output is printed even with -q
    assert status == 0 and out.startswith("# Translation report")


@pytest.mark.parametrize(
    "args",
    [
        ["--json", "-", "--report", "-"],
        ["--json", "-", "--format", "text"],
        ["--report", "-", "--format", "json"],
    ],
)
def test_two_outputs_on_stdout_are_a_usage_error(run_news, args: list[str]) -> None:
    status, out, err = run_news(*args)
    assert status == 2 and out == ""
    assert (
        err == "translate-cli: error: only one output can go to standard output; write the others to files\n"
    )


def test_color_always_never_and_no_color(run_news, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ANSI.search(run_news("--format", "view", "--color", "always")[1])  # even in a pipe
    assert not ANSI.search(run_news("--format", "view", "--color", "never")[1])
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ANSI.search(run_news("--format", "view")[1])


def test_files_in_folders_are_named_by_their_path_in_the_folder(run_news) -> None:
    _, view, _ = run_news("--format", "view")
    assert "a/lajmi.txt" in view and "b/lajmi.txt" in view
    _, report, _ = run_news("--format", "markdown")
    assert "news/a/lajmi.txt · 2023-09-12" in report and "news/b/lajmi.txt · 2023-08" in report
    _, text, _ = run_news()
    assert text.count("==> a/lajmi.txt") == 1 and text.count("==> b/lajmi.txt") == 1


def test_the_digest_is_sorted_by_date_and_titled_by_the_headline(run_news) -> None:
    _, report, _ = run_news("--format", "markdown")
    _, document, _ = run_news("--format", "json")
    articles = json.loads(document)["articles"]
    rows = report.split("## Digest\n\n", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    # U+2011 non-breaking hyphens: a narrow Date column does not wrap a date at its hyphens
    assert [row.split(" | ")[0] for row in rows] == ["| 2023\u201108", "| 2023\u201109\u201112"]
    assert [a["date"] for a in articles] == ["2023-09-12", "2023-08"]  # machine-readable: plain
    assert "news/a/lajmi.txt · 2023-09-12" in report  # and so is the article's own line
    headline = articles[1]["paragraphs"][0]["sentences"][0]["translation"]  # b's translated headline
    assert rows[0].split(" | ")[1].startswith("[" + " ".join(headline.split())[:20].replace("_", "\\_"))
    assert "(#article-2)" in rows[0]


def test_the_digest_names_each_file_so_equal_titles_can_be_told_apart(cli, marian: Path) -> None:
    for name in ("a", "b", "c", "d", "e|`x`"):
        Path("news", name).mkdir(parents=True)
        Path("news", name, "lajmi.txt").write_text("Kim takon Putinin.\n\nAi tha.", encoding="utf-8")
    status, report, err = cli("run", "news", "--mt-model", marian, "--no-summary", "--format", "markdown")
    assert status == 0, err
    rows = report.split("## Digest\n\n", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    titles = {row.split("](#", 1)[0] for row in rows}
    assert len(rows) == 5 and len(titles) == 1  # the same headline five times
    names = [row.split(") (", 1)[1].split(") |", 1)[0] for row in rows]
    assert names == ["a/lajmi.txt", "b/lajmi.txt", "c/lajmi.txt", "d/lajmi.txt", "e\\|\\`x\\`/lajmi.txt"]


def test_stdin_from_a_terminal_gets_a_hint(cli, models: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(io.BytesIO(b"Ai tha.")))
    status, _, err = cli("run", "-", *models, "--no-summary")
    assert status == 0 and err.startswith(f"translate-cli: note: {STDIN_HINT}\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Ai tha.")))
    assert STDIN_HINT not in cli("run", "-", *models, "--no-summary")[2]  # piped: no hint


def test_standard_input_given_twice_is_one_input(
    cli, models: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Ai tha se po vjen.")))
    status, out, err = cli("run", "-", "-", *models, "--no-summary", "--format", "json")
    assert status == 0, err
    assert [article["path"] for article in json.loads(out)["articles"]] == ["<stdin>"]


def test_help_has_examples_and_run_help_names_the_prompts(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    top = capsys.readouterr().out
    assert "examples:" in top and "translate-cli run news/ > english.txt" in top
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    run_help = " ".join(capsys.readouterr().out.split())
    assert "examples:" in run_help
    assert all(name in run_help for name in available_prompts()) and "plain" in run_help


def test_a_bad_max_size_says_what_a_size_looks_like(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", "a.txt", "--max-size", "5XB"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "argument --max-size: '5XB' is not a size: write a number with B, KB, MB or GB" in err
    assert "could not convert" not in err


def test_report_json_is_git_ignored_like_report_md() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/report.md" in ignored and "/report.json" in ignored


def test_a_date_line_under_the_headline_dates_the_article(cli, models: list[str], tmp_path: Path) -> None:
    """Articles copied from a news site carry their date as a line of its own, not a header."""
    folder = tmp_path / "dated"
    folder.mkdir()
    (folder / "a.txt").write_text("Kuvendi miratoi buxhetin\n\n28 dhjetor 2024\n\nOpozita nuk votoi.\n")
    (folder / "b.txt").write_text("Inflacioni bie\n14.11.2025 10:30\n\nÇmimet ranë në tetor.\n")
    status, out, err = cli("run", folder, *models, "--no-summary", "--json", "-")
    assert status == 0, err
    dates = {Path(a["path"]).name: a["date"] for a in json.loads(out)["articles"]}
    assert dates == {"a.txt": "2024-12-28", "b.txt": "2025-11-14"}
    status, out, _ = cli("run", folder, *models, "--no-summary", "--report", "-")
    digest = out.split("## Digest")[1].split("\n## ")[0]
    assert digest.index("| 2024\u201112\u201128 |") < digest.index("| 2025\u201111\u201114 |")


def test_wrapped_flag_messages_hang_under_their_text(run_news, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a narrow terminal a long flag message wraps under its own words, not under the marker."""
    monkeypatch.setenv("COLUMNS", "40")
    _, view, _ = run_news("--format", "view", "--color", "never")
    lines = [line.rstrip() for line in view.splitlines()]
    flags = [n for n, line in enumerate(lines) if line.startswith("  ⚑ ")]
    assert flags, view  # the tiny model's gibberish is always flagged
    wrapped = [lines[n + 1] for n in flags if n + 1 < len(lines) and lines[n + 1].startswith("  ")]
    wrapped = [line for line in wrapped if not line.startswith("  ⚑ ")]
    assert wrapped and all(line.startswith("    ") and line[4] != " " for line in wrapped), view


def test_the_library_names_files_by_their_path_in_the_folder(
    warm: Path, models: list[str], monkeypatch
) -> None:
    from translate_cli import RunOptions, run

    monkeypatch.chdir(warm)
    options = RunOptions(mt_model=models[1], summary_model=models[3], cache_dir=warm / "cache", device="cpu")
    result = run(["news"], options)
    assert result.inputs == ("news",)
    assert sorted(result.display_names().values()) == ["a/lajmi.txt", "b/lajmi.txt"]
