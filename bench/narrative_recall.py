"""Narrative recall by planted defects (not a test): does `check` catch the errors disclosures really make?

Hand audits of published narratives found the same few defects again and again (issue 11): a percentage that
does not follow from its amounts, an amount that disagrees with the table, a direction word against the sign,
a comparison with the disclosure's own year, an item's figure copied from the item before.  This bench plants
one such defect at a time into a sentence that `check` read and passed on a real disclosure, checks again,
and counts whether a new finding names that sentence's page — as an error/warning (a claim) or as a review
(a reading someone must look at).  A sentence checked only for agreement (a list that may name only some
parts, a restatement) cannot turn into a finding: those misses are the price of no false alarms, and the
report says which rule passed each missed sentence so the misses can be read one by one.

    python bench/narrative_recall.py [DIR...] [--per-doc N] [--kinds pct,amount,change,direction,year,copied] [--detail]
"""
from __future__ import annotations

import argparse
import copy
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from reading_quality import SUFFIXES, group  # noqa: E402

_PCT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,2})?)\s*[%％]")
_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?=\s*万?元)")
_DIRECTION = {"增加": "减少", "减少": "增加", "增长": "下降", "下降": "增长"}
_BASE_YEAR = re.compile(r"(比|较|与)\s*(\d{4})\s*年")


def _bump_pct(text: str, rng) -> str | None:
    ms = [m for m in _PCT.finditer(text) if 0 < float(m.group(1)) < 100]
    if not ms:
        return None
    m = rng.choice(ms)
    v = m.group(1)
    dec = len(v.split(".")[1]) if "." in v else 0
    new = f"{float(v) + 3:.{dec}f}"
    return text[:m.start(1)] + new + text[m.end(1):]


def _bump_amount(text: str, rng) -> str | None:
    ms = [m for m in _AMOUNT.finditer(text) if float(m.group(1).replace(",", "")) >= 10]
    if not ms:
        return None
    m = rng.choice(ms)
    digits = m.group(1)
    first = str(int(digits[0]) % 9 + 1)  # 1,149.80 → 2,149.80: the same print, another value
    return text[:m.start(1)] + first + digits[1:] + text[m.end(1):]


def _bump_change(text: str, rng) -> str | None:
    """The amount of a stated change ("增加271.14万元" → "增加371.14万元")."""
    ms = [m for m in re.finditer(r"(?:增加|减少|增长|下降)\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*万?元", text)
          if float(m.group(1).replace(",", "")) >= 1]
    if not ms:
        return None
    m = rng.choice(ms)
    digits = m.group(1)
    return text[:m.start(1)] + str(int(digits[0]) % 9 + 1) + digits[1:] + text[m.end(1):]


def _flip_direction(text: str, rng) -> str | None:
    ms = [m for m in re.finditer("|".join(_DIRECTION), text)
          if re.search(r"\d", text[m.end():m.end() + 8])]  # a direction word with its figure right after
    if not ms:
        return None
    m = rng.choice(ms)
    return text[:m.start()] + _DIRECTION[m.group(0)] + text[m.end():]


def _own_year(text: str, rng, year: int) -> str | None:
    ms = [m for m in _BASE_YEAR.finditer(text) if int(m.group(2)) == year - 1]
    if not ms:
        return None
    m = rng.choice(ms)
    return text[:m.start(2)] + str(year) + text[m.end(2):]


def plant(kind: str, text: str, rng, year: int, before: str | None) -> str | None:
    if kind == "pct":
        return _bump_pct(text, rng)
    if kind == "amount":
        return _bump_amount(text, rng)
    if kind == "change":
        return _bump_change(text, rng)
    if kind == "direction":
        return _flip_direction(text, rng)
    if kind == "year":
        return _own_year(text, rng, year)
    if kind == "copied":  # this item's percentage replaced by the previous item's
        if not before:
            return None
        mine, theirs = list(_PCT.finditer(text)), list(_PCT.finditer(before))
        if len(mine) != 1 or len(theirs) != 1 or mine[0].group(1) == theirs[0].group(1):
            return None
        return text[:mine[0].start(1)] + theirs[0].group(1) + text[mine[0].end(1):]
    raise ValueError(kind)


