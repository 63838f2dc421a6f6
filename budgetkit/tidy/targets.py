"""Performance-target tables → one tidy frame: one row per indicator.

Every template is read by the meaning of its cells (``reference/target_fields.csv``), not by its title:

* column layout — one header row names the fields (项目名称, 预算数, 年度目标, 一级/二级/三级指标, 指标值, 权重 …)
  and each body row is an indicator; merged project and level cells are filled down;
* project card — key/value rows (项目名称 | X, 年度资金总额 | 2,134.87, 年度总体目标 | …) followed by an
  indicator header row (一级指标 | 二级指标 | 三级指标 | 指标值 …) and indicator rows; a table may hold
  many cards, and a disclosure dozens of such tables;
* project list — 项目名称 | 金额 | 绩效目标 with no indicators: one row per project.

Consecutive target tables that continue one another (a continuation page the reader did not join, or
a table split at a page break) are read as one stream: the project, budget, goal and level cells carry
over, and the rows that rest on the carry-over name it in ``guesses``.  Each row keeps its file, page,
table index and row number.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import pandas as pd

from budgetkit.money import DECIMAL_DTYPE, decimal_series, find_unit, parse_amount
from budgetkit.reference import load_csv

COLUMNS = ["doc_id", "source", "file", "table_index", "table_title", "page", "row_no", "unit_code", "unit_name",
           "project_no", "project_code", "project_name", "budget", "budget_unit", "goal", "level1", "level2", "level3", "operator",
           "value", "measure_unit", "weight", "direction", "value_printed", "has_weight_column", "guesses"]
_PROJECT = re.compile(r"^\s*([0-9A-Za-z]{6,})\s*[-－—]+\s*(.+)$", re.S)
_UNIT = re.compile(r"^\s*(\d{2,})\s*[-－]\s*(.+)$", re.S)
_OPERATOR = re.compile(r"^\s*(≥|≤|＞|＜|>=|<=|>|<|＝|=)\s*")
_NUMBER_UNIT = re.compile(r"^(\d+(?:\.\d+)?)\s*(\S{0,8})$")
_PARENS = re.compile(r"[（(][^（）()]*[）)]")
TARGET_KINDS = ("performance_targets", "overall_performance_targets")
PROJECT_FIELDS = ("unit", "project", "budget", "goal")
INDICATOR_FIELDS = ("level1", "level2", "level3", "operator", "value", "measure_unit", "weight", "direction")
DEPARTMENT_WIDE = "部门整体 / department-wide"
G_CARRIED = "项目信息由前一表格或前一页延续 / project carried over from the previous table or page"
G_HEADER = "由表头行重建 / rebuilt from the header rows"
G_LEVELS = "一、二、三级指标由同一单元格拆分 / levels split from one cell"
G_LOST = "项目名称未能读出（合并单元格跨页）/ the project's name was not read (a merged cell over a page break)"
G_INCOMPLETE = ("表格续页未能完整读出，指标可能不全 / a continuation of the table could not be read in full: "
                "indicators may be missing")
G_SPLIT_ROW = "跨页断开的行已拼接 / a row split over a page break was joined"
G_SWAPPED = ("度量单位与指标值类型两格互换后读取（单位格印“≥”，类型格印“%”）/ the unit and value-type cells read "
             "swapped (the unit cell prints '≥', the type cell '%')")
_OPERATOR_CELL = re.compile(r"^(?:≥|≤|＞|＜|>=|<=|>|<|＝|=|定性|定量)$")


@lru_cache(maxsize=1)
def _fields() -> dict[str, tuple[str, int]]:
    """Header text → (field, priority): earlier rows of the catalogue win when two cells name one field."""
    return {r["header"]: (r["field"], k) for k, r in enumerate(load_csv("target_fields.csv"))}


@lru_cache(maxsize=1)
def _levels() -> tuple[tuple[str, ...], tuple[str, ...]]:
    rows = load_csv("indicator_levels.csv")
    level1 = tuple(sorted({r["level1"] for r in rows} | {r["level1"] for r in load_csv("performance_framework.csv")},
                          key=len, reverse=True))
    return level1, tuple(sorted({r["level2"] for r in rows}, key=len, reverse=True))


def text(x) -> str:
    """A cell as one line of text: '' for an empty or missing (NA) cell; wrapped lines joined."""
    if x is None or x is pd.NA or (isinstance(x, float) and x != x):
        return ""
    return re.sub(r"\s*\n\s*", "", str(x)).strip()


def paragraph_text(x) -> str:
    """Goal text: wrapped lines joined, paragraph breaks (after 。；: or before an enumerator) kept."""
    if x is None or x is pd.NA or (isinstance(x, float) and x != x):
        return ""
    lines = [ln.strip() for ln in str(x).split("\n") if ln.strip()]
    out = ""
    for ln in lines:
        if out and (out[-1] in "。；;：:！!？?" or re.match(r"^(?:\d{1,2}[.、．](?!\d)|[（(]\d+[）)]|目标\s*\d)", ln)):
            out += "\n"
        out += ln
    return out


def field_of(cell: str) -> str | None:
    key = re.sub(r"\s+", "", cell).strip("：:*")
    if not key:
        return None
    f = _fields().get(key) or _fields().get(_PARENS.sub("", key).strip("：:"))
    return f[0] if f else None


def _priority(cell: str) -> int:
    key = re.sub(r"\s+", "", cell).strip("：:*")
    f = _fields().get(key) or _fields().get(_PARENS.sub("", key).strip("：:"))
    return f[1] if f else 10 ** 6


def _header_rows(columns) -> tuple[list[list[str]], bool]:
    """The header rows, rebuilt from the column label paths (a path part per header row).

    Returns the rows and whether they are aligned (every column has as many parts): when they are not,
    a merged cell was folded into one part, and only the rows up to the field names can be trusted.
    """
    parts = [re.sub(r"#\d+$", "", str(c)).split("/") for c in columns]
    depth = max((len(p) for p in parts), default=0)
    aligned = len({len(p) for p in parts}) == 1
    rows = [[text(p[min(k, len(p) - 1)]) for p in parts] for k in range(depth)]
    return rows, aligned


def _distinct(cells: list[str]) -> list[tuple[int, str]]:
    """Cells left to right with merged repeats (the same text in adjacent cells) folded."""
    out: list[tuple[int, str]] = []
    for j, c in enumerate(cells):
        if c and (not out or out[-1][1] != c):
            out.append((j, c))
    return out


def _indicator_header(cells: list[str]) -> dict[str, int] | None:
    best: dict[str, tuple[int, int]] = {}
    for j, c in enumerate(cells):
        f = field_of(c)
        if f and (f not in best or _priority(c) < best[f][1]):
            best[f] = (j, _priority(c))
    cols = {f: j for f, (j, _) in best.items()}
    if "level3" in cols and ({"level1", "level2", "value", "operator"} & set(cols)):
        return cols
    if "project" in cols and "goal" in cols and ({"budget"} & set(cols)):
        return cols  # a project list: project, budget and goal, no indicators
    return None


def _card_pairs(cells: list[str]) -> dict[str, tuple[str, int]]:
    """Key/value pairs of a project card row (项目名称 | X, 年度资金总额： | 2,134.87, 年度目标 | …)."""
    seq = _distinct(cells)
    pairs: dict[str, tuple[str, int]] = {}
    for k, (j, c) in enumerate(seq):
        f = field_of(c)
        if f not in PROJECT_FIELDS or f in pairs or k + 1 >= len(seq):
            continue
        if f == "budget":
            val = next(((v, jj) for jj, v in seq[k + 1:] if parse_amount(v) is not None), None)
            if val is None:
                continue
            pairs[f] = val
            continue
        nj, nxt = seq[k + 1]
        if field_of(nxt) is None and not re.fullmatch(r"[（(]?(?:万元|元)[)）]?", nxt):
            pairs[f] = (nxt, nj)
    return pairs


def _split_levels(cell: str) -> tuple[str | None, str | None, str]:
    level1s, level2s = _levels()
    l1 = next((x for x in level1s if cell.startswith(x)), None)
    rest = cell[len(l1):] if l1 else cell
    l2 = next((x for x in level2s if rest.startswith(x)), None)
    rest = rest[len(l2):] if l2 else rest
    return l1, l2, rest


def _split_value(value: str) -> tuple[str | None, str, str | None]:
    """'≥330台（套）' → ('≥', '330', '台（套）'); text values stay whole."""
    op = None
    m = _OPERATOR.match(value)
    rest = value
    if m:
        op, rest = m.group(1), value[m.end():]
    n = _NUMBER_UNIT.match(rest.strip())
    if n and not re.search(r"[\d.前后底内止以]", n.group(2) or ""):
        return op, n.group(1), n.group(2) or None
    return op, rest.strip() if op else value, None


class _Reader:
    """Reads a stream of target-table rows, carrying project and level cells across tables and pages."""

    def __init__(self, d):
        self.d = d
        self.rows: list[dict] = []
        self.cols: dict[str, int] | None = None
        self.project: dict = {}
        self.levels: dict = {}
        self.carried = False  # the project came over from the table before
        self.carried_page = False  # the project came over a page break onto a page joined by guess
        self.project_rows = 0  # indicator rows of the current project
        self.last_page = None
        self.budget_unit_hint = None
        self.project_no = 0
        self.weight_total: Decimal | None = None
        self.header_of: list | None = None
        self.repeats = 0  # rows in a run showing the same project cell (a merged cell shown on every row)
        self.prev_project_cell = ""
        self.project_page = None
        self.pending_budget: int | None = None  # a 资金总额 label whose figure is printed below it

    # -- project state -------------------------------------------------------------------------
    def _new_project(self, name: str | None, where: dict) -> None:
        self._flush_empty_project()
        keep = {k: self.project.get(k) for k in ("unit",)}
        self.project_no += 1
        self.project = {**keep, "project": name, "where": where, "guesses": [], "no": self.project_no}
        self.levels = {}
        self.carried = self.carried_page = False
        self.project_rows = 0

    def _flush_empty_project(self) -> None:
        """A project printed without indicators (a project list, an empty card) is still one row."""
        p = self.project
        listed = p.get("card") or not (self.cols and "level3" in self.cols)
        if p.get("project") and not self.project_rows and p.get("where") and listed:
            self._emit(p["where"], {}, project_only=True)

    def _set(self, key: str, value: str, where: dict) -> None:
        if key == "project":
            if value != self.project.get("project"):
                self._new_project(value, where)
                self.project["card"] = True
            return
        if key == "goal" and self.project.get("goal") and value != self.project["goal"]:
            if not self.project_rows and self.project.get("goal_open"):
                self.project["goal"] += value  # a goal continued on the next row
            return
        if key == "budget":
            if self.project.get("budget") is None:
                amount = parse_amount(value.replace("万元", "").replace("元", ""))
                if amount is not None:
                    self.project["budget"] = amount
                    self.project["budget_unit"] = where.get("unit_hint") or where["table"].unit
            return
        self.project[key] = value
        if key == "goal":
            self.project["goal_open"] = True

    # -- rows -----------------------------------------------------------------------------------
    def table(self, t, continued: bool) -> None:
        if not continued:
            self._flush_empty_project()
            self.cols, self.project, self.levels, self.project_rows = None, {}, {}, 0
        elif self.project.get("project") or self.cols:
            self.carried = True
        header, aligned = _header_rows(t.frame.columns)
        pages = _row_pages(self.d, t)
        first_page = t.pages[0] if t.pages else None
        same_header = continued and self.header_of == list(t.frame.columns)
        for k, cells in enumerate([] if same_header else header):
            where = {"table": t, "row_no": None, "page": first_page, "header": True, "aligned": aligned}
            self.row(cells, where)
            if not aligned and self.cols and {"level1", "level2"} & set(self.cols):
                break  # header parts below the field names are folded merges: not rows
        deepest = []
        for c in t.frame.columns:
            parts = re.sub(r"#\d+$", "", str(c)).split("/")
            deepest.append(next((text(x) for x in reversed(parts) if field_of(text(x))), ""))
        by_path = _indicator_header(deepest)
        if by_path and (not self.cols or len(by_path) > len(self.cols)):
            self.cols = by_path
            self._weight_header(deepest[by_path["weight"]] if "weight" in by_path else "")
        self.header_of = list(t.frame.columns)
        for row_no, rec in zip(t.frame.index, t.frame.itertuples(index=False)):
            raw = list(rec)
            cells = [text(c) for c in raw]
            where = {"table": t, "row_no": int(row_no), "page": pages.get(int(row_no), first_page), "raw": raw}
            self.row(cells, where)

    def row(self, cells: list[str], where: dict) -> None:
        if not any(cells):
            return
        unit_hint = next((find_unit(c) for c in cells if find_unit(c)), None)
        where["unit_hint"] = unit_hint
        hdr = _indicator_header(cells)
        if hdr:
            self.cols = hdr
            self._weight_header(cells[hdr["weight"]] if "weight" in hdr else "")
            self.budget_unit_hint = find_unit(cells[hdr["budget"]]) if "budget" in hdr else None
            return
        if self.pending_budget is not None:
            j, self.pending_budget = self.pending_budget, None
            if j < len(cells) and parse_amount(cells[j]) is not None:
                self._set("budget", cells[j], where)
                return
        pairs = _card_pairs(cells)
        if "budget" not in pairs and not self.cols:
            self.pending_budget = next((j for j, c in enumerate(cells) if field_of(c) == "budget"), None)
        l3 = cells[self.cols["level3"]] if self.cols and "level3" in self.cols and self.cols["level3"] < len(cells) \
            else ""
        spans = not l3 or any(l3 == v for v, _ in pairs.values()) or field_of(l3) is not None
        in_columns = bool(self.cols) and any(f in self.cols for f in pairs)
        if pairs and spans and not in_columns:
            if "project" not in pairs and self.project_rows and ({"budget", "goal"} & set(pairs)):
                # a new card whose 项目名称 row the reader did not keep: a project without a name
                self._new_project(None, where)
                self.project["lost"] = True
            for key in ("project", "unit", "budget", "goal"):
                if key in pairs:
                    value = pairs[key][0]
                    if key == "goal" and where.get("raw") is not None:
                        value = paragraph_text(where["raw"][pairs[key][1]]) or value
                    self._set(key, value, where)
            return
        if not self.cols:
            return
        if any(field_of(c) == "department" for c in cells):
            return  # a card's 主管部门 | 实施单位 row, not an indicator
        self._column_row(cells, where)

    def _column_row(self, cells: list[str], where: dict) -> None:
        c = self.cols
        get = {f: (cells[j] if j < len(cells) else "") for f, j in c.items()}
        for f in list(get):
            if get[f] and field_of(get[f]) == f:
                get[f] = ""  # a header label repeated down a merged column
        page = where.get("page")
        if get.get("project"):
            self.repeats = self.repeats + 1 if get["project"] == self.prev_project_cell else 1
            if get["project"] != self.project.get("project"):
                self._new_project(get["project"], where)
            self.carried = self.carried_page = False
            self.project_page = page
        elif "project" in c and self.project.get("project"):
            if self.prev_project_cell and self.repeats >= 2 and page == self.project_page and not where.get("header"):
                # the reader shows a merged cell's text on every row it spans: an empty cell right after such a
                # span is another project whose name was not read (text centred in a cell that runs over a page)
                self._new_project(None, where)
                self.project["lost"] = True
            elif page != self.project_page:
                # a merged project cell running over a page break of one table read with certainty is the
                # same project; only a page joined by guess makes the carried project a guess (on that page)
                self.carried_page = bool(where["table"].guesses_at(page, units=False))
        if not get.get("project"):
            self.repeats = 0
        self.prev_project_cell = get.get("project", "")
        if "unit" in get and get["unit"]:
            self.project["unit"] = get["unit"]
        if get.get("budget"):
            if self.project.get("budget") is None or self.project.get("budget_cell") != get["budget"]:
                amount = parse_amount(get["budget"])
                if amount is not None and (self.project.get("budget") is None or not self.project_rows):
                    self.project["budget"] = amount
                    self.project["budget_cell"] = get["budget"]
                    self.project["budget_unit"] = self.budget_unit_hint or where["table"].unit
        if get.get("goal"):
            raw = where.get("raw")
            goal = paragraph_text(raw[c["goal"]]) if raw is not None else get["goal"]
            if not self.project.get("goal"):
                self.project["goal"] = goal
            elif text(goal) != text(self.project["goal"]) and not get.get("project") and not get.get("level3"):
                self.project["goal"] += goal  # the goal cell continued on the next page
        if "level3" not in c:
            if get.get("project") and not self.project_rows:
                self.project["where"] = where  # a project list row: flushed as a project-only row
            return
        level1, level2, level3 = get.get("level1", ""), get.get("level2", ""), get.get("level3", "")
        if not level3 and (level1 or level2) and self._level_fragment(level1, level2):
            return
        if level3 and (level3 in (level1, get.get("value"), get.get("operator"))
                       or (level3 == level2 and (not level1 or level2 not in _levels()[1]))):
            return  # a label spanning the indicator columns, not an indicator
        guesses = []
        if level3 and "level1" not in c:
            s1, s2, rest = _split_levels(level3)
            if s1 or s2:
                level1, level2, level3 = s1 or level1, s2 or level2, rest
                guesses.append(G_LEVELS)
        if level1:
            if level1 != self.levels.get("level1"):
                self.levels.pop("level2", None)
            self.levels["level1"] = level1
        if level2:
            self.levels["level2"] = level2
        indicator = {f: get.get(f, "") for f in ("operator", "value", "measure_unit", "weight", "direction")}
        if not level3:
            if any(indicator.values()) and self.rows and where["page"] != self.last_page and self._same_project():
                self._join_split_row(indicator)
            return
        if not any(indicator.values()) and self.rows and where["page"] != self.last_page and self._same_project() \
                and not (level1 or level2):
            self.rows[-1]["level3"] = (self.rows[-1]["level3"] or "") + level3
            self.rows[-1]["guesses"] = _add(self.rows[-1]["guesses"], G_SPLIT_ROW)
            return
        if where.get("header"):
            if not where.get("aligned"):
                return  # header parts folded by merged cells are not rows: never an indicator
            guesses.append(G_HEADER)
        self._emit(where, {"level3": level3, **indicator}, guesses=guesses)

    def _weight_header(self, cell: str) -> None:
        """分值（90）, 分值权重（90分）: the total the weights should reach, printed in the header."""
        m = re.search(r"[（(]\s*(\d+)\s*分?\s*[）)]", cell or "")
        self.weight_total = Decimal(m.group(1)) if m else None

    def _level_fragment(self, level1: str, level2: str) -> bool:
        """A level cell cut by a page break ('时效指' | '标'): joined to the row above when together they make
        a level name of the framework."""
        if not self.rows or not self._same_project():
            return False
        last = self.rows[-1]
        joined = {}
        for key, frag in (("level1", level1), ("level2", level2)):
            if frag:
                whole = (last[key] or "") + frag
                if whole not in _levels()[0 if key == "level1" else 1]:
                    return False
                joined[key] = whole
        for key, whole in joined.items():
            last[key] = whole
            self.levels[key] = whole
        last["guesses"] = _add(last["guesses"], G_SPLIT_ROW)
        return True

    def _same_project(self) -> bool:
        return self.rows[-1]["project_name"] == _split(_PROJECT, self.project.get("project"))[1]

    def _join_split_row(self, indicator: dict) -> None:
        last = self.rows[-1]
        for f, v in indicator.items():
            if v and f != "weight":
                last[f if f != "value" else "value_printed"] = (last.get(f if f != "value" else "value_printed")
                                                                or "") + v
            elif v and last["weight"] is None:
                last["weight"] = parse_amount(v)
        if indicator.get("value"):
            op, val, mu = _split_value(last["value_printed"])
            last["value"] = val
        last["guesses"] = _add(last["guesses"], G_SPLIT_ROW)

    def _emit(self, where: dict, ind: dict, guesses=(), project_only: bool = False) -> None:
        t = where["table"]
        p = self.project
        unit_code, unit_name = _split(_UNIT, p.get("unit"))
        project_code, project_name = _split(_PROJECT, p.get("project"))
        if project_name is None and t.kind == "overall_performance_targets" and not p.get("lost"):
            project_name = DEPARTMENT_WIDE
        lost = p.get("lost") or (project_name is None and not project_only)
        g = list(guesses) + ([G_CARRIED] if self.carried or self.carried_page else []) + ([G_LOST] if lost else []) \
            + ([G_INCOMPLETE] if p.get("incomplete") else [])
        value_printed = ind.get("value") or None
        op, value, mu = ind.get("operator") or None, ind.get("value") or None, ind.get("measure_unit") or None
        if op and mu and _OPERATOR_CELL.match(mu) and not _OPERATOR_CELL.match(op):
            op, mu = mu, op  # the unit printed in the value-type cell and the operator in the unit cell
            g.append(G_SWAPPED)
        if value and not (op and mu):
            s_op, s_val, s_mu = _split_value(value)
            if (s_op and not op) or (s_mu and not mu):
                op, value, mu = op or s_op, s_val, mu or s_mu
        self.rows.append({
            "doc_id": self.d.doc_id, "source": "department" if t.kind == "overall_performance_targets" else "table", "file": t.file, "table_index": t.index,
            "table_title": t.title, "page": where.get("page"), "row_no": where.get("row_no"),
            "unit_code": unit_code, "unit_name": unit_name, "project_no": p.get("no"), "project_code": project_code,
            "project_name": project_name, "budget": p.get("budget"),
            "budget_unit": p.get("budget_unit") if p.get("budget") is not None else None,
            "goal": p.get("goal") or None,
            "level1": None if project_only else self.levels.get("level1"),
            "level2": None if project_only else self.levels.get("level2"),
            "level3": ind.get("level3") or None, "operator": op, "value": value, "measure_unit": mu,
            "weight": parse_amount(ind.get("weight")) if ind.get("weight") else None,
            "direction": ind.get("direction") or None, "value_printed": value_printed,
            "has_weight_column": bool(self.cols and "weight" in self.cols),
            "_weight_total": self.weight_total,
            "guesses": "; ".join(dict.fromkeys(g)) or None,
            "_project": p,  # the goal may continue on later rows: read back at the end
        })
        if not project_only:
            self.project_rows += 1
            self.last_page = where.get("page")
        self.project["goal_open"] = False

    def unreadable_continuation(self) -> None:
        """A fragment that continues the current table but gave no rows: the project may miss indicators."""
        no = self.project.get("no")
        if no is None:
            return
        self.project["incomplete"] = True
        for r in self.rows:
            if r["project_no"] == no:
                r["guesses"] = _add(r["guesses"], G_INCOMPLETE)

    def finish(self) -> list[dict]:
        self._flush_empty_project()
        self.project = {}
        sums: dict = {}
        for r in self.rows:
            p = r.pop("_project", None)
            if p is not None and p.get("goal"):
                r["goal"] = p["goal"]
            if r.get("weight") is not None and r.get("project_no") is not None:
                sums[r["project_no"]] = sums.get(r["project_no"], Decimal(0)) + r["weight"]
        for r in self.rows:  # weights short of the printed total: some indicator rows were not read
            total = r.pop("_weight_total", None)
            if total is not None and r.get("project_no") in sums and sums[r["project_no"]] < total:
                r["guesses"] = _add(r["guesses"], G_INCOMPLETE)
        return self.rows


def _add(guesses: str | None, g: str) -> str:
    return "; ".join(dict.fromkeys([x for x in (guesses or "").split("; ") if x] + [g]))


def _split(pattern, value):
    value = text(value)
    m = pattern.match(value)
    return (m.group(1), m.group(2).strip()) if m else (None, value or None)


def _row_pages(d, t) -> dict[int, int]:
    """Page of each body row: from the table's row pages when the reader keeps them, else from the amount
    and residue cells of the row, else the previous row's page."""
    pages = getattr(t, "row_pages", None)
    if pages:
        return {k + 1: p for k, p in enumerate(pages) if p is not None}
    out: dict[int, int] = {}
    for frame in (d.amounts, d.residue):
        if frame is None or frame.empty:
            continue
        sub = frame[frame["table_index"] == t.index]
        for r, p in zip(sub["row_no"], sub["page"]):
            if not pd.isna(r) and not pd.isna(p):
                out.setdefault(int(r), int(p))
    if not out:
        return {}
    filled, last = {}, t.pages[0] if t.pages else None
    for r in t.frame.index:
        last = out.get(int(r), last)
        filled[int(r)] = last
    return filled


