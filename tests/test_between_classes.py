"""Between-table rules (B01–B05) compare like with like.

Each class of false alarm on a real page cut into data/excerpts/ (pages named as in the excerpt and in the
source disclosure), and on a small built disclosure:

- a unit's block of lines is not the department's line (B01);
- two totals that differ by a part of the money the summary prints (上年结转) are two measures: a note (B01, B02);
- a name in a 政府预算支出经济分类 panel is not the 部门预算 economic class of the same name (B01);
- the 三公 table's 上年 / 2025年 columns are not this year's (B04);
- a target's budget that is its project line plus another printed line covers both lines: a note (B05).
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import budgetkit
from test_rules_synthetic import _summary, rules, run

EXCERPTS = Path(__file__).resolve().parents[1] / "data" / "excerpts"


def _check(name):
    return budgetkit.check(budgetkit.read(EXCERPTS / name))


def _errors(f, rule):
    return [x for x in f if x.rule == rule and x.severity in ("error", "warning")]


# --- a unit's block is not the department ----------------------------------------------------------------------

def test_unit_blocks_are_not_compared_with_department_lines_guangzhou():
    """广州市工业和信息化局 2026 (excerpt p3 = source p15, p4 = source p21): 部门预算基本支出预算表 prints each unit's
    block; 本级 工资福利支出 8,338.52 is one unit's, the department's 301 is 11,495.70 (= 8,338.52 + 1,896.43 +
    1,260.75). B01 compares the department tables' lines, never a unit's against the department's."""
    f = _check("gd-guangzhou-miit-2026-budget-unit-blocks.pdf")
    assert not _errors(f, "B01")
    assert not [x for x in f if x.rule == "B01" and "8,338.52" in x.message]
    # the totals of both basic tables (15,230.73) still agree
    assert f.evaluated["B03"] >= 1 and not _errors(f, "B03")


BASIC_DEPT = ("一般公共预算基本支出预算表", [["科目编码", "科目名称", "合计"], ["", "合计", "100.00"],
                                      ["301", "工资福利支出", "100.00"]])


def _basic_units(a, b):
    return ("部门预算基本支出预算表", [["支出项目类别（资金使用单位）", "总计"], ["合计", "100.00"],
                                  ["测试局（本级）", a], ["工资福利支出", a],
                                  ["测试服务中心", b], ["工资福利支出", b]])


def test_unit_blocks_built(tmp_path):
    """A built department: its basic table 301 = 100.00; a table of unit blocks 60.00 + 40.00. Neither unit's
    line is the department's."""
    spending = ("部门支出总表", [["科目编码", "", "", "科目名称", "合计"], ["类", "款", "项", "", ""],
                             ["", "", "", "合计", "100.00"], ["208", "", "", "社会保障和就业支出", "100.00"]])
    # all money is 一般公共预算 (支出总表 = 一般公共预算支出表): the all-funds and the 一般公共预算 basic tables compare
    f = run(tmp_path, spending, _gpb("100.00"), BASIC_DEPT, _basic_units("60.00", "40.00"))
    assert f.evaluated["B01"] >= 1
    assert "B01" not in rules(f)
    assert not [x for x in f if x.rule == "B01" and "60.00" in x.message]


# --- two totals that differ by a printed part: two measures --------------------------------------------------

def test_carryover_difference_is_a_note_xian_police():
    """西安市公安局 2026 (excerpt p1 = source p25, p2 = source p26): 财政拨款收支总表 spends 3,377,412,071.47 元
    including 上年结转 131,027,041.73 (printed on p1); 一般公共预算支出明细表 合计 3,246,385,029.74 is this year's
    appropriation only. 204 公共安全支出 2,843,890,869.64 ≥ 2,717,153,227.91: notes naming 上年结转, not errors."""
    f = _check("sn-xian-police-2026-budget-carryover.pdf")
    assert not _errors(f, "B01") and not _errors(f, "B02")
    notes = [x for x in f if x.rule in ("B01", "B02") and x.status == "note"]
    assert {x.rule for x in notes} == {"B01", "B02"}
    assert all(x.severity == "info" and "上年结转" in x.message and "131,027,041.73" in x.message for x in notes)
    b02 = next(x for x in notes if x.rule == "B02")
    assert {b02.expected, b02.actual} == {Decimal("3377412071.47"), Decimal("3246385029.74")}
    assert {loc["page"] for loc in b02.locations} == {1, 2}


