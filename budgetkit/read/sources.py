"""Open one input file: check it, fingerprint it, hand it to the right reader."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from budgetkit.errors import BadInputError


@dataclass
class SourceDocument:
    path: Path
    sha256: str
    format: str  # "pdf" | "wordtext"
    n_pages: int | None
    blocks: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


def open_source(path) -> SourceDocument:
    path = Path(path)
    if not path.exists():
        raise BadInputError(path, "文件不存在", "file not found")
    if path.is_dir():
        raise BadInputError(path, "这是一个文件夹，不是文件", "this is a folder, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInputError(path, "无法读取文件", f"cannot read the file ({exc.strerror})") from None
    if not data.strip():
        raise BadInputError(path, "文件是空的", "the file is empty")
    digest = hashlib.sha256(data).hexdigest()
    head = data[:1024]
    if b"%PDF-" in head:
        from budgetkit.read.pdf_reader import read_pdf

        if b"%%EOF" not in data.rstrip()[-2048:]:
            raise BadInputError(path, "PDF不完整（被截断），缺少文件结尾", "the PDF is truncated: its end-of-file marker is missing")
        blocks, n_pages = read_pdf(path, data)
        return SourceDocument(path, digest, "pdf", n_pages, blocks)
    if path.suffix.lower() == ".pdf":
        raise BadInputError(path, "扩展名是.pdf，但内容不是PDF", "named .pdf but the content is not a PDF")
    if data.startswith(b"PK\x03\x04"):
        from budgetkit.read.office_reader import read_docx, read_xlsx

        if path.suffix.lower() == ".docx" or b"word/" in data[:4096]:
            return SourceDocument(path, digest, "docx", None, read_docx(path))
        if path.suffix.lower() in (".xlsx", ".xlsm") or b"xl/" in data[:4096]:
            return SourceDocument(path, digest, "xlsx", None, read_xlsx(path))
        raise BadInputError(path, "无法识别的压缩格式（支持.docx、.xlsx）", "unrecognised zip-based file (.docx and .xlsx are read)")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadInputError(
            path, "旧版.doc/.xls文件请先另存为.docx/.xlsx或PDF", "old .doc/.xls files: save as .docx/.xlsx or PDF first")
    from budgetkit.read.wordtext_reader import decode_text, read_wordtext

    text = decode_text(path, data)
    blocks = read_wordtext(path, text)
    if not any(getattr(b, "rows", None) for b in blocks):
        if not any(b.text for b in blocks):
            raise BadInputError(path, "文件中没有可读内容", "no readable content in the file")
    return SourceDocument(path, digest, "wordtext", None, blocks)
