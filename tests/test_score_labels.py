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


def test_other_income_spelled_其它_is_the_source_其他收入():
    """长沙市信访局 (data/corpus, p. 13): 2026年部门收入总体情况表 prints the column 「其它收入」 beside 事业收入 and
    本级财政拨款: all four sources are listed."""
    d = budgetkit.read(DATA / "corpus" / "hn-changsha-xinfang-2026-budget.pdf")
    g04 = _item(score(d), "TS-G04")
    assert g04.level == 100 and "其他收入" in g04.why and g04.evidence[0]["page"] == 13


def test_printed_variants_of_a_source_label_read_as_one(seed):
    """Built from the seed's 收入总表 alone (its 收支总表 set aside): 其他收入 printed 「其它收入」 and 上年结转 as
    「上年 结转」 — the same four sources, the same level; with the column gone, one source is missing."""
    d = copy.deepcopy(seed)
    d.tables = [t for t in d.tables if t.kind != "income_expenditure_summary"]
    assert _item(score(d), "TS-G04").level == 100
    t = next(t for t in d.tables if t.kind == "income_summary")
    names = {"其他收入": "其它收入", "上年结转": "上年 结转"}
    t.frame = t.frame.rename(columns=names)
    t.column_roles = {names.get(k, k): v for k, v in t.column_roles.items()}
    assert _item(score(d), "TS-G04").level == 100
    t.frame = t.frame.drop(columns=["其它收入"])
    g04 = _item(score(d), "TS-G04")
    assert g04.level == 67 and "未见：其他收入" in g04.why


def test_a_missing_indicator_reads_as_missing_not_as_a_disagreement():
    """烟台市统计局 (excerpt p. 1 = printed p. 30): 「实施公车统管费用」 prints 成本, 产出 and 效益 and no 满意度 at
    either level. P02 says 缺少 / missing in every report, and names no indicator level the template does not use;
    a comparison's failure still reads 不一致."""
    from budgetkit.check.findings import status_words
    from budgetkit.report import to_html, to_markdown, to_text

    f = budgetkit.check(budgetkit.read(EXCERPTS / "yantai-stats-2026-targets.pdf"))
    p02 = [x for x in f if x.rule == "P02"]
    assert p02 and all(status_words(x) == ("缺少", "missing") for x in p02)
    assert "（一级、二级指标均未列出）" in p02[0].message and "一级指标「" not in p02[0].message
    text = to_text(f)
    line = next(s for s in text.splitlines() if "实施公车统管费用" in s)
    assert "缺少]" in line and "不一致" not in line
    assert "缺少 / missing" in to_markdown(f) and "缺少 / missing" in to_html(f)
    from budgetkit.explore.display import findings as findings_table

    table = findings_table(f)
    assert set(table.loc[table["规则 / rule"] == "P02", "状态 / status"]) == {"缺少 / missing"}
    from budgetkit.check.findings import Finding

    assert status_words(Finding("W02", "fail", "合计不等", "total differs")) == ("不一致", "fail")
    assert status_words(Finding("P02", "review", "待核对", "review")) == ("待核对", "review")
