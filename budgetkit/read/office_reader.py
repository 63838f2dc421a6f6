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


#: elements that wrap content without being content: content controls, custom XML, smart tags
_WRAPPERS = {f"{W_NS}sdt", f"{W_NS}sdtContent", f"{W_NS}customXml", f"{W_NS}smartTag"}


def _children(el, tag: str):
    """``el``'s children of ``tag``, those inside content controls (w:sdt) and custom XML included."""
    for child in el.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _on(el) -> bool:
    """A w:vanish, w:b … toggle: on unless its val says off."""
    return el is not None and el.get(f"{W_NS}val", "true").lower() not in ("0", "false", "off", "none")


class _Shown:
    """The text Word shows: runs formatted hidden (w:vanish, directly or by their character style) are left out
    and counted (``hidden``)."""

    def __init__(self, document=None):
        self.hidden = 0
        self.hidden_text: list[str] = []
        self._styles: set[str] = set()
        try:
            styles = document.styles.element if document is not None else None
        except Exception:  # noqa: BLE001 - a document without a styles part
            styles = None
        if styles is not None:
            for st in styles.iterchildren(f"{W_NS}style"):
                rpr = st.find(f"{W_NS}rPr")
                if rpr is not None and _on(rpr.find(f"{W_NS}vanish")):
                    self._styles.add(st.get(f"{W_NS}styleId"))

    def _is_hidden(self, run) -> bool:
        rpr = run.find(f"{W_NS}rPr")
        if rpr is None:
            return False
        if _on(rpr.find(f"{W_NS}vanish")) or _on(rpr.find(f"{W_NS}specVanish")):
            return True
        style = rpr.find(f"{W_NS}rStyle")
        return style is not None and style.get(f"{W_NS}val") in self._styles

    def text(self, el) -> str:
        """The shown text of a paragraph: its runs' w:t, hidden runs left out."""
        out: list[str] = []
        for node in el.iter(f"{W_NS}t"):
            run = node.getparent()
            if run is not None and run.tag == f"{W_NS}r" and self._is_hidden(run):
                if node.text:
                    self.hidden += 1
                    if len(self.hidden_text) < 3:
                        self.hidden_text.append(node.text)
                continue
            out.append(node.text or "")
        return "".join(out)


def _docx_table(tbl, name: str, shown_text: _Shown | None = None) -> RawTable:
    """Expand a Word table into a grid; covered positions are None with an owner. Rows and cells inside content
    controls are read; hidden text is left out."""
    shown_text = shown_text or _Shown()
    rows: list[list] = []
    owners: list[list] = []
    open_vmerge: dict[int, tuple[int, int]] = {}  # column → owner of a running vertical merge
    tbl_el = getattr(tbl, "_tbl", tbl)
    for i, tr in enumerate(_children(tbl_el, f"{W_NS}tr")):
        row: list = []
        orow: list = []
        col = 0
        for tc in _children(tr, f"{W_NS}tc"):
            tcpr = tc.find(f"{W_NS}tcPr")
            span_el = tcpr.find(f"{W_NS}gridSpan") if tcpr is not None else None
            try:
                span = max(1, min(int(span_el.get(f"{W_NS}val")), 1000)) if span_el is not None else 1
            except (TypeError, ValueError):
                span = 1
            vmerge = tcpr.find(f"{W_NS}vMerge") if tcpr is not None else None
            text = "\n".join(shown_text.text(p) for p in tc.iter(f"{W_NS}p"))
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


def read_docx(path: Path, notes: list | None = None) -> list:
    """Paragraphs and tables in body order, those inside content controls (w:sdt) included; text formatted hidden
    is left out and ``notes`` receives a bilingual line saying so."""
    try:
        import docx
    except ImportError:  # pragma: no cover - a declared dependency
        raise BadInputError(path, "读取Word需要python-docx", "reading Word needs python-docx") from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise BadInputError(path, "Word文件已损坏，无法打开", f"the Word file is corrupt ({type(exc).__name__})") from None
    blocks: list = []
    name = shown(path.name)
    try:
        shown_text = _Shown(document)
        for child in _body_children(document.element.body):
            if child.tag == f"{W_NS}p":
                text = shown_text.text(child).strip()
                if text:
                    blocks.append(ProseLine(text=text, page=None, file=name))
            else:
                table = _docx_table(child, name, shown_text)
                if table.rows and table.width:
                    blocks.append(table)
    except Exception as exc:  # malformed markup inside a file that opened
        raise BadInputError(path, "Word文件内部结构损坏", f"the Word file's structure is damaged ({type(exc).__name__})") from None
    if shown_text.hidden and notes is not None:
        sample = "、".join(f"“{t[:20]}”" for t in shown_text.hidden_text)
        notes.append(f"{name}: {shown_text.hidden}段隐藏文字（Word中不显示）未读取，如{sample} / "
                     f"{shown_text.hidden} run(s) of hidden text (not shown by Word) were left out, e.g. {sample}")
    return blocks


