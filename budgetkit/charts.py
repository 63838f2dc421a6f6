"""Alias kept for old imports.  The one public path is :mod:`budgetkit.explore.charts`
(``from budgetkit.explore import charts``); this module re-exports it unchanged."""
from budgetkit.explore.charts import (  # noqa: F401
    composition, composition_chart, enable_offline, to_svg, top_movers, totals_by_year, waterfall, weights_chart)
