"""The frames a build stores per disclosure: findings, printed tables, headline facts, rows keyed by disclosure.

Each row carries its disclosure id and the sha256 of its file; money stays exact (``decimal128``).
"""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

import pandas as pd
import pyarrow as pa

FINDING_DECIMAL = pa.decimal128(38, 12)
DECIMAL = pd.ArrowDtype(pa.decimal128(28, 6))  # the amounts' type (budgetkit.money)


def _dec(v) -> Decimal | None:
    if v is None:
        return None
    try:
        d = Decimal(str(v))
        q = d.quantize(Decimal("1e-12"))
    except (InvalidOperation, ValueError):
        return None
    return q if q == d and abs(q) < Decimal("1e26") else None  # exact in decimal128(38,12), else text only


def findings_frame(findings, did: str, doc_id: str, shas: dict) -> pd.DataFrame:
    rows = []
    # the number of the printed discrepancy a finding states: findings of several rules on one wrong figure share
    # it, so count(DISTINCT problem) counts problems as the reports do
    heads = {id(x): n for n, x in enumerate(getattr(findings, "problems", findings), start=1)}
    for f in findings:
        d = f.to_dict()
        loc = f.locations[0] if f.locations else {}
        row = {"disclosure_id": did, "doc_id": doc_id, "file": loc.get("file"),
               "sha256": shas.get(loc.get("file")) or ",".join(sorted(set(shas.values()))),
               "page": loc.get("page"), "table_no": loc.get("table_no"),
               "table_title": loc.get("table_title"), "row_label": loc.get("row_label"),
               "column_label": loc.get("column_label"), "rule": f.rule, "family": f.family,
               "severity": f.severity, "status": f.status, "message": f.message, "message_en": f.message_en}
        for k in ("expected", "actual", "difference", "tolerance"):
            row[k] = _dec(getattr(f, k, None) if k != "difference" else f.difference)
            row[f"{k}_text"] = d.get(k)
        row |= {"unit": f.unit, "guesses": json.dumps(f.guesses, ensure_ascii=False),
                "n_locations": len(f.locations),
                "locations": json.dumps(f.locations, ensure_ascii=False, default=str),
                "problem": heads.get(id(getattr(f, "same_as", None) or f))}
        rows.append(row)
    df = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    for k in ("expected", "actual", "difference", "tolerance"):
        df[k] = pd.array(list(df[k]), dtype=pd.ArrowDtype(FINDING_DECIMAL))
    df["page"] = df["page"].astype("Int64")
    df["problem"] = df["problem"].astype("Int64")
    return df


FINDING_COLUMNS = ["disclosure_id", "doc_id", "file", "sha256", "page", "table_no", "table_title", "row_label",
                   "column_label", "rule", "family", "severity", "status", "message", "message_en",
                   "expected", "expected_text", "actual", "actual_text", "difference", "difference_text",
                   "tolerance", "tolerance_text", "unit", "guesses", "n_locations", "locations", "problem"]


def tables_frame(d, did: str, shas: dict) -> pd.DataFrame:
    rows = []
    for t in d.tables:
        pages = [p for p in (t.pages or []) if p is not None]
        rows.append({"disclosure_id": did, "doc_id": t.doc_id, "file": t.file, "sha256": shas.get(t.file),
                     "page": pages[0] if pages else None, "pages": json.dumps(list(t.pages or [])),
                     "table_index": t.index, "kind": t.kind, "title": t.title, "table_no": t.table_no,
                     "unit": t.unit, "continued_pages": t.continued_pages, "n_rows": t.frame.shape[0],
                     "n_cols": t.frame.shape[1],
                     "column_roles": json.dumps(t.column_roles, ensure_ascii=False),
                     "guesses": json.dumps(list(getattr(t, "guesses", []) or []), ensure_ascii=False),
                     "extras": json.dumps(_table_extras(t), ensure_ascii=False, default=str),
                     "frame": frame_json(t.frame)})
    df = pd.DataFrame(rows, columns=["disclosure_id", "doc_id", "file", "sha256", "page", "pages", "table_index",
                                     "kind", "title", "table_no", "unit", "continued_pages", "n_rows", "n_cols",
                                     "column_roles", "guesses", "extras", "frame"])
    return df.astype({"page": "Int64", "table_index": "Int64", "continued_pages": "Int64", "n_rows": "Int64",
                      "n_cols": "Int64"})


