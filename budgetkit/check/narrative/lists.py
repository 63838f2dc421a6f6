"""Lists and parts: parts listed after their total (其中/包括, N11), counts, and the 三公 changes that add up
to the change of their total (N12).
"""
from __future__ import annotations

import re
from decimal import Decimal

from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger, half_unit
from budgetkit.check.narrative.changes import _BASE_WORD, _DELTA_SUBJECT, _sign
from budgetkit.check.narrative.coverage import _loc, _mark, _why
from budgetkit.check.narrative.subjects import _FACT_NAMES, _three_key
from budgetkit.check.recorder import Recorder, fmt
from budgetkit.tidy.statements import LIST_MARK
from budgetkit.money import YUAN_PER_UNIT, printed_decimals, to_yuan
from budgetkit.reference import load_csv


_LIST_WORDS = re.compile(r"其中|包括|分别为|分别是")
_MAIN_WORDS = re.compile(r"主要(?:原因)?(?:是|为|包括)")
_OPENS_LIST = re.compile(r"^(?:其中|主要(?:原因)?(?:是|为|包括))[：:]?")
_DIRECTION_END = re.compile(r"(?:增加|减少|增长|下降|上升|降低)$")
_LEAD = re.compile(r"^(?:其中|主要(?:原因)?(?:是|为|包括)|具体(?:包括|如下)|包括)[：:]?$")


def _figures(s) -> list:
    """The amounts and changes a sentence states (not its bases, thresholds or shares alone)."""
    return [m for m in s.mentions if m.role in ("amount", "delta")]
_CHANGE_WORDS = re.compile(r"增加|减少|增长|下降|持平|比上年|较上年|上升|降低")


def _list_runs(sentences: list) -> list[tuple[list, bool]]:
    """Sentences read together as one list, each run with whether it may name only some parts.

    "…总额4,308.39万元，其中：货物2,315.5万元；" "工程417.8万元；" "服务1,575.09万元。" — a sentence ending in
    ；/; continues into the sentence right after it (no sentence between them) when that one states a single
    figure and no list of its own.  A sentence stating one figure followed by numbered items ("1.教育支出比上年
    增加3,805.13万元；" "2.…") is a list too, one that may name only the main items."""
    runs, cur, numbered = [], [], False
    for s in sentences:
        own = _figures(s)
        # right after the sentence before, or after a lead with no figure of its own ("其中：")
        follows = bool(cur) and (s.before == cur[-1].text
                                 or (s.no == cur[-1].no + 2 and _LEAD.match(s.before or "") is not None))
        item = follows and len(own) == 1 and LIST_MARK.match(s.text) is not None and (
            numbered or (len(cur) == 1 and len(_figures(cur[0])) == 1))
        if item:
            numbered = True
        elif cur and (not follows or numbered or not cur[-1].text.rstrip().endswith(("；", ";"))
                      or len(own) > 1 or _LIST_WORDS.search(s.text)):  # a sentence with its own list starts anew
            runs.append((cur, numbered))
            cur, numbered = [], False
        cur.append(s)
    if cur:
        runs.append((cur, numbered))
    return runs


def _opening_lists(sentences: list):
    """"学校收入总计430,725.03万元，与2022年度相比，减少23,616.80万元。" "其中：财政拨款收入增加14,458.07万元，
    事业收入增加974.61万元，其他收入减少39,049.48万元。" — a sentence opening with 其中 lists the parts of the
    one change stated in the sentence right before it: (both sentences, that change)."""
    prev = None
    for s in sentences:
        if prev is not None and s.before == prev.text and _OPENS_LIST.match(s.text):
            deltas = [m for m in prev.mentions if m.role == "delta"]
            if len(deltas) == 1 and _DIRECTION_END.search(deltas[0].subject or ""):
                yield [prev, s], deltas[0]
        prev = s


