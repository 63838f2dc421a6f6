"""Classes of input that must be read as printed, refused with a reason, or reported — never silently wrong.

Each class is tested on an input built here (from the seed, python-docx, openpyxl or a hand-made PDF) and, where
one exists, on a real document."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import budgetkit
from budgetkit.check import check
from budgetkit.cli import main
from budgetkit.errors import BadInputError
from budgetkit.fuzz import tiny_pdf
from budgetkit.recognise.rows import header_row_count, is_figure_shaped
from conftest import DATA, SEED_TXT, load

SEED_TEXT = SEED_TXT.read_text(encoding="utf-8")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ---------------------------------------------------------------- a malformed amount in a first body row

@pytest.mark.parametrize("text", ["1,149.8O", "1,149,80", "31.O6", "1149.8o", "(1,149.8O)", "2l.50"])
def test_malformed_figures_are_figure_shaped(text):
    assert is_figure_shaped(text)


@pytest.mark.parametrize("text", ["预算数", "2023年", "栏次", "1", "12", "（一）", "合计", "201", "2023",
                                  "一、一般公共预算拨款收入", "项目名称", "1.2", "ABC.DEF", "Total"])
def test_header_words_years_and_column_numbers_are_not_figure_shaped(text):
    assert not is_figure_shaped(text)


def test_header_stops_above_a_first_body_row_whose_only_figure_is_malformed():
    rows = [["收入", None, "支出", None], ["项目", "预算数", "项目", "预算数"],
            ["一、一般公共预算拨款收入", "1,149.8O", "一、一般公共服务支出", ""],
            ["二、政府性基金预算拨款收入", "", "二、外交支出", ""],
            ["", "", "八、社会保障和就业支出", "1065.53"]]
    assert header_row_count(rows) == 2
    rows[2][1] = "1,149.80"
    assert header_row_count(rows) == 2  # as with the figure well formed


def test_a_malformed_first_amount_of_the_seed_goes_to_residue_and_keeps_the_rows_below(tmp_path, seed):
    """The seed's first body amount printed 1,149.8O: the table keeps its header and all its rows, the cell is
    in the residue with its reason, and every other amount is read as before."""
    first = "\t1,149.80\n"
    assert first in SEED_TEXT
    d = budgetkit.read(_write(tmp_path, "seed-o.txt", SEED_TEXT.replace(first, "\t1,149.8O\n", 1)))
    good, bad = seed.tables[0], d.tables[0]
    assert list(bad.frame.columns) == list(good.frame.columns) and bad.frame.shape == good.frame.shape
    assert bad.frame.iloc[0].tolist()[:2] == ["一、一般公共预算拨款收入", "1,149.8O"]
    res = d.residue[d.residue["raw"] == "1,149.8O"]
    assert len(res) == 1 and res.iloc[0]["table_index"] == 1 and res.iloc[0]["row_no"] == 1
    assert "not a parseable amount" in res.iloc[0]["reason"]
    assert len(d.amounts) == len(seed.amounts) - 1 and len(d.residue) == len(seed.residue) + 1


def test_a_malformed_first_amount_in_a_pdf_table_goes_to_residue(tmp_path):
    rows = [["Item", "Total", "Basic", "Project"], ["A", "1,149.8O", "", ""], ["B", "", "", ""],
            ["Sum", "420.01", "1,025.50", "136.30"]]
    p = tmp_path / "malformed.pdf"
    p.write_bytes(tiny_pdf(rows))
    d = budgetkit.read(p)
    t = d.tables[0]
    assert list(t.frame.columns) == ["Item", "Total", "Basic", "Project"] and t.frame.shape[0] == 3
    res = d.residue.set_index("raw")
    assert "not a parseable amount" in res.loc["1,149.8O", "reason"]
    # every figure printed is accounted for: the malformed one and the four of the last row (no unit printed)
    assert sorted(d.residue["raw"]) == sorted(["1,149.8O", "420.01", "1,025.50", "136.30"])


def test_a_malformed_figure_in_a_name_column_reaches_the_residue(tmp_path):
    rows = [["Item", "Total", "Basic", "Project"], ["A", "1,149.80", "1,013.50", "136.30"],
            ["1,149.8O", "2.00", "1.00", "1.00"], ["Sum", "420.01", "1,025.50", "136.30"]]
    p = tmp_path / "in-label.pdf"
    p.write_bytes(tiny_pdf(rows))
    d = budgetkit.read(p)
    assert "number in a label column" in d.residue.set_index("raw").loc["1,149.8O", "reason"]


# ---------------------------------------------------------------- a check that did not happen is not "0 errors"

def _no_unit_seed(tmp_path) -> Path:
    text = re.sub(r"(?:金额)?单位\s*[:：]\s*万元", "", SEED_TEXT).replace("万元", "")
    return _write(tmp_path, "no-unit.txt", text)


def test_no_amount_read_is_refused_by_check_with_the_reason(tmp_path):
    """No unit printed anywhere: every figure goes to the residue, and check says so instead of 0 errors."""
    d = budgetkit.read(_no_unit_seed(tmp_path))
    assert len(d.amounts) == 0 and len(d.residue) == 297
    with pytest.raises(BadInputError) as e:
        check(d)
    assert "没有读出任何金额" in str(e.value) and "no amount was read" in str(e.value)
    assert "the table prints no amount unit: 297" in str(e.value) and "\n" not in str(e.value)


def test_no_amount_read_exits_2_from_check_and_parse(tmp_path, capsys):
    p = _no_unit_seed(tmp_path)
    assert main(["check", str(p)]) == 2
    err = capsys.readouterr().err
    assert "no amount was read" in err and "错误 0" not in err
    out = tmp_path / "out"
    assert main(["parse", str(p), "--out", str(out)]) == 2  # what was read is written, and the failure said
    err = capsys.readouterr().err
    assert "no amount was read" in err and (out / "residue.csv").exists()


def test_compare_refuses_a_year_with_no_amount_read(tmp_path, capsys):
    p = _write(tmp_path, "no-unit-2022.txt", _no_unit_seed(tmp_path).read_text(encoding="utf-8").replace("2023", "2022"))
    assert main(["compare", str(p), str(SEED_TXT)]) == 2
    err = capsys.readouterr().err
    assert "no-unit-2022.txt" in err and "no amount was read" in err


def test_every_amount_malformed_is_refused(tmp_path):
    text = re.sub(r"(?<=\d)\.(\d)(\d)(?=\s*$)", r".\1O", SEED_TEXT, flags=re.M)
    d = budgetkit.read(_write(tmp_path, "all-o.txt", text))
    assert len(d.amounts) == 0 and len(d.residue) > 200
    with pytest.raises(BadInputError, match="no amount was read"):
        check(d)


def _docx(tmp_path, name, paragraphs, table_rows) -> Path:
    import docx

    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    t = doc.add_table(rows=len(table_rows), cols=len(table_rows[0]))
    for i, row in enumerate(table_rows):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    p = tmp_path / name
    doc.save(p)
    return p


def test_no_rule_evaluated_is_refused_by_check_with_the_reasons(tmp_path, capsys):
    """A project table of two lines with no total, code or text: amounts are read, but nothing compares them."""
    p = _docx(tmp_path, "projects.docx", ["某某局2023年部门预算", "项目支出预算表", "单位：万元"],
              [["项目名称", "金额"], ["办公设备购置", "10.00"], ["信息系统运维", "20.00"]])
    d = budgetkit.read(p)
    assert len(d.amounts) == 2
    with pytest.raises(BadInputError) as e:
        check(d)
    msg = str(e.value)
    assert "没有任何核对规则得以执行" in msg and "no reconciliation rule could be evaluated" in msg and "W02" in msg
    assert main(["check", str(p)]) == 2
    assert "no reconciliation rule" in capsys.readouterr().err


def test_a_checked_document_still_checks(seed):
    f = check(seed)
    assert sum(f.evaluated.values()) > 100 and f.errors


# ---------------------------------------------------------------- Word and Excel: what is shown, all of it

SEED_DOCX = SEED_TXT.with_suffix(".docx")
SEED_XLSX = SEED_TXT.with_suffix(".xlsx")


def _wrap_in_content_control(el):
    from docx.oxml import OxmlElement

    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    el.addprevious(sdt)
    sdt.append(content)
    content.append(el)


def test_tables_rows_and_cells_inside_content_controls_are_read(tmp_path):
    """The seed's Word file with its first three tables, a row and a cell each inside a content control (w:sdt)
    reads as the file without them."""
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(SEED_DOCX)
    body = doc.element.body
    tables = [c for c in body.iterchildren() if c.tag == qn("w:tbl")]
    for tbl in tables[:3]:
        _wrap_in_content_control(tbl)
    rows = list(tables[4].iterchildren(qn("w:tr")))
    _wrap_in_content_control(rows[2])
    _wrap_in_content_control(list(rows[3].iterchildren(qn("w:tc")))[1])
    p = tmp_path / "controls.docx"
    doc.save(p)
    d, seed_docx = budgetkit.read(p), load(SEED_DOCX)
    assert [t.frame.shape for t in d.tables] == [t.frame.shape for t in seed_docx.tables]
    assert d.amounts["raw"].tolist() == seed_docx.amounts["raw"].tolist()


def _hidden_run_after(t_el, text: str):
    import copy

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = t_el.getparent()
    new = copy.deepcopy(run)
    new.find(qn("w:t")).text = text
    rpr = new.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        new.insert(0, rpr)
    rpr.append(OxmlElement("w:vanish"))
    run.addnext(new)


def test_hidden_text_is_left_out_of_a_figure_and_said(tmp_path):
    import docx

    p = _docx(tmp_path, "hidden.docx", ["某某局2023年部门预算", "项目支出预算表", "单位：万元"],
              [["项目名称", "金额"], ["办公设备购置", "1,149.80"], ["合计", "1,149.80"]])
    doc = docx.Document(p)
    cell = doc.tables[0].cell(1, 1)._tc
    _hidden_run_after(next(cell.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")), "9")
    doc.save(p)
    d = budgetkit.read(p)
    assert d.amounts["raw"].tolist() == ["1,149.80", "1,149.80"]
    assert any("hidden text" in w and "“9”" in w for w in d.warnings)


def test_hidden_text_in_the_seed_word_file_is_left_out(tmp_path):
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(SEED_DOCX)
    first = next(t for t in doc.element.body.iter(qn("w:t")) if t.text == "1,149.80")
    _hidden_run_after(first, "9")
    p = tmp_path / "seed-hidden.docx"
    doc.save(p)
    d = budgetkit.read(p)
    assert d.amounts["raw"].tolist() == load(SEED_DOCX).amounts["raw"].tolist()
    assert any("1 run(s) of hidden text" in w for w in d.warnings)


def test_hidden_sheets_are_left_out_with_a_warning(tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(SEED_XLSX)
    old = wb.copy_worksheet(wb.worksheets[2])
    old.title, old.sheet_state = "旧表", "hidden"
    p = tmp_path / "hidden-sheet.xlsx"
    wb.save(p)
    d, seed_xlsx = budgetkit.read(p), load(SEED_XLSX)
    assert len(d.tables) == len(seed_xlsx.tables) and len(d.amounts) == len(seed_xlsx.amounts)
    assert any("hidden sheet" in w and "旧表" in w for w in d.warnings)


def test_formula_cells_without_a_value_are_named_in_a_warning(tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(SEED_XLSX)
    ws = wb.worksheets[1]
    assert ws["B6"].value == 1149.8
    ws["B6"] = "=B7+B8"  # saved by a program that does not calculate: a formula with no value
    p = tmp_path / "formula.xlsx"
    wb.save(p)
    d = budgetkit.read(p)
    assert len(d.amounts) == len(load(SEED_XLSX).amounts) - 1
    w = [w for w in d.warnings if "formula" in w]
    assert len(w) == 1 and "'表2'" in w[0] and "B6" in w[0] and "公式" in w[0]


def test_formula_cells_with_a_cached_value_read_their_value(tmp_path):
    """A formula saved with its result (what Excel writes) is read as the value shown, with no warning."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["A2"], ws["B2"] = "项目", "金额", "合计", "=1+1"
    p = tmp_path / "cached.xlsx"
    wb.save(p)
    with zipfile.ZipFile(p) as zf:  # write the cached value Excel would have kept
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>").replace(
        b"<f>1+1</f></c>", b"<f>1+1</f><v>2</v></c>")
    assert b"<v>2</v>" in parts[sheet]
    with zipfile.ZipFile(p, "w") as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    from budgetkit.read.sources import open_source

    src = open_source(p)
    table = [b for b in src.blocks if getattr(b, "rows", None)][0]
    assert table.rows[1] == ["合计", "2"] and not src.warnings


