"""Every prior-year figure a narrative states, with the current figure it is compared with.

Reading lives in :mod:`budgetkit.tidy.statements`; the rule that compares a year's stated bases
(N07) lives in :mod:`budgetkit.check.narrative`.  The dependency runs one way: yoy imports check
and tidy, never the reverse.
"""
from budgetkit.check.narrative import consistent_bases  # noqa: F401  (kept for old imports)
from budgetkit.tidy.statements import CHANGE_COLUMNS as COLUMNS  # noqa: F401
from budgetkit.tidy.statements import stated_changes

__all__ = ["stated_changes", "consistent_bases", "COLUMNS"]
