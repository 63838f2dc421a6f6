"""Between-table agreement: same code same amount, totals, basic/project,
三公 against economic lines, performance targets against projects."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal

import pandas as pd

from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger, half_unit, present, records
from budgetkit.check.recorder import Recorder, fmt
from budgetkit.money import to_yuan
from budgetkit.reference import load_csv
from budgetkit.tidy.codes import scheme_of

#: which money a table's figures cover
SCOPE = {
    "income_expenditure_summary": "all", "income_summary": "all", "expenditure_summary": "all",
    "fiscal_appropriation_summary": "fiscal", "fiscal_appropriation_expenditure_by_function": "fiscal",
    "fiscal_appropriation_expenditure_by_economic": "fiscal", "fiscal_appropriation_basic_by_economic": "fiscal",
    "gpb_expenditure_by_function": "gpb", "gpb_basic_expenditure_by_economic": "gpb", "project_expenditure": "gpb",
    "gpb_basic_expenditure_by_function": "gpb", "gpb_expenditure_by_economic": "gpb",
}
#: what a table's overall-total column measures
TOTAL_MEANS = {"gpb_basic_expenditure_by_economic": "basic", "fiscal_appropriation_basic_by_economic": "basic",
               "gpb_basic_expenditure_by_function": "basic", "project_expenditure": "project"}
EXPENDITURE_SIDE = re.compile(r"支出")


def _scope_classes(L: Ledger) -> dict[str, str]:
    """Scopes whose totals are equal may be compared: map each scope to its class.

    When all money is general-public-budget money, ``all``, ``fiscal`` and
    ``gpb`` tables describe the same figures.
    """
    totals: dict[str, Decimal] = {}
    for kind, scope in (("expenditure_summary", "all"), ("income_summary", "all"),
                        ("fiscal_appropriation_expenditure_by_function", "fiscal"),
                        ("fiscal_appropriation_summary", "fiscal"), ("gpb_expenditure_by_function", "gpb")):
        for t in L.tables(kind):
            rows = L.total_column_rows(t.index)
            tot = rows[rows["is_total_row"]]
            if not tot.empty:
                totals.setdefault(scope, tot["amount_yuan"].iloc[0])
    classes = {}
    for scope in ("all", "fiscal", "gpb"):
        same = [s for s in ("all", "fiscal", "gpb") if s in totals and scope in totals and totals[s] == totals[scope]]
        classes[scope] = same[0] if same else scope
    return classes


def scope_of(t) -> str | None:
    """Which money a table covers: its kind's scope, narrowed or widened by what its title says.

    A 基本支出 or 项目支出 table titled without 一般公共预算 or 财政拨款 covers all funds
    (Shandong's 基本支出预算情况表 beside its 一般公共预算基本支出情况表)."""
    scope = SCOPE.get(t.kind)
    if scope is None:
        return None
    title = (t.title or "").replace(" ", "")
    if t.kind in ("gpb_basic_expenditure_by_economic", "project_expenditure", "gpb_basic_expenditure_by_function",
                  "fiscal_appropriation_basic_by_economic") and title:
        if "一般公共预算" in title:
            return "gpb"
        if "财政拨款" in title:
            return "fiscal"
        return "all"
    return scope


def _views(L: Ledger) -> pd.DataFrame:
    """One figure per (table, row) per measured quantity, with its scope (built once per check)."""
    if "_between_views" not in L.__dict__:
        L.__dict__["_between_views"] = _build_views(L)
    return L.__dict__["_between_views"]


#: the scheme a label column's header names: a name read in it is a class of that scheme only
_LABEL_SCHEME = (("政府", "government_economic"), ("功能", "function"), ("经济", "economic"))


def _label_schemes(t) -> dict[str, str]:
    """Each amount column's scheme, from the label column printed before it (a summary table prints 功能分类,
    部门经济分类 and 政府经济分类 panels side by side; 政府预算支出经济分类's 对个人和家庭的补助 is 509, not 303)."""
    out, scheme = {}, None
    for col, role in (t.column_roles or {}).items():
        if role == "label":
            head = col.split("/")[-1]
            scheme = next((sch for word, sch in _LABEL_SCHEME if word in head), None)
        elif role == "amount" and scheme:
            out[col] = scheme
    return out


def _codes_by_name() -> dict[str, dict[str, str]]:
    """class name → {scheme: code}: 其他支出 is 229 (function) and 399 (economic)."""
    out: dict = defaultdict(dict)
    for r in load_csv("class_names.csv"):
        out[r["name"]][r["scheme"]] = r["code"]
    return out


def _name_codes_by_column(rows: list[dict], schemes: dict[str, str]) -> None:
    """A class read from a row's name (no code printed) belongs to its label column's scheme: none in a
    政府预算支出经济分类 panel, the function class in a 功能分类 panel. A name of two schemes (其他支出) takes the
    scheme of the other names in its column, or none when they do not tell."""
    by_name = _codes_by_name()
    named = [r for r in rows if not present(r["code"]) and present(r["eff_code"])]
    seen: dict = defaultdict(Counter)  # column → schemes of its unambiguous names
    for r in named:
        if len(by_name.get(r["label"], {})) == 1:
            seen[r["column_label"]][scheme_of(r["eff_code"])] += 1
    for r in named:
        sch = schemes.get(r["column_label"])
        codes = by_name.get(r["label"], {})
        if len(codes) > 1:
            if sch is None and seen[r["column_label"]]:
                top = seen[r["column_label"]].most_common()
                sch = top[0][0] if len(top) == 1 or top[0][1] > top[1][1] else None
            r["eff_code"] = codes.get(sch) if sch else None
        elif sch and sch != (scheme_of(r["eff_code"]) or sch):
            r["eff_code"] = None


def _unit_of(r) -> str | None:
    code, name = r["unit_code"], r["unit_name"]
    return code if present(code) and code else (name if present(name) and name else None)


def _build_views(L: Ledger) -> pd.DataFrame:
    rows = []
    classes = _scope_classes(L)
    for t in L.d.tables:
        if scope_of(t) is None:
            continue
        if t.kind == "income_summary" and L.d.meta.get("stage") == "决算":
            continue  # a 决算's income by code is not its expenditure: balances carry over (rules.csv B01)
        scope = classes[scope_of(t)]
        a = L.table_rows(t.index)
        # a table printing several units' blocks (广州 部门预算基本支出预算表: 本级, 中心, 监测站 each with 301…310):
        # its coded lines are one unit's, never the department's
        units = {u for u in map(_unit_of, records(a[["unit_code", "unit_name"]])) if u}
        blocked = len(units) > 1
        # the rows before the first unit's own row carry the table's default unit: the department's lines or the
        # first unit's (本级) — which, is not printed, so they are compared with nothing
        first_unit = _unit_of(records(a.loc[[a["row_no"].idxmin()], ["unit_code", "unit_name"]])[0]) \
            if blocked else None

        def unit_scope(r):
            if not blocked:
                return "department"
            u = _unit_of(r)
            return "unknown" if u == first_unit else f"unit:{u}"
        schemes = _label_schemes(t)
        start = len(rows)
        total_cols = set(L.total_column_rows(t.index)["column_label"]) | set(
            a.loc[a["concept"] == "total", "column_label"])
        for r in records(a):
            if r["column_label"] in total_cols:
                measure = TOTAL_MEANS.get(t.kind, "total")
                if t.kind in ("income_expenditure_summary", "fiscal_appropriation_summary") \
                        and re.search("收入", r["column_label"]):
                    measure = "total_income"
            elif r["concept"] in ("basic", "project"):
                measure = r["concept"]
            elif r["concept"] == "gpb" and t.kind == "fiscal_appropriation_summary":
                measure, scope_r = "total", classes["gpb"]
                rows.append({**r, "measure": measure, "scope": scope_r,
                             "unit_scope": unit_scope(r)})
                continue
            elif t.kind == "income_expenditure_summary" and r["column_label"].endswith("预算数") \
                    and EXPENDITURE_SIDE.search(r["column_label"]):
                measure = "total"
            else:
                continue
            if "年初" in r["column_label"]:
                # 年初预算数 leaves out what is spent from 上年结转; a total that includes it is
                # another measure (central template: 财政拨款收支总表 against 一般公共预算支出表)
                measure += "_initial"
            rows.append({**r, "measure": measure, "scope": scope,
                         "unit_scope": unit_scope(r)})
        _name_codes_by_column(rows[start:], schemes)
    return pd.DataFrame(rows, columns=[*L.a.columns, "measure", "scope", "unit_scope"]).astype(
        {c: L.a[c].dtype for c in L.a.columns})


def _last(x):
    """A sort key that puts a missing number last, as pandas does."""
    return (False, x) if present(x) else (True, 0)


#: a part of the money a summary prints on its own line or column: a difference between two totals that equals one
#: of them is that part, in one total and not in the other
_PART = re.compile(r"上年结转|结转|结余|其他资金|单位资金|事业收入|经营收入|上级补助|附属单位|其他收入|财政专户|"
                   r"政府性基金|国有资本经营|用事业基金|实户资金")
_SUMMARY_KINDS = ("income_expenditure_summary", "income_summary", "expenditure_summary",
                  "fiscal_appropriation_summary")


def _parts(L: Ledger) -> list[dict]:
    """The parts of the money the summary tables print: 上年结转 as a row, or as a column's 合计."""
    if "_between_parts" in L.__dict__:
        return L.__dict__["_between_parts"]
    out = []
    for t in L.tables(*_SUMMARY_KINDS):
        for r in records(L.table_rows(t.index)):
            if not present(r["amount_yuan"]) or r["amount_yuan"] <= 0:
                continue
            label, col = r["label"] or "", (r["column_label"] or "").split("/")[-1]
            if _PART.search(label) and not r["is_total_row"] and "其中" not in (r["row_label"] or ""):
                out.append({**r, "part": label})
            elif r["is_total_row"] and _PART.search(col) and not _PART.search(label):
                out.append({**r, "part": col})
    L.__dict__["_between_parts"] = out
    return out


def explained_by(L: Ledger, diff: Decimal, tol: Decimal, tables=()) -> dict | None:
    """A part of the money printed in a summary table equal to the difference (within the rounding of the two
    figures and of the part): the two figures measure different money, one with that part, one without.
    A part printed in one of ``tables`` (those compared) is named first."""
    diff = abs(diff)
    for p in sorted(_parts(L), key=lambda p: p["table_index"] not in tables):
        if abs(p["amount_yuan"] - diff) <= tol + to_yuan(half_unit(p["decimals"]), p["unit"]):
            return p
    return None


def _where(r) -> str:
    page = f"第{int(r['page'])}页" if present(r["page"]) else ""
    return f"{page}{r['table_title']}"


def _table_totals(L: Ledger) -> dict:
    """(table, measure) → the table's total row for that measure (本年支出合计/合计, not 总计)."""
    v = _views(L)
    tot = v[v["is_total_row"] & v["eff_code"].isna() & ~v["label"].str.contains("总计")
            & (v["unit_scope"] == "department")]
    out = {}
    for r in records(tot):
        out.setdefault((r["table_index"], r["measure"]), r)
    return out


def _note_explained(L, R, rule, ref, r, part, what_zh, what_en, wider=None) -> None:
    """An explained difference: a note naming both measures and where each is printed, and the part."""
    unit = r["unit"] if r["unit"] == ref["unit"] else "元"
    per = to_yuan(Decimal(1), unit)
    d = r["amount_yuan"] - ref["amount_yuan"]
    because = (f"两表合计相差{fmt(abs(wider[0]['amount_yuan'] - wider[1]['amount_yuan']) / per, unit)}{unit}，"
               if wider else "")
    zh = (f"{what_zh}：{_where(r)}「{r['column_label']}」{fmt(r['amount_yuan'] / per, unit)} 与{_where(ref)}"
          f"「{ref['column_label']}」{fmt(ref['amount_yuan'] / per, unit)} 相差 {fmt(d / per, unit)} {unit}；"
          f"{because}等于{_where(part)}所列「{part['part']}」{fmt(part['amount_yuan'] / per, unit)}{unit}："
          f"两者口径不同（一方含{part['part']}），不是错误")
    because_en = (f"the two tables' totals differ by "
                  f"{fmt(abs(wider[0]['amount_yuan'] - wider[1]['amount_yuan']) / per, unit)} {unit}, which"
                  if wider else "it")
    en = (f"{what_en}: {r['table_title']} '{r['column_label']}' and {ref['table_title']} '{ref['column_label']}' "
          f"differ by {fmt(d / per, unit)} {unit}; {because_en} equals '{part['part']}' printed in {part['table_title']}"
          f"{' p.' + str(int(part['page'])) if present(part['page']) else ''}: two measures (one includes "
          f"{part['part']}), not an error")
    R.add(Finding(rule, "note", zh, en, expected=ref["amount_yuan"] / per, actual=r["amount_yuan"] / per, unit=unit,
                  locations=[L.location(r), L.location(ref), L.location(part)]))


_SECRET = re.compile(r"(?<!非)涉密[^。；;]{0,40}?(?:不予公开|不公开|未公开|不宜公开)|(?:不予公开|不公开)[^。；;]{0,10}?(?<!非)涉密")


def _declared_secret(L: Ledger) -> dict | None:
    """The document's own statement that 涉密 projects are withheld (深圳: 备注：涉密项目按要求不予公开; 西安:
    本部门按照保密审查机制确定此项内容为涉密内容，按规定不予公开): its paragraph and page."""
    if "_between_secret" not in L.__dict__:
        found = None
        n = L.d.narrative
        if n is not None and not n.empty and "text" in n.columns:
            for r in records(n):
                m = _SECRET.search(str(r.get("text") or ""))
                if m:
                    found = {"text": str(r["text"]), "page": r.get("page"), "quote": m.group(0)}
                    break
        L.__dict__["_between_secret"] = found
    return L.__dict__["_between_secret"]


def _note_withheld(L, R, rule, high, low, secret, what_zh, what_en) -> None:
    """A project table smaller than the project total another table prints, in a document that says 涉密 projects
    are withheld: parts left out by design, a note."""
    unit = high["unit"] if high["unit"] == low["unit"] else "元"
    per = to_yuan(Decimal(1), unit)
    page = f"第{int(secret['page'])}页" if present(secret["page"]) else ""
    R.add(Finding(rule, "note",
                  f"{what_zh}：{_where(low)}「{low['column_label']}」{fmt(low['amount_yuan'] / per, unit)} 比"
                  f"{_where(high)}「{high['column_label']}」{fmt(high['amount_yuan'] / per, unit)} 少 "
                  f"{fmt((high['amount_yuan'] - low['amount_yuan']) / per, unit)} {unit}；文件{page}说明"
                  f"「{secret['quote']}」：未公开的涉密项目不在项目表中，按设计不相加，不是错误",
                  f"{what_en}: {low['table_title']} is {fmt((high['amount_yuan'] - low['amount_yuan']) / per, unit)} "
                  f"{unit} below {high['table_title']}; the document says classified projects are withheld "
                  f"('{secret['quote']}'): parts left out by design, not an error",
                  expected=high["amount_yuan"] / per, actual=low["amount_yuan"] / per, unit=unit,
                  locations=[L.location(low), L.location(high)]))


def _agree(L: Ledger, R: Recorder, rule: str, group, what_zh: str, what_en: str, totals: dict | None = None) -> None:
    """Compare figures from different tables (rows as dicts or a frame); the most common value is the
    reference.

    A difference equal to a part of the money a summary prints (上年结转, 其他资金 …) is two measures, not an error:
    a note. With ``totals`` (code lines), two tables whose totals differ by such a part measure different money:
    the line of the table with the larger total must be at least the other's (a note when it is)."""
    seen, by_table = set(), []
    for r in records(group) if isinstance(group, pd.DataFrame) else group:
        if r["table_index"] not in seen:
            seen.add(r["table_index"])
            by_table.append(r)
    if len(by_table) < 2:
        return
    values = Counter(r["amount_yuan"] for r in by_table)
    ref_value, ref_n = values.most_common(1)[0]
    if ref_n == 1 and len(values) > 1:
        ref_value = by_table[0]["amount_yuan"]
    ref_rows = [r for r in by_table if r["amount_yuan"] == ref_value]
    ref = ref_rows[0]
    for r in by_table:
        if r["amount_yuan"] == ref_value:
            R.passed(rule)
            continue
        tol = to_yuan(half_unit(r["decimals"]), r["unit"]) + to_yuan(half_unit(ref["decimals"]), ref["unit"])
        if abs(r["amount_yuan"] - ref["amount_yuan"]) > tol:
            if totals is None:
                part = explained_by(L, r["amount_yuan"] - ref["amount_yuan"], tol,
                                    (r["table_index"], ref["table_index"]))
                if part is not None:
                    _note_explained(L, R, rule, ref, r, part, what_zh, what_en)
                    continue
            else:
                ta, tb = totals.get((r["table_index"], r["measure"])), totals.get((ref["table_index"], ref["measure"]))
                if ta is not None and tb is not None and ta["amount_yuan"] != tb["amount_yuan"]:
                    ttol = to_yuan(half_unit(ta["decimals"]), ta["unit"]) + to_yuan(half_unit(tb["decimals"]), tb["unit"])
                    part = explained_by(L, ta["amount_yuan"] - tb["amount_yuan"], ttol,
                                        (r["table_index"], ref["table_index"]))
                    wide, narrow = (r, ref) if ta["amount_yuan"] > tb["amount_yuan"] else (ref, r)
                    if part is not None and wide["amount_yuan"] >= narrow["amount_yuan"] - tol:
                        _note_explained(L, R, rule, ref, r, part, what_zh, what_en, wider=(ta, tb))
                        continue
            low, high = sorted((r, ref), key=lambda x: x["amount_yuan"])
            secret = _declared_secret(L) if str(r["measure"]).startswith("project") else None
            if secret is not None and low["table_kind"] == "project_expenditure" \
                    and high["table_kind"] != "project_expenditure":
                _note_withheld(L, R, rule, high, low, secret, what_zh, what_en)
                continue
        unit = r["unit"] if r["unit"] == ref["unit"] else "元"
        others = "、".join(sorted({str(x["table_title"]) for x in ref_rows}))
        R.compare(rule, ref_value, r["amount_yuan"], tol, unit,
                  f"{what_zh}：{r['table_title']}「{r['column_label']}」与{others}不一致",
                  f"{what_en}: {r['table_title']} '{r['column_label']}' disagrees with {others}",
                  [L.location(r)] + [L.location(x) for x in ref_rows])


def same_code_same_amount(L: Ledger, R: Recorder) -> None:
    """B01."""
    v = _views(L)
    if v.empty or v["eff_code"].isna().all():
        R.not_evaluated("B01", "没有带科目编码的表格", "no tables print codes")
        return
    # project tables list projects, several under one code: not code lines
    coded = [r for r in records(v) if present(r["eff_code"]) and r["table_kind"] != "project_expenditure"]
    # one figure per table, code and measure: a table's total column comes first
    coded.sort(key=lambda r: (_last(r["table_index"]), r["concept"] == "gpb", _last(r["col_no"]), _last(r["row_no"])))
    firsts, seen = [], set()
    for r in coded:
        key = (r["table_index"], r["eff_code"], r["measure"], r["unit_scope"],
               r["unit_code"] if present(r["unit_code"]) else None)
        if key not in seen:
            seen.add(key)
            firsts.append(r)
    # a code printed twice in one table for one measure (two units' lines) is not one figure
    per_table = Counter((r["table_index"], r["eff_code"], r["measure"], r["unit_scope"]) for r in firsts)
    groups: dict[tuple, list] = {}
    for r in firsts:
        if per_table[(r["table_index"], r["eff_code"], r["measure"], r["unit_scope"])] == 1 \
                and r["unit_scope"] != "unknown":
            # a unit's line is compared with the same unit's line only, never with the department's
            groups.setdefault((r["eff_code"], r["measure"], r["scope"], r["unit_scope"]), []).append(r)
    n_groups = 0
    totals = _table_totals(L)
    for (code, measure, scope, _unit), g in groups.items():
        if len({r["table_index"] for r in g}) < 2:
            continue
        n_groups += 1
        label = g[0]["label"]
        _agree(L, R, "B01", g, f"科目 {code} {label}（{_MEASURE_ZH[measure]}）",
               f"code {code} {label} ({measure})", totals=totals)
    if n_groups == 0:
        R.not_evaluated("B01", "没有科目同时出现在两张表中", "no code appears in two tables")


_MEASURE_ZH = {"total": "合计", "basic": "基本支出", "project": "项目支出", "total_income": "收入合计"}
_MEASURE_ZH.update({f"{k}_initial": f"{v}（年初预算）" for k, v in list(_MEASURE_ZH.items())})


def totals_agree(L: Ledger, R: Recorder) -> None:
    """B02 (合计) and B03 (基本支出 / 项目支出) across tables."""
    v = _views(L)
    if v.empty:
        R.not_evaluated("B02", "缺少汇总表", "no summary tables")
        return
    tot = v[v["is_total_row"] & v["eff_code"].isna() & ~v["label"].str.contains("总计")]
    tot = tot[tot["measure"] != "total_income"]
    for (measure, scope), g in tot.groupby(["measure", "scope"], sort=False):
        rule = "B02" if measure.startswith("total") else "B03"
        _agree(L, R, rule, g, f"{_MEASURE_ZH[measure]}总额", f"{measure} total")
    if not R.evaluated["B03"]:
        bp = tot[tot["measure"].str.startswith(("basic", "project"))]
        if bp["table_index"].nunique() > 1:
            # 公开表5's 年初预算数/基本支出 beside 公开表6's 基本支出 合计: 年初预算数 leaves out 上年结转, so the two
            # are different measures even when they print the same figure
            R.not_evaluated("B03", "列出基本支出/项目支出的表口径不同（如年初预算数与含上年结转的数，或资金范围不同），"
                            "未相互比较", "the tables printing basic or project totals measure them differently (the "
                            "initial budget and one including carry-over, or another scope of funds): not compared")
        else:
            R.not_evaluated("B03", "没有同时列出基本支出/项目支出的两张表",
                            "no two tables print basic or project totals")


_YEAR = re.compile(r"((?:19|20)\d{2})年")
_CHANGE_COL = re.compile(r"增减|变化|比较|差额|增长")
_FUNDS = re.compile(r"/(?:一般公共预算|政府性基金预算|国有资本经营预算)(?:拨款)?$")


def _this_year(L: Ledger, rows3: pd.DataFrame) -> pd.DataFrame:
    """The 三公 table's figures of the disclosure's own year and stage, on its first (department) row.

    Tables print last year beside this year — as rows (2025年 | 2026年 | 增减变化金额), as column groups
    (2025年预算数 | 2026年预算数; 上年 | 当年 | 增减变化情况) — and a 决算 prints 预算数 beside 决算数: a 上年
    column is not this year's."""
    year, stage = L.d.meta.get("year"), L.d.meta.get("stage")
    row_years = rows3["label"].fillna("").str.extract(r"^((?:19|20)\d{2})年(?:度)?(?:预算|决算)?(?:数)?$",
                                                       expand=False)
    if row_years.notna().any():
        pick = str(year) if year and (row_years == str(year)).any() else row_years.dropna().max()
        first = rows3[row_years == pick]
    else:
        first = rows3[rows3["row_no"] == rows3["row_no"].min()]
    cols = first["column_label"].fillna("")
    first = first[~cols.str.contains(_CHANGE_COL)]
    cols = first["column_label"].fillna("")
    prior = cols.str.contains("上年")
    if prior.any() and (~prior).any():
        first, cols = first[~prior], cols[~prior]
    years = cols.str.extract(_YEAR, expand=False)
    if years.notna().any():
        pick = str(year) if year and (years == str(year)).any() else years.dropna().max()
        keep = (years == pick) | years.isna()
        first, cols = first[keep], cols[keep]
    outturn = cols.str.contains("决算|实际|执行")
    if outturn.any() and (~outturn).any():
        first = first[outturn] if stage == "决算" else first[~outturn]
    return first


def _three_figure(first: pd.DataFrame, word: str) -> dict | None:
    """One 三公 figure: 接待 or 运行 (运行 alone before 购置及运行). Split by fund, the funds' sum; several
    columns of one cost, the largest (the rule is ≤: the wider figure never makes a false alarm)."""
    labels = first["column_label"].fillna("")
    c = first[labels.str.contains(word) & first["amount_yuan"].notna()
              & (labels.str.contains("公务用车") if word == "运行" else True)]  # 机关运行经费 is not a car's
    if c.empty:
        return None
    last = c["column_label"].str.replace(_FUNDS, "", regex=True).str.split("/").str[-1]
    if word == "运行":  # 公务用车运行维护费 (其中：公务用车运行费) before 购置及运行维护费/小计
        for only in (last.str.contains("运行") & ~last.str.contains("购置"), last.str.contains("运行")):
            if only.any():
                c = c[only]
                break
    funds = c["column_label"].str.contains(_FUNDS)
    if funds.all() and c["column_label"].str.replace(_FUNDS, "", regex=True).nunique() == 1 and len(c) > 1:
        x = records(c.iloc[[0]])[0]
        x["amount_yuan"] = sum(c["amount_yuan"], Decimal(0))
        x["column_label"] = c["column_label"].str.replace(_FUNDS, "", regex=True).iloc[0] + "（各资金合计）"
        return x
    return records(c.sort_values("amount_yuan", ascending=False).iloc[[0]])[0]


def three_public_vs_economic(L: Ledger, R: Recorder) -> None:
    """B04: 30217 公务接待费 (and 30231 公务用车运行维护费) against the 三公 table."""
    three = L.tables("three_public_costs")
    econ = [t for t in L.d.tables if "economic" in t.kind]
    if not three or not econ:
        R.not_evaluated("B04", "缺少“三公”经费表或经济分类表", "no three-public-costs table or no economic table")
        return
    rows3 = L.table_rows(three[0].index)
    if rows3.empty:
        R.not_evaluated("B04", "“三公”经费表为空", "the three-public-costs table is empty")
        return
    first = _this_year(L, rows3)
    units = {u for u in map(_unit_of, records(rows3[["unit_code", "unit_name"]])) if u}
    if len(units) > 1 and not first.empty and not first["is_total_row"].iloc[0]:
        # rows by unit with no 合计 first: the first row is one unit's, not the department's
        R.not_evaluated("B04", "“三公”经费表按单位列示且首行不是合计，部门数未知",
                        "the three-public-costs table lists units with no total first: the department's figure "
                        "is not printed")
        return
    for code, word in (("30217", "接待"), ("30231", "运行")):
        x = _three_figure(first, word)
        lines = pd.concat([L.total_column_rows(t.index) for t in econ])
        lines = lines[lines["eff_code"] == code]
        if x is None or lines.empty:
            continue
        for _, line in lines.drop_duplicates("table_index").iterrows():
            tol = to_yuan(half_unit(x["decimals"]), x["unit"]) + to_yuan(half_unit(line["decimals"]), line["unit"])
            R.evaluated["B04"] += 1
            if line["amount_yuan"] > x["amount_yuan"] + tol:
                R.compare("B04", x["amount_yuan"], line["amount_yuan"], tol, "元" if x["unit"] != line["unit"]
                          else x["unit"],
                          f"{line['table_title']} {code} {line['label']} 超过“三公”经费表的{x['column_label']}",
                          f"{line['table_title']} {code} exceeds the three-public-costs '{x['column_label']}'",
                          [L.location(line), L.location(x)])


_PROJECT_CODE = re.compile(r"^[0-9A-Za-z]{8,}[-－—]+")
_UNIT_ROW = re.compile(r"^\d{1,9}[-－]")


def _norm_name(s: str) -> str:
    return re.sub(r"[\s\-－—_“”\"（）()]", "", _PROJECT_CODE.sub("", s or ""))


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


def _group_rows(rows: pd.DataFrame) -> pd.Series:
    """Rows of a project list that head a group, not a project: a unit's row (西安市财政投资评审中心) or a category
    whose amount is the sum of two or more rows right below it (通用项目, 专用项目)."""
    from budgetkit.tidy.meta import is_org_name

    out = pd.Series(False, index=rows.index)
    for _, t in rows.groupby("table_index", sort=False):
        t = t.sort_values("row_no")
        amounts = [r if present(r) else Decimal(0) for r in t["amount_yuan"]]
        idxs = list(t.index)
        for idx, label in zip(idxs, t["row_label"].fillna("")):
            # "广州市统计监测中心（广州市统计发展中心）": a unit's name with its other name after it
            out[idx] = is_org_name(label) or is_org_name(re.sub(r"[（(][^（()）]*[）)]$", "", label))
        for _ in range(3):  # groups inside groups: an inner group's rows count once, through its projects
            for i, idx in enumerate(idxs):
                if out[idx] or amounts[i] == 0:
                    continue
                run, n = Decimal(0), 0
                for k in range(i + 1, len(amounts)):
                    if out[idxs[k]]:
                        continue
                    run, n = run + amounts[k], n + 1
                    if run == amounts[i] and n >= 2:
                        out[idx] = True
                        break
                    if run > amounts[i] > 0:
                        break
    return out


def _other_line(p_rows: pd.DataFrame, p, diff: Decimal, tol: Decimal):
    """Another project line (not a total, not ``p``) whose amount is the difference between a target's budget and
    its project line: the target's budget covers both."""
    for r in records(p_rows[~p_rows["is_total_row"] & p_rows["amount_yuan"].notna()]):
        if (r["table_index"], r["row_no"]) == (p["table_index"], p["row_no"]):
            continue
        if abs(r["amount_yuan"] - diff) <= tol + to_yuan(half_unit(r["decimals"]), r["unit"]):
            return r
    return None


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
    groups: set = set()
    if p_items.empty:
        p_items = named
        groups = {_norm_name(x) for x in named.loc[_group_rows(named), "row_label"]}
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
    for _, t in firsts.iterrows():
        unit = t["budget_unit"] if isinstance(t["budget_unit"], str) and t["budget_unit"] else None
        if unit is None:
            continue
        value = to_yuan(t["budget"], unit)
        target_total += value
        loc = {"table_no": None, "table_title": t["table_title"], "table_kind": "performance_targets",
               "page": None if pd.isna(t["page"]) else int(t["page"]),
               "row_label": t["project_name"], "column_label": "预算数 / budget", "raw": f"{t['budget']}",
               "file": t["file"], "table_index": None if pd.isna(t["table_index"]) else int(t["table_index"])}
        lines = projects.get(_norm_name(t["project_name"]), [])
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
                R.add(Finding("B05", "review", f"项目「{p['row_label']}」：项目支出表列有{len(lines)}个同名项目，"
                              "均与绩效目标表预算数不同",
                              f"project '{p['row_label']}': the project table lists {len(lines)} lines of this name, "
                              "none with the performance-target budget",
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
            continue
        R.compare("B05", p["amount_yuan"], value, tol, p["unit"],
                  f"项目「{p['row_label']}」：绩效目标表预算数与项目支出表不一致",
                  f"project '{p['row_label']}': the performance-target budget differs from the project table",
                  [loc, L.location(p)])
    names = {_norm_name(x) for x in firsts["project_name"]} | _targets_in_column(L, pj, p_rows)
    for name, lines in projects.items():
        p = lines[0]
        if name not in names and name not in groups:  # a unit's or category's row heads projects, it is none
            # many templates publish targets for key projects only: a gap is for a reader to judge
            R.add(Finding("B05", "fail", f"项目支出表中的项目「{p['row_label']}」没有绩效目标",
                          f"project '{p['row_label']}' has no performance target",
                          expected=p["amount"], unit=p["unit"], locations=[L.location(x) for x in lines],
                          guesses=list(by_name) + ["并非所有模板要求每个项目都有绩效目标 / not every template "
                                                   "requires targets for every project"]))
    tot = p_rows[p_rows["is_total_row"]]
    # the totals agree only where every project line has its targets and every target its line
    if not tot.empty and matched and matched == len(firsts) == sum(map(len, projects.values())):
        t0 = tot.iloc[0]
        tol = to_yuan(half_unit(t0["decimals"]), t0["unit"]) * (len(firsts) + 1)  # n budgets and one total
        R.compare("B05", t0["amount_yuan"], target_total, tol, t0["unit"],
                  "绩效目标表项目预算合计与项目支出表合计不一致",
                  "the performance-target projects' total differs from the project table's total",
                  [L.location(t0)])


RULES = [same_code_same_amount, totals_agree, three_public_vs_economic, targets_vs_projects]
