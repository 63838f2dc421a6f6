"""Write the curated notebooks (outputs empty).  Run after editing the cells here.

    python scripts/make_notebooks.py
"""
from pathlib import Path

import nbformat as nbf

ROOT = Path(__file__).resolve().parents[1]
md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell

POINT_AT_YOUR_FILES = '''# 换成你自己的文件 / point this at your own files:
#   DOCS = {"我的单位 2024": ["/path/to/disclosure.pdf"]}
#   A disclosure published as two files (narrative + tables) is one entry with two paths.
from pathlib import Path
DATA = Path("..") / "data" if Path("../data").exists() else Path("data")
DOCS = {
    "乐山社保中心 2023（四川，文本）": [DATA / "seed" / "leshan-shizhong-shebao-2023-budget.txt"],
    "万里街道 2025（上海）": [DATA / "corpus" / "sh-putuo-wanli-street-2025-budget.pdf"],
    "江苏省委办公厅 2019（江苏，两份文件）": [
        DATA / "corpus" / "js-provincial-party-office-2019-budget-text.pdf",
        DATA / "corpus" / "js-provincial-party-office-2019-budget-tables.pdf",
    ],
}'''

explore = nbf.v4.new_notebook()
explore.cells = [
    md("""# 01 · 浏览一份部门预算公开 / Explore a budget disclosure

**本笔记本教什么**：把一份部门预算（或决算）公开文件读成整洁、精确、可追溯的数据表；
选择文件、预算单位和表格，对照“原表”与“整洁数据”，并查看支出按功能分类和经济分类的构成。

**What this notebook teaches**: read a department budget (or final-accounts) disclosure into tidy,
exact, traceable tables; choose a document, a budget unit and a table; compare the table *as printed*
with its *tidy rows*; and chart spending by function class and by economic class.

每个金额都是精确的小数，带着印刷单位（元/万元）以及文件、页码、表格、行、列。
Every amount is an exact decimal with its printed unit (元/万元) and its file, page, table, row and column."""),
    code(POINT_AT_YOUR_FILES),
    code("""import budgetkit
from budgetkit import charts, widgets

charts.enable_offline()  # 图表在内核中渲染为SVG，无需联网 / charts render to SVG in the kernel: no internet needed
disclosures = {name: budgetkit.read(paths) for name, paths in DOCS.items()}
for name, d in disclosures.items():
    print(name, "→", d)"""),
    md("""## 选择文件、单位与表格 / Choose document, unit and table

左边是印刷的原表（多行表头合并为 `上级/下级` 的列名），右边是这张表的整洁数据行。
On the left the table as printed (multi-row headers become `parent/child` column labels); on the right its tidy rows."""),
    code("""explorer = widgets.Explorer(disclosures)
explorer"""),
    md("""## 整洁数据可以直接计算 / The tidy frame is ready for analysis

`amount` 是印刷单位下的精确小数，`amount_yuan` 是换算为元的精确值；求和不会漂移。
`amount` is exact in the printed unit, `amount_yuan` exact in 元; sums never drift."""),
    code("""d = disclosures["乐山社保中心 2023（四川，文本）"]
a = d.amounts
a[a.table_no == "公开表2"][["row_label", "column_label", "raw", "amount", "unit", "amount_yuan"]].head(8)"""),
    code("""charts.composition_chart(d, "function")"""),
    md("""没有放进金额表的单元格都在 `d.residue` 里，不会被悄悄丢掉。
Cells that could not be placed are in `d.residue` — nothing is dropped silently."""),
    code("""{name: len(x.residue) for name, x in disclosures.items()}"""),
]

