"""Accuracy items (TS-Q01–Q03, Q05) follow the check's problems: every confirmed error of a rule family counts in
its item (a rule new to the family too), and one printed discrepancy seen by several rules counts once."""
from __future__ import annotations

from decimal import Decimal

import budgetkit
from budgetkit.check.findings import Finding, Findings, rule_table
from budgetkit.score import score
from budgetkit.score.items_accuracy import item_of_rule

from conftest import DATA

EXCERPTS = DATA / "excerpts"


def _cell(row, col, raw, page=4):
    return {"file": "x.pdf", "page": page, "table_no": None, "table_title": "财政拨款收支预算总表", "row_label": row,
            "column_label": col, "raw": raw}


def _f(rule, expected, actual, cells):
    return Finding(rule, "fail", f"{rule} 不一致", f"{rule} differs", expected=Decimal(expected),
                   actual=Decimal(actual), unit="万元", locations=cells)


def _level(s, id_):
    return next(i for i in s.items if i.id == id_)


def test_every_error_rule_of_a_compared_family_counts_in_an_accuracy_item():
    """W05 is named nowhere in the scorecard's data: it counts in Q01 as a within-table rule."""
    assert item_of_rule("W05") == "TS-Q01" and item_of_rule("B02") == "TS-Q02" and item_of_rule("N08") == "TS-Q03"
    assert item_of_rule("N06") == "TS-Q05" and item_of_rule("Y01") == "TS-Q05"
    for rid, r in rule_table().items():
        if r["severity"] == "error" and r["family"] in ("within", "between", "narrative", "yoy"):
            assert item_of_rule(rid), rid


def test_one_wrong_cell_seen_by_three_rules_costs_one_step(seed):
    """A built case: 1,055.76 printed where 1,065.53 belongs, seen by W02 (column), W03 (row) and B01 (another
    table) by the same 9.77: one problem, counted once in Q01 where its heading finding (W03) belongs."""
    item = _cell("社会保障和就业支出", "合计", "1,055.76")
    items = [_f("W02", "1149.80", "1140.03", [_cell("一、本年支出", "合计", "1,149.80"), item]),
             _f("W03", "1055.76", "1065.53", [item, _cell("社会保障和就业支出", "一般公共预算", "1,065.53")]),
             _f("B01", "1065.53", "1055.76", [item, _cell("社会保障和就业支出", "预算数", "1,065.53", page=3)])]
    s = score(seed, findings=Findings(items, seed.meta, {"W02": 5, "W03": 5, "B01": 5}))
    q01 = _level(s, "TS-Q01")
    assert q01.level == 67 and "确认错误1处" in q01.why and "3条检查结果" in q01.why
    assert _level(s, "TS-Q02").level == 100


def test_a_confirmed_error_of_a_rule_new_to_the_family_counts(seed):
    """A built W05 error (the 合计 row against the units' rows) lowers Q01; before, Q01 listed W01–W04 only."""
    w05 = _f("W05", "182157.13", "182066.56", [_cell("合计", "合计", "182,157.13"), _cell("甲单位", "合计", "100.00")])
    s = score(seed, findings=Findings([w05], seed.meta, {"W05": 1}))
    assert _level(s, "TS-Q01").level == 67


def test_hangzhou_units_not_adding_up_cost_q01():
    """杭州市公安局 收入预算总表 by unit (excerpt pp. 1-2 = PDF pp. 21-22): the units' rows miss the 合计 row by
    1,471.66 万元 in three columns — three W05 findings, one problem: Q01 drops one step from 100."""
    d = budgetkit.read(EXCERPTS / "zj-hangzhou-police-2026-budget-p21-p22.pdf")
    q01 = _level(score(d), "TS-Q01")
    assert q01.level == 67 and [e["rule"] for e in q01.evidence] == ["W05"] and q01.evidence[0]["page"] == 1


def test_xian_one_carry_over_left_out_is_one_problem_not_eight():
    """西安市人社局 收入总表 printed twice (excerpt pp. 2-3 = PDF pp. 30-31): three units' 合计 leave out 上年结转;
    8 findings (6 W03, 2 W05) state one discrepancy, so Q01 is 67, not 0."""
    d = budgetkit.read(EXCERPTS / "sn-xian-hrss-2026-budget-summary-twice.pdf")
    q01 = _level(score(d), "TS-Q01")
    assert q01.level == 67 and "8条检查结果" in q01.why
