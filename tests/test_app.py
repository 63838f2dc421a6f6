"""The app's widgets without a browser: first view, opening a file, a bad file, the year-over-year tab,
downloads.  (tests/test_browser.py drives the same app in Chromium through Voilà.)"""
from __future__ import annotations

import base64
import io
import re
from datetime import datetime, timezone

from openpyxl import load_workbook

from budgetkit.app import App, bundled, voila_command
from conftest import CORPUS, SEED_TXT, load


def _download(app: App, css: str) -> bytes:
    m = re.search(rf"class='{css}' download=\"[^\"]+\" href=\"data:[^;]+;base64,([^\"]+)\"", app.downloads.value)
    assert m, app.downloads.value[:300]
    return base64.b64decode(m.group(1))


def test_app_first_view_upload_bad_file_and_downloads(tmp_path):
    docs = bundled()
    assert list(docs)[0].endswith("leshan-shizhong-shebao-2023-budget.txt")  # the fastest bundled file first
    assert any(len(paths) == 2 for paths in docs.values())  # a two-file disclosure is one entry
    app = App(documents={k: docs[k] for k in list(docs)[:1]}, series={})
    # untouched: the first bundled document is open, its summary, tables and findings shown
    assert "乐山市市中区社会保险事务中心" in app.status.value and re.search(r"错误 [1-9]\d* / errors", app.status.value)
    assert "部门收支总表" in app.explorer.printed.value and app.browser.list.value == 0
    html = _download(app, "bk-dl-html").decode("utf-8")
    assert "核对结果 / Reconciliation findings" in html and "W02" in html
    book = load_workbook(io.BytesIO(_download(app, "bk-dl-xlsx")))
    assert "金额 amounts" in book.sheetnames and "发现 findings" in book.sheetnames
    # open a file the way FileUpload hands it over; the browser's name is reduced to a file name
    app.upload.value = ({"name": "../../evil/" + SEED_TXT.name, "type": "text/plain", "size": 1,
                         "content": memoryview(SEED_TXT.read_bytes()), "last_modified": datetime.now(timezone.utc)},)
    assert "乐山市市中区社会保险事务中心" in app.status.value and "bk-app-error" not in app.status.value
    # a file that is no disclosure: one bilingual line, no traceback, the last good view kept
    bad = tmp_path / "notes.txt"
    bad.write_text("hello world " * 20, encoding="utf-8")
    app.open([bad], "notes.txt")
    assert "bk-app-error" in app.status.value and " / " in app.status.value and "Traceback" not in app.status.value
    assert "部门收支总表" in app.explorer.printed.value


def test_app_year_over_year_tab():
    wanli = [load(CORPUS / f"sh-putuo-wanli-street-{y}-budget.pdf") for y in (2024, 2025)]  # read once per session
    app = App(documents={"seed": [SEED_TXT]}, series={"万里街道": wanli})
    assert len(app.tab.children) == 3
    app.tab.selected_index = 2  # built when first opened
    assert app.panels.table.value == "expenditure_summary" and "2,932,700" in app.panels.lines.value


def test_voila_command_uses_the_offline_template():
    cmd, env = voila_command(9999, ["--no-browser"])
    assert "--template=budgetkit" in cmd and cmd[-1] == "--no-browser" and "--Voila.ip=127.0.0.1" in cmd
    share = env["JUPYTER_PATH"].split(":")[0]
    page = open(f"{share}/voila/templates/budgetkit/index.html.j2", encoding="utf-8").read()
    assert "block notebook_css" in page and "html_head_js_mermaidjs" in page


def test_lab_passes_options_through_and_works_as_root(monkeypatch):
    import os
    import subprocess

    from budgetkit import cli

    calls = []
    monkeypatch.setattr(subprocess, "call", lambda cmd, **kw: calls.append(cmd) or 0)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert cli.main(["lab", "--port", "9001", "--no-browser", "--ServerApp.ip=0.0.0.0"]) == 0
    cmd = calls[-1]
    assert "--port=9001" in cmd and "--allow-root" in cmd and cmd[-2:] == ["--no-browser", "--ServerApp.ip=0.0.0.0"]
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    cli.main(["lab"])
    assert "--allow-root" not in calls[-1]
    # other commands still refuse options they do not know
    import pytest

    with pytest.raises(SystemExit):
        cli.main(["check", "x.txt", "--no-such-option"])