recon = nbf.v4.new_notebook()
recon.cells = [
    md("""# 02 · 核对：数字对得上吗？/ Reconciliation: do the numbers add up?

**本笔记本教什么**：对一份公开文件做三类核对——表内（上下级科目、合计行、合计列）、表间（同一科目、总额、
基本/项目支出、“三公”、绩效目标）、表文（说明中的金额、占比、增减），并逐条查看证据：原表的行列或说明原文及页码。

**What this notebook teaches**: reconcile a disclosure within tables, between tables and against its
narrative, and read each finding's evidence — the source rows or the quoted text, with page numbers.
Rounding differences within printed precision are reported as *rounding*, not as errors; a check that
lacks its inputs says *not evaluated* and why."""),
    code(POINT_AT_YOUR_FILES),
    code("""import budgetkit
from budgetkit import widgets

name = "乐山社保中心 2023（四川，文本）"
d = budgetkit.read(DOCS[name])
findings = budgetkit.check(d)
findings"""),
    md("""## 按类别、级别筛选 / Filter by family and severity

选中一条发现，下方显示它背后的原表行列或说明原文。Choose a finding to see the rows or the quote behind it."""),
    code("""browser = widgets.FindingsBrowser(findings)
browser"""),
    md("""## 作为数据表 / As a table

核对结果也是一个 DataFrame，可以排序、筛选、导出。Findings are also a DataFrame to sort, filter and export."""),
    code("""df = findings.frame
df.groupby(["family", "severity"]).size()"""),
    code("""df[df.severity == "error"][["rule", "message", "expected", "actual", "difference", "unit"]]"""),
    md("""## 导出给编辑 / Send it to an editor

`budgetkit check 文件 --format html --out 报告.html` 生成一个离线可看的单文件报告。
`budgetkit check FILE --format html --out report.html` writes one self-contained file that works offline."""),
    code("""from budgetkit.report import to_text
print(to_text(findings)[:1500])"""),
]

yoy = nbf.v4.new_notebook()
yoy.cells = [
    md("""# 03 · 跨年变化 / Year-over-year change

**本笔记本教什么**：部门说明里常写“比上年增加……”。先在一份文件内复算它所说的上年数、增减额和增幅（样本：
收支总数由 1013.5 万元到 1,149.80 万元，+136.3 万元），再把同一单位几年的公开文件对齐成面板：
按表格种类与科目编码（无编码时按名称）对齐，科目改名改码通过对照表（数据文件）衔接，标出新增与取消的科目，
并用上一年实际公开的数字核对下一年的“比上年”表述。

**What this notebook teaches**: department texts say "up X on last year". We first recompute, inside one
disclosure, the prior-year figure, the change and the percentage it states (the sample: 1013.5 → 1,149.80 万元,
+136.3), then align several years of one unit into a panel — by table kind and classification code (or label),
through a correspondence table for renamed codes — mark new and discontinued lines, and check each year's
"比上年" statements against what the previous year actually published."""),
    code(POINT_AT_YOUR_FILES + '''
SERIES = {
    "江苏省委办公厅 2017–2019": [[DATA / "corpus" / f"js-provincial-party-office-{y}-budget-text.pdf",
                                 DATA / "corpus" / f"js-provincial-party-office-{y}-budget-tables.pdf"]
                                for y in (2017, 2018, 2019)],
    "万里街道 2024–2025": [[DATA / "corpus" / f"sh-putuo-wanli-street-{y}-budget.pdf"] for y in (2024, 2025)],
}'''),
    code("""import budgetkit
from budgetkit import charts
from budgetkit.yoy import stated_changes

charts.enable_offline()
seed = budgetkit.read(DOCS["乐山社保中心 2023（四川，文本）"])
stated_changes(seed)[["subject", "current", "base_year", "base", "direction", "delta", "delta_unit",
                      "recomputed_delta", "recomputed_pct"]]"""),
    md("""上表“recomputed”列由文中的本年数与上年基数复算。注意：同一个本年数 1,149.80 万元，三处说明用了不同的基年（2021/2022）
和不同的基数（1013.5/1,149.80）；机关运行经费“增加76.15万元，增长0.70万元”两种说法都与 76.85 − 67.26 = 9.59 不符。
The recomputed columns come from the text's own current and base figures. Note that one current figure, 1,149.80,
is compared with different base years and base amounts in three places."""),
    code("""f = budgetkit.check(seed).frame
f[f.rule.isin(["N03", "N04", "N07"])][["rule", "severity", "message"]]"""),
    md("""## 多年面板 / A multi-year panel

选择系列和表格；面板给出每行每年的值、增减额与增幅，并标出新增/取消。Choose a series and a table."""),
    code("""import ipywidgets as W
from IPython.display import display, HTML

panels = {name: budgetkit.compare(docs) for name, docs in SERIES.items()}
series = W.Dropdown(options=list(panels), description="系列 / series", style={"description_width": "initial"})
table = W.Dropdown(description="表格 / table", style={"description_width": "initial"})
out = W.Output()

def show(*_):
    p = panels[series.value]
    kinds = list(dict.fromkeys(p.lines["table_kind"]))
    if table.options != tuple(kinds):
        table.options = kinds
    lines = p.lines[p.lines["table_kind"] == table.value]
    cols = ["code", "label", "status"] + [c for c in lines.columns if c.startswith(("value_", "change_", "pct_"))]
    out.outputs = ()
    out.append_display_data(HTML(lines[cols].to_html(index=False, na_rep="")))

series.observe(show, names="value")
table.observe(show, names="value")
show()
W.VBox([series, table, out])"""),
    code("""p = panels["江苏省委办公厅 2017–2019"]
print(f"比上年表述核对 / statements checked: {p.evaluated}; findings: {len(p.statements)}")
charts.totals_by_year(p)"""),
    code("""charts.waterfall(p, "function")"""),
    code("""charts.waterfall(p, "economic")"""),
    code("""charts.top_movers(p)"""),
]

