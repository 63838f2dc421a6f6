"""Statement coverage: each sentence checked-passed, checked-failed or not checked with a reason; and the
location of a sentence in a finding.
"""
from __future__ import annotations

from budgetkit.check.ledger import Ledger
from budgetkit.check.statements import Sentence


def _mark(L: Ledger, s: Sentence, finding=None, ok: bool | None = None) -> None:
    """Statement coverage: each sentence is checked-passed, checked-failed or not checked with a reason."""
    c = L.coverage.setdefault(s.no, {"passed": 0, "failed": 0, "reasons": []})
    bad = ok is False or (finding is not None and finding.status in ("fail", "review"))
    c["failed" if bad else "passed"] += 1
    if bad and ok is not False:  # kept, so that a sentence whose findings are all to review is not counted failed
        c.setdefault("found", []).append(finding)


def _why(L: Ledger, s: Sentence, zh: str, en: str) -> None:
    c = L.coverage.setdefault(s.no, {"passed": 0, "failed": 0, "reasons": []})
    if (zh, en) not in c["reasons"]:
        c["reasons"].append((zh, en))


def _loc(s: Sentence, quote: str | None = None) -> dict:
    return {"section": s.section, "page": s.page, "quote": quote or s.text, "file": s.file}
