"""The join: a year's 预算 and the same year's 决算 of one unit, line by line.

Function lines (类/款/项 and the printed 合计) come from each side's function table (一般公共预算 where
printed, else 财政拨款); summary lines (收入/支出 合计, 结转, 总计) from the 收支总表 by their labels; 三公 parts
from the 三公 tables.  Every figure keeps its file, page, table, row and column.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.check.ledger import records
from budgetkit.execution import tables as T

LEVEL = {3: "类", 5: "款", 7: "项"}
CENT = Decimal("0.01")
FAR_PP = Decimal(10)
FAR_AMOUNT = Decimal(10)

COLUMNS = ["section", "fund", "code", "name", "level", "budget", "budget_basic", "budget_project", "final", "final_basic",
           "final_project", "difference", "rate", "note", "flags", "budget_carry_in", "final_fiscal_income",
           "adjustment", "stated_budget", "stated_final", "stated_rate", "reason", "budget_file", "budget_page",
           "final_file", "final_page", "budget_cell", "final_cell"]


def rate_and_note(budget: Decimal | None, final: Decimal | None) -> tuple[Decimal | None, str | None]:
    """执行率 = 决算/预算 in %, to 0.01; a zero or missing base gives a note, never inf or NaN."""
    if budget is None and final is None:
        return None, None
    if budget is None:
        return None, "预算未列此行，无执行率 / not in the budget: no rate"
    if final is None:
        return None, "决算未列此行，无执行率 / not in the final accounts: no rate"
    if budget == 0:
        return None, "预算数为 0，无执行率 / budget is 0: no rate"
    return (final / budget * 100).quantize(CENT), None


def _flags(budget, final, rate) -> str:
    f = []
    if (budget in (None, 0)) and final not in (None, 0):
        f.append("new")
    if budget not in (None, 0) and final in (None, 0):
        f.append("unspent")
    if rate is not None and abs(rate - 100) >= FAR_PP and abs(final - budget) >= FAR_AMOUNT:
        f.append("large deviation")
    return ",".join(f)


def function_lines(budget, final) -> tuple[pd.DataFrame, dict]:
    bi, fi = T.function_table(budget), T.function_table(final)
    info = {"budget_table": None, "final_table": None}
    if bi is None or fi is None:
        return pd.DataFrame(columns=COLUMNS), info
    f = T.by_code(final, fi)
    b = T.by_code(budget, bi, names={c: v["label"] for c, v in f.items() if c != "合计"})
    info = {"budget_table": _title(budget, bi), "final_table": _title(final, fi),
            "budget_kind": _kind(budget, bi), "final_kind": _kind(final, fi),
            "budget_pages": table_pages(budget, bi), "final_pages": table_pages(final, fi)}
    carry = T.column_by_code(budget, "income_summary", ("上年结转",))
    income = T.column_by_code(final, "income_summary", ("财政拨款",))
    codes = sorted({c for c in [*b, *f] if c != "合计"}, key=lambda c: (c[:3], c))
    rows = []
    for code in codes:
        rows.append(_line("function", code, b.get(code), f.get(code), carry.get(code), income.get(code)))
    # the printed totals, then the total over the 类 both sides print (a 类 on one side only is another fund's
    # or new: named in the note)
    rows.append(_line("function", None, b.get("合计"), f.get("合计"), carry.get("合计"), income.get("合计"),
                      name="合计（印刷）/ total as printed"))
    unmatched = _unmatched(budget, bi, f) if any(v.get("by_name") for v in b.values()) else []
    if unmatched:
        rows[-1]["note"] = "; ".join(x for x in [rows[-1]["note"], "预算表未印科目编码，按名称未能对应：" + "、".join(unmatched)
                                                + " / the budget table prints no code; not matched by name: "
                                                + ", ".join(unmatched)] if x)
        info["budget_unmatched"] = unmatched
    shared = [c for c in codes if len(c) == 3 and c in b and c in f]
    only_b = [c for c in codes if len(c) == 3 and c in b and c not in f]
    only_f = [c for c in codes if len(c) == 3 and c in f and c not in b]
    if only_b or only_f:
        sb = _sum([b[c] for c in shared]), _sum([f[c] for c in shared])
        inc = [income[c] for c in shared if c in income]
        r = _line("function", None, sb[0], sb[1], None, (_sum_pairs(inc), None) if len(inc) == len(shared) else None,
                  name="合计（计算：两边共有的类之和）/ total computed over the 类 on both sides")
        for side, slots in (("budget", b), ("final", f)):
            cells = [slots[c]["total"][1] for c in shared if "total" in slots[c]]
            if cells:
                r[f"{side}_page"] = min(c["page"] for c in cells)
                r[f"{side}_file"] = cells[0]["file"]
        r["note"] = "; ".join(x for x in [r["note"], "计算：共有各类之和 / computed: the sum of the 类 on both sides",
                                          left_out(b, only_b, "预算", "budget"), left_out(f, only_f, "决算", "final")]
                              if x)
        rows.append(r)
    fb, ff = FUND.get(info["budget_kind"]), FUND.get(info["final_kind"])
    for r in rows:
        r["fund"] = fb if fb == ff else f"预算 {fb} / 决算 {ff}"
    return pd.DataFrame(rows, columns=COLUMNS), info


def left_out(slots: dict, codes: list, zh: str, en: str) -> str:
    """What a total over the shared 类 leaves out of one side, by code, name and printed amount."""
    if not codes:
        return ""
    items = [(c, slots[c]["label"], slots[c]["total"][0] if "total" in slots[c] else None) for c in codes]
    said = "、".join(f"{c} {n}" + (f" {v:,}" if v is not None else "") for c, n, v in items)
    return f"合计不含仅{zh}有的 {said} / the total leaves out the {en}-only " + ", ".join(
        f"{c} {n}" + (f" {v:,}" if v is not None else "") for c, n, v in items)


def table_pages(d, ti) -> list[int]:
    """The pages a table is printed on (as read), for a header that names it."""
    t = next(t for t in d.tables if t.index == ti)
    return sorted({int(p) for p in (t.pages or [])})


def _unmatched(budget, bi, f) -> list[str]:
    """Labels of the budget table's rows that printed no code and matched no name of the 决算."""
    codes, _ = T.row_codes(budget, bi, {c: v["label"] for c, v in f.items() if c != "合计"})
    t = next(t for t in budget.tables if t.index == bi)
    label = next((c for c, role in t.column_roles.items() if role == "label"), None)
    if label is None:
        return []
    return [str(r[label]).strip() for n, r in t.frame.iterrows() if n not in codes and str(r[label]).strip()
            and not T.TOTAL_LABEL.match(str(r[label]))]


