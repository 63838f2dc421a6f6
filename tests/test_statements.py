"""Statements: every figure the narrative states, read as data and recomputed.

The sentences below are copied from real disclosures in data/ (file and page named); the
findings asserted on whole documents were recomputed by hand from the printed page.
"""
from __future__ import annotations

import dataclasses
import time
from decimal import Decimal

import pandas as pd
import pytest

import budgetkit
from budgetkit.tidy.statements import normalise_name, read_sentence
from conftest import CORPUS, jiangsu, load

D = Decimal


def _narrative(text: str) -> pd.DataFrame:
    df = pd.DataFrame([{"file": "t.txt", "page": 1, "section": "一、说明", "text": text}])
    df["page"] = df["page"].astype("Int64")
    return df


def test_execution_base_change_and_percent_form():
    # sh-putuo-wanli-street-2024-budget.pdf p.9 form: 执行数 X, 预算 Y, 比执行数增加 Z, 增长 P%
    s = read_sentence("2025年执行数为348.52万元，2026年预算安排352.67万元，比2025年执行数增加4.15万元，增长1.19%。",
                      9, "", "f")
    money, pct = s.changes
    assert (money.base, money.current.value, money.delta, money.base_from) == (D("348.52"), D("352.67"), D("4.15"),
                                                                               "sentence")
    assert (pct.delta, pct.delta_unit) == (D("1.19"), "%")


def test_per_item_paragraph_in_quotes_and_spaces_inside_numbers():
    # sh-putuo-commerce-2025-budget-dept.pdf: “…（类）…（款）…（项）”166.12万元
    s = read_sentence("“社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）”166.12万元，主要用于机关离退休人员补贴费",
                      1, "", "f")
    ci = s.class_items[0]
    assert (ci["lei"], ci["kuan"], ci["xiang"], ci["mention"].value) == (
        "社会保障和就业支出", "行政事业单位养老支出", "行政单位离退休", D("166.12"))
    # cn-central-xinfang-2026-budget.pdf p.18: "15,291.3 万元" (space before the unit)
    s = read_sentence("支出包括：一般公共服务支出 15,291.3 万元，占 81.65%；", 18, "", "f")
    assert (s.mentions[0].value, s.mentions[0].unit, s.mentions[0].share) == (D("15291.3"), "万元", D("81.65"))
    assert read_sentence("上年结转 0 万元。", 1, "", "f").mentions[0].value == 0
    assert normalise_name("其它支出(项)") == normalise_name("其他支出（项）")


def test_completion_rate_and_item_on_the_next_sentence():
    # cn-central-xinfang-2024-final.pdf p.22: the item ends its sentence, the figures follow
    from budgetkit.tidy.statements import read_statements
    sents = read_statements(_narrative("1.一般公共服务（类）信访事务（款）行政运行（项）。年初预算为 5717.32 万元，"
                                       "支出决算为 5757.63 万元，完成年初预算的100.71%。"))
    s = sents[-1]
    r = s.rates[0]
    assert (r.numerator.value, r.denominator.value, r.pct) == (D("5757.63"), D("5717.32"), D("100.71"))
    assert s.class_items[0]["xiang"] == "行政运行" and s.class_items[0]["mention"].value == D("5757.63")


def _with_narrative(d, text):
    e = dataclasses.replace(d, narrative=_narrative(text))
    e.__dict__.pop("_sentences", None)
    return e


def _flagged(d, text, rule, statuses=("fail", "review")):
    """The findings of ``rule`` (of these statuses) when ``d`` carries ``text`` as its whole narrative."""
    return [x for x in budgetkit.check(_with_narrative(d, text)) if x.rule == rule and x.status in statuses]


def test_recomputations_on_the_seed_tables(seed):
    text = ("2023年一般公共预算当年拨款0万元，比上年增加1421.25万元。"
            "公务接待费2.80万元，比2023年预算3.3万元下降0.5万元。"
            "机关运行经费76.85万元，比上年增加9.59万元，增长14.26%。"
            "机关运行经费76.85万元，比上年增加9.59万元，增长18.00%。")
    f = budgetkit.check(_with_narrative(seed, text))
    n09 = [x for x in f if x.rule == "N09"]
    assert len(n09) == 1 and n09[0].actual == D("1421.25")  # 0 万元 cannot have increased
    n04 = [x for x in f if x.rule == "N04" and x.status == "fail"]
    assert len(n04) == 1 and n04[0].actual == 2023  # a 2023 budget compared with 2023年预算
    n03 = [x for x in f if x.rule == "N03" and x.status in ("fail", "review")]
    # 9.59 ÷ (76.85 − 9.59) = 14.26%: passes; 18.00% does not
    assert [(x.expected, x.actual) for x in n03] == [(D("14.26"), D("18.00"))]
    assert "疑为复制" not in n03[0].message


