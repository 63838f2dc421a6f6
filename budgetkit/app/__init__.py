"""``budgetkit app``: a standalone web app (Voilà) for people who do not code.

Open a disclosure (upload one or several files of ONE disclosure, or two years or more of one unit, or a
year's 预算 and 决算) or choose a bundled one; see its tables as printed, the findings (errors first) with their
evidence, the year-over-year panel, budget execution and the transparency card; download the HTML findings
report and an .xlsx workbook, made when asked for.  Reading runs in the background with its step, page and
elapsed time shown and a cancel button.  Everything is served from this machine: Voilà serves its own
JavaScript, charts are SVG drawn in the kernel, downloads are data: links — nothing is fetched from the internet.

The app is :class:`App` (plain ipywidgets, testable without a browser); ``app.ipynb`` beside this file
only displays it, and :func:`serve` runs Voilà on that notebook.
"""
from __future__ import annotations

import html
import tempfile
import threading
import time
from pathlib import Path

import ipywidgets as W
from IPython.display import display

from budgetkit.app import library, tabs
from budgetkit.app.job import Cancelled, Job, scrub
from budgetkit.app.library import SUFFIXES, bundled, bundled_series, data_dir
from budgetkit.app.serving import NOTEBOOK, SHARE, lab_command, run_forwarding, serve, voila_command

__all__ = ["App", "bundled", "bundled_series", "data_dir", "serve", "voila_command", "lab_command",
           "run_forwarding", "NOTEBOOK", "SHARE", "SUFFIXES"]

CACHE_SIZE = 8  # disclosures kept in memory: a series of a few years, a pair, the document open
TAB_TITLES = ["表格 / tables", "核对发现 / findings", "跨年 / year over year", "预算执行 / Execution",
              "透明度 / Transparency"]


def _error_html(lines: list[str]) -> str:
    return "".join(f"<p class='bk-app-error' style='color:#c0392b'>错误 / error: {html.escape(x)}</p>" for x in lines)


