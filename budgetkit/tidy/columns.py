"""Column label paths and column roles (label, code, unit code, amount, attribute)."""
from __future__ import annotations

import re

from budgetkit.money import looks_like_amount, is_placeholder, squeeze
from budgetkit.recognise.layout import Grid
from budgetkit.recognise.rows import is_figure_shaped
from budgetkit.reference import header_terms

_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff（）()“”])\s+(?=[\u4e00-\u9fff（）()“”])")


def clean_label(text: str) -> str:
    """Drop indentation, wrapped-line breaks and spacing between Chinese characters."""
    t = (text or "").replace("\u3000", " ").strip()
    t = re.sub(r"\s*\n\s*", "", t)
    t = _CJK_GAP.sub("", t)
    return re.sub(r"\s{2,}", " ", t)


_COLUMN_NUMBER = re.compile(r"^(?:\d{1,2}|[*＊]+|栏次|[A-Z])$")


def label_paths(grid: Grid) -> list[str]:
    """One ``a/b/c`` label per column from the header rows, merged cells filled.

    A 栏次 row (the column numbers 1, 2, 3 … printed under the header in 决算
    tables) names no column: its cells are left out of the paths."""
    paths = []
    for j in range(grid.width):
        parts: list[str] = []
        for i in range(grid.n_header):
            t = clean_label(grid.shown(i, j))
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        kept = [x for x in parts if not _COLUMN_NUMBER.match(x)]
        paths.append("/".join(kept if kept else parts))
    return paths


_CODE_SUFFIXES = ("科目编码", "科目代码", "分类编码", "分类代码", "科目编号")
_FUNCTION_CODE = re.compile(r"^2\d{2}(?:\d{2}){0,2}$")
_ECONOMIC_CODE = re.compile(r"^[35]\d{2}(?:\d{2})?$")
_SPLIT_PART = re.compile(r"^\d{2,3}$")


def _code_like(cells: list[str]) -> bool:
    """Body cells that are classification codes (201, 20101, 2010101; 301, 30101), never money:
    integers of 3, 5 or 7 digits with no separator, at least one of them a 类 or 款 prefix of another."""
    vals = [squeeze(c) for c in cells]
    if len(vals) < 2 or not all(_FUNCTION_CODE.match(v) or _ECONOMIC_CODE.match(v) or _SPLIT_PART.match(v)
                                for v in vals):
        return False
    full = [v for v in vals if len(v) in (3, 5, 7)]
    return bool(full) and (any(a != b and b.startswith(a) for a in full for b in full) or len(set(vals)) < len(vals)
                           or all(len(v) <= 3 for v in vals))


def _row_numbers(cells: list[str]) -> bool:
    """1, 2, 3 … in order: a 行次 column without its header."""
    try:
        nums = [int(squeeze(c)) for c in cells]
    except ValueError:
        return False
    return len(nums) >= 3 and all(b == a + 1 for a, b in zip(nums, nums[1:]))


def _has_term(path: str, role: str) -> bool:
    comps = path.split("/") if path else []
    terms = header_terms(role)
    return any(c in terms for c in comps)


def column_roles(grid: Grid, paths: list[str]) -> list[str]:
    roles = []
    body = range(grid.n_header, len(grid.text))
    for j, path in enumerate(paths):
        comps = path.split("/") if path else []
        if _has_term(path, "unit_code"):
            roles.append("unit_code")
            continue
        if comps and (comps[-1] in ("类", "款", "项") or _has_term(path, "code")):
            roles.append("code")
            continue
        if _has_term(path, "attribute"):
            roles.append("attribute")
            continue
        if comps and comps[-1].endswith(_CODE_SUFFIXES) and not _has_term(path, "unit_code"):
            roles.append("code")  # 部门经济科目编码, 功能科目代码 …
            continue
        cells = [grid.text[i][j] for i in body if grid.owner[i][j] == (i, j) and grid.text[i][j]]
        bare = [c for c in cells if squeeze(c).isdigit()]
        words = [c for c in cells if not squeeze(c).isdigit() and not looks_like_amount(c)]
        # codes, with perhaps a 合计 label merged into the code column: never money
        if bare and len(bare) + len(words) == len(cells) and len(bare) >= 0.7 * len(cells) \
                and not _money_named(comps):
            if _code_like(bare):
                roles.append("code")
                continue
            if not words and _row_numbers(cells):
                roles.append("attribute")
                continue
        # a malformed figure (1,149.8O) is money that cannot be read: it counts for the column, and goes to residue
        money = [c for c in cells if looks_like_amount(c) or is_placeholder(c) or is_figure_shaped(c)]
        real = [c for c in cells if looks_like_amount(c)]
        if real and len(money) >= 0.6 * len(cells):
            roles.append("amount")
        elif not cells and _looks_money_header(comps):
            roles.append("amount")
        else:
            roles.append("label")
    return roles


_MONEY_WORDS = ("合计", "小计", "总计", "金额", "预算数", "支出", "收入", "经费", "拨款", "资金", "费", "结转", "安排")


def _looks_money_header(comps: list[str]) -> bool:
    """An empty column is an amount column when its header names money."""
    if not comps:
        return False
    last = comps[-1]
    if last in header_terms("label") or last.startswith(("单位名称", "项目名称", "科目名称")):
        return False
    return any(w in squeeze(c) for c in comps for w in _MONEY_WORDS)


def _money_named(comps: list[str]) -> bool:
    """The header names an amount (合计, 金额, 预算数 …): its integers are money, not codes."""
    from budgetkit.reference import load_csv

    terms = {r["term"] for r in load_csv("column_concepts.csv")}
    return any(c in terms for c in comps)
