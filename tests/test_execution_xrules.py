"""X03, X05, X07 and the choice of the 年初 column, on real disclosures in data/corpus.

西南大学 2023 预算 + 决算 is a real pair; 三公 tables appear in neither, so X03 is checked on built pairs of real
tables: 国家信访局's 2026 预算 三公 table (p.16) against its 2024 决算 三公 table (公开09表 p.15, whose note says
its 预算数 is the 全年 budget) and against 佛山 2019's (表7 p.21, note: 年初 budget).  Two years, so the rule
is called directly: ``budgetkit.execution`` refuses such a pair."""
from __future__ import annotations

from decimal import Decimal as D

import budgetkit
from budgetkit.execution import xrules
from conftest import CORPUS, FOSHAN, SWU_F, XINFANG, load, swu_execution

XINFANG_B = CORPUS / "cn-central-xinfang-2026-budget.pdf"

swu = swu_execution


def test_sangong_budget_definition_read_from_the_note():
    # 公开09表 p.15: 预算数为“三公”经费全年预算数; 表7 p.21: 预算数为“三公”经费年初预算数
    assert xrules.sangong_basis(load(XINFANG)) == ("全年", {"file": XINFANG.name, "page": 15,
                                                          "quote": "预算数为“三公”经费全年预算"})
    assert xrules.sangong_basis(load(FOSHAN))[0] == "年初"
    assert xrules.sangong_basis(load(SWU_F)) == (None, None)


def test_x03_full_year_budget_differs_by_the_adjustment_as_a_note():
    ev: dict = {}
    got = {f.message.split("：")[0]: f for f in xrules.x03(load(XINFANG_B), load(XINFANG), ev)}
    # 2026 预算 p.16: 112.61 / 68.50 / 38.60 / 5.51; 2024 决算 p.15 全年预算: 76.43 / 30.00 / 40.63 / 5.80
    assert ev["X03"] == 5
    assert {k: (f.expected, f.actual, f.severity) for k, f in got.items()} == {
        "“三公”合计": (D("112.61"), D("76.43"), "info"),
        "“三公”因公出国（境）费": (D("68.50"), D("30.00"), "info"),
        "“三公”公务用车购置及运行费": (D("38.60"), D("40.63"), "info"),
        "“三公”公务用车运行费": (D("38.60"), D("40.63"), "info"),
        "“三公”公务接待费": (D("5.51"), D("5.80"), "info")}
    assert "年中调整 -38.50" in got["“三公”因公出国（境）费"].message
    assert [c["page"] for c in got["“三公”合计"].locations] == [15, 16, 15]


def test_x03_initial_budget_must_equal_and_unsaid_is_review():
    f = load(FOSHAN)  # 表7 p.21: 年初预算数 0.00 for every item
    got = xrules.x03(load(XINFANG_B), f, {})
    assert {x.severity for x in got} == {"error"} and len(got) == 5
    assert got[0].expected == D("112.61") and got[0].actual == D("0.00")
    unsaid = type(f).__new__(type(f))
    unsaid.__dict__.update(f.__dict__)
    unsaid.narrative = f.narrative[~f.narrative["text"].str.contains("年初预算数", na=False)]
    assert {x.severity for x in xrules.x03(load(XINFANG_B), unsaid, {})} == {"review"}


def test_x03_not_evaluated_without_sangong_tables():
    assert swu().findings.evaluated["X03"] == 0
    assert not [f for f in swu().findings if f.rule == "X03"]


def test_x05_every_large_deviation_explained_on_xinfang():
    x = budgetkit.execution(None, load(XINFANG))
    ev: dict = {}
    # 7 项 far from their 年初 (p.21–23: 2014002 0.8%, 2014004, 2014099, 2080505, 2080506, 2210201; 2101101 new)
    assert xrules.x05(x.lines, x.entries, ev) == [] and ev["X05"] == 7
    e = x.entries.copy()
    i = e.index[(e["kind"] == "项") & (e["code"] == "2014099")][0]  # 年初 2,457.85, 决算 1,788.46 (p.22)
    assert (e.at[i, "direction"], e.at[i, "reason"]) == ("小于", "相关工作未按计划开展")
    e.at[i, "reason"] = None
    [f] = xrules.x05(x.lines, e, {})
    assert (f.rule, f.severity, f.locations[0]["page"]) == ("X05", "warning", 22) and "未给出原因" in f.message
    e.at[i, "reason"], e.at[i, "direction"] = "相关工作未按计划开展", "大于"
    [f] = xrules.x05(x.lines, e, {})
    assert "-669.39" in f.message and "“大于”" in f.message
    e = x.entries[~((x.entries["kind"] == "项") & (x.entries["code"] == "2014099"))]
    [f] = xrules.x05(x.lines, e, {})
    assert "未逐项说明" in f.message and f.locations[0]["page"] == 11  # the 决算 table's cell


