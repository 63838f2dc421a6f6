"""Reference data kept as data: table catalogue, header vocabulary, glossaries.

Code reads these CSV files; supporting a new template means adding rows.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load_csv(name: str) -> tuple[dict, ...]:
    with resources.files(__package__).joinpath(name).open(encoding="utf-8") as fh:
        return tuple(dict(r) for r in csv.DictReader(fh))


def header_terms(role: str) -> tuple[str, ...]:
    return tuple(r["term"] for r in load_csv("header_terms.csv") if r["role"] == role)


def kind_names() -> dict[str, tuple[str, str]]:
    return {r["kind"]: (r["name_zh"], r["name_en"]) for r in load_csv("table_kind_names.csv")}
