"""Articles per minute for an archive: a local run, and `--ray` with 1 and 2 actors.

Builds random-weight checkpoints of the real models' shapes (opus-mt-sq-en and
distilbart-cnn-12-6) and an archive of distinct articles made from the seed articles. Each
method is one whole `translate-cli run` in its own process, timed from start to exit, on the
same inputs, the same models and an empty result cache (the models' CTranslate2 conversions are
made once, before any timing). The `--ray` runs start their own local Ray, as a user's would,
so their time includes Ray's start-up; that start-up is also timed alone. Every run's articles
must equal the local run's.

Random weights never end an output by themselves, so the checkpoints end them where a real
model would, to measure the pipeline on a real model's amount of work:
- every output runs to a fixed length (the end-of-sequence token is biased away), and that
  length is set in each checkpoint's generation config: translations at most 63 tokens (or the
  pipeline's own cap of twice the input plus 10, if less; a real opus-mt translation of one of
  these sentences, about 35 words, is about 45 to 60 tokens), summaries 80 tokens
  (distilbart-cnn-12-6 writes 56 to 141);
- outputs use only the tokenizers' trained pieces, never the filler ids that pad the
  vocabularies to their real sizes (each decodes to a dozen-character "<unusedN>"), and the
  summarizer's tokenizer has 2,000 trained pieces; so a translation has about as many
  characters as its source, and an article's translation fits the summarizer's input as a
  real one does.
Without these bounds (the first version of this script), each translation ran to 2x+10
tokens of fillers, an article's translation read back as several thousand summarizer tokens,
and the summary took rounds of chunk summaries: over 12 minutes for 4 articles on 2 cores.
What remains unlike a real model: random output repeats itself, so every translation is
retried once with repetition constraints (twice a real model's translation work; the figures
count it, and it is the same for every method).

    python benchmarks/bench_archive.py                 # 4 articles; about 4 minutes on 2 cores
    python benchmarks/bench_archive.py --copies 1      # 2 articles
    python benchmarks/bench_archive.py --device cuda --backend transformers --no-ray --copies 32
    python benchmarks/bench_archive.py --memory 40 400  # peak memory, local runs; about 2 minutes

`--memory` times local runs over N articles of two sentences each, written with --jsonl in
chunks of 64 sentences (--chunk-sentences), and reports each run's peak memory: it should not
grow with N. Its checkpoints end every output at 8 tokens; what a run holds is the models and
one chunk, whatever the outputs' length.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from checkpoints import SEEDS, build_bart, build_marian, seed_lines  # noqa: E402

from translate_cli.ct2 import converted_model  # noqa: E402
from translate_cli.data import ModelInfo  # noqa: E402
from translate_cli.hub import model_fingerprint  # noqa: E402

BEAMS = 4
#: Where the checkpoints end their outputs, as a real model would (see above).
TRANSLATION_TOKENS = 63
SUMMARY_TOKENS = 80


def make_archive(folder: Path, copies: int) -> int:
    """`copies` distinct versions of each seed article; returns how many articles."""
    folder.mkdir()
    count = 0
    for copy in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            text = seed.read_text(encoding="utf-8").replace(".", f" {copy}.")
            (folder / f"{copy:03d}-{seed.name}").write_text(text, encoding="utf-8")
            count += 1
    return count


def make_small_archive(folder: Path, count: int) -> int:
    """`count` distinct articles of two seed sentences each; returns `count`."""
    folder.mkdir()
    sentences = [line for line in seed_lines() if len(line.split()) >= 8]
    for number in range(count):
        first, second = (sentences[(2 * number + k) % len(sentences)] for k in (0, 1))
        text = f"{first.rstrip('.')} {number}.\n\n{second}\n"
        (folder / f"{number:05d}.txt").write_text(text, encoding="utf-8")
    return count


def build_models(
    work: Path,
    convert: bool = True,
    translation_tokens: int = TRANSLATION_TOKENS,
    summary_tokens: int = SUMMARY_TOKENS,
) -> tuple[Path, Path, Path]:
    """The two real-shape checkpoints, and a model store holding their conversions."""
    mt_dir = build_marian(
        work / "opus-mt-shape", vocab_size=59158, d_model=512, layers=6, heads=8, ffn=2048,
        max_positions=512, max_length=translation_tokens + 1, beams=BEAMS, suppress_eos=True,
        trained_pieces_only=True,
    )  # fmt: skip
    summary_dir = build_bart(
        work / "distilbart-shape", vocab_size=50264, d_model=1024, encoder_layers=12,
        decoder_layers=6, heads=16, ffn=4096, max_positions=1024, max_length=summary_tokens + 1,
        min_length=min(56, summary_tokens), beams=BEAMS, suppress_eos=True, trained_pieces_only=True,
        trained_vocab=2000,
    )  # fmt: skip
    store = work / "store" / "models"
    store.mkdir(parents=True)
    for folder in (mt_dir, summary_dir) if convert else ():
        info = ModelInfo(name=str(folder), path=folder)
        converted_model(info, store, model_fingerprint(info))
    return mt_dir, summary_dir, store


#: Runs `python -m translate_cli ARGS` and writes its peak memory (VmHWM, in kB) to a file.
#: The peak is read inside the process: the rusage of a child includes its parent's memory from
#: before its exec, and this script's parent holds torch and a built model.
LAUNCH = """
import runpy, sys
peak_file = sys.argv.pop(1)
try:
    runpy.run_module("translate_cli", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(peak_file, "w") as out:
        out.write(peak)
"""


def timed_run(
    name: str,
    extra: list[str],
    archive: Path,
    models: tuple[Path, Path, Path],
    work: Path,
    device: str,
    timeout: float,
) -> tuple[float, int, dict]:
    """One whole `translate-cli run` on an empty result cache: wall seconds, the peak memory of
    its process in MB (the driver's, for --ray: the actors are other processes), and its JSON."""
    mt_dir, summary_dir, store = models
    cache = work / f"cache-{name}"
    shutil.copytree(store, cache / "models", copy_function=os.link)  # converted once, not timed
    output = work / f"{name}.json"
    peak_file = work / f"{name}.peak"
    command = [
        sys.executable, "-c", LAUNCH, str(peak_file), "run", str(archive), "--mt-model", str(mt_dir),
        "--summary-model", str(summary_dir), "--cache-dir", str(cache), "--device", device, "-q",
        *(extra if "--jsonl" in extra else ["--json", str(output), *extra]),
    ]  # fmt: skip
    errors = work / f"{name}.stderr"
    started = time.perf_counter()
    with errors.open("w") as stderr:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=stderr, env={**os.environ, "HF_HUB_OFFLINE": "1"}
        )
        timer = threading.Timer(timeout, process.kill)  # a bounded benchmark: no run goes on forever
        timer.start()
        try:
            _, status = os.waitpid(process.pid, 0)
        finally:
            timer.cancel()
    seconds = time.perf_counter() - started
    if seconds >= timeout:
        raise SystemExit(f"{name} did not finish within {timeout:.0f} s (--run-timeout)")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name} failed ({os.waitstatus_to_exitcode(status)}): {errors.read_text()}")
    document = json.loads(output.read_text(encoding="utf-8")) if output.exists() else {}
    return seconds, int(peak_file.read_text()) // 1024, document


