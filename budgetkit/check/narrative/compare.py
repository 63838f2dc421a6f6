"""One stated amount against the figure the tables print for its subject (N01), with the other measures
of the same concept a text may state (a unit's row, the economic line, another fund scope).
"""
from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pandas as pd

from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger, half_unit, strip_numbering
from budgetkit.check.narrative.coverage import _loc, _mark, _why
from budgetkit.check.narrative.facts import Fact, _facts
from budgetkit.check.recorder import Recorder, fmt
from budgetkit.check.statements import Mention, Sentence
from budgetkit.money import YUAN_PER_UNIT, printed_decimals, to_yuan


_RATE_WORDS = re.compile(r"(?:人均|每人|每月|月补贴|标准|单价|/人|每辆|每次)[^，。；,;]{0,6}$")
_BUDGET_WORDS = re.compile(r"(?:年初预算|调整预算|预算数|预算为|预算安排)[^，。；,;]{0,4}$")
_FINAL_WORDS = re.compile(r"(?:执行数|决算数|支出决算|决算为)[^，。；,;]{0,4}$")


def _not_the_tables_figure(L: Ledger, s: Sentence, m: Mention) -> tuple[str, str] | None:
    """A figure that is not the one the tables print for its subject: a rate (人均月补贴90元), a
    definition in 名词解释, a 决算's 年初预算 or a budget's prior-year 执行数."""
    before = s.text[max(0, m.start - 14): m.start]
    if "名词解释" in (s.section or "") or _RATE_WORDS.search(before):
        return "标准或单价，不是表中的金额", "a rate or standard, not a table figure"
    stage = L.d.meta.get("stage")
    if stage == "决算" and _BUDGET_WORDS.search(before):
        return "决算说明中的预算数，决算表未列", "a budget figure in a final account's text; the tables print outturns"
    if stage == "预算" and _FINAL_WORDS.search(before):
        return "预算说明中的执行数或决算数", "an outturn in a budget's text"
    return None


def _compare_mention(L: Ledger, R: Recorder, m: Mention, fact: Fact, s: Sentence, what: str,
                     guesses: list[str] | None = None) -> None:
    other = _not_the_tables_figure(L, s, m)
    if other:
        _why(L, s, *other)
        return
    quiet = getattr(s, "project_item", False)
    unit_fact = _units_own(L, fact, m)
    if unit_fact is not None:
        # "西安市劳动保障监察支队公务用车运行维护费12万元" in a department of several units: that unit's row of the
        # fact's table is the figure, never the department's total
        fact, what = unit_fact, f"{unit_fact.name}{what}" if not what.startswith(unit_fact.name) else what
    per = YUAN_PER_UNIT[m.unit]
    stated = m.value * per
    table_in_text_unit = (fact.value_yuan / per).quantize(Decimal(1).scaleb(-printed_decimals(m.value)),
                                                          ROUND_HALF_UP)
    q = Decimal(1).scaleb(-printed_decimals(m.value))
    if table_in_text_unit == m.value or any((v / per).quantize(q, ROUND_HALF_UP) == m.value for v in fact.alts):
        R.passed("N01")  # the same figure at the text's precision (in one of the tables that print the line)
        _mark(L, s)
        return
    exact = next((v / per for v in [fact.value_yuan, *sorted(fact.alts)]
                  if (v / per).quantize(q, ROUND_DOWN) == m.value and (v / per).quantize(q, ROUND_HALF_UP) != m.value),
                 None)
    if quiet:
        # "2.公共法律服务 3,493.83 万元" among the items of 项目支出: a project group, not the function line 公共法律服务
        _why(L, s, "项目支出所列的项目（类别）与同名的科目不是同一口径", "an item of the 项目支出 list is a project (group), "
             "not the classification line of the same name")
        return
    if exact is not None:
        # a table printed in 元 (640,224,693.80) stated in 万元 with its last digit cut, not rounded (64,022.46 for
        # 64,022.4694): a rounding difference, neither figure is wrong
        R.evaluated["N01"] += 1
        _mark(L, s, R.add(Finding(
            "N01", "rounding", f"说明中「{what}」{m.raw}：表格为 {exact.normalize():f}{m.unit}，说明按末位截尾取舍"
            f"（四舍五入为 {exact.quantize(q, ROUND_HALF_UP)}），属舍入差异，不是错误",
            f"the text's '{what}' {m.raw}: the tables print {exact.normalize():f} {m.unit}, which the text cuts "
            f"instead of rounding ({exact.quantize(q, ROUND_HALF_UP)}) — a rounding difference, not an error",
            expected=exact, actual=m.value, unit=m.unit, tolerance=q,
            locations=[_loc(s)] + [L.location(r) for _, r in fact.rows.iterrows()])))
        return
    if getattr(fact, "derived", False):
        _why(L, s, "按经济分类推算的数与说明不符，口径可能不同", "a figure derived from economic classes differs; "
             "the template may define it otherwise")
        return
    tol = half_unit(printed_decimals(m.value)) * per + to_yuan(half_unit(fact.decimals), fact.unit)
    other = _other_measure(L, fact, m) if abs(fact.value_yuan - stated) > tol else None
    if other is not None:
        # the text states the same concept in another scope or table (a unit's row, the basic-spending economic
        # line, the 财政拨款 total): two measures, both printed — a note naming both, not an error
        zh, en, rows = other
        where = L.location(fact.rows.iloc[0])
        R.evaluated["N01"] += 1
        _mark(L, s, R.add(Finding(
            "N01", "note", f"说明中「{what}」{m.raw}与{_where(where)}的 {fmt(fact.value_yuan / per, m.unit)} 不同，"
            f"等于{zh}：两者口径不同",
            f"the text's '{what}' {m.raw} differs from {fmt(fact.value_yuan / per, m.unit)} in "
            f"{where.get('table_title')}, and "
            f"equals {en}: two measures of the same name", expected=fact.value_yuan / per, actual=m.value,
            unit=m.unit, locations=[_loc(s), where] + [L.location(r) for _, r in rows.iterrows()])))
        return
    if getattr(fact, "by_scope", False):
        # the tables print the line with different figures in different scopes; which one the text
        # means is a reading, not a fact
        guesses = list(guesses or []) + ["表格在不同口径中列出该项的不同数值，说明所指口径按最常见的一个推断 / the "
                                         "tables print this line with different figures by scope; the text's scope "
                                         "is taken to be the most common"]
    f = R.compare("N01", fact.value_yuan, stated, tol, m.unit,
                  f"说明中「{what}」{m.raw}与表格不一致", f"the text's '{what}' {m.raw} disagrees with the tables",
                  [_loc(s)] + [L.location(r) for _, r in fact.rows.iterrows()], guesses=guesses)
    _mark(L, s, f)


