"""Time and peak memory of one very long article through the whole CLI, on the tiny test checkpoints.

The article is made of the seed articles' paragraphs, each made distinct by a number, up to the
size asked for. Each size runs in a fresh process with a fresh cache (CTranslate2 backend, CPU),
killed at the time limit. What is measured is the pipeline's own cost at a given text length
(reading, segmenting, translating, chunked summarizing, writing the JSON), not model quality.

    python benchmarks/bench_long_article.py                    # 1 MB and 4.9 MB, 20 minutes each at most
    python benchmarks/bench_long_article.py --sizes 200KB --limit 300
    python benchmarks/bench_long_article.py --code ../old-checkout     # the same on other code
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from checkpoints import SEEDS, build_bart, build_marian  # noqa: E402

from translate_cli.settings import parse_size  # noqa: E402


def make_article(path: Path, size: int) -> int:
    """Write an article of about `size` bytes; return its paragraph count."""
    paragraphs = [p for f in sorted(SEEDS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n")]
    paragraphs = [p for p in paragraphs if p.strip() and not p.startswith("date ")]
    parts, total = [], 0
    while total < size:
        # Every sentence numbered: no two paragraphs, and so no two chunks, are alike.
        parts.append(paragraphs[len(parts) % len(paragraphs)].replace(". ", f" {len(parts)}. "))
        total += len(parts[-1].encode("utf-8")) + 2
    path.write_text("date 2023-09\n\n" + "\n\n".join(parts) + "\n", encoding="utf-8")
    return len(parts)


def measure(
    article: Path, models: Path, work: Path, limit: float, code: Path
) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak RSS in MB, and the outcome of one CLI run in a child process.

    CPU time is the figure to compare on a shared machine, where wall time depends on the load.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [
        *(sys.executable, "-m", "translate_cli", "run", str(article)),
        *("--mt-model", str(models / "marian"), "--summary-model", str(models / "bart")),
        *("--cache-dir", str(work / "cache"), "--device", "cpu", "--max-size", "10MB", "-q"),
        *("--json", str(work / "out.json")),
    ]
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, err = child.communicate(timeout=limit)
        outcome = f"exit {child.returncode}" + (f": {err.decode()[-200:]}" if child.returncode else "")
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        done = cached_entries(work / "cache")
        outcome = f"still running after {limit:.0f} s, killed; cached by then: {done}"
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, after.ru_maxrss / 1024, outcome  # maxrss: the largest child so far


def cached_entries(cache: Path) -> str:
    """Entries per stage in a run's cache, to tell how far a killed run got."""
    try:
        connection = sqlite3.connect(f"file:{cache / 'results.sqlite3'}?mode=ro", uri=True)
        try:
            rows = connection.execute("SELECT stage, COUNT(*) FROM results GROUP BY stage").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as error:
        return f"unknown ({error})"
    return ", ".join(f"{count} {stage}" for stage, count in sorted(rows)) or "nothing"


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages: wall times on a shared machine depend on them."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", default=["1MB", "4.9MB"])
    parser.add_argument("--limit", type=float, default=1200, help="wall seconds before a run is killed")
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT,
        help="checkout whose translate_cli runs, to compare before and after",
    )
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average before: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="bench-long-") as folder:
        work = Path(folder)
        build_marian(work / "marian")
        build_bart(work / "bart")
        for size in sorted(parse_size(text) for text in args.sizes):  # peak RSS only grows
            article = work / f"article-{size}.txt"
            paragraphs = make_article(article, size)
            run = work / f"run-{size}"
            run.mkdir()
            wall, cpu, peak, outcome = measure(article, work, run, args.limit, args.code.resolve())
            shown = f"{size / 1e6:.1f} MB ({paragraphs} paragraphs)"
            print(f"{shown}: {wall:.0f} s wall, {cpu:.0f} s CPU, peak RSS {peak:.0f} MB, {outcome}")
            print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
