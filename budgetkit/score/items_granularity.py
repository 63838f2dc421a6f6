"""Scorecard items G01–G07: granularity (classes to 项 and 款, basic/project, sources, 三公, comparatives, projects)."""
from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.score.items_context import (LEVELS, Context, Rating, _guessed, _labels, ladder,
                                           table_ev)


# ============================================================================================ G — granularity
def _total_column(t, rows):
    """The table's total column: the amount column with the largest sum (合计/小计)."""
    if rows.empty:
        return None
    s = rows.groupby("column_label")["amount_yuan"].sum()
    return s.idxmax() if len(s) else None


def g01(c: Context) -> Rating:
    ts = c.tables("gpb_expenditure_by_function") or c.tables("fiscal_appropriation_expenditure_by_function")
    if not ts:
        return Rating.ne("没有读到一般公共预算功能分类表", "no general-budget function table was read")
    if _guessed(ts):
        return Rating.ne("功能分类表的读取依赖推断：" + _guessed(ts)[0].split(" / ")[0],
                         "the function table rests on a reading guess", [table_ev(ts[0])])
    leaf_total = Decimal(0)
    at_item = Decimal(0)
    shallow = []
    for t in ts:
        rows = c.rows(t)
        col = _total_column(t, rows)
        if col is None:
            continue
        r = rows[(rows["column_label"] == col) & rows["code"].notna()]
        r = r[r["code_scheme"].isin(["function"]) | r["code_scheme"].isna()]
        codes = set(r["code"].astype(str))
        for _, x in r.iterrows():
            code = str(x["code"])
            if any(o != code and o.startswith(code) for o in codes):
                continue  # not a leaf
            amt = x["amount_yuan"]
            if amt is None or pd.isna(amt) or amt == 0:
                continue
            leaf_total += amt
            if len(code) >= 7:
                at_item += amt
            else:
                shallow.append(table_ev(t, row=f"{code} {x['row_label']}",
                                        note=f"末级为{x['code_level']}级 / leaf at {x['code_level']}"))
    uncoded = []
    for t in ts:
        r = c.rows(t)
        r = r[r["code"].isna() & (r["amount_yuan"].fillna(0) != 0)]
        r = r[~r["row_label"].astype(str).str.contains(r"合\s*计|总\s*计|小\s*计|^\s*$|^nan$|^<NA>$")]
        uncoded += [(t, x) for x in r["row_label"].dropna().astype(str).unique()]
    if uncoded and (leaf_total == 0 or at_item < leaf_total * Decimal("0.99")):
        t, label = uncoded[0]
        return Rating.ne(f"功能分类表有{len(uncoded)}行未读出科目编码（如「{label}」），无法判断到项级",
                         f"{len(uncoded)} rows of the function table have no code read (e.g. '{label}'): "
                         "depth cannot be judged", [table_ev(t, row=label)])
    if leaf_total == 0:
        return Rating.ne("功能分类表没有科目编码或金额（只有名称），无法判断到项级",
                         "the function table prints no codes or amounts: depth cannot be judged", [table_ev(ts[0])])
    share = float(at_item / leaf_total)
    level = ladder(share, (0.99, 0.9, 0.5))
    return Rating(level, why=f"项级末级金额占{share:.1%}", why_en=f"{share:.1%} of leaf amounts are at 项",
                  evidence=(shallow[:5] if level < 100 else [table_ev(ts[0], note=f"{share:.1%} at 项")]))


def g02(c: Context) -> Rating:
    ts = c.tables("gpb_basic_expenditure_by_economic")
    if not ts:
        return Rating.ne("没有读到基本支出经济分类表", "no basic-spending economic table was read")
    if _guessed(ts):
        return Rating.ne("基本支出表的读取依赖推断", "the basic-spending table rests on a reading guess", [table_ev(ts[0])])
    codes = set()
    text = ""
    for t in ts:
        r = c.rows(t)
        codes |= {str(x) for x in r["code"].dropna()}
        text += _labels(t)
    kuan = [x for x in codes if len(x) == 5 and x[:3] in ("301", "302", "303", "310", "307", "309", "399")]
    lei = [x for x in codes if len(x) == 3]
    if not codes and not re.search(r"工资|津贴|办公费|差旅费", text):
        return Rating.ne("经济分类表没有科目编码", "the economic table prints no codes", [table_ev(ts[0])])
    # 人员/公用 as columns or subtotals, or as the classes that make them (301 工资福利支出, 302 商品和服务支出)
    split = bool(re.search(r"人员经费|人员支出|工资福利支出", text) and re.search(r"公用经费|公用支出|商品和服务支出", text)) or \
        bool({"301", "302"} <= set(lei) or ({x[:3] for x in kuan} >= {"301", "302"}))
    has_kuan = bool(kuan) or bool(re.search(r"基本工资|办公费|差旅费", text))
    if has_kuan and split:
        return Rating(100, why="有款级科目并分人员/公用经费", why_en="款 rows with 人员/公用 shown",
                      evidence=[table_ev(ts[0], note=f"{len(kuan)} 款")])
    if has_kuan:
        return Rating(67, why="有款级科目，未分人员经费/公用经费", why_en="款 rows, no 人员/公用 split",
                      evidence=[table_ev(ts[0])])
    if lei:
        return Rating(33, why="只到类级", why_en="only 类 rows", evidence=[table_ev(ts[0])])
    return Rating(0, why="没有经济分类科目", why_en="no economic classes", evidence=[table_ev(ts[0])])


