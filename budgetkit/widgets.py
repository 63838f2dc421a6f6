"""Notebook widgets (see :mod:`budgetkit.explore.widgets`)."""
from budgetkit.explore.widgets import Explorer, FindingsBrowser, TargetsBrowser  # noqa: F401
