"""Quality of the trust signals (translate_cli.checks) on the trust sets in benchmarks/.

    python benchmarks/bench_checks.py [--set NAME|FILE] [--split SPLIT|all]
                                      [--show-misses] [--show-false-flags]
    python benchmarks/bench_checks.py --all-sets

Each set holds real-style Albanian news sentences with correct English translations in several
styles, the same translations corrupted on purpose (a wrong number, month or name, a lost negation,
Albanian left in the output, the source copied), and faithful and unfaithful summaries. It prints the
share of correct items that get any flag (false flags), and the share of corrupted items caught by a
flag of the right kind.

Sets (`--set` takes the short name or a path): `authors` (trust_set.jsonl, by the checker's authors:
splits dev, heldout, late), `independent`, `fresh`, `heldout2` ... `heldout27`
(trust_set_<name>.jsonl). `independent` and `heldout2` to `heldout27` were each written by an
independent evaluator who read neither the checker nor the other sets; each was run once on the
checker of its day before anything was tuned on it (README, "How good they are").
`--all-sets` prints one line per set.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from translate_cli.checks import check_sentence, check_summary

HERE = Path(__file__).parent
SETS = {"authors": HERE / "trust_set.jsonl"} | {
    name: HERE / f"trust_set_{name}.jsonl"
    for name in ("independent", "fresh", *(f"heldout{n}" for n in range(2, 28)))
}
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
        "--set", default="authors", help=f"a set's name ({', '.join(SETS)}) or a JSON lines file"
    )
    parser.add_argument("--split", default="all", help="only the items of this split (default: all)")
    parser.add_argument("--all-sets", action="store_true", help="one line per set")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--show-false-flags", action="store_true")
    args = parser.parse_args()
    if args.all_sets:
        all_sets()
        return
    path = SETS.get(args.set, Path(args.set))
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [i for i in items if args.split == "all" or i["split"] == args.split]
    if not items:
        parser.error(f"no items in split {args.split!r} of {path.name}")
    started = time.perf_counter()
    check_sentence("Ai erdhi më 28 dhjetor.", "He came on 28 December.")  # loads CLDR and the data files
    first_call = time.perf_counter() - started
    started = time.perf_counter()
    totals, hits = score(items, args.show_false_flags, args.show_misses)
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


def score(
    items: list[dict], show_false_flags: bool = False, show_misses: bool = False
) -> tuple[Counter, Counter]:
    """Items per measure, and items flagged (correct ones) or caught (corrupted ones) per measure."""
    totals: Counter = Counter()
    hits: Counter = Counter()
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
                if show_false_flags:
                    print(f"FALSE {item['id']}: {[f.message for f in flags]}")
        else:
            key = f"{prefix}caught: {item['label']}"
            totals[key] += 1
            if item["label"] in kinds:
                hits[key] += 1
            elif show_misses:
                print(f"MISS {item['id']}: {[f.message for f in flags]}")
    return totals, hits


COLUMNS = {
    "false flags, correct translations": "false flags",
    "caught: number": "numbers",
    "caught: month": "months",
    "caught: name": "names",
    "caught: untranslated": "untransl.",
    "caught: negation": "negations",
    "summary caught: number": "sum. numbers",
    "summary caught: name": "sum. names",
    "false flags, faithful summaries": "sum. false",
}


def all_sets() -> None:
    """One line per set: the rate of each measure (items in parentheses)."""
    print(f"{'set':12}" + "".join(f"{title:>17}" for title in COLUMNS.values()))
    for name, path in SETS.items():
        if not path.exists():
            continue
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        totals, hits = score(items)
        cells = [f"{hits[key] / totals[key]:.1%} ({totals[key]})" if totals[key] else "-" for key in COLUMNS]
        print(f"{name:12}" + "".join(f"{cell:>17}" for cell in cells))


if __name__ == "__main__":
    main()
