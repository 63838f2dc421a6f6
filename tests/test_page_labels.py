"""Page numbers: every location is a PDF page; where the page prints its own number (「—29—」, 「- 29 -」, 「第29页」,
a lone 「29」 at the foot) and the neighbouring pages agree, the location also carries ``printed_page`` and the
reports say both: 「第30页（页码印 29 / p.30 printed 29）」. Where it is not sure, nothing extra is shown."""
from __future__ import annotations

import json

import budgetkit
from budgetkit.read.blocks import ProseLine
from budgetkit.read.page_labels import printed_pages
from budgetkit.report import to_html, to_json, to_text
from conftest import DATA


def _page(n, *lines, file="x.pdf"):
    return [ProseLine(text=t, page=n, file=file) for t in lines]


def test_a_footer_number_that_grows_with_the_page_is_its_label():
    """Built: a cover, then pages whose last line prints 「—1—」, 「- 2 -」, 「第3页」, 「４」: PDF page − 1 each time."""
    blocks = (_page(1, "2026年部门预算") + _page(2, "正文", "—1—") + _page(3, "正文", "- 2 -")
              + _page(4, "正文", "第3页") + _page(5, "正文", "４"))
    assert printed_pages(blocks) == {("x.pdf", 2): 1, ("x.pdf", 3): 2, ("x.pdf", 4): 3, ("x.pdf", 5): 4}


def test_a_lone_number_with_no_neighbour_to_agree_is_not_a_label():
    """Built: a table's last line 「12」 on one page and 「7」 on the next disagree with each other (12 − 2 ≠ 7 − 3);
    a heading's year is no page number either: nothing is said."""
    blocks = _page(2, "正文", "12") + _page(3, "正文", "7") + _page(4, "2026") + _page(9, "正文", "- 5 -")
    assert printed_pages(blocks) == {}


def test_hangzhou_footers_are_printed_beside_pdf_pages(tmp_path):
    """杭州市公安局 收入预算总表, excerpt pp. 1-2 (PDF pp. 21-22 of the whole document), print 「20」 and 「21」 at the
    foot: the W05 cells say 第1页（页码印 20）; the page column stays the PDF page."""
    d = budgetkit.read(DATA / "excerpts" / "zj-hangzhou-police-2026-budget-p21-p22.pdf")
    name = "zj-hangzhou-police-2026-budget-p21-p22.pdf"
    assert d.meta["printed_pages"] == [{"file": name, "page": 1, "printed": 20}, {"file": name, "page": 2, "printed": 21}]
    f = budgetkit.check(d)
    loc = f.problems[0].locations[0]
    assert (loc["page"], loc["printed_page"]) == (1, 20)
    assert "第1页（页码印 20 / p.1 printed 20）" in to_text(f)
    assert "1（页码印 20 / p.1 printed 20）" in to_html(f)
    assert json.loads(to_json(f))["findings"][0]["locations"][0]["printed_page"] == 20
    assert list(d.amounts["page"].dropna().unique()) == [1, 2]
    assert f.frame.loc[0, "printed_page"] == 20 and f.frame.loc[0, "page"] == 1  # a column added, none renamed
    from budgetkit.export import findings_sheets

    sheet = findings_sheets(f)["发现 findings"]
    assert (sheet.loc[0, "页 / page"], sheet.loc[0, "页码印 / printed page"]) == (1, 20)


def test_no_printed_number_no_extra_words():
    """西安市人社局 pp. 29-31 print no page number: the locations say the PDF page only."""
    f = budgetkit.check(budgetkit.read(DATA / "excerpts" / "sn-xian-hrss-2026-budget-summary-twice.pdf"))
    assert f.meta["printed_pages"] == [] and "页码印" not in to_text(f)


def test_a_performance_target_row_on_a_one_file_disclosure_gets_its_page_label():
    """烟台市审计局 2026 p.31 (政策和项目预算绩效目标表) prints 「—30—」 at its foot; a P02 finding there names its
    row and page but no file, and the disclosure is one file, so the report says the printed page too."""
    f = budgetkit.check(budgetkit.read(DATA / "corpus" / "sd-yantai-audit-2026-budget.pdf"))
    locs = [loc for x in f.items if x.rule == "P02" for loc in x.locations if loc.get("page") == 31]
    assert locs and all(loc["printed_page"] == 30 for loc in locs)
    assert "第31页（页码印 30 / p.31 printed 30）" in to_text(f)


def test_a_label_split_from_its_dashes_is_still_the_label():
    """Built: 「— 1 —」 read as two lines, the number then 「— —」 at the foot (or 「— —」 then the number at the head):
    the number beside the dashes is the page's label; a page of dashes alone has none."""
    blocks = (_page(1, "正文", "1", "— —") + _page(2, "— —", "2", "正文") + _page(3, "正文", "3", "- -")
              + _page(4, "正文", "— —"))
    assert printed_pages(blocks) == {("x.pdf", 1): 1, ("x.pdf", 2): 2, ("x.pdf", 3): 3}

