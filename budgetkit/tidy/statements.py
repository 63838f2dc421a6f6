"""Statements: the figures the narrative (情况说明) states, read once as data.

Each sentence of the narrative is read for amounts (with their subject), shares
(占x%), changes (比上年/比20xx年执行数 … 增加/减少 … 增长/下降 x%), completion
rates (完成年初预算的x%) and 类/款/项 items.  ``budgetkit.statements(d)`` (or
``d.statements``) gives one row per stated figure; the check rules read the
same sentences (``sentences(d)``).

Every pattern here is linear in the sentence length: no lazy group is followed
by a long optional tail, numbers start only at a digit run's first digit, and
subjects are looked for in a bounded window before a figure.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd

NUM = r"(?<![\d.,])\d[\d,]*(?:\.\d+)?"
_NUM = r"\d[\d,]*(?:\.\d+)?"
UNITS = r"亿元|万元|元"
AMOUNT = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>{UNITS})(?![/／每])")
PERCENT = re.compile(rf"(?P<num>{NUM})\s*[%％]")
COUNT = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>人|名|辆|台|套|个)")
SHARE = re.compile(rf"占(?:比|本年|全年|当年|总额的|全部的|支出的|收入的|[^\d，,。；;%％]{{0,12}}的"
                   rf"|(?:本年|全年|当年|部门)?[^\d，,。；;%％、]{{1,10}}?(?:预算|总额|合计|总计|支出|收入))?"
                   rf"(?:比重|比例)?(?:为|是)?\s*(?P<pct>{_NUM})\s*[%％]")
_DIR = r"增加|减少|增长|下降|上升|降低|减|增|持平"
CHANGE = re.compile(
    rf"(?:比|较|同比|与)\s*(?:上年|上一年|去年|(?P<year>\d{{4}})\s*(?:年|(?=\s*持平)))(?:度)?(?:相比|比较)?(?P<what>[^\d，,。；;]{{0,20}}?)"
    rf"(?:(?P<base>{_NUM})\s*(?P<bunit>{UNITS}))?[，,、]?\s*(?:总数|总额)?"
    rf"(?P<dir>{_DIR})"
    rf"(?:了)?\s*(?:(?P<delta>{_NUM})\s*(?P<dunit>{UNITS}|[%％]|个百分点))?"
)
FOLLOW_PCT = re.compile(
    rf"^[，,、]?\s*(?:总数|总额)?(?:(?P<dir>增长|下降|上升|降低|减少|增加)|(?P<fu>增幅|减幅|降幅|增长率|下降率)(?:为|是)?)"
    rf"\s*(?P<delta>{_NUM})\s*(?P<u>[%％]|万元|元)")
RATE = re.compile(rf"(?:完成(?:了)?(?:全年|年初|调整)?(?:预算|计划)(?:数)?的|(?:预算)?(?:完成|执行)率(?:为|是|达)?)\s*(?P<pct>{_NUM})\s*[%％]")
_STOP = set("，,；;。：:（(）)、\t\n")
# 类/款/项 markers: "（类）", "(款)", "（01项）", "（2080505项）"
MARKER = re.compile(r"[（(]\s*(?P<code>\d{2,7})?\s*(?P<level>类|款|项)\s*[)）]")
_NAME_BEFORE = re.compile(r"[\u4e00-\u9fff“”\"（）()、]{1,40}$")
_SPACE_IN_NUMBER = re.compile(r"(?<=\d)\s+(?=[.,．]?\d|[%％]|万元|亿元|元)|(?<=[.,])\s+(?=\d)")
_YEAR_WORD = re.compile(r"(\d{4})\s*年|上年|上一年")

_THRESHOLD_BEFORE = re.compile(r"(?:单价|单位价值|价值|单价在|价值在)\s*$")
# "设备完好率 ≥96%", "缴存比例均不得低于5%，不得高于12%": a limit set, not a figure stated
_BOUND_BEFORE = re.compile(r"(?:[≥≤＞＜><]|[>＞<＜]=|不(?:得)?(?:低于|高于|少于|超过|大于|小于)|低于|高于|小于|大于|"
                           r"控制在)\s*$")
_BOUND_AFTER = re.compile(r"\s*(?:以上|以下|以内)")
_THRESHOLD_AFTER = re.compile(r"\s*(?:[（(]含[)）])?\s*(?:以上|及以上|以下)")
DOWN = ("减少", "下降", "降低", "减", "减幅", "降幅", "下降率")


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_SPACE_IN_WORDS = re.compile(r"(?<=[\u4e00-\u9fff“”（）()])[ \t\u3000]+(?=[\u4e00-\u9fff“”（）()])")


def normalise_text(text: str) -> str:
    """Spaces inside numbers and before units go ("0 万元" → "0万元", "1 013.5" stays two numbers); full-width
    digits are digits ("２.８０万元"); spaces between Chinese characters go ("公 务 接 待 费", "比 上 年 增 加")."""
    t = text.translate(_FULL_WIDTH)
    t = _SPACE_IN_WORDS.sub("", t)
    return _SPACE_IN_NUMBER.sub("", t)


def normalise_name(name: str) -> str:
    """其它/其他, full/half-width brackets and spaces: one spelling for comparing names."""
    t = (name or "").replace("其它", "其他").replace("(", "（").replace(")", "）")
    return re.sub(r"[\s“”\"]", "", t)


@dataclass
class Mention:
    value: Decimal
    unit: str
    raw: str
    start: int
    end: int
    subject: str
    role: str = "amount"  # amount | base | delta
    share: Decimal | None = None
    share_raw: str | None = None
    context: str = ""  # the words between the previous figure and this one
    idx: int = 0  # position among the sentence's amounts


@dataclass
class Change:
    year: int | None
    base: Decimal | None
    base_unit: str | None
    direction: str
    delta: Decimal | None
    delta_unit: str | None
    current: Mention | None
    raw: str
    base_from: str = "stated"  # stated (比上年X万元) | sentence (an earlier figure of the year compared with)
    start: int = 0
    # where the current figure was read: this sentence | item (the sentence before states it alone: "3．住房保障
    # （类）支出3894.09万元，主要用于…。" "与上年相比增加878.93万元，增长30%。") | before (one of several before)
    current_from: str = "sentence"
    # other figures the change may be stated for: the head of a 其中 list the change follows ("收入344,447.70万元，其中：
    # …、其他收入3,444.00万元，较上年减少129,422.00万元" — the 收入's change, or the last part's)
    alternatives: list = field(default_factory=list)


@dataclass
class Rate:
    """完成年初预算的x%: a figure over the budget figure of the same sentence."""
    pct: Decimal
    raw: str
    numerator: Mention | None
    denominator: Mention | None


@dataclass
class Sentence:
    text: str
    page: int | None
    section: str
    file: str
    mentions: list[Mention] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    class_items: list[dict] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    percents: list[tuple] = field(default_factory=list)  # (value, start, end) of every x%
    bounds: list[int] = field(default_factory=list)  # starts of the x% that are limits (≥96%, 不得高于12%)
    counts: list[tuple] = field(default_factory=list)  # (value, unit, start, end): 人/辆/台/套/个
    no: int = 0  # position in the narrative
    lead: Mention | None = None  # the paragraph's first amount (its total, when it says so)
    before: str = ""  # the sentence read just before, also from the previous paragraph (a heading "2.公务接待费")
    # a numbered item of the list a 项目支出 figure opens ("（五）项目支出 7,816.49 万元，具体包括：" "2.公共法律服务
    # 3,493.83 万元，主要包括：…"): a project or project group, whatever function line bears the same name
    project_item: bool = False


def _dec(s: str) -> Decimal | None:
    try:
        v = Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None
    return v if v.is_finite() and len(s) <= 24 else None


_SUBJECT_STOP = _STOP - set("（(）)")
LIST_MARK = re.compile(r"^(?:[（(](?:[一二三四五六七八九十]+|\d{1,2})[)）]|[一二三四五六七八九十]+、|\d{1,2}[.、．](?!\d))+")


def _subject(text: str, start: int) -> str:
    """The words right before a figure, back to the previous punctuation (a bounded window).

    Brackets belong to names (因公出国（境）费, 小学教育（2050202）); a list mark (（一）, 1.) before the
    name does not."""
    lo = max(0, start - 40)
    i = start
    while i > lo and (text[i - 1] not in _SUBJECT_STOP or (text[i - 2:i] == "收、" and text[i:i + 1] == "支")):
        i -= 1  # "财政拨款收、支总计": one name
    subj = LIST_MARK.sub("", re.sub(r"\s+", "", text[i:start]))
    return re.sub(r"(?:预算数为|预算数|安排|合计|共计|总额为|总计|为|是|达)$", "", subj)


def split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[。；;])", text)
    return [p.strip() for p in parts if p.strip()]


def _class_items(text: str) -> list[dict]:
    """Runs of 类 → 款 → 项 markers (or a lone 项), each with the name written before it."""
    items, cur = [], {}
    last_end = -1
    for m in MARKER.finditer(text):
        level = m.group("level")
        seg = text[max(last_end, m.start() - 40, 0): m.start()]
        nm = _NAME_BEFORE.search(seg)
        name = re.sub(r"^[\d.、．\s]+", "", nm.group(0)) if nm else ""
        # "十四、城乡社区支出(类)", "（二）农林水支出（类）": a list ordinal before the name is not part of it
        name = LIST_MARK.sub("", name.lstrip("“\""))
        if level == "类":
            cur = {"lei": name, "kuan": "", "xiang": "", "code": None, "start": m.start()}
        elif level == "款":
            if not cur or cur.get("kuan"):
                cur = {"lei": "", "kuan": "", "xiang": "", "code": None, "start": m.start()}
            cur["kuan"] = name
        else:
            c = cur if cur and not cur.get("xiang") else {"lei": "", "kuan": "", "xiang": "", "code": None,
                                                          "start": m.start()}
            c["xiang"], c["code"], c["end"] = name, m.group("code"), m.end()
            items.append(c)
            cur = {}
        last_end = m.end()
    return items


def read_sentence(text: str, page, section, file) -> Sentence:
    text = normalise_text(text)
    s = Sentence(text, page, section, file)
    prev_end = 0
    for m in AMOUNT.finditer(text):
        v = _dec(m.group("num"))
        if v is None:
            continue
        s.mentions.append(Mention(v, m.group("unit"), m.group(0), m.start(), m.end(), _subject(text, m.start()),
                                  context=text[prev_end:m.start()], idx=len(s.mentions)))
        prev_end = m.end()
    for m in PERCENT.finditer(text):
        v = _dec(m.group("num"))
        if v is not None:
            s.percents.append((v, m.start(), m.end()))
            if _BOUND_BEFORE.search(text[max(0, m.start() - 6):m.start()]) or _BOUND_AFTER.match(text[m.end():]):
                s.bounds.append(m.start())
    for m in COUNT.finditer(text):
        v = _dec(m.group("num"))
        if v is not None and not text[m.end():m.end() + 1] in ("月", "年", "项", "百"):
            s.counts.append((v, m.group("unit"), m.start(), m.end()))
    for mm in s.mentions:
        # "单价100万元以上设备", "单位价值50万元（含）以上": a threshold that defines what is counted, not money
        if _THRESHOLD_BEFORE.search(text[max(0, mm.start - 8):mm.start]) and _THRESHOLD_AFTER.match(text[mm.end:mm.end + 6]):
            mm.role = "threshold"
    by_start = {mm.start: mm for mm in s.mentions}
    ends = [mm.end for mm in s.mentions]

    def last_amount_before(pos):
        k = bisect.bisect_right(ends, pos)
        stop = max(0, k - 6)  # bounded: a figure's own clause, not the whole paragraph
        while k > stop:
            k -= 1
            if s.mentions[k].role == "amount":
                return s.mentions[k]
        return None

    opens = [o.start() for o in _LIST_OPEN.finditer(text)]
    for c in CHANGE.finditer(text):
        base = by_start.get(c.start("base")) if c.group("base") else None
        delta = by_start.get(c.start("delta")) if c.group("delta") else None
        if base is not None:
            base.role = "base"
        if delta is not None:
            delta.role = "delta"
        current = last_amount_before(c.start())
        if current is not None and _run_in(text, current.end, c.start()):
            current = None  # a change run into a description: whose it is, the sentence does not say
        year = int(c.group("year")) if c.group("year") else None
        base_v = _dec(c.group("base")) if c.group("base") else None
        bunit, base_from = c.group("bunit"), "stated"
        if base_v is None and current is not None:
            # "2025年执行数为X万元，2026年预算安排Y万元，比2025年执行数增加Z万元": X is the base
            found = _base_in_sentence(s, current, year, c.group("what") or "")
            if found is not None:
                base_v, bunit, base_from = found.value, found.unit, "sentence"
                found.role = "base"
        d = _dec(c.group("delta")) if c.group("delta") else None
        alts = _list_head(s, current, opens) if base_from == "stated" else []
        s.changes.append(Change(year, base_v, bunit, c.group("dir"), d, c.group("dunit"), current, c.group(0),
                                base_from, c.start(), alternatives=alts))
        follow = FOLLOW_PCT.match(text[c.end():c.end() + 40])
        if follow and c.group("dunit") not in ("%", "％") and _dec(follow.group("delta")) is not None:
            # "…增加50万元，增长33.33%" / "减少20,766.6万元，减幅55.76%"
            fdir = follow.group("dir") or ("减少" if follow.group("fu") in DOWN else "增加")
            s.changes.append(Change(year, base_v, bunit, fdir, _dec(follow.group("delta")), follow.group("u"),
                                    current, c.group(0) + follow.group(0), base_from, c.start(), alternatives=alts))
            mm = by_start.get(c.end() + follow.start("delta"))
            if mm is not None:
                mm.role = "delta"
    for sh in SHARE.finditer(text):
        prev = last_amount_before(sh.start())
        if prev is not None and _dec(sh.group("pct")) is not None:
            prev.share = _dec(sh.group("pct"))
            prev.share_raw = sh.group(0)
    for r in RATE.finditer(text):
        k = bisect.bisect_right(ends, r.start())
        before = [mm for mm in s.mentions[max(0, k - 4):k] if mm.role == "amount"][-2:]
        num = den = None
        if len(before) == 2:
            a, b = before
            budget = lambda m: "预算" in m.context and not re.search("决算|执行|完成|支出数", m.context)  # noqa: E731
            if budget(a) and not budget(b):
                den, num = a, b
            elif budget(b) and not budget(a):
                den, num = b, a
        s.rates.append(Rate(_dec(r.group("pct")), r.group(0), num, den))
    starts = [mm.start for mm in s.mentions]
    items = _class_items(text)
    for i, ci in enumerate(items):
        k = bisect.bisect_left(starts, ci.get("end", 0))
        limit = items[i + 1]["start"] if i + 1 < len(items) else len(text)
        # the item's figure follows it, before the next item begins
        ci["mention"] = next((mm for mm in s.mentions[k:k + 4] if mm.role == "amount" and mm.start < limit), None)
        s.class_items.append(ci)
    return s


_LIST_OPEN = re.compile(r"其中|包括")
_DESCRIBED = re.compile(r"用于|主要(?:是|为|包括)|包括|具体")


def _run_in(text: str, after: int, at: int) -> bool:
    """A comparison run into the middle of a description with no break before it: "90.72万元，用于开展…研究等工作，
    支撑构建较2025年年初预算增加29.23万元" (a sentence pasted into another's). After a figure's 用于… a change
    opens its own clause ("，较上年增加") or names its own subject ("…运转经费较上年增加"); one that does
    neither is not that figure's change."""
    before = text[:at].rstrip()
    if not before or before[-1] in _STOP or not _DESCRIBED.search(text[after:at]):
        return False
    clause = re.split(r"[，,；;。：:、]", before)[-1]
    return _OWN_SUBJECT.search(clause) is None and not re.search(r"\d\s*年$|上年$", clause)


