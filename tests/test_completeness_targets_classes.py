"""Completeness (C01, C02) and performance-target (P02, P03, P05) rules on the forms of real 2026 disclosures.

Each class is tested twice: on the real page, cut into data/excerpts/ (the page number given is the excerpt's),
and on a small hand-built example written in the Word-export text form.
"""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

import budgetkit
from budgetkit.check import completeness
from budgetkit.check.recorder import Recorder
from conftest import DATA, load
from test_rules_synthetic import _summary, disclosure

EXCERPTS = DATA / "excerpts"
CARD = "政策和项目预算绩效目标表"
#: a narrative that explains no empty table: without one, whether an empty table is explained is not evaluated
PROSE = "本部门负责全区统计调查工作，按年度编制部门预算。"


def _checked(name):
    d = load(EXCERPTS / f"{name}.pdf")
    return d, budgetkit.check(d)


def _found(f, rule, severities=("error", "warning", "review")):
    return [x for x in f if x.rule == rule and x.severity in severities and x.status != "not_evaluated"]


def _card(name="设备购置更新", budget="16.00", indicators=None):
    """A project card (烟台 form): key/value rows, then one indicator row each; no amount column."""
    rows = [["项目名称", name, "", ""], ["主管部门及代码", "315_测试局", "实施单位", "测试局"],
            ["年度预算资金总额：", budget, "", ""], ["总体目标", "保障统计专网安全可靠运行。", "", ""],
            ["一级指标", "二级指标", "三级指标", "指标值"]]
    return rows + (indicators if indicators is not None else [
        ["成本指标", "经济成本", "购置费用", "≤16万元"], ["产出指标", "数量指标", "系统设备购置种类", "2种"],
        ["效益指标", "社会效益指标", "保障统计业务顺利开展", "明显保障"],
        ["满意度指标", "服务对象满意度指标", "使用人员满意度", "≥90%"]])


# -- C02: a table that holds no money is not empty ---------------------------------------------------------

def test_target_cards_without_amount_cells_are_not_empty_tables():
    # 烟台市统计局 pp. 1–2 (printed pp. 30, 33): one project card a page, indicators and targets, no amount column
    d, f = _checked("yantai-stats-2026-targets")
    assert [t.kind for t in d.tables] == ["performance_targets"] * 2
    assert _found(f, "C02") == []


def test_a_filled_card_is_not_empty_and_a_blank_card_is(tmp_path):
    assert _found(budgetkit.check(disclosure(tmp_path, (CARD, _card()))), "C02") == []
    blank = [["项目名称", "", "", ""], ["年度预算资金总额：", "0.00", "", ""], ["总体目标", "", "", ""],
             ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "", ""],
             ["满意度指标", "服务对象满意度指标", "", ""]]
    c02 = _found(budgetkit.check(disclosure(tmp_path, PROSE, (CARD, blank))), "C02")
    assert len(c02) == 1 and c02[0].severity == "warning"


def test_one_empty_table_over_consecutive_pages_is_one_finding():
    # an empty table read as one table a page (pp. 5, 6, 7) is one table: one finding naming its three pages;
    # the same title on p. 9 after another table is another finding
    def table(i, page, title="政府性基金预算支出表", kind="govfund_expenditure"):
        return SimpleNamespace(index=i, kind=kind, title=title, file="f.pdf", pages=[page], table_no=None,
                               column_roles={}, frame=pd.DataFrame())
    tables = [table(1, 5), table(2, 6), table(3, 7), table(4, 8, "“三公”经费支出表", "three_public_costs"),
              table(5, 9)]
    d = SimpleNamespace(tables=tables, targets=pd.DataFrame(),
                        narrative=pd.DataFrame([{"file": "f.pdf", "page": 1, "section": "", "text": PROSE}]))
    L = SimpleNamespace(d=d, table_rows=lambda i: pd.DataFrame(columns=["amount_yuan"]))
    R = Recorder()
    completeness.empty_tables_explained(L, R)
    got = [(x.message, [loc["page"] for loc in x.locations]) for x in R.items if x.rule == "C02"]
    assert got == [("政府性基金预算支出表为空表，说明中未解释原因", [5, 6, 7]),
                   ("“三公”经费支出表为空表，说明中未解释原因", [8]),
                   ("政府性基金预算支出表为空表，说明中未解释原因", [9])]


