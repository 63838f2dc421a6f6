"""Render findings for people (text, Markdown, HTML) and programs (JSON).

JSON layout: ``{"document": {meta}, "findings": [...]}``; numbers are decimal
strings.  HTML is one self-contained file: inline CSS, no scripts, no CDN.
"""
from __future__ import annotations

import html
import json

from budgetkit.check.findings import FAMILY_NAMES, Findings, rule_table, shown_columns, status_words
from budgetkit.explore.display import SEVERITY_NAMES
from budgetkit.report.safe import md

# what the statuses mean, for every report a person reads
LEGEND = ("舍入差异：差额在印刷精度可解释的范围内（n 个保留两位小数的数相加最多差 n×0.005），不是错误；"
          "未评估：缺少所需的表或数，没有核对——不等于通过；"
          "待核对：发现依赖于一次读取推断（如由内容推断的表名），引用前请核对原页。",
          "rounding: the difference is within what printed precision explains (n figures printed to 0.01 may "
          "differ by n × 0.005), not an error; not evaluated: the tables or figures the rule needs are missing, "
          "so nothing was checked — not the same as passed; review: the finding rests on a reading guess "
          "(e.g. a title inferred from content): check the page before quoting it.")


def _warnings(f: Findings) -> list[str] | None:
    """The reading warnings of the checked document, where the check carries them (``findings.warnings``)."""
    w = getattr(f, "warnings", None)
    if w is None:
        w = f.meta.get("warnings")
    return None if w is None else [str(x) for x in w]


def _document(f: Findings) -> dict:
    m = f.meta
    doc = {k: m.get(k) for k in ("doc_id", "department", "department_code", "units", "year", "stage", "family",
                                 "sources")}
    if "picture_pages" in m:  # pages not read (pictures with no text layer): what was not checked
        doc["picture_pages"] = m["picture_pages"]
    w = _warnings(f)
    if w is not None:
        doc["warnings"] = w
    return doc


def json_default(o):
    """numpy/pandas scalars and decimals in evidence: plain JSON, decimals as strings."""
    from decimal import Decimal

    import pandas as pd

    if isinstance(o, Decimal):
        return format(o, "f")
    if o is pd.NA:
        return None
    if hasattr(o, "item"):  # numpy scalar
        return o.item()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def to_json(f: Findings) -> str:
    """Every rule's finding, each with the number of the printed discrepancy it states (``problem``; findings of
    one discrepancy share it, the first of them heads it); ``summary`` counts distinct problems by severity,
    ``raw`` every rule's finding."""
    heads = {id(x): n for n, x in enumerate(f.problems, start=1)}
    findings = [x.to_dict() | {"problem": heads[id(x.same_as or x)]} for x in f]
    return json.dumps({"document": _document(f), "findings": findings,
                       "summary": {**f.counts(), "problems": len(f.problems), "raw": f.raw_counts(),
                                   "explained": len(f.explained), "evaluated": f.evaluated,
                                   "statements": _coverage_summary(f)}}, ensure_ascii=False, indent=2,
                      default=json_default)


def page_words(loc: dict) -> str:
    """「第30页」, or 「第30页（页码印 29 / p.30 printed 29）」 where the document prints another number on that PDF
    page (``printed_page``, from :mod:`budgetkit.read.page_labels`): every page number is the PDF's."""
    if not loc.get("page"):
        return ""
    n = loc.get("printed_page")
    extra = f"（页码印 {n} / p.{loc['page']} printed {n}）" if n is not None and n != loc["page"] else ""
    return f"第{loc['page']}页{extra}"


def _where(loc: dict) -> str:
    if "quote" in loc:
        page = f"{page_words(loc)} " if loc.get("page") else ""
        return f"{page}[{loc.get('section') or ''}] “{loc['quote']}”"
    page = f"{page_words(loc)} " if loc.get("page") else ""
    no = f"（{loc['table_no']}）" if loc.get("table_no") else ""
    cell = f" {loc.get('row_label') or ''} × {shown_columns(str(loc.get('column_label') or ''))}".rstrip(" ×")
    raw = f" = {loc['raw']}" if loc.get("raw") else ""
    return f"{page}{loc.get('table_title') or ''}{no}{cell}{raw}"


def family_name(meta: dict) -> str:
    """The template family as a reader names it (（四川模板 / Sichuan template）), or nothing when it is not known:
    internal ids such as ``sichuan`` or ``unknown`` never reach a reader."""
    from budgetkit.reference import load_csv

    names = {r["family"]: (r["name_zh"], r["name_en"]) for r in load_csv("family_names.csv")}
    zh_en = names.get(meta.get("family") or "")
    return f"（{zh_en[0]} / {zh_en[1]}）" if zh_en else ""


