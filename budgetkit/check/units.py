"""W05: a table printed unit by unit adds up to its department total (部门 = Σ 单位), column by column.

Many templates list a department's money by budget unit: a 合计 row, often the department again under its own
name (杭州, 西安: the department, then its 本级 of the same name), then one row per unit, sometimes with a 单位编码.
No code hierarchy links these rows, so W01/W02 never add them up.  Only tables whose rows are all units (or
units with coded class rows beneath them, 广州's 基本支出 blocks) are judged: a table mixing units with projects
is left alone.  The structure is read from what is printed (names, unit codes, figures equal to the total);
where it is inferred, a difference is ``review``, never an error.
"""
from __future__ import annotations

import re
from decimal import Decimal

from budgetkit.check.ledger import Ledger, half_unit, present, records
from budgetkit.check.recorder import Recorder
from budgetkit.money import to_yuan

RULE = "W05"

# the head noun an organisation's name ends with (after any bracketed alias): 局, 中心, 支队, 医院, 学校 …
_ORG = re.compile(r"(?:局|中心|委员会|委|办公室|办公厅|厅|院|所|站|队|校|馆|会|处|部|室|街道|镇|乡|团|社|台|园|场|宫|署|办)$")
_BRACKETS = re.compile(r"[（(][^（）()]*[）)]$")
_OWN = re.compile(r"[（(]\s*(?:本级|机关|本部)\s*[）)]$")
_NOT_ADDITIVE = re.compile(r"率|%|％|比例|比重|百分")
# tables whose rows are projects, purchases or targets even when a unit heads each block
_SKIP_KINDS = {"performance_targets", "overall_performance_targets", "performance_self_evaluation", "procurement",
               "project_expenditure", "government_purchased_services", "meetings_and_training",
               "carryover_expenditure"}
_UNIT_CODE = re.compile(r"^\d{3,}$")


def _bare(name: str) -> str:
    """A unit's name without its 本级 marker and spaces: 无锡市发展和改革委员会（本级） → 无锡市发展和改革委员会."""
    return _OWN.sub("", re.sub(r"\s+", "", name or ""))


def is_unit_name(label: str) -> bool:
    """True for a label that names an organisation (杭州市公安局交通管理支队, …中心（杭州市…中心）, …（本级）)."""
    name = re.sub(r"\s+", "", label or "")
    if _OWN.search(name):
        return len(name) >= 4
    while _BRACKETS.search(name) and len(_BRACKETS.sub("", name)) >= 4:
        name = _BRACKETS.sub("", name)
    return len(name) >= 4 and bool(_ORG.search(name))


def _printed_unit_codes(t) -> dict[int, str]:
    """row_no → the unit code printed on that row (a 单位编码/部门代码 column), as printed."""
    cols = [c for c, role in t.column_roles.items() if role == "unit_code" and c in t.frame.columns]
    out = {}
    for row_no, vals in zip(t.frame.index, zip(*(t.frame[c].tolist() for c in cols))) if cols else ():
        for v in vals:
            v = re.sub(r"\s+", "", v) if isinstance(v, str) else ""
            if _UNIT_CODE.match(v):
                out[int(row_no)] = v
                break
    return out


class _Table:
    """One table's rows as printed: label, code, and the figures of each amount column."""

    def __init__(self, L: Ledger, t):
        self.t = t
        self.rows: dict[int, dict] = {}
        for r in records(L.table_rows(t.index)):
            row = self.rows.setdefault(r["row_no"], {"label": r["label"] or "", "row_label": r["row_label"] or "",
                                                     "coded": present(r["eff_code"]), "total": r["is_total_row"],
                                                     "cells": {}})
            row["cells"][r["column_label"]] = r
            row["coded"] = row["coded"] or present(r["eff_code"])
        self.order = sorted(self.rows)
        self.codes = _printed_unit_codes(t)
        self.repeated: list[int] = []  # rows printing the department again (see _structure)


