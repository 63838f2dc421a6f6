"""``budgetkit build`` and ``budgetkit query`` on a terminal: a file name, a store path or a unit's name carrying a
terminal sequence (ESC [2J clears the screen) or a bidi override (U+202E reverses what follows) is shown escaped
(``\\x1b``, ``\\u202e``), never raw; CSV and JSON keep the values exact (JSON as ``\\uXXXX`` escapes).

The document is built from the seed's first tables (data/seed), its unit 乐山市市中区社会保险事务中心 renamed to
carry both characters, under a file name that carries them too."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED_TXT

BIN = Path(sys.executable).parent
EVIL = "\x1b[2J\u202e"
UNIT = "乐山市市中区社会保险事务中心"
RAW = ("\x1b", "\u202e")


def _run(*args):
    return subprocess.run([str(BIN / "budgetkit"), *map(str, args)], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def evil_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("evil")
    doc = root / f"{EVIL}社保-2023-budget.txt"
    doc.write_text(SEED_TXT.read_text(encoding="utf-8")[:3500].replace(UNIT, UNIT + EVIL), encoding="utf-8")
    store = root / f"store{EVIL}"
    built = _run("build", doc, "--out", store, "--workers", "1", "--quiet")
    return doc, store, built


def test_build_plan_and_summary_escape_names(evil_store):
    doc, store, built = evil_store
    assert built.returncode == 0, built.stderr
    assert not any(c in built.stderr + built.stdout for c in RAW)
    assert "store\\x1b[2J\\u202e" in built.stderr  # the store's path in the summary line, escaped
    plan = _run("build", doc, "--plan")
    assert plan.returncode == 0 and not any(c in plan.stdout for c in RAW)
    assert "\\x1b[2J\\u202e社保-2023-budget.txt" in plan.stdout


def test_query_text_is_escaped_and_csv_json_stay_exact(evil_store):
    doc, store, _ = evil_store
    sql = "SELECT DISTINCT disclosure_id, file, unit_name FROM amounts"
    text = _run("query", store, sql)
    assert text.returncode == 0, text.stderr
    assert not any(c in text.stdout for c in RAW)
    assert f"{UNIT}\\x1b[2J\\u202e" in text.stdout and "\\x1b[2J\\u202e社保-2023-budget.txt" in text.stdout
    got = json.loads(_run("query", store, sql, "--format", "json").stdout)
    assert got == [{"disclosure_id": doc.name, "file": doc.name, "unit_name": UNIT + EVIL}]
    out = _run("query", store, sql, "--format", "json").stdout
    assert not any(c in out for c in RAW)  # the same values, written as \u001b and \u202e
    rows = list(csv.DictReader(io.StringIO(_run("query", store, sql, "--format", "csv").stdout)))
    assert rows == [{"disclosure_id": doc.name, "file": doc.name, "unit_name": UNIT + EVIL}]
