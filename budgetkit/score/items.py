"""The scorecard items: one function per item id, each returning a :class:`Rating`.

Every item reads what ``read`` and ``check`` already produced (tables, amounts, narrative, findings); none
changes them.  An item whose table is ``unknown`` or whose reading is a guess is N/E (not evaluable), never 0:
a reading failure must not look like a disclosure failure.  Levels are the OBS scale 100/67/33/0.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

LEVELS = (100, 67, 33, 0)
#: letter-spaced text ("国 家 信 访 局 2026 年 机 关 运 行 经 费"): the spaces between two Chinese characters go
_SPACED = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]+(?=[\u4e00-\u9fff])")
#: the first line of a paragraph that starts another part of a disclosure
STOP = (r"^(?:第[一二三四五六七八九十]+部分|(?:[一二三四五六七八九十]+、|\d+[.、．])?\s*(?![（(])[^：:，,。；\d（(]{0,24}"
        r"(?:说明|情况|机构设置|单位构成|名词解释|预算表|决算表|主要职能|主要职责)\s*$)")


@dataclass
class Rating:
    level: int | None = None          # 100/67/33/0, or None with status N/A or N/E
    status: str = "scored"            # scored | N/A | N/E
    why: str = ""                     # Chinese
    why_en: str = ""
    evidence: list = field(default_factory=list)  # dicts: page, file, table, row, quote

    @classmethod
    def na(cls, zh, en, evidence=None):
        return cls(None, "N/A", zh, en, evidence or [])

    @classmethod
    def ne(cls, zh, en, evidence=None):
        return cls(None, "N/E", zh, en, evidence or [])


def ladder(value, cuts) -> int:
    """The level of ``value`` against cut-offs for 100, 67 and 33 (value ≥ cut)."""
    for level, cut in zip(LEVELS, cuts):
        if value >= cut:
            return level
    return 0


def count_level(n: int) -> int:
    """Confirmed failures → level: 0 → 100, 1 → 67, 2 → 33, 3 or more → 0 (−33 per failure)."""
    return LEVELS[min(n, 3)]


class Context:
    """What every item reads, computed once."""

    def __init__(self, d, findings):
        self.d = d
        self.f = findings
        self.stage = d.meta.get("stage")
        self.final = self.stage == "决算"
        n = d.narrative
        self.paras = [] if n.empty else [
            {"file": r["file"], "page": None if pd.isna(r["page"]) else int(r["page"]),
             "section": str(r["section"] or ""), "text": _SPACED.sub("", str(r["text"] or ""))} for _, r in n.iterrows()]
        self.unknown = [t for t in d.tables if t.kind == "unknown"]

    # ---- narrative helpers -------------------------------------------------------------------------------
    def sentences(self):
        for p in self.paras:
            for s in re.split(r"(?<=[。；;！？])|\n(?=\S{0,3}[（(一二三四五六七八九十\d])", p["text"]):
                s = s.strip()
                if s:
                    yield p, s

    def find(self, pattern, *, need=None, section=None, also=None):
        """The first sentence matching ``pattern`` (and ``need`` if given, in the same sentence)."""
        rx = re.compile(pattern)
        nx = re.compile(need) if need else None
        ax = re.compile(also) if also else None
        toc = self.toc_pages()
        for p, s in self.sentences():
            if (p["file"], p["page"]) in toc:
                continue
            if section and not re.search(section, p["section"] + s):
                continue
            if rx.search(s) and (nx is None or nx.search(s)) and (ax is None or ax.search(s)):
                return quote(p, s)
        return None

    def near(self, word, span=40):
        """``word`` followed within ``span`` characters (across sentence ends, not across paragraphs) by an amount:
        "（一）因公出国（境）费用。2026 年预算数 127.74 万元"."""
        rx = re.compile(word + r"[^\n]{0,%d}?\d+(?:\.\d+)?\s*万?元" % span)
        toc = self.toc_pages()
        for k, p in enumerate(self.paras):
            if (p["file"], p["page"]) in toc:
                continue
            text = p["text"]
            if len(text.strip()) <= 30 and k + 1 < len(self.paras):  # a heading: its figure is in the next paragraph
                text += self.paras[k + 1]["text"]
            m = rx.search(re.sub(r"\s*\n\s*", "", text))
            if m:
                return quote(p, m.group(0))
        return None

    def toc_pages(self):
        if "_toc" in self.__dict__:
            return self._toc
        self._toc = self._toc_pages()
        return self._toc

    def _toc_pages(self):
        """Pages of the contents: the page printing 目录 as a heading, and pages whose lines carry dot leaders."""
        pages = set()
        by_page: dict = {}
        for p in self.paras:
            by_page.setdefault((p["file"], p["page"]), []).append(p)
        for p in self.paras:
            if _TOC.search(p["text"]) or re.search(r"(?:…{3,}|\.{6,}|·{6,})", p["text"]):
                pages.add((p["file"], p["page"]))
                # the entries may follow on the next page(s): pages of short heading lines only
                nxt = p["page"]
                while nxt is not None and nxt < 8:
                    nxt += 1
                    lines = by_page.get((p["file"], nxt), [])
                    short = sum(len(x["text"].strip()) <= 45 for x in lines)
                    if len(lines) >= 3 and short >= 0.8 * len(lines) and all(len(x["text"]) <= 120 for x in lines):
                        pages.add((p["file"], nxt))
                    else:
                        break
        return pages

    def section_text(self, heading, stop=STOP):
        """The text from the first paragraph (not on a contents page) whose heading or first line matches
        ``heading``, up to a paragraph whose first line starts another section (``stop``), with its page."""
        rx, sx = re.compile(heading), re.compile(stop)
        toc = self.toc_pages()
        for i, p in enumerate(self.paras):
            first = p["text"].strip().split("\n")[0][:40]
            if (p["file"], p["page"]) in toc or not (rx.search(first) or (rx.search(p["section"]) and len(p["section"]) <= 40
                                                              and p["section"] != (self.paras[i - 1]["section"]
                                                                                   if i else None))):
                continue
            out = [p["text"]]
            for q in self.paras[i + 1:]:
                head = q["text"].strip().split("\n")[0][:40]
                if sx.search(head) and not rx.search(head):
                    break
                out.append(q["text"])
                if sum(map(len, out)) > 5000:
                    break
            return "\n".join(out), p["page"], p["file"]
        return "", None, None

    # ---- tables ------------------------------------------------------------------------------------------
    def tables(self, kind):
        return [t for t in self.d.tables if t.kind == kind]

    def rows(self, t):
        a = self.d.amounts
        return a[a["table_index"] == t.index]

    def errors(self, rules):
        """Error-level findings with status ``fail`` of the given rules (readings the checks are sure of)."""
        return [x for x in self.f if x.rule in rules and x.status == "fail" and x.severity == "error"]

    def reviews(self, rules):
        return [x for x in self.f if x.rule in rules and x.status == "review"]


def _level(section: str):
    s = section.strip()
    if re.match(r"第[一二三四五六七八九十\d]+部分", s):
        return "part"
    if re.match(r"[一二三四五六七八九十]+、", s):
        return "ordinal"
    if re.match(r"[（(][一二三四五六七八九十]+[)）]", s):
        return "paren"
    return None


def quote(p, s, n=80):
    s = re.sub(r"\s+", " ", s)
    return {"file": p["file"], "page": p["page"], "section": p["section"][:40], "quote": s[:n]}


def table_ev(t, row=None, note=None):
    e = {"file": t.file, "page": t.pages[0] if t.pages else None, "table": t.title, "table_no": t.table_no}
    if row:
        e["row"] = row
    if note:
        e["note"] = note
    return e


def finding_ev(x):
    loc = x.locations[0] if x.locations else {}
    return {"page": loc.get("page"), "file": loc.get("file"), "table": loc.get("table_title") or loc.get("section"),
            "row": loc.get("row_label"), "rule": x.rule, "quote": x.message[:160]}


def _labels(t) -> str:
    """Every label and column name of a table, as one string."""
    cols = " ".join(map(str, t.frame.columns))
    labels = [c for c, r in t.column_roles.items() if r in ("label", "code")]
    cells = " ".join(str(v) for c in labels if c in t.frame for v in t.frame[c].dropna())
    return re.sub(r"\s+", "", cols + " " + cells)


def _guessed(ts):
    return [g for t in ts for g in t.guesses]


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


_TOC = re.compile(r"(?<!采购)(?<!指导性)(?<!分类)目\s*录\s*$", re.M)


def f02(c: Context) -> Rating:
    toc = next((p for p in c.paras if (p["page"] or 99) <= 4 and (re.fullmatch(r"\s*目\s*录\s*", p["section"])
                                                                   or _TOC.search(p["text"]))), None)
    if toc is None and c.toc_pages():
        f, pg = min(c.toc_pages(), key=lambda x: x[1] or 0)
        toc = {"file": f, "page": pg}
    if toc is None:
        first = sorted({p["page"] for p in c.paras if p["page"] is not None})[:3]
        if not c.paras:
            return Rating.ne("未读到说明文字，无法判断是否有目录", "no text was read: a contents page cannot be judged")
        if not first:
            return Rating.ne("文件没有页码（文本导出），无法判断目录", "the file has no pages (a text export): a "
                             "contents page cannot be judged")
        return Rating(0, why=f"前几页（第{'、'.join(map(str, first))}页）未见“目录”",
                      why_en=f"no 目录 on the first pages ({', '.join(map(str, first))})",
                      evidence=[{"file": c.paras[0]["file"], "page": first[0] if first else None,
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
    bad = [q for p, s in c.sentences() if "\ufffd" in s for q in [quote(p, s)]]
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


# ============================================================================================ T — tables
CORE = {"income_expenditure_summary": 2, "income_summary": 1, "expenditure_summary": 1.5,
        "fiscal_appropriation_summary": 1.5, "gpb_expenditure_by_function": 2,
        "gpb_basic_expenditure_by_economic": 1.5, "three_public_costs": 1.5, "govfund_expenditure": 0.5,
        "soe_capital_expenditure": 0.5}
# a kind that stands in for a core one (a 决算's fiscal function table is the 一般公共预算 function table)
STANDS_FOR = {"fiscal_appropriation_expenditure_by_function": "gpb_expenditure_by_function",
              "govfund_three_public_costs": None}


def t01(c: Context) -> Rating:
    from budgetkit.reference import kind_names

    present = {t.kind for t in c.d.tables} | {STANDS_FOR[k] for k in list({t.kind for t in c.d.tables})
                                               if STANDS_FOR.get(k)}
    names = kind_names()
    missing = [k for k in CORE if k not in present]
    # a missing kind whose title is printed, or an unread (unknown) table, is a reading question: not counted
    unread = [x for x in c.f if x.rule == "C01" and x.status == "not_evaluated"]
    undecided = []
    if missing and c.unknown:
        undecided = list(missing)
    else:
        for k in missing:
            zh = names.get(k, (k,))[0]
            if any(zh in x.message for x in unread):
                undecided.append(k)
    counted = {k: w for k, w in CORE.items() if k not in undecided}
    if not c.final:
        # the national minimum for a 预算 is 8 tables; the 国有资本经营 table is the 9th that some templates add:
        # required only where the template's own list (required_tables.csv) has it
        from budgetkit.reference import load_csv

        family = c.d.meta.get("family")
        listed = {r["kind"] for r in load_csv("required_tables.csv") if r["family"] == family}
        if "soe_capital_expenditure" not in listed and "soe_capital_expenditure" not in present:
            counted.pop("soe_capital_expenditure", None)
    if not counted or sum(counted.values()) < 6:
        return Rating.ne("多数法定表未能判断（未识别的表）", "most statutory tables cannot be judged (unrecognised tables)",
                         [table_ev(t, note="unknown") for t in c.unknown[:5]])
    got = sum(w for k, w in counted.items() if k in present)
    share = got / sum(counted.values())
    gone = [k for k in counted if k not in present]
    level = ladder(share, (1, 0.85, 0.5))
    ev = [{"quote": f"缺少{names.get(k, (k, k))[0]} / missing {names.get(k, (k, k))[1]}", "table": k} for k in gone]
    if level == 100:
        return Rating(100, why=f"法定表{len(counted)}类均在", why_en=f"all {len(counted)} statutory kinds present",
                      evidence=[table_ev(c.tables(k)[0]) for k in counted if c.tables(k)][:3])
    zh = "、".join(names.get(k, (k,))[0] for k in gone)
    return Rating(level, why=f"缺少：{zh}（权重{got:g}/{sum(counted.values()):g}）",
                  why_en=f"missing: {', '.join(gone)} (weight {got:g} of {sum(counted.values()):g})", evidence=ev)


def t02(c: Context) -> Rating:
    n = c.f.evaluated.get("C02", 0)
    fails = [x for x in c.f if x.rule == "C02" and x.status == "fail"]
    rev = c.reviews({"C02"})
    if n == 0:
        return Rating.na("没有空表", "no empty table")
    if rev and not fails:
        return Rating.ne("空表说明的判断依赖读取推断", "whether empty tables are explained rests on a reading guess",
                         [finding_ev(x) for x in rev])
    share = 1 - len(fails) / n
    level = ladder(share, (1, 2 / 3, 1 / 3))
    if level == 100:
        return Rating(100, why=f"{n}张空表均有说明", why_en=f"all {n} empty tables are explained")
    return Rating(level, why=f"{len(fails)}/{n}张空表未说明", why_en=f"{len(fails)} of {n} empty tables unexplained",
                  evidence=[finding_ev(x) for x in fails])


EXTRA = ("project_expenditure", "procurement", "performance_targets", "overall_performance_targets",
         "operating_costs", "govt_purchased_services", "meeting_training_costs")


def t03(c: Context) -> Rating:
    kinds = sorted({t.kind for t in c.d.tables if t.kind in EXTRA})
    level = LEVELS[max(0, 3 - len(kinds))] if kinds else 0
    return Rating(level, why="地方增选表：" + ("、".join(kinds) or "无"),
                  why_en="local extra tables: " + (", ".join(kinds) or "none"),
                  evidence=[table_ev(c.tables(k)[0]) for k in kinds])


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
    return Rating(0, why="未见按项目列示的金额", why_en="no project named with an amount",
                  evidence=[{"quote": "项目支出表、绩效目标表、说明中均无项目明细 / no project detail in tables or text"}])


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


def n05(c: Context) -> Rating:
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    zero = c.find(r"三公", need=r"无[^。]{0,12}三公|三公[^。]{0,20}(?:为零|为0|无|没有|未安排)")
    total = c.find(r"三公", need=r"\d+(?:\.\d+)?\s*万?元")
    items = [c.near(rx) for rx in (r"出国", r"公务用车", r"公务接待")]
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


def n09(c: Context) -> Rating:
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    if not c.find(r"政府采购", need=r"\d+(?:\.\d+)?\s*万?元"):
        return Rating.na("无政府采购金额", "no procurement amount stated")
    q = c.find(r"中小企业|小微企业", need=r"\d")
    if not q:
        return Rating(0, why="未见中小企业采购金额", why_en="no SME amount",
                      evidence=[{"quote": "说明中无中小企业金额 / no SME figure"}])
    if c.final and not c.find(r"中小企业", need=r"\d+(?:\.\d+)?\s*%|占"):
        return Rating(67, why="有中小企业金额，无占比", why_en="SME amount without the share", evidence=[q])
    return Rating(100, why="有中小企业采购金额", why_en="SME amount stated", evidence=[q])


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
    terms = dict(_TERMS, **(_TERMS_FINAL if c.final else {}))
    a = c.d.amounts
    for term in ("事业收入", "经营收入", "其他收入"):  # 不涉及的不列: a term for money the department does not have is not required
        m = a["row_label"].astype(str).str.contains(term, regex=False) | \
            a["column_label"].astype(str).str.contains(term, regex=False)
        if not (a.loc[m, "amount_yuan"].fillna(0) != 0).any():
            terms.pop(term, None)
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


# ============================================================================================ P — performance
_COVER = re.compile(r"(\d+)\s*个[^。；]{0,40}?(?:绩效目标|项目)[^。；]{0,40}?(?:涉及|资金|金额|预算)[^。；\d]{0,12}([\d,，]+(?:\.\d+)?)\s*(万元|元)")


# "2026 年项目支出均实行了绩效目标管理，涉及一般公共预算财政拨款 9,399.23 万元": no count, the money covered
_COVER_ALL = re.compile(r"()绩效目标管理[^。；]{0,20}?涉及[^。；\d]{0,20}([\d,，]+(?:\.\d+)?)\s*(万元|元)")


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
        y = Decimal(m.group(2).replace(",", "").replace("，", "")) * (10000 if m.group(3) == "万元" else 1)
        ev = [quote(p, s, 120)]
        if project is None or not project.value_yuan:
            return Rating(33, why="说明绩效目标覆盖，项目支出总额未读到", why_en="coverage stated; project total not read",
                          evidence=ev)
        share = float(y / project.value_yuan)
        level = 100 if share >= 0.9 else 67 if share >= 0.6 else 33
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


def p02(c: Context) -> Rating:
    tg = c.d.targets
    kinds = c.tables("performance_targets") + c.tables("overall_performance_targets")
    if tg.empty or "level3" not in tg or tg["level3"].isna().all():
        confident = [t for t in kinds if not t.guesses]
        if confident and not tg.empty and "goal" in tg and tg["goal"].notna().any():
            return Rating(33, why="绩效目标表只列目标，没有绩效指标", why_en="the target table states goals, no indicators",
                          evidence=[table_ev(confident[0], note="无指标列 / no indicator rows")])
        if kinds:
            return Rating.ne("绩效目标表未读出指标", "no indicator was read from the target tables", [table_ev(kinds[0])])
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


def p04(c: Context) -> Rating:
    ts = c.tables("overall_performance_targets")
    if ts:
        return Rating(100, why="有部门整体绩效目标表", why_en="a department-wide target table", evidence=[table_ev(ts[0])])
    q = c.find(r"部门整体(?:支出)?绩效|整体支出绩效|整体绩效目标")
    if q:
        return Rating(100, why="说明部门整体绩效", why_en="department-wide performance in the text", evidence=[q])
    if c.unknown:
        return Rating.ne("有未识别的表，可能是整体绩效表", "an unrecognised table may be the department-wide one",
                         [table_ev(t) for t in c.unknown[:3]])
    return Rating(0, why="未见部门整体绩效", why_en="no department-wide targets or evaluation",
                  evidence=[{"quote": "无部门整体绩效目标表或说明 / none in tables or text"}])


# ============================================================================================ Q — accuracy
def _q(c: Context, rules, zh) -> Rating:
    errs = c.errors(rules)
    rev = c.reviews(rules)
    n_eval = sum(c.f.evaluated.get(r, 0) for r in rules)
    if not errs and n_eval == 0:
        return Rating.ne(f"{zh}：规则未能评估", f"the rules ({', '.join(sorted(rules))}) could not be evaluated")
    level = count_level(len(errs))
    extra = f"；另有{len(rev)}条待核对（不扣分）" if rev else ""
    extra_en = f"; {len(rev)} review finding(s) not counted" if rev else ""
    return Rating(level, why=f"{zh}：确认错误{len(errs)}条（{n_eval}次比较）{extra}",
                  why_en=f"{len(errs)} confirmed error(s) in {n_eval} comparisons{extra_en}",
                  evidence=[finding_ev(x) for x in errs[:6]])


def q01(c):
    return _q(c, {"W01", "W02", "W03", "W04"}, "表内勾稽")


def q02(c):
    return _q(c, {"B01", "B02", "B03", "B04", "B05"}, "表间一致")


def q03(c):
    return _q(c, {"N01", "N02", "N03", "N04", "N05", "N07", "N08", "N09", "N10", "N11", "N12", "C04"}, "表文一致")


_EMPTY_REASON = re.compile(r"(?:主要原因|原因)(?:是|为|：|:)?\s*[。；]|。。")


def q04(c: Context) -> Rating:
    errs = [x for x in c.f if x.rule == "C03" and x.status == "fail"]
    ev = [finding_ev(x) for x in errs]
    for p, s in c.sentences():
        if _EMPTY_REASON.search(s):
            ev.append(quote(p, s))
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    level = count_level(len(ev))
    return Rating(level, why=f"占位符或空原因句{len(ev)}处", why_en=f"{len(ev)} placeholder(s) or empty reason clause(s)",
                  evidence=ev[:6])


_YEAR_IN_TITLE = re.compile(r"(20\d\d)\s*年")


def q05(c: Context) -> Rating:
    year = c.d.meta.get("year")
    if not year:
        return Rating.ne("未读到年度", "the year was not read")
    wrong = []
    for t in c.d.tables:
        m = _YEAR_IN_TITLE.search(t.title or "")
        if m and int(m.group(1)) != int(year) and not re.search(r"上年|结转|比较|对比", t.title):
            wrong.append(table_ev(t, note=f"表题年度{m.group(1)}，封面{year} / title year {m.group(1)}, cover {year}"))
    errs = [x for x in c.f if x.rule in ("N06", "Y01") and x.status == "fail" and x.severity == "error"]
    n = len(wrong) + len(errs)
    return Rating(count_level(n), why=f"年度/名称不一致{n}处", why_en=f"{n} year or name inconsistency(ies)",
                  evidence=(wrong + [finding_ev(x) for x in errs])[:6])


ITEMS = {
    "TS-F01": f01, "TS-F02": f02, "TS-F03": f03, "TS-F04": f04,
    "TS-T01": t01, "TS-T02": t02, "TS-T03": t03,
    "TS-G01": g01, "TS-G02": g02, "TS-G03": g03, "TS-G04": g04, "TS-G05": g05, "TS-G06": g06, "TS-G07": g07,
    "TS-N01": n01, "TS-N02": n02, "TS-N03": n03, "TS-N04": n04, "TS-N05": n05, "TS-N06": n06, "TS-N07": n07,
    "TS-N08": n08, "TS-N09": n09, "TS-N10": n10, "TS-N11": n11, "TS-N12": n12,
    "TS-P01": p01, "TS-P02": p02, "TS-P03": p03, "TS-P04": p04,
    "TS-Q01": q01, "TS-Q02": q02, "TS-Q03": q03, "TS-Q04": q04, "TS-Q05": q05,
}
