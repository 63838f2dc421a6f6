"""``budgetkit build``: many disclosures into one Parquet store, in parallel with Dask distributed.

One code path: a local cluster of processes (``workers``) or an existing scheduler (``scheduler``).  Each task
reads, checks and writes one disclosure's pieces itself and returns a few numbers, so nothing large passes
through the scheduler.  Tasks are handed out a window at a time (one per worker thread), which keeps one
disclosure per worker in memory.

Per disclosure a marker ``_done/PIECE.json`` is written last; a rerun skips disclosures whose marker names the
same files (sha256) and budgetkit version, so an interrupted run resumes where it stopped.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

from budgetkit.errors import BadInputError, one_line, shown
from budgetkit.store.frames import (DECIMAL, FACT_COLUMNS, FINDING_COLUMNS, FINDING_DECIMAL,  # noqa: F401
                                    _keyed, facts_frame, findings_frame, frame_json, tables_frame)
from budgetkit.store.group import Group, plan
from budgetkit.store.pieces import (arrow_info, atomic_write_bytes, atomic_write_table, piece_name, piece_path,
                                    partition_values, to_arrow, with_partition_columns)

FAILURE_COLUMNS = ["disclosure_id", "file", "sha256", "step", "error_type", "reason", "budgetkit_version",
                   "failed_at"]


@lru_cache(maxsize=1)
def version() -> str:
    """budgetkit's version and a fingerprint of its code and reference data (``0.1.0+3f9c0a1b2d4e``).

    A store is rebuilt when either changes, so a rerun never keeps what older code read."""
    import budgetkit

    root = Path(budgetkit.__file__).parent
    h = hashlib.sha256()
    for f in sorted([*root.rglob("*.py"), *root.rglob("*.csv")]):
        h.update(str(f.relative_to(root)).encode("utf-8"))
        h.update(f.read_bytes())
    return f"{budgetkit.__version__}+{h.hexdigest()[:12]}"


def sha256_of(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# one disclosure (runs on a worker)

def _reason(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, BadInputError):
        return "BadInputError", str(exc)
    msg = str(exc).splitlines()[0][:300] if str(exc) else ""
    return type(exc).__name__, f"内部错误 / internal error: {type(exc).__name__}: {msg}"


def _failure(did, file, sha, step, exc, ver) -> dict:
    etype, reason = _reason(exc)
    return {"disclosure_id": did, "file": file, "sha256": sha, "step": step, "error_type": etype, "reason": reason,
            "budgetkit_version": ver, "failed_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def build_one(job: dict) -> dict:
    """Read, check and store one disclosure; return a small summary (runs on a Dask worker)."""
    from budgetkit.check import check
    from budgetkit.pipeline import read

    store, did, piece, ver = Path(job["store"]), job["disclosure_id"], job["piece"], job["version"]
    paths = [Path(p) for p in job["paths"]]
    by_path = dict(zip(job["paths"], job["sha256"]))
    _forget(store, piece, job.get("old"))
    failures, timings = [], {}
    t0 = time.perf_counter()
    d = None
    unchecked = False
    try:
        d = read(paths, keep_going=True)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, the run goes on
        for p in paths:
            failures.append(_failure(did, shown(p.name), by_path[str(p)], "read", exc, ver))
    timings["read_s"] = time.perf_counter() - t0
    year = stage = None
    frames: dict[str, pd.DataFrame] = {}
    shas = {shown(Path(p).name): s for p, s in by_path.items()}
    if d is not None:
        for exc in d.errors:
            name = shown(Path(getattr(exc, "path", "")).name)
            failures.append(_failure(did, name, shas.get(name), "read", exc, ver))
        year, stage = d.meta.get("year"), d.meta.get("stage")
        frames["amounts"] = _keyed(d.amounts, did, shas)
        frames["residue"] = _keyed(d.residue, did, shas)
        narrative = d.narrative.copy()
        narrative.insert(0, "doc_id", d.doc_id)
        frames["narrative"] = _keyed(narrative, did, shas)
        frames["tables"] = tables_frame(d, did, shas)
        t1 = time.perf_counter()
        try:
            frames["targets"] = _keyed(d.targets, did, shas, file_col=None)
        except Exception as exc:  # noqa: BLE001
            failures.append(_failure(did, None, None, "targets", exc, ver))
        if hasattr(type(d), "statements") or "statements" in d.__dict__:
            try:
                st = d.statements
                if isinstance(st, pd.DataFrame):
                    frames["statements"] = _keyed(st, did, shas)
            except Exception as exc:  # noqa: BLE001
                failures.append(_failure(did, None, None, "statements", exc, ver))
        timings["targets_s"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        try:
            findings = check(d)
            frames["findings"] = findings_frame(findings, did, d.doc_id, shas)
        except Exception as exc:  # noqa: BLE001
            findings = None
            failures.append(_failure(did, None, None, "check", exc, ver))
            # no budget table recognised, no amount read: nothing was checked, so the disclosure failed
            # (its metadata, read from a document that may not be a budget at all, is kept but says nothing)
            unchecked = unchecked or isinstance(exc, BadInputError)
        timings["check_s"] = time.perf_counter() - t2
        try:
            frames["facts"] = facts_frame(d, did, shas, getattr(findings, "facts", None))
        except Exception as exc:  # noqa: BLE001
            failures.append(_failure(did, None, None, "facts", exc, ver))
        if findings is not None:  # the transparency scorecard, one row per item (reads the findings just made)
            try:
                from budgetkit.score import score

                frames["scores"] = _keyed(score(d, findings=findings).store_frame(), did, shas, file_col=None)
            except Exception as exc:  # noqa: BLE001
                failures.append(_failure(did, None, None, "scores", exc, ver))
    year = year if year is not None else _int_or_none(job["manifest"].get("year"))
    stage = stage or job["manifest"].get("stage")
    written, infos = [], {}
    for table, df in frames.items():
        path = piece_path(store, table, year, stage, piece)
        try:
            if len(df):
                arrow = to_arrow(df, year, stage)
                atomic_write_table(path, arrow)
                written.append(str(path.relative_to(store)))
                infos[table] = arrow_info(arrow)  # kept in the marker: a compacted file holds no piece metadata
            else:
                _write_schema(store, table, df, year, stage)
        except Exception as exc:  # noqa: BLE001 - one table that cannot be written does not lose the others
            failures.append(_failure(did, None, None, f"write {table}", exc, ver))
    if failures:  # written after the other tables, so that a table that could not be written is listed too
        fdf = pd.DataFrame(failures, columns=FAILURE_COLUMNS).astype("string")
        path = piece_path(store, "failures", year, stage, piece)
        atomic_write_table(path, to_arrow(fdf, year, stage))
        written.append(str(path.relative_to(store)))
    status = "failed" if d is None or unchecked else ("partial" if failures else "ok")
    meta_row = _meta_row(job, d, status, failures, timings, year, stage)
    dpath = piece_path(store, "disclosures", year, stage, piece)
    atomic_write_table(dpath, to_arrow(meta_row, year, stage))
    written.append(str(dpath.relative_to(store)))
    marker = {"disclosure_id": did, "piece": piece, "version": ver, "files": [shown(p) for p in job["paths"]],
              "sha256": job["sha256"], "status": status, "year": year, "stage": stage, "pieces": written,
              "doc_id": d.doc_id if d is not None else None, "arrow": infos}
    data = json.dumps(marker, ensure_ascii=False, indent=1).encode("utf-8")
    atomic_write_bytes(store / "_done" / f"{piece}.json", data)
    for sha in job["sha256"]:
        atomic_write_bytes(store / "_sha256" / f"{sha}.json", data)
    return {"disclosure_id": did, "status": status, "files": len(paths),
            "failed_files": len({f["file"] for f in failures if f["step"] == "read"}),
            "rows": {k: len(v) for k, v in frames.items()}, **timings}


def _int_or_none(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _meta_row(job, d, status, failures, timings, year, stage) -> pd.DataFrame:
    m = d.meta if d is not None else {}
    manifest = job["manifest"]
    units = m.get("units") or []
    names = [manifest.get("publisher"), *(u.get("name") for u in units), m.get("department")]
    cov = d.coverage() if d is not None else {}
    row = {
        "disclosure_id": job["disclosure_id"], "doc_id": d.doc_id if d is not None else None,
        "status": status, "rule": job["rule"], "department": m.get("department"),
        "department_code": m.get("department_code"), "publisher": manifest.get("publisher"),
        "unit_names": json.dumps([u.get("name") for u in units], ensure_ascii=False),
        "family": m.get("family") or manifest.get("family"),
        "province": manifest.get("province") or m.get("province") or province_of(names),  # meta: names, cover, text
        "city": manifest.get("city") or m.get("city") or city_of(names),
        "year": year, "stage": stage,
        "files": json.dumps([shown(Path(p).name) for p in job["paths"]], ensure_ascii=False),
        "paths": json.dumps([shown(p) for p in job["paths"]], ensure_ascii=False),
        "sha256": ",".join(job["sha256"]),
        "n_files": len(job["paths"]), "n_failed": len(failures),
        "n_tables": cov.get("tables"), "n_tables_recognised": cov.get("tables_recognised"),
        "n_amounts": cov.get("amount_cells"), "n_residue": cov.get("residue_cells"),
        "n_paragraphs": cov.get("paragraphs"),
        "warnings": json.dumps(d.warnings if d is not None else [], ensure_ascii=False),
        "errors": json.dumps([[getattr(e, "path", ""), getattr(e, "reason_zh", str(e)), getattr(e, "reason_en", "")]
                              for e in (d.errors if d is not None else [])], ensure_ascii=False),
        "meta": json.dumps(m, ensure_ascii=False, default=str),
        "manifest": json.dumps(manifest, ensure_ascii=False),
        "budgetkit_version": job["version"],
        "read_seconds": timings.get("read_s"), "check_seconds": timings.get("check_s"),
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    df = pd.DataFrame([row])
    for c in ("read_seconds", "check_seconds"):  # timings are not money; kept exact to the microsecond
        df[c] = pd.array([None if v is None else Decimal(f"{v:.6f}") for v in df[c]],
                         dtype=pd.ArrowDtype(pa.decimal128(18, 6)))
    ints = ["year", "n_files", "n_failed", "n_tables", "n_tables_recognised", "n_amounts", "n_residue",
            "n_paragraphs"]
    df = df.astype({c: "Int64" for c in ints})
    return df.astype({c: "string" for c in df.columns if c not in ints and c not in ("read_seconds",
                                                                                      "check_seconds")})


def province_of(names) -> str | None:
    """The province a department or unit name starts with (reference/regions.csv; 国家信访局 → 中央), or None —
    never the template family, which says how a disclosure is laid out, not where it is from."""
    from budgetkit.tidy.meta import region_of

    for n in names:
        r = region_of(n) if isinstance(n, str) else None
        if r and r.get("province"):
            return r["province"]
    return None


def city_of(names) -> str | None:
    """The city in a department or unit name: the shortest leading name ending in 市/州/盟 (乐山市市中区… → 乐山市)."""
    import re

    for n in names:
        if isinstance(n, str):
            m = re.match(r"^(?:中共)?(\w{1,6}?市)", n) or re.match(r"^(?:中共)?(\w{1,8}?[州盟])", n)
            if m and not m.group(1).endswith(("省市", "区市")):
                return m.group(1)
    return None


def _write_schema(store: Path, table: str, df: pd.DataFrame, year, stage) -> None:
    """A zero-row file so that a table with no rows anywhere can still be queried."""
    path = store / "_schemas" / f"{table}.parquet"
    if path.exists():
        return
    try:
        atomic_write_table(path, with_partition_columns(to_arrow(df.iloc[:0], year, stage), year, stage))
    except Exception:  # noqa: BLE001 - a schema file is a convenience only
        pass


def _forget(store: Path, piece: str, old: dict | None) -> None:
    """Take an older build of this disclosure out of the store before writing the new one."""
    (store / "_done" / f"{piece}.json").unlink(missing_ok=True)
    if old:
        for rel in old.get("pieces", []):
            (store / rel).unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------------------------
# the driver

@dataclass
class BuildResult:
    store: Path
    planned: int = 0
    skipped: int = 0
    built: int = 0
    failed: int = 0
    partial: int = 0
    files: int = 0
    failed_files: int = 0
    seconds: float = 0.0
    summaries: list = field(default_factory=list)
    execution: dict = field(default_factory=dict)  # 预算/决算 pairs joined (budgetkit.store.pairs.update)
    compaction: object = None  # a CompactResult when the build compacted the store

    def line(self) -> str:
        return (f"公开文件 {self.planned} 份：新建 {self.built}，跳过（未变）{self.skipped}，部分失败 {self.partial}，"
                f"失败 {self.failed}；{self.seconds:.1f} 秒 → {self.store} / disclosures {self.planned}: built "
                f"{self.built}, skipped (unchanged) {self.skipped}, partly failed {self.partial}, failed "
                f"{self.failed}; {self.seconds:.1f} s")


def _jobs(groups: list[Group], store: Path, force: bool, retry_failed: bool) -> tuple[list[dict], int]:
    ver = version()
    jobs, skipped = [], 0
    for g in groups:
        piece = piece_name(g.disclosure_id)
        shas = [sha256_of(p) for p in g.paths]
        marker_path = store / "_done" / f"{piece}.json"
        old = None
        if marker_path.exists():
            try:
                old = json.loads(marker_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = None
        if (old and not force and old.get("version") == ver and sorted(old.get("sha256", [])) == sorted(shas)
                and not (retry_failed and old.get("status") != "ok")):
            skipped += 1
            continue
        jobs.append({"store": str(store), "disclosure_id": g.disclosure_id, "piece": piece, "version": ver,
                     "paths": [str(p.resolve()) for p in g.paths], "sha256": shas, "rule": g.rule,
                     "manifest": g.manifest, "old": old})
    return jobs, skipped


def _size(path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _lost(job: dict, exc: BaseException) -> dict:
    """A task whose worker died or raised: record the failure from the driver, never stop the run."""
    store = Path(job["store"])
    ver = job["version"]
    failures = [_failure(job["disclosure_id"], shown(Path(p).name), s, "worker", exc, ver)
                for p, s in zip(job["paths"], job["sha256"])]
    year, stage = _int_or_none(job["manifest"].get("year")), job["manifest"].get("stage")
    try:
        for orphan in store.glob(f"*/*/*/{glob_escape(job['piece'])}.parquet"):  # what the task wrote before it died
            orphan.unlink(missing_ok=True)
        fpath = piece_path(store, "failures", year, stage, job["piece"])
        atomic_write_table(fpath, to_arrow(pd.DataFrame(failures, columns=FAILURE_COLUMNS).astype("string"),
                                           year, stage))
        meta = _meta_row(job, None, "failed", failures, {}, year, stage)
        dpath = piece_path(store, "disclosures", year, stage, job["piece"])
        atomic_write_table(dpath, to_arrow(meta, year, stage))
        marker = {"disclosure_id": job["disclosure_id"], "piece": job["piece"], "version": ver,
                  "files": [shown(p) for p in job["paths"]], "sha256": job["sha256"], "status": "failed", "year": year, "stage": stage,
                  "pieces": [str(fpath.relative_to(store)), str(dpath.relative_to(store))], "doc_id": None}
        atomic_write_bytes(store / "_done" / f"{job['piece']}.json",
                           json.dumps(marker, ensure_ascii=False, indent=1).encode("utf-8"))
    except OSError as err:
        print(one_line(f"错误 / error: {store}: 无法写入失败记录 / cannot record the failure ({err})"), file=sys.stderr)
    return {"disclosure_id": job["disclosure_id"], "status": "failed", "files": len(job["paths"]),
            "failed_files": len(job["paths"]), "rows": {"failures": len(failures)}}


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


#: Dask's statistical profiler samples each task's stack every 10 ms and its GIL monitor every 1 ms; on
#: budgetkit's deep pure-Python reading that halves the speed of two workers on two cores.  The event-loop tick
#: (20 ms), the system monitor (500 ms) and the nanny's memory poll (100 ms) wake each process many times a second
#: and take the GIL from the reading thread: at 1 s, 2 s and 1 s an idle cluster of two uses a third of the CPU it
#: did.  Workers of an existing cluster take the same settings from the environment, e.g.
#: DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False, DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__GIL__ENABLED=False,
#: DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL=1s.
WORKER_CONFIG = {"distributed.worker.profile.enabled": False,
                 "distributed.admin.system-monitor.gil.enabled": False,
                 "distributed.admin.tick.interval": "1s",
                 "distributed.admin.system-monitor.interval": "2s",
                 "distributed.worker.memory.monitor-interval": "1s",
                 # one task per worker slot is ever in flight (see build): nothing to steal, no need to look
                 "distributed.scheduler.work-stealing": False}


def _client(workers: int | None, scheduler: str | None):
    import logging

    from dask.distributed import Client, LocalCluster

    for name in ("distributed", "distributed.worker", "distributed.scheduler", "distributed.nanny"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if scheduler:
        return Client(scheduler, timeout="30s"), None
    import dask

    n = workers or os.cpu_count() or 1
    with dask.config.set(WORKER_CONFIG):  # the worker processes take the config they start with
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
    client = Client(cluster)
    client.run(prepare_worker)  # our own worker processes only: a cluster the user gives is left as it is
    return client, cluster


def prepare_worker() -> None:
    """Import the reader once, then move everything the process holds so far out of the garbage collector's
    sight (gc.freeze).  A Dask worker carries tens of thousands of long-lived objects of its own; pdfminer
    allocates millions of short-lived ones per document, and each full collection rescanned the long-lived ones
    too: allocation-heavy work ran about 25% slower in a worker than in a plain process, and as fast once frozen.
    Only for the worker processes this build starts: a user's own processes keep their collector as it is."""
    import gc

    import budgetkit.check  # noqa: F401 - imported for the freeze
    import budgetkit.pipeline  # noqa: F401
    import budgetkit.store.pieces  # noqa: F401

    gc.collect()
    gc.freeze()


