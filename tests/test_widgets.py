"""Widget callbacks in plain pytest: no browser needed."""
from __future__ import annotations

import budgetkit
from budgetkit import widgets


def test_explorer_switches_tables_and_units(seed):
    e = widgets.Explorer({"seed": seed})
    assert e.last_error is None
    first = e.printed.value
    assert "部门收支总表" in first and "1,149.80" in first
    target = next(v for label, v in e.table.options if "公开表2-1" in label)
    e.table.value = target
    assert e.printed.value != first and "财政拨款支出预算表" in e.printed.value
    assert "30217" in e.tidy.value  # the tidy rows of the chosen table
    e.unit.value = "乐山市市中区社会保险事务中心"
    assert e.last_error is None and "30217" in e.tidy.value
    assert len(e.chart_out.outputs) == 2  # function and economic composition


def test_explorer_errors_go_to_the_output_widget(seed):
    e = widgets.Explorer({"seed": seed})
    e.disclosures["seed"] = None  # a broken state: the next callback fails
    e.table.value = e.table.options[1][1]
    assert e.last_error and "AttributeError" in e.last_error
    assert e.errors.outputs  # shown to the user


def test_findings_browser_filters_and_shows_evidence(seed):
    f = budgetkit.check(seed)
    b = widgets.FindingsBrowser(f)
    assert len(b.visible()) == len(f)
    b.severity.value = "error"
    assert b.visible() and all(x.severity == "error" for x in b.visible())
    b.family.value = "narrative"
    assert all(x.family == "narrative" for x in b.visible())
    quoted = next(i for i, x in enumerate(b.visible()) if "71.95" in x.message)
    b.list.value = quoted
    assert "卫生健康支出71.95万元" in b.detail.value  # the quote behind the finding
    b.family.value = "within"
    b.list.value = 0
    assert "<table" in b.detail.value and "1,055.76" in b.detail.value


def test_glossary_is_bilingual_data_used_by_the_explorer(seed):
    from budgetkit import glossary

    e = glossary.lookup("基本支出")
    assert e["term_en"] == "basic expenditure" and "人员支出和公用支出" in e["definition_zh"]
    # every term the seed's 名词解释 defines (outside 科目 names) is in the glossary
    for term in ("财政拨款收支情况", "一般公共预算拨款收入", "事业收入", "事业单位经营收入", "其他收入", "上年结转",
                 "基本支出", "项目支出"):
        assert glossary.lookup(term), term
    w = widgets.Explorer({"seed": seed})
    target = next(v for label, v in w.table.options if "公开表1-2" in label)
    w.table.value = target
    assert '<abbr title="basic expenditure' in w.printed.value


def test_targets_browser_shows_the_tree_with_flags(seed):
    b = widgets.TargetsBrowser(seed)
    assert b.last_error is None and len(b.project.options) == 5
    b.project.value = "适当照顾老干部"
    tree = b.tree.value
    assert "产出指标" in tree and "老干部补助标准" in tree and "⚑P05" in tree and "⚑P04" in tree
    assert "P08" in tree  # the goal's arithmetic, flagged at project level
    assert len(b.chart_out.outputs) == 1
