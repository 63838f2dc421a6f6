"""What a reader sees names no internal key and counts no guess as a failure: a duplicate column's key
(``支出/预算数#3``) is said as the page's header with its place, and a sentence whose findings all rest on a reading
guess is counted under review (待核对) in the statements line, not as failed (不一致)."""
from __future__ import annotations

import json

import budgetkit
from budgetkit.check.findings import Finding, Findings, shown_columns
from budgetkit.report import to_html, to_json, to_text
from conftest import DATA

EXCERPTS = DATA / "excerpts"


def test_a_duplicate_column_key_is_said_in_words():
    """Built: the third column headed 支出/预算数 is keyed 支出/预算数#3 in the frames; messages and report cells say
    「支出/预算数（同名第3列）」."""
    assert shown_columns("收支总表「支出/预算数#3」列") == "收支总表「支出/预算数（同名第3列）」列"
    assert shown_columns("column '支出/预算数#3': rows", en=True) == "column '支出/预算数 (column 3 of that name)': rows"
    cell = {"file": "x.pdf", "page": 3, "table_title": "收支总表", "row_label": "合计", "column_label": "支出/预算数#3",
            "raw": "5.00"}
    f = Findings([Finding("W02", "not_evaluated", "未评估：「支出/预算数#3」列", "column '支出/预算数#3'",
                          locations=[cell])], {"doc_id": "x"}, {})
    for out in (to_text(f), to_html(f)):
        assert "预算数#3" not in out and "同名第3列" in out
    assert json.loads(to_json(f))["findings"][0]["locations"][0]["column_label"] == "支出/预算数#3"  # data unchanged


def test_xian_summary_table_columns_have_no_internal_key():
    """西安市人社局 收支总表 (excerpt p.1, PDF p.29) prints 预算数 under 支出 more than once: the W02 note names the
    column in words."""
    f = budgetkit.check(budgetkit.read(EXCERPTS / "sn-xian-hrss-2026-budget-summary-twice.pdf"))
    text = to_text(f)
    assert "「支出/预算数（同名第3列）」" in text
    assert not [x.message for x in f if "#" in x.message + x.message_en]


def test_statements_to_review_are_not_counted_failed():
    """西安市人社局 p.23 (excerpt p.1): 「“三公”经费预算较上年总体降低 38.17万元」 and 「公务接待费较上年降低 1.17万元」
    are compared with the 2019 column of the p.49 三公 table on a guess (the text does not say which of last
    year's figures it means): both findings are review, so the statements line says 待核对 2, 不一致 0."""
    f = budgetkit.check(budgetkit.read(EXCERPTS / "sn-xian-hrss-2026-budget-three-public-changes.pdf"))
    c = f.statement_coverage
    assert [x.status for x in f if x.rule == "N03" and x.status in ("fail", "review")] == ["review", "review"]
    assert (c["failed"], c["review"]) == (0, 2)
    line = to_text(f).splitlines()[1]
    assert "不一致 0 / failed, 待核对 2 / review" in line
