"""What a person reads shows amounts as printed, blanks for missing, integer years, Chinese column names and no
internal identifier: the outputs of notebooks 01–05, the text, Markdown and HTML reports and the xlsx workbooks of
real documents in data/. Also: output files take the user's umask, and a file with no budget table gives the same
bilingual reason on every path."""
from __future__ import annotations

import os
import re

import pytest

import budgetkit
from budgetkit.cli import main
from budgetkit.reference import load_csv
from budgetkit.report import render
from conftest import CORPUS, NOTEBOOKS, SEED_TXT, executed, jiangsu, load

#: raw values: a decimal at its stored six places, a missing-value marker, a Decimal's repr
RAW = re.compile(r"\d\.0{6}\b|\bNaN\b|<NA>|&lt;NA&gt;|\bNone\b(?=<)|Decimal\(|>(?:19|20)\d{2}\.0<")
SNAKE = re.compile(r"^[a-z]+(?:_[a-z0-9]+)+$")
#: internal ids: template families in brackets, fact keys
INTERNAL = [f"{a}{fam}{b}" for fam in [r["family"] for r in load_csv("family_names.csv")] + ["unknown"]
            for a, b in ("[]", "“”", "''")]
FACT_KEYS = sorted({r["fact"] for r in load_csv("narrative_subjects.csv")} | {r["measure"] for r in
                                                                               load_csv("corpus_measures.csv")})


def _junk(text: str) -> list[str]:
    found = [m.group(0) for m in RAW.finditer(text)] + [i for i in INTERNAL if i in text]
    found += [k for k in FACT_KEYS if re.search(rf"(?<![\w'\"=./-]){re.escape(k)}(?![\w'\"./-])", text)]  # not a file name
    return found


def _headers(html: str) -> list[str]:
    return [h.strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", html, flags=re.S)]


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("0[1-5]*.ipynb")), ids=lambda p: p.stem)
def test_notebook_outputs_read_as_printed(path):
    """Every output a notebook shows (frames, widgets' first views, printed text, Markdown) — run once per session
    with tests/test_notebooks.py."""
    nb, _ = executed(path)
    bad = []
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        for o in cell.get("outputs", []):
            texts = [o.get("text", "")] + [v for k, v in o.get("data", {}).items()
                                           if k in ("text/html", "text/plain", "text/markdown")]
            for t in texts:
                t = t if isinstance(t, str) else "".join(t)
                bad += [(i, j) for j in _junk(t)] + [(i, h) for h in _headers(t) if SNAKE.match(h)]
    assert not bad, bad


REPORTED = {"seed": [SEED_TXT], "wanli-2025": [CORPUS / "sh-putuo-wanli-street-2025-budget.pdf"],
            "jiangsu-2019": jiangsu(2019), "foshan-metro-2019": [CORPUS / "gd-foshan-metro-2019-final.pdf"]}


@pytest.fixture(scope="module", params=sorted(REPORTED))
def checked(request):
    d = load(REPORTED[request.param])
    return d, budgetkit.check(d)


def test_reports_read_as_printed(checked):
    """The text, Markdown and HTML reports: the seed's B05 evidence prints the target table's 31.00 as the page
    does; 佛山市轨道交通局 2019 p. 2's sentence on 本部门机关运行经费 is named so, never by a fact key."""
    _, f = checked
    for fmt in ("text", "md", "html"):
        out = render(f, fmt)
        assert not _junk(out), (fmt, _junk(out))
        assert not [h for h in _headers(out) if SNAKE.match(h)]
        head = out if fmt == "text" else out.split("核对结果 / Reconciliation findings", 2)[-1]
        assert re.search(r"错误 \d+ / errors", head)  # distinct problems counted in the header


def _sheets(path):
    from openpyxl import load_workbook

    return load_workbook(path)


