"""Scorecard items T01–T03: the statutory tables, empty tables kept and explained, locally required extras."""
from __future__ import annotations

from budgetkit.score.items_context import LEVELS, Context, Rating, finding_ev, ladder, table_ev


# ============================================================================================ T — tables
CORE = {"income_expenditure_summary": 2, "income_summary": 1, "expenditure_summary": 1.5,
        "fiscal_appropriation_summary": 1.5, "gpb_expenditure_by_function": 2,
        "gpb_basic_expenditure_by_economic": 1.5, "three_public_costs": 1.5, "govfund_expenditure": 0.5,
        "soe_capital_expenditure": 0.5}
# a kind that stands in for a core one (a 决算's fiscal function table is the 一般公共预算 function table)
STANDS_FOR = {"fiscal_appropriation_expenditure_by_function": "gpb_expenditure_by_function",
              "govfund_three_public_costs": None}


def t01(c: Context) -> Rating:
    from budgetkit.reference import kind_names

    present = {t.kind for t in c.d.tables} | {STANDS_FOR[k] for k in list({t.kind for t in c.d.tables})
                                               if STANDS_FOR.get(k)}
    names = kind_names()
    missing = [k for k in CORE if k not in present]
    # a missing kind whose title is printed, or an unread (unknown) table, is a reading question: not counted
    unread = [x for x in c.f if x.rule == "C01" and x.status == "not_evaluated"]
    undecided = []
    if missing and c.unknown:
        undecided = list(missing)
    else:
        for k in missing:
            zh = names.get(k, (k,))[0]
            if any(zh in x.message for x in unread):
                undecided.append(k)
    counted = {k: w for k, w in CORE.items() if k not in undecided}
    if not c.final:
        # the national minimum for a 预算 is 8 tables; the 国有资本经营 table is the 9th that some templates add:
        # required only where the template's own list (required_tables.csv) has it
        from budgetkit.reference import load_csv

        family = c.d.meta.get("family")
        listed = {r["kind"] for r in load_csv("required_tables.csv") if r["family"] == family}
        if "soe_capital_expenditure" not in listed and "soe_capital_expenditure" not in present:
            counted.pop("soe_capital_expenditure", None)
    if not counted or sum(counted.values()) < 6:
        return Rating.ne("多数法定表未能判断（未识别的表）", "most statutory tables cannot be judged (unrecognised tables)",
                         [table_ev(t, note="unknown") for t in c.unknown[:5]])
    got = sum(w for k, w in counted.items() if k in present)
    share = got / sum(counted.values())
    gone = [k for k in counted if k not in present]
    level = ladder(share, (1, 0.85, 0.5))
    ev = [{"quote": f"缺少{names.get(k, (k, k))[0]} / missing {names.get(k, (k, k))[1]}", "kind": k} for k in gone]
    if level == 100:
        return Rating(100, why=f"法定表{len(counted)}类均在", why_en=f"all {len(counted)} statutory kinds present",
                      evidence=[table_ev(c.tables(k)[0]) for k in counted if c.tables(k)][:3])
    zh = "、".join(names.get(k, (k,))[0] for k in gone)
    return Rating(level, why=f"缺少：{zh}（权重{got:g}/{sum(counted.values()):g}）",
                  why_en=f"missing: {', '.join(names.get(k, (k, k))[1] for k in gone)} (weight {got:g} of {sum(counted.values()):g})", evidence=ev)


def t02(c: Context) -> Rating:
    n = c.f.evaluated.get("C02", 0)
    fails = [x for x in c.f if x.rule == "C02" and x.status == "fail"]
    rev = c.reviews({"C02"})
    if any(x.rule == "C02" and x.status == "not_evaluated" for x in c.f):  # empty tables, and no narrative read
        return Rating.ne("没有读到情况说明，空表是否已说明无从判断", "no narrative was read: whether the empty tables "
                         "are explained cannot be judged")
    if n == 0:
        return Rating.na("没有空表", "no empty table")
    if rev and not fails:
        return Rating.ne("空表说明的判断依赖读取推断", "whether empty tables are explained rests on a reading guess",
                         [finding_ev(x) for x in rev])
    share = 1 - len(fails) / n
    level = ladder(share, (1, 2 / 3, 1 / 3))
    if level == 100:
        return Rating(100, why=f"{n}张空表均有说明", why_en=f"all {n} empty tables are explained")
    return Rating(level, why=f"{len(fails)}/{n}张空表未说明", why_en=f"{len(fails)} of {n} empty tables unexplained",
                  evidence=[finding_ev(x) for x in fails])


EXTRA = ("project_expenditure", "procurement", "performance_targets", "overall_performance_targets",
         "operating_costs", "government_purchased_services", "meetings_and_training")


def t03(c: Context) -> Rating:
    from budgetkit.reference import kind_names

    kinds = sorted({t.kind for t in c.d.tables if t.kind in EXTRA})
    level = LEVELS[max(0, 3 - len(kinds))] if kinds else 0
    names = kind_names()  # the tables' names, never their ids
    return Rating(level, why="地方增选表：" + ("、".join(names.get(k, (k, k))[0] for k in kinds) or "无"),
                  why_en="local extra tables: " + (", ".join(names.get(k, (k, k))[1] for k in kinds) or "none"),
                  evidence=[table_ev(c.tables(k)[0]) for k in kinds])
