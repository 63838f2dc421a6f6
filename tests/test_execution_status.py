"""Which figures of a budget execution may say 印 / printed: only one read off a page, named with its page.  A total
the join computes over the 类 both sides print says 计算 / computed, and which 类 it leaves out.  Built lines
first (each side of a total can fail), then 西南大学 2023 预算 (财政拨款支出预算表 p.10: 合计 230,876.38, of
which 229 其他支出 109.50, a 类 the 决算 does not print) + 决算 (财政拨款支出决算表 p.14: 合计 237,100.00)."""
from __future__ import annotations

from decimal import Decimal as D

import pandas as pd

from budgetkit.execution import _funds
from budgetkit.execution.join import COLUMNS, _line
from budgetkit.execution.report import note_text, render
from conftest import swu_execution


def slot(label, amount, page):
    return {"label": label, "total": (D(amount), {"file": "x.pdf", "page": page}, 2)}


def built(budget_only=False, final_only=False):
    """A 类 201 both sides print (budget 100.00 p.3, final 90.00 p.5), optionally 229 in the budget only (10.00)
    or 230 in the final only (4.00); the printed 合计 of each side includes its own one-sided 类."""
    rows = [_line("function", "201", slot("一般公共服务支出", "100.00", 3), slot("一般公共服务支出", "90.00", 5),
                  None, (D("95.00"), None))]
    if budget_only:
        rows.append(_line("function", "229", slot("其他支出", "10.00", 3), None, None, None))
    if final_only:
        rows.append(_line("function", "230", None, slot("转移性支出", "4.00", 5), None, None))
    b = "110.00" if budget_only else "100.00"
    f = "94.00" if final_only else "90.00"
    rows.append(_line("function", None, slot(None, b, 3), slot(None, f, 5), None, (D("95.00"), None),
                      name="合计（印刷）/ total as printed"))
    if budget_only or final_only:
        rows.append(_line("function", None, slot(None, "100.00", 3), slot(None, "90.00", 5), None, (D("95.00"), None),
                          name="合计（计算：两边共有的类之和）/ total computed over the 类 on both sides"))
    lines = pd.DataFrame(rows, columns=COLUMNS)
    return lines.astype(object).where(lines.notna(), None)


def steps(lines):
    F = _funds(lines)
    return {s.split(" / ")[0]: (a, st, n) for s, a, st, n in zip(F["step"], F["amount"], F["status"], F["note"])}


def test_both_totals_printed_when_no_class_is_one_sided():
    s = steps(built())
    assert s["年初预算"][:2] == (D("100.00"), "printed") and "第3页" in s["年初预算"][2] and "p.3" in s["年初预算"][2]
    assert s["决算"][:2] == (D("90.00"), "printed") and "第5页" in s["决算"][2]
    assert s["年中调整"][1] == "computed" and "95.00 − 年初预算 100.00" in s["年中调整"][2]


def test_a_budget_only_class_makes_the_budget_total_computed_and_named():
    s = steps(built(budget_only=True))
    amount, status, note = s["年初预算"]
    assert (amount, status) == (D("100.00"), "computed")  # 110.00 printed − 229 其他支出 10.00
    assert "印刷合计 110.00（第3页）" in note and "合计不含仅预算有的 229 其他支出 10.00" in note
    assert "budget-only 229 其他支出 10.00" in note  # English beside
    assert s["决算"][:2] == (D("90.00"), "printed")  # the final side leaves nothing out: its printed 合计
    assert s["结转净额"][1] == "review" and s["结转净额"][2].startswith("计算")


def test_a_final_only_class_makes_the_final_total_computed():
    s = steps(built(final_only=True))
    assert s["年初预算"][:2] == (D("100.00"), "printed")
    assert s["决算"][:2] == (D("90.00"), "computed")
    assert "印刷合计 94.00（第5页）" in s["决算"][2] and "仅决算有的 230 转移性支出 4.00" in s["决算"][2]


