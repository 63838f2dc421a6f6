"""Command line: ``budgetkit parse PATH... --out DIR``.

User mistakes get one line on stderr (file and reason) and exit code 2 —
never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetkit.errors import BadInputError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="budgetkit",
        description="读取、核对部门预算/决算公开文件 / read and reconcile Chinese budget disclosures")
    sub = p.add_subparsers(dest="command", required=True)
    parse = sub.add_parser("parse", help="解析为整洁数据 / parse into tidy tables")
    parse.add_argument("paths", nargs="+", help="一份公开文件的一个或多个文件 / the file(s) of one disclosure")
    parse.add_argument("--out", required=True, help="输出文件夹 / output folder")
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "parse":
            return _parse(args)
    except BadInputError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


def _parse(args) -> int:
    from budgetkit.export import write_outputs
    from budgetkit.pipeline import read

    d = read(args.paths)
    out = Path(args.out)
    try:
        written = write_outputs(d, out)
    except OSError as exc:
        raise BadInputError(out, "无法写入输出文件夹", f"cannot write the output folder ({exc.strerror})") from None
    c = d.coverage()
    print(
        f"{d.doc_id}: 表格 {c['tables']} 张（识别 {c['tables_recognised']}）/ tables {c['tables']} "
        f"({c['tables_recognised']} recognised); 金额单元格 {c['amount_cells']} / amount cells placed "
        f"{c['amount_cells']}; 残留 {c['residue_cells']} / residue {c['residue_cells']}; "
        f"段落 {c['paragraphs']} / paragraphs {c['paragraphs']}",
        file=sys.stderr)
    for w in d.warnings:
        print(f"警告 / warning: {w}", file=sys.stderr)
    print(f"→ {out} ({', '.join(p.name for p in written)})", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
