"""The page numbers a document prints (「—29—」, 「- 29 -」, 「第29页」, a lone 「29」 at the foot), beside the PDF page
numbers every location uses: a reader holding the printed document turns to the printed number, and a document
whose numbering starts after its cover is one or more pages off the PDF's.

A page's label is a line that is only a page number, the first or the last line read on that page (its header or
its footer; a line of dashes alone beside it is the rest of a 「— 1 —」 the text layer splits in two), and that
agrees with a neighbouring page's: the same difference between printed and PDF page within two pages, so that the
number grows with the PDF page. A table's last row, a year or a lone figure in a heading
has no such neighbour. When that is not seen the page has no label, and nothing extra is shown."""
from __future__ import annotations

import re
import unicodedata

from budgetkit.read.blocks import ProseLine

_DASH = r"[-—–－―─~～·•]"
_LABEL = re.compile(rf"^(?:{_DASH}+\s*)?(?:第\s*)?(\d{{1,4}})(?:\s*页)?(?:\s*[,，]?\s*共\s*\d{{1,4}}\s*页)?(?:\s*{_DASH}+)?$")


def _number(line) -> int | None:
    if not isinstance(line, ProseLine) or line.page is None:
        return None
    m = _LABEL.match(unicodedata.normalize("NFKC", line.text).strip())
    return int(m.group(1)) if m else None


_DASHES_ONLY = re.compile(rf"^(?:{_DASH}|\s)+$")


def _is_dashes(line) -> bool:
    """A line of dashes alone: a label 「— 1 —」 whose number the text layer reads as a line of its own."""
    return isinstance(line, ProseLine) and bool(_DASHES_ONLY.match(unicodedata.normalize("NFKC", line.text).strip()))


def _edges(lines: list) -> tuple:
    """The page's first and last lines, past a line of dashes alone at either end (the rest of its label)."""
    i, j = 0, len(lines) - 1
    while i < j and _is_dashes(lines[i]):
        i += 1
    while j > i and _is_dashes(lines[j]):
        j -= 1
    return lines[i], lines[j]


def _page_of(block) -> int | None:
    if isinstance(block, ProseLine):
        return block.page
    pages = getattr(block, "row_pages", None) or [None]
    return pages[0]


def printed_pages(blocks) -> dict[tuple[str, int], int]:
    """(file, PDF page) → the page number printed on it, for the pages whose label is sure (see the module)."""
    by_page: dict[tuple[str, int], list] = {}
    for b in blocks:
        page = _page_of(b)
        if page is not None:
            by_page.setdefault((b.file, page), []).append(b)
    found: dict[tuple[str, int], set[int]] = {}
    for key, lines in by_page.items():
        numbers = {n for n in map(_number, _edges(lines)) if n is not None}
        if numbers:
            found[key] = numbers
    out = {}
    for (file, page), numbers in found.items():
        fits = {n for n in numbers if any(page + k - m == page - n for k in (-2, -1, 1, 2)
                                          for m in found.get((file, page + k), ()))}
        if len(fits) == 1:
            out[(file, page)] = fits.pop()
    return out


def as_meta(labels: dict[tuple[str, int], int]) -> list[dict]:
    """The labels as a disclosure's ``meta["printed_pages"]``: one ``{"file", "page", "printed"}`` per page."""
    return [{"file": f, "page": p, "printed": n} for (f, p), n in sorted(labels.items())]
