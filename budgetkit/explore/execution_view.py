"""Budget execution (预算执行) as a widget, for notebook 06 and the app.

``execution_panel(budget, final)``: a year's 预算 beside its 决算 — the lines sorted as the reader chooses
(by difference first), the waterfall from 年初预算 to 决算, the statements whose figures disagree, and every
finding with its page.  Amounts are shown as printed (万元, separators, two decimals); a rate with no base is
blank, never inf or NaN.  Charts are SVG drawn in the kernel (no internet); errors stay in the widget.
"""
from __future__ import annotations

import html

import altair as alt
import ipywidgets as W
import pandas as pd

from budgetkit.execution.report import note_text, status_label, tables_text
from budgetkit.explore import charts, display
from budgetkit.explore.widgets import _dropdown, _Guarded, show_widget

SECTIONS = [("功能分类 / by function", "function"), ("收支总表 / summary", "summary"), ("“三公”经费 / 三公", "三公")]
LEVELS = [("项 / item", "项"), ("款 / section", "款"), ("类 / class", "类"), ("全部 / all", "all")]
SORTS = [("差额绝对值 / |difference|", "difference"), ("执行率 / rate", "rate"), ("科目编码 / code", "code")]
RATE_NOTE = (
    "执行率 = 决算 ÷ 年初预算。高于 100% 不等于超支：决算包括使用上年结转资金的支出和年中追加的预算，"
    "年初预算两者都不含。西南大学 2023 年“实验室及相关设施”年初预算 350.00 万元，决算 1,707.93 万元（487.98%），"
    "而预算表本身列出该科目上年结转 1,623.00 万元——多出的钱来自上年结转，不是违规。需要问的是说明是否讲清了原因。"
    " / The rate is 决算 ÷ the budget at the start of the year. Above 100% is not overspending: the 决算 includes "
    "spending from money carried over from last year and budget added during the year, neither of which the "
    "start-of-year budget contains. 西南大学's laboratories line (2023) was budgeted at 350.00 万元 and spent "
    "1,707.93 万元 (487.98%), while the budget itself lists 1,623.00 万元 carried over for it: the extra money is "
    "the carry-over, not a breach. The question to ask is whether the text explains it.")


def _rate(v) -> str:
    return "" if display.missing(v) else f"{display.amount(v)}%"


def lines_frame(x, section: str = "function", level: str | None = "项", sort: str = "difference") -> pd.DataFrame:
    """The lines for people: amounts as printed, the rate with a %, pages beside the figures, sorted."""
    L = x.lines[x.lines["section"] == section]
    if level and level != "all" and section == "function":
        L = L[L["level"] == level]
    if sort == "difference":
        L = L.assign(_k=[-abs(v) if v is not None else 0 for v in L["difference"]]).sort_values("_k", kind="stable")
    elif sort == "rate":
        L = L.assign(_k=[-v if v is not None else 0 for v in L["rate"]]).sort_values("_k", kind="stable")
    else:
        L = L.assign(_k=[str(c or "") for c in L["code"]]).sort_values("_k", kind="stable")
    return pd.DataFrame({
        "科目编码 / code": [display.text(v) for v in L["code"]],
        "名称 / name": [display.text(v) for v in L["name"]],
        "预算（万元）/ budget": [display.amount(v) for v in L["budget"]],
        "预算页 / p.": [display.integer(v) for v in L["budget_page"]],
        "决算（万元）/ final": [display.amount(v) for v in L["final"]],
        "决算页 / p.": [display.integer(v) for v in L["final_page"]],
        "差额（万元）/ difference": [display.change(v) for v in L["difference"]],
        "执行率 / rate": [_rate(v) for v in L["rate"]],
        "说明所述（预算 / 决算）/ stated": [
            "" if display.missing(b) and display.missing(f) else f"{display.text(b)} / {display.text(f)}"
            for b, f in zip(L["stated_budget"], L["stated_final"])],
        "说明 / note": [note_text(v) for v in L["note"]]})


def funds_frame(x) -> pd.DataFrame:
    """The waterfall's steps for people: each amount as printed, whether read off a page (印, the note names
    it), computed (计算, the note says how) or to be checked (待核对)."""
    F = x.funds
    return pd.DataFrame({"步骤 / step": list(F["step"]), "金额（万元）/ amount": [display.amount(v) for v in F["amount"]],
                         "来源 / source": [status_label(v) for v in F["status"]],
                         "说明 / note": [display.text(v) for v in F["note"]]})


def disagreements_frame(x) -> pd.DataFrame:
    """The statements whose figures disagree with a table or with the budget: every finding that is not a
    rounding difference, a note or a rule not evaluated, with its page and the quoted text."""
    rows = []
    for f in x.findings:
        if f.status not in ("fail", "review"):
            continue
        loc = f.locations[0] if f.locations else {}
        rows.append({"规则 / rule": f.rule, "级别 / severity": display.severity_label(f.severity),
                     "页 / page": display.integer(loc.get("page")),
                     "应为 / expected": display.amount(f.expected), "实为 / actual": display.amount(f.actual),
                     "说明 / message": f"{f.message} / {f.message_en}", "原文 / quote": display.text(loc.get("quote"))})
    return pd.DataFrame(rows, columns=["规则 / rule", "级别 / severity", "页 / page", "应为 / expected",
                                       "实为 / actual", "说明 / message", "原文 / quote"])


