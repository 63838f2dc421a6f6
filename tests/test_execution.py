"""Budget execution on real disclosures: 西南大学 2023 预算 + 决算 (the research note's worked pair, §4.3),
国家信访局 2024 决算 and 佛山市轨道交通局 2019 决算.  Every figure asserted here was read from the printed page
(page numbers are the PDF's pages)."""
from __future__ import annotations

import copy
import json
from decimal import Decimal as D

import pytest

import budgetkit
from budgetkit.errors import BadInputError
from budgetkit.execution.join import rate_and_note
from budgetkit.execution.report import render
from conftest import FOSHAN, SWU_B, SWU_F, XINFANG, load, swu_execution

swu = swu_execution
_x: dict = {}


def alone(path):
    if path not in _x:
        _x[path] = budgetkit.execution(None, load(path))
    return _x[path]


def line(x, code):
    L = x.lines[(x.lines["section"] == "function") & (x.lines["code"] == code)]
    assert len(L) == 1, code
    return L.iloc[0]


# 预算 财政拨款支出预算表 p.10; 预算 收入预算表 上年结转 p.8; 决算 财政拨款支出决算表 p.14–15; 决算 收入决算表 p.10
WORKED = [  # code, budget (基本, 项目), carry-in, 财政拨款收入, final (基本, 项目), final page, rate
    ("2050202", "8201.15", "7646.15", "555.00", "14.33", "8201.15", "7970.38", "7646.15", "324.23", 14, "97.19"),
    ("2050204", "16600.08", "15687.08", "913.00", "1213.02", "16600.08", "16769.73", "15687.08", "1082.65", 14,
     "101.02"),
    ("2050205", "181866.03", "152573.56", "29292.47", "90686.29", "193993.03", "186663.39", "152569.36", "34094.03",
     14, "102.64"),
    ("2059999", "637.08", None, "637.08", "265.06", "649.08", "876.03", None, "876.03", 14, "137.51"),
    ("2060204", "350.00", None, "350.00", "1623.00", "350.00", "1707.93", None, "1707.93", 15, "487.98"),
]


@pytest.mark.parametrize("row", WORKED, ids=[r[0] for r in WORKED])
def test_swu_worked_pair_line_by_line(row):
    code, b, bb, bp, carry, income, f, fb, fp, fpage, rate = row
    r = line(swu(), code)
    dec = lambda v: None if v is None else D(v)  # noqa: E731
    assert (r["budget"], r["budget_basic"], r["budget_project"]) == (D(b), dec(bb), dec(bp))
    assert (r["final"], r["final_basic"], r["final_project"]) == (D(f), dec(fb), dec(fp))
    assert r["budget_carry_in"] == D(carry) and r["final_fiscal_income"] == D(income)
    assert r["rate"] == D(rate) and r["difference"] == D(f) - D(b)
    assert (r["budget_page"], r["final_page"]) == (10, fpage)
    assert r["budget_file"] == "cq-swu-2023-budget.pdf" and r["final_file"] == "cq-swu-2023-final.pdf"
    assert r["budget_cell"]["table_title"] == "西南大学财政拨款支出预算表"


def test_swu_totals_adjustments_and_waterfall():
    x = swu()
    assert line(x, "2050205")["adjustment"] == D("12127.00")  # 追加 (193,993.03 − 181,866.03)
    assert line(x, "2059999")["adjustment"] == D("12.00")
    for code in ("208", "221", "2080505", "2210201"):
        assert line(x, code)["rate"] == D("100.00")
    tot = x.lines[(x.lines["section"] == "function") & (x.lines["level"] == "合计")]
    printed, shared = tot.iloc[0], tot.iloc[1]
    assert (printed["budget"], printed["final"], printed["budget_page"]) == (D("230876.38"), D("237100.00"), 10)
    assert (shared["budget"], shared["final"], shared["rate"]) == (D("230766.88"), D("237100.00"), D("102.74"))
    assert shared["final_fiscal_income"] == D("242905.88") and "229" in shared["note"]
    steps = dict(zip(x.funds["step"].str.split(" / ").str[0], x.funds["amount"]))
    assert steps == {"年初预算": D("230766.88"), "年中调整": D("12139.00"), "结转净额": D("-5805.88"),
                     "决算": D("237100.00")}
    assert x.funds.set_index(x.funds["step"].str.split(" / ").str[0]).loc["结转净额", "status"] == "review"
    # 229 彩票公益金 is in the budget's 财政拨款 table only: a named difference, never an error
    only = line(x, "229")
    assert only["final"] is None and only["rate"] is None and "仅预算" in only["note"]
    assert [(f.rule, f.severity) for f in x.findings] == [("X08", "info")]
    assert "无年初预算" not in x.basis and "当年" in x.basis  # the 决算 states no 年初: the current-year column