def g03(c: Context) -> Rating:
    want = ["expenditure_summary", "gpb_expenditure_by_function"]
    have, ev, unread = [], [], []
    for k in want:
        ts = c.tables(k) or (c.tables("fiscal_appropriation_expenditure_by_function")
                             if k == "gpb_expenditure_by_function" else [])
        if not ts:
            unread.append(k)
            continue
        t = ts[0]
        cols = " ".join(map(str, t.frame.columns)) + " " + " ".join(str(v) for v in t.frame.iloc[:3].to_numpy().ravel())
        ok = "基本支出" in cols and "项目支出" in cols
        have.append(ok)
        ev.append(table_ev(t, note="有基本/项目列 / basic and project columns" if ok else "无基本/项目列 / no split"))
    if not have:
        return Rating.ne("支出总表与功能分类表均未读到", "neither expenditure table was read")
    n = sum(have)
    if n == len(have) and not unread:
        return Rating(100, why="两表均分列基本支出与项目支出", why_en="both tables split basic and project", evidence=ev)
    if n == len(have):
        return Rating.ne("读到的表分列基本/项目，另一张表未读到", "the table read splits them; the other was not read", ev)
    if n:
        return Rating(67, why=f"{n}/{len(have)}张表分列基本/项目支出", why_en=f"{n} of {len(have)} tables split them",
                      evidence=ev)
    # no table shows them side by side: separate tables for each, or the text's figures, show them apart
    if c.tables("gpb_basic_expenditure_by_economic") and c.tables("project_expenditure"):
        return Rating(67, why="基本支出与项目支出分表列示，未在同一表中分列", why_en="basic and project spending in "
                      "separate tables, not side by side", evidence=ev + [table_ev(c.tables("project_expenditure")[0])])
    q = c.find(r"基本支出", need=r"项目支出", also=r"\d")
    if q:
        return Rating(33, why="表中未分列基本/项目支出，只在说明中分述", why_en="split only in the text",
                      evidence=ev + [q])
    if not c.paras:
        return Rating.ne("表中未分列基本/项目支出，且没有读到说明文字", "no table splits basic and project spending, "
                         "and no narrative was read", ev)
    return Rating(0, why="支出表未分列基本/项目支出", why_en="no table or text splits basic and project spending",
                  evidence=ev)


_SOURCES = {"财政拨款": r"财政拨款|一般公共预算", "事业收入": r"事业收入", "其他收入": r"其他收入",
            "结转": r"上年结转|年初结转|结转结余|上年结余"}


def g04(c: Context) -> Rating:
    ts = c.tables("income_summary") + c.tables("income_expenditure_summary")
    if not ts:
        return Rating.ne("没有读到收入表或收支总表", "no income table was read")
    text = "".join(_labels(t) for t in ts)
    found = [k for k, rx in _SOURCES.items() if re.search(rx, text)]
    gone = [k for k in _SOURCES if k not in found]
    level = {4: 100, 3: 67, 2: 33}.get(len(found), 0)
    return Rating(level, why="列出：" + "、".join(found) + ("；未见：" + "、".join(gone) if gone else ""),
                  why_en=f"{len(found)} of 4 sources named" + (f"; not found: {', '.join(gone)}" if gone else ""),
                  evidence=[table_ev(ts[0], note="未见 " + "、".join(gone))] if gone else [table_ev(ts[0])])


_THREE = {"因公出国(境)": r"出国", "公务用车购置": r"购置", "公务用车运行": r"运行", "公务接待": r"接待"}


