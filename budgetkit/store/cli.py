"""Command-line glue for ``budgetkit build`` and ``budgetkit query`` (registered by :mod:`budgetkit.cli`).

What reaches the terminal — file names, the store's path, department names and other text in query results — is
escaped like every other command's output (control and bidi characters shown as ``\\x1b``/``\\u202e``), so that a
document cannot clear the screen or reorder what is shown; CSV and JSON keep the values exact."""
from __future__ import annotations

import argparse
import sys

from budgetkit.report.safe import for_format, line

COMMANDS = ("build", "query", "store")


def add_parsers(sub) -> None:
    b = sub.add_parser("build", help="把许多公开文件读入一个 Parquet 数据集 / read many disclosures into one "
                                     "Parquet store")
    b.add_argument("paths", nargs="+", help="文件或文件夹 / files or folders")
    b.add_argument("--out", help="数据集文件夹（必需，--plan 除外）/ store folder (required unless --plan)")
    b.add_argument("--manifest", help="清单 CSV（path 列；disclosure 列把文件归为一份公开文件）/ manifest CSV "
                                      "(path column; a disclosure column groups files)")
    b.add_argument("--workers", type=int, default=None,
                   help="本机进程数（默认=核数）/ local worker processes (default: cores)")
    b.add_argument("--scheduler", help="已有 Dask 集群的地址 / address of an existing Dask scheduler")
    b.add_argument("--force", action="store_true", help="全部重建 / rebuild everything")
    b.add_argument("--retry-failed", action="store_true",
                   help="重试失败或部分失败的公开文件 / retry disclosures that failed")
    b.add_argument("--plan", action="store_true",
                   help="只列出文件分组，不读取 / list the grouping of files into disclosures and stop")
    b.add_argument("--quiet", action="store_true", help="不显示进度条 / no progress bar")
    b.add_argument("--compact", action=argparse.BooleanOptionalAction, default=None,
                   help="构建后合并散片（默认：散片达 1000 个时）/ compact the store after the build (default: when "
                        "1,000 loose pieces wait)")
    st = sub.add_parser("store", help="数据集维护 / store maintenance")
    ss = st.add_subparsers(dest="store_command", required=True)
    c = ss.add_parser("compact", help="把散片合并为每表每分区一个文件（原子替换）/ merge the loose pieces into one "
                                      "file per table and partition (atomic swap)")
    c.add_argument("store", help="数据集文件夹 / store folder")
    q = sub.add_parser("query", help="用 SQL 查询数据集 / run SQL against a store")
    q.add_argument("store", help="数据集文件夹 / store folder")
    q.add_argument("sql", help="SQL，表：disclosures, amounts, tables, narrative, statements, targets, findings, "
                               "residue, facts, scores, failures, execution")
    q.add_argument("--format", choices=["text", "csv", "json"], default="text")


def run(args) -> int:
    if args.command == "build":
        return _build(args)
    if args.command == "store":
        return _compact(args)
    return _query(args)


def _compact(args) -> int:
    from budgetkit.store.compact import compact

    print(line(compact(args.store).line()), file=sys.stderr)
    return 0


def _build(args) -> int:
    from budgetkit.store.build import build
    from budgetkit.store.group import describe, plan

    if args.workers is not None and args.workers < 1:
        from budgetkit.errors import BadInputError

        raise BadInputError("--workers", "进程数至少为 1", "need at least one worker")
    if args.plan:
        print(describe(plan(args.paths, args.manifest)))  # each name escaped (budgetkit.store.group.describe)
        return 0
    if not args.out:
        from budgetkit.errors import BadInputError

        raise BadInputError("--out", "缺少数据集文件夹", "the store folder (--out) is missing")
    import signal

    def _stop(signum, frame):  # a job manager's SIGTERM ends the run like Ctrl-C: pieces stay whole, rerun resumes
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, _stop)
    except ValueError:  # not the main thread
        pass
    try:
        result = build(args.paths, args.out, manifest=args.manifest, workers=args.workers,
                       scheduler=args.scheduler, force=args.force, retry_failed=args.retry_failed,
                       progress=not args.quiet, compact=args.compact)
    except KeyboardInterrupt:
        print(line(f"已中断；再次运行同一命令将从中断处继续 / interrupted; run the same command again to resume "
                   f"({args.out})"), file=sys.stderr)
        return 130
    print(line(result.line()), file=sys.stderr)
    if result.compaction is not None:
        print(line(result.compaction.line()), file=sys.stderr)
    if result.failed or result.partial:
        print(line(f"失败记录见 failures 表 / failures are listed in the failures table: budgetkit query {args.out} "
                   f"\"SELECT disclosure_id, file, step, reason FROM failures\""), file=sys.stderr)
    return 0


def _query(args) -> int:
    import duckdb

    from budgetkit.errors import BadInputError
    from budgetkit.store.query import open_store

    con = open_store(args.store)
    try:
        rel = con.sql(args.sql)
    except duckdb.Error as exc:
        raise BadInputError(args.store, "SQL 无法执行", f"the SQL failed: {str(exc).splitlines()[0]}") from None
    if rel is None:
        return 0
    from budgetkit.store.query import _to_pandas

    df = _to_pandas(rel.to_arrow_table())  # decimals stay exact (never float)
    if args.format == "csv":
        from budgetkit.export import csv_safe

        csv_safe(df).to_csv(sys.stdout, index=False)  # text a spreadsheet would run as a formula is neutralised
    elif args.format == "json":
        import json

        rows = df.astype(object).where(df.notna(), None).to_dict(orient="records")
        # control and bidi characters as \uXXXX escapes: the same values once decoded, nothing raw on a terminal
        sys.stdout.write(for_format(json.dumps(rows, ensure_ascii=False, default=str), "json"))
        sys.stdout.write("\n")
    else:
        import pandas as pd

        names = [line(c) for c in df.columns]  # a cell or a column name keeps its row: a newline is shown as \n
        shown = pd.DataFrame(dict(zip(range(len(names)), ([line(_shown(v)) for v in df[c]] for c in df.columns))))
        shown.columns = names
        with pd.option_context("display.max_rows", 200, "display.max_columns", 50, "display.width", 200,
                               "display.max_colwidth", 60):
            sys.stdout.write(shown.to_string(index=False) + "\n")
    return 0


def _shown(v) -> str:
    """A cell as a person reads it in the terminal: a decimal with thousands separators and its significant
    digits (two at least: 509.200000 → 509.20), a missing value blank.  CSV and JSON keep the exact values."""
    from decimal import Decimal

    import pandas as pd

    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, Decimal):
        if not v.is_finite():
            return str(v)
        places = min(6, max(2, -v.normalize().as_tuple().exponent))
        return f"{v:,.{places}f}"
    return str(v)