def _inner_change_lists(runs: list):
    """"收入比2025年增加2,784.38万元，其中：一般公共预算财政拨款增加2,781.90万元，主要是…；" "事业收入增加
    2.48万元，主要是…。" — a change inside a longer list, followed by 其中 and only changes to the run's end: those
    changes are its parts (the run, that change, its parts)."""
    for run, _ in runs:
        figures = [m for x in run for m in _figures(x)]
        for i, m in enumerate(figures[:-2]):
            parts = figures[i + 1:]
            if (i and m.role == "delta" and _DIRECTION_END.search(m.subject or "")
                    and "其中" in (parts[0].context or "")
                    and all(_DELTA_SUBJECT.match(p.subject or "") and p.share is None for p in parts)
                    and not any(_LIST_WORDS.search(p.context or "") for p in parts[1:])):
                yield [x for x in run if any(f in x.mentions for f in [m] + parts)], m, parts
                break


def parts_within_total(L: Ledger, R: Recorder) -> None:
    """N11: "政府采购预算总额370.62万元，其中：货物252.619万元、工程0万元、服务118万元" — the parts listed
    after a total add up to it (equal within rounding: checked; above it: review; below it: not judged).
    A list of changes ("支出预算增加118.76万元，其中基本支出增加79.26万元，项目支出增加39.5万元") adds up the
    same way, signed; for changes only agreement is judged, and so for lists that may name only the main items
    (numbered items after a total, "主要是…")."""
    n = 0
    runs = _list_runs(L.statements)
    for run, numbered in runs:
        amounts = [m for x in run for m in _figures(x)]
        main = len(amounts) >= 3 and _MAIN_WORDS.search(amounts[1].context) is not None
        if len(amounts) < 3 or not (numbered or main or _LIST_WORDS.search(amounts[1].context)):
            continue
        total, parts = amounts[0], amounts[1:]
        if any(_LIST_WORDS.search(p.context) for p in parts[1:]):
            continue  # a nested list: not one flat list of parts
        deltas = [_DELTA_SUBJECT.match(m.subject or "") for m in amounts]
        changes = all(deltas)
        if not changes and (any(deltas) or any(_CHANGE_WORDS.search(x.text) for x in run) or total.value == 0):
            continue  # levels mixed with changes
        signs = [(_sign(d.group("dir")) if changes else 1) for d in deltas]
        n += 1
        _judge_parts(L, R, run, total, parts, signs, changes, partial=numbered or main)
    for run, total in _opening_lists(L.statements):
        parts = _figures(run[1])
        deltas = [_DELTA_SUBJECT.match(m.subject or "") for m in parts]
        if len(parts) < 2 or not all(deltas) or any(p.share is not None for p in parts):
            continue
        signs = [_sign(_DIRECTION_END.search(total.subject).group(0))] + [_sign(d.group("dir")) for d in deltas]
        n += 1
        _judge_parts(L, R, run, total, parts, signs, True, partial=False)
    for run, total, parts in _inner_change_lists(runs):
        signs = [_sign(_DIRECTION_END.search(total.subject).group(0))]
        signs += [_sign(_DELTA_SUBJECT.match(p.subject).group("dir")) for p in parts]
        n += 1
        _judge_parts(L, R, run, total, parts, signs, True, partial=False)
    if not n:
        R.not_evaluated("N11", "说明中没有读到在总额后列出分项的句子", "no sentence listing parts after a total was read")


