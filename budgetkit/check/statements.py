"""The narrative's statements as the rules read them.

Reading is a tidy-stage product (:mod:`budgetkit.tidy.statements`); this module
re-exports it so that rule code reads ``budgetkit.check.statements`` as before.
"""
from budgetkit.tidy.statements import (AMOUNT, CHANGE, SHARE, Change, Mention, Rate, Sentence,  # noqa: F401
                                       normalise_name, normalise_text, read_sentence, read_statements,
                                       sentences, split_sentences, statements)
