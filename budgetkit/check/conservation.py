"""Conservation: every figure printed in a table is accounted for, or the reader says so.

A reading that loses a figure without a word is the worst result a reader can give: a check over the rest
reports "0 errors" for a table that is short. So each read is balanced twice, independently of the decisions
that placed the figures:

* **source → tables**: every figure cell the file reader found (a table cell printed as a figure, well-formed
  or malformed) is still somewhere in what was read — a body cell or a column label of a table, joined with the
  rest of a figure a page break cut, or in the narrative or a title when the grid around it was prose;
* **table → frames**: every figure-shaped body cell of a recognised table is an amount, a residue row with its
  reason, a cell of a non-amount column (codes, attributes), or a merged cell shown again; a column label that
  prints a figure (a body row taken for the header) is lost.

What is left over is ``lost``: :func:`account` is called on every read and the pipeline turns a non-empty
``lost`` into a warning naming the figures, so that nothing goes missing silently (the fuzz counts it as a
failure: :mod:`budgetkit.fuzz`).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from budgetkit.money import is_decimal_figure, looks_like_amount, squeeze

#: column roles whose cells are not amounts by design: a figure there is data of its own (a code, an attribute)
NON_AMOUNT_ROLES = ("code", "unit_code", "attribute")
_SHORT_INTEGER = re.compile(r"[0-9０-９]{1,4}")


def is_figure(text) -> bool:
    """A cell printed as a figure: a formatted amount (1,149.80) or a malformed one (1,149.8O, 1,149,80)."""
    from budgetkit.recognise.rows import is_figure_shaped

    t = squeeze(text)
    return bool(t) and (is_decimal_figure(t) or is_figure_shaped(t))


def _numberish(text: str) -> bool:
    """A body cell that may be an amount: a figure, or an integer of five digits or more (28000 元)."""
    return is_figure(text) or (looks_like_amount(text) and not _SHORT_INTEGER.fullmatch(text.lstrip("+-−")))


def _amount_like(text) -> bool:
    """An amount (1,149.80) or one but for a look-alike letter (1,149.8O): what must reach the amounts or the
    residue wherever it is printed, a label column or a header included."""
    from budgetkit.recognise.rows import repaired_figure

    t = squeeze(text)
    return is_decimal_figure(t) or repaired_figure(t)


@dataclass
class Ledger:
    """Where the figures of one disclosure went; ``lost`` lists (file, page, table, text, why)."""

    printed: int = 0                                   # figure cells the file readers found in tables
    placed: Counter = field(default_factory=Counter)   # body figure cells by where they went
    lost: list = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return not self.lost

    def as_meta(self) -> dict:
        return {"printed": self.printed, "placed": dict(self.placed), "lost": [list(x) for x in self.lost]}

    def warning(self, where: str) -> str | None:
        """One bilingual line naming the first lost figures, or None when every figure is accounted for."""
        if not self.lost:
            return None
        shown = "、".join(f"{text}（{_at(page)}）" for _, page, _, text, _ in self.lost[:5])
        shown_en = ", ".join(f"{text} ({_at(page, True)})" for _, page, _, text, _ in self.lost[:5])
        more = f" …（共{len(self.lost)}个）" if len(self.lost) > 5 else ""
        more_en = f" … ({len(self.lost)} in all)" if len(self.lost) > 5 else ""
        return (f"{where}: 有数字未能读入任何表格、金额或残留，相关表格不完整：{shown}{more} / "
                f"figures printed in the tables were read into no table, amount or residue; those tables are "
                f"incomplete: {shown_en}{more_en}")


def _at(page, en: bool = False) -> str:
    if page is None:
        return "page ?" if en else "页码不详"
    return f"p.{page}" if en else f"第{page}页"


def source_figures(blocks) -> list[Counter]:
    """For each raw table a file reader returned: (file, text) → count of its figure cells."""
    from budgetkit.read.blocks import RawTable

    found = []
    for b in blocks:
        if isinstance(b, RawTable):
            figures: Counter = Counter()
            for row in b.rows:
                for c in row:
                    if c is not None and is_figure(c):
                        figures[(b.file, squeeze(c))] += 1
            if figures:
                found.append(figures)
    return found


def _table_figures(tables) -> Counter:
    """(file, text) → count of figure-shaped texts in the tables read: body cells, column labels, titles."""
    found: Counter = Counter()
    for t in tables:
        texts = [part for col in t.frame.columns for part in str(col).split("/")]
        texts += [v for rec in t.frame.itertuples(index=False) for v in rec if isinstance(v, str)]
        for v in texts:
            if is_figure(v):
                found[(t.file, squeeze(v))] += 1
    return found


def _joined(missing: Counter, surplus: Counter) -> Counter:
    """Missing parts of a figure a page break cut (12,437.3 | 6) that the reader joined (12,437.36)."""
    left = Counter(missing)
    for (file, text), n in missing.items():
        for (f2, whole), m in list(surplus.items()):
            if f2 == file and m > 0 and whole != text and whole.startswith(text):
                take = min(n, m)
                left[(file, text)] -= take
                surplus[(f2, whole)] -= take
                n -= take
                if not n:
                    break
    return +left


def _in_text(d, missing: Counter) -> Counter:
    """The figures of raw tables read as text that are in no paragraph of the narrative and no table's title."""
    if not missing:
        return missing
    texts: dict = {}
    for file, text in zip(d.narrative.get("file", []), d.narrative.get("text", [])):
        texts[file] = texts.get(file, "") + "\n" + squeeze(text)
    for t in d.tables:
        texts[t.file] = texts.get(t.file, "") + "\n" + squeeze(t.title)
    left = Counter()
    for (file, text), n in missing.items():
        n -= min(n, texts.get(file, "").count(text))
        if n:
            left[(file, text)] = n
    return left


