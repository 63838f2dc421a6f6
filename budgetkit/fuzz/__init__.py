"""Fuzz harness: mutated disclosures must read cleanly or fail with one clear line — and lose nothing silently.

The invariant, for every input: ``budgetkit.read`` returns a Disclosure whose conservation ledger balances (every
figure printed is an amount, a residue row, a non-amount column, or said in a warning), or raises
:class:`~budgetkit.errors.BadInputError` with one bilingual line; ``check`` on what was read returns findings or
refuses with its reason; reports, error lines and CSV files carry no control sequence, live link or formula from
the document; all within a time bound.

Inputs: the seed's Word-export text, Excel workbook and Word file, small PDFs and the seed PDF, mutated
(:mod:`budgetkit.fuzz.mutate`, :mod:`budgetkit.fuzz.office`), some under file names in GBK bytes, with newlines,
leading dashes or escape sequences.

``python -m budgetkit.fuzz -n 10000`` (``make fuzz``) prints the tally (:data:`OUTCOMES`); the first input of each
failing class is saved beside the tally for a reproducer.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

from budgetkit.fuzz.harness import OUTCOMES, amounts_key, odd_name, run_case, write_case
from budgetkit.fuzz.mutate import (ROOT, SEED_PDF, SEED_TXT, compatible, malformed, mutate_pdf, mutate_text,
                                   tiny_pdf)

__all__ = ["OUTCOMES", "SEED_PDF", "SEED_TXT", "compatible", "main", "malformed", "mutate_pdf", "mutate_text",
           "run_case", "tiny_pdf"]

LABELS = {"clean": "正常 / clean", "clear_error": "清楚的错误 / clear error", "unhandled": "未处理 / unhandled",
          "over_time": "超时 / over time", "lost": "守恒失败（数字丢失）/ conservation failures (figures lost)",
          "wrong": "读错（与所见不同）/ read other than shown", "unsafe": "输出不安全 / unsafe output"}
FAILURES = ("unhandled", "over_time", "lost", "wrong", "unsafe")


class _Baseline:
    """The seed's amounts per format, read once: what an input that shows the same must read to."""

    def __init__(self):
        self._keys: dict = {}

    def same_as(self, path: Path):
        if path not in self._keys:
            import budgetkit

            self._keys[path] = amounts_key(budgetkit.read(path))
        want = self._keys[path]

        def expect(d):
            got = amounts_key(d)
            if got == want:
                return None
            missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
            return f"amounts differ from the seed's: {len(want)} → {len(got)}; " \
                   f"missing {missing[:2]}, extra {extra[:2]}"
        return expect


def _picture_said(d):
    """A picture page (a scan inside a text PDF) must be named in a warning."""
    if any("scans" in w or "pictures" in w for w in d.warnings):
        return None
    return "a picture page was skipped without a word"


