"""Panels across years: align lines, compute changes, check 比上年 statements
against what the previous year published."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from budgetkit.check.findings import Finding, _dec_str
from budgetkit.check.ledger import Ledger, half_unit
from budgetkit.check.narrative import Facts, _prefix_ok, _resolve_phrase
from budgetkit.check.narrative.percent import as_printed
from budgetkit.check.recorder import Recorder, fmt
from budgetkit.money import YUAN_PER_UNIT, printed_decimals
from budgetkit.reference import load_csv
from budgetkit.yoy.statements import stated_changes

SKIP_KINDS = {"unknown", "performance_targets", "overall_performance_targets", "procurement"}
LEVELS = ["类", "款", "项"]
# tables whose coded lines a ranking may use, function tables first
RANKING_KINDS = ["gpb_expenditure_by_function", "fiscal_appropriation_expenditure_by_function", "expenditure_summary",
                 "gpb_basic_expenditure_by_economic", "fiscal_appropriation_basic_by_economic",
                 "fiscal_appropriation_expenditure_by_economic"]


def code_level(code) -> str | None:
    """类/款/项 from a classification code's length (3/5/7 digits); None for uncoded lines."""
    if not isinstance(code, str) or not code.isdigit():
        return None
    return {3: "类", 5: "款", 7: "项"}.get(len(code))


def scheme_of(table_kind: str) -> str:
    return "economic" if "economic" in table_kind else "function"


@dataclass
class Panel:
    documents: list[dict]
    years: list[int]
    unit: str
    lines: pd.DataFrame
    statements: list[Finding] = field(default_factory=list)
    evaluated: int = 0
    decimals: int = 2  # the printed precision the values are shown at

    def levels(self, table_kind: str) -> list[str]:
        """The code levels (类/款/项) a table kind's lines have, in order."""
        L = self.lines[(self.lines["table_kind"] == table_kind) & self.lines["level"].notna()]
        return [lv for lv in LEVELS if (L["level"] == lv).any()]

    def ranked(self, table_kind: str | None = None, level: str = "类", year: int | None = None,
               n: int | None = 10) -> pd.DataFrame:
        """Lines of ONE table and ONE code level (类, 款 or 项) ranked by the size of their change.

        Lines of different levels hold the same money (201 ⊃ 20131 ⊃ 2013101), and different tables repeat
        it, so a ranking never mixes them.  ``table_kind`` defaults to the first function table present.
        """
        year = year or self.years[-1]
        if table_kind is None:
            table_kind = next((k for k in RANKING_KINDS if (self.lines["table_kind"] == k).any()), None)
        L = self.lines[(self.lines["table_kind"] == table_kind) & (self.lines["level"] == level)]
        L = L[L[f"change_{year}"].notna()]
        L = L.assign(abs_change=L[f"change_{year}"].map(abs)).sort_values("abs_change", ascending=False,
                                                                          kind="stable")
        return (L.head(n) if n else L).drop(columns="abs_change").reset_index(drop=True)

    def value(self, table_kind: str, code_or_label: str, year: int) -> Decimal | None:
        L = self.lines
        row = L[(L["table_kind"] == table_kind) & ((L["code"] == code_or_label) | (L["label"] == code_or_label))]
        if row.empty:
            return None
        v = row.iloc[0][f"value_{year}"]
        return None if v is None or (isinstance(v, float) and pd.isna(v)) else v

    def to_dict(self) -> dict:
        lines = []
        for _, r in self.lines.iterrows():
            values = {str(y): (None if r[f"value_{y}"] is None else format(r[f"value_{y}"], "f")) for y in self.years}
            changes = {}
            for y in self.years[1:]:
                a, p = r[f"change_{y}"], r[f"pct_{y}"]
                changes[str(y)] = {"amount": None if a is None else format(a, "f"), "pct": None if p is None else format(p, "f"),
                                   "note": None if pd.isna(r[f"note_{y}"]) else r[f"note_{y}"]}
            lines.append({"table_kind": r["table_kind"], "code": None if pd.isna(r["code"]) else r["code"],
                          "label": r["label"], "unit": self.unit,
                          "level": r["level"] if isinstance(r.get("level"), str) else None,
                          "values": values, "changes": changes, "status": r["status"],
                          "pages": {str(y): ({"file": r[f"file_{y}"], "page": int(r[f"page_{y}"])}
                                             if _cell(r, f"page_{y}") is not None else None) for y in self.years},
                          "missing_years": _cell(r, "missing_years"),
                          "across": None if _cell(r, "across_from") is None else {
                              "from": int(r["across_from"]), "to": int(r["across_to"]),
                              "amount": format(r["change_across"], "f"),
                              "pct": None if _cell(r, "pct_across") is None else format(r["pct_across"], "f")}})
        return {"documents": self.documents, "lines": lines, "statements": [f.to_dict() for f in self.statements]}

    def to_json(self) -> str:
        from budgetkit.report.findings import json_default

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=json_default)


