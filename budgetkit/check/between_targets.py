"""B05: the performance-target tables' project budgets against the project table, matched by name."""
from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.check.between_views import _where
from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger, half_unit, present, records
from budgetkit.check.recorder import Recorder, fmt
from budgetkit.money import to_yuan


#: more projects without a target than this in one project table are one finding naming the first _NAMED
_ONE_BY_ONE, _NAMED = 5, 12
_PROJECT_CODE = re.compile(r"^[0-9A-Za-z]{8,}[-－—]+")
_UNIT_ROW = re.compile(r"^\d{1,9}[-－]")


def _norm_name(s: str) -> str:
    return re.sub(r"[\s\-－—_“”\"（）()]", "", _PROJECT_CODE.sub("", s or ""))


#: words a project's name may carry in one table and drop in the other (大宗印刷业务 / 大宗印刷项目, 公安业务及其他交通
#: 工具购置 / 公安业务其他交通工具购置, 2026年政策性农业保险市级补贴资金 / 政策性农业保险市级补贴资金)
_FILLER = re.compile(r"^20\d\d年度?|项目|业务|经费|[及和与、，,]")


def _variant(a: str, b: str) -> bool:
    """Two printings of one project's name: equal once filler words are left out, or the shorter's characters in the
    longer's order and most of it (道路交通感知设备建设 / 道路交通感知外场设备建设). Never used alone: a match also
    needs the same amount."""
    a, b = _FILLER.sub("", a), _FILLER.sub("", b)
    short, long_ = sorted((a, b), key=len)
    if len(short) < 4:
        return False
    if short == long_:
        return True
    if len(short) * 4 < len(long_) * 3:
        return False
    rest = iter(long_)
    return all(c in rest for c in short)


class _Layout:
    """One project table's named rows in printed order: keys, amounts (0 where none), which rows are a unit's, which
    head a group (:func:`_group_flags`) and which head parts of their own (a group, or a row over one part of its
    own amount: 公安业务其他交通工具购置 910,000 over 摩托车 910,000). Worked out once per check."""

    def __init__(self, t: pd.DataFrame):
        from budgetkit.tidy.meta import is_org_name

        t = t.sort_values("row_no")
        self.labels = list(t["row_label"].fillna(""))
        self.keys = list(zip(t["table_index"], t["row_no"]))
        self.amounts = [a if present(a) else Decimal(0) for a in t["amount_yuan"]]
        # "广州市统计监测中心（广州市统计发展中心）": a unit's name with its other name after it
        self.unit = [is_org_name(x) or is_org_name(re.sub(r"[（(][^（()）]*[）)]$", "", x))
                     for x in t["row_label"].fillna("")]
        a = self.amounts
        self.single = [k + 1 < len(a) and a[k] != 0 and a[k] == a[k + 1] for k in range(len(a))]
        self.group = _group_flags(a, self.unit, self.single)
        self.flags = [g or s for g, s in zip(self.group, self.single)]

    def parts(self, i: int) -> list:
        """The rows right below row ``i`` that add up to it: its parts (办公场所租赁 8,379,953.61 = 反恐处突…
        180,000 + 刑事侦查… 1,350,000 + 治安管理… 6,849,953.61). Tried plain, then leaving out rows that head parts
        of their own; a unit's row ends the search. Empty when no run of rows adds up."""
        whole = self.amounts[i]
        if whole <= 0:
            return []
        for skip in (None, self.flags):
            run, span = Decimal(0), []
            for k in range(i + 1, len(self.amounts)):
                if self.unit[k]:
                    break
                span.append(k)
                if skip is not None and skip[k]:
                    continue
                run += self.amounts[k]
                if run == whole:
                    return span
                if run > whole:
                    break
        return []


def _layouts(named: pd.DataFrame) -> list:
    return [_Layout(t) for _, t in named.groupby("table_index", sort=False)]


def _parts_of(layouts: list, heads: set) -> set:
    """The (table, row) keys of every row that is a part of one of the lines ``heads``, parts of parts included: a
    target set for a project covers the items it is printed as (西安公安 p33: 办公场所租赁 over three 场地租赁
    rows)."""
    out: set = set()
    for lay in layouts:
        for i, key in enumerate(lay.keys):
            if key in out or key in heads:
                out |= {lay.keys[k] for k in lay.parts(i)}
    return out


def _wholes_of(layouts: list, heads: set) -> set:
    """The (table, row) keys of the rows every part of which is one of ``heads`` (or such a row): targets set for
    the items cover the line they add up to (西安市财政局 p38: 政策性考试考务项目 10,835,700 over 会计类考试考务,
    whose target is 1,083.57 万元)."""
    out: set = set()
    for lay in layouts:
        for i in reversed(range(len(lay.keys))):  # bottom up: a whole of wholes is found after its parts
            parts = lay.parts(i)
            if parts and all(lay.keys[k] in heads or lay.keys[k] in out for k in parts):
                out.add(lay.keys[i])
    return out


