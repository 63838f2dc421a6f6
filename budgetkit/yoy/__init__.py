"""Year-over-year: the changes a disclosure states, and panels across years.

``budgetkit.compare([d2024, d2025])`` aligns lines by table kind and code (or
label), gives each year's change, and checks each year's "比上年…" statements
against what the previous year actually published.
"""
from budgetkit.yoy.panel import Panel, compare
from budgetkit.yoy.statements import stated_changes

__all__ = ["compare", "Panel", "stated_changes"]
