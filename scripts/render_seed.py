"""Render the Word-export seed text as DOCX, then PDF (LibreOffice), so the PDF
path is tested on the same content.

    python scripts/render_seed.py data/seed/leshan-shizhong-shebao-2023-budget.txt

Needs python-docx and ``libreoffice`` (Debian: libreoffice-writer-nogui,
fonts-noto-cjk).  The rendered PDF is committed; tests never run this.
Merged cells are rebuilt from the same column-span inference the reader uses.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from budgetkit.read.blocks import ProseLine
from budgetkit.read.wordtext_reader import decode_text, read_wordtext
from budgetkit.recognise.layout import from_wordtext
from budgetkit.recognise.rows import header_row_count

FONT = "Noto Sans CJK SC"


def _font(run, size=8):
    run.font.size = Pt(size)
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def write_lines(cell, text: str, size=8) -> None:
    """A cell's text, one paragraph per printed line."""
    lines = text.split("\n")
    cell.paragraphs[0].text = ""
    _font(cell.paragraphs[0].add_run(lines[0]), size)
    for extra in lines[1:]:
        _font(cell.add_paragraph().add_run(extra), size)


def fill_cells(table, grid, size=8) -> None:
    """Each cell of ``grid`` written once into ``table``, merged over the positions it covers."""
    done = set()
    for i in range(len(grid.text)):
        for j in range(grid.width):
            if grid.owner[i][j] != (i, j) or (i, j) in done:
                continue
            i2, j2 = grid.extent(i, j)
            cell = table.cell(i, j)
            if (i2, j2) != (i, j):
                cell = cell.merge(table.cell(i2, j2))
            done.update((a, c) for a in range(i, i2 + 1) for c in range(j, j2 + 1))
            write_lines(cell, grid.text[i][j], size)


def to_pdf(doc, out: Path) -> Path:
    """``doc`` converted by LibreOffice in a temporary folder and written to ``out``."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        docx_path = Path(tmp) / (out.stem + ".docx")
        doc.save(docx_path)
        subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx_path)],
                       check=True, capture_output=True)
        out.write_bytes((Path(tmp) / (out.stem + ".pdf")).read_bytes())
    return out


def render(src: Path, out_dir: Path) -> Path:
    blocks = read_wordtext(src, decode_text(src, src.read_bytes()))
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(1.2))
    for b in blocks:
        if isinstance(b, ProseLine):
            _font(doc.add_paragraph().add_run(b.text), 10)
            continue
        grid = from_wordtext(b.rows, b.row_pages, header_row_count(b.rows))
        n, w = len(grid.text), grid.width
        table = doc.add_table(rows=n, cols=w)
        table.style = "Table Grid"
        for row in table.rows:  # a row never breaks across pages, as in the source
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
        fill_cells(table, grid)
        doc.add_paragraph()
    out_dir.mkdir(parents=True, exist_ok=True)
    docx_path = out_dir / (src.stem + ".docx")
    doc.save(docx_path)
    subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)],
                   check=True, capture_output=True)
    return out_dir / (src.stem + ".pdf")  # the .docx stays beside it: the Word reader is tested on it too


if __name__ == "__main__":
    src = Path(sys.argv[1])
    print(render(src, src.parent))
