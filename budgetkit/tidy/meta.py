"""Who published, for which year, at which stage, in which template family.

Everything is read from what the document prints, in this order of trust:

1. the cover — the first page's opening lines, before the 目录 or the first section heading
   ("国家信访局 / 2024 年度部门决算", "上海市普陀区2025年区级部门预算 / 预算主管部门：…");
2. headings and table captions that name the disclosure ("第二部分 2026 年度部门预算表",
   "部门：中共江苏省委办公厅 单位：万元");
3. table titles ("收入支出决算总表");
4. the narrative's first sentences ("XX是…下属二级预算单位") and the units the tables list.

Nothing is assumed: a stage that nothing names is ``unknown``, a family without strong evidence
is ``unknown``.  ``evidence`` says which printed line each field came from.
Label words, organisation endings, place names and family evidence are data in
``reference/meta_patterns.csv``, ``reference/regions.csv`` and ``reference/family_evidence.csv``.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from types import SimpleNamespace

from budgetkit.recognise.catalogue import families_for
from budgetkit.reference import load_csv

_YEAR = re.compile(r"(20\d{2})\s*年")
_PUBLISHED = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|[〇○零一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月")
_LONE_YEAR = re.compile(r"^\s*(20\d{2})\s*(?:年度?)?\s*$")
_SECTION = re.compile(
    r"^\s*(?:目\s*录|第[一二三四五六七八九十]+\s*部\s*[分份]|[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[)）]"
    r"|\d+\s*[、.．](?!\d))")
_PAGE_NO = re.compile(r"^\s*[-—–]*\s*\d{1,3}\s*[-—–]*\s*$")
#: a phrase that names the disclosure: 部门预算, 单位决算, 预算公开, 2024年度决算 …
_STAGE_PHRASE = re.compile(
    r"(部门|单位|[省市区县]级|本级|综合)(预算|决算)(?!单位)|(预算|决算)(?:信息)?公开|\d{4}\s*年度?\s*(预算|决算)(?!单位)")
_PRIOR = re.compile(r"上年(?:度)?(?:预算|决算)|(?:预算|决算)数|预算执行|决算数")
_CN_DIGIT = "〇○零一二三四五六七八九"
_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})年")


@lru_cache(maxsize=None)
def _patterns() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for r in load_csv("meta_patterns.csv"):
        out.setdefault(r["kind"], []).append(r["value"])
    # longest first, so that 预算主管部门 wins over 部门 and 委员会 over 会
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


@lru_cache(maxsize=None)
def _label_re():
    p = _patterns()
    dept = "|".join(re.escape(x) for x in p["label_department"])
    unit = "|".join(re.escape(x) for x in p["label_unit"])
    # "部门：316-人力资源和社会保障 金额单位：万元" — the name ends at a space or the next label
    name = r"(?:(\d+)\s*[-－—]\s*)?([^\s:：]{2,60}?)(?=\s|金额|单位\s*[:：]|$)"
    return (re.compile(rf"(?:^|\s)(?P<label>{dept})\s*[:：]\s*{name}"),
            re.compile(rf"(?:^|\s)(?P<label>{unit})\s*[:：]\s*{name}"))


@lru_cache(maxsize=None)
def _regions() -> tuple[tuple[str, str, str, str], ...]:
    rows = [(r["name"], r["level"], r["province"], r["region"]) for r in load_csv("regions.csv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def is_org_name(name: str | None) -> bool:
    """A name ends like an organisation (局, 厅, 委员会, 中心, 大学 …) and is not a bare place or class."""
    if not name or not (3 <= len(name) <= 60) or re.search(r"\d|[:：,，。；;、]", name):
        return False
    if any(name == r[0] for r in _regions()):
        return False
    return name.endswith(_patterns()["org_suffix"])


def region_of(name: str | None) -> dict | None:
    """The province (and city) a department's name starts with, from reference/regions.csv."""
    if not name:
        return None
    text = name
    for pre in _patterns()["party_prefix"]:
        if text.startswith(pre) and len(text) > len(pre) + 2:
            text = text[len(pre):]
            break
    for candidate in (text, name):
        for place, level, province, region in _regions():
            if level != "central" and candidate.startswith(place):
                return {"region": region, "province": province, "place": place}
    for place, level, province, region in _regions():
        if level == "central" and name.startswith(place):
            return {"region": region, "province": province, "place": place}
    return None


