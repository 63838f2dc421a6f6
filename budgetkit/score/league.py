"""League tables: the disclosures of a store ranked by transparency score.

A ranking is a claim about peers, so it is made only within the same stage, year and level (部门 vs 单位):
a department's budget is never ranked against a unit's, nor against another year's final accounts.  Every total
keeps its coverage beside it; an entry whose coverage is below ``min_coverage`` (items not evaluable, N/E) is
listed and marked but not ranked, because its total rests on fewer items than its peers'.  A disclosure that
could not be read or scored is listed as not scored (N/E), never as 0, in a group of its own under its file name
and with the reason it was refused: nothing read from a file that is not a budget (a department, a year) groups
or names it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pandas as pd

from budgetkit.errors import BadInputError
from budgetkit.reference import load_csv
from budgetkit.score.engine import PARTS, Item, Scorecard, _aggregate

#: below this share of the evaluable weight a total is shown but not ranked against complete ones
MIN_COVERAGE = 0.8
STAGE_EN = {"预算": "budget", "决算": "final accounts"}
#: the level a printed scope word compares at (部门 with 汇总, 本级 apart): reference/league_levels.csv
LEVELS = {r["scope"]: (r["level"], r["level_en"]) for r in load_csv("league_levels.csv")}
SCOPE_EN = dict(LEVELS.values())
#: what scripts/excerpt_pages.py writes in a manifest's ``source``: a few pages cut from a disclosure
_EXCERPT = re.compile(r"\bpages?\s+([\d][\d,\s-]*)\s+of\b")
SORT_KEYS = ("total", *PARTS)
#: the group of the disclosures with no scorecard (refused, unread, or scored by nothing)
NOT_SCORED = "未评分 / not scored"
#: the order in which a disclosure's failures explain why it has no scorecard: the first step that refused it
_STEPS = ("read", "check", "scores")

_SQL = """
SELECT d.disclosure_id, d.doc_id, d.department, d.publisher, d.status AS doc_status, d.meta, d.manifest,
       d.year AS doc_year, d.stage AS doc_stage,
       s.item, s.part, s.title, s.title_en, s.level, s.weight, s.status, s.why, s.why_en, s.evidence, s.rule
FROM disclosures d LEFT JOIN scores s USING (disclosure_id)
ORDER BY d.disclosure_id, s.item
"""


def _name(meta: dict, fallback) -> str:
    """Who is ranked: the unit for a 单位 document, else the department (as the document names it)."""
    if meta.get("scope") == "单位" and meta.get("unit_name"):
        return str(meta["unit_name"])
    return str(meta.get("department") or fallback or "")


def _year(v):
    try:
        return None if v is None or pd.isna(v) else int(v)
    except (TypeError, ValueError):
        return None


def _reason(text: str) -> tuple[str, str]:
    """A failure's bilingual reason without the file path it starts with ("x.pdf: 未识别出预算公开表 / no budget
    disclosure table recognised" → the two halves)."""
    t = re.sub(r"^.*?\.(?:pdf|docx?|xlsx?|xls|txt|html?|csv|zip)\s*[:：]\s*", "", str(text or "").strip(), flags=re.I)
    zh, _, en = t.partition(" / ")
    return zh.strip(), (en or zh).strip()


def _refusals(store) -> dict:
    """disclosure id → (zh, en): why the store holds no scorecard for it, from its ``failures`` rows (the earliest
    step that refused it)."""
    from budgetkit.store import query

    try:
        f = query(store, "SELECT disclosure_id, step, reason FROM failures")
    except Exception:  # a store with no failures table: nothing was refused
        return {}
    out = {}
    f = f.assign(_o=f["step"].map(lambda x: _STEPS.index(x) if x in _STEPS else len(_STEPS)))
    for did, g in f.sort_values("_o", kind="stable").groupby("disclosure_id", sort=False):
        out[did] = _reason(g.iloc[0]["reason"])
    return out


