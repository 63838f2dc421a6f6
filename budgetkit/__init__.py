"""budgetkit: read, reconcile and explore Chinese department budget disclosures.

The pipeline runs read → recognise → tidy → check → report/explore; each stage
lives in its own sub-package.  ``budgetkit.read`` is the front door.
"""
from budgetkit.errors import BadInputError
from budgetkit.disclosure import Disclosure, PrintedTable
from budgetkit.pipeline import read
from budgetkit.check import check
from budgetkit.yoy import compare
from budgetkit.execution import execution
from budgetkit.tidy.statements import statements
from budgetkit.score import score, score_many

__all__ = ["read", "check", "compare", "score", "score_many", "execution", "statements", "Disclosure", "PrintedTable", "BadInputError"]
__version__ = "0.1.0"
