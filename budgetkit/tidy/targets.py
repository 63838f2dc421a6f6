"""Performance-target tables → one tidy frame: one row per indicator.

Columns are found by header meaning (``reference/target_fields.csv``);
merged cells (unit, project, budget, goal, level-1/2 indicator) are filled
down within their project.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.money import DECIMAL_DTYPE, decimal_series, parse_amount
from budgetkit.reference import load_csv

COLUMNS = ["doc_id", "source", "table_index", "table_title", "page", "row_no", "unit_code", "unit_name", "project_code",
           "project_name", "budget", "budget_unit", "goal", "level1", "level2", "level3", "operator", "value",
           "measure_unit", "weight", "direction"]
_PROJECT = re.compile(r"^\s*([0-9A-Za-z]{6,})\s*[-－—]+\s*(.+)$", re.S)
_UNIT = re.compile(r"^\s*(\d{2,})\s*[-－]\s*(.+)$", re.S)
FILL_DOWN = ("unit", "project", "budget", "goal", "level1", "level2")


def _field_map(columns) -> dict[str, str]:
    fields = {r["header"]: r["field"] for r in load_csv("target_fields.csv")}
    out = {}
    for col in columns:
        parts = re.sub(r"#\d+$", "", col).split("/")
        field = fields.get(parts[-1]) or next((fields[p] for p in reversed(parts) if p in fields), None)
        if field and field not in out.values():
            out[col] = field
    return out


def _split(pattern, text):
    m = pattern.match(text or "")
    return (m.group(1), m.group(2).strip()) if m else (None, (text or "").strip() or None)


def performance_targets(d) -> pd.DataFrame:
    rows = []
    for t in d.tables:
        if t.kind != "performance_targets":
            continue
        fmap = _field_map(t.frame.columns)
        if "level3" not in fmap.values():
            continue
        page = t.pages[0] if t.pages else None
        current: dict = {}
        for row_no, rec in t.frame.iterrows():
            vals = {f: (rec[c] or "").strip() for c, f in fmap.items()}
            if vals.get("project") and vals.get("project") != current.get("project"):
                current = {k: current.get(k) for k in ("unit",)}  # a new project: reset its merged cells
            for k in FILL_DOWN:
                if vals.get(k):
                    current[k] = vals[k]
                    if k == "level1":
                        current.pop("level2", None)
            if not vals.get("level3"):
                continue  # department/unit summary rows carry no indicator
            unit_code, unit_name = _split(_UNIT, current.get("unit"))
            project_code, project_name = _split(_PROJECT, current.get("project"))
            rows.append({
                "doc_id": d.doc_id, "source": "table", "table_index": t.index, "table_title": t.title, "page": page,
                "row_no": row_no, "unit_code": unit_code, "unit_name": unit_name, "project_code": project_code,
                "project_name": project_name, "budget": parse_amount(current.get("budget")),
                "budget_unit": t.unit, "goal": current.get("goal"), "level1": current.get("level1"),
                "level2": current.get("level2"), "level3": vals.get("level3"), "operator": vals.get("operator"),
                "value": vals.get("value"), "measure_unit": vals.get("measure_unit"),
                "weight": parse_amount(vals.get("weight")), "direction": vals.get("direction"),
            })
    rows += department_targets(d)
    rows += narrative_projects(d)
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["budget"] = decimal_series(df["budget"], index=df.index)
    df["weight"] = decimal_series(df["weight"], index=df.index)
    strings = [c for c in COLUMNS if c not in ("table_index", "page", "row_no", "budget", "weight")]
    df = df.astype({c: "string" for c in strings}).astype({"table_index": "Int64", "page": "Int64",
                                                           "row_no": "Int64"})
    assert df["budget"].dtype == DECIMAL_DTYPE
    return df


_SECTION = re.compile(r"^[一二三四五六七八九十]+、\s*(.+)$")
_PLAN = re.compile(r"用款计划\s*(\d+(?:\.\d+)?)\s*(万元|元)")
_BUILDER = re.compile(r"^由.+?(?:建设|实施|承担|负责)的")


def narrative_projects(d) -> list[dict]:
    """项目经费情况说明 (Shanghai): one project each, described in text rather than a table.

    Gives the project's name, its yearly spending plan (the sum of the 用款计划
    it states) and its goal text, as rows without indicators.
    """
    n = d.narrative
    if n.empty:
        return []
    out = []
    starts = [i for i, t in zip(n.index, n["text"]) if t.strip() == "项目经费情况说明"]
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else n.index[-1] + 1
        part = n.loc[start + 1: end - 1]
        sections: dict[str, list[str]] = {}
        current = None
        for text in part["text"]:
            m = _SECTION.match(text.strip())
            if m and len(text) < 20:
                current = m.group(1)
                continue
            if current:
                sections.setdefault(current, []).append(text)
        overview = "".join(sections.get("项目概况", []))
        name = _BUILDER.sub("", re.split(r"[，,。]", overview)[0]).strip() or None
        plan = [(Decimal(v), u) for v, u in _PLAN.findall("".join(sections.get("年度预算安排", [])))]
        budget = sum((v if u == "万元" else v / 10000 for v, u in plan), Decimal(0)) if plan else None
        if not name and budget is None:
            continue
        page = n.loc[start, "page"]
        out.append({"doc_id": d.doc_id, "source": "narrative", "table_index": None,
                    "table_title": "项目经费情况说明", "page": None if pd.isna(page) else int(page), "row_no": None,
                    "project_name": name, "budget": budget, "budget_unit": "万元",
                    "goal": "".join(sections.get("绩效目标", [])) or None})
    return out


def department_targets(d) -> list[dict]:
    """部门整体支出绩效目标表: a form whose indicator block starts at a row naming 一级/三级指标."""
    fields = {r["header"]: r["field"] for r in load_csv("target_fields.csv")}
    out = []
    for t in d.tables:
        if t.kind != "overall_performance_targets":
            continue
        grid = t.frame.fillna("").astype(str).values.tolist()
        budget = None
        for col in t.frame.columns:  # 资金总额 may sit in the header rows
            if "资金总额" in col:
                budget = next((parse_amount(v) for v in t.frame[col].fillna("") if parse_amount(v) is not None), None)
        cols: dict[int, str] = {}
        current: dict = {}
        for k, row in enumerate(grid):
            cells = [c.strip() for c in row]
            if "资金总额" in cells and k + 1 < len(grid) and budget is None:
                budget = parse_amount(grid[k + 1][cells.index("资金总额")])
            if "一级指标" in cells and "三级指标" in cells:
                cols = {j: fields[c] for j, c in enumerate(cells) if c in fields}
                continue
            if not cols:
                continue
            vals = {f: cells[j] for j, f in cols.items() if j < len(cells)}
            for key in ("level1", "level2"):
                if vals.get(key):
                    current[key] = vals[key]
            if not (vals.get("level3") or vals.get("value")):
                continue
            out.append({"doc_id": d.doc_id, "source": "department", "table_index": t.index, "table_title": t.title,
                        "page": t.pages[0] if t.pages and t.pages[0] is not None else None,
                        "row_no": t.frame.index[k], "project_name": "部门整体 / department-wide",
                        "budget": budget, "budget_unit": t.unit, "level1": current.get("level1"),
                        "level2": current.get("level2"), "level3": vals.get("level3"), "value": vals.get("value")})
    return out
