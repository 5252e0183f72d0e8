"""The command line: parse options, call the library, print, and map errors to exit statuses.

Heavy libraries are never imported here: `--help` and `--version` stay instant.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__, settings
from .cache import DAMAGED, DATABASE_NAME, STAGES, UNAVAILABLE, ResultCache
from .data import ArticleResult, ModelInfo, RunOptions, RunResult, short_name
from .errors import CacheError, ModelUnavailable, TranslateCliError, UsageError
from .printable import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from .jsonl import JsonlLog
    from .pipeline import RemoteStages
    from .reader import InputList

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_MODEL_MISSING = ModelUnavailable.exit_status
#: The run finished, but an output could not be written (disk full, I/O error).
EXIT_OUTPUT_FAILED = 5
#: A bug or an unforeseen failure; --debug shows the traceback (EX_SOFTWARE in sysexits.h).
EXIT_UNEXPECTED = 70
EXIT_INTERRUPTED = 130

#: What `run` can print on standard output (--format).
STDOUT_FORMATS = ("view", "text", "markdown", "json")
#: The file name that means standard output for --report and --json.
STDOUT_NAME = Path("-")
STDIN_HINT = "reading from standard input; end with Ctrl-D"

EXIT_STATUSES = """\
exit status:
  0    every input was processed
  1    some inputs failed; the others were processed and every output was written
  2    usage error: a bad option, prompt template or output path
  3    a model is unavailable or cannot be loaded
  4    cache info or cache clear: the cache is damaged or not translate-cli's, or
       cannot be opened or cleared
  5    an output (report, JSON, JSON Lines) could not be written (disk full,
       I/O error); the other outputs were still written
  6    with --ray: Ray cannot be started or reached, or an actor died
  70   unexpected internal error: one line on stderr; --debug shows the traceback
  130  interrupted (Ctrl-C)