def test_a_long_sentence_is_checked_in_linear_time(seed):
    text = ("一般公共服务支出（类）商贸事务（款）行政运行比上年增加1万元，" * 3000)[:100_000]
    t = time.perf_counter()
    budgetkit.check(_with_narrative(seed, text))
    assert time.perf_counter() - t < 20


def test_statements_frame_and_coverage(seed, seed_pdf):
    st = budgetkit.statements(seed)
    assert {"amount", "change", "item"} <= set(st["kind"])
    row = st[(st["kind"] == "change") & (st["base"] == D("3.3"))].iloc[0]
    assert (row["value"], row["unit"], row["direction"]) == (D("10"), "%", "下降")
    f_txt, f_pdf = budgetkit.check(seed), budgetkit.check(seed_pdf)
    c = f_txt.statement_coverage
    assert c["stated"] == c["passed"] + c["failed"] + c["review"] + c["not_checked"] and c["failed"] >= 10
    assert all(u["reason"] and u["reason_en"] for u in c["unchecked"])
    narrative = lambda f: sorted((x.rule, x.severity, x.expected, x.actual) for x in f  # noqa: E731
                                 if x.family == "narrative" and x.severity in ("error", "warning"))
    assert narrative(f_txt) == narrative(f_pdf)  # the same discrepancies from the text and the PDF rendering


@pytest.fixture(scope="module")
def js2019():
    return budgetkit.check(load(jiangsu(2019)))


def test_jiangsu_2019_hand_status_of(js2019):
    """Recomputed from the printed pages of js-provincial-party-office-2019-budget-text.pdf."""
    # the base is not printed: current − change is the item's own arithmetic (its heading sentence states the
    # current figure alone, the next one the change and the percentage), not a reading guess
    n03 = {(x.locations[0]["page"], x.status, x.expected, x.actual) for x in js2019 if x.rule == "N03"
           and x.status in ("fail", "review", "rounding")}
    # p.8: "3．住房保障（类）支出3894.09万元，…。" "与上年相比增加878.93万元，增长30%。" → 878.93 ÷ 3,015.16 = 29.15%, 29% at the
    # whole number the text prints
    # p.9: 9,370.12 万元, 比上年增加1297.83万元，增长16.07% → 1297.83 ÷ 8,072.29 = 16.0776%: printed cut, not
    # rounded — a rounding difference, not an error
    assert n03 == {(8, "fail", D("29"), D("30")), (9, "rounding", D("16.08"), D("16.07"))}
    assert [x.severity for x in js2019 if x.rule == "N03" and x.status == "fail"] == ["error"]
    assert not [x for x in js2019 if x.rule == "N10"]  # the year of the 2019 renaming itself is not judged


def test_xinfang_2026_hand_status_of():
    f = budgetkit.check(load(CORPUS / "cn-central-xinfang-2026-budget.pdf"))
    # p.25: 1,391.68 万元, 比2025年预算增加333.83万元，增长31.35% → 333.83 ÷ 1,057.85 = 31.56%
    assert any(x.rule == "N03" and x.locations[0]["page"] == 25 and x.expected == D("31.56")
               and x.actual == D("31.35") and x.severity == "error" for x in f)
    c = f.statement_coverage
    assert c["stated"] > 40 and c["passed"] + c["failed"] > c["stated"] / 2


# --- statement forms, each on a real sentence, checked against the tables --------------------------------------

def _status_of(findings, page, fragment):
    """'unchecked: reason', 'finding: rule status', or 'passed' for the sentence on ``page`` holding ``fragment``."""
    for u in findings.statement_coverage["unchecked"]:
        if u["page"] == page and fragment in u["quote"]:
            return "unchecked: " + u["reason"]
    for f in findings:
        if f.status in ("fail", "review") and any(loc.get("page") == page and fragment in (loc.get("quote") or "")
                                                  for loc in f.locations):
            return f"finding: {f.rule} {f.status}"
    return "passed"


@pytest.fixture(scope="module")
def fuzhou():
    d = load(CORPUS / "fj-fuzhou-medinsure-2026-budget.pdf")
    return d, budgetkit.check(d)


def test_code_before_the_figure_names_its_line(fuzhou):
    # p23 "（一）2080501-行政单位离退休 178.51万元。" — the 一般公共预算支出表 prints 2080501 at 178.51
    d, f = fuzhou
    a = d.amounts
    assert "178.51" in set(a.loc[a["code"] == "2080501", "raw"])
    assert _status_of(f, 23, "2080501-行政单位离退休") == "passed"
    assert _status_of(f, 24, "2101202-财政对城乡居民基本医疗保险基金的补助") == "passed"


