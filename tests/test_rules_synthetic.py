"""Each rule on small hand-built disclosures, passing and failing.

The disclosures are written in the Word-export text form, so they go through
the same reader as real ones.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import budgetkit


def disclosure(tmp_path: Path, *parts) -> budgetkit.Disclosure:
    """parts: str (a prose line) or (title, rows) for a table."""
    # a cover, where the parts give none: year and stage come from it
    has_cover = bool(parts) and isinstance(parts[0], str) and ("年部门预算" in parts[0] or "年部门决算" in parts[0])
    lines = [] if has_cover else ["乐山市市中区测试局2023年部门预算", ""]
    for p in parts:
        if isinstance(p, str):
            lines += [p, ""]
        else:
            title, rows = p
            lines += [title, ""]
            lines += ["\t部门：测试单位", "\t金额单位：万元", ""]
            for r in rows:
                lines += ["\t" + c for c in r] + [""]
    path = tmp_path / "synthetic.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return budgetkit.read(path)


def run(tmp_path, *parts):
    return budgetkit.check(disclosure(tmp_path, *parts))


def rules(f, status="fail"):
    return sorted(x.rule for x in f if x.status == status)


EXP_HEADER = [["项目", "", "", "合计", "基本支出", "项目支出"], ["科目编码", "", "科目名称", "", "", ""],
              ["类", "款", "项", "", "", ""]]


def exp_table(rows):
    return ("部门支出总表（公开表1-2）", EXP_HEADER + rows)


def test_w01_parent_equals_children(tmp_path):
    good = [["", "", "", "合计", "10.00", "6.00", "4.00"], ["208", "", "", "社会保障和就业支出", "10.00", "6.00", "4.00"],
            ["208", "01", "", "人力资源和社会保障管理事务", "10.00", "6.00", "4.00"],
            ["208", "01", "09", "社会保险经办机构", "6.00", "6.00", ""],
            ["208", "01", "99", "其他人力资源和社会保障管理事务支出", "4.00", "", "4.00"]]
    EXP = [["项目", "", "", "", "合计", "基本支出", "项目支出"], ["科目编码", "", "", "科目名称", "", "", ""],
           ["类", "款", "项", "", "", "", ""]]
    f = run(tmp_path, ("部门支出总表（公开表1-2）", EXP + good))
    assert "W01" not in rules(f) and f.evaluated["W01"] >= 3
    bad = [r[:] for r in good]
    bad[3][4] = "7.00"  # 2080109 now 7.00: 20801 ≠ Σ项, and 合计 column ≠ 基本+项目
    f = run(tmp_path, ("部门支出总表（公开表1-2）", EXP + bad))
    w01 = [x for x in f if x.rule == "W01" and x.status == "fail"]
    assert len(w01) == 1 and w01[0].expected == Decimal("10.00") and w01[0].actual == Decimal("11.00")
    assert any(x.rule == "W03" and x.expected == Decimal("7.00") and x.actual == Decimal("6.00") for x in f)


def test_w02_total_row_and_rounding_tolerance(tmp_path):
    EXP = [["项目", "", "", "", "合计"], ["科目编码", "", "", "科目名称", ""], ["类", "款", "项", "", ""]]
    rows = [["", "", "", "合计", "{}"], ["208", "01", "09", "社会保险经办机构", "3.33"],
            ["208", "01", "99", "其他人力资源和社会保障管理事务支出", "3.33"],
            ["221", "02", "01", "住房公积金", "3.33"]]

    def table(total):
        r = [x[:] for x in rows]
        r[0][4] = total
        return ("一般公共预算支出预算表（公开表3）", EXP + r)

    assert "W02" not in rules(run(tmp_path, table("9.99")))
    f = run(tmp_path, table("10.00"))  # 3 × 3.33 = 9.99; 0.01 ≤ 3×0.005 + 0.005 → rounding
    r = [x for x in f if x.rule == "W02"]
    assert len(r) == 1 and r[0].status == "rounding" and r[0].severity == "info"
    f = run(tmp_path, table("10.10"))
    assert [x.status for x in f if x.rule == "W02"] == ["fail"]


def test_w03_total_column_equals_components(tmp_path):
    T = ("一般公共预算“三公”经费支出预算表（公开表3-3）",
         [["单位编码", "单位名称（科目）", "当年财政拨款预算安排"],
          ["", "", "合计", "因公出国（境）费用", "公务用车购置及运行费", "公务接待费"],
          ["", "", "", "", "小计", "公务用车购置费", "公务用车运行费", ""],
          ["316002", "测试单位", "{}", "", "3.00", "1.00", "2.00", "2.80"]])

    def table(total):
        t = [r[:] for r in T[1]]
        t[3][2] = total
        return (T[0], t)

    assert "W03" not in rules(run(tmp_path, table("5.80")))
    f = run(tmp_path, table("5.00"))
    w = [x for x in f if x.rule == "W03"]
    assert len(w) == 1 and w[0].expected == Decimal("5.00") and w[0].actual == Decimal("5.80")


def _summary(income_total, exp_total):
    return ("部门收支总表（公开表1）", [["收    入", "支    出"], ["项    目", "预算数", "项    目", "预算数"],
                                 ["一、一般公共预算拨款收入", income_total, "八、社会保障和就业支出", exp_total],
                                 ["本 年 收 入 合 计", income_total, "本 年 支 出 合 计", exp_total],
                                 ["收  入  总  计", income_total, "支  出  总  计", exp_total]])


def test_w04_income_equals_expenditure(tmp_path):
    assert "W04" not in rules(run(tmp_path, _summary("100.00", "100.00")))
    f = run(tmp_path, _summary("100.00", "90.00"))
    assert any(x.rule == "W04" and x.expected == Decimal("100.00") and x.actual == Decimal("90.00") for x in f)


def test_b01_b02_between_tables(tmp_path):
    EXP = [["项目", "", "", "", "合计"], ["科目编码", "", "", "科目名称", ""], ["类", "款", "项", "", ""]]

    def spending(v208):
        return ("部门支出总表（公开表1-2）", EXP + [["", "", "", "合计", "100.00"],
                                          ["208", "", "", "社会保障和就业支出", v208],
                                          ["208", "01", "09", "社会保险经办机构", v208]])

    f = run(tmp_path, _summary("100.00", "100.00"), spending("100.00"))
    assert "B01" not in rules(f) and "B02" not in rules(f) and f.evaluated["B01"] >= 1
    f = run(tmp_path, _summary("90.00", "90.00"), spending("100.00"))
    b01 = [x for x in f if x.rule == "B01"]
    assert len(b01) == 1 and "208" in b01[0].message
    assert "B02" in rules(f)  # 本年支出合计 90.00 vs 支出总表 合计 100.00


def test_b05_targets_vs_projects(tmp_path):
    proj = ("一般公共预算项目支出预算表（公开表3-2）",
            [["科目编码", "", "", "单位代码", "单位名称（科目）", "金额"], ["类", "款", "项", "", "", ""],
             ["", "", "", "", "合计", "30.00"],
             ["208", "01", "99", "316002", "项目甲", "10.00"], ["208", "01", "99", "316002", "项目乙", "20.00"]])

    def targets(b):
        return ("部门预算项目支出绩效目标表（公开表6）",
                [["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "指标值"],
                 ["316-测试部门", "", str(Decimal("10.00") + Decimal(b)), "", "", ""],
                 ["316002-测试单位", "511T0001-项目甲", "10.00", "目标", "产出指标", "100"],
                 ["", "511T0002-项目乙", b, "目标", "产出指标", "100"]])

    assert "B05" not in rules(run(tmp_path, proj, targets("20.00")))
    f = run(tmp_path, proj, targets("25.00"))
    assert sorted((x.expected, x.actual) for x in f if x.rule == "B05") == [
        (Decimal("20.00"), Decimal("25.00")), (Decimal("30.00"), Decimal("35.00"))]


def test_narrative_amount_share_change_and_names(tmp_path):
    s = _summary("200.00", "200.00")
    ok = run(tmp_path, s, "本单位2023年收入预算200.00万元，其中：一般公共预算拨款收入200.00万元，占100%。",
             "社会保障和就业支出200.00万元，比2022年预算150.00万元增加50.00万元，增长33.33%。")
    assert not [x for x in ok if x.family == "narrative" and x.status == "fail"]
    bad = run(tmp_path, s, "本单位2023年收入预算210.00万元，其中：一般公共预算拨款收入200.00万元，占90%。",
              "社会保障和就业支出200.00万元，比2021年预算150.00万元增加40.00万元，增长30%。",
              "农林水支出5.00万元。", "社会保障和就业支持200.00万元。")
    got = rules(bad)
    assert got.count("N01") == 1  # 210.00 vs 200.00
    assert "N02" in got and got.count("N03") == 2 and "N04" in got and "N05" in got and "N06" in got


def test_completeness_missing_tables_empty_tables_placeholders(tmp_path):
    d = disclosure(tmp_path, _summary("1.00", "1.00"), "本单位XX年预算说明。")
    assert d.meta["family"] == "unknown"  # one table is no evidence of a template
    d.meta["family"] = "sichuan"  # a user who knows the template says so
    f = budgetkit.check(d)
    missing = [x for x in f if x.rule == "C01"]
    assert len(missing) == 8  # the Sichuan family needs 9 tables; only 收支总表 is here
    # 1 of 9 present: the template is a guess, so the missing tables are review, not errors
    assert all(x.status == "review" for x in missing)
    assert any(x.rule == "C03" and "XX" in x.message for x in f)
    empty = ("政府性基金预算支出表（公开表4）", [["项目", "本年政府性基金预算支出"], ["科目编码", "", "科目名称", "合计"],
                                       ["", "", "合计", ""]])
    f = run(tmp_path, _summary("1.00", "1.00"), empty)
    assert any(x.rule == "C02" for x in f)
    f = run(tmp_path, _summary("1.00", "1.00"), empty, "本单位无政府性基金预算拨款安排的支出。")
    assert not any(x.rule == "C02" for x in f)


def test_rule_without_inputs_is_not_evaluated_not_passed(tmp_path):
    f = run(tmp_path, _summary("1.00", "1.00"))
    ne = {x.rule for x in f if x.status == "not_evaluated"}
    assert {"B04", "B05"} <= ne
    assert all(x.severity == "info" and x.message.startswith("未评估") for x in f if x.status == "not_evaluated")


def test_check_cli_exit_codes(tmp_path):
    from budgetkit.cli import main

    seed = Path(__file__).resolve().parents[1] / "data" / "seed" / "leshan-shizhong-shebao-2023-budget.txt"
    assert main(["check", str(seed), "--format", "json", "--out", str(tmp_path / "f.json")]) == 1
    assert (tmp_path / "f.json").read_text(encoding="utf-8").startswith("{")
    clean = Path(__file__).resolve().parents[1] / "data" / "corpus" / "sh-putuo-commerce-2025-budget-unit.pdf"
    assert main(["check", str(clean), "--format", "md", "--out", str(tmp_path / "f.md")]) == 0
    assert (tmp_path / "f.md").read_text(encoding="utf-8").startswith("# 核对结果")
    assert main(["check", str(tmp_path / "missing.pdf")]) == 2
