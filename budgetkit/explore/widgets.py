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
from budgetkit.check.findings import FAMILY_NAMES
from budgetkit.explore import charts, display as show
from budgetkit.reference import kind_names

ALL = "全部 / all"


def _table_label(t) -> str:
    no = f"{t.table_no} " if t.table_no else ""
    return f"#{t.index} {no}{t.title} [{show.kind_label(t.kind)}]"


def _dropdown(options, description, width="520px", value=None) -> W.Dropdown:
    """A Dropdown created WITH its options and a chosen value: never an empty first view."""
    options = list(options)
    values = [o[1] if isinstance(o, tuple) else o for o in options]
    dd = W.Dropdown(options=options, description=description, style={"description_width": "initial"},
                    layout=W.Layout(width=width))
    if values:
        dd.value = value if value in values else values[0]
    return dd


def _set_options(dd: W.Dropdown, options, value=None) -> None:
    """Replace a Dropdown's options and select ``value`` (or the first option) in one step."""
    options = list(options)
    values = [o[1] if isinstance(o, tuple) else o for o in options]
    dd.options = options
    if values:
        dd.value = value if value in values else values[0]


def static_html(w) -> str:
    """A static picture of a widget's current view, for readers without a kernel (HTML exports, GitHub).

    Dropdowns show their chosen option, HTML widgets their HTML, Output widgets their HTML or text.
    """
    if isinstance(w, W.HTML):
        return w.value
    if isinstance(w, (W.Dropdown, W.Select)):
        label = next((lab for lab, v in zip(w._options_labels, w._options_values) if v == w.value), "")
        return f"<p><b>{html.escape(w.description or '')}</b> {html.escape(str(label))}</p>"
    if isinstance(w, W.Output):
        parts = []
        for o in w.outputs:
            data = o.get("data", {})
            if "text/html" in data:
                parts.append(data["text/html"])
            elif "text/plain" in data or "text" in o:
                parts.append(f"<pre>{html.escape(data.get('text/plain') or o.get('text', ''))}</pre>")
        return "".join(parts)
    if isinstance(w, W.Tab):
        return "".join(f"<h3>{html.escape(w.get_title(i) or '')}</h3>{static_html(c)}" for i, c in enumerate(w.children))
    if isinstance(w, W.Box):
        return "<div>" + "".join(static_html(c) for c in w.children) + "</div>"
    return ""


def show_widget(view) -> None:
    """Display a live widget and, beside it, a static picture of its first view (``text/html``).

    JupyterLab and Voilà draw the live widget; an HTML export or a viewer without a kernel shows the picture.
    """
    bundle = view._repr_mimebundle_()
    bundle = dict(bundle[0]) if isinstance(bundle, tuple) else dict(bundle)
    bundle["text/html"] = f"<div class='bk-static'>{static_html(view)}</div>"
    display(bundle, raw=True)


class _Guarded:
    """Runs callbacks inside the error Output so failures are visible."""

    def __init__(self):
        self.errors = W.Output(layout=W.Layout(border="0px"))
        self.last_error: str | None = None

    _mute = False

    def _watch(self, fn):
        """An observer: guarded, and silent while the widget sets several controls itself."""
        guarded = self._guard(fn)

        def wrapped(*args, **kwargs):
            if not self._mute:
                return guarded(*args, **kwargs)
        return wrapped

    def _quiet(self):
        outer = self

        class _Ctx:
            def __enter__(self):
                self.was, outer._mute = outer._mute, True

            def __exit__(self, *exc):
                outer._mute = self.was
        return _Ctx()

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

    def __init__(self, disclosures: dict, charts: bool = True):
        """``charts=False``: the composition charts wait for :meth:`draw_charts` (the app shows the tables
        first; drawing a chart costs about a second)."""
        super().__init__()
        self.disclosures = disclosures
        self._charts = charts
        self.doc = _dropdown(list(disclosures), "文件 / document")
        self.unit = _dropdown([ALL], "单位 / unit")
        self.table = _dropdown([], "表格 / table", width="720px")
        self.printed = W.HTML()
        self.tidy = W.HTML()
        self.chart_out = W.Output()
        for w, css in ((self.printed, "bk-printed"), (self.tidy, "bk-tidy"), (self.chart_out, "bk-charts"),
                       (self.table, "bk-table-select")):
            w.add_class(css)  # stable hooks for styling and browser tests
        self.doc.observe(self._watch(self._on_doc), names="value")
        self.unit.observe(self._watch(self._on_unit), names="value")
        self.table.observe(self._watch(self._on_table), names="value")
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
        recognised = [t.index for t in d.tables if t.kind != "unknown"]
        with self._quiet():
            _set_options(self.unit, [ALL] + units, ALL)
            _set_options(self.table, [(_table_label(t), t.index) for t in d.tables],
                         recognised[0] if recognised else None)
        self._on_table()
        self._draw_charts()

    def _on_unit(self, *_):
        self._on_table()
        self._draw_charts()

    def draw_charts(self):
        """Draw the composition charts now, and from now on whenever the document or unit changes."""
        self._charts = True
        self._guard(self._draw_charts)()

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
        self.printed.value = head + t.frame.rename_axis("行号 / row").to_html(max_rows=1000, na_rep="", border=0)
        a = d.amounts[d.amounts["table_index"] == t.index]
        if self.unit.value and self.unit.value != ALL:
            a = a[a["unit_name"] == self.unit.value]
        readable = show.amounts(a).drop(columns=["表 / table", "种类 / kind"])
        self.tidy.value = show.to_html(readable, 1000) if len(a) else \
            "<i>本表没有金额 / no amounts in this table</i>"

    def _draw_charts(self):
        self.chart_out.outputs = ()
        if not self._charts:
            self.chart_out.append_stdout("构成图稍后绘制 / the charts follow\n")
            return
        d = self.disclosure
        unit = None if self.unit.value in (None, ALL) else self.unit.value
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
        show_widget(self.view)


