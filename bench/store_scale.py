"""Benchmark the corpus store at scale (issue 25): `python bench/store_scale.py --sizes 10000 100000`.

1. source: a store built from the real disclosures (default: data/corpus and data/seed, without compacting;
   reused when already built by this budgetkit version);
2. grow: for each size N, a store of N disclosures — the source's rows replicated under new ids
   (``ID~r000001`` …) and written directly as compacted files, in the order compaction writes them (one run per
   table and partition, sorted by id — amounts by table kind, then id —, row groups of about 1 MB, 64 to a file),
   plus the source's own loose pieces (the real disclosures, N counts them) on top, as
   a build that adds disclosures leaves them;
3. compact: ``budgetkit.store.compact`` merges those loose pieces into the store (timed), and then again after
   one real disclosure is rebuilt, which rewrites the files of its partition (timed);
4. time, on the compacted store: ``budgetkit.store.open`` (first and median of 3), each named example query of
   the researcher's guide and the README on an open connection, ``budgetkit query STORE "select count(*) as n
   from amounts"`` from the shell, ``budgetkit.read(path, store=)`` of one real file (median of 5), the lookup of
   its rows and of a copy's rows in the grown files, and the disk size per disclosure.

Prints a Markdown table by store size.  Not a test: timings depend on the machine and its load.  The grown
stores are deleted at the end unless --keep.  Replicated rows compress better than as many real ones (one
dictionary serves every copy), so the disk figure is a lower bound; the source store's own figure is printed
beside it.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

import budgetkit  # noqa: E402
from budgetkit.store import build, examples, open_store  # noqa: E402
from budgetkit.store.compact import CLUSTER, ORDER_COLUMN, PartWriter, compact  # noqa: E402
from budgetkit.store.layout import (ALL_TABLES, COMPACT_DIR, Generation, loose_pieces, read_current,  # noqa: E402
                                    write_current)
from budgetkit.store.query import compacted_rows  # noqa: E402
from budgetkit.store.pieces import NULL_PART, partition_values, piece_name  # noqa: E402

CHUNK = 256
REOPEN = ROOT / "data" / "corpus" / "zj-hangzhou-meteo-2026-budget.pdf"
COUNT = "select count(*) as n from amounts"
LOOKUP = ("disclosures", "amounts", "residue", "narrative", "targets", "tables", "statements")
#: a question by province: amounts join disclosures (province is a column of disclosures, see docs/store-scale.md)
PROVINCE = ("SELECT d.province, count(*) AS cells, sum(a.amount_yuan) AS yuan FROM amounts a "
            "JOIN disclosures d USING (disclosure_id) WHERE a.year = 2026 AND a.stage = '预算' GROUP BY 1 ORDER BY 1")


def doc_queries() -> dict[str, str]:
    """The named example queries of docs/guides/researcher.md and the README, as a user copies them, and the
    bench's own two."""
    return {**examples.doc_queries(ROOT), COUNT: COUNT, PROVINCE: PROVINCE}


def source_tables(source: Path) -> dict[str, pa.Table]:
    """Every table of the source store as one Arrow table (year and stage as columns), rows in stored order."""
    con = open_store(source)
    out = {}
    for t in ALL_TABLES:
        try:
            tab = con.sql(f"SELECT * FROM {t}").to_arrow_table()
        except Exception:  # noqa: BLE001 - a table the source does not have
            continue
        if tab.num_rows:
            out[t] = tab
    con.close()
    return out


def _part(v, s) -> tuple[str, str]:
    y, st = partition_values(v, s)
    return f"year={y}", f"stage={st}"


