"""Write docs/scorecard.md, the scorecard's methods, from budgetkit/reference/scorecard.csv and real scorecards.

    python docs/gen_scorecard.py       # every item: source, check, cut-offs, weights, one real example from data/

It scores the documents of EXAMPLE_DOCS (about a minute of CPU, two processes), so `make docs` does not run it;
docs/scorecard.md is committed.  Edit scorecard.csv or the methods text below, then run this again.
"""
from __future__ import annotations

import argparse
import html
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "scorecard.md"

# whole disclosures as published (no excerpt): two budgets of 2026, a 决算, a university budget, a street office
EXAMPLE_DOCS = [
    ["data/corpus/gd-guangzhou-stats-2026-budget.pdf"],
    ["data/corpus/cn-central-xinfang-2024-final.pdf"],
    ["data/corpus/zj-hangzhou-meteo-2026-budget.pdf"],
    ["data/corpus/cq-swu-2023-budget.pdf"],
    ["data/corpus/sh-putuo-wanli-street-2024-budget.pdf"],
]

METHODS = """\
## How a disclosure is scored / 怎样评分

- **Items and weights are data.** `budgetkit/reference/scorecard.csv` lists the 35 items (F form 6, T tables 17,
  G granularity 26, N narrative 29, P performance 12, Q accuracy 10 = 100 points for each stage; a few weights
  differ between 预算 and 决算). `budgetkit score FILE --weights W.csv` or `budgetkit.score(d, weights={...})`
  applies your own weights.
- **Levels** follow the Open Budget Survey's scale: 100 full, 67 mostly (one element missing), 33 minimal, 0 absent.
  Ratio items map to these levels at the cut-offs listed under each item.
- **Three states besides a level.** *N/A*: the item does not apply (a 预算 has no self-evaluation, TS-P03). *N/E*:
  it cannot be evaluated from the file — the table it needs is `unknown` or unread, or the reading is a guess.
  *Bonus* (TS-T03): shown, not added to the 100.
- **N/E is neither 0 nor full marks / N/E 不是 0 分，也不是满分.** A table that was not read may be the file's
  fault or the reader's; counted as 0 it would become "the government did not disclose", a false claim someone
  may publish; counted as full marks it would reward files that cannot be read. The total is therefore over the
  scored items only, Σ wᵢ·levelᵢ / Σ wᵢ, and beside it the **coverage**, the scored weight over the weight that
  applies: "92.5 / 100, coverage 84%".
- **Accuracy (Q) is gated on confidence.** Only error-level findings that rest on confident readings count; a
  finding resting on a reading guess is a review, not a deduction; Q is capped at its 10 points.
- **Accuracy counts problems, by rule family / 按问题计、按规则族归项.** Q01 counts the within-table rules, Q02 the
  between-table rules, Q03 the text-against-table rules, Q05 the year-over-year rule (and N06):
  `budgetkit/reference/score_accuracy.csv` maps a family, or a named rule, to its item, so a rule added to a
  family (W05, units adding up to the department row) counts without a list of ids to update. One printed
  discrepancy seen by several rules or columns (a unit's 合计 leaving out its 上年结转: six W03 and two W05
  findings) is one problem, one step down, as `budgetkit check` counts it.
- **What a table prints counts as stated.** An SME amount printed as a column beside the procurement total
  (深圳's 支出总表: 其中：预留给中小企业的项目资金规模) is a stated SME amount (TS-N09), as the text's is. Labels are
  matched in the one spelling the checks compare names in (其它/其他, brackets, spaces: `normalise_name`).
- **Evidence.** Every level below 100, and every 100 that rests on a figure, carries its evidence: file, page,
  table, row or a quote. `budgetkit score FILE` prints it; the store's `scores` table keeps it with the page.

## League tables / 排名表

`budgetkit score STORE` (a store built by `budgetkit build`) ranks the disclosures of the store; so do notebook
07 and `budgetkit.explore.league_view.league_panel(store)`.

- **Peers only / 只比同类**: a ranking compares disclosures of the same stage (预算/决算), the same year and the same
  level. The level comes from the scope the document prints, mapped by `budgetkit/reference/league_levels.csv`:
  部门, 汇总 and 合并 are departments; 单位 is a unit; 本级 and 机关本级 are compared only with each other.
  A disclosure whose stage, year or level was not identified is listed and not ranked.
- **Coverage beside every total / 总分旁边总有覆盖率.** An entry whose coverage is below 80% (`--min-coverage`) is
  marked and not ranked: its total rests on fewer items than its peers'. A part whose coverage is below the
  threshold is shown with `*` and not ranked on that part.
- **Not read is N/E / 读不了是 N/E.** A disclosure the store could not read, or refused (no budget table
  recognised, a scan, no amount read), is listed as not scored (N/E), never 0, in a group of its own
  (未评分 / not scored) after the ranked ones, under its file name and with the reason the build recorded — never
  under a department or year read from a file that is not a budget. In the workbook a stage or level not
  identified reads 「未知 / unknown」.
- **Page excerpts are not disclosures.** A file the manifest describes as a few pages of a disclosure (what
  `scripts/excerpt_pages.py` writes in `source`: "pages 13,17 of …") is listed and not ranked.
- `--by N` (or F, T, G, P, Q) ranks by one part; `--format text|md|html|json|xlsx --out FILE`. The xlsx has the
  league (scores and ranks as numbers, an auto-filter), every item of every scorecard with its page, and how to
  read it.

Measured on 2026-12-06 (`budgetkit build data/ --manifest data/MANIFEST.csv --out out/store`, then
`budgetkit score out/store`): all 50 disclosures of `data/` have a scorecard. 20 are ranked, in 11 groups of
peers; 22 are page excerpts, 7 are the seed sample's renderings, whose level (部门/单位) is not printed, and one
(西南大学 2023 决算) has coverage 74.5%: all 30 are listed and marked, not ranked. On the 28 whole disclosures,
195 item levels are below 100; 194 carry evidence — 105 a page, the others a quote or the statement of what was
looked for and not found (no SME figure, no asset section) — and one carries none (TS-G06 on the seed's text
export, whose narrative gives no comparative). The last count is
`budgetkit query out/store "SELECT count(*), count(*) FILTER (WHERE evidence = '[]') FROM scores WHERE status =
'scored' AND level < 100"` with the excerpts left out (their manifest `source` reads "pages … of").
"""


