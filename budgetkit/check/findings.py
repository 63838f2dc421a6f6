"""Findings: what a rule found, with numbers as exact decimals and evidence."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

import pandas as pd

from budgetkit.reference import load_csv

FAMILY_NAMES = {
    "within": ("表内", "within a table"),
    "between": ("表间", "between tables"),
    "narrative": ("表文", "text against tables"),
    "performance": ("绩效目标", "performance targets"),
    "yoy": ("跨年", "year over year"),
    "completeness": ("完整性", "completeness"),
    "execution": ("预算执行", "budget execution"),
}
STATUS_NAMES = {"fail": ("不一致", "fail"), "rounding": ("舍入差异", "rounding"),
                "review": ("待核对", "review"),
                "not_evaluated": ("未评估", "not evaluated"), "note": ("说明", "note")}
# A finding whose reading rests on a structural guess (a title inferred from content, a continuation
# joined, a column role inferred) is never an error or a warning: it is status and severity "review",
# and it names the guess so a reader looks at the page before quoting it.
SEVERITY_ORDER = {"error": 0, "warning": 1, "review": 2, "info": 3}


def rule_table() -> dict[str, dict]:
    return {r["id"]: r for r in load_csv("rules.csv")}


@dataclass
class Finding:
    rule: str
    status: str  # fail | rounding | review (rests on a reading guess) | not_evaluated | note (reported, not judged)
    message: str
    message_en: str
    expected: Decimal | None = None
    actual: Decimal | None = None
    unit: str | None = None
    tolerance: Decimal | None = None
    locations: list[dict] = field(default_factory=list)
    severity: str = ""
    family: str = ""
    guesses: list[str] = field(default_factory=list)  # reading guesses the finding rests on
    # set by Findings, not fields (asdict leaves them out): the findings of other rules or columns that state the
    # same printed discrepancy (on the one that heads them), and the one that heads them (on the others)
    also = ()
    same_as = None

    def __post_init__(self):
        r = rule_table()[self.rule]
        self.family = self.family or r["family"]
        if self.status == "fail" and self.guesses:
            given, self.guesses = self.guesses, []
            self.rests_on(given)
        if self.status == "review":
            self.severity = "review"
        if not self.severity:
            self.severity = "info" if self.status in ("rounding", "not_evaluated", "note") else r["severity"]

    def rests_on(self, guesses: list[str]) -> None:
        """Mark a failed comparison as resting on reading guesses: status and severity ``review``."""
        new = [g for g in guesses if g not in self.guesses]
        if self.status not in ("fail", "review") or not new:
            return
        self.guesses += new
        self.status = self.severity = "review"
        self.message += f"（基于读取推断：{'；'.join(g.split(' / ')[0] for g in new)}，引用前请核对原页）"
        self.message_en += (f" (rests on a reading guess: {'; '.join(g.split(' / ')[-1] for g in new)}; "
                            "check the page before quoting)")

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected

    @property
    def title(self) -> str:
        r = rule_table()[self.rule]
        return f"{r['title_zh']} / {r['title_en']}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["difference"] = self.difference
        for k in ("expected", "actual", "difference", "tolerance"):
            d[k] = None if d[k] is None else _dec_str(d[k])
        return d


def _dec_str(v: Decimal) -> str:
    """Exact decimal string: trailing zeros beyond two decimals dropped (1149.800000 → 1149.80); a whole number
    stays whole (90.000000 → 90, a weight or a year)."""
    s = format(v, "f")
    if "." in s:
        whole, frac = s.split(".")
        frac = frac.rstrip("0")
        s = whole if not frac else f"{whole}.{frac.ljust(2, '0')}"
    return s


_CELL_KEYS = ("file", "page", "table_no", "table_title", "row_label", "column_label", "raw", "section", "quote")


def _cells(f: Finding) -> set:
    """The printed cells and sentences a finding rests on, each as a hashable key."""
    return {tuple((k, str(loc.get(k))) for k in _CELL_KEYS if loc.get(k) not in (None, "")) for loc in f.locations}


def same_discrepancy(items: list[Finding]) -> list[list[Finding]]:
    """Group the findings that state one printed discrepancy: failed comparisons with the same unit and the same
    size of difference that rest on a printed cell (or sentence) in common. One wrong figure is seen by every rule
    and column that adds it up (W02 down its column, W03 along its row, B01 against another table): the same
    cell, off by the same amount. Findings with no difference, or on cells none of the others rests on, stand
    alone. Groups keep the order of ``items``; the most severe finding with the fewest cells (the one that names
    the wrong figure most closely) heads its group."""
    parent = list(range(len(items)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict = {}
    for i, f in enumerate(items):
        d = f.difference
        if f.status not in ("fail", "review") or d is None or d == 0:
            continue
        size = (abs(d).normalize(), f.unit)
        for cell in _cells(f):
            j = seen.setdefault((size, cell), i)
            if j != i:
                a, b = sorted((root(i), root(j)))
                parent[b] = a
    groups: dict[int, list[Finding]] = {}
    for i, f in enumerate(items):
        groups.setdefault(root(i), []).append(f)
    return [sorted(g, key=lambda f: (SEVERITY_ORDER.get(f.severity, 4), len(_cells(f)))) for g in groups.values()]


class Findings:
    """A list of findings that is also a DataFrame (``.frame``).

    Errors come first, then warnings, review and information (rounding, notes, not evaluated). ``items`` holds
    every finding each rule recorded; ``problems`` one per printed discrepancy (see :func:`same_discrepancy`),
    which is what ``counts()`` counts — ``raw_counts()`` counts every rule's finding."""

    def __init__(self, items: list[Finding], meta: dict, evaluated: dict[str, int]):
        fam = list(FAMILY_NAMES)
        self.items = sorted(items, key=lambda f: (SEVERITY_ORDER.get(f.severity, 4), fam.index(f.family), f.rule))
        self.meta = meta
        self.evaluated = evaluated  # rule id → number of comparisons made
        for group in same_discrepancy(self.items):
            head, *rest = group
            head.also, head.same_as = tuple(rest), None
            for x in rest:
                x.also, x.same_as = (), head

    @property
    def problems(self) -> list[Finding]:
        """One finding per printed discrepancy: the one that heads it (``.also`` holds the others)."""
        return [f for f in self.items if f.same_as is None]

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "error" and f.status == "fail"]

    @property
    def frame(self) -> pd.DataFrame:
        rows = []
        for f in self.items:
            d = f.to_dict()
            loc = f.locations[0] if f.locations else {}
            rows.append({k: d[k] for k in ("rule", "family", "severity", "status", "message", "message_en",
                                           "expected", "actual", "difference", "unit")}
                        | {"page": loc.get("page"), "where": loc.get("table_title") or loc.get("section"),
                           "n_locations": len(f.locations)})
        heads = {id(x): n for n, x in enumerate(self.problems, start=1)}
        for row, f in zip(rows, self.items):
            row["problem"] = heads[id(f.same_as or f)]  # findings of one printed discrepancy share its number
        cols = ["rule", "family", "severity", "status", "message", "message_en", "expected", "actual",
                "difference", "unit", "page", "where", "n_locations", "problem"]
        return pd.DataFrame(rows, columns=cols)

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def _repr_html_(self):
        return self.frame._repr_html_()

    def __repr__(self):
        c = self.counts()
        return (f"Findings(errors={c['error']}, warnings={c['warning']}, review={c['review']}, info={c['info']}, "
                f"problems={len(self.problems)}, findings={len(self)})")

    @property
    def explained(self) -> list[Finding]:
        """Differences the check explained (another measure of the same name, a printed part, a unit's figure):
        not errors, and still listed so that nothing is hidden."""
        return [f for f in self.items if f.status == "note"]

    def counts(self) -> dict:
        """Distinct problems by severity: the findings of one printed discrepancy count once."""
        return _count(self.problems)

    def raw_counts(self) -> dict:
        """Every rule's finding by severity, one printed discrepancy counted once per rule and column that sees it."""
        return _count(self.items)


def _count(items) -> dict:
    c = {"error": 0, "warning": 0, "review": 0, "info": 0}
    for f in items:
        c[f.severity] = c.get(f.severity, 0) + 1
    return c
