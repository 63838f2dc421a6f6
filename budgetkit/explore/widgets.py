"""ipywidgets building blocks: choose document, budget unit and table; browse findings.

Callbacks never raise into the browser console: every error is shown in an
Output widget the user can see.  All behaviour is testable without a browser.
"""
from __future__ import annotations

import html
import traceback

import ipywidgets as W
import pandas as pd
from IPython.display import HTML, display

from budgetkit import glossary
from budgetkit.check.findings import FAMILY_NAMES, STATUS_NAMES
from budgetkit.explore import charts
from budgetkit.reference import kind_names

ALL = "全部 / all"


def _table_label(t) -> str:
    zh = kind_names().get(t.kind, (t.kind, t.kind))[0]
    no = f"{t.table_no} " if t.table_no else ""
    return f"#{t.index} {no}{t.title} [{zh}]"


class _Guarded:
    """Runs callbacks inside the error Output so failures are visible."""

    def __init__(self):
        self.errors = W.Output(layout=W.Layout(border="0px"))
        self.last_error: str | None = None

    def _guard(self, fn):
        def wrapped(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # shown to the user, not lost in the console
                self.last_error = f"{type(exc).__name__}: {exc}"
                # append_* works with or without a running kernel (and in tests)
                self.errors.append_stderr(f"出错 / error: {self.last_error}\n{traceback.format_exc(limit=3)}")
        return wrapped


class Explorer(_Guarded):
    """Pick a document, a budget unit and a table; see it as printed, its tidy rows and its composition."""

    def __init__(self, disclosures: dict):
        super().__init__()
        self.disclosures = disclosures
        self.doc = W.Dropdown(options=list(disclosures), description="文件 / document",
                              style={"description_width": "initial"}, layout=W.Layout(width="520px"))
        self.unit = W.Dropdown(description="单位 / unit", style={"description_width": "initial"},
                               layout=W.Layout(width="520px"))
        self.table = W.Dropdown(description="表格 / table", style={"description_width": "initial"},
                                layout=W.Layout(width="720px"))
        self.printed = W.HTML()
        self.tidy = W.HTML()
        self.chart_out = W.Output()
        for w, css in ((self.printed, "bk-printed"), (self.tidy, "bk-tidy"), (self.chart_out, "bk-charts"),
                       (self.table, "bk-table-select")):
            w.add_class(css)  # stable hooks for styling and browser tests
        self.doc.observe(self._guard(self._on_doc), names="value")
        self.unit.observe(self._guard(self._on_unit), names="value")
        self.table.observe(self._guard(self._on_table), names="value")
        self.view = W.VBox([
            W.HTML("<b>选择文件、单位和表格 / choose a document, a budget unit and a table</b>"),
            self.doc, self.unit, self.table, self.errors,
            W.HBox([W.VBox([W.HTML("<b>原表 / as printed</b>"), self.printed],
                           layout=W.Layout(width="55%", overflow="auto")),
                    W.VBox([W.HTML("<b>整洁数据 / tidy rows</b>"), self.tidy],
                           layout=W.Layout(width="45%", overflow="auto"))]),
            W.HTML("<b>构成 / composition</b>"), self.chart_out,
        ])
        self._guard(self._on_doc)()

    @property
    def disclosure(self):
        return self.disclosures[self.doc.value]

    def _on_doc(self, *_):
        d = self.disclosure
        units = sorted({u for u in d.amounts["unit_name"].dropna()})
        self.unit.options = [ALL] + units
        self.unit.value = ALL
        self.table.options = [(_table_label(t), t.index) for t in d.tables]
        recognised = [t.index for t in d.tables if t.kind != "unknown"]
        self.table.value = recognised[0] if recognised else (d.tables[0].index if d.tables else None)
        self._on_table()
        self._draw_charts()

    def _on_unit(self, *_):
        self._on_table()
        self._draw_charts()

    def _on_table(self, *_):
        d = self.disclosure
        t = next((t for t in d.tables if t.index == self.table.value), None)
        if t is None:
            self.printed.value = self.tidy.value = "<i>没有表格 / no table</i>"
            return
        pages = "、".join(str(p) for p in t.pages if p is not None) or "–"
        zh, en = kind_names().get(t.kind, (t.kind, t.kind))
        cols = " · ".join(glossary.annotate(c) for c in t.frame.columns if t.column_roles.get(c) == "amount")
        head = (f"<div>{html.escape(t.title)} · {html.escape(str(t.table_no or ''))} · "
                f"{html.escape(zh)} / {html.escape(en)} · 第{pages}页 / page(s) {pages} · "
                f"金额单位 / unit {html.escape(str(t.unit))}</div>"
                f"<div style='font-size:90%;color:#555'>金额列 / amount columns: {cols}</div>")
        self.printed.value = head + t.frame.to_html(max_rows=1000, na_rep="", border=0)
        a = d.amounts[d.amounts["table_index"] == t.index]
        if self.unit.value and self.unit.value != ALL:
            a = a[a["unit_name"] == self.unit.value]
        cols = ["page", "row_no", "row_label", "code", "code_level", "column_label", "raw", "unit", "amount_yuan"]
        a = a.assign(amount_yuan=[f"{v.normalize():,f}" if v is not None else "" for v in a["amount_yuan"]])
        self.tidy.value = a[cols].to_html(index=False, max_rows=1000, na_rep="", border=0) if len(a) else \
            "<i>本表没有金额 / no amounts in this table</i>"

    def _draw_charts(self):
        d = self.disclosure
        unit = None if self.unit.value in (None, ALL) else self.unit.value
        self.chart_out.outputs = ()
        drawn = False
        for scheme in ("function", "economic"):
            c = charts.composition_chart(d, scheme, unit)
            if c is not None:
                # SVG rendered in the kernel: draws offline, and works without a kernel too
                self.chart_out.append_display_data(HTML(charts.to_svg(c)))
                drawn = True
        if not drawn:
            self.chart_out.append_stdout("没有可绘制的分类数据 / nothing to chart\n")

    def _ipython_display_(self):
        display(self.view)


class FindingsBrowser(_Guarded):
    """Filter findings by family and severity; choosing one shows its source rows or quote."""

    def __init__(self, findings):
        super().__init__()
        self.findings = findings
        fams = [(ALL, None)] + [(f"{zh} / {en}", k) for k, (zh, en) in FAMILY_NAMES.items()]
        sevs = [(ALL, None), ("错误 / error", "error"), ("警告 / warning", "warning"), ("提示 / info", "info")]
        self.family = W.Dropdown(options=fams, description="类别 / family", style={"description_width": "initial"})
        self.severity = W.Dropdown(options=sevs, description="级别 / severity", style={"description_width": "initial"})
        self.list = W.Select(rows=10, layout=W.Layout(width="95%"))
        self.detail = W.HTML()
        for w in (self.family, self.severity):
            w.observe(self._guard(self._refilter), names="value")
        self.list.observe(self._guard(self._show), names="value")
        self.view = W.VBox([W.HBox([self.family, self.severity]), self.errors, self.list, self.detail])
        self._refilter()

    def visible(self) -> list:
        return [f for f in self.findings
                if (self.family.value is None or f.family == self.family.value)
                and (self.severity.value is None or f.severity == self.severity.value)]

    def _refilter(self, *_):
        items = self.visible()
        self.list.options = [(f"[{f.rule} {f.severity}] {f.message[:90]}", i) for i, f in enumerate(items)]
        self._items = items
        self.list.value = 0 if items else None
        self._show()

    def _show(self, *_):
        if self.list.value is None:
            self.detail.value = "<i>没有符合条件的发现 / no findings match</i>"
            return
        f = self._items[self.list.value]
        e = html.escape
        parts = [f"<p><b>{e(f.message)}</b><br><i>{e(f.message_en)}</i></p>",
                 f"<p>{e(STATUS_NAMES[f.status][0])} / {e(f.status)} · {e(f.severity)}</p>"]
        quotes = [l for l in f.locations if "quote" in l]
        cells = [l for l in f.locations if "quote" not in l]
        for q in quotes:
            parts.append(f"<blockquote>第{e(str(q.get('page') or '–'))}页 / page · {e(q.get('section') or '')}"
                         f"<br>“{e(q['quote'])}”</blockquote>")
        if cells:
            parts.append(pd.DataFrame(cells)[[c for c in ("page", "table_no", "table_title", "row_label",
                                                           "column_label", "raw") if c in cells[0]]]
                         .to_html(index=False, na_rep="", border=0))
        self.detail.value = "".join(parts)

    def _ipython_display_(self):
        display(self.view)


class TargetsBrowser(_Guarded):
    """Choose a unit and a project; see its indicator tree with the quality flags, and its weights."""

    def __init__(self, disclosure, findings=None):
        super().__init__()
        from budgetkit.check import check

        self.d = disclosure
        self.findings = findings if findings is not None else check(disclosure)
        self.targets = disclosure.targets[disclosure.targets["level3"].notna()]
        units = sorted(set(self.targets["unit_name"].dropna()))
        self.unit = W.Dropdown(options=units, description="单位 / unit", style={"description_width": "initial"},
                               layout=W.Layout(width="520px"))
        self.project = W.Dropdown(description="项目 / project", style={"description_width": "initial"},
                                  layout=W.Layout(width="520px"))
        self.tree = W.HTML()
        self.tree.add_class("bk-target-tree")
        self.chart_out = W.Output()
        self.unit.observe(self._guard(self._on_unit), names="value")
        self.project.observe(self._guard(self._on_project), names="value")
        self.view = W.VBox([self.unit, self.project, self.errors, self.tree, self.chart_out])
        self._guard(self._on_unit)()

    def _flags(self, project: str, indicator: str | None = None) -> list:
        out = []
        for f in self.findings:
            if f.family != "performance" or f.status == "not_evaluated" or f"「{project}」" not in f.message:
                continue
            if indicator is None and not any(f"「{x}」" in f.message for x in self.targets["level3"].dropna()):
                out.append(f)
            elif indicator is not None and f"「{indicator}」" in f.message:
                out.append(f)
        return out

    def _on_unit(self, *_):
        t = self.targets[self.targets["unit_name"] == self.unit.value] if self.unit.value else self.targets
        self.project.options = list(dict.fromkeys(t["project_name"].dropna()))
        self._on_project()

    def _on_project(self, *_):
        e = html.escape
        name = self.project.value
        if not name:
            self.tree.value = "<i>没有绩效目标 / no performance targets</i>"
            return
        t = self.targets[self.targets["project_name"] == name]
        first = t.iloc[0]
        parts = [f"<p><b>{e(name)}</b> · {e(str(first['project_code']))} · 预算 / budget "
                 f"{first['budget']:.2f} {e(str(first['budget_unit']))}</p>"]
        for f in self._flags(name):
            parts.append(f"<div style='color:#b35900'>⚑ [{f.rule}] {e(f.message)}<br><i>{e(f.message_en)}</i></div>")
        parts.append("<ul>")
        for level1, g1 in t.groupby("level1", sort=False):
            parts.append(f"<li><b>{e(level1)}</b> / {e(glossary.english(level1))}<ul>")
            for level2, g2 in g1.groupby("level2", sort=False):
                parts.append(f"<li>{e(level2)}<ul>")
                for _, r in g2.iterrows():
                    flags = self._flags(name, r["level3"])
                    mark = "".join(f" <span style='color:#c0392b' title='{e(f.message_en)}'>⚑{e(f.rule)}</span>"
                                   for f in flags)
                    parts.append(f"<li>{e(r['level3'])} {e(r['operator'] or '')} {e(r['value'] or '')}"
                                 f"{e(r['measure_unit'] or '')} · 权重 {e(str(r['weight']).rstrip('0').rstrip('.'))}"
                                 f"{mark}</li>")
                parts.append("</ul></li>")
            parts.append("</ul></li>")
        parts.append("</ul>")
        self.tree.value = "".join(parts)
        self.chart_out.outputs = ()
        c = charts.weights_chart(self.targets, name)
        if c is not None:
            self.chart_out.append_display_data(HTML(charts.to_svg(c)))

    def _ipython_display_(self):
        display(self.view)
