"""A computed percentage shown at the precision the text prints its own: 61.845% against a printed 61.9% is
“应为 61.8%”, not 61.85% — one decimal more than the text prints reads as a correction of a digit it never gave."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from budgetkit.money import printed_decimals

_ZH = {0: "整数", 1: "一位小数", 2: "两位小数", 3: "三位小数"}
_EN = {0: "whole number", 1: "one decimal", 2: "two decimals", 3: "three decimals"}


def as_printed(exact: Decimal, stated: Decimal) -> tuple[Decimal, str, str]:
    """``exact`` rounded (half up) to the decimals of ``stated``, with the note saying so in Chinese and English."""
    d = printed_decimals(stated)
    value = exact.quantize(Decimal(1).scaleb(-d), ROUND_HALF_UP)
    return value, f"（按所印{_ZH.get(d, f'{d}位小数')}）", f" (at the printed {_EN.get(d, f'{d} decimals')})"
