"""Alias kept for old imports.  The one public path is :mod:`budgetkit.explore.widgets`
(``from budgetkit.explore import widgets``); this module re-exports it unchanged."""
from budgetkit.explore.widgets import Explorer, FindingsBrowser, PanelBrowser, TargetsBrowser  # noqa: F401
