"""Render a budget execution as text, JSON, Markdown or offline HTML.

Amounts are shown as printed (thousands separators, two decimals) in 万元, the rate with two decimals and a
%, missing values blank; every line names the pages its figures come from.
"""
from __future__ import annotations

import html
from decimal import Decimal

import pandas as pd

from budgetkit.check.findings import status_words
from budgetkit.explore.display import SEVERITY_NAMES
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
# a waterfall figure is 印 only when read off a page (its note names the page); otherwise 计算, and its note says how
STATUS_LABELS = {"printed": "印 / printed", "computed": "计算 / computed", "review": "待核对 / review"}
FUND_COLS = [("step", "步骤 / step"), ("amount", "金额（万元）/ amount"), ("status", "来源 / source"),
             ("note", "说明 / note")]


def status_label(v) -> str:
    return STATUS_LABELS.get(v, "" if v is None else str(v))


def note_text(v) -> str:
    """A note made of bilingual parts (``中 / en; 中 / en``) as one Chinese sentence with the English beside."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    parts: list[str] = []
    for piece in str(v).split("; "):
        if parts and " / " not in piece:  # an English part that itself holds "; "
            parts[-1] += "; " + piece
        else:
            parts.append(piece)
    zh = [p.split(" / ", 1)[0] for p in parts]
    en = [p.split(" / ", 1)[1] for p in parts if " / " in p]
    return "；".join(zh) + (" / " + "; ".join(en) if en else "")


def tables_text(x) -> str:
    """The tables joined, by their printed titles and pages (预算表 … 第10页 / budget table …, p.10)."""
    out = []
    for side, zh, en in (("budget", "预算表", "budget table"), ("final", "决算表", "final table")):
        title, pages = x.tables.get(f"{side}_table"), x.tables.get(f"{side}_pages") or []
        if not title:
            continue
        out.append(f"{zh} / {en}: {title}{_pages(pages)}")
    return "；".join(out)


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
    if col == "note":
        return note_text(v)
    if col == "status":
        return status_label(v)
    if col in ("reason", "name", "subject", "code", "level", "kind", "direction", "step"):
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return ""
        return str(v)
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
    if tables_text(x):
        out.append("表 / tables: " + tables_text(x))
    return out


def _findings_text(x) -> list[str]:
    out = []
    for f in x.findings:
        loc = f.locations[0] if f.locations else {}
        page = f"第{loc['page']}页 / p.{loc['page']}" if loc.get("page") else ""
        sev = SEVERITY_NAMES.get(f.severity, (f.severity, f.severity))
        out.append(f"[{f.rule}] {sev[0]} / {sev[1]}，{' / '.join(status_words(f))} {page}: {f.message} / {f.message_en}")
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
        out += [f"{r['step']}: {_amount(r['amount'])}（{status_label(r['status'])}）{note_text(r['note'])}"
                for r in x.funds.to_dict("records")]
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
    if len(x.funds):
        out += ["## 资金变动 / from budget to final", ""] + _md_table(x.funds, FUND_COLS) + [""]
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
    if len(x.funds):
        parts += ["<h2>资金变动 / from budget to final</h2>", _html_table(x.funds, FUND_COLS)]
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


# xlsx: every figure a number in its printed precision (万元), headers in Chinese with English beside
XLSX_LINE_COLS = [("section", "部分 / section"), ("fund", "资金 / fund"), ("code", "科目编码 / code"),
                  ("name", "名称 / name"), ("level", "级次 / level"),
                  ("budget", "预算数（万元）/ budget"), ("budget_basic", "预算基本支出 / budget basic"),
                  ("budget_project", "预算项目支出 / budget project"), ("final", "决算数（万元）/ final"),
                  ("final_basic", "决算基本支出 / final basic"), ("final_project", "决算项目支出 / final project"),
                  ("difference", "差额（万元）/ difference"), ("rate", "执行率（%）/ rate (%)"),
                  ("budget_carry_in", "预算上年结转 / carry-in budgeted"),
                  ("final_fiscal_income", "决算财政拨款收入 / appropriation received"),
                  ("adjustment", "年中调整 / adjustment"), ("stated_budget", "说明所述预算 / stated budget"),
                  ("stated_final", "说明所述决算 / stated final"), ("stated_rate", "说明所述比率（%）/ stated rate (%)"),
                  ("reason", "原因 / reason"), ("flags", "标记 / flags"), ("note", "说明 / note"),
                  ("budget_file", "预算文件 / budget file"), ("budget_page", "预算页 / budget page"),
                  ("final_file", "决算文件 / final file"), ("final_page", "决算页 / final page")]
TABLE_NAMES = {"budget_table": "预算功能分类表 / budget function table",
               "final_table": "决算功能分类表 / final function table"}
SECTION_NAMES = {"function": "功能分类 / by function", "summary": "收支总表 / summary", "三公": "“三公”经费 / 三公"}


def _num(v):
    """A Decimal as printed (at least two decimals), a page as an int, missing as None; text stays text."""
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, Decimal):
        return v if -v.as_tuple().exponent >= 2 else v.quantize(Decimal("0.01"))
    return v


FLAG_NAMES = {"new": "新增 / new", "unspent": "未支出 / unspent", "large deviation": "偏差大 / large deviation"}


def _flag_words(v) -> str | None:
    """A line's flags (``new,unspent``, the data's keys) as words, Chinese first."""
    return "；".join(FLAG_NAMES.get(f, f) for f in str(v).split(",")) if v else None


def _pages(pages) -> str:
    if not pages:
        return ""
    span = str(pages[0]) if pages[0] == pages[-1] else f"{pages[0]}–{pages[-1]}"
    return f"（第{span}页 / {'p.' if pages[0] == pages[-1] else 'pp.'}{span}）"


def execution_sheets(x) -> dict[str, pd.DataFrame]:
    """The sheets of ``budgetkit execution --format xlsx``: lines, the waterfall, the 决算's statements,
    findings (with the rule catalogue and the comparisons made) and what was joined."""
    from budgetkit.export import findings_sheets

    L = x.lines
    lines = pd.DataFrame({h: [SECTION_NAMES.get(v, v) if c == "section" else _flag_words(v) if c == "flags" else
                              (int(v) if c.endswith("_page") and v is not None else _num(v)) for v in L[c]]
                          for c, h in XLSX_LINE_COLS})
    funds = pd.DataFrame({"步骤 / step": list(x.funds["step"]), "金额（万元）/ amount": [_num(v) for v in x.funds["amount"]],
                          "来源 / source": [status_label(v) for v in x.funds["status"]],
                          "说明 / note": list(x.funds["note"])})
    E = x.entries
    entries = pd.DataFrame({h: [None if c not in E else (int(v) if c in ("page", "entry") and v is not None
                                                         and not pd.isna(v) else _num(v)) for v in E.get(c, [])]
                            for c, h in ENTRY_COLS + [("quote", "原文 / quote")]}) if len(E) else \
        pd.DataFrame(columns=[h for _, h in ENTRY_COLS])
    about = pd.DataFrame([{"项 / item": k, "内容 / value": v} for k, v in (
        ("单位 / unit", x.unit), ("年度 / year", x.year), ("金额单位 / amount unit", "万元"),
        ("年初口径 / basis", x.basis),
        *((TABLE_NAMES[k], v + _pages(x.tables.get(k.replace("_table", "_pages")))) for k, v in x.tables.items()
          if v and k in TABLE_NAMES))])
    return {"逐行 lines": lines, "资金变动 funds": funds, "说明所述 statements": entries,
            **findings_sheets(x.findings), "对照 about": about}
