"""The store's ``execution`` table: each 预算 beside the same unit's 决算 of the same year, line by line.

After a build, disclosures are paired when their year is the same, one is a 预算 and the other a 决算, and their
unit names are the same (``budgetkit.execution``'s own rule: spaces and a 本级/部门/机关 suffix aside).  A unit
with two 预算 or two 决算 of one year is not paired: which two belong together is not known.  The join is
``budgetkit.execution(budget, final)``, on the Disclosures the store holds (nothing is read again); its
``lines`` are stored, one row per line, with both disclosure ids.  A pair is joined again only when either
disclosure or budgetkit changed (``_execution/PIECE.json`` keeps the stamp).

A pair that stops pairing (one of them rebuilt with another unit name, a third disclosure of the unit, year and
stage, a join that now fails) loses its rows: its loose piece and stamp are deleted, and a note under
``_execution/removed/`` hides the rows a compacted generation holds until the next compaction drops them.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd


from budgetkit.store.layout import REMOVED, read_current
from budgetkit.store.pieces import atomic_write_bytes, atomic_write_table, piece_name, piece_path, to_arrow

MARKERS = "_execution"


def pairs(store) -> list[tuple[dict, dict]]:
    """(预算 marker, 决算 marker) of every pair the rule above finds, from the build markers and stored meta."""
    from budgetkit.execution import _unit
    from budgetkit.store.query import frame, open_store

    con = open_store(store)
    try:
        rows = frame(con, "SELECT disclosure_id, year, stage, meta FROM disclosures "
                          "WHERE status <> 'failed' AND stage IN ('预算', '决算') AND year IS NOT NULL")
    finally:
        con.close()
    groups: dict = {}
    for r in rows.itertuples(index=False):
        unit = _unit(json.loads(r.meta) if isinstance(r.meta, str) else {})
        if unit:
            groups.setdefault((int(r.year), unit), {}).setdefault(r.stage, []).append(r.disclosure_id)
    out = []
    for key, by_stage in sorted(groups.items()):
        b, f = by_stage.get("预算", []), by_stage.get("决算", [])
        if len(b) == 1 and len(f) == 1:
            mb, mf = _marker(store, b[0]), _marker(store, f[0])
            if mb and mf:
                out.append((mb, mf))
    return out


def _marker(store, disclosure_id: str) -> dict | None:
    try:
        return json.loads((Path(store) / "_done" / f"{piece_name(disclosure_id)}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _stamp(mb: dict, mf: dict, ver: str) -> str:
    h = hashlib.sha256(json.dumps([mb["sha256"], mf["sha256"], ver]).encode("utf-8"))
    return h.hexdigest()[:16]


def update(store) -> dict:
    """Join every pair whose stamp changed and write its ``execution`` piece; returns counts by outcome."""
    from budgetkit.execution import execution
    from budgetkit.store.build import _write_schema, version
    from budgetkit.store.query import from_marker

    store = Path(store)
    ver = version()
    counts = {"pairs": 0, "joined": 0, "unchanged": 0, "not_joined": 0, "removed": 0}
    live = set()
    for mb, mf in pairs(store):
        counts["pairs"] += 1
        piece = mf["piece"]
        live.add(piece)
        mpath = store / MARKERS / f"{piece}.json"
        stamp = _stamp(mb, mf, ver)
        try:
            if json.loads(mpath.read_text(encoding="utf-8")).get("stamp") == stamp:
                counts["unchanged"] += 1
                continue
        except (OSError, ValueError):
            pass
        b, f = from_marker(store, mb), from_marker(store, mf)
        try:
            lines = execution(b, f).lines if b is not None and f is not None else None
        except Exception:  # noqa: BLE001 - a pair the join refuses (units or stages disagree) is not a pair
            lines = None
        if lines is None or not len(lines):
            counts["not_joined"] += 1
            live.discard(piece)  # rows of an earlier join of the two go
            continue
        df = lines.copy()
        df.insert(0, "disclosure_id", mf["disclosure_id"])
        df.insert(1, "budget_disclosure_id", mb["disclosure_id"])
        df.insert(2, "final_disclosure_id", mf["disclosure_id"])
        df = df.astype({c: "string" for c in ("disclosure_id", "budget_disclosure_id", "final_disclosure_id")})
        for c in [c for c in df.columns if c.endswith("_page")]:  # a page is a whole number, never 5.0
            df[c] = pd.array([None if v is None or v != v else int(v) for v in df[c]], dtype="Int64")
        path = piece_path(store, "execution", mf["year"], "决算", piece)
        atomic_write_table(path, to_arrow(df, mf["year"], "决算"))
        _write_schema(store, "execution", df, mf["year"], "决算")  # the table stays queryable when its rows go
        atomic_write_bytes(mpath, json.dumps({"stamp": stamp, "budget": mb["disclosure_id"],
                                              "final": mf["disclosure_id"], "piece": str(path.relative_to(store))},
                                             ensure_ascii=False).encode("utf-8"))
        counts["joined"] += 1
    counts["removed"] = _remove_stale(store, live)
    return counts


def _remove_stale(store: Path, live: set) -> int:
    """Delete the rows of every joined pair whose 决算 piece is not in ``live`` (see the module docstring).  The
    note, needed only when the store has compacted execution rows, is written before the piece is deleted, so
    that a reader never sees the compacted rows come back."""
    compacted = bool(read_current(store).files.get("execution"))
    n = 0
    for mpath in sorted((store / MARKERS).glob("*.json")):
        if mpath.stem in live:
            continue
        try:
            m = json.loads(mpath.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            m = {}
        if m.get("final") and compacted:
            atomic_write_bytes(store / REMOVED / mpath.name, json.dumps(
                {"final": m["final"], "budget": m.get("budget")}, ensure_ascii=False).encode("utf-8"))
        if m.get("piece"):
            (store / m["piece"]).unlink(missing_ok=True)
        mpath.unlink(missing_ok=True)
        n += 1
    return n

