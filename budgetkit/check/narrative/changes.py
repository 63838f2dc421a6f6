"""Year-over-year changes and comparisons: changes recomputed from their base (N03), direction words (N09),
the year compared with (N04), and the bases the sections compare with (N07).
"""
from __future__ import annotations

import copy
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pandas as pd

from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger, half_unit
from budgetkit.check.narrative.compare import _interval_pct
from budgetkit.check.narrative.coverage import _loc, _mark, _why
from budgetkit.check.narrative.facts import _facts
from budgetkit.check.narrative.percent import as_printed
from budgetkit.check.narrative.rates import _rate
from budgetkit.check.narrative.subjects import _resolve_phrase, _three_key, fact_named_by, subject_cores
from budgetkit.check.recorder import Recorder, fmt
from budgetkit.check.statements import Change, Mention, Sentence
from budgetkit.money import YUAN_PER_UNIT, printed_decimals, to_yuan


def _sign(direction: str) -> int:
    return -1 if direction in ("减少", "下降", "降低", "减") else 1


def _copied(prev: dict, c, s) -> str:
    """The previous item's figures stated word for word: say so beside the finding."""
    p = prev.get((c.delta, c.delta_unit))
    if p is not None and p[0] is not s and p[1] != (c.current.value if c.current else None):
        return f"（与上一项「{p[2]}」所述相同，疑为复制 / the same as the previous item's '{p[2]}', likely copied）"
    return ""


def stated_changes(L: Ledger, R: Recorder) -> None:
    """N03: changes recompute from the stated base (or from the current figure and the change);
    N09: a direction word the figures contradict; N04: compared with the previous year."""
    year = L.d.meta.get("year")
    n = 0
    prev: dict = {}
    for s in L.statements:
        by_change = {}
        for c in s.changes:
            by_change.setdefault(c.start, []).append(c)
        for group in by_change.values():
            money = next((c for c in group if c.delta_unit in YUAN_PER_UNIT), None)
            against = _against_each_other(group, money)
            if money is not None and len(group) > 1:
                R.passed("N09")  # a change and its percentage, each with its direction word
            if against is not None:
                n += 1
                _mark(L, s, R.add(Finding(
                    "N09", "fail", f"说明称「{against.raw}」：增减额与百分比的方向词相反",
                    f"the text says '{against.raw}': the change and its percentage go opposite ways",
                    locations=[_loc(s)])))
                group = [money]
            for c in group:
                n += _one_change(L, R, s, c, money, prev)
        for c in s.changes:
            if c.delta is not None:
                prev[(c.delta, c.delta_unit)] = (s, c.current.value if c.current else None, c.raw)
        for r in s.rates:
            n += _rate(L, R, s, r)
    if not n:
        R.not_evaluated("N03", "说明中没有可复算的增减表述", "the text states no change that can be recomputed")
    if year:
        _years(L, R, int(year))


def _against_each_other(group: list, money):
    """"比上年增加22.65万元，下降53.3%": one change stated with two direction words of opposite sign — whatever the
    base, one of them is wrong (the percentage read right after its amount, as one change)."""
    if money is None or not money.delta:
        return None
    for c in group:
        if c is not money and c.delta_unit == "%" and c.delta and c.direction != "持平" and money.direction != "持平" \
                and _sign(c.direction) != _sign(money.direction):
            return c
    return None


_DELTA_SUBJECT = re.compile(r"^(?P<what>.+?)(?:较上年|比上年|较去年|比去年)?(?:各)?(?P<dir>增加|减少|增长|下降|上升|降低)(?:了)?$")
_FOLLOWING_PCT = re.compile(r"^[，,]?\s*(?:(?P<dir>增长|下降|上升|降低|减少|增加)|增幅|降幅|减幅)(?:为|了)?\s*"
                            r"(?P<pct>\d+(?:\.\d+)?)\s*%")


