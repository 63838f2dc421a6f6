"""Scorecard items N01–N12: the narrative's sections and statements."""
from __future__ import annotations

import re

import pandas as pd

from budgetkit.score.items_context import Context, Rating, _guessed, ladder, quote, table_ev
from budgetkit.score.items_granularity import _ANCHORS


# ============================================================================================ N — narrative
def _section(c, heading, body=None):
    text, page, file = c.section_text(heading)
    return text, ({"file": file, "page": page, "quote": text[:60].replace("\n", " ")} if text else None)


def n01(c: Context) -> Rating:
    text, ev = _section(c, r"职责|职能|主要任务")
    if not text:
        q = c.find(r"主要职责|主要职能|部门职责")
        if q:
            return Rating(33, why="只见职责标题或一句", why_en="only a heading or a sentence", evidence=[q])
        if not c.paras:
            return Rating.ne("没有读到说明文字", "no narrative was read")
        return Rating(0, why="未见部门职责", why_en="no mandate section",
                      evidence=[{"quote": "说明中无“职责/职能”一节 / no 职责 section"}])
    n = len(re.sub(r"\s", "", text))
    if n >= 100:
        return Rating(100, why=f"职责一节{n}字", why_en=f"a mandate section of {n} characters", evidence=[ev])
    return Rating(33, why=f"职责一节仅{n}字", why_en=f"the mandate section has {n} characters", evidence=[ev])


def n02(c: Context) -> Rating:
    text, ev = _section(c, r"机构设置|机构编制|单位构成|机构情况|部门构成|预算单位构成|决算单位构成|内设机构")
    if not text:
        q = c.find(r"下设|内设|所属单位|下属单位|预算单位|单位构成", also=r"\d+\s*个|[一二三四五六七八九十]+个|包括")
        if q:
            return Rating(100, why="说明列出所属单位或内设机构", why_en="the text lists units or offices", evidence=[q])
        q = c.find(r"机构设置|内设机构|预算单位|所属单位|下属单位|纳入.*(?:预算|决算)编制范围")
        if q:
            return Rating(100 if re.search(r"\d|[一二三四五六七八九十]个|包括", q["quote"]) else 33,
                          why="说明中述及机构/单位构成", why_en="the text states the units", evidence=[q])
        if not c.paras:
            return Rating.ne("没有读到说明文字", "no narrative was read")
        return Rating(0, why="未见机构设置", why_en="no organisation section",
                      evidence=[{"quote": "说明中无“机构设置/单位构成” / no organisation section"}])
    n = len(re.sub(r"\s", "", text))
    if n >= 20:
        return Rating(100, why="有机构设置一节", why_en="an organisation section", evidence=[ev])
    return Rating(33, why=f"机构设置一节仅{n}字", why_en=f"the organisation section has {n} characters", evidence=[ev])


_REASON = r"主要原因|主要是|原因是|由于|因为|持平"


def n03(c: Context) -> Rating:
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    total = c.find(_ANCHORS["收支总计"], need=r"\d+(?:\.\d+)?\s*万?元")
    # the change of a total, and a reason in the same sentence or the two after it
    ax = re.compile(_ANCHORS["收支总计"] + "|财政拨款|(?:收入|支出)(?:较|比)(?:去年|上年)")
    cx = re.compile(r"(?:增加|减少|增长|下降)\s*[\d.]|持平")
    toc = c.toc_pages()
    sents = [(p, x) for p, x in c.sentences() if (p["file"], p["page"]) not in toc]
    change = reason = None
    for k, (p, x) in enumerate(sents):
        if ax.search(x) and cx.search(x):
            why = next((quote(q, y) for q, y in sents[k:k + 3] if re.search(_REASON, y)), None)
            if change is None:
                change = quote(p, x)
            if why:
                change, reason = quote(p, x), why
                break
    if change and re.search(r"持平|无变化|相同", change["quote"]) and not reason:
        reason = change  # 持平 needs no reason
    parts = [x for x in (total, change, reason) if x]
    level = {3: 100, 2: 67, 1: 33}.get(len(parts), 0)
    gone = [n for n, x in (("总计", total), ("增减", change), ("原因", reason)) if not x]
    return Rating(level, why="收支总计说明" + ("；未见：" + "、".join(gone) if gone else "有总计、增减、原因"),
                  why_en="totals, change, reason" + (f"; not found: {', '.join(gone)}" if gone else ""),
                  evidence=parts or [{"quote": "未见收支总计说明 / no totals stated"}])


