"""The Sichuan seed (Word-export text): kinds, every amount cell, exact values."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest

from conftest import SEED_TXT

SICHUAN_KINDS = {
    "公开表1": "income_expenditure_summary", "公开表1-1": "income_summary", "公开表1-2": "expenditure_summary",
    "公开表2": "fiscal_appropriation_summary", "公开表2-1": "fiscal_appropriation_expenditure_by_economic",
    "公开表3": "gpb_expenditure_by_function", "公开表3-1": "gpb_basic_expenditure_by_economic",
    "公开表3-2": "project_expenditure", "公开表3-3": "three_public_costs", "公开表4": "govfund_expenditure",
    "公开表4-1": "govfund_three_public_costs", "公开表5": "soe_capital_expenditure",
    "公开表6": "performance_targets", "公开表7": "overall_performance_targets", "公开表8": "procurement",
}


def test_every_sichuan_table_is_recognised_with_its_number(seed):
    assert {t.table_no: t.kind for t in seed.tables} == SICHUAN_KINDS
    assert seed.meta["family"] == "sichuan"
    assert seed.meta["year"] == 2023 and seed.meta["stage"] == "预算"
    assert {"code": "316002", "name": "乐山市市中区社会保险事务中心"} in seed.meta["units"]


def test_every_amount_cell_lands_in_amounts(seed):
    """Every two-decimal figure printed in a table cell is in .amounts (100%)."""
    printed = Counter()
    for line in SEED_TXT.read_text(encoding="utf-8").splitlines():
        if line.startswith("\t"):
            t = line[1:].strip()
            if re.fullmatch(r"\d{1,3}(,\d{3})*\.\d{2}|\d+\.\d{2}", t):
                printed[t] += 1
    placed = Counter(str(r).strip() for r in seed.amounts["raw"])
    assert sum(printed.values()) >= 250
    assert printed - placed == Counter()
    assert seed.residue.empty


def _one(d, **where):
    a = d.amounts
    for k, v in where.items():
        a = a[a[k] == v]
    assert len(a) == 1, (where, a)
    return a.iloc[0]


def test_fiscal_summary_keeps_the_printed_disagreement(seed):
    """公开表2: 社会保障和就业支出 合计 1,055.76 but 一般公共预算 1065.53, exactly as printed."""
    total = _one(seed, table_no="公开表2", row_label="社会保障和就业支出", column_label="支出/合计")
    gpb = _one(seed, table_no="公开表2", row_label="社会保障和就业支出", column_label="支出/一般公共预算")
    assert total["amount"] == Decimal("1055.76") and total["raw"] == "1,055.76"
    assert gpb["amount"] == Decimal("1065.53")
    assert total["unit"] == "万元" and total["amount_yuan"] == Decimal("10557600")


def test_split_codes_become_one_code_with_level(seed):
    r = _one(seed, table_no="公开表1-2", code="2080109", column_label="合计")
    assert r["code_level"] == "项" and r["row_label"] == "社会保险经办机构"
    assert r["amount"] == Decimal("493.58") and r["unit_code"] == "316002"
    # economic codes printed as 类 | 款 → 5 digits, level 款
    r = _one(seed, table_no="公开表3-1", code="30217", column_label="基本支出/公用经费")
    assert r["row_label"] == "公务接待费" and r["amount"] == Decimal("2.80") and r["code_scheme"] == "economic"


def test_multi_row_headers_become_label_paths(seed):
    t = next(t for t in seed.tables if t.table_no == "公开表2-1")
    assert "区级当年财政拨款安排/一般公共预算拨款/基本支出" in t.frame.columns
    r = _one(seed, table_no="公开表2-1", code="30106",
             column_label="区级当年财政拨款安排/一般公共预算拨款/项目支出")
    assert r["amount"] == Decimal("4.35")
    three = next(t for t in seed.tables if t.table_no == "公开表3-3")
    assert "当年财政拨款预算安排/公务用车购置及运行费/公务用车运行费" in three.frame.columns


def test_amounts_are_exact_decimals_that_never_drift(seed):
    import pyarrow as pa

    a = seed.amounts
    assert isinstance(a["amount"].dtype.pyarrow_dtype, pa.Decimal128Type)
    rows = a[(a.table_no == "公开表2-1") & (a.code_level == "款")
             & (a.column_label == "区级当年财政拨款安排/一般公共预算拨款/基本支出")]
    assert sum(rows["amount"], Decimal(0)) == Decimal("729.79")


def test_narrative_paragraphs_keep_their_sections(seed):
    n = seed.narrative
    hit = n[n.text.str.contains("公务接待费2.80万元，较2022年预算3.3万元下降10%")]
    assert len(hit) == 1
    assert n.text.str.contains("卫生健康支出71.95万元").any()


def test_seed_text_and_rendered_pdf_give_the_same_amounts(seed, seed_pdf):
    cols = ["table_kind", "table_no", "row_label", "code", "column_label", "amount", "unit"]
    a = seed.amounts[cols].astype(str).sort_values(cols).reset_index(drop=True)
    b = seed_pdf.amounts[cols].astype(str).sort_values(cols).reset_index(drop=True)
    assert len(a) == len(b) == 297
    assert a.equals(b)
    assert seed_pdf.amounts["page"].notna().all()


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_word_and_excel_renderings_give_the_same_amounts(seed, suffix):
    """The seed rendered as Word (scripts/render_seed.py) and Excel (scripts/render_seed_xlsx.py)."""
    import budgetkit

    d = budgetkit.read(SEED_TXT.with_suffix(suffix))
    cols = ["table_kind", "table_no", "row_label", "code", "column_label", "amount", "unit"]
    a = seed.amounts[cols].astype(str).sort_values(cols).reset_index(drop=True)
    b = d.amounts[cols].astype(str).sort_values(cols).reset_index(drop=True)
    assert a.equals(b)
    assert set(SICHUAN_KINDS) <= {t.table_no for t in d.tables}
