"""A sentence's subject and the table line it names: phrases (reference/narrative_subjects.csv), the cores
of a subject, a code before a figure, a subject inherited from the sentence before, the 三公 parts.
"""
from __future__ import annotations

import re

from budgetkit.check.ledger import Ledger, strip_numbering
from budgetkit.check.narrative.facts import Fact, _facts
from budgetkit.check.statements import AMOUNT, Mention, Sentence, normalise_name
from budgetkit.reference import load_csv


_PREFIX_OK = ("年", "年度", "其中", "中", "局", "委", "会", "厅", "处", "部门", "单位", "本年", "当年", "街道",
              "室", "院", "所", "站", "队", "包括", "主要", "全年", "安排")
#: facts that are fiscal-appropriation money whatever the text calls them: 财政拨款/一般公共预算 before
#: them names their scope, not another figure (财政拨款“三公”经费; but 财政拨款支出总计 is not 支出总计)
_SCOPE_FREE = ("three_", "operating_costs", "meeting_costs", "training_costs", "code:")
_SCOPE_WORDS = ("财政拨款", "一般公共预算", "财政拨款安排的", "拨款安排的", "预算拨款安排的", "一般公共预算拨款")


def _resolve_phrase(subject: str) -> str | None:
    best = None
    for r in load_csv("narrative_subjects.csv"):
        p = r["phrase"]
        if subject.endswith(p):
            prefix = subject[: -len(p)]
            if prefix and (prefix.endswith("项目") or not (
                    prefix.endswith(_PREFIX_OK) or (r["fact"].startswith(_SCOPE_FREE) and prefix.endswith(_SCOPE_WORDS)))):
                continue
            if best is None or len(p) > len(best[0]):
                best = (p, r["fact"])
    return best[1] if best else None


_LEADING = re.compile(r"^.*?(?:(?:19|20)\d{2}\s*年(?:度)?|本年度|当年|年度|全年)")
_MARKERS = re.compile(r"[（(]\d*[类款项][)）]")
_YEAR_AFTER = re.compile(r"(?:19|20)\d{2}年(?:度)?$")
_TRAILING = re.compile(r"(?:预算数为|预算数|预算安排|预算支出|预算为|预算总额为|预算总额|预算|年初预算数|支出决算数为|"
                       r"支出决算为|支出决算数|支出决算|决算数为|决算数|决算为|决算|执行数为|执行数|安排|支出为|为|共|达|是|"
                       r"拨款|财政拨款|合计|共计|总额|支出)$")


def subject_cores(subject: str) -> list[str]:
    """The subject, then shorter forms of it: without the unit's name and year before it
    (国家信访局2024年度本年支出合计 → 本年支出合计), then without measure words after it
    (公务接待费预算支出 → 公务接待费).  Each is tried in turn against the phrase list and printed names."""
    subject = subject.replace("收、支", "收支")  # 财政拨款收、支总计
    subject = _YEAR_AFTER.sub("", _MARKERS.sub("", subject)) or subject  # 一般公共服务（类）支出, 购置费2026年
    out = [subject]
    core = _LEADING.sub("", subject) or subject
    out.append(core)
    for _ in range(3):
        shorter = _TRAILING.sub("", core)
        if shorter == core or not shorter:
            break
        core = shorter
        out.append(core)
    return list(dict.fromkeys(x for x in out if x))


_CODE_IN_TEXT = re.compile(r"(?<![\d.])(?P<code>\d{3}(?:\d{2}){0,2})(?![\d.%％万元个人辆台套])")


def code_before(L: Ledger, s: Sentence, m: Mention) -> str | None:
    """A classification code written before a figure in its clause (2080501-行政单位离退休 178.51万元,
    小学教育（2050202），2023年度决算数为7,970.38万元) that the tables print: the figure's line."""
    lo = max((x.end for x in s.mentions if x.end <= m.start), default=0)
    codes = _printed_codes(L)
    found = [c.group("code") for c in _CODE_IN_TEXT.finditer(s.text[lo:m.start]) if c.group("code") in codes]
    return found[-1] if len(set(found)) == 1 else None


def _printed_codes(L: Ledger) -> set:
    if "_printed_codes" not in L.__dict__:
        L.__dict__["_printed_codes"] = {c for c in L.a["eff_code"] if isinstance(c, str) and len(c) in (3, 5, 7)}
    return L.__dict__["_printed_codes"]