def _header(f: Findings) -> str:
    m = f.meta
    c = f.counts()
    stage = m.get("stage") if m.get("stage") in ("预算", "决算") else ""
    when = f"{m['year']}年{stage}" if m.get("year") else stage  # no "年" standing alone when no year is printed
    return (f"{m.get('department') or m.get('doc_id')} {when}{family_name(m)} "
            f"— 错误 {c['error']} / errors, 警告 {c['warning']} / warnings, "
            f"待核对 {c['review']} / review, 提示 {c['info']} / info"
            + (f"（其中已解释的差异 {len(f.explained)} / of which explained differences）" if f.explained else "")
            + _raw_note(f))


def _raw_note(f: Findings) -> str:
    """The count of every rule's finding beside the count of distinct problems, when they differ."""
    raw, c = f.raw_counts(), f.counts()
    if raw == c:
        return ""
    keys = [k for k in ("error", "warning", "review", "info") if raw[k] != c[k]]
    zh = "、".join(f"{SEVERITY_NAMES[k][0]} {raw[k]}" for k in keys)
    en = ", ".join(f"{raw[k]} {SECTIONS[k][1] if k != 'info' else 'info'}" for k in keys)
    return f"（同一差异只计一次；按规则逐条计为 {zh} / one count per discrepancy; once per rule: {en}）"


def _coverage_summary(f: Findings) -> dict | None:
    c = getattr(f, "statement_coverage", None)
    if not c:
        return None
    return {k: (round(float(v), 4) if k == "coverage" and v is not None else v) for k, v in c.items() if k in (
        "stated", "passed", "failed", "review", "not_checked", "coverage", "limits_only", "reasons")}


def coverage_line(f: Findings) -> str | None:
    """说明数字核对: how many narrative sentences that state a figure were checked."""
    c = getattr(f, "statement_coverage", None)
    if not c or not c.get("stated"):
        return None
    top = sorted(c.get("reasons") or [], key=lambda r: -r["sentences"])[:2]
    why = "；".join(f"{r['reason']} / {r['reason_en']} ({r['sentences']})" for r in top)
    line = (f"说明数字核对 / statements: 共 {c['stated']} 句 / sentences — 核对通过 {c['passed']} / passed, "
            f"不一致 {c['failed']} / failed, "
            + (f"待核对 {c['review']} / review, " if c.get("review") else "")
            + f"未核对 {c['not_checked']} / not checked "
            f"（覆盖率 / coverage {c['coverage']:.0%}）")
    return line + (f"；未核对主因 / main reasons: {why}" if why else "")


def rules_line(f: Findings) -> str | None:
    """Which rules ran: checked (and how many of them found nothing), and which were not evaluated — so that a
    short report is not read as "everything was checked and passed"."""
    failing = {x.rule for x in f if x.status in ("fail", "review")}
    not_run = sorted({x.rule for x in f if x.status == "not_evaluated"})
    checked = sorted(r for r, n in (f.evaluated or {}).items() if n and r not in not_run)
    if not checked and not not_run:
        return None
    clean = [r for r in checked if r not in failing]
    return (f"规则 / rules: 已核对 {len(checked)} 条 / checked, 其中无问题 {len(clean)} 条 / with nothing found; "
            f"未评估 {len(not_run)} 条 / not evaluated" + (f"（{', '.join(not_run)}）" if not_run else ""))


#: the sections of a findings list, in order: what needs a reader first comes first; information (rounding,
#: explained differences, rules not evaluated) is folded under its own heading at the end
SECTIONS = {"error": ("错误", "errors"), "warning": ("警告", "warnings"), "review": ("待核对", "review"),
            "info": ("提示与未评估", "information and not evaluated")}


def _entries(f: Findings) -> list:
    """(section heading or None, family heading or None, finding, rules): one entry per printed discrepancy,
    errors first, then warnings, review and information, each section by family. A finding that heads others
    (``.also``) names every rule that sees it; rules of one family not evaluated for the same reason, one after
    the other, become one entry naming them all (P01, P02 … 未评估：没有可读的项目绩效目标表)."""
    out: list = []
    sec = fam = None
    for x in f.problems:
        s_head = f_head = None
        if x.severity != sec:
            sec, fam = x.severity, None
            s_head = SECTIONS.get(sec, (sec, sec))
        if x.family != fam:
            fam = x.family
            f_head = FAMILY_NAMES[fam]
        last = out[-1][2] if out else None
        if (x.status == "not_evaluated" and not x.locations and not s_head and not f_head and last is not None
                and last.status == "not_evaluated" and not last.locations and last.message == x.message):
            out[-1][3].append(x.rule)
            continue
        out.append((s_head, f_head, x, list(dict.fromkeys([x.rule] + [a.rule for a in x.also]))))
    return out