def _delta_with_percent(L: Ledger, R: Recorder, s: Sentence, m: Mention, subj: str) -> bool:
    """"与上年相比，财政拨款支出增加3756.18万元，增长18.14%": a change and its percentage with neither the base nor
    the current figure in the sentence — the current figure is the one the tables print for the subject, the
    base is current − change, and the percentage is recomputed from them (N03; a reading, said so)."""
    dm = _DELTA_SUBJECT.match(subj or "")
    follow = _FOLLOWING_PCT.match(s.text[m.end: m.end + 30]) if dm else None
    if not follow:
        return False
    direction = dm.group("dir")
    money = Change(None, None, None, direction, m.value, m.unit, None, m.raw, start=m.start)
    pct = Change(None, None, None, follow.group("dir") or direction, Decimal(follow.group("pct")), "%", None,
                 s.text[m.start: m.end + follow.end()], start=m.start)
    # "收、支总计22066.59万元，与2023年相比，收、支总计各增加5834.37万元，增长35.74%": the sentence's own figure
    bare = lambda t: re.sub(r"(?:总计|合计|总额|总数)$", "", t)  # noqa: E731 - the reader drops these too
    what = bare(subject_cores(dm.group("what"))[-1])
    own = [x for x in s.mentions if x.role == "amount" and x.end <= m.start and x.unit == m.unit
           and what in map(bare, subject_cores(x.subject))]
    if own:
        pct.current = money.current = own[-1]
        _one_change(L, R, s, pct, money, {})
        return True
    cur = _current_from_tables(L, s, money, clause=dm.group("what"), stated_pct=pct)
    if cur is None:
        return False
    pct.current = cur
    money.current = cur
    _one_change(L, R, s, pct, money, {}, guesses=[f"本年数取自表格中的「{cur.subject}」{cur.raw} / the current figure "
                                                  f"is the tables' '{cur.subject}' {cur.raw}"])
    return True


_AGAINST = re.compile(r"(?:与上年相比|与去年相比|同比|较上年|较去年|比上年|比去年)[，,]?$")


def _change_pct_bounds(diff: Decimal, h_diff: Decimal, base: Decimal, h_base: Decimal):
    """The range of diff ÷ base × 100 when each may be off by its printed rounding; None when the base is
    within its own rounding of zero."""
    if base <= h_base:
        return None
    cands = [(diff + a) / (base + b) * 100 for a in (-h_diff, h_diff) for b in (-h_base, h_base)]
    return min(cands), max(cands)


def _fits(stated_pct: Decimal, current: Decimal, delta: Decimal, h: Decimal) -> bool:
    """Does delta ÷ (current − delta) give the stated percentage, within the printed figures' rounding?"""
    bounds = _change_pct_bounds(delta, h, current - delta, 2 * h)
    hp = half_unit(printed_decimals(stated_pct))
    return bounds is not None and bounds[0] - hp <= stated_pct <= bounds[1] + hp


def _current_from_tables(L: Ledger, s: Sentence, c, clause: str | None = None, stated_pct=None) -> Mention | None:
    """"收入较去年增加54.13万元，上升2.88%": the sentence states no current figure; the figure its subject names in
    the tables is the current one (a reading, said so on any finding)."""
    if c.delta is None or (c.delta_unit not in YUAN_PER_UNIT and c.delta_unit != "%"):
        return None
    if clause is None:
        # the clause before the change: a bounded tail, not the whole sentence (linear in a long sentence)
        head = _AGAINST.sub("", s.text[max(0, c.start - 200): c.start].rstrip("，, "))
        clause = re.split(r"[，,；;：:。]", head)[-1].strip()
    clause = re.sub(r"(?:各|总数|总额)$", "", clause)
    if len(clause) < 2:
        return None
    fact = fact_named_by(L, clause)
    if fact is None:
        return None
    unit = c.delta_unit if c.delta_unit in YUAN_PER_UNIT else fact.unit
    value = fact.value_yuan / YUAN_PER_UNIT[unit]
    if stated_pct is not None and c.delta_unit in YUAN_PER_UNIT:
        # the named figure in another of the tables' totals (财政拨款收入总计 or 本年支出合计) may be the one meant
        delta = _sign(c.direction) * c.delta
        h = half_unit(printed_decimals(c.delta)) + to_yuan(half_unit(fact.decimals), fact.unit) / YUAN_PER_UNIT[unit]
        fitting = [v / YUAN_PER_UNIT[unit] for v in sorted(fact.alts | {fact.value_yuan})
                   if _fits(_sign(stated_pct.direction) * stated_pct.delta, v / YUAN_PER_UNIT[unit], delta, h)]
        if fitting:
            value = fitting[0]
    if unit == fact.unit and fact.decimals is not None and not pd.isna(fact.decimals):
        value = value.quantize(Decimal(1).scaleb(-int(fact.decimals)))  # at the table's printed precision
    return Mention(value, unit, f"{fmt(value, unit)}{unit}", c.start, c.start, clause)


