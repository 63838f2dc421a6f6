"""Every notebooks/*.ipynb runs top to bottom on the bundled data; a failing cell fails the suite.

The notebooks are the source (no generator).  Beyond running clean, the first view each one shows is
asserted from its outputs: each widget displays a static picture of its first view beside the live widget.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import executed

HERE = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(HERE.glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


def _html(outputs) -> str:
    return "\n".join(o.get("data", {}).get("text/html", "") for o in outputs)


def _first_views(outputs) -> list[str]:
    return [o["data"]["text/html"] for o in outputs if WIDGET in o.get("data", {}) and "text/html" in o["data"]]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_clean(path):
    nb, left = executed(path)  # run once per session; tests/test_display_everywhere.py reads the same outputs
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, [(o.ename, o.evalue) for o in errors]
    assert not left  # no .ipynb_checkpoints or other file left behind
    first = nb.cells[0].source
    assert "本笔记本教什么" in first and "What this notebook teaches" in first
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any(WIDGET in o.get("data", {}) for o in outputs)  # a live widget is displayed
    html = _html(outputs)
    if path.stem[:2] in ("01", "02", "03", "04", "06", "07"):  # the curated teaching notebooks go through the display layer
        for junk in ("&lt;NA&gt;", ">NaN<", ">None<", "1149.800000"):
            assert junk not in html, junk  # blanks, not missing-value markers; amounts as printed
    views = _first_views(outputs)
    stem = path.stem
    if stem.startswith("01"):
        svgs = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
        assert svgs and "社会保障和就业支出" in svgs[0]["data"]["image/svg+xml"]  # a chart, drawn offline
        assert not any("vnd.vegalite" in k for o in outputs for k in o.get("data", {}))
        # the explorer opens on the first document and its first table, amounts as printed
        assert "部门收支总表" in views[0] and "1,149.80" in views[0] and "金额（万元）/ amount (万元)" in views[0]
    if stem.startswith("02"):
        md = "\n".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
        assert "条发现 / findings" in md and "错误 / errors:" in md and "W02" in md  # the summary comes first
        assert "合计行等于各科目行之和" in html  # what W02 checks, from rules.csv
        assert "[W02]" in views[0] and "<table" in views[0]  # the browser opens on the first finding's evidence
        assert "舍入差异 rounding" in first and "未评估 not evaluated" in first and "待核对 review" in first
    if stem.startswith("03"):
        assert "层级 / level" in views[0] and "类 / class" in views[0] and "增幅 / %" in views[0]
        svgs = "\n".join(o.get("data", {}).get("image/svg+xml", "") for o in outputs)
        assert "项级" in svgs and "this table and level only" in svgs  # top movers at one level
    if stem.startswith("04"):
        assert "产出指标" in views[0] and "没有绩效目标" not in views[0]  # the first project, not an empty list
        svgs = "\n".join(o.get("data", {}).get("image/svg+xml", "") for o in outputs)
        assert "5 个项目合计" in svgs and "summed over 5 projects" in svgs  # a sum across projects says so
    if stem.startswith("06"):
        # 西南大学 2023: the lines sorted by difference (2050205 +4,797.36 first), 2060204 at 487.98% with its pages
        assert "+4,797.36" in html and html.index("2050205") < html.index("2060204") and "487.98%" in html
        svgs = "\n".join(o.get("data", {}).get("image/svg+xml", "") for o in outputs)
        assert "from budget to final" in svgs  # the waterfall, drawn offline
        assert "增长0%" in html or "增长 0%" in html  # 佛山 2019: statements on a zero base
        assert "1,623.00" in "\n".join(o.get("text", "") for o in outputs)  # the carry-over behind 488%
        assert "11/13" in views[0] and "1,707.93" in views[0]  # the widget's first view
        for junk in ("Decimal(", "inf%"):
            assert junk not in html, junk
    if stem.startswith("07"):
        # the league opens on the 2026 部门 budgets, each total with its coverage, a chart and a card with pages
        assert "2026 预算 · 部门 / 2026 budget · department" in views[0] and "coverage" in views[0]
        assert "<svg" in views[0] and "证据（页）/ evidence (page)" in views[0]
        assert "2025 预算 · 单位 / 2025 budget · unit" in html  # one office's 单位 budget is not its 部门's peer
        assert "为什么 N/E 不是 0 分" in "\n".join(c.source for c in nb.cells)  # the methods section
        assert "TS-Q05" in html  # the methods table lists every item


def test_notebook_count():
    assert {p.stem for p in NOTEBOOKS} >= {"01-explore", "02-reconciliation", "03-year-over-year",
                                          "04-performance-indicators"}
    assert not (HERE / ".ipynb_checkpoints").exists()
