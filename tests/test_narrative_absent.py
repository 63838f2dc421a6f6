"""A rule asking "does the text explain X" run on a disclosure where no narrative was read (a tables-only file
given alone, a workbook) is not evaluated (未评估: 没有读到情况说明), never a warning; the scorecard's narrative
items are N/E there, not 0.  A disclosure with a narrative, however short, is still judged.
"""
from __future__ import annotations

import budgetkit
from budgetkit.check.completeness import narrative_read
from budgetkit.score import score
from conftest import CORPUS, DATA, SEED_PDF, jiangsu, load
from test_rules_synthetic import _summary, disclosure

BJ_TABLES = CORPUS / "bj-city-finance-2026-budget-tables.pdf"
BJ_TEXT = CORPUS / "bj-city-finance-2026-budget-text.pdf"
EMPTY_FUND = ("政府性基金预算支出表（公开表4）", [["项目", "本年政府性基金预算支出"], ["科目编码", "", "科目名称", "合计"],
                                          ["", "", "合计", ""]])


def c02(f, status):
    return [x for x in f if x.rule == "C02" and x.status == status]


# -- built: one empty table, with and without a narrative ----------------------------------------------------

def test_built_empty_table_without_a_narrative_is_not_evaluated(tmp_path):
    d = disclosure(tmp_path, _summary("1.00", "1.00"), EMPTY_FUND)
    assert not narrative_read(d)
    f = budgetkit.check(d)
    assert c02(f, "fail") == []
    (ne,) = c02(f, "not_evaluated")
    assert "没有读到情况说明" in ne.message and "政府性基金预算支出表" in ne.message and ne.severity == "info"


def test_built_empty_table_with_a_narrative_that_does_not_explain_it_is_a_warning(tmp_path):
    d = disclosure(tmp_path, _summary("1.00", "1.00"), EMPTY_FUND, "本部门负责全区统计调查工作，按年度编制部门预算。")
    assert narrative_read(d)
    f = budgetkit.check(d)
    assert [x.severity for x in c02(f, "fail")] == ["warning"] and c02(f, "not_evaluated") == []


def test_built_empty_table_explained_by_the_narrative_passes(tmp_path):
    f = budgetkit.check(disclosure(tmp_path, _summary("1.00", "1.00"), EMPTY_FUND, "本单位无政府性基金预算拨款安排的支出。"))
    assert c02(f, "fail") == [] and c02(f, "not_evaluated") == [] and f.evaluated["C02"] == 1


# -- real: the tables half of a two-file disclosure, alone and with its text half -----------------------------

def test_beijing_tables_file_alone_leaves_its_empty_tables_unjudged():
    # 北京市财政局 2026 报表: pp. 12, 13 print 预算07表 政府性基金 and 预算08表 国有资本经营 empty; the only prose
    # read is the target forms' goal text on their own pages (pp. 17–48)
    d = load(BJ_TABLES)
    assert not narrative_read(d)
    f = budgetkit.check(d)
    assert c02(f, "fail") == []
    (ne,) = c02(f, "not_evaluated")
    assert "预算07表政府性基金预算支出表" in ne.message and "预算08表国有资本经营预算支出表" in ne.message


def test_beijing_tables_with_their_text_judge_the_empty_tables():
    # with the 情况说明 (its p. 6: 国有资本经营预算拨款收入 0 万元) both empty tables are judged, and explained
    d = load([BJ_TABLES, BJ_TEXT])
    assert narrative_read(d)
    f = budgetkit.check(d)
    assert f.evaluated["C02"] == 2 and c02(f, "fail") == [] and c02(f, "not_evaluated") == []


def test_jiangsu_2017_tables_alone_and_with_text():
    # 中共江苏省委办公厅 2017 报表 p. 7: 财政拨款政府性基金支出预算表 empty, no note
    alone = budgetkit.check(load(jiangsu(2017)[1]))
    assert c02(alone, "fail") == [] and len(c02(alone, "not_evaluated")) == 1
    both = budgetkit.check(load(jiangsu(2017)))
    assert both.evaluated["C02"] == 1 and c02(both, "fail") == [] and c02(both, "not_evaluated") == []


def test_a_note_printed_with_the_table_is_judged_without_a_narrative():
    # 中共江苏省委办公厅 2018 报表: a cover and a contents page (p. 2) are no narrative; p. 12's empty table prints
    # 注：本部门无相关收支项目 under it — judged and explained
    d = load(jiangsu(2018)[1])
    assert not narrative_read(d)
    f = budgetkit.check(d)
    assert f.evaluated["C02"] == 1 and c02(f, "fail") == [] and c02(f, "not_evaluated") == []


def test_a_workbook_given_alone_has_no_narrative():
    # the seed workbook: its only sentence is a line on the sheet of 表1; the five empty tables go unjudged
    f = budgetkit.check(load(DATA / "seed" / "leshan-shizhong-shebao-2023-budget.xlsx"))
    assert c02(f, "fail") == [] and len(c02(f, "not_evaluated")) == 1


def test_a_short_narrative_is_read():
    # 广州市卫生健康委员会 2026, excerpt p. 2: one page of 情况说明 (收支增减, 三公, 机关运行经费) after a table page
    assert narrative_read(load(DATA / "excerpts" / "gd-guangzhou-health-2026-budget-three-public.pdf"))


# -- the scorecard: N/E, not 0 ----------------------------------------------------------------------------------

def _item(card, item_id):
    return next(i for i in card.items if i.id == item_id)


def test_scorecard_narrative_items_are_not_evaluable_on_a_tables_file():
    card = score(load(BJ_TABLES))
    for item_id in ("TS-N01", "TS-N03", "TS-N11", "TS-T02"):
        it = _item(card, item_id)
        assert it.status == "N/E" and it.level is None, item_id
    seed = score(load(SEED_PDF))  # the seed prints its 情况说明: still scored
    assert _item(seed, "TS-N01").status == "scored" and _item(seed, "TS-N03").status == "scored"
