"""Performance targets: the tidy indicator frame and its quality checks."""
from __future__ import annotations

from decimal import Decimal

import budgetkit
from test_rules_synthetic import disclosure


def test_seed_targets_frame(seed):
    t = seed.targets
    assert len(t) == 40 and t["project_name"].nunique() == 5
    r = t[(t.project_name == "待管离休干部") & (t.level3 == "代管离休干部补助标准")].iloc[0]
    assert (r.project_code, r.unit_code, r.budget, r.budget_unit) == ("51110223T000008914506", "316002",
                                                                      Decimal("16.01"), "万元")
    assert (r.level1, r.level2, r.operator, r.value, r.measure_unit, r.weight) == (
        "产出指标", "质量指标", "＝", "3336", "元/月", Decimal("10"))
    assert set(t.level1) == {"产出指标", "效益指标", "满意度指标", "成本指标"}


HEADER = ["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位",
          "权重", "指标方向性"]


def _project(name, budget, goal, rows):
    out = [["100001-测试单位", f"51000000T0000001-{name}", budget, goal] + rows[0]]
    out += [["", "", "", ""] + r for r in rows[1:]]
    return out


GOOD = [["产出指标", "数量指标", "补助人数", "＝", "4", "人", "40", "正向"],
        ["效益指标", "社会效益指标", "补助按时发放率", "≥", "98", "%", "30", "正向"],
        ["满意度指标", "服务对象满意度指标", "补助对象满意度", "≥", "95", "%", "10", "正向"],
        ["成本指标", "经济成本指标", "补助资金", "≤", "16.01", "万元", "10", "反向"]]


def test_a_clean_target_table_passes_every_check(tmp_path):
    goal = "4人，3336元/人.月的标准，预计需要160128元。当年所需约16.01万元。"
    d = disclosure(tmp_path, ("部门预算项目支出绩效目标表（公开表6）", [HEADER] + _project("离休补助", "16.01", goal, GOOD)))
    f = budgetkit.check(d, expected_weight_total=90)
    perf = [x for x in f if x.family == "performance" and x.status != "not_evaluated"]
    assert perf == [], [x.message for x in perf]
    assert f.evaluated["P03"] == 1 and f.evaluated["P08"] == 1 and f.evaluated["P09"] >= 2


def test_each_defect_is_flagged(tmp_path):
    bad = [r[:] for r in GOOD]
    bad[0][5] = "月"          # 人数 measured in 月 → P05
    bad[2][3:5] = ["＝", "100"]  # satisfaction 100% → P06
    bad[3][3] = "≥"          # cost with ≥ → P03
    bad[1][3:5] = ["定性", "1"]   # qualitative with a number → P04
    goal = "4人，3336元/人.月的标准，预计需要200160元。当年所需约20万元。5人。"
    rows = _project("离休补助", "16.01", goal, bad) + _project("另一项目", "1.00", "目标。", [GOOD[3]])
    d = disclosure(tmp_path, ("部门预算项目支出绩效目标表（公开表6）", [HEADER] + rows))
    f = budgetkit.check(d, expected_weight_total=100)
    got = sorted(x.rule for x in f if x.family == "performance" and x.status == "fail")
    assert got.count("P01") == 2  # 90 and 10, expected 100
    assert got.count("P02") == 3  # 另一项目 lacks 产出, 效益, 满意度 (成本 is required only from 2021: year unknown)
    for rule in ("P03", "P04", "P05", "P06", "P08", "P09"):
        assert rule in got, rule
    assert "P07" in got  # 补助资金 16.01 万元 copied into 另一项目


def test_shanghai_project_described_in_text():
    """万里街道 2025 项目经费情况说明: one project, 用款计划 15万元 × 4 quarters, a goal in words."""
    from conftest import CORPUS, load

    t = load(CORPUS / "sh-putuo-wanli-street-2025-budget.pdf").targets
    row = t[t.source == "narrative"].iloc[0]
    assert row.project_name == "万里街道社区公共服务中心新建工程"
    assert row.budget == Decimal("60") and row.budget_unit == "万元"
    assert row.goal.startswith("建成后作为万里街道社区事务受理") and row.level3 is pd.NA


import pandas as pd  # noqa: E402


def test_department_wide_targets_form(tmp_path):
    form = ("部门整体支出绩效目标表（公开表7）",
            [["部门名称", "测试部门", "", "", ""],
             ["年度部门整体支出预算", "资金总额", "财政拨款", "其他资金", ""],
             ["", "100.00", "100.00", "0.00", ""],
             ["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值（包含数字及文字描述）"],
             ["", "产出指标", "数量指标", "服务人次", "≥1000人次"],
             ["", "", "", "", ""],
             ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥95%"]])
    d = disclosure(tmp_path, form)
    t = d.targets[d.targets.source == "department"]
    assert t["level3"].tolist() == ["服务人次", "群众满意度"]
    assert t["level1"].tolist() == ["产出指标", "满意度指标"] and t["budget"].iloc[0] == Decimal("100.00")


def test_seed_department_form_is_empty_and_flagged(seed):
    assert (seed.targets.source == "department").sum() == 0  # the seed's 公开表7 is left blank
    f = budgetkit.check(seed)
    assert any(x.rule == "C02" and "部门整体支出绩效目标表" in x.message for x in f)
