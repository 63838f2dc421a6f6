"""Fuzz harness: mutated disclosures must read cleanly or fail with one clear line.

The invariant, for every input: ``budgetkit.read`` returns a Disclosure or
raises :class:`~budgetkit.errors.BadInputError` (and ``check`` on what was
read returns findings), never another exception, within a time bound.

Mutations: the seed Word-export text with cells dropped, duplicated, altered
(over-long numbers, parenthesised negatives, full-width digits, unit
suffixes, empty target cells, markup), rows merged or split, long sentences,
odd encodings (GB18030, UTF-16, UTF-32, Big5, damaged bytes); and byte
mutations of small PDFs (flipped bytes, cut or repeated chunks, a damaged
page tree).

``python -m budgetkit.fuzz -n 10000`` (``make fuzz``) prints the tally:
clean, clear error, unhandled, over time; the first input of each unhandled
class is saved beside the tally for a reproducer.
"""
from __future__ import annotations

import argparse
import random
import re
import signal
import sys
import time
import traceback
import zlib
from collections import Counter
from pathlib import Path

OUTCOMES = ("clean", "clear_error", "unhandled", "over_time")

ROOT = Path(__file__).resolve().parents[1]
SEED_TXT = ROOT / "data" / "seed" / "leshan-shizhong-shebao-2023-budget.txt"
SEED_PDF = ROOT / "data" / "seed" / "leshan-shizhong-shebao-2023-budget.pdf"

#: cell values that broke readers before, or could
POOL = [
    "9" * 30, "1" * 22 + ".5", "12345678901234567890.12", "0.1234567", "3.14159265358979",
    "(729.79)", "（729.79）", "729．79", "１２３．４５", "1,149.80万元", "28000元", "12 345.67", "1 149.80",
    "-", "—", "", " ", "NaN", "Infinity", "-inf", "1e400", "1E+5", "-0", "0", "0.00", "+12.5", "−3.20",
    "100%", "120.5%", "1,2,3", "1..2", ",,", "1.2.3", "(cid:12)(cid:34)", "\ufffd\ufffd\ufffd", "\x00",
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>",
    "合计", "小计", "项目支出", "基本支出", "一般公共预算拨款收入", "208", "2080501", "30101", "316002",
    "满意度", "≥95%", "≤100", "定量", "定性", "10", "90", "100", "优", "年", "万元", "元",
]
WORDS = ["收入", "支出", "预算", "比上年", "增加", "减少", "万元", "主要原因", "一般公共预算", "项目", "合计",
         "社会保障和就业支出", "（类）", "（款）", "（项）", "占", "%", "1149.80", "1013.5", "增长", "下降"]


def _number(rng: random.Random) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 40)))
    if rng.random() < 0.5:
        cut = rng.randint(1, len(digits))
        digits = digits[:cut] + "." + digits[cut:]
    if rng.random() < 0.2:
        digits = "-" + digits
    if rng.random() < 0.2:
        digits = f"({digits})"
    return digits


def _cell_value(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.55:
        return rng.choice(POOL)
    if r < 0.85:
        return _number(rng)
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))


def _long_sentence(rng: random.Random, n: int) -> str:
    parts = []
    size = 0
    while size < n:
        w = rng.choice(WORDS)
        parts.append(w)
        size += len(w)
    return "".join(parts)