def cards_from_store(store) -> tuple[list[Scorecard], list[dict]]:
    """The scorecards kept in a store's ``scores`` table (through its query API), and the disclosures that have
    none (refused, failed to read, or scored by nothing) with the reason the store recorded."""
    from budgetkit.store import query

    try:
        rows = query(store, _SQL)
    except BadInputError:
        raise
    except Exception as exc:  # a store built before scorecards existed has no scores table
        if "scores" in str(exc):
            raise BadInputError(store, "数据集里没有评分表（scores），请用当前版本重新构建",
                                "the store has no scores table: rebuild it with this version") from None
        raise BadInputError(store, "数据集无法读取", f"the store cannot be read ({type(exc).__name__})") from None
    cards, unscored = [], []
    refused = _refusals(store)
    for did, g in rows.groupby("disclosure_id", sort=False):
        first = g.iloc[0]
        try:
            meta = json.loads(first["meta"]) if isinstance(first["meta"], str) else {}
        except ValueError:
            meta = {}
        meta = {**meta, "doc_id": first["doc_id"] if isinstance(first["doc_id"], str) else did,
                "disclosure_id": did, "publisher": first["publisher"] if isinstance(first["publisher"], str) else None}
        try:
            source = (json.loads(first["manifest"]) or {}).get("source") if isinstance(first["manifest"], str) else None
        except ValueError:
            source = None
        m = _EXCERPT.search(source or "")
        if m:
            meta["excerpt"] = m.group(1).strip()
        meta.setdefault("year", _year(first["doc_year"]))
        meta.setdefault("stage", first["doc_stage"] if isinstance(first["doc_stage"], str) else None)
        g = g[g["item"].notna()]
        if g.empty:  # named by its file only: what was read from a refused file (a department, a year) is not kept
            if did in refused:
                why, why_en = refused[did]
            elif first["doc_status"] == "failed":
                why, why_en = "读取失败", "the disclosure could not be read"
            else:
                why, why_en = "没有评分", "no scorecard stored"
            unscored.append({"meta": {"doc_id": did, "disclosure_id": did}, "why": why, "why_en": why_en})
            continue
        items = [Item(r.item, r.part, r.title, r.title_en, None if pd.isna(r.weight) else float(r.weight),
                      None if pd.isna(r.level) else int(r.level), r.status, r.why or "", r.why_en or "",
                      json.loads(r.evidence) if isinstance(r.evidence, str) and r.evidence else [], r.rule or "")
                 for r in g.itertuples(index=False)]
        order = {k: n for n, k in enumerate(PARTS)}
        items.sort(key=lambda i: (order.get(i.part, 9), i.id))
        total, coverage, parts = _aggregate(items)
        cards.append(Scorecard(meta, items, total, coverage, parts))
    return cards, unscored


@dataclass
class League:
    """``entries``: one row per disclosure, with its group, total, coverage, parts, ranks and mark;
    ``cards``: its scorecard by disclosure id (each item, level, evidence and page)."""
    entries: pd.DataFrame
    cards: dict
    min_coverage: float = MIN_COVERAGE
    by: str = "total"
    source: str = ""
    unscored: list = field(default_factory=list)

    def ranked_by(self, by: str) -> "League":
        """The same league ranked by ``by`` (``total`` or a part letter)."""
        return league(list(self.cards.values()), self.unscored, min_coverage=self.min_coverage, by=by,
                      source=self.source)

    def groups(self) -> list[tuple[str, pd.DataFrame]]:
        return [(label, g) for label, g in self.entries.groupby("group", sort=False)]

    def card(self, key) -> Scorecard:
        """A disclosure's scorecard, by disclosure id or doc id."""
        if key in self.cards:
            return self.cards[key]
        for c in self.cards.values():
            if c.doc_id == key:
                return c
        raise KeyError(key)


def group_label(stage, year, scope) -> str:
    stage = stage if stage in STAGE_EN else None
    scope = scope if scope in SCOPE_EN else None
    y = "年度不明" if year is None else f"{year}"
    ye = "year unknown" if year is None else f"{year}"
    s = stage or "阶段不明"
    se = STAGE_EN.get(stage, "stage unknown")
    sc = scope or "口径不明"
    sce = SCOPE_EN.get(scope, "level unknown")
    return f"{y} {s} · {sc} / {ye} {se} · {sce}"