def _line_values(d) -> dict:
    """(table_kind, key) → (label, code, value in 元, file, page) from each table's total column.

    A row printed with no name and no code (a one-row summary table: 合计 | 基本支出 | …) is the table's total:
    it is named as its total column names itself (「合计」), not left blank."""
    L = Ledger(d)
    out: dict = {}
    for t in d.tables:
        if t.kind in SKIP_KINDS:
            continue
        rows = L.total_column_rows(t.index)
        for _, r in rows.iterrows():
            code = r["eff_code"] if isinstance(r["eff_code"], str) and t.kind != "project_expenditure" else None
            label = r["label"] if isinstance(r["label"], str) and r["label"].strip() else None
            if label is None and code is None:
                label = str(r["column_label"]).split("/")[-1].strip() or None  # the total column's own name
                if label is None:
                    continue  # neither a name nor a column to name it by: not a line one can follow
            key = (t.kind, code or f"label:{label}")
            page = None if pd.isna(r["page"]) else int(r["page"])
            out.setdefault(key, (label, code, r["amount_yuan"], r["file"], page))
    return out


def _status(present: list[bool], years: list[int]) -> tuple[str, list[int]]:
    """new / discontinued / continuing, or gap when a line is missing from a year between two it is printed in
    (the years it is missing from are returned): such a line neither continues nor starts nor stops."""
    seen = [i for i, p in enumerate(present) if p]
    holes = [years[i] for i in range(seen[0], seen[-1] + 1) if not present[i]]
    if holes:
        return "gap", holes
    return ("new" if not present[0] else "discontinued" if not present[-1] else "continuing"), []


def _correspondence(extra: pd.DataFrame | None) -> list[dict]:
    rows = [dict(r) for r in load_csv("code_changes.csv")]
    if extra is not None:
        rows += extra.astype(str).to_dict("records")
    return [r for r in rows if r["old_code"] != r["new_code"]]


def _one_unit(docs) -> None:
    """Years of two departments side by side would be read as one unit's changes: refused, as ``check`` refuses
    files that name different disclosures."""
    from budgetkit.errors import BadInputError
    from budgetkit.pipeline import _same_body

    named = [d for d in docs if d.meta.get("department")]
    for a, b in zip(named, named[1:]):
        if not _same_body(a.meta["department"], b.meta["department"]):
            desc = "、".join(f"{d.meta['department']}（{d.meta.get('year')}年）" for d in named)
            raise BadInputError(", ".join(d.doc_id for d in docs), f"这些文件不是同一单位的公开文件：{desc}；请分别比较",
                                f"the files are not one unit's disclosures ({a.meta['department']} / "
                                f"{b.meta['department']}): compare one unit at a time")


