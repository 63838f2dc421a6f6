"""The app's widgets without a browser: first view, progress and cancel, opening a file, a bad file, errors
first, downloads made on click, the year-over-year tab on opened files, the wrappers' signals.
(tests/test_browser.py drives the same app in Chromium through Voilà.)"""
from __future__ import annotations

import base64
import io
import os
import re
import signal
import subprocess
import sys
import threading
from datetime import datetime, timezone

from openpyxl import load_workbook

from budgetkit.app import App, bundled, voila_command
from conftest import CORPUS, SEED_PDF, SEED_TXT, jiangsu


def _download(app: App, css: str) -> bytes:
    m = re.search(rf"class='{css}' download=\"[^\"]+\" href=\"data:[^;]+;base64,([^\"]+)\"",
                  app.downloads.links.value)
    assert m, app.downloads.links.value[:300]
    return base64.b64decode(m.group(1))


def _upload(app: App, *paths, names=None) -> None:
    """Hand files over the way FileUpload does, then wait for the reading to finish."""
    app.upload.value = tuple({"name": (names or {}).get(p, p.name), "type": "application/octet-stream",
                              "size": p.stat().st_size, "content": memoryview(p.read_bytes()),
                              "last_modified": datetime.now(timezone.utc)} for p in paths)
    app.wait()


