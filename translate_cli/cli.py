"""The command line: parse options, call the library, print, and map errors to exit statuses.

Heavy libraries are never imported here: `--help` and `--version` stay instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, settings
from .data import RunOptions, RunResult
from .errors import TranslateCliError, UsageError

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

EXIT_STATUSES = """\
exit status:
  0    every input was processed
  1    some inputs failed; the others were processed and every output was written
  2    usage error: a bad option, prompt template or output path
  3    a model is unavailable or cannot be loaded
  4    the cache cannot be opened or written
  130  interrupted (Ctrl-C)
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for `translate-cli` and its commands."""
    parser = argparse.ArgumentParser(
        prog="translate-cli",
        description="Translate Albanian news articles into English, with a short English summary.",
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"translate-cli {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser(
        "run",
        help="translate and summarize articles",
        description="Translate and summarize article files, folders (every *.txt below them) "
        "or standard input (-), showing the original and English side by side.",
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("paths", nargs="+", metavar="PATH", help="article file, folder, or - for stdin")
    run.add_argument(
        "--mt-model",
        metavar="ID_OR_DIR",
        help=f"translation model: Hub id or folder (env {settings.ENV_MT_MODEL}; "
        f"default {settings.DEFAULT_MT_MODEL})",
    )
    run.add_argument(
        "--summary-model",
        metavar="ID_OR_DIR",
        help=f"summarizer: Hub id or folder (env {settings.ENV_SUMMARY_MODEL}; "
        f"default {settings.DEFAULT_SUMMARY_MODEL})",
    )
    run.add_argument(
        "--prompt",
        metavar="NAME_OR_FILE",
        help="summarizer prompt template from prompts/ or a file (default: by model family)",
    )
    run.add_argument("--report", metavar="FILE.md", type=Path, help="write a Markdown report")
    run.add_argument("--json", metavar="FILE.json", type=Path, help="write machine-readable results")
    run.add_argument(
        "--cache-dir",
        metavar="DIR",
        help=f"result cache folder (env {settings.ENV_CACHE_DIR}; default ./{settings.DEFAULT_CACHE_DIR})",
    )
    run.add_argument("--no-cache", action="store_true", help="neither read nor write cached results")
    run.add_argument(
        "--beams", type=_positive_int, metavar="N", help="beam size (default: each model's own config)"
    )
    run.add_argument(
        "--batch-size", type=_positive_int, default=16, metavar="N", help="sentences per batch (default 16)"
    )
    run.add_argument(
        "--device", choices=["auto", "cpu", "cuda"], default="auto", help="where models run (default auto)"
    )
    run.add_argument(
        "--quiet", "-q", action="store_true", help="print only errors: no view, progress or closing line"
    )
    run.set_defaults(handler=run_command)
    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not positive")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except TranslateCliError as error:
        _print_error(str(error))
        return error.exit_status
    except KeyboardInterrupt:
        _print_error("interrupted")
        return EXIT_INTERRUPTED


def run_command(args: argparse.Namespace) -> int:
    """`translate-cli run`: process the inputs, write the outputs, show the results."""
    for output in (args.report, args.json):
        if output is not None and not (output.parent if output.parent != Path("") else Path(".")).is_dir():
            raise UsageError(f"cannot write {output}: folder {output.parent} does not exist")
    options = RunOptions(
        mt_model=settings.mt_model(args.mt_model),
        summary_model=settings.summary_model(args.summary_model),
        prompt=args.prompt,
        beams=args.beams,
        batch_size=args.batch_size,
        device=args.device,
        cache_dir=settings.cache_dir(args.cache_dir),
        use_cache=not args.no_cache,
    )
    from rich.console import Console

    stderr = Console(stderr=True)
    result = _run_with_progress(args.paths, options, stderr, show=not args.quiet)
    _write_outputs(result, args.report, args.json)

    if not args.quiet:
        from .render import closing_line, render_run

        render_run(result, Console())
    for warning in result.warnings:
        _print_error(warning, label="warning")
    for article in result.failed:
        _print_error(article.error or "failed")
    if not args.quiet:
        stderr.print(closing_line(result), highlight=False, markup=False)
    return EXIT_SOME_FAILED if result.failed else EXIT_OK


def _run_with_progress(paths: list[str], options: RunOptions, console, *, show: bool) -> RunResult:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .pipeline import run

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not (show and console.is_terminal),
    )
    with bar:
        return run(paths, options, progress=_BarProgress(bar))


class _BarProgress:
    """Adapts the pipeline's progress reports to a rich progress bar."""

    def __init__(self, bar) -> None:
        self.bar = bar
        self.task = None

    def start(self, stage: str, total: int) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(stage, total=total)

    def advance(self, count: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, count)


def _write_outputs(result: RunResult, report: Path | None, json_path: Path | None) -> None:
    from .report import render_json, render_markdown, write_atomic

    for path, render in ((report, render_markdown), (json_path, render_json)):
        if path is None:
            continue
        try:
            write_atomic(path, render(result))
        except OSError as error:
            raise UsageError(f"cannot write {path} ({error.strerror or error})") from None


def _print_error(message: str, *, label: str = "error") -> None:
    print(f"translate-cli: {label}: {message}", file=sys.stderr)
