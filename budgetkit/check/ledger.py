"""What the rules read: the amounts frame, enriched once.

Adds the effective code (printed, or inferred from a 类 name such as
``八、社会保障和就业支出`` → 208), each column's concept (total, basic,
project, …) and helpers that turn a row into evidence.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cached_property, lru_cache

import pandas as pd

from budgetkit.money import to_yuan
from budgetkit.reference import load_csv

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．]\s*)")
TOTAL_ROW = re.compile(r"^(?:合计|总计|本年收入合计|本年支出合计|收入总计|支出总计|本年收入|本年支出|本年合计)$")


def strip_numbering(label: str) -> str:
    t = _NUMBERING.sub("", (label or "").strip())
    return re.sub(r"\s+", "", t)


def class_names() -> dict[str, str]:
    return {r["name"]: r["code"] for r in load_csv("class_names.csv")}


def class_name_of(code: str) -> str | None:
    for r in load_csv("class_names.csv"):
        if r["code"] == code:
            return r["name"]
    return None


@lru_cache(maxsize=None)
def _concepts() -> dict[str, str]:
    return {r["term"]: r["concept"] for r in load_csv("column_concepts.csv")}


# a group that is one part of the money (a source of income, a purchase): its 金额/小计 is that part's
_PART_GROUP = re.compile(r"事业收入|经营收入|上级补助|附属单位|其他收入|政府采购|采购|上年结转|结转|财政专户|单位资金|其他资金|中小企业")


def concept_of(column_label: str) -> str | None:
    concepts = _concepts()
    parts = (column_label or "").split("/")
    last = re.sub(r"#\d+$", "", parts[-1])
    if last in concepts:
        c = concepts[last]
        # 小计/金额 under a group means that group: a fund or purpose group gives its concept, a
        # group that is one part of the money (事业收入/金额, 政府采购项目/小计) a concept not known,
        # any other group (本年支出, 2026年预算数, 功能分类) the total
        if c == "total" and len(parts) > 1:
            group = parts[-2]
            parent = concepts.get(group)
            if parent:
                return parent if parent != "current_appropriation" else "total"
            if _PART_GROUP.search(group):
                return None
        return c
    return None


def half_unit(decimals) -> Decimal:
    """Half the last printed digit: the rounding a printed figure may carry."""
    d = 2 if decimals is None or pd.isna(decimals) else int(decimals)
    return Decimal(5) * Decimal(10) ** (-(d + 1))


def present(x) -> bool:
    """Not None, NaN or NA: a plain-row test for a missing value."""
    return x is not None and x is not pd.NA and x == x


def records(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as plain dicts, column by column (pandas' own to_dict/iterrows go cell by cell
    through the indexer: a hundred times slower on the wide amounts frame)."""
    cols = list(frame.columns)
    return [dict(zip(cols, vals)) for vals in zip(*(frame[c].tolist() for c in cols))]


def _plain(a: pd.DataFrame) -> pd.DataFrame:
    """The same frame with text and money as plain Python objects (str/None, Decimal/None).

    The rules slice this frame tens of thousands of times per disclosure; slicing Arrow-backed
    columns costs a pyarrow call per column per slice, which made checking cost half of reading;
    one object block slices with a single numpy take. Values are unchanged: Decimal stays
    exact, integers stay int, missing is None."""
    out = {}
    for name, col in a.items():
        if isinstance(col.dtype, (pd.StringDtype, pd.ArrowDtype, pd.Int64Dtype)) or col.dtype == object:
            vals = col.astype(object)
            out[name] = pd.Series([None if v is pd.NA or v is None else v for v in vals], index=a.index,
                                  dtype=object)
        else:
            out[name] = col
    return pd.DataFrame(out, index=a.index)


