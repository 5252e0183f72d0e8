"""Throughput of this project's backends against plain transformers, at the real models' shapes.

Builds random-weight checkpoints shaped like opus-mt-sq-en (vocab 59158, d_model 512, 6+6
layers, 8 heads, ffn 2048) and distilbart-cnn-12-6 (d_model 1024, 12+6 layers, 16 heads, ffn
4096, vocab 50264). Their end-of-sequence logit is biased to -1e4, so every output runs to its
length cap: every method generates the same number of tokens. All translation inputs have exactly
32 source tokens, so each output is capped at 2 * 32 + 10 = 74 tokens; all summary inputs have
exactly 512 tokens, and each summary runs to the model's max_length of 142.

Each method runs in its own process, timed without model loading (except "CLI", whose wall time
includes start-up and loading), and reports output tokens per second and its peak memory. Each
row is printed as soon as it is measured, so a run cut short still leaves its figures. A method
that cannot run on this machine (CTranslate2 on a GPU without cuBLAS 12, say), or that takes
longer than --method-timeout, is reported as a skipped row with its reason; the others still run.
Everything is built locally: no network is used.

    python benchmarks/bench_throughput.py                # both stages, about 10 minutes on 2 cores
    python benchmarks/bench_throughput.py --stage translation --sentences 64
    python benchmarks/bench_throughput.py --device cuda --stage translation  # 256 sentences, <4 min
    python benchmarks/bench_throughput.py --stage startup  # time to the first batch, uncached run
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from queue import Empty

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # runs from a checkout, installed or not
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
# Every model is built here: never look for one on the Hub. And keep transformers' warnings (such
# as "Both max_new_tokens and max_length", once per generate call) and loading bars out of the
# figures; the child processes and the CLI inherit these.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_VERBOSITY"] = "error"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"

from checkpoints import build_bart, build_marian, seed_lines  # noqa: E402

from translate_cli.ct2 import converted_model, preload_cublas, store_path  # noqa: E402
from translate_cli.data import ModelInfo  # noqa: E402
from translate_cli.engines import ModelEngine, cpu_batching  # noqa: E402
from translate_cli.hub import model_fingerprint  # noqa: E402
from translate_cli.prompts import prompt_for_family  # noqa: E402
from translate_cli.segment import split_sentences  # noqa: E402
from translate_cli.summarize import Seq2SeqSummarizer  # noqa: E402
from translate_cli.tokenizer import load_tokenizer, quiet_transformers  # noqa: E402
from translate_cli.translate import Seq2SeqTranslator, output_cap  # noqa: E402

SOURCE_TOKENS = 32
ARTICLE_TOKENS = 512
BEAMS = 4
#: Batch sizes tried for plain batched transformers on a GPU; the best is reported.
PLAIN_BATCHES = (64, 128, 256)
#: Albanian text the snippets are cut from: the seed articles, then the trust sets' sources.
TRUST_SETS = sorted((ROOT / "benchmarks").glob("trust_set*.jsonl"))


class Skipped(Exception):
    """A method that cannot run on this machine; the row says why."""


def exact_length_texts(
    count_tokens: Callable[[str], int],
    length: int,
    wanted: int,
    single_sentence: Callable[[str], bool] | None = None,
    joiner: str = " ",
) -> list[str]:
    """Distinct snippets of Albanian text whose tokenization is exactly `length` tokens.

    With `single_sentence`, only snippets it accepts: so the CLI translates exactly these units.
    Distinct, because the CLI translates a repeated sentence once.
    """
    words = " ".join(albanian_lines()).split()
    texts: list[str] = []
    seen: set[str] = set()
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            text = joiner.join(words[start:end])
            tokens = count_tokens(text)
            if tokens == length:
                if text not in seen and (single_sentence is None or single_sentence(text)):
                    texts.append(text)
                    seen.add(text)
                break
            if tokens > length:
                break
        if len(texts) == wanted:
            return texts
    raise SystemExit(
        f"only {len(texts)} distinct snippets of exactly {length} tokens in the seed text and trust "
        f"sets; ask for fewer"
    )


def albanian_lines() -> list[str]:
    """The seed articles' lines, then each distinct Albanian source of the trust sets."""
    lines = seed_lines()
    for path in TRUST_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            source = json.loads(line).get("source") if line.strip() else None
            if isinstance(source, str) and source.strip():
                lines.append(source.strip())
    return list(dict.fromkeys(lines))


