"""Who published, for which year, at which stage, in which template family."""
from __future__ import annotations

import re
from collections import Counter

from budgetkit.recognise.catalogue import families_for

_DEPT = re.compile(r"(?:预算主管部门|编制部门|部门名称|部门)\s*[:：]\s*(?:(\d+)\s*[-－]\s*)?([^\s:：]{2,40}?)(?=\s|单位|金额|$)")
_UNIT = re.compile(r"(?:编制单位|预算单位|单位名称)\s*[:：]\s*([^\s:：]{2,40}?)(?=\s|金额|单位[:：]|$)")
_YEAR = re.compile(r"(20\d{2})\s*年")


def infer_meta(tables, prose_lines, units: dict) -> dict:
    dept_votes: Counter = Counter()
    dept_codes: dict = {}
    unit_votes: Counter = Counter()
    for t in tables:
        for line in t.captions:
            for m in _DEPT.finditer(line):
                dept_votes[m.group(2)] += 1
                if m.group(1):
                    dept_codes[m.group(2)] = m.group(1)
            for m in _UNIT.finditer(line):
                unit_votes[m.group(1)] += 1
    for ln in prose_lines[:15]:
        for m in _DEPT.finditer(ln.text):
            dept_votes[m.group(2)] += 1
        for m in _UNIT.finditer(ln.text):
            unit_votes[m.group(1)] += 1
    year_votes: Counter = Counter()
    for t in tables:
        for line in t.captions:
            for y in _YEAR.findall(line):
                year_votes[y] += 2
    for ln in prose_lines[:10]:
        for y in _YEAR.findall(ln.text):
            year_votes[y] += 1
    titles = " ".join(t.title for t in tables if t.kind != "unknown")
    head = " ".join(ln.text for ln in prose_lines[:3])
    if "决算" in titles or ("决算" in head and "预算" not in titles):
        stage = "决算"
    else:
        stage = "预算"
    fam_votes: Counter = Counter()
    for t in tables:
        fams = families_for(t.title) if t.match_score >= 2 else set()
        for f in fams:
            fam_votes[f] += 1.0 / len(fams)
        if t.table_no and t.table_no.startswith("公开表"):
            fam_votes["sichuan"] += 0.5
    if stage == "决算":
        fam_votes["final_accounts"] += 0.5
    unit_list = [{"code": c, "name": n} for c, n in units.items()]
    if not unit_list and unit_votes:
        unit_list = [{"code": None, "name": unit_votes.most_common(1)[0][0]}]
    department = dept_votes.most_common(1)[0][0] if dept_votes else None
    if department is None and unit_list:
        department = unit_list[0]["name"]
    if department is None:
        for ln in prose_lines[:5]:
            m = re.match(r"^(.{4,40}?)(?:20\d{2}年)", ln.text.replace(" ", ""))
            if m:
                department = m.group(1)
                break
    return {
        "department": department,
        "department_code": dept_codes.get(department),
        "units": unit_list,
        "year": int(year_votes.most_common(1)[0][0]) if year_votes else None,
        "stage": stage,
        "family": fam_votes.most_common(1)[0][0] if fam_votes else "unknown",
    }
