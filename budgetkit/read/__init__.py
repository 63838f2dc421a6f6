"""Stage 1 — read: files → blocks of prose lines and raw table grids.

Readers know nothing of budgets; they only turn a PDF or a Word-export text
into :class:`~budgetkit.read.blocks.RawTable` and
:class:`~budgetkit.read.blocks.ProseLine` blocks in reading order.
"""
from budgetkit.read.sources import SourceDocument, open_source

__all__ = ["SourceDocument", "open_source"]