def _structure(T: _Table, department: str | None):
    """(total row, unit rows, repeated rows, guesses) of a table printed unit by unit; None for a table that lists
    no units; the label of the first row that is not a unit for one that mixes units with other rows.

    Repeated rows print the department again (every figure equal to the total's) and count once: printed
    evidence is a name the department or another unit row also bears, or a unit code heading every other
    unit's; a row equal to the total with no such evidence is a guess."""
    totals = [n for n in T.order if T.rows[n]["total"] and not T.rows[n]["coded"]]
    if len(totals) != 1:
        return None
    total = totals[0]
    units, others, guesses = [], [], []
    for n in T.order:
        row = T.rows[n]
        if n == total or row["coded"]:
            continue  # coded rows are a unit's classes beneath it (广州 基本支出 blocks): W01/W02's to add up
        # a unit code printed on the row is a unit's as surely as its name (西安 242008 …信息中, the name cut short)
        (units if is_unit_name(row["label"]) or n in T.codes else others).append(n)
    if len(units) < 2:
        return None
    if others:  # projects, class names without codes, anything that is not a unit: not judged, and said so
        return T.rows[others[0]]["row_label"]
    tot = {c: r["amount_yuan"] for c, r in T.rows[total]["cells"].items()}
    names = [_bare(T.rows[n]["label"]) for n in units]
    repeated = []
    for i, n in enumerate(units):
        figures = {c: r["amount_yuan"] for c, r in T.rows[n]["cells"].items()}
        if figures != tot or not any(v != 0 for v in figures.values()):
            continue
        others = [m for m in units if m != n and any(r["amount_yuan"] != 0 for r in T.rows[m]["cells"].values())]
        if not others:
            continue
        code = T.codes.get(n)
        printed = (_bare(T.rows[n]["label"]) in names[:i] + names[i + 1:]
                   or (department and _bare(T.rows[n]["label"]) == _bare(department))
                   or (code and all(T.codes.get(m, "").startswith(code) and T.codes.get(m) != code for m in others)))
        repeated.append(n)
        if not printed:
            guesses.append(f"「{T.rows[n]['row_label']}」行与合计行逐列相等，按重复列示的部门行只计一次 / the row "
                           f"'{T.rows[n]['row_label']}' equals the total in every column: read as the department "
                           "printed again, counted once")
    return total, units, repeated, guesses, _heads(T, units, repeated)


def _heads(T: _Table, units: list[int], repeated: list[int]) -> list[int]:
    """Rows printed like the department's (a name the next row bears again, a code heading every other unit's) whose
    figures are not the total's: the department's row with a figure misprinted, or a unit; both readings are tried."""
    out = []
    for i, n in enumerate(units[:-1]):
        if n in repeated:
            continue
        code, rest = T.codes.get(n), [m for m in units if m != n]
        if _bare(T.rows[n]["label"]) == _bare(T.rows[units[i + 1]]["label"]) \
                or (code and all(T.codes.get(m, "").startswith(code) and T.codes.get(m) != code for m in rest)):
            out.append(n)
    return out


def _parents(T: _Table, units: list[int]) -> dict[int, list[int]]:
    """A unit whose printed code heads the codes of the rows right after it (153002 → 153002001, 153002002): a
    secondary unit with its sub-units, which it may already include.  Names are no sign: every unit's name
    starts with the department's (杭州市公安局 本级, then 杭州市公安局交通管理支队 …), and a unit printed after
    units named from it (广州市道路养护中心 after its 东城养护所) is a unit of its own."""
    out = {}
    for i, n in enumerate(units):
        code = T.codes.get(n)
        kids = []
        for m in units[i + 1:]:
            c = T.codes.get(m)
            if code and c and c != code and c.startswith(code):
                kids.append(m)
            else:
                break
        if kids:
            out[n] = kids
    return out


def _continued_elsewhere(L: Ledger, t) -> bool:
    """The next table read is this one's continuation, not joined to it (same kind or title, no total row)."""
    nxt = next((u for u in L.d.tables if u.index == t.index + 1), None)
    if nxt is None or not (nxt.kind == t.kind or (nxt.title and nxt.title == t.title)):
        return False
    return not any(r["is_total_row"] for r in records(L.table_rows(nxt.index)[["is_total_row"]]))