# --- the methods; each runs in a child process and returns (output tokens, seconds) -----------------


def plain_transformers(model_dir: str, texts: list[str], settings: dict) -> tuple[int, float]:
    """The baseline: AutoModelForSeq2SeqLM.generate on one input at a time, in float32."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    quiet_transformers()
    device = settings["device"]
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).to(device).eval()
    tokens, started = 0, time.perf_counter()
    with torch.inference_mode():
        for text in texts:
            encoded = tokenizer(text, return_tensors="pt").to(device)
            cap = settings.get("max_new_tokens") or output_cap(encoded["input_ids"].shape[1])
            generated = model.generate(**encoded, num_beams=BEAMS, max_new_tokens=cap)
            tokens += generated.shape[1] - 1  # less the decoder start token
    _synchronize(device)
    return tokens, time.perf_counter() - started


def plain_transformers_batched(model_dir: str, texts: list[str], settings: dict) -> tuple[int, float]:
    """Plain transformers in float16 on a GPU, in batches of the size that ran fastest."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    if settings["device"] != "cuda":
        raise Skipped("float16 batches are for a GPU")
    quiet_transformers()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir, dtype=torch.float16).to("cuda").eval()
    best: tuple[int, float, int] | None = None
    for size in PLAIN_BATCHES:
        tokens, started = 0, time.perf_counter()
        with torch.inference_mode():
            for start in range(0, len(texts), size):
                encoded = tokenizer(texts[start : start + size], return_tensors="pt", padding=True).to("cuda")
                cap = settings.get("max_new_tokens") or output_cap(SOURCE_TOKENS)
                generated = model.generate(**encoded, num_beams=BEAMS, max_new_tokens=cap)
                tokens += (generated.shape[1] - 1) * generated.shape[0]
        _synchronize("cuda")
        seconds = time.perf_counter() - started
        if best is None or tokens / seconds > best[0] / best[1]:
            best = (tokens, seconds, size)
    assert best is not None
    print(f"    plain float16: best batch {best[2]} of {PLAIN_BATCHES}", file=sys.stderr, flush=True)
    return best[0], best[1]


def _synchronize(device: str) -> None:
    if device == "cuda":
        import torch

        torch.cuda.synchronize()


def library(backend: str, model_dir: str, texts: list[str], settings: dict) -> tuple[int, float]:
    """This project's stage code on one engine, through the library, with its default batches."""
    from translate_cli.errors import ModelUnavailable

    info = ModelInfo(name=model_dir, path=Path(model_dir))
    engine = ModelEngine(
        info,
        model_fingerprint(info),
        backend=backend,
        device=settings["device"],
        store=Path(settings["store"]),
    )
    try:
        engine.load()  # before timing: loading and the probe
    except ModelUnavailable as error:
        raise Skipped(str(error)) from None
    engine.count_tokens(texts[0])  # and the tokenizer, as the raw engine does
    started = time.perf_counter()
    if settings["stage"] == "translation":
        Seq2SeqTranslator(engine, beams=BEAMS).translate(texts)
    else:
        summarizer = Seq2SeqSummarizer(engine, prompt_for_family("bart"), input_limit=1024, beams=BEAMS)
        summarizer.summarize(texts)
    _synchronize(engine.identity.device if backend == "transformers" else "cpu")
    return settings["expected_tokens"], time.perf_counter() - started


