"""Table structure on templates the project was not built on (issue 9).

Built tables (RawTable blocks, as a PDF reader emits them) pin each structure case;
real excerpts from data/corpus show the same cases in published documents.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from budgetkit.check import check
from budgetkit.check.between import scope_of
from budgetkit.read.blocks import ProseLine, RawTable
from budgetkit.recognise.tables import recognise_tables
from budgetkit.tidy.amounts import tidy_table
from conftest import CORPUS, load

EDGES4 = [50.0, 200.0, 300.0, 450.0, 550.0]


def _line(text, page=1):
    return ProseLine(text=text, page=page, file="t.pdf")


def _table(rows, page=1, edges=None):
    edges = edges or [50.0 + 100 * j for j in range(len(rows[0]) + 1)]
    owners = [[(i, j) for j in range(len(r))] for i, r in enumerate(rows)]
    return RawTable(rows=[list(r) for r in rows], row_pages=[page] * len(rows), file="t.pdf", owners=owners,
                    col_edges=list(edges))


def _tidy(blocks):
    tables, prose = recognise_tables(blocks)
    return [tidy_table(t, i + 1) for i, t in enumerate(tables)], prose


FUNCTION_ROWS = [
    ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ["201", "一般公共服务支出", "120.00", "100.00", "20.00"],
    ["20101", "人大事务", "120.00", "100.00", "20.00"],
]


# --- recognising a table -------------------------------------------------------------------------

def test_title_split_over_two_lines_is_joined():
    (tt,), _ = _tidy([_line("2026年一般公共预算"), _line("支出情况表"), _line("单位：万元"), _table(FUNCTION_ROWS)])
    assert tt.table.kind == "gpb_expenditure_by_function" and tt.table.unit == "万元"
    assert not tt.table.guesses


def test_generic_title_is_recognised_from_header_and_codes_and_says_so():
    (tt,), _ = _tidy([_line("预算表3"), _line("单位：万元"), _table(FUNCTION_ROWS)])
    assert tt.table.kind == "expenditure_summary"
    assert any("推断" in g and "inferred" in g for g in tt.table.guesses)


def test_caption_row_in_the_title_place_gives_the_unit():
    rows = [["部门名称：某某局", "", "", "", "单位：万元"]] + FUNCTION_ROWS
    (tt,), _ = _tidy([_line("一般公共预算支出表"), _table(rows)])
    assert tt.table.unit == "万元" and tt.table.kind == "gpb_expenditure_by_function"
    assert any("某某局" in c for c in tt.table.captions)
    assert [r["amount"] for r in tt.amounts][:3] == [Decimal("120.00"), Decimal("100.00"), Decimal("20.00")]


def test_a_page_number_or_a_note_is_never_a_title():
    blocks = [_line("注：本表反映部门本年度的收支总体情况。"), _line("2026年部门支出总体情况表"), _line("24"),
              _table(FUNCTION_ROWS)]
    (tt,), _ = _tidy(blocks)
    assert tt.table.title == "2026年部门支出总体情况表" and tt.table.kind == "expenditure_summary"


def test_table_of_contents_goes_back_to_prose():
    toc = [["一、部门收支总表", "5"], ["二、部门收入总表", "6"], ["三、部门支出总表", "7"], ["四、财政拨款收支总表", "8"]]
    tables, prose = recognise_tables([_line("目录"), _table(toc)])
    assert tables == []
    assert [p.text for p in prose] == ["目录", "一、部门收支总表 5", "二、部门收入总表 6", "三、部门支出总表 7",
                                      "四、财政拨款收支总表 8"]


# --- structure ------------------------------------------------------------------------------------

def test_code_and_row_number_columns_are_never_amounts():
    rows = [["", "项目", "行次", "金额"], ["201", "一般公共服务支出", "1", "10.00"], ["20101", "人大事务", "2", "10.00"],
            ["208", "社会保障和就业支出", "3", "5.50"]]
    (tt,), _ = _tidy([_line("支出决算表"), _line("单位：万元"), _table(rows)])
    assert tt.roles == ["code", "label", "attribute", "amount"]
    assert [(r["code"], r["amount"]) for r in tt.amounts] == [("201", Decimal("10.00")), ("20101", Decimal("10.00")),
                                                             ("208", Decimal("5.50"))]


def test_two_panel_table_keeps_each_halfs_own_code():
    rows = [["科目代码", "科目名称", "决算数", "科目代码", "科目名称", "决算数"],
            ["301", "工资福利支出", "6,982.75", "302", "商品和服务支出", "2,239.41"],
            ["30101", "基本工资", "1,857.40", "30201", "办公费", "83.92"]]
    (tt,), _ = _tidy([_line("一般公共预算财政拨款基本支出决算表"), _line("单位：万元"), _table(rows)])
    got = {(r["code"], r["row_label"], r["amount"]) for r in tt.amounts}
    assert got == {("301", "工资福利支出", Decimal("6982.75")), ("302", "商品和服务支出", Decimal("2239.41")),
                   ("30101", "基本工资", Decimal("1857.40")), ("30201", "办公费", Decimal("83.92"))}


def test_continuation_without_header_joins_and_a_new_header_does_not():
    first = _table(FUNCTION_ROWS, page=1, edges=EDGES4 + [650.0])
    cont = _table([["20102", "政协事务", "1.00", "1.00", ""]], page=2, edges=EDGES4 + [650.0])
    (tt,), _ = _tidy([_line("一般公共预算支出表"), _line("单位：万元"), first, cont])
    assert tt.table.pages == [1, 2] and not tt.table.guesses
    new = _table([["项目", "合计", "基本支出", "项目支出", "其他"], ["x", "1.00", "1.00", "", ""]], page=2,
                 edges=EDGES4 + [650.0])
    tables, _ = recognise_tables([_line("一般公共预算支出表"), _line("单位：万元"), first, new])
    assert len(tables) == 2


def test_shifted_column_lines_keep_every_cell():
    first = _table(FUNCTION_ROWS, page=1, edges=[50, 150, 250, 350, 450, 550])
    # the next page draws one more line: each old column still holds its own figure
    cont = _table([["20102", "政协事务", "7.00", "", "3.00", "4.00"]], page=2,
                  edges=[50, 150, 250, 350, 400, 450, 550])
    (tt,), _ = _tidy([_line("一般公共预算支出表"), _line("单位：万元"), first, cont])
    later = [r for r in tt.amounts if r["code"] == "20102"]
    assert sorted(r["amount"] for r in later) == [Decimal("3.00"), Decimal("4.00"), Decimal("7.00")]
    assert any("re-aligned" in g for g in tt.table.guesses)


def test_part_of_columns_are_not_a_partition_of_the_total():
    from budgetkit.check.within import _is_part_of

    assert _is_part_of("本年支出/项目支出/其中：基本建设资金支出") and not _is_part_of("本年支出/项目支出/小计")


# --- real documents ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def changsha():
    return load(CORPUS / "hn-changsha-xinfang-2026-budget.pdf")


@pytest.fixture(scope="module")
def xinfang_final():
    return load(CORPUS / "cn-central-xinfang-2024-final.pdf")


def test_text_background_boxes_are_prose_and_total_titles_are_known(changsha):
    kinds = [(t.kind, t.title) for t in changsha.tables[:6]]
    assert kinds == [("income_expenditure_summary", "2026年部门收支总体情况表"),
                     ("income_summary", "2026年部门收入总体情况表"),
                     ("expenditure_summary", "2026年部门支出总体情况表"),
                     ("fiscal_appropriation_summary", "2026年财政拨款收支总体情况表"),
                     ("gpb_expenditure_by_function", "2026年一般公共预算支出情况表"),
                     ("gpb_basic_expenditure_by_economic", "2026年一般公共预算基本支出情况表")]
    assert all(t.kind != "unknown" for t in changsha.tables)
    n = changsha.narrative
    # page 5's white word boxes once became one-row "tables"; the sentence is prose again
    assert n[n.text.str.contains("事业单位经营服务收入 0.00 万元")]["page"].tolist() == [5]
    assert changsha.table("fiscal_appropriation_summary").pages == [15, 16]


def test_final_accounts_row_numbers_and_three_panel_economic_table(xinfang_final):
    d = xinfang_final
    t = d.table("income_expenditure_summary")
    assert t.column_roles["收入/行次"] == "attribute" and t.column_roles["收入/金额"] == "amount"
    a = d.amounts
    assert not a["column_label"].str.contains("行次").any()
    econ = a[a.table_index == d.table("gpb_basic_expenditure_by_economic").index]
    row = econ[econ.code == "30201"].iloc[0]
    assert (row.row_label, row.column_label, row.amount, row.page) == ("办公费", "公用经费/决算数", Decimal("83.92"), 12)
    f = check(d)
    # 本年收入合计 20,451.35 ≠ 本年支出合计 14,572.53 in a 决算 (balances carry over): no W04 error
    assert not [x for x in f if x.rule == "W04" and x.status == "fail"]
    assert f.evaluated.get("W04", 0) >= 2


def test_repeated_title_pages_are_one_table():
    d = load(CORPUS / "gd-foshan-metro-2019-final.pdf")
    assert d.table("income_expenditure_summary").pages == [5, 6, 7]
    assert len(d.tables_of("gpb_basic_expenditure_by_economic")) == 1


def test_target_table_cut_by_the_page_is_joined():
    d = load(CORPUS / "cq-swu-2023-budget.pdf")
    t = [x for x in d.tables if x.title == "236高层次人才计划专项经费绩效目标表"][0]
    assert t.kind == "performance_targets" and t.pages == [29, 30] and len(t.frame) > 5
    assert not [x for x in d.tables if x.kind == "unknown"]


def test_fund_scope_follows_the_title():
    d = load(CORPUS / "sd-yantai-audit-2026-budget.pdf")
    scopes = {t.title: scope_of(t) for t in d.tables if t.kind == "gpb_basic_expenditure_by_economic"}
    assert scopes == {"一般公共预算基本支出情况表": "gpb", "基本支出预算情况表": "all"}
    f = check(d)
    assert not [x for x in f if x.rule in ("B01", "B03") and x.severity == "error"]


def test_a_university_final_account_is_not_charged_with_missing_tables():
    d = load(CORPUS / "cq-swu-2023-final.pdf")
    assert d.table("fiscal_appropriation_expenditure_by_function").title == "高等学校财政拨款支出决算表"
    f = check(d)
    assert not [x for x in f.errors if x.family in ("within", "between", "completeness")]
    c01 = [x for x in f if x.rule == "C01"]
    # the family is unknown (not evaluated), or, if taken as final_accounts, only 38% of it fits (review)
    assert c01 and all(x.status == "not_evaluated" or (x.status == "review" and x.guesses) for x in c01)


def test_a_qizhong_header_row_is_a_partition_and_lone_or_nested_qizhong_columns_are_not():
    # Guangzhou: 小计 | 其中：基本支出 | 项目支出 — the two add up to 小计
    gz = check(load(CORPUS / "gd-guangzhou-stats-2026-budget.pdf"))
    assert gz.evaluated.get("W03", 0) > 20 and not [x for x in gz if x.rule == "W03" and x.status == "fail"]
    # Shenzhen: 政府采购项目/小计 beside two nested 其中 columns (中小企业 ⊃ 小微企业): not judged
    sz = check(load(CORPUS / "gd-shenzhen-finance-2026-budget.pdf"))
    assert not [x for x in sz if x.rule == "W03" and x.status == "fail"]


@pytest.mark.parametrize("caption,unit", [("单位 万元", "万元"), ("单位\n：\n万元", "万元"), ("金额单位：人民币元", "元"),
                                          ("单位：万 元", "万元"), ("编制单位：元宝区财政局", None)])
def test_unit_glyphs_split_across_lines(caption, unit):
    from budgetkit.money import find_unit

    assert find_unit(caption) == unit


def test_a_document_printing_no_unit_takes_the_texts_unit_as_a_guess():
    rows = [r[:] for r in FUNCTION_ROWS]
    text = [_line(f"一般公共服务支出{x}万元。") for x in ("120.00", "100.00", "20.00")]
    (tt,), _ = _tidy(text + [_line("一般公共预算支出表"), _table(rows)])
    assert tt.table.unit == "万元" and any("inferred from the text" in g for g in tt.table.guesses)
    assert len(tt.amounts) == 6 and not tt.residue


def test_code_columns_named_by_suffix_and_repeated_panel_headers_stay_apart():
    d = load(CORPUS / "sx-xian-finance-2026-budget.pdf")
    t = d.table("gpb_expenditure_by_economic")
    assert t.column_roles["部门经济科目编码"] == "code" and t.column_roles["政府经济科目编码"] == "code"
    a = d.amounts
    rows = a[(a.table_index == t.index) & (a.code.fillna("") == "30101") & (a.column_label == "合计")]
    assert rows["amount"].tolist() == [Decimal("14755885.20"), Decimal("2572088.40")] and set(rows.page) == {31}
    # four panels of 收支总表 each keep their own 预算数 column
    s = d.table("income_expenditure_summary")
    assert set(a[a.table_index == s.index].column_label) == {"收入/预算数", "支出/预算数", "支出/预算数#2", "支出/预算数#3"}
    f = check(d)
    assert f.evaluated.get("W01", 0) > 50
    assert not [x for x in f if x.family == "within" and x.status == "fail"]


def test_group_totals_alternative_measures_and_details_in_column_sums():
    from budgetkit.check.within import sum_role

    assert [sum_role(x) for x in ("金额", "项目支出总数", "其中:经费拨款", "扣除基建项目后预算数", "人员经费")] == [
        "group_total", "group_total", "part", "alternative", None]
    # Beijing 预算05表: 合计 = 基本支出/小计 + 项目支出/项目支出总数 (扣除基建项目后预算数 is another measure)
    bj = check(load([CORPUS / "bj-city-finance-2026-budget-text.pdf", CORPUS / "bj-city-finance-2026-budget-tables.pdf"]))
    # Changsha 收入总体情况表: 合计 = 本级财政拨款/金额 + …, not + 其中:经费拨款
    cs = check(load(CORPUS / "hn-changsha-xinfang-2026-budget.pdf"))
    for f in (bj, cs):
        assert f.evaluated.get("W03", 0) > 40
        assert not [x for x in f if x.rule == "W03" and x.status == "fail"]


def test_true_findings_recomputed_by_hand_on_the_printed_pages():
    # 西南大学 2023 预算, p. 8 收入预算表: 20502 普通教育 520,603.91 but its 项 print 9,645.51 + 27,109.72 +
    # 483,848.18 = 520,603.41; the cause is row 2050202, whose parts 14.33 + 8,201.15 + 0.50 + 1,430.03 =
    # 9,646.01 against its printed 收入合计 9,645.51
    swu = check(load(CORPUS / "cq-swu-2023-budget.pdf"))
    w01 = [x for x in swu if x.rule == "W01" and x.status == "fail"]
    assert [(x.severity, x.expected, x.actual, x.locations[0]["page"]) for x in w01] == [
        ("error", Decimal("520603.91"), Decimal("520603.41"), 8)]
    w03 = [x for x in swu if x.rule == "W03" and x.status == "fail"]
    assert [(x.severity, x.expected, x.actual, x.locations[0]["page"]) for x in w03] == [
        ("error", Decimal("9645.51"), Decimal("9646.01"), 8)]
    # 国家信访局 2026 预算, p. 18: "财政拨款收支总预算 18,728.91 万元"; 公开表4 (p. 9) prints 收入总计 and
    # 支出总计 18,728.94, and the text's own parts 16,474.82 + 2,254.12 give 18,728.94
    xf = check(load(CORPUS / "cn-central-xinfang-2026-budget.pdf"))
    n01 = [x for x in xf if x.rule == "N01" and x.status == "fail"]
    assert [(x.severity, x.expected, x.actual) for x in n01] == [("error", Decimal("18728.94"), Decimal("18728.91"))]
    assert {loc.get("page") for loc in n01[0].locations} == {18, 9}
