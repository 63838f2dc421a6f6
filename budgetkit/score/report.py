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


# --------------------------------------------------------------------------- xlsx (numbers as numbers)

def _d(x, q="0.1"):
    """A score as an exact Excel number at its shown precision (the writer gives it the matching format)."""
    from decimal import Decimal

    return None if _missing(x) else Decimal(str(x)).quantize(Decimal(q))


def _cov_pct(x):
    return None if _missing(x) else _d(x * 100, "1")


def scorecard_sheets(s: Scorecard) -> dict:
    """A scorecard for ``budgetkit.export.xlsx_bytes``: its items (level a number, N/A and N/E a status with the
    level blank), its parts and its header; Chinese headers with the English beside."""
    import pandas as pd

    items = pd.DataFrame({
        "编号 / id": [i.id for i in s.items],
        "部分 / part": [f"{i.part} {PARTS[i.part][0]} / {PARTS[i.part][1]}" for i in s.items],
        "项目 / item": [f"{i.title_zh} / {i.title_en}" for i in s.items],
        "权重 / weight": pd.array([_d(i.weight) for i in s.items], dtype=object),
        "等级 / level": pd.array([i.level if i.status in ("scored", "bonus") else None for i in s.items], dtype=object),
        "状态 / status": [" / ".join(STATUS_NAMES[i.status]) for i in s.items],
        "理由 / why": [i.why for i in s.items], "why (en)": [i.why_en for i in s.items],
        "页码 / page": pd.array([next((e["page"] for e in i.evidence if e.get("page") is not None), None)
                               for i in s.items], dtype=object),
        "证据 / evidence": ["\n".join(_ev(e) for e in i.evidence[:6]) for i in s.items],
        "规则 / rule": [i.rule for i in s.items]})
    parts = pd.DataFrame({
        "部分 / part": [f"{p} {v['name']} / {v['name_en']}" for p, v in s.parts.items()],
        "得分 / score": pd.array([_d(v["score"]) for v in s.parts.values()], dtype=object),
        "覆盖率 % / coverage %": pd.array([_cov_pct(v["coverage"]) for v in s.parts.values()], dtype=object),
        "已评分权重 / weight scored": pd.array([_d(v["weight_scored"]) for v in s.parts.values()], dtype=object),
        "可评估权重 / weight evaluable": pd.array([_d(v["weight"]) for v in s.parts.values()], dtype=object)})
    m = s.meta
    head = pd.DataFrame({"项 / key": ["部门 / department", "年度 / year", "阶段 / stage", "口径 / level", "文件 / doc_id",
                                     "总分 / total", "覆盖率 % / coverage %", "说明 / note"],
                         "值 / value": pd.array([m.get("department"), m.get("year"), _stage(m.get("stage")),
                                                m.get("scope"),
                                                s.doc_id, _d(s.total), _cov_pct(s.coverage),
                                                _head(s)[3]], dtype=object)})
    return {"评分 scorecard": items, "分项 parts": parts, "概况 summary": head}


def _stage(stage) -> str:
    from budgetkit.score.league import shown_stage

    return shown_stage(stage)


# --------------------------------------------------------------------------- league tables

def _w(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _w(text), 0)


def _missing(x) -> bool:
    from budgetkit.explore.display import missing

    return missing(x)


def total_line(total, coverage) -> str:
    """``82.4 / 100，覆盖 94% / coverage 94%``: a total never without its coverage."""
    if _missing(total):
        return "— N/E"
    cov = "—" if _missing(coverage) else f"{coverage:.0%}"
    return f"{total:.1f} / 100，覆盖 {cov} / coverage {cov}"


def _rank(r, key="") -> str:
    rank, of = r[f"rank{key}"], r[f"of{key}"]
    return "—" if _missing(rank) else f"{int(rank)}/{int(of)}"


def _part(r, p, min_coverage=None) -> str:
    if _missing(r[p]):
        return "N/E"
    rk, cov = r[f"rank_{p}"], r[f"{p}_coverage"]
    low = "*" if min_coverage is not None and not _missing(cov) and cov < min_coverage else ""
    return f"{r[p]:.0f}{low}" + ("" if _missing(rk) else f" ({int(rk)})")


