"""Narrative against tables: stated amounts, shares, changes and names."""
from __future__ import annotations

import copy
import re
from collections import Counter
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pandas as pd

from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger, class_name_of, class_names, half_unit, strip_numbering
from budgetkit.check.recorder import Recorder, fmt
from budgetkit.check.statements import AMOUNT, Change, Mention, Sentence, normalise_name
from budgetkit.tidy.statements import LIST_MARK
from budgetkit.money import YUAN_PER_UNIT, printed_decimals, to_yuan
from budgetkit.reference import load_csv

_PREFIX_OK = ("年", "年度", "其中", "中", "局", "委", "会", "厅", "处", "部门", "单位", "本年", "当年", "街道",
              "室", "院", "所", "站", "队", "包括", "主要", "全年", "安排")
#: facts that are fiscal-appropriation money whatever the text calls them: 财政拨款/一般公共预算 before
#: them names their scope, not another figure (财政拨款“三公”经费; but 财政拨款支出总计 is not 支出总计)
_SCOPE_FREE = ("three_", "operating_costs", "meeting_costs", "training_costs", "code:")
_SCOPE_WORDS = ("财政拨款", "一般公共预算", "财政拨款安排的", "拨款安排的", "预算拨款安排的", "一般公共预算拨款")
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
        self.alts: set = set()