def waterfall_chart(x) -> alt.Chart | None:
    """年初预算 → 年中调整 → 结转净额 → 决算, from ``x.funds`` (floats for drawing only; labels as printed)."""
    F = x.funds
    if F.empty or any(display.missing(v) for v in F["amount"]):
        return None
    rows, running = [], 0.0
    for i, r in enumerate(F.itertuples(index=False)):
        v = float(r.amount)
        total = i in (0, len(F) - 1)
        start, end = (0.0, v) if total else (running, running + v)
        running = end
        kind = "总额 / total" if total else ("增加 / up" if v >= 0 else "减少 / down")
        rows.append({"step": r.step.split(" / ")[0], "step_en": r.step.split(" / ")[-1], "start": start, "end": end,
                     "kind": kind, "label": display.amount(r.amount), "status": status_label(r.status), "order": i})
    df = pd.DataFrame(rows)
    chart = alt.Chart(df, title=f"从年初预算到决算（万元）/ from budget to final (万元): {x.unit} {x.year}").mark_bar().encode(
        x=alt.X("step:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("start:Q", title="金额（万元）/ amount (万元)"), y2="end:Q",
        color=alt.Color("kind:N", scale=alt.Scale(domain=["总额 / total", "增加 / up", "减少 / down"],
                                                  range=["#3b6ea5", "#2e8b57", "#c0392b"]), title=None),
        tooltip=["step", "step_en", "label", "status"]).properties(width=420, height=260)
    text = alt.Chart(df).mark_text(dy=-6).encode(x=alt.X("step:N", sort=alt.SortField("order")), y="end:Q",
                                                 text="label:N")
    return charts._config(chart + text)


def _table_html(df: pd.DataFrame, empty: str) -> str:
    if df.empty:
        return f"<p>{html.escape(empty)}</p>"
    return display.to_html(df)


class ExecutionView(_Guarded):
    """Section, level and sort choosers over one execution; every view is rebuilt from it."""

    def __init__(self, budget, final):
        super().__init__()
        from budgetkit.errors import BadInputError
        from budgetkit.execution import execution

        self.x = None
        self.head, self.lines, self.chart, self.disagree = W.HTML(), W.HTML(), W.HTML(), W.HTML()
        self.lines.add_class("bk-execution-lines")
        self.section = _dropdown(SECTIONS, "部分 / part", value="function")
        self.level = _dropdown(LEVELS, "级次 / level", value="项")
        self.sort = _dropdown(SORTS, "排序 / sort by", value="difference")
        try:
            self.x = execution(budget, final)
        except BadInputError as e:  # two units, two years: said in one line, in the widget
            self.head.value = f"<p class='bk-execution-refused'>{html.escape(str(e))}</p>"
            self.view = W.VBox([self.head, self.errors])
            return
        present = set(self.x.lines.loc[self.x.lines["section"] == "function", "level"])
        self.level.value = next((v for v in ("项", "款", "类") if v in present), "all")  # never an empty first view
        for w in (self.section, self.level, self.sort):
            w.observe(self._watch(self._refresh), "value")
        self._guard(self._first)()
        note = W.HTML(f"<details><summary>为什么执行率可以是 488%？/ Why can a rate be 488%?</summary>"
                      f"<p>{html.escape(RATE_NOTE)}</p></details>")
        self.view = W.VBox([self.head, W.HBox([self.section, self.level, self.sort]), self.lines, self.chart, note,
                            self.disagree, self.errors])

    def _first(self):
        x = self.x
        c = x.findings.counts()
        self.head.value = (f"<h4>{html.escape(str(x.unit))} {html.escape(str(x.year or ''))} 预算执行 / budget execution"
                           f"</h4><p>{html.escape(x.basis)}</p><p>{html.escape(tables_text(x))}</p><p>错误 {c['error']} / errors · 警告 {c['warning']} / "
                           f"warnings · 待核对 {c['review']} / review · 提示 {c['info']} / info</p>")
        ch = waterfall_chart(x)
        steps = funds_frame(x)  # under the chart: each step's source (印 / 计算 / 待核对) and how it was found
        self.chart.value = ("" if ch is None else f"<div class='budgetkit-chart'>{charts.to_svg(ch)}</div>") + (
            "" if steps.empty else _table_html(steps, ""))
        self.disagree.value = ("<h4>说明与表或预算不一致的数 / statements that disagree</h4>"
                               + _table_html(disagreements_frame(x), "没有不一致的数 / none disagree"))
        self._refresh()

    def _ipython_display_(self):
        show_widget(self.view)

    def _refresh(self, *_):
        self.level.disabled = self.section.value != "function"
        df = lines_frame(self.x, self.section.value, self.level.value, self.sort.value)
        self.lines.value = _table_html(df, "这一部分没有可对照的行 / no lines in this part")


def execution_panel(budget, final) -> W.Widget:
    """A 预算 and its 决算 (Disclosures, or paths) side by side, as one widget."""
    return ExecutionView(budget, final).view
