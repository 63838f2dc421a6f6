"""PDF with a text layer → ordered prose lines and raw tables (pdfplumber).

One page parse serves both text and tables; table finding runs only on pages
that draw ruling lines or rectangles; each page is closed when done.
"""
from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pdfplumber

from budgetkit.errors import BadInputError, shown
from budgetkit.read.blocks import ProseLine, RawTable
from budgetkit.read.pdf_content import layout
from budgetkit.read.pdf_objects import objects, table_rows
from budgetkit.read.pdf_lines import rejoin_numbers
from budgetkit.read.pdf_overprint import without_overprint
from budgetkit.read.pdf_offset import row_shift


def _owner_map(table) -> tuple[list[list[tuple[int, int]]], list[float]]:
    """For each grid position, the top-left position of the cell covering it;
    and the x edges of the grid's columns."""
    cells = table.cells
    xs = sorted({round(c[0], 1) for c in cells})
    ys = sorted({round(c[1], 1) for c in cells})
    n_rows, n_cols = len(ys), len(xs)
    owners = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    for x0, top, x1, bottom in cells:
        i0 = ys.index(round(top, 1))
        j0 = xs.index(round(x0, 1))
        for i in range(i0, n_rows):
            if ys[i] >= bottom - 0.5:
                break
            for j in range(j0, n_cols):
                if xs[j] >= x1 - 0.5:
                    break
                owners[i][j] = (i0, j0)
    return owners, xs + [round(table.bbox[2], 1)]


def _foot_room(page, table, edges: list[float], shift: float = 0.0) -> dict[int, float]:
    """For each cell at the foot of the table (by its first column), the room left at the end of its last line
    in ems of that line's type: up to the cell's edge less its margin (taken from the left, where the text
    starts), or up to where the longest line above it stops if that is nearer (by less than 1.5 em).  A line the
    cell's width broke leaves less room than the next word needs."""
    x_edges = [round(x, 1) for x in edges]
    bottom = table.bbox[3]
    out: dict[int, float] = {}
    inked = None  # the page's printed characters with their middles, found once for all the foot's cells
    for x0, top, x1, bot in table.cells:
        if abs(bot - bottom) > 1.0:
            continue
        if inked is None:
            inked = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2 - shift, c) for c in page.chars
                     if c["text"].strip()]
        chars = [c for h, v, c in inked if x0 <= h <= x1 and top <= v <= bot]
        if not chars:
            continue
        last_top = max(c["top"] for c in chars)
        line = [c for c in chars if abs(c["top"] - last_top) <= 2]
        margin = min(c["x0"] for c in chars) - x0
        size = max(c.get("size") or (c["bottom"] - c["top"]) for c in line) or 1.0
        # how far a line may run: the cell's edge less its margin, or where a line above stops that the cell's
        # width broke (within 1.5 em of that; a word processor may keep more room on the right than on the left)
        limit = x1 - margin
        above = [c["x1"] for c in chars if c["top"] < last_top - 2]
        if above and limit - max(above) < 1.5 * size:
            limit = min(limit, max(above))
        j = min(range(len(x_edges)), key=lambda k: abs(x_edges[k] - x0))
        out[j] = max(limit - max(c["x1"] for c in line), 0.0) / size
    return out


def _is_white(colour) -> bool:
    """A fill colour that paints white (gray 1, RGB 1,1,1, CMYK 0,0,0,0)."""
    if colour is None:
        return False
    c = colour if isinstance(colour, (list, tuple)) else (colour,)
    try:
        c = [float(x) for x in c]
    except (TypeError, ValueError):
        return False
    if len(c) == 4:
        return all(x <= 0.02 for x in c)
    return bool(c) and all(x >= 0.98 for x in c)


def _is_ruling(obj) -> bool:
    """Lines and rectangles that can draw a table's grid.

    Word processors paint white, unstroked rectangles behind words (text
    backgrounds, highlights); they are not ruling lines, and treating them as
    such turns a paragraph into dozens of one-row "tables"."""
    if obj.get("object_type") != "rect":
        return True
    if obj.get("stroke"):
        return True
    thin = min(obj.get("width", 0), obj.get("height", 0)) <= 2.5
    return thin or (obj.get("fill") and not _is_white(obj.get("non_stroking_color")))


def _ruling(page):
    """The page with only its grid-drawing objects kept, or None when it draws none."""
    if not (page.rects or page.lines or page.curves):
        return None
    if all(_is_ruling(r) for r in page.rects):
        return page
    if not page.lines and not page.curves and not any(_is_ruling(r) for r in page.rects):
        return None
    return page.filter(lambda o: o.get("object_type") != "rect" or _is_ruling(o))


