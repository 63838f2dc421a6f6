"""``budgetkit execution --format xlsx`` on 西南大学 2023 预算 (财政拨款支出预算表 p.10) + 决算 (财政拨款支出决算表
p.14–15): numbers as numbers in their printed precision, Chinese headers with English beside, an auto-filter."""
from __future__ import annotations


import openpyxl

from conftest import CORPUS, load

SWU_B = CORPUS / "cq-swu-2023-budget.pdf"
SWU_F = CORPUS / "cq-swu-2023-final.pdf"


def test_cli_xlsx(monkeypatch, tmp_path, capsys):
    from budgetkit import cli, pipeline

    docs = {str(SWU_B): load(SWU_B), str(SWU_F): load(SWU_F)}
    monkeypatch.setattr(pipeline, "read", lambda paths, **kw: docs[str(paths[0] if isinstance(paths, list) else paths)])
    out = tmp_path / "x.xlsx"
    assert cli.main(["execution", str(SWU_B), str(SWU_F), "--format", "xlsx", "--out", str(out)]) == 0
    assert "→" in capsys.readouterr().err
    wb = openpyxl.load_workbook(out)
    assert {"逐行 lines", "资金变动 funds", "发现 findings", "对照 about"} <= set(wb.sheetnames)
    ws = wb["逐行 lines"]
    head = [c.value for c in ws[1]]
    assert "预算数（万元）/ budget" in head and "执行率（%）/ rate (%)" in head and ws.auto_filter.ref
    col = {h: i for i, h in enumerate(head)}
    row = next(r for r in ws.iter_rows(min_row=2) if r[col["科目编码 / code"]].value == "2060204")
    budget, final, rate = (row[col[h]] for h in ("预算数（万元）/ budget", "决算数（万元）/ final", "执行率（%）/ rate (%)"))
    assert (budget.value, final.value, rate.value) == (350, 1707.93, 487.98)  # Excel numbers
    assert budget.number_format == final.number_format == "#,##0.00"  # shown as printed: 350.00
    assert row[col["决算页 / final page"]].value == 15
    steps = {r[0].value: r[1].value for r in wb["资金变动 funds"].iter_rows(min_row=2)}
    assert steps["年中调整 / adjustment during the year"] == 12139


def test_cli_xlsx_needs_out(monkeypatch, capsys):
    from budgetkit import cli, pipeline

    docs = {str(SWU_B): load(SWU_B), str(SWU_F): load(SWU_F)}
    monkeypatch.setattr(pipeline, "read", lambda paths, **kw: docs[str(paths[0] if isinstance(paths, list) else paths)])
    assert cli.main(["execution", str(SWU_B), str(SWU_F), "--format", "xlsx"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
