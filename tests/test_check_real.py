"""Precision on real, approved disclosures: no false alarms.

Each expected finding here was checked by hand against the PDF.
"""
from __future__ import annotations

import pytest

import budgetkit
from conftest import CORPUS, jiangsu, load

DOCS = {p.stem: [p] for p in sorted(CORPUS.glob("sh-*.pdf"))}
DOCS.update({f"js-{y}": jiangsu(y) for y in (2017, 2018, 2019)})

# Hand-checked findings above info level.  Everything else must be silent.
EXPECTED_WARNINGS = {
    # The text files 2100717 计划生育服务 as "卫生健康支出(类)卫生健康支出(款)计划生育事务(项)":
    # 计划生育事务 is the 款 21007 (200,000 元 on pp. 12, 16, 22), not a 项: a mislabelled level (N06),
    # not a figure without counterpart; the 20.00 万元 agrees.
    "sh-putuo-wanli-street-2025-budget": [("N06", "计划生育事务")],
    # p.31: the 三公 and 机关运行经费 table prints 47.91 / 443.18 万元 under its own note "注:本部门2024年无“三公”
    # 经费和机关运行经费预算，故本表为空表" (the 2025 edition drops the note): the note and the figures contradict
    "sh-putuo-wanli-street-2024-budget": [("C04", "故本表为空表")],
}


# Hand-checked true errors: a percentage the sentence's own figures contradict (current, change, percentage; the
# base is current − change).  Recomputed by hand from the printed pages.
EXPECTED_ERRORS = {
    # p.8 "…行政运行（项）支出 6106.99万元，与上年相比增加 101.48万元，增长 1.66%": 101.48 ÷ 6,005.51 = 1.69%
    # (1.66% is 101.48 ÷ 6,106.99: divided by the current figure)
    "js-2017": [("N03", "1.66%")],
    # p.8 "3．住房保障（类）支出3894.09万元，…。" "与上年相比增加878.93万元，增长30%。": 878.93 ÷ 3,015.16 = 29.15%
    "js-2019": [("N03", "增长30%")],
    # p.9 item 31: "…住房公积金（项）”350.35万元…2024年预算安排352.67万元…": the tables print 3,503,499元 = 350.35
    "sh-putuo-wanli-street-2024-budget": [("N01", "352.67")],
}


@pytest.mark.parametrize("name", sorted(DOCS))
def test_no_error_level_false_alarms(name):
    f = budgetkit.check(load(DOCS[name]))
    errors = [(x.rule, x.message) for x in f.errors]
    expected_errors = EXPECTED_ERRORS.get(name, [])
    assert len(errors) == len(expected_errors), errors
    for (rule, word), (got_rule, msg) in zip(expected_errors, errors):
        assert rule == got_rule and word in msg
    warnings = [(x.rule, x.message) for x in f if x.severity == "warning"]
    expected = EXPECTED_WARNINGS.get(name, [])
    assert len(warnings) == len(expected), warnings
    for (rule, word), (got_rule, msg) in zip(expected, warnings):
        assert rule == got_rule and word in msg
    # the rules really ran on this document
    assert f.evaluated.get("W01", 0) + f.evaluated.get("W03", 0) > 0
    assert f.evaluated.get("B01", 0) > 0 and f.evaluated.get("N01", 0) > 0


def test_one_yuan_differences_in_yuan_tables_are_rounding_not_errors():
    """万里街道 2025: 212 城乡社区支出 154,369,326 vs Σ款 154,369,327 — printed in whole 元."""
    f = budgetkit.check(load(DOCS["sh-putuo-wanli-street-2025-budget"]))
    rounding = [x for x in f if x.status == "rounding"]
    assert rounding and all(x.severity == "info" and abs(x.difference) == 1 and x.unit == "元" for x in rounding)
    assert any("154,369,326" in x.message for x in rounding)


def test_not_evaluated_is_reported_with_a_reason():
    f = budgetkit.check(load(DOCS["js-2019"]))
    ne = [x for x in f if x.status == "not_evaluated"]
    b05 = next(x for x in ne if x.rule == "B05")
    assert "绩效目标表" in b05.message and b05.severity == "info"


def test_income_equals_expenditure_on_a_summary_closing_with_heji():
    # 西南大学 2023 决算 高等学校收支决算总表: both panels close with "合计 569,496.54" (no 总计 row); W04 once said it
    # could find no totals
    f = budgetkit.check(load(CORPUS / "cq-swu-2023-final.pdf"))
    assert f.evaluated["W04"] == 1
    assert not [x for x in f if x.rule == "W04"]


def test_income_equals_expenditure_on_jiangsu_summaries_closing_with_shouru_heji():
    # 江苏省委办公厅 2018 收支预算总表 and 财政拨款收支预算总表 close with "收入合计 24,458.43 … 支出合计 24,458.43" (the
    # table's last row; 当年收入小计 above it): W04 once said it found no totals
    f = budgetkit.check(load(jiangsu(2018)))
    assert f.evaluated["W04"] == 2 and not [x for x in f if x.rule == "W04"]


def test_project_list_group_rows_are_not_projects_without_targets():
    # 西安市财政局 2026 部门综合预算专项业务经费支出表 lists units and categories above their projects: "西安市财政投资评审中心"
    # (a unit) and "购买服务（审计、绩效、ppp项目评价）" 500.77万 = 财政检查 188.70 + 绩效管理 312.07 are group rows, not
    # projects that lack targets (a new user's audit counted about 18 such rows)
    f = budgetkit.check(load(CORPUS / "sx-xian-finance-2026-budget.pdf"))
    lacking = [x.message for x in f if x.rule == "B05" and "没有绩效目标" in x.message]
    assert lacking and not [m for m in lacking if "西安市财政投资评审中心" in m or "购买服务（审计" in m
                            or "「西安市财政局」" in m]
    assert all(x.status == "review" for x in f if x.rule == "B05" and "没有绩效目标" in x.message)


def test_projects_named_in_their_name_column_and_one_name_on_several_lines():
    """烟台市审计局 2026 表11 (p.24) prints 项目名称 beside 项目类别 (其他运转类/特定目标类), and 审计业务经费 on three
    lines (31.00, 539.00, 18.00), each with its own target table (pp.30–35)."""
    d = load([CORPUS / "sd-yantai-audit-2026-budget.pdf"])
    rows = d.amounts[(d.amounts["table_kind"] == "project_expenditure") & (d.amounts["column_label"] == "合计")]
    assert list(rows["row_label"]) == ["合计", "审计业务经费", "烟台市智慧审计平台等保测评服务", "审计业务经费",
                                       "原审计署烟台基地退休人员补助经费", "审计业务经费", "审计专项经费"]
    f = budgetkit.check(d)
    assert not [x for x in f if x.rule == "B05" and x.status in ("fail", "review")]
    assert f.evaluated.get("B05", 0) >= 6


def test_a_project_table_printing_each_projects_target():
    """广州市统计局 2026 表12 (pp.21–22) prints a 绩效目标 for every project beside its amounts; the target tables
    (p.25) cover three key projects only. No project lacks a target, and 广州市统计监测中心（广州市统计发展中心） is a
    unit's row (its one project, 其他运行经费 7.00, has a target)."""
    f = budgetkit.check(load([CORPUS / "gd-guangzhou-stats-2026-budget.pdf"]))
    assert not [x for x in f if x.rule == "B05" and x.status in ("fail", "review")]
