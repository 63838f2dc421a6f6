"""``budgetkit store compact STORE``: merge the loose pieces into one file per table and partition.

A build writes one piece per disclosure and table, which keeps writing atomic, resumable and parallel; but a
reader pays for every file it opens.  Compaction writes a new generation of files under ``_compact/gNNNNNN/``,
each sorted by disclosure id (so that row-group statistics find one disclosure) with row groups of about 1 MB
(``amounts`` by table kind first, see :data:`CLUSTER`), then names them in ``_current.json`` with an atomic rename, then deletes the pieces it merged.  A reader sees
the old generation or the new one, never both or neither (see :mod:`budgetkit.store.layout`).  Files of the
previous generation are kept until the next compaction, for connections opened before the rename.

Only whole disclosures are merged (a loose ``disclosures`` piece exists); a disclosure rebuilt since the last
compaction replaces its compacted rows, and a 预算/决算 pair that no longer pairs loses its compacted execution
rows (:func:`budgetkit.store.layout.removed_pairs`).  Compacting again with nothing loose changes nothing.
"""
from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from budgetkit.errors import BadInputError
from budgetkit.store.layout import (ALL_TABLES, COMPACT_DIR, CURRENT, Generation, loose_pieces, read_current,
                                    removed_pairs, write_current)

#: a build compacts by itself when at least this many loose pieces wait (a small store stays as pieces)
AUTO_THRESHOLD = 1000
ROW_GROUP_BYTES = 1 << 20  # in memory; a lookup of one disclosure decodes about this much per table
LOCK = "_lock"
#: a compaction that brings new disclosures adds a run of files to a partition; past this many runs they are merged
MAX_RUNS = 8
#: row groups per compacted file: a small footer to read when one disclosure is looked up
ROW_GROUPS_PER_FILE = 64
#: LZ4, not zstd: reading a row group costs mostly per column, and zstd's per-column cost is about twice LZ4's
#: (a reopened disclosure reads one row group per table, and of ``amounts`` one per table kind); files are a
#: little larger
COMPRESSION = "lz4"
#: tables whose compacted files are sorted by a column before the disclosure id, each row group holding one value
#: of it: a query's filter on that column (``table_kind = 'project_expenditure'``) skips the other row groups by
#: their statistics instead of reading the column of every row.  A disclosure's rows are then spread over one row
#: group per value, and :data:`ORDER_COLUMN` keeps their written order for reopening.
CLUSTER = {"amounts": "table_kind"}
#: a row's place among its disclosure's rows of a clustered table (hidden from the store's views)
ORDER_COLUMN = "_row"


@dataclass
class CompactResult:
    generation: str | None
    merged_pieces: int
    rewritten_files: int
    kept_files: int
    disclosures: int
    seconds: float

    def line(self) -> str:
        return (f"合并散片 {self.merged_pieces} 个，写出 {self.rewritten_files} 个文件，沿用 {self.kept_files} 个；"
                f"公开文件 {self.disclosures} 份；{self.seconds:.1f} 秒 / merged {self.merged_pieces} pieces, wrote "
                f"{self.rewritten_files} files, kept {self.kept_files}; {self.disclosures} disclosures; "
                f"{self.seconds:.1f} s ({self.generation or 'no generation'})")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def writing(store, what: str):
    """One writer at a time (a build or a compaction); a lock left by a process that died is taken over."""
    path = Path(store) / LOCK
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid = int(path.read_text().split()[0])
            except (OSError, ValueError, IndexError):
                pid = 0
            if pid and _pid_alive(pid):
                raise BadInputError(store, f"另一个进程（{pid}）正在写入此数据集",
                                    f"another process ({pid}) is writing this store") from None
            path.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(f"{os.getpid()} {what}\n")
        break
    else:  # pragma: no cover - two processes raced for a stale lock
        raise BadInputError(store, "数据集被锁定", "the store is locked")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


def recover(store, gen: Generation) -> Generation:
    """Finish what a compaction that stopped after its rename left: delete the pieces it had merged."""
    if gen.consumed:
        for rel in gen.consumed:
            (Path(store) / rel).unlink(missing_ok=True)
        gen.consumed = set()
        write_current(store, gen)
    return gen


def _sql_str(s) -> str:
    return "'" + str(s).replace("'", "''") + "'"


def _files(paths) -> str:
    return "[" + ", ".join(_sql_str(p) for p in paths) + "]"


def _partition(path: Path) -> tuple[str, str]:
    """``('year=2023', 'stage=预算')`` from a piece's or compacted file's path."""
    return path.parent.parent.name, path.parent.name


