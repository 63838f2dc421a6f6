"""Agreement between ``budgetkit score`` and item levels scored by hand from the printed pages.

Two steps, so that the hand verdicts are written before the tool's scores are seen:

    .venv/bin/python bench/score_agreement.py sample --seed 2323
        prints the seeded sample (document, item) to score by hand: SAMPLE_DOCS below plus
        ``--breadth N`` documents drawn with the same seed from ../shared/corpus-breadth, and
        ``--per-doc`` items drawn from the items that carry a weight in the document's stage.

    .venv/bin/python bench/score_agreement.py compare bench/audits/score-hand-2323.csv
        scores every document of the CSV with budgetkit.score and reports exact agreement,
        agreement within one level (100/67/33/0 are adjacent steps; N/A and N/E agree only with
        themselves), and, apart, the items budgetkit could not evaluate (N/E) that were levelled by hand.

The hand CSV has the columns doc, item, hand_level, page, why, and optionally corrected_level
(a hand verdict found wrong on a second reading keeps its first level in hand_level; the
comparison uses corrected_level when it is given, and says how many were corrected).
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BREADTH = ROOT.parent / "shared" / "corpus-breadth"
SAMPLE_DOCS = [
    "data/corpus/cq-swu-2023-final.pdf",
    "data/corpus/cn-central-xinfang-2024-final.pdf",
    "data/corpus/zj-hangzhou-meteo-2026-budget.pdf",
    "data/corpus/fj-fuzhou-medinsure-2026-budget.pdf",
    "data/corpus/sh-putuo-wanli-street-2025-budget.pdf",
    "data/seed/leshan-shizhong-shebao-2023-budget.pdf",
]
STEPS = {"100": 3, "67": 2, "33": 1, "0": 0}


def _items() -> list[dict]:
    with open(ROOT / "budgetkit" / "reference" / "scorecard.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _stage(path: str) -> str:
    return "决算" if "final" in Path(path).name or "决算" in Path(path).name else "预算"


def sample(seed: int, per_doc: int, breadth: int, data: bool = True) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    docs = list(SAMPLE_DOCS) if data else []
    if breadth and BREADTH.is_dir():
        pool = sorted(p.name for p in BREADTH.glob("*.pdf"))
        docs += [str(BREADTH / n) for n in rng.sample(pool, breadth)]
    out = []
    for doc in docs:
        col = "weight_final" if _stage(doc) == "决算" else "weight_budget"
        pool = [r["id"] for r in _items() if r[col] not in ("", "0")]
        out += [(doc, i) for i in sorted(rng.sample(pool, per_doc))]
    return out


def _tool_levels(docs: list[str]) -> dict[tuple[str, str], tuple[str, str]]:
    """(doc, item) → (level or status, why) from budgetkit.score."""
    import budgetkit
    from budgetkit.errors import BadInputError
    got = {}
    for doc in docs:
        path = doc if Path(doc).is_absolute() else ROOT / doc
        try:
            card = budgetkit.score(budgetkit.read(path))
        except BadInputError as e:  # refused as input: no scorecard at all, reported apart
            got |= {(doc, r["id"]): ("refused", str(e).split(" / ")[-1]) for r in _items()}
            continue
        for it in card.items:
            lvl = str(it.level) if it.status == "scored" else it.status
            got[(doc, it.id)] = (lvl, it.why)
    return got


def compare(hand_csv: Path, show: bool, first: bool = False) -> dict:
    with open(hand_csv, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    tool = _tool_levels(sorted({r["doc"] for r in rows}))
    n = Counter()
    lines = []
    for r in rows:
        corrected = "" if first else (r.get("corrected_level") or "").strip()
        hand = corrected or r["hand_level"].strip()
        n["corrected"] += bool(corrected)
        t, why = tool[(r["doc"], r["item"])]
        if t == "refused":
            n["refused"] += 1
            verdict = "REF"
        elif t == "N/E" and hand == "N/E":
            n["compared"] += 1
            n["exact"] += 1
            n["within1"] += 1
            verdict = "="
        elif t == "N/E":  # a level by hand that budgetkit left unevaluated: neither agreement nor disagreement
            n["ne"] += 1
            verdict = "N/E"
        elif hand in STEPS and t in STEPS:
            d = abs(STEPS[hand] - STEPS[t])
            n["compared"] += 1
            n["exact"] += d == 0
            n["within1"] += d <= 1
            verdict = "=" if d == 0 else ("±1" if d == 1 else f"±{d}")
        else:
            n["compared"] += 1
            n["exact"] += hand == t
            n["within1"] += hand == t
            verdict = "=" if hand == t else "≠"
        if verdict != "=" or show:
            lines.append(f"{verdict:4} {Path(r['doc']).name[:44]:44} {r['item']:7} hand {hand:>4} tool {t:>4}  {why[:70]}")
    docs = len({r["doc"] for r in rows})
    c = max(n["compared"], 1)
    print("\n".join(lines))
    print(f"{len(rows)} item levels by hand on {docs} documents ({n['corrected']} hand verdicts corrected on re-reading)")
    print(f"compared {n['compared']}: exact {n['exact']} ({n['exact'] / c:.0%}), "
          f"within one level {n['within1']} ({n['within1'] / c:.0%})")
    print(f"budgetkit N/E (not counted as agreement): {n['ne']}; "
          f"items of documents budgetkit refused to read: {n['refused']}")
    return dict(n)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--seed", type=int, default=2323)
    s.add_argument("--per-doc", type=int, default=10)
    s.add_argument("--breadth", type=int, default=3)
    s.add_argument("--breadth-only", action="store_true", help="no document of data/, only the breadth draw")
    c = sub.add_parser("compare")
    c.add_argument("hand_csv", type=Path)
    c.add_argument("--all", action="store_true", help="list agreeing items too")
    c.add_argument("--first", action="store_true", help="the hand verdicts as first written (no corrected_level)")
    a = ap.parse_args(argv)
    if a.cmd == "sample":
        w = csv.writer(sys.stdout)
        w.writerow(["doc", "item"])
        for doc, item in sample(a.seed, a.per_doc, a.breadth, not a.breadth_only):
            w.writerow([doc if not doc.startswith(str(BREADTH)) else "../shared/corpus-breadth/" + Path(doc).name, item])
        return 0
    n = compare(a.hand_csv, a.all, a.first)
    return 0 if n.get("compared") else 1


if __name__ == "__main__":
    sys.exit(main())
