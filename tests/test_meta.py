"""Metadata from the cover and titles: department, unit, year, stage, scope, family, evidence.

Real values from every disclosure in data/corpus and the seed (text and PDF forms); built covers
for the forms the corpus does not show.  Documents are read once per session (conftest.load).
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from budgetkit.read.blocks import ProseLine
from budgetkit.tidy.meta import infer_meta, is_org_name, region_of
from conftest import CORPUS, DATA, SEED_PDF, SEED_TXT, jiangsu, load

SEED_PLAIN = DATA / "seed" / "leshan-shizhong-shebao-2023-budget-plain.pdf"

# (files, department, year, stage, scope, family) as printed on each cover / in each title
REAL = {
    "bj-city-finance-2026-budget": ([CORPUS / "bj-city-finance-2026-budget-text.pdf",
                                     CORPUS / "bj-city-finance-2026-budget-tables.pdf"],
                                    "北京市财政局", 2026, "预算", "部门", "unknown"),
    "cn-central-xinfang-2024-final": ([CORPUS / "cn-central-xinfang-2024-final.pdf"],
                                      "国家信访局", 2024, "决算", "部门", "final_accounts"),
    "cn-central-xinfang-2026-budget": ([CORPUS / "cn-central-xinfang-2026-budget.pdf"],
                                       "国家信访局", 2026, "预算", "部门", "unknown"),
    "cq-city-govoffice-2026-budget": ([CORPUS / "cq-city-govoffice-2026-budget.pdf"],
                                      "重庆市人民政府办公厅", 2026, "预算", "部门", "unknown"),
    "cq-swu-2023-budget": ([CORPUS / "cq-swu-2023-budget.pdf"], "西南大学", 2023, "预算", "部门", "unknown"),
    "cq-swu-2023-final": ([CORPUS / "cq-swu-2023-final.pdf"], "西南大学", 2023, "决算", "部门", "unknown"),
    "fj-fuzhou-medinsure-2026-budget": ([CORPUS / "fj-fuzhou-medinsure-2026-budget.pdf"],
                                        "福州市医疗保障局", 2026, "预算", "部门", "unknown"),
    "gd-foshan-metro-2019-final": ([CORPUS / "gd-foshan-metro-2019-final.pdf"],
                                   "佛山市轨道交通局", 2019, "决算", "部门", "final_accounts"),
    "gd-guangzhou-stats-2026-budget": ([CORPUS / "gd-guangzhou-stats-2026-budget.pdf"],
                                       "广州市统计局", 2026, "预算", "部门", "unknown"),
    "gd-shenzhen-finance-2026-budget": ([CORPUS / "gd-shenzhen-finance-2026-budget.pdf"],
                                        "深圳市财政局", 2026, "预算", "本级", "unknown"),
    "hn-changsha-xinfang-2026-budget": ([CORPUS / "hn-changsha-xinfang-2026-budget.pdf"],
                                        "长沙市信访局", 2026, "预算", "部门", "unknown"),
    # the 2017 captions print the full name the cover shortens to 江苏省委办公厅
    "js-2017": (jiangsu(2017), "中国共产党江苏省委员会办公厅", 2017, "预算", "部门", "jiangsu"),
    "js-2018": (jiangsu(2018), "中共江苏省委办公厅", 2018, "预算", "部门", "jiangsu"),
    "js-2019": (jiangsu(2019), "中共江苏省委办公厅", 2019, "预算", "部门", "jiangsu"),
    "sd-yantai-audit-2026-budget": ([CORPUS / "sd-yantai-audit-2026-budget.pdf"],
                                    "烟台市审计局", 2026, "预算", "部门", "unknown"),
    "sh-putuo-commerce-2025-budget-dept": ([CORPUS / "sh-putuo-commerce-2025-budget-dept.pdf"],
                                           "上海市普陀区商务委员会", 2025, "预算", "部门", "shanghai"),
    "sh-putuo-commerce-2025-budget-unit": ([CORPUS / "sh-putuo-commerce-2025-budget-unit.pdf"],
                                           "上海市普陀区商务委员会", 2025, "预算", "单位", "shanghai"),
    "sh-putuo-wanli-street-2024-budget": ([CORPUS / "sh-putuo-wanli-street-2024-budget.pdf"],
                                          "上海市普陀区人民政府万里街道办事处", 2024, "预算", "部门", "shanghai"),
    "sh-putuo-wanli-street-2025-budget": ([CORPUS / "sh-putuo-wanli-street-2025-budget.pdf"],
                                          "上海市普陀区人民政府万里街道办事处", 2025, "预算", "部门", "shanghai"),
    "sx-xian-finance-2026-budget": ([CORPUS / "sx-xian-finance-2026-budget.pdf"],
                                    "西安市财政局", 2026, "预算", "汇总", "unknown"),
    "zj-hangzhou-meteo-2026-budget": ([CORPUS / "zj-hangzhou-meteo-2026-budget.pdf"],
                                      "杭州市气象局", 2026, "预算", "部门", "unknown"),
    # the seed's cover names the unit; its captions print the class name 316-人力资源和社会保障
    "seed-txt": ([SEED_TXT], "乐山市市中区社会保险事务中心", 2023, "预算", None, "sichuan"),
    "seed-pdf": ([SEED_PDF], "乐山市市中区社会保险事务中心", 2023, "预算", None, "sichuan"),
    # a word processor's plain rendering, and the Word and Excel forms (the .xlsx has no cover: the name comes
    # from the narrative sentence, the year from the target tables' titles)
    "seed-plain-pdf": ([SEED_PLAIN], "乐山市市中区社会保险事务中心", 2023, "预算", None, "sichuan"),
    "seed-docx": ([SEED_TXT.with_suffix(".docx")], "乐山市市中区社会保险事务中心", 2023, "预算", None, "sichuan"),
    "seed-xlsx": ([SEED_TXT.with_suffix(".xlsx")], "乐山市市中区社会保险事务中心", 2023, "预算", None, "sichuan"),
}


def test_every_corpus_pdf_is_covered():
    listed = {p.name for files, *_ in REAL.values() for p in files}
    assert {p.name for p in CORPUS.glob("*.pdf")} <= listed


@pytest.mark.parametrize("name", list(REAL))
def test_department_year_stage_from_the_cover(name):
    files, department, year, stage, scope, family = REAL[name]
    m = load(files).meta
    assert (m["department"], m["year"], m["stage"]) == (department, year, stage)
    assert m["scope"] == scope
    assert m["family"] == family
    # each field says which printed line it came from
    for field in ("department", "year", "stage"):
        assert m["evidence"][field], field
    assert str(year) in m["evidence"]["year"]
    assert stage in "".join(m["evidence"]["stage"].split())  # a title split over lines is quoted whole


def test_seed_unit_full_name_not_class_name():
    m = load(SEED_TXT).meta
    assert m["unit_name"] == "乐山市市中区社会保险事务中心"
    assert m["department_code"] == "316"  # printed in 部门：316-人力资源和社会保障, kept with its line
    assert "316-人力资源和社会保障" in m["evidence"]["department_code"]
    assert m["region"] == "sichuan" and m["place"] == "乐山市"
    # "乐山市市中区社会保险事务中心是乐山市市中区人力资源和社会保障局下属二级预算单位"
    assert m["parent_department"] == "乐山市市中区人力资源和社会保障局"
    assert "下属二级预算单位" in m["evidence"]["parent_department"]
    assert load(CORPUS / "cq-swu-2023-final.pdf").meta["parent_department"] == "教育部"  # 是教育部直属


def test_scope_and_unit_of_real_covers():
    sz = load(CORPUS / "gd-shenzhen-finance-2026-budget.pdf").meta
    assert sz["unit_name"] == "深圳市财政局"  # （本级）: the bureau's own unit
    unit = load(CORPUS / "sh-putuo-commerce-2025-budget-unit.pdf").meta
    assert unit["unit_name"] == "上海市普陀区商务委员会" and "预算单位：" in unit["evidence"]["unit_name"]
    xa = load(CORPUS / "sx-xian-finance-2026-budget.pdf").meta
    assert xa["unit_name"] is None and "（汇总）" in xa["evidence"]["scope"]  # three units summed


def test_final_accounts_year_is_the_year_accounted_not_published():
    m = load(CORPUS / "cq-swu-2023-final.pdf").meta  # cover: 西南大学 2023 年度部门决算 / 2024 年 8 月
    assert m["year"] == 2023 and "2024 年 8 月" not in m["evidence"]["year"]


# --- built covers: forms the corpus does not show ---------------------------------------------------

def _lines(*texts, file="x.pdf", page=1):
    return [ProseLine(text=t, page=page, file=file) for t in texts]


def _table(title, captions=(), kind="income_expenditure_summary", score=1):
    return SimpleNamespace(title=title, captions=list(captions), kind=kind, table_no=None, match_score=score,
                           file="x.pdf", pages=[5])


def test_nothing_names_the_stage_gives_unknown():
    m = infer_meta([_table("收支总表")], _lines("某某市某某局", "一、部门职责"), {})
    assert m["stage"] == "unknown" and "stage" not in m["evidence"]
    assert m["department"] == "某某市某某局" and m["year"] is None


def test_prior_year_final_accounts_do_not_make_a_budget_a_final_account():
    tables = [_table("2025年收支预算总表", ["2025年部门预算表", "上年决算数"]),
              _table("支出预算总表", kind="expenditure_summary")]
    m = infer_meta(tables, _lines("2025年度某县教育局部门预算", "2024年决算数对比"), {})
    assert (m["stage"], m["year"], m["department"]) == ("预算", 2025, "某县教育局")


def test_unit_budget_cover_and_split_name():
    prose = _lines("2024 年度", "某某市第一中学", "单位预算", "2024年3月")
    m = infer_meta([], prose, {})
    assert (m["department"], m["year"], m["stage"], m["scope"]) == ("某某市第一中学", 2024, "预算", "单位")
    assert m["unit_name"] == "某某市第一中学"


def test_final_accounts_cover_with_publication_date_first():
    prose = _lines("二〇二五年七月", "某某省某某厅", "2024年度部门决算")
    m = infer_meta([], prose, {})
    assert (m["department"], m["year"], m["stage"]) == ("某某省某某厅", 2024, "决算")


def test_class_name_caption_is_not_a_department():
    tables = [_table("部门收支总表", ["部门：316-人力资源和社会保障 金额单位：万元"])]
    m = infer_meta(tables, _lines("收支情况"), {})
    assert m["department"] is None and m["department_code"] == "316"
    assert not is_org_name("人力资源和社会保障") and is_org_name("乐山市市中区社会保险事务中心")


def test_family_needs_place_and_exact_titles():
    titles = ["部门收支总表", "部门收入总表", "部门支出总表", "财政拨款收支预算总表"]
    tables = [_table(t, score=3) for t in titles]
    # Sichuan titles printed by a unit whose name places it outside Sichuan: no family claimed
    m = infer_meta(tables, _lines("2026年某某市审计局部门预算"), {})
    assert m["family"] == "unknown"
    m = infer_meta(tables, _lines("2026年成都市审计局部门预算"), {})
    assert m["family"] == "sichuan" and m["region"] == "sichuan" and "成都市" in m["evidence"]["family"]


def test_region_from_the_start_of_the_name():
    assert region_of("中共江苏省委办公厅")["region"] == "jiangsu"
    assert region_of("国家信访局")["region"] == "central"
    assert region_of("西南大学") is None
    assert region_of("乐山市市中区社会保险事务中心")["province"] == "四川省"


@pytest.mark.parametrize("cover, department, year, stage", [
    (["某某县教育局2024年度部门预算（草案）"], "某某县教育局", 2024, "预算"),
    (["某某市财政局关于公开2023年度部门决算的说明"], "某某市财政局", 2023, "决算"),
    (["某某市卫生健康委员会", "二〇二四年度部门预算"], "某某市卫生健康委员会", 2024, "预算"),
    (["某某区民政局", "2023年度部门决算公开报告", "2024年9月"], "某某区民政局", 2023, "决算"),
    (["部门名称：某某市审计局", "2025年部门综合预算公开"], "某某市审计局", 2025, "预算"),
    (["2024年某某市交通运输局部门预算及“三公”经费预算情况说明"], "某某市交通运输局", 2024, "预算"),
    (["某某市人力资源及社会保障局2024年部门预算"], "某某市人力资源及社会保障局", 2024, "预算"),
    (["某某市XX局", "2024年部门预算", "某某市财政局印制"], "某某市XX局", 2024, "预算"),
    (["某某市人民政府", "办公室2024年部门预算"], "某某市人民政府办公室", 2024, "预算"),  # name split over lines
    (["某某省某某厅", "2024年度部门决算", "某某省某某厅", "2025年8月"], "某某省某某厅", 2024, "决算"),  # printed twice
    ([".某某市信访局", "2026年部门预算"], "某某市信访局", 2026, "预算"),  # a leader dot the layout left
    (["·某某市统计局2026年部门预算"], "某某市统计局", 2026, "预算"),
])
def test_cover_forms_of_other_provinces(cover, department, year, stage):
    m = infer_meta([], _lines(*cover), {})
    assert (m["department"], m["year"], m["stage"]) == (department, year, stage)


def test_no_cover_stage_from_titles_and_year_from_captions():
    """A tables-only file: 决算 titles outvote nothing; the year comes from a caption naming the table."""
    tables = [_table("收入支出决算总表", ["2024年度收入支出决算总表", "部门：某某市水利局 金额单位：万元"]),
              _table("收入决算表", kind="income_summary"), _table("支出决算表", kind="expenditure_summary")]
    prose = _lines("收入支出决算总表", "部门：某某市水利局 金额单位：万元", page=3)
    m = infer_meta(tables, prose, {})
    assert (m["department"], m["year"], m["stage"]) == ("某某市水利局", 2024, "决算")
    assert "收入支出决算总表" in m["evidence"]["stage"]


@pytest.mark.parametrize("cover, department", [
    (["某某市信访局：", "2026年部门预算"], "某某市信访局"),  # a colon the layout left after the name
    (["—某某区民政局—", "2023年度部门决算"], "某某区民政局"),
])
def test_names_lose_leading_and_trailing_punctuation(cover, department):
    assert infer_meta([], _lines(*cover), {})["department"] == department


@pytest.mark.parametrize("key, province, city", [
    ("gd-foshan-metro-2019-final", "广东省", "佛山市"),  # 佛山市轨道交通局: the city names its province
    ("cn-central-xinfang-2024-final", "中央", None),  # 国家信访局
    ("js-2019", "江苏省", None),  # 中共江苏省委办公厅
    ("sh-putuo-commerce-2025-budget-dept", "上海市", "上海市"),  # a province-level city is its own city
    ("seed-txt", "四川省", "乐山市"),  # 乐山市市中区社会保险事务中心
])
def test_province_and_city_from_the_department_name(key, province, city):
    m = load(REAL[key][0]).meta
    assert (m["province"], m["city"]) == (province, city)


def test_province_and_city_from_the_cover_and_text_when_the_name_has_no_place():
    """A name with no place (某某大学) takes the place its cover and opening text name most — twice at least, and
    more than any other; a tie or a single mention says nothing."""
    cover = _lines("某某大学", "2023年部门预算", "某某大学是教育部直属高校，位于重庆市北碚区。", "重庆市人民政府与教育部共建。")
    m = infer_meta([], cover, {})
    assert (m["department"], m["province"], m["city"]) == ("某某大学", "重庆市", "重庆市")
    assert "重庆市" in m["evidence"]["place_of"]
    tie = infer_meta([], _lines("某某大学", "2023年部门预算", "与成都市、西安市合作。"), {})
    assert (tie["province"], tie["city"]) == (None, None)
    assert region_of("某某大学") is None