def league(cards, unscored=(), *, min_coverage: float = MIN_COVERAGE, by: str = "total", source: str = "") -> League:
    """Rank scorecards within their stage, year and level.  ``by``: ``total`` or a part letter (F T G N P Q)."""
    if by not in SORT_KEYS:
        raise ValueError(f"unknown ranking key {by!r}: one of {', '.join(SORT_KEYS)}")
    rows = []
    for c in cards:
        m = c.meta
        stage, year = m.get("stage"), _year(m.get("year"))
        scope = LEVELS.get(m.get("scope"), (None, None))[0]
        row = {"disclosure_id": m.get("disclosure_id") or c.doc_id, "doc_id": c.doc_id,
               "name": _name(m, m.get("publisher") or c.doc_id), "stage": stage, "year": year, "scope": scope,
               "family": m.get("family"), "total": None if c.total is None else round(c.total, 1),
               "coverage": None if c.coverage is None else round(c.coverage, 3),
               "n_ne": sum(1 for i in c.items if i.status == "N/E"), "scored": True}
        for p, v in c.parts.items():
            row[p] = v["score"]
            row[f"{p}_coverage"] = v["coverage"]
        unknown = [(zh, en) for zh, en, ok in (("阶段", "stage", stage in STAGE_EN), ("年度", "year", year is not None),
                                                ("口径（部门/单位）", "level (部门/单位)", scope in SCOPE_EN)) if not ok]
        if m.get("excerpt"):
            row["mark"] = f"页面摘录（第 {m['excerpt']} 页），不是完整的公开文件，不排名"
            row["mark_en"] = f"a page excerpt (pages {m['excerpt']}), not a whole disclosure: not ranked"
        elif unknown:
            row["mark"] = "、".join(zh for zh, _ in unknown) + "未识别，不排名"
            row["mark_en"] = " and ".join(en for _, en in unknown) + " not identified: not ranked"
        elif c.total is None:
            row["mark"], row["mark_en"] = "没有可评分的项目", "no item could be scored"
        elif (c.coverage or 0) < min_coverage:
            row["mark"] = f"覆盖率低于 {min_coverage:.0%}，不排名"
            row["mark_en"] = f"coverage below {min_coverage:.0%}: not ranked"
        else:
            row["mark"] = row["mark_en"] = ""
        rows.append(row)
    for u in unscored:  # its file name, its reason, no group: nothing it was read to say is trusted
        m = u["meta"]
        did = m.get("disclosure_id") or m.get("doc_id")
        rows.append({"disclosure_id": did, "doc_id": m.get("doc_id") or did, "name": str(did), "stage": None,
                     "year": None, "scope": None, "family": None, "total": None, "coverage": None, "n_ne": None,
                     "mark": f"未评分（{u['why']}），N/E", "mark_en": f"not scored ({u['why_en']}): N/E",
                     "scored": False})
    df = pd.DataFrame(rows, columns=["disclosure_id", "doc_id", "name", "stage", "year", "scope", "family", "total",
                                     "coverage", "n_ne", *[c for p in PARTS for c in (p, f"{p}_coverage")],
                                     "mark", "mark_en", "scored"])
    df["year"] = df["year"].astype("Int64")
    df["scored"] = df["scored"].astype(bool)
    df["group"] = [group_label(s, None if pd.isna(y) else int(y), sc) if ok else NOT_SCORED for s, y, sc, ok in
                   zip(df["stage"], df["year"], df["scope"], df["scored"])]
    df["ranked"] = df["mark"].eq("")
    for key in SORT_KEYS:
        score = df[key].astype("float64")
        ok = df["ranked"] & score.notna()
        if key != "total":
            ok &= df[f"{key}_coverage"].astype("float64").fillna(0) >= min_coverage
        df[f"rank_{key}"] = score.where(ok).groupby(df["group"]).rank(ascending=False, method="min").astype("Int64")
        df[f"of_{key}"] = ok.groupby(df["group"]).transform("sum").astype("Int64")
    df["rank"], df["of"] = df[f"rank_{by}"], df[f"of_{by}"]
    # groups: latest year first, 预算 before 决算, 部门 before 单位, unknowns last; within a group ranked entries
    # by rank, then the marked ones (by total, for reading); the unscored in their own group, last
    df["_u"] = ~df["scored"]
    df["_y"] = -df["year"].astype("float64").fillna(-1e9)
    df["_s"] = df["stage"].map({"预算": 0, "决算": 1}).fillna(2)
    df["_c"] = df["scope"].map({"部门": 0, "单位": 1}).fillna(2)
    df["_r"] = df["rank"].astype("float64").fillna(1e9)
    df["_t"] = -df[by].astype("float64").fillna(-1)
    df = df.sort_values(["_u", "_y", "_s", "_c", "group", "_r", "_t", "name"], kind="stable")
    df = df.drop(columns=["_u", "_y", "_s", "_c", "_r", "_t"]).reset_index(drop=True)
    by_id = {(c.meta.get("disclosure_id") or c.doc_id): c for c in cards}
    return League(df, by_id, min_coverage, by, source, list(unscored))


def shown_stage(stage, scored: bool = True) -> str:
    """A stage as a reader sees it: 「预算 / budget」, 「未知 / unknown」 for one not identified, blank for a
    disclosure that has no scorecard."""
    if stage in STAGE_EN:
        return f"{stage} / {STAGE_EN[stage]}"
    return "未知 / unknown" if scored else ""


def shown_scope(scope, scored: bool = True) -> str:
    """A league level as a reader sees it: 「部门 / department」, 「未知 / unknown」, or blank when not scored."""
    if scope in SCOPE_EN:
        return f"{scope} / {SCOPE_EN[scope]}"
    return "未知 / unknown" if scored else ""


def league_from_store(store, *, min_coverage: float = MIN_COVERAGE, by: str = "total") -> League:
    """The league table of every disclosure in a store (its ``scores`` and ``disclosures`` tables)."""
    cards, unscored = cards_from_store(store)
    return league(cards, unscored, min_coverage=min_coverage, by=by, source=str(store))


def is_store(path) -> bool:
    """Whether ``path`` is a corpus store (asked through the store's own opening, not its file layout)."""
    from pathlib import Path

    from budgetkit.store import open_store

    if not Path(path).is_dir():
        return False
    try:
        open_store(path).close()
    except BadInputError:
        return False
    return True


__all__ = ["League", "league", "league_from_store", "cards_from_store", "is_store", "MIN_COVERAGE", "group_label",
           "NOT_SCORED", "shown_stage", "shown_scope"]
