"""Figures of one disclosure by code and column role: the function table's 合计/基本/项目 per code, a named
column of another table per code, and the 三公 table's blocks — each with its provenance."""
from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.check.ledger import records

# function tables, the one with the narrowest fund first (年初预算 and 决算 are both 一般公共预算 where printed)
FUNCTION_KINDS = ["gpb_expenditure_by_function", "fiscal_appropriation_expenditure_by_function"]
WAN = Decimal(10000)
TOTAL_LABEL = re.compile(r"^\s*(?:合\s*计|总\s*计)\s*$")


def function_table(d) -> int | None:
    """Index of the function table the join reads (the first of FUNCTION_KINDS present)."""
    for kind in FUNCTION_KINDS:
        for t in d.tables:
            if t.kind == kind:
                return t.index
    return None


# columns that are not this year's own figure of the stage: the previous year's, a change, another measure
NOT_THIS = ("执行数", "上年", "增减", "比上年", "比2", "扣除", "变动", "增长", "结转", "结余", "%", "率")
NOT_STAGE = {"预算": ("决算",), "决算": ("预算", "完成", "调整")}
YEAR = re.compile(r"(\d{4})\s*年")


def column_role(label) -> str:
    """The role of a 决算 column (reference/final_columns.csv): final, budget_initial, budget_adjusted,
    budget_stated, completion_rate, carry_in, carry_out, surplus_distribution, use_of_nonfiscal_surplus,
    row_number, column_number or of_which — the first role whose words the header holds; else final."""
    from budgetkit.reference import load_csv

    label = str(label or "")
    for r in load_csv("final_columns.csv"):
        if r["words"] and any(w in label for w in r["words"].split("|")):
            return r["role"]
    return "final"


def _role(label: str, year=None, stage=None) -> str | None:
    """total / basic / project for a column of this year's figures of the document's stage, else None."""
    label = str(label or "")
    if any(w in label for w in NOT_THIS) or any(w in label for w in NOT_STAGE.get(stage, ())):
        return None
    if stage == "决算" and column_role(label) != "final":
        return None  # a budget, a rate, a balance or a part of another column, not the 决算 figure
    if year and any(int(y) != int(year) for y in YEAR.findall(label)):
        return None
    parts = [x.strip() for x in label.split("/")]
    last = parts[-1].replace("其中：", "").replace("其中:", "").strip()
    if last.endswith("基本支出") or (len(parts) > 1 and parts[-2].endswith("基本支出") and last in ("小计", "合计")):
        return "basic"
    if len(parts) > 1 and parts[-2].endswith("基本支出"):
        return None  # 人员支出 / 日常公用支出: parts of 基本支出
    if "项目支出" in label and (last in ("小计", "合计", "项目支出") or last.endswith("项目支出")):
        return "project"
    if "其中" in label.split("/")[-1]:
        return None
    return "total"


def cell(r: dict) -> dict:
    """Provenance of one amount cell."""
    return {"file": r["file"], "page": int(r["page"]), "table_index": int(r["table_index"]),
            "table_title": r["table_title"], "row_no": int(r["row_no"]), "col_no": int(r["col_no"]),
            "row_label": r["row_label"], "column_label": r["column_label"], "raw": r["raw"]}


def wan(r: dict) -> Decimal:
    """An amount in 万元 (exact), whatever unit it was printed in."""
    dec = int(r["decimals"]) if pd.notna(r["decimals"]) else 2
    if r["unit"] == "万元":
        return Decimal(r["amount"]).quantize(Decimal(10) ** -dec)
    v = (Decimal(r["amount_yuan"]) / WAN).normalize()
    return v if -v.as_tuple().exponent >= 2 else v.quantize(Decimal("0.01"))


def _norm(name) -> str:
    return re.sub(r"\s+", "", str(name or "")).replace("（", "(").replace("）", ")")


def row_codes(d, table_index: int, names: dict | None = None) -> tuple[dict, set]:
    """row_no → full code where the table prints its code over 类/款/项 columns ("201 | 08 | 01", or "08" and
    "01" under a 类 row), and — for a table printing no code at all — by name: a row whose name equals the
    ``names`` (code → name, the other document's) of a 类, of a 款 under the 类 above it, or of a 项 under the
    款 above it.  Returns the codes and the rows whose code rests on a name."""
    t = next((t for t in d.tables if t.index == table_index), None)
    if t is None or getattr(t, "frame", None) is None or not getattr(t, "column_roles", None):
        return {}, set()
    cols = [c for c, role in t.column_roles.items() if role == "code" and c in t.frame.columns]
    if len(cols) >= 2 and not all(str(c).rstrip().endswith(("类", "款", "项")) for c in cols[:3]):
        return {}, set()  # one code column per panel (a two- or three-panel economic table), not 类/款/项
    label = next((c for c, role in t.column_roles.items() if role == "label" and c in t.frame.columns), None)
    out: dict = {}
    cls = kuan = None
    if len(cols) >= 2:
        for row_no, row in t.frame.iterrows():
            p = [str(row[c]).strip() if isinstance(row[c], str) else "" for c in cols[:3]]
            p = [x if x.isdigit() else "" for x in p] + [""] * (3 - len(p))
            if len(p[0]) in (5, 7):
                out[row_no] = p[0]
                continue
            if len(p[0]) == 3:
                cls, kuan = p[0], None
            if len(p[1]) == 2 and cls:
                kuan = cls + p[1]
            if len(p[2]) == 2 and kuan:
                out[row_no] = kuan + p[2]
            elif len(p[1]) == 2 and kuan:
                out[row_no] = kuan
            elif len(p[0]) == 3:
                out[row_no] = cls
        return out, set()
    coded = d.amounts[(d.amounts["table_index"] == table_index)]["code"].dropna()
    if not names or label is None or coded.astype(str).str.isdigit().any():
        return {}, set()
    for row_no, row in t.frame.iterrows():
        lab = _norm(row[label])
        if not lab:
            continue
        hits = [c for c in names if len(c) == 3 and _norm(names[c]) == lab]
        if len(hits) == 1:
            cls, kuan = hits[0], None
            out[row_no] = cls
            continue
        for parent, n in ((kuan, 7), (cls, 5)):
            hits = [c for c in names if parent and len(c) == n and c.startswith(parent) and _norm(names[c]) == lab]
            if len(hits) == 1:
                out[row_no] = hits[0]
                if n == 5:
                    kuan = hits[0]
                break
    return out, set(out)