def test_carryover_difference_is_a_note_xian_hrss():
    """西安市人力资源和社会保障局 (excerpt p1 = source p29, p2 = source p30): 收支总表 本年支出合计 182,066.56 万元,
    收入总表 合计 182,157.13 = 本年收入 182,066.56 + 上年结转 90.57 (printed on p1)."""
    f = _check("sn-xian-hrss-2026-budget-summary-carryover.pdf")
    assert not _errors(f, "B02")
    note = [x for x in f if x.rule == "B02" and x.status == "note"]
    assert len(note) == 1 and "上年结转" in note[0].message and "90.57" in note[0].message


def _carry_summary(carry, spent):
    """财政拨款收支总表: income 100.00 + 上年结转 ``carry``; expenditure ``spent`` on 社会保障和就业支出."""
    total = str(Decimal("100.00") + Decimal(carry))
    return ("财政拨款收支总表", [["收    入", "支    出"], ["项    目", "预算数", "项    目", "预算数"],
                           ["一、一般公共预算拨款收入", "100.00", "八、社会保障和就业支出", spent],
                           ["本 年 收 入 合 计", "100.00", "本 年 支 出 合 计", spent],
                           ["上年结转", carry, "结转下年", ""],
                           ["收  入  总  计", total, "支  出  总  计", spent]])


def _gpb(v):
    return ("一般公共预算支出预算表", [["科目编码", "", "", "科目名称", "合计"], ["类", "款", "项", "", ""],
                                ["", "", "", "合计", v], ["208", "", "", "社会保障和就业支出", v]])


def test_carryover_difference_built(tmp_path):
    """Built: 财政拨款收支总表 spends 108.00 with 上年结转 8.00; the 一般公共预算 table 100.00. A difference of 8.00
    is the printed 上年结转 (notes for the total and for 208); 107.00 (7.00 more) is not explained and stays an
    error."""
    f = run(tmp_path, _carry_summary("8.00", "108.00"), _gpb("100.00"))
    assert "B02" not in rules(f) and "B01" not in rules(f)
    notes = [x for x in f if x.rule in ("B01", "B02") and x.status == "note"]
    assert {x.rule for x in notes} == {"B01", "B02"} and all("上年结转" in x.message for x in notes)
    f = run(tmp_path, _carry_summary("8.00", "107.00"), _gpb("100.00"))
    assert "B02" in rules(f) and "B01" in rules(f)  # no part of the money is 7.00


# --- a name in the 政府预算支出经济分类 panel ------------------------------------------------------------------

def test_government_economic_panel_name_is_not_the_department_class(tmp_path):
    """西安's 财政拨款收支总表 prints a 政府预算支出经济分类科目 panel: its 对个人和家庭的补助 (509) 50.00 is not 303
    对个人和家庭的补助 30.00 of the 一般公共预算 economic table."""
    summary = ("财政拨款收支总表", [
        ["收    入", "支    出"], ["项    目", "预算数", "政府预算支出经济分类科目", "预算数"],
        ["一、一般公共预算拨款收入", "100.00", "机关工资福利支出", "50.00"],
        ["", "", "对个人和家庭的补助", "50.00"],
        ["本 年 收 入 合 计", "100.00", "本 年 支 出 合 计", "100.00"]])
    econ = ("一般公共预算支出经济分类预算表", [["科目编码", "科目名称", "合计"], ["", "合计", "100.00"],
                                        ["301", "工资福利支出", "70.00"], ["303", "对个人和家庭的补助", "30.00"]])
    f = run(tmp_path, summary, _gpb("100.00"), econ)
    assert "B01" not in rules(f) and f.evaluated["B02"] >= 1


# --- the 三公 table's 上年 columns ----------------------------------------------------------------------------

def test_three_public_this_year_column_xian_police():
    """西安市公安局 2026 (excerpt p1 = source p27, p2 = source p50): 三公 table 上年 公务接待费 183,500 | 当年
    193,500 | 增减 10,000; 30217 公务接待费 193,500 equals this year's: no B04."""
    f = _check("sn-xian-police-2026-budget-three-public.pdf")
    assert not _errors(f, "B04") and f.evaluated["B04"] >= 1


def _three(prior, current):
    return ("一般公共预算“三公”经费支出预算表", [
        ["单位名称", "2022年预算数", "", "2023年预算数", ""],
        ["", "公务接待费", "公务用车购置及运行费", "公务接待费", "公务用车购置及运行费"],
        ["", "", "", "", "小计", "公务用车运行费", "", "小计", "公务用车运行费"],
        ["合计", prior, "", "", current, "", ""]])


