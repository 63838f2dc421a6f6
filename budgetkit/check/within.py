"""Within-table identities: code hierarchy, 合计 rows, 合计 columns, 收=支."""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache

import pandas as pd

from budgetkit.check.ledger import Ledger, concept_of, half_unit, present, records
from budgetkit.check.recorder import Recorder
from budgetkit.money import to_yuan
from budgetkit.reference import load_csv

_SUBTOTAL = ("合计", "小计", "总计")


def _groups(L: Ledger) -> list[list[dict]]:
    """The rows of each column of each table (and unit), as plain dicts in printed order."""
    if "_column_groups" not in L.__dict__:
        groups: dict[tuple, list[dict]] = {}
        for r in L.rows:
            key = (r["table_index"], r["column_label"], r["unit_code"] if present(r["unit_code"]) else "")
            groups.setdefault(key, []).append(r)
        L.__dict__["_column_groups"] = list(groups.values())
    return L.__dict__["_column_groups"]


def _compare(R: Recorder, rule, expected, actual, tol, unit, zh, en, locations) -> None:
    """Record a comparison; the evidence (``locations``, a callable) is built only for a difference."""
    if expected == actual:
        R.passed(rule)
        return
    R.compare(rule, expected, actual, tol, unit, zh, en, locations())


def code_hierarchy(L: Ledger, R: Recorder) -> None:
    """W01: 类 = Σ款, 款 = Σ项 within one column of one table."""
    if not any(present(r["eff_code"]) for r in L.rows):
        R.not_evaluated("W01", "没有带科目编码的表格", "no table prints classification codes")
        return
    for column in _groups(L):
        g = [r for r in column if present(r["eff_code"])]
        where: dict[str, list[int]] = defaultdict(list)
        for pos, r in enumerate(g):
            where[r["eff_code"]].append(pos)
        for code, spots in where.items():
            if len(spots) != 1 or len(code) not in (3, 5):
                continue
            # every row of a child code counts: a code printed on two rows splits it by another
            # dimension (Shaanxi pairs each 部门经济科目 with several 政府经济科目)
            kid_spots = [q for c, qs in where.items() if len(c) == len(code) + 2 and c.startswith(code) for q in qs]
            if not kid_spots:
                continue
            p = g[spots[0]]
            kids = [g[q] for q in sorted(kid_spots)]
            total = sum((k["amount_yuan"] for k in kids), Decimal(0))
            tol = L.tol_yuan(kids) + to_yuan(half_unit(p["decimals"]), p["unit"])
            _compare(R, "W01", p["amount_yuan"], total, tol, p["unit"],
                     f"{p['table_title']}「{p['column_label']}」列：{code} {p['label']} 与其下级科目之和不等",
                     f"{p['table_title']} column '{p['column_label']}': {code} differs from the sum of its "
                     f"{len(kids)} sub-codes",
                     lambda p=p, kids=kids: [L.location(p)] + [L.location(r) for r in kids])


# tables whose rows are not a classification (purchases, projects, meetings, targets): no 合计 = Σ codes
_NOT_CLASSIFIED = {"procurement", "government_purchased_services", "meetings_and_training", "performance_targets",
                   "overall_performance_targets", "performance_self_evaluation", "project_expenditure"}


def total_rows(L: Ledger, R: Recorder) -> None:
    """W02: a 合计 row equals the sum of the top-level coded rows in its column."""
    found_any = False
    for g in _groups(L):
        totals = [r for r in g if r["is_total_row"] and not present(r["eff_code"]) and "总计" not in r["label"]]
        # beside 本年收入合计 / 本年支出合计, a bare 合计 further down adds the balances: a grand total
        this_year = [r for r in totals if r["label"].startswith("本年")]
        if this_year:
            totals = this_year
        coded = [r for r in g if present(r["eff_code"])]
        if not totals or not coded or g[0]["table_kind"] in _NOT_CLASSIFIED:
            continue
        codes = {r["eff_code"] for r in coded}
        top = [r for r in coded if not any(r["eff_code"] != o and r["eff_code"].startswith(o) for o in codes)]
        s = sum((r["amount_yuan"] for r in top), Decimal(0))
        for t in totals:
            # a row with money above the total that no code or class name places (对企业补助 in a
            # government-economic panel, 一、部门预算): the coded rows are not the whole column
            above = [r for r in g if r["row_no"] < t["row_no"] and not present(r["eff_code"]) and not r["is_total_row"]
                     and r["amount_yuan"] != 0 and not r["label"].startswith(("其中", "含"))]
            if above:
                R.not_evaluated("W02", f"{t['table_title']}「{t['column_label']}」列有未能对应科目的行，合计行不核对",
                                f"{t['table_title']} column '{t['column_label']}': rows without a code; "
                                "its total is not checked")
                continue
            found_any = True
            tol = L.tol_yuan(top) + to_yuan(half_unit(t["decimals"]), t["unit"])
            _compare(R, "W02", t["amount_yuan"], s, tol, t["unit"],
                     f"{t['table_title']}「{t['column_label']}」列：{t['label']}行与{len(top)}个科目行之和不等",
                     f"{t['table_title']} column '{t['column_label']}': the {t['label']} row differs from the "
                     f"sum of its {len(top)} rows",
                     lambda t=t, top=top: [L.location(t)] + [L.location(r) for r in top])
    if not found_any:
        R.not_evaluated("W02", "没有同时含合计行与科目行的列", "no column has both a 合计 row and coded rows")


