"""F rules: a 决算's tables checked as a 决算 (reference/final_identities.csv), on the three real 决算 in
data/corpus, and the same tables with one printed figure changed to show each rule can fail.  Figures and
pages are the PDF's: 国家信访局 2024 收入支出决算总表 p.7, 财政拨款收入支出决算总表 p.10, 公开05表 p.11,
公开06表 p.12, 公开09表 p.15; 佛山 2019 表1 p.5–7, 表4 p.12–14, 表5 p.15, 表6 p.17–20, 表7 p.21;
西南大学 2023 高等学校收支决算总表 p.8–9."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

import budgetkit
from budgetkit.execution import final_rules
from conftest import FOSHAN, SWU_B, SWU_F, XINFANG, load

FINALS = [XINFANG, FOSHAN, SWU_F]


def _with(d, label, column, value, page):
    """A copy of the disclosure whose cell (row label, column label, page) prints ``value`` instead."""
    c = type(d).__new__(type(d))
    c.__dict__.update(d.__dict__)
    a = d.amounts.copy()
    m = (a["row_label"] == label) & (a["column_label"] == column) & (a["page"] == page)
    assert m.sum() == 1, (label, column)
    v = D(value.replace(",", ""))
    a.loc[m, "amount"] = v
    a.loc[m, "amount_yuan"] = v * 10000
    a.loc[m, "raw"] = value
    c.amounts = a
    return c


@pytest.mark.parametrize("path,counts", [
    (XINFANG, {"F01": 3, "F09": 3, "F13": 1, "F15": 32, "F16": 4, "F17": 2}),
    (FOSHAN, {"F01": 3, "F09": 3, "F13": 1, "F15": 21, "F16": 4, "F17": 4}),
    (SWU_F, {"F01": 3, "F09": 0, "F13": 0, "F15": 27, "F16": 0, "F17": 0}),
], ids=["xinfang", "foshan", "swu"])
def test_real_finals_close_with_no_finding(path, counts):
    # 国家信访局: 20,451.35 + 1,615.24 = 22,066.59 = 14,572.53 + 7,494.06; T4 13,733.80 + 6,993.74 = 20,727.54
    # against 20,727.53 and 三公 决算 4.69 + 40.61 + 0.90 = 46.20 against 46.21 are rounding; 7,967.72 + 2,266.65
    # = 10,234.37 (F13).  佛山: 1,668.14 + 0.00 + 0.01 against 1,668.14 is rounding; 649.20 + 97.19 = 746.39.
    # 西南大学: labels 上年结转和结余 and 合计; 430,725.03 + 45,110.97 + 93,660.54 = 569,496.54
    # = 457,676.75 + 4,970.88 + 106,848.91; MOE prints no T4, no T6, no 三公 table: F09/F13/F16/F17 not evaluated
    ev: dict = {}
    assert final_rules.check(load(path), ev) == []
    assert ev == counts


def test_no_income_equals_expenditure_error_on_this_year_rows():
    # 本年收入合计 ≠ 本年支出合计 in a 决算 (国家信访局 20,451.35 vs 14,572.53): neither W04 nor F01 reports it
    for path in FINALS:
        f = budgetkit.check(load(path))
        assert f.evaluated.get("W04", 0) >= 1
        assert not [x for x in f if x.rule == "W04" and x.status in ("fail", "review")]


def test_a_summary_that_does_not_close_is_an_error():
    d = _with(load(FOSHAN), "年末结转和结余", "支出/决算数", "9.01", 7)  # 表1 p.7 prints 0.01
    [f] = final_rules.check(d, {})
    assert (f.rule, f.severity, f.expected, f.actual) == ("F01", "error", D("1668.14"), D("1677.15"))
    assert [c["page"] for c in f.locations] == [6, 7, 7, 7]


def test_a_failure_resting_on_an_unread_row_is_review():
    # 国家信访局 prints 结余分配 blank: while the identity holds it counts as 0; when it fails, review
    d = _with(load(XINFANG), "年末结转和结余", "支出/金额", "7,449.06", 7)  # 7,494.06 with two digits swapped
    [f] = final_rules.check(d, {})
    assert (f.rule, f.severity, f.expected, f.actual) == ("F01", "review", D("22066.59"), D("22021.59"))
    assert "未读到 收入支出决算总表 结余分配" in f.message


def test_fund_subsets_are_bounds_not_equalities():
    # 佛山: T4 本年支出合计 1,668.14 ≤ T1 1,668.14 (equal: wholly funded) passes; above T1 it is a warning
    d = _with(load(FOSHAN), "本年支出合计", "支出/合计", "1,700.00", 13)
    got = {(f.rule, f.severity) for f in final_rules.check(d, {})}
    assert ("F15", "warning") in got and ("F09", "error") in got


def test_sangong_lines_bound_by_the_sangong_table():
    # 佛山 表6 p.18: 30217 公务接待费 0.16 ≤ 表7 决算 公务接待费 0.16
    d = _with(load(FOSHAN), "公务接待费", "公用经费/金额", "0.26", 18)
    got = [f for f in final_rules.check(d, {}) if f.rule == "F17"]
    assert len(got) == 1 and got[0].severity == "warning" and got[0].expected == D("0.16")


def test_execution_reports_f_rules_for_a_final_alone():
    x = budgetkit.execution(None, load(XINFANG))
    assert x.findings.evaluated["F01"] == 3 and not [f for f in x.findings if f.rule.startswith("F") and
                                                      not f.rule.startswith("FN")]


def test_f_rules_run_on_a_final_only():
    assert final_rules.check(load(SWU_B), {}) == []


def test_check_runs_the_f_rules_on_a_final_and_says_what_it_could_not_evaluate():
    # `budgetkit check` on a 决算 runs the F rules; the MOE 高校 template prints no 财政拨款收入支出决算总表,
    # no basic-expenditure table and no 三公 table: F09, F13, F16, F17 are not evaluated (never passed)
    f = budgetkit.check(load(SWU_F))
    assert f.evaluated["F01"] == 3 and f.evaluated["F15"] == 27
    ne = {x.rule: x.message for x in f if x.status == "not_evaluated" and x.rule[0] == "F" and x.rule[1].isdigit()}
    assert set(ne) == {"F09", "F13", "F16", "F17"} and "财政拨款收入支出决算总表" in ne["F09"]
    assert not [x for x in budgetkit.check(load(XINFANG)) if x.rule in ("F01", "F09", "F15") and x.status != "rounding"]


def test_row_and_column_numbers_and_panels_give_no_finding():
    # 国家信访局 2024 prints 行次 (收入支出决算总表 p.7, 财政拨款收入支出决算总表 p.10), a 栏次 row (公开05/09表) and a
    # three-panel 基本支出决算表 (p.12); 佛山 2019 prints 行次 and a two-panel 表6.  The only error or warning
    # `check` gives on the three 决算 is N03 on 国家信访局 p.17: 收、支总计 22,066.59, 增加 5,834.37, so last year's
    # 16,232.22 and a rise of 35.94%, where the text prints 35.74%
    got = {p.name: sorted((x.rule, x.locations[0].get("page") if x.locations else None) for x in budgetkit.check(load(p))
                          if x.severity in ("error", "warning", "review")) for p in FINALS}
    assert got == {XINFANG.name: [("N03", 17)], FOSHAN.name: [], SWU_F.name: []}
