"""Budget execution (预算执行): a year's 预算 beside the same year's 决算 of one unit.

``budgetkit.execution(budget, final)`` joins the two disclosures (paths or Disclosure objects) line by line —
function 类/款/项 and totals, 收支总表 lines, 三公 parts — with 执行率 = 决算/预算, reads the 决算's own
execution statements (年初预算为X万元，支出决算为Y万元，完成年初预算的Z%) and checks them (FN rules), and checks
the statements against the budget (X rules).  ``budgetkit.execution(None, final)`` gives the 决算's statements
and their FN findings alone.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from budgetkit.check.findings import Finding, Findings
from budgetkit.errors import BadInputError
from budgetkit.execution import checks, final_rules, join, xrules
from budgetkit.execution import tables as T
from budgetkit.execution.narrative import entries as read_entries
from budgetkit.execution.narrative import refine_pages

__all__ = ["execution", "Execution", "read_entries"]


@dataclass
class Execution:
    budget_meta: dict | None
    final_meta: dict
    lines: pd.DataFrame
    entries: pd.DataFrame
    funds: pd.DataFrame
    findings: Findings
    basis: str = ""  # which budget column is 年初, and how that was decided
    tables: dict = field(default_factory=dict)

    @property
    def unit(self) -> str:
        return self.final_meta.get("department") or ""

    @property
    def year(self):
        return self.final_meta.get("year")

    def to_dict(self) -> dict:
        def plain(v):
            if isinstance(v, Decimal):
                return format(v, "f")
            if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
                return None
            return v

        def frame(df, drop=()):
            return [{k: plain(v) for k, v in r.items() if k not in drop} for r in df.to_dict("records")]

        docs = [m for m in (self.budget_meta, self.final_meta) if m]
        return {"unit": self.unit, "year": self.year, "amount_unit": "万元",
                "documents": [{"doc_id": m.get("doc_id"), "stage": m.get("stage"),
                               "files": [s["file"] for s in m.get("sources", [])]} for m in docs],
                "basis": self.basis, "tables": self.tables,
                "lines": frame(self.lines), "entries": frame(self.entries, drop=("pages",)),
                "funds": frame(self.funds), "findings": [f.to_dict() for f in self.findings]}

    def to_json(self) -> str:
        from budgetkit.report.findings import json_default

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=json_default)


def _read(x):
    if x is None:
        return None
    from budgetkit.disclosure import Disclosure
    from budgetkit.pipeline import read

    return x if isinstance(x, Disclosure) else read(x)


def _paths(x) -> list:
    """The file paths a disclosure was given as (none for a Disclosure object)."""
    import os

    if x is None or hasattr(x, "meta"):
        return []
    items = x if isinstance(x, (list, tuple)) else [x]
    return [p for p in items if isinstance(p, (str, os.PathLike))]


def _refuse_pair(b, f) -> None:
    bm, fm = b.meta, f.meta
    where = f"{bm.get('doc_id')} + {fm.get('doc_id')}"
    if bm.get("stage") == fm.get("stage"):
        raise BadInputError(where, f"两份文件都是{bm.get('stage') or '未知阶段'}，需要一份预算和一份决算",
                            f"both files are {bm.get('stage') or 'of an unknown stage'}: give one 预算 and one 决算")
    if bm.get("stage") != "预算" or fm.get("stage") != "决算":
        raise BadInputError(where, "第一份应为预算、第二份应为决算（或无法判断阶段）",
                            "the first file must be the 预算 and the second the 决算 (or a stage could not be read)")
    if bm.get("year") != fm.get("year"):
        raise BadInputError(where, f"年度不同：预算 {bm.get('year')} 年，决算 {fm.get('year')} 年",
                            f"two years: 预算 {bm.get('year')}, 决算 {fm.get('year')}")
    bu, fu = _unit(bm), _unit(fm)
    if not bu or not fu or not (bu in fu or fu in bu):
        raise BadInputError(where, f"单位不同或无法判断：预算“{bu or '?'}”，决算“{fu or '?'}”",
                            f"two units, or a unit not read: 预算 “{bu or '?'}”, 决算 “{fu or '?'}”")


def _unit(meta) -> str:
    """The unit's name without spaces and without a 本级/部门 qualifier."""
    import re

    name = "".join(str(meta.get("unit_name") or meta.get("department") or "").split())
    return re.sub(r"(?:（本级）|\(本级\)|本级|（部门）|部门|机关)$", "", name)


