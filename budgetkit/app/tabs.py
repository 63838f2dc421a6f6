"""The app's parts beyond the first view: the summary line, downloads made on click, and the tabs built when
first opened (year over year, budget execution, transparency), each in the background with its progress."""
from __future__ import annotations

import base64
import html
import threading

import ipywidgets as W
from IPython.display import display

from budgetkit.app import library
from budgetkit.app.job import Cancelled, Job, scrub

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def placeholder() -> W.VBox:
    return W.VBox([W.HTML("<i>打开本页时生成 / made when this tab is opened</i>")])


def count_words(f) -> str:
    """错误 1 / errors · …, one count per printed discrepancy; where the rules see it more often, that count beside
    (「错误 1（按规则逐条计为 8）/ errors 1 (8 by rule)」), as the CLI and the HTML report say it."""
    c, raw = f.counts(), f.raw_counts()
    words = {"error": ("错误", "errors"), "warning": ("警告", "warnings"), "review": ("待核对", "review"),
             "info": ("提示", "info")}
    out = []
    for k, (zh, en) in words.items():
        by_rule = raw.get(k, c[k]) != c[k]
        out.append(f"{zh} {c[k]}（按规则逐条计为 {raw[k]}）/ {en} {c[k]} ({raw[k]} by rule)" if by_rule
                   else f"{zh} {c[k]} / {en}")
    return " · ".join(out)


def document_label(d, f=None) -> str:
    """A document opened together with others, as the chooser names it: unit, year, stage, file(s), counts."""
    m = d.meta
    files = "、".join(str(x.get("file")) for x in m.get("sources", []))
    head = " ".join(str(x) for x in (m.get("department") or d.doc_id, m.get("year") or "", m.get("stage") or "") if x)
    if f is None:
        return f"{head}（{files}）"
    c = f.counts()
    return f"{head}（{files}）· 错误 {c['error']} · 警告 {c['warning']} · 待核对 {c['review']}"


def in_order(docs: list) -> list:
    """The documents opened together by year, 预算 before 决算 (the order a reader expects in the chooser)."""
    stage = {"预算": 0, "决算": 1}
    return sorted(docs, key=lambda df: (df[0].meta.get("year") or 0, stage.get(df[0].meta.get("stage"), 2)))


def summary_html(d, f, opened: dict, others=()) -> str:
    """The shown document's line, then one line per other document opened with it, with its counts: every
    document opened is reachable (「显示此文件 / show this document」 switches to it)."""
    m = d.meta
    e = html.escape
    extra = ""
    if opened.get("series"):
        years = "、".join(str(y) for y in opened.get("years", []))
        extra += (f" · 跨年：{e(opened.get('label') or '')}{(' ' + e(years)) if years else ''}，见“跨年”页 / "
                  f"year over year: see that tab")
    if opened.get("pair"):
        extra += " · 同年预算与决算，见“预算执行”页 / a year's 预算 and 决算: see the Execution tab"
    also = "".join(f"<li class='bk-app-other'>{e(document_label(x))} · {e(count_words(g))}</li>" for x, g in others)
    if also:
        also = (f"<p class='bk-app-others'>同时打开的其他文件（在「显示此文件」中选择即可查看其表格、核对发现和下载）/ also "
                f"opened (choose one under “show this document” to see its tables, findings and downloads):</p>"
                f"<ul>{also}</ul>")
    return (f"<p class='bk-app-summary'><b>{e(str(m.get('department') or d.doc_id))}</b> "
            f"{e(str(m.get('year') or ''))} {e(str(m.get('stage') or ''))} · "
            f"表格 {len(d.tables)} 张 / tables · {e(count_words(f))} · <code>{e(d.doc_id)}</code> "
            f"({e('、'.join(str(x.get('file')) for x in m.get('sources', [])))}){extra}</p>{also}")


class Downloads:
    """The HTML report and the xlsx workbook, made when the user asks (an xlsx of a long document takes
    seconds), then offered as data: links (no server route, nothing kept on disk)."""

    def __init__(self, app):
        self.app = app
        self.make_html = W.Button(description="生成核对报告 HTML / make the findings report (HTML)",
                                  icon="file-text", layout=W.Layout(width="auto"))
        self.make_xlsx = W.Button(description="生成数据 xlsx / make the data workbook (xlsx)", icon="table",
                                  layout=W.Layout(width="auto"))
        self.make_html.add_class("bk-make-html")
        self.make_xlsx.add_class("bk-make-xlsx")
        self.make_html.on_click(lambda _: self.make("html"))
        self.make_xlsx.on_click(lambda _: self.make("xlsx"))
        self.links = W.HTML()
        self.links.add_class("bk-app-downloads")
        self.view = W.VBox([W.HBox([self.make_html, self.make_xlsx]), self.links])
        self.clear()

    def clear(self):
        self.d = self.f = None
        self._made: dict = {}
        self.links.value = ""
        self.view.layout.display = "none"

    def ready(self, d, f):
        self.d, self.f = d, f
        self.view.layout.display = ""

    def make(self, kind: str) -> bytes | None:
        d, f = self.d, self.f
        if d is None:
            return None
        if kind not in self._made:
            self.links.value += f"<i class='bk-making'>正在生成 / making {kind} …</i>"
            try:
                self._made[kind] = _html_link(d, f) if kind == "html" else _xlsx_link(d, f)
            except Exception as exc:  # shown, not lost in the console
                from budgetkit.errors import log_internal_error

                log_internal_error(exc, f"budgetkit app: {kind} of {d.doc_id}")
                self._made[kind] = (f"<span style='color:#c0392b'>错误 / error: {html.escape(kind)}: 内部错误，请报告 / "
                                    f"internal error, please report [{html.escape(type(exc).__name__)}]</span>")
        if d is self.d:
            self.links.value = "<p>" + "".join(self._made[k] for k in ("html", "xlsx") if k in self._made) + "</p>"
        return self._made[kind]