def _judge_parts(L: Ledger, R: Recorder, run: list, total, parts: list, signs: list, changes: bool,
                 partial: bool) -> None:
    amounts = [total] + parts
    per = {m.unit: YUAN_PER_UNIT[m.unit] for m in amounts}
    stated = signs[0] * total.value * per[total.unit]
    got = sum((g * p.value * per[p.unit] for g, p in zip(signs[1:], parts)), Decimal(0))
    tol = sum((half_unit(printed_decimals(m.value)) * per[m.unit] for m in amounts), Decimal(0))
    R.evaluated["N11"] += 1
    if abs(got - stated) <= tol:
        for x in run:
            _mark(L, x)
    elif partial:
        for x in run:
            _why(L, x, "所列主要项目之和与总额不同，可能未列全", "the main items listed do not add up to the "
                 "total; they may name only some")
    elif got > stated and not changes:
        _mark(L, run[0], R.add(Finding(
            "N11", "review", f"说明中「{total.subject}」{total.raw}，其后所列{len(parts)}项之和为 "
            f"{fmt(got / per[total.unit], total.unit)}{total.unit}，超过总额",
            f"the text's '{total.subject}' {total.raw}: the {len(parts)} parts listed after it add up to "
            f"{fmt(got / per[total.unit], total.unit)} {total.unit}, more than the total",
            expected=total.value, actual=got / per[total.unit], unit=total.unit, locations=[_loc(x) for x in run],
            guesses=["所列各项按并列相加；若某项是其后各项的小计则不成立 / the parts are taken to be side by side; "
                     "not so if one is a subtotal of the ones after it"])))
    else:
        for x in run:
            _why(L, x, "“其中”所列各项之和与总额不同，可能未列全", "the parts listed do not add up to the total; "
                 "the list may name only some")


def count_lists(L: Ledger, R: Recorder) -> None:
    """N11 for counts: "共有车辆46辆，其中机要通信用车2辆，应急保障用车15辆，其他按照规定配备的公务用车29辆" — the
    parts after 其中, in the same clause and unit, add up to the count before it.  Equal: checked.  Otherwise a
    review, and only when the list cannot be partial: its parts exceed the total, or it closes with a 其他 item
    (a list with "other" names everything).  A part with a list of its own (其中 again) leaves the clause alone."""
    for s in L.statements:
        for clause_start, clause in _clauses(s.text):
            counts = [c for c in s.counts if clause_start <= c[2] < clause_start + len(clause)]
            head = next((i for i, c in enumerate(counts[:-2])
                         if "其中" in s.text[c[3]: counts[i + 1][2]]), None)
            if head is None:
                continue
            total, parts = counts[head], [c for c in counts[head + 1:] if c[1] == counts[head][1]]
            gaps = [s.text[a[3]: b[2]] for a, b in zip([total] + parts, parts)]
            if len(parts) < 2 or any("其中" in g or "（" in g or "(" in g for g in gaps[1:]):
                continue
            if not (total[1] == "辆" or total[1] == "人" and all(_STAFF_KIND.search(g) for g in gaps)):
                continue  # titles, supervisors, programmes overlap (正高级职称 795 人、博士生导师 561 人): not parts
            got = sum((c[0] for c in parts), Decimal(0))
            R.evaluated["N11"] += 1
            if got == total[0]:
                _mark(L, s)
                continue
            other = "其他" in s.text[parts[-2][3]: parts[-1][2]]
            if got < total[0] and not other:
                _why(L, s, "“其中”所列数量之和小于总数，可能未列全", "the counts listed add up to less than the "
                     "total; the list may name only some")
                continue
            quote = s.text[max(0, total[2] - 12): parts[-1][3]]
            unit = total[1]
            _mark(L, s, R.add(Finding(
                "N11", "review", f"说明中「{quote}」：所列{len(parts)}项之和为 {got}{unit}，总数为 {total[0]}{unit}",
                f"the text's '{quote}': the {len(parts)} parts listed add up to {got} ({unit}), the total is "
                f"{total[0]}", expected=total[0], actual=got, unit=unit, locations=[_loc(s)],
                guesses=["所列各项按并列相加 / the parts are taken to be side by side"])))


# kinds of post that do not overlap: 编制 and 实有人员 split into 行政/事业/工勤
_STAFF_KIND = re.compile(r"(?:行政|事业|工勤|参照公务员|参公)[^，,、；;。]{0,6}$")


