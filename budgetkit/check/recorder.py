"""Compare two exact figures under a tolerance; record a finding when they differ."""
from __future__ import annotations

from collections import Counter
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Decimal, localcontext

from budgetkit.check.findings import Finding
from budgetkit.money import to_yuan


def fmt(v: Decimal, unit: str) -> str:
    """A figure in a message: 万元 with two decimals, 元 with none unless printed.

    Any size of number is formatted exactly (the context's precision grows
    with the number); a value that is not a finite number is shown as given.
    """
    try:
        v = Decimal(v)
    except (TypeError, ValueError, ArithmeticError):
        return str(v)
    if not v.is_finite():
        return str(v)
    with localcontext() as ctx:
        ctx.prec = max(28, v.adjusted() + 8)
        ctx.Emax, ctx.Emin = MAX_EMAX, MIN_EMIN
        q = v.quantize(Decimal("0.01"), ROUND_HALF_UP)
        if unit == "万元":
            return f"{q:,}"
        return f"{q:,.0f}" if q == q.to_integral_value() else f"{q:,}"


class Recorder:
    def __init__(self):
        self.items: list[Finding] = []
        self.evaluated: Counter = Counter()

    def compare(self, rule: str, expected_yuan: Decimal, actual_yuan: Decimal, tol_yuan: Decimal, unit: str,
                zh: str, en: str, locations: list[dict], guesses: list[str] | None = None) -> Finding | None:
        """Record a finding unless the two figures are equal.

        Messages state both figures in ``unit``; ``zh``/``en`` describe what
        was compared.  Within tolerance it is rounding (info), not an error.
        ``guesses`` names reading guesses the figures rest on: a difference is then ``review``.
        """
        self.evaluated[rule] += 1
        diff = actual_yuan - expected_yuan
        if diff == 0:
            return None
        per = to_yuan(Decimal(1), unit)
        e, a, t = expected_yuan / per, actual_yuan / per, tol_yuan / per
        status = "rounding" if abs(diff) <= tol_yuan else "fail"
        d = a - e
        zh_msg = f"{zh}：应为 {fmt(e, unit)}，实为 {fmt(a, unit)}，相差 {fmt(d, unit)} {unit}"
        en_msg = f"{en}: expected {fmt(e, unit)}, found {fmt(a, unit)}, difference {fmt(d, unit)} {unit}"
        if status == "rounding":
            # neither figure is wrong: no 应为/实为, which reads as if the printed one were (a new user's trial)
            zh_msg = (f"{zh}：{fmt(e, unit)} 与 {fmt(a, unit)} 相差 {fmt(d, unit)} {unit}，"
                      f"在舍入容差 ±{t.normalize():f} 内，属舍入差异，不是错误")
            en_msg = (f"{en}: {fmt(e, unit)} and {fmt(a, unit)} differ by {fmt(d, unit)} {unit}, within the rounding "
                      f"tolerance ±{t.normalize():f} — a rounding difference, not an error")
        f = Finding(rule, status, zh_msg, en_msg, expected=e, actual=a, unit=unit, tolerance=t, locations=locations,
                    guesses=list(guesses or []) if status == "fail" else [])
        self.items.append(f)
        return f

    def add(self, finding: Finding) -> Finding:
        self.evaluated[finding.rule] += 1
        self.items.append(finding)
        return finding

    def passed(self, rule: str, n: int = 1) -> None:
        self.evaluated[rule] += n

    def not_evaluated(self, rule: str, reason_zh: str, reason_en: str) -> None:
        self.items.append(Finding(rule, "not_evaluated", f"未评估：{reason_zh}", f"not evaluated: {reason_en}"))