def grow(source: Path, tables: dict[str, pa.Table], n: int, out: Path) -> float:
    """Write a store of ``n`` disclosures: the source's rows replicated under new ids, compacted, and the
    source's loose pieces on top.  Returns the seconds it took."""
    t0 = time.perf_counter()
    ids = sorted(tables["disclosures"].column("disclosure_id").to_pylist(), key=lambda s: s.encode("utf-8"))
    copies = {d: n // len(ids) + (1 if i < n % len(ids) else 0) for i, d in enumerate(ids)}  # incl. the original
    files: dict = {}
    gen_name = "g000001"
    for table, tab in tables.items():
        schema = tab.schema
        data_cols = [f.name for f in schema if f.name not in ("year", "stage")]
        years, stages = tab.column("year").to_pylist(), tab.column("stage").to_pylist()
        by_part: dict = {}
        for i, (y, s) in enumerate(zip(years, stages)):
            by_part.setdefault(_part(y, s), []).append(i)
        for (py, ps), rows in sorted(by_part.items()):
            part = tab.take(pa.array(rows)).select(data_cols)
            did = part.column("disclosure_id").to_pylist()
            id_type = part.schema.field("disclosure_id").type
            folder = f"{COMPACT_DIR}/{gen_name}/{table}/{py}/{ps}"
            (out / folder).mkdir(parents=True, exist_ok=True)
            y, st = py.split("=", 1)[1], ps.split("=", 1)[1]
            cluster = CLUSTER.get(table)  # sorted by its value first, then by id, as compaction writes it
            values = [None]
            if cluster:
                place = pd.Series(did).groupby(did).cumcount().to_numpy()  # each row's place in its disclosure
                part = part.append_column(pa.field(ORDER_COLUMN, pa.int32()), pa.array(place, pa.int32()))
                seen = set(part.column(cluster).to_pylist())
                values = sorted(v for v in seen if v is not None) + ([None] if None in seen else [])
            parts = PartWriter(out, folder, part.schema, "bench", {"year": None if y == NULL_PART else int(y),
                                                                   "stage": None if st == NULL_PART else st},
                               cluster=cluster)
            for value in values:
                sub = part if cluster is None else part.filter(
                    pc.is_null(part.column(cluster)) if value is None else pc.equal(part.column(cluster), value))
                for d in sorted(set(did), key=lambda s: (s + "~").encode("utf-8")):  # the order of the copies' ids
                    one = sub.filter(pc.equal(sub.column("disclosure_id"), d))
                    c = copies.get(d, 1) - 1  # the real disclosure itself comes as loose pieces
                    if not one.num_rows:
                        continue
                    for start in range(1, c + 1, CHUNK):  # a few hundred copies at a time: memory stays small
                        k = min(CHUNK, c + 1 - start)
                        new_ids = pa.array([f"{d}~r{j:06d}" for j in range(start, start + k)], id_type)
                        block = pa.concat_tables([one] * k)
                        which = pa.array(np.repeat(np.arange(k), one.num_rows))
                        parts.add(block.set_column(block.schema.get_field_index("disclosure_id"), "disclosure_id",
                                                   pc.take(new_ids, which)))
            files.setdefault(table, []).extend(parts.close())
    write_current(out, Generation(gen_name, files, set(), n - len(ids), {"created_at": "bench"}))
    for extra in ("_schemas", "_done", "_sha256", "_execution"):
        if (source / extra).is_dir():
            shutil.copytree(source / extra, out / extra, dirs_exist_ok=True)
    for t in ALL_TABLES:  # the real disclosures' loose pieces, as a build leaves them: they supersede their copies
        for p in loose_pieces(source, t):
            dst = out / p.relative_to(source)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, dst)
    return time.perf_counter() - t0


def timed(fn, repeat=1):
    """Wall seconds of each run (see also :func:`cpu`)."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return runs


def cpu(fn, repeat=1) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each run: on a shared machine the CPU time is what the work itself costs, the wall
    time what a user waited; both are reported."""
    runs = []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - w, time.process_time() - c))
    return runs


def med(runs, i):
    return statistics.median(r[i] for r in runs)


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure(store: Path, source: Path, n: int, grow_s: float) -> dict:
    r = {"disclosures": n, "grow_s": grow_s}
    r["open_loose_s"] = timed(lambda: open_store(store).close())[0]  # before compaction: N compacted + loose
    res = compact(store)
    r["compact_s"] = res.seconds
    r["compact_merged"] = res.merged_pieces
    runs = cpu(lambda: open_store(store).close(), 3)
    r["open_first_s"], r["open_median_s"], r["open_cpu_s"] = runs[0][0], med(runs, 0), med(runs, 1)
    con = open_store(store)
    r["queries"] = {}
    for name, sql in doc_queries().items():
        rows = []
        (w, c), = cpu(lambda: rows.append(con.execute(sql).fetchall()))
        r["queries"][name] = {"s": w, "cpu_s": c, "rows": len(rows[0])}
    r["amount_rows"] = con.execute(COUNT).fetchone()[0]
    con.close()
    t0 = time.perf_counter()
    cli = subprocess.run([str(Path(sys.executable).parent / "budgetkit"), "query", str(store), COUNT],
                         capture_output=True, text=True)
    r["cli_count_s"] = time.perf_counter() - t0
    r["cli_ok"] = cli.returncode == 0
    # the code this process runs is the code that built the source store: budgetkit.read(path, store=) loads a
    # stored disclosure only for the version that built it, and an edit of budgetkit while the bench grows its
    # stores (minutes) would otherwise make it read the file again instead of timing the store
    build_mod = sys.modules["budgetkit.store.build"]
    built = json.loads((store / "_done" / f"{piece_name(REOPEN.name)}.json").read_text(encoding="utf-8"))["version"]
    current, build_mod.version = build_mod.version, (lambda: built)
    if current() != built:
        print(f"note: budgetkit changed since the source store was built ({built}); reopen timed as built",
              file=sys.stderr)
    budgetkit.read(REOPEN, store=store)  # warm-up: imports
    got = []
    reopen = cpu(lambda: got.append(budgetkit.read(REOPEN, store=store)), 5)
    build_mod.version = current
    r["reopen_from_store"] = all("store_source" in d.__dict__ for d in got)
    r["reopen_median_s"], r["reopen_cpu_s"] = med(reopen, 0), med(reopen, 1)
    gen = read_current(store)  # of which: finding and reading the disclosure's rows in the compacted files
    lookup = cpu(lambda: [compacted_rows(store, gen, t, 2026, "预算", REOPEN.name) for t in LOOKUP], 5)
    r["lookup_median_s"], r["lookup_cpu_s"] = med(lookup, 0), med(lookup, 1)
    copy = f"{REOPEN.name}~r000001"  # a copy in the large files the bench grew, as most disclosures of a store lie
    lookup = cpu(lambda: [compacted_rows(store, gen, t, 2026, "预算", copy) for t in LOOKUP], 5)
    r["lookup_copy_median_s"], r["lookup_copy_cpu_s"] = med(lookup, 0), med(lookup, 1)
    r["disk_bytes"] = du(store)
    r["disk_per_disclosure_kb"] = r["disk_bytes"] / n / 1024
    marker = json.loads((source / "_done" / f"{piece_name(REOPEN.name)}.json").read_text(encoding="utf-8"))
    for rel in marker["pieces"]:  # the same disclosure written again, as a rebuild writes it
        (store / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / rel, store / rel)
    res = compact(store)
    r["recompact_s"], r["recompact_rewritten"] = res.seconds, res.rewritten_files
    return r