def _list_head(s: Sentence, current: Mention | None, opens: list[int]) -> list[Mention]:
    """The figure a 其中 list hangs from, when the change's figure is a part of that list: "本部门当年预算收入
    344,447.70万元，其中：一般公共预算拨款324,638.50万元、…、其他收入3,444.00万元，较上年减少129,422.00万元" may
    state the change of the 收入 as well as of the 其他收入.  ``opens``: where the sentence's 其中/包括 start."""
    if current is None or current.role != "amount" or not opens and current.value != 0:
        return []
    head = next((m for m in s.mentions if m.role == "amount"), None)
    if head is None or head is current or head.start >= current.start or head.value == 0:
        return []
    if current.value == 0:
        # "收入预算1149.80万元，一般公共预算拨款1149.80万元，上年结转0万元，比上年增加149.80万元": a 0 part
        return [head]
    # the list opens right after the head (before the next figure), and the change follows its last part
    nxt = next((m for m in itertools.islice(s.mentions, head.idx + 1, None) if m.role == "amount"), current)
    k = bisect.bisect_left(opens, head.end)
    return [head] if k < len(opens) and opens[k] < nxt.start else []


def _base_in_sentence(s: Sentence, current: Mention, year: int | None, what: str) -> Mention | None:
    """The earlier figure of the same sentence that belongs to the year (and kind) the change is against."""
    if year is None:
        return None
    word = f"{year}年"
    k = current.idx
    for mm in s.mentions[max(0, k - 4):k]:
        ctx = mm.context.replace(" ", "")
        cur_ctx = current.context.replace(" ", "")
        if mm.role == "amount" and word in ctx and word not in cur_ctx:
            kind = re.search(r"执行|决算|预算", what)
            if kind and kind.group(0) not in ctx:
                continue
            return mm
    return None


