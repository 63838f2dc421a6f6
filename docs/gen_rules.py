"""Write docs/rules.md, the rules reference, from budgetkit/reference/rules.csv.

    python docs/gen_rules.py              # every rule: titles, severity, inputs, tolerance, where it does not hold
    python docs/gen_rules.py --examples   # and one real finding per rule from the documents in data/

`make docs` runs it with --examples before `mkdocs build`.  docs/rules.md is generated: edit rules.csv, not it.
"""
from __future__ import annotations

import argparse
import html
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "budgetkit" / "reference" / "rules.csv"
OUT = ROOT / "docs" / "rules.md"

FAMILIES = {
    "within": ("表内", "within one table"),
    "between": ("表间", "between tables"),
    "narrative": ("表文", "text against tables"),
    "completeness": ("完整性", "completeness"),
    "performance": ("绩效目标", "performance targets"),
    "yoy": ("跨年", "year over year"),
    "execution": ("预决算", "budget against final accounts"),
}

TOLERANCES = {
    "n_terms": "a sum of n printed figures may differ from its printed total by half the last printed digit of "
               "each term and of the total (n × 0.005 + 0.005 for figures printed to 0.01): such a difference "
               "is rounding (info), not an error",
    "two_values": "two printed figures may differ by half the last printed digit of each (0.01 for two figures "
                  "printed to 0.01): such a difference is rounding (info)",
    "percent": "a percentage may differ from the one its figures give by half its own last printed digit plus "
               "what the figures' rounding allows",
    "none": "no tolerance: the rule compares words, counts or the presence of a table",
    "": "no numeric tolerance",
}

# A real finding per rule from these documents of data/ (about 8 s of CPU, two processes): between them they give an
# example of most rules; a rule none of them triggers says so.
EXAMPLE_DOCS = [
    ["data/seed/leshan-shizhong-shebao-2023-budget.pdf"],
    ["data/corpus/sh-putuo-wanli-street-2024-budget.pdf"],
    ["data/corpus/cq-swu-2023-budget.pdf"],
    ["data/corpus/sd-yantai-audit-2026-budget.pdf"],
    ["data/excerpts/zj-hangzhou-police-2026-budget-p21-p22.pdf"],  # a table printed unit by unit (W05)
]
# which finding shows a rule best: a claim first, then a reading to review, then the notes
PREFERENCE = {"fail": 0, "review": 1, "rounding": 2, "note": 3}


def md(text: str) -> str:
    """Plain text as Markdown: HTML and emphasis characters escaped."""
    return html.escape(str(text), quote=False).replace("*", r"\*").replace("_", r"\_").replace("`", r"\`")


def cell(text: str) -> str:
    return md(text).replace("|", r"\|").replace("\n", " ")


def _check_one(paths: list[str]) -> list[SimpleNamespace]:
    """The findings of one disclosure, as plain records (they cross a process boundary)."""
    import budgetkit

    d = budgetkit.read([str(ROOT / p) for p in paths])
    return [SimpleNamespace(rule=f.rule, status=f.status, severity=f.severity, message=f.message,
                            message_en=f.message_en, locations=list(f.locations)) for f in budgetkit.check(d)]


def examples() -> dict[str, tuple]:
    """{rule: (finding, document files)}: the first finding of the preferred status for each rule."""
    best: dict[str, tuple] = {}
    docs = [paths for paths in EXAMPLE_DOCS if all((ROOT / p).exists() for p in paths)]
    with ProcessPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1))) as pool:
        futures = [pool.submit(_check_one, paths) for paths in docs]
        for paths, fut in zip(docs, futures):  # in the list's order, so the choice does not depend on timing
            try:
                found = fut.result()
            except Exception as exc:  # a document that fails gives no example; the reference is still written
                print(f"gen_rules: {paths[0]}: {exc!r}", file=sys.stderr)
                continue
            for f in found:
                rank = PREFERENCE.get(f.status)
                if rank is not None and (f.rule not in best or rank < PREFERENCE[best[f.rule][0].status]):
                    best[f.rule] = (f, paths)
    return best


def _pages(f, paths) -> str:
    """The pages a finding cites ("pp. 4, 2"; with the file's name when the disclosure is several files)."""
    seen = []
    for loc in f.locations:
        where = (Path(str(loc.get("file") or "")).name, loc.get("page"))
        if where[1] is not None and where not in seen:
            seen.append(where)
    if not seen:
        return ""
    if len(paths) == 1:
        pages = [str(page) for _, page in seen]
        return ("p. " if len(pages) == 1 else "pp. ") + ", ".join(pages)
    return "; ".join(f"{name} p. {page}" for name, page in seen)