class FindingsBrowser(_Guarded):
    """Filter findings by family and severity; choosing one shows its source rows or quote.

    The list opens on errors, then warnings, then review: what a reader must look at first.  Not-evaluated and
    info lines are folded under headings of their own below it, never the first item selected."""

    FOLDED = (("not_evaluated", "未评估 / not evaluated"), ("info", "提示 / info"))

    def __init__(self, findings):
        super().__init__()
        self.findings = findings
        fams = [(ALL, None)] + [(f"{zh} / {en}", k) for k, (zh, en) in FAMILY_NAMES.items()]
        sevs = [(ALL, None)] + [(show.severity_label(k), k) for k in show.SEVERITY_NAMES]
        self.family = _dropdown(fams, "类别 / family", "320px")
        self.severity = _dropdown(sevs, "级别 / severity", "260px")
        self.list = W.Select(rows=10, layout=W.Layout(width="95%"))
        self.detail = W.HTML()
        self.list.add_class("bk-findings-list")
        self.detail.add_class("bk-finding-detail")
        self.folded_lists = {k: W.Select(rows=8, layout=W.Layout(width="95%")) for k, _ in self.FOLDED}
        self.folded = W.Accordion(children=list(self.folded_lists.values()))
        self.folded.add_class("bk-findings-folded")
        for w in (self.family, self.severity):
            w.observe(self._watch(self._refilter), names="value")
        for w in (self.list, *self.folded_lists.values()):
            w.observe(self._watch(lambda ch: self._picked(ch["owner"])), names="value")
        self.view = W.VBox([W.HBox([self.family, self.severity]), self.errors, self.list, self.folded, self.detail])
        self._refilter()

    def visible(self) -> list:
        """The findings the filters let through, errors first, then warnings, review, info."""
        order = {k: i for i, k in enumerate(show.SEVERITY_NAMES)}
        return sorted((f for f in self.findings
                       if (self.family.value is None or f.family == self.family.value)
                       and (self.severity.value is None or f.severity == self.severity.value)),
                      key=lambda f: order.get(f.severity, len(order)))

    def _fold(self, f) -> str | None:
        """Which folded heading a finding goes under (None: the main list); a severity chosen in the filter
        is listed in the main list."""
        if self.severity.value is not None or f.severity != "info":
            return None
        return "not_evaluated" if f.status == "not_evaluated" else "info"

    @staticmethod
    def _label(f) -> str:
        return (f"[{f.rule} {show.SEVERITY_NAMES.get(f.severity, (f.severity,))[0]}/{f.severity}] "
                f"{f.message[:90]}{'…' if len(f.message) > 90 else ''}")

    def _refilter(self, *_):
        items = self.visible()
        self._items = items
        groups: dict = {None: [], **{k: [] for k, _ in self.FOLDED}}
        for i, f in enumerate(items):
            groups[self._fold(f)].append((self._label(f), i))
        with self._quiet():
            _set_options(self.list, groups[None], 0)
            if not groups[None]:
                self.list.value = None
            for j, (k, title) in enumerate(self.FOLDED):
                self.folded_lists[k].options = groups[k]
                self.folded_lists[k].value = None
                self.folded.set_title(j, f"{title} ({len(groups[k])})")
            self.folded.selected_index = None  # folded: opened by the reader
        self.folded.layout.display = "" if any(groups[k] for k, _ in self.FOLDED) else "none"
        self._show()

    def _picked(self, owner):
        """One selection at a time across the main list and the folded ones."""
        if owner.value is None:
            return
        with self._quiet():
            for w in (self.list, *self.folded_lists.values()):
                if w is not owner:
                    w.value = None
        self._show(owner.value)

    def _show(self, index=None):
        index = self.list.value if index is None else index
        if index is None:
            folded = sum(len(w.options) for w in self.folded_lists.values())
            self.detail.value = ("<i>没有符合条件的发现 / no findings match</i>" if not folded else
                                 f"<i>没有错误、警告或待核对项；{folded} 条未评估或提示见上方折叠处 / no error, warning "
                                 f"or review item; {folded} not-evaluated or info line(s) folded above</i>")
            return
        f = self._items[index]
        e = html.escape
        parts = [f"<p><b>[{e(f.rule)}] {e(f.message)}</b><br><i>{e(f.message_en)}</i></p>",
                 f"<p>{e(show.status_label(f))} · {e(show.severity_label(f.severity))} · "
                 f"检查 / checks: {e(f.title)}</p>"]
        d = f.to_dict()
        if f.expected is not None or f.actual is not None:
            parts.append(f"<p>应为 / expected {e(show._num(d['expected']))} · 实为 / actual "
                         f"{e(show._num(d['actual']))} · 差额 / difference {e(show._num(d['difference']))} "
                         f"{e(f.unit or '')}</p>")
        quotes = [l for l in f.locations if "quote" in l]
        cells = [l for l in f.locations if "quote" not in l]
        from budgetkit.report.findings import page_words  # 「第18页（页码印 17 / …）」 as the CLI and report say it

        for q in quotes:
            pw = page_words(q)
            pw = pw if "printed" in pw else f"{pw or '第–页'} / page"
            parts.append(f"<blockquote>{e(pw)} · {e(q.get('section') or '')}"
                         f"<br>“{e(q['quote'])}”</blockquote>")
        if cells:
            names = {"page": "页 / page", "table_no": "表号 / no.", "table_title": "表 / table",
                     "row_label": "行 / row", "column_label": "列 / column", "raw": "原文 / printed"}
            frame = pd.DataFrame(cells).reindex(columns=list(names))
            frame["page"] = [page_words(c) or show.integer(c.get("page")) for c in cells]
            frame = frame.map(show.text).rename(columns=names)
            parts.append(frame.to_html(index=False, na_rep="", border=0, escape=True))
        self.detail.value = "".join(parts)

    def _ipython_display_(self):
        show_widget(self.view)


