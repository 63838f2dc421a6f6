"""Completeness: required tables, empty tables explained, placeholders."""
from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger
from budgetkit.check.recorder import Recorder
from budgetkit.reference import kind_names, load_csv

#: words that tie an empty table to the text explaining it
SUBJECT_WORDS = {
    "govfund_expenditure": "政府性基金", "soe_capital_expenditure": "国有资本经营",
    "three_public_costs": "三公", "govfund_three_public_costs": "政府性基金", "procurement": "政府采购",
    "project_expenditure": "项目支出", "performance_targets": "绩效", "overall_performance_targets": "绩效",
    "carryover_expenditure": "结转",
}
# "0 万元" is printed with a space as often as without; "此表为空", "不涉及", "本单位无…" say the same
EXPLAINED = re.compile(r"无|没有|未安排|未列|不涉及|为零|为\s*0(?:\.0+)?(?![\d.])|为空|空表|(?<![\d.])0(?:\.0+)?\s*万?元")
_EMPTY_MARK = re.compile(r"^(?:[（(][^)）]*[)）])?(?:是|空表)?(?:不涉及|无|未安排|为空|本部门无|本单位无)")
# a note printed with the table that says so itself, with or without 注/说明: "此表为空", "本单位无政府性基金预算相关收支项目"
_SELF_EMPTY = re.compile(r"(?:此表|本表|该表)(?:为空|无数据|空表)|^(?:注[:：]?)?\s*(?:本部门|本单位|我部门|我单位)\S{0,6}(?:无|没有|不涉及|未安排)")
# kinds that hold targets, not money: a filled one has no amount cells, so it is judged empty by its indicators
NO_MONEY_KINDS = {"performance_targets", "overall_performance_targets", "performance_self_evaluation"}
_FIGURE = re.compile(r"^[≥≤＞＜><=＝]?\s*(\d+(?:\.\d+)?)\s*\S{0,6}$")
_QUALIFIERS = re.compile(r"[（(][^（）()]*[)）]")
PLACEHOLDER = re.compile(r"[Xx×＊*]{2,}")


def required_tables(L: Ledger, R: Recorder) -> None:
    family = L.d.meta.get("family")
    stage = L.d.meta.get("stage")
    fam = family
    if fam == "final_accounts" and stage != "决算":
        fam = None
    required = [r["kind"] for r in load_csv("required_tables.csv") if r["family"] == fam]
    if not required:
        from budgetkit.explore.display import family_label

        named = family_label(family)  # as a reader names it; an unrecognised template has no name to give
        zh, en = (named.split(" / ", 1) if named else ("未识别的模板", "an unrecognised template"))
        R.not_evaluated("C01", f"{zh}没有必备表清单" if named else "未识别出模板，没有必备表清单",
                        f"no required-table list for the {en}" if named else f"no required-table list for {en}")
        return
    present = {t.kind for t in L.d.tables}
    names = kind_names()
    prose = [str(x) for x in L.d.narrative["text"]] if not L.d.narrative.empty else []
    # a template whose tables are mostly absent is not that template (a university's 决算 prints four):
    # a missing table is then a guess about the template, not a finding
    fit = sum(k in present for k in required) / len(required)
    guess = [] if fit >= 0.75 else [
        f"模板推断为“{family}”，但其必备表只见到{fit:.0%} / template taken as '{family}', yet only {fit:.0%} "
        "of its required tables are present"]
    for kind in required:
        R.evaluated["C01"] += 1
        if kind in present:
            continue
        zh, en = names.get(kind, (kind, kind))
        if _title_printed(prose, kind):
            R.not_evaluated("C01", f"{zh}的标题印在文中，但表格未能读出（可能无表格线）",
                            f"the {en} title is printed but its table could not be read (no ruling lines?)")
            continue
        other = _typed_otherwise(L.d.tables, kind)
        if other is not None:
            R.not_evaluated("C01", f"表「{other.title}」去掉括注后的标题即{zh}，但被识别为另一类表",
                            f"the table '{other.title}' is titled as the {en} table once its bracketed qualifier "
                            "is left out, but was typed as another kind")
            continue
        R.add(Finding("C01", "fail", f"缺少{zh}", f"the {en} table is missing", guesses=list(guess)))


def _typed_otherwise(tables, kind: str):
    """A table whose printed title names ``kind`` once its bracketed qualifiers are left out ("政府性基金预算支出表
    （不含上年结转）" typed as a carry-over table by its qualifier): the table is printed, only its type is in doubt."""
    from budgetkit.recognise.catalogue import match_title

    for t in tables:
        if t.kind == kind or not t.title:
            continue
        bare = _QUALIFIERS.sub("", t.title)
        if bare == t.title:
            continue
        m = match_title(bare)
        if m is not None and m.kind == kind and m.score >= 1:
            return t
    return None


def _title_printed(prose: list[str], kind: str) -> bool:
    from budgetkit.recognise.catalogue import match_title

    for text in prose:
        for line in text.split("\n"):
            if len(line) <= 60:
                m = match_title(line)
                if m is not None and m.kind == kind and m.score >= 2:
                    return True
    return False


