"""Find each table's title, number and unit; join tables split over pages."""
from __future__ import annotations

from dataclasses import dataclass, field

from budgetkit.money import find_unit, squeeze
from budgetkit.read.blocks import ProseLine, RawTable
from budgetkit.recognise.catalogue import TitleMatch, clean_title, match_title, printed_table_no
from budgetkit.recognise.layout import Grid, from_pdf, from_wordtext
from budgetkit.recognise.rows import META, cell_text, header_row_count, is_caption_row

CONTEXT_LINES = 5


@dataclass
class RecognisedTable:
    file: str
    title: str
    kind: str
    family: str | None
    match_score: int
    table_no: str | None
    unit: str | None
    grid: Grid
    captions: list[str] = field(default_factory=list)
    continued_pages: int = 0
    dropped_header_rows: int = 0

    @property
    def pages(self) -> list:
        seen = []
        for p in self.grid.row_pages:
            if p not in seen:
                seen.append(p)
        return seen


def _row_key(row) -> tuple:
    return tuple(squeeze(c) for c in row if c is not None and squeeze(c))


def _peel_captions(raw: RawTable):
    rows, owners, pages = raw.rows, raw.owners, raw.row_pages
    k = 0
    lines: list[str] = []
    while k < len(rows) and is_caption_row(rows[k]):
        for c in rows[k]:
            if cell_text(c):
                lines.extend(_caption_lines(cell_text(c)))
        k += 1
    if k == 0:
        return rows, owners, pages, lines
    rows = rows[k:]
    pages = pages[k:]
    if owners is not None:
        new = []
        for i, orow in enumerate(owners[k:]):
            nrow = []
            for j, (oi, oj) in enumerate(orow):
                nrow.append((oi - k, oj) if oi >= k else (i, j))
            new.append(nrow)
        owners = new
        # a cell covered by a peeled caption is its own (empty) cell
        rows = [[("" if c is None and owners[i][j] == (i, j) else c) for j, c in enumerate(r)]
                for i, r in enumerate(rows)]
    return rows, owners, pages, lines


def _caption_lines(text: str) -> list[str]:
    """Split a caption cell into lines, re-joining a 部门：… wrapped inside the cell."""
    out: list[str] = []
    for x in (x.strip() for x in text.split("\n")):
        if not x:
            continue
        if out and META.search(out[-1]) and not META.search(x) and not find_unit(x) \
                and match_title(x) is None and len(out[-1]) < 30:
            out[-1] += x
        else:
            out.append(x)
    return out


def _best_title(lines: list[str]) -> tuple[str, TitleMatch | None, str | None, str | None]:
    """(title text, match, table number, unit) from caption candidates."""
    cands = list(lines)
    cands += [a + b for a, b in zip(lines, lines[1:])]  # titles broken over two lines
    best, best_line = None, ""
    for line in cands:
        m = match_title(line.split("\n")[0])
        if m is None:
            continue
        # a higher score wins; on equal (non-zero) scores the line nearer the table, i.e. later, wins
        if best is None or m.score > best.score or (m.score == best.score and m.score > 0):
            best, best_line = m, line
    table_no = None
    unit = None
    for line in cands:
        if "公开表" in line:
            table_no = table_no or printed_table_no(line)
    for line in lines:
        unit = unit or find_unit(line)
    if best_line:
        own = printed_table_no(best_line)
        if own and (not table_no or not table_no.startswith("公开表")):
            table_no = own
    return clean_title(best_line.split("\n")[0]), best, table_no, unit


def _width(rows) -> int:
    return max((len(r) for r in rows), default=0)