def _next_name(store: Path, gen: Generation) -> str:
    seen = [gen.name or "g000000"]
    if (store / COMPACT_DIR).is_dir():
        seen += [p.name for p in (store / COMPACT_DIR).iterdir() if p.name.startswith("g")]
    n = max(int(s[1:]) for s in seen if s[1:].isdigit())
    return f"g{n + 1:06d}"


def _ids(con, files) -> list[str]:
    if not files:
        return []
    return [r[0] for r in con.execute(f"SELECT DISTINCT disclosure_id FROM read_parquet({_files(files)}, "
                                      "union_by_name=true, hive_partitioning=false)").fetchall()]


def _declared(con, files) -> list[tuple[str, str]]:
    """The table's one schema: every column any source has, each with the type DuckDB unifies them to."""
    rows = con.execute(f"DESCRIBE SELECT * FROM read_parquet({_files(files)}, union_by_name=true, "
                       "hive_partitioning=false)").fetchall()
    return [(r[0], r[1]) for r in rows]


def compact(store, *, on_step=None, lock: bool = True) -> CompactResult:
    """Compact ``store`` (see the module docstring).  ``on_step(name)`` is called between the steps a reader
    could observe ("written", "renamed", "deleted", "done"), for tests."""
    store = Path(store)
    if not store.is_dir() or not ((store / "_done").is_dir() or (store / CURRENT).exists()):
        raise BadInputError(store, "不是 budgetkit 数据集", "not a budgetkit store (run budgetkit build first)")
    if lock:
        with writing(store, "compact"):
            return _compact(store, on_step or (lambda step: None))
    return _compact(store, on_step or (lambda step: None))


