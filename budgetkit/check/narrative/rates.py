"""Rates the text states: completion rates (完成率, 执行率) and score rates (得分率) recomputed (N08).
"""
from __future__ import annotations

import re
from decimal import Decimal

from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger, half_unit
from budgetkit.check.narrative.compare import _interval_pct
from budgetkit.check.narrative.coverage import _loc, _mark, _why
from budgetkit.check.narrative.percent import as_printed
from budgetkit.check.narrative.subjects import _earlier
from budgetkit.check.recorder import Recorder
from budgetkit.check.statements import Sentence
from budgetkit.money import YUAN_PER_UNIT, printed_decimals


_SCORE = re.compile(r"分值\s*(?P<full>\d+(?:\.\d+)?)\s*分[，,、]?\s*得分\s*(?P<got>\d+(?:\.\d+)?)\s*分[，,、]?\s*"
                    r"得分率(?:为)?\s*(?P<rate>\d+(?:\.\d+)?)\s*%")


def score_rates(L: Ledger, R: Recorder) -> None:
    """N08: "该指标分值20分，得分17.99分，得分率89.95%" (a self-evaluation's score rate = score ÷ full marks)."""
    for s in L.statements:
        for x in _SCORE.finditer(s.text):
            full, got, rate = (Decimal(x.group(k)) for k in ("full", "got", "rate"))
            if full == 0:
                continue
            h = half_unit(printed_decimals(got))
            lo, hi = (got - h) / full * 100, (got + h) / full * 100
            hp = half_unit(printed_decimals(rate))
            R.evaluated["N08"] += 1
            if lo - hp <= rate <= hi + hp:
                _mark(L, s)
                continue
            computed, at_zh, at_en = as_printed(got / full * 100, rate)
            _mark(L, s, R.add(Finding(
                "N08", "fail", f"说明称分值{x.group('full')}分、得分{x.group('got')}分、得分率{x.group('rate')}%，"
                f"计算应为 {computed}%{at_zh}", f"the text gives {x.group('got')} of {x.group('full')} points as "
                f"{x.group('rate')}%; the figures give {computed}%{at_en}", expected=computed, actual=rate, unit="%",
                tolerance=hp, locations=[_loc(s)])))


_BUDGETED = re.compile(r"预算(?:数|资金|金额)?(?:为|是)?\s*$")
_SPENT = re.compile(r"决算|执行|实际|支出数|完成")
_SPENT_WORDS = re.compile(r"实际|支出|决算|执行|完成|金额|数$")


def _budget_before(L: Ledger, s: Sentence, back: int = 2):
    """"截至12月31日，项目全年预算数为1018.55万元…" "项目实际支出760.53万元，预算执行率74.67%": the budget a
    rate is taken of, stated in a sentence of the same section just before (the nearest)."""
    for x in _earlier(L, s, back):
        for mm in x.mentions:
            if mm.role == "amount" and mm.value and _BUDGETED.search(mm.context) and not _SPENT.search(mm.context):
                return mm
    return None


def _rate(L, R, s, r) -> int:
    """N08: 完成年初预算的x% recomputed from the sentence's two figures (or its spending and the budget the
    sentence before states)."""
    guesses = []
    num, den = r.numerator, r.denominator
    if num is None and den is None and r.pct is not None:
        own = [m for m in s.mentions if m.role == "amount"]
        core = _SPENT_WORDS.sub("", own[0].subject or "") if len(own) == 1 else ""
        if len(own) == 1 and _SPENT.search(own[0].context) and "预算" not in own[0].context and core:
            # the same thing's budget ("项目实际支出" after "项目全年预算数"), not a total's (其中：因公出国费…)
            den = _budget_before(L, s)
            num, den = (own[0], den) if den is not None and core in (den.subject or "") else (None, None)
            if den is not None:
                guesses = [f"执行率的预算数取自前文「{den.subject}」{den.raw} / the rate's budget is the "
                           f"'{den.subject}' the text stated before"]
    if num is None or den is None or r.pct is None:
        _why(L, s, "完成率的两个金额未能确定", "the rate's two figures could not be told apart")
        return 0
    per = YUAN_PER_UNIT[den.unit]
    nv = num.value * YUAN_PER_UNIT[num.unit] / per
    if den.value == 0:
        _why(L, s, "完成率的预算数为0", "the rate's budget figure is zero")
        return 0
    lo, hi = _interval_pct(nv, printed_decimals(num.value), den.value, printed_decimals(den.value))
    hp = half_unit(printed_decimals(r.pct))
    R.evaluated["N08"] += 1
    if lo - hp <= r.pct <= hi + hp:
        _mark(L, s)
        return 1
    computed, at_zh, at_en = as_printed(nv / den.value * 100, r.pct)
    _mark(L, s, R.add(Finding(
        "N08", "fail", f"说明称「{r.raw}」，按 {num.raw} ÷ {den.raw} 计算应为 {computed}%{at_zh}",
        f"the text says '{r.raw}'; {num.raw} ÷ {den.raw} gives {computed}%{at_en}",
        expected=computed, actual=r.pct, unit="%", tolerance=hp, locations=[_loc(s)], guesses=guesses)))
    return 1
