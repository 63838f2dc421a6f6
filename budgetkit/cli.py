"""Command line: ``budgetkit parse PATH... --out DIR``.

User mistakes get one line on stderr (file and reason) and exit code 2 —
never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetkit.errors import INTERNAL_EN, INTERNAL_ZH, BadInputError, InternalError, log_internal_error
from budgetkit.report.safe import for_format, line

#: the reader of the output went away (``| head``): quiet, with the code a shell gives a tool SIGPIPE ended
EXIT_PIPE = 141


class _Parser(argparse.ArgumentParser):
    """argparse, with the argument it quotes in an error (an unknown option, a bad choice) escaped like every
    message: a file name or option carrying terminal sequences is shown, never run."""

    def error(self, message):
        super().error(line(message))


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="budgetkit",
        description="读取、核对部门预算/决算公开文件 / read and reconcile Chinese budget disclosures")
    sub = p.add_subparsers(dest="command", required=True)
    parse = sub.add_parser("parse", help="解析为整洁数据 / parse into tidy tables")
    parse.add_argument("paths", nargs="+", help="一份公开文件的一个或多个文件 / the file(s) of one disclosure")
    parse.add_argument("--out", required=True, help="输出文件夹 / output folder")
    parse.add_argument("--format", choices=["csv", "xlsx"], default="csv",
                       help="xlsx：另写一个 Excel 文件，每个数据表一页 / xlsx: also write one Excel file, a sheet per frame")
    chk = sub.add_parser("check", help="核对表内、表间、表文一致性 / reconcile tables and text")
    chk.add_argument("paths", nargs="+", help="一份公开文件的一个或多个文件 / the file(s) of one disclosure")
    chk.add_argument("--format", choices=["text", "json", "html", "md", "xlsx"], default="text")
    chk.add_argument("--out", help="写入文件而非标准输出 / write to this file instead of stdout")
    cmp_ = sub.add_parser("compare", help="跨年比较同一单位的公开文件 / compare one unit's disclosures across years")
    cmp_.add_argument("paths", nargs="+", help="每年一个文件；同一年多个文件用逗号连接 / one file per year; "
                                              "join a year's files with commas")
    cmp_.add_argument("--format", choices=["text", "json", "html", "md", "xlsx"], default="text")
    cmp_.add_argument("--out")
    sco = sub.add_parser("score", help="透明度评分：按评分表逐项评级 / transparency scorecard: each item rated with evidence")
    sco.add_argument("paths", nargs="+", help="一份公开文件的一个或多个文件，或一个数据集（排名表）/ the file(s) of one "
                                              "disclosure, or a store (the league table)")
    sco.add_argument("--format", choices=["text", "json", "html", "md", "xlsx"], default="text")
    sco.add_argument("--out", help="写入文件而非标准输出 / write to this file instead of stdout")
    sco.add_argument("--weights", help="自定义权重 CSV（列 id, weight）/ a CSV of your own weights (columns id, weight)")
    sco.add_argument("--by", choices=["total", "F", "T", "G", "N", "P", "Q"], default="total",
                     help="数据集排名依据：总分或某一部分 / a store's league: rank by the total or by one part")
    sco.add_argument("--min-coverage", type=float, default=0.8,
                     help="低于此覆盖率的不排名（默认 0.8）/ below this coverage an entry is marked, not ranked (0.8)")
    exe = sub.add_parser("execution", help="预算执行：同一单位同一年的预算与决算逐行对照 / budget execution: a year's "
                                           "预算 beside its 决算, line by line")
    exe.add_argument("paths", nargs="+", metavar="BUDGET FINAL", help="预算文件、决算文件（一份多个文件用逗号连接）；"
                     "只给决算则只核对其说明 / the 预算, then the 决算 (a disclosure's files joined by commas); "
                     "the 决算 alone checks its own statements")
    exe.add_argument("--format", choices=["text", "json", "html", "md", "xlsx"], default="text")
    exe.add_argument("--out")
    lab = sub.add_parser("lab", help="在 notebooks/ 打开 JupyterLab；其余选项原样传给 Jupyter / open JupyterLab at "
                                     "notebooks/; other options go to Jupyter unchanged")
    lab.add_argument("--port", type=int, default=8888)
    app = sub.add_parser("app", help="网页应用（Voilà），无需写代码 / the web app (Voilà) for people who do not code; "
                                     "other options go to Voilà unchanged")
    app.add_argument("--port", type=int, default=8866)
    from budgetkit.store.cli import add_parsers  # build, query: corpus stores

    add_parsers(sub)
    return p


_INPUTS: list = []  # the files this run reads: never an output


def main(argv=None) -> int:
    """Exit codes: 0 clean, 1 findings, 2 bad input, 3 internal error (traceback in a log file, never on the terminal)."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in ("lab", "app"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra  # lab/app: passed through to Jupyter / Voilà
    _INPUTS[:] = _inputs(args) if hasattr(args, "paths") else []
    try:
        if args.command in ("build", "query", "store"):
            from budgetkit.store.cli import run

            return run(args)
        if args.command == "parse":
            return _parse(args)
        if args.command == "check":
            return _check(args)
        if args.command == "lab":
            return _lab(args)
        if args.command == "app":
            from budgetkit.app import serve

            return serve(port=args.port, extra=args.extra)
        if args.command == "compare":
            return _compare(args)
        if args.command == "score":
            return _score(args)
        if args.command == "execution":
            return _execution(args)
    except (BadInputError, InternalError) as exc:
        failures = [exc, *getattr(exc, "also", [])]
        for e in failures:
            _say(f"错误 / error: {e}")
        return 3 if any(isinstance(e, InternalError) for e in failures) else 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`): not our failure
        _silence_stdout()
        return EXIT_PIPE
    except _StdoutError as exc:  # a full disk or a device error under stdout: said in one line, not a bug
        _silence_stdout()
        _say(f"错误 / error: 无法写入标准输出 / cannot write to standard output ({exc})")
        return 2
    except Exception as exc:  # a bug: one line here, the traceback in a log file
        log = log_internal_error(exc)
        tail = f"（日志 / log: {log}）" if log else ""
        print(f"错误 / error: {INTERNAL_ZH} / {INTERNAL_EN} [{type(exc).__name__}]{tail}", file=sys.stderr)
        return 3
    return 0


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout replaced by an object with no descriptor
        pass


class _StdoutError(Exception):
    """Standard output could not take the report (a full disk, an I/O error)."""


def _say(text: str) -> None:
    """One line on stderr: control and bidi characters and newlines from file names or document text escaped."""
    try:
        print(line(text), file=sys.stderr)
    except (BrokenPipeError, OSError, ValueError):
        pass  # stderr closed: nothing left to tell


def _emit(text: str) -> None:
    """Write a report to stdout; a closed pipe raises BrokenPipeError (exit 141, quiet), another write error
    is one line."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _StdoutError(exc.strerror or type(exc).__name__) from None


def _write_output(path, data: str | bytes) -> Path:
    """Write a report file safely: the folder is made, the file is written under a temporary
    name and renamed over the target (a symlink planted there is replaced, never followed)."""
    from budgetkit.export import write_bytes

    out = Path(path)
    if out.is_dir():
        raise BadInputError(out, "输出路径是一个文件夹，请给出文件名", "the output path is a folder; give a file name")
    _not_an_input(out, _INPUTS)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return write_bytes(out, data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise BadInputError(out, "无法写入输出文件", f"cannot write the output file ({exc.strerror or type(exc).__name__})") from None


def _write_xlsx(path, sheets) -> Path:
    """An .xlsx report needs a file: written safely like every report (temporary name, renamed), with an
    auto-filter on every sheet."""
    from budgetkit.export import xlsx_bytes

    if not path:
        raise BadInputError("--format xlsx", "xlsx 需要 --out 文件名", "xlsx needs --out FILE.xlsx")
    return _write_output(path, xlsx_bytes(sheets))


def _deliver(args, sheets, text, done: str) -> int:
    """A report in the chosen format: xlsx (``sheets()``) or text (``text()``) to ``--out`` with a one-line
    ``done`` summary on stderr, else the text on stdout.  Exit 0."""
    if args.format == "xlsx":
        out = _write_xlsx(args.out, sheets())
    elif args.out:
        out = _write_output(args.out, text())
    else:
        _emit(text())
        return 0
    _say(f"{done} → {out}")
    return 0


def _print_warnings(d) -> None:
    for w in d.warnings:
        _say(f"警告 / warning: {w}")


def _not_an_input(out, paths) -> None:
    """Refuse an output path that is one of the inputs (its own name, a hard link, or the file a symlinked input
    points at): writing the report there would replace the document it reports on."""
    import os

    try:
        there = os.lstat(out)
    except OSError:
        return
    for p in paths:
        for stat in (os.stat, os.lstat):
            try:
                st = stat(p)
            except (OSError, ValueError):
                continue
            if (st.st_dev, st.st_ino) == (there.st_dev, there.st_ino):
                raise BadInputError(out, "输出文件就是输入文件之一，写入会覆盖它，请换一个输出路径",
                                    "the output is one of the input files and would replace it: choose another "
                                    "--out")


def _inputs(args) -> list[str]:
    return [q for g in args.paths for q in str(g).split(",") if q] if args.command in ("compare", "execution") \
        else list(args.paths)


def _parse(args) -> int:
    from budgetkit.export import write_outputs
    from budgetkit.pipeline import read

    out = Path(args.out)
    for name in ("amounts.csv", "residue.csv", "meta.json", "amounts.parquet", "tables.parquet",
                 "narrative.parquet", "residue.parquet", ".budgetkit-outputs.json"):
        _not_an_input(out / name, args.paths)
    d = read(args.paths, keep_going=True)
    if args.format == "xlsx":
        _not_an_input(out / f"{d.doc_id}.xlsx", args.paths)
    try:
        written = write_outputs(d, out, xlsx=args.format == "xlsx")
    except OSError as exc:
        raise BadInputError(out, "无法写入输出文件夹", f"cannot write the output folder ({exc.strerror})") from None
    c = d.coverage()
    _say(
        f"{d.doc_id}: 表格 {c['tables']} 张（识别 {c['tables_recognised']}）/ tables {c['tables']} "
        f"({c['tables_recognised']} recognised); 金额单元格 {c['amount_cells']} / amount cells placed "
        f"{c['amount_cells']}; 残留 {c['residue_cells']} / residue {c['residue_cells']}; "
        f"段落 {c['paragraphs']} / paragraphs {c['paragraphs']}")
    _print_warnings(d)
    _say(f"→ {out} ({', '.join(p.name for p in written)})")
    for exc in d.errors:  # what could be read is written above; each failure is one line
        _say(f"错误 / error: {exc}")
    if any(isinstance(e, InternalError) for e in d.errors):
        return 3
    from budgetkit.check.engine import unreadable

    # what was found is written above; a file with no disclosure table, or figures printed and none read as an
    # amount (said only when no file failed: a failure is the story then), is still said and exits 2
    problem = unreadable(d, ", ".join(str(p) for p in args.paths))
    if problem is not None and (d.meta.get("no_tables") or not d.errors):
        _say(f"错误 / error: {problem}")
        return 2
    return 2 if d.errors else 0


def _compare(args) -> int:
    """Exit 0 when every stated prior-year figure agrees, 1 when one does not, 2 on bad input."""
    from budgetkit.report.panel import render_panel
    from budgetkit.yoy import compare

    groups = [[p for p in g.split(",") if p] for g in args.paths]
    groups = [g for g in groups if g]
    if len(groups) < 2:
        raise BadInputError(", ".join(args.paths), "跨年比较需要至少两个年份的文件",
                            "compare needs the files of at least two years")
    panel = compare(groups)
    if args.format == "xlsx":
        from budgetkit.export import panel_sheets

        _write_xlsx(args.out, panel_sheets(panel))
        _say(f"{len(panel.lines)} 行 / lines → {args.out}")
        return 1 if any(f.severity == "error" for f in panel.statements) else 0
    text = for_format(render_panel(panel, args.format), args.format)
    if args.out:
        _write_output(args.out, text)
        _say(f"{len(panel.lines)} 行 / lines, {len(panel.statements)} 条跨年发现 / statement findings → {args.out}")
    else:
        _emit(text)
    return 1 if any(f.severity == "error" for f in panel.statements) else 0


def _execution(args) -> int:
    """Exit 0: no error-level finding; 1: at least one; 2: bad input (two units, two years, two of one stage)."""
    from budgetkit.execution import execution
    from budgetkit.execution.report import render

    groups = [[p for p in g.split(",") if p] for g in args.paths]
    groups = [g for g in groups if g]
    if len(groups) not in (1, 2):
        raise BadInputError(", ".join(args.paths), "需要一份预算和一份决算（同一年多个文件用逗号连接）",
                            "give one 预算 and one 决算 (a disclosure's files joined by commas)")
    x = execution(groups[0] if len(groups) == 2 else None, groups[-1])
    if args.format == "xlsx":
        from budgetkit.execution.report import execution_sheets

        out = _write_xlsx(args.out, execution_sheets(x))
        c = x.findings.counts()
        _say(f"{len(x.lines)} 行 / lines, 错误 {c['error']} / errors, 警告 {c['warning']} / warnings → {out}")
        return 1 if x.findings.errors else 0
    text = for_format(render(x, args.format), args.format)
    if args.out:
        out = _write_output(args.out, text)
        c = x.findings.counts()
        _say(f"{len(x.lines)} 行 / lines, 错误 {c['error']} / errors, 警告 {c['warning']} / warnings → {out}")
    else:
        _emit(text)
    return 1 if x.findings.errors else 0


def _score(args) -> int:
    """Exit 0 when the disclosure was read and scored (or a store's league table printed); 2 on bad input."""
    from budgetkit.pipeline import read
    from budgetkit.score import score
    from budgetkit.score.league import is_store
    from budgetkit.score.report import render, scorecard_sheets

    if len(args.paths) == 1 and is_store(args.paths[0]):
        return _league(args)
    if args.weights and not Path(args.weights).is_file():
        raise BadInputError(args.weights, "权重文件不存在", "the weights file does not exist")
    d = read(args.paths)
    _print_warnings(d)
    try:
        s = score(d, weights=args.weights)
    except ValueError as exc:
        raise BadInputError(args.weights or "--weights", "权重文件有误", str(exc)) from None
    return _deliver(args, lambda: scorecard_sheets(s), lambda: for_format(render(s, args.format), args.format),
                    f"{d.doc_id}: {s.line()}")


def _league(args) -> int:
    """``budgetkit score STORE``: the league table of a store's scorecards (exit 0; 2 on bad input)."""
    from budgetkit.score.league import league_from_store
    from budgetkit.score.report import league_sheets, render_league

    if args.weights:
        raise BadInputError(args.weights, "数据集的排名使用构建时的评分，不接受 --weights",
                            "a store's league uses the scores kept at build time; --weights applies to files")
    if not 0 <= args.min_coverage <= 1:
        raise BadInputError(f"--min-coverage {args.min_coverage}", "应在 0 与 1 之间", "must be between 0 and 1")
    L = league_from_store(args.paths[0], min_coverage=args.min_coverage, by=args.by)
    done = f"{len(L.entries)} 份公开文件 / disclosures, {int(L.entries['ranked'].sum())} 排名 / ranked"
    return _deliver(args, lambda: league_sheets(L), lambda: for_format(render_league(L, args.format), args.format),
                    done)


def _lab(args) -> int:
    """JupyterLab at the curated notebooks (the repository's notebooks/, else the current folder); no news
    prompt; a SIGTERM to this process reaches Jupyter, which ends its kernels."""
    from budgetkit.app.serving import lab_command, run_forwarding

    here = Path(__file__).resolve().parents[1] / "notebooks"
    root = here if here.is_dir() else Path.cwd()
    # any other Jupyter option goes on unchanged (e.g. --no-browser, --ServerApp.ip=0.0.0.0)
    cmd, env = lab_command(root, args.port, args.extra, as_root=_is_root())
    _say(f"JupyterLab → {root}")
    return run_forwarding(cmd, env=env)


def _is_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0


def _check(args) -> int:
    """Exit 0: no error-level finding; 1: at least one; 2: bad input."""
    from budgetkit.check import check
    from budgetkit.pipeline import read
    from budgetkit.report import render

    d = read(args.paths)  # a file with no disclosure table is refused here (exit 2)
    _print_warnings(d)
    findings = check(d)
    if args.format == "xlsx":
        from budgetkit.export import findings_sheets

        _write_xlsx(args.out, findings_sheets(findings))
        c = findings.counts()
        _say(f"{d.doc_id}: 错误 {c['error']} / errors, 警告 {c['warning']} / warnings, 待核对 {c['review']} / review, "
              f"提示 {c['info']} / info → {args.out}")
        return 1 if findings.errors else 0
    text = for_format(render(findings, args.format), args.format)
    if args.out:
        out = _write_output(args.out, text)
        c = findings.counts()
        _say(f"{d.doc_id}: 错误 {c['error']} / errors, 警告 {c['warning']} / warnings, 待核对 {c['review']} / review, "
              f"提示 {c['info']} / info → {out}")
    else:
        _emit(text)
    return 1 if findings.errors else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
