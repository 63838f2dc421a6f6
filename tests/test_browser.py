"""A real browser: JupyterLab 4 + Debian's chromium, offline.

Opens 01-explore, runs all cells, changes the table selector, and checks that
the table changes, that a chart is drawn as SVG marks, that Chinese fonts are
available, and that no cell shows an error.  `.ci/run` installs chromium and
fonts-noto-cjk from Debian; playwright is used without downloading a browser.
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import CHROMIUM, CHROMIUM_FLAGS as FLAGS

ROOT = Path(__file__).resolve().parents[1]

if os.environ.get("BUDGETKIT_SKIP_BROWSER"):
    pytest.skip("BUDGETKIT_SKIP_BROWSER is set", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    assert Path(CHROMIUM).exists(), "Debian chromium is required: apt-get install chromium (see .ci/run)"
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path_factory.mktemp("jupyter")
    # serve a copy of the notebooks so autosave can never touch the repository
    root = home / "root"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    (root / "data").symlink_to(ROOT / "data")
    settings = home / "settings"
    # render every cell (no virtual scrolling) and ask for no news: nothing may leave this machine
    for ext, name, body in (("@jupyterlab/notebook-extension", "tracker", '{"windowingMode": "none"}'),
                            ("@jupyterlab/apputils-extension", "notification", '{"fetchNews": "false"}')):
        (settings / ext).mkdir(parents=True, exist_ok=True)
        (settings / ext / f"{name}.jupyterlab-settings").write_text(body)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"), "JUPYTERLAB_SETTINGS_DIR": str(settings)}
    log = open(home / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         f"--LabApp.workspaces_dir={home / 'workspaces'}", "--allow-root"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise AssertionError("jupyter lab did not start: " + (home / "lab.log").read_text()[-2000:])
    yield url, token
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def _run_all_cells(page, address: str) -> None:
    """Open a notebook in JupyterLab and run all its cells."""
    page.goto(address, timeout=120_000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    # the kernel must be up before "Run All Cells", or the command does nothing
    page.get_by_text("| Idle").first.wait_for(timeout=120_000)
    page.click("div.lm-MenuBar-itemLabel:text-is('Run')")
    page.click("li.lm-Menu-item:has-text('Run All Cells')")


def test_explore_notebook_in_a_real_browser(lab):
    from playwright.sync_api import sync_playwright

    url, token = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        _run_all_cells(page, f"{url}/lab/tree/notebooks/01-explore.ipynb?token={token}")
        # the explorer's three dropdowns appear when its cell has run
        page.wait_for_selector(".widget-dropdown select", timeout=180_000)
        assert page.locator(".widget-dropdown select").count() >= 3
        table_select = page.locator(".bk-table-select select")
        page.wait_for_selector(".bk-printed table", timeout=60_000)
        printed = page.locator(".bk-printed")
        before = printed.inner_text()
        assert "部门收支总表" in before
        options = table_select.locator("option").all_inner_texts()
        target = next(o for o in options if "公开表2-1" in o)
        table_select.select_option(label=target)
        page.wait_for_function(
            "(b) => { const el = document.querySelector('.bk-printed');"
            " return el && el.innerText !== b && el.innerText.includes('财政拨款支出预算表'); }",
            arg=before, timeout=60_000)
        # a chart is drawn: an <svg> with Vega marks, from the kernel, with no network
        page.wait_for_selector("svg g.mark-rect path", timeout=120_000)
        assert page.locator("svg g.mark-rect path").count() >= 3
        assert page.locator("svg text", has_text="社会保障和就业支出").count() >= 1
        # Chinese labels have a font to draw with (not boxes)
        assert page.evaluate("() => document.fonts.check('12px \"Noto Sans CJK SC\"')")
        # wait for the last cell, then no cell shows an error
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-InputArea-prompt')].every(p => !p.innerText.includes('*'))",
            timeout=180_000)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.all_inner_texts()[:2]
        out = ROOT / "out"
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / "browser-01-explore.png"), full_page=False)
        browser.close()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    """``budgetkit app`` (Voilà with budgetkit's offline template) on a free local port."""
    from budgetkit.app import NOTEBOOK, voila_command

    port = _free_port()
    home = tmp_path_factory.mktemp("voila")
    cmd, env = voila_command(port, ["--no-browser"])
    env.update(JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    log = open(home / "voila.log", "w")
    proc = subprocess.Popen(cmd, cwd=str(NOTEBOOK.parent), env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/voila/static/voila.js", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise AssertionError("voila did not start: " + (home / "voila.log").read_text()[-2000:])
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_app_in_a_real_browser_offline(app_server, tmp_path):
    """Open the app, choose a document, open a file, see a finding's evidence, download the report and the xlsx;
    no request leaves 127.0.0.1."""
    from urllib.parse import urlparse

    from openpyxl import load_workbook
    from playwright.sync_api import sync_playwright

    outside = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.on("request", lambda r: outside.append(r.url)
                if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
                and urlparse(r.url).hostname not in ("127.0.0.1", "localhost") else None)
        page.goto(app_server, timeout=120_000)
        # first view: the first bundled document is open, with its summary and its first table as printed
        page.wait_for_selector(".bk-app-summary", timeout=180_000)
        assert "乐山市市中区社会保险事务中心" in page.locator(".bk-app-summary").inner_text()
        page.wait_for_selector(".bk-printed table", timeout=60_000)
        assert "部门收支总表" in page.locator(".bk-printed").inner_text()
        # choose another bundled document
        choice = page.locator(".bk-app-choice select")
        label = next(o for o in choice.locator("option").all_inner_texts() if o.endswith("2023-budget.docx"))
        choice.select_option(label=label)
        page.wait_for_function("() => (document.querySelector('.bk-app-summary') || {}).innerText"
                               "?.includes('leshan-shizhong-shebao-2023-budget.docx')", timeout=120_000)
        # open a file of one's own
        with page.expect_file_chooser() as chooser:
            page.locator(".bk-app-upload").first.click()
        chooser.value.set_files(str(ROOT / "data" / "seed" / "leshan-shizhong-shebao-2023-budget.txt"))
        page.wait_for_function("() => (document.querySelector('.bk-app-summary') || {}).innerText"
                               "?.includes('leshan-shizhong-shebao-2023-budget.txt')", timeout=120_000)
        # the findings tab: choose a finding, see its evidence (rows as printed)
        page.get_by_text("核对发现 / findings").click()
        select = page.locator(".bk-findings-list select")
        select.wait_for(timeout=30_000)
        options = select.locator("option").all_inner_texts()
        w02 = next((o for o in options if o.startswith("[W02")), None)
        assert w02, options[:5]
        select.select_option(label=w02)
        page.wait_for_function("() => (document.querySelector('.bk-finding-detail') || {}).innerText"
                               "?.includes('1,149.80')", timeout=30_000)
        assert page.locator(".bk-finding-detail table").count() >= 1
        # downloads: the HTML findings report and the xlsx, each made when asked for
        page.click(".bk-make-html")
        page.wait_for_selector(".bk-dl-html", timeout=60_000)
        with page.expect_download() as dl:
            page.click(".bk-dl-html")
        report = tmp_path / dl.value.suggested_filename
        dl.value.save_as(report)
        assert report.name.endswith("-findings.html") and "核对结果 / Reconciliation findings" in report.read_text("utf-8")
        page.click(".bk-make-xlsx")
        page.wait_for_selector(".bk-dl-xlsx", timeout=60_000)
        with page.expect_download() as dl:
            page.click(".bk-dl-xlsx")
        book = tmp_path / dl.value.suggested_filename
        dl.value.save_as(book)
        assert "发现 findings" in load_workbook(book).sheetnames
        # another document, then the same file chosen again: opened again (the upload was emptied once taken)
        choice.select_option(label=label)
        page.wait_for_function("() => (document.querySelector('.bk-app-summary') || {}).innerText"
                               "?.includes('leshan-shizhong-shebao-2023-budget.docx')", timeout=120_000)
        with page.expect_file_chooser() as chooser:
            page.locator(".bk-app-upload").first.click()
        chooser.value.set_files(str(ROOT / "data" / "seed" / "leshan-shizhong-shebao-2023-budget.txt"))
        page.wait_for_function("() => (document.querySelector('.bk-app-summary') || {}).innerText"
                               "?.includes('leshan-shizhong-shebao-2023-budget.txt')", timeout=120_000)
        out = ROOT / "out"
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / "browser-app.png"), full_page=False)
        browser.close()
    assert outside == [], outside[:5]


def _open_app(p, url, outside=None):
    """Chromium on the app, its first view (the first bundled document) shown."""
    from urllib.parse import urlparse

    browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    if outside is not None:
        page.on("request", lambda r: outside.append(r.url)
                if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
                and urlparse(r.url).hostname not in ("127.0.0.1", "localhost") else None)
    page.goto(url, timeout=120_000)
    page.wait_for_selector(".bk-app-summary", timeout=180_000)
    return browser, page


def _longest_pdf() -> Path:
    """The PDF in data/ with the most pages."""
    import pdfplumber

    pages = {}
    for p in sorted((ROOT / "data").rglob("*.pdf")):
        with pdfplumber.open(p) as pdf:
            pages[p] = len(pdf.pages)
    return max(pages, key=pages.get)


def test_app_long_pdf_shows_progress_then_the_first_view(app_server):
    """Upload the longest PDF in data/: the page being read (n of N) and the time elapsed are shown while it is
    read, with a cancel button; then its tables and findings.  (Timings: bench/app_speed.py.)"""
    from playwright.sync_api import sync_playwright

    pdf = _longest_pdf()
    with sync_playwright() as p:
        browser, page = _open_app(p, app_server)
        with page.expect_file_chooser() as chooser:
            page.locator(".bk-app-upload").first.click()
        chooser.value.set_files(str(pdf))
        page.wait_for_function("() => /第 \\d+ \\/ \\d+ 页.*page \\d+ of \\d+/.test("
                               "(document.querySelector('.bk-app-progress') || {}).innerText || '')", timeout=60_000)
        assert "elapsed" in page.locator(".bk-app-progress").inner_text()
        assert page.locator(".bk-app-cancel").is_visible()
        assert page.locator(".bk-printed").count() == 0  # the previous document's views are gone
        page.wait_for_function(f"() => (document.querySelector('.bk-app-summary') || {{}}).innerText"
                               f"?.includes({pdf.name!r})", timeout=300_000)
        page.wait_for_selector(".bk-printed table", timeout=60_000)
        assert not page.locator(".bk-app-cancel").is_visible()
        # the findings tab opens on an error or a warning, never on a not-evaluated line
        page.click(".lm-TabBar-tabLabel:text-is('核对发现 / findings')")
        first = page.locator(".bk-findings-list select option").first.inner_text()
        assert "未评估" not in first and "/info]" not in first, first
        browser.close()


def test_app_two_uploaded_years_in_the_year_over_year_tab(app_server):
    """Upload two years of one unit together: both are in the year-over-year tab, offered first."""
    from playwright.sync_api import sync_playwright

    years = [ROOT / "data" / "corpus" / f"sh-putuo-wanli-street-{y}-budget.pdf" for y in (2024, 2025)]
    with sync_playwright() as p:
        browser, page = _open_app(p, app_server)
        with page.expect_file_chooser() as chooser:
            page.locator(".bk-app-upload").first.click()
        chooser.value.set_files([str(y) for y in years])
        page.wait_for_function("() => (document.querySelector('.bk-app-summary') || {}).innerText"
                               "?.includes('2024、2025')", timeout=240_000)
        page.click(".lm-TabBar-tabLabel:text-is('跨年 / year over year')")
        page.wait_for_selector(".bk-panel-lines table", timeout=120_000)
        series = page.locator(".bk-yoy .widget-dropdown select").first
        options = [o.replace("\xa0", " ") for o in series.locator("option").all_inner_texts()]  # widgets print nbsp
        assert series.locator("option:checked").inner_text().replace("\xa0", " ").startswith("已打开 / opened")
        assert options[0].startswith("已打开 / opened") and any(o.startswith("示例 / example") for o in options)
        lines = page.locator(".bk-panel-lines").inner_text()
        assert "2024" in lines and "2025" in lines and "2,932,700" in lines
        # the other year is listed with its counts and shown when chosen under 「显示此文件」
        assert "sh-putuo-wanli-street-2024-budget.pdf" in page.locator(".bk-app-other").first.inner_text()
        switch = page.locator(".bk-app-switch select")
        switch.select_option(label=next(o for o in switch.locator("option").all_inner_texts() if "2024" in o))
        page.wait_for_function("() => (document.querySelector('.bk-app-summary') || {}).innerText"
                               "?.includes('sh-putuo-wanli-street-2024-budget.pdf')", timeout=60_000)
        out = ROOT / "out"
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / "browser-app-yoy.png"), full_page=False)
        browser.close()


