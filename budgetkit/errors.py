"""User-facing errors: one line, the file, the reason — never a traceback."""
import re

#: C0 and C1 control characters (tab and newline aside), DEL, bidi embeddings, overrides, isolates and marks: what
#: lets text run a terminal sequence or show other than it is
CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE_LINE = re.compile(f"[{CONTROL}\t\n\u2028\u2029]")


def escape_char(m: re.Match) -> str:
    """A control character as a person can read it: ``\\n``, ``\\t``, ``\\x1b``, ``\\u202e``."""
    c = m.group(0)
    if c in "\n\t":
        return "\\n" if c == "\n" else "\\t"
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def one_line(text) -> str:
    """Text for a one-line message: a newline, tab, control or bidi character from a file name or a document shown
    as an escape, so that the message stays one line and cannot drive the terminal that shows it."""
    return _UNSAFE_LINE.sub(escape_char, str(text))


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
        super().__init__(one_line(f"{self.path}: {reason_zh} / {reason_en}"))


def no_tables_error(where, names_absent_tables: bool = False) -> BadInputError:
    """The one refusal for a file with no disclosure table, the same from read, check, the CLI and the app:
    "0 errors" over nothing would be a silent wrong result."""
    zh, en = "未识别出预算公开表", "no budget disclosure table recognised"
    if names_absent_tables:
        zh += "；文中列出的表格可能是另一个文件，请一并给出"
        en += "; the tables it names may be a separate file: pass it along with this one"
    return BadInputError(where, zh, en)


def _reason_counts(reasons: dict) -> tuple[str, str]:
    """``{"zh / en": n}`` → the three commonest as one Chinese and one English phrase."""
    top = sorted(reasons.items(), key=lambda kv: -kv[1])[:3]
    pairs = [(r.split(" / ", 1) + [r])[:2] for r, _ in top]
    zh = "；".join(f"{z}：{n}个" for (z, _), (_, n) in zip(pairs, top))
    en = "; ".join(f"{e}: {n}" for (_, e), (_, n) in zip(pairs, top))
    return zh, en


def no_amounts_error(where, residue_reasons: dict) -> BadInputError:
    """The refusal for a document whose tables gave no amount (no unit printed anywhere, every figure
    unreadable): "0 errors" would claim a check that never happened. ``residue_reasons``: residue reason →
    cells, said in the message."""
    n = sum(residue_reasons.values())
    if not n:
        return BadInputError(where, "表格中没有读出任何金额", "no amount was read from the tables")
    zh, en = _reason_counts(residue_reasons)
    return BadInputError(where, f"没有读出任何金额：{n}个数字单元格无法读作金额（{zh}）",
                         f"no amount was read: {n} figure cell(s) could not be read as amounts ({en})")


def nothing_checked_error(where, reasons: list[tuple[str, str]]) -> BadInputError:
    """The refusal for a document on which no rule comparing figures (within a table, between tables, against
    the text) could be evaluated; ``reasons``: (Chinese, English) of why not, the first three said."""
    zh = "；".join(z for z, _ in reasons[:3])
    en = "; ".join(e for _, e in reasons[:3])
    return BadInputError(where, "没有任何核对规则得以执行（表内、表间、表文）" + (f"：{zh}" if zh else ""),
                         "no reconciliation rule could be evaluated (within tables, between tables, against the "
                         "text)" + (f": {en}" if en else ""))


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
        super().__init__(one_line(f"{where}{INTERNAL_ZH} / {INTERNAL_EN}{name}{tail}"))