"""


EXAMPLES = """\
examples:
  translate-cli run article.txt                 side by side in the terminal, summary first
  translate-cli run news/ --report report.md    every *.txt below news/, plus a Markdown report
  translate-cli run news/ > english.txt         plain English text when stdout is not a terminal
  translate-cli run a.txt --json - | jq .       JSON on standard output
  pbpaste | translate-cli run -                 read one article from standard input
  translate-cli cache info                      where results and converted models are kept
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for `translate-cli` and its commands."""
    parser = argparse.ArgumentParser(
        prog="translate-cli",
        description="Translate Albanian news articles into English, with a short English summary.",
        epilog=EXAMPLES + "\n" + EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"translate-cli {__version__}")
    parser.add_argument("--debug", action="store_true", help=_DEBUG_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    # --debug is also accepted after the command; SUPPRESS keeps a subcommand from resetting it.
    debug_option = argparse.ArgumentParser(add_help=False)
    debug_option.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=_DEBUG_HELP)

    model_options = argparse.ArgumentParser(add_help=False)
    model_options.add_argument(
        "--mt-model",
        metavar="ID_OR_DIR",
        help=f"translation model: Hub id or folder (env {settings.ENV_MT_MODEL}; "
        f"default {settings.DEFAULT_MT_MODEL})",
    )
    model_options.add_argument(
        "--summary-model",
        metavar="ID_OR_DIR",
        help=f"summarizer: Hub id or folder (env {settings.ENV_SUMMARY_MODEL}; "
        f"default {settings.DEFAULT_SUMMARY_MODEL})",
    )
    cache_options = argparse.ArgumentParser(add_help=False)
    cache_options.add_argument(
        "--cache-dir",
        metavar="DIR",
        help=f"cache folder for results and converted models (env {settings.ENV_CACHE_DIR}; "
        "default: the per-user cache, ~/.cache/translate-cli on Linux)",
    )

    run = commands.add_parser(
        "run",
        parents=[model_options, cache_options, debug_option],
        help="translate and summarize articles",
        description="Translate and summarize article files, folders (every *.txt below them) "
        "or standard input (-). On a terminal, shows the summary and then the original and "
        "English side by side; in a pipe, prints plain English text.",
        epilog=EXAMPLES + "\n" + EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("paths", nargs="+", metavar="PATH", help="article file, folder, or - for stdin")
    run.add_argument(
        "--no-summary", action="store_true", help="translate only: no summaries, no summary model needed"
    )
    run.add_argument(
        "--prompt",
        metavar="NAME_OR_FILE",
        help=f"summarizer prompt template: {_prompt_names()}, or a file (default: by model family)",
    )
    run.add_argument(
        "--format",
        choices=STDOUT_FORMATS,
        help="what to print on standard output (default: view on a terminal, text otherwise)",
    )
    run.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour on standard output (default auto: on a terminal, unless NO_COLOR is set)",
    )
    run.add_argument(
        "--report", metavar="FILE.md", type=Path, help="write a Markdown report (- for standard output)"
    )
    run.add_argument(
        "--json",
        metavar="FILE.json",
        type=Path,
        help="write machine-readable results (- for standard output)",
    )
    run.add_argument(
        "--jsonl",
        metavar="FILE.jsonl",
        type=Path,
        help="append one JSON line per finished article; a re-run appends only what is missing",
    )
    run.add_argument("--no-cache", action="store_true", help="neither read nor write cached results")
    run.add_argument(
        "--max-size",
        type=_size,
        default=settings.DEFAULT_MAX_BYTES,
        metavar="SIZE",
        help=f"refuse input files larger than this, e.g. 5MB or 200KB "
        f"(default {settings.DEFAULT_MAX_BYTES // 1_000_000}MB)",
    )
    run.add_argument(
        "--beams", type=_positive_int, metavar="N", help="beam size (default: each model's own config)"
    )
    run.add_argument(
        "--batch-size",
        type=_positive_int,
        metavar="N",
        help="most sentences per translation batch (default: sized to the device)",
    )
    run.add_argument(
        "--chunk-sentences",
        type=_positive_int,
        metavar="N",
        help="read and process articles about N sentences at a time "
        f"(default {settings.DEFAULT_CHUNK_SENTENCES}; {settings.RAY_CHUNK_SENTENCES} with --ray)",
    )
    run.add_argument(
        "--device",
        choices=settings.DEVICES,
        help=f"where models run (env {settings.ENV_DEVICE}; default auto: a CUDA GPU when one is visible)",
    )
    run.add_argument(
        "--backend",
        choices=settings.BACKENDS,
        default="auto",
        help="inference engine (default auto: CTranslate2, falling back to transformers)",
    )
    run.add_argument(
        "--ray",
        action="store_true",
        help=f"compute on Ray: a local instance, or the --ray-address cluster (needs {settings.RAY_EXTRA})",
    )
    run.add_argument(
        "--ray-address",
        metavar="ADDRESS",
        help="join this Ray cluster: auto, or ray://HOST:10001 (implies --ray; default: start a local Ray)",
    )
    run.add_argument(
        "--ray-actors",
        type=_positive_int,
        metavar="N",
        help="actors per stage with --ray (implies --ray; default: one per GPU, else 1)",
    )
    run.add_argument(
        "--quiet", "-q", action="store_true", help="print only errors: no view, progress or closing line"
    )
    run.set_defaults(handler=run_command)

    cache = commands.add_parser("cache", help="show or empty the result cache")
    cache_commands = cache.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    info = cache_commands.add_parser(
        "info",
        parents=[cache_options, debug_option],
        help="show the cache's location, entries per stage and size, and the converted-model store",
    )
    info.set_defaults(handler=cache_info_command)
    clear = cache_commands.add_parser(
        "clear", parents=[cache_options, debug_option], help="delete cached results"
    )
    what = clear.add_mutually_exclusive_group()
    what.add_argument("--stage", choices=STAGES, help="delete only this stage's results (default: all)")
    what.add_argument(
        "--models", action="store_true", help="empty the converted-model store instead of the results"
    )
    clear.set_defaults(handler=cache_clear_command)

    models = commands.add_parser("models", help="list, download or locate the configured models")
    model_commands = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    for name, handler, text in (
        ("list", models_list_command, "show each configured model and whether it is present locally"),
        ("download", models_download_command, "download the configured models into the HF cache"),
        ("path", models_path_command, "print the local folder of each configured model"),
    ):
        model_commands.add_parser(name, parents=[model_options, debug_option], help=text).set_defaults(
            handler=handler
        )
    return parser


def _prompt_names() -> str:
    """The bundled prompt template names, for --help; never fails."""
    from .prompts import available_prompts

    try:
        return ", ".join(available_prompts()) or "none bundled"
    except TranslateCliError:
        return "none bundled"


_DEBUG_HELP = "on an unexpected error, show the full traceback"


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not positive")
    return number


def _size(value: str) -> int:
    try:
        return settings.parse_size(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = build_parser().parse_args(argv)
    with _pipe_safe_streams():
        try:
            return args.handler(args)
        except TranslateCliError as error:
            _print_error(str(error))
            return error.exit_status
        except KeyboardInterrupt:
            _print_error("interrupted")
            return EXIT_INTERRUPTED
        except Exception as error:  # a bug or an unforeseen failure: one line, not a traceback
            if args.debug:
                traceback.print_exc()
            lines = str(error).strip().splitlines()
            detail = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
            hint = "" if args.debug else "; run again with --debug to see the traceback"
            _print_error(f"unexpected error ({detail}){hint}")
            return EXIT_UNEXPECTED


class _PipeSafeStream:
    """A text stream that quietly drops output once its reader has gone (`| head -1`).

    Losing stdout must not lose the error lines on stderr, nor change the exit status.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop()

    def _drop(self) -> None:
        self.gone = True
        try:  # so that the interpreter's own flush at exit does not complain either
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            pass

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextmanager
def _pipe_safe_streams() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _PipeSafeStream(sys.stdout), _PipeSafeStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def run_command(args: argparse.Namespace) -> int:
    """`translate-cli run`: process the inputs, write the outputs, show the results."""
    outputs = [
        path for path in (args.report, args.json, args.jsonl) if path is not None and path != STDOUT_NAME
    ]
    from .reader import list_inputs

    inputs = list_inputs(args.paths)  # the one listing: the run reads what was checked here
    check_outputs(outputs, inputs)
    if args.jsonl is not None:
        _check_jsonl(args.jsonl)
    stdout_format = _stdout_format(args)
    options = RunOptions(
        mt_model=settings.mt_model(args.mt_model),
        summary_model=settings.summary_model(args.summary_model),
        summarize=not args.no_summary,
        prompt=args.prompt,
        beams=args.beams,
        batch_size=args.batch_size,
        device=settings.device(args.device),
        backend=args.backend,
        max_bytes=args.max_size,
        cache_dir=settings.cache_dir(args.cache_dir),
        use_cache=not args.no_cache,
        chunk_sentences=args.chunk_sentences
        or (settings.RAY_CHUNK_SENTENCES if _uses_ray(args) else settings.DEFAULT_CHUNK_SENTENCES),
    )
    from .pipeline import resolve_run_models

    models = resolve_run_models(options)  # before any work, every unavailable model named at once
    from rich.console import Console

    stderr = Console(stderr=True, no_color=args.color == "never" or None)
    stdout = _stdout_console(args.color)
    if "-" in args.paths and not args.quiet and _is_terminal(sys.stdin):
        _print_error(STDIN_HINT, label="note")
    shown = _StdoutOutput(stdout_format, stdout, tuple(args.paths), quiet=args.quiet)
    result, output_failures = _stream_run(args, options, shown, stderr, models, inputs)
    output_failures += _write_outputs(result, args.report, args.json)
    shown.finish(result)

    from .render import closing_line

    for warning in result.warnings:
        _print_error(warning, label="warning")
    for article in result.failed:
        _print_error(article.error or "failed")
    for failure in output_failures:
        _print_error(failure)
    if not args.quiet:
        stderr.print(printable(closing_line(result)), highlight=False, markup=False)
    if output_failures:
        return EXIT_OUTPUT_FAILED
    return EXIT_SOME_FAILED if result.failed else EXIT_OK


