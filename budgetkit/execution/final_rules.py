"""F rules: a 决算's tables checked as a 决算, from the identities in reference/final_identities.csv.

A 决算 balances on 总计, with carry-over and balances on both sides (本年收入合计 ≠ 本年支出合计 is normal);
tables restricted to 财政拨款 or to 一般公共预算 are bounded by the all-funds tables (≤, never =).  Each side
of an identity is read by the meaning of its row (reference/final_lines.csv: 年初结转和结余 / 上年结转和结余 …),
the code of its row, or the block of the 三公 table — never by position, so 行次, 栏次 and the panels of
multi-panel tables are never taken for amounts.  Tolerance: half a unit of the last printed digit of every
figure compared; a difference within it is rounding and not reported.
"""
from __future__ import annotations

import re
from decimal import Decimal

from budgetkit.check.findings import Finding
from budgetkit.check.ledger import records
from budgetkit.execution import tables as T
from budgetkit.reference import load_csv

KINDS = {"T1": "income_expenditure_summary", "T2": "income_summary", "T3": "expenditure_summary",
         "T4": "fiscal_appropriation_summary", "T6": "gpb_basic_expenditure_by_economic",
         "T7": "three_public_costs"}
NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\d+[.、])\s*")
NAMES = {"T1": "收入支出决算总表", "T3": "支出决算表", "T4": "财政拨款收入支出决算总表",
         "T5": "一般公共预算（财政拨款）支出决算表", "T6": "基本支出决算表", "T7": "“三公”经费表"}


def _half(dec: int) -> Decimal:
    return Decimal(5) * Decimal(10) ** (-(dec + 1))


def _table(d, alias):
    if alias == "T5":
        return T.function_table(d)
    return next((t.index for t in d.tables if t.kind == KINDS[alias]), None)


class _Reader:
    """The figures of one 决算 by the names the identities use, each with its cell and printed decimals."""

    def __init__(self, d):
        self.d = d
        self.lines = {}
        for r in load_csv("final_lines.csv"):
            for alias in r["table"].split("|"):
                self.lines[(alias, r["concept"])] = (r["panel"], r["labels"].split("|"))
        self._cache: dict = {}

    def _cells(self, alias):
        """(panel, label) → [(row_no, value, cell, decimals)] of the table's first amount per row and panel."""
        if alias not in self._cache:
            out: dict = {}
            ti = _table(self.d, alias)
            if ti is not None:
                seen = set()
                for r in records(self.d.amounts[self.d.amounts["table_index"] == ti]):
                    col = str(r["column_label"] or "")
                    panel = "支" if col.startswith("支") else "收" if col.startswith("收") else ""
                    label = NUMBERING.sub("", str(r["row_label"] or "")).replace(" ", "")
                    if (r["row_no"], panel, label) in seen:
                        continue  # a later column of the row (a fund of the 合计 column)
                    seen.add((r["row_no"], panel, label))
                    dec = int(r["decimals"]) if r["decimals"] == r["decimals"] and r["decimals"] is not None else 2
                    out.setdefault((panel, label), []).append((r["row_no"], T.wan(r), T.cell(r), dec))
            self._cache[alias] = out
        return self._cache[alias]

    def value(self, term: str):
        """(value 万元, cell, decimals) for a term (T1.carry_in, T6.code:30217, T7.决算:合计, T5.合计:basic)."""
        alias, _, what = term.partition(".")
        if alias == "T7":
            block, _, item = what.partition(":")
            return T.sangong(self.d)[block].get(item)
        if what.startswith("code:") or ":" in what:
            key, _, role = what.partition(":")
            if key == "code":
                key, role = role, "total"
            ti = _table(self.d, alias)
            slot = T.by_code(self.d, ti).get(key) if ti is not None else None
            return slot.get(role) if slot else None
        panel, labels = self.lines[(alias, what)]
        cells = self._cells(alias)
        for label in labels:
            hits = cells.get((panel, label), [])
            if hits:
                # 合计 stands for 总计 only as the panel's last row; elsewhere it is a subtotal
                return (max(hits, key=lambda h: h[0]) if label == "合计" else hits[0])[1:]
        return None


