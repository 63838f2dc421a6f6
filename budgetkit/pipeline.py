"""read → recognise → tidy, for one disclosure published as one or more files."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from budgetkit.check.conservation import account
from budgetkit.disclosure import Disclosure, PrintedTable
from budgetkit.errors import BadInputError, InternalError, log_internal_error, no_tables_error, shown
from budgetkit.money import DECIMAL_DTYPE, decimal_series
from budgetkit.read import open_source, page_labels
from budgetkit.recognise.tables import recognise_tables
from budgetkit.tidy.amounts import tidy_table
from budgetkit.tidy.meta import infer_meta
from budgetkit.tidy.narrative import paragraphs

AMOUNT_COLUMNS = [
    "doc_id", "unit_code", "unit_name", "year", "stage", "table_kind", "table_no", "table_title",
    "file", "page", "table_index", "row_no", "col_no", "row_label", "code", "code_level", "code_scheme",
    "column_label", "amount", "decimals", "unit", "amount_yuan", "raw",
]
RESIDUE_COLUMNS = ["doc_id", "file", "page", "table_index", "table_kind", "table_no", "table_title",
                   "row_no", "col_no", "column_label", "raw", "reason"]


def doc_id_for(paths: list[Path]) -> str:
    stems = [shown(p.stem) for p in paths]
    if len(stems) == 1:
        return stems[0]
    tokens = [re.split(r"([-_ .])", s) for s in stems]
    common = []
    for parts in zip(*tokens):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    prefix = "".join(common).rstrip("-_ .")
    return prefix if len(prefix) >= 4 else stems[0]


def _same_body(a: str, b: str, shared: int = 4) -> bool:
    """Two printings of one department's name (中国共产党江苏省委员会办公厅 / 江苏省委办公厅) share a run of
    ``shared`` characters; two departments (国家信访局 / 长沙市信访局) do not."""
    a, b = a.replace("中国共产党", "中共"), b.replace("中国共产党", "中共")
    if a in b or b in a:
        return True
    return any(a[i:i + shared] in b for i in range(len(a) - shared + 1))


def _one_disclosure(identities: list) -> None:
    """Files read as one disclosure must not say they are different ones: another year, stage or department on
    their own covers and captions would turn every cross-table check into a comparison of two governments."""
    for src, m, n_tables in identities:
        if not n_tables and not (m.get("year") or m.get("department")):
            # a file beside the others with no table and no department or year of its own (a README, a note)
            raise BadInputError(src.path, "未识别出预算公开表，也没有部门或年度，不像这份公开文件的一部分",
                                "no budget table and no department or year: not part of this disclosure")
    known = [(src, m) for src, m, _ in identities if m.get("year") or m.get("stage") or m.get("department")]
    for key, same in (("year", lambda x, y: x == y), ("stage", lambda x, y: x == y), ("department", _same_body)):
        vals = [(src, m.get(key)) for src, m in known if m.get(key)]
        for (_, a), (_, b) in zip(vals, vals[1:]):
            if not same(a, b):
                desc = "、".join(f"{src.name}（{m.get('department') or '?'} {m.get('year') or '?'}年{m.get('stage') or ''}）"
                                for src, m in known)
                raise BadInputError(
                    ", ".join(src.name for src, _, _ in identities),
                    f"这些文件不是同一份公开文件：{desc}；请分别检查",
                    f"the files are not one disclosure (their {key}s differ: {a} / {b}); check them one at a time")


def as_paths(paths) -> list[Path]:
    """One path or several, as a list of paths; none at all is bad input."""
    if isinstance(paths, (str, bytes, os.PathLike)) or not hasattr(paths, "__iter__"):
        paths = [paths]
    paths = [Path(os.fsdecode(p)) if isinstance(p, (bytes, os.PathLike)) else p for p in paths]
    for p in paths:  # a bytes name (GBK from an archive) is decoded as the OS does; a NUL no OS name holds
        if not isinstance(p, (str, Path)):
            raise BadInputError(repr(p)[:80], "不是文件路径", "not a file path")
        if "\x00" in str(p):
            raise BadInputError(str(p).replace("\x00", "\\x00"), "文件名含有空字符（NUL），不是有效路径",
                                "the file name holds a NUL character: not a valid path")
    paths = [Path(p) for p in paths]
    if not paths:
        raise BadInputError("budgetkit.read([])", "没有给出任何文件", "no file was given")
    return paths


def read(paths, doc_id: str | None = None, keep_going: bool = False, progress=None,
         opener=None) -> Disclosure:
    """Read one disclosure (a path, or a list of paths that form one disclosure).

    Raises :class:`budgetkit.BadInputError` with a one-line reason for files
    that cannot be read, or that hold no table at all (a narrative half
    given without its tables).  With ``keep_going`` the readable files are still
    read and the failures are listed in ``.errors`` (nothing parsed is lost);
    a disclosure with no table is then returned with ``meta["no_tables"]``.
    ``budgetkit.read(paths, store=STORE)`` loads files already stored instead (the store reads through
    this function; this function never reads the store).  ``progress(step, file, n, total)`` is told what is
    being done: ("read", file, page, pages) before each PDF page (page None for other formats), then
    ("recognise", None, None, None); a BaseException it raises (the app's cancel) stops the reading.
    ``opener(path, page_progress)`` opens one file (default :func:`~budgetkit.read.open_source`): the app passes
    one that hands back a file it has already opened, so that files tried together and then one by one are
    opened once.
    """
    paths = as_paths(paths)
    opener = opener or open_source  # looked up when called (a test may put another in its place)
    sources, failures, warnings = [], [], []
    for p in paths:
        try:
            if progress is not None:
                progress("read", shown(p.name), None, None)
            src = opener(p, None if progress is None else
                         lambda n, total, name=shown(p.name): progress("read", name, n, total))
        except BadInputError as exc:  # the other files are still tried, so that every bad file is said at once
            failures.append(exc)
            continue
        except Exception as exc:  # a bug: this file fails on its own, the others are still read
            if not keep_going:
                raise
            failures.append(InternalError(p, log_internal_error(exc, f"reading {p}"), exc))
            continue
        twin = next((s for s in sources if s.sha256 == src.sha256), None)
        if twin is not None:
            warnings.append(f"{src.name}: 与{twin.name}内容相同（sha256一致），只读一次 / "
                            f"same content as {twin.name} (same sha256): read once")
            continue
        warnings.extend(src.warnings)
        warnings.extend(_drop_repeated_half(src))
        sources.append(src)
    if not sources or (failures and not keep_going):
        failures[0].also = failures[1:]  # every failure is listed, not only the first
        raise failures[0]
    paths = [s.path for s in sources]
    doc_id = doc_id or doc_id_for(paths)
    if progress is not None:
        progress("recognise", None, None, None)
    recognised, prose = [], []
    identities = []
    for src in sources:
        t, p = recognise_tables(src.blocks)
        recognised.extend(t)
        prose.extend(p)
        if len(sources) > 1:
            identities.append((src, infer_meta(t, p, {}), len(t)))
    _one_disclosure(identities)
    tidied = [tidy_table(t, i + 1) for i, t in enumerate(recognised)]
    units: dict = {}
    for tt in tidied:
        units.update(tt.units)
    meta = infer_meta(recognised, prose, units)
    meta["doc_id"] = doc_id
    meta["sources"] = [
        {"file": s.name, "sha256": s.sha256, "format": s.format, "pages": s.n_pages} for s in sources
    ]
    # pages that are pictures inside a text PDF: named in a warning, and here for programs (not read, not checked)
    meta["picture_pages"] = [{"file": s.name, "page": n} for s in sources for n in s.picture_pages]
    # the page numbers the documents print, where sure: a location names both (PDF page, printed page)
    meta["printed_pages"] = page_labels.as_meta(page_labels.printed_pages([b for s in sources for b in s.blocks]))
    tables = [
        PrintedTable(doc_id=doc_id, index=i + 1, kind=tt.table.kind, title=tt.table.title,
                     table_no=tt.table.table_no, file=tt.table.file, pages=tt.table.pages,
                     unit=tt.table.unit, frame=tt.frame,
                     column_roles=dict(zip(tt.frame.columns, tt.roles)),
                     continued_pages=tt.table.continued_pages,
                     guesses=list(tt.table.guesses) + list(tt.guesses),
                     guess_pages=dict(tt.table.guess_pages),
                     row_pages=[tt.table.grid.row_pages[i]
                                for i in range(tt.table.grid.n_header, len(tt.table.grid.text))])
        for i, tt in enumerate(tidied)
    ]
    amounts = _amounts_frame([r for tt in tidied for r in tt.amounts], doc_id, meta)
    residue = pd.DataFrame([r for tt in tidied for r in tt.residue], columns=RESIDUE_COLUMNS[1:])
    residue.insert(0, "doc_id", doc_id)
    residue = residue.astype({"page": "Int64", "table_index": "Int64", "row_no": "Int64", "col_no": "Int64"})
    if not any(t.kind != "unknown" for t in tables):
        warnings.append(
            f"{', '.join(shown(p.name) for p in paths)}: 未识别出任何公开表格，已导出找到的内容 / "
            "no disclosure table was recognised; what was found is still exported")
        meta["no_tables"] = True
        meta["names_absent_tables"] = names_absent_tables(prose)
        if not tables and not keep_going:  # nothing tabular at all (a narrative half): tables of unknown kind
            raise no_tables_error(", ".join(str(p) for p in paths), meta["names_absent_tables"])
    meta["warnings"] = warnings
    d = Disclosure(doc_id=doc_id, meta=meta, tables=tables, amounts=amounts,
                   narrative=paragraphs(prose), residue=residue, warnings=warnings, errors=failures)
    # conservation: every figure the file readers found is accounted for, or a warning names what was lost
    ledger = account(d, [b for s in sources for b in s.blocks])
    meta["conservation"] = ledger.as_meta()
    if ledger.lost:
        warnings.append(ledger.warning(", ".join(s.name for s in sources)))
    warnings[:] = [w.encode("utf-8", "replace").decode("utf-8") for w in warnings]  # no lone surrogate, ever
    return d


def _block_key(b):
    rows = getattr(b, "rows", None)
    return ("t", tuple(tuple(r) for r in rows)) if rows is not None else ("p", getattr(b, "text", ""))


def _drop_repeated_half(src) -> list[str]:
    """A file whose content is printed twice over (a PDF concatenated to itself) is read once."""
    blocks = src.blocks
    n = len(blocks)
    if n < 4 or n % 2 or not any(getattr(b, "rows", None) for b in blocks):
        return []
    half = n // 2
    if [_block_key(b) for b in blocks[:half]] != [_block_key(b) for b in blocks[half:]]:
        return []
    src.blocks = blocks[:half]
    return [f"{src.name}: 文件内容重复了一遍，只读一次 / the file's content is repeated in full: read once"]


def names_absent_tables(prose) -> bool:
    """True when the text names disclosure tables (a narrative half whose tables are a separate file)."""
    from budgetkit.reference import load_csv

    titles = {r["printed_title"] for r in load_csv("table_kinds.csv") if len(r["printed_title"]) >= 4}
    hits = 0
    for line in prose:
        text = getattr(line, "text", "") or ""
        if any(t in text for t in titles):
            hits += 1
            if hits >= 2:
                return True
    return False


def _amounts_frame(records: list[dict], doc_id: str, meta: dict) -> pd.DataFrame:
    df = pd.DataFrame(records, columns=[c for c in AMOUNT_COLUMNS if c not in ("doc_id", "year", "stage")])
    default_unit = meta["units"][0] if len(meta["units"]) == 1 else {"code": None, "name": meta.get("department")}
    df["unit_code"] = df["unit_code"].where(df["unit_code"].notna(), default_unit["code"])
    names = {u["code"]: u["name"] for u in meta["units"] if u["code"]}
    df["unit_name"] = [n if isinstance(n, str) and n else names.get(c, default_unit["name"])
                       for n, c in zip(df["unit_name"], df["unit_code"])]
    df.insert(0, "doc_id", doc_id)
    df["year"] = meta.get("year")
    df["stage"] = meta.get("stage")
    df["amount"] = decimal_series(df["amount"], index=df.index)
    df["amount_yuan"] = decimal_series(df["amount_yuan"], index=df.index)
    df = df[AMOUNT_COLUMNS]
    strings = ["doc_id", "unit_code", "unit_name", "stage", "table_kind", "table_no", "table_title", "file",
               "row_label", "code", "code_level", "code_scheme", "column_label", "unit", "raw"]
    df = df.astype({c: "string" for c in strings})
    df = df.astype({"year": "Int64", "decimals": "Int64", "page": "Int64", "table_index": "Int64", "row_no": "Int64",
                    "col_no": "Int64"})
    assert df["amount"].dtype == DECIMAL_DTYPE
    return df