def _clean_name(name: str) -> str:
    """A name without the leaders, bullets or stops the layout left around it (".X市信访局。" → "X市信访局")."""
    return re.sub(r"^[\s.．·•:：、,，;；\-—_*。]+|[\s.．·•:：、,，;；\-—_*。]+$", "", name) or name


def place_of(names, texts=()) -> tuple[dict, str | None]:
    """Province and city ({"province": …, "city": …}) and the evidence for them: from the first name that starts
    with a place (佛山市轨道交通局 → 广东省 佛山市; 国家信访局 → 中央; 上海市普陀区… → 上海市 上海市), else from the
    place the cover and the text's opening name most — at least twice and more often than any other."""
    levels = {r[0]: r for r in _regions()}
    for n in names:
        r = region_of(n) if isinstance(n, str) else None
        if r:
            return _province_city(n, levels[r["place"]]), n
    counts: Counter = Counter()
    for t in texts:
        t = _squash(t)
        for place, level, _, _ in _regions():
            if level in ("city", "province") and place in t:
                counts[place] += t.count(place)
                t = t.replace(place, "|")  # 吉林省吉林市 counts each once; a longer name is not counted again
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return {"province": None, "city": None}, None
    return _province_city(ranked[0][0], levels[ranked[0][0]]), f"文中提及 / named in the text: {ranked[0][0]}"


def _province_city(name: str, row: tuple) -> dict:
    place, level, province, _ = row
    if level == "central":
        return {"province": province, "city": None}
    if level == "city":
        return {"province": province, "city": place}
    rest = name[name.find(place) + len(place):] if place in name else ""
    city = next((p for p, lv, pr, _ in _regions() if lv == "city" and pr == province and rest.startswith(p)), None)
    if city is None and place.endswith("市"):
        city = place  # 北京市, 上海市, 天津市, 重庆市: a province-level city is its own city
    return {"province": province, "city": city}


def _split_scope(name: str) -> tuple[str, str | None]:
    """深圳市财政局（本级） → (深圳市财政局, 本级)."""
    scopes = "|".join(re.escape(s) for s in _patterns()["scope"])
    m = re.search(rf"[（(]\s*({scopes})\s*[)）]", name)
    if not m:
        # 某某局本级, 某某局机关本级: the scope printed without brackets
        m = re.search(r"(机关本级|本级)$", name)
        if m and is_org_name(name[:m.start()]):
            return name[:m.start()], m.group(1)
        return name, None
    return (name[:m.start()] + name[m.end():]).strip(), m.group(1)


def _where(line) -> str:
    page = f" 第{line.page}页 / page {line.page}" if line.page is not None else ""
    return f"{line.file}{page}: {line.text.strip()}"


def _where_many(lines) -> str:
    """Cover lines of one page as one quote: ``file 第1页 / page 1: 国家信访局 2024 年度部门决算``."""
    parts: list[str] = []
    for key in dict.fromkeys((ln.file, ln.page) for ln in lines):
        texts = " ".join(ln.text.strip() for ln in lines if (ln.file, ln.page) == key)
        parts.append(_where(SimpleNamespace(file=key[0], page=key[1], text=texts)))
    return " | ".join(parts)


