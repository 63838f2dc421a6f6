"""Read the figures the narrative states: amounts with their subject, shares
(占x%), and year-over-year changes (比20xx年…增加/减少…)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

NUM = r"\d[\d,]*(?:\.\d+)?"
AMOUNT = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>亿元|万元|元)(?![/／每])")
SHARE = re.compile(rf"占(?:比|总额的|全部的|支出的|收入的)?\s*(?P<pct>{NUM})\s*[%％]")
CHANGE = re.compile(
    rf"(?:比|较|同比|与)(?:上年|(?P<year>\d{{4}})\s*年)(?:度)?(?:相比|比较)?(?P<what>[^\d，,。；;]{{0,20}}?)"
    rf"(?:(?P<base>{NUM})\s*(?P<bunit>亿元|万元|元))?[，,、]?\s*(?:总数|总额)?"
    rf"(?P<dir>增加|减少|增长|下降|上升|降低|减|增|持平)"
    rf"(?:了)?\s*(?:(?P<delta>{NUM})\s*(?P<dunit>亿元|万元|元|[%％]|个百分点))?"
)
FOLLOW_PCT = re.compile(rf"^[，,、]?\s*(?:总数|总额)?(?P<dir>增长|下降|上升|降低|减少|增加)\s*(?P<delta>{NUM})\s*(?P<u>[%％]|万元|元)")
SUBJECT_STOP = re.compile(r"[，,；;。：:（(）)、\s]")
CLASS_ITEM = re.compile(
    r"(?P<lei>[\u4e00-\u9fff“”\"]+?)\s*[（(]类[)）]\s*(?P<kuan>[\u4e00-\u9fff“”\"（）()]+?)\s*[（(]款[)）]"
    r"\s*(?P<xiang>[\u4e00-\u9fff“”\"（）()]+?)\s*[（(]项[)）]")


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


@dataclass
class Sentence:
    text: str
    page: int | None
    section: str
    file: str
    mentions: list[Mention] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    class_items: list[dict] = field(default_factory=list)


def _dec(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


def _subject(text: str, start: int) -> str:
    """The words right before a figure, back to the previous punctuation."""
    head = text[:start]
    m = None
    for m in SUBJECT_STOP.finditer(head):
        pass
    subj = head[m.end():] if m else head
    subj = re.sub(r"(?:预算数为|预算数|安排|合计|共计|总额为|总计|为|是|达)$", "", subj.strip())
    return subj


def split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[。；;])", text)
    return [p.strip() for p in parts if p.strip()]


def read_sentence(text: str, page, section, file) -> Sentence:
    s = Sentence(text, page, section, file)
    for m in AMOUNT.finditer(text):
        s.mentions.append(Mention(_dec(m.group("num")), m.group("unit"), m.group(0), m.start(), m.end(),
                                  _subject(text, m.start())))
    for c in CHANGE.finditer(text):
        base = delta = None
        for mm in s.mentions:
            if c.group("base") and c.start("base") == mm.start:
                mm.role, base = "base", mm
            if c.group("delta") and c.start("delta") == mm.start:
                mm.role, delta = "delta", mm
        current = None
        for mm in s.mentions:
            if mm.end <= c.start() and mm.role == "amount":
                current = mm
        year = int(c.group("year")) if c.group("year") else None
        base_v = _dec(c.group("base")) if c.group("base") else None
        s.changes.append(Change(year, base_v, c.group("bunit"), c.group("dir"),
                                _dec(c.group("delta")) if c.group("delta") else None,
                                c.group("dunit"), current, c.group(0)))
        follow = FOLLOW_PCT.match(text[c.end():])
        if follow and c.group("dunit") not in ("%", "％"):  # "…增加50万元，增长33.33%" / "增长0.70万元"
            s.changes.append(Change(year, base_v, c.group("bunit"), follow.group("dir"), _dec(follow.group("delta")),
                                    follow.group("u"), current, c.group(0) + follow.group(0)))
            for mm in s.mentions:
                if mm.start == c.end() + follow.start("delta"):
                    mm.role = "delta"
    for sh in SHARE.finditer(text):
        prev = [mm for mm in s.mentions if mm.end <= sh.start() and mm.role == "amount"]
        if prev:
            prev[-1].share = _dec(sh.group("pct"))
            prev[-1].share_raw = sh.group(0)
    for ci in CLASS_ITEM.finditer(text):
        after = [mm for mm in s.mentions if mm.start >= ci.end()]
        s.class_items.append({"lei": ci.group("lei"), "kuan": ci.group("kuan"), "xiang": ci.group("xiang"),
                              "mention": after[0] if after else None})
    return s


def read_statements(narrative) -> list[Sentence]:
    out = []
    for _, p in narrative.iterrows():
        last_amount = None
        for sent in split_sentences(p["text"]):
            page = None if pd.isna(p["page"]) else int(p["page"])
            s = read_sentence(sent, page, p["section"], p["file"])
            for c in s.changes:
                # "基本支出预算数为10403.11万元。与上年相比增加439.04万元" — the figure is in the sentence before
                if c.current is None and last_amount is not None and not s.mentions[:1] == [] \
                        and all(m.role != "amount" for m in s.mentions):
                    c.current = last_amount
            amounts = [m for m in s.mentions if m.role == "amount"]
            if amounts:
                last_amount = amounts[-1]
            if s.mentions or s.changes:
                out.append(s)
    return out
