"""Render a budget execution as text, JSON, Markdown or offline HTML.

Amounts are shown as printed (thousands separators, two decimals) in 万元, the rate with two decimals and a
%, missing values blank; every line names the pages its figures come from.
"""
from __future__ import annotations

import html
from decimal import Decimal

import pandas as pd

from budgetkit.report.safe import md

LINE_COLS = [("code", "科目编码 / code"), ("name", "名称 / name"), ("level", "级次 / level"),
             ("budget", "预算数（万元）/ budget"), ("budget_page", "预算页 / p."),
             ("final", "决算数（万元）/ final"), ("final_page", "决算页 / p."),
             ("difference", "差额（万元）/ difference"), ("rate", "执行率 / rate"),
             ("budget_carry_in", "预算上年结转 / carry-in budgeted"),
             ("final_fiscal_income", "决算财政拨款收入 / appropriation received"),
             ("note", "说明 / note")]
ENTRY_COLS = [("entry", "序号 / no."), ("kind", "类型 / kind"), ("subject", "对象 / subject"), ("code", "科目 / code"),
              ("stated_budget", "所述预算（万元）/ stated budget"), ("stated_final", "所述决算（万元）/ stated final"),
              ("stated_rate", "所述比率 / stated rate"), ("table_budget", "表中预算 / table budget"),
              ("table_final", "表中决算 / table final"), ("recomputed_rate", "复算比率 / recomputed"),
              ("direction", "方向 / direction"),
              ("reason", "原因 / reason"), ("page", "页 / p.")]
SECTIONS = {"function": "功能分类 / by function", "summary": "收支总表 / summary", "三公": "“三公”经费 / 三公"}


def _amount(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return ""
    if isinstance(v, Decimal):
        q = v if -v.as_tuple().exponent >= 2 else v.quantize(Decimal("0.01"))
        return f"{q:,}"
    return str(v)


def _cell(col, v) -> str:
    if col in ("rate", "stated_rate", "recomputed_rate"):
        return "" if v is None or (isinstance(v, float) and pd.isna(v)) else f"{v}%"
    if col in ("stated_budget", "stated_final"):  # as the text prints them
        return "" if v is None or (isinstance(v, float) and pd.isna(v)) else f"{v:,}"
    if col in ("budget_page", "final_page", "page", "entry"):
        return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(int(v))
    if col in ("note", "reason", "name", "subject", "code", "level", "kind", "direction"):
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return ""
        return str(v).split(" / ")[0] if col == "note" else str(v)
    return _amount(v)


def _rows(df: pd.DataFrame, cols) -> list[list[str]]:
    return [[_cell(c, r[c]) for c, _ in cols] for r in df.to_dict("records")]


def _head(x) -> list[str]:
    docs = " + ".join(str(m.get("doc_id")) for m in (x.budget_meta, x.final_meta) if m)
    c = x.findings.counts()
    out = [f"预算执行 / budget execution: {x.unit} {x.year} ({docs})",
           f"金额单位 / unit: 万元; 年初口径 / basis: {x.basis}",
           f"发现 / findings: 错误 {c['error']} / errors, 警告 {c['warning']} / warnings, 待核对 {c['review']} / review, "
           f"提示 {c['info']} / info"]
    if x.tables:
        out.append("表 / tables: " + "; ".join(f"{k}: {v}" for k, v in x.tables.items() if v and k.endswith("table")))
    return out


def _findings_text(x) -> list[str]:
    out = []
    for f in x.findings:
        loc = f.locations[0] if f.locations else {}
        page = f"第{loc['page']}页 / p.{loc['page']}" if loc.get("page") else ""
        out.append(f"[{f.rule}] {f.severity}/{f.status} {page}: {f.message} / {f.message_en}")
    return out


def to_text(x) -> str:
    out = _head(x) + [""]
    for sec, title in SECTIONS.items():
        df = x.lines[x.lines["section"] == sec]
        if df.empty:
            continue
        out.append(f"== {title} ==")
        out += ["  ".join(h.split(" / ")[0] for _, h in LINE_COLS)]
        out += ["  ".join(r) for r in _rows(df, LINE_COLS)]
        out.append("")
    if len(x.funds):
        out.append("== 资金变动 / from budget to final ==")
        out += [f"{r['step']}: {_amount(r['amount'])} ({r['status']})" for r in x.funds.to_dict("records")]
        out.append("")
    if len(x.entries):
        out.append("== 决算说明所述执行情况 / execution as the 决算 states it ==")
        out += ["  ".join(h.split(" / ")[0] for _, h in ENTRY_COLS)]
        out += ["  ".join(r) for r in _rows(x.entries, ENTRY_COLS)]
        out.append("")
    out.append("== 发现 / findings ==")
    out += _findings_text(x) or ["（无 / none）"]
    return "\n".join(out) + "\n"


def _md_table(df, cols) -> list[str]:
    out = ["| " + " | ".join(h for _, h in cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(md(v) for v in r) + " |" for r in _rows(df, cols)]
    return out


def to_md(x) -> str:
    out = ["# " + md(_head(x)[0]), ""] + [md(s) + "  " for s in _head(x)[1:]] + [""]
    for sec, title in SECTIONS.items():
        df = x.lines[x.lines["section"] == sec]
        if len(df):
            out += [f"## {title}", ""] + _md_table(df, LINE_COLS) + [""]
    if len(x.entries):
        out += ["## 决算说明所述执行情况 / execution as the 决算 states it", ""] + _md_table(x.entries, ENTRY_COLS) + [""]
    out += ["## 发现 / findings", ""] + [f"- {md(s)}" for s in _findings_text(x)]
    return "\n".join(out) + "\n"


def _html_table(df, cols) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for _, h in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r) + "</tr>" for r in _rows(df, cols))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(x) -> str:
    parts = [f"<h1>{html.escape(_head(x)[0])}</h1>"] + [f"<p>{html.escape(s)}</p>" for s in _head(x)[1:]]
    for sec, title in SECTIONS.items():
        df = x.lines[x.lines["section"] == sec]
        if len(df):
            parts += [f"<h2>{html.escape(title)}</h2>", _html_table(df, LINE_COLS)]
    if len(x.entries):
        parts += ["<h2>决算说明所述执行情况 / execution as the 决算 states it</h2>", _html_table(x.entries, ENTRY_COLS)]
    parts.append("<h2>发现 / findings</h2><ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in _findings_text(x))
                 + "</ul>")
    style = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:13px}"
             "td,th{border:1px solid #ccc;padding:2px 6px}td{text-align:right}")
    return (f"<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>budget execution</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>\n")


def render(x, fmt: str = "text") -> str:
    if fmt == "json":
        return x.to_json() + "\n"
    return {"text": to_text, "md": to_md, "html": to_html}[fmt](x)