def test_threshold_is_not_money_and_parts_add_up(fuzhou):
    s = read_sentence("单位价值 100万元（含）以上设备 0 台（套）。", 40, "", "x.pdf")
    assert [m.role for m in s.mentions] == ["threshold"]
    # p40: 370.62 = 252.619 + 0 + 118 (N11, checked and passed)
    d, f = fuzhou
    assert _status_of(f, 40, "政府采购预算总额 370.62万元") == "passed"
    assert f.evaluated["N11"] >= 1


def test_parts_above_the_total_are_for_review():
    from budgetkit.check.ledger import Ledger
    from budgetkit.check.narrative import parts_within_total
    from budgetkit.check.recorder import Recorder

    L = Ledger(load(CORPUS / "fj-fuzhou-medinsure-2026-budget.pdf"))
    L.__dict__["statements"] = [read_sentence("政府采购预算总额100.00万元，其中：货物60.00万元、服务50.00万元。", 1, "",
                                              "x.pdf")]
    R = Recorder()
    parts_within_total(L, R)
    assert [(x.rule, x.status, x.actual) for x in R.items] == [("N11", "review", Decimal("110.00"))]


def test_three_public_costs_printed_one_per_row():
    # 广州统计局 2026 p23: "本部门财政拨款安排“三公”经费19.86万元" — the table prints 行政经费 839.21 first, then
    # “三公”经费 19.86 and each cost on its own row
    from budgetkit.check.ledger import Ledger
    from budgetkit.check.narrative import Facts

    d = load(CORPUS / "gd-guangzhou-stats-2026-budget.pdf")
    facts = Facts(Ledger(d)).named
    assert facts["three_total"].value_yuan == Decimal("198600")
    assert facts["three_reception"].value_yuan == Decimal("81600")
    assert facts["three_vehicle_operation"].value_yuan == Decimal("67000")
    f = budgetkit.check(d)
    assert _status_of(f, 23, "财政拨款安排“三公”经费19.86万元") == "passed"


def test_item_and_share_in_the_scope_the_text_means():
    # 西南大学 2023 决算 p17: "小学教育（2050202），2023 年度决算数为 7,970.38万元" — the 财政拨款支出决算表 prints
    # 7,970.38 (the all-funds 支出决算表 9,256.09); "项目支出 38,084.87万元，占总支出的 16.06%" is of the paragraph's
    # own 财政拨款支出总计 237,100.00, not of the school's 457,676.75
    f = budgetkit.check(load(CORPUS / "cq-swu-2023-final.pdf"))
    assert _status_of(f, 17, "小学教育（2050202）") == "passed"
    assert _status_of(f, 17, "项目支出 38,084.87万元") == "passed"
    assert not [x for x in f if x.family == "narrative" and x.status == "fail"]


def test_heading_paragraph_names_the_figure_after_it(fuzhou):
    from budgetkit.check.narrative import inherited_subject

    s = read_sentence("2026 年预算安排 5.00万元，与上年持平。", 26, "", "x.pdf")
    s.before = "2.公务接待费"
    assert inherited_subject(s, s.mentions[0]) == "公务接待费"
    s2 = read_sentence("1.小学教育（2050202），2023 年度决算数为 7,970.38万元。", 17, "", "x.pdf")
    assert inherited_subject(s2, s2.mentions[0]) == "小学教育（2050202）"


def test_percentage_divided_by_the_current_figure_jiangsu_2017():
    # 中国共产党江苏省委员会办公厅 2017 预算 p8: "1.党委办公厅（室）及相关机构事务（款）行政运行（项）支出 6106.99万元，
    # 与上年相比增加 101.48万元，增长 1.66%。" — 101.48 ÷ (6106.99 − 101.48) = 1.69% (1.66% is 101.48 ÷ 6106.99)
    f = budgetkit.check(load(jiangsu(2017)))
    n03 = [x for x in f if x.rule == "N03" and x.status == "fail"]
    assert [(x.locations[0]["page"], x.expected, x.actual, x.severity) for x in n03] == \
        [(8, D("1.69"), D("1.66"), "error")]


@pytest.fixture(scope="module")
def xinfang2024():
    return budgetkit.check(load(CORPUS / "cn-central-xinfang-2024-final.pdf"))