def _link(data: bytes, filename: str, mime: str, label: str, css: str) -> str:
    b64 = base64.b64encode(data).decode("ascii")
    return (f"<a class='{css}' download=\"{html.escape(filename)}\" href=\"data:{mime};base64,{b64}\" "
            f"style='margin-right:1.5em'>⬇ {html.escape(label)}</a>")


def _html_link(d, f) -> str:
    from budgetkit.report import to_html

    return _link(to_html(f).encode("utf-8"), f"{d.doc_id}-findings.html", "text/html",
                 "下载核对报告 HTML / download the findings report (HTML)", "bk-dl-html")


def _xlsx_link(d, f) -> str:
    from budgetkit.export import disclosure_sheets, findings_sheets, xlsx_bytes

    return _link(xlsx_bytes({**disclosure_sheets(d), **findings_sheets(f)}), f"{d.doc_id}.xlsx", XLSX_MIME,
                 "下载数据 xlsx / download the data (xlsx)", "bk-dl-xlsx")


# -- what was opened besides the document shown --------------------------------------------------------

def split_by_year_and_stage(app, paths, job: Job):
    """Files that are not one disclosure may be several years of one unit, or a year's 预算 and 决算: read one
    by one, grouped by year and stage (a group of several files is one disclosure).  Returns the disclosure to
    show (the latest) and what else was opened, or None when the files are neither."""
    from budgetkit.errors import BadInputError
    from budgetkit.pipeline import _same_body

    groups: dict = {}
    for p in paths:
        try:
            d = app._read([p], job, keep_going=True)
        except BadInputError:
            return None
        y, s, dept = d.meta.get("year"), d.meta.get("stage"), d.meta.get("department")
        if y is None or s is None:
            return None
        groups.setdefault((y, s), {"paths": [], "depts": []})
        groups[(y, s)]["paths"].append(p)
        groups[(y, s)]["depts"].append(dept)
    depts = [x for g in groups.values() for x in g["depts"] if x]
    if len(groups) < 2 or any(not _same_body(a, b) for a, b in zip(depts, depts[1:])):
        return None
    docs = {k: app._read(g["paths"], job) for k, g in groups.items()}  # one file: read above, cached
    order = {"预算": 0, "决算": 1}
    main = max(groups, key=lambda k: (k[0], order.get(k[1], 0)))
    same_stage = sorted(k for k in groups if k[1] == main[1])
    pair = ((main[0], "预算"), (main[0], "决算"))
    opened = {"series": [docs[k] for k in same_stage] if len(same_stage) >= 2 else None,
              "years": [k[0] for k in same_stage],
              "pair": (docs[pair[0]], docs[pair[1]]) if all(k in groups for k in pair) else None,
              "label": f"{docs[main].meta.get('department') or ''} {main[1]}".strip(),
              "documents": list(docs.values())}
    if opened["series"] is None and opened["pair"] is None:
        return None
    return docs[main], opened


def bundled_company(app, entry: dict) -> dict:
    """A bundled document's series (same publisher and stage, other years) and 预算/决算 pair, from the manifest."""
    pool = list(app.entries.values())
    series = library.series_of(entry, pool)
    pair = library.pair_of(entry, pool)
    return {"series": [g["paths"] for g in series] or None, "years": [g["year"] for g in series],
            "label": f"{entry['publisher']} {entry['stage']}" if series else "",
            "pair": (pair[0]["paths"], pair[1]["paths"]) if pair else None}


# -- tabs built when opened --------------------------------------------------------------------------

