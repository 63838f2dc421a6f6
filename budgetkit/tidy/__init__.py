"""Stage 3 — tidy: recognised grids → wide printed tables, one long frame of
exact amounts, a residue of what could not be placed, and the narrative."""
