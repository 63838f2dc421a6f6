"""TS-T03 (locally required extra tables) names kinds the recogniser gives: an id it never gives counts nothing."""
from __future__ import annotations

import csv
from pathlib import Path

import budgetkit
from budgetkit.score.items_tables import EXTRA
from conftest import CORPUS

KINDS = Path(budgetkit.__file__).parent / "reference" / "table_kind_names.csv"


def test_every_extra_table_kind_is_a_kind_the_reader_knows():
    with open(KINDS, encoding="utf-8") as fh:
        known = {r["kind"] for r in csv.DictReader(fh)}
    assert set(EXTRA) <= known, set(EXTRA) - known


def test_beijing_s_government_purchased_services_table_counts_as_an_extra_table():
    """北京市财政局 2026 预算11表 财政拨款政府购买服务明细表 (tables file p.16) is one of its local extra tables."""
    d = budgetkit.read([CORPUS / "bj-city-finance-2026-budget-tables.pdf", CORPUS / "bj-city-finance-2026-budget-text.pdf"])
    t03 = next(i for i in budgetkit.score(d).items if i.id == "TS-T03")
    assert "政府购买服务预算表" in t03.why
    assert any(e.get("page") == 16 and "政府购买服务" in e.get("table", "") for e in t03.evidence)
