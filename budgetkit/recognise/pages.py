"""Join a table's pieces over pages: whether a page's grid goes on with the table before it, a row the page cut,
and laying pieces drawn with other column lines over the union of both.

``recognise.tables`` decides which pieces join (titles, headers, targets); this module holds what the pages'
geometry and cells say.
"""
from __future__ import annotations

import re

from budgetkit.money import parse_amount, squeeze
from budgetkit.read.blocks import RawTable
from budgetkit.recognise.content import looks_like_header_row
from budgetkit.recognise.rows import cell_text


def _row_key(row) -> tuple:
    return tuple(squeeze(c) for c in row if c is not None and squeeze(c))


def _width(rows) -> int:
    return max((len(r) for r in rows), default=0)


def _continues(prev: dict, raw: RawTable, rows) -> bool:
    if prev["file"] != raw.file or raw.page is None or prev["last_page"] is None:
        return False
    if raw.page != prev["last_page"] + 1:
        return False
    if _width(rows) == _width(prev["rows"]) or _filled_width(rows) == _filled_width(prev["rows"]):
        return True
    # fewer columns (e.g. a lone 合计 row whose label spans the code columns):
    # the same outer edges mean the same table
    a, b = raw.col_edges, prev.get("edges")
    if not (a and b):
        return False
    if abs(a[-1] - b[-1]) < 3 and all(any(abs(x - y) < 3 for y in b) for x in a):
        return True
    # other inner lines within the same outer frame (Word and WPS shift them page to page):
    # the pieces are laid over the union of both pages' lines, and the join is recorded as a guess
    return _same_frame(prev, raw)


_ENUMERATED = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[、)）]|[（(]?\d{1,2}(?:[、)）]|[.．](?!\d)))")
_UNBROKEN = re.compile(r"^[0-9A-Za-z.,:%/+\-]+")
_CLOSING = "，。、；：！？）》」』”’%％)]"


def _lead_ems(text: str) -> float:
    """The width in ems of what must open a line of ``text``: its first character or its first run of digits and
    letters (506-, 2027), with the punctuation that may not open a line after it (间，), or an opening bracket
    with the character after it."""
    m = _UNBROKEN.match(text)
    if m:
        lead, ems = m.group(0), 0.55 * len(m.group(0))
    else:
        lead = text[:2] if text[:1] in "（(《「『“‘" else text[:1]
        ems = float(len(lead))
    rest = text[len(lead):]
    while rest and rest[0] in _CLOSING:
        ems += 1.0
        rest = rest[1:]
    return ems


def _cut_row(prev: dict, rows, owners, at: int):
    """When the row at ``at`` (the first after any repeated header) is the rest of the previous page's last row,
    cut by the page: for each column, the owner in ``prev`` of the cell it goes on in; else None.

    The rest of a cut row prints words only, each under a cell at the foot of the page before whose last line
    left less room than the word opening it here needs (``foot_room``): the cell's width broke that line, the
    text did not end there; and each as wide as the cell it goes on in.  A figure, a numbered item (三十一、, 22、),
    words under a cell whose line ended with room to spare, or a cell wider than the one above (a title across
    the grid under a 备注) open a row of their own."""
    room = prev.get("foot_room") or {}
    if not room or prev["owners"] is None or owners is None or at >= len(rows) or not prev["rows"]:
        return None
    row, last = rows[at], prev["owners"][-1]
    if len(row) != len(last):
        return None
    filled = [j for j, c in enumerate(row) if cell_text(c)]
    if not filled:
        return None
    words = 0
    for j in filled:
        text = cell_text(row[j])
        oi, oj = last[j]
        above = cell_text(prev["rows"][oi][oj]) if oi < len(prev["rows"]) and oj < len(prev["rows"][oi]) else ""
        if _cell_class(text) == "figure" and _figure_rest(above, text, prev["rows"][-1]):
            if owners[at][j] != (at, j) or oj not in room:
                return None
            continue  # "12,437.3" | "6": the last digit of a figure the page cut
        words += 1
        if owners[at][j] != (at, j) or _cell_class(text) == "figure" or _ENUMERATED.match(text):
            return None
        oi, oj = last[j]
        if oj not in room or room[oj] + 0.05 >= _lead_ems(text) or not cell_text(prev["rows"][oi][oj]):
            return None
        # the rest of a cell is as wide as the cell: a title across the grid under a one-column 备注 is no rest
        if {c for c, o in enumerate(owners[at]) if o == (at, j)} != {c for c, o in enumerate(last) if o == (oi, oj)}:
            return None
    return list(last) if words else None


def _decimals(text: str) -> int:
    t = squeeze(text)
    return len(t.rsplit(".", 1)[1]) if "." in t else 0


