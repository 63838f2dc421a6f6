"""Corpus store (issue 12): grouping, build with Dask, failures, reruns, DuckDB queries, reopen by sha256.

One small store is built once per module (seed text, one real Shanghai PDF, one broken file) with a local
two-process cluster; the scheduler test builds through `dask scheduler` / `dask worker` started as processes.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import budgetkit
from budgetkit.store import build, open_store, plan
from budgetkit.store.group import split_part
from budgetkit.store.pieces import piece_name

from conftest import CORPUS, DATA, SEED_TXT, load

WANLI = CORPUS / "sh-putuo-wanli-street-2024-budget.pdf"
HANGZHOU = CORPUS / "zj-hangzhou-meteo-2026-budget.pdf"  # the fastest real PDF to read and check
BIN = Path(sys.executable).parent


def manifest_sha(path: Path) -> str:
    with (DATA / "MANIFEST.csv").open(encoding="utf-8") as fh:
        rows = {r["path"]: r["sha256"] for r in csv.DictReader(fh)}
    return rows[str(path.relative_to(DATA))]


# --------------------------------------------------------------------------------------------- grouping

def test_names_group_text_and_tables_halves_only():
    groups = {g.disclosure_id: g for g in plan([DATA])}
    js = groups["js-provincial-party-office-2019-budget-{tables,text}.pdf"]
    assert [p.name for p in js.paths] == ["js-provincial-party-office-2019-budget-tables.pdf",
                                          "js-provincial-party-office-2019-budget-text.pdf"]
    assert js.rule == "name-parts"
    # department and unit budgets of one Shanghai committee are two disclosures, not one
    assert "sh-putuo-commerce-2025-budget-dept.pdf" in groups and "sh-putuo-commerce-2025-budget-unit.pdf" in groups
    # the seed in four formats: four disclosures with distinct ids; the CSV beside the corpus is not a disclosure
    assert {f"leshan-shizhong-shebao-2023-budget.{e}" for e in ("txt", "pdf", "docx", "xlsx")} <= set(groups)
    assert not any(k.endswith(".csv") for k in groups)
    pairs = [g for g in groups.values() if g.rule == "name-parts"]
    assert sorted(g.disclosure_id[:-len("-{tables,text}.pdf")] for g in pairs) == [
        "bj-city-finance-2026-budget", *(f"js-provincial-party-office-{y}-budget" for y in (2017, 2018, 2019))]
    assert all(len(g.paths) == 1 for g in groups.values() if g.rule != "name-parts")
    assert split_part("某区财政局2026年部门预算报表") == ("某区财政局2026年部门预算", "报表")


def test_manifest_column_overrides_the_name_rule(tmp_path):
    a, b = tmp_path / "a" / "2026部门预算.pdf", tmp_path / "b" / "2026部门预算.pdf"
    for p in (a, b):
        p.parent.mkdir()
        shutil.copy(WANLI, p)
    # same name in two folders: folder names go in front of the id
    assert sorted(g.disclosure_id for g in plan([tmp_path])) == ["a/2026部门预算.pdf", "b/2026部门预算.pdf"]
    m = tmp_path / "manifest.csv"
    m.write_text("path,disclosure,family\na/2026部门预算.pdf,wanli-2024,shanghai\nb/2026部门预算.pdf,wanli-2024,"
                 "shanghai\n", encoding="utf-8")
    (g,) = plan([tmp_path], manifest=m)
    assert (g.disclosure_id, g.rule, len(g.paths), g.manifest["family"]) == ("wanli-2024", "manifest", 2, "shanghai")


# --------------------------------------------------------------------------------------------- one build

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("store")
    inputs = root / "in"
    inputs.mkdir()
    broken = inputs / "truncated-2026-budget.pdf"
    broken.write_bytes(WANLI.read_bytes()[:3000])
    store = root / "store"
    result = build([SEED_TXT, HANGZHOU, inputs], store, workers=2, progress=False)
    return store, result, broken


def test_build_records_the_broken_file_and_goes_on(built):
    store, result, broken = built
    assert (result.planned, result.built, result.failed) == (3, 2, 1)
    con = open_store(store)
    rows = con.execute("SELECT disclosure_id, file, step, reason FROM failures").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [(broken.name, broken.name, "read")]
    assert " / " in rows[0][3] and broken.name in rows[0][3]  # one bilingual line naming the file
    status = dict(con.execute("SELECT disclosure_id, status FROM disclosures").fetchall())
    assert status == {broken.name: "failed", SEED_TXT.name: "ok", HANGZHOU.name: "ok"}
    # where each comes from, read from its department's name — never the template family (it once said "sichuan")
    places = {r[0]: (r[1], r[2]) for r in con.execute("SELECT disclosure_id, city, province FROM disclosures").fetchall()}
    assert places[SEED_TXT.name] == ("乐山市", "四川省") and places[HANGZHOU.name] == ("杭州市", "浙江省")
    assert places[broken.name] == (None, None)


def test_sql_totals_equal_reading_one_by_one(built):
    store, _, _ = built
    con = open_store(store)
    sums = dict(con.execute("SELECT disclosure_id, sum(amount_yuan) FROM amounts GROUP BY 1").fetchall())
    counts = dict(con.execute("SELECT disclosure_id, count(*) FROM amounts GROUP BY 1").fetchall())
    for path in (SEED_TXT, HANGZHOU):
        d = load(path)
        assert counts[path.name] == len(d.amounts)
        assert sums[path.name] == sum(d.amounts["amount_yuan"].dropna(), Decimal(0))
    assert con.execute("SELECT typeof(amount), typeof(amount_yuan) FROM amounts LIMIT 1").fetchone() == \
        ("DECIMAL(28,6)", "DECIMAL(28,6)")
    # the seed's 三公 total as printed, found by SQL
    (v,) = con.execute("SELECT amount FROM amounts WHERE disclosure_id = ? AND table_kind = 'three_public_costs' "
                   "AND column_label LIKE '%合计%' ORDER BY row_no, col_no LIMIT 1", [SEED_TXT.name]).fetchone()
    d = load(SEED_TXT)
    t = d.amounts[(d.amounts.table_kind == "three_public_costs") & d.amounts.column_label.str.contains("合计")]
    assert v == t.sort_values(["row_no", "col_no"])["amount"].iloc[0]


def test_every_row_is_keyed_and_no_float_is_stored(built):
    store, _, _ = built
    con = open_store(store)
    for table in ("amounts", "tables", "narrative", "targets", "findings"):
        bad = con.execute(f"SELECT count(*) FROM {table} WHERE disclosure_id IS NULL OR sha256 IS NULL").fetchone()[0]
        assert bad == 0, table
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    shas = {r[0] for r in con.execute("SELECT DISTINCT sha256 FROM amounts WHERE disclosure_id = ?",
                                  [HANGZHOU.name]).fetchall()}
    assert shas == {manifest_sha(HANGZHOU)}
    pages = con.execute("SELECT min(page), max(page) FROM amounts WHERE disclosure_id = ?", [HANGZHOU.name]).fetchone()
    assert pages[0] >= 1 and pages[1] <= len(__import__("pdfplumber").open(HANGZHOU).pages)
    assert con.execute("SELECT DISTINCT year, stage FROM amounts ORDER BY 1").fetchall() == [(2023, "预算"), (2026, "预算")]
    for f in store.rglob("*.parquet"):
        for field in pq.read_schema(f):
            assert "float" not in str(field.type) and "double" not in str(field.type), (f, field)


def test_findings_in_store_match_check(built):
    store, _, _ = built
    con = open_store(store)
    stored = con.execute("SELECT rule, severity, status, expected_text, actual_text FROM findings WHERE disclosure_id = ? "
                     "ORDER BY ALL", [HANGZHOU.name]).fetchall()
    fresh = list((f.rule, f.severity, f.status, f.to_dict()["expected"], f.to_dict()["actual"])
                 for f in budgetkit.check(load(HANGZHOU)))
    assert stored
    assert sorted(stored, key=lambda r: tuple("" if v is None else str(v) for v in r)) == \
        sorted(fresh, key=lambda r: tuple("" if v is None else str(v) for v in r))


def test_read_with_store_gives_the_same_disclosure(built, tmp_path):
    store, _, _ = built
    d = load(HANGZHOU)
    t0 = time.perf_counter()
    s = budgetkit.read(HANGZHOU, store=store)
    took = time.perf_counter() - t0
    assert s.__dict__.get("store_source", {}).get("disclosure_id") == HANGZHOU.name  # came from the store
    assert took < 1.0  # parsing this PDF takes seconds; the bench measures the real median
    assert s.meta == d.meta and s.doc_id == d.doc_id
    assert s.amounts.equals(d.amounts) and s.narrative.equals(d.narrative) and s.targets.equals(d.targets)
    assert [(t.kind, t.title, t.pages, t.unit, t.column_roles) for t in s.tables] == \
        [(t.kind, t.title, t.pages, t.unit, t.column_roles) for t in d.tables]
    assert all(a.frame.equals(b.frame) for a, b in zip(s.tables, d.tables))
    assert [getattr(t, "row_pages", None) for t in s.tables] == [getattr(t, "row_pages", None) for t in d.tables]
    assert [getattr(t, "guesses", None) for t in s.tables] == [getattr(t, "guesses", None) for t in d.tables]
    other = tmp_path / "other-2023-budget.txt"
    other.write_text(tiny_text(), encoding="utf-8")
    assert "store_source" not in budgetkit.read(other, store=store).__dict__  # not stored: parsed


def tiny_text(n: int = 3500) -> str:
    """The seed's first tables only: a small real disclosure that reads and checks in a fraction of a second."""
    return SEED_TXT.read_text(encoding="utf-8")[:n]