_OUTTURN_WORDS = re.compile(r"执行|决算|实际")


def _rounded(v: Decimal, decimals: int) -> Decimal:
    return v.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def _difference_of_rounded(now: Decimal, before: Decimal, stated: Decimal, decimals: int | None) -> bool:
    """The stated change is the difference of the two figures as the text would print them (each rounded half away
    from zero to the change's own decimals), where the exact difference rounds otherwise."""
    if decimals is None:
        return False
    return _rounded(now, decimals) - _rounded(before, decimals) == stated != _rounded(now - before, decimals)


def _against_prior(L: Ledger, R: Recorder, s: Sentence, c, cur) -> bool:
    """"公务用车运行维护费200.00万元，较2025年减少2.48万元" with a 三公 table printing 2025年预算数 beside 2026年:
    the stated change against the table's two years (its own figures: the text's current figure is N01's)."""
    f = _facts(L)
    code = L.__dict__.get("_item_of", {}).get(id(cur))
    if code is not None:
        now, before = f.item_code(code), f.item_prior(code)
    else:
        key = (_resolve_phrase(cur.subject or "") or _three_key(cur.subject or "", set(f.prior))) if f.prior else None
        now, before = (f.named.get(key), f.prior.get(key)) if key else (None, None)
    year = L.d.meta.get("year")
    if now is None or before is None or (c.year and year and c.year != int(year) - 1):
        return False
    column = str(before.rows["column_label"].iloc[0]) + str(before.rows["label"].iloc[0])
    if bool(_OUTTURN_WORDS.search(c.raw)) != bool(_OUTTURN_WORDS.search(column)):
        return False  # "比2025年执行数" against a column of 2025's budget: another base
    per = YUAN_PER_UNIT[c.delta_unit]
    stated = _sign(c.direction) * c.delta
    got = (now.value_yuan - before.value_yuan) / per
    tol = half_unit(printed_decimals(c.delta)) + sum(
        to_yuan(half_unit(x.decimals), x.unit) / per for x in (now, before)
        if x.decimals is not None and not pd.isna(x.decimals))
    R.passed("N03")
    if any(abs((n - b) / per - stated) <= tol for n in {now.value_yuan} | now.alts
           for b in {before.value_yuan} | before.alts):  # any scope either table prints
        _mark(L, s)
        return True
    if _difference_of_rounded(now.value_yuan / per, before.value_yuan / per, stated, printed_decimals(c.delta)):
        # tables in 元, text in 万元: 805.9215 − 1,731.555 = −925.6335, but the text subtracts the figures it prints,
        # 805.92 − 1,731.56 = −925.64 — a rounding difference, not an error
        d = printed_decimals(c.delta)
        _mark(L, s, R.add(Finding(
            "N03", "rounding",
            f"说明称「{c.raw}」，表格中{int(year) - 1 if year else '上'}年为 {(before.value_yuan / per).normalize():,f}、"
            f"本年为 {(now.value_yuan / per).normalize():,f}{c.delta_unit}：说明用两数各自四舍五入到{d}位小数后相减"
            f"（{_rounded(now.value_yuan / per, d):,f} − {_rounded(before.value_yuan / per, d):,f}），属舍入差异，不是错误",
            f"the text says '{c.raw}': it subtracts the two figures rounded to {d} decimals "
            f"({_rounded(before.value_yuan / per, d)} and {_rounded(now.value_yuan / per, d)}): a rounding difference, "
            "not an error",
            expected=got, actual=stated, unit=c.delta_unit, tolerance=tol,
            locations=[_loc(s)] + [L.location(r) for _, r in pd.concat([before.rows, now.rows]).iterrows()])))
        return True
    guesses = [] if year and str(int(year) - 1) in column and _BASE_WORD.search(c.raw) else [
        f"上年数取自表格的「{column}」，说明未写明比较口径 / last year's figure is the table's '{column}'; the text "
        "does not say which of last year's figures it compares with"]
    _mark(L, s, R.add(Finding(
        "N03", "fail", f"说明称「{c.raw}」，表格中{int(year) - 1 if year else '上'}年为 {fmt(before.value_yuan / per, c.delta_unit)}、"
        f"本年为 {fmt(now.value_yuan / per, c.delta_unit)}，增减应为 {fmt(got, c.delta_unit)}{c.delta_unit}",
        f"the text says '{c.raw}'; the table prints {fmt(before.value_yuan / per, c.delta_unit)} last year and "
        f"{fmt(now.value_yuan / per, c.delta_unit)} this year: a change of {fmt(got, c.delta_unit)} {c.delta_unit}",
        expected=got, actual=stated, unit=c.delta_unit, tolerance=tol,
        locations=[_loc(s)] + [L.location(r) for _, r in pd.concat([before.rows, now.rows]).iterrows()],
        guesses=guesses)))
    return True


