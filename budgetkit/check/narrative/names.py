"""Names and classes: the (类)(款)(项) a text names and their amounts (N06, N01), retired class names (N10).
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from budgetkit.check.findings import Finding
from budgetkit.check.ledger import Ledger, class_name_of, strip_numbering
from budgetkit.check.narrative.compare import _compare_mention
from budgetkit.check.narrative.coverage import _loc, _mark, _why
from budgetkit.check.narrative.facts import ITEM_TABLES, Facts, _items
from budgetkit.check.recorder import Recorder
from budgetkit.check.statements import Mention, Sentence, normalise_name
from budgetkit.money import YUAN_PER_UNIT, printed_decimals
from budgetkit.reference import load_csv


def _near(a: str, b: str) -> bool:
    """Same length, one character different (住户保障支出 / 住房保障支出)."""
    return len(a) == len(b) >= 4 and sum(x != y for x, y in zip(a, b)) == 1


def _class_item(L, R, facts: Facts, s: Sentence, ci: dict) -> None:
    xiang = normalise_name(strip_numbering(ci["xiang"]))
    kuan = normalise_name(strip_numbering(ci["kuan"]))
    m = ci["mention"]
    a = L.a
    items = _items(L)
    renamed = {normalise_name(r["old_name"]): normalise_name(r["new_name"]) for r in load_csv("code_changes.csv")}
    names = [xiang, xiang + "支出"] + ([renamed[xiang]] if xiang in renamed else [])
    rows = items[items["nlabel"].isin(names)] if xiang else items.iloc[0:0]
    if rows.empty and xiang[:1] in "一-—" and (items["nlabel"] == xiang[1:]).any():
        xiang = xiang[1:]  # a stray list mark before the name
        rows = items[items["nlabel"] == xiang]
    if ci.get("code") and not rows.empty:
        # "城乡社区环境卫生（01项）": the printed code's last digits decide
        coded = rows[rows["eff_code"].str.endswith(ci["code"])]
        rows = coded if not coded.empty else rows
    if kuan and not rows.empty:
        # "林业和草原（款）一般行政管理事务（项）0万元" where the tables print 一般行政管理事务 under 水利 only: the 款
        # the text names is another line (2130202, left out), not the printed one (2130302)
        k_names = [kuan] + ([renamed[kuan]] if kuan in renamed else [])
        under = rows[[any(_kuan_agrees(L, k, c) for k in k_names) for c in rows["eff_code"]]]
        if under.empty:
            fact = facts.item_code(rows["eff_code"].iloc[0])
            per = YUAN_PER_UNIT[m.unit] if m is not None else None
            if m is None or fact is None or (fact.value_yuan / per).quantize(
                    Decimal(1).scaleb(-printed_decimals(m.value)), ROUND_HALF_UP) != m.value:
                _why(L, s, "说明所写的款与表格中该项所属的款不同，可能是另一科目", "the 款 the text names is not the one "
                     "the tables print this item under: it may be another line")
                return
            under = rows  # the printed line's figure: the same line, its 款 spelt otherwise
        rows = under
    if rows["eff_code"].nunique() > 1:
        # the same 项 name under several 款 (一般行政管理事务): the 款 named in the text decides
        kuan_codes = set(a.loc[(a["label"].map(normalise_name) == kuan) & (a["code_level"] == "款"), "eff_code"])
        narrowed = rows[rows["eff_code"].str[:5].isin(kuan_codes)]
        rows = narrowed if not narrowed.empty else rows.iloc[0:0]
    quote = f"{ci['lei']}(类){ci['kuan']}(款){ci['xiang']}(项)" if ci["lei"] else f"{ci['xiang']}(项)"
    if rows.empty:
        if m is None or m.value == 0:
            _why(L, s, "项级科目表格未列出，且金额为0或未说明", "an item no table prints, with no or zero amount")
            return
        if not len(items):
            _item_by_name(L, R, facts, s, m, xiang, quote)
            return
        if not ci["lei"] or not ci["kuan"]:
            _why(L, s, "只写了项名、未写类款，表格中未找到同名项", "an item named without 类/款 that no table prints")
            return
        other = a[(a["label"].map(normalise_name).isin(names)) & a["code_level"].isin(["类", "款"])
                  & a["eff_code"].notna()]
        if not other.empty:
            # the name is printed, at another level (计划生育事务 is the 款 21007): the text mislabels the
            # level; the figure is compared with that line
            r0 = other.iloc[0]
            _mark(L, s, R.add(Finding(
                "N06", "fail", f"说明把{r0['code_level']}级科目「{r0['label']}」（{r0['eff_code']}）写作项级：「{quote}」",
                f"the text names the {r0['code_level']}-level line '{r0['label']}' ({r0['eff_code']}) as a 项: "
                f"'{quote}'", locations=[_loc(s), L.location(r0)])))
            fact = facts.item_code(r0["eff_code"])
            if fact is not None:
                _compare_mention(L, R, m, fact, s, quote)
            return
        _mark(L, s, R.add(Finding("N05", "fail", f"说明中的「{quote}」{m.raw}在表格中找不到对应的项级科目",
                                  f"the text's item '{ci['xiang']}' {m.raw} has no counterpart code in the tables",
                                  actual=m.value, unit=m.unit, locations=[_loc(s, s.text)])))
        return
    code = rows["eff_code"].iloc[0]
    official = class_name_of(code[:3]) or ""
    lei = normalise_name(ci["lei"])
    norm = lambda x: x.replace("支出", "")  # noqa: E731
    if lei:
        R.evaluated["N06"] += 1
        if official and norm(lei) not in norm(official) and _shortened(norm(lei), norm(official)):
            # "社会保障就业(类)" for 社会保障和就业支出: the right class under a shortened name — a note, not a
            # misfiling
            R.add(Finding("N06", "note", f"说明中的类名「{ci['lei']}」是「{official}」的简写（{xiang}，{code}）",
                          f"the text's class name '{ci['lei']}' is a shortened form of '{official}' ({code})",
                          locations=[_loc(s), L.location(rows.iloc[0])]))
        elif official and norm(lei) not in norm(official):
            _mark(L, s, R.add(Finding(
                "N06", "fail", f"说明把「{xiang}」（{code}）归入「{ci['lei']}」类，编码所属类为「{official}」",
                f"the text files '{xiang}' ({code}) under class '{ci['lei']}'; its code belongs to '{official}'",
                locations=[_loc(s), L.location(rows.iloc[0])])))
    if m is not None:
        fact = facts.item_code(code)
        L.__dict__.setdefault("_item_of", {})[id(m)] = code  # a change stated for this item: see _against_prior
        if fact is not None:
            _compare_mention(L, R, m, fact, s, quote)
        else:
            _why(L, s, f"{code} 没有可比的总数列", f"{code} has no total column to compare")


def _kuan_agrees(L: Ledger, kuan: str, code: str) -> bool:
    """Does the 款 the text names fit the 款 a 项 code sits under?  Yes when the tables print no name for that 款, or
    one name contains the other (水利 / 水利支出); no when they print it under another name (水利 against 林业和草原)."""
    if "_kuan_names" not in L.__dict__:
        a = L.a
        k = a[(a["code_level"] == "款") & a["eff_code"].notna()]
        names: dict = {}
        for c, lab in zip(k["eff_code"], k["label"]):
            if isinstance(lab, str):
                names.setdefault(c, set()).add(normalise_name(strip_numbering(lab)).replace("支出", ""))
        L.__dict__["_kuan_names"] = names
    printed = L.__dict__["_kuan_names"].get(code[:5])
    k = kuan.replace("支出", "")
    return not printed or not k or any(n and (n in k or k in n) for n in printed)


def _shortened(name: str, official: str) -> bool:
    """Every character of ``name`` appears in ``official`` in order, and only 和/与/及/的 are left out (社会保障就业 of
    社会保障和就业): a shortened spelling, not another class."""
    rest = iter(official)
    if not all(ch in rest for ch in name):
        return False
    missing = list(official)
    for ch in name:
        missing.remove(ch)
    return bool(missing) and all(ch in "和与及的" for ch in missing)


def _item_by_name(L, R, facts: Facts, s: Sentence, m: Mention, xiang: str, quote: str) -> None:
    """Tables printed without codes (杭州): the 项 is found by its printed name, when one line of one table
    bears it (行政运行 under several 款 is not one line); the match is a reading, said so on a difference."""
    a = L.a
    rows = a[a["table_kind"].isin(ITEM_TABLES) & (a["label"].map(normalise_name) == xiang)]
    if rows.empty:
        _why(L, s, "表格没有项级科目，也没有同名的行", "no table prints 项-level codes or a line of this name")
        return
    if rows.groupby("table_index")["row_no"].nunique().max() > 1:
        _why(L, s, "表格未印编码，同名的行不止一个", "the tables print no codes and several lines bear this name")
        return
    fact = facts.item(rows["label"].iloc[0])
    if fact is None:
        _why(L, s, f"表格中「{xiang}」没有可比的总数列", f"'{xiang}' has no total column to compare")
        return
    _compare_mention(L, R, m, fact, s, quote, guesses=["按名称匹配：表格未印科目编码 / matched by name: the tables "
                                                       "print no codes"])


def old_class_names(L: Ledger, R: Recorder) -> None:
    """N10: class names retired by the 2019 classification, in text or tables."""
    year = L.d.meta.get("year")
    if not year:
        return
    old = [(r["old_name"], r["new_name"], int(r["from_year"])) for r in load_csv("code_changes.csv")
           if r["old_name"] and r["old_name"] != r["new_name"] and int(year) > int(r["from_year"])]
    # the year of the change itself is left out: its budgets were often compiled on the old catalogue
    if not old:
        return
    seen = set()
    labels = L.a.drop_duplicates("label")
    for name, new, since in old:
        R.evaluated["N10"] += 1
        pat = re.compile(rf"(?<![\u4e00-\u9fff]){re.escape(name)}(?![\u4e00-\u9fff])")
        for s in L.statements:
            if pat.search(s.text) and (name, "text") not in seen:
                seen.add((name, "text"))
                R.add(Finding("N10", "fail", f"说明使用了{since}年起已停用的科目名称「{name}」（现为「{new}」）",
                              f"the text uses '{name}', renamed '{new}' from {since}", locations=[_loc(s)]))
        hit = labels[labels["label"] == name]
        if not hit.empty and (name, "table") not in seen:
            seen.add((name, "table"))
            R.add(Finding("N10", "fail", f"表格使用了{since}年起已停用的科目名称「{name}」（现为「{new}」）",
                          f"a table uses '{name}', renamed '{new}' from {since}", locations=[L.location(hit.iloc[0])]))
