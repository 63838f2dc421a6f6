"""Narrative against tables: stated amounts, shares, changes and names."""
from __future__ import annotations

import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger, class_name_of, class_names, half_unit, strip_numbering
from budgetkit.check.recorder import Recorder, fmt
from budgetkit.check.statements import Mention, Sentence
from budgetkit.money import YUAN_PER_UNIT, printed_decimals, to_yuan
from budgetkit.reference import load_csv

_PREFIX_OK = ("年", "年度", "其中", "中", "局", "委", "会", "厅", "处", "部门", "单位", "本年", "当年", "街道",
              "室", "院", "所", "站", "队", "包括", "主要")
ITEM_TABLES = ["gpb_expenditure_by_function", "fiscal_appropriation_expenditure_by_function",
               "expenditure_summary", "income_expenditure_summary", "fiscal_appropriation_summary"]


class Fact:
    def __init__(self, value_yuan: Decimal, rows: pd.DataFrame, name: str):
        self.value_yuan = value_yuan
        self.rows = rows
        self.name = name
        r = rows.iloc[0]
        self.unit = r["unit"]
        self.decimals = r["decimals"]


class Facts:
    """Named quantities the narrative restates, read from the tables."""

    def __init__(self, L: Ledger):
        self.L = L
        self.named: dict[str, Fact] = {}
        a = L.a
        self._first("income_total", "income_expenditure_summary", labels=("收入总计", "本年收入合计", "收入合计"))
        self._first("expenditure_total", "income_expenditure_summary", labels=("支出总计", "本年支出合计", "支出合计"))
        self._first("fiscal_total", "fiscal_appropriation_summary", labels=("收入总计", "本年收入合计", "本年收入"))
        self._first("gpb_total", "gpb_expenditure_by_function", total=True)
        self._label_contains("gpb_income", "income_expenditure_summary", "一般公共预算")
        self._label_contains("govfund_income", "income_expenditure_summary", "政府性基金")
        self._label_contains("business_income", "income_expenditure_summary", "事业收入")
        self._label_contains("carryover", "income_expenditure_summary", "上年结转")
        for key, concept, kinds in (("basic_total", "basic", ("expenditure_summary", "gpb_expenditure_by_function")),
                                    ("project_total", "project", ("expenditure_summary", "gpb_expenditure_by_function"))):
            for k in kinds:
                if key not in self.named:
                    self._concept_total(key, k, concept)
        if "basic_total" not in self.named:
            self._first("basic_total", "gpb_basic_expenditure_by_economic", total=True)
        if "project_total" not in self.named:
            self._first("project_total", "project_expenditure", total=True)
        for key, concept in (("personnel_total", "personnel"), ("public_use_total", "public_use")):
            self._concept_total(key, "gpb_basic_expenditure_by_economic", concept)
        self._three()
        self._first("procurement_total", "procurement", total=True)
        if "operating_costs" not in self.named:
            self._first("operating_costs", "operating_costs", total=True)
        if "expenditure_total" not in self.named and "income_total" in self.named:
            self.named["expenditure_total"] = self.named["income_total"]

    def _set(self, key, rows):
        if not rows.empty and key not in self.named:
            self.named[key] = Fact(rows["amount_yuan"].iloc[0], rows.iloc[:1], key)

    def _first(self, key, kind, labels=(), total=False):
        for t in self.L.tables(kind):
            rows = self.L.total_column_rows(t.index)
            if total:
                self._set(key, rows[rows["is_total_row"]])
            for lab in labels:
                self._set(key, rows[rows["label"] == lab] if not rows.empty else rows)
                tr = self.L.table_rows(t.index)
                self._set(key, tr[tr["label"] == lab])

    def _label_contains(self, key, kind, word):
        for t in self.L.tables(kind):
            tr = self.L.table_rows(t.index)
            self._set(key, tr[tr["label"].str.contains(word) & ~tr["column_label"].str.contains("支出")])

    def _concept_total(self, key, kind, concept):
        for t in self.L.tables(kind):
            tr = self.L.table_rows(t.index)
            self._set(key, tr[tr["is_total_row"] & (tr["concept"] == concept)])

    def _three(self):
        for t in self.L.tables("three_public_costs"):
            tr = self.L.table_rows(t.index)
            if tr.empty:
                continue
            first = tr[tr["row_no"] == tr["row_no"].min()]
            cols = first["column_label"]
            last = cols.str.split("/").str[-1]
            pick = {
                "three_total": cols.str.contains("三公|当年财政拨款") & cols.str.endswith(("合计", "小计")) &
                ~cols.str.contains("公务用车"),
                "three_abroad": cols.str.contains("出国"),
                "three_reception": cols.str.contains("接待"),
                "three_vehicle": cols.str.contains("公务用车") & (cols.str.endswith(("小计", "运行费", "维护费"))
                                                               & ~cols.str.contains("/运行|/购置")),
                "three_vehicle_purchase": last.str.contains("购置费") & ~last.str.contains("运行"),
                "three_vehicle_operation": last.str.contains("运行") & ~last.str.contains("购置")
                & ~last.str.contains("机关运行"),
                "operating_costs": cols.str.contains("机关运行经费"),
                "meeting_costs": last.str.contains("会议费"),
                "training_costs": last.str.contains("培训费"),
            }
            for key, mask in pick.items():
                self._set(key, first[mask])
            if "three_total" not in self.named:
                self._set("three_total", first[cols.str.split("/").str[-1].isin(["合计"])])

    # --- items by name -------------------------------------------------
    def item(self, name: str) -> Fact | None:
        """A function/economic line by its printed name: the value most tables agree on."""
        a = self.L.a
        rows = a[(a["label"] == name) & a["table_kind"].isin(ITEM_TABLES + [
            "gpb_basic_expenditure_by_economic", "fiscal_appropriation_expenditure_by_economic"])]
        rows = rows[rows["concept"].isin(["total", "gpb", "current_appropriation"]) |
                    rows["column_label"].str.endswith("预算数")]
        if rows.empty:
            code = class_names().get(name)
            if code:
                kids = a[(a["table_kind"] == "gpb_expenditure_by_function") & a["eff_code"].str.startswith(code)
                         & (a["code_level"] == "项")]
                kids = kids[kids["column_label"].isin(self.L.total_column_rows(kids["table_index"].iloc[0])
                                                      ["column_label"])] if not kids.empty else kids
                if not kids.empty:
                    return Fact(sum(kids["amount_yuan"], Decimal(0)), kids, name)
            return None
        value = Counter(rows["amount_yuan"]).most_common(1)[0][0]
        return Fact(value, rows[rows["amount_yuan"] == value], name)

    def item_code(self, code: str) -> Fact | None:
        """A coded line: the value most tables agree on in their total columns."""
        a = self.L.a
        rows = a[(a["eff_code"] == code) & a["table_kind"].isin(ITEM_TABLES)]
        rows = rows[rows["concept"].isin(["total", "gpb", "current_appropriation"])
                    | rows["column_label"].str.endswith("预算数")]
        if rows.empty:
            return None
        value = Counter(rows["amount_yuan"]).most_common(1)[0][0]
        return Fact(value, rows[rows["amount_yuan"] == value], code)

    def item_names(self) -> set[str]:
        a = self.L.a
        return set(a.loc[a["table_kind"].isin(ITEM_TABLES) & a["eff_code"].notna(), "label"])


