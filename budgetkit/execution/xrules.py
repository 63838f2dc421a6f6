"""X rules of the join beyond X02/X08: the 三公 budget (X03), large deviations explained (X05), 基本支出
tracked (X07), and which budget column is 年初 when the 决算 states no 年初预算.

A budget and its final accounts legitimately differ (年中追加, 上年结转, 年末结转): these rules report a
difference as a claim only where the two documents define the figure alike, and say ``review`` where the
definition cannot be read.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.check.findings import Finding
from budgetkit.execution import tables as T
from budgetkit.execution.checks import ABOVE, BELOW, EVEN, h

FAR_PP = Decimal(10)      # |基本 决算/年初 − 100%| (percentage points) …
FAR_AMOUNT = Decimal(10)  # … and |Δ| (万元) at which 基本支出 is said to move
# the 三公 table's note or the narrative naming what its 预算数 is
SANGONG_BASIS = re.compile(r"预算数?为?[“\"'‘]?三公[”\"'’]?经费(?:财政拨款(?:支出)?)?(全年|年初|调整后)预算")
SANGONG_STATED = re.compile(r"[“\"'‘]三公[”\"'’]经费(?:财政拨款)?支出(全年|年初)预算为")


def _s(x) -> str:
    return "—" if x is None else f"{x:,}"


def sangong_basis(final) -> tuple[str | None, dict | None]:
    """What the 决算's 三公 预算数 is — 年初 or 全年 (adjusted) — as its note or narrative says; None if unsaid."""
    n = final.narrative
    for pat in (SANGONG_BASIS, SANGONG_STATED):
        for r in n.itertuples(index=False):
            m = pat.search(re.sub(r"\s+", "", str(r.text or "")))
            if m:
                word = "全年" if m.group(1) in ("全年", "调整后") else "年初"
                return word, {"file": r.file, "page": int(r.page), "quote": m.group(0)}
    return None, None


def x03(budget, final, evaluated: dict) -> list[Finding]:
    """X03: the 决算 三公 table's 预算数 against the 预算's 三公 table, per item, by the definition the 决算 prints."""
    b, f = T.sangong(budget), T.sangong(final)
    if not b["预算"] or not f["预算"]:
        evaluated.setdefault("X03", 0)
        return []
    basis, where = sangong_basis(final)
    out = []
    for item in T.SANGONG:
        if item not in b["预算"] or item not in f["预算"]:
            continue
        (bv, bcell, bdec), (fv, fcell, fdec) = b["预算"][item], f["预算"][item]
        evaluated["X03"] = evaluated.get("X03", 0) + 1
        tol = Decimal(5) * Decimal(10) ** (-(bdec + 1)) + Decimal(5) * Decimal(10) ** (-(fdec + 1))
        diff = fv - bv
        if abs(diff) <= tol:
            continue
        cells = [fcell, bcell] + ([where] if where else [])
        if basis == "年初":
            out.append(Finding(rule="X03", status="fail",
                               message=f"“三公”{item}：决算表所列年初预算数 {_s(fv)} 万元，预算公开 {_s(bv)} 万元",
                               message_en=f"三公 {item}: the 决算 table's 年初 budget {_s(fv)} 万元, the 预算 "
                                          f"disclosure {_s(bv)} 万元", expected=bv, actual=fv, unit="万元",
                               tolerance=tol, locations=cells))
        elif basis == "全年":
            out.append(Finding(rule="X03", status="note",
                               message=f"“三公”{item}：决算表预算数为全年预算 {_s(fv)} 万元，年初预算 {_s(bv)} 万元，"
                                       f"年中调整 {_s(diff)} 万元",
                               message_en=f"三公 {item}: the 决算 prints the adjusted (全年) budget {_s(fv)} 万元 against "
                                          f"the 年初 {_s(bv)} 万元: adjusted by {_s(diff)} 万元",
                               expected=bv, actual=fv, unit="万元", tolerance=tol, locations=cells))
        else:
            out.append(Finding(rule="X03", status="review",
                               message=f"“三公”{item}：决算表预算数 {_s(fv)} 万元，预算公开 {_s(bv)} 万元；决算未说明其为年初"
                                       "还是全年预算，差额待核对",
                               message_en=f"三公 {item}: the 决算 table's budget {_s(fv)} 万元, the 预算 {_s(bv)} 万元; the "
                                          "决算 does not say whether its figure is 年初 or 全年: check",
                               expected=bv, actual=fv, unit="万元", tolerance=tol, locations=cells))
    return out


def _items(lines: pd.DataFrame) -> pd.DataFrame:
    return lines[(lines["section"] == "function") & (lines["level"] == "项")]


