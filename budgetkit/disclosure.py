"""The output model: one disclosure as tidy, exact, traceable frames."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from budgetkit.reference import kind_names


@dataclass
class PrintedTable:
    """A table as printed: a wide frame whose columns are header label paths."""

    doc_id: str
    index: int
    kind: str
    title: str
    table_no: str | None
    file: str
    pages: list
    unit: str | None
    frame: pd.DataFrame
    column_roles: dict
    continued_pages: int = 0
    guesses: list = field(default_factory=list)  # structural guesses the reading rests on (bilingual)
    row_pages: list = field(default_factory=list)  # the page of each body row (frame row 1 is row_pages[0])
    guess_pages: dict = field(default_factory=dict)  # a guess that concerns only some pages → those pages

    def guesses_at(self, page, units: bool = True) -> list:
        """The guesses a cell printed on ``page`` rests on: a page joined by layout concerns its own rows, not the
        rows printed under the table's title (an unknown page: every guess).  ``units=False`` leaves out a unit
        carried over, which matters only to a figure."""
        from budgetkit.recognise.tables import UNIT_GUESS

        return [g for g in self.guesses
                if (page is None or g not in self.guess_pages or page in self.guess_pages[g])
                and (units or not g.startswith(UNIT_GUESS))]

    @property
    def kind_label(self) -> str:
        zh, en = kind_names().get(self.kind, (self.kind, self.kind))
        return f"{zh} / {en}"

    def __repr__(self) -> str:
        return (f"PrintedTable(#{self.index} {self.kind} {self.title!r} no={self.table_no} "
                f"pages={self.pages} unit={self.unit} shape={self.frame.shape})")


@dataclass
class Disclosure:
    doc_id: str
    meta: dict
    tables: list[PrintedTable]
    amounts: pd.DataFrame
    narrative: pd.DataFrame
    residue: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    errors: list = field(default_factory=list)  # files that could not be read (BadInputError)

    @property
    def targets(self) -> pd.DataFrame:
        """Performance-target indicators, one row each (see :mod:`budgetkit.tidy.targets`)."""
        if "_targets" not in self.__dict__:
            from budgetkit.tidy.targets import performance_targets

            self.__dict__["_targets"] = performance_targets(self)
        return self.__dict__["_targets"]

    @property
    def statements(self) -> pd.DataFrame:
        """Every figure the narrative states, one row each (see :mod:`budgetkit.tidy.statements`)."""
        from budgetkit.tidy.statements import statements

        return statements(self)

    def tables_of(self, kind: str) -> list[PrintedTable]:
        return [t for t in self.tables if t.kind == kind]

    def table(self, kind: str) -> PrintedTable | None:
        found = self.tables_of(kind)
        return found[0] if found else None

    def coverage(self) -> dict:
        recognised = sum(1 for t in self.tables if t.kind != "unknown")
        return {
            "tables": len(self.tables),
            "tables_recognised": recognised,
            "amount_cells": len(self.amounts),
            "residue_cells": len(self.residue),
            "paragraphs": len(self.narrative),
        }

    def __repr__(self) -> str:
        c = self.coverage()
        return (f"Disclosure({self.doc_id!r}, {self.meta.get('department')!r}, {self.meta.get('year')} "
                f"{self.meta.get('stage')}, family={self.meta.get('family')}, tables={c['tables']}, "
                f"amounts={c['amount_cells']}, residue={c['residue_cells']})")
