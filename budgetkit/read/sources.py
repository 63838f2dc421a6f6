"""Open one input file: check it, fingerprint it, hand it to the right reader."""
from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import warnings as warnings_module
import stat
from dataclasses import dataclass, field
from pathlib import Path

from budgetkit.errors import BadInputError, shown


@dataclass
class SourceDocument:
    path: Path
    sha256: str
    format: str  # "pdf" | "wordtext"
    n_pages: int | None
    blocks: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # one bilingual line each
    picture_pages: list = field(default_factory=list)  # pages that are pictures (no text layer): not read

    @property
    def name(self) -> str:
        return shown(self.path.name)


#: the largest input read (bytes); real disclosures are a few MB, the largest PDFs tens of MB
MAX_BYTES = 200 * 1024 * 1024


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file of bounded size; FIFOs, devices and sockets are refused up front."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise BadInputError(path, "文件不存在", "file not found") from None
    except OSError as exc:
        raise BadInputError(path, "无法读取文件", f"cannot read the file ({exc.strerror or type(exc).__name__})") from None
    if stat.S_ISDIR(st.st_mode):
        raise BadInputError(path, "这是一个文件夹，不是文件", "this is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise BadInputError(path, "不是普通文件（设备、管道或套接字）", "not a regular file (a device, pipe or socket)")
    if st.st_size > MAX_BYTES:
        raise BadInputError(path, f"文件过大（超过{MAX_BYTES // 2**20} MB）",
                            f"the file is too large (over {MAX_BYTES // 2**20} MB)")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise BadInputError(path, "无法读取文件", f"cannot read the file ({exc.strerror or type(exc).__name__})") from None
    if len(data) > MAX_BYTES:  # grew while being read
        raise BadInputError(path, f"文件过大（超过{MAX_BYTES // 2**20} MB）",
                            f"the file is too large (over {MAX_BYTES // 2**20} MB)")
    return data


def _lookalikes() -> dict[int, str]:
    """Code points that print as an ordinary character but are another one: Kangxi radicals (⼀ for 一, ⽀ for 支)
    and CJK compatibility ideographs, which the text layers of common office suites and browsers emit. Each maps
    to the character it is compatible with (Unicode NFKC), so titles, names and figures read as printed."""
    import unicodedata

    table = {}
    for cp in [*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)]:
        same = unicodedata.normalize("NFKC", chr(cp))
        if len(same) == 1 and same != chr(cp):
            table[cp] = same
    return table


_LOOKALIKES = _lookalikes()


def _unify_lookalikes(blocks: list) -> None:
    for b in blocks:
        if getattr(b, "text", None):
            b.text = b.text.translate(_LOOKALIKES)
        rows = getattr(b, "rows", None)
        if rows:
            b.rows = [[c.translate(_LOOKALIKES) if isinstance(c, str) else c for c in r] for r in rows]
        if getattr(b, "context", None):
            b.context = [c.translate(_LOOKALIKES) for c in b.context]


def open_source(path, progress=None) -> SourceDocument:
    """Read one file into neutral blocks, with look-alike code points unified (see ``_lookalikes``);
    ``progress(page, pages)`` before each page of a PDF."""
    src = _open_source(path, progress)
    _unify_lookalikes(src.blocks)
    return src


def _open_source(path, progress=None) -> SourceDocument:
    path = Path(path)
    data = _read_regular(path)
    if not data.strip():
        raise BadInputError(path, "文件是空的", "the file is empty")
    digest = hashlib.sha256(data).hexdigest()
    head = data[:1024]
    if b"%PDF-" in head:
        from budgetkit.read.pdf_reader import read_pdf

        if b"%%EOF" not in data.rstrip()[-2048:]:
            raise BadInputError(path, "PDF不完整（被截断），缺少文件结尾", "the PDF is truncated: its end-of-file marker is missing")
        with _collected_library_warnings() as lib_warnings:
            notes: list[str] = []
            pictures: list[int] = []
            blocks, n_pages = read_pdf(path, data, notes, progress, pictures)
        warnings = notes + _summarise_library_warnings(path, lib_warnings)
        warnings += _glyph_check(path, blocks)
        return SourceDocument(path, digest, "pdf", n_pages, blocks, warnings, pictures)
    if path.suffix.lower() == ".pdf":
        raise BadInputError(path, "扩展名是.pdf，但内容不是PDF", "named .pdf but the content is not a PDF")
    if data.startswith(b"PK\x03\x04"):
        from budgetkit.read.office_reader import read_docx, read_xlsx

        _check_zip(path, data)

        notes: list[str] = []
        if path.suffix.lower() == ".docx" or b"word/" in data[:4096]:
            blocks = read_docx(path, notes)
            return SourceDocument(path, digest, "docx", None, blocks, notes)
        if path.suffix.lower() in (".xlsx", ".xlsm") or b"xl/" in data[:4096]:
            blocks = read_xlsx(path, notes)
            return SourceDocument(path, digest, "xlsx", None, blocks, notes)
        raise BadInputError(path, "无法识别的压缩格式（支持.docx、.xlsx）", "unrecognised zip-based file (.docx and .xlsx are read)")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadInputError(
            path, "旧版.doc/.xls文件请先另存为.docx/.xlsx或PDF", "old .doc/.xls files: save as .docx/.xlsx or PDF first")
    from budgetkit.read.wordtext_reader import decode_text, read_wordtext

    text, warnings = decode_text(path, data, with_warnings=True)
    blocks = read_wordtext(path, text)
    if not any(getattr(b, "rows", None) for b in blocks):
        if not any(b.text for b in blocks):
            raise BadInputError(path, "文件中没有可读内容", "no readable content in the file")
    return SourceDocument(path, digest, "wordtext", None, blocks, warnings)