def _targets_in_column(L: Ledger, tables: list, rows: pd.DataFrame) -> set:
    """Projects whose own line prints their 绩效目标 (广州: a 绩效目标 column in the project table): they have a
    target even where the target tables cover key projects only."""
    out = set()
    for t in tables:
        cols = [c for c, role in t.column_roles.items() if "绩效目标" in c and role != "amount"]
        if not cols or t.frame is None:
            continue
        said = t.frame[cols].fillna("").apply(lambda r: any(str(v).strip() for v in r), axis=1)
        mine = rows[rows["table_index"] == t.index]
        out |= {_norm_name(x) for x in mine.loc[mine["row_no"].isin(said[said].index), "row_label"].dropna()}
    return out


def _group_rows(layouts: list) -> set:
    """The names of the rows of a project list that head a group, not a project: a unit's row
    (西安市财政投资评审中心) or a category whose amount is the sum of two or more rows right below it (通用项目,
    专用项目)."""
    return {_norm_name(x) for lay in layouts for x, g in zip(lay.labels, lay.group) if g}


def _group_flags(amounts: list, unit: list, single: list) -> list:
    """Per row: a unit's row, or a sum of two or more rows right below it. A row heading one part of its own amount
    counts once, through its part, where counting it twice would hide the group above it (通用项目)."""
    out = list(unit)
    for _ in range(3):  # groups inside groups: an inner group's rows count once, through its projects
        for i in range(len(amounts)):
            if out[i] or amounts[i] == 0:
                continue
            out[i] = _adds_up(amounts, i, out) or _adds_up(amounts, i, out, single)
    return out


def _adds_up(amounts: list, i: int, skip: list, also: list | None = None) -> bool:
    """Two or more of the rows right below row ``i``, less those in ``skip`` (and ``also``), add up to it."""
    run, n = Decimal(0), 0
    for k in range(i + 1, len(amounts)):
        if skip[k] or (also is not None and also[k]):
            continue
        run, n = run + amounts[k], n + 1
        if run == amounts[i] and n >= 2:
            return True
        if run > amounts[i] > 0:
            return False
    return False


def _other_line(p_rows: pd.DataFrame, p, diff: Decimal, tol: Decimal):
    """Another project line (not a total, not ``p``) whose amount is the difference between a target's budget and
    its project line: the target's budget covers both."""
    for r in records(p_rows[~p_rows["is_total_row"] & p_rows["amount_yuan"].notna()]):
        if (r["table_index"], r["row_no"]) == (p["table_index"], p["row_no"]):
            continue
        if abs(r["amount_yuan"] - diff) <= tol + to_yuan(half_unit(r["decimals"]), r["unit"]):
            return r
    return None


def _variant_lines(projects: dict, target_names: set, name: str, value: Decimal, unit: str, budget) -> list:
    """The line of a target whose name the project table prints differently: the one name that is a printing of
    it (:func:`_variant`), has no target of its own, and has a line of the target's budget — else none."""
    decimals = max(0, -Decimal(str(budget)).normalize().as_tuple().exponent)
    found = []
    for other, lines in projects.items():
        if other in target_names or not _variant(name, other):
            continue
        same = [x for x in lines if present(x["amount_yuan"]) and abs(x["amount_yuan"] - value)
                <= to_yuan(half_unit(decimals), unit) + to_yuan(half_unit(x["decimals"]), x["unit"])]
        if same:
            found.append(same[:1])
    return found[0] if len(found) == 1 else []


