"""Throughput of this project's backends against plain transformers, at the real models' shapes.

Builds random-weight checkpoints shaped like opus-mt-sq-en (vocab 59158, d_model 512, 6+6
layers, 8 heads, ffn 2048) and distilbart-cnn-12-6 (d_model 1024, 12+6 layers, 16 heads, ffn
4096, vocab 50264). Their end-of-sequence logit is biased to -1e4, so every output runs to its
length cap: every method generates the same number of tokens. All translation inputs have exactly
32 source tokens, so each output is capped at 2 * 32 + 10 = 74 tokens; all summary inputs have
exactly 512 tokens, and each summary runs to the model's max_length of 142.

Each method runs in its own process, timed without model loading (except "CLI", whose wall time
includes start-up and loading), and reports output tokens per second and its peak memory.

    python benchmarks/bench_throughput.py                # both stages, about 10 minutes on 2 cores
    python benchmarks/bench_throughput.py --stage translation --sentences 64
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from checkpoints import build_bart, build_marian, seed_lines  # noqa: E402

from translate_cli.ct2 import CTranslate2Generator, converted_model, store_path  # noqa: E402
from translate_cli.data import ModelInfo  # noqa: E402
from translate_cli.hub import model_fingerprint  # noqa: E402
from translate_cli.prompts import prompt_for_family  # noqa: E402
from translate_cli.segment import split_sentences  # noqa: E402
from translate_cli.seq2seq import TransformersGenerator  # noqa: E402
from translate_cli.summarize import Seq2SeqSummarizer  # noqa: E402
from translate_cli.translate import Seq2SeqTranslator, output_cap  # noqa: E402

SOURCE_TOKENS = 32
ARTICLE_TOKENS = 512
BEAMS = 4
BATCH_SIZE = 16


def exact_length_texts(
    count_tokens: Callable[[str], int],
    length: int,
    wanted: int,
    single_sentence: Callable[[str], bool] | None = None,
    joiner: str = " ",
) -> list[str]:
    """Distinct snippets of the seed text whose tokenization is exactly `length` tokens.

    With `single_sentence`, only snippets it accepts: so the CLI translates exactly these units.
    """
    words = " ".join(seed_lines()).split()
    texts: list[str] = []
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            text = joiner.join(words[start:end])
            tokens = count_tokens(text)
            if tokens == length:
                if single_sentence is None or single_sentence(text):
                    texts.append(text)
                break
            if tokens > length:
                break
        if len(texts) == wanted:
            return texts
    raise SystemExit(f"only {len(texts)} snippets of exactly {length} tokens in the seed text")


# --- the methods; each runs in a child process and returns (output tokens, seconds) -----------------


def plain_transformers(model_dir: str, texts: list[str], settings: dict) -> tuple[int, float]:
    """The baseline: AutoModelForSeq2SeqLM.generate on one input at a time."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).eval()
    tokens, started = 0, time.perf_counter()
    with torch.inference_mode():
        for text in texts:
            encoded = tokenizer(text, return_tensors="pt")
            cap = settings.get("max_new_tokens") or output_cap(encoded["input_ids"].shape[1])
            generated = model.generate(**encoded, num_beams=BEAMS, max_new_tokens=cap)
            tokens += generated.shape[1] - 1  # less the decoder start token
    return tokens, time.perf_counter() - started


def library(backend: str, model_dir: str, texts: list[str], settings: dict) -> tuple[int, float]:
    """This project's stage code on one backend, through the library."""
    info = ModelInfo(name=model_dir, path=Path(model_dir))
    if backend == "ctranslate2":
        generator = CTranslate2Generator(info, Path(settings["store"]), model_fingerprint(info), "cpu")
        generator.translator  # noqa: B018 - load before timing
    else:
        generator = TransformersGenerator(info, "cpu")
        generator.model  # noqa: B018 - load before timing
    generator.count_tokens(texts[0])  # and the tokenizer, as the raw engine does
    started = time.perf_counter()
    if settings["stage"] == "translation":
        Seq2SeqTranslator(generator, beams=BEAMS, batch_size=BATCH_SIZE).translate(texts)
    else:
        summarizer = Seq2SeqSummarizer(
            generator, prompt_for_family("bart"), input_limit=1024, beams=BEAMS, batch_size=BATCH_SIZE // 4
        )
        summarizer.summarize(texts)
    return settings["expected_tokens"], time.perf_counter() - started