class TargetsBrowser(_Guarded):
    """Choose a unit and a project; see its indicator tree with the quality flags, and its weights."""

    def __init__(self, disclosure, findings=None):
        super().__init__()
        from budgetkit.check import check

        self.d = disclosure
        self.findings = findings if findings is not None else check(disclosure)
        self.targets = disclosure.targets[disclosure.targets["level3"].notna()]
        units = sorted(set(self.targets["unit_name"].dropna()))
        self.unit = _dropdown(units or [ALL], "单位 / unit")
        self.project = _dropdown([], "项目 / project")
        self.tree = W.HTML()
        self.tree.add_class("bk-target-tree")
        self.chart_out = W.Output()
        self.unit.observe(self._watch(self._on_unit), names="value")
        self.project.observe(self._watch(self._on_project), names="value")
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
        t = self.targets[self.targets["unit_name"] == self.unit.value] \
            if self.unit.value not in (None, ALL) else self.targets
        with self._quiet():
            _set_options(self.project, list(dict.fromkeys(t["project_name"].dropna())))
        self._on_project()

    def _on_project(self, *_):
        e = html.escape
        name = self.project.value
        if not name:
            self.tree.value = "<i>没有绩效目标 / no performance targets</i>"
            self.chart_out.outputs = ()
            return
        t = self.targets[self.targets["project_name"] == name]
        first = t.iloc[0]
        budget = show.amount(first["budget"], 2)
        parts = [f"<p><b>{e(name)}</b> · {e(show.text(first['project_code']))}"
                 + (f" · 预算 / budget {e(budget)} {e(show.text(first['budget_unit']))}" if budget else "")
                 + "</p>"]
        for f in self._flags(name):
            parts.append(f"<div style='color:#b35900'>⚑ [{f.rule}] {e(f.message)}<br><i>{e(f.message_en)}</i></div>")
        parts.append("<ul>")
        for level1, g1 in t.groupby("level1", sort=False, dropna=False):
            level1 = show.text(level1)
            parts.append(f"<li><b>{e(level1)}</b> / {e(glossary.english(level1))}<ul>")
            for level2, g2 in g1.groupby("level2", sort=False, dropna=False):
                parts.append(f"<li>{e(show.text(level2))}<ul>")
                for _, r in g2.iterrows():
                    flags = self._flags(name, r["level3"])
                    mark = "".join(f" <span style='color:#c0392b' title='{e(f.message_en)}'>⚑{e(f.rule)}</span>"
                                   for f in flags)
                    w = r["weight"]
                    weight = "" if show.missing(w) else f" · 权重 / weight {e(format(w.normalize(), 'f'))}"
                    parts.append(f"<li>{e(show.text(r['level3']))} {e(show.text(r['operator']))} "
                                 f"{e(show.text(r['value']))}{e(show.text(r['measure_unit']))}{weight}{mark}</li>")
                parts.append("</ul></li>")
            parts.append("</ul></li>")
        parts.append("</ul>")
        self.tree.value = "".join(parts)
        self.chart_out.outputs = ()
        c = charts.weights_chart(self.targets, name)
        if c is not None:
            self.chart_out.append_display_data(HTML(charts.to_svg(c)))

    def _ipython_display_(self):
        show_widget(self.view)