@pytest.fixture(scope="module")
def warm_cluster():
    """One local cluster kept warm for the rerun builds (passed as --scheduler: the same code path)."""
    from dask.distributed import LocalCluster

    import dask

    from budgetkit.store.build import WORKER_CONFIG

    with dask.config.set(WORKER_CONFIG):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    yield cluster.scheduler_address
    cluster.close()


def test_rerun_skips_resumes_and_force_rebuilds(tmp_path, warm_cluster):
    files = []
    for i, n in enumerate((3500, 3600, 3700)):
        f = tmp_path / "in" / f"part-{i}-2023-budget.txt"
        f.parent.mkdir(exist_ok=True)
        f.write_text(tiny_text(n), encoding="utf-8")
        files.append(f)
    store = tmp_path / "store"
    first = build(files, store, scheduler=warm_cluster, progress=False)
    assert (first.built, first.skipped) == (3, 0)
    assert (build(files, store, scheduler=warm_cluster, progress=False).skipped, first.failed) == (3, 0)  # unchanged: nothing to do
    # an interrupted run: file 0's marker and meta row were never written; file 1 changed since
    marker_file = store / "_done" / f"{piece_name(files[0].name)}.json"
    marker = json.loads(marker_file.read_text(encoding="utf-8"))
    marker_file.unlink()
    (store / [p for p in marker["pieces"] if p.startswith("disclosures/")][0]).unlink()
    n0 = open_store(store).execute("SELECT count(*) FROM amounts WHERE disclosure_id = ?",
                                   [files[0].name]).fetchone()[0]
    assert n0 == 0  # half a disclosure is never visible
    files[1].write_text(tiny_text(3600) + "\n附：修改\n", encoding="utf-8")
    resumed = build(files, store, scheduler=warm_cluster, progress=False)
    assert (resumed.built, resumed.skipped) == (2, 1)
    con = open_store(store)
    counts = dict(con.execute("SELECT disclosure_id, count(*) FROM amounts GROUP BY 1").fetchall())
    assert counts == {f.name: len(budgetkit.read(f).amounts) for f in files}
    shas = dict(con.execute("SELECT disclosure_id, sha256 FROM disclosures").fetchall())
    assert shas[files[1].name] == hashlib.sha256(files[1].read_bytes()).hexdigest()
    assert build(files, store, scheduler=warm_cluster, force=True, progress=False).built == 3