def _units_own(L: Ledger, fact: Fact, m: Mention) -> Fact | None:
    """The row of the unit a figure's subject names (西安市劳动保障监察支队…), in the table of the fact's total
    row, printed unit by unit: a Fact of that row (the department's own name also agrees with the total)."""
    r0 = fact.rows.iloc[0]
    subj = strip_numbering(m.subject or "")
    if "table_index" not in fact.rows or pd.isna(r0["table_index"]) or not r0.get("is_total_row", False) \
            or len(subj) < 6:
        return None
    a = L.a
    col = a[(a["table_index"] == r0["table_index"]) & (a["column_label"] == r0["column_label"])
            & ~a["is_total_row"].astype(bool) & a["eff_code"].isna()]
    rows = col[[isinstance(lab, str) and len(lab) >= 4 and subj.startswith(lab) for lab in col["label"]]]
    if rows.empty:
        return None
    rows = rows[rows["label"].str.len() == rows["label"].str.len().max()]  # the longest name the subject opens with
    f = Fact(rows["amount_yuan"].iloc[0], rows.iloc[[0]], str(rows["label"].iloc[0]))
    # the department's own name heads its block and may name its 机关 unit too: any of its rows agrees
    f.alts = set(rows["amount_yuan"]) | ({fact.value_yuan} | fact.alts if f.name == L.d.meta.get("department") else set())
    return f


#: the economic line a 三公/会议/培训 figure is also printed as (in the basic-spending tables: without project money)
_ECONOMIC_OF = {"three_reception": "30217", "three_abroad": "30212", "three_vehicle_operation": "30231",
                "three_vehicle_purchase": "31013", "meeting_costs": "30215", "training_costs": "30216"}
#: a total the text may state in another fund scope
_TOTAL_SCOPES = {"expenditure_total": ("fiscal_total", "gpb_total"), "income_total": ("fiscal_total", "gpb_total"),
                 "fiscal_total": ("gpb_total", "expenditure_total")}


#: a column of a source of money beside the total (the text may state the total without it)
_SOURCE_PARTS = re.compile(r"其他资金|上年结转|结转|事业收入|单位资金|财政专户|政府性基金|经营收入|其他收入")


def _where(loc: dict) -> str:
    page = f"第{loc['page']}页" if loc.get("page") else ""
    return f"{page}{loc.get('table_title') or ''}「{loc.get('row_label') or ''}」"


