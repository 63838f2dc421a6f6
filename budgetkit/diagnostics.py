"""Coverage diagnostics: did every printed amount land in ``.amounts``?

Independent of the parser's own decisions, this counts the formatted amount
tokens (with a thousands separator or a decimal point) that pdfplumber finds
inside its table regions, page by page.
"""
from __future__ import annotations

from collections import Counter

import pdfplumber

from budgetkit.money import looks_like_amount


def _formatted(token: str) -> bool:
    return looks_like_amount(token) and ("," in token or "." in token)


def table_region_tokens(path) -> Counter:
    """Counter of (page, token) for formatted amounts inside table regions."""
    found: Counter = Counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            try:
                if not (page.rects or page.lines or page.curves):
                    continue
                boxes = [t.bbox for t in page.find_tables()]
                for w in page.extract_words():
                    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
                    if any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes) and _formatted(w["text"]):
                        found[(page.page_number, w["text"])] += 1
            finally:
                page.close()
    return found


def placed_share(disclosure, path) -> tuple[int, int, Counter]:
    """(tokens placed, tokens found, missing) for one PDF of a disclosure."""
    from pathlib import Path

    name = Path(path).name
    tokens = table_region_tokens(path)
    a = disclosure.amounts
    a = a[a["file"] == name]
    placed: Counter = Counter()
    for page, raw in zip(a["page"], a["raw"]):
        placed[(int(page), "".join(str(raw).split()))] += 1
    missing = tokens - placed
    total = sum(tokens.values())
    return total - sum(missing.values()), total, missing
