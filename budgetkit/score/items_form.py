"""Scorecard items F01–F04: form (cover, contents page, text layer, units)."""
from __future__ import annotations

import re

from budgetkit.score.items_context import LEVELS, _TOC, Context, Rating, ladder, quote, table_ev


# ============================================================================================ F — form
def f01(c: Context) -> Rating:
    m = c.d.meta
    have = {"year": m.get("year"), "department": m.get("department"), "stage": m.get("stage"),
            "scope": m.get("scope")}
    ev = m.get("evidence") or {}
    evidence = [{"quote": f"{k}: {v} — {ev.get(k, '')}"} for k, v in have.items() if v]
    missing = [k for k, v in have.items() if not v]
    names = {"year": "年度", "department": "部门名称", "stage": "预算/决算", "scope": "部门/单位口径"}
    n = 4 - len(missing)
    if not missing:
        return Rating(100, why="封面印出年度、名称、阶段、口径", why_en="the cover gives year, entity, stage and scope",
                      evidence=evidence)
    return Rating(LEVELS[min(4 - n, 3)], why="封面未见：" + "、".join(names[k] for k in missing),
                  why_en="not found on the cover: " + ", ".join(missing), evidence=evidence)


def f02(c: Context) -> Rating:
    toc = next((p for p in c.printed if (p["page"] or 99) <= 4 and (re.fullmatch(r"\s*目\s*录\s*", p["section"])
                                                                   or _TOC.search(p["text"]))), None)
    if toc is None and c.toc_pages():
        f, pg = min(c.toc_pages(), key=lambda x: x[1] or 0)
        toc = {"file": f, "page": pg}
    if toc is None:
        first = sorted({p["page"] for p in c.printed if p["page"] is not None})[:3]
        if not c.printed:
            return Rating.ne("未读到说明文字，无法判断是否有目录", "no text was read: a contents page cannot be judged")
        if not first:
            return Rating.ne("文件没有页码（文本导出），无法判断目录", "the file has no pages (a text export): a "
                             "contents page cannot be judged")
        return Rating(0, why=f"前几页（第{'、'.join(map(str, first))}页）未见“目录”",
                      why_en=f"no 目录 on the first pages ({', '.join(map(str, first))})",
                      evidence=[{"file": c.printed[0]["file"], "page": first[0] if first else None,
                                 "quote": "未见“目录” / no contents page"}])
    ev = [{"file": toc["file"], "page": toc["page"], "quote": "目录"}]
    return Rating(100, why="有目录", why_en="a contents page is printed", evidence=ev)


_PICTURE = re.compile(r"第([\d、]+)页是图片")


def f03(c: Context) -> Rating:
    pics = []
    for w in c.d.warnings:
        m = _PICTURE.search(str(w))
        if m:
            pics += [int(x) for x in m.group(1).split("、")]
    n_pages = sum(int(s.get("pages") or 0) for s in c.d.meta.get("sources", [])) or None
    bad = [q for p, s in c.sentences(printed=True) if "\ufffd" in s for q in [quote(p, s)]]
    ev = [{"page": p, "quote": "该页是图片，无文字层 / a picture page with no text layer"} for p in pics[:5]] + bad[:3]
    n = len(pics) + (1 if bad else 0)
    if n == 0:
        return Rating(100, why="各页有文字层，无乱码", why_en="every page has a text layer; no replacement glyphs")
    share = len(pics) / n_pages if n_pages else 1
    level = 67 if n == 1 else (33 if share <= 0.25 else 0)
    return Rating(level, why=f"{len(pics)}页为图片" + ("，文字含替换字符" if bad else ""),
                  why_en=f"{len(pics)} picture page(s)" + ("; replacement glyphs in the text" if bad else ""),
                  evidence=ev)


def f04(c: Context) -> Rating:
    from budgetkit.recognise.tables import UNIT_GUESS

    money = [t for t in c.d.tables if t.kind != "unknown" and not c.rows(t).empty]
    judged = [t for t in money if not any(str(g).startswith(UNIT_GUESS) for g in t.guesses)]
    stated = [t for t in judged if t.unit]
    if not judged:
        return Rating.ne("没有可判断单位的金额表", "no money table whose unit can be judged")
    share = len(stated) / len(judged)
    missing = [t for t in judged if not t.unit]
    level = ladder(share, (1, 0.9, 0.5))
    return Rating(level, why=f"{len(stated)}/{len(judged)}张金额表印出单位",
                  why_en=f"{len(stated)} of {len(judged)} money tables print their unit",
                  evidence=[table_ev(t, note="未印单位 / no unit printed") for t in missing[:5]])