FUND = {"gpb_expenditure_by_function": "一般公共预算", "fiscal_appropriation_expenditure_by_function": "财政拨款"}


def _sum(slots: list[dict]) -> dict:
    out: dict = {"label": None}
    for role in ("total", "basic", "project"):
        vals = [s[role][0] for s in slots if role in s]
        if vals:
            out[role] = (sum(vals, Decimal(0)), None, 2)
    return out


def _sum_pairs(pairs) -> Decimal:
    return sum((p[0] for p in pairs), Decimal(0))


def _title(d, ti):
    return next(t.title for t in d.tables if t.index == ti)


def _kind(d, ti):
    return next(t.kind for t in d.tables if t.index == ti)


def _v(slot, role):
    return slot[role][0] if slot and role in slot else None


def _line(section, code, bs, fs, carry, income, name=None) -> dict:
    budget, final = _v(bs, "total"), _v(fs, "total")
    rate, note = rate_and_note(budget, final)
    if code and bs and not fs:
        note = "仅预算列出：决算表无此科目（未支出，或属另一资金，如政府性基金） / budget only: not in the final table " \
               "(unspent, or another fund's)"
    elif code and fs and not bs:
        note = "仅决算列出：年初未安排（年中追加或使用上年结转） / final only: not budgeted at the start of the year " \
               "(added during the year or paid from carry-over)"
    fin_inc = income[0] if income else None
    if note is None and code and budget is not None and final is not None:
        note = _explained(final - budget, fin_inc - budget if fin_inc is not None else None,
                          carry[0] if carry else None)
    if code and bs and bs.get("by_name"):
        note = "; ".join(x for x in [note, "预算表未印科目编码，按名称对应 / the budget table prints no code: matched by "
                                            "name"] if x)
    bcell = bs["total"][1] if bs and "total" in bs else None
    fcell = fs["total"][1] if fs and "total" in fs else None
    label = name or (fs or bs or {}).get("label")
    if code and bs and fs and str(bs.get("label")).strip() != str(fs.get("label")).strip():
        label = f"{fs['label']}（预算：{bs['label']}）"
    return {"section": section, "code": code, "name": label,
            "level": LEVEL.get(len(code)) if code else "合计",
            "budget": budget, "budget_basic": _v(bs, "basic"), "budget_project": _v(bs, "project"),
            "final": final, "final_basic": _v(fs, "basic"), "final_project": _v(fs, "project"),
            "difference": None if budget is None or final is None else final - budget,
            "rate": rate, "note": note, "flags": _flags(budget, final, rate),
            "budget_carry_in": carry[0] if carry else None, "final_fiscal_income": fin_inc,
            "adjustment": None if fin_inc is None or budget is None else fin_inc - budget,
            "stated_budget": None, "stated_final": None, "stated_rate": None, "reason": None,
            "budget_file": bcell["file"] if bcell else None, "budget_page": bcell["page"] if bcell else None,
            "final_file": fcell["file"] if fcell else None, "final_page": fcell["page"] if fcell else None,
            "budget_cell": bcell, "final_cell": fcell}


