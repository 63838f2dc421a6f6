"""The 决算 narrative's execution statements, one row per statement.

Forms read (each bound to its own numbered entry, which may run over several paragraphs and pages):

- ``…（类）…（款）…（项）。年初预算为A万元，支出决算为B万元，完成年初预算的C%。决算数大于预算数的主要原因是…``
- the overall sentence ``…财政拨款支出年初预算为A万元，支出决算为B万元，完成年初预算的C%``
- 三公: ``…支出预算为A万元，…支出决算为B万元，完成预算的C%``; items ``因公出国（境）费支出决算为B万元，完成预算的C%``
  (the item's budget is the 三公 table's) and ``决算为B万元，完成预算A万元的C%``
- 绩效: ``全年预算数为A万元，执行数为B万元，完成预算的C%``
- against the budget as a change: ``B万元，比年初预算数增加Δ万元，增长p%`` (A = B − Δ)

Amounts are exact Decimals as printed (their printed decimals give the tolerance).
"""
from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

NUM = r"(-?\d[\d,，]*(?:\.\d+)?)"
SP = r"\s*"
HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+部分)")
ENUM = re.compile(r"^\s*(\d{1,2})\s*[.、．](?!\d)")
NAMES = re.compile(r"([^（）。；，、\d\s.]+?)\s*（(类|款|项)）")

# budget figure, then 决算 figure, then an optional rate
BUDGET_THEN_FINAL = re.compile(
    r"(?P<base>年初预算|全年预算|调整预算|预算)(?:数)?(?:为|是)?" + SP + NUM + SP + r"万元[^。；]{0,40}?"
    r"(?:支出)?(?:决算|执行)(?:数)?(?:为|是)?" + SP + NUM + SP + r"万元"
    r"(?:[，,]?" + SP + r"完成(?P<rbase>年初预算|全年预算|调整预算|预算)?(?:数)?的?" + SP + NUM + SP + r"[%％])?")
# 决算 figure, then 完成预算[A万元]的C%
FINAL_THEN_RATE = re.compile(
    r"(?:支出)?决算(?:数)?(?:为|是)?" + SP + NUM + SP + r"万元[，,]?" + SP
    + r"完成(?P<rbase>年初预算|全年预算|调整预算|预算)(?:数)?" + SP + r"(?:" + NUM + SP + r"万元)?" + SP + r"的" + SP
    + NUM + SP + r"[%％]")
# B万元，比年初预算数增加Δ万元，增长p%
CHANGE_VS_BUDGET = re.compile(
    NUM + SP + r"万元[，,]?" + SP + r"比(?P<base>年初预算|全年预算|预算)(?:数)?(?P<dir>增加|减少|增长|下降|持平)" + SP
    + r"(?:" + NUM + SP + r"万元)?(?:[，,]?" + SP + r"(?:增长|下降|减少|增加)" + SP + NUM + SP + r"[%％])?")
DIRECTION = re.compile(r"(决算数?|支出)(?:数)?(大于|小于|等于|基本持平|持平|高于|低于)(?:年初)?预算数?")
REASON = re.compile(r"(?:主要原因(?:是|为|：|:)?|主要是因为|原因是|主要增减变动情况是[：:]?|主要情况[：:]?)\s*(?P<r>.+?)(?:[。；;]|$)")
PLACEHOLDER = re.compile(r"^(?:无|略|XX+|xx+|…+|\.+|/)?$")
SANGONG_ITEMS = {"因公出国": "因公出国（境）费", "公务用车": "公务用车购置及运行费", "公务接待": "公务接待费"}

COLUMNS = ["entry", "kind", "subject", "class_name", "kuan_name", "xiang_name", "code", "code_how", "base",
           "stated_budget", "stated_final", "stated_rate", "stated_change", "rate_base", "direction", "reason",
           "reason_from", "page", "pages", "file", "quote", "statement"]


def _dec(s: str | None) -> Decimal | None:
    if s is None:
        return None
    return Decimal(s.replace(",", "").replace("，", ""))


def _blocks(d) -> list[dict]:
    """Numbered entries and the paragraphs under a heading, in reading order, each with its pages."""
    out: list[dict] = []
    cur = None
    for r in d.narrative.itertuples(index=False):
        text = str(r.text or "").strip()
        if not text:
            continue
        is_heading = text == str(r.section or "").strip() or (HEADING.match(text) and len(text) < 60)
        m = ENUM.match(text)
        if is_heading and not m:
            cur = None
            out.append({"entry": None, "text": text, "pages": [r.page], "file": r.file, "heading": True})
            continue
        if m or cur is None:
            cur = {"entry": int(m.group(1)) if m else None, "text": text, "pages": [r.page], "file": r.file,
                   "heading": False, "starts": [(0, r.page)]}
            out.append(cur)
        else:
            cur["starts"].append((len(cur["text"]), r.page))
            cur["text"] += text
            if r.page not in cur["pages"]:
                cur["pages"].append(r.page)
    return [b for b in out if not b["heading"]]


def _subject_before(text: str, start: int) -> str:
    """The noun a statement is about: the words just before it in its own clause."""
    head = re.split(r"[。；;：:]", text[:start])[-1]
    head = re.sub(r"^\s*(?:其中|\d{1,2}[.、．])\s*[：:]?", "", head)
    head = re.sub(r"\d{4}\s*年度?", "", head)
    return head.strip(" ，,")


def _sangong_item(subject: str) -> str | None:
    for k, v in SANGONG_ITEMS.items():
        if k in subject:
            return v
    if "三公" in subject:
        return "合计"
    return None


