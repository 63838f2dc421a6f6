"""Reading-quality report (not a test): how well budgetkit reads every disclosure in a folder.

For each disclosure (files that differ only by a -text/-tables suffix are one disclosure) it prints
tables, unknown and empty tables, amount and residue cells, target indicators, department, year,
stage, findings by severity and status, and seconds.  A crash is printed as a row, never fatal.

    make quality                       # data/corpus + data/seed
    python bench/reading_quality.py DIR... [--jobs 2] [--markdown] [--detail]
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = ("pdf", "txt", "docx", "xlsx")


def group(paths: list[Path]) -> list[list[Path]]:
    """Files named alike but for a trailing -text / -tables part form one disclosure."""
    groups: dict[str, list[Path]] = {}
    for p in sorted(paths):
        key = re.sub(r"[-_](text|tables|narrative|report|报表|说明)$", "", p.stem)
        split = key != p.stem
        groups.setdefault(f"{p.parent}/{key}" + ("" if split else p.suffix), []).append(p)
    return list(groups.values())


def measure(paths: list[Path]) -> dict:
    import budgetkit
    from budgetkit.check import check

    doc = re.sub(r"[-_](text|tables)$", "", paths[0].stem)
    row = {"doc": doc if len(paths) > 1 else paths[0].name, "files": len(paths)}
    t0 = time.perf_counter()
    try:
        d = budgetkit.read(paths)
        row.update(
            tables=len(d.tables),
            unknown=sum(t.kind == "unknown" for t in d.tables),
            empty=sum(t.frame.empty or t.frame.shape[0] == 0 for t in d.tables),
            amounts=len(d.amounts), residue=len(d.residue),
            department=d.meta.get("department"), year=d.meta.get("year"), stage=d.meta.get("stage"),
            family=d.meta.get("family"),
        )
        try:
            row["targets"] = len(d.targets)
        except Exception as exc:  # noqa: BLE001 — the report shows a crash, it does not stop
            row["targets"] = f"CRASH {type(exc).__name__}"
        try:
            f = check(d)
            sev = {"error": 0, "warning": 0, "review": 0}
            for x in f:
                if x.status == "review":
                    sev["review"] += 1
                elif x.status == "fail" and x.severity in sev:
                    sev[x.severity] += 1
            row.update(errors=sev["error"], warnings=sev["warning"], review=sev["review"],
                       not_evaluated=sum(x.status == "not_evaluated" for x in f))
            row["_findings"] = [(x.rule, x.severity, x.status, x.message) for x in f
                                if x.status in ("fail", "review")]
        except Exception as exc:  # noqa: BLE001
            row["errors"] = f"CRASH {type(exc).__name__}: {exc}"[:80]
            row["_trace"] = traceback.format_exc()
        row["_tables"] = [(t.index, t.kind, t.title[:40], t.pages, t.frame.shape, t.unit) for t in d.tables]
    except budgetkit.BadInputError as exc:
        row["tables"] = f"BAD INPUT {exc}"[:80]
    except Exception as exc:  # noqa: BLE001
        row["tables"] = f"CRASH {type(exc).__name__}: {exc}"[:80]
        row["_trace"] = traceback.format_exc()
    row["seconds"] = round(time.perf_counter() - t0, 1)
    return row


COLS = ["doc", "tables", "unknown", "empty", "amounts", "residue", "targets", "department", "year", "stage",
        "errors", "warnings", "review", "not_evaluated", "seconds"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table (for the README)")
    ap.add_argument("--detail", action="store_true", help="list tables and error/warning findings per document")
    args = ap.parse_args(argv)
    dirs = args.dirs or [ROOT / "data" / "corpus", ROOT / "data" / "seed"]
    files = [p for d in dirs for p in (sorted(d.iterdir()) if d.is_dir() else [d])
             if p.suffix.lstrip(".").lower() in SUFFIXES]
    groups = group(files)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        rows = list(ex.map(measure, groups))
    if args.markdown:
        print("| " + " | ".join(COLS) + " |")
        print("|" + "---|" * len(COLS))
        for r in rows:
            print("| " + " | ".join(str(r.get(c, "")) for c in COLS) + " |")
    else:
        import pandas as pd

        with pd.option_context("display.width", 250, "display.max_columns", 30, "display.max_colwidth", 30):
            print(pd.DataFrame([{c: r.get(c, "") for c in COLS} for r in rows]).to_string(index=False))
    if args.detail:
        for r in rows:
            print(f"\n## {r['doc']}")
            for t in r.get("_tables", []):
                print("   table", *t)
            for f in r.get("_findings", []):
                print("   finding", *f)
            if "_trace" in r:
                print(r["_trace"])
    crashed = sum("CRASH" in str(r.get("tables", "")) + str(r.get("errors", "")) for r in rows)
    print(f"\ndisclosures: {len(rows)}  crashes: {crashed}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
