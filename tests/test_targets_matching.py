"""B05 matches the performance-target tables' projects with a project list printed as units → categories →
projects → items, and with names printed differently.

- a target set for a project covers the items printed below it that add up to it (办公场所租赁 over three
  场地租赁 rows): they are not projects without targets;
- targets set for the items cover the line they add up to (政策性考试考务项目 over 会计类考试考务);
- a project without a target is one review item, not one more for each of its parts; more than five in one
  project table are one review item naming them, with every line among its cells;
- a target whose name the project list prints differently (大宗印刷业务 / 大宗印刷项目, a leading 2026年) is that
  line only where the amounts agree too; with another amount it stays a review.
"""
from __future__ import annotations

from pathlib import Path

import budgetkit
from test_rules_synthetic import run

DATA = Path(__file__).resolve().parents[1] / "data"


def _b05(f, status=("fail", "review")):
    return [x for x in f if x.rule == "B05" and x.status in status]


def _project_list(*rows):
    return ("部门综合预算专项业务经费支出表", [["单位编码", "单位（项目）名称", "项目金额"], ["", "合计", "67.00"],
                                     ["316", "测试局", "67.00"], ["", "通用项目", "67.00"], *rows])


LIST = [["", "办公场所租赁", "30.00"], ["", "甲业务用房场地租赁", "10.00"], ["", "乙业务用房场地租赁", "20.00"],
        ["", "大宗印刷项目", "24.00"],
        ["", "政策性考试考务项目", "5.00"], ["", "会计类考试考务", "5.00"],
        ["", "被装购置", "8.00"], ["", "民警被装购置", "8.00"]]


