"""One printed cause, one problem: a table printed twice, one column left out of several rows' totals, a total's gap
made of its rows' gaps, and one gap seen in a column and in the columns that add it up are each counted once —
every rule's finding stays listed under it, and ``raw_counts`` still counts them all."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

import budgetkit
from budgetkit.check.findings import Finding, Findings
from budgetkit.report import to_json, to_text
from conftest import DATA

META = {"doc_id": "x", "department": "某局"}


def _cell(row, col, raw, page=30, title="收入总表"):
    return {"file": "x.pdf", "page": page, "table_no": None, "table_title": title, "row_label": row,
            "column_label": col, "raw": raw, "table_index": page}


def _row(row, total, parts, page=30, title="收入总表"):
    """A W03 finding on one row: its 合计 against the sum of its printed parts."""
    cells = [_cell(row, "合计", total, page, title)] + [_cell(row, c, v, page, title) for c, v in parts]
    return Finding("W03", "fail", f"{row} 行不等", f"row {row} differs", expected=Decimal(total),
                   actual=sum(Decimal(v) for _, v in parts), unit="万元", tolerance=Decimal("0.015"), locations=cells)


def _column(col, total, rows, tol="0.02", page=30):
    cells = [_cell("合计", col, total, page)] + [_cell(r, col, v, page) for r, v in rows]
    return Finding("W05", "fail", f"{col} 列不等", f"column {col} differs", expected=Decimal(total),
                   actual=sum(Decimal(v) for _, v in rows), unit="万元", tolerance=Decimal(tol), locations=cells)


A = _row("甲单位", "100.00", [("财政拨款", "100.00"), ("上年结转", "6.00")])
B = _row("乙单位", "50.00", [("财政拨款", "50.00"), ("上年结转", "4.00")])


def test_one_column_left_out_of_several_rows_is_one_problem():
    """Each row's 合计 misses by exactly its own 上年结转 (6.00, 4.00): one cause, one problem; a row off by an
    amount that is none of its columns stays apart."""
    other = _row("丙单位", "30.00", [("财政拨款", "30.00"), ("上年结转", "2.00"), ("其他", "1.00")])
    f = Findings([A, B, other], META, {})
    assert f.raw_counts()["error"] == 3 and f.counts()["error"] == 2
    assert {id(x) for x in f.problems} == {id(A), id(other)} or {id(x) for x in f.problems} == {id(B), id(other)}
    head = next(x for x in f.problems if x.also)
    assert "（其中2行的差额各等于本行「上年结转」列的数：6.00＋4.00＝10.00）" in head.message
    assert "其中" not in other.message


def test_a_table_printed_twice_is_one_problem():
    """The same rows and figures under another title on the next page: the same discrepancy, counted once."""
    again = _row("甲单位", "100.00", [("财政拨款", "100.00"), ("上年结转", "6.00")], page=31, title="支出总表")
    moved = _row("甲单位", "100.00", [("财政拨款", "100.00"), ("上年结转", "7.00")], page=31, title="支出总表")
    assert Findings([A, again], META, {}).counts()["error"] == 1
    assert Findings([A, moved], META, {}).counts()["error"] == 2  # other figures: another discrepancy


def test_a_total_gap_made_of_its_rows_gaps_is_one_problem():
    """The 合计 row misses the sum of the units' 合计 by 10.00 = 6.00 + 4.00, the rows' own gaps on those very cells:
    one problem, headed by the total's finding, which names the whole gap."""
    total = _column("合计", "160.00", [("甲单位", "100.00"), ("乙单位", "50.00")])
    total.expected, total.actual = Decimal("160.00"), Decimal("150.00")
    row = _row("甲单位", "100.00", [("财政拨款", "100.00"), ("其他", "3.00")])  # 3.00: no sum with the total's 10
    f = Findings([A, B, total], META, {})
    assert f.counts()["error"] == 1 and f.problems[0] is total and {x.rule for x in total.also} == {"W03"}
    assert Findings([row, total], META, {}).counts()["error"] == 2


def test_one_gap_in_a_column_and_the_column_that_adds_it_up():
    """总计 and 小计 (which 总计 adds up) miss the same rows' sum by 1,471.68 and 1,471.66: equal within their rounding
    tolerances, one gap. A gap of another size in another column stays apart."""
    rows = [("甲单位", "100.00"), ("乙单位", "50.00")]
    a, b = _column("总计", "1621.68", rows, "0.06"), _column("小计", "1621.66", rows, "0.06")
    c = _column("其他", "250.00", rows)
    f = Findings([a, b, c], META, {})
    assert f.raw_counts()["error"] == 3 and f.counts()["error"] == 2


