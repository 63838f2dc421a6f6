"""Scorecard items P01–P04: performance information (targets, indicators, self-evaluation)."""
from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.score.items_context import Context, Rating, ladder, quote, table_ev


# ============================================================================================ P — performance
_COVER = re.compile(r"(\d+)\s*个[^。；]{0,40}?(?:绩效目标|项目)[^。；]{0,40}?(?:涉及|资金|金额|预算)[^。；\d]{0,12}([\d,，]+(?:\.\d+)?)\s*(万元|元)")


# "2026 年项目支出均实行了绩效目标管理，涉及一般公共预算财政拨款 9,399.23 万元": no count, the money covered
_COVER_ALL = re.compile(r"()绩效目标管理[^。；]{0,20}?涉及[^。；\d]{0,20}([\d,，]+(?:\.\d+)?)\s*(万元|元)")


_SOURCE = r"(?:一般公共预算|政府性基金|国有资本经营|财政专户|单位资金|其他资金)"
# "涉及当年一般公共预算当年拨款 64022.47 万元，当年政府性基金预算当年拨款 303177.96 万元": parts by source, to add up
_NEXT_SOURCE = re.compile(r"\s*[，,、]\s*(?:以及|及|和)?[^。；，,、\d]{0,12}?" + _SOURCE +
                          r"[^。；，,、\d]{0,12}?(\d[\d,，]*(?:\.\d+)?)\s*(万元|元)")


def _yuan(amount: str, unit: str) -> Decimal:
    return Decimal(amount.replace(",", "").replace("，", "")) * (10000 if unit == "万元" else 1)


def _covered(s: str, m) -> Decimal:
    """The money a coverage sentence states: its first amount, plus the parts that follow it when the sentence lists
    the money by budget source (一般公共预算 …, 政府性基金 …) — never after 其中, where the parts repeat the total."""
    y = _yuan(m.group(2), m.group(3))
    if not re.search(_SOURCE, s[m.start():m.start(2)]):
        return y
    pos = m.end()
    while (n := _NEXT_SOURCE.match(s, pos)) and "其中" not in s[pos:n.start(1)]:
        y += _yuan(n.group(1), n.group(2))
        pos = n.end()
    return y


def p01(c: Context) -> Rating:
    if c.final:
        return Rating.na("决算不评此项", "not applicable to a 决算")
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    project = (getattr(c.f, "facts", {}) or {}).get("project_total")
    for p, s in c.sentences():
        if "绩效" not in s:
            continue
        m = _COVER.search(s) or _COVER_ALL.search(s)
        if not m:
            continue
        y = _covered(s, m)
        ev = [quote(p, s, 120)]
        if project is None or not project.value_yuan:
            return Rating(33, why="说明绩效目标覆盖，项目支出总额未读到", why_en="coverage stated; project total not read",
                          evidence=ev)
        share = float(y / project.value_yuan)
        level = 100 if share >= 0.9 else 67 if share >= 0.6 else 33
        if share > 1:  # the money under targets includes basic spending: all project money is covered
            return Rating(level, why="绩效目标涉及资金不少于项目支出（含基本支出）",
                          why_en="the money under targets is at least all project spending", evidence=ev)
        return Rating(level, why=f"绩效目标涉及资金占项目支出{share:.0%}",
                      why_en=f"targets cover {share:.0%} of project spending", evidence=ev)
    tg = c.d.targets
    if project is not None and project.value_yuan and not tg.empty and "budget" in tg:
        # no sentence, but the target tables list each project with its budget: their sum is the coverage
        per = tg[tg["project_name"].notna() & tg["budget"].notna()].drop_duplicates(["table_index", "project_name"])
        if not per.empty:
            to_yuan = per.apply(lambda r: r["budget"] * (10000 if r["budget_unit"] == "万元" else 1), axis=1)
            y = Decimal(str(sum(to_yuan)))
            share = float(y / project.value_yuan)
            r = per.iloc[0]
            ev = [{"file": r["file"], "page": None if pd.isna(r["page"]) else int(r["page"]), "table": r["table_title"],
                   "note": f"{len(per)}个项目合计{y / 10000:,.2f}万元，项目支出{project.value_yuan / 10000:,.2f}万元"}]
            level = 100 if share >= 0.9 else 67 if share >= 0.6 else 33
            return Rating(level, why=f"绩效目标表所列项目资金占项目支出{share:.0%}（说明未述覆盖）",
                          why_en=f"the target tables' projects hold {share:.0%} of project spending", evidence=ev)
    q = c.find(r"绩效目标", need=r"\d+\s*个")
    if q:
        return Rating(33, why="说明绩效目标项目数，未见涉及资金", why_en="projects with targets stated, no amount",
                      evidence=[q])
    return Rating(0, why="未见绩效目标覆盖说明", why_en="no statement of target coverage",
                  evidence=[{"quote": "说明中无“N个项目…涉及资金” / no coverage statement"}])