def build_into(app, tab: W.Tab, i: int, build) -> None:
    """Build tab ``i`` in this (background) thread, showing its progress meanwhile; a document opened in the
    meantime stops it."""
    owner = app._job
    job = Job(tab.get_title(i) or "", None)
    done = threading.Event()
    holder = tab.children[i]

    def progress(*args):
        if app._job is not owner:
            raise Cancelled()
        job.progress(*args)

    shown = threading.Lock()  # the ticker's line and the view never overwrite each other

    def tick():
        while True:
            with shown:
                if done.is_set():
                    return
                holder.children = [W.HTML(job.status_html())]
            done.wait(0.5)

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        view = build(app, progress)
    except Cancelled:
        return
    except Exception as exc:
        view = W.HTML(_error_line(app, exc))
    finally:
        with shown:
            done.set()
    ticker.join()
    if app._job is owner and tab.children[i] is holder:  # not a tab made again for another document meanwhile
        holder.children = [view]


def _error_line(app, exc) -> str:
    from budgetkit.errors import BadInputError, log_internal_error

    if isinstance(exc, BadInputError):
        text = str(exc)
    else:
        log_internal_error(exc, "budgetkit app: a tab")
        text = f"内部错误，请报告 / internal error, please report [{type(exc).__name__}]"
    paths = [p for key in app._cache for p in key]
    return (f"<p class='bk-app-error' style='color:#c0392b'>错误 / error: "
            f"{html.escape(scrub(text, paths, app._roots))}</p>")


def _doc(app, x, progress=None):
    """A disclosure, or the file(s) of one (read through the app's cache)."""
    if hasattr(x, "amounts"):
        return x
    return app._read(list(x), None if progress is None else _Progress(progress))


class _Progress:
    """A progress callable where the app expects a job."""

    def __init__(self, fn):
        self.progress = fn


def _key(x):
    """A disclosure or a group of files, as something to compare."""
    return ("doc", x.doc_id, x.meta.get("year")) if hasattr(x, "amounts") else tuple(str(p) for p in x)


def as_widget(obj) -> W.Widget:
    """A panel from another module, whatever it returns: a widget, HTML text, or anything displayable."""
    if isinstance(obj, W.Widget):
        return obj
    if isinstance(obj, str):
        return W.HTML(obj)
    if hasattr(obj, "_repr_html_"):
        return W.HTML(obj._repr_html_())
    out = W.Output()
    with out:
        display(obj)
    return out


def year_over_year(app, progress) -> W.Widget:
    from budgetkit.errors import BadInputError
    from budgetkit.explore.widgets import PanelBrowser
    from budgetkit.yoy import compare

    panels: dict = {}
    notes = []
    own = app.opened.get("series")
    if own:
        years = app.opened.get("years") or []
        span = f"{years[0]}–{years[-1]}" if years else ""
        label = f"已打开 / opened · {app.opened.get('label') or ''} {span}"
        try:
            panels[label] = compare([_doc(app, x, progress) for x in own])
        except BadInputError as exc:
            notes.append(_error_line(app, exc))
    else:
        notes.append("<p class='bk-yoy-note'>打开的文件只有一个年份。要跨年比较，请同时打开同一单位两个以上年份的文件；"
                     "下面是示例。<br>The open disclosure is one year. To compare years, open two or more years of "
                     "one unit together; below are examples.</p>")
    for name, groups in app.examples.items():
        if own and [_key(g) for g in groups] == [_key(g) for g in own]:
            continue  # the opened series itself
        panels[name] = lambda groups=groups: compare([_doc(app, g) for g in groups])
    intro = ("<p>同一单位几年的公开文件，按表格与科目编码对齐；排名只比较同一表、同一层级的科目，层级也筛选下表。<br>"
             "Several years of one unit, aligned by table and code; rankings compare one table and one level only, "
             "and the level filters the lines below too.</p>")
    if not panels:
        return W.HTML("".join(notes) or "<i>没有可比较的年份 / no years to compare</i>")
    app.panels = PanelBrowser(panels)
    app.panels.view.add_class("bk-yoy")
    return W.VBox([W.HTML(intro + "".join(notes)), app.panels.view])


def execution(app, progress) -> W.Widget:
    pair = app.opened.get("pair")
    if not pair:
        return W.HTML("<p class='bk-exec-note'>同时打开同一单位同一年的预算和决算（两个文件一起选）即可看预算执行。<br>"
                      "Open a 预算 and a 决算 of one unit and year together (select both files) to see budget "
                      "execution.</p>")
    try:
        from budgetkit.explore.execution_view import execution_panel
    except ImportError:
        return W.HTML("<p>本版本没有预算执行视图 / this version has no execution view</p>")
    budget, final = (_doc(app, x, progress) for x in pair)
    return as_widget(execution_panel(budget, final))


def transparency(app, progress) -> W.Widget:
    try:
        from budgetkit.explore.league_view import scorecard_panel
    except ImportError:
        return W.HTML("<p>本版本没有透明度评分视图 / this version has no transparency view</p>")
    import inspect

    if "findings" in inspect.signature(scorecard_panel).parameters:  # the findings already made
        return as_widget(scorecard_panel(app.disclosure, findings=app.findings))
    return as_widget(scorecard_panel(app.disclosure))
