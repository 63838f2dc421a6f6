"""Open a store with DuckDB (a view per table) and load one disclosure back from it."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from budgetkit.errors import BadInputError
from budgetkit.store.compact import CLUSTER, ORDER_COLUMN
from budgetkit.store.layout import (ALL_TABLES, CURRENT, HIVE_TYPES, compacted_files, loose_pieces, read_current,
                                    removed_pairs)
from budgetkit.store.pieces import from_arrow, partition_values, piece_path, read_piece

HIVE = "hive_partitioning=true, hive_types={'year': INTEGER, 'stage': VARCHAR}, union_by_name=true"


def _sql_str(s) -> str:
    return "'" + str(s).replace("'", "''") + "'"


def _files(paths) -> str:
    return "[" + ", ".join(_sql_str(p) for p in paths) + "]"


def open_store(store, *, connection=None):
    """A DuckDB connection with one view per table of ``store`` (disclosures, amounts, tables, narrative,
    statements, targets, findings, facts, scores, residue, failures, execution).

    Rows of a disclosure are visible only once its ``disclosures`` row is written (it is written last), so a
    build that was interrupted never shows half a disclosure.  Compacted files are opened with their declared
    schema (every file of a table has the same one, so only the first footer is read); loose pieces, few after
    a compaction, are read by name.  The manifest is read once: a compaction running meanwhile is seen before
    or after, never half (see :mod:`budgetkit.store.layout`).
    """
    import duckdb

    store = Path(store)
    if not (store / "_done").is_dir() and not (store / "_schemas").is_dir() and not (store / CURRENT).exists():
        raise BadInputError(store, "不是 budgetkit 数据集", "not a budgetkit store (run budgetkit build first)")
    gen = read_current(store)
    con = connection or duckdb.connect()
    loose_ids = {}
    for table in ("disclosures", "execution"):
        pieces = loose_pieces(store, table, gen.consumed)
        ids = [f"SELECT disclosure_id FROM read_parquet({_files(pieces)}, union_by_name=true)"] if pieces else []
        gone = sorted(set(removed_pairs(store, gen.consumed).values())) if table == "execution" else []
        if gone:  # pairs that no longer pair: their compacted rows are hidden too
            ids.append(f"SELECT unnest([{', '.join(map(_sql_str, gone))}]) AS disclosure_id")
        if ids:
            loose_ids[table] = "(" + " UNION ALL ".join(ids) + ")"
    for table in ALL_TABLES:
        comp = compacted_files(store, gen, table)
        loose = loose_pieces(store, table, gen.consumed)
        by = loose_ids.get("execution" if table == "execution" else "disclosures")
        parts = []
        if comp:
            hide = f' EXCLUDE ("{ORDER_COLUMN}")' if table in CLUSTER and _has_order(comp[0]) else ""
            src = f"SELECT *{hide} FROM read_parquet({_files(comp)}, {HIVE_TYPES}, union_by_name=false)"
            parts.append(src + (f" WHERE disclosure_id NOT IN {by}" if by else ""))
        if loose and (by or not comp):
            src = f"SELECT * FROM read_parquet({_files(loose)}, {HIVE})"
            if table not in ("disclosures", "execution") and by:
                src += f" WHERE disclosure_id IN {by}"
            parts.append(src)
        if not parts:
            schema = store / "_schemas" / f"{table}.parquet"
            if not schema.exists():
                continue
            parts.append(f"SELECT * FROM read_parquet({_sql_str(schema)})")
        con.execute(f"CREATE OR REPLACE VIEW {table} AS " + " UNION ALL BY NAME ".join(parts))
    return con


def _has_order(path: Path) -> bool:
    """Whether a clustered table's compacted files keep each row's place (every file of a table has the columns
    of the first; files compacted before the place was kept have none)."""
    from budgetkit.store.compact import ORDER_COLUMN

    return ORDER_COLUMN in pq.read_schema(path).names


def query(store, sql: str) -> pd.DataFrame:
    """Run ``sql`` against the store's views; the result as a DataFrame (decimals stay exact)."""
    con = open_store(store)
    try:
        return _to_pandas(con.sql(sql).to_arrow_table())
    finally:
        con.close()


def frame(con, sql: str, params=None) -> pd.DataFrame:
    """Run ``sql`` on an open store connection; decimals stay exact and integers stay integers."""
    rel = con.sql(sql, params=params) if params is not None else con.sql(sql)
    table = rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()
    return _to_pandas(table.read_all() if hasattr(table, "read_all") else table)


def _to_pandas(table) -> pd.DataFrame:
    import pyarrow as pa

    def mapper(t):
        if pa.types.is_decimal(t):
            return pd.ArrowDtype(t)  # exact
        if pa.types.is_integer(t):
            return pd.Int64Dtype()  # nullable, never float
        return None

    return table.to_pandas(types_mapper=mapper)


# ---------------------------------------------------------------------------------------------------------------
# one disclosure back from the store (budgetkit.read(path, store=STORE))