def raw_ctranslate2(model_dir: str, texts: list[str], settings: dict) -> tuple[int, float]:
    """CTranslate2's own engine on the same pre-tokenized inputs, no project code in the loop."""
    import ctranslate2
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    sources = [tokenizer.convert_ids_to_tokens(ids) for ids in tokenizer(texts)["input_ids"]]
    translator = ctranslate2.Translator(
        settings["converted"], device="cpu", compute_type="int8", intra_threads=os.cpu_count() or 0
    )
    options = {"beam_size": BEAMS, "max_batch_size": BATCH_SIZE, "max_input_length": 0}
    if settings["stage"] == "translation":
        options["max_decoding_length"] = output_cap(SOURCE_TOKENS)
    else:
        options.update(
            max_decoding_length=settings["max_length"],
            min_decoding_length=settings["min_length"],
            no_repeat_ngram_size=3,
            length_penalty=2.0,
        )
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
    tokens, seconds = METHODS[method](*args)
    queue.put((tokens, seconds, peak_memory_mb()))


METHODS = {
    "plain": plain_transformers,
    "library-transformers": lambda *a: library("transformers", *a),
    "library-ctranslate2": lambda *a: library("ctranslate2", *a),
    "raw-ctranslate2": raw_ctranslate2,
}


def measure(method: str, *args) -> tuple[int, float, float]:
    """Run one method in a fresh process: (output tokens, seconds, peak memory in MB)."""
    print(f"  measuring {method} ...", file=sys.stderr, flush=True)
    context = multiprocessing.get_context("spawn")  # forking after torch has started threads can hang
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, method, args))
    process.start()
    result = queue.get()
    process.join()
    return result


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
    mt_dir: Path, summary_dir: Path | None, texts: list[str], store: Path, work: Path
) -> tuple[float, float, int]:
    """`translate-cli run` on one article holding the texts, one paragraph each.

    Without `summary_dir` the run is --no-summary, so that it times translation alone.
    Returns wall seconds (start-up and loading included), peak memory in MB, and how many
    translations were marked low quality, which were certainly retried once.
    """
    summary = ["--summary-model", str(summary_dir)] if summary_dir else ["--no-summary"]
    article = work / "article.txt"
    article.write_text("\n\n".join(texts), encoding="utf-8")
    command = [
        sys.executable, "-c", _CLI_WRAPPER, "run", str(article), "--mt-model", str(mt_dir),
        *summary, "--no-cache", "--cache-dir", str(store.parent),
        "--beams", str(BEAMS), "--batch-size", str(BATCH_SIZE), "-q", "--device", "cpu",
        "--json", str(work / "cli.json"),
    ]  # fmt: skip
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"translate-cli failed: {finished.stderr}")
    document = json.loads((work / "cli.json").read_text(encoding="utf-8"))
    low = sum(s["low_quality"] for p in document["articles"][0]["paragraphs"] for s in p["sentences"])
    return seconds, float(finished.stderr.strip().splitlines()[-1]), low


