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
    title = "各一级指标权重 / weights by level-1 indicator" + (f" — {project_name}" if project_name else "")
    chart = alt.Chart(df, title=title).mark_bar(color="#6a8f3b").encode(
        y=alt.Y("level1:N", title=None, sort="-x"),
        x=alt.X("weight:Q", title="权重 / weight"),
        tooltip=["level1", "weight"],
    ).properties(width=360, height=max(60, 30 * len(df)))
    return _config(chart)
