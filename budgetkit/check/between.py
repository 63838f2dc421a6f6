"""Between-table agreement: same code same amount, totals, basic/project,
三公 against economic lines, performance targets against projects."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pandas as pd

from budgetkit.check.between_targets import (_PROJECT_CODE, _UNIT_ROW, _group_rows, _norm_name,  # noqa: F401
                                             _other_line, _targets_in_column, targets_vs_projects)
from budgetkit.check.between_three_public import (_CHANGE_COL, _FUNDS, _YEAR, _this_year,  # noqa: F401
                                                  _three_figure, three_public_vs_economic)
from budgetkit.check.between_views import (EXPENDITURE_SIDE, SCOPE, TOTAL_MEANS, _LABEL_SCHEME,  # noqa: F401
                                           _build_views, _codes_by_name, _label_schemes,
                                           _name_codes_by_column, _scope_classes, _unit_of, _views, _where,
                                           scope_of)
from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger, half_unit, present, records
from budgetkit.check.recorder import Recorder, fmt
from budgetkit.money import to_yuan


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


RULES = [same_code_same_amount, totals_agree, three_public_vs_economic, targets_vs_projects]