def table(title: str, rows: list[tuple[str, int, float, float]], baseline: str) -> str:
    speeds = {name: tokens / seconds for name, tokens, seconds, _ in rows}
    lines = [
        f"### {title}",
        "",
        "| method | output tokens | seconds | tokens/s | vs baseline | peak memory |",
    ]
    lines.append("|---|---:|---:|---:|---:|---:|")
    for name, tokens, seconds, peak in rows:
        ratio = speeds[name] / speeds[baseline]
        lines.append(
            f"| {name} | {tokens} | {seconds:.1f} | {speeds[name]:.0f} | {ratio:.1f}× | {peak:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--stage",
        choices=["translation", "summary", "memory", "both"],
        default="both",
        help="memory: only the peak of one CLI run with both default-shape models",
    )
    parser.add_argument("--sentences", type=int, default=128, help="translation inputs (default 128)")
    parser.add_argument("--baseline-sentences", type=int, default=16, help="of those, for the slow baseline")
    parser.add_argument("--articles", type=int, default=4, help="summary inputs (default 4)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, {platform.system()}"
    )
    figures: dict[str, list] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        work = Path(scratch)
        store = work / "cache" / "models"
        if args.stage in ("translation", "memory", "both"):
            mt_dir = build_marian(
                work / "opus-mt-shape", vocab_size=59158, d_model=512, layers=6, heads=8, ffn=2048,
                max_positions=512, beams=BEAMS, suppress_eos=True,
            )  # fmt: skip
            info = ModelInfo(name=str(mt_dir), path=mt_dir)
            converted_model(info, store, model_fingerprint(info))
            counter = TransformersGenerator(info, "cpu")
            texts = translation_texts = exact_length_texts(
                counter.count_tokens, SOURCE_TOKENS, args.sentences, lambda t: split_sentences(t) == [t]
            )
            expected = len(texts) * output_cap(SOURCE_TOKENS)
            settings = {
                "stage": "translation", "store": str(store), "expected_tokens": expected,
                "converted": str(store_path(store, model_fingerprint(info))),
            }  # fmt: skip
            if args.stage != "memory":
                rows = [
                    (
                        "plain transformers, one sentence at a time",
                        *measure("plain", str(mt_dir), texts[: args.baseline_sentences], settings),
                    )
                ]
                for label, method in [
                    ("translate-cli library, transformers backend", "library-transformers"),
                    ("translate-cli library, CTranslate2 backend", "library-ctranslate2"),
                    ("raw CTranslate2 engine, same tokens", "raw-ctranslate2"),
                ]:
                    rows.append((label, *measure(method, str(mt_dir), texts, settings)))
                seconds, peak, retried = measure_cli(mt_dir, None, texts, store, work)
                # Random weights make every output degenerate: the CLI retries each once (see README).
                cli_tokens = expected + retried * output_cap(SOURCE_TOKENS)
                rows.append(
                    ("translate-cli run --no-summary (start-up, loading, retries)", cli_tokens, seconds, peak)
                )
                print(
                    table(
                        f"Translation: {len(texts)} sentences of {SOURCE_TOKENS} tokens, beam {BEAMS}",
                        rows,
                        rows[0][0],
                    )
                )
                figures["translation"] = rows
        if args.stage in ("summary", "memory", "both"):
            summary_dir = build_bart(
                work / "distilbart-shape", vocab_size=50264, d_model=1024, encoder_layers=12,
                decoder_layers=6, heads=16, ffn=4096, max_positions=1024, max_length=142, min_length=56,
                beams=BEAMS, suppress_eos=True,
            )  # fmt: skip
            info = ModelInfo(name=str(summary_dir), path=summary_dir)
            converted_model(info, store, model_fingerprint(info))
            counter = TransformersGenerator(info, "cpu")
            texts = exact_length_texts(counter.count_tokens, ARTICLE_TOKENS, args.articles)
            settings = {
                "stage": "summary", "store": str(store), "max_length": 141, "min_length": 55,
                "expected_tokens": len(texts) * 141,
                "converted": str(store_path(store, model_fingerprint(info))),
            }  # fmt: skip
            if args.stage != "memory":
                rows = [
                    (
                        "plain transformers, one article at a time",
                        *measure("plain", str(summary_dir), texts, {"max_new_tokens": 141}),
                    )
                ]
                for label, method in [
                    ("translate-cli library, transformers backend", "library-transformers"),
                    ("translate-cli library, CTranslate2 backend", "library-ctranslate2"),
                    ("raw CTranslate2 engine, same tokens", "raw-ctranslate2"),
                ]:
                    rows.append((label, *measure(method, str(summary_dir), texts, settings)))
                print(
                    table(
                        f"Summaries: {len(texts)} articles of {ARTICLE_TOKENS} tokens, beam {BEAMS}",
                        rows,
                        rows[0][0],
                    )
                )
                figures["summary"] = rows
            if args.stage in ("memory", "both"):  # both default-shape models in one CLI run
                # Memory, not speed: a short article, or the random output takes long to summarize.
                seconds, peak, _ = measure_cli(mt_dir, summary_dir, translation_texts[:16], store, work)
                print(
                    f"\ntranslate-cli run with both default-shape models (16 sentences, then their summary): "
                    f"{seconds:.1f} s wall, peak memory {peak:.0f} MB"
                )
                figures["cli_both_models"] = [seconds, peak]
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