def test_change_with_the_sentences_own_current_figure_hand_status_of(xinfang2024):
    # 国家信访局 2024 决算 p17: "收、支总计 22066.59 万元，与 2023 年相比，收、支总计各增加 5834.37 万元，增长 35.74%"
    # — 5834.37 ÷ (22066.59 − 5834.37) = 35.94%, recomputed by hand; the base is not printed but follows from the
    # sentence's own two figures, so the finding is a claim (error), not a reading guess
    f = [x for x in xinfang2024 if x.rule == "N03" and "5834.37" in x.message]
    assert len(f) == 1 and f[0].status == "fail" and f[0].severity == "error"
    assert (f[0].expected, f[0].actual) == (Decimal("35.94"), Decimal("35.74"))
    assert f[0].locations[0]["page"] == 17


def test_score_rate_of_a_self_evaluation(xinfang2024):
    # p48 "该指标分值 20 分，得分 17.99 分，得分率 89.95%": 17.99 ÷ 20 = 89.95%
    assert _status_of(xinfang2024, 48, "得分 17.99 分") == "passed"
    assert xinfang2024.evaluated["N08"] >= 4


def test_change_whose_current_figure_is_the_tables():
    # 江苏省委办公厅 2018 p6 "一般公共预算收入预算24458.43万元，与上年相比增加3756.18万元，增长18.14%" and
    # p8 "与上年相比，财政拨款支出增加3756.18万元，增长18.14%" (the current figure 24,458.43 is the table's):
    # 3756.18 ÷ (24458.43 − 3756.18) = 18.14%
    f = budgetkit.check(load(jiangsu(2018)))
    assert _status_of(f, 8, "财政拨款支出增加3756.18万元") == "passed"
    assert f.statement_coverage["coverage"] >= 0.9


def test_a_list_continued_over_semicolons():
    # 国家信访局 2026 p26: "政府采购预算总额 4,308.39万元，其中：政府采购货物预算 2,315.5万元；" "政府采购工程预算417.8万元；"
    # "政府采购服务预算 1,575.09万元。" — 2,315.5 + 417.8 + 1,575.09 = 4,308.39
    f = budgetkit.check(load(CORPUS / "cn-central-xinfang-2026-budget.pdf"))
    for fragment in ("政府采购预算总额 4,308.39万元", "政府采购工程预算417.8万元", "政府采购服务预算 1,575.09万元"):
        assert _status_of(f, 26, fragment) == "passed", fragment


def test_item_by_name_in_tables_without_codes_and_zero_for_unprinted_lines():
    # 杭州市气象局 2026 p6 "行政单位离退休（项）193.24万元": its tables print names without codes
    f = budgetkit.check(load(CORPUS / "zj-hangzhou-meteo-2026-budget.pdf"))
    assert _status_of(f, 6, "行政单位离退休（项）193.24万元") == "passed"
    # 普陀区商务委 2025 p7 "事业收入0万元；": no table prints a 事业收入 line
    g = budgetkit.check(load(CORPUS / "sh-putuo-commerce-2025-budget-dept.pdf"))
    assert _status_of(g, 7, "事业收入0万元") == "passed"


def test_three_public_costs_by_year_rows_and_fund_columns():
    # 深圳市财政局 2026 p9 "2026 年财政拨款“三公”经费预算 58.46万元": the table has rows 2025年 / 2026年 / 增减变化金额
    # and each cost split by fund; this year's 总计/一般公共预算 is 58.46
    from budgetkit.check.ledger import Ledger
    from budgetkit.check.narrative import Facts

    d = load(CORPUS / "gd-shenzhen-finance-2026-budget.pdf")
    facts = Facts(Ledger(d)).named
    assert facts["three_total"].value_yuan == Decimal("584600")
    assert facts["three_vehicle_operation"].value_yuan == Decimal("74000")
    assert _status_of(budgetkit.check(d), 9, "“三公”经费预算 58.46万元") == "passed"


# --- more statement forms -------------------------------------------------------------------------------------

def test_numbered_items_after_a_total_change_add_up():
    # 西南大学 2023 预算 p13: "…与上年全年预算数相比增加 2,898.54万元。" "其中：" "1.教育支出比上年增加 3,805.13万元…"
    # "2.社会保障和就业支出比上年增加 932.60万元；" "3.科学技术支出比上年减少 1,985.18万元…" "4.住房保障支出比上年增加
    # 36.49万元；" "5.政府性基金支出比去年增加 109.5万元。" — 3,805.13 + 932.60 − 1,985.18 + 36.49 + 109.5 = 2,898.54
    f = budgetkit.check(load(CORPUS / "cq-swu-2023-budget.pdf"))
    for fragment in ("相比增加 2,898.54万元", "1.教育支出比上年增加", "3.科学技术支出比上年减少", "5.政府性基金支出"):
        assert _status_of(f, 13, fragment) == "passed", fragment