# --------------------------------------------------------------------------------------------- command line

def _run(*args, **kw):
    return subprocess.run([str(BIN / "budgetkit"), *map(str, args)], capture_output=True, text=True, timeout=120, **kw)


def test_query_formats_keep_decimals_exact(built):
    store, _, _ = built
    sql = f"SELECT sum(amount_yuan) AS total FROM amounts WHERE disclosure_id = '{SEED_TXT.name}'"
    want = sum(load(SEED_TXT).amounts["amount_yuan"].dropna(), Decimal(0))
    out = _run("query", store, sql, "--format", "csv")
    assert out.returncode == 0 and Decimal(out.stdout.splitlines()[1]) == want
    out = _run("query", store, sql, "--format", "json")
    assert Decimal(json.loads(out.stdout)[0]["total"]) == want
    # the terminal shows what a person reads: separators, significant digits, blanks for missing values
    out = _run("query", store, sql + " UNION ALL SELECT NULL")
    assert f"{want:,.2f}" in out.stdout and "NaN" not in out.stdout and "<NA>" not in out.stdout
    bad = _run("query", store, "SELECT nope FROM amounts")
    assert bad.returncode == 2 and "错误 / error" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_build_through_an_existing_scheduler(tmp_path):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, DASK_DISTRIBUTED__LOGGING__DISTRIBUTED="error",
               DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED="False",
               DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__GIL__ENABLED="False")
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)]
    try:
        procs.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                                       "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      env=env))
        store = tmp_path / "store"
        bad = tmp_path / "empty-2026-budget.pdf"
        bad.write_bytes(b"")
        tiny = tmp_path / "tiny-2023-budget.txt"
        tiny.write_text(tiny_text(), encoding="utf-8")
        out = _run("build", tiny, bad, "--out", store, "--scheduler", address, "--quiet")
        assert out.returncode == 0, out.stderr
        assert "新建 1" in out.stderr and "失败 1" in out.stderr
        con = open_store(store)
        assert con.execute("SELECT disclosure_id, count(*) FROM amounts GROUP BY 1").fetchall() == [
            (tiny.name, len(budgetkit.read(tiny).amounts))]
        assert con.execute("SELECT file, step FROM failures").fetchall() == [(bad.name, "read")]
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def test_build_bad_input_is_one_line_exit_2(tmp_path):
    out = _run("build", tmp_path / "missing", "--out", tmp_path / "s")
    assert out.returncode == 2 and "错误 / error" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_a_task_whose_worker_died_is_recorded_and_its_pieces_removed(tmp_path):
    """What the driver does when a worker dies mid-disclosure (KilledWorker): a failure row, no orphan rows."""
    import importlib

    from budgetkit.store.pieces import atomic_write_table, piece_path, to_arrow

    b = importlib.import_module("budgetkit.store.build")
    store = tmp_path / "store"
    did = "x-2026-budget-{tables,text}.pdf"
    job = {"store": str(store), "disclosure_id": did, "piece": piece_name(did), "version": b.version(),
           "paths": ["/in/x-2026-budget-tables.pdf", "/in/x-2026-budget-text.pdf"], "sha256": ["a" * 64, "b" * 64],
           "rule": "name-parts", "manifest": {}, "old": None}
    d = load(SEED_TXT)
    atomic_write_table(piece_path(store, "amounts", 2023, "预算", job["piece"]),
                       to_arrow(d.amounts.assign(disclosure_id=did), 2023, "预算"))  # written before it died
    b._write_failure_schema(store)
    summary = b._lost(job, RuntimeError("KilledWorker: worker died"))
    assert summary["status"] == "failed" and summary["failed_files"] == 2
    con = open_store(store)
    assert not list(store.glob("amounts/*/*/*.parquet"))  # the orphan piece is gone
    rows = con.execute("SELECT file, step, reason FROM failures ORDER BY file").fetchall()
    assert [(r[0], r[1]) for r in rows] == [("x-2026-budget-tables.pdf", "worker"), ("x-2026-budget-text.pdf", "worker")]
    assert "内部错误 / internal error: RuntimeError" in rows[0][2]
    assert con.execute("SELECT status FROM disclosures").fetchall() == [("failed",)]