def _is_grid(rows) -> bool:
    """Two rows and two columns with text, or one row across three or more columns (a
    continuation page may hold a single tall row); anything less is not a table."""
    if not rows:
        return False
    filled_cols = {j for r in rows for j, c in enumerate(r) if c and c.strip()}
    filled_rows = sum(1 for r in rows if any(c and c.strip() for c in r))
    if len(filled_cols) >= 2:
        return True  # a key/value row (项目名称 | X) at a page's foot is the start of a table
    # one filled cell: a grid of three or more ruled columns (a page of one tall row, its text in one cell)
    return filled_rows == 1 and max(len(r) for r in rows) >= 3


def _inside(line: dict, bbox) -> bool:
    x0, top, x1, bottom = bbox
    cy = (line["top"] + line["bottom"]) / 2
    cx = (line["x0"] + line["x1"]) / 2
    return top - 1 <= cy <= bottom + 1 and x0 - 1 <= cx <= x1 + 1


def _on_page(page):
    """The page without the characters placed outside its box: a reader never sees them, and some
    producers put the previous page's text above the top edge or a tall cell's overflow below the foot
    (read, they would state the same sentence twice or join text no page prints)."""
    x0, top, x1, bottom = page.bbox

    def seen(c) -> bool:
        return top - 1 <= (c["top"] + c["bottom"]) / 2 <= bottom + 1 and x0 - 1 <= (c["x0"] + c["x1"]) / 2 <= x1 + 1

    if all(seen(c) for c in page.chars):
        return page
    return page.filter(lambda o: o.get("object_type") != "char" or seen(o))


def _scanned(page) -> bool:
    """A page that is a picture: an image over half the page and next to no text (a page number at most)."""
    if not page.images:
        return False
    area = max(float(page.width) * float(page.height), 1.0)
    covered = max((float(i["x1"]) - float(i["x0"])) * (float(i["bottom"]) - float(i["top"])) for i in page.images)
    return covered >= area / 2 and sum(1 for c in page.chars if c["text"].strip()) < 30


# ---- per-page bounds: ten times the largest page of data/corpus (bj-city tables p.5: 62 KB of text objects;
# sx-xian p.41: 5,896 path operators and 1,178 lines and rectangles; fj-fuzhou p.2: 2,444 characters), so that a
# small file of drawing or text operators is refused with its reason instead of taking minutes and gigabytes
MAX_PAGE_TEXT_BYTES = 640_000     # bytes of text objects (BT … ET) a page's content draws, forms counted each time
MAX_PAGE_PATH_OPS = 60_000        # path-building operators (m l c v y re h) outside text objects
MAX_PAGE_CHARS = 25_000
MAX_PAGE_RULING = 12_000          # lines, rectangles and curves
MAX_PAGE_EDGE_PAIRS = 20_000      # vertical × horizontal grid edges the table finder crosses (seed p.10: 1,530)

_TEXT_OBJECT = re.compile(rb"(?<![A-Za-z0-9])BT(?![A-Za-z0-9]).*?(?<![A-Za-z0-9])ET(?![A-Za-z0-9])", re.S)
_INLINE_IMAGE = re.compile(rb"(?<![A-Za-z0-9])BI(?![A-Za-z0-9]).*?(?<![A-Za-z0-9])ID\s.*?(?<![A-Za-z0-9])EI(?![A-Za-z0-9])", re.S)
_PATH_OP = re.compile(rb"(?<![A-Za-z0-9_.\-/\\])(?:re|m|l|c|v|y|h)(?![A-Za-z0-9_*'\"])")
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![A-Za-z0-9])")


def _content_load(page) -> tuple[int, int]:
    """(bytes of text objects, path-building operators) a page's content streams draw, read from the streams
    before any parse: a form XObject counts once for each time the page draws it (three levels deep)."""
    from pdfminer.pdftypes import resolve1

    def streams_of(obj) -> bytes:
        out = b""
        for s in (obj if isinstance(obj, list) else [obj]):
            try:
                out += resolve1(s).get_data() + b"\n"
            except Exception:  # noqa: BLE001 - an unreadable stream is the parser's to report
                continue
        return out

    def load(data: bytes, resources, depth: int, seen: dict) -> tuple[int, int]:
        data = _INLINE_IMAGE.sub(b" ", data)
        text = sum(len(m.group(0)) for m in _TEXT_OBJECT.finditer(data))
        paths = len(_PATH_OP.findall(_TEXT_OBJECT.sub(b" ", data)))
        if depth >= 3 or b"Do" not in data:
            return text, paths
        try:
            xobjects = resolve1(resolve1(resources or {}).get("XObject")) or {}
        except Exception:  # noqa: BLE001
            xobjects = {}
        for m in _DO.finditer(data):
            key = m.group(1).decode("latin-1")
            if key not in seen:
                seen[key] = (0, 0)
                try:
                    xo = resolve1(xobjects.get(key))
                    attrs = getattr(xo, "attrs", {})
                    subtype = attrs.get("Subtype")
                    if getattr(subtype, "name", subtype) in ("Form", b"Form"):
                        seen[key] = load(xo.get_data(), attrs.get("Resources") or resources, depth + 1, {})
                except Exception:  # noqa: BLE001
                    pass
            text += seen[key][0]
            paths += seen[key][1]
            if text > MAX_PAGE_TEXT_BYTES or paths > MAX_PAGE_PATH_OPS:
                break
        return text, paths

    po = page.page_obj
    try:
        data = streams_of(po.contents or [])
    except Exception:  # noqa: BLE001
        return 0, 0
    return load(data, po.resources, 0, {})