# a change with no subject of its own: it is the sentence before's ("与上年相比增加…", "比上年减少…", "较2025年…")
_NO_SUBJECT = re.compile(r"^\s*(?:[，,]\s*)?(?:与|比|较|同比)\s*(?:上年|上一年|去年|\d{4}\s*年)")


# a subject of its own before the comparison: "“三公”经费预算", "会议费" (not a year, a 其中, a pronoun or a comma)
_OWN_SUBJECT = re.compile(r"[“”\"]|(?:经费|支出|收入|费|资金)(?:预算|决算)?(?:数)?\s*(?:[，,]\s*)?$")


# a paragraph that opens a list of the projects: "（五）项目支出 7,816.49 万元，具体包括："
_PROJECT_LEAD = re.compile(r"项目支出[^。；;：:]{0,30}?(?:具体|主要)?(?:包括|如下|用于)[：:]\s*$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[)）])")


def read_statements(narrative) -> list[Sentence]:
    out = []
    no = 0
    before = ""  # carried across paragraphs: a heading may be one of its own ("2.公务接待费")
    projects = False  # within the numbered items after a 项目支出 lead
    carried = None  # a bracket left open by a paragraph the page's layout cut mid-sentence (after a "；")
    for p in narrative.itertuples(index=False):
        ptext = "" if pd.isna(p.text) else p.text
        opens_projects = _PROJECT_LEAD.search(normalise_text(ptext)) is not None
        projects = projects and not opens_projects and _NUMBERED.match(ptext) is not None
        last_amount = lead = None
        alone = False  # the sentence before states one amount only
        # the figure before a "（" still open: "公务用车购置及运行维护费6.7万元（购置费0万元，…；" — in this paragraph or
        # in the one before, when that one broke off inside the bracket
        bracketed, carried = carried, None
        pending_items: list[dict] = []
        page = None if pd.isna(p.page) else int(p.page)
        section = "" if pd.isna(p.section) else p.section
        for sent in split_sentences("" if pd.isna(p.text) else p.text):
            s = read_sentence(sent, page, section, p.file)
            s.project_item = projects
            no += 1
            s.no = no
            s.lead = lead
            s.before, before = before, s.text
            closing = bracketed is not None and sent.lstrip().startswith(("）", ")"))
            for c in s.changes:
                if closing and c.current is None and not _OWN_SUBJECT.search(sent[:c.start].lstrip("）) ")):
                    # "）比上年减少2.3万元，…": the bracket closed, the change is the figure's before it opened
                    c.current, c.current_from = bracketed, "before"
                    continue
                # "基本支出预算数为10403.11万元。与上年相比增加439.04万元" — the figure is in the sentence before
                # "（三）公务接待费1.35万元。" "比2023年预算持平，…": 持平 states no figure of its own
                # — but not when the sentence names its own subject ("2026年“三公”经费预算较2025年减少1.75万元"
                # after "因公出国（境）费0.00万元"): the figure before is another's
                if c.current is None and last_amount is not None and not _OWN_SUBJECT.search(sent[:c.start]) and (
                        s.mentions and all(m.role != "amount" for m in s.mentions)
                        or not s.mentions and c.direction == "持平" and _NO_SUBJECT.match(sent)):
                    c.current = last_amount
                    c.current_from = "item" if alone and _NO_SUBJECT.match(sent) else "before"
            if pending_items and not s.class_items:
                # "…（类）…（款）行政运行（项）。年初预算为5717.32万元，支出决算为…" — figures follow
                amounts = [m for m in s.mentions if m.role == "amount"]
                for ci in pending_items:
                    ci["mention"] = amounts[-1] if len(amounts) > 1 and s.rates else (amounts[0] if amounts else None)
                    ci["from_next_sentence"] = True
                    s.class_items.append(ci)
            pending_items = [ci for ci in s.class_items if ci["mention"] is None and not ci.get("from_next_sentence")]
            if pending_items:
                s.class_items = [ci for ci in s.class_items if ci["mention"] is not None]
            amounts = [m for m in s.mentions if m.role == "amount"]
            if amounts:
                last_amount = amounts[-1]
                lead = lead or amounts[0]
            alone = len(amounts) == 1
            if closing or sent.count("）") + sent.count(")") > sent.count("（") + sent.count("("):
                bracketed = None
            opened = max(sent.rfind("（"), sent.rfind("("))
            if opened > max(sent.rfind("）"), sent.rfind(")")):
                before_it = [m for m in amounts if m.end <= opened]
                bracketed = before_it[-1] if before_it else None
            if s.mentions or s.changes or s.percents or s.class_items or pending_items or len(s.counts) > 2:
                if pending_items and not s.mentions:
                    continue  # the item line itself: read with the next sentence
                out.append(s)
        projects = projects or opens_projects
        if bracketed is not None and ptext.rstrip().endswith(("；", ";", "，", ",", "、")):
            carried = bracketed
    return out


