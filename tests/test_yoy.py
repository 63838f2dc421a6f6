"""Year over year: stated changes in one disclosure, and panels across years."""
from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
import pytest

import budgetkit
from budgetkit.yoy import stated_changes
from conftest import CORPUS, jiangsu, load
from test_rules_synthetic import disclosure


def test_seed_stated_prior_year_figures(seed):
    s = stated_changes(seed)
    bases = sorted({b for b in s["base"].dropna()})
    assert bases == [Decimal("3.3"), Decimal("67.26"), Decimal("1013.5"), Decimal("1149.80")]
    total = s[(s["base"] == Decimal("1013.5")) & (s["base_year"] == 2022)].iloc[0]
    assert (total["current"], total["delta"], total["recomputed_delta"]) == (
        Decimal("1149.80"), Decimal("136.3"), Decimal("136.30"))
    reception = s[s["base"] == Decimal("3.3")].iloc[0]
    assert reception["recomputed_pct"] == Decimal("-15.15") and reception["delta"] == Decimal("10")
    f = budgetkit.check(seed)
    n07 = [x.message for x in f if x.rule == "N07"]
    assert any("2021、2022" in m for m in n07) and any("1,013.50、1,149.80" in m for m in n07)
    assert any(x.rule == "N03" and "增长 0.70万元" in x.message and x.actual == Decimal("0.70") for x in f)


@pytest.fixture(scope="module")
def jiangsu_panel():
    return budgetkit.compare([load(jiangsu(y)) for y in (2017, 2018, 2019)])


def test_jiangsu_series_is_aligned_by_code(jiangsu_panel):
    p = jiangsu_panel
    assert p.years == [2017, 2018, 2019] and p.unit == "万元"
    L = p.lines
    wage = L[(L.table_kind == "fiscal_appropriation_basic_by_economic") & (L.code == "30101")].iloc[0]
    assert (wage.value_2017, wage.value_2018, wage.value_2019) == (Decimal("1309.12"), Decimal("1475.07"),
                                                                   Decimal("1581.26"))
    assert (wage.change_2018, wage.pct_2018) == (Decimal("165.95"), Decimal("12.68"))
    pension = L[(L.table_kind == "fiscal_appropriation_basic_by_economic") & (L.code == "30108")].iloc[0]
    assert pension.status == "new" and pension.value_2017 is None and "no line the year before" in pension.note_2018


def test_each_years_statements_are_checked_against_the_previous_year(jiangsu_panel):
    """Hand-checked: 2018 says 基本支出 10403.11, +439.04 (+4.41%) on 2017's 9964.07; both years agree."""
    p = jiangsu_panel
    assert p.evaluated >= 10
    assert [x for x in p.statements if x.severity == "error"] == []
    b = p.lines[(p.lines.table_kind == "gpb_basic_expenditure_by_economic") & (p.lines.label == "合计")].iloc[0]
    assert (b.value_2017, b.value_2018, b.change_2018) == (Decimal("9964.07"), Decimal("10403.11"), Decimal("439.04"))
    s2019 = stated_changes(load(jiangsu(2019)))
    assert len(s2019) >= 10  # 2019 states its changes too, and they were checked above


def test_wanli_statements_match_within_rounding():
    """2025 says +3,355.65 万元; 189,767,551 − 156,211,123 元 = 3,355.6428 万元: rounding, not an error."""
    p = budgetkit.compare([load(CORPUS / f"sh-putuo-wanli-street-{y}-budget.pdf") for y in (2024, 2025)])
    assert p.unit == "元" and p.statements
    assert all(x.status == "rounding" and x.severity == "info" for x in p.statements)
    assert p.value("expenditure_summary", "212", 2025) == Decimal("154369326")


def _two_years(tmp_path, rows24, rows25):
    EXP = [["项目", "", "", "", "合计"], ["科目编码", "", "", "科目名称", ""], ["类", "款", "项", "", ""]]
    docs = []
    for year, rows in ((2024, rows24), (2025, rows25)):
        sub = tmp_path / str(year)
        sub.mkdir()
        d = disclosure(sub, f"测试单位{year}年部门预算", ("部门支出总表（公开表1-2）", EXP + rows))
        docs.append(d)
    return docs


