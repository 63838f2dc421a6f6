"""How many pages of each PDF print a page number budgetkit reads, and how far it is from the PDF page.

    .venv/bin/python bench/page_labels_survey.py ../shared/corpus-breadth/*.pdf

One line per file: pages, pages with a printed number, and each difference (PDF − printed) with its first and
last PDF page and how many pages have it.
"""
from __future__ import annotations

import sys
from pathlib import Path

from budgetkit.errors import BadInputError
from budgetkit.read import open_source
from budgetkit.read.page_labels import printed_pages


def main(paths: list[str]) -> None:
    for f in paths:
        try:
            src = open_source(Path(f), None)
        except BadInputError as exc:
            print(f"{Path(f).name}\tunreadable\t{exc}")
            continue
        labels = printed_pages(src.blocks)
        runs: dict[int, list[int]] = {}
        for (_, page), n in sorted(labels.items()):
            runs.setdefault(page - n, []).append(page)
        said = ", ".join(f"−{k} on pp.{v[0]}–{v[-1]} ({len(v)})" for k, v in runs.items())
        print(f"{Path(f).name}\t{src.n_pages}\t{len(labels)}\t{said}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