def lookup(store, shas: list[str]) -> dict | None:
    """The marker of the stored disclosure made of exactly these files (by sha256), if any."""
    store = Path(store)
    marker = None
    for sha in shas:
        f = store / "_sha256" / f"{sha}.json"
        if not f.exists():
            return None
        try:
            m = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if marker is not None and m.get("disclosure_id") != marker.get("disclosure_id"):
            return None
        marker = m
    if marker is None or sorted(marker.get("sha256", [])) != sorted(shas):
        return None
    return marker


def load_disclosure(paths, store, *, doc_id: str | None = None, keep_going: bool = False):
    """The Disclosure stored for exactly these files, or None (not stored, changed, other version, failed)."""
    from budgetkit.store.build import sha256_of, version

    try:
        shas = [sha256_of(p) for p in paths]
    except OSError:
        return None  # the reader gives the proper one-line message
    marker = lookup(store, shas)
    if marker is None or marker.get("version") != version() or marker.get("status") == "failed":
        return None
    if doc_id is not None and doc_id != marker.get("doc_id"):
        return None
    return from_marker(store, marker)


def from_marker(store, marker: dict):
    """The Disclosure a build marker names, from its loose pieces or the compacted files; None if absent."""
    from budgetkit.disclosure import Disclosure, PrintedTable

    store = Path(store)
    year, stage, piece = marker.get("year"), marker.get("stage"), marker["piece"]
    dpath = piece_path(store, "disclosures", year, stage, piece)
    gen = _generation(store)
    loose = dpath.exists() and str(dpath.relative_to(store)) not in gen.consumed
    if loose:
        meta_rows = pq.read_table(dpath, columns=["meta", "warnings", "errors"]).to_pylist()
    else:  # merged into the compacted files (a rebuilt disclosure would have a loose piece again)
        t = compacted_rows(store, gen, "disclosures", year, stage, marker["disclosure_id"],
                           columns=["meta", "warnings", "errors"])
        meta_rows = [] if t is None else t.select(["meta", "warnings", "errors"]).to_pylist()
    if not meta_rows:
        return None
    meta_row = meta_rows[0]
    meta = json.loads(meta_row["meta"])
    if json.loads(meta_row["errors"] or "[]"):
        return None  # a file of it could not be read: read again, so the error is raised or listed as usual
    frames = {}
    infos = marker.get("arrow") or {}
    for table in ("amounts", "residue", "narrative", "targets", "tables", "statements"):
        drop = _KEYS.get(table, ())  # keys of the store's rows, not of the Disclosure: never converted
        if loose:
            frames[table] = read_piece(piece_path(store, table, year, stage, piece), year, stage, drop=drop)
        else:
            t = compacted_rows(store, gen, table, year, stage, marker["disclosure_id"])
            frames[table] = None if t is None else from_arrow(t, year, stage, drop=drop, info=infos.get(table))
    amounts = _strip(frames["amounts"])
    residue = _strip(frames["residue"])
    narrative = _strip(frames["narrative"], extra=("doc_id",))
    if amounts is None or residue is None or narrative is None:
        empty = _empty_frames(store)
        amounts = amounts if amounts is not None else empty["amounts"]
        residue = residue if residue is not None else empty["residue"]
        narrative = narrative if narrative is not None else empty["narrative"]
    tables = []
    if frames["tables"] is not None:
        for r in frames["tables"].itertuples(index=False):
            frame = json_frame(r.frame)
            tables.append(PrintedTable(doc_id=r.doc_id, index=int(r.table_index), kind=r.kind, title=r.title,
                                       table_no=_na(r.table_no), file=r.file, pages=json.loads(r.pages),
                                       unit=_na(r.unit), frame=frame, column_roles=json.loads(r.column_roles),
                                       continued_pages=int(r.continued_pages),
                                       **_table_extras(r)))
    d = Disclosure(doc_id=marker.get("doc_id") or meta.get("doc_id"), meta=meta, tables=tables, amounts=amounts,
                   narrative=narrative, residue=residue, warnings=json.loads(meta_row["warnings"] or "[]"),
                   errors=[])
    if frames["targets"] is not None:
        d.__dict__["_targets"] = _strip(frames["targets"])
    if frames["statements"] is not None:
        d.__dict__["_statements_from_store"] = _strip(frames["statements"])
    d.__dict__["store_source"] = {"store": str(store), "disclosure_id": marker["disclosure_id"]}
    return d