def _slots(client) -> int:
    info = client.scheduler_info()
    return max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))


def build(inputs, out, *, manifest=None, workers: int | None = None, scheduler: str | None = None,
          force: bool = False, retry_failed: bool = False, progress: bool = True,
          compact: bool | None = None) -> BuildResult:
    """Build (or update) the store ``out`` from the files and folders ``inputs``.  See the module docstring.

    In a script, call it under ``if __name__ == "__main__":``: the local cluster's worker processes import the
    script again.  Returns a :class:`BuildResult`; failures are rows of the ``failures`` table, never raised.
    Afterwards 预算/决算 pairs are joined (the ``execution`` table) and, when ``compact`` is True or (None) at
    least :data:`~budgetkit.store.compact.AUTO_THRESHOLD` loose pieces wait, the store is compacted.
    """
    from budgetkit.store.compact import compact as compact_store
    from budgetkit.store.compact import due, recover, writing
    from budgetkit.store.layout import read_current
    from budgetkit.store.pairs import update as update_execution

    started = time.perf_counter()
    store = Path(out)
    if store.exists() and not store.is_dir():
        raise BadInputError(store, "输出位置是文件而非文件夹", "the output is a file, not a folder")
    groups = plan(inputs, manifest)
    if not groups:
        raise BadInputError(", ".join(map(str, inputs)), "没有找到公开文件（.pdf/.docx/.xlsx/.txt）",
                            "no disclosure files found (.pdf/.docx/.xlsx/.txt)")
    try:
        store.mkdir(parents=True, exist_ok=True)
        _write_failure_schema(store)
    except OSError as exc:
        raise BadInputError(store, "无法写入输出文件夹", f"cannot write the output folder ({exc.strerror})") from None
    with writing(store, "build"):  # one writer at a time; a compaction stopped half-way is finished first
        recover(store, read_current(store))
        jobs, skipped = _jobs(groups, store, force, retry_failed)
        # largest first: the long disclosures start early and the short ones fill the gaps at the end
        jobs.sort(key=lambda j: -sum(_size(p) for p in j["paths"]))
        result = BuildResult(store=store, planned=len(groups), skipped=skipped)
        if jobs:
            _run(jobs, result, workers, scheduler, progress)
        try:
            result.execution = update_execution(store)
        except Exception as exc:  # noqa: BLE001 - the pairs are a by-product: the build itself stands
            print(one_line(f"警告 / warning: {store}: 预算决算对照未完成 / the 预算/决算 pairs were not joined "
                           f"({type(exc).__name__}: {str(exc)[:200]})"), file=sys.stderr)
        if compact or (compact is None and due(store)):
            result.compaction = compact_store(store, lock=False)
    result.seconds = time.perf_counter() - started
    return result


