"""Stage 2 — recognise: which table is this, by its printed meaning.

Titles are matched against the catalogue in ``budgetkit/reference``; caption
rows (title, 部门, 单位) are peeled off; tables continued over pages are
joined; header rows are told apart from body rows.
"""
