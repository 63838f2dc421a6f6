"""Render the seed's tables as an Excel workbook (one sheet per table, merged
cells kept), so the Excel reader is tested on the same content.

    python scripts/render_seed_xlsx.py data/seed/leshan-shizhong-shebao-2023-budget.txt
"""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import openpyxl

from budgetkit.money import parse_amount
from budgetkit.read.blocks import ProseLine
from budgetkit.read.wordtext_reader import decode_text, read_wordtext
from budgetkit.recognise.layout import from_wordtext
from budgetkit.recognise.rows import header_row_count


def render(src: Path) -> Path:
    blocks = read_wordtext(src, decode_text(src, src.read_bytes()))
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    caption: list[str] = []
    for b in blocks:
        if isinstance(b, ProseLine):
            caption = (caption + [b.text])[-2:]
            continue
        if len(caption) == 2 and caption[-1].endswith("）") and "（" not in caption[-1]:
            caption = ["".join(caption)]  # a title broken over two lines: "…（公开" + "表4-1）"
        grid = from_wordtext(b.rows, b.row_pages, header_row_count(b.rows))
        ws = wb.create_sheet(f"表{len(wb.worksheets) + 1}")
        ws.cell(1, 1, caption[-1] if caption else "")  # the title printed above the table
        n, w = len(grid.text), grid.width
        done = set()
        for i in range(n):
            for j in range(w):
                if grid.owner[i][j] != (i, j) or (i, j) in done:
                    continue
                text = grid.text[i][j]
                value = parse_amount(text) if text and ("." in text or "," in text) else None
                cell = ws.cell(i + 2, j + 1)
                if value is not None and "\n" not in text:
                    cell.value = float(value)  # a number, shown with its printed decimals
                    places = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
                    cell.number_format = ("#,##0" if "," in text else "0") + ("." + "0" * places if places else "")
                else:
                    cell.value = text
                i2, j2 = grid.extent(i, j)
                if (i2, j2) != (i, j):
                    ws.merge_cells(start_row=i + 2, start_column=j + 1, end_row=i2 + 2, end_column=j2 + 1)
                done.update((a, c) for a in range(i, i2 + 1) for c in range(j, j2 + 1))
        caption = []
    out = src.with_suffix(".xlsx")
    wb.save(out)
    return out


if __name__ == "__main__":
    print(render(Path(sys.argv[1])))
