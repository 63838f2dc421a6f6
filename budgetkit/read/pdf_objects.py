"""A page's characters, lines, rectangles, curves and images as pdfplumber describes them, built at less cost.

pdfplumber turns every pdfminer layout object into a dict by resolving each of its attributes recursively, one
function call per value; a page of tables has thousands of characters whose attributes are plain numbers and
strings that need no resolving.  These dicts hold the same keys in the same order with the same values as
``Page.parse_objects`` gives (pdfplumber's own code still builds the rare values that need resolving), so every
reader of ``page.chars`` or ``page.rects`` sees what it saw before.
"""
from __future__ import annotations

import re

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTTextContainer
from pdfplumber.page import ALL_ATTRS, fix_fontname_bytes, normalize_unicode
from pdfplumber.utils import resolve_all, resolve_and_decode

_PLAIN = frozenset({str, int, float, bool, type(None)})
_KINDS: dict = {}
_DECODED: dict = {}
_WANTED: dict = {}


def _kind(cls) -> str:
    kind = _KINDS.get(cls)
    if kind is None:
        kind = _KINDS[cls] = re.sub(r"^LT", "", cls.__name__).lower()
    return kind


def _decoded(name):
    """pdfplumber's decoding of a colour space name (a pure function of a plain name)."""
    if type(name) is not str:
        return resolve_and_decode(name)
    out = _DECODED.get(name)
    if out is None:
        out = _DECODED[name] = resolve_and_decode(name)
    return out


def _value(v):
    """``resolve_all(v)``, taken as it is when it is a plain value, or a tuple or list of plain values or of tuples
    of them (a matrix, a colour, a path's points): nothing in those needs resolving."""
    t = type(v)
    if t in _PLAIN:
        return v
    if t is tuple or t is list:
        for x in v:
            if type(x) in _PLAIN:
                continue
            if type(x) is not tuple:
                return resolve_all(v)
            for y in x:
                if type(y) not in _PLAIN:
                    return resolve_all(v)
        return v if t is tuple else list(v)
    return resolve_all(v)


def _object(page, obj, height: float, mb_x0, mb_top, norm) -> dict:
    """``pdfplumber.Page.process_object`` for one layout object, with plain values taken as they are."""
    d = obj.__dict__
    names = tuple(d)
    wanted = _WANTED.get(names)
    if wanted is None:  # the attributes pdfplumber keeps, in the object's own order (one list per layout)
        wanted = _WANTED[names] = [k for k in names if k in ALL_ATTRS]
    attr = {k: v if type(v) in _PLAIN else _value(v) for k, v in zip(wanted, map(d.__getitem__, wanted))}
    attr["object_type"] = _kind(type(obj))
    attr["page_number"] = page.page_number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            attr[cs] = _decoded(getattr(obj, cs).name)
    if isinstance(obj, (LTChar, LTTextContainer)):
        text = obj.get_text()
        attr["text"] = normalize_unicode(norm, text) if norm is not None else text
    if isinstance(obj, LTChar):
        gs = obj.graphicstate
        attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
        if isinstance(attr["fontname"], bytes):
            attr["fontname"] = fix_fontname_bytes(attr["fontname"])
    elif isinstance(obj, LTCurve):
        attr["pts"] = list(map(page.point2coord, attr["pts"]))
        attr["path"] = [(cmd, *map(page.point2coord, pts)) for cmd, *pts in obj.original_path]
        attr["dash"] = obj.dashing_style
    if "y0" in attr:
        attr["top"] = (height - attr["y1"]) + mb_top
        attr["bottom"] = (height - attr["y0"]) + mb_top
        attr["doctop"] = page.initial_doctop + attr["top"]
    if "x0" in attr and mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr


def objects(page) -> dict:
    """``page.objects`` (by kind, in layout order) set on the page from its layout, as ``parse_objects`` builds
    it; a page whose objects are already parsed keeps them."""
    if hasattr(page, "_objects"):
        return page._objects
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    norm = page.pdf.unicode_norm
    with_containers = page.pdf.laparams is not None
    out: dict = {}

    def walk(items) -> None:
        for obj in items:
            if isinstance(obj, LTContainer):
                if with_containers:
                    add(_object(page, obj, height, mb_x0, mb_top, norm))
                walk(obj._objs)
            else:
                add(_object(page, obj, height, mb_x0, mb_top, norm))

    def add(attr: dict) -> None:
        kind = attr["object_type"]
        if kind != "anno":
            out.setdefault(kind, []).append(attr)

    walk(page.layout._objs)
    page._objects = out
    return out


def table_rows(table, shift: float = 0.0) -> list[list[str | None]]:
    """``pdfplumber.Table.extract()``: each row's characters, then each cell's, by the middle of each character;
    the middles are computed once for the page instead of once for every row, and each row looks only at the
    characters of the row (the same characters, in the same order, as pdfplumber gives each cell).  ``shift``:
    points the text is printed below its ruling (``pdf_offset.row_shift``), taken off each middle."""
    from pdfplumber.utils import extract_text

    mids = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2 - shift, c) for c in table.page.chars]
    out = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        in_row = [m for m in mids if m[0] >= x0 and m[0] < x1 and m[1] >= top and m[1] < bottom]
        cells = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            x0, top, x1, bottom = cell
            chars = [c for h, v, c in in_row if h >= x0 and h < x1 and v >= top and v < bottom]
            cells.append(extract_text(chars) if chars else "")
        out.append(cells)
    return out