_INDICATOR_HEAD = re.compile(r"三级指标|指标内容|指标名称|年度指标值|指标值")


def _all_text(t) -> str:
    return " ".join(map(str, t.frame.columns)) + " " + " ".join(str(v) for v in t.frame.to_numpy().ravel())


def p02(c: Context) -> Rating:
    tg = c.d.targets
    kinds = c.tables("performance_targets") + c.tables("overall_performance_targets")
    if c.final:  # a 决算's indicators stand in its 项目绩效自评表 (目标值 and 实际完成值)
        kinds += c.tables("performance_self_evaluation")
    if not tg.empty and "table_index" in tg:  # target rows read from a table the catalogue named another kind
        held = set(tg["table_index"].dropna().astype(int))
        kinds += [t for t in c.d.tables if t.index in held and t not in kinds]
    if tg.empty or "level3" not in tg or tg["level3"].isna().all():
        confident = [t for t in kinds if not t.guesses]
        printed = [t for t in confident if _INDICATOR_HEAD.search(_all_text(t))]
        if printed:  # the form has an indicator column and none was read: a reading failure, not a missing element
            return Rating.ne("绩效目标表或自评表印有指标栏，未读出指标", "the target or self-evaluation table prints "
                             "indicator columns; none was read",
                             [table_ev(printed[0])])
        if confident and not tg.empty and "goal" in tg and tg["goal"].notna().any():
            return Rating(33, why="绩效目标表只列目标，没有绩效指标", why_en="the target table states goals, no indicators",
                          evidence=[table_ev(confident[0], note="无指标列 / no indicator rows")])
        if kinds:
            return Rating.ne("绩效目标表或自评表未读出指标", "no indicator was read from the target or "
                             "self-evaluation tables", [table_ev(kinds[0])])
        return Rating.ne("没有绩效目标表", "no performance-target table")
    ind = tg[tg["level3"].notna()]
    guessed = ind["guesses"].notna() & (ind["guesses"].astype(str) != "[]") if "guesses" in ind else None
    if guessed is not None and guessed.all():
        return Rating.ne("绩效指标的读取依赖推断", "the indicators rest on a reading guess")
    # a figure, with a unit: its own column, or the indicator's name ("参会率（%）", "赔付到户时限(天)"), or the value ("95%")
    numeric = ind["value"].astype(str).str.fullmatch(r"\s*\d+(?:\.\d+)?\s*%?\s*").fillna(False)
    named_unit = ind["level3"].astype(str).str.contains(r"[（(][^（）()]{1,8}[)）]\s*$", regex=True).fillna(False)
    in_value = ind["value_printed"].astype(str).str.contains(r"\d\s*(?:%|％|[^\d\s.,]{1,4}$)", regex=True).fillna(False)
    q = (numeric & (ind["measure_unit"].notna() | named_unit | in_value)).astype(bool)
    share = float(q.mean())
    level = ladder(share, (0.6, 0.4, 1e-9))
    r = ind[~q].iloc[0] if (~q).any() else ind.iloc[0]
    ev = [{"file": r["file"], "page": None if pd.isna(r["page"]) else int(r["page"]), "table": r["table_title"],
           "row": f"{r['project_name']} · {r['level3']}", "quote": str(r.get("value_printed") or "")[:40]}]
    return Rating(level, why=f"{q.sum()}/{len(ind)}个指标有数值目标与单位",
                  why_en=f"{q.sum()} of {len(ind)} indicators have a figure and a unit", evidence=ev)


