"""Store compaction (issue 25) and the store's execution table (issue 22).

One store is built once per module, without compacting: 西南大学's 2023 预算 and 决算 (data/corpus, a 预算/决算
pair of one unit and year), a short text disclosure and a truncated PDF that cannot be read.  Each test works
on a copy, so that compaction, rebuilds and retries start from the same loose state.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import budgetkit
from budgetkit.errors import BadInputError
from budgetkit.store import build, open_store
from budgetkit.store.compact import compact, writing
from budgetkit.store.examples import doc_queries
from budgetkit.store.layout import ALL_TABLES, loose_pieces, read_current
from budgetkit.store.query import from_marker

from conftest import CORPUS, SEED_TXT

SWU_BUDGET = CORPUS / "cq-swu-2023-budget.pdf"
SWU_FINAL = CORPUS / "cq-swu-2023-final.pdf"
BIN = Path(sys.executable).parent


def answers(store) -> dict:
    """Every named query's answer (rows in order where the query orders them; the row count where a LIMIT
    without ORDER BY leaves the choice of rows to the engine), and every table's row count and amount sum."""
    con = open_store(store)
    out = {}
    for name, sql in doc_queries().items():
        rows = con.execute(sql).fetchall()
        free = "LIMIT" in sql.upper() and "ORDER BY" not in sql.upper()
        out[name] = len(rows) if free else rows if "ORDER BY" in sql.upper() else sorted(map(repr, rows))
    for t in ALL_TABLES:
        out[t] = con.execute(f"SELECT count(*), count(DISTINCT disclosure_id) FROM {t}").fetchone()
    out["sum"] = con.execute("SELECT sum(amount_yuan) FROM amounts").fetchone()
    con.close()
    return out


def tiny_text(n: int = 3500) -> str:
    return SEED_TXT.read_text(encoding="utf-8")[:n]


@pytest.fixture(scope="module")
def loose(tmp_path_factory):
    root = tmp_path_factory.mktemp("compact")
    inputs = root / "in"
    inputs.mkdir()
    (inputs / "tiny-2023-budget.txt").write_text(tiny_text(), encoding="utf-8")
    (inputs / "truncated-2026-budget.pdf").write_bytes(SWU_BUDGET.read_bytes()[:3000])
    store = root / "store"
    result = build([SWU_BUDGET, SWU_FINAL, inputs], store, workers=2, progress=False, compact=False)
    assert (result.planned, result.failed) == (4, 1)
    return store, inputs


