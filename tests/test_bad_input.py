"""Bad input: one line naming the file and the reason, exit 2, no traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from budgetkit.cli import main
from conftest import CORPUS, SEED_TXT


def run_cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetkit", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def _encrypted(tmp: Path) -> Path:
    """A real disclosure page with an AES user password (made once with pypdf)."""
    return Path(__file__).parent / "fixtures" / "encrypted.pdf"


def _scan(tmp: Path) -> Path:
    from PIL import Image

    p = tmp / "scan.pdf"
    Image.new("RGB", (400, 300), "white").save(p)
    return p


CASES = {
    "missing": (lambda tmp: tmp / "nope.pdf", "文件不存在"),
    "not_pdf": (lambda tmp: _write(tmp / "photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200), "内容不是PDF"),
    "binary": (lambda tmp: _write(tmp / "blob.bin", b"\x00\x01\x02" * 300), "不是PDF"),
    "encrypted": (_encrypted, "加密"),
    "scan": (_scan, "OCR"),
    "truncated": (lambda tmp: _write(tmp / "cut.pdf", (CORPUS / "sh-putuo-commerce-2025-budget-unit.pdf")
                                    .read_bytes()[:60000]), "截断"),
    "corrupt": (lambda tmp: _write(tmp / "bad.pdf", b"%PDF-1.7\n" + b"garbage " * 500 + b"\n%%EOF\n"), "损坏"),
    "empty": (lambda tmp: _write(tmp / "empty.pdf", b""), "空的"),
}


def _write(p: Path, data: bytes) -> Path:
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_line_and_exit_2(case, tmp_path):
    make, reason = CASES[case]
    path = make(tmp_path)
    r = run_cli("parse", path, "--out", tmp_path / "out")
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert path.name in lines[0] and reason in lines[0] and " / " in lines[0]
    assert "Traceback" not in r.stderr


def test_gbk_text_is_read_like_utf8(tmp_path, seed):
    gbk = tmp_path / "seed-gbk.txt"
    gbk.write_bytes(SEED_TXT.read_text(encoding="utf-8").encode("gb18030"))
    from budgetkit import read

    d = read(gbk)
    assert len(d.amounts) == len(seed.amounts)
    assert d.amounts["raw"].tolist() == seed.amounts["raw"].tolist()


def test_pdf_without_disclosure_tables_still_exports_and_exits_2(tmp_path):
    p = Path(__file__).parent / "fixtures" / "no-tables.pdf"
    r = run_cli("parse", p, "--out", tmp_path / "out")
    assert r.returncode == 2, r.stderr
    assert "未识别出预算公开表" in r.stderr and "no budget disclosure table recognised" in r.stderr
    assert (tmp_path / "out" / "narrative.parquet").exists()  # what was found is not lost


def test_library_refuses_a_file_without_tables_as_the_command_line_does(tmp_path):
    """read() and check() raise the CLI's BadInputError, never a KeyError from the rules; read(keep_going=True)
    still returns what was found, and check() of that refuses it too."""
    import budgetkit
    from budgetkit import BadInputError

    p = Path(__file__).parent / "fixtures" / "no-tables.pdf"
    with pytest.raises(BadInputError, match="no budget disclosure table recognised"):
        budgetkit.read(p)
    d = budgetkit.read(p, keep_going=True)
    assert d.meta["no_tables"] and len(d.narrative)
    with pytest.raises(BadInputError, match="no-tables.pdf: 未识别出预算公开表"):
        budgetkit.check(d)
    r = run_cli("check", p)
    assert r.returncode == 2 and "no budget disclosure table recognised" in r.stderr


def test_parse_cli_writes_csv_parquet_and_a_coverage_summary(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["parse", str(SEED_TXT), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "tables 15 (15 recognised)" in err and "amount cells placed 297" in err and "residue 0" in err
    import pandas as pd

    csv = pd.read_csv(out / "amounts.csv", dtype=str)
    row = csv[(csv.table_no == "公开表1") & (csv.row_label == "八、社会保障和就业支出")].iloc[0]
    assert row["amount"] == "1065.53" and row["unit"] == "万元" and row["amount_yuan"] == "10655300"
    for name in ("amounts", "tables", "narrative"):
        assert (out / f"{name}.parquet").exists()
    back = pd.read_parquet(out / "amounts.parquet")
    assert str(back["amount"].iloc[0]) .startswith("1149.8")


def test_one_bad_file_does_not_lose_the_others(tmp_path):
    out = tmp_path / "out"
    r = run_cli("parse", CORPUS / "js-provincial-party-office-2019-budget-text.pdf", tmp_path / "missing.pdf",
                "--out", out)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("错误 / error")]
    assert len(errors) == 2 and "missing.pdf" in errors[0] and "文件不存在" in errors[0]
    # the narrative half alone holds no table: said, with the hint to pass its tables along
    assert "未识别出预算公开表" in errors[1] and "pass it along with this one" in errors[1]
    assert (out / "narrative.parquet").exists()  # the readable file was still parsed and written


def test_files_of_different_disclosures_are_not_read_as_one(tmp_path, capsys):
    """Files passed together are one disclosure; files that say otherwise are refused with one line (exit 2) rather
    than compared with each other: 西南大学 2023 决算 beside 佛山市轨道交通局 2019 决算 once gave 19 errors made of
    one government's lines against the other's; 国家信访局 and 长沙市信访局 share a year and stage, not a department;
    a README beside a disclosure has no table, department or year of its own."""
    pairs = [(CORPUS / "cq-swu-2023-final.pdf", CORPUS / "gd-foshan-metro-2019-final.pdf", "years differ"),
             (CORPUS / "cn-central-xinfang-2026-budget.pdf", CORPUS / "hn-changsha-xinfang-2026-budget.pdf",
              "departments differ")]
    for a, b, why in pairs:
        assert main(["check", str(a), str(b)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "不是同一份公开文件" in err[0] and why in err[0]
    note = tmp_path / "notes.txt"
    note.write_text(Path(__file__).resolve().parents[1].joinpath("README.md").read_text(encoding="utf-8"),
                    encoding="utf-8")
    assert main(["check", str(note), str(CORPUS / "cq-swu-2023-final.pdf")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "notes.txt" in err[0] and "not part of this disclosure" in err[0]
    # the two halves of one disclosure, whose covers print the department's name in two forms, are still one
    js = sorted(CORPUS.glob("js-provincial-party-office-2017-budget-t*.pdf"))
    assert main(["check", *map(str, js)]) in (0, 1)


def test_check_of_tables_without_a_single_amount_is_refused_and_its_rules_do_not_raise(seed):
    """Tables recognised but no amount read (every cell went to residue): check refuses with the reason (0 errors
    would claim a check that never happened), and the rules themselves run over an empty frame without raising
    KeyError('column_label') — an empty object column once indexed columns, not rows."""
    import copy

    import pandas as pd

    import budgetkit
    from budgetkit.check import between, completeness, narrative, within
    from budgetkit.check.ledger import Ledger
    from budgetkit.check.recorder import Recorder

    d = copy.copy(seed)
    d.amounts = seed.amounts.iloc[0:0]
    unread = copy.copy(d)
    unread.residue = pd.DataFrame({"reason": ["表格未标明金额单位 / the table prints no amount unit"] * len(seed.amounts)})
    with pytest.raises(budgetkit.BadInputError, match="no amount was read"):
        budgetkit.check(unread)
    L, R = Ledger(d), Recorder()
    for rule in within.RULES + between.RULES + narrative.RULES + completeness.RULES:
        rule(L, R)
    assert not any(x.rule == "W01" and x.status == "fail" for x in R.items)


def test_a_gbk_file_name_is_read_and_shown_decoded(tmp_path):
    """A file name in GBK bytes (unzipping a Chinese archive on Linux) is read, checked and reported under its
    decoded name by the library and the CLI, never an internal error from an undecodable name."""
    import os

    import budgetkit
    from budgetkit.errors import shown

    folder = os.fsencode(tmp_path)
    raw = folder + b"/" + "乐山预算.txt".encode("gbk")
    with open(raw, "wb") as fh:
        fh.write(SEED_TXT.read_bytes())
    path = os.fsdecode(raw)
    assert shown(path).endswith("乐山预算.txt")
    d = budgetkit.read(path)
    assert d.doc_id == "乐山预算" and set(d.amounts["file"]) == {"乐山预算.txt"}
    assert len(budgetkit.check(d).errors) == 15
    r = run_cli("check", path, "--format", "json")
    assert r.returncode == 1 and '"doc_id": "乐山预算"' in r.stdout


# ---------------------------------------------------------------- file names, several bad files, outputs, streams

def test_any_file_name_the_os_allows_is_read_or_refused_in_one_line(tmp_path):
    """A newline, a leading dash and bytes that are neither UTF-8 nor GBK in a file name: the seed is read and
    checked under it; the same names on a file that is not a PDF give one error line naming it."""
    import os

    folder = os.fsencode(tmp_path)
    for raw in (b"-seed\nline two.txt", b"\xff\xfe seed \x1b[2J.txt", "乐山预算".encode("gbk") + b"\n.txt"):
        path = os.fsdecode(folder + b"/" + raw)
        with open(path, "wb") as fh:
            fh.write(SEED_TXT.read_bytes())
        r = run_cli("check", "--format", "json", "--", path)
        assert r.returncode == 1 and '"doc_id"' in r.stdout and "Traceback" not in r.stderr
        with open(path, "wb") as fh:
            fh.write(b"%PDF-1.7\ngarbage")
        os.replace(path, path + ".pdf")
        r = run_cli("check", "--", path + ".pdf")
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and "\x1b" not in r.stderr, r.stderr


def test_every_bad_file_is_listed_when_several_are_given(tmp_path, capsys):
    bad = _write(tmp_path / "bad.pdf", b"%PDF-1.7\n" + b"garbage " * 500 + b"\n%%EOF\n")
    empty = _write(tmp_path / "empty.pdf", b"")
    assert main(["check", str(SEED_TXT), str(bad), str(tmp_path / "nope.pdf"), str(empty)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and ["bad.pdf" in err[0], "nope.pdf" in err[1], "empty.pdf" in err[2]] == [True] * 3


def test_a_report_is_never_written_over_an_input(tmp_path, capsys):
    """--out naming the input itself, or the file a symlinked input points at: refused, the input unchanged."""
    seed = tmp_path / "seed.txt"
    seed.write_bytes(SEED_TXT.read_bytes())
    link = tmp_path / "link.txt"
    link.symlink_to(seed)
    for given, out in ((seed, seed), (link, seed), (seed, tmp_path / "." / "seed.txt")):
        assert main(["check", str(given), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and "would replace it" in err
        assert seed.read_bytes() == SEED_TXT.read_bytes()
    assert main(["check", str(seed), "--out", str(tmp_path / "report.txt")]) == 1  # another name is written


def test_compare_never_writes_over_a_years_file(tmp_path, capsys):
    a = tmp_path / "2024.pdf"
    a.write_bytes((CORPUS / "sh-putuo-wanli-street-2024-budget.pdf").read_bytes())
    assert main(["compare", str(a), str(CORPUS / "sh-putuo-wanli-street-2025-budget.pdf"), "--out", str(a)]) == 2
    assert "would replace it" in capsys.readouterr().err
    assert a.read_bytes() == (CORPUS / "sh-putuo-wanli-street-2024-budget.pdf").read_bytes()


def test_parse_never_writes_an_output_over_an_input_in_its_folder(tmp_path, capsys):
    """An input that carries the name of an output (residue.csv) in the --out folder is refused before reading."""
    inp = tmp_path / "residue.csv"
    inp.write_bytes(SEED_TXT.read_bytes())
    assert main(["parse", str(inp), "--out", str(tmp_path)]) == 2
    assert "would replace it" in capsys.readouterr().err and inp.read_bytes() == SEED_TXT.read_bytes()


class _Stream:
    def __init__(self, exc):
        self.exc = exc

    def write(self, text):
        raise self.exc

    def flush(self):
        pass


def test_a_closed_pipe_exits_quietly_with_its_own_code(monkeypatch, capsys):
    """``budgetkit check X | head -1``: the reader went away; no traceback, no error line, exit 141."""
    monkeypatch.setattr(sys, "stdout", _Stream(BrokenPipeError(32, "Broken pipe")))
    assert main(["check", str(SEED_TXT)]) == 141
    assert capsys.readouterr().err == ""


def test_a_closed_pipe_from_the_shell_leaves_no_traceback():
    r = subprocess.run(f"'{sys.executable}' -m budgetkit check --format json '{SEED_TXT}' | head -c 1",
                       shell=True, capture_output=True, text=True, timeout=120)
    assert r.stdout == "{" and "Traceback" not in r.stderr and "error" not in r.stderr


def test_a_full_disk_under_stdout_is_one_line_not_an_internal_error(monkeypatch, capsys):
    import errno

    monkeypatch.setattr(sys, "stdout", _Stream(OSError(errno.ENOSPC, "No space left on device")))
    assert main(["check", str(SEED_TXT)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write to standard output (No space left on device)" in err


def test_compare_of_two_departments_is_refused_like_check_of_two_disclosures(capsys):
    """国家信访局 2026 (budget) beside 佛山市轨道交通局 2019 (final): two units, not one unit's years."""
    assert main(["compare", str(CORPUS / "gd-foshan-metro-2019-final.pdf"),
                 str(CORPUS / "cn-central-xinfang-2026-budget.pdf")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "not one unit's disclosures" in err and "国家信访局" in err


def test_the_library_takes_bytes_paths_and_refuses_what_is_no_path_in_one_line():
    """A bytes path reads like its str; a NUL in a name, a number for a path: one bilingual line, never a
    TypeError or ValueError from deep inside."""
    import budgetkit

    assert budgetkit.read(bytes(SEED_TXT)).doc_id == "leshan-shizhong-shebao-2023-budget"
    assert len(budgetkit.read([bytes(SEED_TXT)]).amounts) == 297
    for bad, why in ((str(SEED_TXT) + "\x00x", "NUL character"), (5, "not a file path"), ([5], "not a file path")):
        with pytest.raises(budgetkit.BadInputError, match=why) as exc:
            budgetkit.read(bad)
        assert "\n" not in str(exc.value) and "\x00" not in str(exc.value)


def test_a_valid_long_file_name_is_written(tmp_path, capsys):
    """A report name of 243 bytes (80 Chinese characters): the temporary name it is written through fits too."""
    out = tmp_path / ("长" * 80 + ".md")
    assert len(out.name.encode()) == 243
    assert main(["check", str(SEED_TXT), "--format", "md", "--out", str(out)]) == 1
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_a_gbk_named_file_with_damaged_bytes_is_parsed_and_warned_under_its_decoded_name(tmp_path, capsys):
    """The warning about unreadable characters names the file: decoded (乐山预算.txt), so that meta.json and the
    terminal can hold it — never an internal error from the raw name."""
    import json
    import os

    raw = os.fsencode(tmp_path) + b"/" + "乐山预算.txt".encode("gbk")
    with open(raw, "wb") as fh:
        fh.write(SEED_TXT.read_bytes().replace("社会保障".encode(), b"\xff\xfe", 3))
    out = tmp_path / "out"
    assert main(["parse", os.fsdecode(raw), "--out", str(out)]) == 0
    warnings = json.loads((out / "meta.json").read_text(encoding="utf-8"))["warnings"]
    assert any(w.startswith("乐山预算.txt: 文本含") for w in warnings)


def test_a_file_of_no_table_under_a_name_of_stray_bytes_is_parsed_and_warned(tmp_path, capsys):
    """A picture-page PDF named with bytes that no encoding reads (ff fe fd): the 'no table recognised' warning
    names it printably, so parse writes meta.json (exit 2 for no table), never an internal error."""
    import os

    from budgetkit.fuzz import tiny_pdf

    raw = os.fsencode(tmp_path) + b"/\xff\xfe\xfd.pdf"
    with open(raw, "wb") as fh:
        fh.write(tiny_pdf(pictures=(1.0,)))
    out = tmp_path / "out"
    assert main(["parse", os.fsdecode(raw), "--out", str(out)]) == 2
    assert (out / "meta.json").read_text(encoding="utf-8") and "internal error" not in capsys.readouterr().err
