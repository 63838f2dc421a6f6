"""The seed rendered in two more page layouts (scripts/render_seed_layouts.py) reads as its text does.

* ``-portrait-wrap.pdf``: A4 portrait, narrow columns: header and row labels wrap onto two or three lines inside
  their cells, multi-level headers merged as the text prints them, no header repeated on the next page.
* ``-landscape.pdf``: A4 landscape, header rows repeated on every page, rows free to break across a page.

Each gives exactly the text's findings, severities included.  The readings that make it so each have a focused
test below: a caption cell whose 金额单位 label the cell's width wrapped, a header the page cut (its first rows
at the foot of one page), and a row the page cut (its words going on at the top of the next page).
"""
from __future__ import annotations

import pytest

import budgetkit
from budgetkit.money import squeeze
from budgetkit.recognise.rows import is_caption_row
from budgetkit.recognise.tables import _caption_lines, _cut_row, _lead_ems
from conftest import SEED_TXT, load

PORTRAIT = SEED_TXT.with_name("leshan-shizhong-shebao-2023-budget-portrait-wrap.pdf")
LANDSCAPE = SEED_TXT.with_name("leshan-shizhong-shebao-2023-budget-landscape.pdf")


def _key(f):
    return (f.rule, f.severity, f.status, f.message, f.expected, f.actual)


@pytest.fixture(scope="module")
def text_findings():
    return budgetkit.check(load(SEED_TXT))


@pytest.mark.parametrize("path", [PORTRAIT, LANDSCAPE], ids=["portrait-wrap", "landscape"])
def test_each_layout_gives_the_texts_findings(path, text_findings):
    """Every error, warning, review and note of the text, with its message and amounts, and nothing else:
    15 errors and 27 warnings, no review."""
    got = budgetkit.check(load(path))
    assert sorted(map(_key, got)) == sorted(map(_key, text_findings))
    counts = got.raw_counts()
    assert (counts["error"], counts["warning"], counts["review"]) == (15, 27, 0)


@pytest.mark.parametrize("path", [PORTRAIT, LANDSCAPE], ids=["portrait-wrap", "landscape"])
def test_each_layout_reads_the_texts_tables_and_amounts(path):
    """The same tables (kind, shape, column paths once wrapping is taken out), no guess, the same amounts
    (table, row, code, column, figure) and no residue."""
    text, pdf = load(SEED_TXT), load(path)
    assert [t.kind for t in pdf.tables] == [t.kind for t in text.tables]
    for a, b in zip(text.tables, pdf.tables):
        assert b.guesses == [], (b.kind, b.guesses)
        assert b.frame.shape == a.frame.shape, b.kind
        if a.kind != "overall_performance_targets":  # its header reads alike in every PDF rendering, not as text
            assert [squeeze(c) for c in b.frame.columns] == [squeeze(c) for c in a.frame.columns], b.kind

    def amounts(d):
        cols = ["table_kind", "row_label", "code", "column_label", "raw", "unit"]
        return sorted(tuple(squeeze(str(x)) for x in r) for r in d.amounts[cols].itertuples(index=False))

    assert amounts(pdf) == amounts(text)
    assert len(pdf.residue) == 0


# --- a caption cell wrapped by its width ------------------------------------------------------------------

def test_a_unit_caption_wrapped_inside_its_cell_is_a_caption():
    """'金额单位：万元' in a narrow cell prints as 金额单 / 位：万元: the row is a caption row, its unit read."""
    assert is_caption_row(["部门：", "", "", "金额单\n位：万元"])
    assert _caption_lines("金额单\n位：万元") == ["金额单位：万元"]
    assert _caption_lines("部\n门：\n316-\n人力\n资源") == ["部门：316-人力资源"]
    assert not is_caption_row(["项目", "金额\n合计"])


def test_landscape_income_expenditure_summary_keeps_its_header_under_a_wrapped_unit():
    """Landscape p. 3: the 部门收支总表's caption row ends in 金额单 / 位：万元; it is no header row (it made
    '部门：/收入/项目' a column and the table read as empty, C02)."""
    t = load(LANDSCAPE).tables[0]
    assert t.kind == "income_expenditure_summary" and t.pages[0] == 3 and t.unit == "万元"
    assert list(t.frame.columns) == ["收入/项目", "收入/预算数", "支出/项目", "支出/预算数"]


# --- a header cut by the page --------------------------------------------------------------------------------

def test_portrait_header_cut_by_the_page_is_one_header():
    """Portrait p. 9 ends with the 三公 table's title, captions and first header row (当年财政拨款预算安排);
    its other header rows and body are on p. 10 under no title.  They are one table with the text's column
    paths (p. 10 once read as a table of unknown kind, and p. 9 as an empty table: C02).  The same on
    p. 6–7 for 财政拨款支出预算表（部门经济分类科目）, whose header rows p. 6 draws with fewer column lines."""
    d = load(PORTRAIT)
    t = next(t for t in d.tables if t.kind == "three_public_costs")
    assert t.pages == [9, 10] and t.guesses == []
    assert "当年财政拨款预算安排/公务接待费" in t.frame.columns
    e = next(t for t in d.tables if t.kind == "fiscal_appropriation_expenditure_by_economic")
    assert e.pages == [6, 7] and e.guesses == []
    assert "区级当年财政拨款安排/一般公共预算拨款/基本支出" in e.frame.columns