def md(text) -> str:
    return html.escape(str(text), quote=False).replace("*", r"\*").replace("_", r"\_").replace("`", r"\`")


def cell(text) -> str:
    return md(text).replace("|", r"\|").replace("\n", " ")


def _score_one(paths: list[str]) -> list[dict]:
    """Each item of one disclosure's scorecard, as plain records (they cross a process boundary)."""
    import budgetkit
    from budgetkit.score import score

    d = budgetkit.read([str(ROOT / p) for p in paths])
    s = score(d)
    return [i.to_dict() | {"stage": d.meta.get("stage")} for i in s.items]


def examples() -> dict[str, tuple]:
    """{item: (record, files)}: a level below 100 with a page first, then a scored level with evidence."""
    def rank(r):
        has_page = any(e.get("page") is not None for e in r["evidence"])
        if r["status"] == "scored" and r["level"] < 100 and has_page:
            return 0
        if r["status"] in ("scored", "bonus") and r["evidence"]:
            return 1 if has_page else 2
        return 3 if r["status"] in ("scored", "bonus") else 4
    best: dict[str, tuple] = {}
    with ProcessPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1))) as pool:
        futures = [pool.submit(_score_one, paths) for paths in EXAMPLE_DOCS]
        for paths, fut in zip(EXAMPLE_DOCS, futures):  # in the list's order: the choice does not depend on timing
            try:
                found = fut.result()
            except Exception as exc:  # a document that fails gives no example; the page is still written
                print(f"gen_scorecard: {paths[0]}: {exc!r}", file=sys.stderr)
                continue
            for r in found:
                if r["id"] not in best or rank(r) < rank(best[r["id"]][0]):
                    best[r["id"]] = (r, paths)
    return best