def x05(lines: pd.DataFrame, entries: pd.DataFrame, evaluated: dict, decided: bool = True) -> list[Finding]:
    """X05: each 项 whose execution is far from its budget (large deviation, new, unspent) has an entry in the
    决算 text whose direction agrees with the budget's figure and which gives a reason — judged only where
    the text explains 项 at all.  An entry whose own 年初 differs from the budget's figure is X02's finding, and
    its direction word speaks of its own figure (FN05): not judged here.  When which budget column is 年初 was
    not decided (``decided`` False), what remains is review."""
    said = entries[(entries["kind"] == "项")]
    # a code the budget does not print was budgeted at 0 (new): it needs its reason as much as any
    flagged = [r.copy() for _, r in _items(lines).iterrows() if r["flags"] and r["final"] is not None
               and r["final"] != (r["budget"] if r["budget"] is not None else 0)]
    for r in flagged:
        if r["budget"] is None:
            r["budget"] = Decimal(0)
    if said.empty or not flagged:
        evaluated.setdefault("X05", 0)
        return []
    out = []
    for r in flagged:
        evaluated["X05"] = evaluated.get("X05", 0) + 1
        e = said[said["code"] == r["code"]]
        delta = r["final"] - r["budget"]
        cell = r["final_cell"] or r["budget_cell"]
        what = f"{r['code']} {r['name']}：预算 {_s(r['budget'])} 万元，决算 {_s(r['final'])} 万元（{r['flags']}）"
        what_en = f"{r['code']} {r['name']}: budget {_s(r['budget'])} 万元, final {_s(r['final'])} 万元 ({r['flags']})"
        if e.empty:
            if said["code"].notna().all():
                out.append(Finding(rule="X05", status="fail" if decided else "review", message=f"{what}，决算说明未逐项说明",
                                   message_en=f"{what_en}: the 决算 text has no entry for it", expected=r["budget"],
                                   actual=r["final"], unit="万元", locations=[cell], severity="warning"))
            continue
        s = e.iloc[0]
        loc = {"file": s["file"], "page": int(s["page"]), "quote": s["quote"]}
        word = s["direction"] if isinstance(s["direction"], str) else None
        tol = h(r["final"]) + h(r["budget"])
        same_base = s["stated_budget"] is not None and abs(s["stated_budget"] - r["budget"]) <= h(s["stated_budget"]) + h(r["budget"])
        wrong = word and same_base and ((word in ABOVE and delta <= tol) or (word in BELOW and delta >= -tol)
                                        or (word in EVEN and abs(delta) > tol))
        if wrong:
            out.append(Finding(rule="X05", status="fail" if decided else "review",
                               message=f"{what}，相差 {_s(delta)} 万元，说明却称决算数“{word}”预算数",
                               message_en=f"{what_en}: a difference of {_s(delta)} 万元, yet the text says 决算 is "
                                          f"“{word}” the budget", expected=r["budget"], actual=r["final"], unit="万元",
                               tolerance=tol, locations=[loc, cell], severity="warning"))
        elif not (isinstance(s["reason"], str) and s["reason"].strip()):
            out.append(Finding(rule="X05", status="fail" if decided else "review", message=f"{what}，说明未给出原因",
                               message_en=f"{what_en}: the text gives no reason", expected=r["budget"],
                               actual=r["final"], unit="万元", locations=[loc, cell], severity="warning"))
    return out


def x07(lines: pd.DataFrame, evaluated: dict) -> list[Finding]:
    """X07: 基本支出 per 项 tracks its 年初 budget; a move beyond both thresholds is reported (info)."""
    out = []
    for _, r in _items(lines).iterrows():
        b, f = r["budget_basic"], r["final_basic"]
        if b is None or f is None:
            continue
        evaluated["X07"] = evaluated.get("X07", 0) + 1
        delta = f - b
        if b == 0 or abs(delta) < FAR_AMOUNT or abs(delta / b * 100) < FAR_PP:
            continue
        out.append(Finding(rule="X07", status="note",
                           message=f"{r['code']} {r['name']} 基本支出：年初 {_s(b)} 万元，决算 {_s(f)} 万元，相差 {_s(delta)} 万元"
                                   f"（{(f / b * 100).quantize(Decimal('0.01'))}%）",
                           message_en=f"{r['code']} {r['name']} basic expenditure: 年初 {_s(b)} 万元, final {_s(f)} "
                                      f"万元, a difference of {_s(delta)} 万元",
                           expected=b, actual=f, unit="万元",
                           locations=[c for c in (r["budget_cell"], r["final_cell"]) if c]))
    return out


def current_column_basis(lines: pd.DataFrame) -> tuple[str, bool]:
    """Without a stated 年初预算: the budget's current-year column is the 年初 appropriation when, 项 by 项, it
    equals the 决算's own 财政拨款收入 wherever no adjustment intervened (most codes); else undecided."""
    it = _items(lines)
    both = it[it["budget"].notna() & it["final_fiscal_income"].notna()]
    if both.empty:
        return ("决算未说明年初预算，也无法用财政拨款收入印证：预算取预算表的当年数，待核对 / the 决算 states no 年初预算 and "
                "prints no appropriation income by code: the budget table's current-year column is used, as review",
                False)
    equal = int(sum(1 for _, r in both.iterrows() if r["budget"] == r["final_fiscal_income"]))
    if equal * 2 > len(both):
        return (f"决算未说明年初预算：预算表的当年数在 {equal}/{len(both)} 个项上等于决算的财政拨款收入（其余为年中调整），"
                f"取为年初预算 / the 决算 states no 年初预算: the budget's current-year column equals the 决算's "
                f"appropriation income on {equal} of {len(both)} 项 (the rest adjusted during the year), so it is 年初",
                True)
    return (f"决算未说明年初预算，预算表当年数仅在 {equal}/{len(both)} 个项上等于决算财政拨款收入：年初口径无法判断，待核对 / "
            f"the 决算 states no 年初预算 and the budget's current-year column equals the appropriation income on only "
            f"{equal} of {len(both)} 项: which column is 年初 cannot be decided (review)", False)