def test_a_sentence_opening_with_qizhong_lists_the_change_before_it():
    # 西南大学 2023 决算 p16: "收入总计 430,725.03万元，与 2022 年度相比，减少 23,616.80万元" "其中：财政拨款收入增加
    # 14,458.07万元，事业收入增加 974.61万元，其他收入减少 39,049.48万元。" — 14,458.07 + 974.61 − 39,049.48 = −23,616.80;
    # 支出 +54,492.83 = 52,499.75 + 965.07 − 196.69 − 16.84 + 1,209.04 + 32.50
    f = budgetkit.check(load(CORPUS / "cq-swu-2023-final.pdf"))
    assert _status_of(f, 16, "其中：财政拨款收入增加 14,458.07万元") == "passed"
    assert _status_of(f, 16, "其中：教育支出增加 52,499.75万元") == "passed"


def test_a_change_inside_a_list_with_its_qizhong_parts_over_a_semicolon():
    # 重庆市政府办公厅 2026 预算 p2: "…收入比 2025 年增加 2,784.38万元，其中：一般公共预算财政拨款增加 2,781.90万元，
    # 主要是…二期预算；" "事业收入增加 2.48万元，主要是…" — 2,781.90 + 2.48 = 2,784.38 (the second sentence states
    # no figure any table prints: it is checked only as a part of the change)
    f = budgetkit.check(load(CORPUS / "cq-city-govoffice-2026-budget.pdf"))
    assert _status_of(f, 2, "事业收入增加 2.48万元") == "passed"


def test_share_of_a_total_and_rate_of_a_budget_stated_just_before(xinfang2024):
    # 国家信访局 2024 决算 p26: "政府采购支出总额 1967.42万元…" "授予中小企业合同金额 1820.69万元，占政府采购支出总额的
    # 92.54%" (1820.69 ÷ 1967.42 = 92.54%) "授予小微企业合同金额 1015.5万元，占授予中小企业合同金额的55.78%"
    # (1015.5 ÷ 1820.69 = 55.78%); p45 "项目全年预算数为 1018.55万元…" "项目实际支出 760.53万元，预算执行率 74.67%"
    # (760.53 ÷ 1018.55 = 74.67%)
    assert _status_of(xinfang2024, 26, "授予中小企业合同金额 1820.69万元") == "passed"
    assert _status_of(xinfang2024, 26, "授予小微企业合同金额 1015.5万元") == "passed"
    assert _status_of(xinfang2024, 45, "项目实际支出 760.53万元") == "passed"
    # p24 "其中：因公出国（境）费支出决算为 4.69万元，完成预算的 15.63%": that item's own budget is meant, not the
    # 三公 total of the sentence before (4.69 ÷ 76.43 would give 6.14%): no rate finding
    assert not [x for x in xinfang2024 if x.rule == "N08" and x.locations[0].get("page") == 24]
    # p46 "设备完好率 ≥96%": a target's limit, nothing to recompute — counted apart
    c = xinfang2024.statement_coverage
    assert c["limits_only"] >= 4 and not any("≥96%" in u["quote"] for u in c["unchecked"])
    assert c["coverage"] >= 0.9


def test_a_one_unit_department_row_is_its_total_and_restated_figures_agree():
    # 深圳市财政局 2026 p7: its tables head with the row "深圳市财政局（本级）" and print no 合计 — "（五）项目支出
    # 26,361.57万元" is that row's 项目支出; p10 "涉及预算资金 26,361.57万元" the same. "预算 37,385.88万元，包括在职人员经费
    # 8,009.83万元、公用经费 1,466.93万元、对个人和家庭的补助支出 1,066.96万元、增人增资 480.59万元、项目支出 26,361.57万元"
    # adds up (8,009.83 + 1,466.93 + 1,066.96 + 480.59 + 26,361.57 = 37,385.88); "（一）在职人员经费 8,009.83万元" restates it
    f = budgetkit.check(load(CORPUS / "gd-shenzhen-finance-2026-budget.pdf"))
    assert _status_of(f, 7, "（五）项目支出 26,361.57") == "passed"
    assert _status_of(f, 10, "涉及预算资金 26,361.57") == "passed"
    assert _status_of(f, 7, "（一）在职人员经费 8,009.83") == "passed"
    assert _status_of(f, 7, "（三）对个人和家庭补助支出 1,066.96") == "passed"  # 的 or not, one name
    # "1.预决算管理业务 18,808.16万元，主要包括：…10,000.00…3600.00…1,585.88…": the main items, not all: not judged
    assert _status_of(f, 7, "市本级政府采购业务费3600.00").startswith("unchecked")