def _explained(diff: Decimal, adjustment: Decimal | None, carry: Decimal | None) -> str | None:
    """Name the legitimate sources of a difference the two documents print: 年中追加/调减 (the 决算's
    appropriation income less the budget) and the budget's own 上年结转 for the code."""
    if diff > 0:
        parts = [(a, zh, en) for a, zh, en in ((adjustment, "年中追加", "added during the year"),
                                                (carry, "预算所列上年结转（全部资金）", "carry-over the budget lists (all funds)"))
                 if a is not None and a > 0]
        if parts and diff <= sum(p[0] for p in parts):
            return ("决算高于年初，不超过" + " + ".join(f"{zh} {a:,}" for a, zh, _ in parts) + "，差额可能来自于此（决算含上年结转支出）"
                    " / above the budget by no more than " + " + ".join(f"{en} {a:,}" for a, _, en in parts)
                    + ": the difference may come from them")
    if diff < 0 and adjustment is not None and adjustment < 0 and diff >= adjustment:
        return f"决算低于年初，不超过年中调减 {adjustment:,} / below the budget by no more than the reduction {adjustment:,}"
    return None


# 收支总表 lines: one name, the labels each side prints for it
SUMMARY = [
    ("本年收入合计", ("本年收入合计", "收入合计"), "收"),
    ("财政拨款收入", ("财政拨款", "财政拨款收入", "一般公共预算财政拨款收入", "一般公共预算拨款收入"), "收"),
    ("事业收入", ("事业收入",), "收"),
    ("其他收入", ("其他收入",), "收"),
    ("上年结转 / 年初结转和结余", ("上年结转", "年初结转和结余", "上年结转和结余", "上年结转结余"), "收"),
    ("使用非财政拨款结余", ("使用非财政拨款结余", "使用非财政拨款结余（含专用结余）", "用事业基金弥补收支差额"), "收"),
    ("收入总计", ("收入总计", "总计", "合计"), "收"),
    ("本年支出合计", ("本年支出合计", "支出合计"), "支"),
    ("结转下年 / 年末结转和结余", ("结转下年", "年末结转和结余", "年末结转结余"), "支"),
    ("支出总计", ("支出总计", "总计", "合计"), "支"),
]
NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\d+[.、])\s*")


def _summary_cells(d) -> dict:
    """(panel 收/支, label without numbering) → first amount cell of the 收支总表."""
    out: dict = {}
    for t in d.tables:
        if t.kind != "income_expenditure_summary":
            continue
        a = d.amounts[d.amounts["table_index"] == t.index]
        for r in records(a):
            col = str(r["column_label"] or "")
            panel = "支" if col.startswith("支出") or col.startswith("支") else "收" if col.startswith("收") else None
            if panel is None:
                continue
            label = NUMBERING.sub("", str(r["row_label"] or "")).replace(" ", "")
            out.setdefault((panel, label), (T.wan(r), T.cell(r)))
        break
    return out


def summary_lines(budget, final) -> pd.DataFrame:
    b, f = _summary_cells(budget), _summary_cells(final)
    rows = []
    for name, labels, panel in SUMMARY:
        bv = next((b[(panel, x)] for x in labels if (panel, x) in b), None)
        fv = next((f[(panel, x)] for x in labels if (panel, x) in f), None)
        if bv is None and fv is None:
            continue
        r = _line("summary", None, {"total": (bv[0], bv[1], 2), "label": name} if bv else None,
                  {"total": (fv[0], fv[1], 2), "label": name} if fv else None, None, None, name=name)
        r["level"], r["fund"] = "总表", "全部资金"
        if "结转" in name:
            r["note"] = "预算为编制时的估计数，决算为实际数，二者不必相等 / the budget's figure is an estimate, the final's" \
                        " the actual: they need not be equal"
            r["rate"], r["flags"] = None, ""
        rows.append(r)
    return pd.DataFrame(rows, columns=COLUMNS)


def sangong_lines(budget, final) -> pd.DataFrame:
    b, f = T.sangong(budget), T.sangong(final)
    rows = []
    for item in T.SANGONG:
        bv = b["预算"].get(item) or b["决算"].get(item)
        fv = f["决算"].get(item)
        if bv is None and fv is None:
            continue
        r = _line("三公", None, {"total": bv, "label": item} if bv else None,
                  {"total": fv, "label": item} if fv else None, None, None, name=item)
        r["level"], r["fund"] = "三公", "财政拨款"
        rows.append(r)
    return pd.DataFrame(rows, columns=COLUMNS)
