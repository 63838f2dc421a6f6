"""Every prior-year figure a narrative states, with the current figure it is
compared with — and the checks that need only one disclosure (N07)."""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger
from budgetkit.check.recorder import Recorder, fmt
from budgetkit.check.statements import read_statements

COLUMNS = ["subject", "current", "current_unit", "base_year", "base", "base_unit", "direction", "delta",
           "delta_unit", "recomputed_delta", "recomputed_pct", "quote", "section", "page", "file"]


def stated_changes(d, sentences: list | None = None) -> pd.DataFrame:
    """One row per 比上年/较20xx年 statement: what is compared with what.

    ``sentences``: the narrative already read (``Ledger.statements``), to avoid reading it twice.
    """
    rows = []
    if d.narrative.empty:
        return pd.DataFrame(columns=COLUMNS)
    for s in sentences if sentences is not None else read_statements(d.narrative):
        for c in s.changes:
            cur = c.current
            base = c.base
            rd = rp = None
            if cur is not None and base is not None:
                b = base * _scale(c.base_unit or cur.unit, cur.unit)
                rd = cur.value - b
                rp = None if b == 0 else (rd / b * 100).quantize(Decimal("0.01"))
            rows.append({
                "subject": cur.subject if cur else None, "current": cur.value if cur else None,
                "current_unit": cur.unit if cur else None, "base_year": c.year, "base": base,
                "base_unit": c.base_unit or (cur.unit if cur else None), "direction": c.direction, "delta": c.delta,
                "delta_unit": c.delta_unit, "recomputed_delta": rd, "recomputed_pct": rp, "quote": s.text,
                "section": s.section, "page": s.page, "file": s.file,
            })
    return pd.DataFrame(rows, columns=COLUMNS)


def _scale(frm: str, to: str) -> Decimal:
    from budgetkit.money import YUAN_PER_UNIT

    return YUAN_PER_UNIT[frm] / YUAN_PER_UNIT[to]


def consistent_bases(L: Ledger, R: Recorder) -> None:
    """N07: statements about the same current figure must agree on base year and base amount."""
    sc = stated_changes(L.d, L.statements)
    sc = sc[sc["current"].notna() & (sc["current"] != 0)]
    if sc.empty:
        R.not_evaluated("N07", "说明中没有与上年比较的表述", "the text states no comparison with a previous year")
        return
    seen: set = set()
    for current, g in sc.groupby("current", sort=False):
        g = g.drop_duplicates("quote")
        if len(g) < 2:
            continue
        R.evaluated["N07"] += 1
        unit = g["current_unit"].iloc[0]
        years = sorted({int(y) for y in g["base_year"].dropna()})
        if len(years) > 1 and ("year", current) not in seen:
            seen.add(("year", current))
            R.add(Finding("N07", "fail",
                          f"同一本年数 {fmt(current, unit)}{unit} 的比较年份前后不一：{'、'.join(map(str, years))}年",
                          f"the same current figure {current} is compared with different years: {years}",
                          locations=[{"section": r["section"], "page": r["page"], "quote": r["quote"]}
                                     for _, r in g.iterrows()]))
        bases = sorted({b for b in g["base"].dropna()})
        if len(bases) > 1 and ("base", current) not in seen:
            seen.add(("base", current))
            R.add(Finding("N07", "fail",
                          f"同一本年数 {fmt(current, unit)}{unit} 的上年基数前后不一：" + "、".join(fmt(b, unit) for b in bases),
                          f"the same current figure {current} is compared with different bases: "
                          + ", ".join(str(b) for b in bases),
                          locations=[{"section": r["section"], "page": r["page"], "quote": r["quote"]}
                                     for _, r in g.iterrows() if not pd.isna(r["base"])]))
