"""One printed discrepancy, one problem: findings of several rules and columns on the same wrong figure are
counted once and listed together; findings on different cells, or of different sizes, stay apart."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

import budgetkit
from budgetkit.check.findings import Finding, Findings
from budgetkit.report import to_html, to_json, to_markdown, to_text


def _cell(table, row, col, raw, page=4):
    return {"file": "x.pdf", "page": page, "table_no": None, "table_title": table, "row_label": row,
            "column_label": col, "raw": raw}


TOTAL = _cell("财政拨款收支预算总表", "一、本年支出", "合计", "1,149.80")
ITEM = _cell("财政拨款收支预算总表", "社会保障和就业支出", "合计", "1,055.76")
ITEM_GPB = _cell("财政拨款收支预算总表", "社会保障和就业支出", "一般公共预算", "1,065.53")
OTHER = _cell("部门收支总表", "社会保障和就业支出", "预算数", "1,065.53", page=3)
HEALTH = _cell("财政拨款收支预算总表", "卫生健康支出", "合计", "84.27")


def _f(rule, expected, actual, cells, status="fail"):
    return Finding(rule, status, f"{rule} 不一致", f"{rule} differs", expected=Decimal(expected),
                   actual=Decimal(actual), unit="万元", locations=cells)


def test_one_wrong_cell_seen_by_three_rules_is_one_problem(seed):
    """A built case: 1,055.76 printed where 1,065.53 belongs — the column sum (W02), the row (W03) and the other
    table (B01) each see it, by the same 9.77 on the same cell: one problem naming all three rules."""
    items = [_f("W02", "1149.80", "1140.03", [TOTAL, ITEM, HEALTH]), _f("W03", "1055.76", "1065.53", [ITEM, ITEM_GPB]),
             _f("B01", "1065.53", "1055.76", [ITEM, OTHER])]
    f = Findings(items, seed.meta, {})
    assert f.counts()["error"] == 1 and f.raw_counts()["error"] == 3
    head = f.problems[0]
    assert head.rule == "W03" and [x.rule for x in head.also] == ["B01", "W02"]  # fewest cells heads the group
    text = to_text(f)
    assert "[W03, B01, W02 错误/error 不一致]" in text and "同一差异另见" in text
    assert "错误 1 / errors" in text.splitlines()[0] and "错误 3" in text.splitlines()[0]
    summary = json.loads(to_json(f))["summary"]
    assert (summary["error"], summary["raw"]["error"], summary["problems"]) == (1, 3, 1)
    assert {x["problem"] for x in json.loads(to_json(f))["findings"]} == {1}
    assert "W03, B01, W02" in to_markdown(f) and "also seen by" in to_html(f)


def test_different_cells_or_sizes_stay_apart(seed):
    """The same difference on cells with nothing in common, or the same cell off by another amount, are two
    problems; so are findings with no difference, and rounding differences."""
    far = _cell("一般公共预算支出预算表", "社会保险经办机构", "合计", "483.81", page=6)
    far2 = _cell("部门支出总表", "社会保险经办机构", "合计", "493.58", page=5)
    items = [_f("W03", "1055.76", "1065.53", [ITEM, ITEM_GPB]), _f("B01", "493.58", "483.81", [far, far2]),
             _f("W02", "1149.80", "1139.03", [TOTAL, ITEM]),  # the same cell, off by 10.77: another problem
             Finding("N06", "fail", "名称不一致", "names differ", locations=[ITEM]),
             Finding("N06", "fail", "名称不一致", "names differ", locations=[ITEM]),
             _f("W01", "1.00", "1.01", [ITEM], status="rounding")]
    f = Findings(items, seed.meta, {})
    assert len(f.problems) == len(items) and f.counts() == f.raw_counts()
    assert all(not x.also and x.same_as is None for x in f)


@pytest.fixture(scope="module")
def seed_findings(seed):
    return budgetkit.check(seed)


def test_the_seed_counts_its_discrepancies_once(seed_findings):
    """data/seed: 15 errors by rule are 11 printed problems. 财政拨款收支预算总表 (公开表2) prints 社会保障和就业支出
    1,055.76 in 支出/合计 where its 一般公共预算 column and 部门收支总表 print 1,065.53; 一般公共预算支出预算表 (公开表3)
    prints 社会保险经办机构 483.81 where its 当年财政拨款安排 and 部门支出总表 print 493.58 — each seen by W03, B01 and
    W02 (the 合计 column then misses 1,149.80 by 9.77). Nothing else is grouped."""
    f = seed_findings
    assert f.raw_counts() == {"error": 15, "warning": 27, "review": 0, "info": 10}
    assert f.counts() == {"error": 11, "warning": 27, "review": 0, "info": 10}
    groups = [(x.rule, [a.rule for a in x.also], x.expected, x.actual) for x in f.problems if x.also]
    assert groups == [("W03", ["B01", "W02"], Decimal("1055.76"), Decimal("1065.53")),
                      ("W03", ["B01", "W02"], Decimal("483.81"), Decimal("493.58"))]
    for x in f.problems:
        for a in x.also:
            assert abs(a.difference) == abs(x.difference) == Decimal("9.77")


def test_reports_open_on_errors_and_fold_information(seed_findings):
    """Errors, then warnings, then information (not evaluated last among them); the HTML folds information."""
    text = to_text(seed_findings)
    order = [text.index(h) for h in ("=== 错误 / errors（11）===", "=== 警告 / warnings（27）===",
                                     "=== 提示与未评估 / information and not evaluated（10）===")]
    assert order == sorted(order)
    assert text.index("[N12 提示/info 未评估]") > order[2]
    assert [x.severity for x in seed_findings][:11] == ["error"] * 11
    page = to_html(seed_findings)
    assert page.index("<details>") > page.index("警告 / warnings") and page.count("<details>") == 1
    assert "31.000000" not in page and "<td>31.00</td>" in page  # B05's target budget as the page prints it


def test_the_store_counts_problems(tmp_path):
    """The store keeps every rule's finding with the number of its discrepancy: the seed's 15 error rows are 11
    problems."""
    import budgetkit.store
    from conftest import SEED_TXT

    budgetkit.store.build([SEED_TXT], tmp_path / "s", workers=1, progress=False)
    con = budgetkit.store.open(tmp_path / "s")
    rows, problems = con.execute("SELECT count(*), count(DISTINCT problem) FROM findings "
                                 "WHERE severity = 'error'").fetchone()
    assert (rows, problems) == (15, 11)