def n04(c: Context) -> Rating:
    ts = c.tables("gpb_expenditure_by_function") or c.tables("fiscal_appropriation_expenditure_by_function")
    if not ts:
        return Rating.ne("没有读到一般公共预算功能分类表", "no general-budget function table was read")
    if _guessed(ts):
        return Rating.ne("功能分类表的读取依赖推断", "the function table rests on a reading guess", [table_ev(ts[0])])
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    items = {}
    for t in ts:
        r = c.rows(t)
        r = r[(r["code_level"] == "项") & (r["amount_yuan"].fillna(0) != 0)]
        for _, x in r.iterrows():
            items.setdefault(str(x["code"]), (re.sub(r"\s", "", str(x["row_label"] or "")), t))
    if not items:
        return Rating.ne("功能分类表没有读到项级科目", "no 项 rows were read in the function table", [table_ev(ts[0])])
    flat = re.sub(r"\s", "", "".join(p["text"] for p in c.paras))
    flat = re.sub(r"[（(][类款项][)）]", "", flat)  # "机关事业单位基本养老保险缴费（项）支出" names 2080505
    named, missed = [], []
    for code, (label, t) in items.items():
        label = re.sub(r"^[\d\s]+", "", label)
        short = re.sub(r"支出$", "", label)
        hit = (label and label in flat) or (len(short) >= 4 and short in flat) or code in flat
        (named if hit else missed).append((code, label, t))
    share = len(named) / len(items)
    level = ladder(share, (0.9, 0.6, 0.2))
    return Rating(level, why=f"{len(named)}/{len(items)}个项级科目在说明中述及",
                  why_en=f"{len(named)} of {len(items)} 项 lines are named in the text",
                  evidence=[table_ev(t, row=f"{code} {label}", note="说明未述及 / not named in the text")
                            for code, label, t in missed[:5]])


_NO_ITEM = r"不编制|暂不编列|不编列|未编制|未安排|不安排|没有安排"


def n05(c: Context) -> Rating:
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    zero = c.find(r"三公", need=r"无[^。]{0,12}三公|三公[^。]{0,20}(?:为零|为0|无|没有|未安排)")
    total = c.find(r"三公", need=r"\d+(?:\.\d+)?\s*万?元")
    # each item with its amount, or said to have none: "本部门年初不编制因公出国（境）费用预算"
    items = [c.near(rx) or c.find(rx, need=_NO_ITEM) for rx in (r"出国", r"公务用车", r"公务接待")]
    change = c.find(r"三公|出国|公务用车|公务接待", need=r"(?:增加|减少|增长|下降)\s*[\d.]|持平|与上年[^。，；]{0,6}(?:相同|一致)|无变化")
    budget = c.find(r"三公|出国|公务用车|公务接待", need=r"完成(?:年初)?预算|预算(?:数)?为[^。]{0,20}决算")
    reason = c.find(r"三公|出国|公务用车|公务接待", need=r"主要原因|主要是|原因是|由于|因为")
    if zero and not total:
        return Rating(100, why="说明“三公”经费为零", why_en="the text says there is no 三公 spending", evidence=[zero])
    have = [("总额", total), ("分项", all(items) and items[0]), ("与上年比较", change), ("原因", reason)]
    if change and re.search(r"持平|与上年[^。，；]{0,6}(?:相同|一致)|无变化", change["quote"]) and not reason:
        have[3] = ("原因", change)  # 持平 needs no reason
    if c.final:
        have.insert(3, ("与年初预算比较", budget))
    n = sum(bool(x) for _, x in have)
    level = 100 if n == len(have) else 67 if n == len(have) - 1 else 33 if n else 0
    gone = [k for k, x in have if not x]
    return Rating(level, why="“三公”说明" + ("；未见：" + "、".join(gone) if gone else "齐全"),
                  why_en=f"{n} of {len(have)} elements" + (f"; not found: {', '.join(gone)}" if gone else ""),
                  evidence=[x for _, x in have if x and isinstance(x, dict)][:3]
                  or [{"quote": "说明中未见“三公”金额 / no 三公 figure in the text"}])


def n06(c: Context) -> Rating:
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    if c.final:
        parts = {"出国团组/人次": c.find(r"团组|出国[^。]{0,20}\d+\s*人次"),
                 "车辆购置/保有": c.find(r"保有量|购置[^。]{0,10}\d+\s*辆|\d+\s*辆"),
                 "接待批次/人次": c.find(r"接待[^。]{0,30}\d+\s*(?:批次|批|人次)")}
        n = sum(bool(x) for x in parts.values())
        level = {3: 100, 2: 67, 1: 33}.get(n, 0)
        gone = [k for k, x in parts.items() if not x]
        return Rating(level, why="实物量" + ("；未见：" + "、".join(gone) if gone else "齐全"),
                      why_en=f"{n} of 3 quantities" + (f"; not found: {', '.join(gone)}" if gone else ""),
                      evidence=[x for x in parts.values() if x] or [{"quote": "未见团组、车辆、接待批次 / no counts"}])
    q = c.find(r"\d+\s*辆|车辆[^。]{0,20}\d+\s*(?:辆|台)|购置[^。]{0,12}(?:公务用车|车辆)|不购置|无购置|未安排[^。]{0,10}购置")
    if q:
        return Rating(100, why="说明车辆数或购置数", why_en="vehicle counts or purchases stated", evidence=[q])
    return Rating(0, why="未见车辆数或购置数", why_en="no vehicle count or purchase stated",
                  evidence=[{"quote": "说明中无“辆”或车辆购置 / no vehicle count in the text"}])


