"""Reading doubts that made a finding rest on a guess, fixed in the reading: text printed off its table's ruling
(two rows' figures in one cell, names beside the wrong codes), a number that opens a project's name read as a
classification code, a change stated after a bracketed aside the line broke, and a change sentence pasted into
another item's description.

Each class on a small built example and on a published page (data/excerpts/, figures recomputed by hand in the
comments).
"""
from __future__ import annotations

import zlib
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import budgetkit
from budgetkit.read.pdf_reader import read_pdf
from budgetkit.read.blocks import RawTable
from budgetkit.tidy.codes import split_label

EXCERPTS = Path(__file__).resolve().parents[1] / "data" / "excerpts"


def _pdf(path: Path, ops: str) -> Path:
    """A one-page PDF (A4 landscape, Helvetica) drawing ``ops``, written by hand: no PDF library builds one here."""
    stream = zlib.compress(ops.encode("latin-1"))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(out)
    return path


def _grid_with_text(rows: list[list[str]], drop: float) -> str:
    """A ruled grid of 20-point rows, each row's text drawn ``drop`` points below its row's middle."""
    xs, top, h = [60, 160, 360, 460], 500, 20
    ops = ["0.5 w"]
    for i in range(len(rows) + 1):
        ops.append(f"{xs[0]} {top - i * h} m {xs[-1]} {top - i * h} l S")
    for x in xs:
        ops.append(f"{x} {top} m {x} {top - len(rows) * h} l S")
    for i, r in enumerate(rows):
        base = top - i * h - h / 2 - 3.5 - drop  # 10-point type set on the row's middle, then dropped
        for j, text in enumerate(r):
            ops.append(f"BT /F1 10 Tf {xs[j] + 4} {base:.2f} Td ({text}) Tj ET")
    return "\n".join(ops)


ROWS = [["code", "name", "amount"], ["208", "social", "1,043.69"], ["20805", "pension", "1,043.69"],
        ["2080501", "retired", "31.01"], ["2080505", "basic", "424.00"], ["2080506", "annuity", "212.00"]]


def _raw(path: Path) -> list:
    blocks, _ = read_pdf(path)
    return [[c or "" for c in r] for b in blocks if isinstance(b, RawTable) for r in b.rows]


# --- text printed off its ruling -----------------------------------------------------------------------------

def test_text_printed_half_a_row_low_is_read_in_its_own_rows_built(tmp_path):
    # every line of text drawn 13 points low straddles the line below its row: read by each character's middle,
    # each row's text would fall into the row below and the last row (2080506 annuity 212.00) below the grid; read
    # at the shift that clears the lines, each row is itself again
    assert _raw(_pdf(tmp_path / "off.pdf", _grid_with_text(ROWS, 13.0))) == ROWS
    # and a grid printed in register reads as it did
    assert _raw(_pdf(tmp_path / "in.pdf", _grid_with_text(ROWS, 0.0))) == ROWS


def test_text_a_little_low_in_its_rows_is_left_alone_built(tmp_path):
    # text 3 points low still sits inside its rows: nothing to shift, the cells are the same
    assert _raw(_pdf(tmp_path / "low.pdf", _grid_with_text(ROWS, 3.0))) == ROWS


def test_text_printed_off_its_ruling_p1_to_p3():
    # pp1-3 (pp9-11 of the 重庆市科学技术局 2026 budget, 收入总体情况表) draw the text about 5 points below the
    # grid: each name's line falls in the ruled row above its code.  Read at that shift every name is beside its
    # code, 2060203 自然科学基金 15,500.00 (foot of p1) is read, and 2080501 31.01 / 2080505 424.00 are two rows.
    # By hand: 20602 52,333.24 = 7,060.96 + 15,500.00 + 210.00 + 9,882.28 + 11,780.00 + 7,900.00;
    # 20805 1,043.69 vs 31.01 + 424.00 + 212.00 + 376.67 = 1,043.68 (a rounding difference, not an error)
    d = budgetkit.read(EXCERPTS / "cq-sti-2026-budget-p9-p11.pdf")
    a = d.amounts[d.amounts["column_label"] == "总计"]
    got = {r.code: (r.row_label, r.amount) for r in a.itertuples() if isinstance(r.code, str)}
    assert got["2060203"] == ("自然科学基金", Decimal("15500.00"))
    assert got["206"] == ("科学技术支出", Decimal("161603.34"))
    assert got["2080501"] == ("行政单位离退休", Decimal("31.01"))
    assert got["2080505"] == ("机关事业单位基本养老保险缴费支出", Decimal("424.00"))
    assert len(d.residue) == 0
    f = budgetkit.check(d)
    w01 = [x for x in f if x.rule == "W01" and x.status != "pass"]
    assert w01 and all(x.status == "rounding" for x in w01)