def _scope(b, f) -> list[Finding]:
    """X01: one name contained in the other (a department and one of its units) is joined, as review."""
    bu, fu = _unit(b.meta), _unit(f.meta)
    if bu == fu and b.meta.get("scope") == f.meta.get("scope"):
        return []
    return [Finding(rule="X01", status="review",
                    message=f"预算单位“{bu}”（{b.meta.get('scope') or '?'}）与决算单位“{fu}”（{f.meta.get('scope') or '?'}）"
                            "名称或口径不完全相同，对照结果需核对",
                    message_en=f"the 预算's unit “{bu}” ({b.meta.get('scope') or '?'}) and the 决算's “{fu}” "
                               f"({f.meta.get('scope') or '?'}) differ in name or scope: check before quoting",
                    locations=[{"file": m["sources"][0]["file"] if m.get("sources") else None,
                                "section": m.get("evidence", {}).get("department")} for m in (b.meta, f.meta)])]


def execution(budget, final) -> Execution:
    """Join a 预算 and the same year's 决算 of one unit (paths, lists of paths, or Disclosures).

    ``budget`` may be None: the 决算's execution statements and their FN findings alone."""
    f = _read(final)
    b = _read(budget)
    f_paths = _paths(final)
    if b is not None and f.meta.get("stage") == "预算" and b.meta.get("stage") == "决算":
        b, f = f, b  # given the other way round: the stages say which is which
        f_paths = _paths(budget)
    if b is not None:
        _refuse_pair(b, f)
    elif f.meta.get("stage") != "决算":
        raise BadInputError(f.meta.get("doc_id"), "不是决算文件", "not a 决算 (final accounts) disclosure")
    e = read_entries(f)
    if f_paths:
        e = refine_pages(e, f_paths)
    ti = T.function_table(f)
    rows = T.by_code(f, ti) if ti is not None else {}
    e = checks.resolve_codes(e, rows)
    items, evaluated, e = checks.check_entries(f, e)
    items += final_rules.check(f, evaluated)
    info: dict = {"final_table": _title(f, ti), "final_pages": join.table_pages(f, ti) if ti is not None else []}
    if b is not None:
        fl, info = join.function_lines(b, f)
        parts = [x for x in (fl, join.summary_lines(b, f), join.sangong_lines(b, f)) if len(x)]
        lines = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=join.COLUMNS)
        lines = lines.astype(object).where(lines.notna(), None)  # a missing figure is None before any rule reads it
        basis, x_items = _x_rules(lines, e, evaluated)
        decided = not any(x.rule == "X02" and x.status == "review" for x in x_items) and "待核对" not in basis
        items += x_items + _scope(b, f) + xrules.x03(b, f, evaluated) \
            + xrules.x05(lines, e, evaluated, decided) + xrules.x07(lines, evaluated)
        evaluated["X01"] = 1
        funds = _funds(lines, f)
    else:
        lines = _final_only_lines(f, e, rows)
        basis = "无预算文件：预算数取决算说明所述 / no budget given: budget figures are those the 决算 states"
        funds = pd.DataFrame(columns=["step", "amount", "status", "note"])
    lines = _attach_statements(lines, e)
    lines = lines.astype(object).where(lines.notna(), None)  # missing is None, never NaN
    meta = f.meta | {"doc_id": f"{b.meta['doc_id']} + {f.meta['doc_id']}" if b is not None else f.meta["doc_id"]}
    return Execution(b.meta if b is not None else None, f.meta, lines, e, funds,
                     Findings(items, meta, evaluated), basis, info)


def _title(d, ti):
    return None if ti is None else next(t.title for t in d.tables if t.index == ti)


def _final_only_lines(f, e, rows) -> pd.DataFrame:
    ti = T.function_table(f)
    fund = join.FUND.get(next(t.kind for t in f.tables if t.index == ti)) if ti is not None else None
    out = []
    for code, slot in rows.items():
        r = join._line("function", None if code == "合计" else code, None, slot, None, None,
                       name="合计" if code == "合计" else None)
        r["note"] = None
        r["flags"] = ""
        r["fund"] = fund
        out.append(r)
    return pd.DataFrame(out, columns=join.COLUMNS)