def _body_children(body):
    """The body's paragraphs and tables in order, content controls opened."""
    for child in body.iterchildren():
        if child.tag in (f"{W_NS}p", f"{W_NS}tbl"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _body_children(child)


def read_xlsx(path: Path, notes: list | None = None) -> list:
    """One table per visible sheet. ``notes`` receives a bilingual line for each hidden sheet left out and for
    formula cells the file holds no value for (a workbook saved by a program that does not calculate): those
    cells are empty in the table."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover
        raise BadInputError(path, "读取Excel需要openpyxl", "reading Excel needs openpyxl") from None
    try:
        wb = openpyxl.load_workbook(path, data_only=True, read_only=False)
    except Exception as exc:
        raise BadInputError(path, "Excel文件已损坏，无法打开", f"the Excel file is corrupt ({type(exc).__name__})") from None
    notes = notes if notes is not None else []
    name = shown(path.name)
    blocks: list = []
    try:
        hidden = [ws.title for ws in wb.worksheets if ws.sheet_state in ("hidden", "veryHidden")]
        for ws in wb.worksheets:
            if ws.title not in hidden:
                blocks.extend(_sheet_blocks(ws, path))
    except BadInputError:
        raise
    except Exception as exc:  # malformed content inside a workbook that opened
        raise BadInputError(path, "Excel文件内部结构损坏", f"the Excel file's structure is damaged ({type(exc).__name__})") from None
    if hidden:
        listed = "、".join(f"“{t}”" for t in hidden[:5]) + ("等" if len(hidden) > 5 else "")
        listed_en = ", ".join(repr(t) for t in hidden[:5]) + (" …" if len(hidden) > 5 else "")
        notes.append(f"{name}: 隐藏的工作表{listed}（共{len(hidden)}个）未读取 / "
                     f"{len(hidden)} hidden sheet(s) left out: {listed_en}")
    for sheet, cells in _uncalculated(path, wb, hidden).items():
        shown_cells = "、".join(cells[:5]) + ("等" if len(cells) > 5 else "")
        notes.append(f"{name}: 工作表“{sheet}”有{len(cells)}个公式单元格没有保存计算结果（{shown_cells}），读作空白 / "
                     f"sheet {sheet!r} has {len(cells)} formula cell(s) saved without a calculated value "
                     f"({', '.join(cells[:5])}{' …' if len(cells) > 5 else ''}), read as blank")
    return blocks


def _uncalculated(path: Path, wb, hidden: list[str]) -> dict[str, list[str]]:
    """Visible sheet → references of its formula cells that have no cached value (read from the sheet XML:
    ``<c><f>…</f></c>`` with no ``<v>``)."""
    import zipfile

    from lxml import etree

    out: dict[str, list[str]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for ws in wb.worksheets:
                if ws.title in hidden:
                    continue
                member = _sheet_member(zf, ws.title)
                if member is None:
                    continue
                with zf.open(member) as fh:
                    head = fh.read(1 << 20)
                    if b"<f" not in head and b":f" not in head and len(head) < (1 << 20):
                        continue
                with zf.open(member) as fh:
                    refs = []
                    for _, c in etree.iterparse(fh, events=("end",), tag=f"{{{_SML}}}c", huge_tree=False):
                        f = c.find(f"{{{_SML}}}f")
                        if f is not None:
                            v = c.find(f"{{{_SML}}}v")
                            if v is None or not (v.text or "").strip():
                                refs.append(c.get("r") or "?")
                        c.clear()
                    if refs:
                        out[ws.title] = refs
    except Exception:  # noqa: BLE001 - a report, never a reason to fail a workbook openpyxl read
        return out
    return out


_SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheet_member(zf, title: str) -> str | None:
    """The zip member of the sheet named ``title`` (workbook.xml → its relationship → the part)."""
    from lxml import etree

    book = etree.fromstring(zf.read("xl/workbook.xml"))
    rid = next((s.get(f"{{{_REL}}}id") for s in book.iter(f"{{{_SML}}}sheet") if s.get("name") == title), None)
    if rid is None:
        return None
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels if r.get("Id") == rid), None)
    if not target:
        return None
    member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return member if member in zf.namelist() else None


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
