"""Write a disclosure to disk: CSV for people, Parquet for programs."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from budgetkit.disclosure import Disclosure


def _printed(value, decimals) -> str:
    if value is None or pd.isna(value):
        return ""
    d = int(decimals) if decimals is not None and not pd.isna(decimals) else 2
    return f"{value:.{d}f}"


def amounts_for_csv(d: Disclosure) -> pd.DataFrame:
    """``amount`` as printed (in the table's unit), ``amount_yuan`` exact in 元."""
    df = d.amounts.copy()
    df["amount"] = [_printed(v, n) for v, n in zip(df["amount"], df["decimals"])]
    df["amount_yuan"] = [_printed(v, max(int(n) - 4, 0) if u == "万元" and not pd.isna(n) else n)
                         if v is not None else "" for v, n, u in zip(df["amount_yuan"], df["decimals"], df["unit"])]
    return df


def tables_long(d: Disclosure) -> pd.DataFrame:
    """Every printed cell of every table, for a Parquet file of the wide tables."""
    rows = []
    for t in d.tables:
        for row_no, rec in zip(t.frame.index, t.frame.itertuples(index=False)):
            for col, val in zip(t.frame.columns, rec):
                rows.append(dict(doc_id=d.doc_id, table_index=t.index, table_kind=t.kind, table_title=t.title,
                                 table_no=t.table_no, file=t.file, unit=t.unit, row_no=row_no,
                                 column_label=col, column_role=t.column_roles.get(col), text=val))
    return pd.DataFrame(rows).astype({"text": "string"}) if rows else pd.DataFrame()


def write_outputs(d: Disclosure, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    p = out / "amounts.csv"
    amounts_for_csv(d).to_csv(p, index=False, encoding="utf-8")
    written.append(p)
    for name, frame in (("amounts", d.amounts), ("tables", tables_long(d)),
                        ("narrative", d.narrative), ("residue", d.residue)):
        p = out / f"{name}.parquet"
        frame.to_parquet(p, index=False)
        written.append(p)
    p = out / "residue.csv"
    d.residue.to_csv(p, index=False, encoding="utf-8")
    written.append(p)
    p = out / "meta.json"
    p.write_text(json.dumps({**d.meta, "coverage": d.coverage(), "warnings": d.warnings},
                            ensure_ascii=False, indent=2), encoding="utf-8")
    written.append(p)
    return written
