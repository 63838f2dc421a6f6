"""Findings: what a rule found, with numbers as exact decimals and evidence."""
from __future__ import annotations

import re
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


# the n-th column printed under the same header path is keyed "支出/预算数#3" in the frames (tidy.amounts): an internal
# key a reader never sees — messages and reports say "支出/预算数（同名第3列）"
_DUP_COLUMN = re.compile(r"(?<=[^\s#])#(\d+)(?=$|[」』'\"\s：:，,；;。)）/×=])")


def shown_columns(text: str, en: bool = False) -> str:
    """``text`` with every internal duplicate-column key (``预算数#3``) said as a reader reads it."""
    if "#" not in text:
        return text
    return _DUP_COLUMN.sub(lambda m: f" (column {m.group(1)} of that name)" if en else f"（同名第{m.group(1)}列）", text)


def rule_table() -> dict[str, dict]:
    return {r["id"]: r for r in load_csv("rules.csv")}


def status_words(f) -> tuple[str, str]:
    """How a finding's status reads: 不一致 / fail for a comparison, but a failed completeness remark says what it
    is (缺少 / missing, 未说明 / not explained: reference/fail_words.csv), since nothing there disagrees."""
    if f.status == "fail":
        for r in load_csv("fail_words.csv"):
            if r["rule"] == f.rule:
                return r["word_zh"], r["word_en"]
    return STATUS_NAMES[f.status]


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
        self.message, self.message_en = shown_columns(self.message), shown_columns(self.message_en, en=True)
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
    alone. One cause printed through different cells is one discrepancy too (:func:`_one_cause`: a table printed
    twice, a column left out of several rows' totals, a total's gap made of its rows' gaps). Groups keep the order
    of ``items``."""
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
    for a, b in _one_cause(items):
        a, b = sorted((root(a), root(b)))
        parent[b] = a
    groups: dict[int, list[Finding]] = {}
    for i, f in enumerate(items):
        groups.setdefault(root(i), []).append(f)
    # the finding of the largest difference heads (a column total's gap over the rows that make it up), then the
    # one that names the wrong figure most closely
    return [sorted(g, key=lambda f: (SEVERITY_ORDER.get(f.severity, 4), -abs(f.difference or 0), len(_cells(f))))
            for g in groups.values()]


def _amount(raw) -> Decimal | None:
    try:
        return Decimal(str(raw).replace(",", "").strip())
    except (ArithmeticError, ValueError):
        return None


def _table(loc: dict) -> tuple:
    return (loc.get("file"), loc.get("table_index"), loc.get("page") if loc.get("table_index") is None else None,
            loc.get("table_title"))


def _left_out(f: Finding) -> tuple | None:
    """(rule, unit, table, "column_label" or "row_label", label) when a finding along one row (or down one column)
    differs by exactly that row's figure in one column (or that column's figure in one row): the column the row's
    total leaves out (or counts again), or the row a column's total does."""
    if f.difference in (None, 0) or not f.locations:
        return None
    tables = {_table(loc) for loc in f.locations}
    rows = {loc.get("row_label") for loc in f.locations}
    cols = {loc.get("column_label") for loc in f.locations}
    if len(tables) != 1 or (len(rows) != 1) == (len(cols) != 1):
        return None
    along = "column_label" if len(rows) == 1 else "row_label"
    hits = {loc.get(along) for loc in f.locations if _amount(loc.get("raw")) == abs(f.difference)}
    return (f.rule, f.unit, tables.pop(), along, hits.pop()) if len(hits) == 1 else None