def test_x05_not_evaluated_where_the_final_explains_no_item():
    # MOE 高校 决算 explains 类 only: 2060204 at 487.98% has no entry to judge (carry-over, not a defect)
    assert swu().findings.evaluated["X05"] == 0


def test_x07_basic_expenditure_tracks_the_budget_on_swu():
    # 2050205 基本支出 年初 152,573.56 (预算 p.10), 决算 152,569.36 (决算 p.14): −4.20, below both thresholds
    x = swu()
    assert x.findings.evaluated["X07"] == 10 and not [f for f in x.findings if f.rule == "X07"]
    lines = x.lines.copy()
    i = lines.index[(lines["code"] == "2050205") & (lines["section"] == "function")][0]
    lines.at[i, "final_basic"] = D("120000.00")
    [f] = xrules.x07(lines, {})
    assert (f.severity, f.expected, f.actual) == ("info", D("152573.56"), D("120000.00"))


def test_current_column_decided_from_appropriation_income():
    # the 预算's 当年财政拨款 equals the 决算's 财政拨款收入 (收入决算表 p.10–11) on 11 of 13 项; 2050205 (+12,127.00)
    # and 2059999 (+12.00) were added during the year
    assert "11/13" in swu().basis and "取为年初预算" in swu().basis
    lines = swu().lines.copy()
    lines["final_fiscal_income"] = None
    basis, decided = xrules.current_column_basis(lines)
    assert not decided and "待核对" in basis


def test_central_template_join_with_an_undecided_basis_claims_nothing_on_directions():
    # built pair: 国家信访局 2026 预算 (一般公共预算支出表 p.10–11) with its 2024 决算 relabelled 2026.  The 决算's
    # stated 年初 total 15,068.55 (p.21) equals no column of that budget: X02 is review, and X05 does not judge
    # an entry's direction word (2050803: stated 180.61 → 180.03 "小于"; the 2026 budget prints 118.01) against
    # a figure the entry does not speak of
    import copy

    f = copy.copy(load(XINFANG))
    f.meta = dict(f.meta, year=2026)
    x = budgetkit.execution(load(XINFANG_B), f)
    assert "待核对" in x.basis and {g.severity for g in x.findings if g.rule == "X02"} == {"review"}
    assert not [g for g in x.findings if g.rule == "X05" and g.severity in ("error", "warning")]
    r = x.lines[(x.lines["section"] == "function") & (x.lines["code"] == "2050803")].iloc[0]
    assert (r["budget"], r["final"], r["budget_page"], r["final_page"]) == (D("118.01"), D("180.03"), 10, 11)
    assert x.findings.evaluated["X03"] == 5  # 三公: 全年 (p.15 note) against 年初 (p.16): notes


def test_waterfall_exact_from_the_appropriation_summary():
    # built pair as above: 财政拨款收入支出决算总表 p.10 — 本年收入合计 19,572.91, 年初 1,154.62, 年末 6,993.74,
    # 本年支出合计 13,733.80 = 公开05表 合计 (p.11); 16,474.82 + 3,098.09 + 1,154.62 − 6,993.74 = 13,733.79 (rounding)
    import copy

    f = copy.copy(load(XINFANG))
    f.meta = dict(f.meta, year=2026)
    x = budgetkit.execution(load(XINFANG_B), f)
    steps = dict(zip(x.funds["step"].str.split(" / ").str[0], x.funds["amount"]))
    assert steps == {"年初预算": D("16474.82"), "年中调整": D("3098.09"), "使用上年结转": D("1154.62"),
                     "年末结转": D("-6993.74"), "决算": D("13733.80")}
    assert set(x.funds["status"]) == {"printed", "computed"}  # closes within printed precision: no review
    notes = dict(zip(x.funds["step"].str.split(" / ").str[0], x.funds["note"]))
    # each printed step names its page; the carried-forward step prints 6,993.74 and is subtracted
    assert "第10页" in notes["使用上年结转"] and "减去年末财政拨款结转和结余 6,993.74（第10页）" in notes["年末结转"]
    assert "第11页" in notes["年初预算"] and "第11页" in notes["决算"]