def _locations(x) -> list[dict]:
    """A finding's cells and sentences with those of the findings it heads, each once."""
    out, seen = [], set()
    for loc in [l for y in (x, *x.also) for l in y.locations]:
        key = json.dumps(loc, sort_keys=True, ensure_ascii=False, default=str)
        if key not in seen:
            seen.add(key)
            out.append(loc)
    return out


ALSO = ("同一差异另见", "the same discrepancy, also seen by")


def to_text(f: Findings, max_locations: int = 4) -> str:
    lines = [_header(f)] + [x for x in [coverage_line(f), rules_line(f)] if x] \
        + [f"警告 / warning: {w}" for w in (_warnings(f) or [])] + [f"说明 / legend: {LEGEND[0]}", f"    {LEGEND[1]}", ""]
    counts = f.counts()
    for section, heading, x, rules in _entries(f):
        if section:
            lines.append(f"=== {section[0]} / {section[1]}（{counts.get(x.severity, 0)}）===")
        if heading:
            lines.append(f"== {heading[0]} / {heading[1]} ==")
        sev = SEVERITY_NAMES[x.severity][0]
        lines.append(f"[{', '.join(rules)} {sev}/{x.severity} {status_words(x)[0]}] {x.message}")
        lines.append(f"    {x.message_en}")
        for a in x.also:
            lines.append(f"    {ALSO[0]} / {ALSO[1]} {a.rule}: {a.message}")
            lines.append(f"        {a.message_en}")
        locs = _locations(x)
        for loc in locs[:max_locations]:
            lines.append(f"    · {_where(loc)}")
        if len(locs) > max_locations:
            lines.append(f"    · …（另 {len(locs) - max_locations} 处 / {len(locs) - max_locations} more）")
    if not len(f):
        lines.append("未发现问题 / no findings")
    return "\n".join(lines) + "\n"


def to_markdown(f: Findings) -> str:
    """Markdown whose document text is escaped (no raw HTML, no links): safe to render and open."""
    cov = coverage_line(f)
    rules_ = rules_line(f)
    out = ["# 核对结果 / Reconciliation findings", "", md(_header(f)), ""] + ([md(cov), ""] if cov else []) \
        + ([md(rules_), ""] if rules_ else []) + [
           f"> {md(LEGEND[0])}  ",
           f"> _{md(LEGEND[1])}_", ""]
    counts = f.counts()
    for section, heading, x, rules in _entries(f):
        if section:
            out += [f"## {section[0]} / {section[1]}（{counts.get(x.severity, 0)}）", ""]
        if heading:
            out += [f"### {heading[0]} / {heading[1]}", ""]
        out.append(f"- **{md(', '.join(rules))}** {SEVERITY_NAMES[x.severity][0]} / {x.severity} · "
                   f"{' / '.join(status_words(x))} · {md(x.message)}  ")
        out.append(f"  _{md(x.message_en)}_")
        for a in x.also:
            out.append(f"  - {ALSO[0]} / {ALSO[1]} **{md(a.rule)}**: {md(a.message)} / _{md(a.message_en)}_")
        locs = _locations(x)
        for loc in locs[:6]:
            out.append(f"  - {md(_where(loc))}")
        if len(locs) > 6:
            out.append(f"  - …（另 {len(locs) - 6} 处 / {len(locs) - 6} more）")
    if not len(f):
        out.append("未发现问题 / no findings")
    return "\n".join(out) + "\n"