def compare(disclosures, correspondence: pd.DataFrame | None = None) -> Panel:
    """Align several disclosures of one unit into a panel (oldest first)."""
    from budgetkit.pipeline import read

    docs = [read(d) if not hasattr(d, "amounts") else d for d in disclosures]
    docs = sorted(docs, key=lambda d: d.meta.get("year") or 0)
    years = [d.meta.get("year") for d in docs]
    if len(set(years)) != len(years) or None in years:
        from budgetkit.errors import BadInputError

        raise BadInputError(", ".join(d.doc_id for d in docs), "需要不同年份的公开文件",
                            "compare needs disclosures of different years")
    _one_unit(docs)
    for d in docs:  # a year with nothing read would be compared as a year of zeros
        from budgetkit.check.engine import problem_where, unreadable
        from budgetkit.errors import BadInputError

        problem = unreadable(d)
        if problem is not None:
            raise problem
        if not len(d.amounts):
            raise BadInputError(problem_where(d), "表格中没有读出任何金额，无可比较",
                                "no amount was read from the tables: nothing to compare")
    units = pd.concat([d.amounts["unit"] for d in docs]).value_counts()
    unit = units.index[0] if len(units) else "万元"
    per = YUAN_PER_UNIT[unit]
    # values are shown at the precision the documents print in that unit
    printed = pd.concat([d.amounts.loc[d.amounts["unit"] == unit, "decimals"] for d in docs])
    q = Decimal(1).scaleb(-int(printed.max())) if len(printed) and not pd.isna(printed.max()) else Decimal("0.01")
    maps = _correspondence(correspondence)
    per_year = {}
    for d, y in zip(docs, years):
        vals = _line_values(d)
        remapped = {}
        for (kind, key), v in vals.items():
            for m in maps:
                if key == m["old_code"] and y < int(m["from_year"]):
                    key = m["new_code"]
            remapped.setdefault((kind, key), v)
        per_year[y] = remapped
    # lines only in one year whose label matches a line only in another year: the same line, recoded
    keys = set().union(*per_year.values())
    by_label: dict = {}
    for y, vals in per_year.items():
        for (kind, key), (label, code, *_) in vals.items():
            by_label.setdefault((kind, label), set()).add(key)
    for (kind, label), ks in by_label.items():
        coded = sorted(k for k in ks if not k.startswith("label:"))
        if len(coded) == 2 and not any(all((kind, k) in per_year[y] for y in years) for k in coded):
            old, new = coded
            if not any((kind, old) in per_year[y] and (kind, new) in per_year[y] for y in years):
                for y in years:
                    if (kind, old) in per_year[y]:
                        per_year[y][(kind, new)] = per_year[y].pop((kind, old))
    keys = sorted(set().union(*per_year.values()))
    rows = []
    for kind, key in keys:
        present = [(kind, key) in per_year[y] for y in years]
        label = next(per_year[y][(kind, key)][0] for y in reversed(years) if (kind, key) in per_year[y])
        row = {"table_kind": kind, "code": None if key.startswith("label:") else key, "label": label}
        for y in years:
            v = per_year[y].get((kind, key))
            row[f"value_{y}"] = None if v is None else (v[2] / per).quantize(q, ROUND_HALF_UP)
        for prev, y in zip(years, years[1:]):
            a, b = row[f"value_{y}"], row[f"value_{prev}"]
            note = None
            if a is None or b is None:
                change = pct = None
                note = "上年无此项 / no line the year before" if b is None else "本年无此项 / no line this year"
            else:
                change = a - b
                if b == 0:
                    pct, note = None, "上年为零，无增幅 / base is zero: no percentage"
                else:
                    pct = (change / b * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            row[f"change_{y}"], row[f"pct_{y}"], row[f"note_{y}"] = change, pct, note
        for y in years:
            v = per_year[y].get((kind, key))
            row[f"file_{y}"], row[f"page_{y}"] = (None, None) if v is None else (v[3], v[4])
        row["status"], holes = _status(present, years)
        row["missing_years"] = holes or None
        row["across_from"] = row["across_to"] = row["change_across"] = row["pct_across"] = None
        if holes:  # the change over the gap, between the printed years either side of it
            i = years.index(holes[0])
            a, b = years[i - 1], next(y for y in years[i:] if row[f"value_{y}"] is not None)
            va, vb = row[f"value_{a}"], row[f"value_{b}"]
            row["across_from"], row["across_to"], row["change_across"] = a, b, vb - va
            row["pct_across"] = None if va == 0 else ((vb - va) / va * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            for y in years[1:]:
                if y in holes:
                    row[f"note_{y}"] = f"{y}年无此项 / no line in {y}"
                elif years[years.index(y) - 1] in holes:
                    row[f"note_{y}"] = (f"上年无此项；{a}→{y} 的增减另列（跨年）/ no line the year before: the change "
                                        f"{a}→{y} is given apart (across)")
        rows.append(row)
    lines = pd.DataFrame(rows)
    if len(lines):
        lines["scheme"] = [scheme_of(k) if c else None for k, c in zip(lines["table_kind"], lines["code"])]
        lines["level"] = [code_level(c) for c in lines["code"]]
    else:
        lines = pd.DataFrame(columns=["table_kind", "code", "label", "status", "scheme", "level"])
    panel = Panel([{k: d.meta.get(k) for k in ("doc_id", "department", "year", "stage", "family")} for d in docs],
                  years, unit, lines, decimals=max(-q.as_tuple().exponent, 0))
    _check_statements(panel, docs)
    return panel


STATUS_NAMES = {"new": "新增 / new", "discontinued": "取消 / discontinued", "continuing": "延续 / continuing",
                "gap": "中断 / gap"}


def _cell(r, col):
    v = r.get(col)
    return None if v is None or (not isinstance(v, (list, str)) and pd.isna(v)) else v


def status_text(r, decimals: int = 2) -> str:
    """A line's status for people; a gap names the years the line is missing from and the change across them."""
    from budgetkit.explore.display import change, percent

    name = STATUS_NAMES.get(r["status"], r["status"])
    holes = _cell(r, "missing_years")
    if r["status"] != "gap" or not holes:
        return name
    ys = "、".join(str(y) for y in holes)
    a, b = _cell(r, "across_from"), _cell(r, "across_to")
    pct = _cell(r, "pct_across")
    move = f"{int(a)}→{int(b)} {change(r['change_across'], decimals)}"
    zh = f"{move}（{percent(pct)}）" if pct is not None else f"{move}（{a}年为零，无增幅）"
    en = f"{move} ({percent(pct)})" if pct is not None else f"{move} ({a} is zero: no percentage)"
    return f"中断：{ys}年无此项；{zh} / gap: no line in {ys}; {en}"


def pages_text(r, years) -> str:
    """The PDF page each year's figure is printed on, in year order (– where the year has no such line)."""
    return " · ".join(f"p.{int(p)}" if p is not None else "–" for p in (_cell(r, f"page_{y}") for y in years))


def _fact(facts: Facts, subject: str):
    key = _resolve_phrase(subject or "")
    if key:
        return key, facts.named.get(key)
    for name in sorted(facts.item_names(), key=len, reverse=True):
        if subject and subject.endswith(name) and _prefix_ok(subject[: -len(name)]):
            return name, facts.item(name)
    return None, None


def _check_statements(panel: Panel, docs) -> None:
    """Y01: each year's stated base (or change) against the previous year's published figure."""
    R = Recorder()
    for prev, cur in zip(docs, docs[1:]):
        if cur.meta["year"] != prev.meta["year"] + 1:
            continue
        fp, fc = Facts(Ledger(prev)), Facts(Ledger(cur))
        for _, s in stated_changes(cur).iterrows():
            if s["current"] is None or pd.isna(s["current"]):
                continue
            key, now = _fact(fc, s["subject"])
            _, before = _fact(fp, s["subject"]) if key else (None, None)
            if before is None:
                continue
            unit = s["current_unit"]
            per = YUAN_PER_UNIT[unit]
            said = s["subject"] if isinstance(s["subject"], str) and s["subject"] else key  # as the text names it
            loc = [{"section": s["section"], "page": None if pd.isna(s["page"]) else int(s["page"]),
                    "quote": s["quote"], "file": s["file"]},
                   {"table_title": f"{prev.meta['year']}年公开 / published {prev.meta['year']}",
                    "table_no": None, "page": None, "row_label": said, "column_label": None,
                    "raw": fmt(before.value_yuan / per, unit)}]
            if s["base"] is not None and not pd.isna(s["base"]):
                base = Decimal(s["base"]) * YUAN_PER_UNIT[s["base_unit"] or unit]
                q = Decimal(1).scaleb(-printed_decimals(Decimal(s["base"])))
                published = (before.value_yuan / YUAN_PER_UNIT[s["base_unit"] or unit]).quantize(q, ROUND_HALF_UP)
                panel.evaluated += 1
                if published * YUAN_PER_UNIT[s["base_unit"] or unit] != base:
                    R.compare("Y01", before.value_yuan, base, half_unit(printed_decimals(Decimal(s["base"])))
                              * YUAN_PER_UNIT[s["base_unit"] or unit], unit,
                              f"{cur.meta['year']}年说明所称上年数与{prev.meta['year']}年公开数不一致（{said}）",
                              f"the {cur.meta['year']} text's prior-year figure differs from what "
                              f"{prev.meta['year']} published ({said})", loc)
            elif s["delta"] is not None and not pd.isna(s["delta"]) and s["delta_unit"] in YUAN_PER_UNIT \
                    and now is not None:
                sign = -1 if s["direction"] in ("减少", "下降", "降低", "减") else 1
                stated = sign * Decimal(s["delta"]) * YUAN_PER_UNIT[s["delta_unit"]]
                actual = now.value_yuan - before.value_yuan
                q = Decimal(1).scaleb(-printed_decimals(Decimal(s["delta"])))
                panel.evaluated += 1
                if (actual / YUAN_PER_UNIT[s["delta_unit"]]).quantize(q, ROUND_HALF_UP) * YUAN_PER_UNIT[s["delta_unit"]] \
                        != stated:
                    R.compare("Y01", actual, stated, half_unit(printed_decimals(Decimal(s["delta"])))
                              * YUAN_PER_UNIT[s["delta_unit"]] * 2, s["delta_unit"],
                              f"{cur.meta['year']}年说明所称增减额与两年公开数之差不符（{said}）",
                              f"the {cur.meta['year']} text's change differs from the two published figures ({said})",
                              loc)
            elif s["delta_unit"] in ("%", "％") and now is not None and before.value_yuan != 0:
                sign = -1 if s["direction"] in ("减少", "下降", "降低", "减") else 1
                pct = (now.value_yuan - before.value_yuan) / before.value_yuan * 100
                hp = half_unit(printed_decimals(Decimal(s["delta"])))
                panel.evaluated += 1
                if abs(pct - sign * Decimal(s["delta"])) > hp + Decimal("0.01"):
                    got, at_zh, at_en = as_printed(pct, Decimal(s["delta"]))  # at the decimals the text prints
                    R.add(Finding("Y01", "fail",
                                  f"{cur.meta['year']}年说明称{said}变化{sign * Decimal(s['delta'])}%，按两年公开数应为"
                                  f"{got}%{at_zh}",
                                  f"the {cur.meta['year']} text states {sign * Decimal(s['delta'])}% for {said}; the "
                                  f"published figures give {got}%{at_en}",
                                  expected=got, actual=sign * Decimal(s["delta"]), unit="%",
                                  locations=loc))
    panel.statements = R.items
