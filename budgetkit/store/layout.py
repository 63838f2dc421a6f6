"""Where a store's rows live: loose pieces and the compacted generation named by ``_current.json``.

A build writes one loose piece per disclosure and table (``TABLE/year=Y/stage=S/PIECE.parquet``).  Compaction
(:mod:`budgetkit.store.compact`) merges them into one file per table and partition under ``_compact/gNNNNNN/``
and names those files in ``_current.json``, which is replaced by an atomic rename: a reader that reads the
manifest once sees one generation, whole.  ``consumed`` lists the loose pieces a generation already holds, for
the moment between the rename and their deletion, so that they are never counted twice.

A loose ``disclosures`` piece supersedes the compacted rows of its disclosure in every table (a disclosure
rebuilt after a compaction); a loose ``execution`` piece supersedes the compacted execution rows of its pair,
and so does a note under ``_execution/removed/`` for a pair that no longer pairs (its rows go, see
:mod:`budgetkit.store.pairs`), until a compaction drops those rows.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from budgetkit.store.pieces import TABLES, atomic_write_bytes

CURRENT = "_current.json"
COMPACT_DIR = "_compact"
#: tables a store may hold; ``execution`` is written after a build, one piece per 预算/决算 pair
ALL_TABLES = (*TABLES, "execution")
#: notes of 预算/决算 pairs that no longer pair: ``PIECE.json`` with the 决算's id (``final``)
REMOVED = "_execution/removed"
HIVE_TYPES = "hive_partitioning=true, hive_types={'year': INTEGER, 'stage': VARCHAR}"


@dataclass
class Generation:
    """The compacted state a reader sees: files per table (relative paths) and loose pieces already merged."""

    name: str | None = None
    files: dict = field(default_factory=dict)  # table -> [{"path", "year", "stage", "rows"}]
    consumed: set = field(default_factory=set)
    disclosures: int = 0
    raw: dict = field(default_factory=dict)


def read_current(store) -> Generation:
    path = Path(store) / CURRENT
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Generation()
    except (OSError, ValueError) as exc:
        from budgetkit.errors import BadInputError

        raise BadInputError(path, "数据集清单无法读取", f"the store's manifest cannot be read ({exc})") from None
    return Generation(raw.get("generation"), raw.get("tables", {}), set(raw.get("consumed", [])),
                      raw.get("disclosures", 0), raw)


def write_current(store, gen: Generation) -> None:
    raw = dict(gen.raw, format=1, generation=gen.name, tables=gen.files, consumed=sorted(gen.consumed),
               disclosures=gen.disclosures)
    atomic_write_bytes(Path(store) / CURRENT, json.dumps(raw, ensure_ascii=False, indent=1).encode("utf-8"))


def loose_pieces(store, table: str, consumed=frozenset()) -> list[Path]:
    """The loose pieces of ``table`` not yet merged into the current generation (hidden temporaries left out)."""
    root = Path(store) / table
    out = []
    try:
        years = sorted(os.scandir(root), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return out
    for y in years:
        if not y.is_dir():
            continue
        for s in sorted(os.scandir(y.path), key=lambda e: e.name):
            if not s.is_dir():
                continue
            for f in sorted(os.scandir(s.path), key=lambda e: e.name):
                if f.name.endswith(".parquet") and not f.name.startswith("."):
                    rel = f"{table}/{y.name}/{s.name}/{f.name}"
                    if rel not in consumed:
                        out.append(Path(f.path))
    return out


def removed_pairs(store, consumed=frozenset()) -> dict[str, str]:
    """``{relative path of the note: 决算 id}`` of the pairs that stopped pairing, whose execution rows a
    compacted generation may still hold (few: a compaction drops those rows and deletes the notes)."""
    out = {}
    try:
        entries = sorted(os.scandir(Path(store) / REMOVED), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return out
    for e in entries:
        rel = f"{REMOVED}/{e.name}"
        if e.name.endswith(".json") and not e.name.startswith(".") and rel not in consumed:
            try:
                out[rel] = json.loads(Path(e.path).read_text(encoding="utf-8"))["final"]
            except (OSError, ValueError, KeyError, TypeError):
                continue  # notes are written whole (renamed into place): not one of ours
    return out


def compacted_files(store, gen: Generation, table: str) -> list[Path]:
    return [Path(store) / f["path"] for f in gen.files.get(table, [])]