@lru_cache(maxsize=None)
def _sum_roles() -> tuple:
    return tuple((re.compile(r["pattern"]), r["role"]) for r in load_csv("column_sum_roles.csv"))


def sum_role(name: str) -> str | None:
    """How a column name takes part in a sum (reference/column_sum_roles.csv): group_total, part,
    alternative, or None for a plain component."""
    name = re.sub(r"#\d+$", "", name.replace(" ", ""))
    return next((role for rx, role in _sum_roles() if rx.search(name)), None)


def _subtree_value(prefix: str, values: dict[str, pd.Series], columns: list[str]):
    """The value of a header subtree: its own column, its total child (合计, 小计, 金额, …总数),
    or the sum of its plain children (其中 details and 扣除…后 measures left out)."""
    if prefix in values:
        return [values[prefix]]
    if prefix in columns:
        return []  # printed but empty: counts as zero
    children = sorted({c[len(prefix) + 1:].split("/")[0] for c in columns if c.startswith(prefix + "/")})
    for ch in children:
        if sum_role(ch) == "group_total":
            col = f"{prefix}/{ch}"
            return [values[col]] if col in values else []
    out = []
    for ch in children:
        if sum_role(ch) in ("part", "alternative"):
            continue
        out += _subtree_value(f"{prefix}/{ch}", values, columns)
    return out


def _is_part_of(column: str) -> bool:
    """A 其中 column (其中：基本建设资金支出, 其中:教育收费) details a sibling; it adds to nothing."""
    return any(sum_role(c) == "part" for c in column.split("/"))


def total_columns(L: Ledger, R: Recorder) -> None:
    """W03: a 合计 column equals the sum of its sibling columns, row by row."""
    evaluated = False
    for t in L.d.tables:
        columns = [c for c, role in t.column_roles.items() if role == "amount"]
        # 合计/小计/总计, and a column named for the whole (收入合计, 支出总计)
        totals = [c for c in columns if c.split("/")[-1] in _SUBTOTAL
                  or (c.split("/")[-1].endswith(("合计", "总计")) and "其中" not in c)]
        if not totals:
            continue
        rows = L.table_rows(t.index)
        by_row: dict = defaultdict(dict)
        for r in records(rows):  # plain dicts: a row lookup per cell costs nothing
            by_row[r["row_no"]][r["column_label"]] = r
        for row_no, values in by_row.items():
            for tc in totals:
                if tc not in values:
                    continue
                parent = tc.rsplit("/", 1)[0] if "/" in tc else ""
                siblings = sorted({(parent + "/" if parent else "") + c[len(parent) + (1 if parent else 0):]
                                   .split("/")[0] for c in columns
                                   if (c.startswith(parent + "/") if parent else True)} - {tc})
                siblings = [s for s in siblings if s.split("/")[-1] not in _SUBTOTAL
                            and sum_role(s.split("/")[-1]) not in ("group_total", "alternative")
                            and not any(sum_role(c) == "memo" for c in s.split("/"))]
                # "其中" columns: one under a 小计 details it (其中：基本建设资金支出 under 项目支出) and
                # adds to nothing; one that heads a row of columns (其中：基本支出 | 项目支出) is part of
                # a partition; several alone may nest (中小企业 ⊃ 小微企业) and are not judged.  Every
                # reading that can hold is tried; a difference under all of them is reported.
                whole = [s for s in siblings if not _is_part_of(s)]
                part = [s for s in siblings if _is_part_of(s)]
                if part and whole:
                    readings = [whole, whole + part] if len(whole) >= 2 else [whole + part, whole]
                elif part:
                    readings = []  # only 其中 columns: nested or a partition, the header does not say
                else:
                    readings = [whole] if whole else []
                best = None
                for cols in readings:
                    parts = []
                    for s in cols:
                        parts += _subtree_value(s, values, columns)
                    if not parts:
                        continue
                    total = values[tc]
                    sm = sum((p["amount_yuan"] for p in parts), Decimal(0))
                    tol = sum((to_yuan(half_unit(p["decimals"]), p["unit"]) for p in parts), Decimal(0)) \
                        + to_yuan(half_unit(total["decimals"]), total["unit"])
                    if abs(sm - total["amount_yuan"]) <= tol:
                        best = (parts, sm, tol)
                        break
                    best = best or (parts, sm, tol)
                if best is None:
                    continue
                evaluated = True
                parts, sm, tol = best
                total = values[tc]
                names = "＋".join(p["column_label"].split("/")[-1] for p in parts)
                _compare(R, "W03", total["amount_yuan"], sm, tol, total["unit"],
                         f"{t.title}「{total['row_label']}」行：{tc} 不等于 {names}",
                         f"{t.title} row '{total['row_label']}': {tc} differs from {names}",
                         lambda total=total, parts=parts: [L.location(total)] + [L.location(p) for p in parts])
    if not evaluated:
        R.not_evaluated("W03", "没有可核对的合计列", "no table has a 合计 column with component columns")


