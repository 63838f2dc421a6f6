"""Prose lines → paragraphs with their section heading and page."""
from __future__ import annotations

import re

import pandas as pd

from budgetkit.read.blocks import ProseLine

_CN = "一二三四五六七八九十"
HEADING = re.compile(
    rf"^(?:第[{_CN}]+部[分份]|[{_CN}]+、|[（(][{_CN}]+[）)]|\d+[、.．](?!\d))"
)
_END = "。；;！!？?：:"
_PAGE_NO = re.compile(r"^[-—\s]*\d{1,3}[-—\s]*$|^第\s*\d+\s*页")


def _is_heading(text: str) -> bool:
    t = text.strip()
    if any(t.endswith(c) for c in _END + "，,"):
        return False
    if HEADING.match(t) and len(t) <= 40:
        return True
    return len(t) <= 24 and not re.search(r"\d+\.\d+", t)


# what may not be broken at the start of a line (a bracketed word with the colon and figures behind it, a figure
# with its separators): Unicode line breaking keeps "(项):2023" and "1,065.53" whole
_UNBREAKABLE = re.compile(r"^(?:[(（\[【][^)）\]】]{1,8}[)）\]】])?[0-9A-Za-z,.:：%％/\-]*")


def _forced_break(next_text: str, gap: float, em: float) -> bool:
    """A line that stops short only because the next line opens with a run wider than the gap left (a figure, a
    bracketed 科目 level) was wrapped, not ended: the layout engine could not break inside that run."""
    run = _UNBREAKABLE.match(next_text).group(0)
    width = sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in run) * em
    return bool(run) and width > gap


def _carried_over(lines: list[ProseLine]) -> list[ProseLine]:
    """A PDF page may carry the end of the page before it above its top edge (text outside the page box, read
    first): the lines a page opens with that repeat, in order, the lines the previous page of the file ended
    with are read once, on the previous page."""
    out: list[ProseLine] = []
    by_page: dict = {}
    for ln in lines:
        by_page.setdefault((ln.file, ln.page), []).append(ln)
    done: set = set()
    for ln in lines:
        key = (ln.file, ln.page)
        if ln.page is None or key in done:
            continue
        done.add(key)
        mine = [x.text.strip() for x in by_page[key]]
        before = [x.text.strip() for x in by_page.get((ln.file, ln.page - 1), [])
                  if x.text.strip() and not _PAGE_NO.match(x.text.strip())]
        k = next((k for k in range(min(len(mine), len(before)), 0, -1) if mine[:k] == before[-k:]), 0)
        if k and sum(len(t) for t in mine[:k]) >= 10:
            by_page[key] = by_page[key][k:]
    for ln in lines:
        key = (ln.file, ln.page)
        if ln.page is None:
            out.append(ln)
        elif key in by_page:
            out.extend(by_page.pop(key))
    return out


def paragraphs(lines: list[ProseLine]) -> pd.DataFrame:
    """Join wrapped PDF lines; a line ending a sentence or a heading ends a paragraph."""
    lines = _carried_over(lines)
    rows: list[dict] = []
    section = ""
    buf: list[str] = []
    buf_page = None
    buf_file = None
    wrapped_width = 0
    prev_x1 = prev_h = None
    right_edge: dict = {}
    for ln in lines:  # the right margin of each page's prose
        if ln.x1 is not None:
            key = (ln.file, ln.page)
            right_edge[key] = max(right_edge.get(key, 0), ln.x1)

    seen: set = set()

    def flush():
        nonlocal buf
        if buf:
            text = "".join(buf)
            key = (buf_file, buf_page, text)
            # a paragraph the text layer carries twice on one page (text placed outside the page box) is read once
            if buf_page is None or len(text) < 10 or key not in seen:
                rows.append(dict(file=buf_file, page=buf_page, section=section, text=text))
            seen.add(key)
        buf = []

    for ln in lines:
        t = ln.text.strip()
        if not t or _PAGE_NO.match(t):
            continue
        if ln.page is None:  # Word text: each line is already a paragraph
            flush()
            if _is_heading(t):
                section = t
            buf, buf_page, buf_file = [t], None, ln.file
            flush()
            continue
        if prev_x1 is not None:
            gap = right_edge.get((ln.file, ln.page), 0) - prev_x1
            short = gap > 2 * (prev_h or 10) and not _forced_break(t, gap, prev_h or 10)
            if short and buf and buf[-1][-1:] not in _END and wrapped_width and len(buf[-1]) >= 0.85 * wrapped_width \
                    and gap < 4 * (prev_h or 10) and not _is_heading("".join(buf)):
                # a ragged right margin: a full-length line that stops mid-sentence ("…公务接待费2万元，委" / "托业务费
                # 7.28万元…") wrapped, it did not end its paragraph
                short = False
        else:
            short = len(buf[-1]) < 0.8 * wrapped_width if buf else False
        starts_new = (not buf or buf_file != ln.file or HEADING.match(t)
                      or buf[-1][-1:] in _END or short)
        if starts_new:
            flush()
            if _is_heading(t):
                section = t
            buf, buf_page, buf_file = [t], ln.page, ln.file
        else:
            buf.append(t)
        wrapped_width = max(wrapped_width, len(t)) if len(t) > 20 else wrapped_width
        prev_x1, prev_h = ln.x1, ln.height
    flush()
    df = pd.DataFrame(rows, columns=["file", "page", "section", "text"])
    df["page"] = df["page"].astype("Int64")
    return df.astype({"file": "string", "section": "string", "text": "string"})