# ---------------------------------------------------------------- resource bounds: refused with the reason, fast

def _crosses(n: int, step: float = 8) -> tuple[str, ...]:
    """``n`` × ``n`` small crosses: as many vertical and horizontal grid edges, each crossing one other."""
    return tuple(f"{20 + i * step - 2} {20 + j * step} m {20 + i * step + 2} {20 + j * step} l "
                 f"{20 + i * step} {20 + j * step - 2} m {20 + i * step} {20 + j * step + 2} l S"
                 for i in range(n) for j in range(n))


def test_a_page_of_grid_lines_past_the_bound_is_refused_before_the_table_finder(tmp_path):
    """1,600 crossing grid edges each way (64 KB): the table finder would cross-check 2.5 million pairs (4,900 each
    way, 196 KB, took over a minute)."""
    import time

    p = tmp_path / "grid.pdf"
    p.write_bytes(tiny_pdf(extra_ops=_crosses(40)))
    t0 = time.perf_counter()
    with pytest.raises(BadInputError) as e:
        budgetkit.read(p)
    assert time.perf_counter() - t0 < 5
    assert "page 1 draws 1605 vertical and 1605 horizontal grid lines" in str(e.value) and "第1页" in str(e.value)


def test_a_page_of_text_objects_past_the_bound_is_refused_before_it_is_parsed(tmp_path):
    """200,000 one-character text objects (1.4 MB): refused from the content stream, never parsed."""
    p = tmp_path / "text.pdf"
    p.write_bytes(tiny_pdf(extra_ops=("BT /F1 1 Tf 60 60 Td", *["(a) Tj"] * 200_000, "ET")))
    with pytest.raises(BadInputError, match=r"page 1 holds 1400 KB of text objects"):
        budgetkit.read(p)