def _one_change(L, R, s, c, money, prev, guesses: list[str] | None = None) -> int:
    """A change judged against its figure; one stated after a 其中 list may be the list's head's (Change.alternatives).
    The first figure it fits is the one meant; a figure it cannot be judged against leaves it unjudged (whose change
    it is, is a reading); when it fits none, the difference is reported for review, naming the other reading."""
    alts = [a for a in getattr(c, "alternatives", []) if a is not c.current]
    if not alts or c.current is None:
        return _one_change_at(L, R, s, c, money, prev, guesses)
    outcomes = [(cur, _outcome(L, s, c, cur, money, prev, guesses)) for cur in [c.current] + alts]
    pick = next((cur for cur, o in outcomes if o == "fits"), None) or \
        next((cur for cur, o in outcomes if o == "unjudged"), None)
    if pick is not None:
        return _with_current(c, money, pick, lambda: _one_change_at(L, R, s, c, money, prev, guesses))
    found = [cur for cur, o in outcomes if o == "differs"] or [c.current]
    others = [cur for cur in [c.current] + alts if cur is not found[0]]
    reading = "、".join(f"「{x.subject}」{x.raw}" for x in others)
    return _with_current(c, money, found[0], lambda: _one_change_at(L, R, s, c, money, prev, list(guesses or []) + [
        f"增减也可能指{reading}，按其计算也不相符 / the change may be stated for {reading}; it does not fit that "
        "figure either"]))


def _outcome(L, s, c, cur, money, prev, guesses) -> str:
    """fits | differs | contradicts (a 0 said to have grown) | unjudged: the change judged against ``cur`` on a
    scratch recorder, the sentence's coverage left as it was."""
    if cur.value == 0 and c.delta and _sign(c.direction) > 0:
        return "contradicts"
    saved = copy.deepcopy(L.coverage.get(s.no))
    scratch = Recorder()
    _with_current(c, money, cur, lambda: _one_change_at(L, scratch, s, c, money, prev, guesses))
    if saved is None:
        L.coverage.pop(s.no, None)
    else:
        L.coverage[s.no] = saved
    if any(f.status in ("fail", "review") for f in scratch.items):
        return "differs"
    return "fits" if sum(scratch.evaluated.values()) else "unjudged"


_DESCRIPTION = re.compile(r"用于|主要(?:是|为|包括)|包括|具体")


def _described_between(between: str) -> bool:
    """"90.72 万元，用于开展气象产业统计调研…等工作，支撑构建较2025年年初预算增加29.23万元，增幅2.2%": a description
    (用于…) between a figure and the change after it — whose change it is, is not the sentence's own arithmetic."""
    return _DESCRIPTION.search(between) is not None or len(between) > 40


def _with_current(c, money, cur, run):
    """Run with ``cur`` as the change's (and its amount's) current figure, then put the figures back."""
    old = (c.current, money.current if money is not None else None)
    c.current = cur
    if money is not None:
        money.current = cur
    try:
        return run()
    finally:
        c.current = old[0]
        if money is not None:
            money.current = old[1]


