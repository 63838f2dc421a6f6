"""Within-table rules (W01 code hierarchy, W02 合计 rows, W03 合计 columns) on the layouts that read wrongly
summed: code columns, columns beside a named total, codes printed on several rows, sub-codes without their
parent, and readings too doubtful for an error.

Each class is shown on a small built table and, where a published page prints it, on that page
(data/excerpts/, pages cut from published 2026 budgets; recomputed by hand in the comments).
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import budgetkit
from budgetkit.check.within import _beside, _first_of_runs, _nearest_parents
from conftest import built_table

EXCERPTS = Path(__file__).resolve().parents[1] / "data" / "excerpts"


built = built_table  # one table in the Word-export text form, read and checked


def within(f, rule: str, status: str = "fail") -> list:
    return [x for x in f if x.rule == rule and x.status == status]


@pytest.fixture(scope="module")
def excerpt():
    cache: dict = {}

    def get(name: str):
        if name not in cache:
            d = budgetkit.read(EXCERPTS / f"{name}.pdf")
            cache[name] = (d, budgetkit.check(d))
        return cache[name]

    return get


# --- code columns: a 部门代码 column is never money -------------------------------------------------------

def test_unit_code_column_is_not_summed_built(tmp_path):
    rows = [["部门代码", "部门名称", "合计", "一般公共预算", "其他收入"],
            ["", "合计", "110.00", "100.00", "10.00"],
            ["114", "苏州市测试局", "110.00", "100.00", "10.00"],
            ["114001", "苏州市测试局（本级）", "60.00", "50.00", "10.00"],
            ["114002", "苏州市测试中心", "50.00", "50.00", ""]]
    d, f = built(tmp_path, "收入总表", rows)
    assert d.tables[0].column_roles["部门代码"] == "unit_code"
    assert not within(f, "W03") and f.evaluated["W03"] >= 4
    rows[3][2] = "61.00"  # a true difference still shows: 61.00 ≠ 50.00 + 10.00
    _, f = built(tmp_path, "收入总表", rows)
    assert [(x.expected, x.actual) for x in within(f, "W03")] == [(Decimal("61.00"), Decimal("60.00"))]


def test_unit_code_column_p1_income_summary(excerpt):
    # p1 (p12 of the 苏州市自然资源和规划局 budget): 部门代码 114, 114001 … 114008; 合计 = 小计 on every row
    # (86,999.14 = 86,999.14; 114001: 10,022.32 = 9,078.52 + 943.80)
    d, f = excerpt("js-suzhou-natres-2026-budget-p12-p24")
    t = next(t for t in d.tables if t.kind == "income_summary")
    assert t.column_roles["部门代码"] == "unit_code"
    assert not within(f, "W03") and f.evaluated["W03"] >= 8


# --- components of a named total: 会议费 and 培训费 beside “三公”经费合计 ------------------------------------

THREE_PUBLIC = [["“三公”经费合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费", "会议费", "培训费"]]


def test_meetings_and_training_beside_the_three_public_total_built(tmp_path):
    title = "一般公共预算“三公”经费、会议费、培训费支出表"
    _, f = built(tmp_path, title, THREE_PUBLIC + [["43.80", "0.00", "7.80", "36.00", "26.60", "56.05"]])
    assert not within(f, "W03") and f.evaluated["W03"] >= 1
    # 44.80 ≠ 0.00 + 7.80 + 36.00: the 三公 total still checked, without 会议费 and 培训费
    _, f = built(tmp_path, title, THREE_PUBLIC + [["44.80", "0.00", "7.80", "36.00", "26.60", "56.05"]])
    fails = within(f, "W03")
    assert len(fails) == 1 and (fails[0].expected, fails[0].actual) == (Decimal("44.80"), Decimal("43.80"))
    parts = fails[0].message.split("不等于")[1]
    assert "会议费" not in parts and "培训费" not in parts


def test_beside_column_counts_in_a_bare_total():
    assert _beside("会议费", "“三公”经费合计") and _beside("培训费", "“三公”经费合计")
    assert not _beside("会议费", "合计") and not _beside("公务接待费", "“三公”经费合计")
    assert not _beside("会议费", "“三公”经费及会议费合计")


def test_three_public_total_p2(excerpt):
    # p2 (p24 of the source): 43.80 = 0.00 + 7.80 + 36.00; 会议费 26.60 and 培训费 56.05 printed beside it
    d, f = excerpt("js-suzhou-natres-2026-budget-p12-p24")
    assert any(t.kind == "three_public_costs" for t in d.tables)
    assert not within(f, "W03")


# --- a code printed on consecutive rows: a split, a subtotal and its parts, or a level printed twice ----------

EXP_HEADER = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]


def test_level_printed_twice_counts_once_built(tmp_path):
    rows = EXP_HEADER + [["", "合计", "602.00", "100.00", "502.00"],
                         ["201", "一般公共服务支出", "100.00", "100.00", ""],
                         ["20101", "人大事务", "100.00", "100.00", ""],
                         ["219", "援助其他地区支出", "502.00", "", "502.00"],
                         ["21999", "其他支出", "502.00", "", "502.00"],
                         ["21999", "其他支出", "502.00", "", "502.00"]]
    _, f = built(tmp_path, "支出总表", rows)
    assert not within(f, "W01") and f.evaluated["W01"] >= 4
    rows[4][2] = "600.00"  # 219 600.00 ≠ 502.00 under either reading
    _, f = built(tmp_path, "支出总表", rows)
    fails = within(f, "W01")
    assert [(x.expected, x.actual) for x in fails] == [(Decimal("600.00"), Decimal("1004.00"))]


def test_code_split_over_rows_still_adds_all_rows_built(tmp_path):
    # Shaanxi pairs one 部门经济科目 with several 政府经济科目: both 30101 rows are parts of 301
    rows = [["部门经济科目编码", "部门经济科目名称", "政府经济科目编码", "政府经济科目名称", "合计"],
            ["", "", "", "合计", "15.00"],
            ["301", "工资福利支出", "", "", "15.00"],
            ["30101", "基本工资", "50501", "工资福利支出", "5.00"],
            ["30101", "基本工资", "50101", "工资奖金津补贴", "10.00"]]
    _, f = built(tmp_path, "一般公共预算支出明细表（按支出经济分类科目）", rows)
    assert not within(f, "W01") and f.evaluated["W01"] >= 1


def test_first_of_runs():
    rows = [{"eff_code": c, "n": i} for i, c in enumerate(["205", "205", "205", "212", "212", "205"])]
    assert [r["n"] for r in _first_of_runs(rows)] == [0, 3, 5]


def test_subtotal_rows_sharing_a_code_built(tmp_path):
    # a purchase list by function code: 全额 (the code's subtotal) → a unit → its items, one code on all three
    rows = [["科目编码", "单位名称", "采购项目", "预算金额"],
            ["", "合计", "", "10.00"],
            ["2050803", "全额", "", "6.00"],
            ["2050803", "测试局", "", "6.00"],
            ["2050803", "", "培训服务", "4.00"],
            ["2050803", "", "住宿服务", "2.00"],
            ["2120102", "全额", "", "4.00"],
            ["2120102", "测试局", "", "4.00"],
            ["2120102", "", "物业费", "4.00"]]
    _, f = built(tmp_path, "支出总表", rows)
    assert not within(f, "W02") and f.evaluated["W02"] >= 1
    rows[1][3] = "11.00"
    _, f = built(tmp_path, "支出总表", rows)
    assert len(within(f, "W02")) == 1


def test_level_printed_twice_p2_expenditure_summary(excerpt):
    # p2 (p14 of the 无锡市发展和改革委员会 budget): 219 援助其他地区支出 502.00; 21999 其他支出 502.00 printed on
    # two rows, the second on the 项 line: 219 = 502.00, not 1,004.00
    d, f = excerpt("js-wuxi-ndrc-2026-budget-p13-p14")
    assert not within(f, "W01") and f.evaluated["W01"] >= 20


# --- sub-codes printed without their parent stand for it -----------------------------------------------------

def test_nearest_parents():
    got = _nearest_parents(["206", "20601", "2060101", "2069901", "301", "3010201"])
    assert got == {"20601": "206", "2060101": "20601", "2069901": "206", "3010201": "301"}


def test_subcodes_without_their_parent_built(tmp_path):
    rows = [["部门经济科目编码", "部门经济科目名称", "合计"],
            ["", "合计", "20.00"],
            ["301", "工资福利支出", "20.00"],
            ["30101", "基本工资", "5.00"],
            ["3010201", "津贴补贴", "10.00"],
            ["3010202", "改革性补贴", "5.00"]]
    _, f = built(tmp_path, "一般公共预算基本支出表（按支出经济分类科目）", rows)
    assert not within(f, "W01") and f.evaluated["W01"] >= 1
    rows[2][2] = "21.00"
    _, f = built(tmp_path, "一般公共预算基本支出表（按支出经济分类科目）", rows)
    assert [(x.expected, x.actual) for x in within(f, "W01")] == [(Decimal("21.00"), Decimal("20.00"))]


def test_subcodes_without_their_parent_p2(excerpt):
    # p2 (p39 of the 西安市人力资源和社会保障局 budget): 301 工资福利支出 7,804.52 = the 30101 … 30199 rows
    # (6,099.77) + 3010201 津贴补贴 and 3010202 改革性补贴 (1,342.73 + 132.41 + 192.17 + 37.44 = 1,704.75), 30102
    # not printed
    d, f = excerpt("sx-xian-hrss-2026-budget-p30-p39")
    assert not [x for x in within(f, "W01") if " 301 " in x.message]
    assert f.evaluated["W01"] >= 2


def test_true_total_column_difference_stays_p1(excerpt):
    # p1 (p30 of the source): 西安市人力资源和社会保障局 合计 24,417.66 = 小计 24,417.66, yet the row also prints
    # 上年结转 60.37 (the 合计 row's own 合计 182,157.13 = 181,716.56 + 90.57 + 350 counts 上年结转): 24,478.03
    _, f = excerpt("sx-xian-hrss-2026-budget-p30-p39")
    errors = [x for x in within(f, "W03") if x.severity == "error"]
    assert {(x.expected, x.actual) for x in errors} >= {(Decimal("24417.66"), Decimal("24478.03")),
                                                        (Decimal("356.49"), Decimal("360.31")),
                                                        (Decimal("1103.37"), Decimal("1129.75"))}


# --- doubtful readings: review naming the doubt, never an error ----------------------------------------------

def test_unread_cell_makes_the_column_sum_review_built(tmp_path):
    rows = EXP_HEADER + [["", "合计", "1,043.69", "1,043.69", ""],
                         ["208", "社会保障和就业支出", "1,043.69", "1,043.69", ""],
                         ["20805", "行政事业单位养老支出", "1,043.69", "1,043.69", ""],
                         ["2080501", "行政单位离退休", "31.01 424.00", "31.01 424.00", ""],
                         ["2080506", "机关事业单位职业年金缴费支出", "212.00", "212.00", ""],
                         ["2080599", "其他行政事业单位养老支出", "376.67", "376.67", ""]]
    _, f = built(tmp_path, "支出总表", rows)
    w01 = [x for x in f if x.rule == "W01" and x.status in ("fail", "review")]
    assert w01 and all(x.status == "review" and "31.01 424.00" in x.message for x in w01)


def test_most_identities_of_a_table_failing_is_review_built(tmp_path):
    head = [["单位名称", "合计", "基本支出", "项目支出"]]
    body = [["测试局", "20.00", "6.00", "4.00"], ["测试中心", "40.00", "12.00", "8.00"],
            ["测试站", "60.00", "18.00", "12.00"], ["测试所", "80.00", "24.00", "16.00"]]
    _, f = built(tmp_path, "部门支出总表", head + body)
    w03 = [x for x in f if x.rule == "W03" and x.status in ("fail", "review")]
    assert len(w03) == 4 and all(x.status == "review" and "4/4" in x.message for x in w03)
    body[1:] = [["测试中心", "20.00", "12.00", "8.00"], ["测试站", "30.00", "18.00", "12.00"],
                ["测试所", "40.00", "24.00", "16.00"]]
    _, f = built(tmp_path, "部门支出总表", head + body)  # one row of four: an error
    assert [x.severity for x in within(f, "W03")] == ["error"]


def test_rows_printed_off_the_ruling_add_up_p1_to_p3(excerpt):
    # pp1-3 (pp9-11 of the 重庆市科学技术局 budget) draw each row's text about 5 points below its ruled row (the
    # name above its code): read at that shift (tests/test_reading_doubts.py) nothing is lost and the page adds
    # up: 20602 52,333.24 = 7,060.96 + 15,500.00 + 210.00 + 9,882.28 + 11,780.00 + 7,900.00; 20805 1,043.69 ≈
    # 31.01 + 424.00 + 212.00 + 376.67 = 1,043.68, a rounding difference
    _, f = excerpt("cq-sti-2026-budget-p9-p11")
    assert not [x for x in f if x.rule in ("W01", "W02", "W03") and x.status in ("fail", "review")]
    assert [x for x in f if x.rule == "W01" and x.status == "rounding"]


# --- columns that may count money twice ----------------------------------------------------------------------

def test_subtotal_beside_its_parts_after_a_lost_header_span_built(tmp_path):
    # the text form spans 公务用车购置及运行维护费 over its 小计 only: 公务用车购置费 and 公务用车运行维护费 read
    # beside it, already in the 小计 (7.80 = 0.00 + 7.80)
    head = [["“三公”经费合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"],
            ["", "", "小计", "公务用车购置费", "公务用车运行维护费", ""]]
    d, f = built(tmp_path, "一般公共预算“三公”经费支出表", head + [["43.80", "0.00", "7.80", "0.00", "7.80", "36.00"]])
    assert "公务用车购置费" in d.tables[0].column_roles  # read beside the group, not under it
    assert not within(f, "W03") and f.evaluated["W03"] >= 1
    _, f = built(tmp_path, "一般公共预算“三公”经费支出表", head + [["45.80", "0.00", "7.80", "0.00", "7.80", "36.00"]])
    assert [(x.expected, x.actual) for x in within(f, "W03")] == [(Decimal("45.80"), Decimal("51.60"))]


def test_named_total_beside_the_total_built(tmp_path):
    # 支出合计 printed beside 合计 is the same money: 合计 = 基本支出 + 项目支出, not + 支出合计 too
    rows = [["单位名称", "合计", "支出合计", "基本支出", "项目支出"], ["测试局", "10.00", "10.00", "6.00", "4.00"]]
    _, f = built(tmp_path, "部门支出总表", rows)
    assert not within(f, "W03")
    rows[1][1] = "11.00"
    _, f = built(tmp_path, "部门支出总表", rows)
    assert within(f, "W03")