# 02's dropdowns are filters whose first change may leave the list shown unchanged; its first view is
# asserted from the executed notebook in tests/test_notebooks.py
@pytest.mark.parametrize("name", ["03-year-over-year", "04-performance-indicators", "05-corpus",
                                  "06-budget-execution", "07-transparency"])
def test_each_notebook_first_view_and_one_widget_change_in_a_real_browser(lab, name):
    """Every notebook runs in JupyterLab in Chromium: its widgets open on a meaningful first view (not blank),
    one dropdown is changed and the output it drives changes, and no cell shows an error."""
    from playwright.sync_api import sync_playwright

    url, token = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # a workspace of its own, reset: no notebook of an earlier test is restored beside this one
        _run_all_cells(page, f"{url}/lab/workspaces/w{name[:2]}/tree/notebooks/{name}.ipynb?reset&token={token}")
        page.wait_for_selector(".widget-dropdown select", timeout=240_000)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-InputArea-prompt')].every(p => !p.innerText.includes('*'))",
            timeout=240_000)
        # the first dropdown with a choice to make: its first view has a value, and changing it changes its output
        selects = page.locator(".widget-dropdown select")
        choices = [i for i in range(selects.count()) if selects.nth(i).locator("option").count() >= 2]
        # prefer a dropdown showing a selection (a filter may open on "all", shown blank)
        shown = [i for i in choices if selects.nth(i).locator("option:checked").count()
                 and selects.nth(i).locator("option:checked").inner_text().strip()]
        idx = (shown or choices)[0]
        select = selects.nth(idx)
        area = page.locator(".jp-OutputArea-output", has=select).first
        before = area.inner_text()
        assert len(before.strip()) > 20, before  # a first view with content, not an empty widget
        options = select.locator("option").all_inner_texts()
        current = select.locator("option:checked").inner_text() if select.locator("option:checked").count() else ""
        select.select_option(label=next(o for o in options if o != current))
        page.wait_for_function(
            "([i, b]) => { const s = document.querySelectorAll('.widget-dropdown select')[i];"
            " const o = s && s.closest('.jp-OutputArea-output'); return o && o.innerText !== b; }",
            arg=[idx, before], timeout=120_000)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.all_inner_texts()[:2]
        browser.close()
