"""Parquet pieces: one file per disclosure and table, under ``TABLE/year=Y/stage=S/``.

A piece is written to a hidden temporary name and renamed into place, so no reader ever sees half a file.
Exact decimals stay ``decimal128``; nothing is converted to float.  Columns ``year`` and ``stage`` live in the
folder names (Hive partitioning) and are put back when a piece is read.
"""
from __future__ import annotations

import json
import math
import os
import re
import uuid
from decimal import ROUND_HALF_EVEN, Decimal
from hashlib import sha1
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

NULL_PART = "__HIVE_DEFAULT_PARTITION__"  # what pyarrow and DuckDB read as a missing value
TABLES = ("disclosures", "amounts", "tables", "narrative", "statements", "targets", "findings", "residue",
          "facts", "scores", "failures")
PARTITION_COLUMNS = ("year", "stage")
_META_KEY = b"budgetkit"


def piece_name(disclosure_id: str) -> str:
    """A file name for a disclosure id: readable, safe on every file system, unique by a short hash."""
    slug = re.sub(r"[^\w.+,{}-]+", "~", disclosure_id)[:80]
    return f"{slug}-{sha1(disclosure_id.encode('utf-8')).hexdigest()[:10]}"


def partition_values(year, stage) -> tuple[str, str]:
    y = str(int(year)) if year is not None and not pd.isna(year) and str(year).lstrip("-").isdigit() else NULL_PART
    s = stage if isinstance(stage, str) and re.fullmatch(r"\w+", stage) else NULL_PART
    return y, s