def test_text_drawn_through_a_form_counts_each_time_it_is_drawn(tmp_path):
    """A form XObject of 5,000 characters drawn 200 times: a small file, a million characters."""
    form = ("BT /F1 1 Tf 0 0 Td " + "(a) Tj " * 5000 + "ET").encode()
    data = tiny_pdf(extra_ops=tuple(["q /X1 Do Q"] * 200))
    obj = b"6 0 obj\n<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> " \
          b"/Length %d >>\nstream\n" % len(form) + form + b"\nendstream\nendobj\n"
    data = data.replace(b"/Resources << /Font << /F1 5 0 R >> >> >>",
                        b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> >>")
    head, tail = data.split(b"xref\n", 1)
    # the cross-reference table is rebuilt by the reader (offsets are off): the form object is appended before it
    p = tmp_path / "form.pdf"
    p.write_bytes(head + obj + b"xref\n" + tail)
    with pytest.raises(BadInputError, match=r"page 1 holds \d+ KB of text objects"):
        budgetkit.read(p)


def test_page_object_bounds_are_checked_on_the_parsed_page(tmp_path, monkeypatch):
    from budgetkit.read import pdf_reader

    p = tmp_path / "small.pdf"
    p.write_bytes(tiny_pdf())
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CHARS", 50)
    with pytest.raises(BadInputError, match=r"page 1 has \d+ characters"):
        budgetkit.read(p)
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CHARS", 25_000)
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_RULING", 10)
    with pytest.raises(BadInputError, match=r"page 1 draws 16 lines and boxes"):
        budgetkit.read(p)


def test_the_page_bounds_are_ten_times_the_largest_real_page():
    """The largest page of data/corpus (measured: 62 KB of text objects, 5,896 path operators, 2,444 characters,
    1,178 lines and boxes, 45 × 34 grid edges) is a tenth of each bound or less."""
    from budgetkit.read import pdf_reader as r

    assert r.MAX_PAGE_TEXT_BYTES >= 10 * 62_407 and r.MAX_PAGE_PATH_OPS >= 10 * 5_896
    assert r.MAX_PAGE_CHARS >= 10 * 2_444 and r.MAX_PAGE_RULING >= 10 * 1_178
    assert r.MAX_PAGE_EDGE_PAIRS >= 10 * 1_530


def test_the_largest_real_pages_are_within_the_bounds():
    """The pages the bounds were measured on read as before (a bound never refuses a real disclosure page)."""
    import pdfplumber

    from budgetkit.read import pdf_reader as r
    from conftest import CORPUS

    for name, pno in [("sx-xian-finance-2026-budget.pdf", 41), ("bj-city-finance-2026-budget-tables.pdf", 5)]:
        with pdfplumber.open(CORPUS / name) as pdf:
            page = pdf.pages[pno - 1]
            text, paths = r._content_load(page)
            assert 0 < text < r.MAX_PAGE_TEXT_BYTES / 10 and 0 < paths < r.MAX_PAGE_PATH_OPS / 9
            assert r._page_too_large(Path(name), page) is None and r._objects_too_many(Path(name), page) is None


def _inflating_xlsx(path: Path, megabytes: int) -> Path:
    """A workbook whose one sheet unpacks to ``megabytes`` MB of repeated rows (a few hundred KB packed)."""
    import io
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "项目"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>")
            chunk = (b'<row r="2"><c r="B2" t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c></row>") * 1024
            with zf.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(head)
                for _ in range(megabytes * 2**20 // len(chunk)):
                    fh.write(chunk)
                fh.write(b"</sheetData>" + tail)
    return path


def test_a_workbook_that_unpacks_far_past_its_size_is_refused_before_it_is_opened(tmp_path):
    p = _inflating_xlsx(tmp_path / "bomb.xlsx", 70)
    assert p.stat().st_size < 400_000
    with pytest.raises(BadInputError) as e:
        budgetkit.read(p)
    assert re.search(r"xl/worksheets/sheet1.xml unpacks to (69|70) MB", str(e.value)) and "zip bomb" in str(e.value)


def test_a_small_part_with_a_bomb_ratio_is_refused(tmp_path):
    p = _inflating_xlsx(tmp_path / "ratio.xlsx", 8)
    with pytest.raises(BadInputError, match=r"unpacks to [78] MB \(ratio \d+:1\)"):
        budgetkit.read(p)


def test_the_seed_office_files_are_within_the_zip_bounds():
    import zipfile

    from budgetkit.read import sources

    for path in (SEED_DOCX, SEED_XLSX):
        sources._check_zip(path, path.read_bytes())
        with zipfile.ZipFile(path) as zf:
            assert max(i.file_size for i in zf.infolist()) * 10 < sources.MAX_XML_PART


# ---------------------------------------------------------------- CSV outputs cannot run as formulas

def test_csv_text_cells_that_start_a_formula_are_neutralised_and_numbers_are_not():
    from decimal import Decimal

    import pandas as pd

    from budgetkit.export import csv_safe

    df = pd.DataFrame({"text": ["=1+1", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx", "项目", None],
                       "printed": ["-729.79", "+12", "-", "1,149.80", "-1,149.80", "0.00", "--", "-3"],
                       "amount": [Decimal("-729.79")] * 8})
    out = csv_safe(df)
    assert out["text"].tolist()[:7] == ["'=1+1", "'+SUM(A1)", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)", "'\tx",
                                        "'\rx", "项目"]
    assert pd.isna(out["text"][7]) and out["text"].dtype == df["text"].dtype
    assert out["printed"].tolist() == df["printed"].tolist() and out["amount"].tolist() == df["amount"].tolist()
    assert df["text"][0] == "=1+1"  # the frame itself is not changed
    empty = df.iloc[0:0].astype({"text": "string"})
    assert csv_safe(empty).empty


def test_parse_writes_no_formula_from_a_label_or_a_file_name(tmp_path, capsys):
    import pandas as pd

    label = "八、社会保障和就业支出"
    assert SEED_TEXT.count(label) >= 1
    p = _write(tmp_path, "=cmd.txt", SEED_TEXT.replace(label, "=" + label))
    out = tmp_path / "out"
    assert main(["parse", str(p), "--out", str(out)]) == 0
    amounts = pd.read_csv(out / "amounts.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    text_cols = [c for c in amounts.columns if c not in ("amount", "amount_yuan")]
    assert not amounts[text_cols].apply(lambda s: s.str.match(r"^[=+\-@\t\r]")).any().any()
    assert set(amounts["file"]) == {"'=cmd.txt"} and ("'=" + label) in set(amounts["row_label"])
    d = load(SEED_TXT)
    assert amounts["amount"].tolist() == [f"{v:.{n}f}" for v, n in zip(d.amounts["amount"], d.amounts["decimals"])]


# ---------------------------------------------------------------- conservation: every printed figure accounted for

CONSERVED = sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*")
                   if p.suffix in (".pdf", ".docx", ".xlsx", ".txt") and p.is_file())


@pytest.mark.parametrize("name", CONSERVED)
def test_every_figure_of_every_document_in_data_is_accounted_for(name):
    """Each figure cell the file reader found is in a table read, and each figure-shaped body cell of a recognised
    table is an amount, a residue row, a non-amount column or a merged cell shown again: nothing lost."""
    try:
        d = load(DATA / name)
    except BadInputError as exc:  # a narrative half on its own holds no table: refused, nothing to place
        assert name.endswith("-text.pdf") and "no budget disclosure table" in str(exc)
        return
    ledger = d.meta["conservation"]
    assert ledger["lost"] == []
    assert not any("figures printed in the tables were read into no table" in w for w in d.warnings)
    assert sum(ledger["placed"].values()) >= ledger["printed"] > 0 or not d.amounts.size


def test_a_cell_dropped_between_the_reader_and_the_tables_is_caught(seed, monkeypatch):
    """Seed, 收支总表: a tidying step that blanks the cells printing 1,149.80 (its first amount and the totals) must
    not pass as a shorter table — the read warns with the figure, and the ledger lists each cell."""
    import budgetkit.pipeline as pipeline

    real = pipeline.tidy_table

    def dropping(t, i):
        tt = real(t, i)
        if i == 1:
            tt.frame = tt.frame.replace("1,149.80", "")
            tt.amounts = [r for r in tt.amounts if r["raw"] != "1,149.80"]
        return tt

    monkeypatch.setattr(pipeline, "tidy_table", dropping)
    d = budgetkit.read(SEED_TXT)
    printed = sum(v == "1,149.80" for row in seed.tables[0].frame.itertuples() for v in row)
    assert [x[3] for x in d.meta["conservation"]["lost"]] == ["1,149.80"] * printed and printed > 1
    assert any("1,149.80" in w and "incomplete" in w for w in d.warnings)


def test_an_amount_missing_from_the_amounts_is_caught(seed):
    """The seed's first amount (1,149.80) left in the table but taken out of ``amounts``: lost, with its page."""
    import dataclasses

    from budgetkit.check.conservation import account

    first = seed.amounts.iloc[0]
    d = dataclasses.replace(seed, amounts=seed.amounts.iloc[1:], meta=dict(seed.meta))
    lost = account(d).lost
    assert [(x[2], x[3]) for x in lost] == [(int(first["table_index"]), first["raw"])]
    assert account(seed).lost == []


def test_a_figure_read_as_a_column_label_is_caught(seed):
    """A body row taken for the header (what a malformed first amount once did) puts its figure in a column
    label: lost, not silently part of a header."""
    import dataclasses

    from budgetkit.check.conservation import account

    t = seed.tables[0]
    frame = t.frame.rename(columns={t.frame.columns[1]: t.frame.columns[1] + "/1,149.80"}).iloc[1:]
    bad = dataclasses.replace(t, frame=frame, column_roles=dict(zip(frame.columns, t.column_roles.values())))
    d = dataclasses.replace(seed, tables=[bad, *seed.tables[1:]])
    assert ("1,149.80", "read as a column label / 读作列标题") in [(x[3], x[4]) for x in account(d).lost]


def test_a_malformed_first_amount_is_balanced_by_the_residue(tmp_path):
    """Mutated seed: 1,149.8O in the first body row is in the residue, so the ledger balances with no warning."""
    d = budgetkit.read(_write(tmp_path, "seed-o.txt", SEED_TEXT.replace("\t1,149.80\n", "\t1,149.8O\n", 1)))
    assert d.meta["conservation"]["lost"] == [] and d.meta["conservation"]["placed"]["residue"] == 1


def test_an_empty_table_with_text_columns_is_checked_without_error(seed):
    """Seed 政府采购预算表 with its body rows gone (what a damaged file gave): its 数量 column is an empty column of
    pandas strings, and the empty-table rule judges it instead of raising."""
    import dataclasses

    t = next(t for t in seed.tables if "数量" in t.frame.columns)
    empty = dataclasses.replace(t, frame=t.frame.iloc[:0], row_pages=[])
    d = dataclasses.replace(seed, tables=[empty if x is t else x for x in seed.tables],
                            amounts=seed.amounts[seed.amounts["table_index"] != t.index], meta=dict(seed.meta))
    assert check(d).counts()["error"] >= 0


def test_a_scrap_of_grid_read_as_prose_is_balanced_by_the_narrative_only_when_there(seed):
    """A raw table none of whose figures reached a table (a box around a line of text) is looked for in the
    narrative: the seed's 1,149.80 is there (balanced); 7,654.32 is in no paragraph (lost, said)."""
    from budgetkit.check.conservation import account
    from budgetkit.read.blocks import RawTable

    name = seed.meta["sources"][0]["file"]
    said = RawTable(rows=[["", "1,149.80"]], row_pages=[None], file=name)
    assert account(seed, [said]).lost == []
    unsaid = RawTable(rows=[["", "7,654.32"]], row_pages=[None], file=name)
    assert [x[3] for x in account(seed, [unsaid]).lost] == ["7,654.32"]