def unit_sums(L: Ledger, R: Recorder) -> None:
    """W05: in a table printed unit by unit, the total row equals the sum of the unit rows, column by column."""
    from budgetkit.check.within import _Doubts

    doubts = _Doubts(L)
    department = L.d.meta.get("department")
    for t in L.d.tables:
        if t.kind in _SKIP_KINDS:
            continue
        T = _Table(L, t)
        s = _structure(T, department)
        if s is None:
            continue
        if isinstance(s, str):
            R.not_evaluated(RULE, f"{t.title}的单位行之间有不是单位的行（「{s}」），合计不按单位核对",
                            f"{t.title}: a row that is not a unit ('{s}') among its unit rows; its total is not "
                            "checked unit by unit")
            continue
        total, units, repeated, guesses, heads = s
        T.repeated = repeated
        if _continued_elsewhere(L, t):
            guesses = guesses + ["此表可能在下一表续列，单位行或不完整 / the table may continue in the next table "
                                 "read: its unit rows may be incomplete"]
        plain = [n for n in units if n not in repeated]
        readings = [(plain, guesses)]
        for h in heads:
            g = [f"「{T.rows[h]['row_label']}」行列示如部门行，但金额与合计行不全相等 / the row "
                 f"'{T.rows[h]['row_label']}' is printed like the department's, yet not every figure is the total's"]
            readings = [(rows, gs + g) for rows, gs in readings] + [([n for n in plain if n != h], guesses + g)]
        for p, kids in _parents(T, plain).items():
            g = guesses + [f"「{T.rows[p]['row_label']}」下列有所属单位，可能已含其金额 / '{T.rows[p]['row_label']}' "
                           "heads the units listed beneath it and may include their money"]
            readings += [([n for n in plain if n not in kids], g), ([n for n in plain if n != p], g)]
        for column, trow in T.rows[total]["cells"].items():
            if _NOT_ADDITIVE.search(column):
                continue
            _compare_column(R, L, T, column, trow, readings, doubts)
    doubts.most_fail(RULE, R)
    # a disclosure whose tables list no units (one unit's budget) is not one the rule applies to: nothing said


def _compare_column(R, L, T, column, trow, readings, doubts) -> None:
    """The total against each reading's sum; the first reading that holds passes, else a difference under all."""
    expected = trow["amount_yuan"]
    first = None
    for rows, guesses in readings:
        cells = [T.rows[n]["cells"][column] for n in rows if column in T.rows[n]["cells"]]
        total = sum((c["amount_yuan"] for c in cells), Decimal(0))
        tol = L.tol_yuan(cells) + to_yuan(half_unit(trow["decimals"]), trow["unit"])
        if abs(total - expected) <= tol:
            if total != expected:
                R.compare(RULE, expected, total, tol, trow["unit"], *_says(T, trow, len(rows)),
                          [L.location(trow)] + [L.location(c) for c in cells])
            else:
                R.passed(RULE)
            doubts.count(T.t.index, None)
            return
        first = first or (rows, cells, total, tol)
    rows, cells, total, tol = first
    # a difference under every reading still rests on each reading's guesses (a sub-unit read as included or not)
    guesses = list(dict.fromkeys(g for _, gs in readings for g in gs))
    f = R.compare(RULE, expected, total, tol, trow["unit"], *_says(T, trow, len(rows)),
                  [L.location(trow)] + [L.location(c) for c in cells], guesses + doubts.of_column(trow))
    doubts.count(T.t.index, f)


def _says(T, trow, n) -> tuple[str, str]:
    title, col, lab = T.t.title, trow["column_label"], trow["row_label"]
    again = [T.rows[r]["row_label"] for r in T.repeated]
    zh = f"（重复列示合计的部门行「{'、'.join(again)}」只计一次）" if again else ""
    en = f" (the department's row '{', '.join(again)}', printing the total again, counted once)" if again else ""
    return (f"{title}「{col}」列：{lab}行与{n}个单位行之和不等{zh}",
            f"{title} column '{col}': the {lab} row differs from the sum of its {n} unit rows{en}")


RULES = [unit_sums]
