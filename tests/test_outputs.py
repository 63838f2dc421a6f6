"""Outputs people use: CSV with BOM, .xlsx with printed precision, readable compare reports, and safe
outputs (Markdown escaped, files renamed into place, never written through a symlink, folders owned)."""
from __future__ import annotations

import json
from decimal import Decimal

import mistune
import pytest
from openpyxl import load_workbook

from budgetkit.cli import main
from conftest import CORPUS, SEED_TXT, load

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<svg onload=alert(3)>",
            "[点此](javascript:alert(4))"]


@pytest.fixture(scope="module")
def wanli_paths():
    return [str(CORPUS / f"sh-putuo-wanli-street-{y}-budget.pdf") for y in (2024, 2025)]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The seed with script, image, svg and javascript: link payloads in the sentence behind a finding."""
    text = SEED_TXT.read_text(encoding="utf-8")
    assert "卫生健康支出71.95万元" in text
    text = text.replace("支出包括：社会保障和就业支出", "支出包括：" + "".join(PAYLOADS) + "社会保障和就业支出", 1)
    p = tmp_path_factory.mktemp("hostile") / "hostile-2023-budget.txt"
    p.write_text(text, encoding="utf-8")
    return p


def test_parse_writes_csv_with_bom_and_xlsx_with_printed_precision(tmp_path):
    out = tmp_path / "seed"
    assert main(["parse", str(SEED_TXT), "--out", str(out), "--format", "xlsx"]) == 0
    raw = (out / "amounts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "部门收支总表".encode() in raw  # UTF-8 with BOM: Excel reads Chinese
    wb = load_workbook(out / "leshan-shizhong-shebao-2023-budget.xlsx")
    assert {"金额 amounts", "表格 tables", "段落 narrative", "残留 residue", "概况 meta"} <= set(wb.sheetnames)
    ws = wb["金额 amounts"]
    head = [c.value for c in ws[1]]
    col = head.index("金额 / amount") + 1  # headers by their Chinese name, the English beside
    first = ws.cell(row=2, column=col)
    assert isinstance(first.value, (int, float)) and first.value == pytest.approx(1149.8)  # a number, not text
    assert first.number_format == "#,##0.00"  # printed precision as the number format
    yuan = ws.cell(row=2, column=head.index("金额（元） / amount (yuan)") + 1)
    assert yuan.value == 11498000 and yuan.number_format == "#,##0"


def test_check_and_compare_xlsx(tmp_path, wanli_paths):
    p = tmp_path / "findings.xlsx"
    assert main(["check", str(SEED_TXT), "--format", "xlsx", "--out", str(p)]) == 1  # the seed has errors
    wb = load_workbook(p)
    ws = wb["发现 findings"]
    head = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    w02 = next(r for r in rows if r[0] == "W02")
    assert w02[head.index("应为 / expected")] == pytest.approx(1149.80)
    assert "规则 rules" in wb.sheetnames
    q = tmp_path / "compare.xlsx"  # the one compare through the command line
    assert main(["compare", *wanli_paths, "--format", "xlsx", "--out", str(q)]) == 0
    ws = load_workbook(q)["跨年 lines"]
    head = [c.value for c in ws[1]]
    assert "2024（元）" in head and "2024→2025 增减（元）" in head and "2024→2025 增幅 %" in head
    assert main(["check", str(SEED_TXT), "--format", "xlsx"]) == 2  # xlsx needs a file


def test_compare_text_shows_every_line_and_html_has_change_and_pct(wanli_paths):
    import budgetkit
    from budgetkit.report.panel import to_html, to_text

    panel = budgetkit.compare([load(p) for p in wanli_paths])  # read once per session
    text = to_text(panel)
    assert "行 / lines 239" in text
    table = text.split("\n\n")[1].splitlines()
    assert table[0].startswith("表 / table") and len(table) == 1 + 239  # every line, none left out silently
    assert any("一般公共服务支出" in l and "2,932,700" in l and "3,296,600" in l and "+363,900" in l for l in table)
    short = to_text(panel, limit=40)
    assert "另有 199 行未显示" in short and "199 more lines not shown" in short
    # each Y01 statement carries its own quote, so two findings with one message are told apart
    y01 = [l for l in text.splitlines() if l.startswith("[Y01")]
    quotes = [l for l in text.splitlines() if l.strip().startswith("· ") and "“" in l]
    assert len(y01) == 3 and len(set(quotes)) == 3
    page = to_html(panel)
    assert "2024→2025 增减（元）/ change" in page and "2024→2025 增幅 / %" in page
    assert page.count("<tr>") == 240  # header + every line
    assert "+363,900" in page and "+12.41%" in page  # 一般公共服务支出: 2,932,700 → 3,296,600


def test_markdown_reports_escape_document_text(tmp_path, hostile):
    p = tmp_path / "f.md"
    main(["check", str(hostile), "--format", "md", "--out", str(p)])
    md = p.read_text(encoding="utf-8")
    assert "alert(1)" in md.replace("\\", "")  # the text is there, shown as text
    rendered = mistune.html(md)
    for bad in ("<script", "<img", "<svg", 'href="javascript', "onerror=alert(2)>"):
        assert bad not in rendered, bad
    assert "&lt;script&gt;" in rendered
    h = tmp_path / "f.html"
    main(["check", str(hostile), "--format", "html", "--out", str(h)])
    page = h.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<svg" not in page


def test_outputs_never_follow_a_planted_symlink(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "amounts.csv").symlink_to(victim)
    report = tmp_path / "report.html"
    report.symlink_to(victim)
    assert main(["parse", str(SEED_TXT), "--out", str(out)]) == 0
    main(["check", str(SEED_TXT), "--format", "html", "--out", str(report)])
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (out / "amounts.csv").is_symlink() and (out / "amounts.csv").stat().st_size > 1000
    assert not report.is_symlink() and "<html" in report.read_text(encoding="utf-8")
    assert not list(out.glob(".*.tmp"))  # no temporary file left behind


def test_a_folder_holds_one_documents_outputs(tmp_path, hostile, capsys):
    out = tmp_path / "out"
    assert main(["parse", str(SEED_TXT), "--out", str(out), "--format", "xlsx"]) == 0
    manifest = json.loads((out / "budgetkit-outputs.json").read_text(encoding="utf-8"))
    assert manifest["doc_id"] == "leshan-shizhong-shebao-2023-budget"
    # a rerun of the same document without xlsx clears only its own stale file
    (out / "notes-of-mine.txt").write_text("mine", encoding="utf-8")
    assert main(["parse", str(SEED_TXT), "--out", str(out)]) == 0
    assert not (out / "leshan-shizhong-shebao-2023-budget.xlsx").exists()
    assert (out / "notes-of-mine.txt").read_text(encoding="utf-8") == "mine"
    # another document into the same folder is refused with one clear line, and nothing is overwritten
    before = (out / "amounts.csv").read_bytes()
    capsys.readouterr()
    assert main(["parse", str(hostile), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "另一份文件" in err and "another document" in err and "leshan-shizhong-shebao-2023-budget" in err
    assert (out / "amounts.csv").read_bytes() == before


def test_text_report_renders_review(seed):
    from budgetkit.check.findings import Finding, Findings
    from budgetkit.report import to_html, to_markdown, to_text

    f = Findings([Finding("W02", "fail", "合计行不等", "total row differs", expected=Decimal("1149.80"),
                          actual=Decimal("1140.03"), unit="万元", guesses=["表名由内容推断"])], seed.meta, {})
    assert f[0].severity == "review"
    assert "待核对" in to_text(f) and "review" in to_text(f)
    assert "待核对 / review" in to_markdown(f)
    page = to_html(f)
    assert "待核对 / review" in page and "1,149.80" in page and "class='f review'" in page


@pytest.mark.parametrize("fmt", ["text", "json", "md", "html"])
def test_every_report_format_renders_a_disclosure_without_narrative(tmp_path, capsys, fmt):
    """The seed's workbook carries tables only: its statement coverage is empty, and every format still renders
    (the JSON report once crashed converting the missing coverage ratio)."""
    out = tmp_path / f"f.{fmt}"
    assert main(["check", str(SEED_TXT.with_suffix(".xlsx")), "--format", fmt, "--out", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    assert "公开表" in text or "收支总表" in text or "Table" in text
    if fmt == "json":
        assert json.loads(text)["summary"]["statements"] is None or \
            json.loads(text)["summary"]["statements"]["coverage"] is None


def test_text_report_says_which_rules_ran_and_which_did_not(capsys):
    """西南大学 2023 决算 prints four tables: no target table (six P rules not evaluated for that one reason) and
    none of the tables the 决算 identities F09, F13, F16, F17 compare — one line naming
    them, and a rules line that counts checked and not-evaluated rules, so a short report is not read as "all
    passed"; the legend says what 未评估 means."""
    assert main(["check", str(CORPUS / "cq-swu-2023-final.pdf")]) == 0
    out = capsys.readouterr().out
    rules = next(line for line in out.splitlines() if line.startswith("规则 / rules"))
    assert "未评估 17 条" in rules and "P01, P02, P03, P04, P05, P08" in rules
    assert "F09, F13, F16, F17" in rules
    assert out.count("没有可读的项目绩效目标表") == 1
    assert "[P01, P02, P03, P04, P05, P08 提示/info 未评估]" in out
    assert "说明 / legend:" in out and "不等于通过" in out


def test_explained_differences_are_counted_in_the_header_and_json():
    """Explained differences (status note) are not errors and are still counted where a reader looks first:
    西安市公安局 2026 p25 prints 支出 3,377,412,071.47 = this year's 3,246,385,029.74 + 上年结转 131,027,041.73."""
    import json

    import budgetkit
    from budgetkit.report import render
    from conftest import DATA

    f = budgetkit.check(budgetkit.read(DATA / "excerpts" / "sn-xian-police-2026-budget-carryover.pdf"))
    summary = json.loads(render(f, "json"))["summary"]
    assert summary["explained"] == len([x for x in f if x.status == "note"]) > 0 and summary["error"] == 0
    assert f"其中已解释的差异 {summary['explained']}" in render(f, "text").splitlines()[0]


def test_report_header_names_the_template_as_a_reader_would(seed):
    """The header says 四川模板 / Sichuan template, never the internal id [sichuan]; an unknown family says nothing."""
    from budgetkit.check import check
    from budgetkit.report import render
    from budgetkit.report.findings import family_name

    head = render(check(seed), "text").splitlines()[0]
    assert "（四川模板 / Sichuan template）" in head and "[sichuan]" not in head
    assert family_name({"family": "unknown"}) == "" and family_name({}) == ""