def n07(c: Context) -> Rating:
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    amount = c.find(r"机关运行经费|行政经费", need=r"\d+(?:\.\d+)?\s*万?元|无|没有|不涉及|为零|为0") \
        or c.near(r"机关运行经费", span=60)
    define = c.find(r"机关运行经费|行政经费", need=r"指|是指|[:：]\s*为保障|日常公用经费|用于购买货物和服务")
    if define and amount and define == amount:
        amount2 = c.find(r"机关运行经费", need=r"\d+(?:\.\d+)?\s*万?元")
        amount = amount2 or amount
    level = 100 if amount and define else 67 if amount else 33 if define else 0
    gone = [k for k, x in (("金额", amount), ("定义", define)) if not x]
    return Rating(level, why="机关运行经费" + ("；未见：" + "、".join(gone) if gone else "有金额与定义"),
                  why_en="operating costs" + (f"; not found: {', '.join(gone)}" if gone else " stated and defined"),
                  evidence=[x for x in (amount, define) if x] or [{"quote": "未见机关运行经费 / not stated"}])


def n08(c: Context) -> Rating:
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    none = c.find(r"政府采购", need=r"无政府采购|未安排|没有|不涉及|为零|为0")
    total = c.find(r"政府采购", need=r"\d+(?:\.\d+)?\s*万?元")
    if not total:
        if none:
            return Rating(100, why="说明无政府采购", why_en="the text says there is no procurement", evidence=[none])
        return Rating(0, why="未见政府采购说明", why_en="no procurement statement",
                      evidence=[{"quote": "说明中无政府采购金额 / no procurement figure in the text"}])
    parts = 0
    for p in c.paras:
        if "采购" in p["text"]:
            flat = re.sub(r"\s*\n\s*", "", p["text"])
            parts = max(parts, sum(bool(re.search(w + r"[^。，；]{0,12}(?:\d|无)", flat)) for w in ("货物", "工程", "服务")))
    level = 100 if parts == 3 else 67 if parts else 33
    return Rating(level, why=f"政府采购总额，分项{parts}/3", why_en=f"procurement total with {parts} of 3 parts",
                  evidence=[total])


_SME = r"中小企业|小微企业|小型、微型企业"


def _sme_in_tables(c: Context):
    """An SME figure a table prints (深圳's 支出总表: a column 其中：预留给中小企业的项目资金规模 beside 政府采购项目/小计):
    the first row's figure of the first recognised table with such a column or row, as evidence; else None."""
    a = c.d.amounts
    if a is None or a.empty:
        return None
    known = {t.index for t in c.d.tables if t.kind != "unknown"}
    hit = a[a["table_index"].isin(known) & (a["column_label"].astype(str).str.contains(_SME)
                                             | a["row_label"].astype(str).str.contains(_SME))]
    if hit.empty:
        return None
    r = hit.sort_values(["table_index", "row_no", "col_no"]).iloc[0]
    col = str(r["column_label"]).split("/")[-1]
    return {"file": r["file"], "page": None if pd.isna(r["page"]) else int(r["page"]), "table": r["table_title"],
            "row": r["row_label"], "quote": f"{col}：{r['raw']} {r['unit'] or ''}".strip()}


def n09(c: Context) -> Rating:
    """The SME amount may be stated in the text or printed in a table (a column beside the procurement
    total): either is a disclosure of it."""
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    q = c.find(_SME, need=r"\d")
    tab = None if q else _sme_in_tables(c)
    if not q and not tab:
        if not c.find(r"政府采购", need=r"\d+(?:\.\d+)?\s*万?元"):
            return Rating.na("无政府采购金额", "no procurement amount stated")
        return Rating(0, why="说明和表格中未见中小企业采购金额", why_en="no SME amount in the text or the tables",
                      evidence=[{"quote": "说明和表格中无中小企业金额 / no SME figure"}])
    if q is None:
        where, where_en, q = "（表格列示）", " (printed in a table)", tab
    else:
        where = where_en = ""
    if c.final and not c.find(r"中小企业", need=r"\d+(?:\.\d+)?\s*%|占"):
        return Rating(67, why=f"有中小企业金额{where}，无占比", why_en=f"SME amount{where_en} without the share",
                      evidence=[q])
    return Rating(100, why=f"有中小企业采购金额{where}", why_en=f"SME amount stated{where_en}", evidence=[q])


