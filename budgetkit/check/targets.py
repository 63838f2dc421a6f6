"""Performance-target quality: weights, level-1 coverage, cost indicators,
qualitative/quantitative values, units, satisfaction, copies, and the
arithmetic and figures written in the goal text."""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from decimal import Decimal, InvalidOperation

import pandas as pd

from budgetkit.check.findings import Finding, _dec_str
from budgetkit.check.ledger import Ledger
from budgetkit.check.recorder import Recorder
from budgetkit.money import YUAN_PER_UNIT, printed_decimals
from budgetkit.reference import load_csv
from budgetkit.tidy.targets import G_CARRIED, G_HEADER, G_INCOMPLETE, G_LOST

NUM = r"\d+(?:\.\d+)?"
_PARENS = re.compile(r"[（(][^（）()]*[）)]")
_NUMERIC = re.compile(rf"^[<>≥≤＝=]?\s*{NUM}\s*[%％]?$")
_WORDS_NUMBER = re.compile(r"^(?:[百千万]分之)?[零〇一二两三四五六七八九十百千万亿\d.]+(?:[百千万]分之[零〇一二两三四五六七八九十\d.]+)?")
_EXPR = re.compile(rf"(?P<a>{NUM})\s*(?:元|人|个)?\s*[*×xX]\s*(?P<b>{NUM})\s*(?:个月|月|人|年)?\s*"
                   rf"(?:=|＝|合计|共计)\s*约?\s*(?P<c>{NUM})\s*(?P<cu>万元|万|元)?")
_PERSONS = re.compile(rf"(?P<n>\d+)\s*人")
_RATE = re.compile(rf"(?:每月|(?P<r1>{NUM})\s*元\s*/\s*人\s*[.·．]?\s*月)\s*(?P<r2>{NUM})?\s*元?")
_NEED = re.compile(rf"(?:预计(?:当年)?需要|需要)\s*约?\s*(?P<y>{NUM})\s*(?P<u>万元|元)")
_YEAR_NEED = re.compile(rf"(?:当年|今年)(?:所需|需要|预计需要)\s*约?\s*(?P<y>{NUM})\s*(?P<u>万元|元)")


_CEILING = ("≤", "<=", "＜", "<")
_CONFORMITY = re.compile(r"(?:符合|达到|满足|执行|落实).*标准$")


def _unit_in_name(level3: str, mu: str) -> bool:
    """The indicator's name prints its unit in brackets ("民警满意度（%）", "采购成本(万元)") and it is the unit of the value."""
    norm = lambda u: re.sub(r"\s+", "", u).replace("％", "%")  # noqa: E731
    return any(norm(m) == norm(mu) for m in re.findall(r"[（(]([^（）()]{1,8})[）)]", level3 or ""))


def _dec(s) -> Decimal | None:
    try:
        return Decimal(str(s).replace(",", ""))
    except (InvalidOperation, TypeError):
        return None


def _s(x) -> str:
    """A frame cell as text: '' for a missing value (None or pandas NA), never a truth test on NA."""
    if x is None or x is pd.NA or (isinstance(x, float) and x != x):
        return ""
    return str(x)


def _loc(r) -> dict:
    page = r.get("page") if hasattr(r, "get") else None
    return {"table_no": None, "table_title": _s(r["table_title"]) or None,
            "page": None if page is None or pd.isna(page) else int(page),
            "row_label": f"{_s(r['project_name'])} · {_s(r['level3'])}",
            "column_label": "指标值 / value", "raw": f"{_s(r['operator'])} {_s(r['value'])} {_s(r['measure_unit'])}".strip()}


# the reading guesses a project-level finding rests on: who the project is, its budget and goal (carried over a
# page or table, name not read), and for the completeness rules (P01, P02) whether all its rows were read
PROJECT_GUESSES = (G_CARRIED, G_LOST)
COMPLETENESS_GUESSES = (G_CARRIED, G_LOST, G_INCOMPLETE, G_HEADER)


def _guesses(g, kinds=PROJECT_GUESSES) -> list[str]:
    if "guesses" not in g:
        return []
    out: list[str] = []
    for x in g["guesses"]:
        out += [y for y in _s(x).split("; ") if y and y in kinds and y not in out]
    return out


