"""The fuzz run: each mutated input must read cleanly or fail with one clear line, and lose nothing silently.

Outcomes: ``clean``, ``clear_error`` (a BadInputError of one bilingual line), ``unhandled`` (any other exception,
or an exit 3), ``over_time``; and the silent wrong results the oracles catch: ``lost`` (the conservation ledger
of the read is not balanced: :mod:`budgetkit.check.conservation`), ``wrong`` (an input that shows the same as the
seed — Excel formats, Word content controls and hidden runs, compatibility characters — read to other amounts; a
picture page not said), ``unsafe`` (a report, an error line or a CSV cell that carries a control sequence, a live
link from the document or a formula).
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import signal
import tempfile
import time
import traceback
from pathlib import Path

OUTCOMES = ("clean", "clear_error", "unhandled", "over_time", "lost", "wrong", "unsafe")


class _OverTime(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` swallows it."""


def _alarm(signum, frame):
    raise _OverTime()


def amounts_key(d) -> list:
    """What a reader of the amounts sees: each amount with its table kind, in order."""
    a = d.amounts
    return sorted(zip(a["table_kind"].astype(str), a["row_no"].astype(int), a["col_no"].astype(int),
                      a["amount"].astype(str)))


def run_case(path: Path, do_check: bool = False, time_limit: float = 30.0, expect=None,
             outputs=False) -> tuple[str, str]:
    """(outcome, detail) for one input file; outcome is one of :data:`OUTCOMES`.

    ``expect``: a function of the Disclosure read that returns what is wrong with it (None when right).
    ``outputs``: also run ``check`` (in each format, or in those ``outputs`` names) and ``parse`` through the command
    line and inspect what they print and write."""
    import budgetkit
    from budgetkit.errors import BadInputError

    # the bound is processor time (what the input costs budgetkit, the same on a loaded machine as on an idle one),
    # with a wall-clock bound of ten times as much for an input that makes it wait instead
    use_alarm = hasattr(signal, "setitimer") and time_limit
    if use_alarm:
        old = signal.signal(signal.SIGPROF, _alarm), signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_PROF, time_limit)
        signal.setitimer(signal.ITIMER_REAL, 10 * time_limit)
    start = time.process_time()
    d = None
    try:
        d = budgetkit.read(path)
        if do_check and not d.meta.get("no_tables"):
            try:
                budgetkit.check(d)
            except BadInputError:
                pass  # a document with nothing a rule could check is refused by check, not by read
        if outputs:
            problem = unsafe_outputs(path, *([outputs] if isinstance(outputs, tuple) else []))
            if problem:
                return "unsafe", problem
    except _OverTime:
        return "over_time", f"> {time_limit:.0f} s"
    except BadInputError as exc:
        outcome, detail = "clear_error", str(exc)
    except Exception as exc:  # the class of bug the harness hunts
        outcome, detail = "unhandled", _signature(exc)
    else:
        outcome, detail = "clean", ""
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGPROF, old[0])
            signal.signal(signal.SIGALRM, old[1])
    if outcome != "unhandled" and time_limit and time.process_time() - start > time_limit:
        return "over_time", f"{time.process_time() - start:.1f} s of processor time"
    if outcome == "clear_error" and ("\n" in detail or " / " not in detail or _RAW_CONTROL.search(detail)):
        return "unhandled", f"unclear message: {detail[:200]!r}"
    if outcome == "clean":
        lost = d.meta.get("conservation", {}).get("lost")
        if lost:
            return "lost", f"{len(lost)} figure(s) lost, first {lost[0][3]!r} ({lost[0][4]})"
        if expect is not None:
            wrong = expect(d)
            if wrong:
                return "wrong", wrong
    return outcome, detail


def _signature(exc: BaseException) -> str:
    """Exception type and the innermost budgetkit frame: one class of crash."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "budgetkit" in f.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno} {frames[-1].name}" if frames else "?"
    return f"{type(exc).__name__} at {where}: {str(exc)[:120]}"


_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA = re.compile(r"^[=@\t\r]|^[-+](?![-+]*$)(?![\d.,]*$)")  # a signed number or a lone dash is no formula


def unsafe_outputs(path: Path, formats=("text", "md", "json")) -> str | None:
    """What the command line prints for ``check`` (each format) and writes for ``parse`` (CSV): a raw control or
    bidi character, a second line in a one-line message, a live link or raw HTML from the document in Markdown,
    a CSV cell a spreadsheet would run as a formula, an internal error. None when all is safe."""
    from budgetkit.cli import main

    for fmt in formats:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--format", fmt, "--", str(path)])
        if code == 3:
            return f"check --format {fmt}: internal error: {err.getvalue()[:160]!r}"
        for name, text in (("stdout", out.getvalue()), ("stderr", err.getvalue())):
            if _RAW_CONTROL.search(text):
                return f"check --format {fmt}: raw control character on {name}"
        if any(not ln.startswith(("错误 / error", "警告 / warning")) for ln in err.getvalue().splitlines()):
            return f"check --format {fmt}: a message split over lines: {err.getvalue()[:160]!r}"
        if fmt == "md" and out.getvalue():
            problem = _live_markdown(out.getvalue())
            if problem:
                return problem
    with tempfile.TemporaryDirectory() as tmp:
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(["parse", "--out", tmp, "--", str(path)])
        if code == 3:
            return f"parse: internal error: {err.getvalue()[:160]!r}"
        for name in ("amounts.csv", "residue.csv"):
            p = Path(tmp) / name
            if p.exists():
                for row in csv.reader(io.StringIO(p.read_text(encoding="utf-8-sig"))):
                    bad = [c for c in row if _FORMULA.match(c)]
                    if bad:
                        return f"parse: {name} cell {bad[0][:40]!r} starts a formula"
    return None


def _live_markdown(text: str) -> str | None:
    """A link or raw HTML a Markdown renderer makes from document text (mistune with its autolinking plugin and
    Python-Markdown, when installed)."""
    try:
        import mistune
    except ImportError:  # pragma: no cover
        return None
    html = mistune.create_markdown(plugins=["url"])(text)
    try:
        import markdown  # passes raw HTML through, as many renderers do

        html += markdown.markdown(text)
    except ImportError:  # pragma: no cover
        pass
    tag = re.search(r"<(?:a|script|img|svg|iframe)[\s>][^>]*", html)  # a tag, not its escaped text (&lt;img …)
    return f"markdown: live link or raw HTML: {tag.group(0)[:80]!r}" if tag else None


def odd_name(rng, suffix: str) -> bytes:
    """A file name the OS allows and a person or an archive gives: GBK bytes, a newline, a leading dash, escape
    sequences, bidi overrides, spaces, a long name (the case's own suffix kept)."""
    stem = rng.choice([
        "乐山预算".encode("gbk"), "2023年\n部门预算".encode(), b"-n --out x", b"\xff\xfe\xfd", "预算\x1b[2J".encode(),
        "sa\u202efdp.txt".encode(), b"  spaced  name ", "长".encode() * 78, b"=cmd|' -C calc'!A0", b"%s%n%x",
        "budget\u2028line".encode()])
    return stem + suffix.encode()


def write_case(folder: Path, k: int, data: bytes, suffix: str, name: bytes | None) -> Path:
    raw = os.fsencode(folder) + b"/" + (name if name else f"case-{k}{suffix}".encode())
    with open(raw, "wb") as fh:
        fh.write(data)
    return Path(os.fsdecode(raw))
