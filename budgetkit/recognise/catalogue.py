"""Map a printed title to a canonical table kind, using the catalogue data."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from budgetkit.reference import load_csv

_QUOTES = re.compile(r"[“”\"'‘’〝〞「」『』]")
_CN_NUM = "一二三四五六七八九十百零〇"
_PREFIX = re.compile(
    rf"^(?:[{_CN_NUM}]+[、.．]|\d+[、.．]\s*|表\s*\d+(?:[-－]\d+)*\s*[:：]?|附表\s*\d*[:：]?)"
)
_YEAR = re.compile(r"^\d{4}年度?")
_SUFFIX = re.compile(r"[（(](?:公开表|表)\s*\d+(?:[-－]\d+)*[)）]|[（(]\d{4}年度?[)）]")
TABLE_NO = re.compile(
    rf"(公开表\s*\d+(?:[-－]\d+)*)|^(?:表\s*(\d+(?:[-－]\d+)*))|^([{_CN_NUM}]+)、|^(\d{1,2})[.．、](?!\d)"
)


def normalise_title(text: str) -> str:
    t = re.sub(r"\s+", "", text or "")
    t = _QUOTES.sub("", t).replace("(", "（").replace(")", "）")
    for _ in range(3):
        t2 = _YEAR.sub("", _PREFIX.sub("", t))
        if t2 == t:
            break
        t = t2
    t = _SUFFIX.sub("", t)
    t = re.sub(r"[（(]?\d{4}年度?[)）]?$", "", t)
    return t


def printed_table_no(text: str) -> str | None:
    """``（公开表1-1）`` → ``公开表1-1``; ``表3`` → ``3``; ``五、…`` → ``五``."""
    t = re.sub(r"\s+", "", text or "")
    m = re.search(r"公开表\d+(?:[-－]\d+)*", t)
    if m:
        return m.group(0)
    m = TABLE_NO.search(t)
    if not m:
        return None
    return next(g for g in m.groups() if g)


@dataclass(frozen=True)
class TitleMatch:
    kind: str
    family: str | None
    score: int  # 3 exact catalogue title, 2 contained catalogue title, 1 keyword rule
    catalogue_title: str | None


@lru_cache(maxsize=None)
def _catalogue():
    rows = []
    for r in load_csv("table_kinds.csv"):
        rows.append((normalise_title(r["printed_title"]), r["family"], r["kind"], r["printed_title"]))
    rows.sort(key=lambda r: -len(r[0]))
    return tuple(rows)


@lru_cache(maxsize=None)
def _keyword_rules():
    rules = []
    for r in sorted(load_csv("kind_keywords.csv"), key=lambda r: int(r["priority"])):
        rules.append((tuple(r["all_of"].split("|")), tuple(x for x in r["none_of"].split("|") if x), r["kind"]))
    return tuple(rules)


@lru_cache(maxsize=None)
def _scopes() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((r["word"], tuple(r["wider_kinds"].split("|"))) for r in load_csv("fund_scopes.csv"))


def _narrower(title: str, catalogue_title: str, kind: str) -> bool:
    """A title that names a fund scope its contained catalogue title does not, where that title's kind covers
    more money, is another, narrower table (政府性基金预算财政拨款支出预算表 is a 政府性基金 table, not the
    财政拨款支出预算表 it contains). A 三公 or project table keeps its kind whatever fund it names."""
    return any(w in title and w not in catalogue_title and kind.startswith(wider) for w, wider in _scopes())


def clean_title(text: str) -> str:
    """The printed title without numbering, spacing or a trailing table number."""
    t = re.sub(r"\s+", "", text or "")
    t = _PREFIX.sub("", t)
    t = re.sub(r"[（(](?:公开表|表)\s*\d+(?:[-－]\d+)*[)）]$", "", t)
    return t


_SCOPE_NOTE = re.compile(r"[（(][^（）()]*(?:不含|含|包括|不包括)[^（）()]*[)）]")
_QUALIFIER = re.compile(r"[（(][^（）()]{1,24}[)）]$")


def looks_like_title(text: str) -> bool:
    """A line that reads as a table title: ends in 表 (or 情况), a trailing qualifier such as
    （按功能分类科目） aside."""
    t = _QUALIFIER.sub("", normalise_title(text))
    return 4 <= len(t) <= 45 and t.endswith(("表", "情况")) and "单位" not in t[:3]


@lru_cache(maxsize=4096)
def match_title(text: str) -> TitleMatch | None:
    """Best catalogue match for one line of text, or None."""
    t = normalise_title(text)
    if not t or len(t) > 60:
        return None
    for norm, family, kind, printed in _catalogue():
        if t == norm:
            return TitleMatch(kind, family, 3, printed)
    if not looks_like_title(text):
        return None
    for norm, family, kind, printed in _catalogue():
        if norm in t and not _narrower(t, norm, kind):
            return TitleMatch(kind, family, 2, printed)
    # a bracket saying what the table leaves in or out (（不含上年结转）) does not say what the table is
    t = _SCOPE_NOTE.sub("", t)
    for all_of, none_of, kind in _keyword_rules():
        if all(w in t for w in all_of) and not any(w in t for w in none_of):
            return TitleMatch(kind, None, 1, None)
    return TitleMatch("unknown", None, 0, None)


def families_for(title: str) -> set[str]:
    """Every family whose catalogue prints exactly this title."""
    t = normalise_title(title)
    return {family for norm, family, _, _ in _catalogue() if norm == t}