def test_app_first_view_upload_bad_file_and_downloads(tmp_path):
    docs = bundled()
    assert list(docs)[0].endswith("leshan-shizhong-shebao-2023-budget.txt")  # the fastest bundled file first
    assert any(len(paths) == 2 for paths in docs.values())  # a two-file disclosure is one entry
    app = App(documents={k: docs[k] for k in list(docs)[:1]}, series={})
    app.wait()
    # untouched: the first bundled document is open, its summary, tables and findings shown
    # the seed's 11 errors are seen 15 times by the rules: counted as the CLI counts them
    assert "乐山市市中区社会保险事务中心" in app.status.value
    assert "错误 11（按规则逐条计为 15）/ errors 11 (15 by rule)" in app.status.value
    assert "部门收支总表" in app.explorer.printed.value and app.browser.list.value == 0
    assert app.explorer.chart_out.outputs and "svg" in str(app.explorer.chart_out.outputs[0])  # drawn after
    # downloads are made when asked for, not before
    assert app.downloads.links.value == "" and app.downloads.view.layout.display != "none"
    app.downloads.make_html.click()
    html = _download(app, "bk-dl-html").decode("utf-8")
    assert "核对结果 / Reconciliation findings" in html and "W02" in html
    app.downloads.make_xlsx.click()
    book = load_workbook(io.BytesIO(_download(app, "bk-dl-xlsx")))
    assert "金额 amounts" in book.sheetnames and "发现 findings" in book.sheetnames
    # open a file the way FileUpload hands it over; the browser's name is reduced to a file name
    _upload(app, SEED_TXT, names={SEED_TXT: "../../evil/" + SEED_TXT.name})
    assert "乐山市市中区社会保险事务中心" in app.status.value and "bk-app-error" not in app.status.value
    assert app.downloads.links.value == ""  # the previous document's downloads are gone
    # a file that is no disclosure: the same one line as `budgetkit check`, naming the uploaded file and no
    # server path; the previous document's views are cleared
    bad = tmp_path / "notes.txt"
    bad.write_text("hello world " * 20, encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "budgetkit", "check", "notes.txt"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert cli.returncode == 2
    _upload(app, bad)
    shown = re.sub(r"<[^>]+>", "", app.status.value)
    assert "bk-app-error" in app.status.value and shown.strip() == cli.stderr.strip()
    assert "/tmp" not in app.status.value and "budgetkit-app-" not in app.status.value
    assert app.body.children == () and app.downloads.view.layout.display == "none"


def test_app_progress_and_cancel(monkeypatch):
    """Reading a PDF says which page it is on, with the time elapsed; cancel stops it before the next page."""
    from budgetkit.app.job import Job

    app = App(documents={}, series={})
    seen = []
    gate = threading.Event()
    original = Job.progress

    def slow(self, *args):  # the job's own callback, held at page 2 so the test sees a page in progress
        original(self, *args)
        if args[0] == "read" and args[2] == 2 and not seen:
            seen.append(self.status_html())
            gate.wait(20)

    monkeypatch.setattr(Job, "progress", slow)
    job = app.open([SEED_PDF], SEED_PDF.name)
    while not seen and job.thread.is_alive():
        job.thread.join(0.05)
    assert seen and re.search(r"第 2 / \d+ 页 · reading .*page 2 of \d+", seen[0]) and "elapsed" in seen[0]
    assert app.cancel.layout.display != "none" and app.body.children == ()
    app.cancel.click()
    gate.set()
    app.wait()
    assert "已取消 / cancelled" in app.status.value and app.disclosure is None and app.body.children == ()
    assert app.cancel.layout.display == "none"


def test_findings_open_on_errors_with_not_evaluated_and_info_folded(seed):
    """The seed's findings: 11 errors first; its not-evaluated and info lines under folded headings."""
    from budgetkit import check
    from budgetkit.explore.widgets import FindingsBrowser

    f = check(seed)
    b = FindingsBrowser(f)
    listed = [b._items[v] for _, v in b.list.options]
    assert listed[0].severity == "error" and b.list.value == 0
    order = ["error", "warning", "review"]
    assert [order.index(x.severity) for x in listed] == sorted(order.index(x.severity) for x in listed)
    ne, info = b.folded_lists["not_evaluated"], b.folded_lists["info"]
    assert ne.options and all(b._items[v].status == "not_evaluated" for _, v in ne.options)
    assert all(b._items[v].severity == "info" for _, v in info.options)
    assert b.folded.selected_index is None and ne.value is None  # folded, nothing selected there
    assert len(listed) + len(ne.options) + len(info.options) == len(list(f))
    ne.value = ne.options[0][1]  # choosing a folded line shows it and leaves the main list
    assert b.list.value is None and "未评估" in b.detail.value


def test_app_year_over_year_tab_on_two_uploaded_years():
    """Two years of one unit uploaded together: the latest shown, both in the year-over-year tab, first."""
    wanli = [CORPUS / f"sh-putuo-wanli-street-{y}-budget.pdf" for y in (2024, 2025)]
    # an example series, given as files: read only if chosen
    app = App(documents={}, series={"江苏省委办公厅": [jiangsu(y) for y in (2017, 2018, 2019)]})
    _upload(app, *wanli)
    assert "bk-app-error" not in app.status.value, app.status.value
    assert app.disclosure.meta["year"] == 2025 and "2024、2025" in app.status.value
    app.show_panels()
    names = list(app.panels.panels)
    assert names[0].startswith("已打开 / opened") and "2024–2025" in names[0]
    assert names[1] == "示例 / example · 江苏省委办公厅" and callable(app.panels.panels[names[1]])
    assert app.panels.table.value == "expenditure_summary" and "2,932,700" in app.panels.lines.value
    # the level filters the lines as well as the chart: at 项 no 类 line (212) is listed
    app.panels.level.value = "项"
    codes = re.findall(r"<td>(\d{3,7})</td>", app.panels.lines.value)
    assert codes and all(len(c) == 7 for c in codes)


def test_voila_command_uses_the_offline_template():
    cmd, env = voila_command(9999, ["--no-browser"])
    assert "--template=budgetkit" in cmd and cmd[-1] == "--no-browser" and "--Voila.ip=127.0.0.1" in cmd
    share = env["JUPYTER_PATH"].split(":")[0]
    page = open(f"{share}/voila/templates/budgetkit/index.html.j2", encoding="utf-8").read()
    assert "block notebook_css" in page and "html_head_js_mermaidjs" in page


def test_lab_passes_options_through_works_as_root_and_asks_for_no_news(monkeypatch):
    import json

    from budgetkit import cli
    from budgetkit.app import serving

    calls = []
    monkeypatch.setattr(serving, "run_forwarding", lambda cmd, **kw: calls.append((cmd, kw)) or 0)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert cli.main(["lab", "--port", "9001", "--no-browser", "--ServerApp.ip=0.0.0.0"]) == 0
    cmd, kw = calls[-1]
    assert "--port=9001" in cmd and "--allow-root" in cmd and cmd[-2:] == ["--no-browser", "--ServerApp.ip=0.0.0.0"]
    # no news: the announcements plugin disabled through a config folder of budgetkit's, the feed unset
    assert "--LabApp.news_url=None" in cmd
    config = kw["env"]["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0]
    page = json.load(open(f"{config}/labconfig/page_config.json", encoding="utf-8"))
    assert page["disabledExtensions"] == {"@jupyterlab/apputils-extension:announcements": True}
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    cli.main(["lab"])
    assert "--allow-root" not in calls[-1][0]
    # other commands still refuse options they do not know
    import pytest

    with pytest.raises(SystemExit):
        cli.main(["check", "x.txt", "--no-such-option"])


def test_wrappers_pass_sigterm_on_to_what_they_start(tmp_path):
    """``budgetkit app``/``lab`` run the server through run_forwarding: a SIGTERM to budgetkit reaches it."""
    from budgetkit.app.serving import run_forwarding

    ready, got = tmp_path / "ready", tmp_path / "got"
    child = ("import signal, sys, time, pathlib\n"
             f"signal.signal(signal.SIGTERM, lambda *a: (pathlib.Path({str(got)!r}).write_text('TERM'), sys.exit(0)))\n"
             f"pathlib.Path({str(ready)!r}).write_text('1')\n"
             "time.sleep(60)\n")

    def terminate_us():
        while not ready.exists():
            threading.Event().wait(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=terminate_us, daemon=True).start()
    before = signal.getsignal(signal.SIGTERM)
    assert run_forwarding([sys.executable, "-c", child]) == 0
    assert got.read_text() == "TERM" and signal.getsignal(signal.SIGTERM) is before


def test_messages_name_files_never_server_paths():
    """A path under the app's upload folder or data/ is shown as the file's name, even one not given."""
    from budgetkit.app.job import scrub

    tmp, data = "/tmp/budgetkit-app-x1", "/srv/budgetkit/data"
    text = f"{tmp}/tmpa1/甲.pdf, {tmp}/tmpb2/乙.pdf: 这些文件不是同一份公开文件 / not one disclosure; {data}/corpus/c.pdf"
    assert scrub(text, [f"{tmp}/tmpa1/甲.pdf"], [tmp, data]) == \
        "甲.pdf, 乙.pdf: 这些文件不是同一份公开文件 / not one disclosure; c.pdf"


def test_read_tells_each_pdf_page_then_the_recognising():
    """budgetkit.read(progress=) on the seed PDF: the file, each page in order out of the page count, then the
    step after reading; an exception from the callback (the app's cancel) stops the reading."""
    import budgetkit
    from budgetkit.app.job import Cancelled

    events = []
    d = budgetkit.read(SEED_PDF, progress=lambda *a: events.append(a))
    n = d.meta["sources"][0]["pages"]
    assert events[0] == ("read", SEED_PDF.name, None, None) and events[-1] == ("recognise", None, None, None)
    assert [e[2] for e in events[1:-1]] == list(range(1, n + 1)) and {e[3] for e in events[1:-1]} == {n}

    def stop_at_2(step, file, page, pages):
        if page == 2:
            raise Cancelled()

    import pytest

    with pytest.raises(Cancelled):
        budgetkit.read(SEED_PDF, keep_going=True, progress=stop_at_2)  # not taken for a failure of the file


def test_a_tab_built_in_the_background_keeps_its_view_when_the_progress_line_is_slow(monkeypatch):
    """The progress ticker of a tab and the finished view never overwrite each other: a progress line still
    being drawn when the view is ready must not replace the view (the tab would show a stale line for good)."""
    import time as _time

    import ipywidgets as W

    from budgetkit.app import tabs
    from budgetkit.app.job import Job

    def slow_status(self):
        _time.sleep(0.3)  # drawing the line outlasts the build below
        return "<p>progress</p>"

    monkeypatch.setattr(Job, "status_html", slow_status)

    class FakeApp:
        _job = object()
        _cache: dict = {}
        _roots: list = []

    app = FakeApp()
    tab = W.Tab(children=[W.VBox([W.HTML("placeholder")])])
    view = W.HTML("the view")

    def build(_app, _progress):
        _time.sleep(0.1)
        return view

    tabs.build_into(app, tab, 0, build)
    _time.sleep(0.5)  # any ticker still alive would have drawn by now
    assert list(tab.children[0].children) == [view]


def test_files_uploaded_together_are_each_opened_once(monkeypatch, tmp_path):
    """Two years of 万里街道 (2024 and 2025 预算) uploaded together are first tried as one disclosure, then read
    one by one: each file is opened from the disk once, and the 2025 year read so is the same as read alone.
    A file that cannot be read beside a good one is tried once too, and is named in the error."""
    import pandas as pd

    import budgetkit
    from budgetkit.read import sources

    opened: list = []
    real = sources._open_source

    def counted(path, progress=None):
        opened.append(path.name)
        return real(path, progress)

    monkeypatch.setattr(sources, "_open_source", counted)
    wanli = [CORPUS / f"sh-putuo-wanli-street-{y}-budget.pdf" for y in (2024, 2025)]
    app = App(documents={}, series={})
    _upload(app, *wanli)
    assert "bk-app-error" not in app.status.value, app.status.value
    assert sorted(opened) == sorted(p.name for p in wanli)
    assert [d.meta["year"] for d in app.opened["series"]] == [2024, 2025]
    alone = budgetkit.read(wanli[1])
    pd.testing.assert_frame_equal(app.disclosure.amounts.drop(columns="doc_id"), alone.amounts.drop(columns="doc_id"))
    assert app.disclosure.warnings == alone.warnings

    bad = tmp_path / "坏.pdf"
    bad.write_bytes(b"not a pdf at all")
    opened.clear()
    _upload(app, wanli[0], bad)
    assert "坏.pdf" in app.status.value and "bk-app-error" in app.status.value
    assert sorted(opened) == sorted([wanli[0].name, "坏.pdf"])


def test_app_every_document_opened_together_is_reachable(monkeypatch):
    """西南大学 2023 预算 and 决算 uploaded together: the 决算 is shown first, the 预算 is listed in the summary with
    its counts (1 error — the 收入预算表's 20502 line, p.8 — seen by 2 rules; 4 warnings), and choosing it under
    「显示此文件」 shows its tables, findings and downloads from memory (no file opened again); execution still works."""
    from budgetkit.read import sources

    opened: list = []
    real = sources._open_source
    monkeypatch.setattr(sources, "_open_source", lambda path, progress=None: opened.append(path.name)
                        or real(path, progress))
    swu = [CORPUS / f"cq-swu-2023-{s}.pdf" for s in ("budget", "final")]
    app = App(documents={}, series={})
    _upload(app, *swu)
    assert "bk-app-error" not in app.status.value, app.status.value
    assert app.disclosure.meta["stage"] == "决算" and app.switch.layout.display != "none"
    other = re.search(r"<li class='bk-app-other'>([^<]+)</li>", app.status.value).group(1)
    assert "2023 预算" in other and "cq-swu-2023-budget.pdf" in other
    assert "错误 1（按规则逐条计为 2）/ errors 1 (2 by rule)" in other and "警告 4 / warnings" in other
    assert [label.split("（")[0] for label, _ in app.switch.options] == ["西南大学 2023 预算", "西南大学 2023 决算"]
    before = list(opened)
    app.switch.value = 0
    assert opened == before  # from the app's cache
    assert app.disclosure.meta["stage"] == "预算" and app.findings.counts()["error"] == 1
    assert "错误 1（按规则逐条计为 2）/ errors 1 (2 by rule)" in re.search(
        r"<p class='bk-app-summary'>.*?</p>", app.status.value).group(0)
    first = app.browser._items[app.browser.list.value]
    assert first.severity == "error" and "20502" in first.message and {l["page"] for l in first.locations} == {8}
    assert app.downloads.links.value == ""
    app.downloads.make_html.click()
    report = _download(app, "bk-dl-html").decode("utf-8")
    assert "cq-swu-2023-budget" in report and "20502" in report
    app.tab.selected_index = 3  # the execution tab still joins the pair
    app.wait()
    shown = app.tab.children[3].children[0]
    assert "bk-exec-note" not in getattr(shown, "value", "") and "bk-app-error" not in getattr(shown, "value", "")
    assert not getattr(shown, "value", "").startswith("<p class='bk-app-progress'>")
    app.tab.selected_index = 4  # the transparency card is the shown document's, made again on a switch

    def text(w):
        return getattr(w, "value", "") + "".join(text(c) for c in getattr(w, "children", ()))

    app.wait()
    assert "cq-swu-2023-budget" in text(app.tab.children[4]) and "cq-swu-2023-final" not in text(app.tab.children[4])
    app.switch.value = 1
    app.wait()
    assert app.disclosure.meta["stage"] == "决算" and "bk-app-other" in app.status.value and opened == before
    assert "cq-swu-2023-final" in text(app.tab.children[4]) and "cq-swu-2023-budget" not in text(app.tab.children[4])


def test_the_same_file_chosen_again_is_opened_again(monkeypatch):
    """FileUpload says nothing when its value does not change: the app empties it once a file is taken, so the
    same file chosen again (after a cancel, say) is opened again."""
    calls = []
    real = App.open
    monkeypatch.setattr(App, "open", lambda self, paths, label, entry=None: calls.append(label)
                        or real(self, paths, label, entry=entry))
    app = App(documents={}, series={})
    chosen = tuple({"name": SEED_TXT.name, "type": "text/plain", "size": SEED_TXT.stat().st_size,
                    "content": memoryview(SEED_TXT.read_bytes()), "last_modified": datetime(2026, 1, 1)} for _ in "x")
    app.upload.value = chosen  # the browser hands over the same value when the same file is chosen again
    app.wait()
    assert app.upload.value == ()
    app.upload.value = chosen
    app.wait()
    assert calls == [SEED_TXT.name, SEED_TXT.name] and "乐山市市中区社会保险事务中心" in app.status.value


def test_findings_show_the_printed_page_number_beside_the_pdf_page():
    """国家信访局 2026 预算 prints page numbers one less than the PDF's: the N01 finding's quote (PDF p.18) and its
    table cell (PDF p.9) are shown with the printed number, as in the CLI and the HTML report."""
    from budgetkit import check
    from budgetkit.explore.widgets import FindingsBrowser

    from conftest import load

    b = FindingsBrowser(check(load(CORPUS / "cn-central-xinfang-2026-budget.pdf")))
    n01 = next(i for i, x in enumerate(b._items) if x.rule == "N01" and "18,728.91" in x.message)
    b.list.value = n01
    assert "第18页（页码印 17 / p.18 printed 17）" in b.detail.value
    assert "<td>第9页（页码印 8 / p.9 printed 8）</td>" in b.detail.value


def test_transparency_and_overview_name_tables_and_meta_for_people():
    """西南大学 2023 预算: the scorecard's missing and extra tables are named (财政拨款收支总表 / Fiscal appropriation
    summary), never by id; the xlsx 概况 sheet says units, files, printed page numbers and where the figures went
    in words (国家信访局 2026 预算: no number on p.1, then the printed number one less than the PDF page)."""
    from budgetkit.export import disclosure_sheets
    from budgetkit.score import score

    from conftest import load

    s = score(load(CORPUS / "cq-swu-2023-budget.pdf"))
    items = {i.id: i for i in s.items}
    t01, t03 = items["TS-T01"], items["TS-T03"]
    assert "财政拨款收支总表" in t01.why and "Fiscal appropriation summary" in t01.why_en
    assert "项目支出绩效目标表" in t03.why and "Project performance targets" in t03.why_en
    assert not re.search(r"[a-z]+_[a-z_]+", t01.why_en + t03.why_en)
    from budgetkit.score.report import _ev  # the evidence as the card shows it: 缺少… / missing …, no id

    shown = " ".join(_ev(e) for e in t01.evidence)
    assert "缺少财政拨款收支总表 / missing Fiscal appropriation summary" in shown
    assert not re.search(r"[a-z]+_[a-z_]+", shown)
    meta = disclosure_sheets(load(CORPUS / "cn-central-xinfang-2026-budget.pdf"))["概况 meta"]
    rows = dict(zip(meta["项 / item"], meta["内容 / value"]))
    assert rows["印刷页码 / printed page numbers"] == ("第1页无；第2–37页 页码 = PDF页 − 1 / p.1 none; "
                                                     "p.2–37 printed = PDF page − 1")
    assert rows["源文件 / source files"].startswith("cn-central-xinfang-2026-budget.pdf（pdf，37 页 / pages，sha256 ")
    went = rows["数字去向 / where every printed figure went"]
    assert "金额 / amounts 348" in went and went.endswith("丢失 / lost 0") and "{" not in went
    assert not any(isinstance(v, str) and v.startswith(("{", "[")) for v in rows.values())