def ray_startup_seconds() -> float:
    """A local Ray's start and shutdown, as `--ray` does them, in a fresh process."""
    code = (
        "import logging, time; t = time.perf_counter(); import ray; "
        "ray.init(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR); "
        "ray.shutdown(); print(time.perf_counter() - t)"
    )
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(finished.stdout.strip().splitlines()[-1])


def memory(counts: list[int], chunk_sentences: int, timeout: float) -> None:
    """Peak memory of local runs over `counts` small articles, written as they finish (--jsonl)."""
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as scratch:
        work = Path(scratch)
        models = build_models(work, translation_tokens=MEMORY_TOKENS, summary_tokens=MEMORY_TOKENS)
        print(f"Load average before the runs: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print("\n| articles | sentences | seconds | peak memory |\n|---:|---:|---:|---:|")
        for count in counts:
            archive = work / f"archive-{count}"
            make_small_archive(archive, count)
            jsonl = work / f"{count}.jsonl"
            extra = ["--jsonl", str(jsonl), "--chunk-sentences", str(chunk_sentences)]
            seconds, peak, _ = timed_run(f"memory-{count}", extra, archive, models, work, "cpu", timeout)
            lines = jsonl.read_text(encoding="utf-8").splitlines()
            if len(lines) != count or any(json.loads(line)["error"] for line in lines):
                raise SystemExit(f"{count} articles: the JSON Lines file is not whole")
            sentences = sum(len(p["sentences"]) for line in lines for p in json.loads(line)["paragraphs"])
            print(f"| {count} | {sentences} | {seconds:.0f} | {peak} MB |", flush=True)
        print(f"Load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


#: Output length of the memory runs' checkpoints: what they measure is what a run holds, which
#: the models' weights and one chunk dominate, not how long outputs are.
MEMORY_TOKENS = 8


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=2, help="versions of each seed article (default 2)")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where models run (cpu)")
    parser.add_argument("--backend", default="auto", help="inference engine (auto)")
    parser.add_argument("--chunk-sentences", type=int, help="as the option of that name")
    parser.add_argument("--no-ray", action="store_true", help="only the local run")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--run-timeout", type=float, default=600, help="most seconds one run may take (default 600)"
    )
    parser.add_argument(
        "--memory",
        type=int,
        nargs="+",
        metavar="N",
        help="instead: the peak memory of local runs over N small articles each (e.g. 40 400)",
    )
    args = parser.parse_args()
    if args.memory:
        memory(args.memory, args.chunk_sentences or 64, args.run_timeout)
        return
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {platform.system()}"
    print(f"machine: {machine}")
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as scratch:
        work = Path(scratch)
        archive = work / "archive"
        articles = make_archive(archive, args.copies)
        models = build_models(work, convert=args.backend != "transformers")
        print(f"models built; {articles} articles", flush=True)
        load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
        common = ["--backend", args.backend]
        if args.chunk_sentences:
            common += ["--chunk-sentences", str(args.chunk_sentences)]
        methods = [("local run", "local", common)]
        if not args.no_ray:
            methods += [
                ("--ray, 1 actor", "ray-1", [*common, "--ray", "--ray-actors", "1"]),
                ("--ray, 2 actors", "ray-2", [*common, "--ray", "--ray-actors", "2"]),
            ]
        rows = []
        reference = None
        for label, name, extra in methods:
            seconds, peak, document = timed_run(
                name, extra, archive, models, work, args.device, args.run_timeout
            )
            if reference is None:
                reference = document["articles"]
            elif document["articles"] != reference:
                raise SystemExit(f"{label}: its articles differ from the local run's")
            rows.append((label, seconds, peak))
            print(f"{label}: {seconds:.1f} s, peak {peak} MB", flush=True)
        startup = None if args.no_ray else ray_startup_seconds()
    local_seconds = rows[0][1]
    load_after = " ".join(f"{x:.1f}" for x in os.getloadavg())
    sentences = [s for a in reference or [] for p in a["paragraphs"] for s in p["sentences"]]
    retried = sum(s["retried"] for s in sentences)
    lines = [
        f"Articles: {articles} ({len(sentences)} sentences, {retried} of them retried), beam {BEAMS}; "
        f"translations of at most {TRANSLATION_TOKENS} tokens, summaries of {SUMMARY_TOKENS}.",
        f"Load average before the runs: {load_before}; after: {load_after}.",
        "",
        "| method | seconds | articles/min | vs local | driver's peak memory |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, seconds, peak in rows:
        lines.append(
            f"| {label} | {seconds:.1f} | {articles * 60 / seconds:.1f} | {local_seconds / seconds:.2f}× "
            f"| {peak} MB |"
        )
    engine = document["models"]["translation"]  # the engine that ran, as the JSON names it
    lines += ["", f"Engine: {engine.get('backend')} {engine.get('compute_type')} on {engine.get('device')}."]
    if startup is not None:
        lines += [f"A local Ray's start and shutdown alone: {startup:.1f} s."]
    print("\n".join(lines))
    if args.json:
        figures = {
            "machine": machine,
            "articles": articles,
            "rows": rows,
            "ray_startup_seconds": startup,
            "load_average": [load_before, load_after],
        }
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
