"""Render the Word-export seed text to PDF in two more layouts a department might print:

* ``portrait-wrap``: A4 portrait with narrow fixed columns, so long header labels and row labels wrap onto two
  or three lines inside their cells; the multi-level headers merged as the text form prints them, rows kept
  whole, no header repeated on the next page.
* ``landscape``: A4 landscape at a larger type, the header rows repeated at the top of every page a table runs
  over, and rows free to break across a page (a wrapped row's lines may print on two pages).

    python scripts/render_seed_layouts.py data/seed/leshan-shizhong-shebao-2023-budget.txt

Writes ``<stem>-portrait-wrap.pdf`` and ``<stem>-landscape.pdf`` beside the source (the intermediate .docx
goes to a temporary folder).  Cells and merges come from render_seed.py's source (the reader's own column-span
inference); only the page, the type and the column widths differ.  Needs python-docx and LibreOffice (Debian:
libreoffice-writer, fonts-noto-cjk); the rendered PDFs are committed and tests never run this.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_seed import _font, fill_cells, to_pdf  # noqa: E402  (the seed's font, set for East Asian text too)

from budgetkit.read.blocks import ProseLine  # noqa: E402
from budgetkit.read.wordtext_reader import decode_text, read_wordtext  # noqa: E402
from budgetkit.recognise.layout import from_wordtext  # noqa: E402
from budgetkit.recognise.rows import header_row_count  # noqa: E402

CELL_PAD_CM = 0.45                     # the cell's left and right margins, with room to spare
_NUMBER = re.compile(r"^[-+]?[0-9][0-9,]*(\.[0-9]+)?%?$")


@dataclass(frozen=True)
class Layout:
    suffix: str
    landscape: bool
    margin_cm: float
    table_pt: float
    text_pt: float
    label_ems: float        # the widest a words column may be, in ems of table type: longer labels wrap
    repeat_header: bool     # header rows repeated on every page the table runs over
    rows_split: bool        # a row may break across a page


PORTRAIT_WRAP = Layout("portrait-wrap", landscape=False, margin_cm=2.0, table_pt=9, text_pt=10.5,
                       label_ems=5.5, repeat_header=False, rows_split=False)
LANDSCAPE = Layout("landscape", landscape=True, margin_cm=1.8, table_pt=10.5, text_pt=12,
                   label_ems=9, repeat_header=True, rows_split=True)
LAYOUTS = (PORTRAIT_WRAP, LANDSCAPE)


def _ems(text: str) -> float:
    """Printed width in ems: CJK characters are one em, digits and Latin letters about 0.6."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in text)


def _widths(grid, n_header: int, layout: Layout, text_w_cm: float) -> list[float]:
    """Column widths in cm: a column of figures as wide as its longest figure (its header label wraps), a column
    of words at most ``label_ems`` wide (its longer labels wrap), a column of codes as wide as its longest code;
    the words columns give way first when the page is too narrow (a figure or a code never wraps)."""
    em = layout.table_pt * 2.54 / 72
    body = range(n_header, len(grid.text))
    ems, fixed = [], []
    for j in range(grid.width):
        cells = [grid.text[i][j].strip() for i in body if grid.owner[i][j] == (i, j) and grid.extent(i, j)[1] == j]
        cells = [c for c in cells if c]
        figures = [c for c in cells if _NUMBER.match(c.replace(" ", ""))]
        if cells and len(figures) * 2 >= len(cells):
            ems.append(max(max(_ems(c) for c in figures), 3.0))
            fixed.append(True)
        else:
            longest = max((_ems(x) for c in cells for x in c.split("\n")), default=2.0)
            ems.append(min(max(longest, 2.0), layout.label_ems))
            fixed.append(False)
    cm = [e * em + CELL_PAD_CM for e in ems]
    over = sum(cm) - text_w_cm
    words = sum(c for c, f in zip(cm, fixed) if not f)
    if over > 0 and words > over:
        cm = [c if f else c * (1 - over / words) for c, f in zip(cm, fixed)]
    scale = min(1.0, text_w_cm / sum(cm))
    return [c * scale for c in cm]


def _table(doc, grid, n_header: int, layout: Layout, text_w_cm: float) -> None:
    widths = _widths(grid, n_header, layout, text_w_cm)
    n, w = len(grid.text), grid.width
    table = doc.add_table(rows=n, cols=w)
    table.style = "Table Grid"
    table.autofit = False
    for j, col in enumerate(table.columns):
        table._tbl.tblGrid.gridCol_lst[j].w = Cm(widths[j])
        for cell in col.cells:
            cell.width = Cm(widths[j])
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        if not layout.rows_split:
            tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
        if layout.repeat_header and i < n_header:
            tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
    fill_cells(table, grid, layout.table_pt)


def render(src: Path, layout: Layout) -> Path:
    out = src.with_name(f"{src.stem}-{layout.suffix}.pdf")
    blocks = read_wordtext(src, decode_text(src, src.read_bytes()))
    doc = Document()
    sec = doc.sections[0]
    if layout.landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    else:
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(layout.margin_cm))
    text_w = (29.7 if layout.landscape else 21.0) - 2 * layout.margin_cm
    for b in blocks:
        if isinstance(b, ProseLine):
            _font(doc.add_paragraph().add_run(b.text), layout.text_pt)
            continue
        n_header = header_row_count(b.rows)
        _table(doc, from_wordtext(b.rows, b.row_pages, n_header), n_header, layout, text_w)
        doc.add_paragraph()
    return to_pdf(doc, out)


if __name__ == "__main__":
    src = Path(sys.argv[1])
    for layout in LAYOUTS:
        print(render(src, layout))