def _attach_statements(lines: pd.DataFrame, e: pd.DataFrame) -> pd.DataFrame:
    """The 决算's stated 年初预算, 决算, 完成率 and reason beside each line it speaks of; without a budget file
    the stated 年初预算 is the line's budget (source: the text)."""
    lines = lines.copy()
    for _, s in e.iterrows():
        if s["kind"] == "项" and s["code"]:
            mask = (lines["section"] == "function") & (lines["code"] == s["code"])
        elif s["kind"] == "合计" and "政府性基金" not in str(s["subject"]):
            mask = (lines["section"] == "function") & (lines["level"] == "合计")
        else:
            continue
        for i in lines.index[mask][:1]:
            lines.at[i, "stated_budget"], lines.at[i, "stated_final"] = s["stated_budget"], s["stated_final"]
            lines.at[i, "reason"] = s["reason"]
            lines.at[i, "stated_rate"] = s["stated_rate"] if s["rate_base"] != "change" else None
            if lines.at[i, "budget"] is None and lines.at[i, "budget_file"] is None:
                lines.at[i, "budget"] = s["stated_budget"]
                lines.at[i, "budget_file"], lines.at[i, "budget_page"] = s["file"], s["page"]
                b, fv = s["stated_budget"], lines.at[i, "final"]
                lines.at[i, "difference"] = None if b is None or fv is None else fv - b
                lines.at[i, "rate"], lines.at[i, "note"] = join.rate_and_note(b, fv)
                lines.at[i, "note"] = "; ".join(x for x in [lines.at[i, "note"], "预算数为决算说明所述 / budget as stated "
                                                            "in the 决算 text"] if isinstance(x, str) and x)
                lines.at[i, "flags"] = join._flags(b, fv, lines.at[i, "rate"])
    return lines


def _x_rules(lines: pd.DataFrame, e: pd.DataFrame, evaluated: dict) -> tuple[str, list[Finding]]:
    """X02 (stated 年初 = the budget's figure, for the column the data decide) and X08 (one-sided codes)."""
    out: list[Finding] = []
    fn = lines[lines["section"] == "function"]
    stated_total = e[(e["kind"] == "合计") & (e["rate_base"] != "change")]["stated_budget"].dropna()
    printed = fn[fn["level"] == "合计"]
    if stated_total.empty:
        basis, decided = xrules.current_column_basis(lines)
        evaluated.setdefault("X02", 0)
        if not decided:
            out.append(Finding(rule="X02", status="review", message=basis.split(" / ")[0],
                               message_en=basis.split(" / ")[-1], locations=[]))
    else:
        st = stated_total.iloc[0]
        cands = [(r["name"], r["budget"]) for _, r in printed.iterrows() if r["budget"] is not None]
        carry = printed["budget_carry_in"].dropna()
        if len(cands) and len(carry):
            cands.append(("当年 + 上年结转 / current + carry-over", cands[0][1] + carry.iloc[0]))
        hits = [c for c in cands if abs(c[1] - st) <= checks.h(st) + Decimal("0.005")]
        if len(hits) >= 1 and len({h[1] for h in hits}) == 1:
            basis = f"年初预算 = {hits[0][0]}（{hits[0][1]:,} 万元 = 决算所述 {st:,}）/ 年初 = {hits[0][0]}"
            status = "fail"
        else:
            basis = (f"决算所述年初预算 {st:,} 万元与预算表任一口径都不相等，逐项比较待核对 / the stated 年初预算 "
                     f"{st:,} equals no budget column: item comparisons are review")
            status = "review"
        for _, s in e[(e["kind"] == "项") & e["code"].notna()].iterrows():
            row = fn[fn["code"] == s["code"]]
            if row.empty or s["stated_budget"] is None:
                continue
            bv = row.iloc[0]["budget"] if row.iloc[0]["budget"] is not None else Decimal(0)
            evaluated["X02"] = evaluated.get("X02", 0) + 1
            tol = checks.h(s["stated_budget"]) + Decimal("0.005")
            if abs(bv - s["stated_budget"]) > tol:
                out.append(Finding(rule="X02", status=status,
                                   message=f"{s['code']} {s['xiang_name']}：决算所述年初预算 {s['stated_budget']:,} 万元，"
                                           f"预算公开 {bv:,} 万元",
                                   message_en=f"{s['code']}: the 决算 states 年初预算 {s['stated_budget']:,} 万元, the "
                                              f"预算 disclosure prints {bv:,} 万元",
                                   expected=bv, actual=s["stated_budget"], unit="万元", tolerance=tol,
                                   locations=[{"file": s["file"], "page": int(s["page"]), "quote": s["quote"]},
                                              *([row.iloc[0]["budget_cell"]] if row.iloc[0]["budget_cell"] else [])]))
    for _, r in fn[fn["level"] == "类"].iterrows():
        if r["budget"] is None or r["final"] is None:
            evaluated["X08"] = evaluated.get("X08", 0) + 1
            v = r["budget"] if r["final"] is None else r["final"]
            out.append(Finding(rule="X08", status="note",
                               message=f"{r['code']} {r['name']} {v:,} 万元：{r['note'].split(' / ')[0]}",
                               message_en=f"{r['code']} {r['name']} {v:,} 万元: {r['note'].split(' / ')[-1]}",
                               actual=v, unit="万元",
                               locations=[r["budget_cell"] or r["final_cell"]]))
    return basis, out


