"""Altair charts that draw with no internet.

altair 6 emits the Vega-Lite v6 mime type, which JupyterLab 4's built-in
renderer does not draw, and altair's HTML renderers fetch JavaScript from a
CDN.  budgetkit renders every chart to SVG in the kernel with vl-convert
(bundled, offline) and hands JupyterLab plain ``image/svg+xml``.  Text stays
text, so Chinese labels use the browser's CJK fonts.
"""
from __future__ import annotations

from decimal import Decimal

import altair as alt
import pandas as pd

from budgetkit.check.ledger import class_name_of

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif"
RENDERER = "budgetkit_svg"


def _vl_version() -> str:
    import vl_convert as vlc

    versions = vlc.get_vegalite_versions()
    return versions[-1]


def to_svg(chart: alt.TopLevelMixin | dict) -> str:
    import vl_convert as vlc

    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    return vlc.vegalite_to_svg(spec, vl_version=_vl_version())


def _svg_renderer(spec: dict, **kwargs) -> dict:
    svg = to_svg(spec)
    # text/html puts the <svg> element itself in the page (JupyterLab shows
    # image/svg+xml as an <img>); image/svg+xml stays for other front ends
    return {"text/html": f"<div class='budgetkit-chart'>{svg}</div>", "image/svg+xml": svg}


def enable_offline() -> None:
    """Make every altair chart in this kernel render to inline SVG (no CDN, no v6 mime)."""
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _svg_renderer)
    alt.renderers.enable(RENDERER)
    alt.themes.enable("default") if hasattr(alt, "themes") else None


def _config(chart: alt.Chart) -> alt.Chart:
    return chart.configure(font=FONT).configure_axis(labelFont=FONT, titleFont=FONT, labelLimit=260) \
        .configure_title(font=FONT, fontSize=13, anchor="start")


FUNCTION_TABLES = ["gpb_expenditure_by_function", "expenditure_summary",
                   "fiscal_appropriation_expenditure_by_function", "income_expenditure_summary"]
ECONOMIC_TABLES = ["gpb_basic_expenditure_by_economic", "fiscal_appropriation_expenditure_by_economic",
                   "fiscal_appropriation_basic_by_economic"]


def composition(d, scheme: str = "function", unit_name: str | None = None) -> pd.DataFrame:
    """Amounts by 类 (function or economic), in 万元, from the most detailed table that has them."""
    a = d.amounts
    if unit_name:
        a = a[a["unit_name"] == unit_name]
    kinds = FUNCTION_TABLES if scheme == "function" else ECONOMIC_TABLES
    for kind in kinds:
        t = a[(a["table_kind"] == kind) & (a["code_scheme"] == scheme) & a["code"].notna()]
        if t.empty:
            continue
        t = t[t["table_index"] == t["table_index"].min()]  # one printed table: never add tables together
        first_col = t.sort_values("col_no")["column_label"].iloc[0]
        t = t[t["column_label"] == first_col]
        top = t[t["code_level"] == "类"]
        if top.empty:  # only 款/项 printed: add them up by their 类
            level = "款" if (t["code_level"] == "款").any() else "项"
            top = t[t["code_level"] == level]
        rows = {}
        for code, yuan in zip(top["code"].str[:3], top["amount_yuan"]):
            rows[code] = rows.get(code, Decimal(0)) + yuan
        table_title = t["table_title"].iloc[0]
        out = pd.DataFrame({
            "code": list(rows),
            "name": [class_name_of(c) or c for c in rows],
            "amount_wan": [float(v / Decimal(10000)) for v in rows.values()],
        })
        out["table"] = table_title
        return out.sort_values("amount_wan", ascending=False).reset_index(drop=True)
    return pd.DataFrame(columns=["code", "name", "amount_wan", "table"])


def composition_chart(d, scheme: str = "function", unit_name: str | None = None) -> alt.Chart | None:
    df = composition(d, scheme, unit_name)
    if df.empty:
        return None
    title = ("按功能分类（类）/ By function class" if scheme == "function"
             else "按经济分类（类）/ By economic class") + f" — {df['table'].iloc[0]}"
    chart = alt.Chart(df, title=title).mark_bar(color="#3b6ea5").encode(
        y=alt.Y("name:N", sort="-x", title=None),
        x=alt.X("amount_wan:Q", title="金额（万元）/ amount (10k yuan)"),
        tooltip=["code", "name", alt.Tooltip("amount_wan:Q", format=",.2f")],
    ).properties(width=420, height=max(60, 26 * len(df)))
    return _config(chart)


def weights_chart(targets: pd.DataFrame, project_name: str | None = None) -> alt.Chart | None:
    """Indicator weights by level-1 indicator (one project, or all)."""
    t = targets if project_name is None else targets[targets["project_name"] == project_name]
    t = t[t["weight"].notna()]
    if t.empty:
        return None
    df = pd.DataFrame({"level1": t["level1"].astype(str), "weight": [float(w) for w in t["weight"]]})
    df = df.groupby("level1", as_index=False)["weight"].sum()
    if project_name:
        title = f"各一级指标权重 / weights by level-1 indicator — {project_name}"
    else:
        k = t["project_name"].nunique()
        title = [f"各一级指标权重：{k} 个项目合计 / weights by level-1 indicator, summed over {k} projects",
                 "每个项目的权重见上方浏览器 / each project's own weights: see the browser above"]
    chart = alt.Chart(df, title=title).mark_bar(color="#6a8f3b").encode(
        y=alt.Y("level1:N", title=None, sort="-x"),
        x=alt.X("weight:Q", title="权重 / weight"),
        tooltip=["level1", "weight"],
    ).properties(width=360, height=max(60, 30 * len(df)))
    return _config(chart)


