"""Scorecard items Q01–Q05: accuracy (the check's confirmed errors, placeholders, years and names)."""
from __future__ import annotations

import re

from budgetkit.reference import load_csv
from budgetkit.score.items_context import Context, Rating, count_level, finding_ev, quote, table_ev


# ============================================================================================ Q — accuracy
def _q(c: Context, rules, zh) -> Rating:
    errs = c.errors(rules)
    rev = c.reviews(rules)
    n_eval = sum(c.f.evaluated.get(r, 0) for r in rules)
    if not errs and n_eval == 0:
        return Rating.ne(f"{zh}：规则未能评估", f"the rules ({', '.join(sorted(rules))}) could not be evaluated")
    level = count_level(len(errs))
    extra = f"；另有{len(rev)}条待核对（不扣分）" if rev else ""
    extra_en = f"; {len(rev)} review finding(s) not counted" if rev else ""
    return Rating(level, why=f"{zh}：确认错误{len(errs)}条（{n_eval}次比较）{extra}",
                  why_en=f"{len(errs)} confirmed error(s) in {n_eval} comparisons{extra_en}",
                  evidence=[finding_ev(x) for x in errs[:6]])


def q01(c):
    return _q(c, {"W01", "W02", "W03", "W04"}, "表内勾稽")


def q02(c):
    return _q(c, {"B01", "B02", "B03", "B04", "B05"}, "表间一致")


def q03(c):
    return _q(c, {"N01", "N02", "N03", "N04", "N05", "N07", "N08", "N09", "N10", "N11", "N12", "C04"}, "表文一致")


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
    errs = [x for x in c.f if x.rule in ("N06", "Y01") and x.status == "fail" and x.severity == "error"]
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
