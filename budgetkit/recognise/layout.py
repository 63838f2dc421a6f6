"""Put every cell in its column, whatever the source format.

PDF grids come with geometry (pdfplumber cell boxes → an owner map).  Word
text gives rows of unequal length because merged cells are written once; we
infer each short row's column spans by scoring every way of laying its cells
over the columns against the rows beside it.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from budgetkit.money import is_decimal_figure, looks_like_amount, squeeze
from budgetkit.reference import header_terms
from budgetkit.recognise.rows import cell_text

MAX_LAYOUTS = 6000


@dataclass
class Grid:
    """A rectangular table: ``text[i][j]`` is the cell text printed at (i, j)
    (empty where a merged cell covers it); ``owner[i][j]`` is the position of
    the covering cell."""

    text: list[list[str]]
    owner: list[list[tuple[int, int]]]
    row_pages: list
    n_header: int

    @property
    def width(self) -> int:
        return len(self.text[0]) if self.text else 0

    def extent(self, i: int, j: int) -> tuple[int, int]:
        """Bottom-right position of the merged cell owned by (i, j)."""
        n, w = len(self.text), self.width
        j2 = j
        while j2 + 1 < w and self.owner[i][j2 + 1] == (i, j):
            j2 += 1
        i2 = i
        while i2 + 1 < n and self.owner[i2 + 1][j] == (i, j):
            i2 += 1
        return i2, j2

    def shown(self, i: int, j: int) -> str:
        """What a reader sees at (i, j): merged cells repeat their text."""
        oi, oj = self.owner[i][j]
        return self.text[oi][oj]


def _is_term(text: str) -> bool:
    t = squeeze(text)
    if not t:
        return False
    terms = header_terms("label") + header_terms("code") + header_terms("unit_code")
    return t in terms or t.startswith(("单位名称", "项目名称", "科目名称"))


def _money(text: str) -> bool:
    t = squeeze(text)
    return is_decimal_figure(t)


def from_pdf(rows, owners, row_pages, n_header) -> Grid:
    n = len(rows)
    w = max(len(r) for r in rows)
    text = [[cell_text(r[j]) if j < len(r) else "" for j in range(w)] for r in rows]
    own = [[(i, j) for j in range(w)] for i in range(n)]
    if owners and len(owners) == n:
        for i in range(n):
            for j in range(min(w, len(owners[i]))):
                oi, oj = owners[i][j]
                if rows[i][j] is None and 0 <= oi < n and 0 <= oj < w:
                    own[i][j] = (oi, oj)
    return Grid(text, own, list(row_pages), n_header)


def _layouts(k: int, w: int, exhaustive: bool):
    """Ways of laying k cells over w columns: span lists summing to w."""
    if k >= w:
        yield [1] * w
        return
    from math import comb

    if exhaustive and comb(w - 1, k - 1) <= MAX_LAYOUTS:
        for cuts in combinations(range(1, w), k - 1):
            edges = (0,) + cuts + (w,)
            yield [edges[i + 1] - edges[i] for i in range(k)]
        return
    for a in range(k):  # one cell absorbs all missing columns
        spans = [1] * k
        spans[a] += w - k
        yield spans
    yield [1] * k + [0]  # plain left alignment (marker: pad on the right)


def _expand(cells, spans, w):
    """Return (texts at owner positions, owner column for each column)."""
    texts = [""] * w
    owner_col = list(range(w))
    j = 0
    for c, s in zip(cells, spans):
        if s == 0:
            continue
        texts[j] = c
        for x in range(j, min(w, j + s)):
            owner_col[x] = j
        j += s
    return texts, owner_col


def _norm_spans(spans, k, w):
    if len(spans) == k + 1 and spans[-1] == 0:  # left alignment marker
        return [1] * k, True
    return spans, False


def from_wordtext(rows, row_pages, n_header) -> Grid:
    w = max(len(r) for r in rows)
    cells = [[cell_text(c) for c in r] for r in rows]
    full_body = [r for r in cells[n_header:] if len(r) == w]
    first_amount_col = w
    amount_cols: set[int] = set()
    if full_body:
        ends = []
        for r in full_body:
            last_text = max((j for j, c in enumerate(r) if c and not looks_like_amount(c)), default=-1)
            ends.append(last_text + 1)
            amount_cols.update(j for j, c in enumerate(r) if _money(c))
        first_amount_col = max(ends)
    n = len(rows)
    text = [None] * n
    owner = [None] * n
    # header rows bottom-up, so each knows the row below it
    below_shown = None
    for i in range(n_header - 1, -1, -1):
        t, oc = _place_header(cells[i], w, first_amount_col, below_shown)
        text[i], owner[i] = t, [(i, c) for c in oc]
        below_shown = [t[c] for c in oc]
    for i in range(n_header, n):
        t, oc = _place_body(cells[i], w, amount_cols, first_amount_col)
        text[i], owner[i] = t, [(i, c) for c in oc]
    # vertical merges in headers: an empty header cell under a filled one
    # belongs to it (Word writes a vertically merged cell once)
    for i in range(1, n_header):
        for j in range(w):
            if owner[i][j] == (i, j) and not text[i][j]:
                oi, oj = owner[i - 1][j]
                if text[oi][oj] and owner[i - 1][j][1] == j:
                    owner[i][j] = (oi, oj)
    return Grid(text, owner, list(row_pages), n_header)


def _place_header(row, w, first_amount_col, below):
    k = len(row)
    if k >= w:
        return (row + [""] * (w - k))[:w], list(range(w))
    best, best_score = None, None
    for spans in _layouts(k, w, exhaustive=True):
        spans, left = _norm_spans(spans, k, w)
        score = 0
        j = 0
        for c, s in zip(row, spans):
            cols = range(j, j + s)
            if _is_term(c):
                score += sum(2 if x < first_amount_col else -2 for x in cols)
            elif c and first_amount_col < w:
                score += sum(1 for x in cols if x >= first_amount_col)
            if s > 1:
                if not c:
                    score -= 2 * (s - 1)
                elif below is not None:
                    score += sum(1 if below[x] else -1 for x in cols)
            j += s
        if left:
            score -= 1
        if best_score is None or score > best_score:
            best, best_score = (spans, left), score
    spans, left = best
    if left:
        texts = row + [""] * (w - k)
        return texts, list(range(w))
    return _expand(row, spans, w)


def _place_body(row, w, amount_cols, first_amount_col):
    k = len(row)
    if k >= w:
        return (row + [""] * (w - k))[:w], list(range(w))
    best, best_score = None, None
    for spans in _layouts(k, w, exhaustive=False):
        spans, left = _norm_spans(spans, k, w)
        texts, oc = _expand(row, spans, w) if not left else (row + [""] * (w - k), list(range(w)))
        score = 0
        for j, c in enumerate(texts):
            if not c:
                continue
            if _money(c):
                score += 2 if j in amount_cols else -2
            elif j in amount_cols:
                score -= 1
        if left:
            score += 0.5  # prefer plain alignment on ties
        if best_score is None or score > best_score:
            best, best_score = (texts, oc), score
    return best
