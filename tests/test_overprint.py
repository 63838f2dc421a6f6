"""Characters a PDF draws twice over themselves (fake bold, a fill pass and a stroke pass) are read once."""
from __future__ import annotations

from pathlib import Path

from budgetkit.fuzz import tiny_pdf
from budgetkit.fuzz.mutate import _table_ops
from budgetkit.read.blocks import ProseLine, RawTable
from budgetkit.read.pdf_overprint import overprinted
from budgetkit.read.pdf_reader import read_pdf

ROOT = Path(__file__).resolve().parents[1]
GAZETTE = ROOT / "data" / "excerpts" / "gd-huizhou-gazette-2026-overprint.pdf"
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


def test_a_real_page_printed_twice_over_reads_each_character_once(tmp_path):
    """data/excerpts/gd-huizhou-gazette-2026-overprint.pdf p.1 (a 惠州 government gazette page, not a budget):
    its text layer draws every character twice at the same place; the page reads as printed."""
    blocks, _ = read_pdf(GAZETTE)
    text = "\n".join(b.text for b in blocks if isinstance(b, ProseLine))
    assert "2026年第2期刊登" in text and "惠州市人民政府公报" in text
    assert "22002266" not in text and "惠惠州州" not in text
