"""Scorecard items Q01–Q05: accuracy (the check's confirmed errors, placeholders, years and names)."""
from __future__ import annotations

import re

from budgetkit.reference import load_csv
from budgetkit.score.items_context import Context, Rating, count_level, finding_ev, quote, table_ev


# ============================================================================================ Q — accuracy
def item_of_rule(rule: str) -> str | None:
    """The accuracy item a rule's confirmed errors count in (reference/score_accuracy.csv): a rule id named there,
    else its family's item — so a rule added to a family counts without a list of ids to keep up."""
    from budgetkit.check.findings import rule_table

    by_id, by_family = {}, {}
    for r in load_csv("score_accuracy.csv"):
        ids = [x.strip() for x in r["rules"].split(";") if x.strip()]
        for x in ids:
            by_id[x] = r["item"]
        if not ids:
            by_family[r["family"]] = r["item"]
    return by_id.get(rule) or by_family.get(rule_table().get(rule, {}).get("family"))


def _problems(c: Context, item: str, status=("fail",), severity=("error",)):
    """The problems (one per printed discrepancy, see ``check.findings.same_discrepancy``) whose heading finding
    counts in ``item``: a wrong figure seen by three rules or columns is one problem, not three."""
    heads = getattr(c.f, "problems", None)
    heads = list(c.f) if heads is None else heads
    return [x for x in heads if x.status in status and x.severity in severity and item_of_rule(x.rule) == item]


def _q(c: Context, item, zh) -> Rating:
    errs = _problems(c, item)
    rev = _problems(c, item, status=("review",), severity=("review",))
    rules = {r for r in c.f.evaluated if item_of_rule(r) == item}
    n_eval = sum(c.f.evaluated.get(r, 0) for r in rules)
    if not errs and n_eval == 0:
        return Rating.ne(f"{zh}：规则未能评估", "the rules could not be evaluated")
    raw = sum(1 + len(x.also) for x in errs)
    level = count_level(len(errs))
    same = f"，{raw}条检查结果" if raw > len(errs) else ""
    same_en = f" ({raw} findings)" if raw > len(errs) else ""
    extra = f"；另有{len(rev)}处待核对（不扣分）" if rev else ""
    extra_en = f"; {len(rev)} review problem(s) not counted" if rev else ""
    return Rating(level, why=f"{zh}：确认错误{len(errs)}处（{n_eval}次比较{same}）{extra}",
                  why_en=f"{len(errs)} confirmed error(s){same_en} in {n_eval} comparisons{extra_en}",
                  evidence=[finding_ev(x) for x in errs[:6]])


def q01(c):
    return _q(c, "TS-Q01", "表内勾稽")


def q02(c):
    return _q(c, "TS-Q02", "表间一致")


def q03(c):
    return _q(c, "TS-Q03", "表文一致")


_EMPTY_REASON = re.compile(r"(?:主要原因|原因)(?:是|为|：|:)?\s*[。；]|。。")


def q04(c: Context) -> Rating:
    errs = [x for x in c.f if x.rule == "C03" and x.status == "fail"]
    ev = [finding_ev(x) for x in errs]
    for p, s in c.sentences():
        if _EMPTY_REASON.search(s):
            ev.append(quote(p, s))
    if not c.paras:
        return Rating.ne("没有读到说明文字", "no narrative was read")
    level = count_level(len(ev))
    return Rating(level, why=f"占位符或空原因句{len(ev)}处", why_en=f"{len(ev)} placeholder(s) or empty reason clause(s)",
                  evidence=ev[:6])


_YEAR_IN_TITLE = re.compile(r"(20\d\d)\s*年")


def _outdated_names(year: int) -> list[tuple[re.Pattern, dict]]:
    """Renamed 科目 of reference/code_changes.csv, as the text writes them before a level mark:
    "社会保障和就业（类）行政事业单位离退休（款）" — the old name, 支出 optional, then （类）/（款）/（项）."""
    out = []
    for r in load_csv("code_changes.csv"):
        if r["scheme"] != "function" or not r["old_name"] or r["old_name"] == r["new_name"] or year < int(r["from_year"]):
            continue
        core = re.sub(r"支出$", "", r["old_name"])
        out.append((re.compile(r"(?<![\u4e00-\u9fff])" + re.escape(core) + r"(?:支出)?\s*[（(][类款项][)）]"), r))
    return out


def q05(c: Context) -> Rating:
    year = c.d.meta.get("year")
    if not year:
        return Rating.ne("未读到年度", "the year was not read")
    wrong = []
    for t in c.d.tables:
        m = _YEAR_IN_TITLE.search(t.title or "")
        if m and int(m.group(1)) != int(year) and not re.search(r"上年|结转|比较|对比", t.title):
            wrong.append(table_ev(t, note=f"表题年度{m.group(1)}，封面{year} / title year {m.group(1)}, cover {year}"))
    errs = _problems(c, "TS-Q05")
    # a 科目 the text names by the name it had before a renaming in force for this year: one per renamed 科目
    old = []
    for rx, r in _outdated_names(int(year)):
        hit = next(((p, s) for p, s in c.sentences() if rx.search(s)), None)
        if hit:
            e = quote(*hit, n=120)
            e["note"] = (f"{r['old_code']}“{r['old_name']}”自{r['from_year']}年起为“{r['new_name']}” / "
                         f"renamed {r['new_name']} from {r['from_year']}")
            old.append(e)
    n = len(wrong) + len(errs) + len(old)
    return Rating(count_level(n), why=f"年度/名称不一致{n}处", why_en=f"{n} year or name inconsistency(ies)",
                  evidence=(wrong + [finding_ev(x) for x in errs] + old)[:6])