def test_three_public_this_year_column_built(tmp_path):
    """Built 2023 budget: 30217 2.00 against 2022年 公务接待费 1.00 and 2023年 2.00 — this year's is 2.00 (no B04);
    with 2023年 1.50 the line exceeds it (B04)."""
    econ = ("一般公共预算基本支出预算表", [["科目编码", "科目名称", "合计"], ["", "合计", "2.00"],
                                    ["30217", "公务接待费", "2.00"]])
    three = ("一般公共预算“三公”经费支出预算表", [["单位名称", "2022年预算数", "2023年预算数"],
                                          ["", "公务接待费", "公务接待费"], ["合计", "1.00", "{}"]])

    def t(v):
        return (three[0], [r[:2] + [c.format(v) for c in r[2:]] for r in three[1]])

    f = run(tmp_path, econ, t("2.00"))
    assert "B04" not in rules(f) and f.evaluated["B04"] >= 1
    f = run(tmp_path, econ, t("1.50"))
    b04 = [x for x in f if x.rule == "B04" and x.status == "fail"]
    assert len(b04) == 1 and b04[0].expected == Decimal("1.50") and "2023" in b04[0].message


# --- a target that covers two project lines ----------------------------------------------------------------

def test_target_covering_two_units_lines_xian_police():
    """西安市公安局 2026 (excerpt p4 = source p65): 公安专用信息化运行维护 实施期资金总额 23,887.72 万元 = p2 (source
    p35) its line 238,465,178.32 元 + p3 (source p39) 信息化运行维护项目 412,000.00 元 of another unit."""
    f = _check("sn-xian-police-2026-budget-target-two-units.pdf")
    assert not [x for x in _errors(f, "B05") if "公安专用信息化运行维护" in x.message]
    note = [x for x in f if x.rule == "B05" and x.status == "note"]
    assert len(note) == 1 and "信息化运行维护项目" in note[0].message and "412,000" in note[0].message


