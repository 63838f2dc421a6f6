"""Codes for the join where a budget table does not print them in one cell: 烟台市审计局 2026 预算 公开表5 (p.15)
prints them over 类/款/项 columns ("201", then "08" and "01" under it); a table printing none is matched by
name to the 决算's codes (西南大学 2023 预算 财政拨款支出预算表 p.10 with its code column taken away)."""
from __future__ import annotations

import copy
from decimal import Decimal as D

from budgetkit.execution import join
from budgetkit.execution import tables as T
from conftest import CORPUS, SWU_B, SWU_F, load

YANTAI = CORPUS / "sd-yantai-audit-2026-budget.pdf"


def test_codes_over_class_section_item_columns_are_joined():
    d = load(YANTAI)
    rows = T.by_code(d, T.function_table(d))
    # p.15: 201 一般公共服务支出 / 08 审计事务 / 01 行政运行 1,531.26 (基本 1,531.26); 04 审计业务 4.50 (项目)
    assert rows["20108"]["total"][0] == D("1950.19")
    assert (rows["2010801"]["label"], rows["2010801"]["total"][0], rows["2010801"]["basic"][0]) == (
        "行政运行", D("1531.26"), D("1531.26"))
    assert rows["2010804"]["project"][0] == D("4.50") and "basic" not in rows["2010804"]
    assert rows["2080505"]["total"][0] == D("221.01")  # 208 / 05 / 05
    # 基本支出/小计 is the row's 基本支出; 人员支出 and 日常公用支出 are its parts, not the total
    assert rows["合计"]["basic"][0] == D("2772.25") and rows["合计"]["total"][0] == D("2776.75")


def test_a_budget_table_without_codes_is_matched_by_name():
    b, f = load(SWU_B), load(SWU_F)
    bare = copy.copy(b)
    a = b.amounts.copy()
    a.loc[a["table_index"] == T.function_table(b), "code"] = None
    bare.amounts = a
    lines, info = join.function_lines(bare, f)
    r = lines[lines["code"] == "2060204"].iloc[0]
    assert (r["budget"], r["final"], r["rate"]) == (D("350.00"), D("1707.93"), D("487.98"))
    assert "按名称对应" in r["note"]
    # 229 彩票公益金 is not in the 决算: it cannot be matched by name, and the total line says so
    assert info["budget_unmatched"] == ["其他支出", "彩票公益金安排的支出", "用于教育事业的彩票公益金支出"]
    assert "未能对应" in lines[lines["name"].str.startswith("合计（印刷）")].iloc[0]["note"]
    printed, _ = join.function_lines(b, f)
    same = printed[printed["code"].isin(lines["code"].dropna())].set_index("code")["budget"]
    assert (lines.dropna(subset=["code"]).set_index("code")["budget"] == same).all()


def test_final_column_roles_from_real_headers():
    from budgetkit.execution.tables import column_role

    # headers as read from the three 决算 in data/corpus: 公开09表 p.15 and 表7 p.21 (三公), 项目绩效自评表 p.30,
    # 高等学校收入/支出决算表 p.10–13, 表1 p.5–7 (佛山: 年初/年末结转和结余)
    got = {h: column_role(h) for h in (
        "决算数/合计", "预算数/因公出国（境）费", "信访干部培训专项/[292] 国家信访局/年初预算数",
        "资产运行维护/国家信访局/执行率", "事业收入/其中：教育收费", "本年支出/项目支出/其中：基本建设资金支出",
        "年初结转和结余", "年末结转和结余", "本年支出/小计", "支出/一般公共预算财政拨款", "收入/决算数")}
    assert got == {"决算数/合计": "final", "预算数/因公出国（境）费": "budget_stated",
                   "信访干部培训专项/[292] 国家信访局/年初预算数": "budget_initial",
                   "资产运行维护/国家信访局/执行率": "completion_rate", "事业收入/其中：教育收费": "of_which",
                   "本年支出/项目支出/其中：基本建设资金支出": "of_which", "年初结转和结余": "carry_in",
                   "年末结转和结余": "carry_out", "本年支出/小计": "final", "支出/一般公共预算财政拨款": "final",
                   "收入/决算数": "final"}
    # printed in some templates (research note §5.1), never a 决算 figure
    assert [column_role(h) for h in ("调整预算数", "全年预算数", "完成率（%）", "行次", "栏次", "结余分配",
                                     "使用非财政拨款结余（含专用结余）", "用事业基金弥补收支差额")] == [
        "budget_adjusted", "budget_adjusted", "completion_rate", "row_number", "column_number",
        "surplus_distribution", "use_of_nonfiscal_surplus", "use_of_nonfiscal_surplus"]
