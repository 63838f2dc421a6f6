"""Mutations of the seed's Word-export text and of small PDFs.

Text: cells dropped, duplicated, altered (over-long numbers, parenthesised negatives, full-width digits, unit
suffixes, empty target cells, markup), rows merged or split, long sentences, malformed figures (1,149.8O), Kangxi
radicals and compatibility characters for the ones printed, control and bidi characters, hostile labels for the
outputs (formula starts, terminal sequences, addresses, markup); odd encodings (GB18030, UTF-16, UTF-32, Big5,
damaged bytes). PDF: flipped bytes, cut or repeated chunks, a damaged page tree; a picture page inside a text PDF.
"""
from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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


_FIGURE = re.compile(r"\d{1,3}(?:,\d{3})*\.\d+")
#: what a keyboard, an OCR pass or a careless export puts into a figure
_MALFORM = [("0", "O"), ("0", "o"), ("1", "l"), ("1", "I"), (".", ","), (",", "."), (".", ".."), ("", " ")]
#: control, bidi and separator characters that a text layer or a file may carry
CONTROLS = ["\x1b[2J", "\x1b]0;title\x07", "\x07", "\x00", "\x08", "\x0b", "\x0c", "\x7f", "\x85", "\x9b31m",
            "\u202e", "\u202d", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\ufeff",
            "\u200b", "\r"]
#: labels meant to turn an output against its reader: formula starts, terminal sequences, addresses, markup
HOSTILE = ["=HYPERLINK(\"http://x.example\",\"y\")", "+SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\t=1+1",
           "\x1b[2J\x1b[H", "\x1b]0;pwned\x07", "\u202e54.931,1", "https://evil.example/a?b=1", "www.evil.example",
           "a@evil.example", "[x](javascript:alert(1))", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
           "**bold** _it_ `code` | pipe |", "<!--", "&lt;b&gt;", "{{7*7}}", "%s%n", "../../etc/passwd"]


def malformed(figure: str, rng: random.Random) -> str:
    """A figure with one character a keyboard or OCR gets wrong (1,149.80 → 1,149.8O, 1,149,80)."""
    for _ in range(8):
        a, b = rng.choice(_MALFORM)
        hits = [k for k, ch in enumerate(figure) if ch == a] if a else list(range(1, len(figure)))
        if hits:
            k = rng.choice(hits)
            return figure[:k] + b + figure[k + len(a):]
    return figure + "O"


def _compat_map() -> dict[str, list[str]]:
    """Characters → their compatibility look-alikes that NFKC folds back: Kangxi radicals (⼀ for 一), CJK
    compatibility ideographs, full-width Latin letters, digits and signs."""
    found: dict[str, list[str]] = {}
    for cp in list(range(0x2F00, 0x2FD6)) + list(range(0xF900, 0xFADA)) + list(range(0xFF01, 0xFF5F)):
        ch = chr(cp)
        norm = unicodedata.normalize("NFKC", ch)
        if len(norm) == 1 and norm != ch:
            found.setdefault(norm, []).append(ch)
    return found


COMPAT = _compat_map()


def compatible(text: str, rng: random.Random, share: float = 1.0) -> str:
    """The text with characters replaced by look-alikes NFKC folds back (what PDF text layers of some office suites
    and browsers give); ``share`` of the replaceable characters are replaced."""
    return "".join(rng.choice(COMPAT[ch]) if ch in COMPAT and rng.random() < share else ch for ch in text)


def _sprinkle(text: str, rng: random.Random, pool: list[str]) -> str:
    for _ in range(rng.randint(1, 3)):
        k = rng.randint(0, len(text))
        text = text[:k] + rng.choice(pool) + text[k:]
    return text


def mutate_text(text: str, rng: random.Random, max_ops: int = 6) -> tuple[bytes, list[str]]:
    """A mutated Word-export text, encoded; and the list of mutations applied."""
    lines = text.split("\n")
    ops: list[str] = []
    for _ in range(rng.randint(1, max_ops)):
        op = rng.choice(["drop", "dup", "alter", "alter", "alter", "empty", "merge", "split", "swap", "prose",
                         "long", "truncate", "block", "tab", "malform", "compat", "control", "hostile"])
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
        elif op == "malform":
            figures = [k for k in cells if _FIGURE.fullmatch(lines[k][1:])]
            if figures:
                k = rng.choice(figures[:3] if rng.random() < 0.5 else figures)  # often a table's first figures
                lines[k] = "\t" + malformed(lines[k][1:], rng)
        elif op == "compat":
            lines[i] = compatible(lines[i], rng, share=rng.choice([0.3, 1.0]))
        elif op == "control":
            lines[i] = _sprinkle(lines[i], rng, CONTROLS)
        elif op == "hostile":
            where = rng.choice(cells) if cells and rng.random() < 0.5 else i
            lines[where] = ("\t" if lines[where].startswith("\t") else "") + rng.choice(HOSTILE) + lines[where].lstrip("\t")
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


_TABLE = [["Item", "Total", "Basic", "Project"], ["A", "1,149.80", "1,013.50", "136.30"],
          ["B", "(729.79)", "12.00", "-"], ["Sum", "420.01", "1,025.50", "136.30"]]


def _table_ops(rows) -> list[str]:
    ops = ["0.5 w"]
    x0, y0, cw, rh = 50, 700, 110, 24
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            x, y = x0 + j * cw, y0 - i * rh
            ops.append(f"{x} {y} {cw} {rh} re S")
            ops.append(f"BT /F1 10 Tf {x + 4} {y + 8} Td ({text}) Tj ET")
    ops.append("BT /F1 14 Tf 50 760 Td (Budget table 1) Tj ET")
    return ops


def tiny_pdf(rows: list[list[str]] | None = None, extra_ops: tuple[str, ...] = (), pictures: tuple = ()) -> bytes:
    """A PDF whose first page is a ruled table of Latin text and numbers (uncompressed, so that byte mutations
    reach its numbers and drawing operators); ``extra_ops`` are drawn after it. ``pictures``: one more page for
    each share of the page (0–1) that a picture covers, with no text — a scanned page inside a text PDF."""
    contents = ["\n".join(_table_ops(rows or _TABLE) + list(extra_ops)).encode("latin-1")]
    for share in pictures:
        w, h = 612 * share ** 0.5, 792 * share ** 0.5
        contents.append(f"q {w:.1f} 0 0 {h:.1f} 0 0 cm /Im1 Do Q".encode("latin-1"))
    n = len(contents)
    font, image = 3 + 2 * n, 4 + 2 * n
    kids = " ".join(f"{3 + 2 * k} 0 R" for k in range(n)).encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n]
    for k, stream in enumerate(contents):
        xobject = b" /XObject << /Im1 %d 0 R >>" % image if pictures else b""  # without pictures: as it always was
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 %d 0 R >>%s >> >>" % (4 + 2 * k, font, xobject))
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pixels = bytes((x * 37 + y * 11) % 256 for y in range(16) for x in range(16))
    objs.append(b"<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream")
    if not pictures:
        objs.pop()
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