def _target_bearing(t) -> bool:
    """A target table by its kind, or by its header's meaning (三级指标 and 指标值, or 项目名称, 金额 and 绩效目标),
    whatever kind its title gave it."""
    if t.kind in TARGET_KINDS:
        return True
    header, _ = _header_rows(t.frame.columns)
    return any(_indicator_header(r) for r in header)


def _continues(prev, t) -> bool:
    """t continues prev: same file, the same or the next page, and no title of its own naming a new form
    (an untitled fragment, or the same title as a continuation)."""
    if prev is None or t.file != prev.file or not t.pages or not prev.pages:
        return False
    if t.pages[0] is None or prev.pages[-1] is None or t.pages[0] - prev.pages[-1] not in (0, 1):
        return False
    if t.kind == "unknown":  # a fragment: untitled, or a page number taken for a title
        return not re.search(r"[\u4e00-\u9fff]", t.title or "")
    return not t.title or t.title == prev.title


def performance_targets(d) -> pd.DataFrame:
    reader = _Reader(d)
    prev = None
    for t in d.tables:
        if not _target_bearing(t):
            if t.kind == "unknown" and prev is not None and _continues(prev, t):
                if len(t.frame):
                    reader.table(t, continued=True)  # an untitled continuation fragment
                else:
                    reader.unreadable_continuation()
                prev = t
            continue
        same_columns = prev is not None and list(prev.frame.columns) == list(t.frame.columns)
        reader.table(t, continued=_continues(prev, t) and (t.kind == "unknown" or same_columns))
        prev = t
    rows = reader.finish()
    rows += narrative_projects(d)
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["budget"] = decimal_series(df["budget"], index=df.index)
    df["weight"] = decimal_series(df["weight"], index=df.index)
    strings = [c for c in COLUMNS if c not in ("table_index", "page", "row_no", "budget", "weight", "has_weight_column",
                                               "project_no")]
    df = df.astype({c: "string" for c in strings}).astype({"table_index": "Int64", "page": "Int64", "row_no": "Int64",
                                                           "project_no": "Int64", "has_weight_column": "boolean"})
    assert df["budget"].dtype == DECIMAL_DTYPE
    return df


