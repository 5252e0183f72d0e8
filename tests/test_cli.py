"""The command line, end to end on tiny real checkpoints."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from checkpoints import SEEDS

from translate_cli.cli import build_parser, main

README = Path(__file__).resolve().parent.parent / "README.md"


@dataclass(frozen=True)
class CompletedRun:
    """One CLI run, shared by the tests that only read its outputs."""

    folder: Path  # where it ran; its cache is folder / "cache"
    status: int
    out: str
    err: str
    report: str  # the Markdown report
    document: dict  # the JSON output

    @property
    def articles(self) -> list[dict]:
        return self.document["articles"]


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory, marian: Path, bart: Path) -> CompletedRun:
    """A missing file, the seed folder and an empty file, with view, report and JSON: run once."""
    folder = tmp_path_factory.mktemp("batch")
    shutil.copytree(SEEDS, folder / "seeds")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("TRANSLATE_CLI_CACHE_DIR", str(folder / "cache"))
        patch.setenv("COLUMNS", "120")
        with redirect_stdout(out), redirect_stderr(err):
            models = ["--mt-model", str(marian), "--summary-model", str(bart), "--format", "view"]
            status = main(
                ["run", "missing.txt", "seeds", "empty.txt", *models, "--report", "r.md", "--json", "r.json"]
            )
    return CompletedRun(
        folder=folder,
        status=status,
        out=out.getvalue(),
        err=err.getvalue(),
        report=(folder / "r.md").read_text(encoding="utf-8"),
        document=json.loads((folder / "r.json").read_text(encoding="utf-8")),
    )


def test_a_folder_run_shows_the_view_and_writes_report_and_json(batch_run: CompletedRun) -> None:
    out = batch_run.out
    for name, date in [("000_fea4830ee9b7d6af.txt", "2023-09"), ("002_ab33e44390d37e2a.txt", "2023-08")]:
        assert re.search(rf"{re.escape(name)}\s+{date}", out)
    assert out.count("Summary") == 2 and "Albanian" in out and "English" in out
    for section in out.split("000_fea4830ee9b7d6af.txt")[1:]:  # the gist before the long text
        assert section.index("Summary") < section.index("Albanian")
    assert [Path(a["path"]).name for a in batch_run.articles[1:3]] == [
        "000_fea4830ee9b7d6af.txt",
        "002_ab33e44390d37e2a.txt",
    ]
    assert batch_run.report.startswith("# Translation report")
    assert "000\\_fea4830ee9b7d6af.txt · 2023-09" in batch_run.report


def test_the_report_starts_with_a_digest_linking_to_each_section(batch_run: CompletedRun) -> None:
    report = batch_run.report
    digest = report.split("## Digest\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert digest[:2] == ["| Date | Article | Check | Summary |", "| --- | --- | --: | --- |"]
    rows = digest[2:]
    assert len(rows) == 4  # every input, failed ones too
    dates = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    # sorted by date, undated last; non-breaking hyphens keep each date on one line when rendered
    assert dates == ["2023\u201108", "2023\u201109", "—", "—"]
    for row in rows:
        anchor = re.search(r"\]\(#(article-\d)\)", row).group(1)
        assert f'## <a id="{anchor}"></a>' in report  # each row links to its section
        check = row.split(" | ")[2]  # what to check: a count linked to the article's list, or "—"
        assert check == "—" or check == "0" or re.fullmatch(rf"\[⚑ \d+\]\(#{anchor}-check\)", check)
    good = batch_run.articles[1]
    title_words = good["translation"].split()[:3]
    section = report.split('<a id="article-2"></a>', 1)[1].split("\n## ", 1)[0]
    assert section.split("\n", 1)[0].split()[:3] == [w.replace("_", "\\_") for w in title_words]
    assert "seeds/000\\_fea4830ee9b7d6af.txt · 2023-09" in section  # path and date under the title
    assert section.index("> [!NOTE]") < section.index("> [!WARNING]") < section.index("| ¶ |")
    assert "| | |" not in report and "|  |  |" not in report  # no empty rows for paragraph breaks
    assert "> [!CAUTION]\n> **Error:** missing.txt: no such file" in report


def test_json_follows_the_documented_schema(batch_run: CompletedRun) -> None:
    document = batch_run.document
    assert set(document) >= {"version", "models", "cache", "articles"}
    assert document["version"] == 1
    assert set(document["models"]) == {"translation", "summary"}
    for model in document["models"].values():
        assert set(model) == {"id", "revision", "path", "backend", "compute_type", "device"}
        assert (model["backend"], model["compute_type"], model["device"]) == ("ctranslate2", "int8", "cpu")
    assert set(document["cache"]) == {"hits", "misses"}
    good, failed = document["articles"][1], document["articles"][3]
    assert set(good) == {
        "path",
        "date",
        "warnings",
        "error",
        "paragraphs",
        "translation",
        "summary",
        "summary_flags",
    }
    assert good["date"] == "2023-09" and good["error"] is None
    sentences = [s for p in good["paragraphs"] for s in p["sentences"]]
    keys = {"source", "translation", "low_quality", "score", "retried", "confidence", "flags"}
    assert all(set(s) == keys for s in sentences)
    assert all(isinstance(s["score"], float) and isinstance(s["retried"], bool) for s in sentences)
    assert good["translation"] == "\n\n".join(
        " ".join(s["translation"] for s in p["sentences"] if s["translation"]) for p in good["paragraphs"]
    )
    assert failed["path"].endswith("empty.txt") and "no text" in failed["error"]
    assert failed["paragraphs"] == [] and failed["summary"] is None


def test_report_has_models_date_summary_and_aligned_table(batch_run: CompletedRun) -> None:
    report = batch_run.report
    article = batch_run.articles[1]
    assert "- **Translation model:**" in report and "- **Summary model:**" in report
    assert report.count(" on ctranslate2 (int8, cpu)") == 2
    assert re.search(r"- \*\*Run:\*\* \d{4}-\d\d-\d\dT", report)
    section = report.split('<a id="article-2"></a>', 1)[1].split("\n## ", 1)[0]
    assert "> **Summary**" in section
    rows = section.split("| --: | --- | --- |\n", 1)[1].strip().splitlines()
    assert len(rows) == sum(len(p["sentences"]) for p in article["paragraphs"])  # one per unit
    assert all(row.count(" | ") == 2 for row in rows)
    numbers = [row.split(" | ")[0].removeprefix("| ").strip() for row in rows]
    expected = [
        str(n) if i == 0 else ""
        for n, p in enumerate(article["paragraphs"], 1)
        for i in range(len(p["sentences"]))
    ]
    assert numbers == expected  # paragraph numbers mark the breaks


def test_stdin_is_read_with_dash(cli, models: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    text = "date 2023-09-12 Kim Jong Un pritet të takojë Putinin. Ai tha.\n\nParagrafi i dytë."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    status, out, _ = cli("run", "-", *models, "--json", "r.json")
    assert status == 0
    article = json.loads(Path("r.json").read_text(encoding="utf-8"))["articles"][0]
    assert article["path"] == "<stdin>" and article["date"] == "2023-09-12"
    assert [len(p["sentences"]) for p in article["paragraphs"]] == [2, 1]
    assert "<stdin>" in out


def test_failed_files_exit_1_and_every_output_is_still_written(batch_run: CompletedRun) -> None:
    err = batch_run.err
    assert batch_run.status == 1
    assert "translate-cli: error: missing.txt: no such file" in err
    assert "translate-cli: error: empty.txt: no text to translate" in err
    assert "Traceback" not in err
    assert "2 of 4 articles translated, 2 failed" in err
    assert len(batch_run.articles) == 4
    assert "**Error:** missing.txt: no such file" in batch_run.report
    assert not Path("-").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["run"],
        ["run", "x.txt", "--beams", "0"],
        ["run", "x.txt", "--batch-size", "many"],
        ["run", "x.txt", "--device", "tpu"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(cli, args: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli(*args)
    assert exit_.value.code == 2


def test_a_bad_prompt_template_exits_2_with_one_line(cli, seeds: Path, models: list[str]) -> None:
    Path("bad.txt").write_text("Summarize {article}", encoding="utf-8")
    status, _, err = cli("run", seeds, *models, "--prompt", "bad.txt")
    assert status == 2
    assert err == (
        "translate-cli: error: prompt template bad.txt: "
        "unknown placeholder {article}; only {text} is allowed\n"
    )


def test_a_report_in_a_missing_folder_exits_2_before_any_work(cli, seeds: Path, models: list[str]) -> None:
    status, _, err = cli("run", seeds, *models, "--report", "no/such/dir/r.md")
    assert status == 2 and "does not exist" in err


def test_a_missing_model_folder_exits_3(cli, seeds: Path, bart: Path) -> None:
    status, _, err = cli("run", seeds, "--mt-model", "./no-such-model", "--summary-model", bart)
    assert status == 3
    assert err == "translate-cli: error: ./no-such-model: model folder does not exist\n"


ONE_PARAGRAPH = "Lideri i Koresë së Veriut, Kim Jong Un, pritet të takojë presidentin Putin. Ai tha."


def test_narrow_terminals_stack_the_columns(cli, models: list[str], monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    Path("a.txt").write_text(ONE_PARAGRAPH, encoding="utf-8")
    status, out, _ = cli("run", "a.txt", *models, "--format", "view")
    assert status == 0
    assert "Albanian: Lideri i Koresë" in out and "English: " in out  # labelled, one under the other
    columns = [line for line in out.splitlines() if "Albanian" in line and "English" in line]
    assert all("⚑" in line for line in columns)  # no columns; a flag may say "the English is still Albanian"
    assert max(len(line) for line in out.splitlines()) <= 60


def test_rich_markup_in_articles_prints_literally(cli, models: list[str]) -> None:
    Path("markup.txt").write_text("Ai shkroi [bold]kujdes[/bold] [link=x]y[/link].", encoding="utf-8")
    status, out, _ = cli("run", "markup.txt", *models, "--format", "view")
    assert status == 0
    assert "Ai shkroi [bold]kujdes[/bold] [link=x]y[/link]." in out


def _run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=os.environ
    )


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["run", "--help"]])
def test_help_and_version_never_import_torch(args: list[str]) -> None:
    code = (
        "import sys\nfrom translate_cli.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'heavy import'\n"
    )
    result = _run_python(code)
    assert result.returncode == 0, result.stderr


def test_a_fully_cached_run_imports_neither_torch_nor_transformers(
    batch_run: CompletedRun, models: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRANSLATE_CLI_CACHE_DIR", str(batch_run.folder / "cache"))  # filled by batch_run
    seeds = batch_run.folder / "seeds"
    code = (
        "import sys\nfrom translate_cli.cli import main\n"
        f"status = main(['run', {str(seeds)!r}, *{models!r}, '-q'])\n"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules]\n"
        "assert status == 0 and not heavy, (status, heavy)\n"
    )
    result = _run_python(code)
    assert result.returncode == 0, result.stderr


def test_shared_runs_are_pinned_to_the_cpu_like_every_test(batch_run: CompletedRun) -> None:
    """A module-scoped run starts before any test's own fixtures: conftest pins it for the session."""
    assert {model["device"] for model in batch_run.document["models"].values()} == {"cpu"}
    assert os.environ["TRANSLATE_CLI_DEVICE"] == "cpu"


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "translate_cli", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("translate-cli ")


def test_every_option_is_documented_in_help_and_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, command in subparsers.choices.items():
        assert f"translate-cli {name}" in readme, name
        for action in command._actions:
            for flag in action.option_strings:
                if flag.startswith("--"):
                    assert flag in command.format_help(), flag
                    assert f"`{flag}" in readme, f"{flag} is not in the README"


def test_no_summary_translates_only_and_needs_no_summarizer(cli, marian: Path) -> None:
    Path("a.txt").write_text(ONE_PARAGRAPH, encoding="utf-8")
    Path("b.txt").write_text(ONE_PARAGRAPH, encoding="utf-8")
    status, out, _ = cli(
        "run",
        "a.txt",
        "b.txt",
        "--mt-model",
        marian,
        "--summary-model",
        "./absent",
        "--no-summary",
        "--json",
        "r.json",
    )
    assert status == 0
    document = json.loads(Path("r.json").read_text(encoding="utf-8"))
    assert list(document["models"]) == ["translation"]
    assert all(a["summary"] is None and a["paragraphs"] for a in document["articles"])
    assert "Summary" not in out
