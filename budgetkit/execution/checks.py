"""FN rules: a 决算's execution statements against its own tables and their own arithmetic.

A finding is a claim someone may publish: figures are compared within the tolerance their printed digits
allow, a name resolved by containment (not equality) makes its findings ``review``, and a zero base is
reported once, as the defect it is, not as a wrong rate.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.check.findings import Finding
from budgetkit.execution import tables as T
from budgetkit.check.narrative.percent import as_printed
from budgetkit.money import printed_decimals

HUNDRED = Decimal(100)
FAR_PP = Decimal(10)      # |完成率 − 100%| at which a reason is expected (percentage points) …
FAR_AMOUNT = Decimal(10)  # … and |决算 − 预算| (万元)
ABOVE = {"大于", "高于", "增加", "增长"}
BELOW = {"小于", "低于", "减少", "下降"}
EVEN = {"持平", "等于"}


def h(x: Decimal | None) -> Decimal:
    """Half a unit of the last printed digit."""
    if x is None:
        return Decimal(0)
    return Decimal(5) * Decimal(10) ** (-(printed_decimals(x) + 1))


def _s(x: Decimal | None) -> str:
    return "—" if x is None else f"{x:,}"


def _norm(name) -> str:
    return re.sub(r"\s+", "", str(name or "")).replace("（", "(").replace("）", ")")


def _class_ok(class_name, label) -> bool:
    a, b = _norm(class_name).removesuffix("支出"), _norm(label).removesuffix("支出")
    return bool(a) and (a in b or b in a)


def resolve_codes(entries: pd.DataFrame, rows: dict) -> pd.DataFrame:
    """Each 项 entry's code from the function table's names: equal name (within the 类 named), else a name
    contained in the other (a guess, so the entry's findings are ``review``)."""
    items = {c: v for c, v in rows.items() if len(c) == 7}
    e = entries.copy()
    for i, r in e.iterrows():
        if r["kind"] != "项":
            continue
        name = _norm(r["xiang_name"])
        for how, test in (("name", lambda lab: lab == name),
                          ("name contained", lambda lab: lab and (lab in name or name in lab))):
            cands = [c for c, v in items.items() if test(_norm(v["label"]))]
            if len(cands) > 1 and r["class_name"]:
                cands = [c for c in cands if _class_ok(r["class_name"], rows.get(c[:3], {}).get("label"))]
            if len(cands) > 1 and r["kuan_name"]:
                narrowed = [c for c in cands if _class_ok(r["kuan_name"], rows.get(c[:5], {}).get("label"))]
                cands = narrowed or cands
            if len(cands) == 1:
                code = cands[0]
                # a name found under another 类 or 款 than the entry names is a guess
                if (r["class_name"] and not _class_ok(r["class_name"], rows.get(code[:3], {}).get("label"))) or \
                        (r["kuan_name"] and not _class_ok(r["kuan_name"], rows.get(code[:5], {}).get("label"))):
                    how = f"{how}, 类/款 differ"
                e.at[i, "code"], e.at[i, "code_how"] = code, how
                break
    return e


def _loc_text(r) -> dict:
    return {"file": r["file"], "page": int(r["page"]), "section": r["subject"], "quote": r["quote"]}


def _finding(rule, status, zh, en, r, expected=None, actual=None, tol=None, cells=(), severity="", guess=None):
    f = Finding(rule=rule, status=status, message=zh, message_en=en, expected=expected, actual=actual,
                unit="万元" if expected is not None else None, tolerance=tol,
                locations=[_loc_text(r), *cells], severity=severity)
    if guess:
        f.rests_on([guess])
    return f


def check_entries(d, entries: pd.DataFrame) -> tuple[list[Finding], dict[str, int], pd.DataFrame]:
    """Findings of the FN rules over a 决算's statements; ``evaluated`` counts the comparisons made; the entries
    come back with the table's figures beside them and the rate recomputed (决算/预算, none on a zero base)."""
    out: list[Finding] = []
    evaluated: dict[str, int] = {}
    ti = T.function_table(d)
    rows = T.by_code(d, ti) if ti is not None else {}
    sg = T.sangong(d)

    def count(rule):
        evaluated[rule] = evaluated.get(rule, 0) + 1

    recomputed = {"table_final": [], "table_budget": [], "recomputed_rate": []}
    for _, r in entries.iterrows():
        tb = tf = rr = None
        rule = {"项": "FN05", "合计": "FN05", "三公": "FN08", "项目绩效": "FN12"}.get(r["kind"], "FN13")
        if r["rate_base"] == "change":
            rule = "FN13"
        who = f"{r['subject'] or ''}{'（' + str(r['xiang_name']) + '）' if r['xiang_name'] else ''}".strip()
        guess = None
        budget, final, rate = r["stated_budget"], r["stated_final"], r["stated_rate"]
        budget_cell = []
        # the table's figure for the statement
        table = None
        if r["kind"] == "项":
            if r["code"] and r["code"] in rows and "total" in rows[r["code"]]:
                table = rows[r["code"]]["total"]
                if r["code_how"] != "name":
                    how_zh = "名称包含" if "contained" in r["code_how"] else "名称相同"
                    how_zh += "，类/款名称不同" if "differ" in r["code_how"] else ""
                    guess = (f"“{r['xiang_name']}”按{how_zh}对应科目 {r['code']} {rows[r['code']]['label']} / "
                             f"“{r['xiang_name']}” matched to {r['code']} {rows[r['code']]['label']} by "
                             f"{r['code_how']}")
        elif r["kind"] == "合计" and "合计" in rows and "total" in rows["合计"] and "财政拨款" in str(r["subject"]) \
                and "政府性基金" not in str(r["subject"]):
            table = rows["合计"]["total"]
        elif r["kind"] == "三公":
            item = _sangong_item(str(r["subject"]))
            table = sg["决算"].get(item) if item else None
            if item and item in sg["预算"]:
                b = sg["预算"][item]
                tb = b[0]
                if budget is None:
                    budget, budget_cell = b[0], [b[1]]
                else:  # the stated budget against the table's 预算数
                    count(rule)
                    tol = h(budget) + Decimal(5) * Decimal(10) ** (-(b[2] + 1))
                    if abs(budget - b[0]) > tol:
                        out.append(_finding(rule, "fail", f"{who}：说明所述预算数 {_s(budget)} 万元，表中为 {_s(b[0])} 万元",
                                            f"{who}: the text states the budget {_s(budget)} 万元, the table prints "
                                            f"{_s(b[0])} 万元", r, b[0], budget, tol, [b[1]]))
        # 1. the stated 决算 equals the table's figure
        if table is not None:
            tf = table[0]
        if final is not None and budget not in (None, 0):
            rr = (final / budget * HUNDRED).quantize(Decimal("0.01"))
        recomputed["table_final"].append(tf)
        recomputed["table_budget"].append(tb)
        recomputed["recomputed_rate"].append(rr)
        if table is not None and final is not None:
            count(rule)
            tv, tcell, tdec = table
            tol = h(final) + Decimal(5) * Decimal(10) ** (-(tdec + 1))
            diff = abs(final - tv)
            if diff > tol:
                out.append(_finding(rule, "fail", f"{who}：说明所述决算数 {_s(final)} 万元，表中为 {_s(tv)} 万元",
                                    f"{who}: the text states 决算 {_s(final)} 万元, the table prints {_s(tv)} 万元",
                                    r, tv, final, tol, [tcell], guess=guess))
            elif diff:
                out.append(_finding(rule, "rounding", f"{who}：说明 {_s(final)} 与表 {_s(tv)} 相差在印刷精度内（舍入）",
                                    f"{who}: text {_s(final)} and table {_s(tv)} differ within printed precision",
                                    r, tv, final, tol, [tcell]))
        if final is None or budget is None:
            continue
        zero = budget == 0
        # 2. a zero base gives no rate
        if zero and rate is not None:
            count(rule)
            both = final == 0
            what = "增长" if r["rate_base"] == "change" else "完成"
            out.append(_finding(
                rule, "fail" if not both else "note",
                f"{who}：预算数为 0，不能计算{what}率，说明却写“{_s(rate)}%”"
                + ("（决算亦为 0）" if both else f"（决算 {_s(final)} 万元）"),
                f"{who}: the budget is 0, so no rate exists, yet the text states {_s(rate)}%"
                + (" (决算 is 0 too)" if both else f" (决算 {_s(final)} 万元)"),
                r, None, None, None, budget_cell, severity="warning" if not both else "info", guess=guess))
            continue
        if zero:
            continue
        # 3. the stated rate recomputes
        pct = final / budget * HUNDRED
        if rate is not None:
            count(rule)
            tol = h(rate) + HUNDRED * (h(final) + abs(pct) / HUNDRED * h(budget)) / abs(budget)
            if r["rate_base"] == "change":  # 增长p% = Δ / base
                pct = (final - budget) / budget * HUNDRED
                rate_v = rate if r["direction"] not in BELOW else -rate
            else:
                rate_v = rate
            got, at_zh, at_en = as_printed(pct, rate)  # at the decimals the text prints, and said so
            if abs(rate_v - pct) > tol:
                out.append(_finding(rule, "fail",
                                    f"{who}：说明所述比率 {_s(rate)}% 与 {_s(final)}/{_s(budget)} 复算的 {got}%{at_zh}不符",
                                    f"{who}: the stated rate {_s(rate)}% does not recompute: {_s(final)}/{_s(budget)}"
                                    f" = {got}%{at_en}", r, got, rate_v, tol.quantize(Decimal("0.0001")), budget_cell,
                                    guess=guess))
        # 4. the direction word agrees with the figures
        word = r["direction"] if isinstance(r["direction"], str) else None
        if word and r["rate_base"] != "change":
            count(rule)
            tol = h(final) + h(budget)
            delta = final - budget
            wrong = (word in ABOVE and delta <= tol) or (word in BELOW and delta >= -tol) or \
                    (word in EVEN and abs(delta) > tol)
            if word == "基本持平":
                wrong = abs(delta) > max(tol, abs(budget) / HUNDRED)
            if wrong:
                out.append(_finding(rule, "fail" if word != "基本持平" else "review",
                                    f"{who}：说明称决算数“{word}”预算数，而 {_s(final)} − {_s(budget)} = {_s(delta)}",
                                    f"{who}: the text says 决算 is “{word}” the budget, but {_s(final)} − {_s(budget)}"
                                    f" = {_s(delta)}", r, budget, final, tol, budget_cell, guess=guess))
        # 5. a rate far from 100% has a reason
        if r["kind"] in ("项", "合计", "三公") and r["rate_base"] != "change":
            count(rule)
            far = abs(pct - HUNDRED) >= FAR_PP and abs(final - budget) >= FAR_AMOUNT
            if far and not (isinstance(r["reason"], str) and r["reason"].strip()):
                out.append(_finding(rule, "fail",
                                    f"{who}：决算 {_s(final)} 万元为预算 {_s(budget)} 万元的 {pct:.2f}%，未说明原因",
                                    f"{who}: 决算 {_s(final)} 万元 is {pct:.2f}% of the budget {_s(budget)} 万元 and "
                                    "no reason is given", r, budget, final, None, budget_cell, severity="warning",
                                    guess=guess))
    out += _coverage(entries, rows, evaluated)
    out += _sum_of_entries(entries, evaluated)
    return out, evaluated, entries.assign(**recomputed)


def _sangong_item(subject: str) -> str | None:
    if "因公出国" in subject:
        return "因公出国（境）费"
    if "公务用车" in subject:
        return "公务用车购置及运行费"
    if "公务接待" in subject:
        return "公务接待费"
    if "三公" in subject:
        return "合计"
    return None


def _coverage(entries: pd.DataFrame, rows: dict, evaluated: dict) -> list[Finding]:
    """FN06: every 项 the table spends on has an entry — judged only where the text explains 项 at all."""
    items = entries[entries["kind"] == "项"]
    if items.empty:
        return []
    said = set(items["code"].dropna())
    out = []
    for code, v in rows.items():
        if len(code) != 7 or "total" not in v or v["total"][0] == 0:
            continue
        evaluated["FN06"] = evaluated.get("FN06", 0) + 1
        if code not in said and items["code"].notna().all():
            tv, tcell, _ = v["total"]
            out.append(Finding(rule="FN06", status="fail",
                               message=f"{code} {v['label']} 决算 {_s(tv)} 万元，说明未逐项说明",
                               message_en=f"{code} {v['label']}: 决算 {_s(tv)} 万元 has no entry in the text",
                               actual=tv, unit="万元", locations=[tcell]))
    return out


def _sum_of_entries(entries: pd.DataFrame, evaluated: dict) -> list[Finding]:
    """FN05: the overall 年初预算 and 决算 equal the sums of the 项 entries' (n+1 half-units)."""
    items = entries[entries["kind"] == "项"]
    totals = entries[entries["kind"] == "合计"]
    totals = totals[totals["rate_base"] != "change"]
    if items.empty or len(totals) != 1:
        return []
    t = totals.iloc[0]
    out = []
    for col, zh in (("stated_budget", "年初预算"), ("stated_final", "决算")):
        vals = [v for v in items[col] if v is not None]
        if len(vals) != len(items) or t[col] is None:
            continue
        evaluated["FN05"] = evaluated.get("FN05", 0) + 1
        s = sum(vals, Decimal(0))
        tol = sum((h(v) for v in vals), h(t[col]))
        diff = abs(s - t[col])
        if diff == 0:
            continue
        status = "rounding" if diff <= tol else "fail"
        out.append(_finding("FN05", status,
                            f"总体{zh} {_s(t[col])} 万元，各项之和 {_s(s)} 万元"
                            + ("（差在印刷精度内）" if status == "rounding" else ""),
                            f"overall {zh} {_s(t[col])} 万元; the entries sum to {_s(s)} 万元"
                            + (" (within printed precision)" if status == "rounding" else ""),
                            t, s, t[col], tol))
    return out
