"""The budget-execution widget headless: 西南大学 2023 预算 (p.10) + 决算 (p.14–15), 佛山 2019 决算 alone, a
refused pair.  The first view is asserted untouched, then after each change."""
from __future__ import annotations

import ipywidgets as W

from budgetkit.explore import execution_view as V
from conftest import CORPUS, load

SWU_B = CORPUS / "cq-swu-2023-budget.pdf"
SWU_F = CORPUS / "cq-swu-2023-final.pdf"
FOSHAN = CORPUS / "gd-foshan-metro-2019-final.pdf"
JUNK = ("None", "NaN", "<NA>", "Decimal(", "inf%", "1707.930000")


def test_first_view_sorted_by_difference_with_pages():
    v = V.ExecutionView(load(SWU_B), load(SWU_F))
    assert isinstance(V.execution_panel(load(SWU_B), load(SWU_F)), W.Widget)
    assert v.last_error is None and v.section.value == "function" and v.level.value == "项"
    df = V.lines_frame(v.x)
    # 2050205 高等教育 +4,797.36 first, then 2060204 实验室及相关设施 +1,357.93 at 487.98%
    assert list(df["科目编码 / code"][:2]) == ["2050205", "2060204"]
    r = df.iloc[1]
    assert (r["预算（万元）/ budget"], r["决算（万元）/ final"], r["执行率 / rate"], r["预算页 / p."], r["决算页 / p."]) == (
        "350.00", "1,707.93", "487.98%", "10", "15")
    assert "1,707.93" in v.lines.value and "487.98%" in v.lines.value
    for junk in JUNK:
        assert junk not in v.lines.value, junk
    assert "<svg" in v.chart.value  # the waterfall, drawn in the kernel
    assert "11/13" in v.head.value and "488%" in v.view.children[4].value
    assert "none disagree" in v.disagree.value  # SWU: one X08 note, nothing that disagrees


def test_changes_rebuild_the_view():
    v = V.ExecutionView(load(SWU_B), load(SWU_F))
    v.sort.value = "code"
    assert v.last_error is None and V.lines_frame(v.x, sort="code")["科目编码 / code"].iloc[0] == "2050202"
    v.level.value = "类"
    assert "教育支出" in v.lines.value and "实验室及相关设施" not in v.lines.value
    v.section.value = "summary"
    assert v.level.disabled and "430,725.03" in v.lines.value  # 本年收入合计 (决算 p.9)
    v.section.value = "三公"
    assert v.last_error is None and "no lines in this part" in v.lines.value  # the MOE template prints none


def test_statements_that_disagree_on_foshan():
    v = V.ExecutionView(None, load(FOSHAN))
    d = V.disagreements_frame(v.x)
    # p.26: 比年初预算数增加1668.14万元，增长0% (a zero base) and 完成预算0万元的0% (三公 total, 公务接待费); p.27:
    # 机关运行经费 97.19万元，比预算数增加97.19万元，增长0%
    assert set(d["页 / page"]) >= {"26"} and (d["级别 / severity"].str.startswith("警告")).sum() == 4
    assert "比预算数增加 97.19万元，增长 0%" in " ".join(d["原文 / quote"]) and "警告" in v.disagree.value  # p.27
    for junk in JUNK:
        assert junk not in v.disagree.value, junk


def test_a_refused_pair_is_said_in_the_widget():
    v = V.ExecutionView(load(SWU_F), load(SWU_F))
    assert v.x is None and "both files are 决算" in v.head.value and v.last_error is None
