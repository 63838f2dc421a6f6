"""Render a year-over-year panel as text, JSON, Markdown or offline HTML.

Amounts as printed (separators, the documents' printed precision), the unit in the headers, change and
percentage beside each year, table kinds by their Chinese and English names.  Every line is shown unless
a ``limit`` is given, and then the report says how many it left out and how to see them.
"""
from __future__ import annotations

import html

from budgetkit.explore import display as show
from budgetkit.report.safe import md


def _where(loc: dict) -> str:
    if "quote" in loc:
        page = f"第{loc['page']}页 / p.{loc['page']} " if loc.get("page") else ""
        return f"{page}[{loc.get('section') or ''}] “{loc['quote']}”"
    return f"{loc.get('table_title') or ''} {loc.get('row_label') or ''} = {loc.get('raw') or ''}".strip()


def _head(panel) -> list[str]:
    st = panel.lines["status"].value_counts() if len(panel.lines) else {}
    from budgetkit.yoy.panel import STATUS_NAMES as names
    return [f"跨年比较 / year over year: {' · '.join(str(d['doc_id']) for d in panel.documents)}",
            f"金额单位 / unit: {panel.unit}; 行 / lines {len(panel.lines)}: "
            + ", ".join(f"{names.get(k, k)} {v}" for k, v in st.items())]


def to_text(panel, limit: int | None = None) -> str:
    ys = panel.years
    lines = show.panel_lines(panel)
    out = _head(panel) + [""]
    shown = lines if limit is None else lines.head(limit)
    widths = {c: max([len(str(c))] + [len(str(v)) for v in shown[c]]) for c in shown.columns}
    out.append("  ".join(str(c) for c in shown.columns))
    for _, r in shown.iterrows():
        out.append("  ".join(str(r[c]).rjust(widths[c]) if "（" in str(c) or "%" in str(c) else str(r[c])
                             for c in shown.columns))
    if limit is not None and len(lines) > limit:
        out.append(f"…… 另有 {len(lines) - limit} 行未显示；去掉行数限制或用 --format html/md/xlsx 查看全部 / "
                   f"{len(lines) - limit} more lines not shown: drop the limit or use --format html, md or xlsx")
    out += ["", f"比上年表述核对 / stated changes checked: {panel.evaluated}"]
    for f in panel.statements:
        sev = show.SEVERITY_NAMES.get(f.severity, (f.severity,))[0]
        out.append(f"[{f.rule} {sev}/{f.severity} {show.status_label(f)}] {f.message}")
        out.append(f"    {f.message_en}")
        for loc in f.locations:
            out.append(f"    · {_where(loc)}")
    _ = ys
    return "\n".join(out) + "\n"


def to_markdown(panel) -> str:
    lines = show.panel_lines(panel)
    out = ["# 跨年比较 / Year over year", ""] + [md(x) + "  " for x in _head(panel)] + [""]
    out.append("| " + " | ".join(md(c) for c in lines.columns) + " |")
    out.append("|" + "|".join("---:" if ("（" in str(c) or "%" in str(c)) else "---" for c in lines.columns) + "|")
    for _, r in lines.iterrows():
        out.append("| " + " | ".join(md(r[c]) for c in lines.columns) + " |")
    out += ["", "## 比上年表述 / Stated changes", "",
            f"核对 / checked: {panel.evaluated}", ""]
    for f in panel.statements:
        out.append(f"- **{md(f.rule)}** {md(show.severity_label(f.severity))} · {md(f.message)} — _{md(f.message_en)}_")
        out += [f"  - {md(_where(loc))}" for loc in f.locations]
    if not panel.statements:
        out.append("- 未发现不一致 / no inconsistency found")
    return "\n".join(out) + "\n"


_CSS = ("body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;margin:2em auto;"
        "max-width:1200px;color:#222}td,th{border:1px solid #ddd;padding:2px 6px;vertical-align:top}"
        "th{background:#f5f5f5}table{border-collapse:collapse;font-size:90%}td.n{text-align:right;"
        "font-variant-numeric:tabular-nums;white-space:nowrap}.up{color:#2e7d32}.down{color:#c0392b}"
        "blockquote{margin:.3em 0;padding:.2em .8em;background:#fafafa;border-left:3px solid #bbb}")


def to_html(panel) -> str:
    e = html.escape
    lines = show.panel_lines(panel)
    numeric = [c for c in lines.columns if "（" in str(c) or "%" in str(c)]
    head = "".join(f"<th>{e(str(c))}</th>" for c in lines.columns)
    rows = []
    for _, r in lines.iterrows():
        cells = []
        for c in lines.columns:
            v = str(r[c])
            cls = "n" + (" up" if v.startswith("+") else " down" if v.startswith("-") else "") if c in numeric else ""
            cells.append(f"<td class='{cls}'>{e(v)}</td>" if cls else f"<td>{e(v)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    items = []
    for f in panel.statements:
        quotes = "".join(f"<blockquote>{e(_where(loc))}</blockquote>" for loc in f.locations)
        items.append(f"<li>[{e(f.rule)} {e(show.severity_label(f.severity))} · {e(show.status_label(f))}] "
                     f"{e(f.message)}<br><i>{e(f.message_en)}</i>{quotes}</li>")
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>跨年比较 / Year over year</title>"
            f"<style>{_CSS}</style></head><body><h1>跨年比较 / Year over year</h1>"
            + "".join(f"<p>{e(x)}</p>" for x in _head(panel))
            + f"<table><tr>{head}</tr>{''.join(rows)}</table>"
            f"<h2>比上年表述 / Stated changes</h2><p>核对 / checked: {panel.evaluated}</p>"
            f"<ul>{''.join(items) or '<li>未发现不一致 / no inconsistency found</li>'}</ul></body></html>")


def render_panel(panel, fmt: str) -> str:
    return {"text": to_text, "json": lambda p: p.to_json(), "md": to_markdown, "html": to_html}[fmt](panel)