def _stdout_format(args: argparse.Namespace) -> str | None:
    """What goes to standard output: --format, a `-` output, or by default view on a terminal
    and text otherwise; None when -q leaves it empty. Two outputs to stdout is a usage error."""
    dashed = [fmt for path, fmt in ((args.report, "markdown"), (args.json, "json")) if path == STDOUT_NAME]
    chosen = sorted({*dashed, *([args.format] if args.format else [])})
    if len(chosen) > 1 or len(dashed) > 1:
        raise UsageError("only one output can go to standard output; write the others to files")
    if chosen:
        return chosen[0]
    if args.quiet:
        return None
    return "view" if _is_terminal(sys.stdout) else "text"


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):  # replaced or closed streams
        return False


def _same_terminal(first: object, second: object) -> bool:
    """Whether both streams are terminals, and the same one."""
    if not (_is_terminal(first) and _is_terminal(second)):
        return False
    try:
        return os.path.samestat(os.fstat(first.fileno()), os.fstat(second.fileno()))  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def _stdout_console(color: str) -> Console:
    """The console for standard output; --color always forces colour even in a pipe."""
    from rich.console import Console

    if color == "always":
        return Console(force_terminal=True)
    return Console(no_color=color == "never" or None)


def check_outputs(outputs: list[Path], inputs: InputList) -> None:
    """Refuse, before any work, output paths that cannot be written or that name an input."""
    from .reader import STDIN
    from .report import check_output_path

    for output in outputs:
        check_output_path(output)
    targets = [os.path.realpath(output) for output in outputs]
    if len(set(targets)) < len(targets):
        raise UsageError("two outputs (--report, --json, --jsonl) name the same file")
    files = [item for item in inputs.items if isinstance(item, str) and item != STDIN]
    paths = {os.path.realpath(file) for file in files}
    for output, target in zip(outputs, targets, strict=True):
        if target in paths:
            raise UsageError(f"cannot write {printable(str(output))}: it is one of the inputs")


