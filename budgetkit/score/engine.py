"""``budgetkit.score(d)``: rate one disclosure on the transparency scorecard (reference/scorecard.csv)."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from budgetkit.reference import load_csv
from budgetkit.score.items import ITEMS, Context, Rating

PARTS = {"F": ("形式规范", "form"), "T": ("报表完整", "tables"), "G": ("细化程度", "granularity"),
         "N": ("说明完整", "narrative"), "P": ("绩效信息", "performance"), "Q": ("内容准确", "accuracy")}
STATUS_NAMES = {"scored": ("已评分", "scored"), "N/A": ("不适用", "not applicable"),
                "N/E": ("无法评估", "not evaluable"), "bonus": ("加分项（不计总分）", "bonus (not in the total)")}


def scorecard_items() -> list[dict]:
    return [dict(r) for r in load_csv("scorecard.csv")]


def _weights(user, stage: str) -> dict[str, float | None]:
    """Item id → weight for the stage: the CSV's, replaced by a user's dict or CSV (columns id and weight, or
    weight_budget / weight_final).  An empty weight means the item does not apply to the stage (N/A)."""
    col = "weight_final" if stage == "决算" else "weight_budget"
    w = {r["id"]: (float(r[col]) if r[col] not in ("", None) else None) for r in scorecard_items()}
    if user is None:
        return w
    if isinstance(user, (str, Path)):
        with open(user, encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
        given = {}
        for r in rows:
            v = r.get(col) if col in r else r.get("weight")
            if r.get("id") in w and v not in (None, ""):
                given[r["id"]] = float(v)
        user = given
    unknown = [k for k in user if k not in w]
    if unknown:
        raise ValueError(f"unknown scorecard item(s): {', '.join(unknown)}")
    return w | {k: (None if v is None else float(v)) for k, v in user.items()}


@dataclass
class Item:
    id: str
    part: str
    title_zh: str
    title_en: str
    weight: float | None
    level: int | None
    status: str
    why: str
    why_en: str
    evidence: list
    rule: str

    def to_dict(self) -> dict:
        return {"id": self.id, "part": self.part, "title": self.title_zh, "title_en": self.title_en,
                "level": self.level, "weight": self.weight, "status": self.status, "evidence": self.evidence,
                "why": self.why, "why_en": self.why_en, "rule": self.rule}


@dataclass
class Scorecard:
    meta: dict
    items: list[Item]
    total: float | None = None
    coverage: float | None = None
    parts: dict = field(default_factory=dict)

    @property
    def doc_id(self):
        return self.meta.get("doc_id")

    @property
    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([i.to_dict() | {"doc_id": self.doc_id} for i in self.items])

    def store_frame(self) -> pd.DataFrame:
        """One row per item for the corpus store's ``scores`` table: exact decimals, no floats, evidence as JSON."""
        import json
        from decimal import Decimal

        from budgetkit.report.findings import json_default

        def dec(x, q="0.1"):
            return None if x is None else Decimal(str(x)).quantize(Decimal(q))

        rows = [{"doc_id": self.doc_id, "item": i.id, "part": i.part, "title": i.title_zh, "title_en": i.title_en,
                 "level": i.level, "weight": dec(i.weight), "status": i.status, "why": i.why, "why_en": i.why_en,
                 "evidence": json.dumps(i.evidence, ensure_ascii=False, default=json_default), "rule": i.rule,
                 "page": next((e.get("page") for e in i.evidence if e.get("page") is not None), None),
                 "total": dec(self.total), "coverage": dec(self.coverage, "0.001")} for i in self.items]
        df = pd.DataFrame(rows)
        df["level"] = df["level"].astype("Int64")
        df["page"] = df["page"].astype("Int64")
        for c in ("weight", "total", "coverage"):
            df[c] = df[c].astype(object)
        return df

    def to_dict(self) -> dict:
        m = self.meta
        return {"doc_id": self.doc_id, "department": m.get("department"), "year": m.get("year"),
                "stage": m.get("stage"), "scope": m.get("scope"),
                "total": None if self.total is None else round(self.total, 1),
                "coverage": None if self.coverage is None else round(self.coverage, 3),
                "parts": self.parts, "items": [i.to_dict() for i in self.items]}

    def __repr__(self):
        t = "—" if self.total is None else f"{self.total:.0f}"
        return f"Scorecard({self.doc_id!r}: {t} / 100, coverage {self.coverage or 0:.0%})"

    def line(self) -> str:
        t = "—" if self.total is None else f"{self.total:.0f}"
        return f"{t} / 100，覆盖 {self.coverage or 0:.0%} / {t} / 100, coverage {self.coverage or 0:.0%}"