def n10(c: Context) -> Rating:
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    sec = c.find(r"国有资产|资产占有|资产占用")
    if not sec:
        return Rating(0, why="未见国有资产一节", why_en="no state-asset section",
                      evidence=[{"quote": "说明中无“国有资产” / no asset section"}])
    parts = {"截至日期": c.find(r"截至|截止"), "车辆": c.find(r"\d+\s*辆|车辆[^。]{0,20}\d"),
             "大型设备": c.find(r"单位价值|单价|设备[^。]{0,20}(?:\d+\s*台|台\s*\(套\)|台（套）)|100万元以上|50万元以上")}
    n = sum(bool(x) for x in parts.values())
    level = {3: 100, 2: 67, 1: 33}.get(n, 33)
    gone = [k for k, x in parts.items() if not x]
    return Rating(level, why="国有资产" + ("；未见：" + "、".join(gone) if gone else "齐全"),
                  why_en=f"{n} of 3 elements" + (f"; not found: {', '.join(gone)}" if gone else ""),
                  evidence=[sec] + [x for x in parts.values() if x][:2])


_TERMS = {"财政拨款收入": r"财政拨款收入|财政拨款[:：]", "事业收入": r"事业收入", "经营收入": r"经营收入",
          "其他收入": r"其他收入", "基本支出": r"基本支出", "项目支出": r"项目支出", "三公经费": r"三公",
          "机关运行经费": r"机关运行经费|行政经费"}
_TERMS_FINAL = {"年初结转和结余": r"年初结转|上年结转", "年末结转和结余": r"年末结转|结转下年"}


def n11(c: Context) -> Rating:
    text, ev = _section(c, r"名词解释|名词说明|术语")
    if not text:
        if not c.paras:
            return Rating.ne("没有读到说明文字", "no narrative was read")
        return Rating(0, why="未见名词解释", why_en="no glossary",
                      evidence=[{"quote": "说明中无“名词解释”一节 / no glossary section"}])
    from budgetkit.tidy.statements import normalise_name  # 其它/其他 and spacing: one spelling, as in _labels

    terms = dict(_TERMS, **(_TERMS_FINAL if c.final else {}))
    a = c.d.amounts
    rows, cols = a["row_label"].astype(str).map(normalise_name), a["column_label"].astype(str).map(normalise_name)
    for term in ("事业收入", "经营收入", "其他收入"):  # 不涉及的不列: a term for money the department does not have is not required
        m = rows.str.contains(term, regex=False) | cols.str.contains(term, regex=False)
        if not (a.loc[m, "amount_yuan"].fillna(0) != 0).any():
            terms.pop(term, None)
    text = normalise_name(text)
    have = [k for k, rx in terms.items() if re.search(rx, text)]
    gone = [k for k in terms if k not in have]
    share = len(have) / len(terms)
    level = ladder(share, (0.9, 0.6, 1e-9))
    return Rating(level, why=f"名词解释覆盖{len(have)}/{len(terms)}" + ("；未见：" + "、".join(gone) if gone else ""),
                  why_en=f"{len(have)} of {len(terms)} core terms" + (f"; missing: {', '.join(gone)}" if gone else ""),
                  evidence=[ev])


def n12(c: Context) -> Rating:
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    said = []
    for word, kind in (("政府性基金", "govfund_expenditure"), ("国有资本经营", "soe_capital_expenditure")):
        q = c.find(word, need=r"\d+(?:\.\d+)?\s*万?元|无|没有|未安排|不涉及|为零|为0|空表")
        if q is None:
            # a note printed on the table's own page (注：本部门无政府性基金…)
            for t in c.tables(kind):
                x = [f for f in c.f if f.rule == "C02" and f.status == "fail" and t.title in f.message]
                if not x and c.f.evaluated.get("C02"):
                    q = table_ev(t, note="表下注说明 / explained with the table")
        said.append((word, q))
    n = sum(bool(q) for _, q in said)
    level = {2: 100, 1: 33}.get(n, 0)
    gone = [w for w, q in said if not q]
    return Rating(level, why="基金/国资" + ("；未说明：" + "、".join(gone) if gone else "均有说明"),
                  why_en=f"{n} of 2 funds explained" + (f"; not: {', '.join(gone)}" if gone else ""),
                  evidence=[q for _, q in said if q] or [{"quote": "未见政府性基金、国有资本经营说明 / neither explained"}])
