"""Widget callbacks in plain pytest: no browser needed.

Every widget is rendered untouched first and its first view asserted (a meaningful selection, never an
empty list), then after each change.
"""
from __future__ import annotations

import pytest

import budgetkit
from budgetkit.explore import display, widgets
from conftest import CORPUS, load


@pytest.fixture(scope="module")
def seed_findings(seed):
    return budgetkit.check(seed)


@pytest.fixture(scope="module")
def wanli_panel():
    return budgetkit.compare([load(CORPUS / f"sh-putuo-wanli-street-{y}-budget.pdf") for y in (2024, 2025)])


def test_explorer_first_view_and_changes(seed):
    e = widgets.Explorer({"seed": seed})
    # untouched: the first document, all units, the first recognised table, as printed
    assert e.last_error is None and e.doc.value == "seed" and e.unit.value == widgets.ALL
    assert e.table.value == seed.tables[0].index
    first = e.printed.value
    assert "部门收支总表" in first and "1,149.80" in first
    assert "收支总表 / Income and expenditure summary" in dict((v, k) for k, v in e.table.options)[e.table.value]
    # tidy rows as printed: unit in the header, separators, no None/NaN/<NA>, no six decimals
    assert "金额（万元）/ amount (万元)" in e.tidy.value and "1,149.80" in e.tidy.value
    for junk in ("None", "NaN", "&lt;NA&gt;", "<NA>", "1149.800000"):
        assert junk not in e.tidy.value, junk
    assert len(e.chart_out.outputs) == 2  # function and economic composition
    target = next(v for label, v in e.table.options if "公开表2-1" in label)
    e.table.value = target
    assert e.printed.value != first and "财政拨款支出预算表" in e.printed.value
    assert "30217" in e.tidy.value  # the tidy rows of the chosen table
    e.unit.value = "乐山市市中区社会保险事务中心"
    assert e.last_error is None and "30217" in e.tidy.value


def test_explorer_errors_go_to_the_output_widget(seed):
    e = widgets.Explorer({"seed": seed})
    e.disclosures["seed"] = None  # a broken state: the next callback fails
    e.table.value = e.table.options[1][1]
    assert e.last_error and "AttributeError" in e.last_error
    assert e.errors.outputs  # shown to the user


def test_findings_browser_first_view_filters_and_evidence(seed_findings):
    f = seed_findings
    b = widgets.FindingsBrowser(f)
    # untouched: every finding listed, the first one selected and its evidence shown
    assert len(b.visible()) == len(f) and b.list.value == 0
    assert f[0].message[:20] in b.detail.value and "<table" in b.detail.value
    assert "待核对 / review" in [label for label, _ in b.severity.options]
    b.severity.value = "error"
    assert b.visible() and all(x.severity == "error" for x in b.visible()) and b.list.value == 0
    b.family.value = "narrative"
    assert all(x.family == "narrative" for x in b.visible())
    quoted = next(i for i, x in enumerate(b.visible()) if "71.95" in x.message)
    b.list.value = quoted
    assert "卫生健康支出71.95万元" in b.detail.value  # the quote behind the finding
    b.family.value = "within"
    b.list.value = 0
    assert "<table" in b.detail.value and "1,055.76" in b.detail.value
    assert "None" not in b.detail.value and "nan" not in b.detail.value.lower().replace("nanfang", "")


def test_findings_browser_escapes_document_text(seed_findings):
    from budgetkit.check.findings import Finding, Findings

    bad = Finding("W02", "fail", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                  locations=[{"page": 1, "table_title": "<svg onload=alert(1)>", "row_label": "x",
                              "column_label": "y", "raw": "1"}])
    b = widgets.FindingsBrowser(Findings([bad], {}, {}))
    assert "<script>" not in b.detail.value and "&lt;script&gt;" in b.detail.value
    assert "<svg" not in b.detail.value and "<img" not in b.detail.value


def test_glossary_is_bilingual_data_used_by_the_explorer(seed):
    from budgetkit import glossary

    e = glossary.lookup("基本支出")
    assert e["term_en"] == "basic expenditure" and "人员支出和公用支出" in e["definition_zh"]
    for term in ("财政拨款收支情况", "一般公共预算拨款收入", "事业收入", "事业单位经营收入", "其他收入", "上年结转",
                 "基本支出", "项目支出"):
        assert glossary.lookup(term), term
    w = widgets.Explorer({"seed": seed})
    target = next(v for label, v in w.table.options if "公开表1-2" in label)
    w.table.value = target
    assert '<abbr title="basic expenditure' in w.printed.value


def test_targets_browser_first_view_and_changes(seed, seed_findings):
    b = widgets.TargetsBrowser(seed, seed_findings)
    # untouched: the first unit and its first project, with its tree and its weights chart
    assert b.last_error is None and b.unit.value == "乐山市市中区社会保险事务中心"
    assert len(b.project.options) == 5 and b.project.value == b.project.options[0]
    assert "没有绩效目标" not in b.tree.value and "产出指标" in b.tree.value
    assert len(b.chart_out.outputs) == 1
    b.project.value = "适当照顾老干部"
    tree = b.tree.value
    assert "产出指标" in tree and "老干部补助标准" in tree and "⚑P05" in tree and "⚑P04" in tree
    assert "P08" in tree  # the goal's arithmetic, flagged at project level
    assert "None" not in tree and "nan" not in tree
    assert len(b.chart_out.outputs) == 1


def test_panel_browser_ranks_one_level(wanli_panel):
    b = widgets.PanelBrowser({"wanli": wanli_panel})
    # untouched: the first series, its first coded table, the 类 level; lines as printed with change and %
    assert b.last_error is None and b.table.value == "expenditure_summary" and b.level.value == "类"
    assert "2024（元）" in b.lines.value and "2,932,700" in b.lines.value and "增幅 / %" in b.lines.value
    assert len(b.chart_out.outputs) == 1 and "类级" in b.chart_out.outputs[0]["data"]["text/html"]
    b.level.value = "项"
    svg = b.chart_out.outputs[0]["data"]["text/html"]
    assert "项级" in svg and "212 " not in svg  # no 类 line among the 项 lines
    ranked = wanli_panel.ranked("expenditure_summary", "项")
    assert set(ranked["level"]) == {"项"} and ranked["code"].str.len().eq(7).all()
    assert abs(ranked["change_2025"].iloc[0]) >= abs(ranked["change_2025"].iloc[-1])


def test_rankings_never_mix_levels(wanli_panel):
    for level in ("类", "款", "项"):
        r = wanli_panel.ranked(level=level, n=None)
        assert r["table_kind"].nunique() <= 1 and set(r["level"]) <= {level}


def test_display_layer_amounts_as_printed(seed):
    a = display.amounts(seed.amounts[seed.amounts["table_no"] == "公开表1"])
    col = "金额（万元）/ amount (万元)"
    assert col in a.columns and "1,149.80" in set(a[col])
    assert display.amount(None) == "" and display.amount(float("nan")) == ""
    assert display.cell(2022.0) == "2022" and display.kind_label("income_expenditure_summary") == \
        "收支总表 / Income and expenditure summary"
    html = display.to_html(a)
    assert "NaN" not in html and "None" not in html and "&lt;NA&gt;" not in html