def _cause(head: Finding) -> tuple[str, str] | None:
    """The words that name a group's one cause when its rows each differ by their own figure in one column:
    「其中3行的差额各等于本行「部门预算/上年结转」列的数：60.37＋3.82＋26.38＝90.57」."""
    from budgetkit.check.recorder import fmt

    by: dict = {}
    for x in (head, *head.also):
        lo = _left_out(x)
        if lo is not None:
            across = "row_label" if lo[3] == "column_label" else "column_label"  # the line the finding runs along
            by.setdefault(lo[3:], {}).setdefault(x.locations[0].get(across), abs(x.difference))
    for (along, label), amounts in by.items():
        if len(amounts) < 2:
            continue
        unit = head.unit or ""
        parts = [fmt(v, unit) for v in amounts.values()]
        total = fmt(sum(amounts.values()), unit)
        if along == "column_label":
            return (f"（其中{len(amounts)}行的差额各等于本行「{label}」列的数：{'＋'.join(parts)}＝{total}）",
                    f" (of which {len(amounts)} rows each differ by the row's own '{label}': {' + '.join(parts)} = "
                    f"{total})")
        return (f"（其中{len(amounts)}列的差额各等于本列「{label}」行的数：{'＋'.join(parts)}＝{total}）",
                f" (of which {len(amounts)} columns each differ by the column's own '{label}' row: "
                f"{' + '.join(parts)} = {total})")
    return None


def _one_cause(items: list[Finding]) -> list[tuple[int, int]]:
    """Pairs of findings that state one printed discrepancy through different cells (see :func:`same_discrepancy`):

    * the same table printed twice: the same rule and difference on cells printing the same row names and figures;
    * one column left out of several rows' totals: in one table, each row's difference is that row's figure in
      the same column (or one row left out of several columns' totals, by the same reading down the columns);
    * a total's gap made of its rows' gaps: the rows' differences on cells the total adds up sum to its own;
    * one gap seen in a column and in the columns that add it up: the same column-sum rule over the same rows
      of one table, differences equal within their rounding tolerances."""
    live = [i for i, f in enumerate(items) if f.status in ("fail", "review") and f.difference not in (None, 0)
            and f.locations and all("quote" not in loc for loc in f.locations)]
    pairs: list[tuple[int, int]] = []

    def link(key_of):
        first: dict = {}
        for i in live:
            for key in key_of(items[i]):
                pairs.append((first.setdefault(key, i), i))

    size = lambda f: (abs(f.difference).normalize(), f.unit)  # noqa: E731
    link(lambda f: [(f.rule, size(f), tuple(sorted((str(loc.get("row_label")), str(_amount(loc.get("raw"))))
                                                   for loc in f.locations)))])

    link(lambda f: [x] if (x := _left_out(f)) else [])
    by_cell: dict = {}
    for i in live:
        for c in _cells(items[i]):
            by_cell.setdefault(c, set()).add(i)
    for i in live:
        f = items[i]
        parts = sorted({j for c in _cells(f) for j in by_cell[c]
                        if j != i and items[j].unit == f.unit and abs(items[j].difference) < abs(f.difference)})
        for group in [parts] + [[j for j in parts if items[j].rule == r] for r in {items[j].rule for j in parts}]:
            if len(group) > 1 and sum(abs(items[j].difference) for j in group) == abs(f.difference):
                pairs += [(i, j) for j in group]
    columns = [i for i in live if len({loc.get("column_label") for loc in items[i].locations}) == 1
               and len({_table(loc) for loc in items[i].locations}) == 1]
    for n, i in enumerate(columns):
        a = items[i]
        for j in columns[n + 1:]:
            b = items[j]
            ra, rb = ({loc.get("row_label") for loc in x.locations} for x in (a, b))
            if (a.rule == b.rule and a.unit == b.unit and _table(a.locations[0]) == _table(b.locations[0])
                    and a.locations[0].get("column_label") != b.locations[0].get("column_label")
                    and (ra <= rb or rb <= ra) and a.tolerance is not None and b.tolerance is not None
                    and (a.difference > 0) == (b.difference > 0)
                    and abs(a.difference - b.difference) <= a.tolerance + b.tolerance):
                pairs.append((i, j))
    return pairs