def p03(c: Context) -> Rating:
    if not c.final:
        return Rating.na("预算不评此项", "not applicable to a budget")
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    parts = {"自评项目数": c.find(r"自评|绩效评价", need=r"\d+\s*个"),
             "涉及金额": c.find(r"自评|绩效评价|绩效监控", need=r"\d+(?:\.\d+)?\s*万?元"),
             "得分/等级": c.find(r"自评|评价", need=r"\d+(?:\.\d+)?\s*分|优|良|等级"),
             "发现问题": c.find(r"问题|不足|改进|整改"),
             "部门整体自评": c.find(r"部门整体|整体支出")}
    n = sum(bool(x) for x in parts.values())
    level = 100 if n == 5 else 67 if n == 4 else 33 if n else 0
    gone = [k for k, x in parts.items() if not x]
    return Rating(level, why="绩效自评" + ("；未见：" + "、".join(gone) if gone else "齐全"),
                  why_en=f"{n} of 5 elements" + (f"; not found: {', '.join(gone)}" if gone else ""),
                  evidence=[x for x in parts.values() if x][:3] or [{"quote": "未见绩效自评 / no self-evaluation"}])


_ZERO = re.compile(r"[0０]+(?:[.．][0０]+)?")
_FORM_LABELS = re.compile(r"一级指标|二级指标|三级指标|产出指标|效益指标|满意度指标|年度总体目标|资金总额")
# the printed labels of the form itself: a line heading ends in one of these words ("社会效益指标", "年度总体目标",
# "其他资金", "指标值（包含数字及文字描述）"); any other cell — a goal, an indicator, a value — is content
_LABEL_END = re.compile(r"(?:指标|目标|资金|预算|总额|拨款|内容|名称|任务|金额|指标值|描述|说明)\s*(?:[（(][^）)]*[）)])?$")


def _blank_form(c: Context, t) -> bool:
    """A department-wide table printed as its bare form: the labels were read (so it is no reading failure),
    but no target row and no cell other than a label or a zero — a form left empty."""
    tg = c.d.targets
    if not tg.empty and "table_index" in tg and (tg["table_index"] == t.index).any():
        return False
    cells = [re.sub(r"\s+", "", str(v)) for v in t.frame.to_numpy().ravel()]
    cells = [x for x in cells if x and x not in ("nan", "None")]
    if not any(_FORM_LABELS.search(x) for x in cells):
        return False
    return all(_ZERO.fullmatch(x) or (_LABEL_END.search(x) and len(x) < 20) for x in cells)


def p04(c: Context) -> Rating:
    ts = c.tables("overall_performance_targets")
    filled = [t for t in ts if not _blank_form(c, t)]
    if filled:
        return Rating(100, why="有部门整体绩效目标表", why_en="a department-wide target table", evidence=[table_ev(filled[0])])
    # a sentence about department-wide performance, not the bare name of its table ("部门整体支出绩效目标表（公开表7）")
    q = c.find(r"(?:部门整体(?:支出)?绩效|整体支出绩效|整体绩效目标)(?!目标表|表|自评表)")
    if q:
        return Rating(100, why="说明部门整体绩效", why_en="department-wide performance in the text", evidence=[q])
    if ts:
        return Rating(0, why="部门整体绩效目标表为空表（无资金、目标与指标）",
                      why_en="the department-wide target table is an empty form: no money, goal or indicator",
                      evidence=[table_ev(ts[0], note="表格只有栏目，未填内容 / labels only, nothing filled in")])
    if c.unknown:
        return Rating.ne("有未识别的表，可能是整体绩效表", "an unrecognised table may be the department-wide one",
                         [table_ev(t) for t in c.unknown[:3]])
    # the contents or a table list names it, none was read: missing from the file or read as another kind — not a 0
    rx = re.compile(r"(?:部门整体(?:支出)?绩效|整体支出绩效)(?:目标)?表")
    named = next((quote(p, s) for p, s in c.sentences(printed=True) if rx.search(s)), None)
    if named:
        return Rating.ne("文中列出部门整体绩效目标表，未读到该表", "the text names a department-wide target table; "
                         "none was read", [named])
    if not c.paras:
        return Rating.ne("没有读到说明文字，表中也没有部门整体绩效", "no narrative was read and no table holds "
                         "department-wide targets")
    return Rating(0, why="未见部门整体绩效", why_en="no department-wide targets or evaluation",
                  evidence=[{"quote": "无部门整体绩效目标表或说明 / none in tables or text"}])
