"""The .xlsx writer read back with openpyxl: amounts as Excel numbers in their printed precision, text never a
formula, Chinese bold headers, a frozen header row and an auto-filter, nothing lost; on 乐山市市中区社会保险事务中心
2023 预算 (部门收支总表 p.2) and on built frames for the values a document rarely holds."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import pandas as pd
from openpyxl import load_workbook

from budgetkit.export import disclosure_sheets, xlsx_bytes


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_real_document_reads_back_as_numbers_text_and_filters(seed_pdf):
    sheets = disclosure_sheets(seed_pdf)
    a = sheets["金额 amounts"]
    first = a["row_label"].iloc[0]
    assert first == "一、一般公共预算拨款收入" and a["amount"].iloc[0] == Decimal("1149.80")
    a.loc[a.index[0], "row_label"] = "=" + first  # a label a spreadsheet would take for a formula
    data = xlsx_bytes(sheets)
    for name, part in _parts(data).items():  # every part well-formed XML
        ElementTree.fromstring(part)
    sheet1 = _parts(data)["xl/worksheets/sheet1.xml"].decode("utf-8")
    assert "<f>" not in sheet1 and f"<t>={first}</t>" in sheet1  # written as a string, not a formula

    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["金额 amounts", "表格 tables", "段落 narrative", "残留 residue", "概况 meta"]
    ws = wb["金额 amounts"]
    head = [c.value for c in ws[1]]
    assert "金额 / amount" in head and "页 / page" in head and "row_label" not in head  # Chinese, English beside
    assert all(c.font.b for c in ws[1]) and not ws.cell(2, 1).font.b
    col = {h: j for j, h in enumerate(head, start=1)}
    label = ws.cell(2, col["行 / row"])
    assert label.value == "=" + first and label.data_type == "s"
    amount, yuan, page = (ws.cell(2, col[h]) for h in ("金额 / amount", "金额（元） / amount (yuan)", "页 / page"))
    assert amount.value == 1149.8 and amount.data_type == "n" and amount.number_format == "#,##0.00"
    assert yuan.value == 11498000 and yuan.number_format == "#,##0"
    assert page.value == 2 and page.data_type == "n"
    amounts = [ws.cell(r, col["金额 / amount"]) for r in range(2, ws.max_row + 1)]
    assert len(amounts) == len(a) and all(isinstance(c.value, (int, float)) for c in amounts)
    assert all(c.number_format == "#,##0.00" for c in amounts)  # every amount of this document printed to 0.01
    for ws, (name, frame) in zip(wb.worksheets, sheets.items()):
        assert ws.title == name and ws.freeze_panes == "A2" and ws.max_row == len(frame) + 1  # no row lost
        if len(frame):
            assert ws.auto_filter.ref == f"A1:{ws.cell(1, frame.shape[1]).column_letter}{len(frame) + 1}"


def test_built_values_filters_off_and_long_sheet_names():
    frame = pd.DataFrame({"text": ["=SUM(A1:A2)", " lead", "a\x01b", "<&>", ""],
                          "amount": [Decimal("12.345"), Decimal("NaN"), Decimal("-0.10"), None, Decimal("7")],
                          "year": pd.array([2024, None, 2025, 2026, 2027], dtype="Int64"),
                          "share": [0.5, float("nan"), float("inf"), 1.0, 2.0]})
    data = xlsx_bytes({"一个很长的工作表名称 a sheet name longer than 31 characters": frame}, filters=False)
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert len(ws.title) == 31 and ws.auto_filter.ref is None and ws.freeze_panes == "A2"
    assert [ws.cell(r, 1).value for r in range(2, 7)] == ["=SUM(A1:A2)", " lead", "ab", "<&>", None]
    assert ws.cell(2, 1).data_type == "s"  # never a formula
    assert (ws.cell(2, 2).value, ws.cell(2, 2).number_format) == (12.345, "#,##0.000")
    assert (ws.cell(3, 2).value, ws.cell(3, 2).data_type) == ("NaN", "s")  # a non-finite decimal as text
    assert (ws.cell(4, 2).value, ws.cell(4, 2).number_format) == (-0.1, "#,##0.00")
    assert ws.cell(5, 2).value is None and ws.cell(6, 2).number_format == "#,##0"
    assert [ws.cell(r, 3).value for r in range(2, 7)] == [2024, None, 2025, 2026, 2027]
    assert [ws.cell(r, 4).value for r in range(2, 7)] == [0.5, None, "inf", 1.0, 2.0]