def _holds_targets(L: Ledger, t) -> bool:
    """A target table (a form of key/value cells and indicator rows) holds no money: it is filled when
    indicators, a goal or a project were read from it, or when a cell prints a non-zero figure or text that
    is neither a field label nor a level name of the framework."""
    from budgetkit.tidy.targets import _levels, field_of, text

    tg = L.d.targets
    if not tg.empty and "table_index" in tg:
        mine = tg[tg["table_index"] == t.index]
        cols = [c for c in ("goal", "level3", "value") if c in mine]
        if not mine.empty and mine[cols].notna().any().any():
            return True
        # a project list (名称 | 金额 | 目标) may name projects only; "列2" is the reader's name for a blank header cell
        names = mine["project_name"].dropna().astype(str) if "project_name" in mine else []
        if any(not re.fullmatch(r"列\d+", n) for n in names):
            return True
    labels = set(_levels()[0]) | set(_levels()[1])
    for cell in t.frame.astype(object).to_numpy().ravel():
        c = text(cell)
        if not c or c in labels or field_of(c) is not None or re.fullmatch(r"[-—–/\\0.,，\s]*", c):
            continue
        m = _FIGURE.match(c)
        if m and Decimal(m.group(1)) != 0:
            return True
        if not m and len(c) >= 15:
            return True
    return False


def _same_title(a: str, b: str) -> bool:
    """Two printings of one table's title ("2022部门综合预算财政拨款结转资金支出表" in the table, "2022年部门综合预算
    财政拨款上年结转资金支出表" in the contents): the shorter is the longer with a few characters left out."""
    a, b = re.sub(r"\s+", "", a or ""), re.sub(r"\s+", "", b or "")
    if len(a) > len(b):
        a, b = b, a
    if len(a) < 6 or len(a) < 0.8 * len(b):
        return False
    it = iter(b)
    return all(ch in it for ch in a)


def _explained(L: Ledger, t, text: list[str]) -> bool:
    word = SUBJECT_WORDS.get(t.kind)
    if word:
        for p in text:
            for sent in re.split(r"[。；;]", p):
                if word in sent and EXPLAINED.search(sent):
                    return True
    # a contents page with a 是否空表 / 表格为空的理由 column: "表11 …上年结转资金支出表 是 不涉及"
    title = re.sub(r"\s+", "", t.title or "")
    if len(title) >= 4:
        for para in text:
            for line in str(para).split("\n"):
                flat = re.sub(r"\s+", "", line)
                if title in flat:
                    if _EMPTY_MARK.search(flat[flat.index(title) + len(title):]):
                        return True
                    continue
                m = re.search(r"(?:是|空表)(?:不涉及|无|未安排|为空|本部门无|本单位无)", flat)
                if m:  # the same title printed a little differently (年, 上年 added) with its number before it
                    printed = re.sub(r"^(?:表\s*\d+(?:[-－]\d+)*|\d+[.、．])\s*", "", line.strip())
                    printed = re.sub(r"\s+", "", printed)
                    printed = printed[:printed.rfind(m.group(0))] if m.group(0) in printed else printed
                    if _same_title(printed, title):
                        return True
    if not L.d.narrative.empty:
        # a note printed with the table itself: "注：本部门无相关收支项目", "此表为空"
        n = L.d.narrative
        same_page = n[(n["file"] == t.file) & n["page"].isin([p for p in t.pages if p is not None])]
        for x in same_page["text"]:
            x = str(x)
            if EXPLAINED.search(x) and ("注" in x or "说明" in x):
                return True
            if any(_SELF_EMPTY.search(line.strip()) for line in x.split("\n")):
                return True
    return False


_STOP = "。；;！？"


def _sentences(text: str) -> list[str]:
    """The full sentences of ``text`` (each ending with its stop), in one pass: a pattern run from every start
    position would take time quadratic in a long run of text with no stop."""
    parts = re.split(f"(?<=[{_STOP}])", text)
    return [p for p in parts if len(p) > 1 and p[-1] in _STOP]


_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORKBOOK = re.compile(r"\.xls[xm]?$", re.I)


def narrative_read(d) -> bool:
    """Whether a narrative (情况说明) was read at all: a full sentence printed apart from the tables.

    Text on a page that carries a table is the table's own (its title, 部门/单位 line, notes, cells spilling out of
    a target form), as is all text of a workbook (a sheet is one table); a cover or a contents page prints titles,
    not sentences.  A tables-only file given alone (the 报表 half of a two-file disclosure, a workbook) prints at
    most such lines: a rule asking "does the text explain X" cannot be judged there, and is not evaluated rather
    than failed."""
    n = d.narrative
    if n.empty:
        return False
    on_table = {(t.file, p) for t in d.tables for p in t.pages if p is not None}
    for r in n.itertuples(index=False):
        page = None if pd.isna(r.page) else int(r.page)
        if (r.file, page) in on_table or _WORKBOOK.search(str(r.file)):
            continue
        for s in _sentences(re.sub(r"\s+", "", str(r.text))):
            if len(_HAN.findall(s)) >= 10 and not re.match(r"注[:：]|说明[:：]", s):
                return True
    return False