def _league_head(L) -> list[str]:
    by = "总分 / total" if L.by == "total" else f"{L.by} {PARTS[L.by][0]} / {PARTS[L.by][1]}"
    return [f"透明度排名 / transparency league table{' — ' + L.source if L.source else ''}",
            f"按{by.split(' / ')[0]}排名 / ranked by {by.split(' / ')[1]}；只在同一阶段、年度、口径（部门/单位）内比较 / "
            "compared only within the same stage, year and level (部门 vs 单位)",
            f"覆盖率低于 {L.min_coverage:.0%} 的标出、不排名；N/E（无法评估）不计入总分，不按零分也不按满分 / coverage below "
            f"{L.min_coverage:.0%} is marked, not ranked; N/E (not evaluable) is left out of the total, never 0 nor "
            "full marks",
            "分项后括号内为组内名次；* 该部分覆盖率低于门槛，不排名 / a part's rank within its group in brackets; * the "
            "part's coverage is below the threshold: not ranked. "
            + "  ".join(f"{p} {zh}/{en}" for p, (zh, en) in PARTS.items())]


def _short(name: str, n: int) -> str:
    return name if len(name) <= n else name[:n - 1] + "…"


def league_text(L) -> str:
    out = _league_head(L)
    if L.entries.empty:
        out += ["", "数据集里没有公开文件 / the store holds no disclosure"]
    for label, g in L.groups():
        out += ["", f"== {label} · {len(g)} ==",
                _pad("名次/rank", 10) + _pad("部门/department", 42) + _pad("总分/total", 40)
                + "".join(_pad(p, 9) for p in PARTS)]
        for _, r in g.iterrows():
            line = (_pad(_rank(r), 10) + _pad(_short(str(r["name"]), 20), 42)
                    + _pad(total_line(r["total"], r["coverage"]), 40)
                    + "".join(_pad(_part(r, p, L.min_coverage), 9) for p in PARTS))
            if r["mark"]:
                line += f"  ⚠ {r['mark']} / {r['mark_en']}"
            out.append(line.rstrip())
    return "\n".join(out) + "\n"


def league_records(L) -> dict:
    groups = []
    for label, g in L.groups():
        entries = []
        for _, r in g.iterrows():
            entries.append({
                "rank": None if _missing(r["rank"]) else int(r["rank"]), "of": int(r["of"]),
                "doc_id": r["doc_id"], "disclosure_id": r["disclosure_id"], "name": r["name"],
                "total": None if _missing(r["total"]) else float(r["total"]),
                "coverage": None if _missing(r["coverage"]) else float(r["coverage"]),
                "line": total_line(r["total"], r["coverage"]), "ranked": bool(r["ranked"]),
                "mark": r["mark"] or None, "mark_en": r["mark_en"] or None,
                "parts": {p: {"score": None if _missing(r[p]) else float(r[p]),
                              "coverage": None if _missing(r[f"{p}_coverage"]) else float(r[f"{p}_coverage"]),
                              "rank": None if _missing(r[f"rank_{p}"]) else int(r[f"rank_{p}"])} for p in PARTS}})
        f = g.iloc[0]
        groups.append({"group": label, "stage": f["stage"] if isinstance(f["stage"], str) else None,
                       "year": None if _missing(f["year"]) else int(f["year"]),
                       "scope": f["scope"] if isinstance(f["scope"], str) else None, "entries": entries})
    return {"ranked_by": L.by, "min_coverage": L.min_coverage, "groups": groups}


def league_json(L) -> str:
    return json.dumps(league_records(L), ensure_ascii=False, indent=2, default=json_default)


def league_markdown(L) -> str:
    h = _league_head(L)
    out = [f"# {md(h[0])}", "", md(h[1]), "", md(h[2]), "", md(h[3])]
    for label, g in L.groups():
        out += ["", f"## {md(label)}", "", "| 名次 / rank | 部门 / department | 总分 / total | "
                + " | ".join(PARTS) + " | 说明 / note |", "|---|---|---|" + "---|" * len(PARTS) + "---|"]
        for _, r in g.iterrows():
            note = f"{r['mark']} / {r['mark_en']}" if r["mark"] else ""
            out.append(f"| {_rank(r)} | {md(r['name'])} | {total_line(r['total'], r['coverage'])} | "
                       + " | ".join(_part(r, p, L.min_coverage) for p in PARTS) + f" | {md(note)} |")
    return "\n".join(out) + "\n"


