"""The seed's inconsistencies, each asserted with its numbers.

Every finding below was checked by hand against the seed text.
"""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

import budgetkit
from budgetkit.report import to_html, to_json, to_text
from conftest import SEED_TXT, load

# (rule, severity, words in the Chinese message, expected, actual) — all amounts in 万元
EXPECTED = [
    ("W02", "error", ["财政拨款收支预算总表", "支出/合计"], "1149.80", "1140.03"),  # 1055.76+31.06+53.21
    ("W02", "error", ["一般公共预算支出预算表", "合计"], "1149.80", "1140.03"),  # 483.81 + … ≠ 1149.80
    ("W03", "error", ["财政拨款收支预算总表", "社会保障和就业支出"], "1055.76", "1065.53"),
    ("W03", "error", ["一般公共预算支出预算表", "社会保险经办机构"], "483.81", "493.58"),
    ("B01", "error", ["208", "财政拨款收支预算总表"], "1065.53", "1055.76"),
    ("B01", "error", ["2080109", "一般公共预算支出预算表"], "493.58", "483.81"),
    ("B05", "error", ["适当照顾老干部"], "1.00", "31.00"),  # 绩效目标表 31.00 vs 项目支出表 1.00
    ("B05", "error", ["合计"], "420.01", "450.01"),
    ("N01", "error", ["卫生健康支出", "71.95"], "31.06", "71.95"),
    ("N01", "error", ["住房保障支出", "120.78"], "53.21", "120.78"),  # printed as 住户保障支出
    ("N01", "error", ["绩效目标项目预算总额"], "450.01", "420.01"),
    ("N03", "error", ["1,149.80万元总数增加136.3万元"], "0.00", "136.30"),  # base 1,149.80 → +136.3?
    ("N03", "error", ["较2022年预算3.3万元下降10%"], "-15", "-10"),  # 3.3 → 2.80 is −15.15%, −15% at the whole number printed
    ("N03", "error", ["67.26", "增加76.15"], "9.59", "76.15"),  # 机关运行经费 76.85 − 67.26 = 9.59
    ("N03", "error", ["增长 0.70万元"], "9.59", "0.70"),  # the same sentence's second change
    ("N02", "warning", ["1,065.53万元", "92.6%"], "92.7", "92.6"),  # 92.67% at the one decimal printed
    ("N02", "warning", ["53.21万元", "4.7%"], "4.6", "4.7"),
    ("N04", "warning", ["2021"], "2022", "2021"),  # 比2021年收支预算1013.5万元
    ("N04", "warning", ["2021"], "2022", "2021"),  # 公务用车…较2021年
    ("N05", "warning", ["农林水支出", "11.00"], None, "11.00"),
    ("N05", "warning", ["公共就业服务和职业技能鉴定机构", "125.94"], None, "125.94"),
    ("N06", "warning", ["住户保障支出", "住房保障支出"], None, None),
    ("N06", "warning", ["住户保障支出", "住房保障支出"], None, None),  # stated twice
    ("N06", "warning", ["社会保险经办机构", "一般公共服务"], None, None),
    ("N06", "warning", ["其他人力资源和社会保障管理事务支出", "一般公共服务"], None, None),
    # "社会保障就业(类)": the right class 208 under a shortened name — a note, not a misfiling
    ("N06", "info", ["社会保障就业", "简写", "2080505"], None, None),
    ("N06", "info", ["社会保障就业", "简写", "2080506"], None, None),
    ("N06", "info", ["社会保障就业", "简写", "2080599"], None, None),
    ("C02", "warning", ["部门整体支出绩效目标表"], None, None),  # empty, not explained
    ("N07", "warning", ["1,149.80万元", "2021、2022年"], None, None),  # base year differs between sections
    ("N07", "warning", ["1,149.80万元", "1,013.50、1,149.80"], None, None),  # and so does the base
    # performance targets (公开表6)
    ("P03", "warning", ["新农合人员人员经费", "≥"], None, None),
    ("P03", "warning", ["财政承担特殊军龄参保增发成本", "≥"], None, None),
    ("P03", "warning", ["老干部照顾所需资金", "≥"], None, None),
    ("P03", "warning", ["老干部照顾所需资金", "50000元"], "31.00", "5"),  # cost 5万元 vs budget 31.00
    ("P03", "warning", ["代管离休干部所需资金", "≥"], None, None),
    ("P03", "warning", ["代管离休干部所需资金", "800640元"], "16.01", "80.064"),
    ("P04", "warning", ["提高老干部生活水平", "“1”"], None, None),  # 定性 with a number
    ("P04", "warning", ["化解社会矛盾，促进社会和谐", "“1”"], None, None),
    ("P05", "warning", ["老干部补助标准", "“月”"], None, None),  # a 标准 measured in 月
    ("P08", "warning", ["275540.37元*12月=3285224.76元"], "3306484.44", "3285224.76"),
    ("P08", "warning", ["2人 × 703.2元/月"], "16876.8", "25905.6"),
    ("P08", "warning", ["4人 × 3336元/月"], "160128", "200160"),
    ("P09", "warning", ["当年需要25905.6元"], "31.00", "2.59056"),
    ("P09", "warning", ["当年所需约800640.00元"], "16.01", "80.064"),
    # the text states the change of 公务接待费 alone, not of the 三公 total: N12 cannot add parts up
    ("N12", "info", ["未评估", "三公"], None, None),
    ("C04", "info", ["未评估", "空表"], None, None),  # no table note says "本表为空表"
] + [("P01", "info", [p, "8项指标权重合计 90"], None, "90") for p in (
    "社保窗口工作", "网络管理", "财政承担特殊军龄参保", "适当照顾老干部", "待管离休干部")]


