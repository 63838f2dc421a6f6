"""Write a disclosure to disk: CSV for people (UTF-8 with BOM, so Excel reads the Chinese), Parquet for
programs, and .xlsx with amounts as numbers in their printed precision.

Every file is written to a temporary name in the same folder and renamed into place: a symlink planted
at the destination is replaced, never followed.  A folder records which document its outputs belong to
(``budgetkit-outputs.json``); a rerun for the same document clears only its own stale files, and a folder
holding another document's outputs is refused with a clear message.
"""
from __future__ import annotations

import io
import json
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from budgetkit.disclosure import Disclosure
from budgetkit.errors import BadInputError

MANIFEST = "budgetkit-outputs.json"
CSV_ENCODING = "utf-8-sig"  # UTF-8 with BOM: Excel on Windows reads the Chinese


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


# --------------------------------------------------------------------------- safe writing

def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file renamed into place.

    ``os.replace`` swaps the directory entry: a symlink at ``path`` is replaced by the new file and the
    file it pointed to is left untouched.
    """
    path = Path(path)
    # a short temporary name: a valid name of 240 bytes plus a prefix and suffix would pass the 255-byte limit
    fd, tmp = tempfile.mkstemp(prefix=".budgetkit-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if hasattr(os, "fchmod"):  # mkstemp makes 0600: give the file the mode any new file of the user gets
                os.fchmod(fh.fileno(), 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def _umask() -> int:
    """The process's umask (read by setting it and putting it back: there is no other portable way)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    return write_bytes(path, text.encode(encoding))


#: what a spreadsheet takes for the start of a formula (OWASP, CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[-+]+$")


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell that a spreadsheet would run as a formula (one starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return) given a leading apostrophe, as OWASP recommends. Numbers are left
    as they are: a printed ``-729.79`` is a number, not a formula, and so is a Decimal; a lone ``-`` is a dash."""
    out = None
    for col in df.columns:
        s = df[col]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s)):
            continue
        risky = [isinstance(v, str) and v.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(v)
                 for v in s.astype(object)]
        if any(risky):
            out = df.copy() if out is None else out
            out[col] = pd.Series(["'" + v if r else v for v, r in zip(s.astype(object), risky)], index=s.index,
                                 dtype=s.dtype)
    return df if out is None else out


def _csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    csv_safe(df).to_csv(buf, index=False)
    return buf.getvalue().encode(CSV_ENCODING)


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


# --------------------------------------------------------------------------- xlsx

def _number_format(v: Decimal) -> str:
    n = max(-v.as_tuple().exponent, 0) if v.is_finite() else 0
    return "#,##0" + ("." + "0" * n if n else "")


def xlsx_bytes(sheets: dict[str, pd.DataFrame], filters: bool = True) -> bytes:
    """One sheet per frame.  Decimal cells become Excel numbers whose number format is their printed
    precision (``1149.80`` → ``#,##0.00``); text is kept as text (never read as a formula).
    ``filters``: an auto-filter on each sheet's header row (tables a reader sorts and narrows), on unless False."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    from budgetkit.explore.display import header

    wb = Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        ws.append([header(c) for c in df.columns])  # 页 / page, never page
        for c in ws[1]:
            c.font = Font(bold=True)
        for r, rec in enumerate(df.itertuples(index=False), start=2):
            row = []
            for v in rec:
                if v is None or (not isinstance(v, (str, Decimal, list, dict)) and pd.isna(v)):
                    row.append(None)
                elif isinstance(v, Decimal):
                    row.append(v if v.is_finite() else str(v))
                elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)):
                    row.append(v.item() if hasattr(v, "item") else v)  # a year, page or row number: a number
                else:
                    row.append(ILLEGAL_CHARACTERS_RE.sub("", str(v)))
            ws.append(row)
            for j, v in enumerate(row, start=1):  # ws.cell(r, j) is a lookup; ws[ws.max_row] scans every cell
                if isinstance(v, Decimal):
                    ws.cell(r, j).number_format = _number_format(v)
                elif isinstance(v, str) and v.startswith("="):
                    ws.cell(r, j).data_type = "s"  # document text, not a formula
        ws.freeze_panes = "A2"
        if filters and ws.max_row > 1:
            ws.auto_filter.ref = ws.dimensions  # a filter on every column, as a reader of a long sheet expects
        for col in ws.iter_cols(max_row=min(ws.max_row, 200)):
            width = max((len(str(c.value)) for c in col if c.value is not None), default=6)
            ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 6), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _as_printed(values, decimals) -> list:
    """Exact decimals quantized to their printed precision, so the number format shows them as printed."""
    out = []
    for v, n in zip(values, decimals):
        if v is None or pd.isna(v):
            out.append(None)
        else:
            n = 2 if n is None or pd.isna(n) else int(n)
            out.append(Decimal(v).quantize(Decimal(1).scaleb(-n)))
    return out