@pytest.fixture
def store(loose, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(loose[0], copy)
    return copy


# --------------------------------------------------------------------------------------------- execution table

def test_the_store_pairs_a_budget_with_its_final_and_keeps_the_join(loose):
    """西南大学 2023: 205 教育支出 is printed as 208,613.34 万元 on page 10 of the 预算 and 213,588.53 on page 14 of
    the 决算; the stored line has both, both disclosure ids and the rate 102.38%."""
    store, _ = loose
    con = open_store(store)
    ids = con.execute("SELECT DISTINCT budget_disclosure_id, final_disclosure_id, disclosure_id FROM execution").fetchall()
    assert ids == [(SWU_BUDGET.name, SWU_FINAL.name, SWU_FINAL.name)]  # the seed text and the broken file: no pair
    row = con.execute("SELECT budget, budget_page, final, final_page, rate, year, stage FROM execution "
                      "WHERE section = 'function' AND code = '205'").fetchone()
    assert row == (Decimal("208613.34"), 10, Decimal("213588.53"), 14, Decimal("102.38"), 2023, "决算")
    n = con.execute("SELECT count(*) FROM execution").fetchone()[0]
    fresh = budgetkit.execution(from_marker(store, _marker(store, SWU_BUDGET.name)),
                                from_marker(store, _marker(store, SWU_FINAL.name)))
    assert n == len(fresh.lines) > 10


@pytest.mark.parametrize("compacted", [False, True])
def test_a_pair_that_no_longer_pairs_loses_its_execution_rows(store, loose, tmp_path, compacted):
    """A third disclosure of 西南大学 2023 (a 预算 in text, the seed's unit name replaced by 西南大学) arrives: with
    two 预算 the pair is not known any more, and its execution lines go — from the loose piece, or hidden in the
    compacted files and dropped by the next compaction."""
    from budgetkit.store.layout import REMOVED

    _, inputs = loose
    if compacted:
        compact(store)
    assert open_store(store).execute("SELECT count(*) FROM execution").fetchone()[0] > 10
    other = tmp_path / "other"
    other.mkdir()
    (other / "swu-note-2023-budget.txt").write_text(tiny_text().replace("乐山市市中区社会保险事务中心", "西南大学"),
                                                     encoding="utf-8")
    res = build([SWU_BUDGET, SWU_FINAL, inputs, other], store, workers=1, progress=False, compact=False)
    assert res.built == 1 and res.execution["pairs"] == 0 and res.execution["removed"] == 1
    assert not list((store / "_execution").glob("*.json")) and not loose_pieces(store, "execution")
    assert len(list((store / REMOVED).glob("*.json"))) == int(compacted)  # only compacted rows need the note
    before = answers(store)
    assert before["execution"] == (0, 0)
    compact(store)
    assert answers(store) == before and not list((store / REMOVED).glob("*.json"))
    gen = read_current(store)
    assert sum(f["rows"] for f in gen.files.get("execution", [])) == 0


def _marker(store, did):
    from budgetkit.store.pieces import piece_name

    return json.loads((store / "_done" / f"{piece_name(did)}.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------- compaction

def test_compaction_keeps_every_answer_and_leaves_no_loose_piece(store):
    before = answers(store)
    assert before["amounts"][0] > 500 and before["failures"][0] == 1
    res = compact(store)
    assert res.merged_pieces > 0 and res.disclosures == 4
    assert not any(loose_pieces(store, t) for t in ALL_TABLES)
    assert answers(store) == before
    gen = read_current(store)
    assert {f["path"].split("/")[2] for fs in gen.files.values() for f in fs} == set(gen.files)  # table folders
    assert all(len({(f["year"], f["stage"]) for f in fs}) == len(fs) for fs in gen.files.values())  # one per part


def test_compacted_amounts_are_ordered_by_table_kind_so_statistics_can_skip(store):
    """The compacted amounts of 西南大学's 预算 and 决算 and the seed text: each row group holds one table kind (its
    min and max statistics, as DuckDB reads them, are equal), kinds ascend through a file, ids ascend within a
    kind and each disclosure's rows keep their written order; the view shows the same columns as before."""
    from budgetkit.store.compact import ORDER_COLUMN

    columns = [c[0] for c in open_store(store).execute("SELECT * FROM amounts LIMIT 0").description]
    compact(store)
    con = open_store(store)
    assert [c[0] for c in con.execute("SELECT * FROM amounts LIMIT 0").description] == columns
    files = [str(store / f["path"]) for f in read_current(store).files["amounts"]]
    stats_all = []
    for path in files:
        stats = con.execute("SELECT row_group_id, stats_min_value, stats_max_value FROM parquet_metadata(?) "
                            "WHERE path_in_schema = 'table_kind' ORDER BY row_group_id", [path]).fetchall()
        assert all(lo == hi for _, lo, hi in stats) and [lo for _, lo, _ in stats] == sorted(lo for _, lo, _ in stats)
        stats_all += stats
        rows = con.execute(f'SELECT table_kind, disclosure_id, "{ORDER_COLUMN}" FROM read_parquet(?)', [path]).fetchall()
        assert rows == sorted(rows)
    kinds = [k for (k,) in con.execute("SELECT DISTINCT table_kind FROM amounts").fetchall()]
    assert len(kinds) >= 5
    for kind in kinds:  # a filter on one kind skips the row groups of every other kind
        assert 0 < sum(lo <= kind <= hi for _, lo, hi in stats_all) < len(stats_all) - len(kinds) + 2


def test_amounts_compacted_in_disclosure_order_are_reordered_by_the_next_compaction(store, loose, tmp_path):
    """A store whose compacted amounts are sorted by disclosure id alone, without each row's place (as compaction
    wrote them before the table kind came first): it reads as before, and when the seed text is rebuilt the next
    compaction rewrites every amounts file by kind, counting each disclosure's places in its old order, so that
    西南大学's 决算 reopens with the rows it was read with."""
    import pyarrow.parquet as pq

    from budgetkit.store.compact import ORDER_COLUMN

    _, inputs = loose
    packed_before = from_marker(store, _marker(store, SWU_FINAL.name))  # from its loose pieces
    compact(store)
    gen = read_current(store)
    for f in gen.files["amounts"]:  # rewritten as the earlier layout: by id, in written order, no place column
        path = store / f["path"]
        t = pq.read_table(path).sort_by([("disclosure_id", "ascending"), (ORDER_COLUMN, "ascending")])
        pq.write_table(t.drop_columns([ORDER_COLUMN]), path)
    assert from_marker(store, _marker(store, SWU_FINAL.name)).amounts.equals(packed_before.amounts)
    swu = ("SELECT count(*), sum(amount_yuan), count(DISTINCT table_kind) FROM amounts "
           "WHERE disclosure_id IN (?, ?)")
    before = open_store(store).execute(swu, [SWU_BUDGET.name, SWU_FINAL.name]).fetchone()
    changed = tmp_path / "in"
    shutil.copytree(inputs, changed)
    (changed / "tiny-2023-budget.txt").write_text(tiny_text(6000), encoding="utf-8")
    build([SWU_BUDGET, SWU_FINAL, changed], store, workers=1, progress=False, compact=False)
    compact(store)
    assert all(ORDER_COLUMN in pq.read_schema(store / f["path"]).names for f in read_current(store).files["amounts"])
    con = open_store(store)
    assert con.execute(swu, [SWU_BUDGET.name, SWU_FINAL.name]).fetchone() == before
    assert con.execute("SELECT count(*) FROM amounts WHERE disclosure_id = 'tiny-2023-budget.txt'").fetchone()[0] \
        == len(budgetkit.read(changed / "tiny-2023-budget.txt").amounts)
    packed = from_marker(store, _marker(store, SWU_FINAL.name))
    assert packed.amounts.equals(packed_before.amounts) and len(packed.amounts) > 100


def test_compaction_is_atomic_for_a_reader(store):
    """At every step a reader could observe — new files written, manifest renamed, pieces deleted — a store
    opened then gives the answers of before: old or new state, never both (double rows) or neither."""
    before = answers(store)
    seen = []

    def look(step):
        seen.append(step)
        assert answers(store) == before, step

    compact(store, on_step=look)
    assert seen == ["written", "renamed", "deleted", "done"]


def test_compaction_stopped_after_the_rename_is_finished_by_the_next_writer(store):
    before = answers(store)

    class Stop(Exception):
        pass

    def stop(step):
        if step == "renamed":
            raise Stop

    with pytest.raises(Stop):
        compact(store, on_step=stop)
    assert read_current(store).consumed and answers(store) == before  # the merged pieces are ignored
    res = compact(store)
    assert res.merged_pieces == 0 and not read_current(store).consumed
    assert not any(loose_pieces(store, t) for t in ALL_TABLES) and answers(store) == before


def test_compaction_is_idempotent(store):
    compact(store)
    first = json.loads((store / "_current.json").read_text(encoding="utf-8"))
    files = sorted(p.relative_to(store) for p in (store / "_compact").rglob("*.parquet"))
    again = compact(store)
    assert (again.merged_pieces, again.rewritten_files) == (0, 0)
    assert json.loads((store / "_current.json").read_text(encoding="utf-8")) == first
    assert sorted(p.relative_to(store) for p in (store / "_compact").rglob("*.parquet")) == files


def test_a_rebuilt_disclosure_supersedes_its_compacted_rows(store, loose, tmp_path):
    _, inputs = loose
    compact(store)
    changed = tmp_path / "in"
    shutil.copytree(inputs, changed)
    tiny = changed / "tiny-2023-budget.txt"
    tiny.write_text(tiny_text(6000), encoding="utf-8")  # more of the seed: more amounts
    want = len(budgetkit.read(tiny).amounts)
    old = open_store(store).execute("SELECT count(*) FROM amounts WHERE disclosure_id = ?", [tiny.name]).fetchone()[0]
    assert want > old
    res = build([SWU_BUDGET, SWU_FINAL, changed], store, workers=1, progress=False, compact=False)
    assert (res.built, res.skipped) == (1, 3)
    after = open_store(store)
    count = "SELECT count(*) FROM amounts WHERE disclosure_id = ?"
    assert after.execute(count, [tiny.name]).fetchone()[0] == want  # the new rows only, not old + new
    assert after.execute("SELECT count(*) FROM disclosures").fetchone()[0] == 4
    before = answers(store)
    compact(store)
    assert answers(store) == before and open_store(store).execute(count, [tiny.name]).fetchone()[0] == want


def test_retry_failed_after_compaction_replaces_the_failure_row(store, loose):
    _, inputs = loose
    compact(store)
    res = build([SWU_BUDGET, SWU_FINAL, inputs], store, workers=1, progress=False, retry_failed=True,
                compact=False)
    assert (res.failed, res.skipped) == (1, 3)  # still truncated: tried again, failed again
    con = open_store(store)
    assert con.execute("SELECT file, step FROM failures").fetchall() == [("truncated-2026-budget.pdf", "read")]
    assert con.execute("SELECT count(*) FROM disclosures WHERE status = 'failed'").fetchone()[0] == 1


def test_reopen_reads_one_disclosure_from_the_compacted_files(store):
    loose_d = from_marker(store, _marker(store, SWU_FINAL.name))
    compact(store)
    packed = from_marker(store, _marker(store, SWU_FINAL.name))
    assert packed.meta == loose_d.meta
    for name in ("amounts", "narrative", "residue", "targets"):
        assert getattr(packed, name).equals(getattr(loose_d, name)), name
    assert [(t.kind, t.title, t.pages) for t in packed.tables] == [(t.kind, t.title, t.pages) for t in loose_d.tables]
    assert all(a.frame.equals(b.frame) for a, b in zip(packed.tables, loose_d.tables))
    d = budgetkit.read(SWU_FINAL, store=store)  # by sha256, as a user reopens it
    assert d.__dict__["store_source"]["disclosure_id"] == SWU_FINAL.name and d.amounts.equals(loose_d.amounts)


def test_reopen_finds_a_disclosure_whose_id_falls_inside_another_files_range(tmp_path):
    """Two compactions of one partition (2023 预算): the first file holds a-… and z-…, the second m-…, whose id
    lies inside the first file's id range; reopening m-… reads its rows from the second file only, the same rows
    as its loose pieces held, and a-… still comes back whole from the first."""
    from budgetkit.store.query import compacted_rows

    inputs, store = tmp_path / "in", tmp_path / "store"
    inputs.mkdir()
    for name, n in (("a-2023-budget.txt", 3500), ("z-2023-budget.txt", 3400)):
        (inputs / name).write_text(tiny_text(n), encoding="utf-8")
    build([inputs], store, workers=1, progress=False, compact=False)
    before_a = from_marker(store, _marker(store, "a-2023-budget.txt"))
    compact(store)
    (inputs / "m-2023-budget.txt").write_text(tiny_text(3450), encoding="utf-8")
    build([inputs], store, workers=1, progress=False, compact=False)
    loose_m = from_marker(store, _marker(store, "m-2023-budget.txt"))
    compact(store)
    gen = read_current(store)
    files = [f for f in gen.files["amounts"] if "/year=2023/stage=预算/" in f["path"]]
    assert len(files) == 2 and files[0]["first_id"] < "m-2023-budget.txt" < files[0]["last_id"]
    rows = compacted_rows(store, gen, "amounts", 2023, "预算", "m-2023-budget.txt")
    assert set(rows.column("disclosure_id").to_pylist()) == {"m-2023-budget.txt"}
    packed_m = from_marker(store, _marker(store, "m-2023-budget.txt"))
    assert len(loose_m.amounts) > 0 and packed_m.amounts.equals(loose_m.amounts)
    assert packed_m.narrative.equals(loose_m.narrative) and packed_m.residue.equals(loose_m.residue)
    assert from_marker(store, _marker(store, "a-2023-budget.txt")).amounts.equals(before_a.amounts)


def test_one_writer_at_a_time(store):
    with writing(store, "build"):
        with pytest.raises(BadInputError):
            compact(store)
    assert compact(store).merged_pieces > 0  # the lock is released


def test_the_compact_command(store, tmp_path):
    out = subprocess.run([str(BIN / "budgetkit"), "store", "compact", str(store)], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0 and "merged" in out.stderr
    bad = subprocess.run([str(BIN / "budgetkit"), "store", "compact", str(tmp_path / "nothing")],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "错误 / error" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_a_build_compacts_by_itself_past_the_threshold(tmp_path, monkeypatch):
    import importlib

    C = importlib.import_module("budgetkit.store.compact")  # the module (budgetkit.store.compact is the function)
    tiny = tmp_path / "in" / "tiny-2023-budget.txt"
    tiny.parent.mkdir()
    tiny.write_text(tiny_text(), encoding="utf-8")
    monkeypatch.setattr(C, "AUTO_THRESHOLD", 3)  # the tiny disclosure writes more pieces than that
    res = build([tiny], tmp_path / "store", workers=1, progress=False)
    assert res.compaction is not None and res.compaction.disclosures == 1
    assert not any(loose_pieces(tmp_path / "store", t) for t in ALL_TABLES)
    con = open_store(tmp_path / "store")
    assert con.execute("SELECT count(*) FROM amounts").fetchone()[0] == len(budgetkit.read(tiny).amounts)
    monkeypatch.setattr(C, "AUTO_THRESHOLD", 10_000)
    assert build([tiny], tmp_path / "store", workers=1, progress=False).compaction is None  # nothing to merge