def account(d, blocks=None) -> Ledger:
    """The ledger of one disclosure; ``blocks``: the file readers' blocks (the source side), when at hand."""
    ledger = Ledger()
    _frames(d, ledger)
    if blocks is not None:
        read = _table_figures(d.tables)
        printed, as_prose = Counter(), Counter()
        for figures in source_figures(blocks):
            # a raw table none of whose figures is in a table read was taken for prose (a lone box, a scrap of grid
            # around a line of text): its figures are looked for in the narrative and the titles
            if any(key in read for key in figures):
                printed.update(figures)
            else:
                as_prose.update(figures)
        ledger.printed = sum(printed.values()) + sum(as_prose.values())
        missing = _joined(printed - read, read - printed) + _in_text(d, as_prose)
        for (file, text), n in sorted(missing.items()):
            ledger.lost.extend([(file, None, None, text, "not in any table read / 未读入任何表格")] * n)
    return ledger


def _frames(d, ledger: Ledger) -> None:
    """Each figure-shaped body cell of a recognised table → amount, residue, non-amount column, or lost."""
    amounts = set(zip(d.amounts["table_index"], d.amounts["row_no"], d.amounts["col_no"]))
    residue = set(zip(d.residue["table_index"], d.residue["row_no"], d.residue["col_no"]))
    for t in d.tables:
        if t.kind == "unknown":
            n = sum(1 for rec in t.frame.itertuples(index=False) for v in rec if isinstance(v, str) and is_figure(v))
            ledger.placed["unrecognised table"] += n  # exported as found, counted as not recognised
            continue
        for col in t.frame.columns:
            for part in str(col).split("/"):
                if _amount_like(part):  # a section number (1.2.3) heads a column; an amount does not
                    ledger.lost.append((t.file, t.pages[0] if t.pages else None, t.index, squeeze(part),
                                        "read as a column label / 读作列标题"))
        roles = list(t.column_roles.values())
        above: list = [None] * len(roles)
        for k, (row_no, rec) in enumerate(zip(t.frame.index, t.frame.itertuples(index=False))):
            prev = None
            for j, val in enumerate(rec):
                text = squeeze(val) if isinstance(val, str) else ""
                covered = text in (prev, above[j])  # a merged cell shown again in each position it covers
                prev, above[j] = text, text
                if not text or not _numberish(text):
                    continue
                key = (t.index, row_no, j + 1)
                if key in amounts:
                    ledger.placed["amount"] += 1
                elif key in residue:
                    ledger.placed["residue"] += 1
                elif roles[j] in NON_AMOUNT_ROLES:
                    ledger.placed["non-amount column"] += 1
                elif covered:
                    ledger.placed["merged cell shown again"] += 1
                elif roles[j] != "amount" and not _amount_like(text):
                    ledger.placed["label"] += 1  # a count, a code, a model number (6Z4.80) in a label column
                else:
                    page = t.row_pages[k] if k < len(t.row_pages) else (t.pages[0] if t.pages else None)
                    why = "in no amount or residue / 不在金额或残留中"
                    ledger.lost.append((t.file, page, t.index, text, why))