def raw_ctranslate2(model_dir: str, texts: list[str], settings: dict) -> tuple[int, float]:
    """CTranslate2's own engine on the same tokens, no project code in the loop, in batches of
    the library's default size on this device."""
    try:
        import ctranslate2
    except ImportError as error:
        raise Skipped(f"CTranslate2 is not installed ({error})") from None
    device = settings["device"]
    info = ModelInfo(name=model_dir, path=Path(model_dir))
    sources = load_tokenizer(info).tokenize(texts)
    if device == "cuda":
        preload_cublas()
    translator = ctranslate2.Translator(
        settings["converted"],
        device=device,
        compute_type="int8_float16" if device == "cuda" else "int8",
        intra_threads=(os.cpu_count() or 0) if device == "cpu" else 0,
    )
    options = {"beam_size": BEAMS, "max_batch_size": settings["batch_items"], "max_input_length": 0}
    if settings["stage"] == "translation":
        options["max_decoding_length"] = output_cap(SOURCE_TOKENS)
    else:
        options.update(
            max_decoding_length=settings["max_length"],
            min_decoding_length=settings["min_length"],
            no_repeat_ngram_size=3,
            length_penalty=2.0,
        )
    try:
        translator.translate_batch(sources[:1], beam_size=1, max_decoding_length=1)  # loads CUDA libraries
    except RuntimeError as error:
        raise Skipped(f"CTranslate2 cannot run on {device} ({error})") from None
    started = time.perf_counter()
    results = translator.translate_batch(sources, **options)
    seconds = time.perf_counter() - started
    return sum(len(r.hypotheses[0]) for r in results), seconds


def peak_memory_mb() -> float:
    """This process's peak resident memory. Unlike ru_maxrss, VmHWM starts afresh at exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(queue, method: str, args: tuple) -> None:
    try:
        tokens, seconds = METHODS[method](*args)
    except Skipped as skipped:
        queue.put(("skipped", str(skipped)))
        return
    except Exception as error:  # any other failure is a skipped row too: the table still comes out
        queue.put(("skipped", f"{type(error).__name__}: {error}"))
        return
    queue.put((tokens, seconds, peak_memory_mb()))


def _library_transformers(*args):
    return library("transformers", *args)


def _library_ctranslate2(*args):
    return library("ctranslate2", *args)


METHODS = {
    "plain": plain_transformers,
    "plain-batched": plain_transformers_batched,
    "library-transformers": _library_transformers,
    "library-ctranslate2": _library_ctranslate2,
    "raw-ctranslate2": raw_ctranslate2,
}

#: A row: (method, output tokens, seconds, peak memory in MB), or (method, reason) when skipped.
Row = tuple


#: Seconds a method may take, loading included, before its row is skipped (--method-timeout);
#: None waits as long as it takes. On a GPU every method should take well under a minute.
METHOD_TIMEOUT: float | None = None
CUDA_METHOD_TIMEOUT = 120.0


def measure(label: str, method: str, *args) -> Row:
    """Run one method in a fresh process: its row; skipped if it takes over METHOD_TIMEOUT."""
    print(f"  measuring {method} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")  # forking after torch has started threads can hang
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, method, args))
    process.start()
    result = None
    while result is None and (METHOD_TIMEOUT is None or time.perf_counter() - started < METHOD_TIMEOUT):
        try:
            result = queue.get(timeout=1)  # before join: a result in the pipe keeps the child alive
        except Empty:
            if not process.is_alive() and queue.empty():
                break
    timed_out = result is None and process.is_alive()
    process.join(timeout=10)
    if process.is_alive():
        process.kill()
        process.join()
    print(f"    {time.perf_counter() - started:.0f} s, loading included", file=sys.stderr, flush=True)
    if timed_out:
        return (label, f"did not finish within {METHOD_TIMEOUT:g} s (--method-timeout)")
    if result is None:
        return (label, f"the process died with status {process.exitcode}")
    if result[0] == "skipped":
        print(f"    skipped: {result[1]}", file=sys.stderr, flush=True)
        return (label, result[1])
    return (label, *result)


# Runs the CLI's main() and reports its peak memory, measured the same way as the other methods.
_CLI_WRAPPER = """
import sys
from translate_cli.cli import main
status = main(sys.argv[1:])
for line in open('/proc/self/status'):
    if line.startswith('VmHWM:'):
        print(int(line.split()[1]) / 1024, file=sys.stderr)