def test_renamed_recoded_zero_and_missing_lines(tmp_path):
    d24, d25 = _two_years(
        tmp_path,
        [["", "", "", "合计", "30.00"], ["208", "05", "01", "归口管理的行政单位离退休", "10.00"],
         ["208", "99", "01", "旧科目", "20.00"], ["221", "02", "01", "住房公积金", "0.00"]],
        [["", "", "", "合计", "45.00"], ["208", "05", "01", "行政单位离退休", "12.00"],
         ["208", "99", "99", "旧科目", "21.00"], ["221", "02", "01", "住房公积金", "5.00"],
         ["213", "01", "01", "行政运行", "7.00"]])
    corr = pd.DataFrame([{"scheme": "function", "old_code": "2089901", "new_code": "2089999", "from_year": "2025",
                          "old_name": "旧科目", "new_name": "旧科目", "note": "test"}])
    p = budgetkit.compare([d24, d25], correspondence=corr)
    L = p.lines.set_index("code")
    assert L.loc["2080501", "label"] == "行政单位离退休" and L.loc["2080501", "change_2025"] == Decimal("2.00")
    assert L.loc["2089999", "value_2024"] == Decimal("20.00") and L.loc["2089999", "status"] == "continuing"
    assert L.loc["2210201", "pct_2025"] is None and "base is zero" in L.loc["2210201", "note_2025"]
    assert L.loc["2130101", "status"] == "new" and L.loc["2130101", "pct_2025"] is None
    doc = json.loads(p.to_json())
    assert set(doc) == {"documents", "lines", "statements"}
    line = next(x for x in doc["lines"] if x["code"] == "2210201")
    assert line["changes"]["2025"] == {"amount": "5.00", "pct": None, "note": "上年为零，无增幅 / base is zero: no percentage"}
    def no_constants(name):
        raise AssertionError(f"{name} in JSON")

    strict = json.loads(p.to_json(), parse_constant=no_constants)  # no NaN / Infinity anywhere
    for x in strict["lines"]:
        for ch in x["changes"].values():
            assert ch["pct"] is None or Decimal(ch["pct"]).is_finite()
            assert ch["note"] is None or isinstance(ch["note"], str)
    # without the correspondence the recoded line is still matched by its label
    p2 = budgetkit.compare([d24, d25])
    assert p2.lines.set_index("code").loc["2089999", "status"] == "continuing"


def test_compare_needs_distinct_years(tmp_path):
    d24, _ = _two_years(tmp_path, [["", "", "", "合计", "1.00"]], [["", "", "", "合计", "1.00"]])
    with pytest.raises(budgetkit.BadInputError):
        budgetkit.compare([d24, d24])


def test_compare_cli_json(tmp_path):
    from budgetkit.cli import main

    a, b = (str(CORPUS / f"sh-putuo-wanli-street-{y}-budget.pdf") for y in (2024, 2025))
    assert main(["compare", a, b, "--format", "json", "--out", str(tmp_path / "p.json")]) == 0
    doc = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert [d["year"] for d in doc["documents"]] == [2024, 2025]
    line = next(x for x in doc["lines"] if x["table_kind"] == "expenditure_summary" and x["code"] == "212")
    assert line["values"] == {"2024": "119385303", "2025": "154369326"} and line["status"] == "continuing"
    assert line["changes"]["2025"]["amount"] == "34984023"


def test_a_line_missing_from_a_middle_year_is_a_gap_not_continuing(jiangsu_panel):
    """江苏省委办公厅 财政拨款基本支出表: 30299 其他商品和服务支出 prints 24.00 (2017 p.6) and 50.00 (2019 p.6) and is
    not on 2018's table (p.8): a gap, whose change across it (2017→2019 +26.00, +108.33%) is given apart from
    the year-on-year columns, which stay blank."""
    from budgetkit.report.panel import to_text

    L = jiangsu_panel.lines
    x = L[(L.table_kind == "fiscal_appropriation_basic_by_economic") & (L.code == "30299")].iloc[0]
    assert x.status == "gap" and x.missing_years == [2018]
    assert (x.across_from, x.across_to, x.change_across, x.pct_across) == (2017, 2019, Decimal("26.00"),
                                                                            Decimal("108.33"))
    assert x.change_2018 is None and x.change_2019 is None and "no line in 2018" in x.note_2018
    assert (x.page_2017, x.page_2019) == (6, 6) and pd.isna(x.page_2018)
    line = next(s for s in to_text(jiangsu_panel).splitlines() if "30299" in s and "财政拨款基本" in s)
    assert "中断：2018年无此项；2017→2019 +26.00（+108.33%）" in line and "延续" not in line
    assert "p.6 · – · p.6" in line
    d = next(d for d in jiangsu_panel.to_dict()["lines"] if d["code"] == "30299")
    assert d["across"] == {"from": 2017, "to": 2019, "amount": "26.00", "pct": "108.33"}


def test_a_one_row_summary_table_is_named_by_its_total_column(jiangsu_panel):
    """支出预算总表 prints one unnamed row under 合计 | 基本支出 | …: 20,849.45 (2017 p.3), 24,458.43 (2018 p.5),
    27,664.22 (2019 p.3). The line is 「合计」, with the page of each figure in the text report."""
    from budgetkit.report.panel import to_text

    L = jiangsu_panel.lines
    x = L[L.table_kind == "expenditure_summary"]
    assert list(x.label) == ["合计"]
    x = x.iloc[0]
    assert (x.value_2017, x.value_2018, x.value_2019) == (Decimal("20849.45"), Decimal("24458.43"), Decimal("27664.22"))
    assert (x.page_2017, x.page_2018, x.page_2019) == (3, 5, 3)
    line = next(s for s in to_text(jiangsu_panel).splitlines() if s.startswith("支出总表"))
    assert "合计" in line and line.rstrip().endswith("p.3 · p.5 · p.3")
