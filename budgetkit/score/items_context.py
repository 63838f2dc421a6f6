"""The scorecard items' common ground: :class:`Rating`, the :class:`Context` every item reads, the
levels and the evidence helpers (quotes, tables, findings).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

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
        from budgetkit.check.completeness import narrative_read

        n = d.narrative
        #: every line of text read (a cover, a contents page, a table's notes): what the form items judge
        self.printed = [] if n.empty else [
            {"file": r["file"], "page": None if pd.isna(r["page"]) else int(r["page"]),
             "section": str(r["section"] or ""), "text": _SPACED.sub("", str(r["text"] or ""))} for _, r in n.iterrows()]
        # the narrative the N, P and Q items judge: none when no narrative was read (a tables-only file given alone
        # prints titles, notes and cells spilling out of its forms), so they are N/E, not 0
        self.paras = self.printed if narrative_read(d) else []
        self.unknown = [t for t in d.tables if t.kind == "unknown"]

    # ---- narrative helpers -------------------------------------------------------------------------------
    def sentences(self, printed=False):
        for p in (self.printed if printed else self.paras):
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
        for p in self.printed:
            by_page.setdefault((p["file"], p["page"]), []).append(p)
        for p in self.printed:
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
    """Every label and column name of a table, as one string in the one spelling the checks compare names in
    (``normalise_name``: 其它 → 其他, full-width brackets, no spaces or quotes), so that an item's pattern,
    written in that spelling, matches every printed variant (「其它收入」, 「其中： 基本支出」, 「(境)」)."""
    from budgetkit.tidy.statements import normalise_name

    cols = " ".join(map(str, t.frame.columns))
    labels = [c for c, r in t.column_roles.items() if r in ("label", "code")]
    cells = " ".join(str(v) for c in labels if c in t.frame for v in t.frame[c].dropna())
    return normalise_name(cols + " " + cells)


def _guessed(ts):
    return [g for t in ts for g in t.guesses]


_TOC = re.compile(r"(?<!采购)(?<!指导性)(?<!分类)目\s*录\s*$", re.M)