def disclosure_sheets(d: Disclosure) -> dict[str, pd.DataFrame]:
    a = d.amounts.copy()
    dec = list(a["decimals"])
    a["amount"] = pd.array(_as_printed(a["amount"], dec), dtype=object)
    yuan_dec = [max(int(n) - 4, 0) if u == "万元" and not pd.isna(n) else n for n, u in zip(dec, a["unit"])]
    a["amount_yuan"] = pd.array(_as_printed(a["amount_yuan"], yuan_dec), dtype=object)
    from budgetkit.explore import display

    for frame in (a, tables := tables_long(d), residue := d.residue.copy()):
        if "table_kind" in frame:  # a table's kind by its name (收支总表 / …), not its id
            frame["table_kind"] = [display.kind_label(k) for k in frame["table_kind"]]
    if "code_scheme" in a:
        a["code_scheme"] = [" / ".join(display.SCHEME_NAMES.get(v, (v, v))) if isinstance(v, str) else v
                            for v in a["code_scheme"]]
    shown = {**d.meta, "family": display.family_label(d.meta.get("family"))}
    shown.pop("region", None)  # an internal id; the province and city say where
    meta = pd.DataFrame([{"项 / item": display.header(k), "内容 / value": json.dumps(v, ensure_ascii=False, default=str)
                          if isinstance(v, (list, dict)) else v} for k, v in shown.items()])
    return {"金额 amounts": a, "表格 tables": tables, "段落 narrative": d.narrative,
            "残留 residue": residue, "概况 meta": meta}


def findings_sheets(findings) -> dict[str, pd.DataFrame]:
    from budgetkit.explore import display

    readable = display.findings(findings)
    pages = [x.locations[0].get("page") if x.locations else None for x in findings]
    readable["页 / page"] = pd.array([None if display.missing(p) else int(p) for p in pages], dtype="Int64")
    heads = {id(x): n for n, x in enumerate(findings.problems, start=1)} if hasattr(findings, "problems") else {}
    if heads:  # the findings of one printed discrepancy share its number
        readable["问题 / problem"] = [heads[id(x.same_as or x)] for x in findings]
    for col, key in (("应为 / expected", "expected"), ("实为 / actual", "actual"), ("差额 / difference", "difference")):
        readable[col] = [None if getattr(x, key) is None else Decimal(getattr(x, key)) for x in findings]
    ev = pd.DataFrame([{"规则 / rule": k, "核对次数 / comparisons": v} for k, v in findings.evaluated.items()])
    return {"发现 findings": readable, "规则 rules": display.rule_catalogue(), "核对次数 evaluated": ev}


def panel_sheets(panel) -> dict[str, pd.DataFrame]:
    from budgetkit.explore import display

    L = panel.lines
    out = pd.DataFrame({"表 / table": [display.kind_label(k) for k in L["table_kind"]],
                        "编码 / code": [display.text(c) for c in L["code"]],
                        "层级 / level": [display.text(v) for v in L.get("level", [None] * len(L))],
                        "科目 / line": [display.text(v) for v in L["label"]]})
    q = Decimal(1).scaleb(-panel.decimals)
    for y in panel.years:
        out[f"{y}（{panel.unit}）"] = [None if display.missing(v) else Decimal(v).quantize(q) for v in L[f"value_{y}"]]
    for prev, y in zip(panel.years, panel.years[1:]):
        out[f"{prev}→{y} 增减（{panel.unit}）"] = [None if display.missing(v) else Decimal(v).quantize(q)
                                                 for v in L[f"change_{y}"]]
        out[f"{prev}→{y} 增幅 %"] = [None if display.missing(v) else Decimal(v) for v in L[f"pct_{y}"]]
    status = {"new": "新增 / new", "discontinued": "取消 / discontinued", "continuing": "延续 / continuing"}
    out["状态 / status"] = [status.get(v, v) for v in L["status"]]  # as display.panel_lines names them
    st = display.findings(panel.statements) if panel.statements else pd.DataFrame(
        {"发现 / finding": ["未发现不一致 / no inconsistency found"]})
    return {"跨年 lines": out, "比上年表述 statements": st}


# --------------------------------------------------------------------------- folders

def _claim(out: Path, doc_id: str) -> list[str]:
    """Check the folder may take this document's outputs; return the files an earlier run of it wrote."""
    m = out / MANIFEST
    previous: dict = {}
    if m.is_file() and not m.is_symlink():
        try:
            previous = json.loads(m.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = {}
    elif (out / "meta.json").is_file() and not (out / "meta.json").is_symlink():
        try:  # outputs written before the manifest existed
            previous = {"doc_id": json.loads((out / "meta.json").read_text(encoding="utf-8")).get("doc_id"),
                        "files": []}
        except (OSError, ValueError):
            previous = {}
    owner = previous.get("doc_id")
    if owner and owner != doc_id:
        raise BadInputError(out, f"文件夹里已有另一份文件（{owner}）的输出，请换一个输出文件夹",
                            f"the folder holds the outputs of another document ({owner}): choose another --out")
    return [f for f in previous.get("files", []) if isinstance(f, str) and "/" not in f and f != MANIFEST]


def write_outputs(d: Disclosure, out: Path, xlsx: bool = False) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    earlier = _claim(out, d.doc_id)
    files: dict[str, bytes] = {"amounts.csv": _csv_bytes(amounts_for_csv(d))}
    for name, frame in (("amounts", d.amounts), ("tables", tables_long(d)),
                        ("narrative", d.narrative), ("residue", d.residue)):
        files[f"{name}.parquet"] = _parquet_bytes(frame)
    files["residue.csv"] = _csv_bytes(d.residue)
    files["meta.json"] = json.dumps({**d.meta, "coverage": d.coverage(), "warnings": d.warnings},
                                    ensure_ascii=False, indent=2, default=str).encode("utf-8")
    if xlsx:
        files[f"{d.doc_id}.xlsx"] = xlsx_bytes(disclosure_sheets(d))
    written = [write_bytes(out / name, data) for name, data in files.items()]
    for stale in set(earlier) - set(files):  # only files this document's earlier run wrote
        p = out / stale
        if p.is_file() or p.is_symlink():
            p.unlink()
    write_text(out / MANIFEST, json.dumps({"doc_id": d.doc_id, "files": sorted(files)}, ensure_ascii=False,
                                          indent=2))
    return written