def _loc(s: Sentence, quote: str | None = None) -> dict:
    return {"section": s.section, "page": s.page, "quote": quote or s.text, "file": s.file}


def _resolve_phrase(subject: str) -> str | None:
    best = None
    for r in load_csv("narrative_subjects.csv"):
        p = r["phrase"]
        if subject.endswith(p):
            prefix = subject[: -len(p)]
            if prefix and (prefix.endswith("项目") or not prefix.endswith(_PREFIX_OK)):
                continue
            if best is None or len(p) > len(best[0]):
                best = (p, r["fact"])
    return best[1] if best else None


def _near(a: str, b: str) -> bool:
    """Same length, one character different (住户保障支出 / 住房保障支出)."""
    return len(a) == len(b) >= 4 and sum(x != y for x, y in zip(a, b)) == 1


def _compare_mention(L: Ledger, R: Recorder, m: Mention, fact: Fact, s: Sentence, what: str) -> None:
    per = YUAN_PER_UNIT[m.unit]
    stated = m.value * per
    table_in_text_unit = (fact.value_yuan / per).quantize(Decimal(1).scaleb(-printed_decimals(m.value)),
                                                          ROUND_HALF_UP)
    if table_in_text_unit == m.value:
        R.passed("N01")  # the same figure at the text's precision
        return
    tol = half_unit(printed_decimals(m.value)) * per + to_yuan(half_unit(fact.decimals), fact.unit)
    R.compare("N01", fact.value_yuan, stated, tol, m.unit,
              f"说明中「{what}」{m.raw}与表格不一致", f"the text's '{what}' {m.raw} disagrees with the tables",
              [_loc(s)] + [L.location(r) for _, r in fact.rows.iterrows()])


