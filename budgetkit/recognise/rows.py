"""Tell caption, header and body rows apart by what their cells say."""
from __future__ import annotations

import re

from budgetkit.money import is_decimal_figure, looks_like_amount, squeeze, find_unit
from budgetkit.recognise.catalogue import match_title

TOTAL_LABELS = re.compile(r"^(?:合计|总计|小计|收入总计|支出总计|本年收入合计|本年支出合计|合\s*计)$")
CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
META = re.compile(r"(?:^|[\s　])(?:预算)?(?:编制)?(?:部门|单位)(?:名称)?\s*[:：]|金额单位|单位\s*[:：]|^金额\s*[:：]|^[（(]\d{4}年度?[)）]$")


def cell_text(c) -> str:
    return "" if c is None else c.strip()


def unwrapped(text: str) -> str:
    """A cell's text with the line breaks its cell width made taken out (金额单\n位：万元 → 金额单位：万元)."""
    return re.sub(r"\s*\n\s*", "", text)


def is_blank(row) -> bool:
    return all(not cell_text(c) for c in row)


def _has_money(row) -> bool:
    for c in row:
        t = squeeze(c)
        if is_decimal_figure(t):
            return True
    return False


_INT = re.compile(r"^\d{3,}$")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _has_integer_figures(row) -> bool:
    """A label beside a plain integer of three or more digits (28000 in a table printed in 元):
    a figure, unless it is a year, or the row's first cell (a code)."""
    texts = [squeeze(c) for c in row if cell_text(c)]
    if not any(_CJK.search(t) for t in texts):
        return False
    return any(_INT.match(t) and not _YEAR.match(t) for t in texts[1:]) and not CODE.match(texts[0] or "")


def is_body_row(row, position: int) -> bool:
    """A row that carries figures (or is a body row of an empty table)."""
    if _has_money(row) or _has_integer_figures(row):
        return True
    texts = [squeeze(c) for c in row if cell_text(c)]
    if not texts:
        return position > 0
    if CODE.match(texts[0]) and len(texts) >= 2 and not CODE.match(texts[-1]):
        return True
    if len(texts) == 1 and TOTAL_LABELS.match(texts[0]) and position > 0:
        return True
    return False


def is_caption_row(row) -> bool:
    """Title, 部门/单位 and unit lines printed inside the table grid."""
    texts = []
    for c in row:
        t = cell_text(c)
        if t and t not in texts:
            texts.append(t)
    if not texts:
        return True
    # a caption wrapped inside its cell (金额单\n位：万元) reads as one line
    if all(META.search(t) or find_unit(t) or META.search(unwrapped(t)) or find_unit(unwrapped(t)) for t in texts):
        return True
    if len(texts) == 1:
        first = texts[0].split("\n")[0]
        m = match_title(first)
        if m is not None:  # a title printed in the grid's first row, known or not
            return True
    return False


def header_row_count(rows) -> int:
    for i, row in enumerate(rows):
        if is_body_row(row, i):
            return i
    return len(rows)