def _panel_class_lines(panel, scheme: str) -> pd.DataFrame:
    L = panel.lines
    kinds = FUNCTION_TABLES if scheme == "function" else ECONOMIC_TABLES
    for kind in kinds:
        t = L[(L["table_kind"] == kind) & L["code"].notna()]
        t = t[t["code"].str.len() == 3]
        if not t.empty:
            return t
    return L.iloc[0:0]


def totals_by_year(panel) -> alt.Chart | None:
    """Total expenditure by year, from the summary tables."""
    L = panel.lines
    for kind in ("expenditure_summary", "income_expenditure_summary", "gpb_expenditure_by_function"):
        t = L[(L["table_kind"] == kind) & L["label"].isin(["合计", "本年支出合计", "支出总计", "支出合计", ""])]
        if not t.empty:
            r = t.iloc[0]
            break
    else:
        return None
    df = pd.DataFrame({"year": [str(y) for y in panel.years],
                       "amount": [None if r[f"value_{y}"] is None else float(r[f"value_{y}"]) for y in panel.years]})
    chart = alt.Chart(df, title=f"支出总额 / total expenditure ({panel.unit})").mark_bar(color="#3b6ea5").encode(
        x=alt.X("year:O", title="年度 / year"), y=alt.Y("amount:Q", title=f"金额（{panel.unit}）/ amount"),
        tooltip=["year", alt.Tooltip("amount:Q", format=",.2f")]).properties(width=320, height=220)
    return _config(chart)


def waterfall(panel, scheme: str = "function", year: int | None = None) -> alt.Chart | None:
    """How the total moved from the previous year, class (类) by class."""
    year = year or panel.years[-1]
    prev = panel.years[panel.years.index(year) - 1]
    t = _panel_class_lines(panel, scheme)
    if t.empty:
        return None
    steps = []
    start = float(sum((v for v in t[f"value_{prev}"] if v is not None), Decimal(0)))
    running = start
    steps.append({"step": f"{prev}年", "start": 0.0, "end": start, "kind": "total"})
    for _, r in t.sort_values(f"change_{year}", key=lambda s: s.map(lambda v: abs(v) if v is not None else 0),
                              ascending=False).iterrows():
        a, b = r[f"value_{year}"], r[f"value_{prev}"]
        change = float((a or Decimal(0)) - (b or Decimal(0)))
        if change == 0:
            continue
        steps.append({"step": class_name_of(r["code"]) or r["label"], "start": running, "end": running + change,
                      "kind": "增加 / up" if change > 0 else "减少 / down"})
        running += change
    steps.append({"step": f"{year}年", "start": 0.0, "end": running, "kind": "total"})
    df = pd.DataFrame(steps)
    df["order"] = range(len(df))
    title = (f"{prev}→{year} 变化（按{'功能' if scheme == 'function' else '经济'}分类类级）/ change by "
             f"{scheme} class ({panel.unit})")
    chart = alt.Chart(df, title=title).mark_bar().encode(
        x=alt.X("step:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("start:Q", title=f"金额（{panel.unit}）"), y2="end:Q",
        color=alt.Color("kind:N", scale=alt.Scale(domain=["total", "增加 / up", "减少 / down"],
                                                  range=["#3b6ea5", "#2e8b57", "#c0392b"]), title=None),
        tooltip=["step", alt.Tooltip("start:Q", format=",.2f"), alt.Tooltip("end:Q", format=",.2f")],
    ).properties(width=max(240, 60 * len(df)), height=260)
    return _config(chart)


def top_movers(panel, n: int = 10, year: int | None = None, level: str = "类",
               table_kind: str | None = None) -> alt.Chart | None:
    """The lines of ONE table and ONE code level (类/款/项) that moved most, in absolute terms.

    Levels are never mixed: 201, 20131 and 2013101 hold the same money, so ranking them together
    would count it several times.
    """
    from budgetkit.explore.display import kind_label, level_label

    year = year or panel.years[-1]
    L = panel.ranked(table_kind, level, year, n)
    if L.empty:
        return None
    prev = panel.years[panel.years.index(year) - 1]
    df = pd.DataFrame({"line": [f"{c} {lab}" for c, lab in zip(L["code"], L["label"])],
                       "change": [float(v) for v in L[f"change_{year}"]]})
    title = [f"{prev}→{year} 变化最大的{level}级科目 / top movers at {level_label(level)} level ({panel.unit})",
             f"{kind_label(L['table_kind'].iloc[0])}（仅此一表、此一层级 / this table and level only）"]
    chart = alt.Chart(df, title=title).mark_bar().encode(
        y=alt.Y("line:N", sort="-x", title=None), x=alt.X("change:Q", title=f"增减（{panel.unit}）/ change"),
        color=alt.condition("datum.change > 0", alt.value("#2e8b57"), alt.value("#c0392b")),
        tooltip=["line", alt.Tooltip("change:Q", format=",.2f")]).properties(width=380, height=26 * len(df))
    return _config(chart)