def _key(f) -> tuple:
    return (f.rule, f.status, f.message)


def measure(paths: list[Path], kinds: list[str], per_doc: int, seed: int) -> list[dict]:
    import budgetkit
    from budgetkit.check.engine import check
    from budgetkit.check.ledger import Ledger
    from budgetkit.check import between, narrative, within
    from budgetkit.check.recorder import Recorder

    d = budgetkit.read(paths, keep_going=True)
    if d.narrative.empty:
        return []
    year = int(d.meta.get("year") or 0)
    base = {_key(f) for f in check(d)}
    L = Ledger(d)
    R = Recorder()
    for rule in within.RULES + between.RULES + narrative.RULES:
        rule(L, R)
    passed = [s for s in L.statements if (c := L.coverage.get(s.no)) and c["passed"] and not c["failed"]]
    rng = random.Random(seed)
    rows = []
    by_text = {s.no: s.text for s in L.statements}
    for kind in kinds:
        pool = passed[:]
        rng.shuffle(pool)
        done = 0
        for s in pool:
            if done >= per_doc:
                break
            planted = plant(kind, s.text, rng, year, by_text.get(s.no - 1))
            if planted is None or planted == s.text:
                continue
            narr = d.narrative.copy()
            hit = narr["text"].str.contains(s.text, regex=False)
            if hit.sum() != 1:
                continue  # the sentence spans paragraphs or repeats: not planted
            i = hit.idxmax()
            narr.loc[i, "text"] = narr.loc[i, "text"].replace(s.text, planted, 1)
            m = copy.copy(d)
            m.__dict__ = {k: v for k, v in d.__dict__.items() if k != "_sentences"}
            m.narrative = narr
            new = [f for f in check(m) if _key(f) not in base and f.status in ("fail", "review")
                   and any(loc.get("page") == s.page for loc in f.locations)]
            sev = min((f.severity for f in new), key=lambda x: {"error": 0, "warning": 1}.get(x, 2), default=None)
            rows.append({"doc": d.doc_id, "kind": kind, "page": s.page, "before": s.text, "after": planted,
                         "caught": sev, "rules": sorted({f.rule for f in new}),
                         "guesses": sorted({g.split(" / ")[-1] for f in new for g in f.guesses})})
            done += 1
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="*", default=[str(ROOT / "data/corpus"), str(ROOT / "data/seed")])
    ap.add_argument("--kinds", default="pct,amount,change,direction,year,copied")
    ap.add_argument("--per-doc", type=int, default=12, help="planted defects per kind and disclosure")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--detail", action="store_true", help="print every missed plant")
    a = ap.parse_args(argv)
    kinds = a.kinds.split(",")
    files = [p for d in a.dirs for p in sorted(Path(d).iterdir()) if p.suffix.lstrip(".") in SUFFIXES]
    groups = group(files)
    rows = []
    for g in groups:
        try:
            rows += measure(g, kinds, a.per_doc, a.seed)
        except Exception as e:  # a bench never stops on one document
            print(f"{g[0].name}: {type(e).__name__}: {e}", file=sys.stderr)
    by = defaultdict(Counter)
    for r in rows:
        by[r["kind"]][r["caught"] or "missed"] += 1
    print(f"{'kind':<10} {'planted':>7} {'error/warn':>10} {'review':>7} {'missed':>7}  recall")
    for kind in kinds:
        c = by[kind]
        n = sum(c.values())
        claim = c["error"] + c["warning"]
        if n:
            print(f"{kind:<10} {n:>7} {claim:>10} {c['review']:>7} {c['missed']:>7}  "
                  f"{(claim + c['review']) / n:.0%} ({claim / n:.0%} as claims)")
    if a.detail:
        guesses = Counter(g for r in rows if r["caught"] == "review" for g in r["guesses"] or ["(none)"])
        print("\nwhy caught only for review (reading guesses):")
        for g, n in guesses.most_common():
            print(f"  {n:>4}  {g}")
        for r in rows:
            if not r["caught"]:
                print(f"MISS {r['kind']:<9} {r['doc']} p{r['page']}: {r['after'][:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