def make_case(k: int, rng: random.Random, seed_text: str, pdfs: list, baseline: _Baseline):
    """(data, suffix, ops, do_check, expect, outputs) of case ``k``."""
    from budgetkit.fuzz.office import SEED_DOCX, SEED_XLSX, mutate_docx, mutate_xlsx

    r = rng.random()
    expect, outputs = None, False
    if r < 0.68:
        data, ops = mutate_text(seed_text, rng)
        suffix, do_check = ".txt", k % 20 == 0
        outputs = bool({"hostile", "control"} & set(ops)) and k % 6 == 0
    elif r < 0.72:  # look-alike characters only: what the seed shows, so what it reads
        data = compatible(seed_text, rng, share=rng.choice([0.1, 0.5, 1.0])).encode("utf-8")
        ops, suffix, do_check = ["compat-only"], ".txt", k % 10 == 0
        expect = baseline.same_as(SEED_TXT)
    elif r < 0.83:
        name, base = pdfs[0] if r < 0.815 else pdfs[1 + (k % (len(pdfs) - 1))] if len(pdfs) > 1 else pdfs[0]
        data, ops = mutate_pdf(base, rng)
        ops, suffix, do_check = [name, *ops], ".pdf", k % 5 == 0
    elif r < 0.86:  # a picture page inside a text PDF
        share = rng.choice([0.6, 0.9, 1.0])
        data = tiny_pdf(pictures=tuple([share] * rng.randint(1, 2)))
        ops, suffix, do_check, expect = [f"picture page {share:.0%}"], ".pdf", False, _picture_said
    elif r < 0.91:
        data, ops, same = mutate_xlsx(rng)
        suffix, do_check = ".xlsx", k % 10 == 0
        expect = baseline.same_as(SEED_XLSX) if same else None
    else:
        data, ops, same = mutate_docx(rng)
        suffix, do_check = ".docx", k % 10 == 0
        expect = baseline.same_as(SEED_DOCX) if same else None
    return data, suffix, ops, do_check, expect, outputs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="budgetkit fuzz harness / 模糊测试")
    ap.add_argument("-n", "--cases", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--out", default="out/fuzz", help="folder for the reproducers of failing cases")
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("FUZZ_JOBS") or 1),
                    help="processes side by side, shard i with seed SEED+i (FUZZ_JOBS=…)")
    ap.add_argument("--tally", help="also write the tally as JSON to this file")
    args = ap.parse_args(argv)
    if args.jobs > 1:
        return _in_shards(args)
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = out / "case"
    work.mkdir(exist_ok=True)
    seed_text = SEED_TXT.read_text(encoding="utf-8")
    pdfs = [("tiny", tiny_pdf())]
    for p in (SEED_PDF, ROOT / "tests" / "fixtures" / "no-tables.pdf"):
        if p.exists():
            pdfs.append((p.stem, p.read_bytes()))
    baseline = _Baseline()
    tally: Counter = Counter()
    classes: dict[str, list] = {}
    t0 = time.monotonic()
    for k in range(args.cases):
        data, suffix, ops, do_check, expect, outputs = make_case(k, rng, seed_text, pdfs, baseline)
        name = odd_name(rng, suffix) if rng.random() < 0.08 else None
        if name:
            ops = [*ops, f"name {name[:24]!r}"]
            outputs = outputs or k % 4 == 0
        path = write_case(work, k, data, suffix, name)
        if outputs:
            outputs = (rng.choice(["text", "md", "json"]),)  # one report format a case: all three over the run
        outcome, detail = run_case(path, do_check, args.time_limit, expect=expect, outputs=outputs)
        tally[outcome] += 1
        if outcome in FAILURES:
            key = f"{outcome}: {detail}" if outcome != "over_time" else "over time"
            if key not in classes:
                keep = out / f"{outcome}-{len(classes) + 1}{suffix}"
                keep.write_bytes(data)
                classes[key] = [0, str(keep), ops, do_check]
            classes[key][0] += 1
        path.unlink(missing_ok=True)
        if (k + 1) % 500 == 0:
            print(f"{k + 1} cases, {time.monotonic() - t0:.0f} s: " + ", ".join(f"{o} {tally[o]}" for o in OUTCOMES),
                  file=sys.stderr, flush=True)
    if args.tally:
        Path(args.tally).write_text(json.dumps({"tally": tally, "classes": classes}, ensure_ascii=False, default=str),
                                    encoding="utf-8")
    return _summary(args.cases, str(args.seed), time.monotonic() - t0, tally, classes)


def _summary(cases: int, seeds: str, seconds: float, tally: Counter, classes: dict) -> int:
    print(f"模糊测试 / fuzz: {cases} 个输入 / cases, 种子 / seed {seeds}, {seconds:.0f} s")
    for o in OUTCOMES:
        print(f"  {LABELS[o]}: {tally[o]}")
    for key, (count, keep, ops, checked) in sorted(classes.items(), key=lambda kv: -kv[1][0]):
        print(f"  × {count}: {key}\n      {keep} ({'read+check' if checked else 'read'}; {', '.join(map(str, ops))})")
    return 1 if any(tally[o] for o in FAILURES) else 0


def _in_shards(args) -> int:
    """``--jobs N``: N processes, shard i taking its share of the cases with seed SEED+i; one tally."""
    import subprocess

    t0 = time.monotonic()
    out = Path(args.out)
    runs = []
    for i in range(args.jobs):
        n = args.cases // args.jobs + (i < args.cases % args.jobs)
        folder = out / f"shard-{i + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "budgetkit.fuzz", "-n", str(n), "--seed", str(args.seed + i), "--out",
               str(folder), "--time-limit", str(args.time_limit), "--jobs", "1", "--tally", str(folder / "tally.json")]
        runs.append((folder, subprocess.Popen(cmd, stdout=subprocess.DEVNULL)))
    tally: Counter = Counter()
    classes: dict = {}
    for folder, proc in runs:
        proc.wait()
        try:
            part = json.loads((folder / "tally.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            tally["unhandled"] += 1  # a shard that died is a failure of the run
            classes.setdefault(f"unhandled: shard {folder.name} ended without a tally (exit {proc.returncode})",
                               [1, str(folder), [], False])
            continue
        tally.update(part["tally"])
        for key, (count, keep, ops, checked) in part["classes"].items():
            classes.setdefault(key, [0, keep, ops, checked])[0] += count
    seeds = f"{args.seed}…{args.seed + args.jobs - 1}"
    return _summary(args.cases, seeds, time.monotonic() - t0, tally, classes)