_SECTION = re.compile(r"^[一二三四五六七八九十]+、\s*(.+)$")
_PLAN = re.compile(r"用款计划\s*(\d+(?:\.\d+)?)\s*(万元|元)")
_BUILDER = re.compile(r"^由.+?(?:建设|实施|承担|负责)的")


def narrative_projects(d) -> list[dict]:
    """项目经费情况说明 (Shanghai): one project each, described in text rather than a table.

    Gives the project's name, its yearly spending plan (the sum of the 用款计划
    it states) and its goal text, as rows without indicators.
    """
    n = d.narrative
    if n.empty:
        return []
    out = []
    starts = [i for i, t in zip(n.index, n["text"]) if t.strip() == "项目经费情况说明"]
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else n.index[-1] + 1
        part = n.loc[start + 1: end - 1]
        sections: dict[str, list[str]] = {}
        current = None
        for line in part["text"]:
            m = _SECTION.match(line.strip())
            if m and len(line) < 20:
                current = m.group(1)
                continue
            if current:
                sections.setdefault(current, []).append(line)
        overview = "".join(sections.get("项目概况", []))
        name = _BUILDER.sub("", re.split(r"[，,。]", overview)[0]).strip() or None
        plan = [(Decimal(v), u) for v, u in _PLAN.findall("".join(sections.get("年度预算安排", [])))]
        budget = sum((v if u == "万元" else v / 10000 for v, u in plan), Decimal(0)) if plan else None
        if not name and budget is None:
            continue
        page = n.loc[start, "page"]
        out.append({"doc_id": d.doc_id, "source": "narrative", "table_index": None,
                    "table_title": "项目经费情况说明", "page": None if pd.isna(page) else int(page), "row_no": None,
                    "project_name": name, "budget": budget, "budget_unit": "万元",
                    "goal": "".join(sections.get("绩效目标", [])) or None})
    return out