def test_total_column_named_this_years_spending_and_chart_legends():
    # 佛山市轨道交通局 2019 决算 p26 "一般公共预算财政拨款支出 1668.14万元": the 一般公共预算财政拨款支出决算表's 合计 row
    # under the column "本年支出合计"
    f = budgetkit.check(load(CORPUS / "gd-foshan-metro-2019-final.pdf"))
    assert _status_of(f, 26, "一般公共预算财政拨款支出 1668.14万元") == "passed"
    # 西南大学 2023 预算 p11: the pie chart's labels ("16.84%", "使用非财政拨款结余9.02%" — whose 9.02% is 其他收入's)
    # are not sentences
    g = budgetkit.check(load(CORPUS / "cq-swu-2023-budget.pdf"))
    assert not any("9.02%" in u["quote"] for u in g.statement_coverage["unchecked"])
    assert g.statement_coverage["coverage"] >= 0.9


def test_this_years_figure_stated_twice_the_percentage_follows_the_other():
    # 万里街道 2024 p9 item 31: "“…住房公积金（项）”350.35万元，主要用于住房公积金。" "2023年当年预算执行数为348.52万元，
    # 2024年预算安排352.67万元，比2023年预算执行数增加0.53%。" — (350.35 − 348.52) ÷ 348.52 = 0.53% (the table prints
    # 3,503,499元 = 350.35万元); 352.67 is the figure that disagrees, not the percentage
    f = budgetkit.check(load(CORPUS / "sh-putuo-wanli-street-2024-budget.pdf"))
    (x,) = [x for x in f if x.locations and x.locations[0].get("page") == 9 and "352.67" in x.message]
    # the item's line prints 350.35 (p.19 公开表, 3,503,499元): the tables say which figure is right — an error,
    # not a review (no reading guess is involved)
    assert (x.rule, x.status, x.severity, x.expected, x.actual) == ("N01", "fail", "error", D("350.35"), D("352.67"))
    assert any(loc.get("table_title") and loc.get("page") for loc in x.locations)
    assert not [y for y in f if y.rule == "N03" and "0.53%" in y.message]


# --- planted defects: a real sentence that passes, then the same sentence with one defect of the kinds
# published narratives show (bench/narrative_recall.py plants them across the corpus) ---------------------------

def test_change_and_percentage_with_opposite_direction_words():
    d = load(CORPUS / "gd-guangzhou-stats-2026-budget.pdf")
    # p.23 as printed: 19.86 + 22.65 = 42.51; 22.65 ÷ 42.51 = 53.28% → "下降53.3%" holds
    real = "2026年本部门财政拨款安排“三公”经费19.86万元，比上年减少22.65万元，下降53.3%，主要原因是厉行节约。"
    assert not _flagged(d, real, "N03") and not _flagged(d, real, "N09")
    planted = real.replace("比上年减少", "比上年增加")
    n09 = _flagged(d, planted, "N09", ("fail",))
    assert len(n09) == 1 and n09[0].severity == "error" and "下降53.3%" in n09[0].message


def test_a_budget_compared_with_its_own_years_outturn():
    d = load(CORPUS / "cn-central-xinfang-2026-budget.pdf")
    # p.21 as printed: "…2026年预算数为5,826.21万元，比2025年执行数增加271.14万元，增幅 4.88%…"
    real = ("1.一般公共服务支出（类）信访事务（款）行政运行（项）2026年预算数为5,826.21万元，"
            "比2025年执行数增加271.14万元，增幅 4.88%，主要是财政核定经费增加。")
    assert not _flagged(d, real, "N04", ("fail",))
    n04 = _flagged(d, real.replace("比2025年执行数", "比2026年执行数"), "N04", ("fail",))
    assert [(x.expected, x.actual) for x in n04] == [(D(2025), D(2026))]


def test_a_final_account_compared_with_its_own_years_outturn_not_its_budget():
    d = load(CORPUS / "cq-swu-2023-final.pdf")
    # p.17 as printed: "1.小学教育（2050202），2023 年度决算数为 7,970.38万元，比 2022 年度决算数增长 0.39%。"
    real = "1.小学教育（2050202），2023 年度决算数为 7,970.38万元，比 2022 年度决算数增长 0.39%。"
    own = lambda t: _flagged(d, t, "N04", ("fail",))  # noqa: E731
    assert not own(real)
    assert len(own(real.replace("比 2022 年度决算数", "比 2023 年度决算数"))) == 1
    assert not own(real.replace("比 2022 年度决算数", "比 2023 年年初预算数"))  # a final against its own budget


