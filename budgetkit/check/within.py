"""Within-table identities: code hierarchy, 合计 rows, 合计 columns, 收=支."""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache

import pandas as pd

from budgetkit.check.ledger import Ledger, concept_of, half_unit, present, records
from budgetkit.check.recorder import Recorder
from budgetkit.money import to_yuan
from budgetkit.reference import load_csv

_SUBTOTAL = ("合计", "小计", "总计")


def _groups(L: Ledger) -> list[list[dict]]:
    """The rows of each column of each table (and unit), as plain dicts in printed order."""
    if "_column_groups" not in L.__dict__:
        groups: dict[tuple, list[dict]] = {}
        for r in L.rows:
            key = (r["table_index"], r["column_label"], r["unit_code"] if present(r["unit_code"]) else "")
            groups.setdefault(key, []).append(r)
        L.__dict__["_column_groups"] = list(groups.values())
    return L.__dict__["_column_groups"]


def _compare(R: Recorder, rule, expected, actual, tol, unit, zh, en, locations, guesses=None):
    """Record a comparison; the evidence (``locations``, a callable) is built only for a difference."""
    if expected == actual:
        R.passed(rule)
        return None
    return R.compare(rule, expected, actual, tol, unit, zh, en, locations(), guesses)


_MONEY_FIGURE = re.compile(r"\d\.\d|\d,\d{3}")  # a figure with decimals or thousands separators
_G_RESIDUE = ("{col}有未能读取为金额的单元格（第{page}页「{raw}」），求和可能缺项",
              "a cell of {col} could not be read as an amount (p{page} '{raw}'): the sum may lack a term")
_G_LABELS = ("科目名称与编码错行（{names}印在其他类的编码旁），行的切分可能有误",
             "class names sit beside other classes' codes ({names}): the rows may be split wrongly")
_G_MOST = ("此表{n}/{m}项{rule}核对不相等，读取可能有误",
           "{n} of {m} {rule} comparisons of this table fail: the reading may be wrong")


class _Doubts:
    """Signs in a table's own reading that a sum rests on an incomplete or misaligned reading.

    A difference resting on one is ``review`` with the doubt named, never an error: a cell whose money
    could not be read (two figures stacked in one cell) leaves a term out of its column and its row;
    class names printed beside codes of other classes show that labels and codes were paired with the
    wrong rows, so a row may be lost; and when most identities of one table fail at once, the reading is
    more likely wrong than the table."""

    def __init__(self, L: Ledger):
        self.L = L
        self.tally: dict = defaultdict(lambda: [0, []])  # table index → [comparisons, failed findings]
        self._residue = None
        self._labels: dict = {}

    def count(self, table_index, finding) -> None:
        t = self.tally[table_index]
        t[0] += 1
        if finding is not None and finding.status == "fail":
            t[1].append(finding)

    def _unread(self) -> dict:
        """(table index, column) → first unread cell, and (table index, row) → first unread cell."""
        if self._residue is None:
            self._residue = {}
            res = getattr(self.L.d, "residue", None)
            roles = {t.index: t.column_roles for t in self.L.d.tables}
            if res is not None and len(res):
                for r in records(res):
                    ti = r["table_index"]
                    if not present(ti) or roles.get(int(ti), {}).get(r["column_label"]) != "amount" \
                            or not _MONEY_FIGURE.search(str(r["raw"])) or "%" in str(r["raw"]):
                        continue  # money left unread (31.01 / 424.00 in one cell), not a score or a percentage
                    cell = (r["page"], str(r["raw"]).replace("\n", " "), r["column_label"])
                    self._residue.setdefault(("col", int(ti), r["column_label"]), cell)
                    self._residue.setdefault(("row", int(ti), r["row_no"]), cell)
        return self._residue

    def _misaligned(self, table_index) -> list[str]:
        if table_index not in self._labels:
            names = {n: c for n, c in ((r["name"], r["code"]) for r in load_csv("class_names.csv")
                                        if r["scheme"] == "function") if not n.startswith("其他")}
            wrong = []
            for r in records(self.L.table_rows(table_index)[["code", "label"]].drop_duplicates()):
                c, lab = r["code"], r["label"]
                if present(c) and c[:1] == "2" and lab in names and names[lab] != c[:3] and lab not in wrong:
                    wrong.append(lab)
            self._labels[table_index] = wrong if len(wrong) >= 2 else []
        return self._labels[table_index]

    def _guess(self, table_index, cell) -> list[str]:
        out = []
        if cell:
            page, raw, col = cell
            zh, en = _G_RESIDUE
            out.append(f"{zh.format(col=f'「{col}」列', page=page, raw=raw)} / {en.format(col=repr(col), page=page, raw=raw)}")
        wrong = self._misaligned(table_index)
        if wrong:
            names = "、".join(wrong[:3])
            out.append(f"{_G_LABELS[0].format(names=names)} / {_G_LABELS[1].format(names=names)}")
        return out

    def of_column(self, r) -> list[str]:
        """Doubts a sum down the column of row ``r`` rests on."""
        ti = int(r["table_index"])
        return self._guess(ti, self._unread().get(("col", ti, r["column_label"])))

    def of_row(self, table_index, row_no) -> list[str]:
        """Doubts a sum across row ``row_no`` rests on."""
        return self._guess(table_index, self._unread().get(("row", table_index, row_no)))

    def most_fail(self, rule: str, R: Recorder) -> None:
        """Most of one table's comparisons failing at once: the reading is doubtful."""
        for ti, (m, failed) in self.tally.items():
            n = len(failed)
            if n >= 3 and 2 * n > m:
                zh, en = (x.format(n=n, m=m, rule=rule) for x in _G_MOST)
                for f in failed:
                    f.rests_on([f"{zh} / {en}"])
        self.tally.clear()


