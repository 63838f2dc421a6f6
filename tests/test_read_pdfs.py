"""Real PDFs from Shanghai and Jiangsu: kinds, units, page merging, coverage, totals."""
from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from budgetkit.diagnostics import placed_share
from conftest import CORPUS, jiangsu, load

SHANGHAI_KINDS = {
    "income_expenditure_summary", "income_summary", "expenditure_summary", "fiscal_appropriation_summary",
    "gpb_expenditure_by_function", "govfund_expenditure", "soe_capital_expenditure",
    "gpb_basic_expenditure_by_economic", "three_public_costs",
}
JIANGSU_KINDS = {
    "income_expenditure_summary", "income_summary", "expenditure_summary", "fiscal_appropriation_summary",
    "fiscal_appropriation_expenditure_by_function", "fiscal_appropriation_basic_by_economic",
    "gpb_expenditure_by_function", "gpb_basic_expenditure_by_economic", "three_public_costs",
    "govfund_expenditure", "operating_costs", "procurement",
}
SHANGHAI = sorted(CORPUS.glob("sh-*.pdf"))


@pytest.mark.parametrize("path", SHANGHAI, ids=lambda p: p.stem)
def test_shanghai_kinds_and_mixed_units(path):
    d = load(path)
    kinds = [t.kind for t in d.tables if t.kind != "unknown"]
    assert set(kinds) == SHANGHAI_KINDS and len(kinds) == len(SHANGHAI_KINDS)
    assert d.meta["family"] == "shanghai" and d.meta["stage"] == "预算"
    units = {t.kind: t.unit for t in d.tables}
    assert units["three_public_costs"] == "万元" and units["income_summary"] == "元"


@pytest.mark.parametrize("year", [2017, 2018, 2019])
def test_jiangsu_two_files_are_one_disclosure(year):
    d = load(jiangsu(year))
    assert {t.kind for t in d.tables} == JIANGSU_KINDS
    assert d.meta["family"] == "jiangsu" and d.meta["year"] == year
    assert [s["file"] for s in d.meta["sources"]] == [p.name for p in jiangsu(year)]
    text_part = d.narrative[d.narrative["file"] == jiangsu(year)[0].name]
    assert len(text_part) > 20 and text_part["page"].notna().all()
    assert text_part["text"].str.contains("万元").any()


def _all_docs():
    return [[p] for p in SHANGHAI] + [jiangsu(y) for y in (2017, 2018, 2019)]


@pytest.mark.parametrize("paths", _all_docs(), ids=lambda ps: ps[-1].stem)
def test_formatted_amounts_in_table_regions_land_in_amounts(paths):
    d = load(paths)
    for p in paths:
        placed, found, missing = placed_share(d, p)
        if found:
            assert placed / found >= 0.995, missing.most_common(5)


def test_multipage_table_is_merged_once_without_repeated_headers(wanli2025):
    exp = wanli2025.tables_of("gpb_expenditure_by_function")
    assert len(exp) == 1
    t = exp[0]
    assert t.pages == [20, 21, 22, 23, 24] and t.continued_pages == 4
    labels = t.frame.iloc[:, 3].tolist()
    assert "功能分类科目名称" not in labels  # repeated header rows dropped
    a = wanli2025.amounts
    totals = a[(a.table_index == t.index) & (a.row_label == "合计")]
    assert totals["amount"].tolist() == [Decimal("189767551"), Decimal("101341746"), Decimal("88425805")]
    # the lone 合计 row on page 18 is joined to the expenditure summary
    es = wanli2025.table("expenditure_summary")
    assert es.pages == [14, 15, 16, 17, 18]


def test_jiangsu_summary_totals_match_the_independent_extraction():
    ref = {}
    with open(CORPUS / "js-provincial-party-office-summary-totals-2017-2019.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ref[int(row[""][:4])] = {k: Decimal(v) for k, v in row.items() if k and v}
    assert set(ref) == {2017, 2018, 2019}
    for year, expected in ref.items():
        d = load(jiangsu(year))
        t = d.table("income_expenditure_summary")
        a = d.amounts[d.amounts.table_index == t.index]
        got = {}
        for label, amount in zip(a["row_label"], a["amount"]):
            key = label.split("、", 1)[-1].lstrip("0123456789.")
            got.setdefault(key, amount)
        for name, value in expected.items():
            assert got.get(name) == value, (year, name, got.get(name), value)


def test_manifest_lists_every_vendored_file_with_its_sha256():
    import hashlib

    data = CORPUS.parent
    with open(data / "MANIFEST.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    listed = {r["path"] for r in rows}
    present = {str(p.relative_to(data)) for p in data.rglob("*") if p.is_file() and p.name != "MANIFEST.csv"}
    assert listed == present
    for r in rows:
        assert hashlib.sha256((data / r["path"]).read_bytes()).hexdigest() == r["sha256"], r["path"]
        assert r["family"] and r["stage"] in ("预算", "决算") and r["source"] and r["year"], r["path"]
