"""Stage 5 — explore: charts that render offline and ipywidgets for notebooks."""