_GENERIC = re.compile(r"^(?:(?:19|20)\d{2}年(?:度)?|本年|当年|年度)?(?:预算|决算|执行)?(?:数|安排|支出)?(?:为|是)?$")


def inherited_subject(s: Sentence, m: Mention) -> str | None:
    """A figure whose own subject is only a year and a measure (2026年预算安排0.00万元) belongs to the
    clause or the heading before it: "1.因公出国（境）费。2026年预算安排…", "小学教育（2050202），2023年度…"."""
    if not _GENERIC.match(m.subject or ""):
        return None
    head = s.text[: m.start]
    parts = [x for x in re.split(r"[，,；;：:]", head) if x.strip()]
    if len(parts) >= 2 and not AMOUNT.search(parts[-2]):
        return strip_numbering(parts[-2]).strip()
    if len(parts) <= 1 and s.before and not AMOUNT.search(s.before) and len(s.before) <= 30:
        return strip_numbering(s.before.rstrip("。；;：: ")).strip()
    return None


def _prefix_ok(prefix: str) -> bool:
    return not prefix or (prefix.endswith(_PREFIX_OK) and not prefix.endswith("项目"))


def _earlier(L: Ledger, s: Sentence, back: int) -> list:
    """The sentences of ``s``'s section at most ``back`` sentences before it, the nearest first."""
    return [x for x in reversed(L.statements) if s.no - back <= x.no < s.no and x.section == s.section]


def _stated_before(L: Ledger, s: Sentence, of: str, back: int = 3):
    """The amount a sentence of the same section stated at most ``back`` sentences before, under the name a share
    is taken of (its subject ends with that name once the unit's name, year and 总额 are set aside), the nearest."""
    if len(of) < 2:
        return None
    for x in _earlier(L, s, back):
        for mm in reversed(x.mentions):
            if mm.role != "amount" or not mm.value:
                continue
            names = [re.sub(r"(?:总额|总数|合计|总计)$", "", c) for c in subject_cores(mm.subject or "")]
            if any(n and (n == of or n.endswith(of)) for n in names):
                return mm
    return None


_WHOLE = {"收入": "income_total", "支出": "expenditure_total", "收支": "income_total", "收支总计": "income_total"}


def fact_named_by(L: Ledger, text: str) -> Fact | None:
    """The table figure a clause names (财政拨款支出, 收入, 社会保障和就业支出), by the phrase list, the whole-budget
    words, or a printed line's name; None when it names none."""
    facts = _facts(L)
    if "_by_name" not in facts.__dict__:
        facts._by_name = {normalise_name(n): n for n in facts.item_names()}
    by_name = facts._by_name
    for core in subject_cores(strip_numbering(text)):
        key = _resolve_phrase(core) or _WHOLE.get(core)
        if key:
            return facts.get(key)
        if normalise_name(core) in by_name:
            return facts.item(by_name[normalise_name(core)])
    return None


_FACT_NAMES = {"three_total": "“三公”经费", "three_vehicle": "公务用车购置及运行费"}


def _parent_fact(facts, subject: str):
    """"公务接待费支出0.16万元，占100.0%": a part's share with no total named is a share of the total it is a part
    of (reference/fact_identities.csv), when the tables print that total."""
    up = {p: r["total"] for r in load_csv("fact_identities.csv") for p in r["parts"].split("+")}
    key = _resolve_phrase(subject) or _resolve_phrase(re.sub(r"(?:支出|决算|预算|数)+$", "", subject))
    root = None
    while key in up:  # 公务用车购置费 → 公务用车购置及运行费 → “三公”经费: the whole, as texts state it
        key = root = up[key]
    return facts.named.get(root) if root else None


def _three_key(subject: str, keys: set) -> str | None:
    """The 三公 figure a subject names: the whole subject, its last clause ("…6.7万元（公务用车购置费"), or
    "“三公”经费" with any scope words around it (本部门当年一般公共预算“三公”经费预算支出)."""
    for cand in (subject, re.split(r"[（(，,：:；;]", subject)[-1]):
        key = _resolve_phrase(cand)
        if key in keys:
            return key
    after = subject.split("三公")[-1] if "三公" in subject else None
    return "three_total" if after is not None and not re.search(r"出国|接待|公务用车", after) else None


def _name_key(subject: str) -> set:
    subject = re.sub(r"^(?:其中|包括|含)[：:]?", "", subject or "")
    return {normalise_name(c).replace("的", "") for c in subject_cores(subject)}
