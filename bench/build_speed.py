"""Benchmark a corpus build (issue 12): `make bench-build`.

On the same run, over every PDF in data/corpus (grouped into disclosures by the build's own rule):

1. sequential: `budgetkit.read` + `d.targets` + `budgetkit.check` of each disclosure, one after the other — the
   same work a build does for each disclosure (the build also writes Parquet, which only counts against it);
2. build: `budgetkit.store.build(..., workers=N)` into a fresh store, wall time including starting the cluster;
3. speedup = 1 / 2 (target ≥ 1.8× with 2 workers on 2 cores);
4. peak memory of the build: the largest sum of resident memory of this process and all its children, sampled;
5. reopen: `budgetkit.read(paths, store=STORE)` of every disclosure (after one warm-up), median and worst;
6. checks against reading: the sums of the check and read times over the corpus.

Usage: python bench/build_speed.py [FOLDER] [--workers 2] [--json out/bench-build.json]
The machine may be shared: the numbers are noisy; run it when the machine is otherwise idle.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import budgetkit  # noqa: E402
from budgetkit.store import build, open_store  # noqa: E402
from budgetkit.store.group import plan  # noqa: E402


class PeakMemory:
    """Largest total RSS of this process and its children, sampled every 50 ms in a thread."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _spin(n: int = 20_000_000) -> float:
    t = time.perf_counter()
    s = 0
    for i in range(n):
        s += i
    return time.perf_counter() - t


def parallel_capacity(workers: int) -> float:
    """How much faster `workers` busy processes finish than one after another, right now (a shared machine
    rarely gives the full number of cores): the ceiling for any speedup measured on this run."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_spin, [1_000_000] * workers))  # start the processes
        one = _spin()
        t = time.perf_counter()
        list(pool.map(_spin, [20_000_000] * workers))
        return workers * one / (time.perf_counter() - t)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(ROOT / "data" / "corpus"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", default=str(ROOT / "out" / "bench-build.json"))
    args = ap.parse_args(argv)
    pdfs = sorted(Path(args.folder).glob("*.pdf"))
    groups = plan(pdfs)
    print(f"{len(pdfs)} PDF → {len(groups)} 份公开文件 / disclosures; workers={args.workers}", flush=True)

    cap_before = parallel_capacity(args.workers)
    print(f"parallel capacity of this machine now: {cap_before:.2f}× with {args.workers} processes", flush=True)

    # 1. sequential, same work per disclosure
    seq_read = seq_check = 0.0
    totals = {}  # disclosure id → (amount cells, sum of amount_yuan) as read one by one
    t0 = time.perf_counter()
    for g in groups:
        t = time.perf_counter()
        try:
            d = budgetkit.read(g.paths, keep_going=True)
            _ = d.targets
        except Exception as exc:  # noqa: BLE001 - the build records these too
            print(f"  {g.disclosure_id}: {type(exc).__name__}", flush=True)
            seq_read += time.perf_counter() - t
            continue
        seq_read += time.perf_counter() - t
        totals[g.disclosure_id] = (len(d.amounts), sum(d.amounts["amount_yuan"].dropna(), Decimal(0)))
        t = time.perf_counter()
        try:
            budgetkit.check(d)
        except Exception as exc:  # noqa: BLE001
            print(f"  {g.disclosure_id}: check {type(exc).__name__}", flush=True)
        seq_check += time.perf_counter() - t
    sequential = time.perf_counter() - t0
    print(f"sequential read+check: {sequential:.1f} s (read {seq_read:.1f} s, check {seq_check:.1f} s)", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        # 2. the build, with peak memory
        with PeakMemory() as mem:
            t0 = time.perf_counter()
            result = build(pdfs, store, workers=args.workers, progress=False)
            wall = time.perf_counter() - t0
        speedup = sequential / wall
        cap_after = parallel_capacity(args.workers)
        print(f"parallel capacity after the build: {cap_after:.2f}×", flush=True)
        print(f"build, {args.workers} workers: {wall:.1f} s → speedup {speedup:.2f}× (target ≥ 1.8×); "
              f"{result.built} built, {result.failed} failed, {result.partial} partly", flush=True)
        print(f"peak memory of the build (driver + workers): {mem.peak / 2**20:.0f} MiB", flush=True)

        # 5. reopen
        for g in groups[:1]:
            budgetkit.read(g.paths, store=store)  # warm-up: imports
        times, misses = [], 0
        for g in groups:
            t = time.perf_counter()
            d = budgetkit.read(g.paths, store=store, keep_going=True)
            times.append(time.perf_counter() - t)
            misses += "store_source" not in d.__dict__
        med = statistics.median(times) * 1000
        print(f"reopen from the store: median {med:.1f} ms, worst {max(times) * 1000:.1f} ms per disclosure "
              f"(target median < 50 ms); not from the store: {misses}", flush=True)

        # 6. checks against reading, as measured by the workers
        con = open_store(store)
        stored = {r[0]: (r[1], r[2]) for r in con.execute(
            "SELECT disclosure_id, count(*), sum(amount_yuan) FROM amounts GROUP BY 1").fetchall()}
        differ = [k for k, v in totals.items() if stored.get(k, (0, Decimal(0))) != (v[0], v[1])]
        print(f"SQL totals equal reading one by one: {len(totals) - len(differ)}/{len(totals)} disclosures"
              + (f"; differ: {differ}" if differ else ""), flush=True)
        r, c = con.execute("SELECT sum(read_seconds), sum(check_seconds) FROM disclosures").fetchone()
        ratio_build = float(c / r) if r else float("nan")
        print(f"checks vs reading (workers): check {float(c):.1f} s / read {float(r):.1f} s = {ratio_build:.0%}; "
              f"sequential: {seq_check:.1f} / {seq_read:.1f} = {seq_check / seq_read:.0%} (target ≤ 10%)", flush=True)

    out = {"pdfs": len(pdfs), "disclosures": len(groups), "workers": args.workers,
           "sequential_s": round(sequential, 2), "sequential_read_s": round(seq_read, 2),
           "sequential_check_s": round(seq_check, 2), "build_s": round(wall, 2), "speedup": round(speedup, 2),
           "parallel_capacity_before": round(cap_before, 2), "parallel_capacity_after": round(cap_after, 2),
           "peak_memory_mib": round(mem.peak / 2**20), "reopen_median_ms": round(med, 1),
           "reopen_max_ms": round(max(times) * 1000, 1), "reopen_misses": misses,
           "check_over_read_build": round(ratio_build, 3), "check_over_read_sequential": round(seq_check / seq_read, 3),
           "failed": result.failed, "partial": result.partial, "totals_differ": differ}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(f"→ {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