targets = nbf.v4.new_notebook()
targets.cells = [
    md("""# 04 · 绩效目标审阅 / Reviewing performance targets

**本笔记本教什么**：预算应当与结果挂钩。每个项目都有绩效目标表：一级指标（产出、效益、满意度，2021年起还有成本），
其下是二级、三级指标，每个指标有运算符（＝、≥、≤、定性）、指标值、度量单位和权重。本笔记本把绩效目标表读成整洁的指标表，
逐项检查常见问题：成本指标用“≥”、定性指标填数字、度量单位不符、满意度100%、指标在项目间复制、年度目标里的算式算不对。

**What this notebook teaches**: budgets are meant to be tied to results. Each project has a performance-target
table: level-1 indicators (output, outcome, satisfaction and, since 2021, cost), with level-2 and level-3
indicators below, each with an operator (＝ ≥ ≤ 定性), a target value, a unit and a weight. We read the table into
tidy indicators and check the usual defects: cost indicators with ≥, numbers on qualitative rows, units that do
not fit, 100% satisfaction, indicators copied across projects, and arithmetic in the goal text that does not add up."""),
    code(POINT_AT_YOUR_FILES),
    code("""import budgetkit
from budgetkit import charts, widgets

charts.enable_offline()
d = budgetkit.read(DOCS["乐山社保中心 2023（四川，文本）"])
findings = budgetkit.check(d, expected_weight_total=None)  # 权重期望总分因地而异 / the expected weight total differs by province
d.targets.head()"""),
    md("""## 选择单位与项目 / Choose the unit and the project

指标树中 ⚑ 标出问题；项目下方列出项目层面的问题（如年度目标里的算式）。
⚑ marks a flagged indicator; project-level flags (e.g. the goal's arithmetic) are listed under the project."""),
    code("""widgets.TargetsBrowser(d, findings)"""),
    md("""## 全部绩效目标问题 / All performance findings"""),
    code("""f = findings.frame
f[f.family == "performance"][["rule", "severity", "message"]]"""),
    code("""charts.weights_chart(d.targets)"""),
]

for nb, name in ((explore, "01-explore.ipynb"), (recon, "02-reconciliation.ipynb"), (yoy, "03-year-over-year.ipynb"),
                 (targets, "04-performance-indicators.ipynb")):
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbf.write(nb, ROOT / "notebooks" / name)
    print("wrote", name)