def _cover(prose_lines) -> list:
    """Each file's cover lines: the first page's opening lines before the 目录 or first section."""
    by_file: dict[str, list] = {}
    for ln in prose_lines:
        by_file.setdefault(ln.file, []).append(ln)
    cover = []
    for lines in by_file.values():
        pages = [ln.page for ln in lines if ln.page is not None]
        first = min(pages) if pages else None
        if first is not None and first > 2:  # no cover: the file starts with tables
            continue
        taken = 0
        for ln in lines:
            if ln.page != first:
                break
            text = ln.text.strip()
            if not text or _PAGE_NO.match(text):
                continue
            if _SECTION.match(text) or len(_squash(text)) > 45 or taken >= 8 or re.search(r"[。，；！？]", text):
                break  # a section, or a sentence: the narrative has begun
            cover.append(ln)
            taken += 1
    return cover


def _cover_name(lines) -> tuple[str | None, str | None]:
    """The name a cover prints, whole even when it runs over lines.

    A run of lines is read as one title only when a line of it is a fragment (深圳市财政局（本级）部门预 / 算,
    某某市人民政府 / 办公室2024年部门预算); a name printed twice on the cover is not doubled.
    """
    generic = set(_patterns()["org_suffix"])
    parts = [_strip_title(ln.text) for ln in lines]
    whole = [is_org_name(n) and n not in generic for n, _ in parts]
    best, best_len = None, 0
    for i in range(len(lines)):
        for j in range(i + 1, min(len(lines), i + 4)):
            if all(whole[k] or not parts[k][0] for k in range(i, j + 1)):
                continue  # every line stands alone: nothing was split
            n, s = _strip_title("".join(ln.text for ln in lines[i:j + 1]))
            if is_org_name(n) and j - i + 1 > best_len:
                best, best_len = (n, s), j - i + 1
    if best:
        return best
    for (n, s), ok in zip(parts, whole):
        if ok:
            return n, s
    return None, None


def _strip_title(text: str) -> tuple[str, str | None]:
    """What a cover title leaves once year, level and stage words go: the name, and its scope."""
    p = _patterns()
    t = _squash(text)
    t = _PUBLISHED.sub("", t)
    t = re.sub(r"(?:19|20)\d{2}年度?|(?:19|20)\d{2}|年度", "", t)
    levels = "|".join(re.escape(x) for x in p["level_word"])
    tails = "|".join(re.escape(x) for x in p["stage_tail"])
    t = re.sub(rf"(?:{levels})?(?:部门|单位)?(?:综合)?(?:预算|决算)(?:{tails})*", "", t)
    for word in p.get("title_before", ()):
        i = t.find(word, 2)
        if i > 0 and is_org_name(_split_scope(t[:i])[0]):
            t = t[:i]
    noise = "|".join(re.escape(x) for x in p.get("title_noise", ()))
    if noise:
        t = re.sub(rf"[（(][^（()）]*(?:{noise})[^（()）]*[)）]", "", t)
    t = _clean_name(re.sub(r"^[的\s]+|[的\s]+$", "", t)) if t else t
    return _split_scope(t)


def _stage_of(text: str) -> str | None:
    """预算 or 决算 when a phrase names the disclosure (not a mention of 上年决算)."""
    t = _PRIOR.sub("", _squash(text))
    found = {m.group(2) or m.group(3) or m.group(4) for m in _STAGE_PHRASE.finditer(t)}
    return found.pop() if len(found) == 1 else None


def _cn_year(digits: str) -> int:
    return int("".join("0" if c in "〇○零" else str("一二三四五六七八九".index(c) + 1) for c in digits))


def _years_in(text: str) -> list[int]:
    t = _PUBLISHED.sub("", text)
    years = [int(y) for y in _YEAR.findall(t)]
    # 二〇二四年度部门预算: a year in Chinese numerals (a date with a month was removed above)
    years += [y for y in (_cn_year(m) for m in _CN_YEAR.findall(_squash(t))) if 2000 <= y <= 2099]
    m = _LONE_YEAR.match(text)
    if m:
        years.append(int(m.group(1)))
    return years