def sentences(d) -> list[Sentence]:
    """The narrative's sentences with their figures, read once per disclosure."""
    if "_sentences" not in d.__dict__:
        d.__dict__["_sentences"] = read_statements(d.narrative) if not d.narrative.empty else []
    return d.__dict__["_sentences"]


COLUMNS = ["sentence_no", "kind", "subject", "value", "unit", "raw", "role", "base_year", "base", "base_unit",
           "direction", "share", "sentence", "section", "page", "file"]


def statements(d) -> pd.DataFrame:
    """One row per figure the narrative states: amounts (with share), changes, rates, item amounts."""
    rows = []
    for s in sentences(d):
        common = {"sentence_no": s.no, "sentence": s.text, "section": s.section, "page": s.page, "file": s.file}
        for m in s.mentions:
            rows.append(common | {"kind": "amount", "subject": m.subject, "value": m.value, "unit": m.unit,
                                  "raw": m.raw, "role": m.role, "share": m.share})
        for c in s.changes:
            rows.append(common | {"kind": "change", "subject": c.current.subject if c.current else None,
                                  "value": c.delta, "unit": c.delta_unit, "raw": c.raw, "role": "delta",
                                  "base_year": c.year, "base": c.base, "base_unit": c.base_unit,
                                  "direction": c.direction})
        for r in s.rates:
            rows.append(common | {"kind": "rate", "subject": r.numerator.subject if r.numerator else None,
                                  "value": r.pct, "unit": "%", "raw": r.raw, "role": "rate"})
        for ci in s.class_items:
            m = ci["mention"]
            rows.append(common | {"kind": "item", "subject": "/".join(x for x in (ci["lei"], ci["kuan"], ci["xiang"])
                                                                     if x),
                                  "value": m.value if m else None, "unit": m.unit if m else None,
                                  "raw": m.raw if m else None, "role": "item"})
        for v, unit, a, b in s.counts:
            rows.append(common | {"kind": "count", "subject": _subject(s.text, a), "value": v, "unit": unit,
                                  "raw": s.text[a:b], "role": "count"})
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["page"] = df["page"].astype("Int64")
    df["base_year"] = df["base_year"].astype("Int64")
    return df


