"""Text printed off its table's ruling: the vertical shift that puts each printed row back in its ruled row.

Some producers draw a table's text a few points below (or above) the grid they draw: every line of text then
straddles a row line, a row's name falls in the ruled row above its code and figures, and two rows' figures
land in one cell (31.01 over 424.00).  Read by the middle of each character such a page pairs names with the
wrong codes and loses figures to the residue.  A grid drawn in register never has its characters cut by the
lines of their cells; when many are, and one shift of all the table's text clears every one of them, the
characters are read at that shift — the one that leaves the text most room from the lines of its cells.
"""
from __future__ import annotations

import numpy as np

MIN_CUT = 6           # characters cut by a cell's line before a table is suspected to be printed off its ruling
MIN_SHARE = 0.2       # … and that share of the table's characters
STEP = 0.25           # points between the shifts tried
SLACK = 0.5           # a glyph's box may touch or just overlap a line (its ascent is drawn taller than its ink)


def _clearance(tops, bottoms, ys, covers, shift: float):
    """For each character (shifted up by ``shift``), its distance to the nearest line of the cells over it;
    negative when a line crosses it (by the depth of the crossing)."""
    t = tops[:, None] - shift
    b = bottoms[:, None] - shift
    y = ys[None, :]
    d = np.where(y <= t, t - y, np.where(y >= b, y - b, -np.minimum(y - t, b - y)))
    d = np.where(covers, d, np.inf)
    return d.min(axis=1)


def row_shift(table, chars=None) -> float:
    """The shift (points, up) that reads ``table``'s characters in their ruled rows; 0 for a grid in register.

    Characters up to half a row outside the grid count too (the last row's text printed below the grid's foot);
    of the shifts that cut no character, the one that brings most text inside the grid wins, then the one that
    leaves the text most room from its lines."""
    x0, top, x1, bottom = table.bbox
    heights = [cb - ct for _, ct, _, cb in table.cells if cb - ct > 1]
    if not heights:
        return 0.0
    reach = 0.5 * float(np.median(heights))
    chars = chars if chars is not None else table.page.chars
    near = [c for c in chars if c["text"].strip() and x0 <= (c["x0"] + c["x1"]) / 2 <= x1
            and top - reach <= (c["top"] + c["bottom"]) / 2 <= bottom + reach]
    if len(near) < MIN_CUT:
        return 0.0
    tops = np.array([c["top"] for c in near], dtype=float)
    bottoms = np.array([c["bottom"] for c in near], dtype=float)
    # first, cheaply: a character no row line of the whole table crosses is cut by none of its cells' lines, so
    # a table whose characters few lines cross is in register (most tables: the exact test below costs more)
    lines_y = np.unique(np.round(np.array([y for _, ct, _, cb in table.cells for y in (ct, cb)], dtype=float), 2))
    crossed = np.searchsorted(lines_y, bottoms - SLACK, side="left") - np.searchsorted(lines_y, tops + SLACK,
                                                                                            side="right")
    maybe = int((crossed > 0).sum())
    if maybe < MIN_CUT or maybe < MIN_SHARE * len(near):
        return 0.0
    # the top and bottom line of every cell, each over its own columns only (a merged header has none inside)
    segments = sorted({(round(y, 2), cx0, cx1) for cx0, ct, cx1, cb in table.cells for y in (ct, cb)})
    ys = np.array([s[0] for s in segments], dtype=float)
    mids = np.array([(c["x0"] + c["x1"]) / 2 for c in near], dtype=float)
    covers = (np.array([s[1] for s in segments])[None, :] <= mids[:, None]) & \
             (mids[:, None] <= np.array([s[2] for s in segments])[None, :])
    cut = int((_clearance(tops, bottoms, ys, covers, 0.0) < -SLACK).sum())
    if cut < MIN_CUT or cut < MIN_SHARE * len(near):
        return 0.0
    best, best_score = 0.0, None
    for s in np.arange(-reach, reach + STEP / 2, STEP):
        c = _clearance(tops, bottoms, ys, covers, float(s))
        if (c < -SLACK).any():
            continue  # some character still cut: not the shift the text was printed at
        middles = (tops + bottoms) / 2 - s
        score = (int(((middles >= top) & (middles <= bottom)).sum()), round(float(np.min(c)), 3), -abs(float(s)))
        if best_score is None or score > best_score:
            best, best_score = float(s), score
    return round(best, 2) if best_score is not None else 0.0
