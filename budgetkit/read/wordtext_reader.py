"""The text a Word export gives → prose paragraphs and raw tables.

Format: one table cell per tab-prefixed line, table rows separated by blank
lines, prose on lines without a tab.  A line without a tab directly after a
cell (no blank line between) continues that cell: Word writes a cell's
second paragraph that way.  Pages are unknown (``None``).
"""
from __future__ import annotations

from pathlib import Path

from budgetkit.errors import BadInputError, shown
from budgetkit.read.blocks import ProseLine, RawTable

ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")


def _gb2312_share(text: str) -> float:
    """Share of the CJK characters that lie in GB2312 (both bytes ≥ 0xA1).

    Simplified-Chinese text in GBK/GB18030 is almost all GB2312; Big5 bytes
    decoded as GB18030 land ~40 % in the rare GBK extension areas."""
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if len(cjk) < 20:  # too few to judge
        return 1.0
    inside = 0
    for c in cjk:
        b = c.encode("gb18030")
        inside += len(b) == 2 and b[0] >= 0xA1 and b[1] >= 0xA1
    return inside / len(cjk)


def decode_text(path: Path, data: bytes, with_warnings: bool = False):
    """Decode UTF-8, GBK/GB18030, UTF-16 or UTF-32 text; refuse binary data and doubtful decodings.

    Returns the text, or ``(text, warnings)`` with ``with_warnings``.
    """
    warnings: list[str] = []
    text = None
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        try:
            text = data.decode("utf-32")
        except UnicodeDecodeError:
            raise BadInputError(path, "UTF-32文本已损坏", "the UTF-32 text is damaged") from None
    elif b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInputError(path, "不是PDF，也不是文本格式的公开文件", "not a PDF and not a text disclosure")
    else:
        for enc in ENCODINGS:
            if enc == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue  # without a byte-order mark any even-length bytes "decode" as UTF-16
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                if enc == "utf-8-sig":  # UTF-8 with a few damaged bytes: read, and say so
                    loose = data.decode(enc, errors="replace")
                    if loose.count("\ufffd") <= 0.005 * max(1, len(loose)):
                        text = loose
                        break
                continue
            if enc == "gb18030" and _gb2312_share(text[:20000]) < 0.8:
                try:
                    data.decode("big5")
                    big5 = True
                except UnicodeDecodeError:
                    big5 = False
                if big5:
                    raise BadInputError(path, "文本似为Big5（繁体）编码，请另存为UTF-8",
                                        "the text looks Big5 (traditional Chinese) encoded; save it as UTF-8")
                raise BadInputError(path, "文本编码无法确定，解码结果多为生僻字，请另存为UTF-8",
                                    "the text encoding is doubtful (decoding gives mostly rare characters); "
                                    "save it as UTF-8")
            break
    if text is None:
        raise BadInputError(path, "无法识别的文本编码（支持UTF-8、GBK/GB18030）",
                            "unrecognised text encoding (UTF-8 and GBK/GB18030 are supported)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    visible = sum(1 for c in text if not c.isspace())
    bad = text.count("\ufffd") + text.count("\x00")
    if visible and bad / visible > 0.2:
        raise BadInputError(path, "文本大部分是无法识别的字符", "the text is mostly unreadable characters")
    if bad:
        warnings.append(f"{shown(path.name)}: 文本含{bad}个无法识别的字符（�），相关内容可能缺失 / "
                        f"the text holds {bad} unreadable character(s) (�); the content around them may be incomplete")
    text = text.replace("\x00", "")
    return (text, warnings) if with_warnings else text


def read_wordtext(path: Path, text: str) -> list:
    name = shown(path.name)
    blocks: list = []
    table_rows: list[list[str]] = []
    row: list[str] | None = None
    prev_was_cell = False

    def close_row():
        nonlocal row
        if row is not None:
            table_rows.append(row)
            row = None

    def close_table():
        nonlocal table_rows
        close_row()
        if table_rows:
            blocks.append(RawTable(rows=table_rows, row_pages=[None] * len(table_rows), file=name))
        table_rows = []

    for line in text.split("\n"):
        if line.startswith("\t"):
            if row is None:
                row = []
            row.append(line[1:])
            prev_was_cell = True
        elif not line.strip():
            close_row()
            prev_was_cell = False
        elif prev_was_cell and row:
            row[-1] = row[-1] + "\n" + line
        else:
            close_table()
            blocks.append(ProseLine(text=line.strip(), page=None, file=name))
            prev_was_cell = False
    close_table()
    return blocks