class _StdoutOutput:
    """Standard output in the chosen format, article by article as each one completes: the
    side-by-side view and plain text stream; Markdown and JSON are whole documents, at the end."""

    def __init__(self, fmt: str | None, console: Console, inputs: tuple[str, ...], *, quiet: bool) -> None:
        self.fmt = fmt  # "view", "text", "markdown", "json", or None with -q
        self.quiet = quiet  # -q: no notes on stderr beside errors
        self.console = console
        self.inputs = inputs  # the paths as given, for folder-relative names
        self.names: set[str] = set()  # names shown so far: a second one falls back to the path
        self.shown = 0

    @property
    def needs_whole_run(self) -> bool:
        """Whether every article must be kept until the end."""
        return self.fmt in ("markdown", "json")

    def _name(self, article: ArticleResult) -> str:
        name = RunResult(articles=(article,), inputs=self.inputs).display_names()[article.source]
        name = article.source if name in self.names else name
        self.names.add(name)
        return name

    def show(self, article: ArticleResult) -> None:
        """Show one finished article, if the format streams."""
        if self.fmt == "view":
            from .render import render_article

            # Rendered here, then written to sys.stdout: while the progress bar is drawn on the
            # same terminal, that is rich's proxy, which clears the bar before the article and
            # draws it again below (the console itself would write past the proxy, over the bar).
            with self.console.capture() as captured:
                render_article(article, self.console, name=self._name(article))
            sys.stdout.write(captured.get())
            sys.stdout.flush()
        elif self.fmt == "text":
            if article.error is not None:  # the error goes to stderr, with the others, at the end
                return
            from .report import render_text

            name = self._name(article)
            text = render_text(RunResult(articles=(article,), inputs=self.inputs))
            sys.stdout.write(("\n" if self.shown else "") + text)
            sys.stdout.flush()
            if (
                article.warnings and not self.quiet
            ):  # plain text leaves them out: say how many, and where to see them
                count = len(article.warnings)
                _print_error(
                    f"{name}: {count} warning{'s' if count > 1 else ''}; "
                    "--format view, --report or --json show them",
                    label="warning",
                )
        self.shown += 1

    def finish(self, result: RunResult) -> None:
        """Write the whole-run document, for Markdown or JSON."""
        if self.needs_whole_run:
            from .report import get_writer

            sys.stdout.write(get_writer(self.fmt or "json")(result))
            sys.stdout.flush()


