"""Classification codes: one normalised code plus its level.

Function codes: 类 3 digits, 款 5, 项 7 (``208``, ``20801``, ``2080109``).
Economic codes: 类 3, 款 5 (``301``, ``30101``).  Codes may be printed split
over 类/款/项 columns (``208 | 01 | 09``), together (``2080109``), or at the
front of a label (``201 一般公共服务支出``).
"""
from __future__ import annotations

import re

LEVELS = {3: "类", 5: "款", 7: "项"}
_LABEL_CODE = re.compile(r"^\s*([\[【]?)(\d{3}(?:\d{2}){0,2})([\]】]?\s*)(?=[\u4e00-\u9fff])")


def level_of(code: str | None) -> str | None:
    return LEVELS.get(len(code)) if code else None


def scheme_of(code: str | None) -> str | None:
    """Function codes start with 2; economic (部门预算支出经济分类) with 3 or 5."""
    if not code:
        return None
    return "function" if code[0] == "2" else "economic" if code[0] in "35" else None


def join_split(parts: list[str]) -> str | None:
    """``['208', '01', '09']`` → ``'2080109'``; ``['', '01']`` is not a code."""
    parts = [p for p in parts if p]
    if not parts or not parts[0].isdigit() or len(parts[0]) != 3:
        return None
    code = parts[0]
    for p in parts[1:]:
        if p.isdigit() and len(p) == 1:
            p = p.zfill(2)  # spreadsheets drop the leading zero of 款/项 (``2`` for ``02``)
        if not (p.isdigit() and len(p) == 2):
            break
        code += p
    return code


def split_label(label: str) -> tuple[str | None, str]:
    """``'201 一般公共服务支出'`` → (``'201'``, ``'一般公共服务支出'``).  Digits run into a name with nothing
    between them are a code only when they are a function or economic code (``201一般公共服务支出``): a number
    that opens a project's name (``12320卫生热线服务项目``, the hotline's number) is part of the name."""
    m = _LABEL_CODE.match(label or "")
    if not m:
        return None, label
    code = m.group(2)
    if not (m.group(1) or m.group(3)) and scheme_of(code) is None:
        return None, label
    return code, label[m.end():].strip()


def is_code(text: str) -> bool:
    return bool(re.fullmatch(r"\d{3}(?:\d{2}){0,2}", text or ""))
