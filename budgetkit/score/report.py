"""A scorecard as terminal text, JSON, Markdown or one offline HTML file (Chinese first, English beside)."""
from __future__ import annotations

import html
import json

from budgetkit.report.findings import json_default
from budgetkit.report.safe import md
from budgetkit.score.engine import PARTS, STATUS_NAMES, Scorecard


def _num(x) -> str:
    return "—" if x is None else f"{x:.0f}"


def _pct(x) -> str:
    return "—" if x is None else f"{x:.0%}"


def _level(i) -> str:
    if i.status in ("N/A", "N/E"):
        return i.status
    return "—" if i.level is None else str(i.level)


def _ev(e: dict) -> str:
    bits = []
    if e.get("page") is not None:
        bits.append(f"第{e['page']}页 / p. {e['page']}")
    for k in ("table", "row", "note", "quote"):
        if e.get(k):
            bits.append(str(e[k]))
    if e.get("rule"):
        bits.append(f"[{e['rule']}]")
    return " · ".join(bits)


def _head(s: Scorecard) -> list[str]:
    m = s.meta
    parts = "  ".join(f"{p} {v['name']}/{v['name_en']} {_num(v['score'])}"
                      for p, v in s.parts.items())
    return [f"{m.get('department') or s.doc_id} · {m.get('year') or ''} {m.get('stage') or ''} · {s.doc_id}",
            f"透明度得分 / transparency score: {s.line()}",
            f"分项 / parts: {parts}",
            "等级 100/67/33/0；N/A 不适用，N/E 无法评估（不计入总分，也不按满分或零分计） / levels 100/67/33/0; "
            "N/A not applicable, N/E not evaluable (left out of the total, never full marks nor 0)"]


def to_text(s: Scorecard) -> str:
    out = _head(s) + [""]
    for i in s.items:
        w = "—" if i.weight is None else f"{i.weight:g}"
        st = "" if i.status == "scored" else f" ({STATUS_NAMES[i.status][0]} / {STATUS_NAMES[i.status][1]})"
        out.append(f"{i.id} {i.title_zh} / {i.title_en}  [{w}]  {_level(i)}{st}")
        out.append(f"    {i.why} / {i.why_en}")
        if i.status in ("scored", "bonus") and (i.level or 0) < 100 or i.status == "N/E":
            for e in i.evidence[:4]:
                out.append(f"    → {_ev(e)}")
    return "\n".join(out) + "\n"


def to_json(s: Scorecard) -> str:
    return json.dumps(s.to_dict(), ensure_ascii=False, indent=2, default=json_default)


def to_markdown(s: Scorecard) -> str:
    h = _head(s)
    out = [f"# 透明度评分 / Transparency scorecard — {md(h[0])}", "", f"**{md(h[1])}**", "", md(h[3]), "",
           "| 部分 / part | 得分 / score | 覆盖 / coverage |", "|---|---|---|"]
    for p, v in s.parts.items():
        sc = "—" if v["score"] is None else f"{v['score']:.0f}"
        cov = "—" if v["coverage"] is None else f"{v['coverage']:.0%}"
        out.append(f"| {p} {v['name']} / {v['name_en']} | {sc} | {cov} |")
    out += ["", "| id | 项目 / item | 权重 / weight | 等级 / level | 理由 / why | 证据 / evidence |", "|---|---|---|---|---|---|"]
    for i in s.items:
        w = "—" if i.weight is None else f"{i.weight:g}"
        ev = "<br>".join(md(_ev(e)) for e in i.evidence[:4])
        out.append(f"| {i.id} | {md(i.title_zh)} / {md(i.title_en)} | {w} | {_level(i)} | {md(i.why)} / {md(i.why_en)} | {ev} |")
    return "\n".join(out) + "\n"


def to_html(s: Scorecard) -> str:
    e = html.escape
    h = _head(s)
    rows = []
    for i in s.items:
        w = "—" if i.weight is None else f"{i.weight:g}"
        ev = "".join(f"<li>{e(_ev(x))}</li>" for x in i.evidence[:6])
        cls = "na" if i.status in ("N/A", "N/E") else ("low" if (i.level or 0) < 67 else "ok")
        rows.append(f"<tr class='{cls}'><td>{e(i.id)}</td><td>{e(i.title_zh)}<br><small>{e(i.title_en)}</small></td>"
                    f"<td>{w}</td><td>{e(_level(i))}</td><td>{e(i.why)}<br><small>{e(i.why_en)}</small></td>"
                    f"<td><ul>{ev}</ul></td><td>{e(i.rule)}</td></tr>")
    parts = "".join(f"<tr><td>{p} {e(v['name'])} / {e(v['name_en'])}</td>"
                    f"<td>{_num(v['score'])}</td>"
                    f"<td>{_pct(v['coverage'])}</td></tr>"
                    for p, v in s.parts.items())
    style = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
             "padding:4px;vertical-align:top}tr.low td:nth-child(4){color:#b00;font-weight:bold}"
             "tr.na td:nth-child(4){color:#777}ul{margin:0;padding-left:1.2em}")
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>透明度评分 / Transparency scorecard"
            f"</title><style>{style}</style></head><body><h1>透明度评分 / Transparency scorecard</h1>"
            f"<p>{e(h[0])}</p><p><b>{e(h[1])}</b></p><p><small>{e(h[3])}</small></p>"
            f"<table><tr><th>部分 / part</th><th>得分 / score</th><th>覆盖 / coverage</th></tr>{parts}</table><br>"
            f"<table><tr><th>id</th><th>项目 / item</th><th>权重 / weight</th><th>等级 / level</th><th>理由 / why</th>"
            f"<th>证据 / evidence</th><th>规则 / rule</th></tr>{''.join(rows)}</table></body></html>")


def render(s: Scorecard, fmt: str) -> str:
    return {"text": to_text, "json": to_json, "md": to_markdown, "html": to_html}[fmt](s)


__all__ = ["render", "to_text", "to_json", "to_markdown", "to_html", "PARTS"]