def _funds(lines: pd.DataFrame, final=None) -> pd.DataFrame:
    """X06 waterfall 年初预算 → 年中调整 → 上年结转 used → 年末结转 → 决算.  Exact from the 决算's
    财政拨款收入支出决算总表 where it prints one whose 本年支出合计 is the function table's total (the same
    money); else over the lines both sides print, the carry-over a remainder (review).  A step is ``printed``
    only when its figure is read off a page (the note names the page), else ``computed`` (the note says how)."""
    fn = lines[(lines["section"] == "function") & (lines["level"] == "合计")]
    if fn.empty:
        return pd.DataFrame(columns=["step", "amount", "status", "note"])
    t4 = _appropriation_summary(final, fn.iloc[0]["final"]) if final is not None else None
    if t4 is not None and fn.iloc[0]["budget"] is not None:
        r = fn.iloc[0]
        b, f = r["budget"], r["final"]
        (inc, p_inc), (cin, p_in), (cout, p_out) = t4
        tol = sum((checks.h(v) for v in (b, f, inc, cin, cout)), Decimal(0))
        closes = abs(b + (inc - b) + cin - cout - f) <= tol
        src = "财政拨款收入支出决算总表 / appropriation summary"
        return pd.DataFrame([
            {"step": "年初预算 / budget at the start of the year", "amount": b, "status": "printed",
             "note": _printed_note(r, "budget")},
            {"step": "年中调整 / adjustment during the year", "amount": inc - b, "status": "computed",
             "note": f"计算：本年收入合计 {inc:,}{_at(p_inc)[0]} − 年初预算 {b:,} / computed: this year's appropriation "
                     f"income {inc:,}{_at(p_inc)[1]} − budget {b:,} ({src})"},
            {"step": "使用上年结转 / carry-over used", "amount": cin, "status": "printed" if closes else "review",
             "note": f"年初财政拨款结转和结余 {cin:,}{_at(p_in)[0]} / carried in {cin:,}{_at(p_in)[1]} ({src})"},
            {"step": "年末结转 / carried forward", "amount": -cout, "status": "printed" if closes else "review",
             "note": f"减去年末财政拨款结转和结余 {cout:,}{_at(p_out)[0]} / less the carried forward {cout:,}"
                     f"{_at(p_out)[1]} ({src})"
                     + ("" if closes else "；四项不闭合，待核对 / the steps do not close: check")},
            {"step": "决算 / final", "amount": f, "status": "printed", "note": _printed_note(r, "final")}])
    printed, r = fn.iloc[0], fn.iloc[-1]  # the shared total when one exists, else the printed one
    b, f, inc = r["budget"], r["final"], r["final_fiscal_income"]
    shared = len(fn) > 1
    bs, bnote = _total_step(printed, r, "budget", lines)
    rows = [{"step": "年初预算 / budget at the start of the year", "amount": b, "status": bs, "note": bnote}]
    if inc is not None and b is not None and f is not None:
        over_zh, over_en = ("（均为两边共有的类之和）", " (both over the 类 on both sides)") if shared else ("", "")
        rows.append({"step": "年中调整 / adjustment during the year", "amount": inc - b, "status": "computed",
                     "note": f"计算：决算收入表财政拨款收入 {inc:,} − 年初预算 {b:,}{over_zh} / computed: "
                             f"the 决算's appropriation income {inc:,} − budget {b:,}{over_en}"})
        rows.append({"step": "结转净额 / carry-over used − carried forward", "amount": f - inc, "status": "review",
                     "note": f"计算所得差额：决算 {f:,} − 财政拨款收入 {inc:,}，即上年结转使用减年末结转；模板未按科目印出二者 / "
                             f"computed remainder: final {f:,} − appropriation income {inc:,}, the carry-over used less "
                             "carried forward, which this template does not print by code"})
    fs, fnote = _total_step(printed, r, "final", lines)
    rows.append({"step": "决算 / final", "amount": f, "status": fs, "note": fnote})
    return pd.DataFrame(rows)