# --- a number that opens a project's name --------------------------------------------------------------------

@pytest.mark.parametrize("label, code, rest", [
    ("12320卫生热线服务项目", None, "12320卫生热线服务项目"),  # a hotline's number, no budget code
    ("201一般公共服务支出", "201", "一般公共服务支出"),          # a function code run into its name
    ("30101基本工资", "30101", "基本工资"),                        # an economic code run into its name
    ("110 转移性收入", "110", "转移性收入"),                        # any code printed apart from its name
    ("【301】工资福利支出", "301", "工资福利支出"),
])
def test_a_number_opening_a_name_is_a_code_only_if_it_is_one(label, code, rest):
    assert split_label(label) == (code, rest)


def test_a_project_named_by_a_number_keeps_it_built(tmp_path):
    rows = [["项目名称", "合计", "一般公共预算"], ["合计", "700.00", "700.00"],
            ["12320卫生热线服务项目", "612.00", "612.00"], ["健康教育宣传经费", "88.00", "88.00"]]
    lines = ["广州市测试局2026年部门预算", "", "项目支出预算表", "", "\t部门：测试单位", "\t金额单位：万元", ""]
    for r in rows:
        lines += ["\t" + c for c in r] + [""]
    path = tmp_path / "built.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    a = budgetkit.read(path).amounts
    row = a[a["raw"] == "612.00"].iloc[0]
    assert row["row_label"] == "12320卫生热线服务项目" and pd.isna(row["code"])


def test_a_project_named_by_a_number_p2():
    # p2 (p88 of the 广州市卫生健康委员会 2026 budget, 部门预算项目支出及其他支出预算表, its title on p1 = p31)
    # prints 12320卫生热线服务项目 612.00 (the name wrapped after 项): the whole name is the row's label, as the
    # 绩效目标表 names it, and 12320 is no classification code
    d = budgetkit.read(EXCERPTS / "gd-guangzhou-health-2026-budget-projects.pdf")
    a = d.amounts
    row = a[a["row_label"].astype(str).str.contains("卫生热线")].iloc[0]
    assert (row["page"], row["row_label"], row["raw"]) == (2, "12320卫生热线服务项目", "612.00")
    assert pd.isna(row["code"])


# --- a change stated after a bracketed aside ----------------------------------------------------------------

def _narrative(*paragraphs: str) -> pd.DataFrame:
    return pd.DataFrame({"text": list(paragraphs), "page": [1] * len(paragraphs),
                         "section": ["二、“三公”经费安排情况"] * len(paragraphs), "file": ["built.pdf"] * len(paragraphs)})


def _change(sentences, delta: str):
    return next(c for s in sentences for c in s.changes if c.delta == Decimal(delta))


def test_a_change_after_a_bracket_a_paragraph_break_cut_is_the_figure_before_it_built():
    # the line ends at the "；" inside the bracket and the reading starts a paragraph there: the change after "）"
    # is still the figure's before the bracket (701.34 − 66.79 = 634.55; 66.79 ÷ 634.55 = 10.5%), not the last
    # figure inside it (370.34)
    from budgetkit.tidy.statements import read_statements

    text = ["公务用车购置及运行维护费701.34万元（公务用车购置费331万元，比上年增加119.15万元；",
            "公务用车运行维护费370.34万元，比上年减少52.36万元。）比上年增加66.79万元，增长10.5%。"]
    for paragraphs in (text, ["".join(text)]):  # cut in two, or one paragraph
        ss = read_statements(_narrative(*paragraphs))
        assert _change(ss, "66.79").current.value == Decimal("701.34")
        assert _change(ss, "119.15").current.value == Decimal("331")
        assert _change(ss, "52.36").current.value == Decimal("370.34")
    # a paragraph that ends a sentence ("。") closes what it opened: nothing is carried to the next one
    ss = read_statements(_narrative("会议费5.00万元（含培训费。", "）比上年增加1.00万元。"))
    assert _change(ss, "1.00").current is None