def _aggregate(items: list[Item]):
    def agg(its):
        scored = [i for i in its if i.status == "scored" and i.weight]
        evaluable = [i for i in its if i.status in ("scored", "N/E") and i.weight]
        w = sum(i.weight for i in scored)
        W = sum(i.weight for i in evaluable)
        score = sum(i.weight * i.level for i in scored) / w if w else None
        return score, (w / W if W else None), w, W

    total, coverage, _, _ = agg(items)
    parts = {}
    for p, (zh, en) in PARTS.items():
        s, cov, w, W = agg([i for i in items if i.part == p])
        parts[p] = {"name": zh, "name_en": en, "score": None if s is None else round(s, 1),
                    "points": round((s or 0) * w / 100, 2), "weight_scored": w, "weight": W,
                    "coverage": None if cov is None else round(cov, 3)}
    return total, coverage, parts


def score(d, weights=None, findings=None) -> Scorecard:
    """Rate one disclosure on the items of ``reference/scorecard.csv``.

    Each item gets a level (100/67/33/0), or N/A (does not apply: a 预算's self-evaluation, no empty table), or
    N/E (not evaluable: the table is unread or ``unknown``, or the reading is a guess) with the reason, and
    its evidence.  N/E is neither 0 nor full marks: the total is over scored items, with their share of the
    weight as ``coverage``.  Accuracy items (Q) count only error-level findings with status ``fail``.
    ``weights``: a dict {item id: weight} or a CSV path (columns ``id`` and ``weight``, or ``weight_budget`` /
    ``weight_final``) replacing the scorecard's weights.  ``findings``: a ``budgetkit.check(d)`` result to reuse.
    """
    from budgetkit.check import check

    f = findings if findings is not None else check(d)
    stage = d.meta.get("stage") or "预算"
    w = _weights(weights, stage)
    c = Context(d, f)
    items = []
    for row in scorecard_items():
        fn = ITEMS[row["id"]]
        weight = w.get(row["id"])
        try:
            r = fn(c)
        except Exception as exc:  # an item that cannot read what it needs is not evaluable, never 0
            r = Rating.ne(f"此项计算失败（{type(exc).__name__}），请报告", f"the item failed ({type(exc).__name__}); please report")
        status = r.status
        if weight is None:
            status, r = "N/A", Rating.na("本阶段不评此项", f"not scored for a {stage}")
        elif row["id"] == "TS-T03" or weight == 0:
            status = "bonus" if r.status == "scored" else r.status
        items.append(Item(row["id"], row["part"], row["title_zh"], row["title_en"], weight, r.level, status,
                          r.why, r.why_en, [e for e in r.evidence if e], row["source_rule"]))
    total, coverage, parts = _aggregate(items)
    meta = dict(d.meta) | {"doc_id": d.doc_id}
    return Scorecard(meta, items, total, coverage, parts)


def score_many(disclosures, weights=None) -> pd.DataFrame:
    """A league table: one row per disclosure (paths, lists of paths or read disclosures), with the total,
    coverage and the six part scores.  A disclosure that cannot be read is a row with its reason."""
    from budgetkit.errors import BadInputError
    from budgetkit.pipeline import read

    rows = []
    for x in disclosures:
        try:
            d = x if hasattr(x, "tables") else read(x)
            s = score(d, weights=weights)
        except BadInputError as exc:
            rows.append({"doc_id": str(x), "error": str(exc)})
            continue
        row = {"doc_id": s.doc_id, "department": d.meta.get("department"), "year": d.meta.get("year"),
               "stage": d.meta.get("stage"), "scope": d.meta.get("scope"),
               "total": None if s.total is None else round(s.total, 1),
               "coverage": None if s.coverage is None else round(s.coverage, 3)}
        row |= {p: v["score"] for p, v in s.parts.items()}
        row["error"] = None
        rows.append(row)
    df = pd.DataFrame(rows)
    if "total" in df:
        df = df.sort_values(["stage", "year", "total"], ascending=[True, True, False], na_position="last")
    return df.reset_index(drop=True)
