"""The page numbers a document prints (「—29—」, 「- 29 -」, 「第29页」, a lone 「29」 at the foot), beside the PDF page
numbers every location uses: a reader holding the printed document turns to the printed number, and a document
whose numbering starts after its cover is one or more pages off the PDF's.

A page's label is a line that is only a page number, the first or the last line read on that page (its header or
its footer), and that agrees with a neighbouring page's: the same difference between printed and PDF page within
two pages, so that the number grows with the PDF page. A table's last row, a year or a lone figure in a heading
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
        numbers = {n for n in (_number(lines[0]), _number(lines[-1])) if n is not None}
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