class PanelBrowser(_Guarded):
    """Year over year: choose a series, a table and ONE code level; see the lines as printed and the top movers.

    Rankings compare lines of one table and one level only (类, 款 or 项): 201, 20131 and 2013101 hold the
    same money, so mixing them would count it several times; the level chosen filters the lines shown too.
    A series may be given as a function that makes its panel: it is called when the series is first chosen
    (reading several years takes a while; the app offers its examples so).
    """

    def __init__(self, panels: dict):
        super().__init__()
        self.panels = dict(panels)
        self.series = _dropdown(list(panels), "系列 / series")
        self.table = _dropdown([], "表格 / table")
        self.level = _dropdown([], "层级 / level", "260px")
        self.lines = W.HTML()
        self.lines.add_class("bk-panel-lines")
        self.chart_out = W.Output()
        self.series.observe(self._watch(self._on_series), names="value")
        self.table.observe(self._watch(self._on_table), names="value")
        self.level.observe(self._watch(self._draw), names="value")
        self.view = W.VBox([W.HBox([self.series, self.table, self.level]), self.errors, self.lines,
                            W.HTML("<b>变化最大的科目（同一表、同一层级）/ top movers (one table, one level)</b>"),
                            self.chart_out])
        self._guard(self._on_series)()

    @property
    def panel(self):
        p = self.panels[self.series.value]
        if callable(p):
            self.lines.value = "<i>正在对齐各年数据 / aligning the years …</i>"
            p = self.panels[self.series.value] = p()
        return p

    def _on_series(self, *_):
        p = self.panel
        kinds = list(dict.fromkeys(p.lines["table_kind"]))
        coded = [k for k in kinds if p.levels(k)]
        with self._quiet():
            _set_options(self.table, [(show.kind_label(k), k) for k in kinds], coded[0] if coded else None)
        self._on_table()

    def _on_table(self, *_):
        levels = self.panel.levels(self.table.value) if self.table.value else []
        with self._quiet():
            _set_options(self.level, [(show.level_label(lv), lv) for lv in levels] or [("– / none", None)])
        self._draw()

    def _draw(self, *_):
        p = self.panel
        lines = show.panel_lines(p, self.table.value, level=self.level.value)
        self.lines.value = show.to_html(lines) if len(lines) else "<i>没有行 / no lines</i>"
        self.chart_out.outputs = ()
        c = charts.top_movers(p, level=self.level.value, table_kind=self.table.value) if self.level.value else None
        if c is None:
            self.chart_out.append_stdout("本表没有编码科目可排名 / no coded lines to rank in this table\n")
        else:
            self.chart_out.append_display_data(HTML(charts.to_svg(c)))

    def _ipython_display_(self):
        show_widget(self.view)