def test_vehicle_counts_add_up_and_overlapping_head_counts_are_not_parts():
    d = load(CORPUS / "cq-city-govoffice-2026-budget.pdf")
    # p.4 as printed: 2 + 15 + 29 = 46
    real = ("截至 2025 年 12 月，所属各预算单位共有车辆 46 辆，其中机要通信用车 2 辆，应急保障用车 15 辆，"
            "其他按照规定配备的公务用车 29 辆。")
    n11 = lambda t: _flagged(d, t, "N11")  # noqa: E731
    assert not n11(real)
    # a list closing with 其他 names every vehicle: a shortfall is for review, not a claim
    short = n11(real.replace("29 辆", "28 辆"))
    assert [(x.status, x.expected, x.actual, x.unit) for x in short] == [("review", D(46), D(45), "辆")]
    # titles and supervisors overlap (西南大学 2023 预算 p4): never added up as parts
    assert not n11("现有专任教师3,233 人，其中正高级职称 795 人、副高级职称 1,336 人，博士生导师 561 人、硕士生导师 1,738 人。")


def test_a_change_against_the_three_public_tables_two_years():
    d = load(CORPUS / "cq-city-govoffice-2026-budget.pdf")
    # p.4 as printed; the 三公 table (p.20) prints 2025年预算数 202.48 beside 2026年 200.00 for 公务用车运行费:
    # 200.00 − 202.48 = −2.48
    real = ("公务用车运行维护费 200.00万元，较 2025 年减少 2.48万元，主要原因是按照全市统一政策要求，"
            "重庆市政府机关服务中心使用事业收入支出公务用车运行维护费；")
    n03 = lambda t: _flagged(d, t, "N03")  # noqa: E731
    assert not n03(real)
    # "较 2025 年" does not say against which 2025 figure: the table's 2025年预算数 is a reading, so a review
    planted = n03(real.replace("减少 2.48万元", "减少 3.48万元"))
    assert [(x.status, x.expected, x.actual) for x in planted] == [("review", D("-2.48"), D("-3.48"))]
    named = n03(real.replace("较 2025 年减少 2.48万元", "较 2025 年预算减少 3.48万元"))
    assert [(x.status, x.severity) for x in named] == [("fail", "error")]
    assert {loc.get("page") for loc in planted[0].locations} >= {20}
    # "比2025年执行数": the table prints 2025's budget, another base — not judged against it
    assert not n03(real.replace("较 2025 年减少 2.48万元", "较 2025 年执行数减少 3.48万元"))


def test_an_items_change_against_last_years_column_of_its_table():
    d = load(CORPUS / "cn-central-xinfang-2026-budget.pdf")
    # p.21 as printed; the function table (p.10) prints 2014001 行政运行 2025年执行数 5,555.07 beside 2026年 5,826.21:
    # 5,826.21 − 5,555.07 = 271.14
    real = ("1.一般公共服务支出（类）信访事务（款）行政运行（项）2026年预算数为5,826.21万元，"
            "比2025年执行数增加271.14万元，主要是财政核定经费增加。")
    n03 = lambda t: _flagged(d, t, "N03")  # noqa: E731
    assert not n03(real)
    planted = n03(real.replace("增加271.14万元", "增加217.14万元"))
    assert [(x.status, x.expected, x.actual) for x in planted] == [("fail", D("271.14"), D("217.14"))]
    # 2014099 其他信访事务支出: 3,623.98 − 1,601.04 (扣除中央基建投资后执行数, the table's second 2025 column) = 2,022.94
    other = ("6.一般公共服务支出（类）信访事务（款）其他信访事务支出（项）2026 年预算数为 3,623.98万元，"
             "比 2025 年执行数增加 2,022.94万元，主要是相关工作任务增加。")
    assert not n03(other)


def test_three_public_changes_add_up_to_the_totals_change():
    # 万里街道 2024 预算 p32 as printed: 三公 +25 = 因公出国 持平 + 公务接待 持平 + 公务用车 +25; 公务用车 +25 =
    # 购置费 +25 + 运行费 持平
    d = load(CORPUS / "sh-putuo-wanli-street-2024-budget.pdf")
    real = ("2024年“三公”经费预算数为47.91万元，比2023年预算增加25万元。（一）因公出国（境）费0万元，比2023年预算持平。"
            "（二）公务用车购置及运行费46.56万元，比2023年预算增加25万元，主要原因是购置公务用车。"
            "其中：公务用车购置费25万元，比2023年预算增加25万元，主要原因是购置公务用车；"
            "公务用车运行费21.56万元，比2023年预算持平，主要原因是公务车用车运行费保持不变。"
            "（三）公务接待费1.35万元。比2023年预算持平，主要原因是公务接待费保持不变。")
    f = budgetkit.check(_with_narrative(d, real))
    assert f.evaluated.get("N12") == 2 and not [x for x in f if x.rule == "N12" and x.status == "fail"]
    planted = budgetkit.check(_with_narrative(d, real.replace("购置费25万元，比2023年预算增加25万元",
                                                               "购置费25万元，比2023年预算增加35万元")))
    n12 = [x for x in planted if x.rule == "N12" and x.status == "fail"]
    assert [(x.expected, x.actual, x.severity) for x in n12] == [(D("35"), D("25"), "warning")]
    # 重庆市政府办公厅 2026 p3–4: "与 2025 持平" (no 年) is read; −2.48 = 0 + 0 + (0 + −2.48), the 公务用车 subtotal
    # left out by the text is the sum of its two parts
    gov = budgetkit.check(load(CORPUS / "cq-city-govoffice-2026-budget.pdf"))
    assert gov.evaluated.get("N12") == 1 and not [x for x in gov if x.rule == "N12" and x.status == "fail"]