def _page_too_large(path: Path, page) -> BadInputError | None:
    """The bound a page's content streams break, as a bad-input reason, measured before the page is parsed;
    None when they keep within them."""
    pno = page.page_number
    text, paths = _content_load(page)
    if text > MAX_PAGE_TEXT_BYTES or paths > MAX_PAGE_PATH_OPS:
        what_zh, what_en = ((f"{text // 1000} KB文字对象", f"{text // 1000} KB of text objects")
                            if text > MAX_PAGE_TEXT_BYTES else
                            (f"{paths}个绘图操作", f"{paths} path-drawing operators"))
        return BadInputError(path, f"第{pno}页含{what_zh}，远超任何预算公开文件的一页，不予读取",
                             f"page {pno} holds {what_en}, far beyond any disclosure page: not read")
    return None


def _objects_too_many(path: Path, page) -> BadInputError | None:
    """The bound a parsed page's characters or ruling break, checked before anything else reads them."""
    pno = page.page_number
    n_chars = len(page.chars)
    if n_chars > MAX_PAGE_CHARS:
        return BadInputError(path, f"第{pno}页有{n_chars}个字符，远超任何预算公开文件的一页，不予读取",
                             f"page {pno} has {n_chars} characters, far beyond any disclosure page: not read")
    n_ruling = len(page.lines) + len(page.rects) + len(page.curves)
    if n_ruling > MAX_PAGE_RULING:
        return BadInputError(path, f"第{pno}页有{n_ruling}条线和框，远超任何预算公开文件的一页，不予读取",
                             f"page {pno} draws {n_ruling} lines and boxes, far beyond any disclosure page: not read")
    return None


def _find_tables(path: Path, ruled) -> list:
    """pdfplumber's table finder, with the grid edges bounded before it crosses every vertical edge with every
    horizontal one."""
    try:
        from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections

        from budgetkit.read.pdf_grid import intersections_to_cells  # pdfplumber's, crossings grouped once
    except ImportError:  # pragma: no cover - another pdfplumber: its own finder, the object bounds still hold
        return ruled.find_tables()
    finder = TableFinder.__new__(TableFinder)
    finder.page, finder.settings = ruled, TableSettings.resolve(None)
    finder.edges = finder.get_edges()
    v = sum(e["orientation"] == "v" for e in finder.edges)
    h = len(finder.edges) - v
    if v * h > MAX_PAGE_EDGE_PAIRS:
        pno = ruled.page_number
        raise BadInputError(path, f"第{pno}页有{v}条竖线、{h}条横线，表格网格远超任何预算公开文件，不予读取",
                            f"page {pno} draws {v} vertical and {h} horizontal grid lines, far beyond any disclosure "
                            "table: not read")
    s = finder.settings
    finder.intersections = edges_to_intersections(finder.edges, s.intersection_x_tolerance,
                                                  s.intersection_y_tolerance)
    finder.cells = intersections_to_cells(finder.intersections)
    finder.tables = [Table(ruled, group) for group in cells_to_tables(finder.cells)]
    return finder.tables