def example_md(r, paths) -> list[str]:
    from budgetkit.score.engine import STATUS_NAMES
    from budgetkit.score.report import _ev

    files = ", ".join(f"`{Path(p).name}`" for p in paths)
    level = r["level"] if r["status"] in ("scored", "bonus") else f"{r['status']} ({STATUS_NAMES[r['status']][1]})"
    out = [f"**Example** from {files} ({r['stage']}): level **{level}**", "", f"> {md(r['why'])}", ">",
           f"> {md(r['why_en'])}"]
    ev = [e for e in r["evidence"] if e][:3]
    if ev:
        out += [">"] + [f"> - {md(_ev(e))}" for e in ev]
    return out + [""]


def render(found: dict | None) -> str:
    from budgetkit.score.engine import PARTS, scorecard_items

    rows = scorecard_items()
    lines = ["# Transparency scorecard / 透明度评分", "",
             "<!-- generated by docs/gen_scorecard.py from budgetkit/reference/scorecard.csv: edit that file or the "
             "script, then run `python docs/gen_scorecard.py` -->", "",
             "`budgetkit score` rates how completely and properly one 部门预算/部门决算 disclosure discloses what the "
             "rules require, item by item, with the evidence for every point; `budgetkit score STORE` ranks the "
             "disclosures of a store against their peers. The items follow the legal and policy rules (预算法 §14, "
             "预算法实施条例 §6, 财预〔2016〕143号, the 2019 标准目录) and the independent indices and checklists "
             "(Open Budget Survey, IMF Fiscal Transparency Code, PEFA, the Putuo district inspection checklist).",
             "", METHODS, "## Items / 评分项目", "",
             "| id | 项目 | item | 预算 | 决算 |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| [{r['id']}](#{r['id']}) | {cell(r['title_zh'])} | {cell(r['title_en'])} | "
                     f"{r['weight_budget'] or 'N/A'} | {r['weight_final'] or 'N/A'} |")
    lines.append("")
    if found is not None:
        lines += ["Each item shows one real scorecard line from a document in `data/` (a level below 100 with its "
                  "page when one of the documents gives one, else a scored level with its evidence): "
                  + ", ".join(f"`{Path(p[0]).name}`" for p in EXAMPLE_DOCS) + ".", ""]
    for part, (zh, en) in PARTS.items():
        lines += [f"### {part} — {zh} / {en}", ""]
        for r in (x for x in rows if x["part"] == part):
            lines += [f"#### {r['id']} — {md(r['title_zh'])} {{ #{r['id']} }}", "", f"*{md(r['title_en'])}*", "",
                      "| | |", "|---|---|",
                      f"| weight 预算 / 决算 | {r['weight_budget'] or 'N/A'} / {r['weight_final'] or 'N/A'} |",
                      f"| check / 检查 | {cell(r['checks'])} |",
                      f"| cut-offs / 等级分界 | {cell(r['cutoffs'])} |",
                      f"| source / 依据 | {cell(r['basis']) or '—'} |",
                      f"| feeds from / 来自 | {cell(r['source_rule']) or '—'} |", ""]
            if found is not None:
                lines += example_md(*found[r["id"]]) if r["id"] in found else [
                    "*No scorecard line of this item in the documents scored for examples.*", ""]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-examples", action="store_true", help="the items only, without scoring data/")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    found = None if args.no_examples else examples()
    args.out.write_text(render(found), encoding="utf-8")
    print(f"{args.out}: 35 items" + ("" if found is None else f", {len(found)} with a real example"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