def three_public_changes(L: Ledger, R: Recorder) -> None:
    """N12: "“三公”经费394.49万元，较2025年减少2.48万元，其中：因公出国（境）费184.49万元，与2025持平；公务接待费
    10万元，与2025持平；公务用车运行维护费200.00万元，较2025年减少2.48万元；公务用车购置费0万元，与2025年持平" —
    the changes stated for the parts add up to the change stated for their total (reference/fact_identities.csv).
    Judged within one passage (sentences at most 8 apart), for one base year and base word, only when the total
    and every part are stated."""
    identities = [(r["total"], r["parts"].split("+")) for r in load_csv("fact_identities.csv")]
    keys = {k for t, ps in identities for k in [t, *ps]}
    groups: dict = {}
    last: dict = {}  # per base: the last sentence read into its group
    for s in L.statements:
        for c in s.changes:
            cur = c.current
            if cur is None or not (c.delta_unit in YUAN_PER_UNIT or c.direction == "持平" and c.delta is None):
                continue
            key = _three_key(cur.subject or "", keys)
            if key is None:
                continue
            word = _BASE_WORD.search(c.raw)
            base = (s.file, c.year, word.group(0) if word else "")
            if base not in last or s.no - last[base][0] > 8:  # one paragraph and its numbered items, not the text
                last[base] = (s.no, s.no)
            last[base] = (s.no, last[base][1])
            g = groups.setdefault(base + (last[base][1],), {})
            signed = Decimal(0) if c.delta is None else _sign(c.direction) * to_yuan(c.delta, c.delta_unit)
            tol = Decimal(0) if c.delta is None else to_yuan(half_unit(printed_decimals(c.delta)), c.delta_unit)
            g.setdefault(key, set()).add((signed, tol, s.no))
    by_no = {s.no: s for s in L.statements}
    n = 0
    for g in groups.values():
        if any(len({v for v, _, _ in vals}) > 1 for vals in g.values()):
            continue  # a part stated twice with different changes: not one list
        # each stated once (or restated alike): (change, tolerance, the sentences stating it)
        known = {k: (*next(iter(vals))[:2], {x for _, _, x in vals}) for k, vals in g.items()}
        for total, parts in reversed(identities):  # a subtotal the text leaves out is the sum of its parts
            if total not in known and all(p in known for p in parts):
                known[total] = (sum(known[p][0] for p in parts), sum(known[p][1] for p in parts),
                                set().union(*(known[p][2] for p in parts)))
        for total, parts in identities:
            if total not in g or not all(p in known for p in parts):
                continue
            stated, tol, where = known[total]
            got = sum(known[p][0] for p in parts)
            tol += sum(known[p][1] for p in parts)
            R.evaluated["N12"] += 1
            n += 1
            sentences = [by_no[x] for x in sorted(where.union(*(known[p][2] for p in parts)))]
            if abs(got - stated) <= tol:
                for x in sentences:
                    _mark(L, x)
                continue
            f = R.add(Finding(
                "N12", "fail", f"说明称「{_FACT_NAMES.get(total, total)}」增减 {fmt(stated / 10000, '万元')}万元，"
                f"所列各项的增减之和为 {fmt(got / 10000, '万元')}万元",
                f"the text states a change of {fmt(stated / 10000, '万元')} 万元 for '{total}'; the changes it "
                f"states for its parts add up to {fmt(got / 10000, '万元')} 万元",
                expected=got / 10000, actual=stated / 10000, unit="万元", tolerance=tol / 10000,
                locations=[_loc(x) for x in sentences]))
            for x in sentences:
                _mark(L, x, f)
    if not n:
        R.not_evaluated("N12", "说明没有同时写出“三公”总额及各项的增减", "the text does not state the change of the "
                        "“三公” total and of every part")


def _clauses(text: str):
    """(start, clause) for each part of a sentence between ；/;/。 — a list of counts stays within one."""
    start = 0
    for part in re.split(r"(?<=[；;。])", text):
        if part:
            yield start, part
        start += len(part)