def _figure_rest(above: str, text: str, row_above) -> bool:
    """``text`` is the last digits of the figure ``above`` that the page cut ("12,437.3" | "6"): a short run of
    digits that, written after it, makes a figure with the decimals the row's other figures print, where the
    figure above has fewer."""
    if not re.fullmatch(r"\d{1,3}", squeeze(text)) or _cell_class(above) != "figure":
        return False
    whole = squeeze(above) + squeeze(text)
    if parse_amount(whole) is None or "." not in squeeze(above):
        return False
    others = [_decimals(cell_text(c)) for c in row_above
              if cell_text(c) and cell_text(c) != above and _cell_class(cell_text(c)) == "figure"]
    return bool(others) and _decimals(above) < _decimals(whole) == max(others)


def _header_only(prev: dict) -> bool:
    """A piece that holds header rows and no body row yet: not one figure printed in it."""
    return bool(prev["rows"]) and not any(_cell_class(cell_text(c)) == "figure" for r in prev["rows"] for c in r)


def _filled_width(rows) -> int:
    return sum(1 for j in range(_width(rows)) if any(j < len(r) and cell_text(r[j]) for r in rows))


def _cell_class(text: str) -> str | None:
    t = squeeze(text)
    if not t:
        return None
    return "figure" if parse_amount(t) is not None or _PERCENT_CELL.match(t) else "words"


_PERCENT_CELL = re.compile(r"^[-+]?\d+(?:\.\d+)?[%％]$")


def _columns_agree(before, rows, min_columns: int = 2, slack: float = 0.1) -> bool:
    """A page with no title or header whose columns hold what those columns already held in the table (figures
    under figures, words under words; a target's value column holds both) continues that table, read with the
    confidence of its first page.  Columns empty so far say nothing; at most ``slack`` of the page's cells may
    differ in kind; at least ``min_columns`` columns are compared, figures in one and words in another."""
    width = _width(rows)
    if width != _width(before) or not before or not rows:
        return False
    cells = odd = figures = words = 0
    for j in range(width):
        old = {c for c in (_cell_class(cell_text(r[j])) for r in before if j < len(r)) if c}
        new = [c for c in (_cell_class(cell_text(r[j])) for r in rows if j < len(r)) if c]
        if not old or not new:
            continue
        cells += len(new)
        odd += sum(c not in old for c in new)
        figures += "figure" in new
        words += "words" in new
    return figures >= 1 and words >= 1 and figures + words >= min_columns and odd <= slack * cells


def _new_header(prev: dict, rows) -> bool:
    """The piece opens with a header row of its own (not the previous table's): a new table."""
    keys = {_row_key(r) for r in prev["rows"][: prev["n_header"]]}
    first = next((r for r in rows if _row_key(r)), None)
    return first is not None and _row_key(first) not in keys and looks_like_header_row(first)


def _same_edges(a, b, tol: float = 1.5) -> bool:
    """The same column lines (a page of one table continued on the next): not a guess."""
    return bool(a) and bool(b) and len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b))


def _next_page(prev: dict, raw: RawTable) -> bool:
    return (prev["file"] == raw.file and raw.page is not None and prev["last_page"] is not None
            and raw.page == prev["last_page"] + 1)


def _same_frame(prev: dict, raw: RawTable, tol: float = 6.0) -> bool:
    """The same outer left and right lines: one table drawn over two pages."""
    a, b = raw.col_edges, prev.get("edges")
    return bool(a) and bool(b) and abs(a[0] - b[0]) <= tol and abs(a[-1] - b[-1]) <= tol


def _union_edges(a, b, tol: float = 3.0) -> list[float]:
    out: list[float] = []
    for x in sorted(list(a) + list(b)):
        if not out or x - out[-1] > tol:
            out.append(x)
    return out


def _widen(rows, owners, edges, union, tol: float = 3.0):
    """Re-lay a grid over finer column lines: a cell spans every union column inside its own."""
    width = len(union) - 1
    cols = []
    for j in range(len(edges) - 1):
        ks = [k for k in range(width) if union[k] >= edges[j] - tol and union[k + 1] <= edges[j + 1] + tol]
        if not ks:
            mid = (edges[j] + edges[j + 1]) / 2
            ks = [min(range(width), key=lambda k: abs((union[k] + union[k + 1]) / 2 - mid))]
        cols.append(ks)
    new_rows, new_owners = [], []
    for i, r in enumerate(rows):
        nr: list = [None] * width
        no = [(i, k) for k in range(width)]
        for j in range(min(len(r), len(cols))):
            oi, oj = owners[i][j] if owners is not None else (i, j)
            ks = cols[j]
            if (oi, oj) == (i, j):
                nr[ks[0]] = r[j] if r[j] is not None else ""
                for k in ks[1:]:
                    no[k] = (i, ks[0])
            else:
                for k in ks:
                    no[k] = (oi, cols[oj][0] if oj < len(cols) else k)
        for k in range(width):
            if nr[k] is None and no[k] == (i, k):
                nr[k] = ""
        new_rows.append(nr)
        new_owners.append(no)
    return new_rows, new_owners
