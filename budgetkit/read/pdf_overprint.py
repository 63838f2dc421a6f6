"""Characters printed twice over themselves, read once.

Some producers make bold type by drawing each character a second time on top of the first (or a fraction of a
point beside it), and some draw a whole page's text twice (a fill pass and a stroke pass). A reader sees one
character; the text layer holds two, and read as they come "1,149.80" becomes "11,,114499..8800" and a title
"收支总表" becomes "收收支支总总表表": the amount goes to residue and the table is not recognised. A
character with the same text, font and size as another within a point of it, in both directions, is that
other character again: the later one is dropped. No character of a real line sits within a point of another
of the same text (a character is several points wide), so a page without overprint is returned as it is.
"""
from __future__ import annotations

TOLERANCE = 1.0  # points, in both directions


def _key(c: dict) -> tuple:
    return (c.get("text"), c.get("fontname"), round(float(c.get("size") or 0), 1), bool(c.get("upright", True)))


def overprinted(chars: list[dict]) -> set[int]:
    """The positions in ``chars`` of the characters that repeat an earlier one in place."""
    coarse = {(c.get("text"), int(c["x0"]), int(c["top"])) for c in chars}
    if len(coarse) == len(chars):  # the common case, quickly: no two characters share a point
        return set()
    seen: dict[tuple, list[tuple[float, float]]] = {}
    drop: set[int] = set()
    for i, c in enumerate(chars):
        text = c.get("text") or ""
        if not text.strip():
            continue
        x, y = float(c["x0"]), float(c["top"])
        bx, by = int(x // TOLERANCE), int(y // TOLERANCE)
        base = _key(c)
        if any(abs(px - x) <= TOLERANCE and abs(py - y) <= TOLERANCE
               for dx in (-1, 0, 1) for dy in (-1, 0, 1) for px, py in seen.get((*base, bx + dx, by + dy), ())):
            drop.add(i)
        else:
            seen.setdefault((*base, bx, by), []).append((x, y))
    return drop


def without_overprint(page):
    """The page with each overprinted character once (the page itself when nothing is printed twice)."""
    chars = page.chars
    drop = overprinted(chars)
    if not drop:
        return page
    ids = {id(chars[i]) for i in drop}
    return page.filter(lambda o: o.get("object_type") != "char" or id(o) not in ids)