sys.exit(status)
"""


def measure_cli(
    mt_dir: Path, summary_dir: Path | None, texts: list[str], store: Path, work: Path, device: str = "cpu"
) -> tuple[float, float, int, str]:
    """`translate-cli run` on one article holding the texts, one paragraph each.

    Without `summary_dir` the run is --no-summary, so that it times translation alone.
    Returns wall seconds (start-up and loading included), peak memory in MB, how many
    translations were retried, and the engine that ran ("ctranslate2 int8_float16 cuda").
    """
    summary = ["--summary-model", str(summary_dir)] if summary_dir else ["--no-summary"]
    article = work / "article.txt"
    article.write_text("\n\n".join(texts), encoding="utf-8")
    command = [
        sys.executable, "-c", _CLI_WRAPPER, "run", str(article), "--mt-model", str(mt_dir),
        *summary, "--no-cache", "--cache-dir", str(store.parent),
        "--beams", str(BEAMS), "-q", "--device", device, "--json", str(work / "cli.json"),
    ]  # fmt: skip
    started = time.perf_counter()
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=METHOD_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise SystemExit(f"did not finish within {METHOD_TIMEOUT:g} s (--method-timeout)") from None
    seconds = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"translate-cli failed: {finished.stderr}")
    document = json.loads((work / "cli.json").read_text(encoding="utf-8"))
    retried = sum(s["retried"] for p in document["articles"][0]["paragraphs"] for s in p["sentences"])
    model = document["models"]["translation"]
    engine = f"{model['backend']} {model['compute_type']} {model['device']}"
    return seconds, float(finished.stderr.strip().splitlines()[-1]), retried, engine


class Table:
    """A Markdown table printed one row at a time, as each is measured; the first row is the
    baseline that the others' speeds are compared with."""

    def __init__(self, title: str) -> None:
        self.rows: list[Row] = []
        print(f"\n### {title}\n", flush=True)
        print("| method | output tokens | seconds | tokens/s | vs baseline | peak memory |", flush=True)
        print("|---|---:|---:|---:|---:|---:|", flush=True)

    def add(self, row: Row) -> None:
        """Print the row at once, and keep it."""
        self.rows.append(row)
        print(table_row(row, self.rows[0]), flush=True)


def table_row(row: Row, baseline: Row) -> str:
    """One Markdown row, with its speed against the baseline's when the baseline ran."""
    if len(row) != 4:
        return f"| {row[0]} | skipped: {row[1]} | | | | |"
    name, tokens, seconds, peak = row
    speed = tokens / seconds
    ratio = f"{speed / (baseline[1] / baseline[2]):.1f}×" if len(baseline) == 4 else "–"
    return f"| {name} | {tokens} | {seconds:.1f} | {speed:.0f} | {ratio} | {peak:.0f} MB |"


# Runs the CLI and prints the time of its first batch, and whether torch was loaded by then.
_STARTUP_WRAPPER = """
import os, sys, time
from translate_cli import engines

def first_batch(*args, **kwargs):
    print(time.time(), 'torch' in sys.modules, file=sys.stderr, flush=True)
    os._exit(0)

engines.generate = first_batch
from translate_cli.cli import main
sys.exit(main(sys.argv[1:]))
"""


def measure_startup(
    mt_dir: Path, texts: list[str], store: Path, work: Path, runs: int = 5
) -> list[tuple[float, bool]]:
    """Seconds from starting `translate-cli run --no-cache` to its first batch, with the model
    already converted, and whether torch was imported by then; one pair per run."""
    article = work / "startup.txt"
    article.write_text("\n\n".join(texts), encoding="utf-8")
    command = [
        sys.executable, "-c", _STARTUP_WRAPPER, "run", str(article), "--mt-model", str(mt_dir),
        "--no-summary", "--no-cache", "--cache-dir", str(store.parent), "-q", "--device", "cpu",
    ]  # fmt: skip
    found = []
    for _ in range(runs):
        started = time.time()
        finished = subprocess.run(command, capture_output=True, text=True)
        stamp, torch_loaded = finished.stderr.strip().splitlines()[-1].split()
        found.append((float(stamp) - started, torch_loaded == "True"))
    return found


