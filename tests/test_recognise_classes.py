"""Reading classes of table recognition that generalise beyond the vendored documents."""
from __future__ import annotations

import pytest

from budgetkit.recognise.catalogue import match_title


@pytest.mark.parametrize("title, kind", [
    # a fund's own table whose title contains the general 财政拨款 title is that fund's table
    ("政府性基金预算财政拨款支出预算表", "govfund_expenditure"),
    ("2026年国有资本经营预算财政拨款支出预算表", "soe_capital_expenditure"),
    ("一般公共预算财政拨款支出预算表", "gpb_expenditure_by_function"),
    # the general table itself, and a 三公 table naming its fund, keep their kinds
    ("财政拨款支出预算表", "fiscal_appropriation_expenditure_by_function"),
    ("十一、 一般公共预算“三公”经费、会议费、培训费支出预算表", "three_public_costs"),
    ("公开10表政府性基金预算支出表", "govfund_expenditure"),
])
def test_a_title_is_typed_by_its_most_specific_match(title, kind):
    assert match_title(title).kind == kind


def test_text_placed_outside_the_page_box_is_not_read(tmp_path):
    """Characters above the top edge (a producer repeating the previous page's text there) or below the foot
    (a tall cell's overflow) are never seen by a reader, so they are not prose."""
    from budgetkit.fuzz import tiny_pdf
    from budgetkit.read.pdf_reader import read_pdf

    p = tmp_path / "outside.pdf"
    p.write_bytes(tiny_pdf(extra_ops=("BT /F1 10 Tf 50 830 Td (Sentence above the page) Tj ET",
                                      "BT /F1 10 Tf 50 -40 Td (Overflow below the page) Tj ET",
                                      "BT /F1 10 Tf 50 500 Td (Sentence on the page) Tj ET")))
    blocks, _ = read_pdf(p)
    prose = [b.text for b in blocks if hasattr(b, "text")]
    assert "Sentence on the page" in prose
    assert not any("above the page" in t or "below the page" in t for t in prose)


def test_kangxi_radicals_read_as_the_characters_they_print(tmp_path):
    """Text layers that carry Kangxi radicals (⼀ U+2F00 for 一, ⽀ U+2F40 for 支) read as the seed does: the same
    department, tables and findings."""
    import budgetkit
    from conftest import SEED_TXT, load

    seed = load(SEED_TXT)
    p = tmp_path / "seed-kangxi.txt"
    p.write_text(SEED_TXT.read_text(encoding="utf-8").replace("一", "\u2f00").replace("支", "\u2f40"),
                 encoding="utf-8")
    d = budgetkit.read(p)
    assert d.meta["department"] == seed.meta["department"]
    assert [t.kind for t in d.tables] == [t.kind for t in seed.tables]
    assert budgetkit.check(d).counts() == budgetkit.check(seed).counts()


def test_excel_number_formats_of_everyday_workbooks_show_their_decimals(tmp_path):
    """Cells formatted with the Chinese Excel presets (数值 with 红色 negatives, 会计专用) are read with the two
    decimals they show, so every amount of the seed's workbook is read as before; a half is shown away from zero."""
    from openpyxl import load_workbook

    import budgetkit
    from budgetkit.read.office_reader import _format_shape
    from conftest import SEED_TXT, load

    src = SEED_TXT.with_suffix(".xlsx")
    wb = load_workbook(src)
    presets = ["#,##0.00_ ;[红色]-#,##0.00 ", '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ']
    for k, ws in enumerate(wb.worksheets):
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, float):
                    c.number_format = presets[k % 2]
    p = tmp_path / "seed-presets.xlsx"
    wb.save(p)
    d, before = budgetkit.read(p), load(src)
    assert len(d.amounts) == len(before.amounts) and len(d.residue) == len(before.residue)
    assert [str(x) for x in d.amounts["amount"]] == [str(x) for x in before.amounts["amount"]]
    assert _format_shape(presets[1]) == (2, True, False)

    class Cell:
        number_format = "0.00"

    from budgetkit.read.office_reader import _cell_text
    assert _cell_text(Cell(), 1149.805) == "1149.81"


@pytest.mark.parametrize("title, kind", [
    # a bracket saying what a table leaves out does not type it (西安's 2022 template prints these)
    ("表122022年部门综合预算政府采购（资产配置、购买服务）预算表（不含上年结转）", "procurement"),
    ("2022年部门综合预算一般公共预算拨款“三公”经费、会议费、培训费表（不含上年结转）", "three_public_costs"),
    ("2022年部门综合预算一般公共预算基本支出明细表（按支出经济分类科目-不含上年结转）",
     "gpb_basic_expenditure_by_economic"),
    # the carry-over table itself still is one
    ("表11部门综合预算财政拨款上年结转资金支出表", "carryover_expenditure"),
])
def test_a_bracketed_scope_note_does_not_type_a_table(title, kind):
    assert match_title(title).kind == kind


def test_a_scanned_page_inside_a_text_pdf_is_said_not_skipped(tmp_path):
    """A table page replaced by a picture of itself: the other pages are read, and a warning names the page whose
    content was not read (a scanned page is never skipped without a word)."""
    import pypdfium2 as pdfium

    import budgetkit
    from conftest import SEED_PDF

    src = pdfium.PdfDocument(str(SEED_PDF))
    new = pdfium.PdfDocument.new()
    new.import_pages(src, [0, 1, 2])
    picture = src[3].render(scale=1).to_pil()
    w, h = src[3].get_size()
    page = new.new_page(w, h)
    img = pdfium.PdfImage.new(new)
    img.set_bitmap(pdfium.PdfBitmap.from_pil(picture))
    img.set_matrix(pdfium.PdfMatrix().scale(w, h))
    page.insert_obj(img)
    page.gen_content()
    p = tmp_path / "seed-with-a-scan.pdf"
    new.save(str(p))
    d = budgetkit.read(p, keep_going=True)
    assert any("第4页是图片" in w and "page(s) 4 are pictures" in w for w in d.warnings)


def test_a_figure_cut_by_the_page_is_read_whole():
    """杭州市公安局 2026 收入预算总表 (pp21–22 of the source): the row 杭州市机动|车驾驶员考试服务中心 runs over the page
    break, its 事业收入 printed 12,437.3 at the foot of p21 and its last digit 6 at the top of p22 — one row,
    12,437.36 (总计 14,549.64 = 12,437.36 + 2,112.28), not 12,437.3 and a row of 6."""
    from decimal import Decimal

    import budgetkit
    from conftest import DATA

    d = budgetkit.read(DATA / "excerpts" / "zj-hangzhou-police-2026-budget-p21-p22.pdf")
    a = d.amounts[d.amounts["row_label"] == "杭州市机动车驾驶员考试服务中心"]
    got = dict(zip(a["column_label"], a["amount"]))
    assert got["本年收入/事业收入"] == Decimal("12437.36") and got["总计"] == Decimal("14549.64")
    assert not (d.amounts["row_label"] == "车驾驶员考试服务中心").any()


def test_figure_rest_needs_the_decimals_its_row_prints():
    from budgetkit.recognise.tables import _figure_rest

    row = ["杭州市机动", "14,549.64", "14,549.64", "12,437.3", "2,112.28"]
    assert _figure_rest("12,437.3", "6", row)
    assert not _figure_rest("12,437.36", "6", row)  # a whole figure above: the 6 is a figure of its own
    assert not _figure_rest("12,437.3", "6,000.00", row)  # a whole figure below
    assert not _figure_rest("12437", "3", ["x", "100", "12437"])  # integers: no decimals to tell a cut