def test_target_covering_two_lines_built(tmp_path):
    """Built: 项目甲's target 15.00 = its line 10.00 + 项目丙 5.00 (note); 16.00 matches no line (error)."""
    proj = ("一般公共预算项目支出预算表（公开表3-2）",
            [["科目编码", "", "", "单位代码", "单位名称（科目）", "金额"], ["类", "款", "项", "", "", ""],
             ["", "", "", "", "合计", "35.00"],
             ["208", "01", "99", "316002", "项目甲", "10.00"], ["208", "01", "99", "316002", "项目乙", "20.00"],
             ["208", "01", "99", "316003", "项目丙", "5.00"]])

    def targets(a):
        return ("部门预算项目支出绩效目标表（公开表6）",
                [["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "指标值"],
                 ["316002-测试单位", "511T0001-项目甲", a, "目标", "产出指标", "100"],
                 ["", "511T0002-项目乙", "20.00", "目标", "产出指标", "100"]])

    f = run(tmp_path, proj, targets("15.00"))
    assert not [x for x in f if x.rule == "B05" and x.status == "fail" and "项目甲" in x.message]
    assert any(x.rule == "B05" and x.status == "note" and "项目丙" in x.message for x in f)
    f = run(tmp_path, proj, targets("16.00"))
    assert any(x.rule == "B05" and x.status == "fail" and "项目甲" in x.message for x in f)


# --- projects withheld as 涉密 by the document's own statement ----------------------------------------------

def _withheld(tmp_path, *prose):
    exp = [["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"], ["类", "款", "项", "", "", "", ""],
           ["", "", "", "合计", "50.00", "20.00", "30.00"], ["208", "", "", "社会保障和就业支出", "50.00", "20.00", "30.00"]]
    proj = ("一般公共预算项目支出预算表", [["项目名称", "金额"], ["合计", "20.00"], ["项目甲", "12.00"], ["项目乙", "8.00"]])
    return run(tmp_path, ("部门支出总表", exp), ("一般公共预算支出表", exp), proj, *prose)


def test_declared_secret_projects_built(tmp_path):
    """Built: 项目支出 30.00 in the expenditure tables, 20.00 in the project table. With the document's 备注
    "涉密项目按要求不予公开" the 10.00 is withheld by design (a note quoting it); without it, an error."""
    f = _withheld(tmp_path, "备注：涉密项目按要求不予公开。")
    assert "B03" not in rules(f)
    note = [x for x in f if x.rule == "B03" and x.status == "note"]
    assert len(note) == 1 and "涉密项目按要求不予公开" in note[0].message and note[0].severity == "info"
    assert "B03" in rules(_withheld(tmp_path, "备注：无。"))
    # 非涉密 is no statement that anything is withheld
    assert "B03" in rules(_withheld(tmp_path, "用于非涉密信息系统运维，不公开的内容无。"))


def test_three_public_by_unit_without_total_built(tmp_path):
    """Built: a 三公 table listing two units (316001 1.00, 316002 5.00) and no 合计: its first row is one unit's,
    not the department's 30217 6.00 — not evaluated, never a warning."""
    econ = ("一般公共预算基本支出预算表", [["科目编码", "科目名称", "合计"], ["", "合计", "6.00"],
                                    ["30217", "公务接待费", "6.00"]])
    three = ("一般公共预算“三公”经费支出预算表", [["单位编码", "单位名称", "公务接待费"],
                                          ["316001", "测试局", "1.00"], ["316002", "测试服务中心", "5.00"]])
    f = run(tmp_path, econ, three)
    assert "B04" not in rules(f)
    assert any(x.rule == "B04" and x.status == "not_evaluated" for x in f)


def test_lines_before_the_first_unit_are_compared_with_nothing_built(tmp_path):
    """Built: one table prints the department's 工资福利支出 100.00 before the units' blocks, another the 本级's
    60.00 before them: both sit under the table's default unit, which is not printed — never compared. The
    named unit's lines (测试服务中心 40.00) are."""
    dept_first = ("部门预算基本支出预算表", [["支出项目类别（资金使用单位）", "总计"], ["合计", "100.00"],
                                        ["工资福利支出", "100.00"], ["测试服务中心", "40.00"], ["工资福利支出", "40.00"]])
    f = run(tmp_path, dept_first, _basic_units("60.00", "40.00"))
    assert "B01" not in rules(f) and f.evaluated["B01"] >= 1


def test_other_expenditure_in_a_function_column_is_the_function_class_built(tmp_path):
    """Built: a 财政拨款收支总表 lists function classes by name, 其他支出 among them (229, not the economic 399):
    against an economic table whose 399 其他支出 is 5.00, its 9.00 is not compared."""
    summary = ("财政拨款收支总表", [
        ["收    入", "支    出"], ["项    目", "预算数", "项    目", "预算数"],
        ["一、一般公共预算拨款收入", "100.00", "一、社会保障和就业支出", "91.00"], ["", "", "二、其他支出", "9.00"],
        ["本 年 收 入 合 计", "100.00", "本 年 支 出 合 计", "100.00"]])
    econ = ("一般公共预算支出经济分类预算表", [["科目编码", "科目名称", "合计"], ["", "合计", "100.00"],
                                        ["301", "工资福利支出", "95.00"], ["399", "其他支出", "5.00"]])
    gpb = ("一般公共预算支出预算表", [["科目编码", "", "", "科目名称", "合计"], ["类", "款", "项", "", ""],
                               ["", "", "", "合计", "100.00"], ["208", "", "", "社会保障和就业支出", "91.00"],
                               ["229", "", "", "其他支出", "9.00"]])
    f = run(tmp_path, summary, gpb, econ)
    assert "B01" not in rules(f) and f.evaluated["B01"] >= 2  # 208 and 229 against the function table


def test_target_of_a_project_printed_once_per_unit_is_their_sum_built(tmp_path):
    """Built: 项目甲 printed on two units' lines (10.00 and 6.00); its target 16.00 is their sum — checked and
    passed, not a review that no single line has it; a target of 17.00 that no line or sum gives stays a review."""
    proj = ("一般公共预算项目支出预算表（公开表3-2）",
            [["科目编码", "", "", "单位代码", "单位名称（科目）", "金额"], ["类", "款", "项", "", "", ""],
             ["", "", "", "", "合计", "36.00"],
             ["208", "01", "99", "316002", "项目甲", "10.00"], ["208", "01", "99", "316003", "项目甲", "6.00"],
             ["208", "01", "99", "316002", "项目乙", "20.00"]])

    def targets(a):
        return ("部门预算项目支出绩效目标表（公开表6）",
                [["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "指标值"],
                 ["316002-测试单位", "511T0001-项目甲", a, "目标", "产出指标", "100"],
                 ["", "511T0002-项目乙", "20.00", "目标", "产出指标", "100"]])

    f = run(tmp_path, proj, targets("16.00"))
    assert not [x for x in f if x.rule == "B05" and x.status in ("fail", "review") and "项目甲" in x.message]
    f = run(tmp_path, proj, targets("17.00"))
    assert any(x.rule == "B05" and x.status == "review" and "项目甲" in x.message for x in f)