def test_xlsx_has_chinese_headers_numbers_and_a_filter(tmp_path, capsys):
    """parse --format xlsx and check --format xlsx of the seed: every header Chinese (with English beside), an
    auto-filter on every sheet with rows, amounts, years, pages and row numbers stored as numbers."""
    assert main(["parse", str(SEED_TXT), "--out", str(tmp_path / "p"), "--format", "xlsx"]) == 0
    assert main(["check", str(SEED_TXT), "--format", "xlsx", "--out", str(tmp_path / "f.xlsx")]) == 1
    books = [_sheets(next((tmp_path / "p").glob("*.xlsx"))), _sheets(tmp_path / "f.xlsx")]
    for wb in books:
        for ws in wb:
            heads = [c.value for c in ws[1]]
            assert not [h for h in heads if SNAKE.match(str(h))], (ws.title, heads)
            assert all(re.search(r"[\u4e00-\u9fff]", str(h)) or h == "English" for h in heads), (ws.title, heads)
            if ws.max_row > 1:
                assert ws.auto_filter.ref, ws.title
            for row in ws.iter_rows(min_row=2, max_row=min(ws.max_row, 400), values_only=True):
                assert not [v for v in row if isinstance(v, str) and _junk(v)], (ws.title, row)
    amounts = books[0]["金额 amounts"]
    heads = [c.value for c in amounts[1]]
    first = dict(zip(heads, next(amounts.iter_rows(min_row=2, max_row=2, values_only=True))))
    assert first["年度 / year"] == 2023 and isinstance(first["行号 / row number"], int)
    assert first["金额 / amount"] == 1149.8 and first["表种类 / table kind"].startswith("收支总表")
    findings = books[1]["发现 findings"]
    heads = [c.value for c in findings[1]]
    rows = [dict(zip(heads, r)) for r in findings.iter_rows(min_row=2, values_only=True)]
    assert [r["级别 / severity"] for r in rows][:11] == ["错误 / error"] * 11  # errors first
    assert rows[0]["应为 / expected"] == 1149.8 and len({r["问题 / problem"] for r in rows[:15]}) == 11


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_outputs_take_the_users_umask(tmp_path, mask, seed):
    """Files written through a temporary name and renamed get the mode any new file of the user gets."""
    from budgetkit.export import write_outputs

    old = os.umask(mask)
    try:
        written = write_outputs(seed, tmp_path / "o")
    finally:
        os.umask(old)
    assert {oct(p.stat().st_mode & 0o777) for p in written} == {oct(0o666 & ~mask)}


NARRATIVE_ONLY = CORPUS / "bj-city-finance-2026-budget-text.pdf"


def test_a_file_with_no_budget_table_gives_one_reason_everywhere(tmp_path, capsys):
    """北京市财政局 2026's narrative half names its tables and prints none: check and parse exit 2 with the same
    bilingual reason, build records that reason (not an internal error) and the disclosure as failed, and counts
    disclosures in its progress bar as in its summary."""
    import budgetkit.store

    reason = "未识别出预算公开表"
    assert main(["check", str(NARRATIVE_ONLY)]) == 2
    err = capsys.readouterr().err
    assert reason in err and "no budget disclosure table recognised" in err and NARRATIVE_ONLY.name in err
    assert main(["parse", str(NARRATIVE_ONLY), "--out", str(tmp_path / "p")]) == 2
    assert reason in capsys.readouterr().err
    with pytest.raises(budgetkit.BadInputError, match=reason):
        budgetkit.check(budgetkit.read(NARRATIVE_ONLY))
    result = budgetkit.store.build([NARRATIVE_ONLY], tmp_path / "s", workers=1, progress=False)
    con = budgetkit.store.open(tmp_path / "s")
    reasons = [r[0] for r in con.execute("SELECT reason FROM failures").fetchall()]
    assert reasons and all(reason in r and "内部错误" not in r for r in reasons)
    # nothing was checked: the disclosure failed (not "partly"), so that no query counts it as checked and clean
    assert result.failed == 1 and result.partial == 0 and "部分失败 0，失败 1" in result.line()
    assert con.execute("SELECT status FROM disclosures").fetchall() == [("failed",)]


def test_compare_report_names_subjects_as_printed():
    """万里街道 2024→2025: Y01 names what the 2025 text compares (财政拨款收入), never a fact key, in every format."""
    from budgetkit.report.panel import render_panel

    p = budgetkit.compare([load(CORPUS / f"sh-putuo-wanli-street-{y}-budget.pdf") for y in (2024, 2025)])
    for fmt in ("text", "md", "html"):
        out = render_panel(p, fmt)
        assert not _junk(out), (fmt, _junk(out))
    assert "两年公开数之差不符（财政拨款收入）" in render_panel(p, "text")
