"""The bilingual glossary (``reference/glossary.csv``): look up terms and
annotate text with tooltips (``<abbr title=…>``) for notebooks and reports."""
from __future__ import annotations

import html
import re

from budgetkit.reference import load_csv


def entries() -> list[dict]:
    return list(load_csv("glossary.csv"))


def lookup(term: str) -> dict | None:
    t = term.strip()
    for e in entries():
        if e["term"] == t or e["term"].strip("“”") == t.strip("“”"):
            return e
    return None


def english(term: str) -> str:
    e = lookup(term)
    return e["term_en"] if e else term


def annotate(text: str) -> str:
    """HTML of ``text`` where each glossary term carries a bilingual tooltip."""
    terms = sorted((e for e in entries() if e["category"] != "document"), key=lambda e: -len(e["term"]))
    if not terms:
        return html.escape(text)
    pattern = re.compile("|".join(re.escape(e["term"]) for e in terms))
    by_term = {e["term"]: e for e in terms}
    out, last = [], 0
    for m in pattern.finditer(text):
        e = by_term[m.group(0)]
        out.append(html.escape(text[last:m.start()]))
        tip = f"{e['term_en']} — {e['definition_zh']} / {e['definition_en']}"
        out.append(f"<abbr title=\"{html.escape(tip)}\">{html.escape(m.group(0))}</abbr>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)