def _run(jobs: list[dict], result: BuildResult, workers, scheduler, progress) -> None:
    """Hand the jobs to the cluster a window at a time and count what comes back."""
    from dask.distributed import as_completed
    from tqdm import tqdm

    client, cluster = _client(workers, scheduler)
    bar = tqdm(total=sum(len(j["paths"]) for j in jobs), unit="file", disable=not progress,
               desc="读取 / reading", file=sys.stderr, dynamic_ncols=True)
    try:
        window = _slots(client)
        pending = list(jobs)
        running = as_completed()
        futures = {}
        for _ in range(min(window, len(pending))):
            job = pending.pop(0)
            fut = client.submit(build_one, job, pure=False, key=f"build-{job['piece']}")
            futures[fut.key] = job
            running.add(fut)
        for fut in running:
            job = futures.pop(fut.key)
            try:
                summary = fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died or raised
                summary = _lost(job, exc)
            fut.release()
            result.summaries.append(summary)
            result.files += summary["files"]
            result.failed_files += summary["failed_files"]
            if summary["status"] == "failed":
                result.failed += 1
            elif summary["status"] == "partial":
                result.partial += 1
            result.built += summary["status"] != "failed"
            bar.update(summary["files"])
            bar.set_postfix_str(f"公开文件失败 {result.failed}、部分失败 {result.partial} / disclosures failed "
                                f"{result.failed}, partly failed {result.partial}")  # as the summary counts
            if pending:
                nxt = pending.pop(0)
                nf = client.submit(build_one, nxt, pure=False, key=f"build-{nxt['piece']}")
                futures[nf.key] = nxt
                running.add(nf)
    finally:
        bar.close()
        client.close()
        if cluster is not None:
            cluster.close()


def _write_failure_schema(store: Path) -> None:
    path = store / "_schemas" / "failures.parquet"
    if not path.exists():
        empty = pd.DataFrame({c: pd.Series([], dtype="string") for c in FAILURE_COLUMNS})
        atomic_write_table(path, with_partition_columns(to_arrow(empty, None, None), None, None))


def failure_trace(exc: BaseException) -> str:  # pragma: no cover - debugging aid
    return "".join(traceback.format_exception(exc))