def _goal_loc(r, quote) -> dict:
    page = r.get("page") if hasattr(r, "get") else None
    return {"section": f"{_s(r['project_name'])} · 年度目标 / annual goal",
            "page": None if page is None or pd.isna(page) else int(page), "quote": quote}


def _to_wan(value: Decimal, unit) -> Decimal | None:
    unit = _s(unit)
    if unit.startswith("万元"):
        return value
    if unit.startswith("元"):
        return value / Decimal(10000)
    return None


@lru_cache(maxsize=1)
def _cost_total_terms() -> tuple[str, ...]:
    return tuple(r["term"] for r in load_csv("target_terms.csv") if r["role"] == "cost_total")


def _budget_wan(budget, unit) -> Decimal | None:
    if budget is None or budget is pd.NA or str(budget) == "<NA>":
        return None
    return _to_wan(Decimal(budget), unit or "万元")


def review(L: Ledger, R: Recorder, expected_weight_total: Decimal | None = None) -> None:
    t = L.d.targets
    t = t[t["level3"].notna()] if not t.empty else t  # projects described only in text carry no indicators
    if t.empty:
        for rule in ("P01", "P02", "P03", "P04", "P05", "P08"):
            R.not_evaluated(rule, "没有可读的项目绩效目标表", "no readable project performance-target table")
        return
    unnamed = t["project_name"].isna()
    if unnamed.any():  # indicators whose project's name was not read are judged with no project
        R.not_evaluated("P01", f"{int(unnamed.sum())}项指标的项目名称未能读出",
                        f"the project of {int(unnamed.sum())} indicators could not be read")
        t = t[~unnamed]
    if "has_weight_column" in t and not t["has_weight_column"].fillna(False).any():
        R.not_evaluated("P01", "绩效目标表没有权重列", "the performance-target tables print no weight column")
    framework = load_csv("performance_framework.csv")
    year = L.d.meta.get("year") or 0
    units = load_csv("indicator_units.csv")
    seen_indicators = defaultdict(set)
    keys = ["project_no"] if "project_no" in t else ["project_code", "project_name"]
    for _, g in t.groupby(keys, sort=False, dropna=False):
        name = g["project_name"].iloc[0]
        first = g.iloc[0]
        guesses = _guesses(g)
        complete = _guesses(g, COMPLETENESS_GUESSES)
        department = "source" in g and (g["source"] == "department").all()
        if "has_weight_column" not in g or g["has_weight_column"].fillna(False).any():
            weights = [w for w in g["weight"] if w is not None and str(w) != "<NA>"]
            total = sum(weights, Decimal(0))
            R.evaluated["P01"] += 1
            if expected_weight_total is None or total != expected_weight_total:
                exp = "" if expected_weight_total is None else f"（期望 {expected_weight_total}）"
                exp_en = "" if expected_weight_total is None else f" (expected {expected_weight_total})"
                R.add(Finding("P01", "fail" if expected_weight_total is not None else "note",
                              f"项目「{name}」{len(weights)}项指标权重合计 {_dec_str(total)}{exp}",
                              f"project '{name}': {len(weights)} indicator weights sum to {_dec_str(total)}{exp_en}",
                              expected=expected_weight_total, actual=total,
                              severity="warning" if expected_weight_total is not None else "info",
                              locations=[_loc(first)], guesses=complete if expected_weight_total is not None else []))
        present = set(g["level1"].dropna())
        # a template may print 成本 under 产出指标 or 满意度 under 效益指标 (level 2): the indicator is there all the same
        named = present | set(g["level2"].dropna())
        for f in framework:
            if department or not present or f["required"] != "yes" or (f["since_year"] and year < int(f["since_year"])):
                continue
            title = _s(first.get("table_title")) if hasattr(first, "get") else ""
            if any(w and w in title for w in (f.get("not_for_titles") or "").split("|")):
                continue  # a form of another scheme (转移支付) that does not ask for this indicator
            R.evaluated["P02"] += 1
            if not any(f["level1"].replace("指标", "") in p for p in named):
                R.add(Finding("P02", "fail", f"项目「{name}」缺少「{f['level1']}」（一级、二级指标均未列出）",
                              f"project '{name}' lists no {f['name_en']} indicator, at level 1 or 2",
                              locations=[_loc(first)],
                              guesses=complete))
        budget = _budget_wan(first["budget"], _s(first.get("budget_unit")) if hasattr(first, "get") else "万元")
        for _, r in g.iterrows():
            level1, op, mu = _s(r["level1"]), _s(r["operator"]).strip(), _s(r["measure_unit"])
            value, level3 = _s(r["value"]).strip(), _s(r["level3"])
            row_guesses = [x for x in _s(r.get("guesses")).split("; ") if x]
            numeric = bool(_NUMERIC.match(value))
            if "成本" in level1:
                R.evaluated["P03"] += 1
                head = _PARENS.sub("", level3).strip()
                if op in ("≥", ">=", "＞", ">") and "元" in mu and not head.endswith(("标准", "率")):
                    R.add(Finding("P03", "fail", f"项目「{name}」成本指标「{level3}」使用“{op}”，成本应设上限",
                                  f"project '{name}': cost indicator '{level3}' uses '{op}'; a cost needs a ceiling",
                                  locations=[_loc(r)], guesses=row_guesses))
                wan = _to_wan(_dec(value), mu) if numeric and _dec(value) is not None else None
                whole = any(term in level3 for term in _cost_total_terms())
                # a ceiling (≤) above the budget holds the budget: spending the budget keeps within it
                ceiling_above = op in _CEILING and wan is not None and budget is not None and wan > budget
                if wan is not None and budget is not None and wan != budget and (whole or wan > budget) \
                        and not ceiling_above:
                    R.add(Finding("P03", "fail",
                                  f"项目「{name}」成本指标「{level3}」{value}{mu}（{wan.normalize():f}万元）与预算 {budget:.2f}万元不符",
                                  f"project '{name}': cost indicator {value}{mu} ({wan.normalize():f} 万元) does not fit the budget {budget:.2f} 万元",
                                  expected=budget, actual=wan, unit="万元", locations=[_loc(r)], guesses=guesses))
            R.evaluated["P04"] += 1
            if op == "定性" and numeric:
                R.add(Finding("P04", "fail", f"项目「{name}」定性指标「{level3}」填了数值“{value}”",
                              f"project '{name}': qualitative indicator '{level3}' has the number '{value}'",
                              locations=[_loc(r)], guesses=row_guesses))
            elif op in ("＝", "=", "≥", "≤", ">=", "<=") and value and not numeric and not _WORDS_NUMBER.match(value):
                R.add(Finding("P04", "fail", f"项目「{name}」定量指标「{level3}」的值“{value}”不是数字",
                              f"project '{name}': quantitative indicator '{level3}' has the non-numeric value '{value}'",
                              locations=[_loc(r)], guesses=row_guesses))
            # a unit is judged only where a number and its unit are printed, and not where the name itself prints
            # the unit the value is measured in ("…质量标准（%）" 100%)
            if op != "定性" and numeric and mu and not _unit_in_name(level3, mu):
                head = _PARENS.sub("", level3).strip()
                for u in units:
                    if u["keyword"] == "标准" and _CONFORMITY.search(head):
                        continue  # "符合…标准": meeting a standard (a share), not a standard amount
                    if head.endswith(u["keyword"]):  # the head noun of a Chinese name is its last word
                        R.evaluated["P05"] += 1
                        if not re.search(u["units_pattern"], mu):
                            R.add(Finding("P05", "fail",
                                          f"项目「{name}」指标「{level3}」以“{mu}”计量，应为{u['expects_zh']}",
                                          f"project '{name}': '{level3}' is measured in '{mu}', expected {u['expects_en']}",
                                          locations=[_loc(r)], guesses=row_guesses))
                        break
            if "满意" in level3 + _s(r["level2"]) and numeric and _dec(value.strip("%％")) == 100 \
                    and op in ("＝", "=", "≥", ">="):
                R.add(Finding("P06", "fail", f"项目「{name}」满意度目标为100%", f"project '{name}' targets 100% satisfaction",
                              locations=[_loc(r)], guesses=row_guesses))
            # a copied indicator: a specific figure (not a rate, not a satisfaction, not words) in several projects
            if not department and numeric and "%" not in mu + value and "％" not in mu + value \
                    and "满意" not in level1 + level3:
                seen_indicators[(level3, value, mu)].add(name)
        _goal_text(R, g, first, guesses)
    for (level3, value, mu), projects in seen_indicators.items():
        R.evaluated["P07"] += 1
        if len(projects) > 1:
            R.add(Finding("P07", "fail", f"指标「{level3} {value}{mu}」在{len(projects)}个项目中相同：{'、'.join(sorted(projects))}",
                          f"indicator '{level3} {value}{mu}' is identical in {len(projects)} projects"))


