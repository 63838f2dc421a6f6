"""``budgetkit app``: a standalone web app (Voilà) for people who do not code.

Open a disclosure (upload one or several files of ONE disclosure) or choose a bundled one; see its tables
as printed, the findings with their evidence, and the year-over-year panel; download the HTML findings
report and an .xlsx workbook.  Everything is served from this machine: Voilà serves its own JavaScript,
charts are SVG drawn in the kernel, downloads are data: links — nothing is fetched from the internet.

The app is :class:`App` (plain ipywidgets, testable without a browser); ``app.ipynb`` beside this file
only displays it, and :func:`serve` runs Voilà on that notebook.
"""
from __future__ import annotations

import base64
import csv
import html
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import ipywidgets as W
from IPython.display import display

NOTEBOOK = Path(__file__).with_name("app.ipynb")
SUFFIXES = (".pdf", ".txt", ".docx", ".xlsx")


def data_dir() -> Path | None:
    """The repository's data/ folder (bundled documents), or BUDGETKIT_DATA."""
    import os

    for p in (os.environ.get("BUDGETKIT_DATA"), Path(__file__).resolve().parents[2] / "data", Path.cwd() / "data"):
        if p and (Path(p) / "MANIFEST.csv").is_file():
            return Path(p)
    return None


def bundled() -> dict[str, list[Path]]:
    """Bundled disclosures from data/MANIFEST.csv: label → its file(s); a two-file disclosure is one entry."""
    root = data_dir()
    if root is None:
        return {}
    groups: dict[str, dict] = {}
    with open(root / "MANIFEST.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            path = root / r["path"]
            if path.suffix.lower() not in SUFFIXES or not path.is_file():
                continue
            key = r["path"]
            if "two-file" in (r.get("notes") or ""):  # the manifest says which files are halves of one
                key = re.sub(r"-(text|tables)(?=\.\w+$)", "", key)
            label = f"{r['publisher']} {r['year']} {r['stage']} · {Path(key).name}"
            g = groups.setdefault(key, {"label": label, "paths": [], "seed": r["path"].startswith("seed/")})
            g["paths"].append(path)
    ordered = sorted(groups.values(), key=lambda g: (not g["seed"], g["paths"][0].suffix != ".txt", g["label"]))
    return {g["label"]: sorted(g["paths"], key=lambda p: "tables" in p.name) for g in ordered}


def bundled_series() -> dict[str, list[list[Path]]]:
    """Bundled multi-year series of one unit, for the year-over-year panel."""
    root = data_dir()
    if root is None:
        return {}
    c = root / "corpus"
    series = {
        "江苏省委办公厅 2017–2019 / Jiangsu party office": [
            [c / f"js-provincial-party-office-{y}-budget-text.pdf", c / f"js-provincial-party-office-{y}-budget-tables.pdf"]
            for y in (2017, 2018, 2019)],
        "上海万里街道 2024–2025 / Shanghai Wanli street": [[c / f"sh-putuo-wanli-street-{y}-budget.pdf"]
                                                       for y in (2024, 2025)],
    }
    return {k: v for k, v in series.items() if all(p.is_file() for g in v for p in g)}


def _download_link(data: bytes, filename: str, mime: str, label: str, css: str) -> str:
    b64 = base64.b64encode(data).decode("ascii")
    return (f"<a class='{css}' download=\"{html.escape(filename)}\" href=\"data:{mime};base64,{b64}\" "
            f"style='margin-right:1.5em'>⬇ {html.escape(label)}</a>")


class App:
    """The app's widgets: source chooser, tabs (tables, findings, year over year), downloads."""

    def __init__(self, documents: dict | None = None, series: dict | None = None):
        from budgetkit.explore.widgets import _dropdown

        self.documents = documents if documents is not None else bundled()
        self.series = series if series is not None else bundled_series()
        self._tmp = tempfile.TemporaryDirectory(prefix="budgetkit-app-")
        self.choice = _dropdown(list(self.documents), "示例文件 / bundled document", "640px")
        self.choice.add_class("bk-app-choice")
        self.upload = W.FileUpload(accept=",".join(SUFFIXES), multiple=True,
                                   description="打开文件 / open file(s)", layout=W.Layout(width="260px"))
        self.upload.add_class("bk-app-upload")
        self.status = W.HTML()
        self.status.add_class("bk-app-status")
        self.downloads = W.HTML()
        self.downloads.add_class("bk-app-downloads")
        self.body = W.VBox()
        self.disclosure = None
        self.findings = None
        self.choice.observe(lambda ch: self._open_bundled(), names="value")
        self.upload.observe(lambda ch: self._open_upload(), names="value")
        intro = W.HTML(
            "<h2>budgetkit · 部门预算公开核对 / budget disclosure checker</h2>"
            "<p>选择一个示例文件，或打开你自己的公开文件（PDF、Word 导出的 .txt、.docx、.xlsx；一份公开分成两个文件时一起选）。"
            "<br>Choose a bundled document or open your own disclosure (PDF, Word-export .txt, .docx, .xlsx; "
            "select both files when one disclosure comes as two).</p>")
        self.view = W.VBox([intro, W.HBox([self.choice, self.upload]), self.status, self.downloads, self.body])
        self.view.add_class("bk-app")
        if self.documents:
            self._open_bundled()

    # -- opening -------------------------------------------------------------------------------
    def _open_bundled(self):
        if self.choice.value:
            self.open(self.documents[self.choice.value], self.choice.value)

    def _open_upload(self):
        files = list(self.upload.value)
        if not files:
            return
        folder = Path(tempfile.mkdtemp(dir=self._tmp.name))
        paths = []
        for f in files:
            name = Path(str(f["name"])).name or "upload"  # never a path from the browser
            p = folder / name
            p.write_bytes(bytes(f["content"]))
            paths.append(p)
        self.open(paths, " + ".join(p.name for p in paths))

    def open(self, paths, label: str) -> None:
        """Read, check and show one disclosure; a file that cannot be read gets its one-line message."""
        import budgetkit
        from budgetkit.errors import BadInputError

        self.status.value = f"<i>正在读取 / reading {html.escape(label)} …</i>"
        try:
            d = budgetkit.read([str(p) for p in paths])
            if not d.tables:
                raise BadInputError(label, "未识别出预算公开表", "no budget disclosure table recognised")
            f = budgetkit.check(d)
        except BadInputError as exc:
            self.status.value = f"<p class='bk-app-error' style='color:#c0392b'>错误 / error: {html.escape(str(exc))}</p>"
            return
        except Exception as exc:  # never a traceback in front of the reader
            self.status.value = (f"<p class='bk-app-error' style='color:#c0392b'>内部错误，请报告 / internal error, "
                                 f"please report: {html.escape(type(exc).__name__)}: {html.escape(str(exc)[:200])}</p>")
            return
        self.disclosure, self.findings = d, f
        self._show(d, f)  # the views first, then the summary that says they are ready
        c = f.counts()
        m = d.meta
        self.status.value = (
            f"<p class='bk-app-summary'><b>{html.escape(str(m.get('department') or d.doc_id))}</b> "
            f"{html.escape(str(m.get('year') or ''))} {html.escape(str(m.get('stage') or ''))} · "
            f"表格 {len(d.tables)} 张 / tables · 错误 {c['error']} / errors · 警告 {c['warning']} / warnings · "
            f"待核对 {c['review']} / review · 提示 {c['info']} / info · <code>{html.escape(d.doc_id)}</code> "
            f"({html.escape('、'.join(str(x.get('file')) for x in m.get('sources', [])))})</p>")

    def _show(self, d, f):
        from budgetkit.explore import widgets
        from budgetkit.export import disclosure_sheets, findings_sheets, xlsx_bytes
        from budgetkit.report import to_html

        self.explorer = widgets.Explorer({d.doc_id: d})
        self.browser = widgets.FindingsBrowser(f)
        tabs = [self.explorer.view, self.browser.view]
        titles = ["表格 / tables", "核对发现 / findings"]
        if self.series:
            self.yoy = W.VBox([W.HTML("<i>正在对齐各年数据 / aligning the years …</i>")])
            tabs.append(self.yoy)
            titles.append("跨年 / year over year")
        self.tab = W.Tab(children=tabs)
        for i, t in enumerate(titles):
            self.tab.set_title(i, t)
        self.tab.observe(lambda ch: self._on_tab(), names="selected_index")
        self.body.children = [self.tab]
        report = to_html(f).encode("utf-8")
        book = xlsx_bytes({**disclosure_sheets(d), **findings_sheets(f)})
        self.downloads.value = (
            "<p>" + _download_link(report, f"{d.doc_id}-findings.html", "text/html", "下载核对报告 HTML / "
                                   "download the findings report (HTML)", "bk-dl-html")
            + _download_link(book, f"{d.doc_id}.xlsx",
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             "下载数据 xlsx / download the data (xlsx)", "bk-dl-xlsx") + "</p>")

    def _on_tab(self):
        """The year-over-year panel reads several years of documents: built the first time it is opened."""
        if self.tab.selected_index == 2 and self.series:
            self.show_panels()

    def show_panels(self):
        from budgetkit.explore import widgets
        from budgetkit.yoy import compare

        if not hasattr(self, "_panels"):
            try:
                self._panels = {name: compare(docs) for name, docs in self.series.items()}
            except Exception as exc:
                self.yoy.children = [W.HTML(f"<p style='color:#c0392b'>错误 / error: {html.escape(str(exc))}</p>")]
                return
        if not hasattr(self, "panels"):
            self.panels = widgets.PanelBrowser(self._panels)
        self.yoy.children = [W.HTML("<p>同一单位几年的公开文件，按表格与科目编码对齐；排名只比较同一表、同一层级的科目。<br>"
                                    "Several years of one unit, aligned by table and code; rankings compare one "
                                    "table and one level only.</p>"), self.panels.view]

    def _ipython_display_(self):
        display(self.view)


SHARE = Path(__file__).with_name("share")  # share/voila/templates/budgetkit: Voilà's lab template, no CDN links


def voila_command(port: int = 8866, extra: list[str] | None = None) -> tuple[list[str], dict]:
    """The Voilà command line and environment for the app (used by :func:`serve` and the browser test)."""
    import os

    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join([str(SHARE)] + [p for p in [env.get("JUPYTER_PATH")] if p])
    cmd = [sys.executable, "-m", "voila", str(NOTEBOOK), f"--port={port}", "--Voila.ip=127.0.0.1",
           "--template=budgetkit", "--theme=light", "--show_tracebacks=False"] + list(extra or [])
    return cmd, env


def serve(port: int = 8866, extra: list[str] | None = None) -> int:
    """Run Voilà on the app notebook (offline, on this machine); other options go to Voilà unchanged."""
    cmd, env = voila_command(port, extra)
    print(f"budgetkit app → http://127.0.0.1:{port}/  (Ctrl+C 结束 / to stop)", file=sys.stderr)
    import os

    if os.name == "posix":  # become Voilà: a signal to this process reaches the server, no orphan is left
        sys.stderr.flush()
        os.chdir(NOTEBOOK.parent)
        os.execve(sys.executable, cmd, env)
    try:
        return subprocess.call(cmd, cwd=str(NOTEBOOK.parent), env=env)
    except KeyboardInterrupt:
        return 130
