"""Cut pages out of a real disclosure into data/excerpts/ and list them in data/MANIFEST.csv.

Tests cannot rely on files outside the repository, and whole disclosures are large: an excerpt of the pages
a test needs is the real page (text layer, ruling and all), small enough to vendor.

    python scripts/excerpt_pages.py SRC.pdf 12-13,22 NAME --publisher 苏州市水务局 --family jiangsu \
        --year 2026 --stage 预算 --notes "收入总表 with a 部门代码 column"
"""
from __future__ import annotations

import argparse
import csv
import hashlib
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "data" / "MANIFEST.csv"


def page_list(spec: str) -> list[int]:
    """'3-5,9' → [3, 4, 5, 9] (1-based, as printed by budgetkit)."""
    pages: list[int] = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        pages.extend(range(int(a), int(b or a) + 1))
    return pages


def excerpt(src: Path, pages: list[int], out: Path) -> str:
    doc = pdfium.PdfDocument(str(src))
    new = pdfium.PdfDocument.new()
    new.import_pages(doc, [p - 1 for p in pages])
    out.parent.mkdir(parents=True, exist_ok=True)
    new.save(str(out))
    return hashlib.sha256(out.read_bytes()).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("pages")
    ap.add_argument("name", help="file name under data/excerpts/ (without .pdf)")
    ap.add_argument("--publisher", required=True)
    ap.add_argument("--family", required=True)
    ap.add_argument("--year", required=True)
    ap.add_argument("--stage", default="预算")
    ap.add_argument("--notes", default="")
    a = ap.parse_args()
    out = ROOT / "data" / "excerpts" / f"{a.name}.pdf"
    sha = excerpt(a.src, page_list(a.pages), out)
    rel = out.relative_to(ROOT / "data").as_posix()
    rows = [r for r in csv.DictReader(MANIFEST.open(encoding="utf-8")) if r["path"] != rel]
    rows.append({"path": rel, "source": f"published disclosure, pages {a.pages} of {a.src.name}",
                 "publisher": a.publisher, "family": a.family, "year": a.year, "stage": a.stage,
                 "sha256": sha, "notes": a.notes})
    with MANIFEST.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{out} ({len(page_list(a.pages))} pages, sha256 {sha[:16]})")


if __name__ == "__main__":
    main()