def compacted_rows(store, gen, table: str, year, stage, disclosure_id: str, columns=None):
    """One disclosure's rows of ``table`` from the compacted files of its partition, or None: only files whose
    id range and row groups whose statistics can hold the id are read (the files are sorted by disclosure id,
    a clustered table's by id within each value of its cluster column), and of those only the row groups whose
    id column holds it are decoded whole."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    y, s = partition_values(year, stage)
    want = [f"year={y}", f"stage={s}"]
    found = []
    for f in gen.files.get(table, []):  # a partition has a few files; the manifest keeps each one's id range
        if f["path"].split("/")[-3:-1] != want:
            continue
        if "first_id" in f and not f["first_id"] <= disclosure_id <= f["last_id"]:
            continue
        path = Path(store) / f["path"]
        index = _file_index(path)
        groups = [i for i, (lo, hi) in enumerate(index.ranges)
                  if lo is None or lo <= disclosure_id <= hi]
        if not groups:
            continue
        pf = pq.ParquetFile(path, metadata=index.metadata)
        ids = pf.read_row_groups(groups, columns=["disclosure_id"], use_threads=False).column(0)
        mask = pc.equal(ids, disclosure_id).to_numpy(zero_copy_only=False)
        # the id may fall between two disclosures of a row group (another group or file holds it)
        ends = np.cumsum([index.metadata.row_group(i).num_rows for i in groups])
        starts = np.concatenate([[0], ends[:-1]])
        held = [k for k, (a, b) in enumerate(zip(starts, ends)) if mask[a:b].any()]
        if not held:
            continue
        cols = None if columns is None else ["disclosure_id", *columns] + (
            [ORDER_COLUMN] if ORDER_COLUMN in pf.schema_arrow.names else [])
        t = pf.read_row_groups([groups[k] for k in held], columns=cols, use_threads=False)
        keep = np.concatenate([mask[starts[k]:ends[k]] for k in held])
        found.append(t.filter(pa.array(keep)))  # a disclosure at the end of one file may go on in the next
    if not found:
        return None
    t = pa.concat_tables(found)
    if ORDER_COLUMN in t.column_names:  # a clustered table: the rows back in their written order
        t = t.take(pc.sort_indices(t.column(ORDER_COLUMN))).drop_columns([ORDER_COLUMN])
    return t


class _Index:
    """A compacted file's footer and the disclosure-id range of each row group, read once per process."""

    __slots__ = ("metadata", "ranges")

    def __init__(self, path: Path):
        self.metadata = pq.read_metadata(path)
        col = self.metadata.schema.to_arrow_schema().get_field_index("disclosure_id")
        self.ranges = []
        for i in range(self.metadata.num_row_groups):
            st = self.metadata.row_group(i).column(col).statistics
            self.ranges.append((st.min, st.max) if st is not None and st.has_min_max else (None, None))


_INDEXES: dict = {}
_GENERATIONS: dict = {}


def _generation(store: Path):
    """The store's current generation for reading one disclosure, parsed once per version of ``_current.json``
    (a large store's manifest names thousands of files; a compaction replaces it by a rename, so its inode, size
    or time changes).  Read only: writers read the manifest themselves."""
    try:
        st = (Path(store) / CURRENT).stat()
    except FileNotFoundError:
        return read_current(store)
    key = (str(store), st.st_ino, st.st_size, st.st_mtime_ns)
    gen = _GENERATIONS.get(key)
    if gen is None:
        if len(_GENERATIONS) >= 16:
            _GENERATIONS.clear()
        gen = _GENERATIONS[key] = read_current(store)
    return gen


def _file_index(path: Path) -> _Index:
    """The cached :class:`_Index` of a compacted file.  Compacted files are written once under a new name and
    never changed, but the key holds the file's size and time as well, so that a replaced file is read again."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    index = _INDEXES.get(key)
    if index is None:
        if len(_INDEXES) >= 512:
            _INDEXES.clear()  # a long session over many stores: start again rather than grow
        index = _INDEXES[key] = _Index(path)
    return index


def json_frame(text: str) -> pd.DataFrame:
    """The inverse of :func:`budgetkit.store.build.frame_json`."""
    j = json.loads(text)
    index = pd.Index(j["index"], name=j["index_name"])
    arrays = {}
    for i, (vals, t) in enumerate(zip(j["data_by_column"], j["dtypes"])):
        try:
            arrays[i] = pd.array(vals, dtype=t)
        except (TypeError, ValueError):
            arrays[i] = pd.array(vals, dtype=object)
    frame = pd.DataFrame(arrays, index=index) if arrays else pd.DataFrame(index=index)
    frame.columns = pd.Index(j["columns"]) if j["columns"] else frame.columns
    return frame


def _table_extras(r) -> dict:
    """Fields a PrintedTable has in this budgetkit version beyond the first ones (guesses, row_pages …)."""
    from dataclasses import fields

    from budgetkit.disclosure import PrintedTable

    names = {f.name for f in fields(PrintedTable)}
    raw = getattr(r, "extras", None)
    stored = json.loads(raw) if isinstance(raw, str) else {}
    return {k: v for k, v in stored.items() if k in names}


def _na(v):
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


_KEYS = {t: ("disclosure_id", "sha256") for t in ("amounts", "residue", "targets", "statements")}
_KEYS["narrative"] = ("disclosure_id", "sha256", "doc_id")


def _strip(df, extra: tuple = ()):
    if df is None:
        return None
    gone = [c for c in ("disclosure_id", "sha256", *extra) if c in df.columns]
    return df.drop(columns=gone) if gone else df


def _empty_frames(store) -> dict:
    from budgetkit.pipeline import AMOUNT_COLUMNS, RESIDUE_COLUMNS

    return {"amounts": pd.DataFrame(columns=AMOUNT_COLUMNS), "residue": pd.DataFrame(columns=RESIDUE_COLUMNS),
            "narrative": pd.DataFrame(columns=["file", "page", "section", "text"])}
