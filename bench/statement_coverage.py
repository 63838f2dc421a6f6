"""Statement coverage (not a test): how many of the narrative's sentences with figures `check` checked.

For each disclosure in the given folders (files that differ only by a -text/-tables part are one disclosure)
it prints the sentences that state an amount or a percentage, how many were checked and passed, checked and
found wrong, or not checked, and the coverage; then the totals and the reasons sentences were not checked.

    python bench/statement_coverage.py [DIR...] [--jobs 2]     # default: data/corpus and data/seed
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reading_quality import SUFFIXES, group  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def measure(paths: list[Path]) -> dict:
    import budgetkit

    name = paths[0].name
    try:
        c = budgetkit.check(budgetkit.read(paths)).statement_coverage or {}
    except Exception as exc:  # noqa: BLE001 — a row, never the end of the run
        return {"doc": name, "error": f"{type(exc).__name__}: {exc}"[:80]}
    return {"doc": name, "stated": c.get("stated", 0), "passed": c.get("passed", 0), "failed": c.get("failed", 0),
            "not_checked": c.get("not_checked", 0), "coverage": c.get("coverage"),
            "reasons": [(r["reason_en"], r["sentences"]) for r in c.get("reasons", [])]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", default=[str(ROOT / "data/corpus"), str(ROOT / "data/seed")])
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args(argv)
    files = [p for d in args.dirs for p in sorted(Path(d).iterdir()) if p.suffix.lstrip(".") in SUFFIXES]
    groups = group(files)
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            rows = list(pool.map(measure, groups))
    else:
        rows = [measure(g) for g in groups]
    print("| disclosure | sentences with figures | checked, passed | checked, found wrong | not checked | coverage |")
    print("|---|---|---|---|---|---|")
    total, reasons = Counter(), Counter()
    for r in rows:
        if "error" in r:
            print(f"| {r['doc']} | {r['error']} | | | | |")
            continue
        if not r["stated"]:
            continue
        print(f"| {r['doc']} | {r['stated']} | {r['passed']} | {r['failed']} | {r['not_checked']} | "
              f"{r['coverage']:.0%} |")
        if "leshan" not in r["doc"]:  # the seed's forms carry planted defects: counted apart
            total.update({k: r[k] for k in ("stated", "passed", "failed", "not_checked")})
            reasons.update(dict(r["reasons"]))
    checked = total["passed"] + total["failed"]
    if total["stated"]:
        print(f"\ncorpus (seed forms left out): {checked} of {total['stated']} sentences checked "
              f"({checked / total['stated']:.0%})")
    for reason, n in reasons.most_common():
        print(f"  not checked: {reason} ({n})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
