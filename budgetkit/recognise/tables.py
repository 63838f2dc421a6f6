"""Find each table's title, number and unit; join tables split over pages (what the pages' geometry and cells say
about a join is in ``recognise.pages``)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetkit.money import find_unit, squeeze
from budgetkit.read.blocks import ProseLine, RawTable
from budgetkit.recognise.catalogue import (TitleMatch, clean_title, looks_like_title, match_title, normalise_title,
                                          printed_table_no)
from budgetkit.recognise.content import grid_lines, has_figures, infer_kind, is_contents
from budgetkit.recognise.layout import Grid, from_pdf, from_wordtext
from budgetkit.reference import kind_names
from budgetkit.recognise.rows import META, cell_text, header_row_count, is_caption_row
from budgetkit.recognise.pages import (_cell_class, _columns_agree, _continues, _cut_row, _figure_rest,  # noqa: F401
                                       _header_only, _lead_ems, _new_header, _next_page, _row_key, _same_edges,
                                       _same_frame, _union_edges, _widen, _width)


CONTEXT_LINES = 5
# kinds printed once per project or per programme: the same title on the next page starts a new table
UNIT_GUESS = "表内未印单位"  # a guess that matters only to findings that state figures
SEPARATE_KINDS = {"performance_targets", "overall_performance_targets", "performance_self_evaluation"}


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
    guesses: list[str] = field(default_factory=list)  # structural guesses the reading rests on
    # a guess that concerns only some pages (a page joined by layout) → those pages; the others rest on it only
    # through the table's sums
    guess_pages: dict = field(default_factory=dict)
    # pages that print only the rest of a row the page cut (that row's page is the one it starts on)
    cut_pages: list = field(default_factory=list)

    @property
    def pages(self) -> list:
        seen = []
        for p in self.grid.row_pages:
            if p not in seen:
                seen.append(p)
        extra = [p for p in self.cut_pages if p not in seen]
        return sorted(seen + extra) if extra and None not in seen else seen


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
        elif out and _label_cut(out[-1], x):
            out[-1] += x  # a 部门： or 金额单位： label broken by the cell's width (金额单 / 位：万元)
        else:
            out.append(x)
    return out


def _label_cut(before: str, after: str) -> bool:
    """Two lines of a caption cell that say 部门： or a unit only when read as one."""
    def says(t):
        return bool(META.search(t) or find_unit(t))
    return not says(before) and not says(after) and says(before + after) and len(before) < 30


_PAGE_NO = re.compile(r"^[-—－\s]*(?:第\s*)?\d{1,4}\s*(?:页|/\s*\d+)?[-—－\s]*$")
_NUMBER_ONLY = re.compile(r"^(?:公开表|附表|预算|决算)?\s*(?:表\s*)?[\d一二三四五六七八九十]+(?:[-－]\d+)?\s*(?:表)?$")
_NOTE = re.compile(r"^(?:注|备注|说明|资料来源|数据来源)\s*[:：\d（(]")


def _title_candidate(line: str) -> bool:
    """A line that may be (part of) a title: not a page number, a table note or a sentence."""
    t = line.strip()
    return bool(t) and not _PAGE_NO.match(t) and not _NOTE.match(t) and not t.endswith(("。", "；", ";"))


def _best_title(lines: list[str]) -> tuple[str, TitleMatch | None, str | None, str | None]:
    """(title text, match, table number, unit) from caption candidates."""
    lines = [ln for ln in lines if _title_candidate(ln)]
    pairs = [a + b for a, b in zip(lines, lines[1:])]  # titles broken over two lines
    # a pair may beat a single line on a tie only when its first part is no title of its own
    open_pair = [not a.rstrip().endswith(("表", "）", ")")) and not _NUMBER_ONLY.match(a.strip()) for a in lines[:-1]]
    cands = lines + pairs
    best, best_line = None, ""
    for n, line in enumerate(cands):
        m = match_title(line.split("\n")[0])
        if m is None:
            continue
        # a higher score wins; on equal (non-zero) scores the line nearer the table, i.e. later, wins;
        # a joined pair must do strictly better than a single line
        single = n < len(lines)
        if not single and open_pair[n - len(lines)]:
            # the joined pair says more than its second line alone (支出情况表 → 一般公共预算支出情况表)
            own = match_title(lines[n - len(lines) + 1].split("\n")[0])
            single = own is None or own.kind != m.kind
        if best is None or m.score > best.score or (m.score == best.score and m.score > 0 and single):
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


def recognise_tables(blocks: list) -> tuple[list[RecognisedTable], list[ProseLine]]:
    """Walk one source's blocks in order; return tables and the prose lines.

    Grids that are no table of figures (a table of contents, a header with no
    body) give their text back to the prose, in place: nothing is dropped.
    """
    tables: list[RecognisedTable] = []
    prose: list[ProseLine] = []
    pending: list[ProseLine] = []
    # raw pieces kept per table so continuation pages can be appended
    pieces: list[dict] = []
    last_raw_page = None
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
        first_on_page = raw.page is None or raw.page != last_raw_page
        last_raw_page = raw.page
        join = None
        if (prev is not None and match is None and first_on_page and prev["match"].kind in SEPARATE_KINDS
                and _next_page(prev, raw) and _same_frame(prev, raw)):
            # a target table cut by the page (its project card at the foot, its indicators overleaf)
            join = "target"
        elif (prev is not None and first_on_page and _header_only(prev) and _next_page(prev, raw)
              and _same_frame(prev, raw) and (match is None or (
                  match.kind == prev["match"].kind and normalise_title(title) == normalise_title(prev["title"])))):
            # a table whose header the page cut: its first header rows at the foot of one page, the rest of the
            # header and the body on the next, in the same outer frame, under no title or the same title again
            join = "header"
        elif prev is not None and first_on_page and _continues(prev, raw, rows):
            repeated = (match is not None and match.score > 0 and match.kind == prev["match"].kind
                        and normalise_title(title) == normalise_title(prev["title"])
                        and match.kind not in SEPARATE_KINDS and match.kind != "unknown")
            if repeated:
                join = "title"
            elif match is None and not _new_header(prev, rows):
                join = "geometry"
        if join and _width(rows) != _width(prev["rows"]) and not (raw.col_edges and prev["edges"]):
            join = None  # other columns and no lines to lay them by: not the same table
        if join:
            same_edges = _same_edges(raw.col_edges, prev["edges"])
            widened = _width(rows) != _width(prev["rows"])
            if widened:
                # lay both pieces over the union of their column lines: no cell is lost or merged away
                union = _union_edges(prev["edges"], raw.col_edges)
                prev["rows"], prev["owners"] = _widen(prev["rows"], prev["owners"], prev["edges"], union)
                rows, owners = _widen(rows, owners, raw.col_edges, union)
                if not (join == "header" and _same_edges(union, raw.col_edges)):
                    # (a header cut by the page whose lines are among the next page's spans whole columns of it:
                    # no cell of the body moves)
                    prev["paged_guesses"].setdefault("realigned", []).append(raw.page)
                prev["edges"] = union
            header_keys = {_row_key(r) for r in prev["rows"][: prev["n_header"]]}
            drop = 0
            while drop < len(rows) and _row_key(rows[drop]) in header_keys and _row_key(rows[drop]):
                drop += 1
            confirmed = (_width(rows) == _width(prev["rows"])
                         and _columns_agree(prev["rows"][prev["n_header"]:], rows))
            if join in ("geometry", "target") and drop == 0 and not confirmed and (
                    not same_edges or prev["paged_guesses"].get("joined")):
                # a page laid like a page joined by guess is under the same guess, unless its content shows it
                prev["paged_guesses"].setdefault("joined", []).append(raw.page)
            base = len(prev["rows"])
            cut = None if widened else _cut_row(prev, rows, owners, drop)
            if cut is not None:
                # the first row here is the rest of the row the page cut: its text goes on in the cells above it,
                # and a cell merged down from it is the cell above
                for j, text in enumerate(rows[drop]):
                    oi, oj = cut[j]
                    if cell_text(text):
                        above = cell_text(prev["rows"][oi][oj])
                        sep = "" if _cell_class(above) == "figure" and _cell_class(cell_text(text)) == "figure" else "\n"
                        prev["rows"][oi][oj] = f"{above}{sep}{cell_text(text)}"
            skip = drop + (cut is not None)
            if cut is not None:
                prev["cut_pages"].append(raw.page)
            prev["rows"].extend(rows[skip:])
            prev["pages"].extend(pages[skip:])
            if prev["owners"] is not None and owners is not None:
                for i, orow in enumerate(owners[skip:]):
                    prev["owners"].append([cut[oj] if cut is not None and oi == drop else (oi - skip + base, oj)
                                           for oi, oj in orow])
            prev["foot_room"] = raw.foot_room
            prev["continued"] += 1
            prev["dropped"] += drop
            prev["last_page"] = raw.page
            continue
        if match is None:
            match = TitleMatch("unknown", None, 0, None)
            title = title or next((c for c in context[::-1] if _title_candidate(c) and looks_like_title(c)), "")
        pieces.append(dict(
            file=raw.file, title=title, match=match, table_no=table_no, unit=unit,
            rows=[list(r) for r in rows], owners=[list(o) for o in owners] if owners is not None else None,
            pages=list(pages), captions=context + caption_lines, n_header=header_row_count(rows),
            continued=0, dropped=0, last_page=raw.page, fmt="grid" if raw.owners is not None else "text",
            edges=raw.col_edges, prose_at=len(prose), guesses=[], paged_guesses={}, raw_file=raw.file,
            foot_room=raw.foot_room, cut_pages=[],
        ))
    units_seen = None
    # carrying the unit of the table before is a guess only where the document prints more than one unit
    printed_units = {p["unit"] for p in pieces if p["unit"]}
    back_to_prose: list[tuple[int, list[ProseLine]]] = []
    for p in pieces:
        rows = p["rows"]
        n_header = header_row_count(rows)
        if p["match"].kind in SEPARATE_KINDS:
            n_header = _target_header_rows(rows, n_header)
        if p["fmt"] == "grid":
            grid = from_pdf(rows, p["owners"], p["pages"], n_header)
        else:
            grid = from_wordtext(rows, p["pages"], n_header)
        grid = drop_empty_columns(grid)
        m = p["match"]
        if is_contents(grid, p["captions"]) or (m.kind == "unknown" and not has_figures(grid)):
            back_to_prose.append((p["prose_at"], grid_lines(grid, p["file"])))
            continue
        kind, family, score, title = m.kind, m.family, m.score, p["title"]
        paged = _paged_guesses(p["paged_guesses"])
        p["guesses"] += [text for text, _, _ in paged]
        guess_pages = {text: sorted(set(pages)) for text, key, pages in paged if key == "joined"}
        if kind == "unknown":
            inferred = infer_kind(grid, p["captions"])
            if inferred:
                kind, reason = inferred
                p["guesses"].insert(0, f"表名未识别，按表头和科目推断为「{kind_names().get(kind, (kind,))[0]}」"
                                       f"（{reason}） / title not recognised; kind inferred from header and codes as "
                                       f"{kind} ({reason})")
        unit = p["unit"] or units_seen
        if unit is None and not printed_units and has_figures(grid):
            # no table of the document prints a unit: the text's own unit, said to be a guess
            unit = _text_unit(prose)
            if unit:
                p["guesses"].append(f"{UNIT_GUESS}，全文表格均未印单位，按说明文字所用的{unit}推断 / no table prints "
                                    f"a unit; {unit} inferred from the text")
        if not p["unit"] and units_seen and has_figures(grid) and len(printed_units) > 1:
            p["guesses"].append(f"{UNIT_GUESS}，沿用前表的{units_seen} / no unit printed; {units_seen} taken "
                                "from the table before")
        units_seen = unit or units_seen
        tables.append(RecognisedTable(
            file=p["file"], title=title, kind=kind, family=family, match_score=score,
            table_no=p["table_no"], unit=unit, grid=grid, captions=p["captions"],
            continued_pages=p["continued"], dropped_header_rows=p["dropped"], guesses=p["guesses"],
            guess_pages=guess_pages, cut_pages=p["cut_pages"],
        ))
    for at, lines in reversed(back_to_prose):
        prose[at:at] = lines
    return tables, prose


def _unit_in_cells(rows) -> str | None:
    for r in rows[:4]:
        for c in r:
            u = find_unit(cell_text(c))
            if u:
                return u
    return None


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


def _text_unit(prose: list[ProseLine]) -> str | None:
    """The unit the narrative states its amounts in, when it clearly uses one."""
    text = " ".join(p.text for p in prose)
    wan = len(re.findall(r"\d\s*万元", text))
    yuan = len(re.findall(r"\d\s*元", text)) - wan
    if wan >= 3 and wan >= 4 * max(yuan, 0):
        return "万元"
    if yuan >= 3 and yuan >= 4 * wan:
        return "元"
    return None


_PAGED = {
    "joined": ("第{pages}页无标题无表头，按版式接续上页", "page(s) {pages}: no title or header, joined to the page before "
               "by layout"),
    "realigned": ("第{pages}页列线与上页不同，按位置对齐", "page(s) {pages}: column lines differ from the page before; "
                  "cells re-aligned by position"),
}


def _page_ranges(pages: list[int]) -> str:
    out, start, prev = [], None, None
    for n in sorted(set(pages)):
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = n
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
    return "、".join(out)


def _paged_guesses(paged: dict) -> list[tuple[str, str, list]]:
    """One guess per kind, its pages as ranges (第18–43页), however many pages a table runs over:
    (text, kind, pages)."""
    out = []
    for key, pages in paged.items():
        zh, en = _PAGED[key]
        r = _page_ranges(pages)
        out.append((f"{zh.format(pages=r)} / {en.format(pages=r.replace('、', ', '))}", key, list(pages)))
    return out


def _indicator_terms() -> frozenset:
    from budgetkit.reference import load_csv

    return frozenset(r["header"] for r in load_csv("target_fields.csv") if r["field"] in ("level1", "level2", "level3"))


def _target_header_rows(rows, n_header: int) -> int:
    """A target table's header ends at the row naming the indicator fields (一级指标 | 二级指标 | 三级指标):
    the indicator rows below it are content even with no money in them.  A target card whose figures
    are plain integers (资金总额 30) and that prints no such row has no header at all."""
    terms = _indicator_terms()
    last = None
    for i, r in enumerate(rows[: max(n_header, 1) + 1] if n_header < len(rows) else rows):
        if sum(1 for c in r if squeeze(c) in terms) >= 2:
            last = i
    if last is not None and last + 1 <= n_header:
        return last + 1
    return 0 if n_header >= len(rows) else n_header