def _one_change_at(L, R, s, c, money, prev, guesses: list[str] | None = None) -> int:
    cur = c.current
    from_tables = list(guesses or [])
    if cur is None:
        cur = _current_from_tables(L, s, money if c.delta_unit == "%" and money is not None else c)
        if cur is None:
            _why(L, s, "增减表述没有对应的本年数", "a change with no current figure")
            return 0
        from_tables = [f"本年数取自表格中的「{cur.subject}」{cur.raw} / the current figure is the tables' "
                       f"'{cur.subject}' {cur.raw}"]
    per = YUAN_PER_UNIT[cur.unit]
    sign = _sign(c.direction)
    current = cur.value
    guesses = (["基数取自同句中的上年数 / the base is the prior-year figure of the same sentence"]
               if c.base_from == "sentence" else []) + from_tables
    if c.base is None:
        if c.delta is None or c.direction == "持平":
            _why(L, s, "增减表述没有基数和增减额", "a change with neither base nor amount")
            return 0
        if c.delta_unit in YUAN_PER_UNIT:
            delta = c.delta * YUAN_PER_UNIT[c.delta_unit] / per
            if sign > 0 and current == 0 and delta > 0:
                # "0万元，比上年增加1421.25万元": a budget cannot rise to nothing
                _mark(L, s, R.add(Finding(
                    "N09", "fail", f"说明称{cur.raw}「{c.raw}」：本年为0，增减方向与数字矛盾",
                    f"the text says {cur.raw} and '{c.raw}': a figure of 0 cannot have increased",
                    expected=Decimal(0), actual=c.delta, unit=c.delta_unit, locations=[_loc(s)])))
                return 1
            if _against_prior(L, R, s, c, cur):
                return 1
            _why(L, s, "增减额没有基数，无法复算", "a change amount with no base to recompute from")
            return 0
        if c.delta_unit == "%" and money is not None and money.delta is not None:
            # current + change + percent, no base: base = current ∓ change
            mdelta = money.delta * YUAN_PER_UNIT[money.delta_unit] / per
            base = current - _sign(money.direction) * mdelta
            if base <= 0:
                _why(L, s, "由本年数和增减额推得的基数不为正", "the base implied by the figures is not positive")
                return 0
            hb = half_unit(printed_decimals(cur.value)) + half_unit(printed_decimals(money.delta)) * \
                YUAN_PER_UNIT[money.delta_unit] / per
            hd = half_unit(printed_decimals(money.delta)) * YUAN_PER_UNIT[money.delta_unit] / per
            # current − change is the sentence's own arithmetic when the current figure is its own or its item's
            own = any(cur is m for m in s.mentions) or "item" in (c.current_from, money.current_from)
            far = own and any(cur is m for m in s.mentions) and _described_between(s.text[cur.end:c.start])
            return _pct_check(L, R, s, c, sign * c.delta, _sign(money.direction) * mdelta, hd, base, hb, cur.unit,
                              prev, guesses + ([] if own and not from_tables and not far else
                                               ["基数未印出，由本年数减增减额推得 / the base is not printed: current − change"])
                              + (["增减与本年数之间隔着用途说明，所指的数按前一金额推断 / a description stands between "
                                  "the figure and the change; the change is taken to be that figure's"] if far else []),
                              derived=True)
        _why(L, s, "百分比没有基数或增减额", "a percentage with no base or change amount")
        return 0
    base = c.base * YUAN_PER_UNIT[c.base_unit or cur.unit] / per
    hc, hb = half_unit(printed_decimals(cur.value)), half_unit(printed_decimals(c.base)) * \
        YUAN_PER_UNIT[c.base_unit or cur.unit] / per
    if c.direction == "持平":
        R.passed("N03")
        if abs(current - base) > hc + hb:
            _mark(L, s, R.add(Finding(
                "N03", "fail", f"说明称「{c.raw}」持平，但 {fmt(current, cur.unit)} 与 {fmt(base, cur.unit)} 不同",
                f"the text says unchanged, but {current} and {base} differ",
                expected=base, actual=current, unit=cur.unit, locations=[_loc(s)], guesses=guesses)))
        else:
            _mark(L, s)
        return 1
    if c.delta is None:
        if (current - base) * sign < -(hc + hb):
            _mark(L, s, R.add(Finding(
                "N09", "fail", f"说明称「{c.raw}」，但由 {fmt(base, cur.unit)} 到 {fmt(current, cur.unit)} 方向相反",
                f"the text says '{c.raw}', but from {base} to {current} the change goes the other way",
                expected=current - base, actual=None, unit=cur.unit, locations=[_loc(s)], guesses=guesses)))
        else:
            _mark(L, s)
        return 1
    if c.delta_unit == "%":
        if re.search(r"(?:上年|年)\s*[\d,.]+\s*(?:亿元|万元|元)[，,]", c.raw):
            # "比上年1.43万元，增加0.68%": the figure may be the base or the change (a word left out)
            alt_base = current - sign * base
            lo, hi = (_interval_pct(sign * base, printed_decimals(c.base), alt_base, printed_decimals(c.base))
                      if alt_base > 0 else (None, None))
            hp = half_unit(printed_decimals(c.delta))
            if lo is not None and lo - hp <= sign * c.delta <= hi + hp:
                _why(L, s, "「比上年X万元」可读作基数或增减额，按增减额读时一致", "'比上年X万元' reads as base or change; as a change it agrees")
                return 0
            guesses = guesses + ["「比上年X万元」按基数读取 / '比上年X万元' read as the base"]
        return _pct_check(L, R, s, c, sign * c.delta, current - base, hc + hb, base, hb, cur.unit, prev, guesses)
    if c.delta_unit in YUAN_PER_UNIT:
        delta = c.delta * YUAN_PER_UNIT[c.delta_unit] / per
        hd = half_unit(printed_decimals(c.delta)) * YUAN_PER_UNIT[c.delta_unit] / per
        diff = current - base
        if diff != 0 and delta != 0 and (diff > 0) != (sign > 0) and abs(abs(diff) - delta) <= hc + hb + hd:
            _mark(L, s, R.add(Finding(
                "N09", "fail", f"说明称「{c.raw}」，但 {fmt(current, cur.unit)} − {fmt(base, cur.unit)} = "
                f"{fmt(diff, cur.unit)}：方向词与数字相反",
                f"the text says '{c.raw}', but {current} − {base} = {diff}: the direction word contradicts the sign",
                expected=diff, actual=sign * delta, unit=cur.unit, locations=[_loc(s)], guesses=guesses)))
            return 1
        f = R.compare("N03", diff * per, sign * delta * per, (hc + hb + hd) * per, cur.unit,
                      f"说明称「{c.raw}」，但 {fmt(current, cur.unit)} − {fmt(base, cur.unit)} 的差额不符"
                      + (_copied(prev, c, s)), f"the text says '{c.raw}', but {current} − {base} differs",
                      [_loc(s)], guesses=guesses)
        _mark(L, s, f)
        return 1
    _why(L, s, "增减单位无法复算（个百分点等）", "a change in units that cannot be recomputed (percentage points)")
    return 0