def _first_of_runs(rows: list[dict]) -> list[dict]:
    """The first row of each run of consecutive rows printing one code.

    A code printed on several rows in a row is either split by another dimension (each row a part:
    Shaanxi pairs a 部门经济科目 with several 政府经济科目), or a subtotal followed by its parts (全额 → a
    unit → its items, one function code on all three), or a level printed twice (a 款 with no 项 repeated
    on the 项 line).  Only the first row of each run stands for the code in the second reading."""
    out = []
    for r in rows:
        if not out or out[-1]["eff_code"] != r["eff_code"]:
            out.append(r)
    return out


def _readings(rows: list[dict]) -> list[list[dict]]:
    """Every way the rows can add up: all of them, and, where a code repeats on consecutive rows,
    the first row of each run (see ``_first_of_runs``)."""
    first = _first_of_runs(rows)
    return [rows] if len(first) == len(rows) else [rows, first]


def _sum_readings(R: Recorder, L: Ledger, rule, expected_row, readings, unit, zh, en, where, guesses):
    """Compare ``expected_row`` with each reading's sum; a difference under every reading is recorded
    (with the first reading's figures); a reading that holds passes."""
    results = []
    for rows in readings:
        total = sum((k["amount_yuan"] for k in rows), Decimal(0))
        tol = L.tol_yuan(rows) + to_yuan(half_unit(expected_row["decimals"]), expected_row["unit"])
        if abs(total - expected_row["amount_yuan"]) <= tol:
            results = [(rows, total, tol)]
            break
        results.append((rows, total, tol))
    rows, total, tol = results[0]
    f = _compare(R, rule, expected_row["amount_yuan"], total, tol, unit, zh(rows), en(rows),
                 lambda: [L.location(expected_row)] + [L.location(r) for r in rows], guesses)
    where.count(expected_row["table_index"], f)


def _nearest_parents(codes) -> dict[str, str]:
    """Each code's nearest printed ancestor (20602 for 2060203; 206 for 2069901 when 20699 is not read)."""
    codes = set(codes)
    out = {}
    for c in codes:
        for n in range(len(c) - 2, 2, -2):
            if c[:n] in codes:
                out[c] = c[:n]
                break
    return out