class Facts:
    """Named quantities the narrative restates, read from the tables."""

    def __init__(self, L: Ledger):
        self.L = L
        self.named: dict[str, Fact] = {}
        # last year's figures where a table prints them beside this year's (a budget's 三公 table with
        # "2025年预算数" columns): the base a stated change is taken from
        self.prior: dict[str, Fact] = {}
        a = L.a
        self._first("income_total", "income_expenditure_summary", labels=("收入总计", "本年收入合计", "收入合计"))
        self._first("expenditure_total", "income_expenditure_summary", labels=("支出总计", "本年支出合计", "支出合计"))
        self._first("fiscal_total", "fiscal_appropriation_summary", labels=("收入总计", "本年收入合计", "本年收入",
                                                                            "收入合计"))
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
        for key, label in (("basic_total", "基本支出"), ("project_total", "项目支出")):
            for kind in ("income_expenditure_summary", "fiscal_appropriation_summary"):
                if key not in self.named:  # 收支总表 listing 支出用途: 一、基本支出 / 二、项目支出 as rows
                    self._first(key, kind, labels=(label,))
        for key, concept in (("personnel_total", "personnel"), ("public_use_total", "public_use")):
            self._concept_total(key, "gpb_basic_expenditure_by_economic", concept)
        self._personnel_and_public_use()
        self._three()
        self._first("procurement_total", "procurement", total=True)
        if "operating_costs" not in self.named:
            self._first("operating_costs", "operating_costs", total=True)
        if "expenditure_total" not in self.named and "income_total" in self.named:
            self.named["expenditure_total"] = self.named["income_total"]
        self._alternatives()

    def _alternatives(self):
        """The same quantity in another scope: a text may state 基本支出 or 项目支出 of all funds,
        of 财政拨款 or of 一般公共预算, each printed in its own table; any of them agrees."""
        a = self.L.a
        totals = a[a["is_total_row"]]
        for key, concept, kinds in (("basic_total", "basic", ("gpb_basic_expenditure_by_economic",
                                                               "fiscal_appropriation_basic_by_economic")),
                                    ("project_total", "project", ("project_expenditure",))):
            fact = self.named.get(key)
            if fact is None:
                continue
            same = totals[totals["concept"] == concept]
            whole = totals[totals["table_kind"].isin(kinds) & (totals["concept"] == "total")]
            fact.alts |= set(same["amount_yuan"]) | set(whole["amount_yuan"])
        for key in ("income_total", "expenditure_total", "fiscal_total"):
            fact = self.named.get(key)
            if fact is not None:
                kind = fact.rows["table_kind"].iloc[0]
                rows = totals[(totals["table_kind"] == kind)]
                fact.alts |= set(rows["amount_yuan"])  # 本年收入合计 or 收入总计: both are "the budget"

    def _set(self, key, rows, into: dict | None = None):
        into = self.named if into is None else into
        if not rows.empty and key not in into:
            into[key] = Fact(rows["amount_yuan"].iloc[0], rows.iloc[:1], key)

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
            unit = None if tr.empty or tr["is_total_row"].any() else self._unit_row(tr)
            if unit is not None:
                # a department of one unit heads the table with that unit's row and prints no 合计: its total
                self._set(key, tr[(tr["label"] == unit) & (tr["concept"] == concept)])
            self._set(key, tr[tr["is_total_row"] & (tr["concept"] == concept)])

    def _unit_row(self, tr) -> str | None:
        """The table's first row when it is named for the disclosure's own unit (深圳市财政局（本级）)."""
        first = tr.sort_values("row_no")["label"].iloc[0] if "row_no" in tr else tr["label"].iloc[0]
        names = [n for n in (self.L.d.meta.get("department"), self.L.d.meta.get("unit_name")) if n]
        return first if isinstance(first, str) and any(first.startswith(n) for n in names) else None

    def _personnel_and_public_use(self):
        """人员经费 = 301 工资福利支出 + 303 对个人和家庭的补助, 公用经费 = 302 商品和服务支出 (+ 310 资本性支出)
        in the basic-spending table by economic class, when no table prints them by name.  The split is the
        usual definition, not every template's: agreeing checks the figure, a difference is left unjudged."""
        if "personnel_total" in self.named and "public_use_total" in self.named:
            return
        for t in self.L.tables("gpb_basic_expenditure_by_economic", "fiscal_appropriation_basic_by_economic"):
            rows = self.L.total_column_rows(t.index)
            by_code = {c: rows[rows["eff_code"] == c] for c in ("301", "302", "303", "310")}
            if by_code["301"].empty or by_code["302"].empty:
                continue
            val = {c: sum(r["amount_yuan"], Decimal(0)) for c, r in by_code.items()}
            if "personnel_total" not in self.named:
                f = Fact(val["301"] + val["303"], pd.concat([by_code["301"], by_code["303"]]), "personnel_total")
                f.alts, f.derived = {val["301"], val["301"] + val["303"]}, True
                self.named["personnel_total"] = f
            if "public_use_total" not in self.named:
                f = Fact(val["302"] + val["310"], pd.concat([by_code["302"], by_code["310"]]), "public_use_total")
                f.alts, f.derived = {val["302"], val["302"] + val["310"]}, True
                self.named["public_use_total"] = f
            return

    _THREE_ROWS = (("three_total", r"三公", r"^$"), ("three_abroad", r"出国", r"^$"), ("three_reception", r"接待", r"^$"),
                   ("three_vehicle", r"公务用车购置(?:及|和|与)?运行", r"^$"),
                   ("three_vehicle_purchase", r"购置费|车辆购置", r"运行"),
                   ("three_vehicle_operation", r"运行(?:维护)?费|运行维护", r"购置|机关运行"),
                   ("operating_costs", r"机关运行经费", r"^$"), ("meeting_costs", r"会议费", r"^$"),
                   ("training_costs", r"培训费", r"^$"))

    def _three_by_rows(self, t) -> bool:
        """A 三公 table printed one cost per row (因公出国（境）支出 / 公务接待费支出 … in one column):
        the rows of its total column (a 决算's outturn column)."""
        tr = self.L.table_rows(t.index)
        labels = tr["label"].fillna("")
        if sum(labels.str.contains(w).any() for w in ("出国", "接待", "公务用车")) < 2:
            return False
        cols = tr["column_label"].fillna("")
        stage = self.L.d.meta.get("stage")
        outturn = cols.str.contains("决算|实际|执行")
        if stage == "决算" and outturn.any():
            tr = tr[outturn]
        elif outturn.any() and (~outturn).any():
            tr = tr[~outturn]
        tr = tr[~tr["column_label"].fillna("").str.contains("上年")]
        if tr["column_label"].nunique() > 1:
            total = tr[tr["concept"] == "total"]
            tr = total[total["column_label"] == total["column_label"].iloc[0]] if not total.empty \
                else tr[tr["column_label"] == tr["column_label"].iloc[0]]
        labels = tr["label"].fillna("")
        for key, word, unless in self._THREE_ROWS:
            self._set(key, tr[labels.str.contains(word) & ~labels.str.contains(unless)])
        if "three_total" not in self.named:
            self._set("three_total", tr[tr["is_total_row"]])
        return True

    def _three(self):
        for t in self.L.tables("three_public_costs"):
            tr = self.L.table_rows(t.index)
            if tr.empty or self._three_by_rows(t):
                continue
            first = tr[tr["row_no"] == tr["row_no"].min()]
            year = self.L.d.meta.get("year")
            row_years = tr["label"].fillna("").str.extract(r"^((?:19|20)\d{2})年(?:度)?(?:预算|决算)?(?:数)?$",
                                                             expand=False)
            if year and (row_years == str(year)).any():
                first = tr[row_years == str(year)]  # rows 2025年 | 2026年 | 增减变化金额: this year's row
            years = first["column_label"].str.extract(r"((?:19|20)\d{2})年", expand=False)
            prior = first.iloc[0:0]
            if year and (row_years == str(int(year) - 1)).any():
                prior = tr[row_years == str(int(year) - 1)]
            if years.notna().any() and year:
                # a table printing last year's and this year's 三公 side by side: this year's columns
                mine = first[years == str(year)]
                prior = first[years == str(int(year) - 1)] if not mine.empty else prior
                first = mine if not mine.empty else first[years == years.dropna().max()]
            elif first["column_label"].str.contains("上年").any():
                prior = first[first["column_label"].str.contains("上年")]
                first = first[~first["column_label"].str.contains("上年")]  # 上年 | 本年 groups
            if self.L.d.meta.get("stage") == "预算" and not prior.empty:
                self._three_columns(prior, self.prior)
            # a 决算's 三公 table prints 预算数 beside 决算数: the text's figures are the outturn
            stage = self.L.d.meta.get("stage")
            outturn = first["column_label"].str.contains("决算|实际|执行")
            if stage == "决算" and outturn.any():
                first = first[outturn]
            elif stage == "预算" and outturn.any() and (~outturn).any():
                first = first[~outturn]
            self._three_columns(first, self.named)

    def _three_columns(self, first, into: dict) -> None:
        """The 三公 figures of one year's columns (one row of a table printing a cost per column)."""
        fund = first["column_label"].str.extract(r"/(一般公共预算|政府性基金预算|国有资本经营预算)$", expand=False)
        if fund.notna().all() and (fund == "一般公共预算").any():
            # each cost split by fund (…/一般公共预算, …/政府性基金预算): “三公” are general-budget money
            first = first[fund == "一般公共预算"]
            cols = first["column_label"].str.replace(r"/一般公共预算$", "", regex=True)
        else:
            cols = first["column_label"]
        last = cols.str.split("/").str[-1]
        # a 合计 beside “三公”经费/小计 may add 会议费 and 培训费: 总计 stands for the 三公 only without one
        named_total = cols.str.contains("三公|当年财政拨款") & cols.str.endswith(("合计", "小计")) & \
            ~cols.str.contains("公务用车")
        pick = {
            "three_total": named_total if named_total.any() else cols.isin(["总计"]),
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
            self._set(key, first[mask], into)
        if "three_total" not in into:
            self._set("three_total", first[cols.str.split("/").str[-1].isin(["合计"])], into)

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
        f = Fact(value, rows[rows["amount_yuan"] == value], name)
        # the same line in other tables (财政拨款 / 一般公共预算 scope), and its 基本支出 / 项目支出
        # parts: a paragraph on 项目支出 states each class's project money
        parts = a[(a["label"] == name) & a["table_kind"].isin(ITEM_TABLES) & a["concept"].isin(["basic", "project"])]
        f.alts = set(rows["amount_yuan"]) | set(parts["amount_yuan"])
        return f

    def item_code(self, code: str) -> Fact | None:
        """A coded line: the value most tables agree on in their total columns."""
        if "_coded" not in self.__dict__:  # every coded line's total-column rows, indexed once
            rows = self._coded_lines()
            rows = rows[rows["concept"].isin(["total", "gpb", "current_appropriation"])
                        | rows["column_label"].str.endswith("预算数")]
            rows = rows[~self._prior_only(rows["column_label"])]  # "2025年预算数" beside 2026's: last year's
            self._coded = {c: g for c, g in rows.groupby("eff_code", sort=False)}
        rows = self._coded.get(code)
        if rows is None or rows.empty:
            return None
        value = Counter(rows["amount_yuan"]).most_common(1)[0][0]
        f = Fact(value, rows[rows["amount_yuan"] == value], code)
        # the same line in the tables of other scopes (支出决算表 all funds, 财政拨款支出决算表): the text
        # may state any of them
        f.alts = set(rows["amount_yuan"])
        f.by_scope = len(f.alts) > 1
        return f

    def _coded_lines(self) -> pd.DataFrame:
        """Every coded line of the tables that print items by code (this year's and last year's columns)."""
        a = self.L.a
        return a[a["eff_code"].notna() & a["table_kind"].isin(ITEM_TABLES)]

    def _prior_only(self, labels: pd.Series) -> pd.Series:
        """Columns headed by last year only ("2025年执行数", not "2026年预算数比2025年执行数")."""
        year = self.L.d.meta.get("year")
        if not year:
            return pd.Series(False, index=labels.index)
        labels = labels.fillna("")
        return labels.str.contains(f"{int(year) - 1}\\s*年", regex=True) & \
            ~labels.str.contains(f"{int(year)}\\s*年", regex=True)

    def item_prior(self, code: str) -> Fact | None:
        """A coded line's figure for last year, in a budget table that prints it beside this year's (国家信访局
        "2025年执行数" beside "2026年预算数"): the first such column of the first table that has one."""
        if self.L.d.meta.get("stage") != "预算":
            return None
        if "_coded_prior" not in self.__dict__:
            rows = self._coded_lines()
            rows = rows[self._prior_only(rows["column_label"])].sort_values(["table_index", "col_no"])
            self._coded_prior = {c: g for c, g in rows.groupby("eff_code", sort=False)}
        rows = self._coded_prior.get(code)
        if rows is None or rows.empty:
            return None
        f = Fact(rows["amount_yuan"].iloc[0], rows.iloc[:1], code)
        # "扣除中央基建投资后执行数" beside "执行数": the text may take either as its base
        f.alts = set(rows.loc[rows["table_index"] == rows["table_index"].iloc[0], "amount_yuan"])
        return f

    def economic(self, code: str) -> Fact | None:
        """An economic line (30215 会议费, 30227 委托业务费) in the economic tables' total columns.  A table by
        economic class may cover basic spending only or all of it: any of the printed figures agrees, and a
        difference is for review (which scope the text means is not known)."""
        a = self.L.a
        # a 基本支出 table by economic class leaves project money out: only tables of all spending
        rows = a[(a["eff_code"] == code) & a["table_kind"].str.contains("economic", na=False)
                 & ~a["table_kind"].str.contains("basic", na=False)]
        rows = rows[rows["concept"].isin(["total", "gpb", "current_appropriation"])
                    | rows["column_label"].str.endswith("预算数")]
        if rows.empty:
            return None
        value = Counter(rows["amount_yuan"]).most_common(1)[0][0]
        f = Fact(value, rows[rows["amount_yuan"] == value], code)
        f.alts = set(rows["amount_yuan"])
        f.by_scope = True
        return f

    def get(self, key: str | None) -> Fact | None:
        """A named fact, an economic line (``code:30227``), or the economic line a fact falls back to."""
        if not key:
            return None
        if key.startswith("code:"):
            return self.economic(key[5:])
        fact = self.named.get(key)
        if fact is None and key in _ECONOMIC_FALLBACK:
            return self.economic(_ECONOMIC_FALLBACK[key])
        return fact

    def item_names(self) -> set[str]:
        if "_item_names" not in self.__dict__:  # read once: every change without a figure asks for it
            a = self.L.a
            self._item_names = set(a.loc[a["table_kind"].isin(ITEM_TABLES) & a["eff_code"].notna(), "label"])
        return self._item_names


#: a fact no summary table prints, read from its economic line (会议费 30215, 培训费 30216)
_ECONOMIC_FALLBACK = {"meeting_costs": "30215", "training_costs": "30216"}


def _facts(L: Ledger) -> Facts:
    if "_facts" not in L.__dict__:
        L.__dict__["_facts"] = Facts(L)
    return L.__dict__["_facts"]


def _items(L: Ledger) -> pd.DataFrame:
    """项-level coded rows with their names normalised (其它/其他, brackets)."""
    if "_items" not in L.__dict__:
        a = L.a
        items = a[(a["code_level"] == "项") & a["eff_code"].notna()].copy()
        items["nlabel"] = [normalise_name(x) for x in items["label"]]
        L.__dict__["_items"] = items
    return L.__dict__["_items"]


def _mark(L: Ledger, s: Sentence, finding=None, ok: bool | None = None) -> None:
    """Statement coverage: each sentence is checked-passed, checked-failed or not checked with a reason."""
    c = L.coverage.setdefault(s.no, {"passed": 0, "failed": 0, "reasons": []})
    bad = ok is False or (finding is not None and finding.status in ("fail", "review"))
    c["failed" if bad else "passed"] += 1


def _why(L: Ledger, s: Sentence, zh: str, en: str) -> None:
    c = L.coverage.setdefault(s.no, {"passed": 0, "failed": 0, "reasons": []})
    if (zh, en) not in c["reasons"]:
        c["reasons"].append((zh, en))


def _loc(s: Sentence, quote: str | None = None) -> dict:
    return {"section": s.section, "page": s.page, "quote": quote or s.text, "file": s.file}


def _resolve_phrase(subject: str) -> str | None:
    best = None
    for r in load_csv("narrative_subjects.csv"):
        p = r["phrase"]
        if subject.endswith(p):
            prefix = subject[: -len(p)]
            if prefix and (prefix.endswith("项目") or not (
                    prefix.endswith(_PREFIX_OK) or (r["fact"].startswith(_SCOPE_FREE) and prefix.endswith(_SCOPE_WORDS)))):
                continue
            if best is None or len(p) > len(best[0]):
                best = (p, r["fact"])
    return best[1] if best else None


_LEADING = re.compile(r"^.*?(?:(?:19|20)\d{2}\s*年(?:度)?|本年度|当年|年度|全年)")
_MARKERS = re.compile(r"[（(]\d*[类款项][)）]")
_YEAR_AFTER = re.compile(r"(?:19|20)\d{2}年(?:度)?$")
_TRAILING = re.compile(r"(?:预算数为|预算数|预算安排|预算支出|预算为|预算总额为|预算总额|预算|年初预算数|支出决算数为|"
                       r"支出决算为|支出决算数|支出决算|决算数为|决算数|决算为|决算|执行数为|执行数|安排|支出为|为|共|达|是|"
                       r"拨款|财政拨款|合计|共计|总额|支出)$")


def subject_cores(subject: str) -> list[str]:
    """The subject, then shorter forms of it: without the unit's name and year before it
    (国家信访局2024年度本年支出合计 → 本年支出合计), then without measure words after it
    (公务接待费预算支出 → 公务接待费).  Each is tried in turn against the phrase list and printed names."""
    subject = subject.replace("收、支", "收支")  # 财政拨款收、支总计
    subject = _YEAR_AFTER.sub("", _MARKERS.sub("", subject)) or subject  # 一般公共服务（类）支出, 购置费2026年
    out = [subject]
    core = _LEADING.sub("", subject) or subject
    out.append(core)
    for _ in range(3):
        shorter = _TRAILING.sub("", core)
        if shorter == core or not shorter:
            break
        core = shorter
        out.append(core)
    return list(dict.fromkeys(x for x in out if x))


_CODE_IN_TEXT = re.compile(r"(?<![\d.])(?P<code>\d{3}(?:\d{2}){0,2})(?![\d.%％万元个人辆台套])")


def code_before(L: Ledger, s: Sentence, m: Mention) -> str | None:
    """A classification code written before a figure in its clause (2080501-行政单位离退休 178.51万元,
    小学教育（2050202），2023年度决算数为7,970.38万元) that the tables print: the figure's line."""
    lo = max((x.end for x in s.mentions if x.end <= m.start), default=0)
    codes = _printed_codes(L)
    found = [c.group("code") for c in _CODE_IN_TEXT.finditer(s.text[lo:m.start]) if c.group("code") in codes]
    return found[-1] if len(set(found)) == 1 else None


def _printed_codes(L: Ledger) -> set:
    if "_printed_codes" not in L.__dict__:
        L.__dict__["_printed_codes"] = {c for c in L.a["eff_code"] if isinstance(c, str) and len(c) in (3, 5, 7)}
    return L.__dict__["_printed_codes"]


_GENERIC = re.compile(r"^(?:(?:19|20)\d{2}年(?:度)?|本年|当年|年度)?(?:预算|决算|执行)?(?:数|安排|支出)?(?:为|是)?$")


def inherited_subject(s: Sentence, m: Mention) -> str | None:
    """A figure whose own subject is only a year and a measure (2026年预算安排0.00万元) belongs to the
    clause or the heading before it: "1.因公出国（境）费。2026年预算安排…", "小学教育（2050202），2023年度…"."""
    if not _GENERIC.match(m.subject or ""):
        return None
    head = s.text[: m.start]
    parts = [x for x in re.split(r"[，,；;：:]", head) if x.strip()]
    if len(parts) >= 2 and not AMOUNT.search(parts[-2]):
        return strip_numbering(parts[-2]).strip()
    if len(parts) <= 1 and s.before and not AMOUNT.search(s.before) and len(s.before) <= 30:
        return strip_numbering(s.before.rstrip("。；;：: ")).strip()
    return None



def _near(a: str, b: str) -> bool:
    """Same length, one character different (住户保障支出 / 住房保障支出)."""
    return len(a) == len(b) >= 4 and sum(x != y for x, y in zip(a, b)) == 1


_RATE_WORDS = re.compile(r"(?:人均|每人|每月|月补贴|标准|单价|/人|每辆|每次)[^，。；,;]{0,6}$")
_BUDGET_WORDS = re.compile(r"(?:年初预算|调整预算|预算数|预算为|预算安排)[^，。；,;]{0,4}$")
_FINAL_WORDS = re.compile(r"(?:执行数|决算数|支出决算|决算为)[^，。；,;]{0,4}$")


def _not_the_tables_figure(L: Ledger, s: Sentence, m: Mention) -> tuple[str, str] | None:
    """A figure that is not the one the tables print for its subject: a rate (人均月补贴90元), a
    definition in 名词解释, a 决算's 年初预算 or a budget's prior-year 执行数."""
    before = s.text[max(0, m.start - 14): m.start]
    if "名词解释" in (s.section or "") or _RATE_WORDS.search(before):
        return "标准或单价，不是表中的金额", "a rate or standard, not a table figure"
    stage = L.d.meta.get("stage")
    if stage == "决算" and _BUDGET_WORDS.search(before):
        return "决算说明中的预算数，决算表未列", "a budget figure in a final account's text; the tables print outturns"
    if stage == "预算" and _FINAL_WORDS.search(before):
        return "预算说明中的执行数或决算数", "an outturn in a budget's text"
    return None


def _compare_mention(L: Ledger, R: Recorder, m: Mention, fact: Fact, s: Sentence, what: str,
                     guesses: list[str] | None = None) -> None:
    other = _not_the_tables_figure(L, s, m)
    if other:
        _why(L, s, *other)
        return
    quiet = getattr(s, "project_item", False)
    unit_fact = _units_own(L, fact, m)
    if unit_fact is not None:
        # "西安市劳动保障监察支队公务用车运行维护费12万元" in a department of several units: that unit's row of the
        # fact's table is the figure, never the department's total
        fact, what = unit_fact, f"{unit_fact.name}{what}" if not what.startswith(unit_fact.name) else what
    per = YUAN_PER_UNIT[m.unit]
    stated = m.value * per
    table_in_text_unit = (fact.value_yuan / per).quantize(Decimal(1).scaleb(-printed_decimals(m.value)),
                                                          ROUND_HALF_UP)
    q = Decimal(1).scaleb(-printed_decimals(m.value))
    if table_in_text_unit == m.value or any((v / per).quantize(q, ROUND_HALF_UP) == m.value for v in fact.alts):
        R.passed("N01")  # the same figure at the text's precision (in one of the tables that print the line)
        _mark(L, s)
        return
    exact = next((v / per for v in [fact.value_yuan, *sorted(fact.alts)]
                  if (v / per).quantize(q, ROUND_DOWN) == m.value and (v / per).quantize(q, ROUND_HALF_UP) != m.value),
                 None)
    if quiet:
        # "2.公共法律服务 3,493.83 万元" among the items of 项目支出: a project group, not the function line 公共法律服务
        _why(L, s, "项目支出所列的项目（类别）与同名的科目不是同一口径", "an item of the 项目支出 list is a project (group), "
             "not the classification line of the same name")
        return
    if exact is not None:
        # a table printed in 元 (640,224,693.80) stated in 万元 with its last digit cut, not rounded (64,022.46 for
        # 64,022.4694): a rounding difference, neither figure is wrong
        R.evaluated["N01"] += 1
        _mark(L, s, R.add(Finding(
            "N01", "rounding", f"说明中「{what}」{m.raw}：表格为 {exact.normalize():f}{m.unit}，说明按末位截尾取舍"
            f"（四舍五入为 {exact.quantize(q, ROUND_HALF_UP)}），属舍入差异，不是错误",
            f"the text's '{what}' {m.raw}: the tables print {exact.normalize():f} {m.unit}, which the text cuts "
            f"instead of rounding ({exact.quantize(q, ROUND_HALF_UP)}) — a rounding difference, not an error",
            expected=exact, actual=m.value, unit=m.unit, tolerance=q,
            locations=[_loc(s)] + [L.location(r) for _, r in fact.rows.iterrows()])))
        return
    if getattr(fact, "derived", False):
        _why(L, s, "按经济分类推算的数与说明不符，口径可能不同", "a figure derived from economic classes differs; "
             "the template may define it otherwise")
        return
    tol = half_unit(printed_decimals(m.value)) * per + to_yuan(half_unit(fact.decimals), fact.unit)
    other = _other_measure(L, fact, m) if abs(fact.value_yuan - stated) > tol else None
    if other is not None:
        # the text states the same concept in another scope or table (a unit's row, the basic-spending economic
        # line, the 财政拨款 total): two measures, both printed — a note naming both, not an error
        zh, en, rows = other
        where = L.location(fact.rows.iloc[0])
        R.evaluated["N01"] += 1
        _mark(L, s, R.add(Finding(
            "N01", "note", f"说明中「{what}」{m.raw}与{_where(where)}的 {fmt(fact.value_yuan / per, m.unit)} 不同，"
            f"等于{zh}：两者口径不同",
            f"the text's '{what}' {m.raw} differs from {fact.value_yuan / per} in {where.get('table_title')}, and "
            f"equals {en}: two measures of the same name", expected=fact.value_yuan / per, actual=m.value,
            unit=m.unit, locations=[_loc(s), where] + [L.location(r) for _, r in rows.iterrows()])))
        return
    if getattr(fact, "by_scope", False):
        # the tables print the line with different figures in different scopes; which one the text
        # means is a reading, not a fact
        guesses = list(guesses or []) + ["表格在不同口径中列出该项的不同数值，说明所指口径按最常见的一个推断 / the "
                                         "tables print this line with different figures by scope; the text's scope "
                                         "is taken to be the most common"]
    f = R.compare("N01", fact.value_yuan, stated, tol, m.unit,
                  f"说明中「{what}」{m.raw}与表格不一致", f"the text's '{what}' {m.raw} disagrees with the tables",
                  [_loc(s)] + [L.location(r) for _, r in fact.rows.iterrows()], guesses=guesses)
    _mark(L, s, f)


def _units_own(L: Ledger, fact: Fact, m: Mention) -> Fact | None:
    """The row of the unit a figure's subject names (西安市劳动保障监察支队…), in the table of the fact's total
    row, printed unit by unit: a Fact of that row (the department's own name also agrees with the total)."""
    r0 = fact.rows.iloc[0]
    subj = strip_numbering(m.subject or "")
    if "table_index" not in fact.rows or pd.isna(r0["table_index"]) or not r0.get("is_total_row", False) \
            or len(subj) < 6:
        return None
    a = L.a
    col = a[(a["table_index"] == r0["table_index"]) & (a["column_label"] == r0["column_label"])
            & ~a["is_total_row"].astype(bool) & a["eff_code"].isna()]
    rows = col[[isinstance(lab, str) and len(lab) >= 4 and subj.startswith(lab) for lab in col["label"]]]
    if rows.empty:
        return None
    rows = rows[rows["label"].str.len() == rows["label"].str.len().max()]  # the longest name the subject opens with
    f = Fact(rows["amount_yuan"].iloc[0], rows.iloc[[0]], str(rows["label"].iloc[0]))
    # the department's own name heads its block and may name its 机关 unit too: any of its rows agrees
    f.alts = set(rows["amount_yuan"]) | ({fact.value_yuan} | fact.alts if f.name == L.d.meta.get("department") else set())
    return f


#: the economic line a 三公/会议/培训 figure is also printed as (in the basic-spending tables: without project money)
_ECONOMIC_OF = {"three_reception": "30217", "three_abroad": "30212", "three_vehicle_operation": "30231",
                "three_vehicle_purchase": "31013", "meeting_costs": "30215", "training_costs": "30216"}
#: a total the text may state in another fund scope
_TOTAL_SCOPES = {"expenditure_total": ("fiscal_total", "gpb_total"), "income_total": ("fiscal_total", "gpb_total"),
                 "fiscal_total": ("gpb_total", "expenditure_total")}


#: a column of a source of money beside the total (the text may state the total without it)
_SOURCE_PARTS = re.compile(r"其他资金|上年结转|结转|事业收入|单位资金|财政专户|政府性基金|经营收入|其他收入")


def _where(loc: dict) -> str:
    page = f"第{loc['page']}页" if loc.get("page") else ""
    return f"{page}{loc.get('table_title') or ''}「{loc.get('row_label') or ''}」"


def _other_measure(L: Ledger, fact: Fact, m: Mention):
    """Where the tables print the stated figure as the same concept in another measure: another unit's row of the
    fact's column (a department of several budget units: the text states the 机关's 公务接待费), the economic line
    of the same name (30217 公务接待费 of basic spending, where the 三公 table also covers project money), the total
    in another fund scope, or the fact less a printed part (上年结转, 事业收入).  (zh, en, rows) or None."""
    per = YUAN_PER_UNIT[m.unit]
    q = Decimal(1).scaleb(-printed_decimals(m.value))
    same = lambda v: (v / per).quantize(q, ROUND_HALF_UP) == m.value  # noqa: E731
    a = L.a
    r0 = fact.rows.iloc[0]
    if m.value != 0 and "table_index" in fact.rows and not pd.isna(r0["table_index"]) and r0.get("is_total_row", False):
        # another row of the same column: one of the department's units
        col = a[(a["table_index"] == r0["table_index"]) & (a["column_label"] == r0["column_label"])
                & ~a["is_total_row"].astype(bool) & a["eff_code"].isna()]
        units = [u.get("name") for u in (L.d.meta.get("units") or []) if u.get("name")]
        names = units + [n for n in (L.d.meta.get("department"),) if n]
        hit = col[[same(v) and isinstance(lab, str) and len(lab) >= 4 and any(n.startswith(lab) or lab.startswith(n)
                                                                                 for n in names)
                   for v, lab in zip(col["amount_yuan"], col["label"])]]
        if not hit.empty:
            r = hit.iloc[0]
            return (f"单位「{r['label']}」一行的数（{_where(L.location(r))}）",
                    f"the row of the unit '{r['label']}' in {r['table_title']}", hit.iloc[:1])
    code = _ECONOMIC_OF.get(fact.name)
    if code:
        rows = a[(a["eff_code"] == code) & a["table_kind"].str.contains("economic", na=False)]
        rows = rows[rows["concept"].isin(["total", "gpb", "current_appropriation"])
                    | rows["column_label"].str.endswith("预算数")]
        hit = rows[[same(v) for v in rows["amount_yuan"]]]
        if not hit.empty:
            r = hit.iloc[0]
            return (f"经济分类 {code}「{r['label']}」的数（{_where(L.location(r))}）",
                    f"the economic line {code} '{r['label']}' in {r['table_title']}", hit.iloc[:1])
    facts = _facts(L)
    for key in _TOTAL_SCOPES.get(fact.name, ()):
        f = facts.named.get(key)
        if f is not None and same(f.value_yuan):
            return (f"{_where(L.location(f.rows.iloc[0]))}的数", f"{f.rows.iloc[0]['table_title']}", f.rows.iloc[:1])
    if "row_no" in fact.rows and not pd.isna(r0["table_index"]):
        # the fact less (or plus) another source printed on its row: 其他资金, 上年结转, 事业收入 columns
        row = a[(a["table_index"] == r0["table_index"]) & (a["row_no"] == r0["row_no"])
                & (a["column_label"] != r0["column_label"])]
        part = row[row["column_label"].fillna("").str.contains(_SOURCE_PARTS) & (row["amount_yuan"] != 0)]
        hit = part[[same(fact.value_yuan - v) or same(fact.value_yuan + v) for v in part["amount_yuan"]]]
        if not hit.empty:
            r = hit.iloc[0]
            col = str(r["column_label"]).split("/")[-1]
            less = same(fact.value_yuan - r["amount_yuan"])
            return (f"表中的数{'减去' if less else '加上'}同一行「{col}」{fmt(r['amount_yuan'] / per, m.unit)}"
                    f"（{_where(L.location(r))}）", f"the table's figure {'less' if less else 'plus'} the '{col}' "
                    f"column of its row ({r['amount_yuan'] / per})", hit.iloc[:1])
    if fact.name in ("expenditure_total", "income_total", "fiscal_total", "basic_total", "project_total"):
        for key, zh in (("carryover", "上年结转"), ("business_income", "事业收入"), ("govfund_income", "政府性基金收入")):
            f = facts.named.get(key)
            if f is not None and f.value_yuan and same(fact.value_yuan - f.value_yuan):
                return (f"表中的数减去{zh} {fmt(f.value_yuan / per, m.unit)}（{_where(L.location(f.rows.iloc[0]))}）",
                        f"the table's figure less {key} {f.value_yuan / per}", f.rows.iloc[:1])
    return None


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
    facts = _facts(L)
    names = facts.item_names()
    norm_names = {normalise_name(n): n for n in names}
    by_length = sorted(norm_names, key=len, reverse=True)
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
            subj = inherited_subject(s, m) or m.subject
            if _delta_with_percent(L, R, s, m, subj):
                continue
            code = code_before(L, s, m)
            fact = facts.item_code(code) if code is not None else None  # a code before the figure decides
            what = f"{code} {subj}" if fact is not None else subj
            cores = subject_cores(subj)
            fact_key = None if fact is not None else next((k_ for k_ in map(_resolve_phrase, cores) if k_), None)
            scope = _FUND_SCOPE.search(s.text[: m.start] + " " + (s.section or ""))
            if fact_key and scope and not fact_key.startswith(_FUND_FACTS[scope.group(0)]):
                _why(L, s, "政府性基金/国有资本经营口径的分项，表格未单列", "a fund-scope figure the tables do not print apart")
                continue  # 基本支出 of a government fund is not the department's 基本支出
            if fact_key in ("expenditure_total", "income_total") and "财政拨款" in (s.section or "") \
                    and "fiscal_total" in facts.named and not re.search(r"部门|单位", subj):
                # "（二）财政拨款收支情况" "支出预算总计181807.13万元，全部为一般公共预算拨款。": the section's scope
                fact_key = "fiscal_total"
            if fact is None:
                fact = facts.get(fact_key)
            if fact is None and fact_key:
                if m.value == 0:
                    _zero_unprinted(L, R, s)
                else:
                    _why(L, s, f"表格中没有「{fact_key}」对应的数", f"no table prints the '{fact_key}' figure")
            if fact is None and not fact_key:
                name = None
                for core in cores:
                    nsubj = normalise_name(core)
                    name = next((norm_names[n] for n in by_length if nsubj.endswith(n)
                                 and _prefix_ok(nsubj[: -len(n)])), None)
                    if name:
                        break
                if name is None and not s.project_item:
                    near = [n for n in names if _near(subj[-len(n):], n)] if len(subj) >= 4 else []
                    if near:
                        name = near[0]
                        _mark(L, s, R.add(Finding(
                            "N06", "fail", f"说明中的科目名称「{subj[-len(name):]}」与表格中的「{name}」不一致",
                            f"the text names '{subj[-len(name):]}' where the tables print '{name}'",
                            locations=[_loc(s)])))
                if name:
                    fact = facts.item(name)
                    what = name
                    if fact is None:
                        _why(L, s, f"表格中「{name}」没有可比的总数列", f"'{name}' has no total column to compare")
                elif not s.project_item and (m.value != 0 and re.search(r"(?:支出|经费)$", subj) and len(subj) >= 4
                                             and class_names().get(subj) or (m.value != 0 and subj in class_names())):
                    _mark(L, s, R.add(Finding("N05", "fail", f"说明中的「{subj}」{m.raw}在表格中找不到对应",
                                              f"the text's '{subj}' {m.raw} has no counterpart in the tables",
                                              actual=m.value, unit=m.unit, locations=[_loc(s)])))
                elif not _printed_row_agrees(L, R, s, m, subj) and not _targets_budget_agrees(L, R, s, m):
                    if m.value == 0:
                        _zero_unprinted(L, R, s)
                    else:
                        _why(L, s, "金额的主语未对应到表格中的行", "the figure's subject names no table row")
            if fact is not None:
                _compare_mention(L, R, m, fact, s, what)
            if m.share is not None:
                n_shares += 1
                _share(L, R, facts, s, amounts, k, m)
        if not amounts and not s.changes and not s.rates and s.percents and not any(
                m.share is not None for m in s.mentions):
            _why(L, s, "只有百分比，没有可复算的金额", "a percentage with no figures to recompute it from")
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
                _mark(L, s, ok=False)
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
            _mark(L, s, R.compare("N01", total, value * per, tol, m.group("unit"),
                      "说明中的绩效目标项目预算总额与绩效目标表不一致",
                      "the text's budget of projects with targets disagrees with the target table",
                      [_loc(s)] + [L.location(r) for _, r in (total_rows.iloc[:1] if not summary.empty
                                                              else projects).iterrows()]))


def _prefix_ok(prefix: str) -> bool:
    return not prefix or (prefix.endswith(_PREFIX_OK) and not prefix.endswith("项目"))

_SHARE_OF = re.compile(r"占\s*(?P<of>[^\d，,。；;%％]{0,16}?)(?:的)?(?:比重|比例)?(?:为)?\s*\d")


def _share(L, R, facts, s, amounts, k, m) -> None:
    """N02: a share against the total the sentence itself names (占本年支出预算的x%), else its first figure."""
    guesses = []
    named = _SHARE_OF.search(m.share_raw or "")
    of = re.sub(r"^(?:本年|当年|全年|年度|部门)", "", (named.group("of") if named else "").strip())
    of = re.sub(r"(?:总额|总数|合计|总计|的)$", "", of)
    den_fact = None
    if of and of not in ("比",):
        key = _resolve_phrase(of) or _resolve_phrase(of + "预算") or _resolve_phrase(of + "支出")
        den_fact = facts.named.get(key) if key else None
        if den_fact is None:
            # "占政府采购预算的x%": the sentence's own first figure is that total
            own = amounts[0] if k > 0 and amounts[0].value != 0 and of and of[:2] in amounts[0].subject else None
            if own is None:
                # "授予中小企业合同金额1820.69万元，占政府采购支出总额的92.54%": a total the text stated just before
                own = _stated_before(L, s, of)
                if own is not None:
                    guesses = [f"占比的总额取自前文「{own.subject}」{own.raw} / the share's total is the "
                               f"'{own.subject}' the text stated before"]
            if own is None:
                _why(L, s, f"占比所指的总额「{of}」未对应到表格", f"the share's total '{of}' names no table figure")
                return
            den, den_dec = own.value * YUAN_PER_UNIT[own.unit] / YUAN_PER_UNIT[m.unit], printed_decimals(own.value)
    if den_fact is not None:
        den, den_dec = den_fact.value_yuan / YUAN_PER_UNIT[m.unit], den_fact.decimals
        if den_fact.unit != m.unit:
            den_dec = printed_decimals(m.value)
    elif not of or of == "比":
        lead = s.lead
        if k == 0 and lead is not None and lead is not m and lead.value > 0 and (
                lead.share == 100 or re.search(r"其中|包括", s.text[: m.start])):
            # "收入1,149.80万元、占100%；支出包括：社会保障和就业支出1,065.53万元、占92.6%": the paragraph's total
            den, den_dec = lead.value * YUAN_PER_UNIT[lead.unit] / YUAN_PER_UNIT[m.unit], printed_decimals(lead.value)
        elif k == 0 or amounts[0].value == 0:
            parent = _parent_fact(facts, m.subject or "")
            den_fact = parent or facts.named.get("expenditure_total") or facts.named.get("income_total")
            if den_fact is None:
                _why(L, s, "占比没有说明总额，表格也没有总计", "the share names no total and no table prints one")
                return
            guesses = [f"占比的总额按{_FACT_NAMES.get(parent.name, parent.name)}推断 / the share's total is taken to "
                       f"be the {parent.name} it is part of"] if parent is not None else \
                ["占比的总额按支出总计推断 / the share's total is taken to be the expenditure total"]
            den, den_dec = den_fact.value_yuan / YUAN_PER_UNIT[m.unit], den_fact.decimals
            if den_fact.unit != m.unit:
                den_dec = printed_decimals(m.value)
        elif re.search(r"其中|包括|含", s.text[amounts[0].end: m.start]):
            den, den_dec = amounts[0].value * YUAN_PER_UNIT[amounts[0].unit] / YUAN_PER_UNIT[m.unit], \
                printed_decimals(amounts[0].value)
        else:
            den_fact = facts.named.get("expenditure_total") or facts.named.get("income_total")
            if den_fact is None:
                _why(L, s, "占比没有说明总额，表格也没有总计", "the share names no total and no table prints one")
                return
            guesses = ["占比的总额按支出总计推断 / the share's total is taken to be the expenditure total"]
            den, den_dec = den_fact.value_yuan / YUAN_PER_UNIT[m.unit], den_fact.decimals
    if den == 0:
        _why(L, s, "占比的总额为0", "the share's total is zero")
        return
    lo, hi = _interval_pct(m.value, printed_decimals(m.value), den, den_dec)
    hp = half_unit(printed_decimals(m.share))
    R.evaluated["N02"] += 1
    if lo - hp <= m.share <= hi + hp:
        _mark(L, s)
        return
    # "财政拨款支出总计237,100.00万元，其中基本支出199,015.13万元，占总支出的83.94%；项目支出38,084.87万元，
    # 占总支出的16.06%": the total the sentence (or its paragraph) states first is the one meant
    for own in [x for x in ([amounts[0]] if k > 0 else []) + [s.lead] if x is not None and x is not m and x.value > 0]:
        oden = own.value * YUAN_PER_UNIT[own.unit] / YUAN_PER_UNIT[m.unit]
        olo, ohi = _interval_pct(m.value, printed_decimals(m.value), oden, printed_decimals(own.value))
        if olo - hp <= m.share <= ohi + hp:
            _mark(L, s)
            return
    computed = (m.value / den * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    near = printed_decimals(m.share) >= 2 and lo - 3 * hp <= m.share <= hi + 3 * hp  # 0.01 off: forced to 100%
    other = None if near else _fitting_total(L, m, hp)
    if other is not None and guesses:
        _mark(L, s)  # no total named, and a printed total fits: the share is right
        return
    if other is not None:
        # the sentence names one total, the figure fits another table's (部门支出总额 said, the section's
        # 一般公共预算支出表 meant): a wording slip to look at, not a wrong percentage
        guesses = guesses + [f"按{other}计算相符，说明所称总额可能有误 / the share fits {other}; the total the text "
                             f"names may be a slip"]
    _mark(L, s, None if near else R.add(Finding(
        "N02", "rounding" if near else "fail",
        f"说明称{m.raw}{m.share_raw}，按 {fmt(m.value, m.unit)} ÷ {fmt(den, m.unit)} 计算应为 {computed}%",
        f"the text says {m.raw} is {m.share}% of the total; {fmt(m.value, m.unit)} ÷ {fmt(den, m.unit)} "
        f"gives {computed}%",
        expected=computed, actual=m.share, unit="%", tolerance=hp, locations=[_loc(s)], guesses=guesses)))
    if near:
        R.add(Finding("N02", "rounding", f"说明称{m.raw}{m.share_raw}，计算为 {computed}%（差一个末位，可能为凑足100%的调整）",
                      f"the text says {m.share}%; the figures give {computed}% (one last digit off, shares "
                      f"adjusted to total 100%)", expected=computed, actual=m.share, unit="%", tolerance=hp,
                      locations=[_loc(s)]))


def _earlier(L: Ledger, s: Sentence, back: int) -> list:
    """The sentences of ``s``'s section at most ``back`` sentences before it, the nearest first."""
    return [x for x in reversed(L.statements) if s.no - back <= x.no < s.no and x.section == s.section]


def _stated_before(L: Ledger, s: Sentence, of: str, back: int = 3):
    """The amount a sentence of the same section stated at most ``back`` sentences before, under the name a share
    is taken of (its subject ends with that name once the unit's name, year and 总额 are set aside), the nearest."""
    if len(of) < 2:
        return None
    for x in _earlier(L, s, back):
        for mm in reversed(x.mentions):
            if mm.role != "amount" or not mm.value:
                continue
            names = [re.sub(r"(?:总额|总数|合计|总计)$", "", c) for c in subject_cores(mm.subject or "")]
            if any(n and (n == of or n.endswith(of)) for n in names):
                return mm
    return None


def _zero_unprinted(L: Ledger, R: Recorder, s: Sentence) -> None:
    """"事业收入0万元" where no table prints a 事业收入 line: templates leave empty lines out, and no printed figure
    says otherwise — the 0 agrees with the tables (a line printed with money under this name is compared instead)."""
    R.passed("N01")
    _mark(L, s)


_INVOLVES = re.compile(r"涉及.{0,12}(?:资金|预算|拨款)|项目.{0,6}预算资金")


def _targets_budget_agrees(L: Ledger, R: Recorder, s: Sentence, m: Mention) -> bool:
    """"项目支出均实行了绩效目标管理，涉及一般公共预算财政拨款9,399.23万元": the project spending the targets
    cover — checked when it equals the project total (any scope) or the target tables' budgets added up; a
    figure that equals neither is left unchecked (a subset of projects may be meant)."""
    if not _INVOLVES.search(s.text[max(0, m.start - 30): m.start]):
        return False
    facts = _facts(L)
    per = YUAN_PER_UNIT[m.unit]
    q = Decimal(1).scaleb(-printed_decimals(m.value))
    values = set()
    project = facts.named.get("project_total")
    if project is not None:
        values |= project.alts | {project.value_yuan}
    t = L.d.targets
    if not t.empty and "budget" in t and t["budget"].notna().any():
        firsts = t[t["budget"].notna()].drop_duplicates(["table_index"] if "table_index" in t else ["project_name"])
        try:
            values.add(sum((to_yuan(Decimal(str(b)), u) for b, u in zip(firsts["budget"], firsts["budget_unit"])
                            if isinstance(u, str) and u), Decimal(0)))
        except (ArithmeticError, KeyError, ValueError):
            pass
    if any((v / per).quantize(q, ROUND_HALF_UP) == m.value for v in values):
        R.passed("N01")
        _mark(L, s)
        return True
    _why(L, s, "绩效目标涉及的资金与项目支出合计不同，可能只含部分项目", "the money the targets cover differs from the "
         "project total; it may cover some projects only")
    return True


def _label_index(L: Ledger) -> dict:
    """Every printed row label and column name (numbering stripped) → the figures printed under it."""
    if "_label_index" not in L.__dict__:
        a = L.a
        idx: dict = {}
        for lab, v in zip(a["label"], a["amount_yuan"]):
            if isinstance(lab, str) and len(lab) >= 3:
                idx.setdefault(normalise_name(lab), set()).add(v)
        tot = a[a["is_total_row"]]
        for col, v in zip(tot["column_label"], tot["amount_yuan"]):
            last = re.sub(r"#\d+$", "", str(col).split("/")[-1])
            if len(last) >= 3 and last not in ("合计", "小计", "总计", "金额", "预算数", "决算数"):
                idx.setdefault(normalise_name(last), set()).add(v)
        L.__dict__["_label_index"] = idx
    return L.__dict__["_label_index"]


def _printed_row_agrees(L: Ledger, R: Recorder, s: Sentence, m, subj: str) -> bool:
    """A subject that ends with a printed row or column name (上级补助收入, 基本支出) is checked against
    every figure printed under that name: agreeing with one of them passes.  A figure that agrees with
    none is left unchecked, not reported: which of the printed measures the text means is not known."""
    nsubj = normalise_name(strip_numbering(subj))
    idx = _label_index(L)
    name = next((n for n in sorted(idx, key=len, reverse=True) if nsubj.endswith(n) and _prefix_ok(nsubj[: -len(n)])),
                None)
    if name is None:
        return False
    per = YUAN_PER_UNIT[m.unit]
    q = Decimal(1).scaleb(-printed_decimals(m.value))
    if any((v / per).quantize(q, ROUND_HALF_UP) == m.value for v in idx[name]) or (m.value == 0 and not idx[name]):
        R.passed("N01")
        _mark(L, s)
        return True
    _why(L, s, f"「{name}」在表格中有多种口径的数，说明未指明哪一个", f"'{name}' has figures of several measures "
         "in the tables; the text does not say which")
    return True


def _fitting_total(L: Ledger, m, hp) -> str | None:
    """The title of a table whose printed total makes the stated share come out right, if any."""
    per = YUAN_PER_UNIT[m.unit]
    for t in L.d.tables:
        rows = L.total_column_rows(t.index)
        for _, r in rows[rows["is_total_row"]].head(2).iterrows():
            den = r["amount_yuan"] / per
            if den <= 0:
                continue
            lo, hi = _interval_pct(m.value, printed_decimals(m.value), den, r["decimals"])
            if lo - hp <= m.share <= hi + hp:
                # the line and figure, not only the table: a table prints several totals (本年收入, 收入总计)
                page = "" if pd.isna(r["page"]) else f"第{int(r['page'])}页"
                return f"{t.title}{page}「{r['row_label'] or '合计'}」{fmt(den, m.unit)}{m.unit}"
    return None


def _class_item(L, R, facts: Facts, s: Sentence, ci: dict) -> None:
    xiang = normalise_name(strip_numbering(ci["xiang"]))
    kuan = normalise_name(strip_numbering(ci["kuan"]))
    m = ci["mention"]
    a = L.a
    items = _items(L)
    renamed = {normalise_name(r["old_name"]): normalise_name(r["new_name"]) for r in load_csv("code_changes.csv")}
    names = [xiang, xiang + "支出"] + ([renamed[xiang]] if xiang in renamed else [])
    rows = items[items["nlabel"].isin(names)] if xiang else items.iloc[0:0]
    if rows.empty and xiang[:1] in "一-—" and (items["nlabel"] == xiang[1:]).any():
        xiang = xiang[1:]  # a stray list mark before the name
        rows = items[items["nlabel"] == xiang]
    if ci.get("code") and not rows.empty:
        # "城乡社区环境卫生（01项）": the printed code's last digits decide
        coded = rows[rows["eff_code"].str.endswith(ci["code"])]
        rows = coded if not coded.empty else rows
    if kuan and not rows.empty:
        # "林业和草原（款）一般行政管理事务（项）0万元" where the tables print 一般行政管理事务 under 水利 only: the 款
        # the text names is another line (2130202, left out), not the printed one (2130302)
        k_names = [kuan] + ([renamed[kuan]] if kuan in renamed else [])
        under = rows[[any(_kuan_agrees(L, k, c) for k in k_names) for c in rows["eff_code"]]]
        if under.empty:
            fact = facts.item_code(rows["eff_code"].iloc[0])
            per = YUAN_PER_UNIT[m.unit] if m is not None else None
            if m is None or fact is None or (fact.value_yuan / per).quantize(
                    Decimal(1).scaleb(-printed_decimals(m.value)), ROUND_HALF_UP) != m.value:
                _why(L, s, "说明所写的款与表格中该项所属的款不同，可能是另一科目", "the 款 the text names is not the one "
                     "the tables print this item under: it may be another line")
                return
            under = rows  # the printed line's figure: the same line, its 款 spelt otherwise
        rows = under
    if rows["eff_code"].nunique() > 1:
        # the same 项 name under several 款 (一般行政管理事务): the 款 named in the text decides
        kuan_codes = set(a.loc[(a["label"].map(normalise_name) == kuan) & (a["code_level"] == "款"), "eff_code"])
        narrowed = rows[rows["eff_code"].str[:5].isin(kuan_codes)]
        rows = narrowed if not narrowed.empty else rows.iloc[0:0]
    quote = f"{ci['lei']}(类){ci['kuan']}(款){ci['xiang']}(项)" if ci["lei"] else f"{ci['xiang']}(项)"
    if rows.empty:
        if m is None or m.value == 0:
            _why(L, s, "项级科目表格未列出，且金额为0或未说明", "an item no table prints, with no or zero amount")
            return
        if not len(items):
            _item_by_name(L, R, facts, s, m, xiang, quote)
            return
        if not ci["lei"] or not ci["kuan"]:
            _why(L, s, "只写了项名、未写类款，表格中未找到同名项", "an item named without 类/款 that no table prints")
            return
        other = a[(a["label"].map(normalise_name).isin(names)) & a["code_level"].isin(["类", "款"])
                  & a["eff_code"].notna()]
        if not other.empty:
            # the name is printed, at another level (计划生育事务 is the 款 21007): the text mislabels the
            # level; the figure is compared with that line
            r0 = other.iloc[0]
            _mark(L, s, R.add(Finding(
                "N06", "fail", f"说明把{r0['code_level']}级科目「{r0['label']}」（{r0['eff_code']}）写作项级：「{quote}」",
                f"the text names the {r0['code_level']}-level line '{r0['label']}' ({r0['eff_code']}) as a 项: "
                f"'{quote}'", locations=[_loc(s), L.location(r0)])))
            fact = facts.item_code(r0["eff_code"])
            if fact is not None:
                _compare_mention(L, R, m, fact, s, quote)
            return
        _mark(L, s, R.add(Finding("N05", "fail", f"说明中的「{quote}」{m.raw}在表格中找不到对应的项级科目",
                                  f"the text's item '{ci['xiang']}' {m.raw} has no counterpart code in the tables",
                                  actual=m.value, unit=m.unit, locations=[_loc(s, s.text)])))
        return
    code = rows["eff_code"].iloc[0]
    official = class_name_of(code[:3]) or ""
    lei = normalise_name(ci["lei"])
    norm = lambda x: x.replace("支出", "")  # noqa: E731
    if lei:
        R.evaluated["N06"] += 1
        if official and norm(lei) not in norm(official) and _shortened(norm(lei), norm(official)):
            # "社会保障就业(类)" for 社会保障和就业支出: the right class under a shortened name — a note, not a
            # misfiling
            R.add(Finding("N06", "note", f"说明中的类名「{ci['lei']}」是「{official}」的简写（{xiang}，{code}）",
                          f"the text's class name '{ci['lei']}' is a shortened form of '{official}' ({code})",
                          locations=[_loc(s), L.location(rows.iloc[0])]))
        elif official and norm(lei) not in norm(official):
            _mark(L, s, R.add(Finding(
                "N06", "fail", f"说明把「{xiang}」（{code}）归入「{ci['lei']}」类，编码所属类为「{official}」",
                f"the text files '{xiang}' ({code}) under class '{ci['lei']}'; its code belongs to '{official}'",
                locations=[_loc(s), L.location(rows.iloc[0])])))
    if m is not None:
        fact = facts.item_code(code)
        L.__dict__.setdefault("_item_of", {})[id(m)] = code  # a change stated for this item: see _against_prior
        if fact is not None:
            _compare_mention(L, R, m, fact, s, quote)
        else:
            _why(L, s, f"{code} 没有可比的总数列", f"{code} has no total column to compare")


def _kuan_agrees(L: Ledger, kuan: str, code: str) -> bool:
    """Does the 款 the text names fit the 款 a 项 code sits under?  Yes when the tables print no name for that 款, or
    one name contains the other (水利 / 水利支出); no when they print it under another name (水利 against 林业和草原)."""
    if "_kuan_names" not in L.__dict__:
        a = L.a
        k = a[(a["code_level"] == "款") & a["eff_code"].notna()]
        names: dict = {}
        for c, lab in zip(k["eff_code"], k["label"]):
            if isinstance(lab, str):
                names.setdefault(c, set()).add(normalise_name(strip_numbering(lab)).replace("支出", ""))
        L.__dict__["_kuan_names"] = names
    printed = L.__dict__["_kuan_names"].get(code[:5])
    k = kuan.replace("支出", "")
    return not printed or not k or any(n and (n in k or k in n) for n in printed)


def _shortened(name: str, official: str) -> bool:
    """Every character of ``name`` appears in ``official`` in order, and only 和/与/及/的 are left out (社会保障就业 of
    社会保障和就业): a shortened spelling, not another class."""
    rest = iter(official)
    if not all(ch in rest for ch in name):
        return False
    missing = list(official)
    for ch in name:
        missing.remove(ch)
    return bool(missing) and all(ch in "和与及的" for ch in missing)


def _item_by_name(L, R, facts: Facts, s: Sentence, m: Mention, xiang: str, quote: str) -> None:
    """Tables printed without codes (杭州): the 项 is found by its printed name, when one line of one table
    bears it (行政运行 under several 款 is not one line); the match is a reading, said so on a difference."""
    a = L.a
    rows = a[a["table_kind"].isin(ITEM_TABLES) & (a["label"].map(normalise_name) == xiang)]
    if rows.empty:
        _why(L, s, "表格没有项级科目，也没有同名的行", "no table prints 项-level codes or a line of this name")
        return
    if rows.groupby("table_index")["row_no"].nunique().max() > 1:
        _why(L, s, "表格未印编码，同名的行不止一个", "the tables print no codes and several lines bear this name")
        return
    fact = facts.item(rows["label"].iloc[0])
    if fact is None:
        _why(L, s, f"表格中「{xiang}」没有可比的总数列", f"'{xiang}' has no total column to compare")
        return
    _compare_mention(L, R, m, fact, s, quote, guesses=["按名称匹配：表格未印科目编码 / matched by name: the tables "
                                                       "print no codes"])


_SCORE = re.compile(r"分值\s*(?P<full>\d+(?:\.\d+)?)\s*分[，,、]?\s*得分\s*(?P<got>\d+(?:\.\d+)?)\s*分[，,、]?\s*"
                    r"得分率(?:为)?\s*(?P<rate>\d+(?:\.\d+)?)\s*%")


def score_rates(L: Ledger, R: Recorder) -> None:
    """N08: "该指标分值20分，得分17.99分，得分率89.95%" (a self-evaluation's score rate = score ÷ full marks)."""
    for s in L.statements:
        for x in _SCORE.finditer(s.text):
            full, got, rate = (Decimal(x.group(k)) for k in ("full", "got", "rate"))
            if full == 0:
                continue
            h = half_unit(printed_decimals(got))
            lo, hi = (got - h) / full * 100, (got + h) / full * 100
            hp = half_unit(printed_decimals(rate))
            R.evaluated["N08"] += 1
            if lo - hp <= rate <= hi + hp:
                _mark(L, s)
                continue
            computed = (got / full * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            _mark(L, s, R.add(Finding(
                "N08", "fail", f"说明称分值{x.group('full')}分、得分{x.group('got')}分、得分率{x.group('rate')}%，"
                f"计算应为 {computed}%", f"the text gives {x.group('got')} of {x.group('full')} points as "
                f"{x.group('rate')}%; the figures give {computed}%", expected=computed, actual=rate, unit="%",
                tolerance=hp, locations=[_loc(s)])))


def _sign(direction: str) -> int:
    return -1 if direction in ("减少", "下降", "降低", "减") else 1


def _copied(prev: dict, c, s) -> str:
    """The previous item's figures stated word for word: say so beside the finding."""
    p = prev.get((c.delta, c.delta_unit))
    if p is not None and p[0] is not s and p[1] != (c.current.value if c.current else None):
        return f"（与上一项「{p[2]}」所述相同，疑为复制 / the same as the previous item's '{p[2]}', likely copied）"
    return ""


def stated_changes(L: Ledger, R: Recorder) -> None:
    """N03: changes recompute from the stated base (or from the current figure and the change);
    N09: a direction word the figures contradict; N04: compared with the previous year."""
    year = L.d.meta.get("year")
    n = 0
    prev: dict = {}
    for s in L.statements:
        by_change = {}
        for c in s.changes:
            by_change.setdefault(c.start, []).append(c)
        for group in by_change.values():
            money = next((c for c in group if c.delta_unit in YUAN_PER_UNIT), None)
            against = _against_each_other(group, money)
            if money is not None and len(group) > 1:
                R.passed("N09")  # a change and its percentage, each with its direction word
            if against is not None:
                n += 1
                _mark(L, s, R.add(Finding(
                    "N09", "fail", f"说明称「{against.raw}」：增减额与百分比的方向词相反",
                    f"the text says '{against.raw}': the change and its percentage go opposite ways",
                    locations=[_loc(s)])))
                group = [money]
            for c in group:
                n += _one_change(L, R, s, c, money, prev)
        for c in s.changes:
            if c.delta is not None:
                prev[(c.delta, c.delta_unit)] = (s, c.current.value if c.current else None, c.raw)
        for r in s.rates:
            n += _rate(L, R, s, r)
    if not n:
        R.not_evaluated("N03", "说明中没有可复算的增减表述", "the text states no change that can be recomputed")
    if year:
        _years(L, R, int(year))


def _against_each_other(group: list, money):
    """"比上年增加22.65万元，下降53.3%": one change stated with two direction words of opposite sign — whatever the
    base, one of them is wrong (the percentage read right after its amount, as one change)."""
    if money is None or not money.delta:
        return None
    for c in group:
        if c is not money and c.delta_unit == "%" and c.delta and c.direction != "持平" and money.direction != "持平" \
                and _sign(c.direction) != _sign(money.direction):
            return c
    return None


_DELTA_SUBJECT = re.compile(r"^(?P<what>.+?)(?:较上年|比上年|较去年|比去年)?(?:各)?(?P<dir>增加|减少|增长|下降|上升|降低)(?:了)?$")
_FOLLOWING_PCT = re.compile(r"^[，,]?\s*(?:(?P<dir>增长|下降|上升|降低|减少|增加)|增幅|降幅|减幅)(?:为|了)?\s*"
                            r"(?P<pct>\d+(?:\.\d+)?)\s*%")


def _delta_with_percent(L: Ledger, R: Recorder, s: Sentence, m: Mention, subj: str) -> bool:
    """"与上年相比，财政拨款支出增加3756.18万元，增长18.14%": a change and its percentage with neither the base nor
    the current figure in the sentence — the current figure is the one the tables print for the subject, the
    base is current − change, and the percentage is recomputed from them (N03; a reading, said so)."""
    dm = _DELTA_SUBJECT.match(subj or "")
    follow = _FOLLOWING_PCT.match(s.text[m.end: m.end + 30]) if dm else None
    if not follow:
        return False
    direction = dm.group("dir")
    money = Change(None, None, None, direction, m.value, m.unit, None, m.raw, start=m.start)
    pct = Change(None, None, None, follow.group("dir") or direction, Decimal(follow.group("pct")), "%", None,
                 s.text[m.start: m.end + follow.end()], start=m.start)
    # "收、支总计22066.59万元，与2023年相比，收、支总计各增加5834.37万元，增长35.74%": the sentence's own figure
    bare = lambda t: re.sub(r"(?:总计|合计|总额|总数)$", "", t)  # noqa: E731 - the reader drops these too
    what = bare(subject_cores(dm.group("what"))[-1])
    own = [x for x in s.mentions if x.role == "amount" and x.end <= m.start and x.unit == m.unit
           and what in map(bare, subject_cores(x.subject))]
    if own:
        pct.current = money.current = own[-1]
        _one_change(L, R, s, pct, money, {})
        return True
    cur = _current_from_tables(L, s, money, clause=dm.group("what"), stated_pct=pct)
    if cur is None:
        return False
    pct.current = cur
    money.current = cur
    _one_change(L, R, s, pct, money, {}, guesses=[f"本年数取自表格中的「{cur.subject}」{cur.raw} / the current figure "
                                                  f"is the tables' '{cur.subject}' {cur.raw}"])
    return True


_WHOLE = {"收入": "income_total", "支出": "expenditure_total", "收支": "income_total", "收支总计": "income_total"}


def fact_named_by(L: Ledger, text: str) -> Fact | None:
    """The table figure a clause names (财政拨款支出, 收入, 社会保障和就业支出), by the phrase list, the whole-budget
    words, or a printed line's name; None when it names none."""
    facts = _facts(L)
    if "_by_name" not in facts.__dict__:
        facts._by_name = {normalise_name(n): n for n in facts.item_names()}
    by_name = facts._by_name
    for core in subject_cores(strip_numbering(text)):
        key = _resolve_phrase(core) or _WHOLE.get(core)
        if key:
            return facts.get(key)
        if normalise_name(core) in by_name:
            return facts.item(by_name[normalise_name(core)])
    return None


_AGAINST = re.compile(r"(?:与上年相比|与去年相比|同比|较上年|较去年|比上年|比去年)[，,]?$")


def _change_pct_bounds(diff: Decimal, h_diff: Decimal, base: Decimal, h_base: Decimal):
    """The range of diff ÷ base × 100 when each may be off by its printed rounding; None when the base is
    within its own rounding of zero."""
    if base <= h_base:
        return None
    cands = [(diff + a) / (base + b) * 100 for a in (-h_diff, h_diff) for b in (-h_base, h_base)]
    return min(cands), max(cands)


def _fits(stated_pct: Decimal, current: Decimal, delta: Decimal, h: Decimal) -> bool:
    """Does delta ÷ (current − delta) give the stated percentage, within the printed figures' rounding?"""
    bounds = _change_pct_bounds(delta, h, current - delta, 2 * h)
    hp = half_unit(printed_decimals(stated_pct))
    return bounds is not None and bounds[0] - hp <= stated_pct <= bounds[1] + hp


def _current_from_tables(L: Ledger, s: Sentence, c, clause: str | None = None, stated_pct=None) -> Mention | None:
    """"收入较去年增加54.13万元，上升2.88%": the sentence states no current figure; the figure its subject names in
    the tables is the current one (a reading, said so on any finding)."""
    if c.delta is None or (c.delta_unit not in YUAN_PER_UNIT and c.delta_unit != "%"):
        return None
    if clause is None:
        # the clause before the change: a bounded tail, not the whole sentence (linear in a long sentence)
        head = _AGAINST.sub("", s.text[max(0, c.start - 200): c.start].rstrip("，, "))
        clause = re.split(r"[，,；;：:。]", head)[-1].strip()
    clause = re.sub(r"(?:各|总数|总额)$", "", clause)
    if len(clause) < 2:
        return None
    fact = fact_named_by(L, clause)
    if fact is None:
        return None
    unit = c.delta_unit if c.delta_unit in YUAN_PER_UNIT else fact.unit
    value = fact.value_yuan / YUAN_PER_UNIT[unit]
    if stated_pct is not None and c.delta_unit in YUAN_PER_UNIT:
        # the named figure in another of the tables' totals (财政拨款收入总计 or 本年支出合计) may be the one meant
        delta = _sign(c.direction) * c.delta
        h = half_unit(printed_decimals(c.delta)) + to_yuan(half_unit(fact.decimals), fact.unit) / YUAN_PER_UNIT[unit]
        fitting = [v / YUAN_PER_UNIT[unit] for v in sorted(fact.alts | {fact.value_yuan})
                   if _fits(_sign(stated_pct.direction) * stated_pct.delta, v / YUAN_PER_UNIT[unit], delta, h)]
        if fitting:
            value = fitting[0]
    if unit == fact.unit and fact.decimals is not None and not pd.isna(fact.decimals):
        value = value.quantize(Decimal(1).scaleb(-int(fact.decimals)))  # at the table's printed precision
    return Mention(value, unit, f"{fmt(value, unit)}{unit}", c.start, c.start, clause)


_OUTTURN_WORDS = re.compile(r"执行|决算|实际")


def _against_prior(L: Ledger, R: Recorder, s: Sentence, c, cur) -> bool:
    """"公务用车运行维护费200.00万元，较2025年减少2.48万元" with a 三公 table printing 2025年预算数 beside 2026年:
    the stated change against the table's two years (its own figures: the text's current figure is N01's)."""
    f = _facts(L)
    code = L.__dict__.get("_item_of", {}).get(id(cur))
    if code is not None:
        now, before = f.item_code(code), f.item_prior(code)
    else:
        key = (_resolve_phrase(cur.subject or "") or _three_key(cur.subject or "", set(f.prior))) if f.prior else None
        now, before = (f.named.get(key), f.prior.get(key)) if key else (None, None)
    year = L.d.meta.get("year")
    if now is None or before is None or (c.year and year and c.year != int(year) - 1):
        return False
    column = str(before.rows["column_label"].iloc[0]) + str(before.rows["label"].iloc[0])
    if bool(_OUTTURN_WORDS.search(c.raw)) != bool(_OUTTURN_WORDS.search(column)):
        return False  # "比2025年执行数" against a column of 2025's budget: another base
    per = YUAN_PER_UNIT[c.delta_unit]
    stated = _sign(c.direction) * c.delta
    got = (now.value_yuan - before.value_yuan) / per
    tol = half_unit(printed_decimals(c.delta)) + sum(
        to_yuan(half_unit(x.decimals), x.unit) / per for x in (now, before)
        if x.decimals is not None and not pd.isna(x.decimals))
    R.passed("N03")
    if any(abs((n - b) / per - stated) <= tol for n in {now.value_yuan} | now.alts
           for b in {before.value_yuan} | before.alts):  # any scope either table prints
        _mark(L, s)
        return True
    guesses = [] if year and str(int(year) - 1) in column and _BASE_WORD.search(c.raw) else [
        f"上年数取自表格的「{column}」，说明未写明比较口径 / last year's figure is the table's '{column}'; the text "
        "does not say which of last year's figures it compares with"]
    _mark(L, s, R.add(Finding(
        "N03", "fail", f"说明称「{c.raw}」，表格中{int(year) - 1 if year else '上'}年为 {fmt(before.value_yuan / per, c.delta_unit)}、"
        f"本年为 {fmt(now.value_yuan / per, c.delta_unit)}，增减应为 {fmt(got, c.delta_unit)}{c.delta_unit}",
        f"the text says '{c.raw}'; the table prints {before.value_yuan / per} last year and "
        f"{now.value_yuan / per} this year: a change of {got} {c.delta_unit}",
        expected=got, actual=stated, unit=c.delta_unit, tolerance=tol,
        locations=[_loc(s)] + [L.location(r) for _, r in pd.concat([before.rows, now.rows]).iterrows()],
        guesses=guesses)))
    return True


def _one_change(L, R, s, c, money, prev, guesses: list[str] | None = None) -> int:
    """A change judged against its figure; one stated after a 其中 list may be the list's head's (Change.alternatives).
    The first figure it fits is the one meant; a figure it cannot be judged against leaves it unjudged (whose change
    it is, is a reading); when it fits none, the difference is reported for review, naming the other reading."""
    alts = [a for a in getattr(c, "alternatives", []) if a is not c.current]
    if not alts or c.current is None:
        return _one_change_at(L, R, s, c, money, prev, guesses)
    outcomes = [(cur, _outcome(L, s, c, cur, money, prev, guesses)) for cur in [c.current] + alts]
    pick = next((cur for cur, o in outcomes if o == "fits"), None) or \
        next((cur for cur, o in outcomes if o == "unjudged"), None)
    if pick is not None:
        return _with_current(c, money, pick, lambda: _one_change_at(L, R, s, c, money, prev, guesses))
    found = [cur for cur, o in outcomes if o == "differs"] or [c.current]
    others = [cur for cur in [c.current] + alts if cur is not found[0]]
    reading = "、".join(f"「{x.subject}」{x.raw}" for x in others)
    return _with_current(c, money, found[0], lambda: _one_change_at(L, R, s, c, money, prev, list(guesses or []) + [
        f"增减也可能指{reading}，按其计算也不相符 / the change may be stated for {reading}; it does not fit that "
        "figure either"]))


def _outcome(L, s, c, cur, money, prev, guesses) -> str:
    """fits | differs | contradicts (a 0 said to have grown) | unjudged: the change judged against ``cur`` on a
    scratch recorder, the sentence's coverage left as it was."""
    if cur.value == 0 and c.delta and _sign(c.direction) > 0:
        return "contradicts"
    saved = copy.deepcopy(L.coverage.get(s.no))
    scratch = Recorder()
    _with_current(c, money, cur, lambda: _one_change_at(L, scratch, s, c, money, prev, guesses))
    if saved is None:
        L.coverage.pop(s.no, None)
    else:
        L.coverage[s.no] = saved
    if any(f.status in ("fail", "review") for f in scratch.items):
        return "differs"
    return "fits" if sum(scratch.evaluated.values()) else "unjudged"


_DESCRIPTION = re.compile(r"用于|主要(?:是|为|包括)|包括|具体")


def _described_between(between: str) -> bool:
    """"90.72 万元，用于开展气象产业统计调研…等工作，支撑构建较2025年年初预算增加29.23万元，增幅2.2%": a description
    (用于…) between a figure and the change after it — whose change it is, is not the sentence's own arithmetic."""
    return _DESCRIPTION.search(between) is not None or len(between) > 40


def _with_current(c, money, cur, run):
    """Run with ``cur`` as the change's (and its amount's) current figure, then put the figures back."""
    old = (c.current, money.current if money is not None else None)
    c.current = cur
    if money is not None:
        money.current = cur
    try:
        return run()
    finally:
        c.current = old[0]
        if money is not None:
            money.current = old[1]


def _one_change_at(L, R, s, c, money, prev, guesses: list[str] | None = None) -> int:
    cur = c.current
    from_tables = list(guesses or [])
    if cur is None:
        cur = _current_from_tables(L, s, money if c.delta_unit == "%" and money is not None else c)
        if cur is None:
            _why(L, s, "增减表述没有对应的本年数", "a change with no current figure")
            return 0
        from_tables = [f"本年数取自表格中的「{cur.subject}」{cur.raw} / the current figure is the tables' "
                       f"'{cur.subject}' {cur.raw}"]
    per = YUAN_PER_UNIT[cur.unit]
    sign = _sign(c.direction)
    current = cur.value
    guesses = (["基数取自同句中的上年数 / the base is the prior-year figure of the same sentence"]
               if c.base_from == "sentence" else []) + from_tables
    if c.base is None:
        if c.delta is None or c.direction == "持平":
            _why(L, s, "增减表述没有基数和增减额", "a change with neither base nor amount")
            return 0
        if c.delta_unit in YUAN_PER_UNIT:
            delta = c.delta * YUAN_PER_UNIT[c.delta_unit] / per
            if sign > 0 and current == 0 and delta > 0:
                # "0万元，比上年增加1421.25万元": a budget cannot rise to nothing
                _mark(L, s, R.add(Finding(
                    "N09", "fail", f"说明称{cur.raw}「{c.raw}」：本年为0，增减方向与数字矛盾",
                    f"the text says {cur.raw} and '{c.raw}': a figure of 0 cannot have increased",
                    expected=Decimal(0), actual=c.delta, unit=c.delta_unit, locations=[_loc(s)])))
                return 1
            if _against_prior(L, R, s, c, cur):
                return 1
            _why(L, s, "增减额没有基数，无法复算", "a change amount with no base to recompute from")
            return 0
        if c.delta_unit == "%" and money is not None and money.delta is not None:
            # current + change + percent, no base: base = current ∓ change
            mdelta = money.delta * YUAN_PER_UNIT[money.delta_unit] / per
            base = current - _sign(money.direction) * mdelta
            if base <= 0:
                _why(L, s, "由本年数和增减额推得的基数不为正", "the base implied by the figures is not positive")
                return 0
            hb = half_unit(printed_decimals(cur.value)) + half_unit(printed_decimals(money.delta)) * \
                YUAN_PER_UNIT[money.delta_unit] / per
            hd = half_unit(printed_decimals(money.delta)) * YUAN_PER_UNIT[money.delta_unit] / per
            # current − change is the sentence's own arithmetic when the current figure is its own or its item's
            own = any(cur is m for m in s.mentions) or "item" in (c.current_from, money.current_from)
            far = own and any(cur is m for m in s.mentions) and _described_between(s.text[cur.end:c.start])
            return _pct_check(L, R, s, c, sign * c.delta, _sign(money.direction) * mdelta, hd, base, hb, cur.unit,
                              prev, guesses + ([] if own and not from_tables and not far else
                                               ["基数未印出，由本年数减增减额推得 / the base is not printed: current − change"])
                              + (["增减与本年数之间隔着用途说明，所指的数按前一金额推断 / a description stands between "
                                  "the figure and the change; the change is taken to be that figure's"] if far else []),
                              derived=True)
        _why(L, s, "百分比没有基数或增减额", "a percentage with no base or change amount")
        return 0
    base = c.base * YUAN_PER_UNIT[c.base_unit or cur.unit] / per
    hc, hb = half_unit(printed_decimals(cur.value)), half_unit(printed_decimals(c.base)) * \
        YUAN_PER_UNIT[c.base_unit or cur.unit] / per
    if c.direction == "持平":
        R.passed("N03")
        if abs(current - base) > hc + hb:
            _mark(L, s, R.add(Finding(
                "N03", "fail", f"说明称「{c.raw}」持平，但 {fmt(current, cur.unit)} 与 {fmt(base, cur.unit)} 不同",
                f"the text says unchanged, but {current} and {base} differ",
                expected=base, actual=current, unit=cur.unit, locations=[_loc(s)], guesses=guesses)))
        else:
            _mark(L, s)
        return 1
    if c.delta is None:
        if (current - base) * sign < -(hc + hb):
            _mark(L, s, R.add(Finding(
                "N09", "fail", f"说明称「{c.raw}」，但由 {fmt(base, cur.unit)} 到 {fmt(current, cur.unit)} 方向相反",
                f"the text says '{c.raw}', but from {base} to {current} the change goes the other way",
                expected=current - base, actual=None, unit=cur.unit, locations=[_loc(s)], guesses=guesses)))
        else:
            _mark(L, s)
        return 1
    if c.delta_unit == "%":
        if re.search(r"(?:上年|年)\s*[\d,.]+\s*(?:亿元|万元|元)[，,]", c.raw):
            # "比上年1.43万元，增加0.68%": the figure may be the base or the change (a word left out)
            alt_base = current - sign * base
            lo, hi = (_interval_pct(sign * base, printed_decimals(c.base), alt_base, printed_decimals(c.base))
                      if alt_base > 0 else (None, None))
            hp = half_unit(printed_decimals(c.delta))
            if lo is not None and lo - hp <= sign * c.delta <= hi + hp:
                _why(L, s, "「比上年X万元」可读作基数或增减额，按增减额读时一致", "'比上年X万元' reads as base or change; as a change it agrees")
                return 0
            guesses = guesses + ["「比上年X万元」按基数读取 / '比上年X万元' read as the base"]
        return _pct_check(L, R, s, c, sign * c.delta, current - base, hc + hb, base, hb, cur.unit, prev, guesses)
    if c.delta_unit in YUAN_PER_UNIT:
        delta = c.delta * YUAN_PER_UNIT[c.delta_unit] / per
        hd = half_unit(printed_decimals(c.delta)) * YUAN_PER_UNIT[c.delta_unit] / per
        diff = current - base
        if diff != 0 and delta != 0 and (diff > 0) != (sign > 0) and abs(abs(diff) - delta) <= hc + hb + hd:
            _mark(L, s, R.add(Finding(
                "N09", "fail", f"说明称「{c.raw}」，但 {fmt(current, cur.unit)} − {fmt(base, cur.unit)} = "
                f"{fmt(diff, cur.unit)}：方向词与数字相反",
                f"the text says '{c.raw}', but {current} − {base} = {diff}: the direction word contradicts the sign",
                expected=diff, actual=sign * delta, unit=cur.unit, locations=[_loc(s)], guesses=guesses)))
            return 1
        f = R.compare("N03", diff * per, sign * delta * per, (hc + hb + hd) * per, cur.unit,
                      f"说明称「{c.raw}」，但 {fmt(current, cur.unit)} − {fmt(base, cur.unit)} 的差额不符"
                      + (_copied(prev, c, s)), f"the text says '{c.raw}', but {current} − {base} differs",
                      [_loc(s)], guesses=guesses)
        _mark(L, s, f)
        return 1
    _why(L, s, "增减单位无法复算（个百分点等）", "a change in units that cannot be recomputed (percentage points)")
    return 0


def _other_current(L, R, s, c, stated, base, h_base, unit, hp, guesses) -> bool:
    """"住房公积金（项）”350.35万元，…2023年当年预算执行数为348.52万元，2024年预算安排352.67万元，比2023年预算执行数增加
    0.53%": the sentence states this year's figure twice, differently, and the percentage follows from the other one
    ((350.35 − 348.52) ÷ 348.52 = 0.53%).  The wrong figure is the current one the change was read with, not the
    percentage: say so (review — which of the two is meant is a reading)."""
    cur = c.current
    if cur is None or base == 0:
        return False
    per = YUAN_PER_UNIT.get(unit) or YUAN_PER_UNIT[cur.unit]
    # earlier figures of the sentence, or the one figure of the sentence right before (the item's headline)
    before = [m for m in s.mentions if m is not cur and m.role == "amount" and m.start < cur.start]
    prev = next((x for x in L.statements if x.no == s.no - 1 and x.text == s.before), None)
    if prev is not None and len([m for m in prev.mentions if m.role == "amount"]) == 1:
        before += [m for m in prev.mentions if m.role == "amount"]
    for m in before:
        if not m.value:
            continue
        other = m.value * YUAN_PER_UNIT[m.unit] / per
        if other == base or other == cur.value * YUAN_PER_UNIT[cur.unit] / per:
            continue
        bounds = _change_pct_bounds(other - base, half_unit(printed_decimals(m.value)) + h_base, base, h_base)
        if bounds is None or not (bounds[0] - hp <= stated <= bounds[1] + hp):
            continue
        # the item's line in the tables prints the earlier figure: the tables, not a reading, say which is right
        code = L.__dict__.get("_item_of", {}).get(id(m))
        fact = _facts(L).item_code(code) if code else None
        printed = fact is not None and abs(fact.value_yuan - m.value * YUAN_PER_UNIT[m.unit]) <= \
            half_unit(printed_decimals(m.value)) * YUAN_PER_UNIT[m.unit] + to_yuan(half_unit(fact.decimals), fact.unit)
        _mark(L, s, R.add(Finding(
            "N01", "fail" if printed else "review",
            f"说明两处本年数不同：{m.raw}与{cur.raw}；「{c.raw}」按 {m.raw} 计算相符，{cur.raw}与之不一致"
            + (f"；表格中该项为 {fmt(fact.value_yuan / YUAN_PER_UNIT[m.unit], m.unit)}{m.unit}" if printed else ""),
            f"the text states this year's figure twice, {m.raw} and {cur.raw}; '{c.raw}' follows from {m.raw}, "
            f"so {cur.raw} is the figure that disagrees" + (f"; the tables print {m.raw} for the item" if printed else ""),
            expected=m.value, actual=cur.value, unit=cur.unit,
            locations=[_loc(s)] + ([_loc(prev)] if prev is not None and m in prev.mentions else [])
            + ([L.location(_surest_row(L, fact.rows))] if printed else []),
            # printed: the claim is the text's figure against the table's line, whatever the base was read from
            guesses=[] if printed else guesses + ["前一金额按本年数读取 / the earlier figure is read as this year's"])))
        return True
    return False


def _surest_row(L: Ledger, rows: pd.DataFrame):
    """Of the lines that print a figure (the same 项 in several tables), one whose page rests on no reading guess."""
    tables = {t.index: t for t in L.d.tables}
    for _, r in rows.iterrows():
        t = tables.get(r["table_index"])
        if t is not None and not t.guesses_at(None if pd.isna(r["page"]) else int(r["page"])):
            return r
    return rows.iloc[0]


def _pct_check(L, R, s, c, stated, diff, h_diff, base, h_base, unit, prev, guesses, derived: bool = False) -> int:
    """The stated percentage against diff ÷ base, with the rounding both printed figures carry."""
    hp = half_unit(printed_decimals(c.delta))
    bounds = _change_pct_bounds(diff, h_diff, base, h_base)
    if bounds is None:
        _why(L, s, "基数太小，百分比无法复算", "the base is too small to recompute the percentage")
        return 0
    lo, hi = bounds
    R.passed("N03")
    R.passed("N09")  # the direction word is weighed with the percentage
    if lo - hp <= stated <= hi + hp:
        _mark(L, s)
        return 1
    computed = (diff / base * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if _other_current(L, R, s, c, stated, base, h_base, unit, hp, guesses):
        return 1
    step = hp * 2
    cut = lambda v: (v / step).to_integral_value(ROUND_DOWN) * step  # noqa: E731 - toward zero, as a truncation
    if stated != 0 and (stated > 0) == (lo > 0) and (stated > 0) == (hi > 0) and cut(lo) <= stated <= cut(hi):
        # 1297.83 ÷ 8072.29 = 16.0776% printed "16.07%": cut, not rounded — a rounding difference, not an error
        _mark(L, s, R.add(Finding(
            "N03", "rounding", f"说明称「{c.raw}」，计算为 {computed}%（末位按截尾取舍，不是错误）",
            f"the text says '{c.raw}'; the figures give {computed}% (the last digit cut, not rounded: not an error)",
            expected=computed, actual=stated, unit="%", tolerance=hp, locations=[_loc(s)])))
        return 1
    if computed != 0 and stated != 0 and (computed > 0) != (stated > 0) and abs(abs(computed) - abs(stated)) <= \
            (hi - lo) / 2 + hp:
        _mark(L, s, R.add(Finding(
            "N09", "fail", f"说明称「{c.raw}」，由 {fmt(base, unit)} 计算的变化为 {computed}%：方向词与数字相反",
            f"the text says '{c.raw}'; from {base} the change is {computed}%: the direction word contradicts the sign",
            expected=computed, actual=stated, unit="%", tolerance=hp, locations=[_loc(s)], guesses=guesses)))
        return 1
    # a base the text does not print is said to be derived, not quoted as if it were published
    zh_from = (f"上年数未列，由本年数 {fmt(base + diff, unit)} 与增减额推得 {fmt(base, unit)}，变化为 {computed}%"
               if derived else f"由 {fmt(base, unit)} 到 {fmt(base + diff, unit)} 的变化为 {computed}%")
    en_from = (f"last year's figure is not printed: this year's {base + diff} less the change gives {base}, a change "
               f"of {computed}%" if derived else f"from {base} to {base + diff} the change is {computed}%")
    _mark(L, s, R.add(Finding(
        "N03", "fail",
        f"说明称「{c.raw}」，{zh_from}" + _copied(prev, c, s),
        f"the text says '{c.raw}'; {en_from}",
        expected=computed, actual=stated, unit="%", tolerance=hp, locations=[_loc(s)], guesses=guesses)))
    return 1


_BUDGETED = re.compile(r"预算(?:数|资金|金额)?(?:为|是)?\s*$")
_SPENT = re.compile(r"决算|执行|实际|支出数|完成")
_SPENT_WORDS = re.compile(r"实际|支出|决算|执行|完成|金额|数$")


def _budget_before(L: Ledger, s: Sentence, back: int = 2):
    """"截至12月31日，项目全年预算数为1018.55万元…" "项目实际支出760.53万元，预算执行率74.67%": the budget a
    rate is taken of, stated in a sentence of the same section just before (the nearest)."""
    for x in _earlier(L, s, back):
        for mm in x.mentions:
            if mm.role == "amount" and mm.value and _BUDGETED.search(mm.context) and not _SPENT.search(mm.context):
                return mm
    return None


def _rate(L, R, s, r) -> int:
    """N08: 完成年初预算的x% recomputed from the sentence's two figures (or its spending and the budget the
    sentence before states)."""
    guesses = []
    num, den = r.numerator, r.denominator
    if num is None and den is None and r.pct is not None:
        own = [m for m in s.mentions if m.role == "amount"]
        core = _SPENT_WORDS.sub("", own[0].subject or "") if len(own) == 1 else ""
        if len(own) == 1 and _SPENT.search(own[0].context) and "预算" not in own[0].context and core:
            # the same thing's budget ("项目实际支出" after "项目全年预算数"), not a total's (其中：因公出国费…)
            den = _budget_before(L, s)
            num, den = (own[0], den) if den is not None and core in (den.subject or "") else (None, None)
            if den is not None:
                guesses = [f"执行率的预算数取自前文「{den.subject}」{den.raw} / the rate's budget is the "
                           f"'{den.subject}' the text stated before"]
    if num is None or den is None or r.pct is None:
        _why(L, s, "完成率的两个金额未能确定", "the rate's two figures could not be told apart")
        return 0
    per = YUAN_PER_UNIT[den.unit]
    nv = num.value * YUAN_PER_UNIT[num.unit] / per
    if den.value == 0:
        _why(L, s, "完成率的预算数为0", "the rate's budget figure is zero")
        return 0
    lo, hi = _interval_pct(nv, printed_decimals(num.value), den.value, printed_decimals(den.value))
    hp = half_unit(printed_decimals(r.pct))
    R.evaluated["N08"] += 1
    if lo - hp <= r.pct <= hi + hp:
        _mark(L, s)
        return 1
    computed = (nv / den.value * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    _mark(L, s, R.add(Finding(
        "N08", "fail", f"说明称「{r.raw}」，按 {num.raw} ÷ {den.raw} 计算应为 {computed}%",
        f"the text says '{r.raw}'; {num.raw} ÷ {den.raw} gives {computed}%",
        expected=computed, actual=r.pct, unit="%", tolerance=hp, locations=[_loc(s)], guesses=guesses)))
    return 1


_CMP_YEAR = re.compile(r"(?:比|较|与)\s*(\d{4})\s*年(?:度)?\s*(?P<what>年初预算|预算|执行|决算)?")


def _years(L: Ledger, R: Recorder, year: int) -> None:
    """N04: compared with a year other than the previous one — or with its own year's figures where those
    cannot be meant: a budget with its own year's budget or outturn (比2026年执行数, not yet known), a final
    account with its own year's outturn (a final account may compare with its own year's budget)."""
    stage = L.d.meta.get("stage")
    # "比上年", "与上年相比": the previous year by construction — compared, and right
    implicit = sum(1 for s in L.statements for c in s.changes if c.year is None)
    if implicit:
        R.evaluated["N04"] += implicit
    for s in L.statements:
        for m in _CMP_YEAR.finditer(s.text):
            y = int(m.group(1))
            R.evaluated["N04"] += 1
            what = m.group("what") or ""
            own = y == year and (stage == "预算" and what != "" or stage == "决算" and what in ("执行", "决算"))
            if y in (year - 1, year) and not own:
                continue
            expected = year - 1
            zh = (f"{year}年{stage}与{y}年{what}比较（应与{year - 1}年比较）" if own
                  else f"{year}年的说明与{y}年比较（应为{year - 1}年）")
            _mark(L, s, R.add(Finding("N04", "fail", zh,
                                      f"the {year} text compares with {y} (expected {year - 1})",
                                      expected=Decimal(expected), actual=Decimal(y),
                                      locations=[_loc(s, s.text[max(0, m.start() - 30): m.end() + 30])])))
    if not R.evaluated.get("N04"):
        R.not_evaluated("N04", "说明没有与上年比较的表述", "the text states no comparison with a previous year")


def old_class_names(L: Ledger, R: Recorder) -> None:
    """N10: class names retired by the 2019 classification, in text or tables."""
    year = L.d.meta.get("year")
    if not year:
        return
    old = [(r["old_name"], r["new_name"], int(r["from_year"])) for r in load_csv("code_changes.csv")
           if r["old_name"] and r["old_name"] != r["new_name"] and int(year) > int(r["from_year"])]
    # the year of the change itself is left out: its budgets were often compiled on the old catalogue
    if not old:
        return
    seen = set()
    labels = L.a.drop_duplicates("label")
    for name, new, since in old:
        R.evaluated["N10"] += 1
        pat = re.compile(rf"(?<![\u4e00-\u9fff]){re.escape(name)}(?![\u4e00-\u9fff])")
        for s in L.statements:
            if pat.search(s.text) and (name, "text") not in seen:
                seen.add((name, "text"))
                R.add(Finding("N10", "fail", f"说明使用了{since}年起已停用的科目名称「{name}」（现为「{new}」）",
                              f"the text uses '{name}', renamed '{new}' from {since}", locations=[_loc(s)]))
        hit = labels[labels["label"] == name]
        if not hit.empty and (name, "table") not in seen:
            seen.add((name, "table"))
            R.add(Finding("N10", "fail", f"表格使用了{since}年起已停用的科目名称「{name}」（现为「{new}」）",
                          f"a table uses '{name}', renamed '{new}' from {since}", locations=[L.location(hit.iloc[0])]))


def consistent_bases(L: Ledger, R: Recorder) -> None:
    """N07: statements about the same current figure must agree on base year and base amount (read from the
    sentences directly: a frame of the changes would copy each sentence's text once per change)."""
    groups: dict = {}
    for s in L.statements:
        for c in s.changes:
            cur = c.current
            if cur is None or cur.value == 0 or c.base_from == "sentence":
                continue
            g = groups.setdefault(cur.value, {"unit": cur.unit, "by_quote": {}})
            g["by_quote"].setdefault(s.text, (s, c))  # the first statement of each sentence
    if not groups:
        R.not_evaluated("N07", "说明中没有与上年比较的表述", "the text states no comparison with a previous year")
        return
    where = lambda s: {"section": s.section, "page": s.page, "quote": s.text}  # noqa: E731
    for current, g in groups.items():
        stated = list(g["by_quote"].values())
        if len(stated) < 2:
            continue
        R.evaluated["N07"] += 1
        unit = g["unit"]
        years = sorted({int(c.year) for _, c in stated if c.year is not None})
        if len(years) > 1:
            R.add(Finding("N07", "fail",
                          f"同一本年数 {fmt(current, unit)}{unit} 的比较年份前后不一：{'、'.join(map(str, years))}年",
                          f"the same current figure {current} is compared with different years: {years}",
                          locations=[where(s) for s, _ in stated]))
        bases = sorted({c.base for _, c in stated if c.base is not None})
        if len(bases) > 1:
            R.add(Finding("N07", "fail",
                          f"同一本年数 {fmt(current, unit)}{unit} 的上年基数前后不一：" + "、".join(fmt(b, unit) for b in bases),
                          f"the same current figure {current} is compared with different bases: "
                          + ", ".join(str(b) for b in bases),
                          locations=[where(s) for s, c in stated if c.base is not None]))


_LIST_WORDS = re.compile(r"其中|包括|分别为|分别是")
_MAIN_WORDS = re.compile(r"主要(?:原因)?(?:是|为|包括)")
_OPENS_LIST = re.compile(r"^(?:其中|主要(?:原因)?(?:是|为|包括))[：:]?")
_DIRECTION_END = re.compile(r"(?:增加|减少|增长|下降|上升|降低)$")
_LEAD = re.compile(r"^(?:其中|主要(?:原因)?(?:是|为|包括)|具体(?:包括|如下)|包括)[：:]?$")


def _figures(s) -> list:
    """The amounts and changes a sentence states (not its bases, thresholds or shares alone)."""
    return [m for m in s.mentions if m.role in ("amount", "delta")]
_CHANGE_WORDS = re.compile(r"增加|减少|增长|下降|持平|比上年|较上年|上升|降低")


def _list_runs(sentences: list) -> list[tuple[list, bool]]:
    """Sentences read together as one list, each run with whether it may name only some parts.

    "…总额4,308.39万元，其中：货物2,315.5万元；" "工程417.8万元；" "服务1,575.09万元。" — a sentence ending in
    ；/; continues into the sentence right after it (no sentence between them) when that one states a single
    figure and no list of its own.  A sentence stating one figure followed by numbered items ("1.教育支出比上年
    增加3,805.13万元；" "2.…") is a list too, one that may name only the main items."""
    runs, cur, numbered = [], [], False
    for s in sentences:
        own = _figures(s)
        # right after the sentence before, or after a lead with no figure of its own ("其中：")
        follows = bool(cur) and (s.before == cur[-1].text
                                 or (s.no == cur[-1].no + 2 and _LEAD.match(s.before or "") is not None))
        item = follows and len(own) == 1 and LIST_MARK.match(s.text) is not None and (
            numbered or (len(cur) == 1 and len(_figures(cur[0])) == 1))
        if item:
            numbered = True
        elif cur and (not follows or numbered or not cur[-1].text.rstrip().endswith(("；", ";"))
                      or len(own) > 1 or _LIST_WORDS.search(s.text)):  # a sentence with its own list starts anew
            runs.append((cur, numbered))
            cur, numbered = [], False
        cur.append(s)
    if cur:
        runs.append((cur, numbered))
    return runs


def _opening_lists(sentences: list):
    """"学校收入总计430,725.03万元，与2022年度相比，减少23,616.80万元。" "其中：财政拨款收入增加14,458.07万元，
    事业收入增加974.61万元，其他收入减少39,049.48万元。" — a sentence opening with 其中 lists the parts of the
    one change stated in the sentence right before it: (both sentences, that change)."""
    prev = None
    for s in sentences:
        if prev is not None and s.before == prev.text and _OPENS_LIST.match(s.text):
            deltas = [m for m in prev.mentions if m.role == "delta"]
            if len(deltas) == 1 and _DIRECTION_END.search(deltas[0].subject or ""):
                yield [prev, s], deltas[0]
        prev = s


def _inner_change_lists(runs: list):
    """"收入比2025年增加2,784.38万元，其中：一般公共预算财政拨款增加2,781.90万元，主要是…；" "事业收入增加
    2.48万元，主要是…。" — a change inside a longer list, followed by 其中 and only changes to the run's end: those
    changes are its parts (the run, that change, its parts)."""
    for run, _ in runs:
        figures = [m for x in run for m in _figures(x)]
        for i, m in enumerate(figures[:-2]):
            parts = figures[i + 1:]
            if (i and m.role == "delta" and _DIRECTION_END.search(m.subject or "")
                    and "其中" in (parts[0].context or "")
                    and all(_DELTA_SUBJECT.match(p.subject or "") and p.share is None for p in parts)
                    and not any(_LIST_WORDS.search(p.context or "") for p in parts[1:])):
                yield [x for x in run if any(f in x.mentions for f in [m] + parts)], m, parts
                break


def parts_within_total(L: Ledger, R: Recorder) -> None:
    """N11: "政府采购预算总额370.62万元，其中：货物252.619万元、工程0万元、服务118万元" — the parts listed
    after a total add up to it (equal within rounding: checked; above it: review; below it: not judged).
    A list of changes ("支出预算增加118.76万元，其中基本支出增加79.26万元，项目支出增加39.5万元") adds up the
    same way, signed; for changes only agreement is judged, and so for lists that may name only the main items
    (numbered items after a total, "主要是…")."""
    n = 0
    runs = _list_runs(L.statements)
    for run, numbered in runs:
        amounts = [m for x in run for m in _figures(x)]
        main = len(amounts) >= 3 and _MAIN_WORDS.search(amounts[1].context) is not None
        if len(amounts) < 3 or not (numbered or main or _LIST_WORDS.search(amounts[1].context)):
            continue
        total, parts = amounts[0], amounts[1:]
        if any(_LIST_WORDS.search(p.context) for p in parts[1:]):
            continue  # a nested list: not one flat list of parts
        deltas = [_DELTA_SUBJECT.match(m.subject or "") for m in amounts]
        changes = all(deltas)
        if not changes and (any(deltas) or any(_CHANGE_WORDS.search(x.text) for x in run) or total.value == 0):
            continue  # levels mixed with changes
        signs = [(_sign(d.group("dir")) if changes else 1) for d in deltas]
        n += 1
        _judge_parts(L, R, run, total, parts, signs, changes, partial=numbered or main)
    for run, total in _opening_lists(L.statements):
        parts = _figures(run[1])
        deltas = [_DELTA_SUBJECT.match(m.subject or "") for m in parts]
        if len(parts) < 2 or not all(deltas) or any(p.share is not None for p in parts):
            continue
        signs = [_sign(_DIRECTION_END.search(total.subject).group(0))] + [_sign(d.group("dir")) for d in deltas]
        n += 1
        _judge_parts(L, R, run, total, parts, signs, True, partial=False)
    for run, total, parts in _inner_change_lists(runs):
        signs = [_sign(_DIRECTION_END.search(total.subject).group(0))]
        signs += [_sign(_DELTA_SUBJECT.match(p.subject).group("dir")) for p in parts]
        n += 1
        _judge_parts(L, R, run, total, parts, signs, True, partial=False)
    if not n:
        R.not_evaluated("N11", "说明中没有读到在总额后列出分项的句子", "no sentence listing parts after a total was read")


def _judge_parts(L: Ledger, R: Recorder, run: list, total, parts: list, signs: list, changes: bool,
                 partial: bool) -> None:
    amounts = [total] + parts
    per = {m.unit: YUAN_PER_UNIT[m.unit] for m in amounts}
    stated = signs[0] * total.value * per[total.unit]
    got = sum((g * p.value * per[p.unit] for g, p in zip(signs[1:], parts)), Decimal(0))
    tol = sum((half_unit(printed_decimals(m.value)) * per[m.unit] for m in amounts), Decimal(0))
    R.evaluated["N11"] += 1
    if abs(got - stated) <= tol:
        for x in run:
            _mark(L, x)
    elif partial:
        for x in run:
            _why(L, x, "所列主要项目之和与总额不同，可能未列全", "the main items listed do not add up to the "
                 "total; they may name only some")
    elif got > stated and not changes:
        _mark(L, run[0], R.add(Finding(
            "N11", "review", f"说明中「{total.subject}」{total.raw}，其后所列{len(parts)}项之和为 "
            f"{fmt(got / per[total.unit], total.unit)}{total.unit}，超过总额",
            f"the text's '{total.subject}' {total.raw}: the {len(parts)} parts listed after it add up to "
            f"{fmt(got / per[total.unit], total.unit)} {total.unit}, more than the total",
            expected=total.value, actual=got / per[total.unit], unit=total.unit, locations=[_loc(x) for x in run],
            guesses=["所列各项按并列相加；若某项是其后各项的小计则不成立 / the parts are taken to be side by side; "
                     "not so if one is a subtotal of the ones after it"])))
    else:
        for x in run:
            _why(L, x, "“其中”所列各项之和与总额不同，可能未列全", "the parts listed do not add up to the total; "
                 "the list may name only some")


def count_lists(L: Ledger, R: Recorder) -> None:
    """N11 for counts: "共有车辆46辆，其中机要通信用车2辆，应急保障用车15辆，其他按照规定配备的公务用车29辆" — the
    parts after 其中, in the same clause and unit, add up to the count before it.  Equal: checked.  Otherwise a
    review, and only when the list cannot be partial: its parts exceed the total, or it closes with a 其他 item
    (a list with "other" names everything).  A part with a list of its own (其中 again) leaves the clause alone."""
    for s in L.statements:
        for clause_start, clause in _clauses(s.text):
            counts = [c for c in s.counts if clause_start <= c[2] < clause_start + len(clause)]
            head = next((i for i, c in enumerate(counts[:-2])
                         if "其中" in s.text[c[3]: counts[i + 1][2]]), None)
            if head is None:
                continue
            total, parts = counts[head], [c for c in counts[head + 1:] if c[1] == counts[head][1]]
            gaps = [s.text[a[3]: b[2]] for a, b in zip([total] + parts, parts)]
            if len(parts) < 2 or any("其中" in g or "（" in g or "(" in g for g in gaps[1:]):
                continue
            if not (total[1] == "辆" or total[1] == "人" and all(_STAFF_KIND.search(g) for g in gaps)):
                continue  # titles, supervisors, programmes overlap (正高级职称 795 人、博士生导师 561 人): not parts
            got = sum((c[0] for c in parts), Decimal(0))
            R.evaluated["N11"] += 1
            if got == total[0]:
                _mark(L, s)
                continue
            other = "其他" in s.text[parts[-2][3]: parts[-1][2]]
            if got < total[0] and not other:
                _why(L, s, "“其中”所列数量之和小于总数，可能未列全", "the counts listed add up to less than the "
                     "total; the list may name only some")
                continue
            quote = s.text[max(0, total[2] - 12): parts[-1][3]]
            unit = total[1]
            _mark(L, s, R.add(Finding(
                "N11", "review", f"说明中「{quote}」：所列{len(parts)}项之和为 {got}{unit}，总数为 {total[0]}{unit}",
                f"the text's '{quote}': the {len(parts)} parts listed add up to {got} ({unit}), the total is "
                f"{total[0]}", expected=total[0], actual=got, unit=unit, locations=[_loc(s)],
                guesses=["所列各项按并列相加 / the parts are taken to be side by side"])))


# kinds of post that do not overlap: 编制 and 实有人员 split into 行政/事业/工勤
_STAFF_KIND = re.compile(r"(?:行政|事业|工勤|参照公务员|参公)[^，,、；;。]{0,6}$")


_BASE_WORD = re.compile(r"执行|决算|预算")


def three_public_changes(L: Ledger, R: Recorder) -> None:
    """N12: "“三公”经费394.49万元，较2025年减少2.48万元，其中：因公出国（境）费184.49万元，与2025持平；公务接待费
    10万元，与2025持平；公务用车运行维护费200.00万元，较2025年减少2.48万元；公务用车购置费0万元，与2025年持平" —
    the changes stated for the parts add up to the change stated for their total (reference/fact_identities.csv).
    Judged within one passage (sentences at most 8 apart), for one base year and base word, only when the total
    and every part are stated."""
    identities = [(r["total"], r["parts"].split("+")) for r in load_csv("fact_identities.csv")]
    keys = {k for t, ps in identities for k in [t, *ps]}
    groups: dict = {}
    last: dict = {}  # per base: the last sentence read into its group
    for s in L.statements:
        for c in s.changes:
            cur = c.current
            if cur is None or not (c.delta_unit in YUAN_PER_UNIT or c.direction == "持平" and c.delta is None):
                continue
            key = _three_key(cur.subject or "", keys)
            if key is None:
                continue
            word = _BASE_WORD.search(c.raw)
            base = (s.file, c.year, word.group(0) if word else "")
            if base not in last or s.no - last[base][0] > 8:  # one paragraph and its numbered items, not the text
                last[base] = (s.no, s.no)
            last[base] = (s.no, last[base][1])
            g = groups.setdefault(base + (last[base][1],), {})
            signed = Decimal(0) if c.delta is None else _sign(c.direction) * to_yuan(c.delta, c.delta_unit)
            tol = Decimal(0) if c.delta is None else to_yuan(half_unit(printed_decimals(c.delta)), c.delta_unit)
            g.setdefault(key, set()).add((signed, tol, s.no))
    by_no = {s.no: s for s in L.statements}
    n = 0
    for g in groups.values():
        if any(len({v for v, _, _ in vals}) > 1 for vals in g.values()):
            continue  # a part stated twice with different changes: not one list
        # each stated once (or restated alike): (change, tolerance, the sentences stating it)
        known = {k: (*next(iter(vals))[:2], {x for _, _, x in vals}) for k, vals in g.items()}
        for total, parts in reversed(identities):  # a subtotal the text leaves out is the sum of its parts
            if total not in known and all(p in known for p in parts):
                known[total] = (sum(known[p][0] for p in parts), sum(known[p][1] for p in parts),
                                set().union(*(known[p][2] for p in parts)))
        for total, parts in identities:
            if total not in g or not all(p in known for p in parts):
                continue
            stated, tol, where = known[total]
            got = sum(known[p][0] for p in parts)
            tol += sum(known[p][1] for p in parts)
            R.evaluated["N12"] += 1
            n += 1
            sentences = [by_no[x] for x in sorted(where.union(*(known[p][2] for p in parts)))]
            if abs(got - stated) <= tol:
                for x in sentences:
                    _mark(L, x)
                continue
            f = R.add(Finding(
                "N12", "fail", f"说明称「{_FACT_NAMES.get(total, total)}」增减 {fmt(stated / 10000, '万元')}万元，"
                f"所列各项的增减之和为 {fmt(got / 10000, '万元')}万元",
                f"the text states a change of {fmt(stated / 10000, '万元')} 万元 for '{total}'; the changes it "
                f"states for its parts add up to {fmt(got / 10000, '万元')} 万元",
                expected=got / 10000, actual=stated / 10000, unit="万元", tolerance=tol / 10000,
                locations=[_loc(x) for x in sentences]))
            for x in sentences:
                _mark(L, x, f)
    if not n:
        R.not_evaluated("N12", "说明没有同时写出“三公”总额及各项的增减", "the text does not state the change of the "
                        "“三公” total and of every part")


_FACT_NAMES = {"three_total": "“三公”经费", "three_vehicle": "公务用车购置及运行费"}


def _parent_fact(facts, subject: str):
    """"公务接待费支出0.16万元，占100.0%": a part's share with no total named is a share of the total it is a part
    of (reference/fact_identities.csv), when the tables print that total."""
    up = {p: r["total"] for r in load_csv("fact_identities.csv") for p in r["parts"].split("+")}
    key = _resolve_phrase(subject) or _resolve_phrase(re.sub(r"(?:支出|决算|预算|数)+$", "", subject))
    root = None
    while key in up:  # 公务用车购置费 → 公务用车购置及运行费 → “三公”经费: the whole, as texts state it
        key = root = up[key]
    return facts.named.get(root) if root else None


def _three_key(subject: str, keys: set) -> str | None:
    """The 三公 figure a subject names: the whole subject, its last clause ("…6.7万元（公务用车购置费"), or
    "“三公”经费" with any scope words around it (本部门当年一般公共预算“三公”经费预算支出)."""
    for cand in (subject, re.split(r"[（(，,：:；;]", subject)[-1]):
        key = _resolve_phrase(cand)
        if key in keys:
            return key
    after = subject.split("三公")[-1] if "三公" in subject else None
    return "three_total" if after is not None and not re.search(r"出国|接待|公务用车", after) else None


def _clauses(text: str):
    """(start, clause) for each part of a sentence between ；/;/。 — a list of counts stays within one."""
    start = 0
    for part in re.split(r"(?<=[；;。])", text):
        if part:
            yield start, part
        start += len(part)


def _name_key(subject: str) -> set:
    subject = re.sub(r"^(?:其中|包括|含)[：:]?", "", subject or "")
    return {normalise_name(c).replace("的", "") for c in subject_cores(subject)}


def restated_figures(L: Ledger, R: Recorder, window: int = 12) -> None:
    """A figure restated further on in its section ("…包括在职人员经费8,009.83万元、…" then "（一）在职人员经费
    8,009.83万元，主要是…"): when the first statement was checked and passed, the same name with the same amount
    in its section or within ``window`` sentences after it agrees with it.  Runs after the other text rules; a restatement that differs is left to them (not judged here)."""
    checked: dict = {}  # (name, amount, unit) → the sentence that stated it, checked
    for s in L.statements:
        c = L.coverage.get(s.no)
        amounts = [m for m in s.mentions if m.role == "amount"]
        if c and c["passed"] and not c["failed"]:
            for m in amounts:
                for k in _name_key(m.subject):
                    checked[(k, m.value, m.unit)] = s
            continue
        if c and c["failed"] or not amounts:
            continue
        near = lambda x: x.file == s.file and (x.section == s.section or s.no - x.no <= window)  # noqa: E731
        if all(any(near(checked[(k, m.value, m.unit)]) for k in _name_key(m.subject) if (k, m.value, m.unit) in checked)
               for m in amounts):
            R.passed("N01")
            _mark(L, s)


RULES = [amounts_and_shares, stated_changes, project_count, old_class_names, consistent_bases, parts_within_total,
         count_lists, three_public_changes, score_rates, restated_figures]
