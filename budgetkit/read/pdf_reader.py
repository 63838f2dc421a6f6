"""PDF with a text layer → ordered prose lines and raw tables (pdfplumber).

One page parse serves both text and tables; table finding runs only on pages
that draw ruling lines or rectangles; each page is closed when done.
"""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pdfplumber

from budgetkit.errors import BadInputError, shown
from budgetkit.read.blocks import ProseLine, RawTable


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


def _foot_room(page, table, edges: list[float]) -> dict[int, float]:
    """For each cell at the foot of the table (by its first column), the room left at the end of its last line
    in ems of that line's type: up to the cell's edge less its margin (taken from the left, where the text
    starts), or up to where the longest line above it stops if that is nearer (by less than 1.5 em).  A line the
    cell's width broke leaves less room than the next word needs."""
    x_edges = [round(x, 1) for x in edges]
    bottom = table.bbox[3]
    out: dict[int, float] = {}
    for x0, top, x1, bot in table.cells:
        if abs(bot - bottom) > 1.0:
            continue
        chars = [c for c in page.chars if c["text"].strip() and x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                 and top <= (c["top"] + c["bottom"]) / 2 <= bot]
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


def read_pdf(path: Path, data: bytes | None = None, notes: list | None = None) -> tuple[list, int]:
    """Return (blocks, page_count). Raises BadInputError for unusable PDFs.

    ``data``: the file's bytes when the caller has them already (no second read). ``notes`` receives a
    bilingual line for what was not read: pages that are pictures inside a PDF with a text layer.
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
            try:
                n_chars += len(whole.chars)
                n_images += len(whole.images)
                if _scanned(whole):
                    scanned.append(pno)
                page = _on_page(whole)
                ruled = _ruling(page)
                tables = ruled.find_tables() if ruled is not None else []
                raw_tables = []
                for t in tables:
                    rows = t.extract()
                    if not _is_grid(rows):
                        continue  # a lone box (a highlighted word, a frame): its text stays prose
                    owners, edges = _owner_map(t)
                    raw_tables.append((t.bbox, rows, (owners, edges, _foot_room(page, t, edges))))
                # text lines only from characters outside the tables: less work
                # than a full-page extract_text, and no table text in the prose
                outside = page
                if raw_tables:
                    boxes = [bb for bb, _, _ in raw_tables]
                    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not any(
                        _inside(obj, bb) for bb in boxes))
                lines = outside.extract_text_lines(keep_blank_chars=False, return_chars=False)
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