def piece_path(store, table: str, year, stage, piece: str) -> Path:
    y, s = partition_values(year, stage)
    return Path(store) / table / f"year={y}" / f"stage={s}" / f"{piece}.parquet"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_table(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def to_arrow(df: pd.DataFrame, year, stage) -> pa.Table:
    """A frame as an Arrow table for a piece: year/stage columns go to the folder names.

    A ``year``/``stage`` column that holds the disclosure's own year/stage is dropped (the folder gives it back);
    one that holds anything else is kept as ``row_year``/``row_stage``.  The original column order and dtypes are
    kept in the file's metadata so :func:`from_arrow` gives back the same frame.
    """
    df = df.reset_index(drop=True)
    info = {"columns": list(map(str, df.columns)), "dtypes": {str(c): str(t) for c, t in df.dtypes.items()},
            "dropped": [], "renamed": {}}
    for col, value in zip(PARTITION_COLUMNS, (year, stage)):
        if col not in df.columns:
            continue
        vals = df[col].dropna().unique()
        if all(str(v) == str(value) for v in vals):
            df = df.drop(columns=[col])
            info["dropped"].append(col)
        else:
            df = df.rename(columns={col: f"row_{col}"})
            info["renamed"][f"row_{col}"] = col
    for c in df.columns:
        df[c] = _exact_column(df[c])
    table = pa.Table.from_pandas(df, preserve_index=False)
    for i, field in enumerate(table.schema):
        if pa.types.is_floating(field.type):
            raise TypeError(f"float column {field.name!r} in a store piece: amounts must stay exact")
        if pa.types.is_null(field.type):  # an all-empty column: keep it as text
            table = table.set_column(i, pa.field(field.name, pa.string()), pa.nulls(len(table), pa.string()))
    meta = dict(table.schema.metadata or {})
    meta[_META_KEY] = json.dumps(info, ensure_ascii=False).encode("utf-8")
    return table.replace_schema_metadata(meta)


def _is_decimal(v) -> bool:
    return isinstance(v, Decimal)


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _exact_column(col: pd.Series) -> pd.Series:
    """A column as the store keeps it: Decimal objects → decimal128, floats → decimal128(38, 16) (a float
    is not an amount, but nothing in the store is a float), ints stay ints, other mixtures → text."""
    if pd.api.types.is_float_dtype(col.dtype):
        return _to_decimal(list(col), 16)
    if col.dtype != object:
        return col
    vals = [v for v in col if not _missing(v)]
    if not vals or all(isinstance(v, str) for v in vals):
        return col
    if all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
        return col.astype("Int64")
    if all(isinstance(v, (Decimal, float, int)) and not isinstance(v, bool) for v in vals):
        scale = max((max(0, -Decimal(str(v)).as_tuple().exponent) if isinstance(v, (Decimal, int)) else 16)
                    for v in vals if not (isinstance(v, float) and math.isinf(v)))  if vals else 6
        return _to_decimal(list(col), min(max(scale, 6), 16))
    return pd.Series([None if _missing(v) else (v if isinstance(v, str) else
                                                 json.dumps(v, ensure_ascii=False, default=str)) for v in col],
                     index=col.index, dtype="string")


def _to_decimal(values: list, scale: int) -> pd.Series:
    q = Decimal(1).scaleb(-scale)
    out = []
    for v in values:
        if _missing(v) or (isinstance(v, float) and math.isinf(v)):
            out.append(None)
            continue
        d = v if isinstance(v, Decimal) else Decimal(str(v))
        out.append(d.quantize(q, rounding=ROUND_HALF_EVEN) if d.is_finite() else None)
    return pd.Series(pd.array(out, dtype=pd.ArrowDtype(pa.decimal128(38, scale))))


def from_arrow(table: pa.Table, year, stage, drop: tuple = (), info: dict | None = None) -> pd.DataFrame:
    """A piece back as the frame it was written from (see :func:`to_arrow`); ``info``: the piece's column
    record when the rows come from a compacted file (the build's marker keeps it).  ``drop``: columns left out."""
    if info is None:
        raw = (table.schema.metadata or {}).get(_META_KEY)
        info = json.loads(raw) if raw else None
    if info is None:
        df = table.to_pandas(types_mapper=lambda t: pd.ArrowDtype(t) if pa.types.is_decimal(t) else None)
        return df.drop(columns=[c for c in drop if c in df.columns])
    renamed = info.get("renamed") or {}
    keep = [n for n in table.column_names if renamed.get(n, n) not in drop]
    if len(keep) < table.num_columns:
        table = table.select(keep)  # not converted at all
    df = table.to_pandas(types_mapper=_mapper(table.schema, info))
    if renamed:
        df = df.rename(columns=renamed)
    for col, value in zip(PARTITION_COLUMNS, (year, stage)):
        if col in info["dropped"] and col not in drop:
            df[col] = value
    cols = [c for c in info["columns"] if c in df.columns]
    if cols != list(df.columns):
        df = df[cols]
    for c in cols:
        want = info["dtypes"].get(c)
        if want and str(df[c].dtype) != want:
            try:
                df[c] = df[c].astype(want)
            except (TypeError, ValueError):
                pass
    return df


#: pandas dtypes an Arrow column can be converted to directly, with the values ``astype`` would give
_DIRECT = {"string": pd.StringDtype, "Int64": pd.Int64Dtype}


def _mapper(schema: pa.Schema, info: dict):
    """Convert each Arrow type straight to the dtype its columns were written with (``string``, ``Int64``), when
    all columns of that type share it: one conversion instead of a default one and an ``astype`` per column."""
    renamed, dtypes = info.get("renamed") or {}, info.get("dtypes") or {}
    wanted: dict = {}
    for f in schema:
        wanted.setdefault(f.type, set()).add(dtypes.get(renamed.get(f.name, f.name)))
    direct = {}
    for t, wants in wanted.items():
        want = next(iter(wants)) if len(wants) == 1 else None
        if want in _DIRECT and (pa.types.is_integer(t) if want == "Int64" else
                                pa.types.is_string(t) or pa.types.is_large_string(t)):
            direct[t] = _DIRECT[want]()

    def mapper(t):
        if pa.types.is_decimal(t):
            return pd.ArrowDtype(t)
        return direct.get(t)

    return mapper


def read_piece(path: Path, year, stage, drop: tuple = ()) -> pd.DataFrame | None:
    if not path.exists():
        return None
    return from_arrow(pq.read_table(path), year, stage, drop=drop)


def arrow_info(table: pa.Table) -> dict | None:
    """The column record :func:`to_arrow` keeps in a piece's metadata (order, dtypes, partition columns)."""
    raw = (table.schema.metadata or {}).get(_META_KEY)
    return json.loads(raw) if raw else None


def with_partition_columns(table: pa.Table, year, stage) -> pa.Table:
    """Add year/stage columns (for the zero-row schema files that keep empty tables queryable)."""
    y, s = partition_values(year, stage)
    table = table.append_column("year", pa.array([None if y == NULL_PART else int(y)] * len(table), pa.int32()))
    return table.append_column("stage", pa.array([None if s == NULL_PART else s] * len(table), pa.string()))