class App:
    """The app's widgets: source chooser, progress and cancel, tabs, downloads made on click."""

    def __init__(self, documents: dict | None = None, series: dict | None = None):
        """``documents``: label → file(s) to offer (default: data/MANIFEST.csv); ``series``: label → the
        years of an example series (file groups or disclosures) for the year-over-year tab."""
        from budgetkit.explore.widgets import _dropdown

        if documents is None:
            self.entries = {g["label"]: g for g in library.entries()}
        else:
            self.entries = {k: {"label": k, "paths": list(v), "whole": False, "publisher": None, "year": None,
                                "stage": None} for k, v in documents.items()}
        pool = list(self.entries.values())
        examples = library.example_series(pool) if documents is None else {}
        self.examples = {k: [g["paths"] for g in v] for k, v in examples.items()}
        for k, v in (series or {}).items():
            self.examples[k if k.startswith("示例") else f"示例 / example · {k}"] = list(v)
        self._tmp = tempfile.TemporaryDirectory(prefix="budgetkit-app-")
        self._roots = [self._tmp.name, data_dir()]
        self._cache: dict = {}  # tuple of paths → Disclosure, so a series or a pair reuses what is open
        self._lock = threading.RLock()
        self._job: Job | None = None
        self._threads: list[threading.Thread] = []
        self.choice = _dropdown(list(self.entries), "示例文件 / bundled document", "640px")
        self.choice.add_class("bk-app-choice")
        self.upload = W.FileUpload(accept=",".join(SUFFIXES), multiple=True,
                                   description="打开文件 / open file(s)", layout=W.Layout(width="260px"))
        self.upload.add_class("bk-app-upload")
        self.cancel = W.Button(description="取消 / cancel", button_style="warning", icon="stop",
                               layout=W.Layout(display="none"))
        self.cancel.add_class("bk-app-cancel")
        self.cancel.on_click(lambda _: self.stop())
        self.status = W.HTML()
        self.status.add_class("bk-app-status")
        self.documents: list = []  # (disclosure, findings) of every document opened together
        self.switch = W.Dropdown(description="显示此文件 / show this document", options=[],
                                 style={"description_width": "initial"}, layout=W.Layout(width="640px", display="none"))
        self.switch.add_class("bk-app-switch")
        self.switch.observe(lambda ch: self._switched(), names="value")
        self.notes = W.HTML()
        self.downloads = tabs.Downloads(self)
        self.body = W.VBox()
        self.disclosure = self.findings = None
        self.opened: dict = {}
        self.choice.observe(lambda ch: self._open_bundled(), names="value")
        self.upload.observe(lambda ch: self._open_upload(), names="value")
        intro = W.HTML(
            "<h2>budgetkit · 部门预算公开核对 / budget disclosure checker</h2>"
            "<p>选择一个示例文件，或打开你自己的公开文件（PDF、Word 导出的 .txt、.docx、.xlsx）：一份公开分成两个文件时一起选；"
            "同一单位几个年份的文件一起选可跨年比较；同一年的预算和决算一起选可看预算执行。"
            "<br>Choose a bundled document or open your own disclosure (PDF, Word-export .txt, .docx, .xlsx): "
            "select both files when one disclosure comes as two; select several years of one unit to compare "
            "them; select a year's 预算 and 决算 to see budget execution.</p>")
        self.view = W.VBox([intro, W.HBox([self.choice, self.upload, self.cancel]), self.status, self.switch, self.notes,
                            self.downloads.view, self.body])
        self.view.add_class("bk-app")
        if self.entries:
            self._open_bundled()

    # -- opening -------------------------------------------------------------------------------
    def _open_bundled(self):
        if self.choice.value:
            entry = self.entries[self.choice.value]
            self.open(entry["paths"], self.choice.value, entry=entry)

    def _open_upload(self):
        files = list(self.upload.value)
        if not files:
            return
        # emptied once taken, so that choosing the same file again (after a cancel) is a change, hence an event
        self.upload.value = ()
        self._forget_uploads()
        folder = Path(tempfile.mkdtemp(dir=self._tmp.name))
        paths = []
        for f in files:
            name = Path(str(f["name"])).name or "upload"  # never a path from the browser
            p = folder / name
            p.write_bytes(bytes(f["content"]))
            paths.append(p)
        self.choice.value = None  # the bundled choice no longer names what is open (and may be chosen again)
        self.open(paths, " + ".join(p.name for p in paths))

    def _forget_uploads(self):
        """Earlier uploads leave the server's disk and memory when a new one comes (a server runs for days)."""
        import shutil

        with self._lock:
            for key in [k for k in self._cache if any(p.startswith(self._tmp.name) for p in k)]:
                del self._cache[key]
        for old in Path(self._tmp.name).iterdir():
            shutil.rmtree(old, ignore_errors=True)

    def open(self, paths, label: str, entry: dict | None = None) -> Job:
        """Read, check and show one disclosure in the background (see :meth:`wait`); the previous document's
        views are cleared at once, and progress is shown within a second."""
        paths = [Path(p) for p in paths]
        with self._lock:
            if self._job is not None:
                self._job.cancelled = True  # the previous reading stops at its next page
            job = self._job = Job(label, lambda j: self._work(j, paths, entry))
            self.disclosure = self.findings = None
            self.opened = {}
            self._hide_switch()
            self.body.children = ()
            self.notes.value = ""
            self.downloads.clear()
            self.status.value = job.status_html()
            self.cancel.layout.display = ""
        job.start()
        ticker = threading.Thread(target=self._tick, args=(job,), daemon=True)
        ticker.start()
        self._threads = [t for t in self._threads if t.is_alive()] + [job.thread, ticker]
        return job

    def stop(self):
        """The cancel button: the reading stops before its next page or step."""
        with self._lock:
            if self._job is not None:
                self._job.cancelled = True

    def wait(self, timeout: float | None = None) -> None:
        """Wait until the reading, and any tab being built, is done (for tests and scripts)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._threads:
            t = self._threads.pop(0)
            t.join(None if deadline is None else max(deadline - time.monotonic(), 0))

    def _tick(self, job: Job):
        """The step and elapsed time, twice a second while the job runs."""
        while job.thread.is_alive():
            with self._lock:
                if job is self._job and not getattr(job, "finished", False):
                    self.status.value = job.status_html()
            time.sleep(0.5)

    def _read(self, paths, job: Job | None, keep_going: bool = False):
        """Read once per set of files: a series or a pair reuses the document already open, and within one
        opening each file is opened once (``job.files``)."""
        from budgetkit.pipeline import read

        key = tuple(str(p) for p in paths)
        if key not in self._cache:
            files = getattr(job, "files", None)
            d = read([Path(p) for p in paths], keep_going=keep_going, progress=job.progress if job else None,
                     **({"opener": files} if files is not None else {}))
            with self._lock:
                while len(self._cache) >= CACHE_SIZE:  # the oldest first
                    self._cache.pop(next(iter(self._cache)))
                self._cache[key] = d
        return self._cache[key]

    def _work(self, job: Job, paths: list[Path], entry: dict | None):
        import budgetkit
        from budgetkit.errors import BadInputError, log_internal_error

        try:
            try:
                d = self._read(paths, job)
                job.progress("check")
                f = budgetkit.check(d)
                opened = {"series": None, "pair": None}
            except BadInputError as exc:
                if len(paths) < 2:
                    raise
                job.progress("split")
                split = tabs.split_by_year_and_stage(self, paths, job)  # several years, or a 预算 and a 决算?
                if split is None:
                    raise exc
                d, opened = split
                job.progress("check")
                f = budgetkit.check(d)
            others = []
            for x in opened.pop("documents", None) or ():  # the other documents opened together: checked once
                if x is not d:
                    job.progress("check")
                    others.append((x, budgetkit.check(x)))
            if entry is not None and entry.get("whole"):
                opened = tabs.bundled_company(self, entry)
            job.progress("show")
            self._finish(job, d, f, opened, paths, others)
        except Cancelled:
            self._fail(job, None, paths)
        except BadInputError as exc:
            self._fail(job, [str(e) for e in [exc, *getattr(exc, "also", [])]], paths)
        except Exception as exc:  # a bug: one line here, the traceback in the server's log folder
            log_internal_error(exc, f"budgetkit app: {job.label}")
            self._fail(job, [f"{job.label}: 内部错误，请报告 / internal error, please report [{type(exc).__name__}]"],
                       paths)
        finally:
            job.files = None  # the opened files' blocks leave memory; the disclosures stay in the cache

    def _fail(self, job: Job, lines: list[str] | None, paths):
        with self._lock:
            job.finished = True
            if job is not self._job:
                return
            self.cancel.layout.display = "none"
            self.body.children = ()
            self._hide_switch()
            self.downloads.clear()
            if lines is None:
                self.status.value = (f"<p class='bk-app-cancelled'>已取消 / cancelled: {html.escape(job.label)}"
                                     f"（{job.elapsed:.0f} 秒 / s）</p>")
            else:
                self.status.value = _error_html([scrub(x, paths, self._roots) for x in lines])

    def _finish(self, job: Job, d, f, opened: dict, paths, others=()):
        if job.cancelled:  # cancelled while checking: said as a cancel
            raise Cancelled()
        docs = tabs.in_order([(d, f), *others])
        views = self._views(d, f)
        with self._lock:
            job.finished = True
            if job is not self._job:
                return
            self.opened, self.documents, self._paths = opened, docs, paths
            self.tab = W.Tab(children=[W.VBox(), W.VBox()] + [tabs.placeholder() for _ in TAB_TITLES[2:]])
            for i, t in enumerate(TAB_TITLES):
                self.tab.set_title(i, t)
            self._built: set = set()
            self.tab.observe(lambda ch: self._on_tab(), names="selected_index")
            self.cancel.layout.display = "none"
            self.body.children = [self.tab]  # the views first, then the summary that says they are ready
            shown = next(i for i, (x, _) in enumerate(docs) if x is d)
            self._show_document(shown, views)
            self._set_switch(shown)
        views[0].draw_charts()

    @staticmethod
    def _views(d, f):
        from budgetkit.explore import widgets

        return widgets.Explorer({d.doc_id: d}, charts=False), widgets.FindingsBrowser(f)  # charts: after

    def _show_document(self, i: int, views=None):
        """Tables, findings, summary and downloads of the i-th document opened (already read and checked: from
        memory); the year-over-year and execution tabs stay as they are, the transparency tab is made again."""
        d, f = self.documents[i]
        explorer, browser = views or self._views(d, f)
        self.disclosure, self.findings, self.explorer, self.browser = d, f, explorer, browser
        kids = list(self.tab.children)
        kids[0].children, kids[1].children = [explorer.view], [browser.view]
        if 4 in self._built:  # scored on the document shown before
            self._built.discard(4)
            kids[4] = tabs.placeholder()
            self.tab.children = kids
        self.status.value = tabs.summary_html(d, f, self.opened, [x for j, x in enumerate(self.documents) if j != i])
        self.notes.value = "".join(f"<div class='bk-app-warning' style='color:#8a6d3b;font-size:90%'>警告 / "
                                   f"warning: {html.escape(scrub(w, self._paths, self._roots))}</div>"
                                   for w in d.warnings)
        self.downloads.clear()
        self.downloads.ready(d, f)
        if self.tab.selected_index == 4:
            self._on_tab()

    def _set_switch(self, shown: int):
        self._switching = True
        try:
            self.switch.options = [(tabs.document_label(x, g), i) for i, (x, g) in enumerate(self.documents)]
            self.switch.value = shown
        finally:
            self._switching = False
        self.switch.layout.display = "" if len(self.documents) > 1 else "none"

    def _hide_switch(self):
        self.documents = []
        self._set_switch(None)

    def _switched(self):
        """「显示此文件 / show this document」: another of the documents opened together."""
        i = self.switch.value
        if getattr(self, "_switching", False) or i is None or not self.documents:
            return
        with self._lock:
            if self.documents[i][0] is self.disclosure:
                return
            self._show_document(i)
        self.explorer.draw_charts()

    # -- tabs built when first opened ------------------------------------------------------------------
    def _on_tab(self):
        i = self.tab.selected_index
        if i is None or i < 2 or i in self._built:
            return
        self._built.add(i)
        build = {2: tabs.year_over_year, 3: tabs.execution, 4: tabs.transparency}[i]
        t = threading.Thread(target=tabs.build_into, args=(self, self.tab, i, build), daemon=True)
        t.start()
        self._threads.append(t)

    def show_panels(self):
        """Open the year-over-year tab (and wait for it)."""
        self.tab.selected_index = 2
        self.wait()

    def _ipython_display_(self):
        display(self.view)