_CORE_TABLE_FIELDS = {"doc_id", "index", "kind", "title", "table_no", "file", "pages", "unit", "frame",
                      "column_roles", "continued_pages"}


def _table_extras(t) -> dict:
    """The other fields a PrintedTable has in this budgetkit version (guesses, row_pages …), as JSON values."""
    from dataclasses import fields

    return {f.name: getattr(t, f.name) for f in fields(t) if f.name not in _CORE_TABLE_FIELDS}


def frame_json(frame: pd.DataFrame) -> str:
    """A printed table's wide frame as JSON: columns, index (with its name) and cells as printed text."""
    cols = [[None if v is None or (not isinstance(v, str) and pd.isna(v)) else v for v in frame.iloc[:, i]]
            for i in range(frame.shape[1])]
    return json.dumps({"columns": [str(c) for c in frame.columns], "index_name": frame.index.name,
                       "index": [int(i) if isinstance(i, int) or hasattr(i, "__index__") else str(i)
                                 for i in frame.index], "dtypes": [str(t) for t in frame.dtypes],
                       "data_by_column": cols}, ensure_ascii=False, default=str)


FACT_COLUMNS = ["disclosure_id", "doc_id", "sha256", "fact", "amount_yuan", "amount", "unit", "decimals",
                "file", "page", "table_index", "table_kind", "table_no", "table_title", "row_no", "col_no",
                "row_label", "column_label", "raw"]


def facts_frame(d, did: str, shas: dict, facts: dict | None = None) -> pd.DataFrame:
    """Headline figures (支出总计, 基本支出, 项目支出, “三公”经费, 机关运行经费 …) as the checks read them from the
    tables, one row each with the cell it comes from; the measures are listed in ``reference/corpus_measures.csv``.
    ``facts``: the ones a check already read (``Findings.facts``), so that they are not read twice."""
    if facts is None:
        from budgetkit.check.ledger import Ledger
        from budgetkit.check.narrative import Facts

        facts = Facts(Ledger(d)).named
    rows = []
    for name, fact in facts.items():
        r = fact.rows.iloc[0]
        rows.append({"disclosure_id": did, "doc_id": d.doc_id, "sha256": shas.get(r.get("file")), "fact": name,
                     "amount_yuan": fact.value_yuan, **{c: r.get(c) for c in FACT_COLUMNS[5:]}})
    df = pd.DataFrame(rows, columns=FACT_COLUMNS)
    for c in ("amount_yuan", "amount"):
        df[c] = pd.array([None if v is None or (not isinstance(v, Decimal) and pd.isna(v)) else Decimal(v)
                          for v in df[c]], dtype=DECIMAL)
    df = df.astype({c: "Int64" for c in ("decimals", "page", "table_index", "row_no", "col_no")})
    return df.astype({c: "string" for c in df.columns if df[c].dtype == object})


def _keyed(df: pd.DataFrame, did: str, shas: dict, file_col: str | None = "file") -> pd.DataFrame:
    df = df.copy()
    df.insert(0, "disclosure_id", did)
    if file_col and file_col in df.columns:
        every = ",".join(sorted(set(shas.values())))
        df.insert(1, "sha256", [shas.get(f) or every for f in df[file_col]])
    else:
        df.insert(1, "sha256", ",".join(sorted(set(shas.values()))))  # no file column: the disclosure's files
    df["sha256"] = df["sha256"].astype("string")
    return df
