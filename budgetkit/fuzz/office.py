"""Mutations of the seed's Excel and Word files: what people see must be what is read.

Excel: number formats of everyday workbooks (the Chinese presets, 会计专用, sections with colours, padding, thousands,
percent, hidden ``;;;``), values with binary tails, half-way values, formula cells with and without a cached value,
hidden sheets. Word: tables, rows and cells inside content controls, hidden runs beside figures. Each mutation says
whether it keeps what Excel or Word shows (``same_view``): then the amounts read must be the seed's.
"""
from __future__ import annotations

import io
import random
import re
import zipfile
from decimal import Decimal

from budgetkit.fuzz.mutate import ROOT

SEED_XLSX = ROOT / "data" / "seed" / "leshan-shizhong-shebao-2023-budget.xlsx"
SEED_DOCX = ROOT / "data" / "seed" / "leshan-shizhong-shebao-2023-budget.docx"

#: formats under which a two-decimal amount shows as it is printed (1,149.80): the view does not change
SAME_VIEW = ["#,##0.00", "#,##0.00_ ;[红色]-#,##0.00 ", '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ',
             "#,##0.00;[Red]-#,##0.00", "#,##0.00;(#,##0.00)", "[$-804]#,##0.00", "#,##0.00_);[Red](#,##0.00)",
             '#,##0.00;-#,##0.00;"-"', "[Blue]#,##0.00;[Red]-#,##0.00"]
#: formats that change the view: other decimals, no separator, percent, scientific, text, hidden
OTHER_VIEW = ["0.00", "0.0", "#,##0", "0.00%", "0.00E+00", "@", "General", ";;;", '0.00"万元"', "¥#,##0.00",
              "#,##0.000", "# ?/?", "[>=1000]#,##0.00;0.00", "000000.00"]


def mutate_xlsx(rng: random.Random) -> tuple[bytes, list[str], bool]:
    """(workbook bytes, mutations, same_view)."""
    from openpyxl import load_workbook

    wb = load_workbook(SEED_XLSX)
    ops: list[str] = []
    same = True
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))]
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(["same_format", "same_format", "other_format", "binary_tail", "half_way", "formula",
                         "hide_sheet", "text_number"])
        if not cells:
            break
        cells = [c for c in cells if isinstance(c.value, (int, float))]  # earlier steps made some text
        if not cells:
            break
        chosen = rng.sample(cells, min(len(cells), rng.choice([1, 5, 50, len(cells)])))
        if op == "same_format":
            fmt = rng.choice(SAME_VIEW)
            for c in chosen:
                if c.number_format in ("#,##0.00", "0.00"):
                    c.number_format = fmt
        elif op == "other_format":
            fmt = rng.choice(OTHER_VIEW)
            for c in chosen:
                c.number_format = fmt
            same = False
        elif op == "binary_tail":  # 1149.8 stored as 1149.8000000000002, as arithmetic in Excel leaves it
            for c in chosen:
                if isinstance(c.value, float):
                    c.value = c.value + rng.choice([1, -1]) * abs(c.value) * 2.2e-16
        elif op == "half_way":  # 1149.805 shown 1,149.81: half away from zero
            for c in chosen:
                c.value = float(Decimal(str(c.value)) + Decimal("0.005"))
            same = False
        elif op == "formula":
            for c in chosen[:3]:
                c.value = f"={c.value}+0"
            same = False
        elif op == "hide_sheet" and len(wb.worksheets) > 2:
            ws = rng.choice(wb.worksheets[1:])
            if sum(s.sheet_state == "visible" for s in wb.worksheets) > 1:
                ws.sheet_state = rng.choice(["hidden", "veryHidden"])
                same = False
        elif op == "text_number":  # a figure stored as text, as pasted from a web page
            for c in chosen:
                c.value = f"{c.value:,.2f}" if isinstance(c.value, float) else str(c.value)
            same = False
        ops.append(op)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), ops, same


_TBL = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_TR = re.compile(r"<w:tr[ >].*?</w:tr>", re.S)
_FIGURE_RUN = re.compile(r"(<w:r>(?:(?!</w:r>).)*?<w:t(?: [^>]*)?>)(\d[\d,]*\.\d+)(</w:t></w:r>)", re.S)


def _sdt(xml: str) -> str:
    return f"<w:sdt><w:sdtPr><w:alias w:val=\"表格\"/></w:sdtPr><w:sdtContent>{xml}</w:sdtContent></w:sdt>"


def mutate_docx(rng: random.Random) -> tuple[bytes, list[str], bool]:
    """(document bytes, mutations, same_view)."""
    src = zipfile.ZipFile(SEED_DOCX)
    xml = src.read("word/document.xml").decode("utf-8")
    ops: list[str] = []
    same = True
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(["sdt_table", "sdt_row", "hidden_run", "hidden_run", "hidden_paragraph_run", "visible_run"])
        if op in ("sdt_table", "sdt_row"):
            hits = list((_TBL if op == "sdt_table" else _TR).finditer(xml))
            if hits:
                m = rng.choice(hits)
                xml = xml[:m.start()] + _sdt(m.group(0)) + xml[m.end():]
        elif op in ("hidden_run", "visible_run"):
            hits = list(_FIGURE_RUN.finditer(xml))
            if hits:
                m = rng.choice(hits)
                extra = rng.choice(["9", "0", "1,000", " 万元", "（注）"])
                props = "<w:rPr><w:vanish/></w:rPr>" if op == "hidden_run" else ""
                xml = xml[:m.end()] + f"<w:r>{props}<w:t xml:space=\"preserve\">{extra}</w:t></w:r>" + xml[m.end():]
                same = same and op == "hidden_run"
        elif op == "hidden_paragraph_run":
            at = xml.find("<w:body>")
            if at >= 0:
                at += len("<w:body>")
                xml = (xml[:at] + "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>合计 1,234.56 万元</w:t></w:r></w:p>"
                       + xml[at:])
        ops.append(op)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info, xml.encode("utf-8") if info.filename == "word/document.xml" else src.read(info))
    return out.getvalue(), ops, same