def _name(term: str) -> str:
    """A term as a reader names it: the table and the row's printed label (or code, or 三公 block and item)."""
    alias, _, what = term.partition(".")
    label = next((r["labels"].split("|")[0] for r in load_csv("final_lines.csv") if r["concept"] == what), None)
    return f"{NAMES.get(alias, alias)} {label or what.replace('code:', '').replace(':', ' ')}"


def check(d, evaluated: dict, say_not_evaluated: bool = False) -> list[Finding]:
    """Findings of the F rules on one 决算 (``evaluated`` counts the comparisons made, per rule); with
    ``say_not_evaluated`` a rule that compared nothing says so, naming the tables it needs."""
    if d.meta.get("stage") != "决算":
        return []
    out = _check(d, evaluated)
    if say_not_evaluated:
        needs: dict = {}
        for row in load_csv("final_identities.csv"):
            for term in row["left"].split(" + ") + [row["right"]]:
                needs.setdefault(row["rule"], {})[NAMES.get(term.split(".")[0])] = None
        for rule, tables in needs.items():
            if not evaluated.get(rule):
                names = "、".join(t for t in tables if t)
                out.append(Finding(rule, "not_evaluated", f"未评估：缺少所需的表或行（{names}）",
                                   f"not evaluated: a table or row it needs is not printed or not read ({names})"))
    return out


def _check(d, evaluated: dict) -> list[Finding]:
    R = _Reader(d)
    out: list[Finding] = []
    for row in load_csv("final_identities.csv"):
        evaluated.setdefault(row["rule"], 0)
        left, right = row["left"].split(" + "), row["right"]
        if "each:" in row["left"]:
            out += _each(d, row, evaluated)
            continue
        rv = R.value(right)
        lv = [R.value(t) for t in left]
        if rv is None or all(v is None for v in lv):
            continue
        if row["relation"] == "<=" and any(v is None for v in lv):
            continue
        evaluated[row["rule"]] += 1
        got = sum((v[0] for v in lv if v), Decimal(0))
        tol = sum((_half(v[2]) for v in lv if v), _half(rv[2]))
        missing = [_name(t) for t, v in zip(left, lv) if v is None]
        f = _judge(row, got, rv[0], tol, missing, [v[1] for v in lv if v] + [rv[1]],
                   " + ".join(_name(t) for t in left), _name(right))
        if f:
            out.append(f)
    return out


def _judge(row, got, want, tol, missing, cells, left_name, right_name) -> Finding | None:
    rel = row["relation"]
    diff = got - want
    if (rel == "=" and abs(diff) <= tol) or (rel == "<=" and diff <= tol):
        return None
    sign = "≤" if rel == "<=" else "="
    zh = f"{left_name} {got:,} 万元 {sign} {right_name} {want:,} 万元 不成立（差 {diff:,}）"
    en = f"{left_name} {got:,} 万元 {sign} {right_name} {want:,} 万元 does not hold (difference {diff:,})"
    status = "fail"
    if missing:
        status = "review"
        zh += "；未读到 " + "、".join(missing) + "，待核对原页"
        en += "; not read: " + ", ".join(missing) + ": check the page"
    return Finding(rule=row["rule"], status=status, message=zh, message_en=en, expected=want, actual=got,
                   unit="万元", tolerance=tol, locations=cells)


def _each(d, row, evaluated) -> list[Finding]:
    """A ≤ bound per 项 code, between two function-classified tables (the code on both sides)."""
    la, _, lrole = row["left"].partition(".each:")
    ra, _, rrole = row["right"].partition(".each:")
    li, ri = _table(d, la), _table(d, ra)
    if li is None or ri is None:
        return []
    lt, rt = T.by_code(d, li), T.by_code(d, ri)
    out = []
    for code, slot in lt.items():
        if len(code) != 7 or code not in rt or lrole not in slot or rrole not in rt[code]:
            continue
        (lv, lc, ld), (rv, rc, rd) = slot[lrole], rt[code][rrole]
        evaluated[row["rule"]] += 1
        f = _judge(row, lv, rv, _half(ld) + _half(rd), [], [lc, rc], f"{NAMES[la]} {code} {slot['label']} {lrole}",
                   f"{NAMES[ra]} {code} {rrole}")
        if f:
            out.append(f)
    return out
