"""Render a year-over-year panel as text, JSON, Markdown or offline HTML."""
from __future__ import annotations

import html

from budgetkit.check.findings import _dec_str


def _rows(panel, limit=None):
    L = panel.lines
    coded = L[L["code"].notna()] if limit else L
    return coded.head(limit) if limit else coded


def to_text(panel, limit: int = 40) -> str:
    ys = panel.years
    out = [f"跨年比较 / year over year: {' · '.join(d['doc_id'] for d in panel.documents)} ({panel.unit})",
           f"行 / lines {len(panel.lines)}: " + ", ".join(f"{k} {v}" for k, v in
                                                       panel.lines["status"].value_counts().items()), ""]
    head = f"{'kind':<38}{'code':<9}{'label':<22}" + "".join(f"{y:>16}" for y in ys) + f"{'change':>14}{'%':>9}"
    out.append(head)
    for _, r in _rows(panel, limit).iterrows():
        vals = "".join(f"{'' if r[f'value_{y}'] is None else _dec_str(r[f'value_{y}']):>16}" for y in ys)
        ch, pct = r[f"change_{ys[-1]}"], r[f"pct_{ys[-1]}"]
        out.append(f"{r['table_kind'][:37]:<38}{(r['code'] or ''):<9}{(r['label'] or '')[:20]:<22}{vals}"
                   f"{'' if ch is None else _dec_str(ch):>14}{'' if pct is None else _dec_str(pct):>9}")
    out += ["", f"比上年表述核对 / stated changes checked: {panel.evaluated}"]
    for f in panel.statements:
        out.append(f"[{f.rule} {f.severity} {f.status}] {f.message}")
        out.append(f"    {f.message_en}")
    return "\n".join(out) + "\n"


def to_markdown(panel) -> str:
    ys = panel.years
    out = ["# 跨年比较 / Year over year", "", "| kind | code | label | " + " | ".join(map(str, ys)) + " | status |",
           "|---|---|---|" + "---|" * len(ys) + "---|"]
    for _, r in panel.lines.iterrows():
        vals = " | ".join("" if r[f"value_{y}"] is None else _dec_str(r[f"value_{y}"]) for y in ys)
        out.append(f"| {r['table_kind']} | {r['code'] or ''} | {r['label']} | {vals} | {r['status']} |")
    out += ["", "## 比上年表述 / Stated changes", ""]
    out += [f"- **{f.rule}** {f.severity}: {f.message} — _{f.message_en}_" for f in panel.statements] or ["- ✓"]
    return "\n".join(out) + "\n"


def to_html(panel) -> str:
    e = html.escape
    body = to_markdown(panel)
    rows = "".join(f"<tr>{''.join(f'<td>{e(c.strip())}</td>' for c in line.strip('|').split('|'))}</tr>"
                   for line in body.splitlines() if line.startswith("| ") and "---" not in line)
    items = "".join(f"<li>{e(f.message)}<br><i>{e(f.message_en)}</i></li>" for f in panel.statements)
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>跨年比较 / Year over year</title>"
            "<style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em}td{border:1px solid #ddd;padding:2px 6px}"
            "table{border-collapse:collapse;font-size:90%}</style></head><body><h1>跨年比较 / Year over year</h1>"
            f"<table>{rows}</table><h2>比上年表述 / Stated changes</h2><ul>{items}</ul></body></html>")


def render_panel(panel, fmt: str) -> str:
    return {"text": to_text, "json": lambda p: p.to_json(), "md": to_markdown, "html": to_html}[fmt](panel)
