"""A year printed off its title's line (a template field in another font, lower than the title and touching it
on the left) is read at the start of the title, as the page shows it."""
from __future__ import annotations

from pathlib import Path

import budgetkit
from budgetkit.read.pdf_lines import rejoin_numbers

EXCERPTS = Path(__file__).resolve().parents[1] / "data" / "excerpts"


def _line(text, x0, x1, top, height=18.5):
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + height}


def test_a_year_touching_its_title_on_the_left_is_the_title_s_start():
    """Built from the geometry of 重庆市科学技术局 2026 p.9: 「2026」 at x 296–344, 16 pt below 「年部门收入…」 at 345."""
    lines = [_line("表二", 74.2, 104.7, 73.7), _line("年部门收入总体情况表", 345.1, 540.9, 109.8),
             _line("2026", 296.1, 344.0, 126.0)]
    out = rejoin_numbers(lines)
    assert [ln["text"] for ln in out] == ["表二", "2026年部门收入总体情况表"]
    assert out[1]["x0"] == 296.1 and out[1]["top"] == 109.8


def test_numbers_that_do_not_begin_a_year_stay_apart():
    """A page number, a code beside a name, a year far from the title, two titles it could begin: unchanged."""
    cases = [
        [_line("一般公共服务支出", 120.0, 260.0, 200.0), _line("201", 90.0, 119.0, 200.5)],      # not 年…
        [_line("年部门收入总体情况表", 345.1, 540.9, 109.8), _line("2026", 200.0, 248.0, 126.0)],  # 97 pt apart
        [_line("年部门收入总体情况表", 345.1, 540.9, 109.8), _line("2026", 296.1, 344.0, 160.0)],  # two lines lower
        [_line("年甲", 345.0, 400.0, 100.0), _line("年乙", 345.0, 400.0, 118.0), _line("2026", 296.0, 344.0, 110.0)],
        [_line("— 29 —", 280.0, 320.0, 800.0)],
    ]
    for lines in cases:
        assert rejoin_numbers(lines) == lines


def test_the_real_title_reads_with_its_year():
    """data/excerpts/cq-sti-2026-budget-p9-p11.pdf p.1 (重庆市科学技术局 2026 p.9): 2026年部门收入总体情况表."""
    d = budgetkit.read(EXCERPTS / "cq-sti-2026-budget-p9-p11.pdf")
    assert [t.title for t in d.tables] == ["2026年部门收入总体情况表"]