def main() -> None:
    global METHOD_TIMEOUT
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--stage",
        choices=["translation", "summary", "memory", "startup", "both"],
        default="both",
        help="memory: only the peak of one CLI run with both default-shape models; "
        "startup: only the time an uncached run takes to its first batch",
    )
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where to run (default cpu)")
    parser.add_argument("--sentences", type=int, help="translation inputs (default 128; 256 on cuda)")
    parser.add_argument(
        "--baseline-sentences",
        type=int,
        help="of those, for the one-at-a-time baseline (default 16; 8 on cuda)",
    )
    parser.add_argument(
        "--method-timeout",
        type=float,
        help=f"seconds one method may take before its row is skipped (default: none; "
        f"{CUDA_METHOD_TIMEOUT:.0f} on cuda)",
    )
    parser.add_argument("--articles", type=int, help="summary inputs (default 4; 16 on cuda)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    cuda = args.device == "cuda"
    METHOD_TIMEOUT = args.method_timeout or (CUDA_METHOD_TIMEOUT if cuda else None)
    sentences = args.sentences or (256 if cuda else 128)
    # One at a time on a GPU, every output waits for 74 decoding steps of a few milliseconds each:
    # its speed does not depend on how many, so few keep the run short.
    baseline_sentences = args.baseline_sentences or (8 if cuda else 16)
    articles = args.articles or (16 if cuda else 4)
    # The library's default batch on this device, for the raw engine: same batches, no project code.
    batch_items = 256 if cuda else cpu_batching().max_items
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, {platform.system()}"
        + (f", {_gpu_name()}" if cuda else "")
    )
    figures: dict[str, list] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        work = Path(scratch)
        store = work / "cache" / "models"
        if args.stage in ("translation", "memory", "startup", "both"):
            mt_dir = build_marian(
                work / "opus-mt-shape", vocab_size=59158, d_model=512, layers=6, heads=8, ffn=2048,
                max_positions=512, beams=BEAMS, suppress_eos=True,
            )  # fmt: skip
            info = ModelInfo(name=str(mt_dir), path=mt_dir)
            _convert(info, store)
            tokenizer = load_tokenizer(info)
            texts = translation_texts = exact_length_texts(
                lambda text: len(tokenizer.tokenize([text])[0]),
                SOURCE_TOKENS,
                sentences,
                lambda t: split_sentences(t) == [t],
            )
            if args.stage == "startup":
                runs = measure_startup(mt_dir, texts, store, work)
                seconds = sorted(s for s, _ in runs)
                print(
                    f"start-up to the first batch, uncached, model already converted ({len(runs)} runs): "
                    f"median {seconds[len(seconds) // 2]:.2f} s, best {seconds[0]:.2f} s; "
                    f"torch imported by then: {any(t for _, t in runs)}"
                )
                figures["startup"] = runs
            expected = len(texts) * output_cap(SOURCE_TOKENS)
            settings = {
                "stage": "translation", "store": str(store), "expected_tokens": expected,
                "device": args.device, "batch_items": batch_items,
                "converted": str(store_path(store, model_fingerprint(info))),
            }  # fmt: skip
            if args.stage in ("translation", "both"):
                rows = Table(
                    f"Translation: {len(texts)} sentences of {SOURCE_TOKENS} tokens, beam {BEAMS}, "
                    f"{args.device}; the baseline ran the first {min(baseline_sentences, len(texts))}"
                )
                rows.add(
                    measure(
                        "plain transformers, float32, one sentence at a time",
                        "plain",
                        str(mt_dir),
                        texts[:baseline_sentences],
                        settings,
                    )
                )
                if cuda:
                    rows.add(
                        measure(
                            "plain transformers, float16, its best batch",
                            "plain-batched",
                            str(mt_dir),
                            texts,
                            settings,
                        )
                    )
                for label, method in [
                    ("translate-cli library, transformers engine", "library-transformers"),
                    ("translate-cli library, CTranslate2 engine", "library-ctranslate2"),
                    ("raw CTranslate2 engine, same tokens and batches", "raw-ctranslate2"),
                ]:
                    rows.add(measure(label, method, str(mt_dir), texts, settings))
                rows.add(_cli_row(mt_dir, texts, store, work, args.device, expected))
                figures["translation"] = rows.rows
        if args.stage in ("summary", "memory", "both"):
            summary_dir = build_bart(
                work / "distilbart-shape", vocab_size=50264, d_model=1024, encoder_layers=12,
                decoder_layers=6, heads=16, ffn=4096, max_positions=1024, max_length=142, min_length=56,
                beams=BEAMS, suppress_eos=True,
            )  # fmt: skip
            info = ModelInfo(name=str(summary_dir), path=summary_dir)
            _convert(info, store)
            tokenizer = load_tokenizer(info)
            texts = exact_length_texts(
                lambda text: len(tokenizer.tokenize([text])[0]), ARTICLE_TOKENS, articles
            )
            settings = {
                "stage": "summary", "store": str(store), "max_length": 141, "min_length": 55,
                "expected_tokens": len(texts) * 141, "device": args.device, "batch_items": batch_items // 4,
                "converted": str(store_path(store, model_fingerprint(info))),
            }  # fmt: skip
            if args.stage != "memory":
                rows = Table(
                    f"Summaries: {len(texts)} articles of {ARTICLE_TOKENS} tokens, "
                    f"beam {BEAMS}, {args.device}"
                )
                rows.add(
                    measure(
                        "plain transformers, float32, one article at a time",
                        "plain",
                        str(summary_dir),
                        texts,
                        {"max_new_tokens": 141, "device": args.device},
                    )
                )
                for label, method in [
                    ("translate-cli library, transformers engine", "library-transformers"),
                    ("translate-cli library, CTranslate2 engine", "library-ctranslate2"),
                    ("raw CTranslate2 engine, same tokens", "raw-ctranslate2"),
                ]:
                    rows.add(measure(label, method, str(summary_dir), texts, settings))
                figures["summary"] = rows.rows
            if args.stage in ("memory", "both") and not cuda:  # both default-shape models in one CLI run
                # Memory, not speed: a short article, or the random output takes long to summarize.
                seconds, peak, _, _ = measure_cli(mt_dir, summary_dir, translation_texts[:16], store, work)
                print(
                    f"\ntranslate-cli run with both default-shape models (16 sentences, then their summary): "
                    f"{seconds:.1f} s wall, peak memory {peak:.0f} MB"
                )
                figures["cli_both_models"] = [seconds, peak]
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


