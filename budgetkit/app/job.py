"""Reading in the background: the kernel stays free for the cancel button and new uploads, and the reader
says which step it is on (page n of N, checking, …) with the time elapsed."""
from __future__ import annotations

import html
import re
import threading
import time
from pathlib import Path


class Cancelled(BaseException):
    """Raised from the progress callback when the user cancels; a BaseException, so that no reader's
    ``except Exception`` takes it for a failure of the file."""


STEPS = {  # step → (Chinese, English)
    "start": ("准备", "starting"),
    "read": ("正在读取", "reading"),
    "recognise": ("正在识别表格", "recognising the tables"),
    "check": ("正在核对", "checking"),
    "show": ("正在生成视图", "building the views"),
    "split": ("这些文件不是同一份公开文件，正在逐个读取", "the files are not one disclosure: reading them one by one"),
    "compare": ("正在对齐各年数据", "aligning the years"),
}


class Opened:
    """The files opened during one opening, each opened once: files selected together are first tried as one
    disclosure and, when they are several years or a 预算 and a 决算, read again one by one — from here, not
    from the disk.  A file that could not be opened says so again without being tried again."""

    def __init__(self):
        self._got: dict = {}

    def __call__(self, path, progress=None):
        from dataclasses import replace

        from budgetkit.errors import BadInputError
        from budgetkit.read import open_source

        key = str(path)
        if key not in self._got:
            try:
                self._got[key] = open_source(path, progress)
            except BadInputError as exc:
                self._got[key] = exc
        got = self._got[key]
        if isinstance(got, BaseException):
            got.__dict__.pop("also", None)  # the other failures of an earlier try are not this one's
            raise got
        # the reader may drop blocks (a file printed twice over) or add warnings: never in the kept copy
        return replace(got, blocks=list(got.blocks), warnings=list(got.warnings))


class Job:
    """One opening of one or several files: its step, page and elapsed time, and a cancel flag that the
    progress callback checks before every page and every step."""

    def __init__(self, label: str, work):
        self.label = label
        self.files: Opened | None = Opened()  # dropped when the opening is done
        self.step, self.file, self.page, self.pages = "start", None, None, None
        self.cancelled = False
        self.started = time.monotonic()
        self._work = work
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"budgetkit-app: {label[:40]}")

    def start(self) -> Job:
        self.thread.start()
        return self

    def _run(self):
        self._work(self)

    def progress(self, step: str, file: str | None = None, n: int | None = None, total: int | None = None):
        """The callback given to ``budgetkit.read(progress=)``; also called by the app between steps."""
        if self.cancelled:
            raise Cancelled()
        self.step, self.page, self.pages = step, n, total
        if file is not None or step != "read":
            self.file = file

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def status_html(self) -> str:
        zh, en = STEPS.get(self.step, (self.step, self.step))
        what = html.escape(self.file or self.label)
        if self.step == "read" and self.page:
            line = (f"{zh} {what} 第 {self.page} / {self.pages} 页 · {en} {what}, page {self.page} of "
                    f"{self.pages}")
        elif self.step == "read":
            line = f"{zh} {what} · {en} {what}"
        else:
            line = f"{zh} · {en}: {html.escape(self.label)}"
        return (f"<p class='bk-app-progress'><i>{line} …</i> · 已用 {self.elapsed:.0f} 秒 / "
                f"{self.elapsed:.0f} s elapsed</p>")


def scrub(text: str, paths, roots=()) -> str:
    """A message as the user may see it: every server path replaced by the file's name (an uploaded file lives
    in a temporary folder the user never chose; a bundled one in the server's data folder)."""
    for p in sorted(paths, key=lambda p: -len(str(p))):
        text = text.replace(str(p), Path(p).name)
    for r in roots:
        if r:  # a path not given above: its last part, the file's name
            text = re.sub(re.escape(str(r).rstrip("/")) + r"/(?:[^/\s]+/)*", "", text).replace(str(r), "")
    return text