def _targets(*projects):
    rows = [["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "指标值"]]
    for i, (name, budget) in enumerate(projects):
        rows.append(["316-测试局" if i == 0 else "", f"511T000{i}-{name}", budget, "目标", "产出指标", "100"])
    return ("部门预算项目支出绩效目标表（公开表6）", rows)


def test_parts_and_wholes_of_projects_with_targets_built(tmp_path):
    """Built list 67.00: 办公场所租赁 30.00 (target 30.00) over 甲 10.00 + 乙 20.00; 大宗印刷项目 24.00 (target
    大宗印刷业务 24.00); 政策性考试考务项目 5.00 over 会计类考试考务 5.00 (target on the item); 被装购置 8.00 over
    民警被装购置 8.00 (no target). One review remains: 被装购置, its item folded into it."""
    f = run(tmp_path, _project_list(*LIST),
            _targets(("办公场所租赁", "30.00"), ("大宗印刷业务", "24.00"), ("会计类考试考务", "5.00")))
    left = _b05(f)
    assert len(left) == 1 and left[0].status == "review" and "「被装购置」没有绩效目标" in left[0].message
    assert f.evaluated["B05"] >= 4


def test_a_name_printed_differently_with_another_amount_is_no_match_built(tmp_path):
    """Built: the target 大宗印刷业务 25.00 against the line 大宗印刷项目 24.00 — the names are two printings of one
    name but the amounts differ: the target is not found and the line lacks one (both review, never error)."""
    f = run(tmp_path, _project_list(*LIST),
            _targets(("办公场所租赁", "30.00"), ("大宗印刷业务", "25.00"), ("会计类考试考务", "5.00")))
    msgs = [x.message for x in _b05(f)]
    assert any("「大宗印刷业务」不在项目支出表中" in m for m in msgs)
    assert any("「大宗印刷项目」没有绩效目标" in m for m in msgs)
    assert all(x.severity == "review" for x in _b05(f))


def test_items_of_projects_and_names_printed_differently_xian_police():
    """西安市公安局 2026 (excerpt pp.1–4 = source pp.33–36, 部门综合预算专项业务经费支出表; p5 = source p63, p6 = p72,
    p7 = p73, 绩效目标表): the items below 办公场所租赁 8,379,953.61 (反恐处突业务用房场地租赁 180,000.00 …) and the
    other projects' items are not projects without targets; the targets 公安业务及其他交通工具购置 91.00, 大宗印刷业务
    240.00 and 道路交通感知设备建设 2,000.00 万元 are the lines 公安业务其他交通工具购置 910,000.00 (p2), 大宗印刷项目
    2,400,000.00 (p3) and 道路交通感知外场设备建设 20,000,000.00 (p4). Projects whose targets lie on pages not in
    the excerpt (办公场所租赁 …) are groups of items here: their items are still listed for review."""
    f = budgetkit.check(budgetkit.read(DATA / "excerpts" / "sn-xian-police-2026-budget-project-parts.pdf"))
    left = _b05(f)
    assert all(x.severity == "review" for x in left)
    for name in ("公安业务及其他交通工具购置", "大宗印刷业务", "道路交通感知设备建设"):
        assert not [x for x in left if f"「{name}」" in x.message]
    # the projects left without a target in the excerpt are one finding, every line among its cells
    assert len(left) == 1 and "项目支出表中60个项目没有绩效目标（绩效目标表列出3个项目）" in left[0].message
    lacking = [loc["row_label"] for loc in left[0].locations]
    assert "反恐处突业务用房场地租赁" in lacking and "铁骑运行及维修（护）" in lacking  # p1 and p4
    for name in ("公安业务其他交通工具购置", "摩托车", "大宗印刷项目", "公安业务印刷", "道路交通感知外场设备建设",
                 "通用项目", "专用项目", "办公场所租赁"):
        assert name not in lacking, name


def test_items_whose_targets_cover_their_line_xian_finance():
    """西安市财政局 2026 (data/corpus, p38–39 部门综合预算专项业务经费支出表; pp.44–59 绩效目标表): targets are set for
    the items — 会计类考试考务 1,083.57 万元 under 政策性考试考务项目 10,835,700.00, 库房租赁 (budget not read)
    under 办公场所租赁 300,000.00 — so the lines above them have targets; the target 政策性农业保险市级补贴资金 6,600
    万元 is the line 2026年政策性农业保险市级补贴资金 66,000,000.00. Two projects have no target table at all."""
    f = budgetkit.check(budgetkit.read(DATA / "corpus" / "sx-xian-finance-2026-budget.pdf"))  # two: one by one
    msgs = sorted(x.message.split("」")[0] for x in _b05(f))
    assert msgs == ["项目支出表中的项目「市级储备粮油费用补贴", "项目支出表中的项目「市级重要商品储备补贴资金"]
    assert all(x.severity == "review" for x in _b05(f))


def test_many_projects_without_targets_are_one_finding_built(tmp_path):
    """Built list of six projects (1.00 … 6.00) and a target for a seventh: six projects without a target are one
    review finding naming each, every line among its cells; with five, five findings, one each."""
    rows = [["", f"项目{c}", f"{i}.00"] for i, c in enumerate("甲乙丙丁戊己", start=1)]
    total = ("部门综合预算专项业务经费支出表", [["单位编码", "单位（项目）名称", "项目金额"], ["", "合计", "28.00"],
                                        *rows, ["", "重点项目", "7.00"]])
    f = run(tmp_path, total, _targets(("重点项目", "7.00")))
    left = _b05(f)
    assert len(left) == 1 and left[0].severity == "review"
    assert "6个项目没有绩效目标（绩效目标表列出1个项目）：「项目甲」「项目乙」" in left[0].message
    assert [loc["row_label"] for loc in left[0].locations] == [r[1] for r in rows]
    assert [loc["raw"] for loc in left[0].locations] == [r[2] for r in rows]
    five = ("部门综合预算专项业务经费支出表", [["单位编码", "单位（项目）名称", "项目金额"], ["", "合计", "22.00"],
                                       *rows[:5], ["", "重点项目", "7.00"]])
    f = run(tmp_path, five, _targets(("重点项目", "7.00")))
    assert sorted(x.message.split("」")[0][-3:] for x in _b05(f)) == ["项目丁", "项目丙", "项目乙", "项目戊", "项目甲"]