def targets_vs_projects(L: Ledger, R: Recorder) -> None:
    """B05: every project's budget in the performance-target tables equals the project table.

    Projects come from the tidy targets frame (one budget per project, whatever the target layout),
    project lines from the project tables; they are matched by name."""
    pj = L.tables("project_expenditure")
    targets = L.d.targets
    if targets.empty or not pj or targets["budget"].isna().all():
        R.not_evaluated("B05", "缺少绩效目标表或项目支出表", "no performance-target table or no project table")
        return
    p_rows = pd.concat([L.total_column_rows(t.index) for t in pj])
    # project lines: 项-coded rows (Sichuan), or named rows that are neither totals, units nor
    # economic classes (a project table by economic class lists no projects)
    named = p_rows[~p_rows["is_total_row"] & (p_rows["code_scheme"].fillna("") != "economic")
                   & p_rows["eff_code"].isna() & ~p_rows["row_label"].fillna("").str.match(_UNIT_ROW)
                   & (p_rows["row_label"].fillna("").str.len() >= 2)]
    p_items = p_rows[p_rows["eff_code"].notna() & (p_rows["code_level"] == "项")]
    groups: set | None = None  # a list of names (not 项 codes): its group rows, and parts by amount
    layouts: list = []
    if p_items.empty:
        p_items = named
        layouts = _layouts(named)
        groups = _group_rows(layouts)
    if p_items.empty:
        R.not_evaluated("B05", "项目支出表未列出项目名称", "the project tables list no projects by name")
        return
    projects: dict = {}  # name → its lines: a table may list one name several times (审计业务经费 31, 539, 18)
    for _, r in p_items.iterrows():
        projects.setdefault(_norm_name(r["row_label"]), []).append(r)
    by_name = ["按名称匹配项目，名称写法不同即找不到 / projects are matched by name; a name written "
               "differently is not found"]
    firsts = targets[targets["budget"].notna() & targets["project_name"].notna()] \
        .drop_duplicates(["project_no", "project_name"] if "project_no" in targets else ["project_name"])
    matched = 0
    target_total = Decimal(0)
    target_names = {_norm_name(x) for x in firsts["project_name"]}
    heads: set = set()  # the lines a target was matched with: they and their parts have a target
    for _, t in firsts.iterrows():
        unit = t["budget_unit"] if isinstance(t["budget_unit"], str) and t["budget_unit"] else None
        if unit is None:
            continue
        value = to_yuan(t["budget"], unit)
        target_total += value
        loc = {"table_no": None, "table_title": t["table_title"], "table_kind": "performance_targets",
               "page": None if pd.isna(t["page"]) else int(t["page"]),
               "row_label": t["project_name"], "column_label": "预算数 / budget", "raw": fmt(t["budget"], unit),
               "file": t["file"], "table_index": None if pd.isna(t["table_index"]) else int(t["table_index"])}
        lines = projects.get(_norm_name(t["project_name"]), [])
        if not lines and groups is not None:
            lines = _variant_lines(projects, target_names, _norm_name(t["project_name"]), value, unit, t["budget"])
        heads |= {(x["table_index"], x["row_no"]) for x in lines}
        p = lines[0] if lines else None
        if p is None:
            R.add(Finding("B05", "fail", f"绩效目标表中的项目「{t['project_name']}」不在项目支出表中",
                          f"project '{t['project_name']}' in the performance-target table is not in the project table",
                          actual=t["budget"], unit=unit, locations=[loc], guesses=list(by_name)))
            continue
        matched += 1
        decimals = max(0, -Decimal(str(t["budget"])).normalize().as_tuple().exponent)
        tol = to_yuan(half_unit(decimals), unit) + to_yuan(half_unit(p["decimals"]), p["unit"])
        if len(lines) > 1:
            # one name, several lines: the line with the target's budget is this project's; if none has it, which
            # line was meant is not known
            same = [x for x in lines if abs(x["amount_yuan"] - value) <= tol]
            whole = sum((x["amount_yuan"] for x in lines), Decimal(0))
            tol_all = to_yuan(half_unit(decimals), unit) + sum(
                (to_yuan(half_unit(x["decimals"]), x["unit"]) for x in lines), Decimal(0))
            if same:
                p = same[0]
            elif abs(whole - value) <= tol_all:
                # one project printed once per unit that spends on it (办公场所租赁 on four units' lines): the
                # target's budget is the sum of its lines
                R.compare("B05", whole, value, tol_all, p["unit"],
                          f"项目「{p['row_label']}」：绩效目标表预算数与项目支出表同名各行之和不一致",
                          f"project '{p['row_label']}': the performance-target budget differs from the sum of the "
                          "project table's lines of this name", [loc] + [L.location(x) for x in lines])
                continue
            else:
                per = to_yuan(Decimal(1), unit)
                R.add(Finding("B05", "review", f"项目「{p['row_label']}」：项目支出表列有{len(lines)}个同名项目，"
                              f"均与绩效目标表预算数不同，各行之和 {fmt(whole / per, unit)} {unit}",
                              f"project '{p['row_label']}': the project table lists {len(lines)} lines of this name, "
                              f"none with the performance-target budget; they sum to {fmt(whole / per, unit)} {unit}",
                              actual=t["budget"], unit=unit, locations=[loc] + [L.location(x) for x in lines],
                              guesses=list(by_name)))
                continue
        other = _other_line(p_rows, p, value - p["amount_yuan"], tol) if value - p["amount_yuan"] > tol else None
        if other is not None:
            # 西安公安 p65 公安专用信息化运行维护 23,887.72 万元 = p35 its line 238,465,178.32 + p39 治安支队's
            # 信息化运行维护项目 412,000: the target covers the department's project, the line one unit's
            per = to_yuan(Decimal(1), p["unit"])
            R.add(Finding("B05", "note",
                          f"项目「{p['row_label']}」：绩效目标表预算数 {fmt(value / per, p['unit'])} 比项目支出表"
                          f"{_where(p)}所列 {fmt(p['amount_yuan'] / per, p['unit'])} 多 "
                          f"{fmt((value - p['amount_yuan']) / per, p['unit'])} {p['unit']}，等于项目支出表{_where(other)}"
                          f"所列「{other['row_label']}」{fmt(other['amount_yuan'] / per, p['unit'])}"
                          f"{'（' + other['unit_name'] + '）' if present(other['unit_name']) else ''}："
                          "绩效目标的预算含另一行的资金，口径不同，不是错误",
                          f"project '{p['row_label']}': the performance-target budget exceeds the project line by "
                          f"{fmt((value - p['amount_yuan']) / per, p['unit'])} {p['unit']}, the amount of another "
                          f"project line '{other['row_label']}': the target covers both lines, not an error",
                          expected=p["amount_yuan"] / per, actual=value / per, unit=p["unit"],
                          locations=[loc, L.location(p), L.location(other)]))
            heads.add((other["table_index"], other["row_no"]))
            continue
        R.compare("B05", p["amount_yuan"], value, tol, p["unit"],
                  f"项目「{p['row_label']}」：绩效目标表预算数与项目支出表不一致",
                  f"project '{p['row_label']}': the performance-target budget differs from the project table",
                  [loc, L.location(p)])
    # a target whose budget was not read is a target all the same: its project has one
    target_names |= {_norm_name(x) for x in targets["project_name"].dropna()}
    heads |= {(x["table_index"], x["row_no"]) for n in target_names for x in projects.get(n, [])}
    names = target_names | _targets_in_column(L, pj, p_rows)
    covered = heads | _parts_of(layouts, heads) | _wholes_of(layouts, heads)
    if groups is not None:  # a project without a target is one item, not one more for each of its parts
        lacking = {(r["table_index"], r["row_no"]) for r in records(p_items)
                   if (r["table_index"], r["row_no"]) not in covered and _norm_name(r["row_label"]) not in names
                   and _norm_name(r["row_label"]) not in groups}
        covered = covered | _parts_of(layouts, lacking)
    without: dict = {}  # project table → its projects without a target, each as its lines
    for name, lines in projects.items():
        lines = [x for x in lines if (x["table_index"], x["row_no"]) not in covered]
        # a unit's or category's row heads projects, it is none; a part of a project with a target has one
        if lines and name not in names and name not in (groups or set()):
            without.setdefault(lines[0]["table_index"], []).append(lines)
    key_only = ["并非所有模板要求每个项目都有绩效目标 / not every template requires targets for every project"]
    listed = targets if "source" not in targets else targets[targets["source"] != "department"]
    n_targets = listed["project_name"].dropna().map(_norm_name).nunique()
    for items in without.values():
        # many templates publish targets for key projects only: a gap is for a reader to judge, and many gaps in
        # one table are one finding naming them all (every line stays among its cells), not a wall of items
        if len(items) > _ONE_BY_ONE:
            names_ = "".join(f"「{x[0]['row_label']}」" for x in items[:_NAMED])
            more = f"等{len(items)}个" if len(items) > _NAMED else ""
            R.add(Finding("B05", "fail", f"项目支出表中{len(items)}个项目没有绩效目标（绩效目标表列出{n_targets}个项目）："
                          f"{names_}{more}",
                          f"{len(items)} projects of the project table have no performance target (the target "
                          f"tables list {n_targets} project{'' if n_targets == 1 else 's'}): "
                          f"{names_}{' …' if more else ''}",
                          locations=[L.location(x) for lines in items for x in lines],
                          guesses=list(by_name) + key_only))
            continue
        for lines in items:
            p = lines[0]
            R.add(Finding("B05", "fail", f"项目支出表中的项目「{p['row_label']}」没有绩效目标",
                          f"project '{p['row_label']}' has no performance target",
                          expected=p["amount"], unit=p["unit"], locations=[L.location(x) for x in lines],
                          guesses=list(by_name) + key_only))
    tot = p_rows[p_rows["is_total_row"]]
    # the totals agree only where every project line has its targets and every target its line
    if not tot.empty and matched and matched == len(firsts) == sum(map(len, projects.values())):
        t0 = tot.iloc[0]
        tol = to_yuan(half_unit(t0["decimals"]), t0["unit"]) * (len(firsts) + 1)  # n budgets and one total
        R.compare("B05", t0["amount_yuan"], target_total, tol, t0["unit"],
                  "绩效目标表项目预算合计与项目支出表合计不一致",
                  "the performance-target projects' total differs from the project table's total",
                  [L.location(t0)])