def infer_meta(tables, prose_lines, units: dict) -> dict:
    p = _patterns()
    dept_label, unit_label = _label_re()
    evidence: dict[str, str] = {}
    cover = _cover(prose_lines)
    skip = p["cover_skip"]

    # --- names printed with a label: on the cover first, then in table captions -------------------
    labelled_dept: list[tuple[str, str | None, str]] = []  # (name, code, where)
    labelled_unit: list[tuple[str, str]] = []
    scopes: list[tuple[str, str]] = []  # (scope, where), most explicit first
    for ln in cover:
        t = ln.text.strip()
        for m in dept_label.finditer(_squash_label(t)):
            labelled_dept.append((m.group(3), m.group(2), _where(ln)))
            if m.group("label").startswith("预算主管"):
                scopes.append(("部门", _where(ln)))
        for m in unit_label.finditer(_squash_label(t)):
            labelled_unit.append((m.group(3), _where(ln)))
            if m.group("label") == "预算单位":
                scopes.append(("单位", _where(ln)))
    caption_dept: Counter = Counter()
    caption_codes: dict[str, str] = {}
    caption_where: dict[str, str] = {}
    caption_unit: Counter = Counter()
    for t in tables:
        for line in t.captions or ():
            sq = _squash_label(line)
            for m in dept_label.finditer(sq):
                caption_dept[m.group(3)] += 1
                caption_where.setdefault(m.group(3), f"{t.file} 表/table “{t.title}”: {line.strip()}")
                if m.group(2):
                    caption_codes[m.group(3)] = m.group(2)
            for m in unit_label.finditer(sq):
                caption_unit[m.group(3)] += 1
                caption_where.setdefault(m.group(3), f"{t.file} 表/table “{t.title}”: {line.strip()}")

    # --- the cover's title: name, year, stage ------------------------------------------------------
    title_lines = [ln for ln in cover if not any(s in ln.text for s in skip)
                   and not dept_label.search(_squash_label(ln.text)) and not unit_label.search(_squash_label(ln.text))]
    joined = "".join(_squash(ln.text) for ln in title_lines)
    title_name, title_scope = _cover_name(title_lines)
    title_where = _where_many([ln for ln in title_lines if _squash(_PUBLISHED.sub("", _squash(ln.text)))])

    # --- department --------------------------------------------------------------------------------
    department, dept_where, code = None, None, None
    cands = [(n, c, w) for n, c, w in labelled_dept if is_org_name(_split_scope(n)[0])]
    if cands:
        department, code, dept_where = cands[0]
    elif title_name:
        department, dept_where = title_name, title_where
    good_captions = [(n, k) for n, k in caption_dept.most_common() if is_org_name(_split_scope(n)[0])]
    if good_captions:
        best = good_captions[0][0]
        bare = _split_scope(best)[0]
        if department is None or (len(bare) > len(_split_scope(department)[0]) and _subsequence(department, bare)):
            # the captions print the full name of what the cover shortens (江苏省委办公厅 →
            # 中国共产党江苏省委员会办公厅)
            department, dept_where = best, caption_where[best]
    if department is None:
        good_units = [n for n, _ in caption_unit.most_common() if is_org_name(_split_scope(n)[0])]
        if good_units:
            department, dept_where = good_units[0], caption_where[good_units[0]]
    if department is None:
        for n, w in labelled_unit:
            if is_org_name(_split_scope(n)[0]):
                department, dept_where = n, w
                break
    if department is None:
        department, dept_where = _from_narrative(prose_lines)
    if department is None:
        named = [n for n in units.values() if is_org_name(n)]
        if len(named) == 1:
            department, dept_where = named[0], "单位表 / units table"
    if department:
        # a leader or bullet the layout left on the name (".X市信访局", "·X局", "：X局") is not part of it
        department = _clean_name(department)
        department, s = _split_scope(department)
        if title_scope:
            scopes.insert(0, (title_scope, title_where))
        if s:
            scopes.insert(1 if title_scope else 0, (s, dept_where))
        evidence["department"] = dept_where
    if code is None:
        # the printed department code is kept even when its name is a class name (316-人力资源和社会保障)
        for n, c in caption_codes.items():
            code = c
            evidence["department_code"] = caption_where[n]
            break

    # --- stage -------------------------------------------------------------------------------------
    votes: Counter = Counter()
    stage_where: dict[str, str] = {}
    cover_stage = _stage_of(joined) or _stage_of("".join(_squash(ln.text) for ln in cover))
    if cover_stage:
        votes[cover_stage] += 10
        stage_where[cover_stage] = title_where or _where_many(cover)
    for t in tables:
        for line in t.captions or ():
            if len(_squash(line)) <= 45:
                s = _stage_of(line)
                if s:
                    votes[s] += 1
                    stage_where.setdefault(s, f"{t.file} 表/table “{t.title}”: {line.strip()}")
        if t.kind != "unknown":
            title = _PRIOR.sub("", _squash(t.title or ""))
            s = "决算" if "决算" in title else "预算" if "预算" in title else None
            if s:
                votes[s] += 1
                stage_where.setdefault(s, f"{t.file} 表/table “{t.title}”")
    for ln in prose_lines:
        text = ln.text.strip()
        if len(_squash(text)) <= 45 and (_SECTION.match(text) or re.search(r"\d{4}\s*年", text)):
            s = _stage_of(text)
            if s:
                votes[s] += 1
                stage_where.setdefault(s, _where(ln))
    stage = "unknown"
    if votes:
        (top, n), *rest = votes.most_common()
        other = rest[0][1] if rest else 0
        if n >= 2 * max(other, 1) or (cover_stage == top and n > other):
            stage = top
            evidence["stage"] = stage_where[top]
    m = re.search(r"(部门|单位)(?:综合)?(?:预算|决算)", joined)
    if m:
        scopes.append((m.group(1), title_where))
    scope = scopes[0][0] if scopes else None
    if scope:
        evidence["scope"] = scopes[0][1]

    # --- year --------------------------------------------------------------------------------------
    year, year_where = None, None
    for ln in title_lines or cover:
        ys = _years_in(ln.text)
        if ys:
            year, year_where = ys[0], _where(ln)
            if _stage_of(ln.text):
                break
    if year is None:
        year_votes: Counter = Counter()
        where: dict[int, str] = {}
        for t in tables:
            for line in t.captions or ():
                sq = _squash(line)
                if len(sq) <= 45 and (_stage_of(line) or "表" in sq) and not sq.startswith("注"):
                    for y in _years_in(line):
                        year_votes[y] += 2
                        where.setdefault(y, f"{t.file} 表/table “{t.title}”: {line.strip()}")
        for ln in prose_lines[:60]:
            text = ln.text.strip()
            if len(_squash(text)) <= 45 and _stage_of(text):
                for y in _years_in(text):
                    year_votes[y] += 1
                    where.setdefault(y, _where(ln))
        if year_votes:
            year = year_votes.most_common(1)[0][0]
            year_where = where[year]
    if year is not None:
        evidence["year"] = year_where

    # --- units, unit_name --------------------------------------------------------------------------
    unit_list = [{"code": c, "name": n} for c, n in units.items()]
    if not unit_list and caption_unit:
        unit_list = [{"code": None, "name": caption_unit.most_common(1)[0][0]}]
    unit_name = None
    coded = [u for u in unit_list if u["code"] and u["name"]]
    if len(coded) == 1 and len(unit_list) == 1:
        unit_name = coded[0]["name"]
        evidence["unit_name"] = "单位表 / units table: " + f"{coded[0]['code']} {unit_name}"
    elif labelled_unit and is_org_name(_split_scope(labelled_unit[0][0])[0]):
        unit_name = _split_scope(labelled_unit[0][0])[0]
        evidence["unit_name"] = labelled_unit[0][1]
    elif scope in ("本级", "单位", "机关本级") and department:
        unit_name = department
        evidence["unit_name"] = evidence.get("department", "")

    unit_name = _clean_name(unit_name) if unit_name else unit_name

    # --- the department a unit belongs to: "XX是YY下属二级预算单位" ---------------------------------
    parent, parent_where = _parent_of(prose_lines, {department, unit_name} - {None})
    if parent:
        evidence["parent_department"] = parent_where

    # --- region and family -------------------------------------------------------------------------
    region = region_of(department) or region_of(unit_name)
    family, fam_where = _family(tables, stage, region)
    if fam_where:
        evidence["family"] = fam_where
    names = [department, unit_name, parent, *(u["name"] for u in unit_list)]
    opening = [ln.text for ln in _cover(prose_lines)] + [ln.text for ln in prose_lines[:40]]
    place, place_where = place_of(names, opening)
    if place_where:
        evidence["place_of"] = place_where
    return {
        "department": department,
        "department_code": code,
        "unit_name": unit_name,
        "parent_department": parent,
        "units": unit_list,
        "year": year,
        "stage": stage,
        "scope": scope,
        "family": family,
        "region": region["region"] if region else None,
        "place": region["place"] if region else None,
        "province": place["province"],
        "city": place["city"],
        "evidence": evidence,
    }


