"""Exact money: printed text → Decimal, with the printed unit kept beside it.

Amounts are never floats.  A printed ``1,149.80`` in a 万元 table is
``Decimal('1149.80')`` 万元 and ``Decimal('11498000.00')`` 元.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import pyarrow as pa
import pandas as pd

YUAN_PER_UNIT = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}

#: the exact decimal type every amount column uses
DECIMAL_TYPE = pa.decimal128(28, 6)
DECIMAL_DTYPE = pd.ArrowDtype(DECIMAL_TYPE)

_AMOUNT = re.compile(
    r"^[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$"
)
# a negative printed in parentheses, accounting style: ``(729.79)``, ``（1,234）``;
# an integer needs five digits or more so that a numbering ``(1)`` or a year ``(2023)`` is not read
_PAREN = re.compile(r"^\((\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{5,})\)$")
_UNIT_SUFFIX = re.compile(r"(亿元|万元|元)$")
_PLACEHOLDER = {"-", "—", "——", "－", "/", "／", "…", "--"}

#: the decimal type holds 28 digits with 6 decimals; an amount in 亿元 is 10⁸ times larger in 元
MAX_INTEGER_DIGITS = 14
MAX_DECIMALS = 6

# full-width digits, point, comma, signs and parentheses → their ASCII forms
_WIDE = str.maketrans("０１２３４５６７８９．，－＋（）−﹣", "0123456789.,-+()--")


def squeeze(text: str | None) -> str:
    """Remove every whitespace character (wrapped cells, padded numbers)."""
    if text is None:
        return ""
    return re.sub(r"\s+", "", str(text))


def _normal(text) -> tuple[str, str | None, bool]:
    """(number text, unit suffix, parenthesised) of a printed cell in ASCII form."""
    t = squeeze(text).translate(_WIDE)
    unit = None
    m = _UNIT_SUFFIX.search(t)
    if m and len(t) > len(m.group(1)):
        unit = m.group(1)
        t = t[: m.start()]
    paren = False
    pm = _PAREN.match(t)
    if pm:
        t, paren = pm.group(1), True
    return t, unit, paren


def looks_like_amount(text: str | None) -> bool:
    """True when the printed text is a number in money format.

    Accepted beside ``1,149.80``: full-width digits and points (``７２９．７９``), a sign,
    a negative in parentheses (``(729.79)``), a ``万元``/``元`` suffix and spaces inside.
    Numbers too long for an exact amount still *look* like amounts (so that they
    go to the residue with a reason, see :func:`amount_problem`).
    """
    t, _, _ = _normal(text)
    return bool(t) and bool(_AMOUNT.match(t))


def is_decimal_figure(text: str | None) -> bool:
    """An amount printed with a decimal point or thousands separator, in any width
    (``1,149.80``, ``729．79``, ``(1,234)``): a figure, not a code, year or ordinal."""
    t, _, _ = _normal(text)
    return bool(t) and bool(_AMOUNT.match(t)) and ("," in t or "." in t)


def is_placeholder(text: str | None) -> bool:
    return squeeze(text) in _PLACEHOLDER


def cell_unit(text: str | None) -> str | None:
    """The unit printed inside an amount cell (``1,149.80万元`` → ``万元``), else None."""
    t, unit, _ = _normal(text)
    return unit if unit and _AMOUNT.match(t) else None


def amount_problem(text: str | None, unit: str | None = None) -> str | None:
    """Why a cell that looks like a number is not an exact amount (bilingual), or None if it is one."""
    t, cu, _ = _normal(text)
    if not t or not _AMOUNT.match(t):
        if is_placeholder(text):
            return "占位符，不是金额 / placeholder, not an amount"
        return "无法解析为金额 / not a parseable amount"
    if unit and cu and cu != unit:
        return f"单元格单位{cu}与表格单位{unit}不同 / the cell's unit {cu} differs from the table's {unit}"
    whole, _, frac = t.lstrip("+-−").replace(",", "").partition(".")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS:
        return (f"数字超过{MAX_INTEGER_DIGITS}位整数，超出精确金额范围 / "
                f"more than {MAX_INTEGER_DIGITS} integer digits: beyond the exact amount range")
    if len(frac) > MAX_DECIMALS:
        return (f"小数超过{MAX_DECIMALS}位，超出精确金额范围 / "
                f"more than {MAX_DECIMALS} decimals: beyond the exact amount range")
    return None


def parse_amount(text: str | None, unit: str | None = None) -> Decimal | None:
    """Printed amount → exact Decimal, or None if it is not an amount.

    Thousands separators and whitespace from wrapped cells are removed;
    the number of printed decimals is kept (``'1.50'`` → ``Decimal('1.50')``).
    ``(729.79)`` is −729.79; full-width digits are read; a ``万元``/``元``
    suffix is dropped (when ``unit`` is given and the suffix differs, None).
    Numbers beyond the exact range (more than 14 integer digits or 6
    decimals) are None; :func:`amount_problem` says why.
    """
    if amount_problem(text, unit) is not None:
        return None
    t, _, paren = _normal(text)
    try:
        value = Decimal(t.replace(",", "").replace("−", "-"))
    except InvalidOperation:  # pragma: no cover - the regex guards this
        return None
    return -value if paren else value


def printed_decimals(value: Decimal) -> int:
    """How many decimals were printed: the precision a tolerance comes from."""
    exp = value.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def to_yuan(amount: Decimal, unit: str) -> Decimal:
    """Convert explicitly to 元; an unknown unit is an error, not a guess."""
    try:
        return amount * YUAN_PER_UNIT[unit]
    except KeyError:
        raise ValueError(f"未知金额单位 / unknown amount unit: {unit!r}") from None


def convert(amount: Decimal, from_unit: str, to_unit: str) -> Decimal:
    return to_yuan(amount, from_unit) / YUAN_PER_UNIT[to_unit]


_U = r"(?:人民币)?\s*(亿\s*元|万\s*元|元)"
# 单位：万元, 单位:元, 单位 万元 (the colon lost to another line), 单位：人民币万元, 万 元 with a gap
_UNIT_RE = re.compile(rf"(?:金额)?单位\s*[:：]?\s*{_U}(?![\u4e00-\u9fff])")
_UNIT_RE2 = re.compile(rf"[（(]\s*(?:单位\s*[:：]?\s*)?{_U}\s*[)）]")


def find_unit(text: str) -> str | None:
    """The amount unit a caption prints (``金额单位：万元``, ``单位:元``, ``（万元）``)."""
    m = _UNIT_RE.search(text) or _UNIT_RE2.search(text)
    if m:
        return re.sub(r"\s+", "", m.group(1))
    m = re.search(r"金额\s*[:：]\s*(亿元|万元|元)", text)
    return m.group(1) if m else None


class AmountRangeError(ValueError):
    """A value that the exact decimal type cannot hold without losing digits."""


def _fits(v) -> bool:
    t = v.as_tuple()
    if not isinstance(t.exponent, int):  # NaN, Infinity
        return False
    scale = -t.exponent if t.exponent < 0 else 0
    digits = len(t.digits) + (t.exponent if t.exponent > 0 else 0)
    return scale <= 6 and digits - scale <= 22


def decimal_series(values, index=None) -> pd.Series:
    """A pandas Series of exact decimals (pyarrow decimal128(28, 6)).

    Trailing zeros beyond six decimals are dropped exactly; a value that
    would lose digits raises :class:`AmountRangeError` (``parse_amount``
    never returns one, so amounts read from documents always fit).
    """
    clean = []
    for v in values:
        if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
            clean.append(None)
            continue
        if isinstance(v, Decimal):
            if not _fits(v):
                n = v.normalize() if v.is_finite() else v
                if not (n.is_finite() and _fits(n)):
                    raise AmountRangeError(f"金额超出精确范围 / amount beyond the exact range: {v}")
                v = n
        clean.append(v)
    arr = pa.array(clean, type=DECIMAL_TYPE)
    return pd.Series(arr, index=index, dtype=DECIMAL_DTYPE)
