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


_FIGURE_SEP = re.compile(r"\d[.,，．]\d")
_DIGIT = re.compile(r"[0-9０-９]")
_SEPARATORS = set(".,，．-−（）()")
# letters a keyboard or an OCR pass puts for a digit (1,149.8O, 2l.50)
_DIGIT_LOOKALIKES = str.maketrans("OoDQlI|", "0000111")


def is_figure_shaped(text) -> bool:
    """A cell printed as a figure that is not a well-formed amount (1,149.8O, 1,149,80, 31.O6): digits with a
    decimal point or group separator between them and two Latin letters at most, nothing else. A header cell never
    has this shape; a body cell that has it is a malformed amount (its cell goes to the residue)."""
    t = squeeze(text)
    if not t or _CJK.search(t) or not _FIGURE_SEP.search(t.translate(_DIGIT_LOOKALIKES)):
        return False
    digits = len(_DIGIT.findall(t))
    if digits < 3:
        return False
    rest = [ch for ch in t if ch not in _SEPARATORS]
    letters = sum(ch.isascii() and ch.isalpha() for ch in rest)
    # anything else (≤85, 96%, 1.2万) is a limit, a share or a figure with its unit, not a malformed amount
    return digits + letters == len(rest) and letters <= 2 and digits >= 0.6 * len(rest)


def repaired_figure(text) -> bool:
    """A malformed figure that reads as an amount once look-alike letters are taken for digits (1,149.8O)."""
    t = squeeze(text)
    return is_figure_shaped(t) and not is_decimal_figure(t) and is_decimal_figure(t.translate(_DIGIT_LOOKALIKES))


def _figure_columns(rows, start: int) -> set[int]:
    """Columns that print a figure in a body row (from ``start`` on)."""
    return {j for row in rows[start:] for j, c in enumerate(row) if is_decimal_figure(squeeze(c))}


def _malformed_body_row(row, figure_cols: set[int]) -> bool:
    """A row above the first well-formed figure that holds a malformed amount (the table's first body row):
    body, not header — read as header it would take the rows below it along, and its figure would be in neither
    the amounts nor the residue. Such a row has its cells in the figure columns all figure-shaped, or a label
    beside a figure that is an amount but for a look-alike letter (1,149.8O)."""
    texts = [squeeze(c) for c in row if cell_text(c)]
    if any(_CJK.search(t) for t in texts) and any(repaired_figure(t) for t in texts):
        return True
    cells = [squeeze(row[j]) for j in sorted(figure_cols) if j < len(row) and cell_text(row[j])]
    return bool(cells) and all(is_figure_shaped(c) or is_decimal_figure(c) for c in cells)


def header_row_count(rows) -> int:
    first = next((i for i, row in enumerate(rows) if is_body_row(row, i)), len(rows))
    figure_cols = _figure_columns(rows, first)
    for i in range(first):
        if _malformed_body_row(rows[i], figure_cols):
            return i
    return first
