"""Recognised tables → wide printed frames, tidy amount records and residue.

Every body cell ends in exactly one place: a label, an amount record, or the
residue with a reason.  Nothing is dropped silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from budgetkit.money import (amount_problem, cell_unit, is_decimal_figure, is_placeholder, looks_like_amount,
                             parse_amount, printed_decimals, squeeze, to_yuan)
from budgetkit.recognise.rows import repaired_figure
from budgetkit.recognise.tables import RecognisedTable
from budgetkit.tidy.codes import is_code, join_split, level_of, scheme_of, split_label
from budgetkit.tidy.columns import clean_label, column_roles, label_paths

_UNIT_CODE = re.compile(r"^\d{6,}$")
_UNIT_ROW_NAME = re.compile(r"(?:中心|局|委员会|办公室|办事处|厅|院|所|站|队|校|馆|部|会|处|室|街道|镇|乡)$")


@dataclass
class TidyTable:
    table: RecognisedTable
    paths: list[str]
    roles: list[str]
    frame: pd.DataFrame
    amounts: list[dict] = field(default_factory=list)
    residue: list[dict] = field(default_factory=list)
    units: dict = field(default_factory=dict)
    guesses: list[str] = field(default_factory=list)  # column roles inferred without a header


def _dedupe(paths: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for j, p in enumerate(paths):
        p = p or f"列{j + 1}"
        if p in seen:
            seen[p] += 1
            p = f"{p}#{seen[p]}"
        else:
            seen[p] = 1
        out.append(p)
    return out


def tidy_table(t: RecognisedTable, table_index: int) -> TidyTable:
    g = t.grid
    paths = label_paths(g)
    roles = column_roles(g, paths)
    cols = _dedupe(paths)
    body = list(range(g.n_header, len(g.text)))
    frame = pd.DataFrame([[g.shown(i, j) for j in range(g.width)] for i in body], columns=cols, dtype="string")
    frame.index = pd.RangeIndex(1, len(body) + 1, name="row_no")
    tt = TidyTable(t, paths, roles, frame)
    current_unit = (None, None)
    panels = _panels(roles)
    # columns that describe a row rather than name it (项目类别, 采购方式 beside 项目名称): never its label when
    # another label column prints one
    described = {j for j, p in enumerate(paths) if roles[j] == "label" and _DESCRIBES.search((p or "").split("/")[-1])}
    for row_no, i in enumerate(body, start=1):
        cells = [g.text[i][j] if g.owner[i][j] == (i, j) else "" for j in range(g.width)]
        unit_cells = [squeeze(cells[j]) for j in range(g.width) if roles[j] == "unit_code" and squeeze(cells[j])]
        unit_code = next((u for u in unit_cells if _UNIT_CODE.match(u)), None)
        keys = {}  # panel → (code, labels): a two-panel table keeps each half's own code and name
        for pid, panel_cols in panels.items():
            keys[pid] = _row_key(cells, panel_cols, roles, unit_cells, t.kind, paths)
        all_labels = {j: lab for pid in keys for j, lab in keys[pid][1].items()}
        any_split = any(roles[j] == "code" and squeeze(cells[j]) for j in range(g.width))
        if unit_code and not any_split:
            name = next(iter(all_labels.values()), None)
            if name:
                tt.units[unit_code] = name
                current_unit = (unit_code, name)
        elif not any(k[0] for k in keys.values()) and all_labels and len(all_labels) == 1:
            name = next(iter(all_labels.values()))
            if _UNIT_ROW_NAME.search(name) and len(name) >= 6:
                current_unit = (unit_code, name)
        for j in range(g.width):
            raw = cells[j]
            if not raw.strip():
                continue
            role = roles[j]
            where = dict(file=t.file, page=g.row_pages[i], table_index=table_index, table_kind=t.kind,
                         table_no=t.table_no, table_title=t.title, row_no=row_no, col_no=j + 1,
                         column_label=cols[j], raw=raw)  # unique: panels may repeat a header (预算数#2)
            if role != "amount":
                if role == "label" and (_bare_figure(raw) or repaired_figure(raw)):
                    # a plain integer in a name column (a figure printed in 元 where a name was
                    # expected) or a malformed figure (1,149.8O): not placed as money, not dropped either
                    tt.residue.append({**where, "reason": "数字位于标签列 / number in a label column"})
                    continue
                if not (role == "label" and (is_decimal_figure(raw) or cell_unit(raw))):
                    continue
                # a form-style table: the figure's label is the cell above it
                above = _label_above(g, i, j)
                if not above:
                    tt.residue.append({**where, "reason": "数字位于标签列 / number in a label column"})
                    continue
                where["column_label"] = above
            unit = t.unit or cell_unit(raw)  # a table with no unit of its own may print it in the cell
            value = parse_amount(raw, unit=unit)
            if value is None:
                tt.residue.append({**where, "reason": amount_problem(raw, unit) or "无法解析为金额 / not a parseable amount"})
                continue
            if unit is None:
                tt.residue.append({**where, "reason": "表格未标明金额单位 / the table prints no amount unit"})
                continue
            code, labels = keys[_panel_of(panels, j)]
            # a label merged across panels (当年支出小计 spanning both 支出 halves) is the row's label
            label = _row_label(labels or all_labels, j, described)
            tt.amounts.append({
                **where,
                "row_label": label,
                "code": code,
                "code_level": level_of(code),
                "code_scheme": scheme_of(code),
                "unit_code": unit_code or current_unit[0],
                "unit_name": current_unit[1] if not unit_code or unit_code == current_unit[0] else None,
                "amount": value,
                "decimals": printed_decimals(value),
                "unit": unit,
                "amount_yuan": to_yuan(value, unit),
            })
    return tt


def _panels(roles: list[str]) -> dict[int, list[int]]:
    """Columns grouped into side-by-side panels: a new panel starts where a code or label
    column follows an amount column (收入 | 支出 halves; 人员经费 | 公用经费 thirds)."""
    panels: dict[int, list[int]] = {0: []}
    pid, seen_amount = 0, False
    for j, role in enumerate(roles):
        if role in ("code", "label") and seen_amount:
            pid += 1
            panels[pid] = []
            seen_amount = False
        if role == "amount":
            seen_amount = True
        panels[pid].append(j)
    return panels


def _panel_of(panels: dict[int, list[int]], j: int) -> int:
    for pid, cols in panels.items():
        if j in cols:
            return pid
    return 0


def _row_key(cells, cols, roles, unit_cells, kind, paths) -> tuple[str | None, dict[int, str]]:
    """The code and the labels one panel prints on one row."""
    split_parts = [squeeze(cells[j]) for j in cols if roles[j] == "code" and squeeze(cells[j])]
    code = None
    if split_parts:
        if len(split_parts) == 1 and is_code(split_parts[0]):
            code = split_parts[0]
        elif len(set(split_parts)) == 1 and is_code(split_parts[0]):
            code = split_parts[0]  # one code printed in a cell merged across 类/款/项
        elif is_code(split_parts[0]) and len(split_parts[0]) > 3:
            code = split_parts[0]  # two code systems side by side (部门 and 政府经济科目编码): the first
        else:
            code = join_split(split_parts)
    if code is None:
        short = next((u for u in unit_cells if is_code(u) and len(u) in (3, 5) and u[0] in "35"), None)
        if short and ("economic" in kind or any(p and "经济" in p for p in paths)):
            code = short
    # text in a code column (a 合计 spanning 类/款/项) is a label too
    labels = {j: clean_label(cells[j]) for j in cols
              if roles[j] in ("label", "code", "unit_code") and cells[j].strip()
              and not looks_like_amount(cells[j]) and not squeeze(cells[j]).isdigit()}
    if code is None:
        for j, lab in labels.items():
            c, rest = split_label(lab)
            if c:
                code = c
                labels[j] = rest
                break
    return code, labels


_DESCRIBES = re.compile(r"(?:类别|类型|方式|性质|级次)$")


def _row_label(labels: dict[int, str], j: int, described: set[int] = frozenset()) -> str:
    """The label nearest to the left of column j (two-sided tables have two), leaving out columns that describe
    the row when another prints its name ("审计业务经费" under 项目名称, not "特定目标类" under 项目类别 beside it)."""
    left = [k for k in labels if k < j and labels[k]]
    names = [k for k in left if k not in described]
    if names:
        return labels[max(names)]
    if left:
        return labels[max(left)]
    return next((v for v in labels.values() if v), "")


def _label_above(g, i: int, j: int) -> str:
    for k in range(i - 1, g.n_header - 1, -1):
        t = clean_label(g.shown(k, j))
        if t and not looks_like_amount(t):
            return t
    return ""


def _bare_figure(raw: str) -> bool:
    """A plain integer of four or more digits that is no code (3, 5 or 7 digits), year or unit code."""
    t = squeeze(raw)
    code = re.fullmatch(r"2\d{2}(?:\d{2}){0,2}|[35]\d{2}(?:\d{2})?", t)  # function / economic codes
    return (t.isdigit() and len(t) >= 4 and not code and not re.fullmatch(r"(?:19|20)\d{2}", t)
            and len(t) not in (6, 9))  # unit codes: 316002, 102001001
