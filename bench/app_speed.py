"""Benchmark the app against the command line (issue 21): does the app keep up?

For the longest PDF in data/ and in ../shared/corpus-breadth (when present), or the files given:

1. ``budgetkit check FILE`` (a fresh process, as a user runs it): wall and CPU time;
2. the app (:class:`budgetkit.app.App`, in this process, imports done as in a running app): from ``open()``
   to the first progress line, to the first page shown as "page n of N", and to the first view (tables and
   findings on screen); target: first view ≤ 1.5 × check, progress within 1 s;
3. ``budgetkit parse FILE --out DIR`` against ``parse --format xlsx``: the xlsx may cost at most 10 % more.

CPU time (user + system) is reported beside wall time: on a shared machine wall time mostly measures the
others' load.  The app's CPU time is this process's (all threads) during the opening.

With ``--together`` the files are opened in the app as one upload (several years of one unit, a year's 预算 and
决算, or one disclosure in several files), as a user selects them: the app's first view and CPU time against
``budgetkit check`` of each file on its own (summed), and how many times each file was opened (a file read
twice costs twice).

Usage: python bench/app_speed.py [FILE ...] [--json out/bench-app.json] [--xlsx-only] [--repeat N] [--together]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CLI = [sys.executable, "-m", "budgetkit"]


def longest_pdf(folder: Path) -> Path | None:
    import pdfplumber

    pages = {}
    for p in sorted(folder.rglob("*.pdf")):
        with pdfplumber.open(p) as pdf:
            pages[p] = len(pdf.pages)
    return max(pages, key=pages.get) if pages else None


def timed(cmd: list[str]) -> dict:
    """Wall and CPU seconds of a child process (its own and its children's)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    rc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": round(wall, 2), "cpu": round(cpu, 2), "exit": rc}


def app_timing(path, opened: dict | None = None) -> dict:
    """Open ``path`` (or a list of files, as one upload) in the app and note when progress, a page count and
    the first view appear; ``opened`` counts the times each file is opened."""
    from budgetkit.app import App
    from budgetkit.read import sources

    paths = list(path) if isinstance(path, (list, tuple)) else [path]
    app = App(documents={}, series={})
    marks: dict = {}
    real = sources._open_source

    def counted(p, progress=None):
        if opened is not None:
            opened[Path(p).name] = opened.get(Path(p).name, 0) + 1
        return real(p, progress)

    sources._open_source = counted
    cpu0, t0 = time.process_time(), time.perf_counter()
    try:
        app.open(paths, " + ".join(p.name for p in paths))
        marks = _watch(app, t0)
    finally:
        sources._open_source = real
    return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in marks.items()} | {
        "cpu": round(time.process_time() - cpu0, 2)}


def _watch(app, t0: float) -> dict:
    marks: dict = {}
    while "first_view" not in marks:
        now = time.perf_counter() - t0
        status = app.status.value
        if "bk-app-progress" in status:
            marks.setdefault("progress", now)
        if " of " in status and "page" in status:
            marks.setdefault("page_shown", now)
        if app.body.children:
            marks["first_view"] = now
        if not app._job.thread.is_alive() and not app.body.children:
            marks["failed"] = status
            break
        time.sleep(0.02)
    app.wait()
    return marks


def together(files: list[Path]) -> dict:
    """The files opened in the app as one upload, against ``budgetkit check`` of each on its own."""
    checks = [timed(CLI + ["check", str(f)]) for f in files]
    opened: dict = {}
    app = app_timing(files, opened)
    r = {"files": [f.name for f in files], "check_each": checks,
         "check_sum": {k: round(sum(c[k] for c in checks), 2) for k in ("wall", "cpu")}, "app": app,
         "opened": opened}
    c = r["check_sum"]
    print(f"{' + '.join(r['files'])}\n  check, each file on its own, summed: {c['wall']} s wall, {c['cpu']} s CPU\n"
          f"  app, opened together: first view {app.get('first_view')} s, CPU {app['cpu']} s"
          f"{'; failed: ' + app['failed'] if app.get('failed') else ''}\n"
          f"  times each file was opened: {', '.join(f'{k} ×{v}' for k, v in opened.items())}", flush=True)
    return r


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--json")
    ap.add_argument("--xlsx-only", action="store_true", help="only step 3 (parse against parse --format xlsx)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="step 3 this many times, alternating, and report the medians (CPU time varies with the load)")
    ap.add_argument("--together", action="store_true",
                    help="open the files in the app as one upload (years of one unit, a 预算 and its 决算)")
    args = ap.parse_args(argv)
    files = [Path(f) for f in args.files]
    if args.together and len(files) < 2:
        ap.error("--together needs two files or more")
    if not files:
        files = [p for p in (longest_pdf(ROOT / "data"), longest_pdf(ROOT.parent / "shared" / "corpus-breadth"))
                 if p is not None]
    import budgetkit.app  # noqa: F401  (imports done, as in a running app)

    if args.together:
        return _done([together(files)], args.json)

    results = []
    for f in files:
        r = {"file": f.name}
        runs: dict = {"parse": [], "parse_xlsx": []}
        for _ in range(max(args.repeat, 1)):
            with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
                runs["parse"].append(timed(CLI + ["parse", str(f), "--out", a]))
                runs["parse_xlsx"].append(timed(CLI + ["parse", str(f), "--out", b, "--format", "xlsx"]))
        for key, got in runs.items():
            r[key] = {k: statistics.median(g[k] for g in got) for k in ("wall", "cpu")} | {"exit": got[-1]["exit"]}
        p, x = r["parse"], r["parse_xlsx"]
        r["xlsx_extra_wall_pct"] = round(100 * (x["wall"] / p["wall"] - 1), 1)
        r["xlsx_extra_cpu_pct"] = round(100 * (x["cpu"] / p["cpu"] - 1), 1)
        xlsx_line = (f"  parse: {p['wall']} s wall, {p['cpu']} s CPU; --format xlsx: {x['wall']} s wall, "
                     f"{x['cpu']} s CPU (+{r['xlsx_extra_wall_pct']} % wall, +{r['xlsx_extra_cpu_pct']} % CPU)")
        if args.xlsx_only:
            results.append(r)
            print(f"{f.name}\n{xlsx_line}", flush=True)
            continue
        r["check"] = timed(CLI + ["check", str(f)])
        r["app"] = app_timing(f)
        c, app = r["check"], r["app"]
        r["app_first_view_over_check_wall"] = round(app.get("first_view", float("nan")) / c["wall"], 2)
        r["app_cpu_over_check_cpu"] = round(app["cpu"] / c["cpu"], 2)
        results.append(r)
        print(f"{f.name}\n  check: {c['wall']} s wall, {c['cpu']} s CPU (exit {c['exit']})\n"
              f"  app: progress {app.get('progress')} s, page n of N {app.get('page_shown')} s, first view "
              f"{app.get('first_view')} s ({r['app_first_view_over_check_wall']}× check), CPU {app['cpu']} s "
              f"({r['app_cpu_over_check_cpu']}× check)\n{xlsx_line}", flush=True)
    return _done(results, args.json)


def _done(results: list, out: str | None) -> int:
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