def _stream_run(
    args: argparse.Namespace,
    options: RunOptions,
    shown: _StdoutOutput,
    stderr: Console,
    models: dict[str, ModelInfo],
    inputs: InputList,
) -> tuple[RunResult, list[str]]:
    """Run, showing and appending (--jsonl) each article as soon as it is complete.

    Whole articles are kept only when --report, --json or a document on stdout needs them at the
    end; otherwise one small stub per input, for the closing line. Returns the result and the
    --jsonl write failure, if any, as a list of lines.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from .pipeline import StreamingRun

    keep = args.report is not None or args.json is not None or shown.needs_whole_run
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=24),
        TextColumn("{task.fields[count]}"),
        TextColumn("{task.fields[articles]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        # A file name is shown as it is: never rich markup, and its control characters escaped.
        TextColumn("{task.fields[current]}", style="dim", markup=False),
        console=stderr,
        transient=True,
        disable=not (not args.quiet and stderr.is_terminal),
        # Printing to stdout while the bar is drawn goes above the bar, but only when stdout is
        # the bar's own terminal: redirected into a file or a pipe, it must stay there.
        redirect_stdout=_same_terminal(sys.stdout, sys.stderr),
    )
    progress = _BarProgress(bar, list(args.paths))
    kept: list[ArticleResult] = []
    jsonl = _open_jsonl(args.jsonl)
    failures: list[str] = []
    try:
        with (
            _remote_stages(args, options) as remote,
            bar,
            StreamingRun(
                args.paths, options, progress=progress, remote=remote, models=models, inputs=inputs
            ) as stream,
        ):
            for article in stream:
                if jsonl is not None and not failures:
                    try:
                        jsonl.write(article)
                    except OSError as error:  # the run and the other outputs go on
                        failures.append(
                            f"cannot write {printable(str(args.jsonl))} ({error.strerror or error})"
                        )
                shown.show(article)
                stub = ArticleResult(article.source, article.date, error=article.error)
                kept.append(article if keep else stub)
            return stream.result(tuple(kept)), failures
    finally:
        if jsonl is not None:
            jsonl.close()


def _uses_ray(args: argparse.Namespace) -> bool:
    return bool(args.ray or args.ray_address or args.ray_actors)


@contextmanager
def _remote_stages(args: argparse.Namespace, options: RunOptions) -> Iterator[RemoteStages | None]:
    """With --ray, Ray for the run (started or joined); otherwise None: everything runs here."""
    if not _uses_ray(args):
        yield None
        return
    from .cluster import ClusterOptions, connect

    with connect(ClusterOptions(address=args.ray_address, actors=args.ray_actors), options.device) as remote:
        yield remote


#: What each stage counts, for the progress bar.
PROGRESS_UNITS = {"translating": "sentences", "summarizing": "summaries"}


class _BarProgress:
    """Adapts the pipeline's progress reports to a rich progress bar: the stage, its items in
    their unit, articles done, elapsed time and ETA, and the file worked on last."""

    def __init__(self, bar: Progress, inputs: list[str]) -> None:
        self.bar = bar
        self.inputs = inputs  # the paths as given, for short file names
        self.task: TaskID | None = None
        self.unit = ""
        self.done = 0  # items of the current stage
        self.total = 0

    def start(self, stage: str, total: int) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.unit = PROGRESS_UNITS.get(stage, "")
        self.done, self.total = 0, total
        # A stage without a count (a model being prepared) shows a pulsing bar.
        self.task = self.bar.add_task(stage, total=total or None, count="", articles="", current="")
        self._show_count()
        self.bar.refresh()  # every stage is drawn at least once, however short

    def advance(self, count: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, count)
            self.done += count
            self._show_count()

    def articles(self, done: int, total: int, current: str | None) -> None:
        if self.task is not None:
            name = printable(short_name(current, self.inputs)) if current else ""
            self.bar.update(self.task, articles=f"{done}/{total} articles", current=name)

    def _show_count(self) -> None:
        if self.task is not None and self.total:
            self.bar.update(self.task, count=f"{self.done}/{self.total} {self.unit}")


def _check_jsonl(path: Path) -> None:
    """Refuse, before any work, `--jsonl -` and an existing file that is not JSON Lines."""
    from .jsonl import check_jsonl

    if path == STDOUT_NAME:
        raise UsageError("--jsonl takes a file name, not - (--json - writes the results to standard output)")
    check_jsonl(path)


def _open_jsonl(path: Path | None) -> JsonlLog | None:
    """The --jsonl file, opened for appending (a cut-off last line is removed), or None."""
    if path is None:
        return None
    from .jsonl import JsonlLog

    try:
        return JsonlLog.open(path)
    except OSError as error:
        raise UsageError(f"cannot write {printable(str(path))} ({error.strerror or error})") from None


def _write_outputs(result: RunResult, report: Path | None, json_path: Path | None) -> list[str]:
    """Write each requested output; return one line per output that could not be written."""
    from .report import get_writer, remove_stale_temporaries, write_atomic

    failures = []
    for path, fmt in ((report, "markdown"), (json_path, "json")):
        if path is None or path == STDOUT_NAME:  # written by _StdoutOutput.finish
            continue
        remove_stale_temporaries(path)  # left by an interrupted run
        try:
            write_atomic(path, get_writer(fmt)(result))
        except OSError as error:  # still try the other output
            failures.append(f"cannot write {printable(str(path))} ({error.strerror or error})")
    return failures


@contextmanager
def _existing_cache(args: argparse.Namespace, *, move_foreign: bool = True) -> Iterator[ResultCache | None]:
    """The cache named by --cache-dir, or None when it has no file yet; warnings are printed,
    except that the file is not a cache of ours when it is left alone (`cache.foreign` says it)."""
    directory = settings.cache_dir(args.cache_dir)
    if not (directory / DATABASE_NAME).exists():
        print(f"cache: {directory / DATABASE_NAME} (empty: no cache file yet)")
        yield None
        return
    cache = ResultCache(directory, move_foreign=move_foreign)
    try:
        for warning in cache.warnings if cache.foreign is None else ():
            _print_error(warning, label="warning")
        yield cache
    finally:
        cache.close()


def cache_info_command(args: argparse.Namespace) -> int:
    """`translate-cli cache info`: location, state, entries per stage, size, and the model store.

    Exits 4 when the cache file is damaged or not a cache of translate-cli; changes nothing.
    """
    results_size, status = 0, EXIT_OK
    with _existing_cache(args, move_foreign=False) as cache:
        if cache is not None:
            print(f"cache: {cache.path}")
            if cache.foreign is not None:
                print(
                    f"  {'state':<13} not a cache of translate-cli ({printable(cache.foreign)}): "
                    "`translate-cli cache clear` moves it aside and starts a new one"
                )
                status = CacheError.exit_status
            else:
                status = _show_cache_state(cache)
            results_size = cache.size_bytes()
            print(f"  {'size':<13} {_human_size(results_size):>8}")
    store = _model_store(args)
    models = _stored_models(store)
    models_size = sum(_folder_size(model) for model in models)
    print(f"models: {store} ({len(models)} converted model{'' if len(models) == 1 else 's'})")
    print(f"  {'size':<13} {_human_size(models_size):>8}")
    print(f"total: {_human_size(results_size + models_size)} in {store.parent}")
    return status


def _show_cache_state(cache: ResultCache) -> int:
    """Print the state of a cache of ours and its entries per stage; the exit status it earns."""
    if cache.state == UNAVAILABLE:
        raise CacheError(cache.warnings[0])
    problem = cache.check()
    if problem is not None or cache.state == DAMAGED:
        problem = problem or "unreadable pages"
        print(f"  {'state':<13} damaged ({problem}): `translate-cli cache clear` starts it anew")
        return CacheError.exit_status
    print(f"  {'state':<13} {cache.state}")
    for stage, count in cache.counts().items():
        print(f"  {stage:<13} {count:>8} entries")
    return EXIT_OK


def _model_store(args: argparse.Namespace) -> Path:
    from .pipeline import MODEL_STORE

    return settings.cache_dir(args.cache_dir) / MODEL_STORE


def _stored_models(store: Path) -> list[Path]:
    """The converted models in the store (finished ones and interrupted conversions)."""
    try:
        return sorted(p for p in store.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError:  # no store yet
        return []


def _folder_size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        except OSError:
            continue
    return total


def _clear_model_store(store: Path) -> int:
    """Delete every converted model in the store; returns how many. The next run converts again."""
    import shutil

    from .engines import DECISION_SUFFIX

    models = _stored_models(store)
    for model in models:
        try:
            shutil.rmtree(model)
        except OSError as error:
            raise UsageError(f"cannot delete {model} ({error.strerror or error})") from None
    for leftover in store.glob("*.lock") if models or store.is_dir() else ():
        leftover.unlink(missing_ok=True)
    for decision in store.glob(f"*{DECISION_SUFFIX}") if store.is_dir() else ():
        decision.unlink(missing_ok=True)  # which engine ran is decided afresh, with the conversion
    return len(models)


def cache_clear_command(args: argparse.Namespace) -> int:
    """`translate-cli cache clear`: delete all entries, one stage's, or (--models) the model store.

    A damaged cache, or one on a full disk, is started anew.
    """
    if args.models:
        store = _model_store(args)
        size = sum(_folder_size(model) for model in _stored_models(store))
        deleted = _clear_model_store(store)
        print(f"deleted {deleted} converted models ({_human_size(size)}) from {store}")
        return EXIT_OK
    with _existing_cache(args) as cache:
        if cache is None:
            return EXIT_OK
        try:
            deleted = cache.clear(args.stage)
        except CacheError:
            if args.stage is not None:
                raise
            cache.reset()  # damaged, or on a full disk: delete the files and start an empty cache
            print(f"started {cache.path} anew: every cached result was deleted")
        else:
            print(f"deleted {deleted} {args.stage or 'cached'} entries from {cache.path}")
    return EXIT_OK


def _configured_models(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    """(role, model name, option) for each configured model."""
    return [
        ("translation", settings.mt_model(args.mt_model), "--mt-model"),
        ("summary", settings.summary_model(args.summary_model), "--summary-model"),
    ]


def models_list_command(args: argparse.Namespace) -> int:
    """`translate-cli models list`: each model and whether it is present locally."""
    from .hub import find_model

    missing = False
    for role, name, _ in _configured_models(args):
        try:
            info = find_model(name)
        except TranslateCliError as error:
            info, state = None, f"unusable: {error}"
        else:
            state = f"present at {info.path}" if info else "not downloaded"
        missing = missing or info is None
        print(f"{role:<12} {name}  ({state})")
    return EXIT_MODEL_MISSING if missing else EXIT_OK


def models_download_command(args: argparse.Namespace) -> int:
    """`translate-cli models download`: fetch the configured models into the HF cache."""
    from .hub import download_model, find_model, hub_offline

    if hub_offline():
        missing = [name for _, name, _ in _configured_models(args) if find_model(name) is None]
        if missing:
            raise ModelUnavailable(
                f"offline mode is on (HF_HUB_OFFLINE is set), so {' and '.join(missing)} cannot be "
                "downloaded; unset HF_HUB_OFFLINE on a machine with network and run this again"
            )
        _print_error(
            "offline mode is on (HF_HUB_OFFLINE is set): the local copies were not updated", label="note"
        )
        for role, name, _ in _configured_models(args):
            info = find_model(name)
            print(f"{role:<12} {info.describe()}  ({info.path})")
        return EXIT_OK
    for role, name, option in _configured_models(args):
        info = download_model(name, option=option)
        print(f"{role:<12} {info.describe()}  ({info.path})")
    return EXIT_OK


def models_path_command(args: argparse.Namespace) -> int:
    """`translate-cli models path`: the local folder of each model, without downloading."""
    from .hub import find_model, missing_model_message

    for _, name, option in _configured_models(args):
        info = find_model(name)
        if info is None:
            raise ModelUnavailable(missing_model_message(name, "not downloaded yet", option))
        print(info.path)
    return EXIT_OK


def _human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"


def _print_error(message: str, *, label: str = "error") -> None:
    print(f"translate-cli: {label}: {printable(message)}", file=sys.stderr)