def _interval_pct(num: Decimal, num_dec, den: Decimal, den_dec) -> tuple[Decimal, Decimal]:
    hn, hd = half_unit(num_dec), half_unit(den_dec)
    lo = (num - hn) / (den + hd) * 100
    hi = (num + hn) / (den - hd) * 100 if den - hd != 0 else Decimal("Infinity")
    return min(lo, hi), max(lo, hi)


def amounts_and_shares(L: Ledger, R: Recorder) -> None:
    """N01 (amounts), N02 (shares), N05 (no counterpart), N06 (class names)."""
    if L.d.narrative.empty:
        for rule in ("N01", "N02", "N05", "N06"):
            R.not_evaluated(rule, "没有情况说明文字", "the disclosure has no narrative text")
        return
    facts = Facts(L)
    names = facts.item_names()
    sentences = L.statements
    n_shares = 0
    for s in sentences:
        item_mentions = {id(ci["mention"]) for ci in s.class_items if ci["mention"] is not None}
        for ci in s.class_items:
            _class_item(L, R, facts, s, ci)
        amounts = [m for m in s.mentions if m.role == "amount"]
        for k, m in enumerate(amounts):
            if id(m) in item_mentions:
                continue
            subj = m.subject
            fact_key = _resolve_phrase(subj)
            scope = _FUND_SCOPE.search(s.text[: m.start] + " " + (s.section or ""))
            if fact_key and scope and not fact_key.startswith(_FUND_FACTS[scope.group(0)]):
                continue  # 基本支出 of a government fund is not the department's 基本支出
            fact = facts.named.get(fact_key) if fact_key else None
            what = subj
            if fact is None and not fact_key:
                name = next((n for n in sorted(names, key=len, reverse=True) if subj.endswith(n)
                             and _prefix_ok(subj[: -len(n)])), None)
                if name is None:
                    near = [n for n in names if _near(subj[-len(n):], n)] if len(subj) >= 4 else []
                    if near:
                        name = near[0]
                        R.add(Finding("N06", "fail", f"说明中的科目名称「{subj[-len(name):]}」与表格中的「{name}」不一致",
                                      f"the text names '{subj[-len(name):]}' where the tables print '{name}'",
                                      locations=[_loc(s)]))
                if name:
                    fact = facts.item(name)
                    what = name
                elif m.value != 0 and re.search(r"(?:支出|经费)$", subj) and len(subj) >= 4 \
                        and class_names().get(subj) or (m.value != 0 and subj in class_names()):
                    R.add(Finding("N05", "fail", f"说明中的「{subj}」{m.raw}在表格中找不到对应",
                                  f"the text's '{subj}' {m.raw} has no counterpart in the tables",
                                  actual=m.value, unit=m.unit, locations=[_loc(s)]))
            if fact is not None:
                _compare_mention(L, R, m, fact, s, what)
            if m.share is not None:
                n_shares += 1
                _share(L, R, facts, s, amounts, k, m)
    if not n_shares:
        R.not_evaluated("N02", "说明中没有占比表述", "the text states no shares")


_FUND_SCOPE = re.compile(r"政府性基金|国有资本经营")
_FUND_FACTS = {"政府性基金": "govfund", "国有资本经营": "soe"}
_PROJECT_COUNT = re.compile(r"项目\s*(?P<n>\d+)\s*个[，,、]?\s*(?:涉及|共|合计)?(?:预算|资金|金额)?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|元)")