def test_swu_differences_are_named():
    # 2060204: 决算 1,707.93 above 年初 350.00 by 1,357.93, within the budget's own 上年结转 1,623.00 (p.8)
    assert "预算所列上年结转（全部资金） 1,623.00" in line(swu(), "2060204")["note"]
    assert "年中追加 12,127.00" in line(swu(), "2050205")["note"]
    assert line(swu(), "2050202")["note"] is None  # below the budget, nothing printed explains it: no claim


def test_columns_of_this_year_and_stage_only():
    from budgetkit.execution.tables import _role

    # central 预算 一般公共预算支出表: the previous year's 执行数 and the changes are not the budget
    assert _role("2025年执行数/执行数", 2026, "预算") is None
    assert _role("2026年预算数比2025年执行数/增减额", 2026, "预算") is None
    assert _role("2026年预算数/年初预算数/小计", 2026, "预算") == "total"
    assert _role("2026年预算数/年初预算数/基本支出", 2026, "预算") == "basic"
    assert _role("一般公共预算支出/其中：基本支出", 2026, "预算") == "basic"
    assert _role("本年支出/项目支出/其中：基本建设资金支出", 2023, "决算") is None
    assert _role("年初预算数", 2024, "决算") is None and _role("完成率", 2024, "决算") is None


def test_swu_summary_lines_keep_pages():
    s = swu().lines[swu().lines["section"] == "summary"].set_index("name")
    # 预算 收支预算总表 p.7; 决算 收支决算总表 p.8–9
    assert (s.loc["本年收入合计", "budget"], s.loc["本年收入合计", "final"]) == (D("403484.64"), D("430725.03"))
    assert (s.loc["本年收入合计", "budget_page"], s.loc["本年收入合计", "final_page"]) == (7, 9)
    assert s.loc["财政拨款收入", "final"] == D("243015.38")
    carry = s.loc["上年结转 / 年初结转和结余"]
    assert (carry["budget"], carry["final"], carry["rate"]) == (D("93801.70"), D("93660.54"), None)


def test_rate_never_inf_or_nan():
    assert rate_and_note(D(0), D("497.53"))[0] is None
    assert "0" in rate_and_note(D(0), D("497.53"))[1]
    assert rate_and_note(None, D(1)) == (None, "预算未列此行，无执行率 / not in the budget: no rate")
    assert rate_and_note(D("350.00"), D("1707.93"))[0] == D("487.98")


def test_refusals_one_line_bilingual():
    b, f = load(SWU_B), load(SWU_F)
    with pytest.raises(BadInputError, match="两份文件都是决算.*/ both files are 决算"):
        budgetkit.execution(f, f)
    with pytest.raises(BadInputError, match="年度不同.*/ two years"):
        budgetkit.execution(b, load(XINFANG))
    other = copy.copy(f)
    other.meta = dict(f.meta, department="重庆大学")
    with pytest.raises(BadInputError, match="单位不同.*/ two units"):
        budgetkit.execution(b, other)
    for exc in (BadInputError,):
        assert "\n" not in str(exc)


