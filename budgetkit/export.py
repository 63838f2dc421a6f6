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
import zipfile
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
    """One sheet per frame, Chinese headers in bold, the header row frozen.  Decimal cells become Excel numbers
    whose number format is their printed precision (``1149.80`` → ``#,##0.00``); text is kept as text (an
    inline string, never a formula).  ``filters``: an auto-filter on each sheet's header row (tables a reader
    sorts and narrows), on unless False.

    The workbook's parts are written here as text rather than through openpyxl: a document's tables sheet
    holds every printed cell, and openpyxl's per-cell work (even in write-only mode) cost more than a
    quarter of reading the document."""
    from budgetkit.explore.display import header

    styles: dict[str, int] = {}  # number format → cellXfs index (0 plain, 1 bold header)
    titles: list[str] = []
    parts: list[bytes] = []
    for name, df in sheets.items():
        titles.append(_sheet_title(name, titles))
        parts.append(_sheet_xml(df, [str(header(c)) for c in df.columns], styles, filters))
    if not parts:  # a workbook needs a sheet
        titles, parts = ["Sheet"], [_sheet_xml(pd.DataFrame(), [], styles, False)]
    names = "".join(f'<sheet name="{_xml_escape(t)}" sheetId="{i}" r:id="rId{i}"/>'
                    for i, t in enumerate(titles, start=1))
    defined = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                      f"{_xml_escape(_quote_sheet(t))}!{ref}</definedName>"
                      for i, (t, (_, ref)) in enumerate(zip(titles, parts)) if ref)
    workbook = (f'{_XML_HEAD}<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}"><bookViews><workbookView/>'
                f'</bookViews><sheets>{names}</sheets>'
                + (f"<definedNames>{defined}</definedNames>" if defined else "") + "</workbook>")
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_NS_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(parts) + 1))
    rels += f'<Relationship Id="rId{len(parts) + 1}" Type="{_NS_REL}/styles" Target="styles.xml"/>'
    types = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
                    for i in range(1, len(parts) + 1))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", f'{_XML_HEAD}<Types xmlns="{_NS_PKG}/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
                   f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>{types}</Types>')
        z.writestr("_rels/.rels", f'{_XML_HEAD}<Relationships xmlns="{_NS_PKG}/relationships">'
                   f'<Relationship Id="rId1" Type="{_NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
                   "</Relationships>")
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels",
                   f'{_XML_HEAD}<Relationships xmlns="{_NS_PKG}/relationships">{rels}</Relationships>')
        z.writestr("xl/styles.xml", _styles_xml(styles))
        for i, (part, _) in enumerate(parts, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", part)
    return buf.getvalue()


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold
_XML_SPECIAL = re.compile(r'[&<>\r"]')
_XML_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", '"': "&quot;"}
_BUILTIN_FORMATS = {"#,##0": 3, "#,##0.00": 4}  # Excel's own numFmtIds; others are numbered from 164


def _xml_escape(s: str) -> str:
    return _XML_SPECIAL.sub(lambda m: _XML_ENTITY[m.group()], s) if _XML_SPECIAL.search(s) else s


def _inline(s: str) -> str:
    """Text as an inline string: never a formula, whatever it starts with."""
    space = ' xml:space="preserve"' if s != s.strip() else ""
    return f' t="inlineStr"><is><t{space}>{_xml_escape(s)}</t></is></c>'


def _sheet_title(name: str, taken: list[str]) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\, unique (case aside)."""
    title = re.sub(r"[\[\]:*?/\\]", "_", _XML_ILLEGAL.sub("", str(name)))[:31] or "Sheet"
    n, used = 1, {t.lower() for t in taken}
    while title.lower() in used:
        suffix = str(n)
        title, n = title[:31 - len(suffix)] + suffix, n + 1
    return title


def _quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _column_letter(j: int) -> str:
    """1 → A, 27 → AA."""
    s = ""
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _xlsx_value(v):
    """A frame's value as written: Decimal as a number (non-finite as text), ints and finite floats as numbers,
    anything else as text without the characters XML cannot hold; missing as an empty cell."""
    if v is None or (not isinstance(v, (str, Decimal, list, dict)) and pd.isna(v)):
        return None
    if isinstance(v, str):
        return _XML_ILLEGAL.sub("", v)
    if isinstance(v, Decimal):
        return v if v.is_finite() else str(v)
    if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
        return int(v)  # a year, page or row number: a number
    if isinstance(v, (float, np.floating)):
        return float(v) if np.isfinite(v) else str(v)
    return _XML_ILLEGAL.sub("", str(v))


def _xlsx_body(v, styles: dict[str, int], texts: dict[str, str]) -> str | None:
    """The rest of a ``<c r="A2"`` element for a written value; ``texts`` holds the text already escaped (a table's
    title, kind and file repeat on each of its cells)."""
    if v is None or v == "":
        return None
    if isinstance(v, str):
        body = texts.get(v)
        return body if body is not None else texts.setdefault(v, _inline(v))
    if isinstance(v, Decimal):
        fmt = _number_format(v)
        s = styles.get(fmt) or styles.setdefault(fmt, len(styles) + 2)
        return f' s="{s}"><v>{v:f}</v></c>'
    return f"><v>{v!r}</v></c>"


def _sheet_xml(df: pd.DataFrame, heads: list[str], styles: dict[str, int], filters: bool) -> tuple[bytes, str]:
    """A worksheet part and its filter's range ("" without a filter)."""
    letters = [_column_letter(j) for j in range(1, len(heads) + 1)]
    columns = [[_xlsx_value(v) for v in df.iloc[:, j].to_numpy(dtype=object)] for j in range(df.shape[1])]
    cols = "".join(  # widths from the header and the first 199 rows, as a reader sees the top of the sheet
        f'<col min="{j}" max="{j}" width="{min(max(w + 2, 6), 60)}" customWidth="1"/>'
        for j, values in enumerate(columns, start=1)
        for w in [max((len(str(v)) for v in [heads[j - 1], *values[:199]] if v is not None), default=6)])
    texts: dict[str, str] = {}
    bodies = [[_xlsx_body(v, styles, texts) for v in values] for values in columns]
    rows = ['<row r="1">' + "".join(f'<c r="{L}1" s="1"{_inline(_XML_ILLEGAL.sub("", h))}'
                                    for L, h in zip(letters, heads)) + "</row>"]
    for r, row in enumerate(zip(*bodies), start=2):
        rows.append(f'<row r="{r}">' + "".join(f'<c r="{L}{r}"{b}' for L, b in zip(letters, row) if b is not None)
                    + "</row>")
    last = f"{letters[-1] if letters else 'A'}{len(df) + 1}"
    views = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
             'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>')
    flt = f'<autoFilter ref="A1:{last}"/>' if filters and len(df) else ""
    xml = (f'{_XML_HEAD}<worksheet xmlns="{_NS_MAIN}"><dimension ref="A1:{last}"/>{views}'
            f'<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "")
            + f'<sheetData>{"".join(rows)}</sheetData>{flt}<pageMargins left="0.75" right="0.75" top="1" '
            'bottom="1" header="0.5" footer="0.5"/></worksheet>').encode("utf-8", "replace")
    return xml, (f"$A$1:${letters[-1] if letters else 'A'}${len(df) + 1}" if flt else "")


