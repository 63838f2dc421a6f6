"""A number printed off its line, put back at the start of the line it begins.

A template may fill a title's year from a field set in another font or raised or lowered from the title's line
(「2026」 then 「年部门收入总体情况表」 a little higher, touching it on the left): grouped by height, the two
read as two lines, and the title reads 「年部门收入总体情况表」 without its year. A line that is only a number,
whose right edge touches the left edge of a line beginning with 年 within about a line's height of it, is the
start of that line (a year, nothing else: a code beside a name in a table without ruling stays apart).
"""
from __future__ import annotations

import re

_NUMBER = re.compile(r"\d{1,4}")


def _touches(num: dict, line: dict) -> bool:
    height = max(float(line["bottom"]) - float(line["top"]), float(num["bottom"]) - float(num["top"]), 1.0)
    gap = float(line["x0"]) - float(num["x1"])
    return -0.1 * height <= gap <= 0.3 * height and abs(float(line["top"]) - float(num["top"])) <= height


def rejoin_numbers(lines: list[dict]) -> list[dict]:
    """``lines`` (pdfplumber text lines of the page) with each lone leading number joined to its line."""
    numbers = [i for i, ln in enumerate(lines) if _NUMBER.fullmatch((ln.get("text") or "").strip())]
    if not numbers:
        return lines
    out = list(lines)
    gone: set[int] = set()
    for i in numbers:
        num = lines[i]
        hits = [j for j, ln in enumerate(lines) if j != i and j not in gone and j not in numbers
                and (ln.get("text") or "").lstrip().startswith("年") and _touches(num, ln)]
        if len(hits) != 1:  # none, or a doubt between two lines: left as printed
            continue
        j = hits[0]
        ln = out[j]
        out[j] = {**ln, "text": num["text"].strip() + ln["text"], "x0": num["x0"],
                  "top": min(float(ln["top"]), float(num["top"])), "bottom": max(float(ln["bottom"]), float(num["bottom"]))}
        gone.add(i)
    return [ln for k, ln in enumerate(out) if k not in gone]