def league_html(L, standalone: bool = True) -> str:
    e = html.escape
    h = _league_head(L)
    body = [f"<p>{e(x)}</p>" for x in h[1:]]
    for label, g in L.groups():
        rows = []
        for _, r in g.iterrows():
            cls = "marked" if r["mark"] else "ranked"
            note = f"{r['mark']} / {r['mark_en']}" if r["mark"] else ""
            rows.append(f"<tr class='{cls}'><td>{e(_rank(r))}</td><td>{e(str(r['name']))}<br>"
                        f"<small>{e(str(r['doc_id']))}"
                        f"</small></td><td>{e(total_line(r['total'], r['coverage']))}</td>"
                        + "".join(f"<td>{e(_part(r, p, L.min_coverage))}</td>" for p in PARTS)
                        + f"<td>{e(note)}</td></tr>")
        body.append(f"<h2>{e(label)}</h2><table class='bk-league'><tr><th>名次 / rank</th><th>部门 / department</th>"
                    "<th>总分 / total</th>" + "".join(f"<th title='{e(PARTS[p][1])}'>{p} {e(PARTS[p][0])}</th>"
                                                     for p in PARTS)
                    + f"<th>说明 / note</th></tr>{''.join(rows)}</table>")
    inner = "".join(body)
    if not standalone:
        return inner
    style = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
             "padding:4px;vertical-align:top}tr.marked td{color:#777}tr.marked td:last-child{color:#b00}")
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{e(h[0])}</title>"
            f"<style>{style}</style></head><body><h1>{e(h[0])}</h1>{inner}</body></html>")


def league_sheets(L) -> dict:
    """The league for ``budgetkit.export.xlsx_bytes``: one row per disclosure (scores and ranks as numbers), every
    item of every scorecard with its page and evidence, and how to read it."""
    import pandas as pd

    from budgetkit.score.league import shown_scope, shown_stage

    E = L.entries
    obj = lambda xs: pd.array(list(xs), dtype=object)  # noqa: E731 - numbers stay numbers, blanks stay blank
    num = lambda xs: obj(None if _missing(x) else int(x) for x in xs)  # noqa: E731
    table = pd.DataFrame({"组 / group": E["group"], "名次 / rank": num(E["rank"]), "组内排名数 / ranked in group": num(E["of"]),
                          "部门 / department": E["name"], "年度 / year": num(E["year"]),
                          "阶段 / stage": [shown_stage(s, ok) for s, ok in zip(E["stage"], E["scored"])],
                          "口径 / level": [shown_scope(s, ok) for s, ok in zip(E["scope"], E["scored"])],
                          "总分 / total": obj(_d(x) for x in E["total"]),
                          "覆盖率 % / coverage %": obj(_cov_pct(x) for x in E["coverage"]),
                          "N/E 项数 / items N/E": num(E["n_ne"])})
    for p, (zh, en) in PARTS.items():
        table[f"{p} {zh} / {en}"] = obj(_d(x) for x in E[p])
        table[f"{p} 名次 / rank"] = num(E[f"rank_{p}"])
    table["说明 / note"] = [f"{a} / {b}" if a else "" for a, b in zip(E["mark"], E["mark_en"])]
    table["文件 / doc_id"] = E["doc_id"]
    items = []
    for _, r in E.iterrows():
        c = L.cards.get(r["disclosure_id"])
        if c is None:
            continue
        sheet = scorecard_sheets(c)["评分 scorecard"]
        sheet.insert(0, "部门 / department", r["name"])
        sheet.insert(1, "组 / group", r["group"])
        sheet.insert(2, "文件 / doc_id", r["doc_id"])
        items.append(sheet)
    items = pd.concat(items, ignore_index=True) if items else pd.DataFrame()
    notes = pd.DataFrame({"说明 / how to read": _league_head(L)[1:]})
    return {"排名 league": table, "逐项 items": items, "说明 notes": notes}


def render_league(L, fmt: str) -> str:
    return {"text": league_text, "json": league_json, "md": league_markdown, "html": league_html}[fmt](L)


__all__ = ["render", "to_text", "to_json", "to_markdown", "to_html", "PARTS", "scorecard_sheets", "league_sheets",
           "render_league", "league_text", "league_json", "league_markdown", "league_html", "total_line"]
