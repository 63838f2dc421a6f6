"""Benchmark (not a test): `budgetkit.read` against a bare pdfplumber pass, and the longest documents.

The bare pass runs extract_tables() and extract_text() on every page of the same file.  The two run one after
the other for each file (so a machine loaded by other work slows both alike), timed in CPU seconds of this
process; the target is read ≤ 0.6× bare.  Files: every PDF of ../shared/corpus when that folder exists (a
maintainer's checkout), else data/corpus.  The large-document section reads the longest PDFs it finds (and one
built by joining them, 300+ pages), each in a fresh process: pages, amounts, seconds, seconds per page and that
process's peak resident memory.

    make bench            # or: python bench/parse_speed.py [--files N] [--large N] [--no-bare]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def corpus() -> list[list[Path]]:
    """The corpus's disclosures: a -text and a -tables file of one disclosure are read together."""
    sys.path.insert(0, str(ROOT / "bench"))
    from reading_quality import group

    folder = SHARED / "corpus"
    if not folder.is_dir():
        folder = ROOT / "data" / "corpus"
    return group(sorted(folder.glob("*.pdf")))


def bare_pass(paths: list[Path]) -> int:
    import pdfplumber

    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.extract_text()
                page.close()
                pages += 1
    return pages


def full_read(paths: list[Path]):
    import budgetkit

    try:
        return budgetkit.read(paths)
    except budgetkit.BadInputError as exc:  # read to the end, then refused: the reading cost was paid
        return exc


def timed(fn, *args):
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn(*args)
    return out, time.process_time() - c0, time.perf_counter() - w0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def one(path: str) -> None:
    """Child process: read one file, print pages, amounts, CPU and wall seconds and peak RSS as JSON."""
    import budgetkit

    d, cpu, wall = timed(budgetkit.read, [Path(path)])
    pages = sum(s.get("pages") or 0 for s in d.meta.get("sources", []))
    print(json.dumps({"pages": pages, "amounts": len(d.amounts), "tables": len(d.tables), "cpu": cpu,
                      "wall": wall, "rss_mb": peak_mb()}))


def longest(n: int) -> list[tuple[int, Path]]:
    import pypdfium2 as pdfium

    found = []
    for p in sorted(SHARED.glob("corpus*/*.pdf")) if SHARED.is_dir() else sorted(ROOT.glob("data/*/*.pdf")):
        try:
            doc = pdfium.PdfDocument(str(p))
            found.append((len(doc), p))
            doc.close()
        except Exception:  # noqa: BLE001 - an unreadable file is not a benchmark subject
            continue
    return sorted(found, key=lambda t: -t[0])[:n]


def joined(paths: list[Path], out: Path) -> int:
    """One PDF of all pages of ``paths`` in turn (pdfium copies each page's content as it is)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for p in paths:
        src = pdfium.PdfDocument(str(p))
        doc.import_pages(src)
        src.close()
    n = len(doc)
    doc.save(str(out))
    doc.close()
    return n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=0, help="only the first N disclosures of the corpus")
    ap.add_argument("--large", type=int, default=4, help="how many of the longest PDFs to read (0: none)")
    ap.add_argument("--no-bare", action="store_true", help="skip the comparison, large documents only")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        return one(args.one)
    docs = corpus()[: args.files or None]
    if not args.no_bare:
        print(f"{'disclosure':<52} {'pages':>5} {'bare s':>7} {'read s':>7} {'ratio':>6}")
        tb = tr = wb = wr = 0.0
        total_pages = 0
        for paths in docs:
            pages, cb, wbi = timed(bare_pass, paths)
            _, cr, wri = timed(full_read, paths)
            tb, tr, wb, wr = tb + cb, tr + cr, wb + wbi, wr + wri
            total_pages += pages
            name = paths[0].name if len(paths) == 1 else f"{paths[0].stem} +{len(paths) - 1}"
            print(f"{name[:52]:<52} {pages:>5} {cb:>7.2f} {cr:>7.2f} {cr / cb:>5.2f}x", flush=True)
        where = f"{sum(map(len, docs))} files in {docs[0][0].parent.name}"
        print(f"{'total (' + where + ')':<52} {total_pages:>5} {tb:>7.2f} "
              f"{tr:>7.2f} {tr / tb:>5.2f}x   (target ≤ 0.60x; CPU seconds)")
        print(f"wall seconds: bare {wb:.1f}, read {wr:.1f} ({wr / wb:.2f}x); peak RSS of this process "
              f"{peak_mb():.0f} MB")
    if args.large:
        picks = longest(args.large)
        with tempfile.TemporaryDirectory() as tmp:
            subjects = [p for _, p in picks]
            if len(picks) >= 2:
                big = Path(tmp) / "joined-longest.pdf"
                joined(subjects, big)
                subjects.append(big)
            print(f"\n{'large document':<52} {'pages':>5} {'amounts':>7} {'read s':>7} {'s/page':>6} {'peak RSS':>8}")
            for p in subjects:
                r = subprocess.run([sys.executable, __file__, "--one", str(p)], capture_output=True, text=True)
                if r.returncode != 0:
                    print(f"{p.name[:52]:<52} failed: {r.stderr.strip().splitlines()[-1:]}")
                    continue
                m = json.loads(r.stdout.strip().splitlines()[-1])
                print(f"{p.name[:52]:<52} {m['pages']:>5} {m['amounts']:>7} {m['cpu']:>7.1f} "
                      f"{m['cpu'] / max(m['pages'], 1):>6.2f} {m['rss_mb']:>5.0f} MB", flush=True)


if __name__ == "__main__":
    main()
