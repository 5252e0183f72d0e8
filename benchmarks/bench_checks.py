"""Quality of the trust signals (translate_cli.checks) on a trust set (benchmarks/trust_set.jsonl).

    python benchmarks/bench_checks.py [--set FILE] [--split SPLIT|all]
                                      [--show-misses] [--show-false-flags]

Five sets: trust_set.jsonl, written by the checker's authors (splits "dev" and "heldout", written before the
checker, and "late", seed-article sentences written after it), and
trust_set_independent.jsonl, written by an independent evaluator without reading the checker
(split "independent"); `--set independent` is short for the second. trust_set_fresh.jsonl (split
"fresh") was written by the checker's authors after their first precision round, and
trust_set_heldout2.jsonl (split "heldout2") by a second independent evaluator, unseen by the checker's
authors until its first run. trust_set_heldout3.jsonl (split "heldout3") was written by a third
independent evaluator against the final checker and run once; nothing was tuned on it.

The set holds real Albanian news sentences with correct English translations in several styles, the
same translations corrupted on purpose (a wrong number, month or name, a lost negation, Albanian left
in the output, the source copied), and faithful and unfaithful summaries. It prints the share of
correct items that get any flag, and the share of corrupted items caught by a flag of the right kind.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from translate_cli.checks import check_sentence, check_summary

SET = Path(__file__).with_name("trust_set.jsonl")
INDEPENDENT = Path(__file__).with_name("trust_set_independent.jsonl")
GOALS = {
    "false flags, correct translations": ("<=", 0.05),
    "caught: number": (">=", 0.90),
    "caught: month": (">=", 0.90),
    "caught: name": (">=", 0.90),
    "caught: negation": (">=", 0.0),
    "caught: untranslated": (">=", 1.0),
    "summary caught: number": (">=", 0.90),
    "summary caught: name": (">=", 0.90),
    "summary caught: month": (">=", 0.0),
    "false flags, faithful summaries": ("<=", 0.15),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        default=str(SET),
        help="a trust set in JSON lines; 'independent' is benchmarks/trust_set_independent.jsonl",
    )
    parser.add_argument(
        "--split",
        choices=["dev", "heldout", "late", "independent", "fresh", "heldout2", "heldout3", "all"],
        default="all",
    )
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--show-false-flags", action="store_true")
    args = parser.parse_args()
    path = INDEPENDENT if args.set == "independent" else Path(args.set)
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [i for i in items if args.split == "all" or i["split"] == args.split]

    totals: Counter = Counter()
    hits: Counter = Counter()
    started = time.perf_counter()
    check_sentence("Ai erdhi më 28 dhjetor.", "He came on 28 December.")  # loads CLDR and the data files
    first_call = time.perf_counter() - started
    started = time.perf_counter()
    for item in items:
        if item["type"] == "sentence":
            flags = check_sentence(item["source"], item["translation"])
            prefix = ""
        else:
            flags = check_summary(item["translation"], item["summary"])
            prefix = "summary "
        kinds = {f.kind for f in flags}
        if item["label"] == "ok":
            key = "false flags, correct translations" if not prefix else "false flags, faithful summaries"
            totals[key] += 1
            if flags:
                hits[key] += 1
                if args.show_false_flags:
                    print(f"FALSE {item['id']}: {[f.message for f in flags]}")
        else:
            key = f"{prefix}caught: {item['label']}"
            totals[key] += 1
            if item["label"] in kinds:
                hits[key] += 1
            elif args.show_misses:
                print(f"MISS {item['id']}: {[f.message for f in flags]}")
    elapsed = time.perf_counter() - started

    print(
        f"trust set {path.name}: {len(items)} items ({args.split}); first call {first_call * 1000:.0f} ms "
        f"(loads CLDR and data), then {elapsed * 1000 / len(items):.2f} ms per item"
    )
    print(f"{'measure':38} {'items':>5} {'rate':>7}  goal")
    for key, (op, goal) in GOALS.items():
        if not totals[key]:
            continue
        rate = hits[key] / totals[key]
        met = rate <= goal if op == "<=" else rate >= goal
        goal_text = f"{op} {goal:.0%}" if goal else "(no goal)"
        print(f"{key:38} {totals[key]:5d} {rate:7.1%}  {goal_text}{'' if met else '  MISSED'}")


if __name__ == "__main__":
    main()