def test_cli_json_and_refusal(monkeypatch, tmp_path, capsys):
    from budgetkit import cli, pipeline

    docs = {str(SWU_B): load(SWU_B), str(SWU_F): load(SWU_F), str(XINFANG): load(XINFANG)}
    monkeypatch.setattr(pipeline, "read", lambda paths, **kw: docs[str(paths[0] if isinstance(paths, list) else paths)])
    out = tmp_path / "x.json"
    assert cli.main(["execution", str(SWU_B), str(SWU_F), "--format", "json", "--out", str(out)]) == 0
    j = json.loads(out.read_text(encoding="utf-8"))
    r = next(r for r in j["lines"] if r["code"] == "2060204")
    assert {k: r[k] for k in ("code", "name", "level", "fund", "budget", "final", "difference", "rate")} == {
        "code": "2060204", "name": "实验室及相关设施", "level": "项", "fund": "财政拨款", "budget": "350.00",
        "final": "1707.93", "difference": "1357.93", "rate": "487.98"}
    assert (r["budget_page"], r["final_page"]) == (10, 15)
    capsys.readouterr()
    assert cli.main(["execution", str(SWU_B), str(XINFANG)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "two years" in err[0]
    for fmt in ("text", "md", "html"):
        text = render(swu(), fmt)
        assert "487.98%" in text and "237,100.00" in text


# 国家信访局 2024 决算 p.21–23 (五(三)), table 公开05表 p.11; the page is the entry paragraph's first page
# (entry 9's figures are at the top of p.23: refine_pages, which the command runs on the PDF, gives 23)
XF = [(1, "2014001", "5717.32", "5757.63", "100.71", 21), (2, "2014002", "590.53", "4.7", "0.8", 21),
      (3, "2014003", "222.6", "229.19", "102.96", 21), (4, "2014004", "2325.72", "2066.84", "88.87", 22),
      (5, "2014099", "2457.85", "1788.46", "72.77", 22), (6, "2050803", "180.61", "180.03", "99.68", 22),
      (7, "2080501", "1017.2", "1028.48", "101.11", 22), (8, "2080503", "207.19", "211.51", "102.09", 22),
      (9, "2080505", "899.34", "659.05", "73.28", 22), (10, "2080506", "371.99", "329.53", "88.59", 23),
      (11, "2101101", "0", "497.53", None, 23), (12, "2210201", "676", "586.32", "86.73", 23),
      (13, "2210202", "66.2", "63.52", "95.95", 23), (14, "2210203", "336", "331", "98.51", 23)]


def test_xinfang_every_entry_read_and_recomputed():
    e = alone(XINFANG).entries
    items = e[e["kind"] == "项"].reset_index(drop=True)
    assert len(items) == 14
    for (n, code, b, f, rate, page), r in zip(XF, items.to_dict("records")):
        assert (r["entry"], r["code"], r["stated_budget"], r["stated_final"], r["page"]) == (n, code, D(b), D(f), page)
        assert r["stated_rate"] == (None if rate is None else D(rate))
        assert r["table_final"] == D(f).quantize(D("0.01"))  # the table prints two decimals
        assert r["reason"]  # every entry gives its reason
    assert items.loc[6, "code_how"].startswith("name contained")  # 归口管理的行政单位离退休 → 2080501 行政单位离退休
    # the text's 款 行政事业单位离退休 is the table's 20805 行政事业单位养老支出: the code stands, as a guess
    assert items.loc[7, "code_how"] == "name, 类/款 differ"
    assert items.loc[10, "recomputed_rate"] is None  # 年初预算 0: no rate, and none stated
    total = e[e["kind"] == "合计"].iloc[0]
    assert (total["stated_budget"], total["stated_final"], total["stated_rate"], total["page"]) == (
        D("15068.55"), D("13733.8"), D("91.14"), 21)
    sg = e[e["kind"] == "三公"].set_index("subject")
    assert sg.loc["因公出国（境）费", "table_budget"] == D("30.00")  # 公开09表 p.15 预算数 (全年)
    assert sg.loc["公务接待费", "recomputed_rate"] == D("15.52")
    assert list(sg["page"]) == [24] * 4


def test_final_alone_takes_the_stated_budget_with_its_page():
    r = line(alone(XINFANG), "2014002")  # 年初 590.53 (text p.21), 决算 4.70 (公开05表 p.11)
    assert (r["budget"], r["final"], r["rate"], r["budget_page"], r["final_page"]) == (
        D("590.53"), D("4.70"), D("0.80"), 21, 11)
    assert line(alone(XINFANG), "2101101")["rate"] is None  # 年初 0: no rate
    tot = alone(FOSHAN).lines[alone(FOSHAN).lines["level"] == "合计"].iloc[0]
    # 比年初预算数增加1668.14万元 (p.26): a 年初预算 of 0, so no rate
    assert (tot["budget"], tot["final"], tot["rate"], tot["stated_rate"]) == (D("0.00"), D("1668.14"), None, None)


def test_xinfang_findings_each_recomputed_by_hand():
    x = alone(XINFANG)
    # the only finding: Σ of the 14 entries' 决算 is 13,733.79 against the stated 13,733.8 (p.21) — rounding
    assert [(f.rule, f.status, f.severity) for f in x.findings] == [("FN05", "rounding", "info")]
    f = x.findings[0]
    assert (f.expected, f.actual) == (D("13733.79"), D("13733.8"))
    assert x.findings.evaluated["FN06"] == 14 and x.findings.evaluated["FN08"] > 0


def test_foshan_zero_base_statements():
    x = alone(FOSHAN)
    got = sorted((f.rule, f.severity, f.locations[0]["page"], f.message.split("：")[0]) for f in x.findings)
    assert got == sorted([
        ("FN13", "warning", 26, "一般公共预算财政拨款支出"),       # 比年初预算数增加1668.14万元，增长0%
        ("FN08", "warning", 26, "佛山市轨道交通局 “三公”经费财政拨款"),  # 决算0.16万元，完成预算0万元的0%
        ("FN08", "warning", 26, "公务接待费"),                   # 0.16万元，完成预算0万元的0%
        ("FN13", "warning", 27, "本部门机关运行经费支出"),          # 97.19万元，比预算数增加97.19万元，增长0%
        ("FN08", "info", 26, "因公出国（境）费"),                 # 0 of 0 called 0%
        ("FN08", "info", 26, "公务用车购置及运行费"),
        ("FN12", "info", 28, "部门整体支出"),  # 全年预算数0万元，执行数0万元，完成预算的0% (p.29; paragraph from p.28)
    ])
    assert not x.findings.errors
    sg = x.entries[x.entries["kind"] == "三公"]
    assert list(sg["table_final"]) == [D("0.16"), D("0.00"), D("0.00"), D("0.16")]  # 表7 p.21
    assert "FN06" not in x.findings.evaluated  # Guangdong 2019 explains no 项: coverage is not judged


def test_a_wrong_figure_is_an_error_and_on_a_guessed_code_review():
    from budgetkit.execution import checks

    e = alone(XINFANG).entries.copy()
    i1 = e.index[(e["kind"] == "项") & (e["entry"] == 1)][0]
    i7 = e.index[(e["kind"] == "项") & (e["entry"] == 7)][0]
    e.at[i1, "stated_final"] = D("5757.36")  # digits swapped: beyond printed precision
    e.at[i7, "stated_final"] = D("1082.48")
    found = {f.locations[0]["page"]: f for f in checks.check_entries(load(XINFANG), e)[0] if f.rule == "FN05"
             and f.status != "rounding" and "决算数" in f.message}
    assert found[21].severity == "error" and found[21].expected == D("5757.63")
    assert found[22].severity == "review" and "2080501" in found[22].message


def test_statement_page_from_the_pdf_when_a_paragraph_crosses_a_page():
    from budgetkit.execution.narrative import refine_pages

    # entry 9 begins on p.22; its 年初预算为899.34万元 is printed at the top of p.23
    e = refine_pages(alone(XINFANG).entries, [XINFANG])
    assert e[(e["kind"] == "项") & (e["entry"] == 9)]["page"].tolist() == [23]
    assert (e["page"] != alone(XINFANG).entries["page"]).sum() == 1
    # Foshan's 全年预算数 0 万元，执行数 0万元，完成预算的 0% is on p.29 (its paragraph begins on p.28)
    f = refine_pages(alone(FOSHAN).entries, [FOSHAN])
    assert f[f["kind"] == "项目绩效"]["page"].tolist() == [29]