def mutate_text(text: str, rng: random.Random, max_ops: int = 6) -> tuple[bytes, list[str]]:
    """A mutated Word-export text, encoded; and the list of mutations applied."""
    lines = text.split("\n")
    ops: list[str] = []
    for _ in range(rng.randint(1, max_ops)):
        op = rng.choice(["drop", "dup", "alter", "alter", "alter", "empty", "merge", "split", "swap", "prose",
                         "long", "truncate", "block", "tab"])
        n = len(lines)
        if n == 0:
            break
        i = rng.randrange(n)
        cells = [k for k, ln in enumerate(lines) if ln.startswith("\t")]
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op in ("alter", "empty") and cells:
            k = rng.choice(cells)
            lines[k] = "\t" + ("" if op == "empty" else _cell_value(rng))
        elif op == "merge":
            blanks = [k for k, ln in enumerate(lines) if not ln.strip()]
            if blanks:
                del lines[rng.choice(blanks)]
        elif op == "split":
            lines.insert(i, "")
        elif op == "swap" and i + 1 < n:
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "prose":
            lines.insert(i, _cell_value(rng) + _long_sentence(rng, rng.randint(5, 200)))
        elif op == "long":
            lines.insert(i, _long_sentence(rng, rng.choice([1000, 5000, 20000])))
        elif op == "truncate":
            lines = lines[: max(1, i)]
        elif op == "block":
            j = min(n, i + rng.randint(1, 60))
            lines[j:j] = lines[i:j]
        elif op == "tab":
            lines.insert(i, "\t" * rng.randint(1, 5) + _cell_value(rng))
        ops.append(op)
    out = "\n".join(lines)
    enc = rng.choices(["utf-8", "gb18030", "utf-16", "utf-32", "big5", "flip", "crlf"],
                      weights=[70, 8, 4, 3, 3, 8, 4])[0]
    ops.append(enc)
    if enc == "crlf":
        return out.replace("\n", "\r\n").encode("utf-8"), ops
    if enc == "flip":
        data = bytearray(out.encode("utf-8"))
        for _ in range(rng.choice([1, 5, 50, 500])):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data), ops
    return out.encode(enc, errors="replace"), ops


def tiny_pdf(rows: list[list[str]] | None = None, extra_ops: tuple[str, ...] = ()) -> bytes:
    """A one-page PDF with a ruled table of Latin text and numbers (uncompressed, so that
    byte mutations reach its numbers and drawing operators); ``extra_ops`` are drawn after it."""
    rows = rows or [["Item", "Total", "Basic", "Project"], ["A", "1,149.80", "1,013.50", "136.30"],
                    ["B", "(729.79)", "12.00", "-"], ["Sum", "420.01", "1,025.50", "136.30"]]
    ops = ["0.5 w"]
    x0, y0, cw, rh = 50, 700, 110, 24
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            x, y = x0 + j * cw, y0 - i * rh
            ops.append(f"{x} {y} {cw} {rh} re S")
            ops.append(f"BT /F1 10 Tf {x + 4} {y + 8} Td ({text}) Tj ET")
    ops.append(f"BT /F1 14 Tf 50 760 Td (Budget table 1) Tj ET")
    ops.extend(extra_ops)
    stream = "\n".join(ops).encode("latin-1")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


_PDF_TOKENS = [b"/MediaBox", b"/Kids", b"/Count", b"/Parent", b"/Contents", b"/Length", b"/Root", b"obj",
               b"endobj", b"stream", b"xref", b"/Type", b"/Page", b"Tj", b"re", b"Td", b"[", b"]", b"<<", b">>"]


def mutate_pdf(data: bytes, rng: random.Random, max_ops: int = 4) -> tuple[bytes, list[str]]:
    b = bytearray(data)
    ops = []
    for _ in range(rng.randint(1, max_ops)):
        op = rng.choice(["flip", "flip", "token", "token", "cut", "dup", "number", "concat", "zero"])
        n = len(b)
        if n < 16:
            break
        i = rng.randrange(n)
        if op == "flip":
            for _ in range(rng.choice([1, 3, 10, 100, 1000])):
                b[rng.randrange(len(b))] = rng.randrange(256)
        elif op == "token":
            tok = rng.choice(_PDF_TOKENS)
            hits = [m.start() for m in re.finditer(re.escape(tok), bytes(b))]
            if hits:
                k = rng.choice(hits)
                b[k:k + len(tok)] = rng.choice([b"", b"/Foo", b"0", b"-1", b"99999999999", rng.choice(_PDF_TOKENS)])
        elif op == "cut":
            j = min(n, i + rng.randint(1, 2000))
            del b[i:j]
        elif op == "dup":
            j = min(n, i + rng.randint(1, 2000))
            b[j:j] = b[i:j]
        elif op == "number":
            hits = [m for m in re.finditer(rb"\d+(?:\.\d+)?", bytes(b))]
            if hits:
                m = rng.choice(hits)
                b[m.start():m.end()] = rng.choice([b"0", b"-5", b"1e400", b"99999999999999999999", b"nan", b"1.5"])
        elif op == "concat":
            b = b + b
        elif op == "zero":
            j = min(n, i + rng.randint(1, 500))
            b[i:j] = bytes(j - i)
        ops.append(op)
    return bytes(b), ops