def table(results: list[dict], source_kb: float) -> str:
    cols = [f"{r['disclosures']:,}" for r in results]
    lines = ["| measure | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]

    def row(label, f):
        lines.append(f"| {label} | " + " | ".join(f(r) for r in results) + " |")

    row("amount rows", lambda r: f"{r['amount_rows']:,}")
    row("grow (bench writes the replicated store)", lambda r: f"{r['grow_s']:.1f} s")
    row("open with the real loose pieces on top", lambda r: f"{r['open_loose_s']:.2f} s")
    row("compaction of those pieces into the store", lambda r: f"{r['compact_s']:.1f} s")
    row("compaction after one disclosure is rebuilt", lambda r: f"{r['recompact_s']:.1f} s "
        f"({r['recompact_rewritten']} files)")
    row("`budgetkit.store.open` first / median of 3 (CPU)", lambda r: f"{r['open_first_s']:.2f} / "
        f"{r['open_median_s']:.2f} s ({r['open_cpu_s']:.2f} s)")
    for name in results[0]["queries"]:
        short = name if len(name) <= 70 else name[:69] + "…"
        row(f"query: {short} (CPU)", lambda r, name=name: f"{r['queries'][name]['s']:.2f} s "
            f"({r['queries'][name]['cpu_s']:.2f} s)")
    row(f"`budgetkit query STORE \"{COUNT}\"` (shell)", lambda r: f"{r['cli_count_s']:.2f} s")
    row("`budgetkit.read(path, store=)` median of 5 (CPU)", lambda r: f"{r['reopen_median_s'] * 1000:.0f} ms "
        f"({r['reopen_cpu_s'] * 1000:.0f} ms)" + ("" if r["reopen_from_store"] else " (parsed!)"))
    row("of which: its rows from the compacted files (7 tables)", lambda r: f"{r['lookup_median_s'] * 1000:.0f} ms "
        f"({r['lookup_cpu_s'] * 1000:.0f} ms)")
    row("the same rows of a copy in the large grown files", lambda r: f"{r['lookup_copy_median_s'] * 1000:.0f} ms "
        f"({r['lookup_copy_cpu_s'] * 1000:.0f} ms)")
    row("disk per disclosure", lambda r: f"{r['disk_per_disclosure_kb']:.1f} KB")
    lines.append(f"\nSource store (real disclosures, loose pieces): {source_kb:.1f} KB per disclosure.")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--source", type=Path, help="a built store of real disclosures (default: build one)")
    ap.add_argument("--work", type=Path, help="folder for the grown stores (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the grown stores")
    ap.add_argument("--existing", action="store_true", help="measure the stores --keep left in --work again")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bk-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    source = args.source or work / "source"
    if args.source is None and not args.existing:
        build([ROOT / "data" / "corpus", ROOT / "data" / "seed"], source, workers=os.cpu_count() or 1,
              progress=True, compact=False)
    tables = source_tables(source)
    n_src = tables["disclosures"].num_rows
    source_kb = sum(du(source / t) for t in ALL_TABLES if (source / t).is_dir()) / n_src / 1024
    results = []
    for n in args.sizes:
        store = work / f"store-{n}"
        if args.existing and (store / "_current.json").exists():
            g = float("nan")  # measured again on a store a run with --keep left
        else:
            shutil.rmtree(store, ignore_errors=True)
            print(f"growing {n:,} …", file=sys.stderr)
            g = grow(source, tables, n, store)
        r = measure(store, source, n, g)
        results.append(r)
        print(json.dumps(r, ensure_ascii=False), file=sys.stderr)
        if not args.keep:
            shutil.rmtree(store, ignore_errors=True)
    print(table(results, source_kb))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.work is None and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(math.isfinite(r["open_median_s"]) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