def _other_current(L, R, s, c, stated, base, h_base, unit, hp, guesses) -> bool:
    """"住房公积金（项）”350.35万元，…2023年当年预算执行数为348.52万元，2024年预算安排352.67万元，比2023年预算执行数增加
    0.53%": the sentence states this year's figure twice, differently, and the percentage follows from the other one
    ((350.35 − 348.52) ÷ 348.52 = 0.53%).  The wrong figure is the current one the change was read with, not the
    percentage: say so (review — which of the two is meant is a reading)."""
    cur = c.current
    if cur is None or base == 0:
        return False
    per = YUAN_PER_UNIT.get(unit) or YUAN_PER_UNIT[cur.unit]
    # earlier figures of the sentence, or the one figure of the sentence right before (the item's headline)
    before = [m for m in s.mentions if m is not cur and m.role == "amount" and m.start < cur.start]
    prev = next((x for x in L.statements if x.no == s.no - 1 and x.text == s.before), None)
    if prev is not None and len([m for m in prev.mentions if m.role == "amount"]) == 1:
        before += [m for m in prev.mentions if m.role == "amount"]
    for m in before:
        if not m.value:
            continue
        other = m.value * YUAN_PER_UNIT[m.unit] / per
        if other == base or other == cur.value * YUAN_PER_UNIT[cur.unit] / per:
            continue
        bounds = _change_pct_bounds(other - base, half_unit(printed_decimals(m.value)) + h_base, base, h_base)
        if bounds is None or not (bounds[0] - hp <= stated <= bounds[1] + hp):
            continue
        # the item's line in the tables prints the earlier figure: the tables, not a reading, say which is right
        code = L.__dict__.get("_item_of", {}).get(id(m))
        fact = _facts(L).item_code(code) if code else None
        printed = fact is not None and abs(fact.value_yuan - m.value * YUAN_PER_UNIT[m.unit]) <= \
            half_unit(printed_decimals(m.value)) * YUAN_PER_UNIT[m.unit] + to_yuan(half_unit(fact.decimals), fact.unit)
        _mark(L, s, R.add(Finding(
            "N01", "fail" if printed else "review",
            f"说明两处本年数不同：{m.raw}与{cur.raw}；「{c.raw}」按 {m.raw} 计算相符，{cur.raw}与之不一致"
            + (f"；表格中该项为 {fmt(fact.value_yuan / YUAN_PER_UNIT[m.unit], m.unit)}{m.unit}" if printed else ""),
            f"the text states this year's figure twice, {m.raw} and {cur.raw}; '{c.raw}' follows from {m.raw}, "
            f"so {cur.raw} is the figure that disagrees" + (f"; the tables print {m.raw} for the item" if printed else ""),
            expected=m.value, actual=cur.value, unit=cur.unit,
            locations=[_loc(s)] + ([_loc(prev)] if prev is not None and m in prev.mentions else [])
            + ([L.location(_surest_row(L, fact.rows))] if printed else []),
            # printed: the claim is the text's figure against the table's line, whatever the base was read from
            guesses=[] if printed else guesses + ["前一金额按本年数读取 / the earlier figure is read as this year's"])))
        return True
    return False


