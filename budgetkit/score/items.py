"""The scorecard items: one function per item id, each returning a :class:`Rating`.

Every item reads what ``read`` and ``check`` already produced (tables, amounts, narrative, findings); none
changes them.  An item whose table is ``unknown`` or whose reading is a guess is N/E (not evaluable), never 0:
a reading failure must not look like a disclosure failure.  Levels are the OBS scale 100/67/33/0.
"""
from __future__ import annotations

from budgetkit.score.items_accuracy import _EMPTY_REASON, _YEAR_IN_TITLE, _q, q01, q02, q03, q04, q05  # noqa: F401
from budgetkit.score.items_context import (LEVELS, STOP, _SPACED, _TOC, Context, Rating, _guessed,  # noqa: F401
                                           _labels, _level, count_level, finding_ev, ladder, quote, table_ev)
from budgetkit.score.items_form import _PICTURE, f01, f02, f03, f04  # noqa: F401
from budgetkit.score.items_granularity import (_ANCHORS, _CHANGE, _SOURCES, _THREE, _total_column, g01,  # noqa: F401
                                               g02, g03, g04, g05, g06, g07)
from budgetkit.score.items_narrative import (_REASON, _TERMS, _TERMS_FINAL, _section, n01, n02, n03,  # noqa: F401
                                             n04, n05, n06, n07, n08, n09, n10, n11, n12)
from budgetkit.score.items_performance import _COVER, _COVER_ALL, p01, p02, p03, p04  # noqa: F401
from budgetkit.score.items_tables import CORE, EXTRA, STANDS_FOR, t01, t02, t03  # noqa: F401


ITEMS = {
    "TS-F01": f01, "TS-F02": f02, "TS-F03": f03, "TS-F04": f04,
    "TS-T01": t01, "TS-T02": t02, "TS-T03": t03,
    "TS-G01": g01, "TS-G02": g02, "TS-G03": g03, "TS-G04": g04, "TS-G05": g05, "TS-G06": g06, "TS-G07": g07,
    "TS-N01": n01, "TS-N02": n02, "TS-N03": n03, "TS-N04": n04, "TS-N05": n05, "TS-N06": n06, "TS-N07": n07,
    "TS-N08": n08, "TS-N09": n09, "TS-N10": n10, "TS-N11": n11, "TS-N12": n12,
    "TS-P01": p01, "TS-P02": p02, "TS-P03": p03, "TS-P04": p04,
    "TS-Q01": q01, "TS-Q02": q02, "TS-Q03": q03, "TS-Q04": q04, "TS-Q05": q05,
}
