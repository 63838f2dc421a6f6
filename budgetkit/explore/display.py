"""One display layer for people: amounts as printed, units in headers, bilingual names.

The tidy frames (``d.amounts``, ``findings.frame``, ``panel.lines``) stay exact and
machine-friendly; every place a person looks — notebook frames, widgets, reports,
charts — goes through these helpers instead:

* an amount shows as printed, with thousands separators and the printed number
  of decimals (``1,149.80``), the unit in the column header (``金额（万元）/ amount``);
* missing values are blank (never ``None``, ``NaN`` or ``<NA>``); years are integers;
* table kinds show their Chinese name with the English beside
  (``reference/table_kind_names.csv``), severities and statuses likewise.
"""
from __future__ import annotations

import html
from decimal import Decimal, InvalidOperation

import pandas as pd

from budgetkit.reference import kind_names, load_csv

SEVERITY_NAMES = {"error": ("错误", "error"), "warning": ("警告", "warning"), "review": ("待核对", "review"),
                  "info": ("提示", "info")}
LEVEL_NAMES = {"类": "class", "款": "section", "项": "item"}
SCHEME_NAMES = {"function": ("功能分类", "by function"), "economic": ("经济分类", "by economic class")}


def missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def amount(v, decimals: int | None = 2) -> str:
    """``1149.8`` → ``1,149.80``; missing → ``""``.  ``decimals`` is the printed precision."""
    if missing(v):
        return ""
    try:
        d = v if isinstance(v, Decimal) else Decimal(str(v))
    except (InvalidOperation, ValueError):
        return str(v)
    if not d.is_finite():
        return ""
    n = 2 if missing(decimals) else int(decimals)
    return f"{d:,.{n}f}"


def change(v, decimals: int | None = 2) -> str:
    """A signed amount: ``+136.30`` / ``-4.25``; missing → ``""``."""
    s = amount(v, decimals)
    return s if not s or s.startswith("-") else "+" + s


def percent(v) -> str:
    s = amount(v, 2)
    return "" if not s else (s if s.startswith("-") else "+" + s) + "%"


def integer(v) -> str:
    return "" if missing(v) else str(int(v))


def text(v) -> str:
    return "" if missing(v) else str(v)


def kind_label(kind: str | None) -> str:
    """``income_expenditure_summary`` → ``收支总表 / Income and expenditure summary``."""
    if missing(kind):
        return ""
    zh, en = kind_names().get(kind, (kind, kind))
    return f"{zh} / {en}" if zh != en else zh


def severity_label(sev: str) -> str:
    zh, en = SEVERITY_NAMES.get(sev, (sev, sev))
    return f"{zh} / {en}"


def status_label(status) -> str:
    """A status in words; given the finding itself, a failed completeness remark reads 缺少 / missing and the like
    (``check.findings.status_words``), not 不一致."""
    from budgetkit.check.findings import STATUS_NAMES, status_words

    if hasattr(status, "rule"):
        return " / ".join(status_words(status))
    zh, en = STATUS_NAMES.get(status, (status, status))
    return f"{zh} / {en}"


def level_label(level: str) -> str:
    return f"{level} / {LEVEL_NAMES.get(level, level)}"


def amount_header(unit: str | None) -> str:
    return f"金额（{unit}）/ amount ({unit})" if unit else "金额 / amount"


def amounts(a: pd.DataFrame) -> pd.DataFrame:
    """``d.amounts`` (or a slice) for people: one row per printed cell, the amount as printed.

    The unit goes in the amount column's header when the rows share one; otherwise a unit column is kept.
    """
    units = [u for u in a["unit"].dropna().unique()] if "unit" in a else []
    one_unit = units[0] if len(units) == 1 else None
    out = pd.DataFrame({
        "页 / page": [integer(v) for v in a["page"]],
        "表 / table": [f"{text(no)} {text(t)}".strip() for no, t in zip(a["table_no"], a["table_title"])],
        "种类 / kind": [kind_label(k) for k in a["table_kind"]],
        "行 / row": [text(v) for v in a["row_label"]],
        "编码 / code": [text(v) for v in a["code"]],
        "层级 / level": [text(v) for v in a["code_level"]],
        "列 / column": [text(v) for v in a["column_label"]],
        amount_header(one_unit): [amount(v, n) for v, n in zip(a["amount"], a["decimals"])],
    })
    if one_unit is None:
        out["单位 / unit"] = [text(u) for u in a["unit"]]
    return out.reset_index(drop=True)