def project_count(L: Ledger, R: Recorder) -> None:
    """N01: '开展绩效目标管理的项目5个，涉及预算420.01万元' against the target table."""
    pt = L.tables("performance_targets")
    if L.d.narrative.empty or not pt:
        return
    from budgetkit.check.between import _UNIT_ROW
    rows = pd.concat([L.table_rows(t.index) for t in pt])
    rows = rows[rows["concept"] == "total"] if (rows["concept"] == "total").any() else rows
    projects = rows[~rows["row_label"].fillna("").str.match(_UNIT_ROW)]
    summary = rows[rows["row_label"].fillna("").str.match(_UNIT_ROW)]
    for s in L.statements:
        for m in _PROJECT_COUNT.finditer(s.text):
            if "绩效" not in s.text:
                continue
            n = int(m.group("n"))
            R.evaluated["N01"] += 1
            if n != len(projects):
                R.add(Finding("N01", "fail", f"说明称绩效目标项目{n}个，绩效目标表列有{len(projects)}个",
                              f"the text counts {n} projects with targets; the target table lists {len(projects)}",
                              expected=Decimal(len(projects)), actual=Decimal(n), unit="个",
                              locations=[_loc(s)] + [L.location(r) for _, r in projects.iterrows()]))
            value = Decimal(m.group("num").replace(",", ""))
            total_rows = summary if not summary.empty else projects
            total = sum(total_rows.iloc[:1]["amount_yuan"] if not summary.empty else projects["amount_yuan"],
                        Decimal(0))
            per = YUAN_PER_UNIT[m.group("unit")]
            tol = half_unit(printed_decimals(value)) * per + L.tol_yuan(total_rows.iloc[:1] if not summary.empty
                                                                        else projects)
            R.compare("N01", total, value * per, tol, m.group("unit"),
                      "说明中的绩效目标项目预算总额与绩效目标表不一致",
                      "the text's budget of projects with targets disagrees with the target table",
                      [_loc(s)] + [L.location(r) for _, r in total_rows.iloc[:1].iterrows()])


def _prefix_ok(prefix: str) -> bool:
    return not prefix or (prefix.endswith(_PREFIX_OK) and not prefix.endswith("项目"))