def _convert(info: ModelInfo, store: Path) -> None:
    """Convert the checkpoint for CTranslate2 ahead of timing; without CTranslate2, its rows skip."""
    try:
        converted_model(info, store, model_fingerprint(info))
    except Exception as error:  # not installed, or the converter cannot run here
        print(f"  no CTranslate2 conversion: {error}", file=sys.stderr, flush=True)


def _cli_row(mt_dir: Path, texts: list[str], store: Path, work: Path, device: str, expected: int) -> Row:
    label = "translate-cli run --no-summary, defaults (start-up, loading, retries)"
    try:
        seconds, peak, retried, engine = measure_cli(mt_dir, None, texts, store, work, device)
    except SystemExit as failed:
        return (label, str(failed).splitlines()[-1] if str(failed) else "failed")
    # Random weights make every output degenerate: the CLI retries each once (see README).
    print(f"    the CLI ran on {engine}; {retried} retries", file=sys.stderr, flush=True)
    return (f"{label}: {engine}", expected + retried * output_cap(SOURCE_TOKENS), seconds, peak)


def _gpu_name() -> str:
    """The first GPU's name, from nvidia-smi: torch would set up CUDA in this parent process."""
    try:
        found = subprocess.run(
            ["nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader", "-i", "0"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):  # no driver tools: the table still names the CPU
        return "no GPU name (nvidia-smi did not answer)"
    return found.stdout.strip().replace(", ", ", driver ")


if __name__ == "__main__":
    main()
