"""Precision audit (not a test): a seeded random sample of error and warning findings to recompute by hand.

Reads and checks every disclosure in the given folders (files that differ only by a -text/-tables part are
one disclosure), counts what could not be read (bad input) and what crashed, draws a random sample of the
error- and warning-level findings — at most ``--per-doc`` per document, so one document's repeated finding
cannot fill the sample — and writes a worksheet: one row per sampled finding with its file, page, table,
row, column, the figures compared and the message, and empty ``verdict`` / ``figures`` / ``note`` columns.

Recompute each sampled finding from the printed page and fill in ``verdict`` (true | rounding | false),
``figures`` (what the page prints, with page numbers) and ``note`` (for a false one, its class). Commit the
filled worksheet under ``bench/audits/``; ``--score FILE`` prints the precision of a filled worksheet.

    python bench/precision_audit.py ../shared/corpus-breadth --seed 7 --out bench/audits/breadth-seed7.csv
    python bench/precision_audit.py --score bench/audits/breadth-seed7.csv
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reading_quality import SUFFIXES, group  # noqa: E402

COLUMNS = ["id", "doc", "rule", "severity", "page", "where", "row", "column", "expected", "actual",
           "difference", "unit", "message", "verdict", "figures", "note"]


def findings_of(paths: list[Path]) -> dict:
    """One disclosure: its error and warning findings as plain rows, or why it could not be checked."""
    import budgetkit

    doc = paths[0].name if len(paths) == 1 else paths[0].stem
    t0 = time.perf_counter()
    try:
        d = budgetkit.read(paths)
        f = budgetkit.check(d)
    except budgetkit.BadInputError as exc:
        return {"doc": doc, "bad_input": str(exc), "findings": [], "seconds": time.perf_counter() - t0}
    except Exception:  # noqa: BLE001 — a crash is counted, the audit goes on
        return {"doc": doc, "crash": traceback.format_exc(limit=3), "findings": [],
                "seconds": time.perf_counter() - t0}
    rows = []
    for x in f:
        if x.severity not in ("error", "warning") or x.status != "fail":
            continue
        d_ = x.to_dict()
        locs = x.locations or [{}]
        table_locs = [loc for loc in locs if loc.get("table_title")] or locs
        rows.append({
            "doc": doc, "rule": x.rule, "severity": x.severity,
            "page": ", ".join(str(loc.get("page")) for loc in locs if loc.get("page") is not None),
            "where": " | ".join(str(loc.get("table_title") or loc.get("section") or "") for loc in locs[:3]),
            "row": table_locs[0].get("row_label") or "", "column": table_locs[0].get("column_label") or "",
            "expected": d_["expected"] or "", "actual": d_["actual"] or "", "difference": d_["difference"] or "",
            "unit": x.unit or "", "message": x.message,
        })
    counts = f.counts()
    return {"doc": doc, "findings": rows, "department": d.meta.get("department"), "counts": counts,
            "seconds": time.perf_counter() - t0}


def sample(results: list[dict], seed: int, per_doc: int) -> list[dict]:
    """At most ``per_doc`` findings per document, drawn with ``seed``; the order of the worksheet is random too."""
    rng = random.Random(seed)
    picked = []
    for r in sorted(results, key=lambda r: r["doc"]):
        rows = list(r["findings"])
        rng.shuffle(rows)
        picked.extend(rows[:per_doc])
    rng.shuffle(picked)
    for i, row in enumerate(picked, 1):
        row["id"] = i
    return picked


def score(path: Path) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    verdicts = [r["verdict"].strip().lower() for r in rows if r["verdict"].strip()]
    true = sum(v in ("true", "rounding") for v in verdicts)
    print(f"{path}: {len(rows)} sampled, {len(verdicts)} judged: true {verdicts.count('true')}, "
          f"rounding-level true {verdicts.count('rounding')}, false {verdicts.count('false')}; "
          f"precision {true}/{len(verdicts)} = {true / len(verdicts):.0%}" if verdicts else f"{path}: nothing judged")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--per-doc", type=int, default=2)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, help="worksheet CSV (default: print it)")
    ap.add_argument("--score", type=Path, help="print the precision of a filled worksheet and stop")
    a = ap.parse_args()
    if a.score:
        score(a.score)
        return
    files = [p for d in a.dirs for p in sorted(d.rglob("*")) if p.suffix.lower().lstrip(".") in SUFFIXES]
    groups = group(files)
    with ProcessPoolExecutor(a.jobs) as pool:
        results = list(pool.map(findings_of, groups))
    bad = [r for r in results if "bad_input" in r]
    crashed = [r for r in results if "crash" in r]
    checked = [r for r in results if "counts" in r]
    population = sum(len(r["findings"]) for r in results)
    picked = sample(results, a.seed, a.per_doc)
    print(f"{len(results)} disclosures: checked {len(checked)}, refused as bad input {len(bad)}, crashed {len(crashed)}; "
          f"error/warning findings {population} in {sum(bool(r['findings']) for r in results)} documents; "
          f"sampled {len(picked)} (seed {a.seed}, at most {a.per_doc} per document)", file=sys.stderr)
    for r in crashed:
        print(f"CRASH {r['doc']}: {r['crash'].strip().splitlines()[-1]}", file=sys.stderr)
    for r in bad:
        print(f"bad input {r['doc']}: {r['bad_input'].split(': ', 1)[-1]}", file=sys.stderr)
    out = a.out.open("w", encoding="utf-8", newline="") if a.out else sys.stdout
    w = csv.DictWriter(out, fieldnames=COLUMNS)
    w.writeheader()
    for row in picked:
        w.writerow({k: row.get(k, "") for k in COLUMNS})
    if a.out:
        out.close()
        print(f"→ {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