class Ledger:
    def __init__(self, disclosure):
        self.d = disclosure
        a = disclosure.amounts.copy()
        names = class_names()
        eff = []
        for code, label in zip(a["code"], a["row_label"]):
            if isinstance(code, str) and code:
                eff.append(code)
            else:
                eff.append(names.get(strip_numbering(label if isinstance(label, str) else "")))
        a["eff_code"] = pd.array(eff, dtype="string")
        a["concept"] = pd.Series([concept_of(c) for c in a["column_label"]], index=a.index, dtype=object)
        a["label"] = pd.array([strip_numbering(x if isinstance(x, str) else "") for x in a["row_label"]],
                              dtype="string")
        # bool dtype even when empty: an empty object column would index columns, not rows
        a["is_total_row"] = pd.array([bool(TOTAL_ROW.match(x)) for x in a["label"]], dtype=bool)
        self.a = _plain(a)
        self.coverage: dict = {}  # sentence no → {"passed", "failed", "reasons"} (statement coverage)

    @cached_property
    def statements(self) -> list:
        """The narrative's sentences with their figures, read once for every text rule."""
        from budgetkit.tidy.statements import sentences

        return sentences(self.d)

    @cached_property
    def rows(self) -> list[dict]:
        """Every amount as a plain dict, in printed order (for rules that walk rows)."""
        return records(self.a)

    @cached_property
    def unit(self) -> str:
        """The unit most tables print: findings are stated in it."""
        units = self.a["unit"].value_counts()
        return units.index[0] if len(units) else "万元"

    def in_unit(self, yuan: Decimal) -> Decimal:
        return yuan / to_yuan(Decimal(1), self.unit)

    def tol_yuan(self, rows) -> Decimal:
        """n × half the last printed digit, converted to 元, over the given rows."""
        total = Decimal(0)
        pairs = ((r["decimals"], r["unit"]) for r in rows) if isinstance(rows, list) else zip(rows["decimals"], rows["unit"])
        for dec, unit in pairs:
            total += to_yuan(half_unit(dec), unit)
        return total

    @cached_property
    def _by_table(self) -> dict:
        return {int(k): g for k, g in self.a.groupby("table_index", sort=False)}

    def table_rows(self, table_index: int) -> pd.DataFrame:
        """One table's rows (grouped once: the rules ask for tables thousands of times)."""
        try:
            return self._by_table.get(int(table_index), self.a.iloc[0:0])
        except (TypeError, ValueError):
            return self.a.iloc[0:0]

    def tables(self, *kinds) -> list:
        return [t for t in self.d.tables if t.kind in kinds]

    @staticmethod
    def location(r) -> dict:
        return {
            "table_no": None if pd.isna(r["table_no"]) else r["table_no"],
            "table_title": r["table_title"], "table_kind": r["table_kind"],
            "page": None if pd.isna(r["page"]) else int(r["page"]),
            "row_label": r["row_label"], "column_label": r["column_label"], "raw": r["raw"],
            "file": r["file"], "table_index": None if pd.isna(r["table_index"]) else int(r["table_index"]),
        }

    def single_amount_column(self, table_index: int) -> bool:
        return self.table_rows(table_index)["column_label"].nunique() == 1

    def total_column_rows(self, table_index: int) -> pd.DataFrame:
        """Rows in the table's overall-total column (合计/总计/金额, or its only column)."""
        cache = self.__dict__.setdefault("_total_cols", {})
        if table_index not in cache:
            cache[table_index] = self._total_column_rows(table_index)
        return cache[table_index]

    def _total_column_rows(self, table_index: int) -> pd.DataFrame:
        t = self.table_rows(table_index)
        if t.empty:
            return t
        if t["column_label"].nunique() == 1:
            return t
        depth = t["column_label"].str.count("/")
        tot = t[(t["concept"] == "total") & (depth == depth[t["concept"] == "total"].min())] \
            if (t["concept"] == "total").any() else t.iloc[0:0]
        if not tot.empty:
            first = tot["column_label"].iloc[0]
            return tot[tot["column_label"] == first]
        return t.iloc[0:0]
