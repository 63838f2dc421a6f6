"""The bundled documents (data/MANIFEST.csv) as the app offers them: one entry per disclosure, and which
entries form a year-over-year series or a 预算/决算 pair of one unit, read from the manifest, not from names."""
from __future__ import annotations

import csv
import os
import re
from pathlib import Path

SUFFIXES = (".pdf", ".txt", ".docx", ".xlsx")


def data_dir() -> Path | None:
    """The repository's data/ folder (bundled documents), or BUDGETKIT_DATA."""
    for p in (os.environ.get("BUDGETKIT_DATA"), Path(__file__).resolve().parents[2] / "data", Path.cwd() / "data"):
        if p and (Path(p) / "MANIFEST.csv").is_file():
            return Path(p)
    return None


def entries() -> list[dict]:
    """Bundled disclosures, fastest first: label, paths, publisher, year, stage, whole (not an excerpt of pages)."""
    root = data_dir()
    if root is None:
        return []
    groups: dict[str, dict] = {}
    with open(root / "MANIFEST.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            path = root / r["path"]
            if path.suffix.lower() not in SUFFIXES or not path.is_file():
                continue
            key = r["path"]
            if "two-file" in (r.get("notes") or ""):  # the manifest says which files are halves of one
                key = re.sub(r"-(text|tables)(?=\.\w+$)", "", key)
            g = groups.setdefault(key, {
                "label": f"{r['publisher']} {r['year']} {r['stage']} · {Path(key).name}", "paths": [],
                "publisher": r["publisher"], "year": r["year"], "stage": r["stage"],
                "seed": r["path"].startswith("seed/"),
                # an excerpt says which pages of which document it holds: not a year of a series
                "whole": not re.search(r"\bpages?\b", r.get("source") or "")})
            g["paths"].append(path)
    for g in groups.values():
        g["paths"].sort(key=lambda p: "tables" in p.name)
    return sorted(groups.values(), key=lambda g: (not g["seed"], g["paths"][0].suffix != ".txt", g["label"]))


def bundled() -> dict[str, list[Path]]:
    """Bundled disclosures: label → its file(s); a two-file disclosure is one entry."""
    return {g["label"]: g["paths"] for g in entries()}


def series_of(entry: dict, pool: list[dict]) -> list[dict]:
    """The whole bundled disclosures of ``entry``'s publisher and stage, one per year, oldest first; a series
    needs two years or more."""
    by_year: dict[str, dict] = {}
    for g in pool:
        if g["whole"] and g["publisher"] == entry["publisher"] and g["stage"] == entry["stage"]:
            by_year.setdefault(g["year"], g)
    if entry["whole"] and entry["year"] in by_year:
        by_year[entry["year"]] = entry  # the chosen file stands for its year
    return [by_year[y] for y in sorted(by_year)] if len(by_year) >= 2 else []


def pair_of(entry: dict, pool: list[dict]) -> tuple[dict, dict] | None:
    """(预算, 决算) of ``entry``'s publisher and year when both are bundled."""
    other = {"预算": "决算", "决算": "预算"}.get(entry["stage"])
    match = next((g for g in pool if g["whole"] and g["publisher"] == entry["publisher"]
                  and g["year"] == entry["year"] and g["stage"] == other), None)
    if match is None or not entry["whole"]:
        return None
    return (entry, match) if entry["stage"] == "预算" else (match, entry)


def series_label(group: list[dict]) -> str:
    years = [g["year"] for g in group]
    return f"{group[0]['publisher']} {years[0]}–{years[-1]} {group[0]['stage']}"


def example_series(pool: list[dict]) -> dict[str, list[dict]]:
    """Every bundled series, labelled as an example."""
    out: dict[str, list[dict]] = {}
    for g in pool:
        s = series_of(g, pool)
        if s:
            out.setdefault(f"示例 / example · {series_label(s)}", s)
    return out


def bundled_series() -> dict[str, list[list[Path]]]:
    """Bundled multi-year series of one unit: label → the files of each year."""
    return {k: [g["paths"] for g in s] for k, s in example_series(entries()).items()}
