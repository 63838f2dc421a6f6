"""The league table and a department's card as widgets, for notebook 07 and the app.

``league_panel(store)``: choose a group (stage, year and level — the only peers a ranking compares), what to rank
by, and a department; see the ranked table with coverage beside every total, a chart of the parts, and the
department's card (each item, its level, the evidence and its page).  ``scorecard_panel(d)``: one disclosure's
card.  Charts are SVG drawn in the kernel (no internet); errors are shown in the widget, never lost.
"""
from __future__ import annotations

import html

import altair as alt
import ipywidgets as W
import pandas as pd

from budgetkit.explore import charts
from budgetkit.explore.widgets import _dropdown, _Guarded, _set_options
from budgetkit.score.engine import PARTS, STATUS_NAMES
from budgetkit.score.league import League, league_from_store, shown_stage
from budgetkit.score.report import _ev, _league_head, _part, _rank, total_line

BY_OPTIONS = [("总分 / total", "total")] + [(f"{p} {zh} / {en}", p) for p, (zh, en) in PARTS.items()]
_STYLE = ("<style>.bk-league-table table,.bk-card table{border-collapse:collapse}.bk-league-table td,"
          ".bk-league-table th,.bk-card td,.bk-card th{border:1px solid #ddd;padding:3px 6px;vertical-align:top}"
          ".bk-league-table tr.marked td{color:#777}.bk-card td.low{color:#b00;font-weight:bold}"
          ".bk-card td.ne{color:#777}</style>")


def _e(x) -> str:
    return html.escape("" if x is None else str(x))


def parts_frame(entries: pd.DataFrame) -> pd.DataFrame:
    """One row per department and part, for the chart: the score (float, for drawing) and its label."""
    rows = []
    for _, r in entries.iterrows():
        who = f"{_rank(r)} {r['name']}" if r["ranked"] else f"— {r['name']}"
        for p, (zh, en) in PARTS.items():
            v = r[p]
            rows.append({"department": who, "part": f"{p} {zh}", "part_en": en,
                         "score": None if pd.isna(v) else float(v),
                         "label": "N/E" if pd.isna(v) else f"{v:.0f}"})
    return pd.DataFrame(rows)


def parts_chart(entries: pd.DataFrame) -> alt.Chart | None:
    """A grid: departments down, parts across, each cell its part score (N/E cells left grey, not 0)."""
    df = parts_frame(entries)
    if df.empty:
        return None
    order = list(dict.fromkeys(df["department"]))
    base = alt.Chart(df).encode(
        y=alt.Y("department:N", sort=order, title=None),
        x=alt.X("part:N", sort=[f"{p} {zh}" for p, (zh, _) in PARTS.items()], title="分项 / part",
                axis=alt.Axis(labelAngle=0, orient="top")))
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("score:Q", scale=alt.Scale(domain=[0, 100], scheme="blues"),
                        title="得分 / score"),
        tooltip=["department", "part", "part_en", "label"])
    text = base.mark_text(fontSize=11).encode(text="label:N")
    chart = (cells + text).properties(width=60 * len(PARTS), height=max(24 * len(order), 40),
                                      title="各部分得分（灰色为无法评估 N/E）/ part scores (grey: N/E)")
    return charts._config(chart)


def league_frame(L: League, group: str | None = None) -> pd.DataFrame:
    """The league for people: one row per disclosure, Chinese headers with English beside, totals with their
    coverage, part scores with their rank in the group, blanks (never NaN) where nothing applies."""
    E = L.entries if group is None else L.entries[L.entries["group"] == group]
    out = pd.DataFrame({"比较组 / peers": list(E["group"]), "名次 / rank": [_rank(r) for _, r in E.iterrows()],
                        "部门 / department": list(E["name"]),
                        "总分 / total": [total_line(t, c) for t, c in zip(E["total"], E["coverage"])]})
    for p, (zh, en) in PARTS.items():
        out[f"{p} {zh} / {en}"] = [_part(r, p, L.min_coverage) for _, r in E.iterrows()]
    out["说明 / note"] = [f"{a} / {b}" if a else "" for a, b in zip(E["mark"], E["mark_en"])]
    return out


