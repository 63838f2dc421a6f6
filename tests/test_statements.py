"""Statements: every figure the narrative states, read as data and recomputed.

The sentences below are copied from real disclosures in data/ (file and page named); the
findings asserted on whole documents were recomputed by hand from the printed page.
"""
from __future__ import annotations

import dataclasses
import time
from decimal import Decimal

import pandas as pd
import pytest

import budgetkit
from budgetkit.tidy.statements import normalise_name, read_sentence
from conftest import CORPUS, jiangsu, load

D = Decimal


def _narrative(text: str) -> pd.DataFrame:
    df = pd.DataFrame([{"file": "t.txt", "page": 1, "section": "一、说明", "text": text}])
    df["page"] = df["page"].astype("Int64")
    return df


def test_execution_base_change_and_percent_form():
    # sh-putuo-wanli-street-2024-budget.pdf p.9 form: 执行数 X, 预算 Y, 比执行数增加 Z, 增长 P%
    s = read_sentence("2025年执行数为348.52万元，2026年预算安排352.67万元，比2025年执行数增加4.15万元，增长1.19%。",
                      9, "", "f")
    money, pct = s.changes
    assert (money.base, money.current.value, money.delta, money.base_from) == (D("348.52"), D("352.67"), D("4.15"),
                                                                               "sentence")
    assert (pct.delta, pct.delta_unit) == (D("1.19"), "%")


def test_per_item_paragraph_in_quotes_and_spaces_inside_numbers():
    # sh-putuo-commerce-2025-budget-dept.pdf: “…（类）…（款）…（项）”166.12万元
    s = read_sentence("“社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）”166.12万元，主要用于机关离退休人员补贴费",
                      1, "", "f")
    ci = s.class_items[0]
    assert (ci["lei"], ci["kuan"], ci["xiang"], ci["mention"].value) == (
        "社会保障和就业支出", "行政事业单位养老支出", "行政单位离退休", D("166.12"))
    # cn-central-xinfang-2026-budget.pdf p.18: "15,291.3 万元" (space before the unit)
    s = read_sentence("支出包括：一般公共服务支出 15,291.3 万元，占 81.65%；", 18, "", "f")
    assert (s.mentions[0].value, s.mentions[0].unit, s.mentions[0].share) == (D("15291.3"), "万元", D("81.65"))
    assert read_sentence("上年结转 0 万元。", 1, "", "f").mentions[0].value == 0
    assert normalise_name("其它支出(项)") == normalise_name("其他支出（项）")


def test_completion_rate_and_item_on_the_next_sentence():
    # cn-central-xinfang-2024-final.pdf p.22: the item ends its sentence, the figures follow
    from budgetkit.tidy.statements import read_statements
    sents = read_statements(_narrative("1.一般公共服务（类）信访事务（款）行政运行（项）。年初预算为 5717.32 万元，"
                                       "支出决算为 5757.63 万元，完成年初预算的100.71%。"))
    s = sents[-1]
    r = s.rates[0]
    assert (r.numerator.value, r.denominator.value, r.pct) == (D("5757.63"), D("5717.32"), D("100.71"))
    assert s.class_items[0]["xiang"] == "行政运行" and s.class_items[0]["mention"].value == D("5757.63")


def _with_narrative(d, text):
    e = dataclasses.replace(d, narrative=_narrative(text))
    e.__dict__.pop("_sentences", None)
    return e


def test_recomputations_on_the_seed_tables(seed):
    text = ("2023年一般公共预算当年拨款0万元，比上年增加1421.25万元。"
            "公务接待费2.80万元，比2023年预算3.3万元下降0.5万元。"
            "机关运行经费76.85万元，比上年增加9.59万元，增长14.26%。"
            "机关运行经费76.85万元，比上年增加9.59万元，增长18.00%。")
    f = budgetkit.check(_with_narrative(seed, text))
    n09 = [x for x in f if x.rule == "N09"]
    assert len(n09) == 1 and n09[0].actual == D("1421.25")  # 0 万元 cannot have increased
    n04 = [x for x in f if x.rule == "N04" and x.status == "fail"]
    assert len(n04) == 1 and n04[0].actual == 2023  # a 2023 budget compared with 2023年预算
    n03 = [x for x in f if x.rule == "N03" and x.status in ("fail", "review")]
    # 9.59 ÷ (76.85 − 9.59) = 14.26%: passes; 18.00% does not
    assert [(x.expected, x.actual) for x in n03] == [(D("14.26"), D("18.00"))]
    assert "疑为复制" not in n03[0].message


def test_a_long_sentence_is_checked_in_linear_time(seed):
    text = ("一般公共服务支出（类）商贸事务（款）行政运行比上年增加1万元，" * 3000)[:100_000]
    t = time.perf_counter()
    budgetkit.check(_with_narrative(seed, text))
    assert time.perf_counter() - t < 20


def test_statements_frame_and_coverage(seed, seed_pdf):
    st = budgetkit.statements(seed)
    assert {"amount", "change", "item"} <= set(st["kind"])
    row = st[(st["kind"] == "change") & (st["base"] == D("3.3"))].iloc[0]
    assert (row["value"], row["unit"], row["direction"]) == (D("10"), "%", "下降")
    f_txt, f_pdf = budgetkit.check(seed), budgetkit.check(seed_pdf)
    c = f_txt.statement_coverage
    assert c["stated"] == c["passed"] + c["failed"] + c["not_checked"] and c["failed"] >= 10
    assert all(u["reason"] and u["reason_en"] for u in c["unchecked"])
    narrative = lambda f: sorted((x.rule, x.severity, x.expected, x.actual) for x in f  # noqa: E731
                                 if x.family == "narrative" and x.severity in ("error", "warning"))
    assert narrative(f_txt) == narrative(f_pdf)  # the same discrepancies from the text and the PDF rendering


@pytest.fixture(scope="module")
def js2019():
    return budgetkit.check(load(jiangsu(2019)))


def test_jiangsu_2019_hand_checked(js2019):
    """Recomputed from the printed pages of js-provincial-party-office-2019-budget-text.pdf."""
    # the base is not printed (current − change): a reading inference, so status review, never error
    n03 = {(x.locations[0]["page"], x.expected, x.actual) for x in js2019 if x.rule == "N03" and x.status == "review"}
    # p.8: 3,894.09 万元, 比上年增加878.93万元，增长30% → 878.93 ÷ 3,015.16 = 29.15%
    # p.9: 9,370.12 万元, 比上年增加1297.83万元，增长16.07% → 1297.83 ÷ 8,072.29 = 16.08%
    assert n03 == {(8, D("29.15"), D("30")), (9, D("16.08"), D("16.07"))}
    assert not [x for x in js2019 if x.rule == "N10"]  # the year of the 2019 renaming itself is not judged


def test_xinfang_2026_hand_checked():
    f = budgetkit.check(load(CORPUS / "cn-central-xinfang-2026-budget.pdf"))
    # p.25: 1,391.68 万元, 比2025年预算增加333.83万元，增长31.35% → 333.83 ÷ 1,057.85 = 31.56%
    assert any(x.rule == "N03" and x.locations[0]["page"] == 25 and x.expected == D("31.56")
               and x.actual == D("31.35") for x in f)
    c = f.statement_coverage
    assert c["stated"] > 40 and c["passed"] + c["failed"] > c["stated"] / 2
