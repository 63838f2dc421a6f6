"""Narrative against tables: stated amounts, shares, changes and names (rules N01…N12).

- :mod:`~budgetkit.check.narrative.facts` — what the tables print, as the text names it (:class:`Facts`);
- :mod:`~budgetkit.check.narrative.subjects` — a sentence's subject and the table line it names;
- :mod:`~budgetkit.check.narrative.compare` — one stated amount against the tables' figure;
- :mod:`~budgetkit.check.narrative.amounts` — amounts and shares (N01, N02, N05), project counts, restated figures;
- :mod:`~budgetkit.check.narrative.names` — (类)(款)(项) names and classes (N06), retired names (N10);
- :mod:`~budgetkit.check.narrative.changes` — year-over-year changes and comparisons (N03, N04, N07, N09);
- :mod:`~budgetkit.check.narrative.rates` — completion and score rates (N08);
- :mod:`~budgetkit.check.narrative.lists` — lists and parts (N11, N12);
- :mod:`~budgetkit.check.narrative.coverage` — statement coverage marks.
"""
# the rules, and the names other modules import from budgetkit.check.narrative
from budgetkit.check.narrative.amounts import amounts_and_shares, project_count, restated_figures
from budgetkit.check.narrative.changes import consistent_bases, stated_changes
from budgetkit.check.narrative.facts import Facts, _facts
from budgetkit.check.narrative.lists import count_lists, parts_within_total, three_public_changes
from budgetkit.check.narrative.names import old_class_names
from budgetkit.check.narrative.rates import score_rates
from budgetkit.check.narrative.subjects import _prefix_ok, _resolve_phrase, inherited_subject

RULES = [amounts_and_shares, stated_changes, project_count, old_class_names, consistent_bases, parts_within_total,
         count_lists, three_public_changes, score_rates, restated_figures]
