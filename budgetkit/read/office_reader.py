"""Word (.docx) and Excel (.xlsx) disclosures → prose lines and raw tables.

Merged cells are read from the file itself (Word gridSpan/vMerge, Excel
merged ranges), so the owner map is exact, as for PDFs.  Pages are unknown.
"""
from __future__ import annotations

from pathlib import Path

from budgetkit.errors import BadInputError
from budgetkit.read.blocks import ProseLine, RawTable

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_table(tbl, name: str) -> RawTable:
    """Expand a Word table into a grid; covered positions are None with an owner."""
    rows: list[list] = []
    owners: list[list] = []
    open_vmerge: dict[int, tuple[int, int]] = {}  # column → owner of a running vertical merge
    for i, tr in enumerate(tbl._tbl.tr_lst):
        row: list = []
        orow: list = []
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.tcPr.find(f"{W_NS}vMerge") if tc.tcPr is not None else None
            text = "\n".join("".join(t.text or "" for t in p.iter(f"{W_NS}t")) for p in tc.iter(f"{W_NS}p"))
            continues = vmerge is not None and vmerge.get(f"{W_NS}val") in (None, "continue")
            for k in range(span):
                if continues and col in open_vmerge:
                    row.append(None)
                    orow.append(open_vmerge[col])
                elif k == 0:
                    row.append(text)
                    orow.append((i, col))
                else:
                    row.append(None)
                    orow.append((i, col - k))
                if vmerge is not None and vmerge.get(f"{W_NS}val") == "restart" and k == 0:
                    for x in range(col, col + span):
                        open_vmerge[x] = (i, col)
                elif vmerge is None:
                    open_vmerge.pop(col, None)
                col += 1
        rows.append(row)
        owners.append(orow)
    width = max(len(r) for r in rows)
    for i, (r, o) in enumerate(zip(rows, owners)):
        while len(r) < width:  # a short row: pad with empty cells of its own
            r.append("")
            o.append((i, len(r) - 1))
    return RawTable(rows=rows, row_pages=[None] * len(rows), file=name, owners=owners)


def read_docx(path: Path) -> list:
    try:
        import docx
    except ImportError:  # pragma: no cover - a declared dependency
        raise BadInputError(path, "读取Word需要python-docx", "reading Word needs python-docx") from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise BadInputError(path, "Word文件已损坏，无法打开", f"the Word file is corrupt ({type(exc).__name__})") from None
    blocks: list = []
    body = document.element.body
    tables = {t._tbl: t for t in document.tables}
    for child in body.iterchildren():
        if child.tag == f"{W_NS}p":
            text = "".join(t.text or "" for t in child.iter(f"{W_NS}t")).strip()
            if text:
                blocks.append(ProseLine(text=text, page=None, file=path.name))
        elif child.tag == f"{W_NS}tbl" and child in tables:
            blocks.append(_docx_table(tables[child], path.name))
    return blocks


def read_xlsx(path: Path) -> list:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover
        raise BadInputError(path, "读取Excel需要openpyxl", "reading Excel needs openpyxl") from None
    try:
        wb = openpyxl.load_workbook(path, data_only=True, read_only=False)
    except Exception as exc:
        raise BadInputError(path, "Excel文件已损坏，无法打开", f"the Excel file is corrupt ({type(exc).__name__})") from None
    blocks: list = []
    for ws in wb.worksheets:
        n, w = ws.max_row, ws.max_column
        if not n or not w:
            continue
        rows = [["" if (v := ws.cell(i, j).value) is None else _cell_text(ws.cell(i, j), v)
                 for j in range(1, w + 1)] for i in range(1, n + 1)]
        owners = [[(i, j) for j in range(w)] for i in range(n)]
        for rng in ws.merged_cells.ranges:
            for i in range(rng.min_row - 1, rng.max_row):
                for j in range(rng.min_col - 1, rng.max_col):
                    if (i, j) != (rng.min_row - 1, rng.min_col - 1):
                        rows[i][j] = None
                        owners[i][j] = (rng.min_row - 1, rng.min_col - 1)
        # a sheet is one table; its title rows are peeled off as captions later
        blocks.append(ProseLine(text=ws.title, page=None, file=path.name))
        blocks.append(RawTable(rows=rows, row_pages=[None] * n, file=path.name, owners=owners))
    return blocks


def _cell_text(cell, v) -> str:
    """Numbers as the sheet shows them (thousands separators and decimals kept exact)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        from decimal import Decimal

        fmt = cell.number_format or ""
        decimals = len(fmt.split(".")[1].rstrip("_);@ ")) if "." in fmt else (0 if isinstance(v, int) else None)
        d = Decimal(repr(v)) if decimals is None else Decimal(repr(v)).quantize(Decimal(1).scaleb(-decimals))
        return f"{d:,}" if "," in fmt else format(d, "f")
    return str(v)