def card_frame(s) -> pd.DataFrame:
    """A scorecard for people: each item, its weight and level (or N/A, N/E), why, and where to look."""
    def level(i):
        return f"{i.status} {STATUS_NAMES[i.status][0]}" if i.status in ("N/A", "N/E") else (
            "" if i.level is None else str(i.level))

    def page(i):
        return next((str(e["page"]) for e in i.evidence if e.get("page") is not None), "")
    return pd.DataFrame({"编号 / id": [i.id for i in s.items],
                         "项目 / item": [f"{i.title_zh} / {i.title_en}" for i in s.items],
                         "权重 / weight": ["" if i.weight is None else f"{i.weight:g}" for i in s.items],
                         "等级 / level": [level(i) for i in s.items],
                         "理由 / why": [f"{i.why} / {i.why_en}" if i.why else "" for i in s.items],
                         "页 / page": [page(i) for i in s.items],
                         "证据 / evidence": [_ev(i.evidence[0]) if i.evidence else "" for i in s.items]})


def methods_frame() -> pd.DataFrame:
    """Where each item comes from (reference/scorecard.csv): what is checked, the cut-offs, the rule and its basis."""
    from budgetkit.score.engine import scorecard_items

    return pd.DataFrame([{"编号 / id": r["id"], "项目 / item": f"{r['title_zh']} / {r['title_en']}",
                          "权重 预算/决算 / weight": f"{r['weight_budget'] or '—'} / {r['weight_final'] or '—'}",
                          "检查什么 / what is checked": r["checks"], "等级分界 / cut-offs": r["cutoffs"],
                          "依据 / basis": r["basis"]} for r in scorecard_items()])


def _svg(chart) -> str:
    return "" if chart is None else f"<div class='budgetkit-chart'>{charts.to_svg(chart)}</div>"


def league_table_html(L: League, group: str) -> str:
    g = L.entries[L.entries["group"] == group]
    rows = []
    for _, r in g.iterrows():
        note = f"{r['mark']} / {r['mark_en']}" if r["mark"] else ""
        rows.append(f"<tr class='{'marked' if r['mark'] else 'ranked'}'><td>{_e(_rank(r))}</td><td>{_e(r['name'])}</td>"
                    f"<td>{_e(total_line(r['total'], r['coverage']))}</td>"
                    + "".join(f"<td>{_e(_part(r, p, L.min_coverage))}</td>" for p in PARTS)
                    + f"<td>{_e(note)}</td></tr>")
    head = "".join(f"<th>{p} {_e(zh)}<br><small>{_e(en)}</small></th>" for p, (zh, en) in PARTS.items())
    notes = "".join(f"<li>{_e(x)}</li>" for x in _league_head(L)[1:])
    return (f"{_STYLE}<div class='bk-league-table'><h4>{_e(group)}</h4><table><tr><th>名次 / rank</th>"
            f"<th>部门 / department</th><th>总分 / total</th>{head}<th>说明 / note</th></tr>{''.join(rows)}</table>"
            f"<ul><small>{notes}</small></ul></div>")


def card_html(s) -> str:
    """A scorecard for people: the total with coverage, each item's level, why, and the evidence with its page."""
    rows = []
    for i in s.items:
        if i.status in ("N/A", "N/E"):
            level, cls = f"{i.status} {STATUS_NAMES[i.status][0]}", "ne"
        else:
            level, cls = ("" if i.level is None else str(i.level)), ("low" if (i.level or 0) < 67 else "")
        ev = "<br>".join(_e(_ev(x)) for x in i.evidence[:4])
        w = "" if i.weight is None else f"{i.weight:g}"
        rows.append(f"<tr><td>{_e(i.id)}</td><td>{_e(i.title_zh)}<br><small>{_e(i.title_en)}</small></td><td>{w}</td>"
                    f"<td class='{cls}'>{_e(level)}</td><td>{_e(i.why)}<br><small>{_e(i.why_en)}</small></td>"
                    f"<td><small>{ev}</small></td></tr>")
    m = s.meta
    who = m.get("unit_name") if m.get("scope") == "单位" and m.get("unit_name") else m.get("department")
    parts = " · ".join(f"{p} {v['name']}/{v['name_en']} {'N/E' if v['score'] is None else format(v['score'], '.0f')}"
                       for p, v in s.parts.items())
    return (f"{_STYLE}<div class='bk-card'><h4>{_e(who or s.doc_id)} · {_e(m.get('year') or '')} "
            f"{_e(shown_stage(m.get('stage')))}"
            f" {_e(m.get('scope') or '')}</h4><p><b>{_e(total_line(s.total, s.coverage))}</b></p><p>{_e(parts)}</p>"
            "<table><tr><th>编号 / id</th><th>项目 / item</th><th>权重 / weight</th><th>等级 / level</th>"
            f"<th>理由 / why</th><th>证据（页）/ evidence (page)</th></tr>{''.join(rows)}</table></div>")