def _surest_row(L: Ledger, rows: pd.DataFrame):
    """Of the lines that print a figure (the same 项 in several tables), one whose page rests on no reading guess."""
    tables = {t.index: t for t in L.d.tables}
    for _, r in rows.iterrows():
        t = tables.get(r["table_index"])
        if t is not None and not t.guesses_at(None if pd.isna(r["page"]) else int(r["page"])):
            return r
    return rows.iloc[0]


def _pct_check(L, R, s, c, stated, diff, h_diff, base, h_base, unit, prev, guesses, derived: bool = False) -> int:
    """The stated percentage against diff ÷ base, with the rounding both printed figures carry."""
    hp = half_unit(printed_decimals(c.delta))
    bounds = _change_pct_bounds(diff, h_diff, base, h_base)
    if bounds is None:
        _why(L, s, "基数太小，百分比无法复算", "the base is too small to recompute the percentage")
        return 0
    lo, hi = bounds
    R.passed("N03")
    R.passed("N09")  # the direction word is weighed with the percentage
    if lo - hp <= stated <= hi + hp:
        _mark(L, s)
        return 1
    computed, at_zh, at_en = as_printed(diff / base * 100, stated)
    if _other_current(L, R, s, c, stated, base, h_base, unit, hp, guesses):
        return 1
    step = hp * 2
    cut = lambda v: (v / step).to_integral_value(ROUND_DOWN) * step  # noqa: E731 - toward zero, as a truncation
    if stated != 0 and (stated > 0) == (lo > 0) and (stated > 0) == (hi > 0) and cut(lo) <= stated <= cut(hi):
        # 1297.83 ÷ 8072.29 = 16.0776% printed "16.07%": cut, not rounded — a rounding difference, not an error
        _mark(L, s, R.add(Finding(
            "N03", "rounding", f"说明称「{c.raw}」，计算为 {computed}%{at_zh}（末位按截尾取舍，不是错误）",
            f"the text says '{c.raw}'; the figures give {computed}%{at_en} (the last digit cut, not rounded: not an error)",
            expected=computed, actual=stated, unit="%", tolerance=hp, locations=[_loc(s)])))
        return 1
    if computed != 0 and stated != 0 and (computed > 0) != (stated > 0) and abs(abs(computed) - abs(stated)) <= \
            (hi - lo) / 2 + hp:
        _mark(L, s, R.add(Finding(
            "N09", "fail", f"说明称「{c.raw}」，由 {fmt(base, unit)} 计算的变化为 {computed}%{at_zh}：方向词与数字相反",
            f"the text says '{c.raw}'; from {base} the change is {computed}%{at_en}: the direction word contradicts the sign",
            expected=computed, actual=stated, unit="%", tolerance=hp, locations=[_loc(s)], guesses=guesses)))
        return 1
    # a base the text does not print is said to be derived, not quoted as if it were published
    zh_from = (f"上年数未列，由本年数 {fmt(base + diff, unit)} 与增减额推得 {fmt(base, unit)}，变化为 {computed}%{at_zh}"
               if derived else f"由 {fmt(base, unit)} 到 {fmt(base + diff, unit)} 的变化为 {computed}%{at_zh}")
    en_from = (f"last year's figure is not printed: this year's {base + diff} less the change gives {base}, a change "
               f"of {computed}%{at_en}" if derived else f"from {base} to {base + diff} the change is {computed}%{at_en}")
    _mark(L, s, R.add(Finding(
        "N03", "fail",
        f"说明称「{c.raw}」，{zh_from}" + _copied(prev, c, s),
        f"the text says '{c.raw}'; {en_from}",
        expected=computed, actual=stated, unit="%", tolerance=hp, locations=[_loc(s)], guesses=guesses)))
    return 1


