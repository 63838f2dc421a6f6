"""B04: the 三公 table's 公务接待费 and 公务用车运行维护费 against the economic-class lines 30217 and 30231."""
from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.check.between_views import _unit_of
from budgetkit.check.ledger import Ledger, half_unit, records
from budgetkit.check.recorder import Recorder
from budgetkit.money import to_yuan


_YEAR = re.compile(r"((?:19|20)\d{2})年")
_CHANGE_COL = re.compile(r"增减|变化|比较|差额|增长")
_FUNDS = re.compile(r"/(?:一般公共预算|政府性基金预算|国有资本经营预算)(?:拨款)?$")


def _this_year(L: Ledger, rows3: pd.DataFrame) -> pd.DataFrame:
    """The 三公 table's figures of the disclosure's own year and stage, on its first (department) row.

    Tables print last year beside this year — as rows (2025年 | 2026年 | 增减变化金额), as column groups
    (2025年预算数 | 2026年预算数; 上年 | 当年 | 增减变化情况) — and a 决算 prints 预算数 beside 决算数: a 上年
    column is not this year's."""
    year, stage = L.d.meta.get("year"), L.d.meta.get("stage")
    row_years = rows3["label"].fillna("").str.extract(r"^((?:19|20)\d{2})年(?:度)?(?:预算|决算)?(?:数)?$",
                                                       expand=False)
    if row_years.notna().any():
        pick = str(year) if year and (row_years == str(year)).any() else row_years.dropna().max()
        first = rows3[row_years == pick]
    else:
        first = rows3[rows3["row_no"] == rows3["row_no"].min()]
    cols = first["column_label"].fillna("")
    first = first[~cols.str.contains(_CHANGE_COL)]
    cols = first["column_label"].fillna("")
    prior = cols.str.contains("上年")
    if prior.any() and (~prior).any():
        first, cols = first[~prior], cols[~prior]
    years = cols.str.extract(_YEAR, expand=False)
    if years.notna().any():
        pick = str(year) if year and (years == str(year)).any() else years.dropna().max()
        keep = (years == pick) | years.isna()
        first, cols = first[keep], cols[keep]
    outturn = cols.str.contains("决算|实际|执行")
    if outturn.any() and (~outturn).any():
        first = first[outturn] if stage == "决算" else first[~outturn]
    return first


def _three_figure(first: pd.DataFrame, word: str) -> dict | None:
    """One 三公 figure: 接待 or 运行 (运行 alone before 购置及运行). Split by fund, the funds' sum; several
    columns of one cost, the largest (the rule is ≤: the wider figure never makes a false alarm)."""
    labels = first["column_label"].fillna("")
    c = first[labels.str.contains(word) & first["amount_yuan"].notna()
              & (labels.str.contains("公务用车") if word == "运行" else True)]  # 机关运行经费 is not a car's
    if c.empty:
        return None
    last = c["column_label"].str.replace(_FUNDS, "", regex=True).str.split("/").str[-1]
    if word == "运行":  # 公务用车运行维护费 (其中：公务用车运行费) before 购置及运行维护费/小计
        for only in (last.str.contains("运行") & ~last.str.contains("购置"), last.str.contains("运行")):
            if only.any():
                c = c[only]
                break
    funds = c["column_label"].str.contains(_FUNDS)
    if funds.all() and c["column_label"].str.replace(_FUNDS, "", regex=True).nunique() == 1 and len(c) > 1:
        x = records(c.iloc[[0]])[0]
        x["amount_yuan"] = sum(c["amount_yuan"], Decimal(0))
        x["column_label"] = c["column_label"].str.replace(_FUNDS, "", regex=True).iloc[0] + "（各资金合计）"
        return x
    return records(c.sort_values("amount_yuan", ascending=False).iloc[[0]])[0]


def three_public_vs_economic(L: Ledger, R: Recorder) -> None:
    """B04: 30217 公务接待费 (and 30231 公务用车运行维护费) against the 三公 table."""
    three = L.tables("three_public_costs")
    econ = [t for t in L.d.tables if "economic" in t.kind]
    if not three or not econ:
        R.not_evaluated("B04", "缺少“三公”经费表或经济分类表", "no three-public-costs table or no economic table")
        return
    rows3 = L.table_rows(three[0].index)
    if rows3.empty:
        R.not_evaluated("B04", "“三公”经费表为空", "the three-public-costs table is empty")
        return
    first = _this_year(L, rows3)
    units = {u for u in map(_unit_of, records(rows3[["unit_code", "unit_name"]])) if u}
    if len(units) > 1 and not first.empty and not first["is_total_row"].iloc[0]:
        # rows by unit with no 合计 first: the first row is one unit's, not the department's
        R.not_evaluated("B04", "“三公”经费表按单位列示且首行不是合计，部门数未知",
                        "the three-public-costs table lists units with no total first: the department's figure "
                        "is not printed")
        return
    for code, word in (("30217", "接待"), ("30231", "运行")):
        x = _three_figure(first, word)
        lines = pd.concat([L.total_column_rows(t.index) for t in econ])
        lines = lines[lines["eff_code"] == code]
        if x is None or lines.empty:
            continue
        for _, line in lines.drop_duplicates("table_index").iterrows():
            tol = to_yuan(half_unit(x["decimals"]), x["unit"]) + to_yuan(half_unit(line["decimals"]), line["unit"])
            R.evaluated["B04"] += 1
            if line["amount_yuan"] > x["amount_yuan"] + tol:
                R.compare("B04", x["amount_yuan"], line["amount_yuan"], tol, "元" if x["unit"] != line["unit"]
                          else x["unit"],
                          f"{line['table_title']} {code} {line['label']} 超过“三公”经费表的{x['column_label']}",
                          f"{line['table_title']} {code} exceeds the three-public-costs '{x['column_label']}'",
                          [L.location(line), L.location(x)])