def by_code(d, table_index: int, names: dict | None = None) -> dict:
    """code (or "合计") → {"label", "total", "basic", "project": (value in 万元, provenance, decimals)}.

    The first printed row of a code counts (a 合计 repeated at a page foot is the same figure).  Codes printed
    over 类/款/项 columns are joined; a table printing none takes them by name from ``names`` (see row_codes),
    and such a slot says so (``"by_name": True``)."""
    a = d.amounts[d.amounts["table_index"] == table_index]
    out: dict = {}
    first_col: dict = {}
    joined, by_name = row_codes(d, table_index, names)
    for r in records(a):
        code = r["code"] if isinstance(r["code"], str) and r["code"].isdigit() else None
        code = joined.get(r["row_no"], code)
        key = code or ("合计" if TOTAL_LABEL.match(str(r["row_label"] or "")) else None)
        if key is None:
            continue
        role = _role(r["column_label"], d.meta.get("year"), d.meta.get("stage"))
        if role is None:
            continue
        slot = out.setdefault(key, {"label": r["row_label"], "row_no": r["row_no"]})
        if r["row_no"] in by_name:
            slot["by_name"] = True
        if slot["row_no"] != r["row_no"]:
            continue  # a later repeat of the same code or total
        if role == "total":
            # the first total-role column of the row is the row's total
            col = first_col.setdefault(key, r["col_no"])
            if col != r["col_no"]:
                continue
        if role not in slot:
            slot[role] = (wan(r), cell(r), int(r["decimals"]) if pd.notna(r["decimals"]) else 2)
    return out


def column_by_code(d, kind: str, words: tuple[str, ...]) -> dict:
    """code → (value 万元, provenance) of the first column of a table of ``kind`` whose label holds one of
    ``words`` (e.g. the 上年结转 column of a budget's income table)."""
    out: dict = {}
    for t in d.tables:
        if t.kind != kind:
            continue
        a = d.amounts[d.amounts["table_index"] == t.index]
        cols = [c for c in a.sort_values("col_no")["column_label"].drop_duplicates()
                if any(w in str(c) for w in words) and "其中" not in str(c)]
        if not cols:
            continue
        for r in records(a[a["column_label"] == cols[0]]):
            code = r["code"] if isinstance(r["code"], str) and r["code"].isdigit() else None
            key = code or ("合计" if TOTAL_LABEL.match(str(r["row_label"] or "")) else None)
            if key and key not in out:
                out[key] = (wan(r), cell(r))
        return out
    return out


SANGONG = {"合计": ("合计",), "因公出国（境）费": ("因公出国",), "公务用车购置及运行费": ("公务用车", "小计"),
           "公务用车购置费": ("购置费",), "公务用车运行费": ("运行",), "公务接待费": ("公务接待",)}


def sangong(d) -> dict:
    """三公 table: {"预算": {item: (value, provenance, decimals)}, "决算": {...}} from its column headers."""
    out: dict = {"预算": {}, "决算": {}}
    for t in d.tables:
        if t.kind != "three_public_costs":
            continue
        a = d.amounts[d.amounts["table_index"] == t.index]
        for r in records(a):
            label = str(r["column_label"] or "")
            head = label.split("/")[0]
            block = "决算" if "决算" in head else "预算" if "预算" in head else None
            year = d.meta.get("year")
            if block is None or "执行" in head or (year and any(int(y) != int(year) for y in YEAR.findall(head))):
                continue  # another year's or an executed figure
            rest = label.split("/", 1)[1] if "/" in label else ""
            item = _sangong_item(rest)
            if item and item not in out[block]:
                out[block][item] = (wan(r), cell(r), int(r["decimals"]) if pd.notna(r["decimals"]) else 2)
        break
    return out


def _sangong_item(rest: str) -> str | None:
    parts = rest.split("/")
    if parts[0] == "合计":
        return "合计"
    if "因公出国" in parts[0]:
        return "因公出国（境）费"
    if "公务接待" in parts[0]:
        return "公务接待费"
    if "公务用车" in parts[0]:
        if len(parts) == 1 or parts[-1] == "小计":
            return "公务用车购置及运行费"
        if "购置" in parts[-1]:
            return "公务用车购置费"
        if "运行" in parts[-1]:
            return "公务用车运行费"
    return None
