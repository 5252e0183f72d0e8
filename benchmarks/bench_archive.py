"""Articles per minute for an archive: a local run, and `--ray` with 1 and 2 actors.

Builds random-weight checkpoints of the real models' shapes (opus-mt-sq-en and
distilbart-cnn-12-6, as in bench_throughput.py; every output runs to its length cap) and an
archive of distinct articles made from the seed articles. Each method is one whole
`translate-cli run` in its own process, timed from start to exit, on the same inputs, the same
models and an empty result cache (the models' CTranslate2 conversions are made once, before any
timing). The `--ray` runs start their own local Ray, as a user's would, so their time includes
Ray's start-up; that start-up is also timed alone. Every run's articles must equal the local run's.

    python benchmarks/bench_archive.py                 # 8 articles; about 15 minutes on 2 cores
    python benchmarks/bench_archive.py --copies 2      # 4 articles
    python benchmarks/bench_archive.py --device cuda --backend transformers --no-ray --copies 32
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from checkpoints import SEEDS, build_bart, build_marian  # noqa: E402

from translate_cli.ct2 import converted_model  # noqa: E402
from translate_cli.data import ModelInfo  # noqa: E402
from translate_cli.hub import model_fingerprint  # noqa: E402

BEAMS = 4


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


def build_models(work: Path, convert: bool = True) -> tuple[Path, Path, Path]:
    """The two real-shape checkpoints, and a model store holding their conversions."""
    mt_dir = build_marian(
        work / "opus-mt-shape", vocab_size=59158, d_model=512, layers=6, heads=8, ffn=2048,
        max_positions=512, beams=BEAMS, suppress_eos=True,
    )  # fmt: skip
    summary_dir = build_bart(
        work / "distilbart-shape", vocab_size=50264, d_model=1024, encoder_layers=12,
        decoder_layers=6, heads=16, ffn=4096, max_positions=1024, max_length=142, min_length=56,
        beams=BEAMS, suppress_eos=True,
    )  # fmt: skip
    store = work / "store" / "models"
    store.mkdir(parents=True)
    for folder in (mt_dir, summary_dir) if convert else ():
        info = ModelInfo(name=str(folder), path=folder)
        converted_model(info, store, model_fingerprint(info))
    return mt_dir, summary_dir, store


def timed_run(
    name: str, extra: list[str], archive: Path, models: tuple[Path, Path, Path], work: Path, device: str
) -> tuple[float, dict]:
    """One whole `translate-cli run` on an empty result cache: wall seconds, and its JSON."""
    mt_dir, summary_dir, store = models
    cache = work / f"cache-{name}"
    shutil.copytree(store, cache / "models", copy_function=os.link)  # converted once, not timed
    output = work / f"{name}.json"
    command = [
        sys.executable, "-m", "translate_cli", "run", str(archive), "--mt-model", str(mt_dir),
        "--summary-model", str(summary_dir), "--cache-dir", str(cache), "--device", device,
        "--json", str(output), "-q", *extra,
    ]  # fmt: skip
    started = time.perf_counter()
    finished = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"}
    )
    seconds = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"{name} failed ({finished.returncode}): {finished.stderr}")
    return seconds, json.loads(output.read_text(encoding="utf-8"))


def ray_startup_seconds() -> float:
    """A local Ray's start and shutdown, as `--ray` does them, in a fresh process."""
    code = (
        "import logging, time; t = time.perf_counter(); import ray; "
        "ray.init(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR); "
        "ray.shutdown(); print(time.perf_counter() - t)"
    )
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(finished.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=4, help="versions of each seed article (default 4)")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where models run (cpu)")
    parser.add_argument("--backend", default="auto", help="inference engine (auto)")
    parser.add_argument("--chunk-sentences", type=int, help="as the option of that name")
    parser.add_argument("--no-ray", action="store_true", help="only the local run")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {platform.system()}"
    print(f"machine: {machine}")
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as scratch:
        work = Path(scratch)
        archive = work / "archive"
        articles = make_archive(archive, args.copies)
        models = build_models(work, convert=args.backend != "transformers")
        print(f"models built; {articles} articles", flush=True)
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
            seconds, document = timed_run(name, extra, archive, models, work, args.device)
            if reference is None:
                reference = document["articles"]
            elif document["articles"] != reference:
                raise SystemExit(f"{label}: its articles differ from the local run's")
            sentences = sum(len(p["sentences"]) for a in document["articles"] for p in a["paragraphs"])
            rows.append((label, seconds, document["cache"]["misses"], sentences))
            print(f"{label}: {seconds:.1f} s", flush=True)
        startup = None if args.no_ray else ray_startup_seconds()
    local_seconds = rows[0][1]
    lines = [
        f"Articles: {articles} ({rows[0][3]} sentences), beam {BEAMS}; every output runs to its cap.",
        "",
        "| method | seconds | articles/min | vs local |",
        "|---|---:|---:|---:|",
    ]
    for label, seconds, _misses, _ in rows:
        lines.append(
            f"| {label} | {seconds:.1f} | {articles * 60 / seconds:.1f} | {local_seconds / seconds:.2f}× |"
        )
    engine = document["models"]["translation"]  # the engine that ran, as the JSON names it
    lines += ["", f"Engine: {engine.get('backend')} {engine.get('compute_type')} on {engine.get('device')}."]
    if startup is not None:
        lines += [f"A local Ray's start and shutdown alone: {startup:.1f} s."]
    print("\n".join(lines))
    if args.json:
        figures = {"machine": machine, "articles": articles, "rows": rows, "ray_startup_seconds": startup}
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
