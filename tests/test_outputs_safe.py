"""Outputs that cannot be turned against their reader: no terminal sequence, bidi override or split line from
document text or a file name; no live link from a document's address in Markdown; no formula in a CSV or xlsx
cell. Built on the seed (data/seed) with hostile text put into its table titles, labels and file names."""
from __future__ import annotations

import json
import re

import pytest
from openpyxl import load_workbook

from budgetkit.cli import main
from budgetkit.report.safe import for_format, line, md, terminal
from conftest import SEED_TXT

SEED_TEXT = SEED_TXT.read_text(encoding="utf-8")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# clear screen + bidi override in a table title (财政拨款收支预算总表, tables p.3), a window title in a row label
HOSTILE = (SEED_TEXT.replace("财政拨款收支预算总表", "财政拨款收支预算总表\x1b[2J\u202e")
           .replace("社会保障和就业支出", "社会保障和就业支出\x1b]0;x\x07\u2066"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    p = tmp_path_factory.mktemp("hostile") / "seed-hostile.txt"
    p.write_text(HOSTILE, encoding="utf-8")
    return p


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x00", "\x9b", "\x7f", "\u202e", "\u2066", "\u200f", "\u061c"])
def test_control_and_bidi_characters_are_shown_as_escapes(char):
    shown = terminal(f"a{char}b")
    assert not RAW_CONTROL.search(shown) and shown.startswith("a\\") and shown.endswith("b")


def test_a_report_keeps_its_lines_and_tabs_and_an_error_line_stays_one_line():
    assert terminal("a\n\tb") == "a\n\tb"
    assert line("x\ny\tz\u2028w") == "x\\ny\\tz\\u2028w"


def test_json_keeps_its_meaning_with_the_characters_escaped():
    text = json.dumps({"title": "表\x1b[2J\u202e"}, ensure_ascii=False)
    safe = for_format(text, "json")
    assert not RAW_CONTROL.search(safe) and json.loads(safe) == {"title": "表\x1b[2J\u202e"}


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
def test_check_report_of_hostile_document_text_prints_no_control_sequence(hostile, capsys, fmt):
    """The hostile titles and labels reach the report (their escapes are there) but no raw sequence does."""
    assert main(["check", str(hostile), "--format", fmt]) == 1
    out, err = capsys.readouterr()
    assert not RAW_CONTROL.search(out) and not RAW_CONTROL.search(err)
    assert "\\x1b" in out or "\\u001b" in out


def test_a_report_written_to_a_file_is_escaped_too(hostile, tmp_path):
    out = tmp_path / "report.txt"
    assert main(["check", str(hostile), "--out", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    assert not RAW_CONTROL.search(text) and "\\x1b" in text


def test_a_file_name_with_a_newline_and_escapes_gives_one_error_line(tmp_path, capsys):
    bad = tmp_path / "a\nb\x1b[2J\u202e.pdf"
    bad.write_bytes(b"not a pdf")
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and not RAW_CONTROL.search(err)
    assert "a\\nb\\x1b[2J\\u202e.pdf" in err and "not a PDF" in err


def test_warnings_naming_a_hostile_file_stay_one_line(tmp_path, capsys):
    """A file given twice is read once with a warning naming both: each warning is one line, escaped."""
    a = tmp_path / "x\n\x1b[31m.txt"
    a.write_text(SEED_TEXT, encoding="utf-8")
    b = tmp_path / "copy.txt"
    b.write_text(SEED_TEXT, encoding="utf-8")
    assert main(["check", str(a), str(b), "--format", "json"]) == 1
    err = capsys.readouterr().err
    warnings = [ln for ln in err.splitlines() if ln.startswith("警告 / warning")]
    assert warnings and all("same sha256" in w or "sha256" not in w for w in warnings)
    assert not RAW_CONTROL.search(err) and all(ln.startswith(("警告", "错误")) or "→" in ln for ln in err.splitlines())


# ---------------------------------------------------------------- Markdown: links only where the project writes them

ADDRESSES = "详见 https://evil.example/x?a=1&b=2 或 www.evil.example，邮箱 a.b@evil.example。[x](javascript:alert(1))"


def _renderings(text: str) -> dict[str, str]:
    """The Markdown renderers installed: Python-Markdown, mistune (with its autolinking url plugin), markdown-it."""
    out = {}
    markdown = pytest.importorskip("markdown")
    out["markdown"] = markdown.markdown(text)
    mistune = pytest.importorskip("mistune")
    out["mistune+url"] = mistune.create_markdown(plugins=["url"])(text)
    markdown_it = pytest.importorskip("markdown_it")
    out["markdown-it"] = markdown_it.MarkdownIt("commonmark").render(text)
    return out


def test_a_documents_addresses_are_never_live_links_in_markdown():
    shown = md(ADDRESSES)
    for name, html in _renderings(shown).items():
        assert "<a " not in html and "href" not in html, name
        assert "https://evil.example/x?a=1&amp;b=2" in html and "www.evil.example" in html, name


def test_the_renderer_would_link_the_address_unescaped():
    """The check above can fail: mistune's url plugin links a bare address."""
    assert "<a " in _renderings(ADDRESSES)["mistune+url"]


def test_the_markdown_report_links_no_document_address(tmp_path, capsys):
    """An address in a table title of the seed (财政拨款收支预算总表) reaches the md report as a code span."""
    p = tmp_path / "seed-address.txt"
    p.write_text(SEED_TEXT.replace("财政拨款收支预算总表", "财政拨款收支预算总表https://evil.example/a"), encoding="utf-8")
    main(["check", str(p), "--format", "md"])
    out = capsys.readouterr().out
    assert "`https://evil.example/a" in out
    for name, html in _renderings(out).items():
        assert "evil.example" in html and 'href="https://evil' not in html, name


# ---------------------------------------------------------------- CSV and xlsx: no formula from a document

FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("start", FORMULAS)
def test_amounts_and_residue_csv_neutralise_a_label_that_starts_a_formula(tmp_path, capsys, start):
    """A row label of the 收支总表 and a malformed figure (in the residue) given formula starts."""
    text = (SEED_TEXT.replace("一、一般公共预算拨款收入", start.replace("\r", "") + "一般公共预算拨款收入", 1)
            .replace("\t1,065.53\n", "\t1,065.5O\n", 1))
    p = tmp_path / "seed-formula.txt"
    p.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    main(["parse", str(p), "--out", str(out)])
    for name in ("amounts.csv", "residue.csv"):
        cells = [c for row in (out / name).read_text(encoding="utf-8-sig").splitlines() for c in row.split(",")]
        risky = [c for c in cells if c.lstrip('"').startswith(("=", "+", "@", "\t", "\r"))
                 or re.match(r'^"?-[^0-9]', c) or re.match(r'^"?-\d[^,]*[+|]', c)]
        assert risky == [], name


def test_findings_xlsx_keeps_document_text_as_text(tmp_path):
    p = tmp_path / "seed-formula.txt"
    p.write_text(SEED_TEXT.replace("财政拨款收支预算总表", "=1+1财政拨款收支预算总表"), encoding="utf-8")
    out = tmp_path / "f.xlsx"
    main(["check", str(p), "--format", "xlsx", "--out", str(out)])
    cells = [c for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert texts and all(c.data_type == "s" for c in texts)


def test_an_argument_error_shows_the_argument_escaped(capsys):
    """argparse quotes an unknown option or a bad choice back: escaped like every other message."""
    with pytest.raises(SystemExit) as exc:
        main(["check", str(SEED_TXT), "--format", "\x1b[2J\u202e"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and not RAW_CONTROL.search(err) and "\\x1b[2J\\u202e" in err