def test_a_change_after_a_bracket_p2():
    # p2 (p114 of the 广州市卫生健康委员会 2026 budget; p1 = p23, its 三公 table): "公务用车购置及运行维护费701.34万元
    # （公务用车购置费331万元，比上年增加119.15万元；| 公务用车运行维护费370.34万元，比上年减少52.36万元。）比上年增加
    # 66.79万元，增长10.5%" — the line breaks after the "；"; the 66.79 is the 701.34's (66.79 ÷ 634.55 = 10.5%)
    from budgetkit.tidy.statements import stated_changes

    d = budgetkit.read(EXCERPTS / "gd-guangzhou-health-2026-budget-three-public.pdf")
    sc = stated_changes(d)
    row = sc[sc["delta"] == Decimal("66.79")].iloc[0]
    assert (row["page"], row["current"]) == (2, Decimal("701.34"))
    f = budgetkit.check(d)
    assert not [x for x in f if x.rule == "N03" and x.status in ("fail", "review") and "66.79" in x.message]


# --- a sentence pasted into another's description ------------------------------------------------------------

@pytest.mark.parametrize("text, current", [
    # run into the description with no break before 较: not the 90.72's change (29.23 ÷ 2.2% ≈ 1,329)
    ("（8）气象产业发展管理90.72万元，用于开展气象产业统计调研等工作，支撑构建较2025年年初预算增加29.23万元，增幅2.2%。", None),
    # the change opens its own clause after the description: the figure's
    ("会议费10.00万元，用于召开年度工作会议，较上年增加2.00万元，增长25%。", "10.00"),
    # or names its own subject
    ("会议费10.00万元，主要用于日常运转经费较上年增加2.00万元。", "10.00"),
    # no description between: the figure's
    ("会议费10.00万元较上年增加2.00万元。", "10.00"),
])
def test_a_change_run_into_a_description_has_no_figure_built(text, current):
    from budgetkit.tidy.statements import read_sentence

    c = read_sentence(text, 1, "", "built.pdf").changes[0]
    assert (None if c.current is None else str(c.current.value)) == current


def test_a_change_run_into_a_description_p4_p5():
    # pp4–5 (pp11–12 of the 深圳市气象局 2026 budget): "（8）气象产业发展管理 90.72 万元，用于开展…等工作，支撑构建较2025 年年初预算
    # 增加 29.23 万元，增幅 2.2%，主要原因是…对编外人员劳务费单独编制…" — a sentence about another item printed inside
    # this one's description: no figure is its own, and N03 states nothing about it
    from budgetkit.tidy.statements import stated_changes

    d = budgetkit.read(EXCERPTS / "gd-shenzhen-meteo-2026-budget-projects.pdf")
    sc = stated_changes(d)
    rows = sc[sc["delta"] == Decimal("29.23")]
    assert len(rows) == 1 and rows.iloc[0]["page"] == 4 and pd.isna(rows.iloc[0]["current"])
    f = budgetkit.check(d)
    assert not [x for x in f if x.rule == "N03" and x.status in ("fail", "review")]


def test_a_bare_figure_in_brackets_after_a_change_is_neither_amount_nor_share_built():
    # 西安市人力资源和社会保障局 (2020 text, p23 of its 2026 file) prints "较上年总体降低 38.17 万元（56.57 ）": a share whose %
    # is not in the text layer (38.17 ÷ 67.47 = 56.57%); read as money or as a percent it would be a guess
    from budgetkit.tidy.statements import read_sentence

    s = read_sentence("“三公”经费预算29.30万元，较上年总体降低 38.17 万元（56.57 ），主要原因是公务用车运行维护经费减少。",
                      1, "", "built.pdf")
    assert [(str(m.value), m.role) for m in s.mentions] == [("29.30", "amount"), ("38.17", "delta")]
    assert s.percents == []