# -- C02: explanation phrase variants ------------------------------------------------------------------------

EMPTY_FUND = ("政府性基金预算支出表（公开表4）", [["项目", "本年政府性基金预算支出"], ["科目编码", "", "科目名称", "合计"],
                                          ["", "", "合计", ""]])


@pytest.mark.parametrize("text", ["本部门2023年政府性基金预算支出为 0 万元。",
                                  "本单位无政府性基金预算相关收支项目。",
                                  "政府性基金预算支出表：此表为空。",
                                  "本部门不涉及政府性基金预算支出。"])
def test_an_empty_table_explained_in_a_phrase_variant(tmp_path, text):
    assert _found(budgetkit.check(disclosure(tmp_path, _summary("1.00", "1.00"), EMPTY_FUND, text)), "C02") == []


def test_a_figure_ending_in_zero_does_not_explain_an_empty_table(tmp_path):
    # "10 万元" is no "0 万元": the table stays unexplained
    f = budgetkit.check(disclosure(tmp_path, _summary("1.00", "1.00"), EMPTY_FUND, "本部门政府性基金预算支出10 万元。"))
    assert len(_found(f, "C02")) == 1


def test_contents_line_explains_an_empty_table_printed_under_a_shorter_title():
    # 西安市自然资源和规划局: p. 1 (printed p. 39) lists "表 11 2022 年部门综合预算财政拨款上年结转资金支出表 是 不涉及";
    # p. 2 (printed p. 73) prints the empty table as "2022部门综合预算财政拨款结转资金支出表" (no 年, no 上年)
    d, f = _checked("xian-planning-2026-empty-carryover")
    assert [t.title for t in d.tables] == ["2022部门综合预算财政拨款结转资金支出表"]
    assert f.evaluated["C02"] == 1 and _found(f, "C02") == []


def test_contents_title_variant_built(tmp_path):
    empty = ("2022部门综合预算财政拨款结转资金支出表", [["序号", "预算单位名称", "预算项目名称", "金额"], ["", "", "合计", ""]])
    contents = "表 11 2022 年部门综合预算财政拨款上年结转资金支出表 是 不涉及"
    part = "第三部分 部门预算公开表格"
    assert _found(budgetkit.check(disclosure(tmp_path, contents, part, empty)), "C02") == []
    other = "表 12 2022 年部门综合预算政府采购预算表 是 不涉及"  # another table's line explains nothing here
    assert len(_found(budgetkit.check(disclosure(tmp_path, PROSE, other, part, empty)), "C02")) == 1
    assert completeness._same_title("2022部门综合预算财政拨款结转资金支出表", "2022年部门综合预算财政拨款上年结转资金支出表")
    assert not completeness._same_title("政府性基金预算支出表", "国有资本经营预算支出表")


# -- C01: a required table typed as another kind by its bracketed qualifier ------------------------------

def test_c01_reads_a_title_without_its_qualifier():
    def t(kind, title):
        return SimpleNamespace(kind=kind, title=title)
    fund = t("carryover_expenditure", "2022年部门综合预算政府性基金支出表（不含上年结转）")
    assert completeness._typed_otherwise([fund], "govfund_expenditure") is fund
    # a 政府性基金“三公” table is no 政府性基金预算支出表, and a correctly typed table is not "another kind"
    assert completeness._typed_otherwise([t("govfund_three_public_costs", "政府性基金“三公”经费支出表")],
                                         "govfund_expenditure") is None
    assert completeness._typed_otherwise([t("carryover_expenditure", "财政拨款上年结转资金支出表（不含政府性基金）")],
                                         "govfund_expenditure") is None


# -- P05: 万 alone is 万元; a unit printed in the name is the unit ----------------------------------------

def test_cost_measured_in_wan_is_money():
    # 烟台市统计局 p. 2 (printed p. 33): 调查总成本 ≤10万 (budget 10.00 万元); 抽样调查对象数量 ≥4.2万 is persons
    d, f = _checked("yantai-stats-2026-targets")
    r = d.targets[d.targets.level3 == "调查总成本"].iloc[0]
    assert (r.operator, r.value, r.measure_unit) == ("≤", "10", "万")
    assert [x.message for x in _found(f, "P05")] == []


