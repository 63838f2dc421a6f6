"""Run every rule family over a disclosure and collect findings."""
from __future__ import annotations

from budgetkit.check import between, completeness, narrative, targets, within
from budgetkit.check.findings import Finding, Findings
from budgetkit.check.ledger import Ledger
from budgetkit.check.recorder import Recorder


def check(disclosure, expected_weight_total=None) -> Findings:
    """All findings for one disclosure: within, between, narrative, performance, completeness.

    ``expected_weight_total``: the indicator-weight total a project should reach
    (conventions differ: 100, or 90 with 10 kept for 预算执行率); ``None``
    reports each project's sum without judging it.
    """
    from decimal import Decimal

    L = Ledger(disclosure)
    R = Recorder()
    for rule in within.RULES + between.RULES + narrative.RULES + completeness.RULES:
        rule(L, R)
    from budgetkit.yoy.statements import consistent_bases

    consistent_bases(L, R)
    targets.review(L, R, None if expected_weight_total is None else Decimal(str(expected_weight_total)))
    from budgetkit.check.confidence import rest_on_guesses

    rest_on_guesses(disclosure, R.items)
    return Findings(R.items, disclosure.meta, dict(R.evaluated))


__all__ = ["check", "Finding", "Findings"]
