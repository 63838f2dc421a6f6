"""What a grid's content says about it, when its title does not.

A table of contents or a header with no body is no table of figures; a
table whose title is absent or generic ("预算表3") is known by its header's
column concepts and its rows' codes (``reference/kind_by_content.csv``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from budgetkit.money import is_decimal_figure, looks_like_amount, squeeze
from budgetkit.read.blocks import ProseLine
from budgetkit.recognise.layout import Grid
from budgetkit.reference import header_terms, load_csv

_PAGE = re.compile(r"^\d{1,3}$")
_FUNCTION = re.compile(r"^2\d{2}(?:\d{2}){0,2}$")
_ECONOMIC = re.compile(r"^[35]\d{2}(?:\d{2})?$")
_INT = re.compile(r"^-?\d{2,}$")
_HEADER_WORDS = ("项目", "科目", "金额", "合计", "总计", "小计", "行次", "栏次", "预算数", "决算数", "本年", "上年",
                 "名称", "编码", "代码", "收入", "支出", "基本支出", "项目支出", "类", "款", "项")


def _owned(grid: Grid, i: int):
    return [grid.text[i][j] for j in range(grid.width) if grid.owner[i][j] == (i, j) and grid.text[i][j]]


def grid_lines(grid: Grid, file: str) -> list[ProseLine]:
    """The grid's text as prose lines, one per row, in reading order."""
    out = []
    for i in range(len(grid.text)):
        text = " ".join(c.strip() for c in _owned(grid, i) if c.strip())
        if text:
            out.append(ProseLine(text=text, page=grid.row_pages[i], file=file))
    return out


def has_figures(grid: Grid) -> bool:
    """Any cell that prints a figure: a decimal or grouped amount, or several plain integers."""
    ints = 0
    for i in range(len(grid.text)):
        for c in _owned(grid, i):
            t = squeeze(c)
            if is_decimal_figure(t):
                return True
            if _INT.match(t) and not (_FUNCTION.match(t) or _ECONOMIC.match(t)):
                ints += 1
    return ints >= 3


def is_contents(grid: Grid, captions: list[str]) -> bool:
    """A table of contents: titled 目录, or rows of names ending in page numbers, with no amounts."""
    if any(squeeze(c) in ("目录", "目次") for c in captions[-3:]):
        return not any(is_decimal_figure(c) for i in range(len(grid.text))
                       for c in _owned(grid, i))
    rows = [_owned(grid, i) for i in range(len(grid.text))]
    rows = [r for r in rows if r]
    if len(rows) < 3:
        return False
    paged = 0
    for r in rows:
        last = squeeze(r[-1])
        if any("." in squeeze(c) and looks_like_amount(squeeze(c)) for c in r):
            return False
        if _PAGE.match(last) and len(r) >= 2 and re.search(r"[\u4e00-\u9fff]", "".join(r[:-1])):
            paged += 1
    return paged >= 0.6 * len(rows) and any("表" in "".join(r) for r in rows)


@lru_cache(maxsize=None)
def _header_vocabulary() -> frozenset:
    words = set(_HEADER_WORDS)
    for role in ("label", "code", "unit_code", "attribute"):
        words.update(header_terms(role))
    words.update(r["term"] for r in load_csv("column_concepts.csv"))
    return frozenset(words)


def looks_like_header_row(row) -> bool:
    """Two or more cells that are column names (项目, 合计, 基本支出 …) and no figures."""
    vocab = _header_vocabulary()
    cells = [squeeze(c) for c in row if c and c.strip()]
    if any(looks_like_amount(c) for c in cells):
        return False
    return sum(1 for c in cells if c in vocab) >= 2


@lru_cache(maxsize=None)
def _rules():
    def terms(x):
        return tuple(t for t in (x or "").split("|") if t)
    return tuple((r["kind"], terms(r["header_all"]), terms(r["header_any"]), terms(r["text_any"]),
                  terms(r["text_none"]), r["codes"], r["reason_zh"])
                 for r in sorted(load_csv("kind_by_content.csv"), key=lambda r: int(r["rule"])))


def _code_scheme(grid: Grid) -> str | None:
    fn = ec = 0
    for i in range(grid.n_header, len(grid.text)):
        for c in _owned(grid, i):
            t = squeeze(c)
            head = re.match(r"^(\d{3,7})", t)
            t = head.group(1) if head else t
            if _FUNCTION.match(t):
                fn += 1
            elif _ECONOMIC.match(t):
                ec += 1
    if fn >= 2 and fn >= 2 * ec:
        return "function"
    if ec >= 2 and ec >= 2 * fn:
        return "economic"
    return None


def infer_kind(grid: Grid, captions: list[str]) -> tuple[str, str] | None:
    """(kind, reason) from the header's concepts and the rows' codes, or None."""
    if not has_figures(grid) and grid.n_header >= len(grid.text):
        return None
    header = "|".join(squeeze(grid.shown(i, j)) for i in range(grid.n_header) for j in range(grid.width))
    body = "|".join(squeeze(c) for i in range(grid.n_header, len(grid.text)) for c in _owned(grid, i))
    context = "|".join(squeeze(c) for c in captions[-3:])
    text = f"{context}|{header}|{body}"
    scheme = _code_scheme(grid)
    for kind, h_all, h_any, t_any, t_none, codes, reason in _rules():
        if h_all and not all(t in header for t in h_all):
            continue
        if h_any and not any(t in header for t in h_any):
            continue
        if t_any and not any(t in text for t in t_any):
            continue
        if t_none and any(t in text for t in t_none):
            continue
        if codes and codes != scheme:
            continue
        return kind, reason
    return None