def code_hierarchy(L: Ledger, R: Recorder) -> None:
    """W01: 类 = Σ款, 款 = Σ项 within one column of one table."""
    if not any(present(r["eff_code"]) for r in L.rows):
        R.not_evaluated("W01", "没有带科目编码的表格", "no table prints classification codes")
        return
    doubts = _Doubts(L)
    for column in _groups(L):
        g = [r for r in column if present(r["eff_code"])]
        where: dict[str, list[int]] = defaultdict(list)
        for pos, r in enumerate(g):
            where[r["eff_code"]].append(pos)
        parent_of = _nearest_parents(where)
        kids_of: dict[str, list[str]] = defaultdict(list)
        for c, p in parent_of.items():
            kids_of[p].append(c)
        for code, spots in where.items():
            if len(spots) != 1 or len(code) not in (3, 5):
                continue
            # every row of a child code counts: a code printed on two rows splits it by another
            # dimension (Shaanxi pairs each 部门经济科目 with several 政府经济科目); a sub-code printed
            # without its own parent (3010201 with no 30102; 2069901 when 20699 is lost) stands for it
            kid_codes = kids_of.get(code, [])
            if not any(len(c) == len(code) + 2 for c in kid_codes):
                continue
            kid_spots = [q for c in kid_codes for q in where[c]]
            p = g[spots[0]]
            kids = [g[q] for q in sorted(kid_spots)]
            _sum_readings(
                R, L, "W01", p, _readings(kids), p["unit"],
                lambda ks, p=p, code=code: f"{p['table_title']}「{p['column_label']}」列：{code} {p['label']} 与其下级科目之和不等",
                lambda ks, p=p, code=code: (f"{p['table_title']} column '{p['column_label']}': {code} differs from the "
                                            f"sum of its {len(ks)} sub-codes"),
                doubts, doubts.of_column(p))
    doubts.most_fail("W01", R)


# tables whose rows are not a classification (purchases, projects, meetings, targets): no 合计 = Σ codes
_NOT_CLASSIFIED = {"procurement", "government_purchased_services", "meetings_and_training", "performance_targets",
                   "overall_performance_targets", "performance_self_evaluation", "project_expenditure"}


def total_rows(L: Ledger, R: Recorder) -> None:
    """W02: a 合计 row equals the sum of the top-level coded rows in its column."""
    found_any = False
    doubts = _Doubts(L)
    for g in _groups(L):
        totals = [r for r in g if r["is_total_row"] and not present(r["eff_code"]) and "总计" not in r["label"]]
        # beside 本年收入合计 / 本年支出合计, a bare 合计 further down adds the balances: a grand total
        this_year = [r for r in totals if r["label"].startswith("本年")]
        if this_year:
            totals = this_year
        coded = [r for r in g if present(r["eff_code"])]
        if not totals or not coded or g[0]["table_kind"] in _NOT_CLASSIFIED:
            continue
        codes = {r["eff_code"] for r in coded}
        top = [r for r in coded if not any(r["eff_code"] != o and r["eff_code"].startswith(o) for o in codes)]
        for t in totals:
            # a row with money above the total that no code or class name places (对企业补助 in a
            # government-economic panel, 一、部门预算): the coded rows are not the whole column
            above = [r for r in g if r["row_no"] < t["row_no"] and not present(r["eff_code"]) and not r["is_total_row"]
                     and r["amount_yuan"] != 0 and not r["label"].startswith(("其中", "含"))]
            if above:
                R.not_evaluated("W02", f"{t['table_title']}「{t['column_label']}」列有未能对应科目的行，合计行不核对",
                                f"{t['table_title']} column '{t['column_label']}': rows without a code; "
                                "its total is not checked")
                continue
            found_any = True
            _sum_readings(
                R, L, "W02", t, _readings(top), t["unit"],
                lambda rows, t=t: f"{t['table_title']}「{t['column_label']}」列：{t['label']}行与{len(rows)}个科目行之和不等",
                lambda rows, t=t: (f"{t['table_title']} column '{t['column_label']}': the {t['label']} row differs "
                                   f"from the sum of its {len(rows)} rows"),
                doubts, doubts.of_column(t))
    doubts.most_fail("W02", R)
    if not found_any:
        R.not_evaluated("W02", "没有同时含合计行与科目行的列", "no column has both a 合计 row and coded rows")


@lru_cache(maxsize=None)
def _sum_roles() -> tuple:
    return tuple((re.compile(r["pattern"]), r["role"]) for r in load_csv("column_sum_roles.csv"))


def sum_role(name: str) -> str | None:
    """How a column name takes part in a sum (reference/column_sum_roles.csv): group_total, part,
    alternative, or None for a plain component."""
    name = re.sub(r"#\d+$", "", name.replace(" ", ""))
    return next((role for rx, role in _sum_roles() if rx.search(name)), None)


def _subtree_value(prefix: str, values: dict[str, pd.Series], columns: list[str]):
    """The value of a header subtree: its own column, its total child (合计, 小计, 金额, …总数),
    or the sum of its plain children (其中 details and 扣除…后 measures left out)."""
    if prefix in values:
        return [values[prefix]]
    if prefix in columns:
        return []  # printed but empty: counts as zero
    children = sorted({c[len(prefix) + 1:].split("/")[0] for c in columns if c.startswith(prefix + "/")})
    for ch in children:
        if sum_role(ch) == "group_total":
            col = f"{prefix}/{ch}"
            return [values[col]] if col in values else []
    out = []
    for ch in children:
        if sum_role(ch) in ("part", "alternative"):
            continue
        out += _subtree_value(f"{prefix}/{ch}", values, columns)
    return out