def test_wan_alone_built(tmp_path):
    rows = _card("人口抽样调查", "10.00", [["成本指标", "经济成本", "调查总成本", "≤10万"],
                                       ["产出指标", "数量指标", "调查人数", "≥4.2万"],
                                       ["效益指标", "社会效益指标", "数据使用率", "=100%"],
                                       ["满意度指标", "服务对象满意度指标", "调查对象满意度", "≥90%"]])
    f = budgetkit.check(disclosure(tmp_path, (CARD, rows)))
    assert _found(f, "P05") == [] and f.evaluated["P05"] >= 2
    rows[5][3] = "≤10个"  # a cost counted in pieces is still flagged (row 5: 调查总成本)
    assert len(_found(budgetkit.check(disclosure(tmp_path, (CARD, rows))), "P05")) == 1


def test_unit_printed_in_the_name():
    # 西安市公安局 p. 1 (printed p. 63): 采购车辆符合国家警用车辆质量标准（%） 100% — a share meeting a standard
    d, f = _checked("xian-police-2026-targets")
    assert "采购车辆符合国家警用车辆质量标准（%）" in set(d.targets.level3)
    assert _found(f, "P05") == []


def test_unit_in_name_built(tmp_path):
    rows = _card(indicators=[["成本指标", "经济成本", "购置费用", "≤16万元"],
                             ["产出指标", "质量指标", "采购车辆符合国家质量标准（%）", "100%"],
                             ["效益指标", "社会效益指标", "补助标准", "≥3天"],
                             ["满意度指标", "服务对象满意度指标", "民警满意度（%）", "≥90%"]])
    f = budgetkit.check(disclosure(tmp_path, (CARD, rows)))
    # the 标准 measured in 天 is still flagged: no unit in its name, no "符合"
    assert [x.message for x in _found(f, "P05")] == ["项目「设备购置更新」指标「补助标准」以“天”计量，应为金额（如元/月）"]


# -- P05 via the reader: the operator and unit cells printed swapped ------------------------------------------

def test_operator_and_unit_cells_printed_swapped():
    # 长沙市公安局 p. 1 (printed p. 44): 宣传知晓率 | 95 | … | 度量单位 "≥" | 指标值类型 "%"
    d, f = _checked("changsha-police-2026-targets")
    t = d.targets
    r = t[t.level3 == "宣传知晓率"].iloc[0]
    assert (r.page, r.operator, r.value, r.measure_unit) == (1, "≥", "95", "%")
    assert "互换" in r.guesses
    assert t[t.level3 != "宣传知晓率"].guesses.isna().all()  # the rows printed in order are read as printed
    assert not any("“≥”" in x.message for x in _found(f, "P05"))


# -- P03: a ceiling above the budget holds the budget ------------------------------------------------------

def test_cost_ceiling_above_the_budget_is_no_misfit():
    # 烟台市水利局 p. 1 (printed p. 50): budget 0.00, 工程施工费用 ≤14.7442万元, 工程监理费用 ≤0.2264万元;
    # p. 2 (printed p. 55): budget 373.37, 工程项目支出 ≤400万元 — spending the budget stays within each ceiling
    d, f = _checked("yantai-water-2026-targets")
    assert sorted(str(b) for b in d.targets.drop_duplicates("project_no").budget) == ["0.000000", "373.370000"]
    assert _found(f, "P03") == [] and f.evaluated["P03"] == 3


def test_cost_ceiling_built(tmp_path):
    def check(cost):
        rows = _card("大修工程", "373.37", [["成本指标", "经济成本", "项目总成本", cost],
                                        ["产出指标", "数量指标", "坝袋长度", "≥195米"],
                                        ["效益指标", "社会效益指标", "受益人数", "≥1000人"],
                                        ["满意度指标", "服务对象满意度指标", "受益群体满意度", "≥90%"]])
        return [x.message for x in _found(budgetkit.check(disclosure(tmp_path, (CARD, rows))), "P03")]
    assert check("≤400万元") == []
    # a total cost capped below the budget, or stated exactly and differently, does not fit it
    assert check("≤300万元") == ["项目「大修工程」成本指标「项目总成本」300万元（300万元）与预算 373.37万元不符"]
    assert check("=400万元") == ["项目「大修工程」成本指标「项目总成本」400万元（400万元）与预算 373.37万元不符"]