class LeagueView(_Guarded):
    """Group, rank-by and department choosers over one league; every view is rebuilt from the League."""

    def __init__(self, league: League):
        super().__init__()
        self.league = league
        E = league.entries
        groups = list(dict.fromkeys(E["group"]))
        ranked = E[E["ranked"]].groupby("group").size()
        first = max(groups, key=lambda g: (ranked.get(g, 0), -groups.index(g))) if groups else None
        self.group = _dropdown(groups, "比较组 / peers (stage · year · level)", value=first)
        self.group.add_class("bk-league-group")
        self.by = _dropdown(BY_OPTIONS, "排名依据 / rank by", width="360px", value=league.by)
        self.dept = _dropdown(self._departments(), "部门 / department")
        self.dept.add_class("bk-league-dept")
        self.table, self.chart, self.card = W.HTML(), W.HTML(), W.HTML()
        self.table.add_class("bk-league")
        self.card.add_class("bk-league-card")
        self.group.observe(self._watch(self._on_group), "value")
        self.by.observe(self._watch(self._on_by), "value")
        self.dept.observe(self._watch(self._show_card), "value")
        self._guard(self._refresh)()
        self.view = W.VBox([W.HBox([self.group, self.by]), self.table, self.chart, self.dept, self.card, self.errors])

    def _departments(self):
        g = self.league.entries[self.league.entries["group"] == self.group.value]
        return [(f"{_rank(r)} {r['name']} ({r['doc_id']})", r["disclosure_id"]) for _, r in g.iterrows()]

    def _on_group(self, *_):
        with self._quiet():
            _set_options(self.dept, self._departments())
        self._refresh()

    def _on_by(self, *_):
        self.league = self.league.ranked_by(self.by.value)
        with self._quiet():
            _set_options(self.dept, self._departments(), self.dept.value)
        self._refresh()

    def _refresh(self):
        if self.group.value is None:
            self.table.value = "<p>这个数据集里没有评分 / no scorecard in this store</p>"
            return
        self.table.value = league_table_html(self.league, self.group.value)
        g = self.league.entries[self.league.entries["group"] == self.group.value]
        self.chart.value = _svg(parts_chart(g[g["total"].notna()]))
        self._show_card()

    def _show_card(self, *_):
        c = self.league.cards.get(self.dept.value)
        if c is not None:
            self.card.value = card_html(c)
            return
        E = self.league.entries
        row = E[E["disclosure_id"] == self.dept.value]
        why = f"{row.iloc[0]['mark']} / {row.iloc[0]['mark_en']}" if len(row) else "未评分，N/E / not scored: N/E"
        self.card.value = (f"<p class='bk-card'>这份公开文件没有评分，不是零分 / this disclosure has no scorecard, "
                           f"which is not 0: {_e(why)}</p>")


def league_panel(store) -> W.Widget:
    """The league of a store (a path) or of a :class:`League`, as one widget."""
    L = store if isinstance(store, League) else league_from_store(store)
    return LeagueView(L).view


def scorecard_panel(disclosure, findings=None) -> W.Widget:
    """One disclosure's scorecard: the total with its coverage, a chart of the parts, each item with its evidence."""
    from budgetkit.score import score

    s = score(disclosure, findings=findings)
    rows = [{"part": f"{p} {v['name']}", "part_en": v["name_en"], "score": v["score"],
             "label": "N/E" if v["score"] is None else f"{v['score']:.0f}"} for p, v in s.parts.items()]
    df = pd.DataFrame(rows)
    bars = alt.Chart(df).mark_bar().encode(
        y=alt.Y("part:N", sort=None, title=None), x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]),
                                                           title="得分 / score"),
        tooltip=["part", "part_en", "label"])
    text = alt.Chart(df).mark_text(align="left", dx=3).encode(y=alt.Y("part:N", sort=None), x="score:Q",
                                                              text="label:N")
    chart = charts._config((bars + text).properties(width=360, title="各部分得分 / part scores"))
    box = W.VBox([W.HTML(_svg(chart)), W.HTML(card_html(s))])
    box.add_class("bk-scorecard")
    return box


__all__ = ["league_panel", "scorecard_panel", "LeagueView", "parts_chart", "card_html", "league_table_html",
           "league_frame", "card_frame", "methods_frame"]