def _said(f: Finding, zh: str = "", en: str = "") -> None:
    """Set the sentence :func:`_cross_refer` adds to a message, replacing the one it added before (a list of
    findings may be grouped more than once)."""
    old_zh, old_en = getattr(f, "_added", ("", ""))
    if old_zh and f.message.endswith(old_zh):
        f.message = f.message[: -len(old_zh)]
    if old_en and f.message_en.endswith(old_en):
        f.message_en = f.message_en[: -len(old_en)]
    f.message, f.message_en, f._added = f.message + zh, f.message_en + en, (zh, en)


def _cross_refer(items: list[Finding], problems: list[Finding]) -> None:
    """A note (a difference explained: 口径不同, 不是错误) and a problem that rest on a printed cell in common and
    differ by the same amount speak of one figure: each names the other, so that the report does not call the
    amount an error in one place and not an error in another. The note explains its own comparison only; the
    problem's arithmetic on its own cells stands."""
    from budgetkit.check.recorder import fmt

    for f in items:
        _said(f)
    number = {id(x): n for n, x in enumerate(problems, start=1)}
    cells: dict = {}
    for x in items:
        if x.status in ("fail", "review") and x.difference not in (None, 0):
            for c in _cells(x):
                cells.setdefault((c, abs(x.difference).normalize(), x.unit), x.same_as or x)
    seen_heads: dict = {}
    for note in (x for x in items if x.status == "note" and x.difference not in (None, 0)):
        key = (abs(note.difference).normalize(), note.unit)
        head = next((cells[(c, *key)] for c in _cells(note) if (c, *key) in cells), None)
        if head is None:
            continue
        n, amount = number[id(head)], fmt(abs(note.difference), note.unit or "")
        rules = ", ".join(dict.fromkeys([head.rule] + [a.rule for a in head.also]))
        sev_zh = {"error": "错误", "warning": "警告", "review": "待核对"}.get(head.severity, head.severity)
        _said(note, f"；同一差额 {amount}{note.unit or ''} 另见问题 {n}（{rules}，{sev_zh}）：本说明只解释这两处比较的口径之差，"
                    f"不解释该问题", f"; the same {amount} {note.unit or ''} is also problem {n} ({rules}, "
                    f"{head.severity}): this note explains only this comparison's different measures, not that problem")
        seen_heads.setdefault(id(head), (head, []))[1].append(note)
    for head in (x for x in problems if x.also or id(x) in seen_heads):
        zh, en = _cause(head) or ("", "")
        if id(head) in seen_heads:
            names = "、".join(dict.fromkeys(x.rule for x in seen_heads[id(head)][1]))
            zh += f"（另见说明 {names}：同一差额在另一处比较中已有解释，不改变此处的不一致）"
            en += (f" (see note {names}: the same amount is explained in another comparison; the inconsistency here "
                   "stands)")
        if zh:
            _said(head, zh, en)


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
        _cross_refer(self.items, self.problems)
        printed = {(x["file"], x["page"]): x["printed"] for x in meta.get("printed_pages") or ()}
        # a location that names no file (a performance-target row) is on the disclosure's file when it has only one
        only = [s["file"] for s in meta.get("sources") or ()]
        only = only[0] if len(only) == 1 else None
        for loc in (loc for f in self.items for loc in f.locations) if printed else ():
            n = printed.get((loc.get("file") or only, loc.get("page")))
            if n is not None:
                loc["printed_page"] = n  # the page number the document prints there (read.page_labels)

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
                           "n_locations": len(f.locations), "printed_page": loc.get("printed_page")})
        heads = {id(x): n for n, x in enumerate(self.problems, start=1)}
        for row, f in zip(rows, self.items):
            row["problem"] = heads[id(f.same_as or f)]  # findings of one printed discrepancy share its number
        cols = ["rule", "family", "severity", "status", "message", "message_en", "expected", "actual",
                "difference", "unit", "page", "where", "n_locations", "problem", "printed_page"]
        return pd.DataFrame(rows, columns=cols).astype({"printed_page": "Int64"})  # the page's own number, if sure

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