def _share(L, R, facts, s, amounts, k, m) -> None:
    if k == 0 or amounts[0].value == 0:
        den_fact = facts.named.get("income_total") or facts.named.get("expenditure_total")
        if den_fact is None:
            return
        den, den_dec = den_fact.value_yuan / YUAN_PER_UNIT[m.unit], den_fact.decimals
        if den_fact.unit != m.unit:
            den_dec = printed_decimals(m.value)
    else:
        den, den_dec = amounts[0].value * YUAN_PER_UNIT[amounts[0].unit] / YUAN_PER_UNIT[m.unit], \
            printed_decimals(amounts[0].value)
    if den == 0:
        return
    lo, hi = _interval_pct(m.value, printed_decimals(m.value), den, den_dec)
    hp = half_unit(printed_decimals(m.share))
    R.evaluated["N02"] += 1
    if lo - hp <= m.share <= hi + hp:
        return
    computed = (m.value / den * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    R.add(Finding("N02", "fail",
                  f"说明称{m.raw}{m.share_raw}，按 {fmt(m.value, m.unit)} ÷ {fmt(den, m.unit)} 计算应为 {computed}%",
                  f"the text says {m.raw} is {m.share}% of the total; {fmt(m.value, m.unit)} ÷ {fmt(den, m.unit)} "
                  f"gives {computed}%",
                  expected=computed, actual=m.share, unit="%", tolerance=hp, locations=[_loc(s)]))


def _class_item(L, R, facts: Facts, s: Sentence, ci: dict) -> None:
    xiang = strip_numbering(ci["xiang"]).strip("“”\"")
    kuan = strip_numbering(ci["kuan"]).strip("“”\"")
    m = ci["mention"]
    a = L.a
    items = a[(a["code_level"] == "项") & a["eff_code"].notna()]
    rows = items[items["label"] == xiang]
    if rows.empty and xiang[:1] in "一-—" and (items["label"] == xiang[1:]).any():
        xiang = xiang[1:]  # a stray list mark before the name
        rows = items[items["label"] == xiang]
    if rows["eff_code"].nunique() > 1:
        # the same 项 name under several 款 (一般行政管理事务): the 款 named in the text decides
        kuan_codes = set(a.loc[(a["label"] == kuan) & (a["code_level"] == "款"), "eff_code"])
        narrowed = rows[rows["eff_code"].str[:5].isin(kuan_codes)]
        rows = narrowed if not narrowed.empty else rows.iloc[0:0]
    quote = f"{ci['lei']}(类){ci['kuan']}(款){ci['xiang']}(项)"
    if rows.empty:
        R.add(Finding("N05", "fail", f"说明中的「{quote}」{m.raw if m else ''}在表格中找不到对应的项级科目",
                      f"the text's item '{ci['xiang']}' {m.raw if m else ''} has no counterpart code in the tables",
                      actual=m.value if m else None, unit=m.unit if m else None, locations=[_loc(s, s.text)]))
        return
    code = rows["eff_code"].iloc[0]
    official = class_name_of(code[:3]) or ""
    lei = ci["lei"].strip("“”\"")
    norm = lambda x: x.replace("支出", "")  # noqa: E731
    R.evaluated["N06"] += 1
    if official and norm(lei) not in norm(official):
        R.add(Finding("N06", "fail", f"说明把「{xiang}」（{code}）归入「{lei}」类，编码所属类为「{official}」",
                      f"the text files '{xiang}' ({code}) under class '{lei}'; its code belongs to '{official}'",
                      locations=[_loc(s), L.location(rows.iloc[0])]))
    if m is not None:
        fact = facts.item_code(code)
        if fact is not None:
            _compare_mention(L, R, m, fact, s, quote)


def stated_changes(L: Ledger, R: Recorder) -> None:
    """N03: changes recompute from the stated base; N04: compared with the previous year."""
    year = L.d.meta.get("year")
    sentences = L.statements
    n = 0
    for s in sentences:
        for c in s.changes:
            cur = c.current
            if cur is None or c.base is None or c.delta is None and c.direction != "持平":
                continue
            n += 1
            per = YUAN_PER_UNIT[cur.unit]
            current = cur.value
            base = c.base * YUAN_PER_UNIT[c.base_unit or cur.unit] / per
            sign = -1 if c.direction in ("减少", "下降", "降低", "减") else 1
            hc, hb = half_unit(printed_decimals(cur.value)), half_unit(printed_decimals(c.base))
            if c.direction == "持平":
                R.passed("N03")
                if abs(current - base) > hc + hb:
                    R.add(Finding("N03", "fail", f"说明称「{c.raw}」持平，但 {fmt(current, cur.unit)} 与 {fmt(base, cur.unit)} 不同",
                                  f"the text says unchanged, but {current} and {base} differ",
                                  expected=base, actual=current, unit=cur.unit, locations=[_loc(s)]))
                continue
            if c.delta_unit in ("%", "％"):
                R.passed("N03")
                lo, hi = _interval_pct(current - base, max(printed_decimals(cur.value), printed_decimals(c.base)),
                                       base, printed_decimals(c.base))
                stated = sign * c.delta
                hp = half_unit(printed_decimals(c.delta))
                if not (lo - hp <= stated <= hi + hp):
                    computed = ((current - base) / base * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
                    R.add(Finding("N03", "fail",
                                  f"说明称「{c.raw}」，由 {fmt(base, cur.unit)} 到 {fmt(current, cur.unit)} 的变化为 {computed}%",
                                  f"the text says '{c.raw}'; from {base} to {current} the change is {computed}%",
                                  expected=computed, actual=stated, unit="%", tolerance=hp, locations=[_loc(s)]))
            elif c.delta_unit:
                delta = c.delta * YUAN_PER_UNIT[c.delta_unit] / per
                hd = half_unit(printed_decimals(c.delta))
                R.compare("N03", (current - base) * per, sign * delta * per, (hc + hb + hd) * per, cur.unit,
                          f"说明称「{c.raw}」，但 {fmt(current, cur.unit)} − {fmt(base, cur.unit)} 的差额不符",
                          f"the text says '{c.raw}', but {current} − {base} differs",
                          [_loc(s)])
    if not n:
        R.not_evaluated("N03", "说明中没有带基数的增减表述", "the text states no change with its base")
    if year:
        _years(L, R, year)


_CMP_YEAR = re.compile(r"(?:比|较|与)\s*(\d{4})\s*年")


def _years(L: Ledger, R: Recorder, year: int) -> None:
    for _, p in L.d.narrative.iterrows():
        for m in _CMP_YEAR.finditer(p["text"]):
            y = int(m.group(1))
            R.evaluated["N04"] += 1
            if y not in (year - 1, year):
                quote = p["text"][max(0, m.start() - 30): m.end() + 30]
                R.add(Finding("N04", "fail", f"{year}年的说明与{y}年比较（应为{year - 1}年）",
                              f"the {year} text compares with {y} (expected {year - 1})",
                              expected=Decimal(year - 1), actual=Decimal(y), locations=[
                                  {"section": p["section"], "page": None if pd.isna(p["page"]) else int(p["page"]),
                                   "quote": quote, "file": p["file"]}]))


RULES = [amounts_and_shares, stated_changes, project_count]
