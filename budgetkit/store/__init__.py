"""Corpus scale: many disclosures in one Parquet store, built in parallel, queried with DuckDB.

``budgetkit build PATH... --out STORE`` (:func:`build`), ``budgetkit.store.open(STORE)`` → DuckDB connection with
a view per table, ``budgetkit query STORE "SQL"``, ``budgetkit.read(path, store=STORE)`` (reopen by sha256) and
``budgetkit store compact STORE`` (:func:`compact`: the pieces merged into a few large files, atomically).
"""
from budgetkit.store.build import build
from budgetkit.store.compact import compact
from budgetkit.store.group import plan
from budgetkit.store.query import frame, load_disclosure, open_store, query

open = open_store  # noqa: A001 - ``budgetkit.store.open(STORE)`` reads as intended

__all__ = ["build", "compact", "plan", "open", "open_store", "query", "frame", "load_disclosure"]