def _styles_xml(styles: dict[str, int]) -> str:
    custom = {fmt: 164 + i for i, fmt in enumerate(f for f in styles if f not in _BUILTIN_FORMATS)}
    numfmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{_xml_escape(f)}"/>' for f, i in custom.items())
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>']
    xfs += [f'<xf numFmtId="{_BUILTIN_FORMATS.get(f) or custom[f]}" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/>' for f in sorted(styles, key=styles.get)]
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
    return (f'{_XML_HEAD}<styleSheet xmlns="{_NS_MAIN}">'
            + (f'<numFmts count="{len(custom)}">{numfmts}</numFmts>' if custom else "")
            + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
            '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


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
    meta = pd.DataFrame([{"项 / item": display.header(k), "内容 / value": meta_words(k, v)} for k, v in shown.items()])
    return {"金额 amounts": a, "表格 tables": tables, "段落 narrative": d.narrative,
            "残留 residue": residue, "概况 meta": meta}


PLACED = {"amount": "金额 / amounts", "non-amount column": "非金额列 / non-amount columns", "residue": "残留 / residue",
          "merged cell shown again": "合并单元格重复显示 / merged cell shown again"}


def meta_words(key: str, v):
    """A ``meta`` entry as a reader reads it in the 概况 sheet (units, source files, printed page numbers, where
    each printed figure went), not as JSON."""
    if not isinstance(v, (list, dict)):
        return v
    if key == "units":
        return "；".join(" ".join(str(u.get(k) or "") for k in ("code", "name")).strip() for u in v) or "—"
    if key == "sources":
        return "；".join(f"{s.get('file')}（{s.get('format') or ''}{'，' + str(s['pages']) + ' 页 / pages' if s.get('pages') else ''}"
                        f"，sha256 {s.get('sha256') or ''}）" for s in v)
    if key == "printed_pages":
        return printed_pages_words(v)
    if key == "conservation" and isinstance(v, dict):
        placed = "、".join(f"{PLACED.get(k, k)} {n}" for k, n in (v.get("placed") or {}).items())
        lost = v.get("lost") or []
        return (f"文件中的数字 / figures found in the file {v.get('printed')}；表格中的数字单元格 / figure cells of the "
                f"tables: {placed}；丢失 / lost {len(lost)}"
                + (f"（{'；'.join(str(x) for x in lost[:5])}）" if lost else ""))
    if key == "evidence" and isinstance(v, dict):
        from budgetkit.explore import display

        return "；".join(f"{display.header(k)}: {x}" for k, x in v.items())
    if isinstance(v, list) and all(not isinstance(x, (list, dict)) for x in v):
        return "、".join(str(x) for x in v) or "—"
    return json.dumps(v, ensure_ascii=False, default=str)


def printed_pages_words(labels: list) -> str:
    """「第1–3页无；第4–59页 页码 = PDF页 − 1」: runs of PDF pages with the same difference to the printed number,
    per file, and the pages before the first label that print none."""
    if not labels:
        return "未见印刷页码 / no printed page numbers seen"
    out = []
    files = list(dict.fromkeys(x["file"] for x in labels))
    for file in files:
        pages = sorted((int(x["page"]), int(x["page"]) - int(x["printed"])) for x in labels if x["file"] == file)
        runs: list = []
        for page, off in pages:
            if runs and runs[-1][2] == off and page == runs[-1][1] + 1:
                runs[-1][1] = page
            else:
                runs.append([page, page, off])
        first = pages[0][0]
        span = f"1–{first - 1}" if first > 2 else "1"
        zh, en = ([f"第{span}页无"], [f"p.{span} none"]) if first > 1 else ([], [])
        last = first - 1
        for a, b, off in runs:
            if a > last + 1:  # pages between two runs that print no number
                gap = f"{last + 1}–{a - 1}" if a - 1 > last + 1 else f"{last + 1}"
                zh.append(f"第{gap}页无")
                en.append(f"p.{gap} none")
            last = b
            sign = f" {'−' if off > 0 else '+'} {abs(off)}" if off else ""
            zh.append(f"第{a}{'–' + str(b) if b > a else ''}页 页码 = PDF页{sign}")
            en.append(f"p.{a}{'–' + str(b) if b > a else ''} printed = PDF page{sign}")
        name = f"{file}: " if len(files) > 1 else ""
        out.append(f"{name}{'；'.join(zh)} / {'; '.join(en)}")
    return " · ".join(out)


def findings_sheets(findings) -> dict[str, pd.DataFrame]:
    from budgetkit.explore import display

    readable = display.findings(findings)
    pages = [x.locations[0].get("page") if x.locations else None for x in findings]
    readable["页 / page"] = pd.array([None if display.missing(p) else int(p) for p in pages], dtype="Int64")
    printed = [x.locations[0].get("printed_page") if x.locations else None for x in findings]
    if any(p is not None for p in printed):  # the number the document prints on that PDF page (read.page_labels)
        readable["页码印 / printed page"] = pd.array(printed, dtype="Int64")
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
    from budgetkit.yoy.panel import pages_text, status_text

    out["状态 / status"] = [status_text(r, panel.decimals) for _, r in L.iterrows()]  # as display.panel_lines says
    if any(f"page_{y}" in L for y in panel.years):
        col = f"页 / page（{'·'.join(str(y) for y in panel.years)}）"
        out[col] = [pages_text(r, panel.years) for _, r in L.iterrows()]
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