def _compact(store: Path, on_step) -> CompactResult:
    import duckdb

    started = time.perf_counter()
    old = recover(store, read_current(store))
    loose_disc = loose_pieces(store, "disclosures")
    whole = {p.stem for p in loose_disc}
    loose = {t: [p for p in loose_pieces(store, t) if t == "execution" or p.stem in whole] for t in ALL_TABLES}
    n_loose = sum(len(v) for v in loose.values())
    gone = removed_pairs(store)  # pairs that no longer pair: their compacted execution rows are dropped
    if not n_loose and not gone:
        return CompactResult(old.name, 0, 0, sum(len(v) for v in old.files.values()), old.disclosures,
                             time.perf_counter() - started)
    con = duckdb.connect()
    superseded = {"disclosures": _ids(con, loose_disc),
                  "execution": sorted(set(_ids(con, loose["execution"])) | set(gone.values()))}
    name = _next_name(store, old)
    new_files: dict = {}
    written = kept = 0
    for table in ALL_TABLES:
        by = superseded["execution" if table == "execution" else "disclosures"]
        olds: dict = {}
        for f in old.files.get(table, []):
            olds.setdefault(tuple(f["path"].split("/")[-3:-1]), []).append(f)  # (year=Y, stage=S) -> files
        old_paths = [store / f["path"] for fs in olds.values() for f in fs]
        sources = old_paths + loose[table]
        if not sources:
            continue
        declared = _declared(con, sources)
        if table in CLUSTER and ORDER_COLUMN not in dict(declared):
            declared.append((ORDER_COLUMN, "INTEGER"))
        same_schema = not old_paths or _declared(con, old_paths[:1]) == declared
        parts: dict = {}
        for p in loose[table]:
            parts.setdefault(_partition(p), []).append(p)
        for key in olds:
            parts.setdefault(key, [])
        out = []
        for (y, s), pieces in sorted(parts.items()):
            prev = olds.get((y, s), [])
            hit = [f for f in prev if by and _holds(con, store / f["path"], by)]
            if not same_schema or len({f.get("run", f["path"]) for f in prev}) + 1 > MAX_RUNS:
                hit = prev  # merge the partition's runs into one
            keep = [f for f in prev if f not in hit]
            out.extend(keep)
            kept += len(keep)
            if pieces or hit:
                entries = _write_partition(con, store, name, table, y, s, [store / f["path"] for f in hit],
                                           pieces, by, declared)
                out.extend(entries)
                written += len(entries)
        if out:
            new_files[table] = out
    n_disc = sum(f["rows"] for f in new_files.get("disclosures", []))
    on_step("written")
    consumed = {str(p.relative_to(store)) for ps in loose.values() for p in ps} | set(gone)
    gen = Generation(name, new_files, consumed, n_disc, {"created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                                     time.gmtime())})
    write_current(store, gen)
    on_step("renamed")
    for rel in consumed:
        (store / rel).unlink(missing_ok=True)
    on_step("deleted")
    gen.consumed = set()
    write_current(store, gen)
    _prune(store, gen, old)
    on_step("done")
    con.close()
    return CompactResult(name, n_loose, written, kept, n_disc, time.perf_counter() - started)


def _holds(con, path: Path, ids: list[str]) -> bool:
    """Whether a compacted file holds rows of any of ``ids``: row groups whose id range holds none are skipped."""
    import bisect

    ids = sorted(ids)
    pf = pq.ParquetFile(path)
    col = pf.schema_arrow.get_field_index("disclosure_id")
    for i in range(pf.metadata.num_row_groups):
        st = pf.metadata.row_group(i).column(col).statistics
        if st is not None and st.has_min_max:
            j = bisect.bisect_left(ids, st.min)
            if j == len(ids) or ids[j] > st.max:
                continue
        if set(pf.read_row_group(i, columns=["disclosure_id"]).column(0).to_pylist()) & set(ids):
            return True
    return False


def _write_partition(con, store, name, table, y, s, prev_paths, pieces, by, declared) -> list[dict]:
    """The new files of a partition: the rows of the compacted files they replace, less superseded disclosures,
    and the new pieces, sorted by disclosure id (by :data:`CLUSTER`'s column first), each disclosure's rows in
    their written order, cast to the table's declared types."""
    srcs = list(prev_paths) + list(pieces)
    have = {c for c, _ in _declared(con, srcs)}
    cluster = CLUSTER.get(table)
    exprs = []
    for c, t in declared:
        if c == ORDER_COLUMN and cluster:
            # a piece holds one disclosure: its row number is the place; files compacted before the column
            # existed are sorted by disclosure id, so the place is counted in that order
            counted = any(ORDER_COLUMN not in pq.read_schema(p).names for p in prev_paths)
            place = ("row_number() OVER (PARTITION BY disclosure_id ORDER BY filename, file_row_number) - 1"
                     if counted else "file_row_number")
            exprs.append(f'CAST({f"coalesce({c}, {place})" if c in have else place} AS {t}) AS "{c}"')
        else:
            exprs.append(f'CAST("{c}" AS {t}) AS "{c}"' if c in have else f'CAST(NULL AS {t}) AS "{c}"')
    cols = ", ".join(exprs)
    where = ""
    params = []
    if prev_paths and by:
        where = (f" WHERE NOT (filename IN ({', '.join(_sql_str(p) for p in prev_paths)}) "
                 "AND disclosure_id IN (SELECT unnest(?::VARCHAR[])))")
        params = [by]
    sql = (f"SELECT {cols} FROM read_parquet({_files(srcs)}, union_by_name=true, hive_partitioning=false, "
           f"filename=true, file_row_number=true){where}")
    if cluster:
        sql = f'SELECT * FROM ({sql}) ORDER BY "{cluster}", disclosure_id, "{ORDER_COLUMN}"'
    else:
        sql += " ORDER BY disclosure_id, filename, file_row_number"
    reader = con.sql(sql, params=params or None).to_arrow_reader(65536)
    year, stage = y.split("=", 1)[1], s.split("=", 1)[1]
    parts = PartWriter(store, f"{COMPACT_DIR}/{name}/{table}/{y}/{s}", reader.schema, name,
                       {"year": None if year.startswith("__") else int(year),
                        "stage": None if stage.startswith("__") else stage}, cluster=cluster)
    for batch in reader:
        parts.add(pa.Table.from_batches([batch]))
    return parts.close()


class PartWriter:
    """The compacted files of one partition: row groups of about :data:`ROW_GROUP_BYTES`,
    :data:`ROW_GROUPS_PER_FILE` row groups per file, each file's id range noted for the manifest.  Statistics
    are written for the disclosure id, the ``cluster`` column and the non-text columns only: the min and max of
    long text (a table's frame as JSON, a finding's locations) would make every footer large and every lookup
    slow.  With a ``cluster`` column (rows sorted by it), a row group ends where its value changes."""

    def __init__(self, store: Path, folder: str, schema, run: str, partition: dict, cluster: str | None = None):
        self.store, self.folder, self.schema, self.run, self.partition = Path(store), folder, schema, run, partition
        self.cluster, self.value = cluster, None
        self.stats = [f.name for f in schema if f.name in ("disclosure_id", cluster)
                      or not (pa.types.is_string(f.type) or pa.types.is_large_string(f.type))]
        self.entries, self.buf, self.buf_rows, self.writer, self.groups, self.group_rows = [], [], 0, None, 0, None
        (self.store / folder).mkdir(parents=True, exist_ok=True)

    def add(self, block) -> None:
        if not block.num_rows:
            return
        if self.cluster is None:
            return self._add(block)
        import pyarrow.compute as pc

        col = block.column(self.cluster).combine_chunks()
        cuts = [0]
        if len(col) > 1:  # where the value changes from one row to the next
            same = pc.fill_null(pc.equal(col.slice(1), col.slice(0, len(col) - 1)),
                                pc.and_(pc.is_null(col.slice(1)), pc.is_null(col.slice(0, len(col) - 1))))
            cuts += [i + 1 for i in pc.indices_nonzero(pc.invert(same)).to_pylist()]
        cuts.append(len(col))
        for a, b in zip(cuts, cuts[1:]):
            value = col[a].as_py()
            if self.buf_rows and value != self.value:
                self._group(pa.concat_tables(self.buf))  # the last row group of the previous value, short
                self.buf, self.buf_rows = [], 0
            self.value = value
            self._add(block.slice(a, b - a))

    def _add(self, block) -> None:
        if self.group_rows is None:  # from the first rows' size in memory
            per_row = max(1, block.nbytes // block.num_rows)
            self.group_rows = min(1_000_000, max(1024, ROW_GROUP_BYTES // per_row))
        self.buf.append(block)
        self.buf_rows += block.num_rows
        while self.buf_rows >= self.group_rows:
            t = pa.concat_tables(self.buf)
            self._group(t.slice(0, self.group_rows))
            rest = t.slice(self.group_rows)
            self.buf, self.buf_rows = ([rest] if rest.num_rows else []), rest.num_rows

    def _group(self, t) -> None:
        if self.writer is None:
            rel = f"{self.folder}/part-{len(self.entries)}.parquet"
            self.tmp = self.store / f"{rel}.tmp"
            self.writer = pq.ParquetWriter(self.tmp, self.schema, compression=COMPRESSION, write_statistics=self.stats)
            self.entries.append({"path": rel, **self.partition, "rows": 0, "run": self.run})
        self.writer.write_table(t, row_group_size=self.group_rows)
        self.entries[-1]["rows"] += t.num_rows
        self.groups += 1
        if self.groups == ROW_GROUPS_PER_FILE:
            self._close_file()

    def _close_file(self) -> None:
        self.writer.close()
        self.writer, self.groups = None, 0
        path = self.store / self.entries[-1]["path"]
        os.replace(self.tmp, path)
        self.entries[-1].update(id_range(pq.ParquetFile(path).metadata))

    def close(self) -> list[dict]:
        if self.buf_rows:
            self._group(pa.concat_tables(self.buf))
        if self.writer is not None:
            self._close_file()
        return self.entries


def id_range(md) -> dict:
    """A compacted file's least and greatest disclosure id, from its row-group statistics (none when unknown);
    in a clustered file every value of the cluster column starts the ids again."""
    col = md.schema.to_arrow_schema().get_field_index("disclosure_id")
    lo = hi = None
    for i in range(md.num_row_groups):
        st = md.row_group(i).column(col).statistics
        if st is None or not st.has_min_max:
            return {}
        lo = st.min if lo is None or st.min < lo else lo
        hi = st.max if hi is None or st.max > hi else hi
    return {} if lo is None else {"first_id": lo, "last_id": hi}


def _prune(store: Path, gen: Generation, old: Generation) -> None:
    """Delete compacted files neither this generation nor the previous one names, and empty folders."""
    keep = {f["path"] for g in (gen, old) for fs in g.files.values() for f in fs}
    root = store / COMPACT_DIR
    for f in sorted(root.rglob("*"), reverse=True):
        rel = str(f.relative_to(store))
        if f.is_file() and rel not in keep:
            f.unlink(missing_ok=True)
        elif f.is_dir() and not any(f.iterdir()):
            f.rmdir()
    for table in ALL_TABLES:  # partition folders the deleted pieces left empty
        tdir = store / table
        if tdir.is_dir():
            for d in sorted(tdir.rglob("*"), reverse=True):
                if d.is_dir() and not any(d.iterdir()):
                    shutil.rmtree(d, ignore_errors=True)


def due(store) -> bool:
    """Whether a build should compact by itself: enough loose pieces wait."""
    gen = read_current(store)
    return sum(len(loose_pieces(store, t, gen.consumed)) for t in ALL_TABLES) >= AUTO_THRESHOLD