# -- P02: a level-1 indicator printed at level 2 --------------------------------------------------------------

def test_satisfaction_at_level_2_counts(tmp_path):
    rows = _card(indicators=[["产出指标", "数量指标", "系统设备购置种类", "2种"],
                             ["产出指标", "成本指标", "购置费用", "≤16万元"],
                             ["效益指标", "社会效益指标", "保障统计业务顺利开展", "明显保障"],
                             ["效益指标", "服务对象满意度指标", "使用人员满意度", "≥90%"]])
    d = disclosure(tmp_path, "测试局2023年部门预算", (CARD, rows))
    assert _found(budgetkit.check(d), "P02") == []
    del rows[-1]  # no satisfaction at any level: still flagged
    f = budgetkit.check(disclosure(tmp_path, "测试局2023年部门预算", (CARD, rows)))
    assert [x.message for x in _found(f, "P02")] == ["项目「设备购置更新」缺少「满意度指标」（一级、二级指标均未列出）"]


def test_a_project_printing_no_satisfaction_indicator_is_flagged():
    # 烟台市统计局 pp. 1, 2 (printed pp. 30, 33) print 成本, 产出 and 效益 rows and no 满意度 row
    _, f = _checked("yantai-stats-2026-targets")
    got = sorted((x.locations[0]["page"], x.message) for x in _found(f, "P02"))
    assert got == [(1, "项目「实施公车统管费用」缺少「满意度指标」（一级、二级指标均未列出）"),
                   (2, "项目「1%人口抽样调查」缺少「满意度指标」（一级、二级指标均未列出）")]
    assert all(x.severity == "warning" for x in _found(f, "P02"))


# -- P02: 成本指标 is asked of project spending, not of a transfer-payment form -----------------------------------

def test_cost_indicator_not_asked_of_a_transfer_payment_form(tmp_path):
    """A 专项转移支付绩效目标表 follows the transfer-payment rules, which name 产出, 效益 and 满意度 only: a card
    there without 成本指标 is no finding; the same card in a project form still is."""
    rows = _card(indicators=[["产出指标", "数量指标", "系统设备购置种类", "2种"],
                             ["效益指标", "社会效益指标", "保障统计业务顺利开展", "明显保障"],
                             ["满意度指标", "服务对象满意度指标", "使用人员满意度", "≥90%"]])
    f = budgetkit.check(disclosure(tmp_path, "测试局2023年部门预算", (CARD, rows)))
    assert [x.message for x in _found(f, "P02")] == ["项目「设备购置更新」缺少「成本指标」（一级、二级指标均未列出）"]
    d = disclosure(tmp_path, "测试局2023年部门预算", ("专项转移支付绩效目标表", rows))
    assert len(d.targets) == 3  # the card is read as targets
    assert _found(budgetkit.check(d), "P02") == []


def test_beijing_transfer_payment_form_without_cost_indicator_is_no_finding():
    # 北京市财政局 2026, tables p.48: 预算14表 专项转移支付绩效目标表, 普惠金融发展专项资金 prints 产出, 效益 and
    # 满意度 rows and no 成本 row; the project forms (预算12表) print 成本指标 throughout
    d = load([DATA / "corpus" / "bj-city-finance-2026-budget-tables.pdf",
              DATA / "corpus" / "bj-city-finance-2026-budget-text.pdf"])
    t = d.targets
    card = t[t["project_name"].astype(str).str.contains("普惠金融")]
    assert set(card["table_title"]) == {"预算14表专项转移支付绩效目标表"} and set(card["page"]) == {48}
    assert not card["level1"].astype(str).str.contains("成本").any()
    assert [x for x in _found(budgetkit.check(d), "P02") if "普惠金融" in x.message] == []