def test_a_parts_share_with_no_total_named_is_of_the_whole_it_belongs_to():
    # 佛山市轨道交通局 2019 决算 p26: "…“三公”经费财政拨款支出决算为 0.16万元…" "公务接待费支出 0.16万元，占 100.0%。"
    # — 0.16 ÷ 0.16 (the 三公 total), not 0.16 ÷ 1,668.14 (all spending)
    f = budgetkit.check(load(CORPUS / "gd-foshan-metro-2019-final.pdf"))
    assert _status_of(f, 26, "公务接待费支出 0.16万元，占 100.0%") == "passed"


def test_three_public_shares_of_the_three_public_total(xinfang2024):
    # 国家信访局 2024 决算 p25: "…因公出国（境）费支出决算 4.69万元，占 10.15%；" "公务用车购置及运行费支出决算40.61万元，
    # 占87.88%；" "公务接待费支出决算0.9万元，占1.95%。" — of the 三公 total 46.20 (4.69 ÷ 46.20 = 10.15%), not of all
    # spending
    for fragment in ("因公出国（境）费支出决算 4.69万元", "公务用车购置及运行费支出决算40.61万元", "公务接待费支出决算0.9万元"):
        assert _status_of(xinfang2024, 25, fragment) == "passed", fragment


def test_share_of_a_total_named_without_de():
    # 北京市财政局 2026 p7: "基本支出预算 28016.26万元，占本年支出预算 63.43%。" — 28,016.26 ÷ 44,169.36 = 63.43%
    # ("占本年支出预算" has no 的)
    s = read_sentence("基本支出预算 28016.26万元，占本年支出预算 63.43%。", 7, "（一）基本支出。", "t.pdf")
    assert [(m.value, m.share) for m in s.mentions] == [(D("28016.26"), D("63.43"))]
    bj = load([CORPUS / "bj-city-finance-2026-budget-text.pdf", CORPUS / "bj-city-finance-2026-budget-tables.pdf"])
    f = budgetkit.check(bj)
    assert f.evaluated.get("N02") == 2 and not [x for x in f if x.rule == "N02" and x.status in ("fail", "review")]
    planted = budgetkit.check(_with_narrative(bj, "基本支出预算 28016.26万元，占本年支出预算 36.43%。"))
    assert [(x.status, x.expected, x.actual) for x in planted if x.rule == "N02"] == [("fail", D("63.43"), D("36.43"))]


def test_a_change_after_a_closing_bracket_is_the_bracketed_figures():
    # 广州市统计局 2026 p23 as printed: "公务用车购置及运行维护费6.7万元（公务用车购置费0万元，比上年增加0万元；公务用车运行
    # 维护费6.7万元，比上年减少2.3万元。）比上年减少2.3万元，…" — the change after "）" is 公务用车购置及运行维护费's;
    # then −22.65 = −15 + (0 − 2.3) − 5.35 and −2.3 = 0 − 2.3 (N12, both identities)
    d = load(CORPUS / "gd-guangzhou-stats-2026-budget.pdf")
    text = d.narrative[d.narrative["text"].str.contains("22.65", regex=False)]["text"].iloc[0]
    f = budgetkit.check(_with_narrative(d, text))
    assert f.evaluated.get("N12") == 2 and not [x for x in f if x.rule == "N12" and x.status == "fail"]
    planted = budgetkit.check(_with_narrative(d, text.replace("运行维护费6.7万元，比上年减少2.3万元",
                                                               "运行维护费6.7万元，比上年减少3.3万元")))
    n12 = [x for x in planted if x.rule == "N12" and x.status == "fail"]
    assert [(x.expected, x.actual) for x in n12] == [(D("-3.3"), D("-2.3"))]
