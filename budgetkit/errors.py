"""User-facing errors: one line, the file, the reason — never a traceback."""


def shown(path) -> str:
    """A path as a person reads it. A file name that is not UTF-8 (GBK bytes, what unzipping a Chinese archive on
    Linux gives) reaches Python as surrogate escapes, which no terminal, CSV or Parquet file can hold: it is
    decoded as GB 18030 when that reads it, else with replacement characters."""
    import os

    text = os.fspath(path) if isinstance(path, os.PathLike) else str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = os.fsencode(text)
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


class BadInputError(Exception):
    """An input file cannot be read as a disclosure.

    ``message`` is Chinese with an English rendering beside it, e.g.
    ``文件不存在 / file not found``.
    """

    def __init__(self, path, reason_zh: str, reason_en: str):
        self.path = shown(path)
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        super().__init__(f"{self.path}: {reason_zh} / {reason_en}")


def no_tables_error(where, names_absent_tables: bool = False) -> BadInputError:
    """The one refusal for a file with no disclosure table, the same from read, check, the CLI and the app:
    "0 errors" over nothing would be a silent wrong result."""
    zh, en = "未识别出预算公开表", "no budget disclosure table recognised"
    if names_absent_tables:
        zh += "；文中列出的表格可能是另一个文件，请一并给出"
        en += "; the tables it names may be a separate file: pass it along with this one"
    return BadInputError(where, zh, en)


INTERNAL_ZH = "内部错误，请报告"
INTERNAL_EN = "internal error, please report"


def log_dir():
    """Where tracebacks of internal errors are kept: the user's cache, else the temp folder."""
    import os
    import tempfile
    from pathlib import Path

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    for root in (Path(base) / "budgetkit" / "errors", Path(tempfile.gettempdir()) / "budgetkit-errors"):
        try:
            root.mkdir(parents=True, exist_ok=True)
            if os.access(root, os.W_OK):
                return root
        except OSError:
            continue
    return Path(tempfile.gettempdir())


def log_internal_error(exc: BaseException, context: str = ""):
    """Write the traceback to a log file and return its path (None if even that fails)."""
    import datetime
    import os
    import sys
    import traceback

    try:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = log_dir() / f"budgetkit-{stamp}-{os.getpid()}.log"
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        header = f"budgetkit internal error\nargv: {sys.argv!r}\n{context}\n\n"
        path.write_text(header + text, encoding="utf-8")
        return path
    except Exception:
        return None


class InternalError(Exception):
    """A file that made budgetkit itself fail (a bug, not the user's mistake).

    The traceback is in ``log``; the message is one bilingual line."""

    def __init__(self, path, log, cause: BaseException | None = None):
        self.path = str(path) if path is not None else ""
        self.log = log
        self.cause = cause
        where = f"{self.path}: " if self.path else ""
        tail = f"（日志 / log: {log}）" if log else ""
        name = f" [{type(cause).__name__}]" if cause is not None else ""
        super().__init__(f"{where}{INTERNAL_ZH} / {INTERNAL_EN}{name}{tail}")