def income_equals_expenditure(L: Ledger, R: Recorder) -> None:
    """W04: 收入总计 = 支出总计 (or 本年收入合计 = 本年支出合计)."""
    tables = L.tables("income_expenditure_summary", "fiscal_appropriation_summary")
    if not tables:
        R.not_evaluated("W04", "缺少收支总表和财政拨款收支总表", "no income-expenditure summary table")
        return
    # 收入总计 = 支出总计 always holds; 本年收入 = 本年支出 only where nothing is carried over
    # (a 决算, or a budget with 上年结转 / 结转下年, legitimately differs by the balances)
    # (a 高等学校收支决算总表 ends both panels with 合计: the last such row, income panel against expenditure panel)
    # (收入合计 / 支出合计 count only as the table's last row: elsewhere they may be this year's subtotals)
    pairs = [("收入总计", "支出总计"), ("总计", "总计"), ("合计", "合计"), ("收入合计", "支出合计")]
    for t in tables:
        rows = L.table_rows(t.index)
        carry = rows[rows["label"].str.contains("结转|结余|年初|年末", regex=True)
                     & (rows["amount_yuan"] != 0)]
        this_year = [("本年收入合计", "本年支出合计"), ("本年收入", "本年支出")]
        for inc, exp in pairs + (this_year if L.d.meta.get("stage") == "预算" and carry.empty else []):
            a = rows[rows["label"] == inc]
            b = rows[rows["label"] == exp]
            if inc == "收入合计":
                last = rows["row_no"].max()
                a, b = a[a["row_no"] == last], b[b["row_no"] == last]
            if inc == exp:  # one 总计 row per panel: the income panel's and the expenditure panel's
                a = a[a["column_label"].str.contains("收入") & ~a["column_label"].str.contains("支出")]
                b = b[b["column_label"].str.contains("支出")]
                if inc == "合计":  # the grand total is the panel's last 合计
                    a, b = a[a["row_no"] == a["row_no"].max()], b[b["row_no"] == b["row_no"].max()]
            if not a.empty and not b.empty:
                b_tot = b[b["concept"].isin(["total"]) | (b["column_label"].str.count("/") <= 1)]
                a0, b0 = a.iloc[0], (b_tot.iloc[0] if not b_tot.empty else b.iloc[0])
                tol = to_yuan(half_unit(a0["decimals"]), a0["unit"]) + to_yuan(half_unit(b0["decimals"]), b0["unit"])
                R.compare("W04", a0["amount_yuan"], b0["amount_yuan"], tol, a0["unit"],
                          f"{t.title}：{inc}与{exp}不等", f"{t.title}: {inc} differs from {exp}",
                          [L.location(a0), L.location(b0)])
                break
        else:
            R.not_evaluated("W04", f"{t.title}中找不到收入总计与支出总计", f"{t.title}: no income and expenditure totals found")


RULES = [code_hierarchy, total_rows, total_columns, income_equals_expenditure]