def findings(f) -> pd.DataFrame:
    """Findings for people: bilingual severity and status, messages whole, numbers as printed."""
    rows = []
    for x in f:
        d = x.to_dict()
        loc = x.locations[0] if x.locations else {}
        rows.append({
            "规则 / rule": x.rule,
            "检查什么 / what it checks": x.title,
            "级别 / severity": severity_label(x.severity),
            "状态 / status": status_label(x),
            "发现 / finding": x.message,
            "English": x.message_en,
            "应为 / expected": _num(d["expected"]),
            "实为 / actual": _num(d["actual"]),
            "差额 / difference": _num(d["difference"]),
            "单位 / unit": text(x.unit),
            "页 / page": integer(loc.get("page")),
        })
    return pd.DataFrame(rows, columns=["规则 / rule", "检查什么 / what it checks", "级别 / severity",
                                       "状态 / status", "发现 / finding", "English", "应为 / expected",
                                       "实为 / actual", "差额 / difference", "单位 / unit", "页 / page"])


def _num(s) -> str:
    if missing(s):
        return ""
    try:
        d = Decimal(str(s))
    except InvalidOperation:
        return str(s)
    n = max(-d.as_tuple().exponent, 0) if d.is_finite() else 0
    return amount(d, n)


def panel_lines(panel, table_kind: str | None = None, level: str | None = None) -> pd.DataFrame:
    """A year-over-year panel's lines for people: values as printed, change and % beside, unit in headers."""
    L = panel.lines
    if table_kind:
        L = L[L["table_kind"] == table_kind]
    if level and "level" in L:
        L = L[L["level"] == level]
    n = getattr(panel, "decimals", 2)
    u = panel.unit
    out = pd.DataFrame({
        "表 / table": [kind_label(k) for k in L["table_kind"]],
        "编码 / code": [text(c) for c in L["code"]],
        "科目 / line": [text(v) for v in L["label"]],
    })
    for y in panel.years:
        out[f"{y}（{u}）"] = [amount(v, n) for v in L[f"value_{y}"]]
    for prev, y in zip(panel.years, panel.years[1:]):
        out[f"{prev}→{y} 增减（{u}）/ change"] = [change(v, n) for v in L[f"change_{y}"]]
        out[f"{prev}→{y} 增幅 / %"] = [percent(v) for v in L[f"pct_{y}"]]
    from budgetkit.yoy.panel import pages_text, status_text

    out["状态 / status"] = [status_text(r, n) for _, r in L.iterrows()]
    if any(f"page_{y}" in L for y in panel.years):  # the PDF page of each year's figure, to check it against
        col = f"页 / page（{'·'.join(str(y) for y in panel.years)}）"
        out[col] = [pages_text(r, panel.years) for _, r in L.iterrows()]
    return out.reset_index(drop=True)


def to_html(df: pd.DataFrame, max_rows: int | None = None) -> str:
    """A readable frame as HTML: escaped, blank for missing, no index, amounts right-aligned."""
    right = [c for c in df.columns if "金额" in str(c) or "（" in str(c) and "）" in str(c) or "%" in str(c)
             or c in ("应为 / expected", "实为 / actual", "差额 / difference")]
    body = df if max_rows is None else df.head(max_rows)
    styles = "".join(f".bk-frame td:nth-child({list(df.columns).index(c) + 1}){{text-align:right;"
                     f"font-variant-numeric:tabular-nums}}" for c in right)
    table = body.to_html(index=False, na_rep="", border=0, escape=True, classes="bk-frame")
    more = ""
    if max_rows is not None and len(df) > max_rows:
        more = f"<p><i>另有 {len(df) - max_rows} 行未显示 / {len(df) - max_rows} more rows not shown</i></p>"
    return f"<style>{styles}</style>{table}{more}"


