"""Stage 5 — explore: the one public path for notebook widgets, offline charts and the display layer.

    from budgetkit.explore import charts, display, widgets

``budgetkit.charts`` and ``budgetkit.widgets`` are aliases of these modules, kept for old imports.
"""