def _is_part_of(column: str) -> bool:
    """A 其中 column (其中：基本建设资金支出, 其中:教育收费) details a sibling; it adds to nothing."""
    return any(sum_role(c) == "part" for c in column.split("/"))


def _beside(column: str, total: str) -> bool:
    """A column printed beside a named total but not part of it (会议费, 培训费 beside “三公”经费合计):
    a bare 合计 adds it, a total named for something else does not."""
    name, whole = column.split("/")[-1], total.split("/")[-1]
    return sum_role(name) == "beside" and whole not in _SUBTOTAL and name not in whole


def _doubled(siblings: list[str], total: str, columns: list[str]) -> list[set]:
    """Sibling columns that may count money twice, each set a reading to try without them.

    A sibling named for a whole (收入合计, 支出总计 beside 合计) is either a part (本年收入合计 beside 上年结转)
    or the total itself printed again.  A group whose only child is its 小计 (公务用车购置及运行维护费/小计)
    lost its header span: the columns printed after it that name the same thing (公务用车购置费,
    公务用车运行维护费, sharing four or more leading characters) are its parts, already in the 小计."""
    out = []
    named = {s for s in siblings if s != total and s.split("/")[-1].endswith(("合计", "总计"))}
    if named:
        out.append(named)
    for s in siblings:
        kids = {c[len(s) + 1:].split("/")[0] for c in columns if c.startswith(s + "/")}
        if len(kids) != 1 or sum_role(next(iter(kids))) != "group_total":
            continue
        name = s.split("/")[-1]
        after = columns[columns.index(f"{s}/{next(iter(kids))}") + 1:] if f"{s}/{next(iter(kids))}" in columns else []
        flat = set()
        for c in after:
            if c not in siblings:  # a leaf beside the group, not another group
                break
            last = c.split("/")[-1]
            if len(_common_prefix(last, name)) < 4:
                break
            flat.add(c)
        if flat:
            out.append(flat)
    return out


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def total_columns(L: Ledger, R: Recorder) -> None:
    """W03: a 合计 column equals the sum of its sibling columns, row by row."""
    evaluated = False
    doubts = _Doubts(L)
    for t in L.d.tables:
        columns = [c for c, role in t.column_roles.items() if role == "amount"]
        # 合计/小计/总计, and a column named for the whole (收入合计, 支出总计)
        totals = [c for c in columns if c.split("/")[-1] in _SUBTOTAL
                  or (c.split("/")[-1].endswith(("合计", "总计")) and "其中" not in c)]
        if not totals:
            continue
        rows = L.table_rows(t.index)
        by_row: dict = defaultdict(dict)
        for r in records(rows):  # plain dicts: a row lookup per cell costs nothing
            by_row[r["row_no"]][r["column_label"]] = r
        for row_no, values in by_row.items():
            for tc in totals:
                if tc not in values:
                    continue
                parent = tc.rsplit("/", 1)[0] if "/" in tc else ""
                siblings = sorted({(parent + "/" if parent else "") + c[len(parent) + (1 if parent else 0):]
                                   .split("/")[0] for c in columns
                                   if (c.startswith(parent + "/") if parent else True)} - {tc})
                siblings = [s for s in siblings if s.split("/")[-1] not in _SUBTOTAL
                            and sum_role(s.split("/")[-1]) not in ("group_total", "alternative")
                            and not any(sum_role(c) == "memo" for c in s.split("/"))
                            and not _beside(s, tc)]
                # "其中" columns: one under a 小计 details it (其中：基本建设资金支出 under 项目支出) and
                # adds to nothing; one that heads a row of columns (其中：基本支出 | 项目支出) is part of
                # a partition; several alone may nest (中小企业 ⊃ 小微企业) and are not judged.  Every
                # reading that can hold is tried; a difference under all of them is reported.
                whole = [s for s in siblings if not _is_part_of(s)]
                part = [s for s in siblings if _is_part_of(s)]
                if part and whole:
                    readings = [whole, whole + part] if len(whole) >= 2 else [whole + part, whole]
                elif part:
                    readings = []  # only 其中 columns: nested or a partition, the header does not say
                else:
                    readings = [whole] if whole else []
                readings += [[c for c in r if c not in doubled] for doubled in _doubled(whole, tc, columns)
                             for r in list(readings) if any(c in doubled for c in r)]
                best = None
                for cols in readings:
                    parts = []
                    for s in cols:
                        parts += _subtree_value(s, values, columns)
                    if not parts:
                        continue
                    total = values[tc]
                    sm = sum((p["amount_yuan"] for p in parts), Decimal(0))
                    tol = sum((to_yuan(half_unit(p["decimals"]), p["unit"]) for p in parts), Decimal(0)) \
                        + to_yuan(half_unit(total["decimals"]), total["unit"])
                    if abs(sm - total["amount_yuan"]) <= tol:
                        best = (parts, sm, tol)
                        break
                    best = best or (parts, sm, tol)
                if best is None:
                    continue
                evaluated = True
                parts, sm, tol = best
                total = values[tc]
                names = "＋".join(p["column_label"].split("/")[-1] for p in parts)
                f = _compare(R, "W03", total["amount_yuan"], sm, tol, total["unit"],
                             f"{t.title}「{total['row_label']}」行：{tc} 不等于 {names}",
                             f"{t.title} row '{total['row_label']}': {tc} differs from {names}",
                             lambda total=total, parts=parts: [L.location(total)] + [L.location(p) for p in parts],
                             doubts.of_row(t.index, row_no))
                doubts.count(t.index, f)
    doubts.most_fail("W03", R)
    if not evaluated:
        R.not_evaluated("W03", "没有可核对的合计列", "no table has a 合计 column with component columns")


