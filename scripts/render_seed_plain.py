"""Render the Word-export seed text to PDF the plain way a word processor does: portrait A4, default margins,
tables with autofit column widths, rows free to break, no header row repeated on the next page.

    python scripts/render_seed_plain.py data/seed/leshan-shizhong-shebao-2023-budget.txt

Writes ``<stem>-plain.pdf`` beside the source (the intermediate .docx goes to a temporary folder).

A table that runs over pages is laid out page by page, each page's part with column widths fitted to the text
on that page (autofit): the column edges shift from page to page, and a merged cell that runs over a page
break prints its text on the first page only.  This is what the reader meets in Word and WPS renderings of
long performance-target tables.  Needs python-docx and LibreOffice (Debian: libreoffice-writer-nogui,
fonts-noto-cjk); the rendered PDF is committed and tests never run this.
"""
from __future__ import annotations

import math
import re
import sys
from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_seed import _font, to_pdf, write_lines  # noqa: E402  (the seed's font, its cells, LibreOffice)

from budgetkit.read.blocks import ProseLine  # noqa: E402
from budgetkit.read.wordtext_reader import decode_text, read_wordtext  # noqa: E402
from budgetkit.recognise.layout import from_wordtext  # noqa: E402
from budgetkit.recognise.rows import header_row_count  # noqa: E402

TEXT_PT = 10.5                         # the narrative's type
PAGE_W, PAGE_H = 21.0, 29.7            # A4 portrait, cm
MARGIN_LR, MARGIN_TB = 3.18, 2.54      # the word processor's default margins
TEXT_W = PAGE_W - 2 * MARGIN_LR
TABLE_PT = 9
LINE_CM = TABLE_PT * 1.35 * 2.54 / 72  # one line of table text
CELL_PAD_CM = 0.25                     # cell margins left + right
PAGE_BUDGET_CM = (PAGE_H - 2 * MARGIN_TB) * 0.8


def _ems(text: str) -> float:
    """Printed width of a line in ems: CJK characters are one em, Latin letters and digits about half."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def _lines(text: str, width_cm: float) -> int:
    per_line = max((width_cm - CELL_PAD_CM) / (TABLE_PT * 2.54 / 72), 1.0)
    return sum(max(1, math.ceil(_ems(part) / per_line)) for part in (text or "").split("\n"))


def _autofit(grid, rows: list[int]) -> list[float]:
    """Column widths fitted to the text of the given rows, as a word processor's autofit does: every column
    gets at least its longest unbreakable word (a number, a code), then the rest of the text width is shared
    in proportion to how much longer each column's longest line is (capped)."""
    w = grid.width
    want, least = [1.0] * w, [1.0] * w
    for i in rows:
        for j in range(w):
            if grid.owner[i][j] != (i, j):
                continue
            _, j2 = grid.extent(i, j)
            span = j2 - j + 1
            text = grid.text[i][j]
            longest = max((_ems(x) for x in text.split("\n")), default=0)
            word = max((_ems(x) for x in re.findall(r"[0-9A-Za-z.,%＝=≥≤<>+\-/]+", text)), default=0)
            for c in range(j, j2 + 1):
                want[c] = max(want[c], min(longest, 14) / span)
                least[c] = max(least[c], min(max(word, 1.0), 8) / span)
    em = TABLE_PT * 2.54 / 72
    room = TEXT_W / em - CELL_PAD_CM / em * w
    extra = [max(a - b, 0) for a, b in zip(want, least)]
    spare = max(room - sum(least), 0)
    share = min(spare / sum(extra), 1.0) if sum(extra) else 0
    ems = [b + e * share for b, e in zip(least, extra)]
    scale = TEXT_W / (sum(ems) * em + CELL_PAD_CM * w)
    return [(x * em + CELL_PAD_CM) * scale for x in ems]


def _row_height(grid, i: int, widths: list[float]) -> float:
    lines = 1
    for j in range(grid.width):
        if grid.owner[i][j] == (i, j):
            i2, j2 = grid.extent(i, j)
            if i2 == i:
                lines = max(lines, _lines(grid.text[i][j], sum(widths[j:j2 + 1])))
    return lines * LINE_CM + 0.1


def _pages(grid) -> list[list[int]]:
    """Rows per page: greedy on the heights the page's own autofit widths give."""
    pages, current = [], []
    for i in range(len(grid.text)):
        trial = current + [i]
        widths = _autofit(grid, trial)
        if current and sum(_row_height(grid, k, widths) for k in trial) > PAGE_BUDGET_CM:
            pages.append(current)
            current = [i]
        else:
            current = trial
    if current:
        pages.append(current)
    return pages


def _table(doc, grid, rows: list[int]) -> None:
    widths = _autofit(grid, rows)
    table = doc.add_table(rows=len(rows), cols=grid.width)
    table.style = "Table Grid"
    for j, col in enumerate(table.columns):  # the widths autofit chose, written where layout engines read them
        table._tbl.tblGrid.gridCol_lst[j].w = Cm(widths[j])
        for cell in col.cells:
            cell.width = Cm(widths[j])
    pos = {i: k for k, i in enumerate(rows)}
    done = set()
    for i in rows:
        for j in range(grid.width):
            oi, oj = grid.owner[i][j]
            i2, j2 = grid.extent(oi, oj)
            top, bottom = max(oi, rows[0]), min(i2, rows[-1])  # the merged cell's part on this page
            if ((oi, oj), top) in done:
                continue
            done.add(((oi, oj), top))
            cell = table.cell(pos[top], oj)
            if (bottom, j2) != (top, oj):
                cell = cell.merge(table.cell(pos[bottom], j2))
            write_lines(cell, grid.text[oi][oj] if top == oi else "", TABLE_PT)  # text where the cell starts only


def render(src: Path, out: Path) -> Path:
    blocks = read_wordtext(src, decode_text(src, src.read_bytes()))
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(PAGE_W), Cm(PAGE_H)
    sec.left_margin = sec.right_margin = Cm(MARGIN_LR)
    sec.top_margin = sec.bottom_margin = Cm(MARGIN_TB)
    for b in blocks:
        if isinstance(b, ProseLine):
            _font(doc.add_paragraph().add_run(b.text), TEXT_PT)
            continue
        grid = from_wordtext(b.rows, b.row_pages, header_row_count(b.rows))
        for k, rows in enumerate(_pages(grid)):
            if k:  # the next page's part of the table: no header row repeated
                gap = doc.add_paragraph()
                gap.paragraph_format.page_break_before = True
                gap.paragraph_format.space_after = Pt(0)
                _font(gap.add_run(""), 1)
            _table(doc, grid, rows)
        doc.add_paragraph()
    return to_pdf(doc, out)


if __name__ == "__main__":
    src = Path(sys.argv[1])
    print(render(src, src.with_name(src.stem + "-plain.pdf")))
