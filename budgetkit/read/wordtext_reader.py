"""The text a Word export gives → prose paragraphs and raw tables.

Format: one table cell per tab-prefixed line, table rows separated by blank
lines, prose on lines without a tab.  A line without a tab directly after a
cell (no blank line between) continues that cell: Word writes a cell's
second paragraph that way.  Pages are unknown (``None``).
"""
from __future__ import annotations

from pathlib import Path

from budgetkit.errors import BadInputError
from budgetkit.read.blocks import ProseLine, RawTable

ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")


def decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8, GBK/GB18030 or UTF-16 text; refuse binary data."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInputError(path, "不是PDF，也不是文本格式的公开文件", "not a PDF and not a text disclosure")
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise BadInputError(path, "无法识别的文本编码（支持UTF-8、GBK/GB18030）",
                        "unrecognised text encoding (UTF-8 and GBK/GB18030 are supported)")


def read_wordtext(path: Path, text: str) -> list:
    name = path.name
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