def _at(page) -> tuple[str, str]:
    return ("", "") if page is None else (f"（第{int(page)}页）", f" (p.{int(page)})")


def _printed_note(row, side: str) -> str:
    """The printed line a waterfall figure is read from, with its page: 合计（印刷），第10页 / total as printed, p.10."""
    zh, _, en = str(row["name"]).partition("/")
    zh, en = zh.strip(), en.strip() or zh.strip()
    page = row[f"{side}_page"]
    if page is None:
        return f"{zh} / {en}"
    return f"{zh}，第{int(page)}页 / {en}, p.{int(page)}"


def _total_step(printed, r, side: str, lines: pd.DataFrame) -> tuple[str, str]:
    """(status, note) of a waterfall total: ``printed`` when the figure is the printed 合计's own, else
    ``computed`` with the printed total and the 类 the sum leaves out."""
    v, pv = r[side], printed[side]
    if v is None:
        return "review", "未读到 / not read"
    if r.name == printed.name or (pv is not None and v == pv and printed[f"{side}_page"] is not None):
        return "printed", _printed_note(printed, side)
    other = "final" if side == "budget" else "budget"
    fn = lines[(lines["section"] == "function") & (lines["level"] == "类")]
    out = [(c, n, a) for c, n, a, o in zip(fn["code"], fn["name"], fn[side], fn[other]) if a is not None and o is None]
    zh_side, en_side = ("预算", "budget") if side == "budget" else ("决算", "final")
    said = "、".join(f"{c} {n} {a:,}" for c, n, a in out)
    zh = "计算：两边共有的类之和"
    en = "computed: the sum of the 类 on both sides"
    if pv is not None:
        page = printed[f"{side}_page"]
        at_zh, at_en = (f"（第{int(page)}页）", f" (p.{int(page)})") if page is not None else ("", "")
        zh += f"，印刷合计 {pv:,}{at_zh}"
        en += f"; the printed total {pv:,}{at_en}"
    if out:
        zh += f"；合计不含仅{zh_side}有的 {said}"
        en += f", leaving out the {en_side}-only " + ", ".join(f"{c} {n} {a:,}" for c, n, a in out)
    return "computed", f"{zh} / {en}"


def _appropriation_summary(final, function_total):
    """((value, page) of 本年收入合计, 年初结转, 年末结转) of the 决算's 财政拨款收入支出决算总表, when its 本年支出合计 equals the
    function table's total (so both speak of the same money); else None."""
    R = final_rules._Reader(final)
    got = [R.value(f"T4.{c}") for c in ("income_this_year", "carry_in", "carry_out", "expenditure_this_year")]
    if any(v is None for v in got) or function_total is None:
        return None
    if abs(got[3][0] - function_total) > checks.h(got[3][0]) + checks.h(function_total):
        return None
    return tuple((v, (c or {}).get("page") if isinstance(c, dict) else None) for v, c, *_ in got[:3])
