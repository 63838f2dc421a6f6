"""The neutral shapes readers emit, whatever the input format."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ProseLine:
    """One line (PDF) or paragraph (Word text) outside any table."""

    text: str
    page: int | None
    file: str
    x1: float | None = None  # right end of a PDF line: tells a wrapped line from a paragraph end
    height: float | None = None


@dataclass
class RawTable:
    """A table grid exactly as the reader found it.

    ``rows`` hold cell text; ``None`` marks a position covered by a merged
    cell.  ``owners`` (PDF only) maps each position to the top-left position
    of the cell that covers it; for Word text it is ``None`` and column
    alignment is inferred later.  ``row_pages`` gives the page of each row.
    """

    rows: list[list[str | None]]
    row_pages: list[int | None]
    file: str
    owners: list[list[tuple[int, int]]] | None = None
    context: list[str] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None
    col_edges: list[float] | None = None
    # (PDF) for each cell at the table's foot (by its first column): the room left at the end of its last line,
    # in ems of its type — less than the next word needs is a line the cell's width broke, and the row may go
    # on on the next page
    foot_room: dict[int, float] = field(default_factory=dict)

    @property
    def page(self) -> int | None:
        return self.row_pages[0] if self.row_pages else None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)