def _other_measure(L: Ledger, fact: Fact, m: Mention):
    """Where the tables print the stated figure as the same concept in another measure: another unit's row of the
    fact's column (a department of several budget units: the text states the 机关's 公务接待费), the economic line
    of the same name (30217 公务接待费 of basic spending, where the 三公 table also covers project money), the total
    in another fund scope, or the fact less a printed part (上年结转, 事业收入).  (zh, en, rows) or None."""
    per = YUAN_PER_UNIT[m.unit]
    q = Decimal(1).scaleb(-printed_decimals(m.value))
    same = lambda v: (v / per).quantize(q, ROUND_HALF_UP) == m.value  # noqa: E731
    a = L.a
    r0 = fact.rows.iloc[0]
    if m.value != 0 and "table_index" in fact.rows and not pd.isna(r0["table_index"]) and r0.get("is_total_row", False):
        # another row of the same column: one of the department's units
        col = a[(a["table_index"] == r0["table_index"]) & (a["column_label"] == r0["column_label"])
                & ~a["is_total_row"].astype(bool) & a["eff_code"].isna()]
        units = [u.get("name") for u in (L.d.meta.get("units") or []) if u.get("name")]
        names = units + [n for n in (L.d.meta.get("department"),) if n]
        hit = col[[same(v) and isinstance(lab, str) and len(lab) >= 4 and any(n.startswith(lab) or lab.startswith(n)
                                                                                 for n in names)
                   for v, lab in zip(col["amount_yuan"], col["label"])]]
        if not hit.empty:
            r = hit.iloc[0]
            return (f"单位「{r['label']}」一行的数（{_where(L.location(r))}）",
                    f"the row of the unit '{r['label']}' in {r['table_title']}", hit.iloc[:1])
    code = _ECONOMIC_OF.get(fact.name)
    if code:
        rows = a[(a["eff_code"] == code) & a["table_kind"].str.contains("economic", na=False)]
        rows = rows[rows["concept"].isin(["total", "gpb", "current_appropriation"])
                    | rows["column_label"].str.endswith("预算数")]
        hit = rows[[same(v) for v in rows["amount_yuan"]]]
        if not hit.empty:
            r = hit.iloc[0]
            return (f"经济分类 {code}「{r['label']}」的数（{_where(L.location(r))}）",
                    f"the economic line {code} '{r['label']}' in {r['table_title']}", hit.iloc[:1])
    facts = _facts(L)
    for key in _TOTAL_SCOPES.get(fact.name, ()):
        f = facts.named.get(key)
        if f is not None and same(f.value_yuan):
            return (f"{_where(L.location(f.rows.iloc[0]))}的数", f"{f.rows.iloc[0]['table_title']}", f.rows.iloc[:1])
    if "row_no" in fact.rows and not pd.isna(r0["table_index"]):
        # the fact less (or plus) another source printed on its row: 其他资金, 上年结转, 事业收入 columns
        row = a[(a["table_index"] == r0["table_index"]) & (a["row_no"] == r0["row_no"])
                & (a["column_label"] != r0["column_label"])]
        part = row[row["column_label"].fillna("").str.contains(_SOURCE_PARTS) & (row["amount_yuan"] != 0)]
        hit = part[[same(fact.value_yuan - v) or same(fact.value_yuan + v) for v in part["amount_yuan"]]]
        if not hit.empty:
            r = hit.iloc[0]
            col = str(r["column_label"]).split("/")[-1]
            less = same(fact.value_yuan - r["amount_yuan"])
            return (f"表中的数{'减去' if less else '加上'}同一行「{col}」{fmt(r['amount_yuan'] / per, m.unit)}"
                    f"（{_where(L.location(r))}）", f"the table's figure {'less' if less else 'plus'} the '{col}' "
                    f"column of its row ({fmt(r['amount_yuan'] / per, m.unit)})", hit.iloc[:1])
    if fact.name in ("expenditure_total", "income_total", "fiscal_total", "basic_total", "project_total"):
        for key, zh, en in (("carryover", "上年结转", "carry-over"), ("business_income", "事业收入", "business income"),
                            ("govfund_income", "政府性基金收入", "government fund income")):
            f = facts.named.get(key)
            if f is not None and f.value_yuan and same(fact.value_yuan - f.value_yuan):
                return (f"表中的数减去{zh} {fmt(f.value_yuan / per, m.unit)}（{_where(L.location(f.rows.iloc[0]))}）",
                        f"the table's figure less {zh} ({en}) {fmt(f.value_yuan / per, m.unit)}", f.rows.iloc[:1])
    return None


def _interval_pct(num: Decimal, num_dec, den: Decimal, den_dec) -> tuple[Decimal, Decimal]:
    hn, hd = half_unit(num_dec), half_unit(den_dec)
    lo = (num - hn) / (den + hd) * 100
    hi = (num + hn) / (den - hd) * 100 if den - hd != 0 else Decimal("Infinity")
    return min(lo, hi), max(lo, hi)