def _squash_label(text: str) -> str:
    """``部 门:中共…`` → ``部门:中共…``: spaces inside a label go, spaces between fields stay."""
    t = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff]\s*[:：])", "", text or "")
    t = re.sub(r"(部)\s+(门)", r"\1\2", t)
    t = re.sub(r"([:：])\s+", r"\1", t)
    return t.strip()


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


_NARRATIVE = re.compile(r"^(?P<name>[^\s，,。：:（(]{3,40}?)(?:[（(][^）)]{0,30}[)）])?(?:是|为|系)")


def _from_narrative(prose_lines) -> tuple[str | None, str | None]:
    """'乐山市市中区社会保险事务中心是…下属二级预算单位' → the name, from the first prose lines."""
    for ln in prose_lines[:80]:
        m = _NARRATIVE.match(_squash(ln.text))
        if m and is_org_name(m.group("name")) and not m.group("name").startswith(("本", "我")):
            return m.group("name"), _where(ln)
    return None, None


_PARENT = re.compile(r"^(?P<name>[^，,。；;：:]{3,40}?)(?:[（(][^）)]{0,30}[)）])?(?:是|为|系)(?P<parent>[^，,。；;：:是]{3,40}?)"
                     r"(?:下属|所属|直属)")


def _parent_of(prose_lines, names: set) -> tuple[str | None, str | None]:
    """The department a unit's narrative says it belongs to, when the sentence names this unit."""
    for ln in prose_lines[:200]:
        m = _PARENT.match(_squash(ln.text))
        if m and m.group("name") in names and is_org_name(m.group("parent")) and m.group("parent") not in names:
            return m.group("parent"), _where(ln)
    return None, None


@lru_cache(maxsize=None)
def _family_rules() -> tuple[dict, ...]:
    return load_csv("family_evidence.csv")


def _family(tables, stage: str, region: dict | None) -> tuple[str, str | None]:
    """A template family only when titles match its catalogue exactly and the place or stage agrees."""
    exact: Counter = Counter()
    for t in tables:
        if t.kind == "unknown" or t.match_score < 3:
            continue
        for f in families_for(t.title or ""):
            exact[f] += 1
    for rule in _family_rules():
        f = rule["family"]
        if rule["stage"] and rule["stage"] != stage:
            continue
        if rule["region"] and (region is None or region["region"] != rule["region"]):
            continue
        n = exact.get(f, 0)
        if n >= int(rule["min_exact_titles"]) and n == max(exact.values()):
            place = f"{region['place']}, " if region and rule["region"] else ""
            names = {r["family"]: (r["name_zh"], r["name_en"]) for r in load_csv("family_names.csv")}
            zh, en = names.get(f, (f, f))  # as a reader names the template (四川模板 / Sichuan template)
            return f, f"{place}{n} 张表题与{zh}一致 / {n} table titles match the {en}"
    return "unknown", None