def _reason(text: str, after: int) -> tuple[str | None, str | None]:
    tail = text[after:]
    dm = DIRECTION.search(tail)
    direction = dm.group(2) if dm else None
    rm = REASON.search(tail)
    reason = rm.group("r").strip() if rm else None
    if reason is not None and PLACEHOLDER.match(reason):
        reason = None
    return direction, reason


def entries(d) -> pd.DataFrame:
    """One row per execution statement of a 决算's narrative (empty frame when none)."""
    rows: list[dict] = []
    for b in _blocks(d):
        text = b["text"]
        names = {lvl: n for n, lvl in NAMES.findall(text[:120])}
        used: list[tuple[int, int]] = []

        def free(m):
            return all(m.end() <= s or m.start() >= e for s, e in used)

        found = []
        for m in BUDGET_THEN_FINAL.finditer(text):
            used.append(m.span())
            found.append(("bf", m))
        for m in FINAL_THEN_RATE.finditer(text):
            if free(m):
                used.append(m.span())
                found.append(("fr", m))
        for m in CHANGE_VS_BUDGET.finditer(text):
            if free(m):
                used.append(m.span())
                found.append(("ch", m))
        found.sort(key=lambda x: x[1].start())
        first = len(rows)
        for i, (form, m) in enumerate(found):
            subject = _subject_before(text, m.start())
            nxt = found[i + 1][1].start() if i + 1 < len(found) else len(text)
            # the direction word and reason of an entry follow its last statement
            direction, reason = _reason(text, m.end()) if i + 1 == len(found) else _reason(text[:nxt], m.end())
            g = m.groups()
            row = {"entry": b["entry"], "subject": subject, "class_name": names.get("类"),
                   "kuan_name": names.get("款"), "xiang_name": names.get("项"), "code": None, "code_how": None,
                   "direction": direction, "reason": reason,
                   "page": [p for s0, p in b["starts"] if s0 <= m.start()][-1], "pages": list(b["pages"]),
                   "file": b["file"], "quote": text[max(0, m.start() - 30):m.end() + 60],
                   "statement": m.group(0),
                   "stated_change": None, "rate_base": None,
                   "reason_from": "entry" if reason else None}
            if form == "bf":
                row.update(base=m.group("base"), stated_budget=_dec(g[1]), stated_final=_dec(g[2]),
                           rate_base=m.group("rbase"), stated_rate=_dec(g[4]))
            elif form == "fr":
                row.update(base=m.group("rbase"), stated_budget=_dec(g[2]), stated_final=_dec(g[0]),
                           rate_base=m.group("rbase"), stated_rate=_dec(g[3]))
            else:
                final, delta = _dec(g[0]), _dec(g[3])
                sign = -1 if m.group("dir") in ("减少", "下降") else 1
                budget = None if delta is None else final - sign * delta
                row.update(base=m.group("base"), stated_budget=budget, stated_final=final,
                           stated_change=None if delta is None else sign * delta, rate_base="change",
                           stated_rate=_dec(g[4]), direction=m.group("dir"))
            row["kind"] = _kind(row, text, m.start())
            if row["kind"] == "项目绩效":
                named = re.findall(r"([^\s。；，：:\d.、．]{2,40}?)(?:绩效)?(?:自评)?综述", text[:m.start()])
                row["subject"] = named[-1] if named else row["subject"]
            rows.append(row)
        # a block's closing reason ("“三公”经费支出决算数小于预算数的主要原因是…") is the reason of the statements
        # before it that give none of their own
        block = rows[first:]
        if len(block) > 1 and block[-1]["reason"]:
            for row in block[:-1]:
                if not row["reason"] and row["kind"] == block[-1]["kind"]:
                    row["reason"], row["reason_from"] = block[-1]["reason"], "block"
    return pd.DataFrame(rows, columns=COLUMNS)


def _kind(row: dict, text: str, start: int) -> str:
    if row["xiang_name"]:
        return "项"
    subj = row["subject"]
    if "执行数" in text[start:start + 80] or "全年预算数" in text[start:start + 20]:
        return "项目绩效"
    if _sangong_item(subj) or "三公" in text[max(0, start - 60):start]:
        return "三公"
    if "机关运行经费" in subj:
        return "机关运行经费"
    if "政府性基金" in subj:
        return "政府性基金"
    if "财政拨款" in subj or "一般公共预算" in subj:
        return "合计"
    return "其他"


def refine_pages(entries: pd.DataFrame, paths) -> pd.DataFrame:
    """A paragraph that runs over a page break is kept under its first page: the page of each statement is
    looked up in the PDF's own text (the page whose text holds the statement's opening, else the one after)."""
    import pdfplumber

    by_name = {str(p).replace("\\", "/").rsplit("/", 1)[-1]: p for p in paths}
    out = entries.copy()
    texts: dict = {}
    opened: dict = {}

    def text(file, page):
        key = (file, page)
        if key not in texts:
            try:
                if file not in opened:
                    opened[file] = pdfplumber.open(by_name[file])
                pdf = opened[file]
                texts[key] = re.sub(r"\s+", "", pdf.pages[page - 1].extract_text() or "") \
                    if 0 < page <= len(pdf.pages) else ""
            except Exception:  # noqa: BLE001 - a page we cannot open keeps the paragraph's page
                texts[key] = None
        return texts[key]

    for i, r in out.iterrows():
        if r["file"] not in by_name or not str(r["file"]).lower().endswith(".pdf"):
            continue
        head = re.sub(r"\s+", "", str(r["statement"]))[:12]
        here, nxt = text(r["file"], int(r["page"])), text(r["file"], int(r["page"]) + 1)
        if here is not None and head not in here and nxt and head in nxt:
            out.at[i, "page"] = int(r["page"]) + 1
    for pdf in opened.values():
        pdf.close()
    return out