def test_built_groups_stay_honest_in_reports():
    """The grouped findings stay reachable under their problem and the JSON summary keeps the raw count."""
    again = _row("甲单位", "100.00", [("财政拨款", "100.00"), ("上年结转", "6.00")], page=31, title="支出总表")
    f = Findings([A, B, again], META, {})
    summary = json.loads(to_json(f))["summary"]
    assert (summary["error"], summary["raw"]["error"], summary["problems"]) == (1, 3, 1)
    assert to_text(f).count("同一差异另见") == 2


@pytest.fixture(scope="module")
def xian():
    return budgetkit.check(budgetkit.read(DATA / "excerpts" / "sn-xian-hrss-2026-budget-summary-twice.pdf"))


def test_xian_units_leave_out_carry_over_once(xian):
    """西安市人社局 pp. 2-3 of the excerpt (PDF pp. 30-31): the 收入总表 printed again under the 支出总表 title. Three
    units' 部门预算/合计 leave out their 上年结转 (60.37, 3.82, 26.38), so the 合计 row misses the units' sum by
    90.57 on both pages: 8 rule findings, one printed discrepancy, headed by the total's gap."""
    assert xian.raw_counts()["error"] == 8 and xian.counts()["error"] == 1
    head = xian.problems[0]
    assert head.rule == "W05" and abs(head.difference) == Decimal("90.57")
    assert sorted(abs(x.difference) for x in head.also if x.rule == "W03") == [Decimal(v) for v in (
        "3.82", "3.82", "26.38", "26.38", "60.37", "60.37")]
    assert "其中3行的差额各等于本行「部门预算/上年结转」列的数：60.37＋26.38＋3.82＝90.57" in head.message


def test_hangzhou_one_gap_in_three_columns():
    """杭州市公安局 收入预算总表 (excerpt pp. 1-2, PDF pp. 21-22): 总计, 本年收入/小计 and 本年收入/一般公共预算 miss the
    units' sum by 1,471.68 / 1,471.66 / 1,471.66 — one gap carried up the columns that add it up."""
    f = budgetkit.check(budgetkit.read(DATA / "excerpts" / "zj-hangzhou-police-2026-budget-p21-p22.pdf"))
    assert f.raw_counts()["error"] == 3 and f.counts()["error"] == 1
    assert sorted(abs(x.difference) for x in [f.problems[0], *f.problems[0].also]) == [
        Decimal("1471.66"), Decimal("1471.66"), Decimal("1471.68")]


def test_a_note_and_a_problem_on_one_amount_name_each_other():
    """Built: a between-table note explains 10.00 as a different measure on the total's cell, where a column-sum
    finding reports the same 10.00 as an error: each names the other, once however often the list is grouped."""
    total = _column("合计", "160.00", [("甲单位", "100.00"), ("乙单位", "50.00")])
    note = Finding("B02", "note", "两表相差 10.00 万元：两者口径不同，不是错误", "differ by 10.00: two measures, not an error",
                   expected=Decimal("150.00"), actual=Decimal("160.00"), unit="万元",
                   locations=[_cell("合计", "合计", "160.00"), _cell("本年支出", "预算数", "150.00", page=29)])
    for _ in range(2):
        f = Findings([total, note], META, {})
    assert note.message.count("另见问题 1（W05，错误）") == 1 and "不解释该问题" in note.message
    assert total.message.count("另见说明 B02") == 1 and "is also problem 1" in note.message_en
    assert f.counts()["error"] == 1 and f.counts()["info"] == 1  # the note is still information, not grouped


def test_xian_note_and_error_agree(xian):
    """西安市人社局 收支总表 (excerpt p.1) prints 本年支出 182,066.56 and 上年结转 90.57; B02 explains the 90.57 to the
    收入总表 合计 182,157.13 as a measure that includes 上年结转 — true of that comparison — while the units' 合计
    leave out their 上年结转 on the 收入总表 itself (W05/W03). The note names the problem; the problem the note."""
    note = next(x for x in xian if x.rule == "B02" and x.status == "note" and "90.57" in x.message)
    assert "另见问题 1（W05, W03，错误）" in note.message and "不解释该问题" in note.message
    assert "另见说明 B02" in xian.problems[0].message