def income_equals_expenditure(L: Ledger, R: Recorder) -> None:
    """W04: 收入总计 = 支出总计 (or 本年收入合计 = 本年支出合计)."""
    tables = L.tables("income_expenditure_summary", "fiscal_appropriation_summary")
    if not tables:
        R.not_evaluated("W04", "缺少收支总表和财政拨款收支总表", "no income-expenditure summary table")
        return
    # 收入总计 = 支出总计 always holds; 本年收入 = 本年支出 only where nothing is carried over
    # (a 决算, or a budget with 上年结转 / 结转下年, legitimately differs by the balances)
    # (a 高等学校收支决算总表 ends both panels with 合计: the last such row, income panel against expenditure panel)
    # (收入合计 / 支出合计 count only as the table's last row: elsewhere they may be this year's subtotals)
    pairs = [("收入总计", "支出总计"), ("总计", "总计"), ("合计", "合计"), ("收入合计", "支出合计")]
    for t in tables:
        rows = L.table_rows(t.index)
        carry = rows[rows["label"].str.contains("结转|结余|年初|年末", regex=True)
                     & (rows["amount_yuan"] != 0)]
        this_year = [("本年收入合计", "本年支出合计"), ("本年收入", "本年支出")]
        for inc, exp in pairs + (this_year if L.d.meta.get("stage") == "预算" and carry.empty else []):
            a = rows[rows["label"] == inc]
            b = rows[rows["label"] == exp]
            if inc == "收入合计":
                last = rows["row_no"].max()
                a, b = a[a["row_no"] == last], b[b["row_no"] == last]
            if inc == exp:  # one 总计 row per panel: the income panel's and the expenditure panel's
                a = a[a["column_label"].str.contains("收入") & ~a["column_label"].str.contains("支出")]
                b = b[b["column_label"].str.contains("支出")]
                if inc == "合计":  # the grand total is the panel's last 合计
                    a, b = a[a["row_no"] == a["row_no"].max()], b[b["row_no"] == b["row_no"].max()]
            if not a.empty and not b.empty:
                b_tot = b[b["concept"].isin(["total"]) | (b["column_label"].str.count("/") <= 1)]
                a0, b0 = a.iloc[0], (b_tot.iloc[0] if not b_tot.empty else b.iloc[0])
                tol = to_yuan(half_unit(a0["decimals"]), a0["unit"]) + to_yuan(half_unit(b0["decimals"]), b0["unit"])
                R.compare("W04", a0["amount_yuan"], b0["amount_yuan"], tol, a0["unit"],
                          f"{t.title}：{inc}与{exp}不等", f"{t.title}: {inc} differs from {exp}",
                          [L.location(a0), L.location(b0)])
                break
        else:
            R.not_evaluated("W04", f"{t.title}中找不到收入总计与支出总计", f"{t.title}: no income and expenditure totals found")


RULES = [code_hierarchy, total_rows, total_columns, income_equals_expenditure]
