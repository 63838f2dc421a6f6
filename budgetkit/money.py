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
    r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$"
)
_PLACEHOLDER = {"-", "—", "——", "－", "/", "／", "…", "--"}


def squeeze(text: str | None) -> str:
    """Remove every whitespace character (wrapped cells, padded numbers)."""
    if text is None:
        return ""
    return re.sub(r"\s+", "", text)


def looks_like_amount(text: str | None) -> bool:
    """True when the printed text is a number in money format."""
    t = squeeze(text)
    return bool(t) and bool(_AMOUNT.match(t))


def is_placeholder(text: str | None) -> bool:
    return squeeze(text) in _PLACEHOLDER


def parse_amount(text: str | None) -> Decimal | None:
    """Printed amount → exact Decimal, or None if it is not an amount.

    Thousands separators and whitespace from wrapped cells are removed;
    the number of printed decimals is kept (``'1.50'`` → ``Decimal('1.50')``).
    """
    t = squeeze(text).replace("−", "-")
    if not t or not _AMOUNT.match(t):
        return None
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex guards this
        return None


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


_UNIT_RE = re.compile(r"(?:金额)?单位\s*[:：]\s*(亿元|万元|元)")
_UNIT_RE2 = re.compile(r"[（(]\s*(?:单位\s*[:：]?\s*)?(亿元|万元|元)\s*[)）]")


def find_unit(text: str) -> str | None:
    """The amount unit a caption prints (``金额单位：万元``, ``单位:元``, ``（万元）``)."""
    m = _UNIT_RE.search(text) or _UNIT_RE2.search(text)
    if m:
        return m.group(1)
    m = re.search(r"金额\s*[:：]\s*(亿元|万元|元)", text)
    return m.group(1) if m else None


def decimal_series(values, index=None) -> pd.Series:
    """A pandas Series of exact decimals (pyarrow decimal128)."""
    clean = [None if v is None or (isinstance(v, float) and v != v) else v for v in values]  # NaN → missing
    arr = pa.array(clean, type=DECIMAL_TYPE)
    return pd.Series(arr, index=index, dtype=DECIMAL_DTYPE)
