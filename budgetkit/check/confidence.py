"""Reading confidence: a failed comparison that rests on a structural guess is ``review``.

Recognise and tidy record each guess with its table (a kind inferred from
content, a continuation joined by layout alone, a column role inferred with
no header, a unit carried over from the table before).  A finding that cites
such a table is not an error or a warning: it names the guess, and a reader
looks at the page before quoting it.
"""
from __future__ import annotations

# rule families that judge a table as a whole (its parts against its totals, its rows present)
WHOLE_TABLE = frozenset({"within", "completeness"})


def rest_on_guesses(disclosure, findings) -> None:
    by_index = {t.index: t for t in disclosure.tables}
    by_title = {}
    for t in disclosure.tables:
        by_title.setdefault(t.title, []).append(t)
    for f in findings:
        if f.status != "fail":
            continue
        guesses: list[str] = []
        for loc in f.locations:
            tables = []
            if loc.get("table_index") is not None and loc["table_index"] in by_index:
                tables = [by_index[loc["table_index"]]]
            elif loc.get("table_title"):
                tables = [t for t in by_title.get(loc["table_title"], [])
                          if loc.get("page") is None or loc["page"] in t.pages]
            figures = f.expected is not None or f.actual is not None
            for t in tables:
                # a table's own sums rest on every page of it; a cell elsewhere only on the guesses of its page
                page = None if f.family in WHOLE_TABLE else loc.get("page")
                guesses += [g for g in t.guesses_at(page, units=figures) if g not in guesses]
        if guesses:
            f.rests_on(guesses)