def example_md(f, paths) -> list[str]:
    files = ", ".join(f"`{Path(p).name}`" for p in paths)
    status = {"fail": f.severity, "review": "review / 待核对", "rounding": "rounding / 舍入差异",
              "note": "note / 已解释"}[f.status]
    pages = _pages(f, paths)
    out = [f"**Example** ({status}) from {files}" + (f", {md(pages)}" if pages else "") + ":", ""]
    out += [f"> {md(f.message)}", ">", f"> {md(f.message_en)}"]
    cells = []
    for loc in f.locations[:4]:
        if loc.get("raw") is None:
            continue
        where = " ".join(str(loc.get(k)) for k in ("table_title", "table_no") if loc.get(k))
        cells.append(f"{where} p. {loc.get('page')}: 「{loc.get('row_label', '')}」 × "
                     f"「{loc.get('column_label', '')}」 = {loc.get('raw')}")
    if cells:
        out += [">"] + [f"> - {md(c)}" for c in cells]
    return out + [""]


def render(rules: pd.DataFrame, found: dict | None) -> str:
    lines = ["# Rules reference / 核对规则", "",
             "<!-- generated by docs/gen_rules.py from budgetkit/reference/rules.csv: edit that file, not this -->",
             "",
             f"budgetkit checks a disclosure with {len(rules)} rules. Each is a row of "
             "`budgetkit/reference/rules.csv`: its id, titles in Chinese and English, severity, the tables or "
             "text it needs, its tolerance, where it does not hold, and its basis. A rule that lacks its inputs "
             "is reported as *not evaluated*, with the reason; a difference within the tolerance is *rounding*; "
             "a finding resting on a reading guess is *review* — see "
             "[how reading and checking work](reading.md).", ""]
    if found is not None:
        lines += ["Each rule shows one real finding from a document in `data/` when one of the checked documents "
                  "gives one (a claim first, then a review, a rounding difference or an explained difference). "
                  "The seed sample `leshan-shizhong-shebao-2023-budget` carries planted defects; the corpus "
                  "documents are as published.", ""]
    lines += ["| rule | 规则 | rule (English) | severity |", "|---|---|---|---|"]
    for r in rules.itertuples():
        lines.append(f"| [{r.id}](#{r.id}) | {cell(r.title_zh)} | {cell(r.title_en)} | {r.severity} |")
    lines.append("")
    for fam, group in rules.groupby("family", sort=False):
        zh, en = FAMILIES.get(fam, (fam, fam))
        lines += [f"## {zh} / {en}", ""]
        for r in group.itertuples():
            lines += [f"### {r.id} — {md(r.title_zh)} {{ #{r.id} }}", "", f"*{md(r.title_en)}*", ""]
            tol = str(r.tolerance).strip()
            tol_text = TOLERANCES.get(tol)
            tol_cell = (f"`{tol}`: {cell(tol_text)}" if tol and tol_text
                        else cell(tol) if tol else cell(tol_text or ""))
            lines += [f"| rule / 规则 | {r.id} ({cell(FAMILIES.get(fam, (fam, fam))[1])}) |", "|---|---|",
                      f"| severity / 级别 | {r.severity} |",
                      f"| checks / 核对 | {cell(r.title_en)} |",
                      f"| needs / 需要 | {cell(r.needs) or '—'} |",
                      f"| tolerance / 容差 | {tol_cell} |",
                      f"| basis / 依据 | {cell(r.basis) or '—'} |", ""]
            if str(r.does_not_hold).strip():
                lines += [f"**Where it does not hold / 不适用：** {md(r.does_not_hold)}", ""]
            if found is not None:
                if r.id in found:
                    lines += example_md(*found[r.id])
                else:
                    lines += ["*No finding of this rule in the documents checked for examples.*", ""]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", action="store_true", help="add one real finding per rule from data/")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    rules = pd.read_csv(RULES, dtype=str, keep_default_na=False)
    found = examples() if args.examples else None
    args.out.write_text(render(rules, found), encoding="utf-8")
    n = len(found) if found is not None else 0
    print(f"{args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: {len(rules)} rules"
          + (f", {n} with a real example" if found is not None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
