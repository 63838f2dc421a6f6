"""Run every rule family over a disclosure and collect findings."""
from __future__ import annotations

import re

from budgetkit.check import between, completeness, narrative, targets, units, within
from budgetkit.check.findings import Finding, Findings, rule_table
from budgetkit.check.ledger import Ledger
from budgetkit.check.recorder import Recorder


def check(disclosure, expected_weight_total=None) -> Findings:
    """All findings for one disclosure: within, between, narrative, performance, completeness.

    Raises :class:`budgetkit.BadInputError` for a disclosure with no table (as the command line does).
    ``expected_weight_total``: the indicator-weight total a project should reach
    (conventions differ: 100, or 90 with 10 kept for 预算执行率); ``None``
    reports each project's sum without judging it.
    """
    from decimal import Decimal

    from budgetkit.errors import nothing_checked_error

    problem = unreadable(disclosure)
    if problem is not None:
        raise problem
    names = problem_where(disclosure)
    L = Ledger(disclosure)
    R = Recorder()
    for rule in within.RULES + units.RULES + between.RULES + narrative.RULES + completeness.RULES:
        rule(L, R)
    if disclosure.meta.get("stage") == "决算":  # a 决算's own identities: 总计 balances, fund subsets are ≤
        from budgetkit.execution import final_rules

        R.items += final_rules.check(disclosure, R.evaluated, say_not_evaluated=True)
    targets.review(L, R, None if expected_weight_total is None else Decimal(str(expected_weight_total)))
    if len(disclosure.amounts) and not any(n for rule, n in R.evaluated.items() if _compares_figures(rule)):
        # amounts were read and nothing compared them (a performance-target form is judged by its own rules)
        raise nothing_checked_error(names, _not_evaluated(R.items))
    from budgetkit.check.confidence import rest_on_guesses

    rest_on_guesses(disclosure, R.items)
    F = Findings(R.items, disclosure.meta, dict(R.evaluated))
    F.statement_coverage = statement_coverage(L)
    F.facts = narrative._facts(L).named  # the headline figures the rules read (the store keeps them)
    return F


#: the rule families that compare figures, less their rules that compare words (the year a text compares with,
#: class names, retired names): a check in which none of these (nor a performance-target rule) ran has compared
#: none of the amounts it read
RECONCILING = ("within", "between", "narrative", "execution")
_WORDS_ONLY = {"N04", "N06", "N10"}


def _compares_figures(rule: str) -> bool:
    return rule not in _WORDS_ONLY and rule_table().get(rule, {}).get("family") in RECONCILING + ("performance",)


def problem_where(disclosure) -> str:
    """The files a refusal names: the disclosure's sources, else its id."""
    return ", ".join(s["file"] for s in disclosure.meta.get("sources", [])) or disclosure.doc_id


def unreadable(disclosure, where: str | None = None):
    """Why a disclosure cannot be checked at all, before any rule runs — no table recognised, or figures printed
    and none read as an amount — as the ``BadInputError`` that says so; None when it can be. One refusal for
    ``check``, ``parse`` and ``compare``."""
    from budgetkit.errors import no_amounts_error, no_tables_error

    where = where or problem_where(disclosure)
    if disclosure.meta.get("no_tables"):
        return no_tables_error(where, disclosure.meta.get("names_absent_tables", False))
    if unread_figures(disclosure):
        return no_amounts_error(where, residue_reasons(disclosure))
    return None


_LABEL_COLUMN = "数字位于标签列"


def unread_figures(disclosure) -> bool:
    """True when the tables print figures in their amount columns and not one was read as an amount (no unit
    printed anywhere, every figure malformed). Tables that print no figure there (empty tables, target forms)
    are the completeness and target rules' to judge."""
    from budgetkit.recognise.rows import repaired_figure

    r = disclosure.residue
    if len(disclosure.amounts) or r is None or not len(r):
        return False
    # a malformed figure (1,149.8O) in a column it made look like names counts; a target form's 100 does not
    return any(not str(reason).startswith(_LABEL_COLUMN) or repaired_figure(raw)
               for reason, raw in zip(r["reason"], r["raw"] if "raw" in r else [""] * len(r)))


def residue_reasons(disclosure) -> dict:
    """Residue reason → cells."""
    r = disclosure.residue
    return {} if r is None or not len(r) else {str(k): int(v) for k, v in r["reason"].value_counts().items()}


def _not_evaluated(items) -> list[tuple[str, str]]:
    """Why the figure-comparing rules were not evaluated: (Chinese, English), each once."""
    out: list[tuple[str, str]] = []
    for f in items:
        if f.status == "not_evaluated" and _compares_figures(f.rule):
            why = (f"{f.rule} {f.message.removeprefix('未评估：')}", f"{f.rule} {f.message_en.removeprefix('not evaluated: ')}")
            if why not in out:
                out.append(why)
    return out


_CJK = re.compile(r"[\u4e00-\u9fff]")
_LEGEND = re.compile(r"^[^，,。；;：:、\d]{2,20}\s*\d+(?:\.\d+)?\s*[%％]$")


def statement_coverage(L: Ledger) -> dict:
    """Every narrative sentence that states an amount or a percentage: checked and passed, checked and
    found wrong, or not checked with the reason.  ``coverage`` = checked ÷ stated.  Sentences whose
    only figures are limits (设备完好率≥96%, 不得高于12%) state a rule or a target: counted apart (``limits_only``)."""
    passed = failed = review = 0
    reasons: dict = {}
    unchecked = []
    bounds = 0
    # pages whose text layer carries a chart's labels (a bare "16.84%"): a name and a percentage with no sentence
    # around them there is a legend entry, whose number may sit beside another name
    charts = {(s.page, s.file) for s in L.statements if s.percents and len(_CJK.findall(s.text)) < 2}
    for s in L.statements:
        if not (any(m.role != "threshold" for m in s.mentions) or any(p[1] not in s.bounds for p in s.percents)):
            bounds += bool(s.percents)  # only limits (≥96%, 不得高于12%): a rule or a target, nothing to recompute
            continue
        if len(_CJK.findall(s.text)) < 2 or (s.page, s.file) in charts and _LEGEND.match(s.text):
            continue  # "16.84%" alone, "使用非财政拨款结余9.02%": a chart's labels carried by the text layer
        c = L.coverage.get(s.no)
        found = (c or {}).get("found", [])
        if c and (c["failed"] > len(found) or any(f.status == "fail" for f in found)):
            failed += 1
        elif c and c["failed"]:
            review += 1  # every finding on the sentence rests on a reading guess: to review, not failed
        elif c and c["passed"]:
            passed += 1
        else:
            why = c["reasons"][0] if c and c["reasons"] else ("没有规则读到这句的数字", "no rule reads this sentence's figures")
            reasons[why] = reasons.get(why, 0) + 1
            unchecked.append({"page": s.page, "file": s.file, "quote": s.text, "reason": why[0], "reason_en": why[1]})
    total = passed + failed + review + len(unchecked)
    return {"stated": total, "passed": passed, "failed": failed, "review": review, "not_checked": len(unchecked),
            "coverage": (passed + failed + review) / total if total else None,
            "limits_only": bounds,
            "reasons": [{"reason": zh, "reason_en": en, "sentences": n}
                        for (zh, en), n in sorted(reasons.items(), key=lambda kv: -kv[1])],
            "unchecked": unchecked}


__all__ = ["check", "Finding", "Findings"]
