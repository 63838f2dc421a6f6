"""League tables: scorecards ranked only within the same stage, year and level, coverage beside every total,
low coverage marked and never ranked; ``budgetkit score STORE``; the league widget, headless."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from budgetkit.cli import main
from budgetkit.score import score
from budgetkit.score.engine import Item, Scorecard, _aggregate, _weights, scorecard_items
from budgetkit.score.league import league, league_from_store
from budgetkit.score.report import league_text, render_league, total_line

from conftest import CORPUS, DATA, load

HANGZHOU = CORPUS / "zj-hangzhou-meteo-2026-budget.pdf"
GUANGZHOU = CORPUS / "gd-guangzhou-stats-2026-budget.pdf"
SUZHOU_WATER = DATA / "excerpts" / "js-suzhou-water-2026-budget-items.pdf"
#: 北京市财政局 2026's narrative half: names its tables and prints none (refused: no budget table recognised)
NARRATIVE_ONLY = CORPUS / "bj-city-finance-2026-budget-text.pdf"


# ------------------------------------------------------------------------------------ built example

def built_card(doc_id, name, *, stage="预算", year=2026, scope="部门", level=100, ne=(), low=()) -> Scorecard:
    """A scorecard of the real items and weights: every item at ``level``, the ids in ``ne`` not evaluable, the
    ids in ``low`` at 0."""
    w = _weights(None, stage)
    items = []
    for r in scorecard_items():
        wt = w[r["id"]]
        if wt is None:
            items.append(Item(r["id"], r["part"], r["title_zh"], r["title_en"], None, None, "N/A", "", "", [], ""))
        elif r["id"] in ne:
            items.append(Item(r["id"], r["part"], r["title_zh"], r["title_en"], wt, None, "N/E", "表未读出", "unread",
                              [], ""))
        else:
            lv = 0 if r["id"] in low else level
            status = "bonus" if r["id"] == "TS-T03" else "scored"
            items.append(Item(r["id"], r["part"], r["title_zh"], r["title_en"], wt, lv, status, "", "",
                              [{"page": 3}] if lv < 100 else [], ""))
    total, coverage, parts = _aggregate(items)
    meta = {"doc_id": doc_id, "department": name, "stage": stage, "year": year, "scope": scope}
    return Scorecard(meta, items, total, coverage, parts)


def test_ranks_only_within_stage_year_and_level():
    cards = [built_card("a", "甲局", low={"TS-N04"}), built_card("b", "乙局"),
             built_card("c", "丙单位", scope="单位", low={"TS-N04", "TS-N05"}),
             built_card("d", "丁局", stage="决算", low={"TS-T01"}),
             built_card("e", "戊局", year=2025),
             built_card("f", "己局", scope="汇总", low={"TS-G01"})]  # 汇总: a department's consolidated document
    L = league(cards)
    E = L.entries.set_index("doc_id")
    peers = "2026 预算 · 部门 / 2026 budget · department"
    assert E.loc["b", "group"] == E.loc["a", "group"] == E.loc["f", "group"] == peers
    # N04 weighs 5 and G01 6 on a 预算: 乙 100, 甲 95, 己 94
    assert (E.loc["b", "rank"], E.loc["a", "rank"], E.loc["f", "rank"]) == (1, 2, 3) and E.loc["a", "of"] == 3
    assert (E.loc["a", "total"], E.loc["f", "total"]) == (95.0, 94.0)
    # one of each elsewhere: first of one, never compared with the 2026 部门 budgets
    for other in ("c", "d", "e"):
        assert E.loc[other, "rank"] == 1 and E.loc[other, "of"] == 1
    # by part: N04 at 0 puts 甲 last on N, while 己 (G01 at 0) is first on N with 乙
    N = league(cards, by="N").entries.set_index("doc_id")
    assert N.loc["a", "rank"] == 3 and N.loc["f", "rank"] == N.loc["b", "rank"] == 1


def test_low_coverage_is_marked_never_ranked_and_ne_is_not_zero():
    many_ne = {"TS-T01", "TS-T02", "TS-G01", "TS-G02", "TS-G03", "TS-N04"}  # 36 of 100 points not evaluable
    cards = [built_card("a", "甲局", low={"TS-N04"}), built_card("z", "乙局", ne=many_ne)]
    L = league(cards)
    E = L.entries.set_index("doc_id")
    # 乙's scored items are all 100, so its total is 100 — above 甲's — yet it is not ranked above anyone
    assert E.loc["z", "total"] == 100 and E.loc["z", "coverage"] < 0.8
    assert E.loc["a", "rank"] == 1 and E.loc["a", "of"] == 1 and str(E.loc["z", "rank"]) == "<NA>"
    assert "不排名" in E.loc["z", "mark"] and "not ranked" in E.loc["z", "mark_en"]
    text = league_text(L)
    assert "100.0 / 100，覆盖 64% / coverage 64%" in text and "⚠ 覆盖率低于 80%，不排名" in text
    assert text.index("甲局") < text.index("乙局")  # the ranked entry first, the marked one after it
    # with the threshold lowered the same entry is ranked, first
    assert league(cards, min_coverage=0.5).entries.set_index("doc_id").loc["z", "rank"] == 1
    # an unread disclosure is listed, N/E, never 0 and never ranked
    U = league(cards, [{"meta": {"doc_id": "x", "department": "庚局", "stage": "预算", "year": 2026, "scope": "部门"},
                        "why": "读取失败", "why_en": "could not be read"}]).entries.set_index("doc_id")
    assert pd.isna(U.loc["x", "total"]) and "N/E" in U.loc["x", "mark"] and str(U.loc["x", "rank"]) == "<NA>"
    assert total_line(None, None) == "— N/E"


def test_an_unscored_disclosure_is_listed_apart_by_its_file_name_and_reason():
    """Built: a refused file whose reading gave a department (沿江区域慢行) and a year (2035) from a planning notice:
    it is named by its file, in the not-scored group after every ranked group, with its reason — never in a 2035
    group of its own, never under that name."""
    from budgetkit.score.league import NOT_SCORED

    refused = {"meta": {"doc_id": "惠州-办公厅.pdf", "disclosure_id": "惠州-办公厅.pdf", "department": "沿江区域慢行",
                        "year": 2035, "stage": "unknown"},
               "why": "未识别出预算公开表", "why_en": "no budget disclosure table recognised"}
    L = league([built_card("a", "甲局"), built_card("q", "乙局", stage="unknown")], [refused])
    E = L.entries.set_index("doc_id")
    row = E.loc["惠州-办公厅.pdf"]
    assert row["name"] == "惠州-办公厅.pdf" and row["group"] == NOT_SCORED and pd.isna(row["year"])
    assert "未识别出预算公开表" in row["mark"] and "no budget disclosure table recognised" in row["mark_en"]
    assert L.entries["group"].iloc[-1] == NOT_SCORED and not L.entries["group"].str.contains("2035").any()
    assert "沿江区域慢行" not in league_text(L)


def test_league_workbook_shows_stage_and_level_in_words():
    """The 阶段 column of the league sheet reads 「预算 / budget」, and 「未知 / unknown」 for a stage not identified —
    never the raw value; a disclosure with no scorecard has it blank."""
    from budgetkit.score.report import league_sheets

    refused = {"meta": {"doc_id": "z.pdf"}, "why": "读取失败", "why_en": "could not be read"}
    sheet = league_sheets(league([built_card("a", "甲局"), built_card("q", "乙局", stage="unknown")],
                                 [refused]))["排名 league"].set_index("文件 / doc_id")
    assert sheet.loc["a", "阶段 / stage"] == "预算 / budget" and sheet.loc["a", "口径 / level"] == "部门 / department"
    assert sheet.loc["q", "阶段 / stage"] == "未知 / unknown" and sheet.loc["z.pdf", "阶段 / stage"] == ""
    assert "unknown" not in set(sheet["阶段 / stage"])


def test_unknown_level_is_not_ranked():
    L = league([built_card("a", "甲局", scope=None), built_card("b", "乙局")])
    E = L.entries.set_index("doc_id")
    assert str(E.loc["a", "rank"]) == "<NA>" and "口径" in E.loc["a", "mark"] and E.loc["b", "rank"] == 1


# ------------------------------------------------------------------------------------ real: a store of data/

@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from budgetkit.store import build

    root = tmp_path_factory.mktemp("league")
    broken = root / "in" / "truncated-2026-budget.pdf"
    broken.parent.mkdir()
    broken.write_bytes(HANGZHOU.read_bytes()[:3000])
    out = root / "store"
    result = build([HANGZHOU, GUANGZHOU, SUZHOU_WATER, NARRATIVE_ONLY, broken.parent], out,
                   manifest=DATA / "MANIFEST.csv", workers=2, progress=False)
    assert result.built == 3 and result.failed == 2
    return out


def test_store_league_matches_scoring_each_file(store):
    L = league_from_store(store)
    E = L.entries.set_index("doc_id")
    for path in (HANGZHOU, GUANGZHOU):
        s = score(load(path))
        assert E.loc[s.doc_id, "total"] == round(s.total, 1) and E.loc[s.doc_id, "coverage"] == round(s.coverage, 3)
        assert L.card(s.doc_id).parts["N"]["score"] == s.parts["N"]["score"]
    group = "2026 预算 · 部门 / 2026 budget · department"
    assert E.loc["zj-hangzhou-meteo-2026-budget", "group"] == E.loc["gd-guangzhou-stats-2026-budget", "group"] == group
    assert sorted(E.loc[["zj-hangzhou-meteo-2026-budget", "gd-guangzhou-stats-2026-budget"], "rank"]) == [1, 2]
    # the Suzhou water excerpt (pages 13, 17, 20, 33; MANIFEST.csv) is four pages, not a disclosure: never ranked
    ex = E.loc["js-suzhou-water-2026-budget-items"]
    assert str(ex["rank"]) == "<NA>" and "页面摘录" in ex["mark"] and "13,17,20,33" in ex["mark"]
    # the truncated file could not be read: listed as not scored (N/E), not as 0
    failed = L.entries[L.entries["disclosure_id"] == "truncated-2026-budget.pdf"].iloc[0]
    assert pd.isna(failed["total"]) and "N/E" in failed["mark"]
    # 北京市财政局's narrative half was refused: listed by its file name, apart, with the reason the build recorded
    text = L.entries[L.entries["disclosure_id"] == NARRATIVE_ONLY.name].iloc[0]
    assert text["name"] == NARRATIVE_ONLY.name and text["group"] == "未评分 / not scored" and pd.isna(text["year"])
    assert "未识别出预算公开表" in text["mark"] and "no budget disclosure table recognised" in text["mark_en"]


def test_cli_prints_the_league_and_writes_every_format(store, tmp_path, capsys):
    assert main(["score", str(store)]) == 0
    out = capsys.readouterr().out
    assert "2026 预算 · 部门 / 2026 budget · department · 2" in out
    assert "杭州市气象局" in out and "广州市统计局" in out and "1/2" in out and "2/2" in out
    assert "覆盖" in out and "coverage" in out and "== 未评分 / not scored · 2 ==" in out
    assert "未评分（PDF不完整（被截断），缺少文件结尾），N/E" in out  # the truncated file, with its reason
    assert main(["score", str(store), "--format", "json", "--out", str(tmp_path / "l.json")]) == 0
    doc = json.loads((tmp_path / "l.json").read_text(encoding="utf-8"))
    top = next(g for g in doc["groups"] if g["group"].startswith("2026 预算 · 部门"))
    assert [e["rank"] for e in top["entries"]] == [1, 2] and set(top["entries"][0]["parts"]) == set("FTGNPQ")
    for fmt in ("html", "md"):
        text = render_league(league_from_store(store), fmt)
        assert "杭州市气象局" in text and "<script" not in text
    book = tmp_path / "l.xlsx"
    assert main(["score", str(store), "--format", "xlsx", "--out", str(book)]) == 0
    from openpyxl import load_workbook

    wb = load_workbook(book)
    ws = wb["排名 league"]
    head = [c.value for c in ws[1]]
    assert "总分 / total" in head and "覆盖率 % / coverage %" in head and ws.auto_filter.ref
    rows = [dict(zip(head, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    hz = next(r for r in rows if r["部门 / department"] == "杭州市气象局")
    assert isinstance(hz["总分 / total"], (int, float)) and isinstance(hz["名次 / rank"], int)
    items = wb["逐项 items"]
    assert items.auto_filter.ref and items.max_row > 70  # every item of each scored disclosure
    assert main(["score", str(store), "--weights", str(tmp_path / "w.csv")]) == 2  # a store keeps its build's weights
    assert main(["score", str(store), "--format", "xlsx"]) == 2  # xlsx needs --out


def test_single_scorecard_as_xlsx(tmp_path):
    from openpyxl import load_workbook

    book = tmp_path / "s.xlsx"
    assert main(["score", str(GUANGZHOU), "--format", "xlsx", "--out", str(book)]) == 0
    ws = load_workbook(book)["评分 scorecard"]
    head = [c.value for c in ws[1]]
    rows = {r[0].value: dict(zip(head, [c.value for c in r])) for r in ws.iter_rows(min_row=2)}
    # p23–24 explain totals, 三公 and 采购 but name no 项 of the function table (p13): N04 at 0, a number
    assert rows["TS-N04"]["等级 / level"] == 0 and rows["TS-N04"]["页码 / page"] == 13
    assert ws.auto_filter.ref and "等级 / level" in head


def test_league_panel_headless(store):
    from budgetkit.explore.league_view import LeagueView, league_panel, scorecard_panel
    from budgetkit.explore.widgets import static_html

    v = LeagueView(league_from_store(store))
    assert v.group.value.startswith("2026 预算 · 部门")  # opens on the group with the most ranked entries
    first = static_html(v.view)
    assert "杭州市气象局" in first and "覆盖" in first and "<svg" in first  # table, chart and a card
    assert "第" in v.card.value and "页" in v.card.value  # evidence with its page
    before = v.card.value
    v.dept.value = v.dept.options[1][1]
    assert v.card.value != before and v.last_error is None
    v.by.value = "P"
    assert v.league.by == "P" and v.last_error is None
    other = next(g for g in v.group.options if "单位" in g)
    v.group.value = other
    assert "苏州市水务局" in v.table.value and "页面摘录" in v.table.value and v.last_error is None
    assert league_panel(store) is not None
    card = static_html(scorecard_panel(load(GUANGZHOU)))
    assert "TS-N04" in card and "<svg" in card
