"""What the tables print, as the text names it: :class:`Facts` (income and expenditure totals, basic and
project spending, 三公, …) and the 项-level lines a text may name.
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pandas as pd

from budgetkit.check.ledger import Ledger, class_names
from budgetkit.check.statements import normalise_name


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
