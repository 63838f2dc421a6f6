"""W05: a table printed unit by unit adds up to its department total (部门 = Σ 单位), column by column.

Built tables show each class (a 本级 row repeating the department counts once, a unit printed on two rows under one
code counts on both, a secondary unit above its sub-units is read both ways, projects are not units); a page cut
from a published budget (data/excerpts/) shows the rule on print, recomputed by hand in the comments.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import budgetkit
from budgetkit.check.units import is_unit_name
from conftest import built_table

EXCERPTS = Path(__file__).resolve().parents[1] / "data" / "excerpts"

HEADER = ["单位编码", "单位名称", "合计", "一般公共预算", "其他收入"]


def built(tmp_path: Path, rows: list[list[str]], title: str = "收入总表"):
    """One table of 苏州市测试局 in the Word-export text form."""
    return built_table(tmp_path, title, rows, department="苏州市测试局")


def w05(f, *status: str) -> list:
    return [x for x in f if x.rule == "W05" and x.status in (status or ("fail", "review"))]


def units_table() -> list[list[str]]:
    return [HEADER,
            ["", "合计", "110.00", "100.00", "10.00"],
            ["114", "苏州市测试局", "110.00", "100.00", "10.00"],        # the department printed again
            ["114001", "苏州市测试局", "60.00", "50.00", "10.00"],       # its 本级, of the same name
            ["114002", "苏州市测试中心", "50.00", "50.00", ""]]


def test_units_add_up_and_the_department_row_counts_once_built(tmp_path):
    _, f = built(tmp_path, units_table())
    # 110.00 = 60.00 + 50.00 in 合计, 100.00 = 50.00 + 50.00, 10.00 = 10.00: the department's own row (110.00,
    # the total again) is not added a second time, which would give 220.00
    assert not w05(f) and f.evaluated["W05"] == 3


def test_one_units_figure_changed_is_an_error_built(tmp_path):
    rows = units_table()
    rows[4][3] = "49.00"  # 一般公共预算: 100.00 ≠ 50.00 + 49.00
    _, f = built(tmp_path, rows)
    fails = w05(f)
    assert [(x.status, x.severity, x.expected, x.actual) for x in fails] == \
        [("fail", "error", Decimal("100.00"), Decimal("99.00"))]
    assert "合计行与2个单位行之和不等" in fails[0].message
    assert {loc["row_label"] for loc in fails[0].locations} == {"合计", "苏州市测试局", "苏州市测试中心"}


def test_the_department_row_misprinted_is_not_added_built(tmp_path):
    # 114 苏州市测试局 prints 合计 111.00 where 合计 prints 110.00: no longer the total's figures in every column, yet
    # its code heads every other unit's; read without it the units add up, so W05 says nothing (W03 sees the row:
    # 111.00 ≠ 100.00 + 10.00)
    rows = units_table()
    rows[2][2] = "111.00"
    _, f = built(tmp_path, rows)
    assert not w05(f) and f.evaluated["W05"] == 3
    assert [(x.expected, x.actual) for x in f if x.rule == "W03" and x.status == "fail"] == \
        [(Decimal("111.00"), Decimal("110.00"))]


def test_a_row_equal_to_the_total_without_a_printed_sign_is_review_built(tmp_path):
    # no unit codes, and the row equal to the total bears a name no other row bears: read as the department
    # printed again only by its figures, so a difference resting on it is for review
    rows = [["单位名称", "合计", "一般公共预算"],
            ["合计", "110.00", "110.00"],
            ["苏州市测试管理中心", "110.00", "110.00"],
            ["苏州市测试服务中心", "60.00", "60.00"],
            ["苏州市测试信息中心", "51.00", "51.00"]]
    _, f = built(tmp_path, rows)
    assert {(x.status, x.severity) for x in w05(f)} == {("review", "review")}
    assert all("逐列相等" in x.message for x in w05(f))


def test_a_unit_on_two_rows_under_one_code_counts_on_both_built(tmp_path):
    rows = [HEADER,
            ["", "合计", "160.00", "150.00", "10.00"],
            ["153001", "西安市测试局", "60.00", "50.00", "10.00"],
            ["153002", "西安市测试局交通管理支队", "70.00", "70.00", ""],
            ["153002", "西安市测试局交通警察支队", "30.00", "30.00", ""]]
    _, f = built(tmp_path, rows)
    assert not w05(f) and f.evaluated["W05"] == 3


def test_a_secondary_unit_above_its_sub_units_counts_once_built(tmp_path):
    rows = [HEADER,
            ["", "合计", "100.00", "90.00", "10.00"],
            ["114001", "苏州市测试局", "60.00", "50.00", "10.00"],
            ["114002", "苏州市测试中心", "40.00", "40.00", ""],
            ["114002001", "苏州市测试中心第一站", "25.00", "25.00", ""],
            ["114002002", "苏州市测试中心第二站", "15.00", "15.00", ""]]
    _, f = built(tmp_path, rows)
    assert not w05(f) and f.evaluated["W05"] == 3
    # 合计 101.00 / 91.00: no reading adds up (140.00 with every row, 100.00 counting 苏州市测试中心 or its two
    # stations once); which rows count is a guess: review, not error
    rows[1][2], rows[1][3] = "101.00", "91.00"
    _, f = built(tmp_path, rows)
    assert w05(f) and {x.status for x in w05(f)} == {"review"}


def test_a_table_of_projects_is_not_judged_built(tmp_path):
    rows = [["单位名称", "合计", "一般公共预算"],
            ["合计", "100.00", "100.00"],
            ["苏州市测试局", "60.00", "60.00"],
            ["测试业务经费", "41.00", "41.00"],
            ["苏州市测试中心", "40.00", "40.00"]]
    _, f = built(tmp_path, rows, title="收入总表")
    assert not w05(f) and not f.evaluated.get("W05")
    assert [x.message for x in f if x.rule == "W05" and x.status == "not_evaluated"] == \
        ["未评估：收入总表的单位行之间有不是单位的行（「测试业务经费」），合计不按单位核对"]


def test_one_units_table_says_nothing_built(tmp_path):
    # a unit's own budget lists no units: the rule does not apply (neither passed nor not evaluated)
    _, f = built(tmp_path, [["单位名称", "合计", "一般公共预算", "其他收入"], ["合计", "60.00", "50.00", "10.00"],
                            ["苏州市测试局", "60.00", "50.00", "10.00"]])
    assert not [x for x in f if x.rule == "W05"] and not f.evaluated.get("W05")


def test_unit_names():
    assert is_unit_name("杭州市公安局交通管理支队") and is_unit_name("无锡市发展和改革委员会（本级）")
    assert is_unit_name("杭州市居民身份证信息管理中心（杭州市流动人口综合信息中心）")
    assert not is_unit_name("工资福利支出") and not is_unit_name("测试业务经费") and not is_unit_name("合计")


@pytest.fixture(scope="module")
def hangzhou_police():
    d = budgetkit.read(EXCERPTS / "zj-hangzhou-police-2026-budget-p21-p22.pdf")
    return d, budgetkit.check(d)


def test_units_short_of_the_department_total_p1_p2(hangzhou_police):
    # 收入预算总表 (pp21–22 of the 杭州市公安局 2026 budget): 合计 and the department's row 杭州市公安局 both print
    # 总计 404,415.23; its eleven units (本级 杭州市公安局 113,529.06, 交通管理支队 168,527.35, 巡特警支队 26,263.80,
    # 监所管理支队 22,199.42, 刑事侦查支队 12,379.89, 交通治安分局 8,017.41, 机动车驾驶员考试服务中心 14,549.64,
    # 道路交通事故社会救助基金管理服务中心 6,314.47, 居民身份证信息管理中心 614.79, 人民警察学校 3,146.04,
    # 地铁分局 27,401.68) add to 402,943.55: 1,471.68 short, all of it 一般公共预算 (366,195.79 against 364,724.13)
    _, f = hangzhou_police
    got = {x.locations[0]["column_label"]: (x.status, x.severity, x.expected, x.actual) for x in w05(f)}
    assert got == {"总计": ("fail", "error", Decimal("404415.23"), Decimal("402943.55")),
                   "本年收入/小计": ("fail", "error", Decimal("400391.78"), Decimal("398920.12")),
                   "本年收入/一般公共预算": ("fail", "error", Decimal("366195.79"), Decimal("364724.13"))}
    # the department's row (the total printed again) is named as counted once, not among the units
    assert all("部门行「杭州市公安局」只计一次" in x.message for x in w05(f))
    assert all(loc["raw"] != "404,415.23" for x in w05(f) for loc in x.locations[1:])
    # the five other columns the 合计 row prints add up: 政府性基金预算 7,600.00; 事业收入 18,536.88 = 12,437.36 (cut
    # by the page) + 6,099.52; 其他收入 8,059.10; 上年结转结余 小计 and 一般公共预算 4,023.45
    assert f.evaluated["W05"] == 8


def test_department_row_above_its_own_unit_counts_once_p1():
    # 收入总表 (p12 of the 苏州市自然资源和规划局 2026 budget): 合计 86,999.14, then 114 苏州市自然资源和规划局 86,999.14
    # (the department again), then 114001 苏州市自然资源和规划局 10,022.32 and five units: 10,022.32 + 69,998.00 +
    # 713.12 + 829.99 + 1,434.97 + 4,000.74 = 86,999.14 (and 一般公共预算 20,832.97, 政府性基金预算 66,107.38,
    # 上年结转 58.79 likewise)
    d = budgetkit.read(EXCERPTS / "js-suzhou-natres-2026-budget-p12-p24.pdf")
    f = budgetkit.check(d)
    assert not w05(f, "fail", "review", "rounding") and f.evaluated["W05"] == 5


def test_units_with_their_classes_beneath_p4():
    # 部门预算基本支出预算表 (p21 of the 广州市工业和信息化局 2026 budget): each unit's row, then its 工资福利支出 …
    # 资本性支出 rows; the units add to 11,605.03 + 2,176.79 + 1,448.90 = 15,230.72 against 合计 15,230.73: a cent
    # within the rounding of four printed figures, not an error; the class rows are W01/W02's
    d = budgetkit.read(EXCERPTS / "gd-guangzhou-miit-2026-budget-unit-blocks.pdf")
    f = budgetkit.check(d)
    assert not w05(f)
    blocks = [x for x in w05(f, "rounding") if x.locations[0]["page"] == 4]
    assert blocks and {(x.expected, x.actual) for x in blocks} == {(Decimal("15230.73"), Decimal("15230.72"))}


def test_unit_totals_leaving_out_their_carry_over_p1():
    # 收入总表 (p30 of the 西安市人力资源和社会保障局 budget, 2020 tables): 合计 182,157.13 counts 上年结转 90.57, the
    # thirteen units' 合计 (24,417.66 + 151,259.87 + … + 990.41 = 182,066.56) leave out their 60.37, 3.82 and 26.38
    d = budgetkit.read(EXCERPTS / "sx-xian-hrss-2026-budget-p30-p39.pdf")
    f = budgetkit.check(d)
    got = [(x.status, x.severity, x.expected, x.actual, x.locations[0]["page"]) for x in w05(f)]
    assert got == [("fail", "error", Decimal("182157.13"), Decimal("182066.56"), 1)]