def empty_tables_explained(L: Ledger, R: Recorder) -> None:
    text = L.d.narrative["text"].tolist() if not L.d.narrative.empty else []
    read = narrative_read(L.d)
    unjudged: list = []  # unexplained empty tables of a file whose narrative was not read
    runs: list[list] = []  # unexplained empty tables; one table printed over pages (one per page) is one finding
    for t in L.d.tables:
        if t.kind == "unknown":
            continue
        rows = L.table_rows(t.index)
        if not rows.empty and (rows["amount_yuan"] != 0).any():
            continue
        attributes = [c for c, role in t.column_roles.items() if role == "attribute"]
        printed = t.frame[attributes].astype(object).to_numpy().ravel() if attributes else []
        if any(not pd.isna(v) and str(v).strip() for v in printed):  # any dtype, repeated column names
            continue  # a table of scores, counts or rates: printed content that is no money is not "empty"
        if t.kind in NO_MONEY_KINDS and _holds_targets(L, t):
            continue  # a target form holds indicators, not money: judged by what it holds
        if _explained(L, t, text):
            R.evaluated["C02"] += 1
            continue
        if not read:
            unjudged.append(t)
            continue
        R.evaluated["C02"] += 1
        last = runs[-1][-1] if runs else None
        if last is not None and last.kind == t.kind and last.title == t.title and last.file == t.file \
                and last.pages and t.pages and None not in (last.pages[-1], t.pages[0]) \
                and t.pages[0] - last.pages[-1] in (0, 1):
            runs[-1].append(t)
        else:
            runs.append([t])
    if unjudged:
        titles = "、".join(dict.fromkeys(t.title for t in unjudged))
        R.not_evaluated("C02", f"没有读到情况说明，空表（{titles}）是否已说明无从判断；请连同说明文件一并给出",
                        f"no narrative was read: whether {len(unjudged)} empty table(s) are explained cannot be "
                        "judged; pass the text file along with the tables")
    for run in runs:
        t = run[0]
        R.add(Finding("C02", "fail", f"{t.title}为空表，说明中未解释原因",
                      f"{t.title} is empty and the text does not explain why",
                      locations=[{"table_no": x.table_no, "table_title": x.title,
                                  "page": x.pages[0] if x.pages else None, "row_label": None,
                                  "column_label": None} for x in run]))


def placeholders(L: Ledger, R: Recorder) -> None:
    for _, p in L.d.narrative.iterrows():
        R.evaluated["C03"] += 1
        for m in PLACEHOLDER.finditer(p["text"]):
            quote = p["text"][max(0, m.start() - 20): m.end() + 20]
            R.add(Finding("C03", "fail", f"说明中残留占位符「{m.group(0)}」", f"placeholder '{m.group(0)}' left in the text",
                          locations=[{"section": p["section"], "page": None if pd.isna(p["page"]) else int(p["page"]),
                                      "quote": quote, "file": p["file"]}]))


_SAID_EMPTY = re.compile(r"注[:：][^。]*?(?:故|因此|所以)?本表为空表")


def said_empty_but_filled(L: Ledger, R: Recorder) -> None:
    """C04: "注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表" printed with a table that lists 47.91万元:
    the note and the figures contradict each other.  Judged only where the table is the one table on its page."""
    if L.d.narrative.empty or not L.d.narrative["text"].astype(str).str.contains("本表为空表").any():
        R.not_evaluated("C04", "没有表注称本表为空表", "no table note says the table is empty")
        return
    n = L.d.narrative
    on_page: dict = {}
    for t in L.d.tables:
        for pg in t.pages:
            on_page.setdefault((t.file, pg), []).append(t)
    a = L.a
    for t in L.d.tables:
        pages = [pg for pg in t.pages if pg is not None and len(on_page.get((t.file, pg), [])) == 1]
        if not pages:
            continue
        notes = n[(n["file"] == t.file) & n["page"].isin(pages)]["text"]
        said = next((m.group(0) for x in notes for m in [_SAID_EMPTY.search(str(x))] if m), None)
        if said is None:
            continue
        R.evaluated["C04"] += 1
        filled = a[(a["table_index"] == t.index) & (a["amount_yuan"] != 0)]
        if filled.empty:
            continue
        r = filled.iloc[0]
        label = r["row_label"] if isinstance(r["row_label"], str) and r["row_label"] else ""
        R.add(Finding("C04", "fail", f"{t.title}的表注称「{said}」，但表中列有金额（如"
                      f"{'「' + label + '」' if label else ''}「{r['column_label']}」{r['raw']}）",
                      f"{t.title}: its note says the table is empty ('{said}'), but it prints figures "
                      f"(e.g. {r['column_label']} {r['raw']})",
                      locations=[L.location(r)]))
    if not R.evaluated.get("C04"):
        R.not_evaluated("C04", "称空表的表注与哪张表相关无法确定", "no note saying a table is empty could be tied to "
                        "one table")


RULES = [required_tables, empty_tables_explained, placeholders, said_empty_but_filled]