# --- a row cut by the page -----------------------------------------------------------------------------------

def test_landscape_row_cut_by_the_page_is_one_row():
    """Landscape p. 10–11: 其他人力资源和社会 / 保障管理事务支出 (2080199), the row broken by the page, is one
    row with its 70.00; and p. 27–28: 年度部门整体支出预 / 算 in the 部门整体支出绩效目标表's header."""
    d = load(LANDSCAPE)
    a = d.amounts
    row = a[(a.table_kind == "gpb_expenditure_by_function") & (a.code == "2080199")]
    assert set(row.row_label) == {"其他人力资源和社会保障管理事务支出"} and set(row.page) == {10}
    t = next(t for t in d.tables if t.kind == "overall_performance_targets")
    assert t.pages == [27, 28]
    assert any(squeeze(x) == "年度部门整体支出预算" for x in t.frame.iloc[:, 1])


def test_portrait_target_row_cut_by_the_page_keeps_its_project():
    """Portrait p. 20–21: the project 51110223T000008914 / 506-待管离休干部 and its goal text go on over the page;
    the project is one, with all 8 indicators (it read as two projects, P02 and P08 under the wrong name)."""
    d = load(PORTRAIT)
    a = d.amounts
    assert a[(a.table_kind == "performance_targets") & (a.raw == "16.01")].row_label.tolist() == [
        "51110223T000008914506-待管离休干部"]
    assert (d.targets.project_name == "待管离休干部").sum() == 8
    # pages 12 and 13 print only the rest of a goal cut by the page: the table runs over them all the same
    t = next(t for t in d.tables if t.kind == "performance_targets")
    assert t.pages == list(range(11, 24))


def _piece(last_row, room):
    """A table piece as the recogniser holds it: one row, its own owners, and the room left at its foot."""
    return {"rows": [list(last_row)], "owners": [[(0, j) for j in range(len(last_row))]], "foot_room": room}


def test_words_go_on_in_a_cell_whose_last_line_was_full():
    """A built page foot: the label cell's last line left 0.2 em, too little for the next word's 1 em."""
    prev = _piece(["2080199", "其他人力资源和社会", "70.00"], {0: 2.0, 1: 0.2, 2: 3.0})
    rows = [["", "保障管理事务支出", ""]]
    assert _cut_row(prev, rows, [[(0, 0), (0, 1), (0, 2)]], 0) == [(0, 0), (0, 1), (0, 2)]


@pytest.mark.parametrize("room, rest", [
    (3.0, "保障管理事务支出"),      # the line above ended with room to spare: the text ended there
    (0.2, "三十一、事业单位结余分配"),  # a numbered item opens a row of its own
    (0.2, "22、其他支出"),
    (0.2, "（3）其他支出"),
    (0.2, "12.50"),                # a figure opens a row of its own
], ids=["room-to-spare", "numbered-item", "numbered-22", "numbered-(3)", "figure"])
def test_a_new_row_at_the_top_of_a_page_stays_a_row(room, rest):
    prev = _piece(["", "二十九、债务发行费用", ""], {1: room})
    assert _cut_row(prev, [["", rest, ""]], [[(0, 0), (0, 1), (0, 2)]], 0) is None


def test_what_opens_a_line():
    """The width a line's first unbreakable piece needs: a character with the punctuation after it (间，),
    a run of digits and letters (506-), an opening bracket with its character."""
    assert _lead_ems("间，预计投入") == 2.0
    assert _lead_ems("506-待管离休干部") == pytest.approx(0.55 * 4)
    assert _lead_ems("（含养老保险）") == 2.0
    assert _lead_ems("补助人数") == 1.0


class _Table:
    def __init__(self, cells):
        self.cells = cells
        self.bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells),
                     max(c[3] for c in cells))


class _Page:
    def __init__(self, chars):
        self.chars = chars


def _line(text, x, top, size=9.0):
    """Characters of one printed line, each a full em wide."""
    return [{"text": ch, "x0": x + k * size, "x1": x + (k + 1) * size, "top": top, "bottom": top + size,
             "size": size} for k, ch in enumerate(text)]


def test_room_at_a_tables_foot_is_measured_to_where_its_lines_stop():
    """A built table foot, 9-pt type, text 5.5 pt from each cell's left line.  A cell of 2-character lines
    (年期 / 间， / 人员) 41 pt wide: the lines above the last stop 12 pt (1.3 em) short of the right line less the
    margin — the word processor keeps more room on the right — so the last line, as long, has no room left.
    A one-line cell is measured to its right line less the margin.  Only cells at the table's foot count."""
    from budgetkit.read.pdf_reader import _foot_room

    left = _line("年期", 100 + 5.5, 10) + _line("间，", 100 + 5.5, 22) + _line("人员", 100 + 5.5, 34)
    right = _line("率", 141 + 5.5, 10)
    above = _line("合计", 100 + 5.5, -20)
    cells = [(100, 0, 141, 50), (141, 0, 200, 50), (100, -30, 200, 0)]
    room = _foot_room(_Page(left + right + above), _Table(cells), [100, 141, 200])
    assert room[0] == pytest.approx(0.0)
    assert room[1] == pytest.approx((200 - 5.5 - (146.5 + 9)) / 9)
    assert set(room) == {0, 1}