@pytest.fixture(scope="module")
def findings(seed):
    return budgetkit.check(seed)


def _q(v):
    return None if v is None else Decimal(v)


def test_every_seed_inconsistency_is_found_with_its_numbers(findings):
    remaining = list(findings)
    for rule, severity, words, expected, actual in EXPECTED:
        match = [f for f in remaining if f.rule == rule and f.severity == severity
                 and all(w in f.message for w in words)
                 and (expected is None or f.expected == _q(expected))
                 and (actual is None or f.actual == _q(actual))]
        assert match, (rule, words, expected, actual)
        remaining.remove(match[0])
    assert remaining == [], [f.message for f in remaining]  # and nothing else is reported


def test_lists_with_shares_add_up(findings):
    # "收入预算1,149.80万元，其中：上年结转0万元，占0%；一般公共预算拨款收入1,149.80万元，占100%；…" and "支出预算
    # 1,149.80万元，其中：基本支出729.79万元，占63%；项目支出420.01万元，占37%" (729.79 + 420.01 = 1,149.80): parts with
    # their shares are still parts (N11 once skipped them and said the text listed none)
    assert findings.evaluated["N11"] == 2 and not [f for f in findings if f.rule == "N11"]


def test_the_three_examples_of_the_issue(findings):
    msgs = [f.message for f in findings if f.severity == "error"]
    assert any("社会保障和就业支出" in m and "1,055.76" in m and "1,065.53" in m for m in msgs)
    assert any("卫生健康支出" in m and "71.95" in m and "31.06" in m for m in msgs)
    assert any("3.3万元下降10%" in m and "-15%（按所印整数）" in m for m in msgs)


def test_findings_carry_evidence(findings):
    for f in findings:
        if f.status == "not_evaluated":
            continue
        assert f.locations, f.message
        for loc in f.locations:
            assert ("quote" in loc and loc["quote"]) or ("table_title" in loc and loc["table_title"])
        assert f.message_en and f.message


def test_findings_are_a_frame_and_an_iterable(findings):
    df = findings.frame
    assert len(df) == len(list(findings)) == len(EXPECTED)
    assert set(df["severity"]) == {"error", "warning", "info"}
    assert (df["rule"] == "N01").sum() == 3 and (df["rule"] == "N03").sum() == 4


def test_json_layout_follows_the_schema(findings):
    doc = json.loads(to_json(findings))
    assert set(doc) >= {"document", "findings"}
    assert doc["document"]["year"] == 2023 and doc["document"]["family"] == "sichuan"
    for f in doc["findings"]:
        assert set(f) >= {"rule", "severity", "status", "message", "message_en", "expected", "actual",
                          "difference", "unit", "locations"}
        assert f["status"] in ("fail", "rounding", "review", "not_evaluated", "note")
        assert f["severity"] in ("error", "warning", "info")
        for k in ("expected", "actual", "difference"):
            assert f[k] is None or (isinstance(f[k], str) and Decimal(f[k]) == Decimal(f[k]))
        for loc in f["locations"]:
            assert set(loc) >= {"table_no", "table_title", "page", "row_label", "column_label"} or \
                set(loc) >= {"section", "page", "quote"}
    w03 = next(f for f in doc["findings"] if f["rule"] == "W03" and "社会保障和就业支出" in f["message"])
    assert (w03["expected"], w03["actual"], w03["difference"], w03["unit"]) == ("1055.76", "1065.53", "9.77", "万元")


def test_html_is_self_contained_and_shows_sources(findings):
    page = to_html(findings)
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "表内 / within a table" in page and "表文 / text against tables" in page
    assert "公务接待费2.80万元，较2022年预算3.3万元下降10%" in page  # the quote beside its finding
    assert "1,055.76" in page


def test_text_report_reads_in_a_terminal(findings):
    text = to_text(findings)
    # the unit's full name heads the report, not the class name 人力资源和社会保障
    assert text.splitlines()[0].startswith("乐山市市中区社会保险事务中心 2023年预算")
    assert "== 表间 / between tables ==" in text


SEED_PLAIN = SEED_TXT.with_name("leshan-shizhong-shebao-2023-budget-plain.pdf")


def test_the_plain_pdf_rendering_finds_every_discrepancy_of_the_text(findings):
    """A word processor's plain rendering of the seed (scripts/render_seed_plain.py): tables run over pages with
    their inner column lines moved and no header repeated; sentences wrap before a figure or a '(项):2023' that
    does not fit the line.  Pages whose columns hold what the table's columns held are read as that table, and
    a line cut short by such a run is joined to the next: every finding equals the text's, severity included
    (it once had 10 errors where the text has 15, the rest downgraded to review or missing)."""
    plain = budgetkit.check(load(SEED_PLAIN))
    key = lambda f: (f.rule, f.severity, f.status, f.message, f.expected, f.actual)  # noqa: E731
    assert sorted(map(key, plain)) == sorted(map(key, findings))
    assert plain.raw_counts()["error"] == 15 and plain.raw_counts()["review"] == 0
    d = load(SEED_PLAIN)
    text = "\n".join(d.narrative["text"])
    assert "社会保障和就业支出1,065.53万元、占92.6%" in text  # wrapped before the figure on p25
    assert "缴费支出(项):2023年预算数为61.02万元" in text  # wrapped before '(项):2023'
    # the table pages that are one-line fragments of a cut cell stay joined by guess, those pages only
    t = next(t for t in d.tables if t.kind == "performance_targets")
    assert [t.guess_pages[g] for g in t.guesses if g in t.guess_pages] == [[13, 22]]
    assert t.guesses_at(19) == [] and t.guesses_at(13) != []
