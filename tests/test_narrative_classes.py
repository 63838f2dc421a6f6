"""Narrative against tables: classes of sentences that look like a disagreement and are not one.

Each class is checked on a real page (data/excerpts/, cut from the disclosure named in data/MANIFEST.csv; pages
are the excerpt's) and on a sentence built on the seed's tables.  The figures in the comments were recomputed by
hand from the printed pages.
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import pandas as pd
import pytest

import budgetkit
from budgetkit.tidy.statements import read_sentence
from conftest import DATA, load

D = Decimal
EXCERPTS = DATA / "excerpts"


def _with_narrative(d, paragraphs: list[str], section: str = "一、说明"):
    df = pd.DataFrame([{"file": "t.txt", "page": 1, "section": section, "text": t} for t in paragraphs])
    df["page"] = df["page"].astype("Int64")
    e = dataclasses.replace(d, narrative=df)
    e.__dict__.pop("_sentences", None)
    return e


def _narrative_findings(f, statuses=("fail", "review")):
    return [x for x in f if x.rule.startswith("N") and x.status in statuses]


def _on_page(findings, page, fragment):
    return [x for x in findings if any(loc.get("page") == page and fragment in (loc.get("quote") or "")
                                       for loc in x.locations)]


# --- same name, other classification: the items of a 项目支出 list are projects ---------------------------------

def test_project_groups_named_like_function_lines_real_page():
    # 深圳市司法局 2026 (excerpt p2): "（五）项目支出 7,816.49 万元，具体包括：" … "2.公共法律服务 3,493.83 万元，主要包括：…"
    # — a project group; the 收支总表 (p3) prints the function line 公共法律服务 at 134.45
    f = budgetkit.check(load(EXCERPTS / "gd-shenzhen-justice-2026-budget-projects.pdf"))
    assert not _on_page(_narrative_findings(f), 2, "公共法律服务 3,493.83")


def test_projects_named_like_a_function_line_are_not_misspelt_names():
    # 深圳市气象局 2026 (excerpt p2): "（2）深汕合作区气象服务 100.00 万元" is a project, not a misspelt 气象事务 (p6)
    g = budgetkit.check(load(EXCERPTS / "gd-shenzhen-meteo-2026-budget-projects.pdf"))
    assert not [x for x in _narrative_findings(g) if x.rule in ("N01", "N06")]


def test_project_groups_named_like_function_lines_built(seed):
    # the seed prints 2080109 社会保险经办机构 at 493.58; under a 项目支出 list the same name is a project group
    lead = "（五）项目支出 420.01万元，具体包括："
    item = "1.社会保险经办机构 300.00万元，主要包括：信息系统运维 200.00万元，用于系统维护；宣传 100.00万元，用于宣传。"
    f = budgetkit.check(_with_narrative(seed, [lead, item]))
    assert not [x for x in _narrative_findings(f) if x.rule in ("N01", "N06")]
    # the same sentence outside such a list is the function line, and 300.00 is not 493.58
    g = budgetkit.check(_with_narrative(seed, ["社会保险经办机构 300.00万元。"]))
    assert [x.rule for x in _narrative_findings(g)] == ["N01"]


# --- a list ordinal kept on a class name -------------------------------------------------------------------------

def test_list_ordinal_is_not_part_of_the_class_name():
    # 苏州市自然资源和规划局 2026 (excerpt p2): "十四、城乡社区支出(类)国有土地使用权出让收入安排的支出(款)其他国有土地
    # 使用权出让收入安排的支出(项)" — 城乡社区支出 is the class of 2120899
    f = budgetkit.check(load(EXCERPTS / "js-suzhou-landres-2026-budget-glossary.pdf"))
    assert not [x for x in _narrative_findings(f) if x.rule == "N06"]
    s = read_sentence("十四、城乡社区支出(类)国有土地使用权出让收入安排的支出(款)土地出让业务支出(项)：反映…", 1, "", "f")
    assert s.class_items[0]["lei"] == "城乡社区支出"


def test_list_ordinal_is_not_part_of_the_class_name_built(seed):
    item = "社会保障和就业支出（类）人力资源和社会保障管理事务（款）社会保险经办机构（项）493.58万元。"
    other = "城乡社区支出（类）人力资源和社会保障管理事务（款）社会保险经办机构（项）493.58万元。"
    f = budgetkit.check(_with_narrative(seed, ["十四、" + item, "（二）" + item, "十四、" + other]))
    # the ordinal is left off; another class named before the item is still a misfiling
    assert [x.rule for x in _narrative_findings(f)] == ["N06"]
    assert "「城乡社区支出」类" in _narrative_findings(f)[0].message


# --- the 款 the text names decides which 项 it is -----------------------------------------------------------------

def test_item_under_another_kuan_is_another_line():
    # 苏州市水务局 2026 (excerpt p4): "1.林业和草原（款）一般行政管理事务（项）支出 0 万元，与上年相比减少 94.61 万元，
    # 减少 100%" — 2130202, which no table prints; the tables' 一般行政管理事务 (1,543.16) is 2130302 under 水利
    f = budgetkit.check(load(EXCERPTS / "js-suzhou-water-2026-budget-items.pdf"))
    assert not _on_page(_narrative_findings(f), 4, "林业和草原（款）一般行政管理事务")
    # "2.水利（款）行政运行（项）支出 1,301.73 万元" is still compared with 2130301
    assert not _on_page(_narrative_findings(f), 4, "水利（款）行政运行")


# --- whose change is it: the head of a 其中 list ----------------------------------------------------------------

def test_change_after_a_qizhong_list_is_the_totals_real_page():
    # 西安市公安局 (excerpt p1): "本部门当年预算收入344,447.70万元，其中：…、其他收入3,444.00万元，较上年减少129,422.00万元，
    # 下降27.31%" — 129,422.00 ÷ (344,447.70 + 129,422.00) = 27.31%; of 3,444.00 it would be −97.41%
    f = budgetkit.check(load(EXCERPTS / "sn-xian-police-budget-changes.pdf"))
    assert not [x for x in _narrative_findings(f) if x.rule in ("N03", "N09")]


def test_change_after_a_zero_part_is_the_totals_real_page():
    # 西安市自然资源和规划局 2022 (excerpt p1): "…其他收入 0万元，2022年本部门预算收入较上年增加 19240.8万元" — the
    # 收入's change (372,001.19), not a 0 that grew
    g = budgetkit.check(load(EXCERPTS / "sn-xian-landres-2022-budget.pdf"))
    assert not [x for x in _narrative_findings(g) if x.rule == "N09"]


def test_change_after_a_qizhong_list_is_the_totals_built(seed):
    total = "本部门当年预算收入1149.80万元，其中：一般公共预算拨款1149.80万元、上年结转0万元，"
    f = budgetkit.check(_with_narrative(seed, [
        # 149.80 ÷ (1,149.80 − 149.80) = 14.98%: the total's change
        total + "较上年增加149.80万元，增长14.98%。",
        # fitting neither the total nor the part: for review, naming the other reading
        total + "较上年增加149.80万元，增长30.00%。",
        # after a 0 part with no 其中: the total's change too
        "本部门收入预算1149.80万元，一般公共预算拨款1149.80万元，上年结转0万元，比上年增加149.80万元，增长14.98%。",
        # a 0 said to have grown, with no figure before it, is still contradicted
        "事业收入0万元，较上年增加149.80万元。"]))
    found = sorted((x.rule, x.status, x.locations[0]["quote"][:6]) for x in _narrative_findings(f))
    assert found == [("N03", "review", "本部门当年预"), ("N09", "fail", "事业收入0万")], found
    n03 = [x for x in _narrative_findings(f) if x.rule == "N03"][0]
    assert "30.00%" in n03.locations[0]["quote"] and "上年结转" in n03.message


def test_change_read_across_a_description_is_a_reading(seed):
    # 深圳市气象局 2026 (excerpt p5): "（8）气象产业发展管理 90.72 万元，用于开展…等工作，支撑构建较2025年年初预算增加29.23
    # 万元，增幅2.2%" — a change sentence printed inside another item's description (29.23 ÷ 2.2% ≈ 1,329: not 90.72's),
    # run in with no break before 较: whose change it is the sentence does not say, so it is not compared
    f = budgetkit.check(load(EXCERPTS / "gd-shenzhen-meteo-2026-budget-projects.pdf"))
    n03 = [x for x in _narrative_findings(f) if x.rule == "N03"]
    assert not [x for x in n03 if x.status in ("fail", "review")]
    far = "社会保险经办机构493.58万元，用于开展社会保险经办服务和信息系统运行维护等多项工作，较上年增加29.23万元，增幅2.2%。"
    near = "社会保险经办机构493.58万元，较上年增加29.23万元，增幅2.2%。"
    found = _narrative_findings(budgetkit.check(_with_narrative(seed, [far, near])))
    assert sorted((x.status, "用于" in x.locations[0]["quote"]) for x in found) == [("fail", False), ("review", True)]


# --- a figure cut, not rounded -----------------------------------------------------------------------------------

def test_amount_cut_instead_of_rounded_is_a_rounding_note():
    # 西安市自然资源和规划局 2022 (excerpt p2): "2022 年本部门当年一般公共预算支出 64022.46 万元" — the 一般公共预算支出表
    # (p3) prints 640,224,693.80 元 = 64,022.4694 万元: rounded 64,022.47, cut 64,022.46
    f = budgetkit.check(load(EXCERPTS / "sn-xian-landres-2022-budget.pdf"))
    assert not _on_page(_narrative_findings(f), 2, "64022.46")
    notes = _on_page([x for x in f if x.rule == "N01" and x.status == "rounding"], 2, "64022.46")
    assert notes and notes[0].severity == "info" and "截尾" in notes[0].message


def test_amount_cut_instead_of_rounded_built(seed):
    # 493.58 printed to one decimal: 493.6 rounded, 493.5 cut (a rounding note); 493.4 is wrong
    f = budgetkit.check(_with_narrative(seed, ["社会保险经办机构493.5万元。", "社会保险经办机构493.4万元。"]))
    found = sorted((x.status, x.actual) for x in f if x.rule == "N01" and x.status != "not_evaluated")
    assert found == [("fail", D("493.4")), ("rounding", D("493.5"))]


# --- scope: a unit's figure, another measure of the same name ---------------------------------------------------

def test_a_units_three_public_figure_is_a_note_naming_the_unit():
    # 西安市人社局 2020 (excerpt p1): "机关运行经费…公务接待费2万元…公务用车运行维护费12万元" — the 三公 table (p2) prints
    # 3.30 / 26.00 for the department and 2.00 / 12.00 on the row of the 机关, 西安市人力资源和社会保障局
    f = budgetkit.check(load(EXCERPTS / "sn-xian-hrss-2020-budget-units.pdf"))
    assert not [x for x in _narrative_findings(f) if x.rule == "N01"]
    notes = [x for x in f if x.rule == "N01" and x.status == "note"]
    assert len(notes) == 2 and all("西安市人力资源和社会保障局" in x.message and x.severity == "info" for x in notes)


# --- phrase variants and text outside the page ------------------------------------------------------------------

def test_spaced_and_full_width_phrases_read_as_written(seed):
    # the seed's 三公 table prints 公务接待费 2.80; 0.28 ÷ (2.80 − 0.28) = 11.11%
    texts = ["公 务 接 待 费 2.80万元，比 上 年 增 加 0.28万元，增 长 11.11%。",
             "公务接待费２.８０万元，比上年增加０.２８万元，增长１１.１１％。"]
    for text in texts:
        s = read_sentence(text, 1, "", "f")
        assert [(c.delta, c.delta_unit) for c in s.changes] == [(D("0.28"), "万元"), (D("11.11"), "%")], text
    # both agree with the tables, and a wrong figure written so is still found
    f = budgetkit.check(_with_narrative(seed, texts + ["公务接待费２.９０万元。"]))
    assert [(x.rule, x.actual) for x in _narrative_findings(f)] == [("N01", D("2.90"))]


def test_previous_pages_text_carried_above_the_top_edge_is_read_once():
    from budgetkit.read.blocks import ProseLine
    from budgetkit.tidy.narrative import paragraphs

    def line(text, page, x1=500.0):
        return ProseLine(text, page, "f.pdf", x1, 10.0)

    carried = ["本部门2026年收入预算1149.80万元，支出预算1149.80万元，比上年增加", "149.80万元，增长14.98%。"]
    lines = ([line("一、收支预算总体情况", 1, 200.0), line(carried[0], 1), line(carried[1], 1, 300.0), line("- 1 -", 1)]
             + [line(carried[0], 2), line(carried[1], 2, 300.0)]  # page 2 repeats them above its top edge
             + [line("二、财政拨款收支情况", 2, 200.0), line("财政拨款收入1149.80万元。", 2, 300.0)])
    p = paragraphs(lines)
    assert list(p["text"]).count("".join(carried)) == 1
    assert p.loc[p["text"] == "".join(carried), "page"].tolist() == [1]
    # the same sentence under another heading on the next page is the page's own
    lines = [line("一、收支预算总体情况", 1, 200.0), line("收入预算1149.80万元。", 1, 300.0),
             line("二、其他", 2, 200.0), line("收入预算1149.80万元。", 2, 300.0)]
    assert list(paragraphs(lines)["page"]) == [1, 1, 2, 2]


def test_a_figure_of_a_named_unit_is_that_units_row():
    # the 三公 table of 西安市人社局 2020 (excerpt p2) prints a row per unit: 西安市劳动保障监察支队 公务用车运行维护费 12.00,
    # 公务接待费 0.00; the department's 合计 26.00 / 3.30
    d = load(EXCERPTS / "sn-xian-hrss-2020-budget-units.pdf")
    f = budgetkit.check(_with_narrative(d, ["西安市劳动保障监察支队公务用车运行维护费12万元。",
                                            "西安市劳动保障监察支队公务接待费0万元。",
                                            "西安市劳动保障监察支队公务用车运行维护费15万元。"]))
    found = [x for x in _narrative_findings(f) if x.rule == "N01"]
    assert [(x.expected, x.actual) for x in found] == [(D("12.00"), D("15.00"))]


# --- a change the text computes from the two figures it prints, each rounded ---------------------------------------

def test_change_of_two_rounded_figures_is_rounding_real_page():
    """西安市公安局 2026 p50 prints 培训费 17,315,550.00 元 last year and 8,059,215.00 元 this year (1,731.555 and
    805.9215 万元: a change of −925.6335). The text (p17) says 减少925.64万元 — 805.92 − 1,731.56, the two figures as
    it prints them: a rounding difference, not an error or a review; 减少925.70万元 is still reported."""
    d = budgetkit.read(EXCERPTS / "sn-xian-police-2026-budget-three-public.pdf")
    said = "本部门当年一般公共预算培训费预算支出805.92万元，较上年减少{}万元，下降53.46%。"
    f = budgetkit.check(_with_narrative(d, [said.format("925.64")], "十、“三公”经费及会议费、培训费情况说明"))
    n03 = [x for x in f if x.rule == "N03"]
    assert [x.status for x in n03 if x.status != "passed"] == ["rounding"] and "805.92 − 1,731.56" in n03[0].message
    f = budgetkit.check(_with_narrative(d, [said.format("925.70")], "十、“三公”经费及会议费、培训费情况说明"))
    assert [x.status for x in f if x.rule == "N03" and x.status in ("fail", "review")]


def test_difference_of_rounded_figures_built():
    from budgetkit.check.narrative.changes import _difference_of_rounded

    assert _difference_of_rounded(D("805.9215"), D("1731.555"), D("-925.64"), 2)
    assert not _difference_of_rounded(D("805.9215"), D("1731.555"), D("-925.63"), 2)  # the exact change: no note
    assert not _difference_of_rounded(D("805.9215"), D("1731.555"), D("-925.65"), 2)