class Readable:
    """Wraps a readable frame so a notebook shows it whole (no truncation), escaped, blanks for missing."""

    def __init__(self, df: pd.DataFrame, max_rows: int | None = 200):
        self.df, self.max_rows = df, max_rows

    def _repr_html_(self):
        return to_html(self.df, self.max_rows)

    def __repr__(self):
        return self.df.to_string(index=False, max_rows=self.max_rows)


def show(df: pd.DataFrame, max_rows: int | None = 200) -> Readable:
    return Readable(df, max_rows)


def rule_catalogue() -> pd.DataFrame:
    """What each rule checks, from ``reference/rules.csv`` (its own titles)."""
    from budgetkit.check.findings import FAMILY_NAMES

    rows = [{"规则 / rule": r["id"],
             "类别 / family": " / ".join(FAMILY_NAMES.get(r["family"], (r["family"], r["family"]))),
             "检查什么 / what it checks": r["title_zh"], "English": r["title_en"],
             "级别 / severity": severity_label(r["severity"])} for r in load_csv("rules.csv")]
    return pd.DataFrame(rows)


def escape(s) -> str:
    return html.escape(text(s))


def cell(v) -> str:
    """Any value as a person reads it: decimals at their own precision with separators, whole-number
    floats (years, counts) as integers, missing blank."""
    if missing(v):
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, Decimal):  # stored at six decimals (31.000000): shown to the cent, or to its last digit
        if not v.is_finite():
            return ""
        stored = max(-v.as_tuple().exponent, 0)
        return amount(v, min(stored, max(2, -v.normalize().as_tuple().exponent)))
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:,.2f}"
    if isinstance(v, int):
        return str(v)
    return str(v)


def header(column) -> str:
    """A column's name for people: ``project_name`` → ``项目 / project`` (``reference/column_names.csv``);
    a name not listed there is kept as it is."""
    names = _column_names()
    zh_en = names.get(str(column))
    if zh_en is None:
        return str(column)
    return zh_en[0] if zh_en[0] == zh_en[1] else f"{zh_en[0]} / {zh_en[1]}"


def _column_names() -> dict:
    global _COLUMN_NAMES
    if _COLUMN_NAMES is None:
        _COLUMN_NAMES = {r["column"]: (r["name_zh"], r["name_en"]) for r in load_csv("column_names.csv")}
    return _COLUMN_NAMES


_COLUMN_NAMES = None


def family_label(family) -> str:
    """A template family as a reader names it (``sichuan`` → ``四川模板 / Sichuan template``); an id with no
    name (``unknown``) is blank — internal ids never reach a reader."""
    if missing(family):
        return ""
    names = {r["family"]: (r["name_zh"], r["name_en"]) for r in load_csv("family_names.csv")}
    zh_en = names.get(str(family))
    return f"{zh_en[0]} / {zh_en[1]}" if zh_en else ""


def readable(df: pd.DataFrame, max_rows: int | None = 200) -> Readable:
    """Any frame for people (see :func:`cell`), shown whole and escaped: table kinds, severities, statuses and
    template families get their names, columns their Chinese name with the English beside."""
    out = df.copy()
    for c in out.columns:
        if c == "table_kind":
            out[c] = [kind_label(k) for k in out[c]]
        elif c in ("severity",):
            out[c] = [severity_label(k) for k in out[c]]
        elif c in ("status",) and set(out[c].dropna()) <= set(_status_names()):
            out[c] = [status_label(k) for k in out[c]]
        elif c == "family":
            out[c] = [family_label(k) for k in out[c]]
        else:
            out[c] = [cell(v) for v in out[c]]
    out.columns = [header(c) for c in out.columns]
    return Readable(out.reset_index(drop=True), max_rows)


def _status_names():
    from budgetkit.check.findings import STATUS_NAMES

    return STATUS_NAMES
