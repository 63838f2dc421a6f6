"""Stage 5 — explore: the one public path for notebook widgets, offline charts and the display layer.

    from budgetkit.explore import charts, display, widgets
"""