class _OverTime(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` swallows it."""


def _alarm(signum, frame):
    raise _OverTime()


def run_case(path: Path, do_check: bool = False, time_limit: float = 30.0) -> tuple[str, str]:
    """(outcome, detail) for one input file; outcome is one of :data:`OUTCOMES`."""
    import budgetkit
    from budgetkit.errors import BadInputError

    use_alarm = hasattr(signal, "setitimer") and time_limit
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, time_limit)
    start = time.monotonic()
    try:
        d = budgetkit.read(path)
        if do_check and not d.meta.get("no_tables"):
            budgetkit.check(d)
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
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    if outcome != "unhandled" and time_limit and time.monotonic() - start > time_limit:
        return "over_time", f"{time.monotonic() - start:.1f} s"
    if outcome == "clear_error" and ("\n" in detail or " / " not in detail):
        return "unhandled", f"unclear message: {detail[:200]}"
    return outcome, detail


def _signature(exc: BaseException) -> str:
    """Exception type and the innermost budgetkit frame: one class of crash."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "budgetkit" in f.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno} {frames[-1].name}" if frames else "?"
    return f"{type(exc).__name__} at {where}: {str(exc)[:120]}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="budgetkit fuzz harness / 模糊测试")
    ap.add_argument("-n", "--cases", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--out", default="out/fuzz", help="folder for the reproducers of unhandled cases")
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--check-every", type=int, default=20, help="run check on every n-th readable text case")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = out / "case"
    work.mkdir(exist_ok=True)
    seed_text = SEED_TXT.read_text(encoding="utf-8")
    pdfs = [("tiny", tiny_pdf())]
    for p in (SEED_PDF, ROOT / "tests" / "fixtures" / "no-tables.pdf"):
        if p.exists():
            pdfs.append((p.stem, p.read_bytes()))
    tally: Counter = Counter()
    classes: dict[str, list] = {}
    slow: list[str] = []
    t0 = time.monotonic()
    for k in range(args.cases):
        r = rng.random()
        if r < 0.85:
            data, ops = mutate_text(seed_text, rng)
            path = work / f"case-{k}.txt"
            do_check = k % args.check_every == 0
        else:
            name, base = pdfs[0] if r < 0.96 else pdfs[1 + (k % (len(pdfs) - 1))] if len(pdfs) > 1 else pdfs[0]
            data, ops = mutate_pdf(base, rng)
            ops = [name, *ops]
            path = work / f"case-{k}.pdf"
            do_check = k % 5 == 0
        path.write_bytes(data)
        outcome, detail = run_case(path, do_check, args.time_limit)
        tally[outcome] += 1
        if outcome in ("unhandled", "over_time"):
            key = detail if outcome == "unhandled" else "over time"
            if key not in classes:
                keep = out / f"{outcome}-{len(classes) + 1}{path.suffix}"
                keep.write_bytes(data)
                classes[key] = [0, str(keep), ops, do_check]
            classes[key][0] += 1
            if outcome == "over_time":
                slow.append(str(path))
        path.unlink(missing_ok=True)
        if (k + 1) % 500 == 0:
            print(f"{k + 1} cases, {time.monotonic() - t0:.0f} s: " + ", ".join(f"{o} {tally[o]}" for o in OUTCOMES),
                  file=sys.stderr, flush=True)
    print(f"模糊测试 / fuzz: {args.cases} 个输入 / cases, 种子 / seed {args.seed}, {time.monotonic() - t0:.0f} s")
    labels = {"clean": "正常 / clean", "clear_error": "清楚的错误 / clear error",
              "unhandled": "未处理 / unhandled", "over_time": "超时 / over time"}
    for o in OUTCOMES:
        print(f"  {labels[o]}: {tally[o]}")
    for key, (count, keep, ops, checked) in sorted(classes.items(), key=lambda kv: -kv[1][0]):
        print(f"  × {count}: {key}\n      {keep} ({'read+check' if checked else 'read'}; {', '.join(ops)})")
    return 1 if tally["unhandled"] or tally["over_time"] else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