CHANGE_COLUMNS = ["subject", "current", "current_unit", "base_year", "base", "base_unit", "direction", "delta",
           "delta_unit", "recomputed_delta", "recomputed_pct", "quote", "section", "page", "file", "base_from"]


def stated_changes(d, sentences_: list | None = None) -> pd.DataFrame:
    """One row per 比上年/较20xx年 statement: what is compared with what.

    ``sentences_``: the narrative already read (``Ledger.statements``), to avoid reading it twice.
    """
    rows = []
    if d.narrative.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    for s in sentences_ if sentences_ is not None else sentences(d):
        for c in s.changes:
            cur = c.current
            base = c.base
            rd = rp = None
            if cur is not None and base is not None:
                b = base * _scale(c.base_unit or cur.unit, cur.unit)
                rd = cur.value - b
                rp = None if b == 0 else (rd / b * 100).quantize(Decimal("0.01"))
            rows.append({
                "subject": cur.subject if cur else None, "current": cur.value if cur else None,
                "current_unit": cur.unit if cur else None, "base_year": c.year, "base": base,
                "base_unit": c.base_unit or (cur.unit if cur else None), "direction": c.direction, "delta": c.delta,
                "delta_unit": c.delta_unit, "recomputed_delta": rd, "recomputed_pct": rp, "quote": s.text,
                "section": s.section, "page": s.page, "file": s.file, "base_from": c.base_from,
            })
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _scale(frm: str, to: str) -> Decimal:
    from budgetkit.money import YUAN_PER_UNIT

    return YUAN_PER_UNIT[frm] / YUAN_PER_UNIT[to]
