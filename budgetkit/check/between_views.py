"""The figures the between-table rules compare: one per (table, row) per measured quantity, with the money
each table covers (its scope), and where a figure is printed."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal

import pandas as pd

from budgetkit.check.ledger import Ledger, present, records
from budgetkit.reference import load_csv
from budgetkit.tidy.codes import scheme_of


#: which money a table's figures cover
SCOPE = {
    "income_expenditure_summary": "all", "income_summary": "all", "expenditure_summary": "all",
    "fiscal_appropriation_summary": "fiscal", "fiscal_appropriation_expenditure_by_function": "fiscal",
    "fiscal_appropriation_expenditure_by_economic": "fiscal", "fiscal_appropriation_basic_by_economic": "fiscal",
    "gpb_expenditure_by_function": "gpb", "gpb_basic_expenditure_by_economic": "gpb", "project_expenditure": "gpb",
    "gpb_basic_expenditure_by_function": "gpb", "gpb_expenditure_by_economic": "gpb",
}
#: what a table's overall-total column measures
TOTAL_MEANS = {"gpb_basic_expenditure_by_economic": "basic", "fiscal_appropriation_basic_by_economic": "basic",
               "gpb_basic_expenditure_by_function": "basic", "project_expenditure": "project"}
EXPENDITURE_SIDE = re.compile(r"支出")


def _scope_classes(L: Ledger) -> dict[str, str]:
    """Scopes whose totals are equal may be compared: map each scope to its class.

    When all money is general-public-budget money, ``all``, ``fiscal`` and
    ``gpb`` tables describe the same figures.
    """
    totals: dict[str, Decimal] = {}
    for kind, scope in (("expenditure_summary", "all"), ("income_summary", "all"),
                        ("fiscal_appropriation_expenditure_by_function", "fiscal"),
                        ("fiscal_appropriation_summary", "fiscal"), ("gpb_expenditure_by_function", "gpb")):
        for t in L.tables(kind):
            rows = L.total_column_rows(t.index)
            tot = rows[rows["is_total_row"]]
            if not tot.empty:
                totals.setdefault(scope, tot["amount_yuan"].iloc[0])
    classes = {}
    for scope in ("all", "fiscal", "gpb"):
        same = [s for s in ("all", "fiscal", "gpb") if s in totals and scope in totals and totals[s] == totals[scope]]
        classes[scope] = same[0] if same else scope
    return classes


def scope_of(t) -> str | None:
    """Which money a table covers: its kind's scope, narrowed or widened by what its title says.

    A 基本支出 or 项目支出 table titled without 一般公共预算 or 财政拨款 covers all funds
    (Shandong's 基本支出预算情况表 beside its 一般公共预算基本支出情况表)."""
    scope = SCOPE.get(t.kind)
    if scope is None:
        return None
    title = (t.title or "").replace(" ", "")
    if t.kind in ("gpb_basic_expenditure_by_economic", "project_expenditure", "gpb_basic_expenditure_by_function",
                  "fiscal_appropriation_basic_by_economic") and title:
        if "一般公共预算" in title:
            return "gpb"
        if "财政拨款" in title:
            return "fiscal"
        return "all"
    return scope


def _views(L: Ledger) -> pd.DataFrame:
    """One figure per (table, row) per measured quantity, with its scope (built once per check)."""
    if "_between_views" not in L.__dict__:
        L.__dict__["_between_views"] = _build_views(L)
    return L.__dict__["_between_views"]


#: the scheme a label column's header names: a name read in it is a class of that scheme only
_LABEL_SCHEME = (("政府", "government_economic"), ("功能", "function"), ("经济", "economic"))


def _label_schemes(t) -> dict[str, str]:
    """Each amount column's scheme, from the label column printed before it (a summary table prints 功能分类,
    部门经济分类 and 政府经济分类 panels side by side; 政府预算支出经济分类's 对个人和家庭的补助 is 509, not 303)."""
    out, scheme = {}, None
    for col, role in (t.column_roles or {}).items():
        if role == "label":
            head = col.split("/")[-1]
            scheme = next((sch for word, sch in _LABEL_SCHEME if word in head), None)
        elif role == "amount" and scheme:
            out[col] = scheme
    return out


def _codes_by_name() -> dict[str, dict[str, str]]:
    """class name → {scheme: code}: 其他支出 is 229 (function) and 399 (economic)."""
    out: dict = defaultdict(dict)
    for r in load_csv("class_names.csv"):
        out[r["name"]][r["scheme"]] = r["code"]
    return out


def _name_codes_by_column(rows: list[dict], schemes: dict[str, str]) -> None:
    """A class read from a row's name (no code printed) belongs to its label column's scheme: none in a
    政府预算支出经济分类 panel, the function class in a 功能分类 panel. A name of two schemes (其他支出) takes the
    scheme of the other names in its column, or none when they do not tell."""
    by_name = _codes_by_name()
    named = [r for r in rows if not present(r["code"]) and present(r["eff_code"])]
    seen: dict = defaultdict(Counter)  # column → schemes of its unambiguous names
    for r in named:
        if len(by_name.get(r["label"], {})) == 1:
            seen[r["column_label"]][scheme_of(r["eff_code"])] += 1
    for r in named:
        sch = schemes.get(r["column_label"])
        codes = by_name.get(r["label"], {})
        if len(codes) > 1:
            if sch is None and seen[r["column_label"]]:
                top = seen[r["column_label"]].most_common()
                sch = top[0][0] if len(top) == 1 or top[0][1] > top[1][1] else None
            r["eff_code"] = codes.get(sch) if sch else None
        elif sch and sch != (scheme_of(r["eff_code"]) or sch):
            r["eff_code"] = None


def _unit_of(r) -> str | None:
    code, name = r["unit_code"], r["unit_name"]
    return code if present(code) and code else (name if present(name) and name else None)


def _build_views(L: Ledger) -> pd.DataFrame:
    rows = []
    classes = _scope_classes(L)
    for t in L.d.tables:
        if scope_of(t) is None:
            continue
        if t.kind == "income_summary" and L.d.meta.get("stage") == "决算":
            continue  # a 决算's income by code is not its expenditure: balances carry over (rules.csv B01)
        scope = classes[scope_of(t)]
        a = L.table_rows(t.index)
        # a table printing several units' blocks (广州 部门预算基本支出预算表: 本级, 中心, 监测站 each with 301…310):
        # its coded lines are one unit's, never the department's
        units = {u for u in map(_unit_of, records(a[["unit_code", "unit_name"]])) if u}
        blocked = len(units) > 1
        # the rows before the first unit's own row carry the table's default unit: the department's lines or the
        # first unit's (本级) — which, is not printed, so they are compared with nothing
        first_unit = _unit_of(records(a.loc[[a["row_no"].idxmin()], ["unit_code", "unit_name"]])[0]) \
            if blocked else None

        def unit_scope(r):
            if not blocked:
                return "department"
            u = _unit_of(r)
            return "unknown" if u == first_unit else f"unit:{u}"
        schemes = _label_schemes(t)
        start = len(rows)
        total_cols = set(L.total_column_rows(t.index)["column_label"]) | set(
            a.loc[a["concept"] == "total", "column_label"])
        for r in records(a):
            if r["column_label"] in total_cols:
                measure = TOTAL_MEANS.get(t.kind, "total")
                if t.kind in ("income_expenditure_summary", "fiscal_appropriation_summary") \
                        and re.search("收入", r["column_label"]):
                    measure = "total_income"
            elif r["concept"] in ("basic", "project"):
                measure = r["concept"]
            elif r["concept"] == "gpb" and t.kind == "fiscal_appropriation_summary":
                measure, scope_r = "total", classes["gpb"]
                rows.append({**r, "measure": measure, "scope": scope_r,
                             "unit_scope": unit_scope(r)})
                continue
            elif t.kind == "income_expenditure_summary" and r["column_label"].endswith("预算数") \
                    and EXPENDITURE_SIDE.search(r["column_label"]):
                measure = "total"
            else:
                continue
            if "年初" in r["column_label"]:
                # 年初预算数 leaves out what is spent from 上年结转; a total that includes it is
                # another measure (central template: 财政拨款收支总表 against 一般公共预算支出表)
                measure += "_initial"
            rows.append({**r, "measure": measure, "scope": scope,
                         "unit_scope": unit_scope(r)})
        _name_codes_by_column(rows[start:], schemes)
    return pd.DataFrame(rows, columns=[*L.a.columns, "measure", "scope", "unit_scope"]).astype(
        {c: L.a[c].dtype for c in L.a.columns})


def _where(r) -> str:
    page = f"第{int(r['page'])}页" if present(r["page"]) else ""
    return f"{page}{r['table_title']}"
