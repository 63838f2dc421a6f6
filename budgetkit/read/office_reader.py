"""Word (.docx) and Excel (.xlsx) disclosures → prose lines and raw tables.

Merged cells are read from the file itself (Word gridSpan/vMerge, Excel
merged ranges), so the owner map is exact, as for PDFs.  Pages are unknown.
"""
from __future__ import annotations

import re

from pathlib import Path

from budgetkit.errors import BadInputError, shown
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
    width = max((len(r) for r in rows), default=0)
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
    try:
        body = document.element.body
        tables = {t._tbl: t for t in document.tables}
        for child in body.iterchildren():
            if child.tag == f"{W_NS}p":
                text = "".join(t.text or "" for t in child.iter(f"{W_NS}t")).strip()
                if text:
                    blocks.append(ProseLine(text=text, page=None, file=shown(path.name)))
            elif child.tag == f"{W_NS}tbl" and child in tables:
                table = _docx_table(tables[child], shown(path.name))
                if table.rows and table.width:
                    blocks.append(table)
    except Exception as exc:  # malformed markup inside a file that opened
        raise BadInputError(path, "Word文件内部结构损坏", f"the Word file's structure is damaged ({type(exc).__name__})") from None
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
    try:
        for ws in wb.worksheets:
            blocks.extend(_sheet_blocks(ws, path))
    except BadInputError:
        raise
    except Exception as exc:  # malformed content inside a workbook that opened
        raise BadInputError(path, "Excel文件内部结构损坏", f"the Excel file's structure is damaged ({type(exc).__name__})") from None
    return blocks


#: a sheet larger than this (rows × columns with values) is not a disclosure table
MAX_SHEET_CELLS = 2_000_000


def _sheet_blocks(ws, path: Path) -> list:
    """A sheet is one table; its title rows are peeled off as captions later."""
    # the extent of the cells that hold values: formatting alone can claim a million empty rows
    cells = getattr(ws, "_cells", None)
    if cells is not None:
        filled = [rc for rc, cell in cells.items() if cell.value is not None]
        n = max((r for r, _ in filled), default=0)
        w = max((c for _, c in filled), default=0)
    else:  # pragma: no cover - read-only worksheets
        n, w = ws.max_row or 0, ws.max_column or 0
    if not n or not w:
        return []
    if n * w > MAX_SHEET_CELLS:
        raise BadInputError(path, f"工作表“{ws.title}”过大（{n}行×{w}列）",
                            f"the sheet {ws.title!r} is too large ({n} rows × {w} columns)")
    rows = [["" if (v := ws.cell(i, j).value) is None else _cell_text(ws.cell(i, j), v)
             for j in range(1, w + 1)] for i in range(1, n + 1)]
    owners = [[(i, j) for j in range(w)] for i in range(n)]
    for rng in ws.merged_cells.ranges:
        top, left = rng.min_row - 1, rng.min_col - 1
        if top >= n or left >= w:
            continue
        for i in range(top, min(rng.max_row, n)):
            for j in range(left, min(rng.max_col, w)):
                if (i, j) != (top, left):
                    rows[i][j] = None
                    owners[i][j] = (top, left)
    return [ProseLine(text=ws.title, page=None, file=shown(path.name)),
            RawTable(rows=rows, row_pages=[None] * n, file=shown(path.name), owners=owners)]


_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def _format_shape(fmt: str) -> tuple[int | None, bool, bool]:
    """(decimals shown, thousands separator, percent) of an Excel number format's positive section.

    Quoted text, [colour] and [condition] parts, ``_x`` padding and ``*x`` fill are not digits: the Chinese
    presets (``#,##0.00_ ;[红色]-#,##0.00``, 会计专用 ``_ * #,##0.00_ ;…``) show two decimals."""
    if not fmt or fmt.lower() == "general":
        return None, False, False
    sec = _FORMAT_NOISE.sub("", fmt.split(";")[0])
    if not re.search(r"[0#?]", sec):
        return None, False, "%" in sec
    frac = sec.split(".", 1)[1] if "." in sec else ""
    return len(re.match(r"[0#?]*", frac).group(0)), "," in sec, "%" in sec


def _cell_text(cell, v) -> str:
    """Numbers as the sheet shows them (thousands separators and decimals kept exact; a half rounded away from
    zero, as Excel shows it)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        from decimal import ROUND_HALF_UP, Decimal

        decimals, thousands, percent = _format_shape(cell.number_format or "")
        d = Decimal(repr(v))
        if percent:
            d = d.scaleb(2)
        if decimals is None and isinstance(v, int):
            decimals = 0
        if decimals is not None:
            d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{d:,}" if thousands else format(d, "f")
        return text + "%" if percent else text
    return str(v)
