"""Stage 4 — check: reconcile a disclosure within tables, between tables, and
against its narrative.  Rule definitions live in ``reference/rules.csv``; the
functions here only evaluate them.  ``budgetkit.check(d)`` is the entry point.
"""
from budgetkit.check.engine import Finding, Findings, check

__all__ = ["check", "Finding", "Findings"]