def recognise_tables(blocks: list) -> tuple[list[RecognisedTable], list[ProseLine]]:
    """Walk one source's blocks in order; return tables and the prose lines."""
    tables: list[RecognisedTable] = []
    prose: list[ProseLine] = []
    pending: list[ProseLine] = []
    # raw pieces kept per table so continuation pages can be appended
    pieces: list[dict] = []
    for block in blocks:
        if isinstance(block, ProseLine):
            prose.append(block)
            pending.append(block)
            continue
        raw: RawTable = block
        context = [p.text for p in pending][-CONTEXT_LINES:]
        pending = []
        rows, owners, pages, caption_lines = _peel_captions(raw)
        if not rows:
            continue
        title, match, table_no, unit = _best_title(context + caption_lines)
        unit = unit or _unit_in_cells(rows)
        prev = pieces[-1] if pieces else None
        if (match is None or match.score == 0) and prev is not None and _continues(prev, raw, rows):
            if _width(rows) != _width(prev["rows"]):
                rows, owners = _regrid(rows, raw.col_edges, prev["edges"])
            header_keys = {_row_key(r) for r in prev["rows"][: prev["n_header"]]}
            drop = 0
            while drop < len(rows) and _row_key(rows[drop]) in header_keys and _row_key(rows[drop]):
                drop += 1
            base = len(prev["rows"])
            prev["rows"].extend(rows[drop:])
            prev["pages"].extend(pages[drop:])
            if prev["owners"] is not None and owners is not None:
                for i, orow in enumerate(owners[drop:]):
                    prev["owners"].append([(oi - drop + base, oj) for oi, oj in orow])
            prev["continued"] += 1
            prev["dropped"] += drop
            prev["last_page"] = raw.page
            continue
        if match is None:
            match = TitleMatch("unknown", None, 0, None)
            title = next((c for c in context[::-1] if c.strip()), "") if not title else title
        pieces.append(dict(
            file=raw.file, title=title, match=match, table_no=table_no, unit=unit,
            rows=[list(r) for r in rows], owners=[list(o) for o in owners] if owners is not None else None,
            pages=list(pages), captions=context + caption_lines, n_header=header_row_count(rows),
            continued=0, dropped=0, last_page=raw.page, fmt="grid" if raw.owners is not None else "text",
            edges=raw.col_edges,
        ))
    units_seen = None
    for p in pieces:
        rows = p["rows"]
        n_header = header_row_count(rows)
        if p["fmt"] == "grid":
            grid = from_pdf(rows, p["owners"], p["pages"], n_header)
        else:
            grid = from_wordtext(rows, p["pages"], n_header)
        grid = drop_empty_columns(grid)
        unit = p["unit"] or units_seen
        units_seen = unit or units_seen
        m = p["match"]
        tables.append(RecognisedTable(
            file=p["file"], title=p["title"], kind=m.kind, family=m.family, match_score=m.score,
            table_no=p["table_no"], unit=unit, grid=grid, captions=p["captions"],
            continued_pages=p["continued"], dropped_header_rows=p["dropped"],
        ))
    return tables, prose


def _unit_in_cells(rows) -> str | None:
    for r in rows[:4]:
        for c in r:
            u = find_unit(cell_text(c))
            if u:
                return u
    return None


def _continues(prev: dict, raw: RawTable, rows) -> bool:
    if prev["file"] != raw.file or raw.page is None or prev["last_page"] is None:
        return False
    if raw.page != prev["last_page"] + 1:
        return False
    if _width(rows) == _width(prev["rows"]) or _filled_width(rows) == _filled_width(prev["rows"]):
        return True
    # fewer columns (e.g. a lone 合计 row whose label spans the code columns):
    # the same outer edges mean the same table
    a, b = raw.col_edges, prev.get("edges")
    if not (a and b):
        return False
    return abs(a[-1] - b[-1]) < 3 and all(any(abs(x - y) < 3 for y in b) for x in a)


def _filled_width(rows) -> int:
    return sum(1 for j in range(_width(rows)) if any(j < len(r) and cell_text(r[j]) for r in rows))


def _regrid(rows, edges, target):
    """Re-lay rows drawn with other column edges onto the target columns."""
    w = len(target) - 1
    new_rows, owners = [], []
    for i, r in enumerate(rows):
        nr: list = [None] * w
        orow = [(i, j) for j in range(w)]
        for j, c in enumerate(r):
            if j + 1 >= len(edges):
                break
            x0, x1 = edges[j], edges[j + 1]
            cover = [k for k in range(w) if target[k] >= x0 - 3 and target[k + 1] <= x1 + 3]
            if not cover:
                continue
            nr[cover[0]] = c if c is not None else ""
            for k in cover[1:]:
                orow[k] = (i, cover[0])
        for k in range(w):
            if nr[k] is None and orow[k] == (i, k):
                nr[k] = ""
        new_rows.append(nr)
        owners.append(orow)
    return new_rows, owners


def drop_empty_columns(grid: Grid) -> Grid:
    w = grid.width
    keep = [j for j in range(w)
            if any(grid.shown(i, j) for i in range(len(grid.text)))
            or any(grid.owner[i][x][1] == j and x != j for i in range(len(grid.text)) for x in range(w))]
    if len(keep) == w:
        return grid
    remap = {j: n for n, j in enumerate(keep)}
    text = [[row[j] for j in keep] for row in grid.text]
    owner = []
    for i, orow in enumerate(grid.owner):
        owner.append([(orow[j][0], remap.get(orow[j][1], n)) for n, j in enumerate(keep)])
    return Grid(text, owner, grid.row_pages, grid.n_header)