def test_note_text_keeps_chinese_first_and_english_beside():
    assert note_text("甲 / a; 乙 / b") == "甲；乙 / a; b"
    # an English part that itself holds "; " stays whole
    assert note_text("未印编码：丙 / prints no code; not matched: c") == "未印编码：丙 / prints no code; not matched: c"
    assert note_text(None) == ""


def test_swu_budget_total_is_computed_and_names_229():
    x = swu_execution()
    s = {a.split(" / ")[0]: (v, st, n) for a, v, st, n in zip(x.funds["step"], x.funds["amount"], x.funds["status"],
                                                                x.funds["note"])}
    amount, status, note = s["年初预算"]
    assert (amount, status) == (D("230766.88"), "computed")  # 230,876.38 (p.10) − 109.50
    assert "印刷合计 230,876.38（第10页）" in note and "229 其他支出 109.50" in note
    assert s["决算"][:2] == (D("237100.00"), "printed") and "第14页" in s["决算"][2]
    shared = x.lines[x.lines["name"].astype(str).str.startswith("合计（计算：两边共有的类之和）")].iloc[0]
    assert shared["budget"] == D("230766.88") and "合计不含仅预算有的 229 其他支出 109.50" in shared["note"]


def test_swu_text_and_html_say_status_in_chinese_with_english_and_name_printed_tables():
    x = swu_execution()
    text, page = render(x, "text"), render(x, "html")
    assert "230,766.88（计算 / computed）" in text and "237,100.00（印 / printed）" in text
    assert "(printed)" not in text and "(computed)" not in text
    for out in (text, page):
        assert "budget_table" not in out and "final_table" not in out
        assert "西南大学财政拨款支出预算表（第10页" in out and "高等学校财政拨款支出决算表（第14–15页" in out
        assert "计算 / computed" in out and "待核对 / review" in out
    # a note in the lines carries its English: 229 is in the budget table only (p.10)
    assert "仅预算列出：决算表无此科目（未支出，或属另一资金，如政府性基金） / budget only" in text


def test_swu_view_and_workbook_say_the_same():
    from budgetkit.execution.report import execution_sheets
    from budgetkit.explore import execution_view as V

    x = swu_execution()
    F = V.funds_frame(x).set_index("步骤 / step")
    assert F.loc["年初预算 / budget at the start of the year", "来源 / source"] == "计算 / computed"
    assert F.loc["决算 / final", "来源 / source"] == "印 / printed"
    assert "229 其他支出 109.50" in F.loc["年初预算 / budget at the start of the year", "说明 / note"]
    L = V.lines_frame(x, level="类")  # 229 其他支出 (budget p.10 only): the note with its English
    assert L.set_index("科目编码 / code").loc["229", "说明 / note"].endswith(
        "/ budget only: not in the final table (unspent, or another fund's)")
    sheets = execution_sheets(x)
    assert list(sheets["资金变动 funds"]["来源 / source"]) == ["计算 / computed", "计算 / computed", "待核对 / review",
                                                           "印 / printed"]
    about = " ".join(map(str, sheets["对照 about"]["内容 / value"]))
    assert "西南大学财政拨款支出预算表（第10页 / p.10）" in about
    flags = sheets["逐行 lines"].set_index("科目编码 / code")["标记 / flags"]
    assert flags["2060204"] == "偏差大 / large deviation"  # 350.00 → 1,707.93 (p.10, p.15)


def test_swu_widget_names_the_printed_tables_and_each_steps_source():
    from budgetkit.explore import execution_view as V
    from conftest import SWU_B, SWU_F, load

    v = V.ExecutionView(load(SWU_B), load(SWU_F))
    head, chart = v.head.value, v.chart.value
    assert "西南大学财政拨款支出预算表（第10页" in head and "高等学校财政拨款支出决算表（第14–15页" in head
    assert "budget_table" not in head
    # the steps under the waterfall, each with its source
    assert "230,766.88" in chart and "计算 / computed" in chart and "印 / printed" in chart