def g05(c: Context) -> Rating:
    ts = c.tables("three_public_costs")
    if not ts:
        return Rating.ne("没有读到“三公”经费表（缺表计入 TS-T01）", "no 三公 table was read (a missing table counts in TS-T01)")
    t = ts[0]
    if t.guesses:
        return Rating.ne("“三公”表的读取依赖推断", "the 三公 table rests on a reading guess", [table_ev(t)])
    text = "".join(_labels(x) for x in ts)
    found = [k for k, rx in _THREE.items() if re.search(rx, text)]
    need = len(_THREE)
    if c.final:
        need += 1
        if re.search(r"预算", text) and re.search(r"决算|实际|支出数", text):
            found.append("预算数与决算数")
    miss = need - len(found)
    level = LEVELS[min(miss, 3)]
    gone = [k for k in list(_THREE) + (["预算数与决算数"] if c.final else []) if k not in found]
    return Rating(level, why="分项：" + "、".join(found) + ("；未见：" + "、".join(gone) if gone else ""),
                  why_en=f"{len(found)} of {need} elements" + (f"; not found: {', '.join(gone)}" if gone else ""),
                  evidence=[table_ev(t, note=("未见 " + "、".join(gone)) if gone else None)])


_CHANGE = (r"比上年|较上年|与上年|同比|上年预算|上年决算|上年执行|增加|减少|增长|下降|持平|年初预算|预算数为|预算为|"
           r"完成预算|完成年初预算|比\s*20\d\d\s*年|与上年[^。，；]{0,6}(?:相同|一致)|无变化")
_ANCHORS = {"收支总计": r"收入总计|支出总计|收支总|收入预算|支出预算|收支预算|收入合计|支出合计|总收入|总支出|收入决算|支出决算|"
                        r"(?:预算|决算|本年)(?:收入|支出)\s*[\d,]",
            "财政拨款": r"财政拨款", "一般公共预算": r"一般公共预算", "三公": r"三公|因公出国|公务用车|公务接待"}


def g06(c: Context) -> Rating:
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    found, ev, gone = [], [], []
    for k, rx in _ANCHORS.items():
        q = c.find(rx, need=_CHANGE, also=r"\d")
        if q:
            found.append(k)
            ev.append(q)
        else:
            gone.append(k)
    level = {4: 100, 3: 67, 2: 33, 1: 33}.get(len(found), 0)
    return Rating(level, why="有可比数：" + ("、".join(found) or "无") + ("；未见：" + "、".join(gone) if gone else ""),
                  why_en=f"{len(found)} of 4 anchors with a comparative" + (f"; not found: {', '.join(gone)}" if gone else ""),
                  evidence=ev if level < 100 else ev[:2])


def g07(c: Context) -> Rating:
    for t in c.tables("project_expenditure"):
        r = c.rows(t)
        named = r[r["code"].isna() & r["row_label"].notna()]
        named = named[~named["row_label"].astype(str).str.contains(r"合计|总计|小计|^$")]
        named = named[named["amount_yuan"].fillna(0) != 0]
        # an economic-class table of project money (302 商品和服务支出) names no project
        if named["row_label"].nunique() >= 1 and not named["row_label"].astype(str).str.match(
                r"^(?:\d{3,7}|商品和服务支出|工资福利支出|对个人和家庭的补助|资本性支出)").all():
            return Rating(100, why=f"项目支出表列出{named['row_label'].nunique()}个项目及金额",
                          why_en=f"the project table names {named['row_label'].nunique()} rows with amounts",
                          evidence=[table_ev(t, row=str(named['row_label'].iloc[0]))])
    tg = c.d.targets
    if not tg.empty and "project_name" in tg and tg["project_name"].notna().any():
        withmoney = tg[tg["project_name"].notna() & tg["budget"].notna()] if "budget" in tg else tg.iloc[0:0]
        p = tg[tg["project_name"].notna()].iloc[0]
        ev = [{"file": p["file"], "page": None if pd.isna(p["page"]) else int(p["page"]), "table": p["table_title"],
               "row": p["project_name"]}]
        if not withmoney.empty:
            return Rating(67, why=f"绩效目标表列出{tg['project_name'].nunique()}个项目及金额，无项目支出明细表",
                          why_en="projects with amounts only in the target tables", evidence=ev)
    q = c.find(r"项目支出[^。]*(?:主要|包括|用于)[^。]*\d+(?:\.\d+)?\s*万?元|[“\"][^”\"]{2,30}[”\"][^。]{0,20}项目[^。]{0,40}\d+(?:\.\d+)?\s*万?元|"
               r"项目(?:全年)?(?:预算数|资金|经费)[^。]{0,10}\d+(?:\.\d+)?\s*万?元")
    if q:
        return Rating(33, why="项目只在说明中列出", why_en="projects named in the text only", evidence=[q])
    if c.unknown:
        return Rating.ne("有未识别的表，可能是项目表", "an unrecognised table may be a project table",
                         [table_ev(t) for t in c.unknown[:3]])
    if not c.paras:
        return Rating.ne("表中没有项目明细，且没有读到说明文字", "no table lists projects, and no narrative was read")
    return Rating(0, why="未见按项目列示的金额", why_en="no project named with an amount",
                  evidence=[{"quote": "项目支出表、绩效目标表、说明中均无项目明细 / no project detail in tables or text"}])
