"""Scorecard items that look for what a table prints: an SME figure in a column beside the procurement total
(TS-N09), and source columns printed with a variant spelling (TS-G04)."""
from __future__ import annotations

import copy

import budgetkit
from budgetkit.score import score

from conftest import DATA

EXCERPTS = DATA / "excerpts"
SHENZHEN_SME = EXCERPTS / "gd-shenzhen-xinfang-2026-budget-sme-column.pdf"


def _item(s, id_):
    return next(i for i in s.items if i.id == id_)


def test_sme_amount_printed_in_a_table_column_is_stated():
    """深圳市信访局 (excerpt p. 2 = PDF p. 18): 支出总表 prints 其中：2026年政府采购项目中预留给中小企业的项目资金规模
    156.69 万元 beside 政府采购项目/小计 1,100.30; the text (p. 1 = PDF p. 8) states the procurement total only."""
    d = budgetkit.read(SHENZHEN_SME)
    n09 = _item(score(d), "TS-N09")
    assert n09.level == 100 and n09.evidence[0]["page"] == 2 and "156.69 万元" in n09.evidence[0]["quote"]


def test_without_the_sme_column_the_same_document_scores_0():
    """Built from the same excerpt: the SME columns' figures taken out, the text still states a procurement
    total (1,100.30 万元) and no SME figure — 0, not N/A."""
    d = copy.copy(budgetkit.read(SHENZHEN_SME))
    a = d.amounts
    d.amounts = a[~a["column_label"].astype(str).str.contains("中小企业|小型、微型企业")]
    n09 = _item(score(d), "TS-N09")
    assert n09.level == 0 and "未见" in n09.why
