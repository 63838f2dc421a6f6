"""Run every rule family over a disclosure and collect findings."""
from __future__ import annotations

from budgetkit.check import between, completeness, narrative, within
from budgetkit.check.findings import Finding, Findings
from budgetkit.check.ledger import Ledger
from budgetkit.check.recorder import Recorder


def check(disclosure) -> Findings:
    """All findings for one disclosure: within, between, narrative, completeness."""
    L = Ledger(disclosure)
    R = Recorder()
    for rule in within.RULES + between.RULES + narrative.RULES + completeness.RULES:
        rule(L, R)
    return Findings(R.items, disclosure.meta, dict(R.evaluated))


__all__ = ["check", "Finding", "Findings"]