def test_own_workers_are_prepared_and_a_given_cluster_is_left_alone(warm_cluster):
    """The local cluster a build starts imports the reader and freezes what its workers hold (gc.freeze): a Dask
    worker's own long-lived objects otherwise made reading about 5% slower there than in a plain process
    (bench/build_speed.py).  A cluster the user gives (--scheduler) keeps its collector as it is."""
    import gc

    from budgetkit.store.build import _client

    client, cluster = _client(1, None)
    try:
        assert all(n > 10_000 for n in client.run(gc.get_freeze_count).values())
    finally:
        client.close()
        cluster.close()
    given, none = _client(None, warm_cluster)
    try:
        assert none is None and all(n == 0 for n in given.run(gc.get_freeze_count).values())
    finally:
        given.close()


def test_the_pipeline_never_imports_the_store():
    """One direction only: the store reads through the pipeline; read → recognise → tidy → check never import the
    store (budgetkit.read(path, store=) is the package's front door, not the pipeline's)."""
    import ast

    pkg = Path(budgetkit.__file__).parent
    files = [pkg / "pipeline.py", *[p for d in ("read", "recognise", "tidy", "check") for p in (pkg / d).rglob("*.py")]]
    for f in files:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            assert not any(n.startswith("budgetkit.store") for n in names), (f, names)
