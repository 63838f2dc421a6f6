"""Amounts and shares: the sentence walk of N01 (amounts), N02 (shares), N05 (no counterpart) and N06
(class names), project counts, and figures restated further on.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger, class_names, half_unit, strip_numbering
from budgetkit.check.narrative.changes import _delta_with_percent
from budgetkit.check.narrative.compare import _compare_mention, _interval_pct
from budgetkit.check.narrative.coverage import _loc, _mark, _why
from budgetkit.check.narrative.facts import _facts
from budgetkit.check.narrative.names import _class_item, _near
from budgetkit.check.narrative.percent import as_printed
from budgetkit.check.narrative.subjects import (_FACT_NAMES, _name_key, _parent_fact, _prefix_ok, _resolve_phrase,
                                                _stated_before, code_before, inherited_subject, subject_cores)
from budgetkit.check.recorder import Recorder, fmt
from budgetkit.check.statements import Mention, Sentence, normalise_name
from budgetkit.money import YUAN_PER_UNIT, printed_decimals, to_yuan


def amounts_and_shares(L: Ledger, R: Recorder) -> None:
    """N01 (amounts), N02 (shares), N05 (no counterpart), N06 (class names)."""
    if L.d.narrative.empty:
        for rule in ("N01", "N02", "N05", "N06"):
            R.not_evaluated(rule, "没有情况说明文字", "the disclosure has no narrative text")
        return
    facts = _facts(L)
    names = facts.item_names()
    norm_names = {normalise_name(n): n for n in names}
    by_length = sorted(norm_names, key=len, reverse=True)
    sentences = L.statements
    n_shares = 0
    for s in sentences:
        item_mentions = {id(ci["mention"]) for ci in s.class_items if ci["mention"] is not None}
        for ci in s.class_items:
            _class_item(L, R, facts, s, ci)
        amounts = [m for m in s.mentions if m.role == "amount"]
        for k, m in enumerate(amounts):
            if id(m) in item_mentions:
                continue
            subj = inherited_subject(s, m) or m.subject
            if _delta_with_percent(L, R, s, m, subj):
                continue
            code = code_before(L, s, m)
            fact = facts.item_code(code) if code is not None else None  # a code before the figure decides
            what = f"{code} {subj}" if fact is not None else subj
            cores = subject_cores(subj)
            fact_key = None if fact is not None else next((k_ for k_ in map(_resolve_phrase, cores) if k_), None)
            scope = _FUND_SCOPE.search(s.text[: m.start] + " " + (s.section or ""))
            if fact_key and scope and not fact_key.startswith(_FUND_FACTS[scope.group(0)]):
                _why(L, s, "政府性基金/国有资本经营口径的分项，表格未单列", "a fund-scope figure the tables do not print apart")
                continue  # 基本支出 of a government fund is not the department's 基本支出
            if fact_key in ("expenditure_total", "income_total") and "财政拨款" in (s.section or "") \
                    and "fiscal_total" in facts.named and not re.search(r"部门|单位", subj):
                # "（二）财政拨款收支情况" "支出预算总计181807.13万元，全部为一般公共预算拨款。": the section's scope
                fact_key = "fiscal_total"
            if fact is None:
                fact = facts.get(fact_key)
            if fact is None and fact_key:
                if m.value == 0:
                    _zero_unprinted(L, R, s)
                else:
                    said = next((c for c in cores if _resolve_phrase(c)), subj)  # as the text names it
                    _why(L, s, f"表格中没有「{said}」对应的数", f"no table prints the '{said}' figure")
            if fact is None and not fact_key:
                name = None
                for core in cores:
                    nsubj = normalise_name(core)
                    name = next((norm_names[n] for n in by_length if nsubj.endswith(n)
                                 and _prefix_ok(nsubj[: -len(n)])), None)
                    if name:
                        break
                if name is None and not s.project_item:
                    near = [n for n in names if _near(subj[-len(n):], n)] if len(subj) >= 4 else []
                    if near:
                        name = near[0]
                        _mark(L, s, R.add(Finding(
                            "N06", "fail", f"说明中的科目名称「{subj[-len(name):]}」与表格中的「{name}」不一致",
                            f"the text names '{subj[-len(name):]}' where the tables print '{name}'",
                            locations=[_loc(s)])))
                if name:
                    fact = facts.item(name)
                    what = name
                    if fact is None:
                        _why(L, s, f"表格中「{name}」没有可比的总数列", f"'{name}' has no total column to compare")
                elif not s.project_item and (m.value != 0 and re.search(r"(?:支出|经费)$", subj) and len(subj) >= 4
                                             and class_names().get(subj) or (m.value != 0 and subj in class_names())):
                    _mark(L, s, R.add(Finding("N05", "fail", f"说明中的「{subj}」{m.raw}在表格中找不到对应",
                                              f"the text's '{subj}' {m.raw} has no counterpart in the tables",
                                              actual=m.value, unit=m.unit, locations=[_loc(s)])))
                elif not _printed_row_agrees(L, R, s, m, subj) and not _targets_budget_agrees(L, R, s, m):
                    if m.value == 0:
                        _zero_unprinted(L, R, s)
                    else:
                        _why(L, s, "金额的主语未对应到表格中的行", "the figure's subject names no table row")
            if fact is not None:
                _compare_mention(L, R, m, fact, s, what)
            if m.share is not None:
                n_shares += 1
                _share(L, R, facts, s, amounts, k, m)
        if not amounts and not s.changes and not s.rates and s.percents and not any(
                m.share is not None for m in s.mentions):
            _why(L, s, "只有百分比，没有可复算的金额", "a percentage with no figures to recompute it from")
    if not n_shares:
        R.not_evaluated("N02", "说明中没有占比表述", "the text states no shares")


_FUND_SCOPE = re.compile(r"政府性基金|国有资本经营")
_FUND_FACTS = {"政府性基金": "govfund", "国有资本经营": "soe"}
_PROJECT_COUNT = re.compile(r"项目\s*(?P<n>\d+)\s*个[，,、]?\s*(?:涉及|共|合计)?(?:预算|资金|金额)?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|元)")


def project_count(L: Ledger, R: Recorder) -> None:
    """N01: '开展绩效目标管理的项目5个，涉及预算420.01万元' against the target table."""
    pt = L.tables("performance_targets")
    if L.d.narrative.empty or not pt:
        return
    from budgetkit.check.between import _UNIT_ROW
    rows = pd.concat([L.table_rows(t.index) for t in pt])
    rows = rows[rows["concept"] == "total"] if (rows["concept"] == "total").any() else rows
    projects = rows[~rows["row_label"].fillna("").str.match(_UNIT_ROW)]
    summary = rows[rows["row_label"].fillna("").str.match(_UNIT_ROW)]
    for s in L.statements:
        for m in _PROJECT_COUNT.finditer(s.text):
            if "绩效" not in s.text:
                continue
            n = int(m.group("n"))
            R.evaluated["N01"] += 1
            if n != len(projects):
                _mark(L, s, ok=False)
                R.add(Finding("N01", "fail", f"说明称绩效目标项目{n}个，绩效目标表列有{len(projects)}个",
                              f"the text counts {n} projects with targets; the target table lists {len(projects)}",
                              expected=Decimal(len(projects)), actual=Decimal(n), unit="个",
                              locations=[_loc(s)] + [L.location(r) for _, r in projects.iterrows()]))
            value = Decimal(m.group("num").replace(",", ""))
            total_rows = summary if not summary.empty else projects
            total = sum(total_rows.iloc[:1]["amount_yuan"] if not summary.empty else projects["amount_yuan"],
                        Decimal(0))
            per = YUAN_PER_UNIT[m.group("unit")]
            tol = half_unit(printed_decimals(value)) * per + L.tol_yuan(total_rows.iloc[:1] if not summary.empty
                                                                        else projects)
            _mark(L, s, R.compare("N01", total, value * per, tol, m.group("unit"),
                      "说明中的绩效目标项目预算总额与绩效目标表不一致",
                      "the text's budget of projects with targets disagrees with the target table",
                      [_loc(s)] + [L.location(r) for _, r in (total_rows.iloc[:1] if not summary.empty
                                                              else projects).iterrows()]))


_SHARE_OF = re.compile(r"占\s*(?P<of>[^\d，,。；;%％]{0,16}?)(?:的)?(?:比重|比例)?(?:为)?\s*\d")


def _share(L, R, facts, s, amounts, k, m) -> None:
    """N02: a share against the total the sentence itself names (占本年支出预算的x%), else its first figure."""
    guesses = []
    named = _SHARE_OF.search(m.share_raw or "")
    of = re.sub(r"^(?:本年|当年|全年|年度|部门)", "", (named.group("of") if named else "").strip())
    of = re.sub(r"(?:总额|总数|合计|总计|的)$", "", of)
    den_fact = None
    if of and of not in ("比",):
        key = _resolve_phrase(of) or _resolve_phrase(of + "预算") or _resolve_phrase(of + "支出")
        den_fact = facts.named.get(key) if key else None
        if den_fact is None:
            # "占政府采购预算的x%": the sentence's own first figure is that total
            own = amounts[0] if k > 0 and amounts[0].value != 0 and of and of[:2] in amounts[0].subject else None
            if own is None:
                # "授予中小企业合同金额1820.69万元，占政府采购支出总额的92.54%": a total the text stated just before
                own = _stated_before(L, s, of)
                if own is not None:
                    guesses = [f"占比的总额取自前文「{own.subject}」{own.raw} / the share's total is the "
                               f"'{own.subject}' the text stated before"]
            if own is None:
                _why(L, s, f"占比所指的总额「{of}」未对应到表格", f"the share's total '{of}' names no table figure")
                return
            den, den_dec = own.value * YUAN_PER_UNIT[own.unit] / YUAN_PER_UNIT[m.unit], printed_decimals(own.value)
    if den_fact is not None:
        den, den_dec = den_fact.value_yuan / YUAN_PER_UNIT[m.unit], den_fact.decimals
        if den_fact.unit != m.unit:
            den_dec = printed_decimals(m.value)
    elif not of or of == "比":
        lead = s.lead
        if k == 0 and lead is not None and lead is not m and lead.value > 0 and (
                lead.share == 100 or re.search(r"其中|包括", s.text[: m.start])):
            # "收入1,149.80万元、占100%；支出包括：社会保障和就业支出1,065.53万元、占92.6%": the paragraph's total
            den, den_dec = lead.value * YUAN_PER_UNIT[lead.unit] / YUAN_PER_UNIT[m.unit], printed_decimals(lead.value)
        elif k == 0 or amounts[0].value == 0:
            parent = _parent_fact(facts, m.subject or "")
            den_fact = parent or facts.named.get("expenditure_total") or facts.named.get("income_total")
            if den_fact is None:
                _why(L, s, "占比没有说明总额，表格也没有总计", "the share names no total and no table prints one")
                return
            guesses = [f"占比的总额按{_FACT_NAMES.get(parent.name, parent.name)}推断 / the share's total is taken to "
                       f"be the {parent.name} it is part of"] if parent is not None else \
                ["占比的总额按支出总计推断 / the share's total is taken to be the expenditure total"]
            den, den_dec = den_fact.value_yuan / YUAN_PER_UNIT[m.unit], den_fact.decimals
            if den_fact.unit != m.unit:
                den_dec = printed_decimals(m.value)
        elif re.search(r"其中|包括|含", s.text[amounts[0].end: m.start]):
            den, den_dec = amounts[0].value * YUAN_PER_UNIT[amounts[0].unit] / YUAN_PER_UNIT[m.unit], \
                printed_decimals(amounts[0].value)
        else:
            den_fact = facts.named.get("expenditure_total") or facts.named.get("income_total")
            if den_fact is None:
                _why(L, s, "占比没有说明总额，表格也没有总计", "the share names no total and no table prints one")
                return
            guesses = ["占比的总额按支出总计推断 / the share's total is taken to be the expenditure total"]
            den, den_dec = den_fact.value_yuan / YUAN_PER_UNIT[m.unit], den_fact.decimals
    if den == 0:
        _why(L, s, "占比的总额为0", "the share's total is zero")
        return
    lo, hi = _interval_pct(m.value, printed_decimals(m.value), den, den_dec)
    hp = half_unit(printed_decimals(m.share))
    R.evaluated["N02"] += 1
    if lo - hp <= m.share <= hi + hp:
        _mark(L, s)
        return
    # "财政拨款支出总计237,100.00万元，其中基本支出199,015.13万元，占总支出的83.94%；项目支出38,084.87万元，
    # 占总支出的16.06%": the total the sentence (or its paragraph) states first is the one meant
    for own in [x for x in ([amounts[0]] if k > 0 else []) + [s.lead] if x is not None and x is not m and x.value > 0]:
        oden = own.value * YUAN_PER_UNIT[own.unit] / YUAN_PER_UNIT[m.unit]
        olo, ohi = _interval_pct(m.value, printed_decimals(m.value), oden, printed_decimals(own.value))
        if olo - hp <= m.share <= ohi + hp:
            _mark(L, s)
            return
    computed, at_zh, at_en = as_printed(m.value / den * 100, m.share)
    near = printed_decimals(m.share) >= 2 and lo - 3 * hp <= m.share <= hi + 3 * hp  # 0.01 off: forced to 100%
    other = None if near else _fitting_total(L, m, hp)
    if other is not None and guesses:
        _mark(L, s)  # no total named, and a printed total fits: the share is right
        return
    if other is not None:
        # the sentence names one total, the figure fits another table's (部门支出总额 said, the section's
        # 一般公共预算支出表 meant): a wording slip to look at, not a wrong percentage
        guesses = guesses + [f"按{other}计算相符，说明所称总额可能有误 / the share fits {other}; the total the text "
                             f"names may be a slip"]
    _mark(L, s, None if near else R.add(Finding(
        "N02", "rounding" if near else "fail",
        f"说明称{m.raw}{m.share_raw}，按 {fmt(m.value, m.unit)} ÷ {fmt(den, m.unit)} 计算应为 {computed}%{at_zh}",
        f"the text says {m.raw} is {m.share}% of the total; {fmt(m.value, m.unit)} ÷ {fmt(den, m.unit)} "
        f"gives {computed}%{at_en}",
        expected=computed, actual=m.share, unit="%", tolerance=hp, locations=[_loc(s)], guesses=guesses)))
    if near:
        R.add(Finding("N02", "rounding", f"说明称{m.raw}{m.share_raw}，计算为 {computed}%{at_zh}（差一个末位，可能为凑足100%的调整）",
                      f"the text says {m.share}%; the figures give {computed}%{at_en} (one last digit off, shares "
                      f"adjusted to total 100%)", expected=computed, actual=m.share, unit="%", tolerance=hp,
                      locations=[_loc(s)]))


def _zero_unprinted(L: Ledger, R: Recorder, s: Sentence) -> None:
    """"事业收入0万元" where no table prints a 事业收入 line: templates leave empty lines out, and no printed figure
    says otherwise — the 0 agrees with the tables (a line printed with money under this name is compared instead)."""
    R.passed("N01")
    _mark(L, s)


_INVOLVES = re.compile(r"涉及.{0,12}(?:资金|预算|拨款)|项目.{0,6}预算资金")


def _targets_budget_agrees(L: Ledger, R: Recorder, s: Sentence, m: Mention) -> bool:
    """"项目支出均实行了绩效目标管理，涉及一般公共预算财政拨款9,399.23万元": the project spending the targets
    cover — checked when it equals the project total (any scope) or the target tables' budgets added up; a
    figure that equals neither is left unchecked (a subset of projects may be meant)."""
    if not _INVOLVES.search(s.text[max(0, m.start - 30): m.start]):
        return False
    facts = _facts(L)
    per = YUAN_PER_UNIT[m.unit]
    q = Decimal(1).scaleb(-printed_decimals(m.value))
    values = set()
    project = facts.named.get("project_total")
    if project is not None:
        values |= project.alts | {project.value_yuan}
    t = L.d.targets
    if not t.empty and "budget" in t and t["budget"].notna().any():
        firsts = t[t["budget"].notna()].drop_duplicates(["table_index"] if "table_index" in t else ["project_name"])
        try:
            values.add(sum((to_yuan(Decimal(str(b)), u) for b, u in zip(firsts["budget"], firsts["budget_unit"])
                            if isinstance(u, str) and u), Decimal(0)))
        except (ArithmeticError, KeyError, ValueError):
            pass
    if any((v / per).quantize(q, ROUND_HALF_UP) == m.value for v in values):
        R.passed("N01")
        _mark(L, s)
        return True
    _why(L, s, "绩效目标涉及的资金与项目支出合计不同，可能只含部分项目", "the money the targets cover differs from the "
         "project total; it may cover some projects only")
    return True


def _label_index(L: Ledger) -> dict:
    """Every printed row label and column name (numbering stripped) → the figures printed under it."""
    if "_label_index" not in L.__dict__:
        a = L.a
        idx: dict = {}
        for lab, v in zip(a["label"], a["amount_yuan"]):
            if isinstance(lab, str) and len(lab) >= 3:
                idx.setdefault(normalise_name(lab), set()).add(v)
        tot = a[a["is_total_row"]]
        for col, v in zip(tot["column_label"], tot["amount_yuan"]):
            last = re.sub(r"#\d+$", "", str(col).split("/")[-1])
            if len(last) >= 3 and last not in ("合计", "小计", "总计", "金额", "预算数", "决算数"):
                idx.setdefault(normalise_name(last), set()).add(v)
        L.__dict__["_label_index"] = idx
    return L.__dict__["_label_index"]


def _printed_row_agrees(L: Ledger, R: Recorder, s: Sentence, m, subj: str) -> bool:
    """A subject that ends with a printed row or column name (上级补助收入, 基本支出) is checked against
    every figure printed under that name: agreeing with one of them passes.  A figure that agrees with
    none is left unchecked, not reported: which of the printed measures the text means is not known."""
    nsubj = normalise_name(strip_numbering(subj))
    idx = _label_index(L)
    name = next((n for n in sorted(idx, key=len, reverse=True) if nsubj.endswith(n) and _prefix_ok(nsubj[: -len(n)])),
                None)
    if name is None:
        return False
    per = YUAN_PER_UNIT[m.unit]
    q = Decimal(1).scaleb(-printed_decimals(m.value))
    if any((v / per).quantize(q, ROUND_HALF_UP) == m.value for v in idx[name]) or (m.value == 0 and not idx[name]):
        R.passed("N01")
        _mark(L, s)
        return True
    _why(L, s, f"「{name}」在表格中有多种口径的数，说明未指明哪一个", f"'{name}' has figures of several measures "
         "in the tables; the text does not say which")
    return True


def _fitting_total(L: Ledger, m, hp) -> str | None:
    """The title of a table whose printed total makes the stated share come out right, if any."""
    per = YUAN_PER_UNIT[m.unit]
    for t in L.d.tables:
        rows = L.total_column_rows(t.index)
        for _, r in rows[rows["is_total_row"]].head(2).iterrows():
            den = r["amount_yuan"] / per
            if den <= 0:
                continue
            lo, hi = _interval_pct(m.value, printed_decimals(m.value), den, r["decimals"])
            if lo - hp <= m.share <= hi + hp:
                # the line and figure, not only the table: a table prints several totals (本年收入, 收入总计)
                page = "" if pd.isna(r["page"]) else f"第{int(r['page'])}页"
                return f"{t.title}{page}「{r['row_label'] or '合计'}」{fmt(den, m.unit)}{m.unit}"
    return None


def restated_figures(L: Ledger, R: Recorder, window: int = 12) -> None:
    """A figure restated further on in its section ("…包括在职人员经费8,009.83万元、…" then "（一）在职人员经费
    8,009.83万元，主要是…"): when the first statement was checked and passed, the same name with the same amount
    in its section or within ``window`` sentences after it agrees with it.  Runs after the other text rules; a restatement that differs is left to them (not judged here)."""
    checked: dict = {}  # (name, amount, unit) → the sentence that stated it, checked
    for s in L.statements:
        c = L.coverage.get(s.no)
        amounts = [m for m in s.mentions if m.role == "amount"]
        if c and c["passed"] and not c["failed"]:
            for m in amounts:
                for k in _name_key(m.subject):
                    checked[(k, m.value, m.unit)] = s
            continue
        if c and c["failed"] or not amounts:
            continue
        near = lambda x: x.file == s.file and (x.section == s.section or s.no - x.no <= window)  # noqa: E731
        if all(any(near(checked[(k, m.value, m.unit)]) for k in _name_key(m.subject) if (k, m.value, m.unit) in checked)
               for m in amounts):
            R.passed("N01")
            _mark(L, s)