#: the most a .docx/.xlsx may unpack to (a zip bomb is refused before it is opened)
MAX_UNZIPPED = 1024 * 1024 * 1024
#: the most one XML part (a sheet, the document body) may unpack to, and all XML parts together: the seed's
#: largest part is 0.56 MB, a workbook sheet at the 2-million-cell bound about 60 MB; the reader holds each part
#: whole in memory, many times its size
MAX_XML_PART = 64 * 1024 * 1024
MAX_XML_TOTAL = 128 * 1024 * 1024
#: an XML part of over 1 MB that unpacks to more than this many times its packed size is a bomb (the seed's
#: parts: 27 at most)
MAX_XML_RATIO = 200


def _check_zip(path: Path, data: bytes) -> None:
    """Refuse, from the zip directory and before anything is unpacked, a .docx/.xlsx that unpacks past the bounds
    (the sizes the directory declares are the most zipfile unpacks: a part that says less fails its check)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise BadInputError(path, "压缩格式文件已损坏（.docx/.xlsx）", "the .docx/.xlsx (zip) file is corrupt") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise BadInputError(path, f"解压后超过{MAX_UNZIPPED // 2**30} GB，疑为压缩炸弹",
                            f"it unpacks to over {MAX_UNZIPPED // 2**30} GB (a zip bomb?)")
    xml = [i for i in infos if i.filename.lower().endswith((".xml", ".rels"))]
    mb = 2 ** 20
    for i in xml:
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > MAX_XML_PART or (i.file_size > mb and ratio > MAX_XML_RATIO):
            raise BadInputError(
                path, f"内部文件{i.filename}解压后为{i.file_size / mb:.0f} MB（压缩比{ratio:.0f}:1），超出可读取的上限，"
                      "疑为压缩炸弹",
                f"its part {i.filename} unpacks to {i.file_size / mb:.0f} MB (ratio {ratio:.0f}:1), past what is "
                f"read (a zip bomb?)")
    xml_total = sum(i.file_size for i in xml)
    if xml_total > MAX_XML_TOTAL:
        raise BadInputError(path, f"内部XML文件解压后共{xml_total / mb:.0f} MB，超出可读取的上限（{MAX_XML_TOTAL // mb} MB）",
                            f"its XML parts unpack to {xml_total / mb:.0f} MB, past what is read "
                            f"({MAX_XML_TOTAL // mb} MB)")


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a malformed log call must not break reading
            self.messages.append(str(record.msg))


@contextlib.contextmanager
def _collected_library_warnings():
    """pdfminer/pdfplumber warnings are gathered, not printed raw on the terminal."""
    handler = _Collector()
    loggers = [logging.getLogger(n) for n in ("pdfminer", "pdfplumber")]
    saved = [(lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False
    try:
        with warnings_module.catch_warnings(record=True) as caught:
            warnings_module.simplefilter("always")
            yield handler.messages
        handler.messages.extend(str(w.message) for w in caught)
    finally:
        for lg, (prop, _level) in zip(loggers, saved):
            lg.removeHandler(handler)
            lg.propagate = prop


def _summarise_library_warnings(path: Path, messages: list[str]) -> list[str]:
    """One line for all of the PDF library's complaints (they are many and alike)."""
    if not messages:
        return []
    first = " ".join(messages[0].split())[:120]
    return [f"{shown(path.name)}: PDF结构有{len(messages)}处异常，已尽量读取（首条：{first}） / "
            f"the PDF has {len(messages)} structural problem(s), read as far as possible (first: {first})"]


_CID = re.compile(r"\(cid:\d+\)")


def _glyph_check(path: Path, blocks: list) -> list[str]:
    """Text drawn with fonts that have no character map comes out as ``(cid:NN)``:
    mostly so → refused; partly so → one warning (those cells go to the residue)."""
    texts = [b.text for b in blocks if getattr(b, "text", None)]
    texts += [c for b in blocks for r in (getattr(b, "rows", None) or []) for c in r if c]
    total = sum(len(t) for t in texts)
    n = sum(len(_CID.findall(t)) for t in texts)
    if not n:
        return []
    glyph_chars = sum(len(m) for t in texts for m in _CID.findall(t))
    if total and glyph_chars / total > 0.5:
        raise BadInputError(path, "PDF的字体缺少字符映射，文字无法提取（需要OCR）",
                            "the PDF's fonts have no character map, so its text cannot be extracted (it needs OCR)")
    return [f"{shown(path.name)}: {n}个字形无法转为文字（cid），相关内容可能缺失 / "
            f"{n} glyph(s) could not be turned into text (cid); the text around them may be incomplete"]