_CSS = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:1100px;
color:#222;line-height:1.5}
h1{font-size:1.5em}h2{border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
.f{border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;padding:.6em 1em;margin:.8em 0}
.error{border-left-color:#c0392b}.warning{border-left-color:#e67e22}.review{border-left-color:#2980b9}.info{border-left-color:#7f8c8d}
.tag{display:inline-block;font-size:.8em;padding:0 .5em;border-radius:3px;background:#eee;margin-right:.4em}
.en{color:#555;font-size:.92em}.nums{font-family:monospace;font-size:.9em;color:#333}
table{border-collapse:collapse;margin-top:.5em;font-size:.88em;width:100%}
td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f5f5f5}blockquote{margin:.4em 0;padding:.3em .8em;background:#fafafa;border-left:3px solid #bbb}
.summary td{border:none;padding-right:1.5em}
"""


def to_html(f: Findings) -> str:
    e = html.escape
    m = f.meta
    c = f.counts()
    parts = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>",
             f"<title>核对结果 / Findings — {e(str(m.get('doc_id')))}</title><style>{_CSS}</style></head><body>",
             f"<h1>核对结果 / Reconciliation findings</h1>",
             f"<p>{e(_header(f))}</p>",
             f"<p class='en'>{e(coverage_line(f) or '')}</p>",
             f"<p class='en'>{e(rules_line(f) or '')}</p>",
             f"<p class='en'>{e(LEGEND[0])}<br>{e(LEGEND[1])}</p>",
             "".join(f"<p class='warn'>警告 / warning: {e(w)}</p>" for w in (_warnings(f) or [])),
             "<table class='summary'><tr>"
             + "".join(f"<td><b>{e(s['file'])}</b><br><span class='nums'>sha256 {e(s['sha256'][:16])}…</span></td>"
                       for s in m.get("sources", []))
             + "</tr></table>"]
    counts = f.counts()
    folded = False
    for section, heading, x, rules_ in _entries(f):
        if section:
            title = f"{e(section[0])} / {e(section[1])}（{counts.get(x.severity, 0)}）"
            if x.severity == "info":  # information and rules not evaluated: folded, opened on a click
                parts.append(f"<details><summary><h2 style='display:inline'>{title}</h2></summary>")
                folded = True
            else:
                parts.append(f"<h2>{title}</h2>")
        if heading:
            parts.append(f"<h3>{e(heading[0])} / {e(heading[1])}</h3>")
        sev_zh, sev_en = SEVERITY_NAMES[x.severity]
        st_zh, st_en = status_words(x)
        rule = rule_table()[x.rule]
        parts.append(f"<div class='f {x.severity}'>")
        parts.append("".join(f"<span class='tag'>{e(r)}</span>" for r in rules_)
                     + f"<span class='tag'>{e(sev_zh)} / {e(sev_en)}</span>"
                     f"<span class='tag'>{e(st_zh)} / {e(st_en)}</span>"
                     f"<span class='en'>{e(rule['title_zh'])} / {e(rule['title_en'])}</span>")
        parts.append(f"<p>{e(x.message)}<br><span class='en'>{e(x.message_en)}</span></p>")
        if x.expected is not None or x.actual is not None:
            nums = [_figure(v, x.unit) for v in (x.expected, x.actual, x.difference)]
            parts.append(f"<p class='nums'>应为 expected {e(nums[0])} · 实为 actual {e(nums[1])}"
                         f" · 差额 difference {e(nums[2])} {e(x.unit or '')}</p>")
        if x.also:
            parts.append(f"<p class='en'>{e(ALSO[0])} / {e(ALSO[1])}:</p><ul>" + "".join(
                f"<li><span class='tag'>{e(a.rule)}</span>{e(a.message)}<br><span class='en'>{e(a.message_en)}"
                f"</span></li>" for a in x.also) + "</ul>")
        locs = _locations(x)
        quotes = [l for l in locs if "quote" in l]
        cells = [l for l in locs if "quote" not in l]
        for q in quotes:
            page = f"{page_words(q)} / page {q['page']} · " if q.get("page") else ""
            parts.append(f"<blockquote>{e(page)}{e(q.get('section') or '')}<br>“{e(q['quote'])}”</blockquote>")
        if cells:
            parts.append("<table><tr><th>页 page</th><th>表 table</th><th>行 row</th><th>列 column</th>"
                         "<th>原文 printed</th></tr>")
            for l in cells:
                title = (l.get("table_title") or "") + (f"（{l['table_no']}）" if l.get("table_no") else "")
                parts.append(f"<tr><td>{e(page_words(l)[1:].replace('页', '', 1) if l.get('page') else '')}</td>"
                             f"<td>{e(title)}</td>"
                             f"<td>{e(str(l.get('row_label') or ''))}</td><td>{e(shown_columns(str(l.get('column_label') or '')))}</td>"
                             f"<td>{e(str(l.get('raw') or ''))}</td></tr>")
            parts.append("</table>")
        parts.append(f"<p class='en'>依据 / basis: {e(rule['basis'])}</p></div>")
    if folded:
        parts.append("</details>")
    if not len(f):
        parts.append("<p>未发现问题 / no findings</p>")
    parts.append(f"<p class='en'>错误 {c['error']} / errors · 警告 {c['warning']} / warnings · 待核对 {c['review']} / "
                 f"review · 提示 {c['info']} / info{e(_raw_note(f))} — budgetkit</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _figure(v, unit) -> str:
    """A finding's figure as its message states it: money to the cent (1.00 万元), other measures as they are."""
    from budgetkit.check.recorder import fmt
    from budgetkit.explore.display import _num

    if v is None:
        return ""
    return fmt(v, unit) if unit in ("万元", "元") else _num(format(v, "f") if "." not in format(v, "f")
                                                       else format(v, "f").rstrip("0").rstrip("."))


def render(f: Findings, fmt: str) -> str:
    return {"text": to_text, "json": to_json, "md": to_markdown, "html": to_html}[fmt](f)