def _goal_text(R: Recorder, g, first, guesses=()) -> None:
    goal = _s(first["goal"])
    name = first["project_name"]
    if not goal:
        return
    for m in _EXPR.finditer(goal):
        a, b, c = Decimal(m.group("a")), Decimal(m.group("b")), Decimal(m.group("c"))
        scale = Decimal(10000) if (m.group("cu") or "").startswith("万") else Decimal(1)
        got, stated = a * b, c * scale
        tol = Decimal(5) * Decimal(10) ** (-(printed_decimals(c) + 1)) * scale
        R.evaluated["P08"] += 1
        if abs(got - stated) > tol:
            R.add(Finding("P08", "fail", f"项目「{name}」年度目标中的算式「{m.group(0)}」：{a}×{b}={got.normalize():f}，不等于{stated.normalize():f}",
                          f"project '{name}': the goal's arithmetic '{m.group(0)}' gives {got.normalize():f}, not {stated.normalize():f}",
                          expected=got, actual=stated, unit="元", locations=[_goal_loc(first, m.group(0))], guesses=list(guesses)))
    for line in goal.split("\n"):
        persons = _PERSONS.search(line)
        rate = _RATE.search(line)
        need = _NEED.search(line)
        if persons and rate and need and persons.start() < need.start():
            per = Decimal(rate.group("r1") or rate.group("r2") or "0")
            if per == 0:
                continue
            n = Decimal(persons.group("n"))
            yearly = n * per * 12
            y = Decimal(need.group("y")) * (Decimal(10000) if need.group("u") == "万元" else 1)
            R.evaluated["P08"] += 1
            if yearly != y and n * per != y:
                R.add(Finding("P08", "fail",
                              f"项目「{name}」年度目标：{n}人 × {per}元/月 × 12个月 = {yearly.normalize():f}元，文中为{y.normalize():f}元",
                              f"project '{name}': {n} persons × {per} a month × 12 = {yearly.normalize():f}, the goal says {y.normalize():f}",
                              expected=yearly, actual=y, unit="元", locations=[_goal_loc(first, line.strip()[:160])], guesses=list(guesses)))
    budget = _budget_wan(first["budget"], _s(first.get("budget_unit")) or "万元")
    for m in _YEAR_NEED.finditer(goal):
        y = Decimal(m.group("y"))
        wan = y if m.group("u") == "万元" else y / Decimal(10000)
        R.evaluated["P09"] += 1
        if budget is not None and abs(wan - budget) > Decimal("0.005") + \
                Decimal(5) * Decimal(10) ** (-(printed_decimals(y) + 1)) / (1 if m.group("u") == "万元" else 10000):
            R.add(Finding("P09", "fail", f"项目「{name}」年度目标称「{m.group(0)}」，预算数为 {budget:.2f}万元",
                          f"project '{name}': the goal says '{m.group(0)}' but the budget is {budget:.2f} 万元",
                          expected=budget, actual=wan, unit="万元", locations=[_goal_loc(first, m.group(0))], guesses=list(guesses)))
    counts = {Decimal(_s(v).strip()) for v, mu, l3 in zip(g["value"], g["measure_unit"], g["level3"])
              if re.fullmatch(r"\d+", _s(v).strip()) and not _s(mu).startswith("万")
              and (_s(mu).startswith("人") or "人数" in _s(l3))}
    stated = {Decimal(m.group("n")) for m in _PERSONS.finditer(goal)}
    if counts and stated:
        R.evaluated["P09"] += 1
        if not counts & stated:
            R.add(Finding("P09", "fail", f"项目「{name}」年度目标中的人数{sorted(stated)}与指标{sorted(counts)}不符",
                          f"project '{name}': persons in the goal {sorted(stated)} differ from the indicators {sorted(counts)}",
                          locations=[_goal_loc(first, goal[:120])], guesses=list(guesses)))


RULES = [review]