_CMP_YEAR = re.compile(r"(?:比|较|与)\s*(\d{4})\s*年(?:度)?\s*(?P<what>年初预算|预算|执行|决算)?")


def _years(L: Ledger, R: Recorder, year: int) -> None:
    """N04: compared with a year other than the previous one — or with its own year's figures where those
    cannot be meant: a budget with its own year's budget or outturn (比2026年执行数, not yet known), a final
    account with its own year's outturn (a final account may compare with its own year's budget)."""
    stage = L.d.meta.get("stage")
    # "比上年", "与上年相比": the previous year by construction — compared, and right
    implicit = sum(1 for s in L.statements for c in s.changes if c.year is None)
    if implicit:
        R.evaluated["N04"] += implicit
    for s in L.statements:
        for m in _CMP_YEAR.finditer(s.text):
            y = int(m.group(1))
            R.evaluated["N04"] += 1
            what = m.group("what") or ""
            own = y == year and (stage == "预算" and what != "" or stage == "决算" and what in ("执行", "决算"))
            if y in (year - 1, year) and not own:
                continue
            expected = year - 1
            zh = (f"{year}年{stage}与{y}年{what}比较（应与{year - 1}年比较）" if own
                  else f"{year}年的说明与{y}年比较（应为{year - 1}年）")
            _mark(L, s, R.add(Finding("N04", "fail", zh,
                                      f"the {year} text compares with {y} (expected {year - 1})",
                                      expected=Decimal(expected), actual=Decimal(y),
                                      locations=[_loc(s, s.text[max(0, m.start() - 30): m.end() + 30])])))
    if not R.evaluated.get("N04"):
        R.not_evaluated("N04", "说明没有与上年比较的表述", "the text states no comparison with a previous year")


def consistent_bases(L: Ledger, R: Recorder) -> None:
    """N07: statements about the same current figure must agree on base year and base amount (read from the
    sentences directly: a frame of the changes would copy each sentence's text once per change)."""
    groups: dict = {}
    for s in L.statements:
        for c in s.changes:
            cur = c.current
            if cur is None or cur.value == 0 or c.base_from == "sentence":
                continue
            g = groups.setdefault(cur.value, {"unit": cur.unit, "by_quote": {}})
            g["by_quote"].setdefault(s.text, (s, c))  # the first statement of each sentence
    if not groups:
        R.not_evaluated("N07", "说明中没有与上年比较的表述", "the text states no comparison with a previous year")
        return
    where = lambda s: {"section": s.section, "page": s.page, "quote": s.text}  # noqa: E731
    for current, g in groups.items():
        stated = list(g["by_quote"].values())
        if len(stated) < 2:
            continue
        R.evaluated["N07"] += 1
        unit = g["unit"]
        years = sorted({int(c.year) for _, c in stated if c.year is not None})
        if len(years) > 1:
            R.add(Finding("N07", "fail",
                          f"同一本年数 {fmt(current, unit)}{unit} 的比较年份前后不一：{'、'.join(map(str, years))}年",
                          f"the same current figure {current} is compared with different years: {years}",
                          locations=[where(s) for s, _ in stated]))
        bases = sorted({c.base for _, c in stated if c.base is not None})
        if len(bases) > 1:
            R.add(Finding("N07", "fail",
                          f"同一本年数 {fmt(current, unit)}{unit} 的上年基数前后不一：" + "、".join(fmt(b, unit) for b in bases),
                          f"the same current figure {current} is compared with different bases: "
                          + ", ".join(str(b) for b in bases),
                          locations=[where(s) for s, c in stated if c.base is not None]))


_BASE_WORD = re.compile(r"执行|决算|预算")
