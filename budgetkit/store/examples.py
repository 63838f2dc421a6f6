"""The named example queries of the documentation, as a user copies them.

The bench (``bench/store_scale.py``) times them on large stores and the tests check that compaction leaves their
answers unchanged; both read them here, from the researcher's guide and the README of a source checkout, so that
an edit of the documentation is what gets timed and tested.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def doc_queries(root: Path | str = ROOT) -> dict[str, str]:
    """``{name: sql}``: each query of the first ``sql`` block of ``docs/guides/researcher.md`` under its ``--``
    comment, and each ``budgetkit query STORE "…"`` of ``README.md`` under its own text."""
    root = Path(root)
    text = (root / "docs" / "guides" / "researcher.md").read_text(encoding="utf-8")
    block = re.search(r"```sql\n(.*?)```", text, re.S).group(1)
    out = {}
    for chunk in re.split(r"\n(?=-- )", block.strip()):
        name, _, sql = chunk.partition("\n")
        out[name.lstrip("- ").strip()] = sql.strip()
    for m in re.finditer(r'budgetkit query \S+ "([^"]+)"', (root / "README.md").read_text(encoding="utf-8")):
        out[m.group(1)] = m.group(1)
    return out
