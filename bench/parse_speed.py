"""Benchmark (not a test): `budgetkit parse` against a bare pdfplumber pass.

The bare pass runs extract_tables() and extract_text() on every page of the
same files.  Prints seconds for each and their ratio; the target is ≤ 1.0×.

    make bench            # or: python bench/parse_speed.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import pdfplumber

import budgetkit

ROOT = Path(__file__).resolve().parents[1]


def disclosures() -> list[list[Path]]:
    corpus = ROOT / "data" / "corpus"
    docs = [[p] for p in sorted(corpus.glob("sh-*.pdf"))]
    for y in (2017, 2018, 2019):
        docs.append([corpus / f"js-provincial-party-office-{y}-budget-text.pdf",
                     corpus / f"js-provincial-party-office-{y}-budget-tables.pdf"])
    docs.append([ROOT / "data" / "seed" / "leshan-shizhong-shebao-2023-budget.pdf"])
    return docs


def bare_pass(paths) -> int:
    pages = 0
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.extract_text()
                pages += 1
    return pages


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    docs = disclosures()
    best_bare = best_kit = float("inf")
    pages = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        pages = sum(bare_pass(d) for d in docs)
        best_bare = min(best_bare, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for d in docs:
            budgetkit.read(d)
        best_kit = min(best_kit, time.perf_counter() - t0)
    print(f"pages: {pages}")
    print(f"bare pdfplumber (extract_tables + extract_text): {best_bare:.2f} s ({pages / best_bare:.1f} pages/s)")
    print(f"budgetkit.read (full parse):                    {best_kit:.2f} s ({pages / best_kit:.1f} pages/s)")
    print(f"ratio budgetkit / bare: {best_kit / best_bare:.2f}x  (target ≤ 1.00x)")


if __name__ == "__main__":
    main()
