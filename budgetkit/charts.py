"""Offline charts (see :mod:`budgetkit.explore.charts`)."""
from budgetkit.explore.charts import composition, composition_chart, enable_offline, to_svg, weights_chart  # noqa: F401