def read_pdf(path: Path, data: bytes | None = None, notes: list | None = None, progress=None,
             pictures: list | None = None) -> tuple[list, int]:
    """Return (blocks, page_count). Raises BadInputError for unusable PDFs.

    ``data``: the file's bytes when the caller has them already (no second read). ``notes`` receives a
    bilingual line for what was not read: pages that are pictures inside a PDF with a text layer.
    ``progress(page, pages)`` is called before each page (a long PDF takes minutes; the app shows it and
    cancels by raising from it).  ``pictures`` receives the numbers of those picture pages.
    """
    scanned: list[int] = []
    blocks: list = []
    name = shown(path.name)
    try:
        pdf = pdfplumber.open(io.BytesIO(data) if data is not None else path)
    except Exception as exc:  # pdfminer raises many types for broken files
        raise _classify_open_error(path, exc, data) from None
    with _closing_quietly(pdf):  # a close() error must never replace the real one
        try:
            pages = pdf.pages
        except Exception as exc:
            raise _classify_open_error(path, exc, data) from None
        n_chars = 0
        n_images = 0
        for whole in pages:
            pno = whole.page_number
            if progress is not None:
                progress(pno, len(pages))
            try:
                too_large = _page_too_large(path, whole)
                if too_large is not None:
                    raise too_large
                layout(whole)  # pdfminer's reading of the page, its content tokenized faster
                objects(whole)  # pdfplumber's characters and ruling, plain values taken as they are
                too_large = _objects_too_many(path, whole)
                if too_large is not None:
                    raise too_large
                n_chars += len(whole.chars)
                n_images += len(whole.images)
                if _scanned(whole):
                    scanned.append(pno)
                page = without_overprint(_on_page(whole))  # a character drawn twice in place is one
                ruled = _ruling(page)
                tables = _find_tables(path, ruled) if ruled is not None else []
                raw_tables = []
                for t in tables:
                    shift = row_shift(t)  # text printed off the grid's rows is read in the rows it was meant for
                    rows = table_rows(t, shift)  # t.extract(), each character's middle computed once
                    if not _is_grid(rows):
                        continue  # a lone box (a highlighted word, a frame): its text stays prose
                    owners, edges = _owner_map(t)
                    raw_tables.append((t.bbox, rows, (owners, edges, _foot_room(page, t, edges, shift))))
                # text lines only from characters outside the tables: less work
                # than a full-page extract_text, and no table text in the prose
                outside = page
                if raw_tables:
                    boxes = [bb for bb, _, _ in raw_tables]
                    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not any(
                        _inside(obj, bb) for bb in boxes))
                lines = rejoin_numbers(outside.extract_text_lines(keep_blank_chars=False, return_chars=False))
            except BadInputError:
                raise
            except Exception as exc:
                raise BadInputError(
                    path,
                    f"第{pno}页无法解析（文件可能损坏或被截断）",
                    f"page {pno} cannot be parsed (the file may be corrupt or truncated): {type(exc).__name__}",
                ) from None
            finally:
                _quietly(whole.close)
            raw_tables.sort(key=lambda t: t[0][1])
            # interleave prose lines and tables by vertical position
            items = []
            for ln in lines:
                items.append((ln["top"], 0, ln))
            for bb, rows, owners in raw_tables:
                items.append((bb[1], 1, (bb, rows, owners)))
            items.sort(key=lambda it: (it[0], it[1]))
            for _, kind, obj in items:
                if kind == 0:
                    text = obj["text"].strip()
                    if text:
                        blocks.append(ProseLine(text=text, page=pno, file=name, x1=obj["x1"],
                                                height=obj["bottom"] - obj["top"]))
                else:
                    bb, rows, (owners, edges, room) = obj
                    blocks.append(
                        RawTable(
                            rows=rows,
                            row_pages=[pno] * len(rows),
                            file=name,
                            owners=owners,
                            bbox=bb,
                            col_edges=edges,
                            foot_room=room,
                        )
                    )
        n_pages = len(pages)
    if n_chars == 0:
        if n_images:
            raise BadInputError(
                path, "PDF没有文字层（扫描件），需要先做OCR文字识别",
                "the PDF has no text layer (a scan); it needs OCR first")
        raise BadInputError(path, "PDF中没有任何文字", "the PDF contains no text at all")
    if pictures is not None:
        pictures.extend(scanned)
    if scanned and notes is not None:
        pages = "、".join(map(str, scanned))
        notes.append(f"{shown(path.name)}: 第{pages}页是图片（扫描件），没有文字层，其内容未读取、未核对 / "
                     f"page(s) {', '.join(map(str, scanned))} are pictures (scans) with no text layer: "
                     "their content was not read or checked")
    return blocks, n_pages


def _quietly(fn) -> None:
    """Call a cleanup function; its own error (a damaged page tree) is not the story."""
    try:
        fn()
    except Exception:
        pass


@contextlib.contextmanager
def _closing_quietly(pdf):
    try:
        yield pdf
    finally:
        _quietly(pdf.close)


def _classify_open_error(path: Path, exc: Exception, data: bytes | None = None) -> BadInputError:
    name = type(exc).__name__
    chain = [exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ())]
    text = " ".join(f"{type(e).__name__}: {e}" for e in chain if e is not None).lower()
    try:
        encrypted = b"/Encrypt" in (data if data is not None else path.read_bytes())
    except OSError:
        encrypted = False
    if "password" in text or "encrypt" in text or encrypted:
        return BadInputError(path, "PDF已加密，需要密码才能读取", "the PDF is encrypted and needs a password")
    return BadInputError(
        path, "PDF已损坏或被截断，无法打开",
        f"the PDF is corrupt or truncated and cannot be opened ({name})")
