"""Characters a PDF draws twice over themselves (fake bold, a fill pass and a stroke pass) are read once."""
from __future__ import annotations

from pathlib import Path

from budgetkit.fuzz import tiny_pdf
from budgetkit.fuzz.mutate import _table_ops
from budgetkit.read.blocks import ProseLine, RawTable
from budgetkit.read.pdf_overprint import overprinted
from budgetkit.read.pdf_reader import read_pdf

ROOT = Path(__file__).resolve().parents[1]
ROWS = [["Item", "Total", "Basic", "Project"], ["A", "1,149.80", "1,013.50", "136.30"],
        ["B", "729.79", "12.00", "717.79"], ["Sum", "1,879.59", "1,025.50", "854.09"]]


def _again(ops: list[str], dx: float) -> list[str]:
    """The text operators of ``ops`` once more, ``dx`` points to the right (what fake bold draws)."""
    out = []
    for op in ops:
        if op.startswith("BT"):
            parts = op.split()
            i = parts.index("Td")
            parts[i - 2] = f"{float(parts[i - 2]) + dx:g}"
            out.append(" ".join(parts))
    return out


def _read(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    blocks, _ = read_pdf(path)
    tables = [b.rows for b in blocks if isinstance(b, RawTable)]
    prose = [b.text for b in blocks if isinstance(b, ProseLine)]
    return tables, prose


def test_a_table_whose_text_is_drawn_twice_reads_as_the_table_drawn_once(tmp_path):
    """Built page: the same ruled table, its text drawn a second time in place and 0.3 pt to the right."""
    once = _read(tmp_path, "once.pdf", tiny_pdf(ROWS))
    for dx in (0.0, 0.3):
        twice = _read(tmp_path, f"twice-{dx}.pdf", tiny_pdf(ROWS, extra_ops=tuple(_again(_table_ops(ROWS), dx))))
        assert twice == once, dx
    assert once[0][0][1] == ["A", "1,149.80", "1,013.50", "136.30"]


def test_characters_side_by_side_are_not_taken_for_overprint():
    """Two equal characters a character's width apart ("00" in 1,100.00) are both kept."""
    chars = [{"text": "0", "fontname": "F", "size": 9.0, "upright": True, "x0": 100.0 + 4.5 * i, "top": 50.0}
             for i in range(4)]
    assert overprinted(chars) == set()
    chars.append({**chars[1], "x0": chars[1]["x0"] + 0.4})
    assert overprinted(chars) == {4}


def _drawn(src: Path, page: int, shifts: tuple[float, ...], out: Path) -> Path:
    """Page ``page`` (1-based) of a real PDF, drawn once for each of ``shifts`` (points to the right) on one
    new page, as a form object: what a producer that prints a page's text twice makes."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(src))
    new = pdfium.PdfDocument.new()
    w, h = doc.get_page_size(page - 1)
    target = new.new_page(w, h)
    xobject = doc.page_as_xobject(page - 1, new)
    for dx in shifts:
        obj = xobject.as_pageobject()
        obj.transform(pdfium.PdfMatrix().translate(dx, 0))
        target.insert_obj(obj)
    target.gen_content()
    new.save(str(out))
    return out


def test_a_real_budget_page_printed_twice_over_reads_as_printed_once(tmp_path):
    """data/corpus/sh-putuo-wanli-street-2025-budget.pdf p.10 (收入预算总表, ruled) drawn once, then twice in
    place and twice 0.3 pt apart: the tables and the prose read from the three are the same."""
    src = ROOT / "data" / "corpus" / "sh-putuo-wanli-street-2025-budget.pdf"
    reads = []
    for k, shifts in enumerate([(0.0,), (0.0, 0.0), (0.0, 0.3)]):
        blocks, _ = read_pdf(_drawn(src, 10, shifts, tmp_path / f"p{k}.pdf"))
        reads.append(([b.rows for b in blocks if isinstance(b, RawTable)],
                      [b.text for b in blocks if isinstance(b, ProseLine)]))
    tables, prose = reads[0]
    assert tables and any("438,300" in row for row in tables[0])  # 201 05 统计信息事务 438,300
    assert reads[1] == reads[0] and reads[2] == reads[0]
