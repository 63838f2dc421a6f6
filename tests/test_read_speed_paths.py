"""The faster reading paths give what pdfminer and pdfplumber give: the same content-stream tokens (built streams
with every construct whose reading is peculiar, and the real pages of data/), the same page objects and the same
table cells.  Functional only: no timings."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream, list_value, stream_value
from pdfminer.psparser import PSEOF

from budgetkit.read.pdf_content import _Unread, layout, lex
from budgetkit.read.pdf_objects import objects, table_rows
from budgetkit.read.pdf_reader import _find_tables, _ruling

DATA = Path(__file__).resolve().parents[1] / "data"


def pdfminer_tokens(data: bytes) -> list:
    parser = PDFContentParser([PDFStream({}, data)])
    out = []
    while True:
        try:
            out.append(parser.nexttoken()[1])
        except PSEOF:
            return out


def same(a: list, b: list) -> bool:
    return len(a) == len(b) and all(type(x) is type(y) and x == y for x, y in zip(a, b))


BUILT = {
    "operators and numbers": b"q 1 0 0 1 72.5 -3 cm BT /F1 12 Tf 0 Tc 0.25 Tw T* 10 20 Td ET Q",
    "odd numbers": b"--5 1-2 1.2.3 . + - -.5 5. +.5 007 0cm",
    "strings with escapes": rb"(a\(b\)c) (\101\1012\7) (x\ny\tz\\) (\q drops) (nested (paren) s) (line\
joined) (\r) (\0)",
    "hex strings": b"<41 42 43> <414> <> <FEFF0041> Tj",
    "names and booleans": b"/F1 /a.b-c /\xe4\xb8\xad true false / Tf",
    "arrays, dictionaries, procedures": b"[1 [2 3] (s) /N] TJ /P <</MCID 0 /A [1 2]>> BDC EMC { 1 } ] >> }",
    "comments and NULs": b"1 %comment ( not a string\n2\x00 3\r\n% last",
    "hex string closing a dictionary": b"/Span<</ActualText<FEFF0041>>>BDC EMC",
    "single-byte keywords": b"1 2 ' 3 \" ) * \xff",
}


@pytest.mark.parametrize("name", BUILT)
def test_built_stream_tokens_match_pdfminer(name):
    data = BUILT[name]
    assert same(lex(data), pdfminer_tokens(data))


def test_backslash_cr_lf_cut_by_pdfminer_chunk():
    """pdfminer reads 4,096 bytes at a time and looks past a backslash-CR for its LF only within the chunk: the
    LF that starts the next chunk stays in the string.  Placed on both sides of the chunk's end."""
    for at in (4093, 4094, 4095):
        data = b"(" + b"a" * (at - 1) + b"\\\r\nb) Tj"
        assert data[at:at + 3] == b"\\\r\n"
        assert same(lex(data), pdfminer_tokens(data)), at


@pytest.mark.parametrize("data", [
    b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI",  # inline image: pdfminer seeks back into the stream
    b"/A#42 Tf",  # a '#' escape in a name
    b"(open string",
    b"<41",
    b"1 2 /",  # a bare '/' last in a stream continues into the next one
    b"<41>",  # a lone '>' last in a stream pairs with the next stream's first byte
    rb"(\777)",  # pdfminer stops the page with an assertion
])
def test_streams_left_to_pdfminer(data):
    with pytest.raises(_Unread):
        lex(data)


def real_pages():
    """Pages of data/ with escaped strings, hex strings, forms and ruling: the Xi'an finance bureau's 2026 budget
    (p.53 has a string escape that pdfminer reads across its 4,096-byte chunk), the Shenzhen finance bureau's
    (pages drawn through form XObjects), and the seed's tables."""
    return [(DATA / "corpus" / "sx-xian-finance-2026-budget.pdf", [5, 41, 53]),
            (DATA / "corpus" / "gd-shenzhen-finance-2026-budget.pdf", [2, 10]),
            (DATA / "seed" / "leshan-shizhong-shebao-2023-budget.pdf", [1, 10])]


@pytest.mark.parametrize("path,pages", real_pages(), ids=lambda v: getattr(v, "stem", str(v)))
def test_real_pages_tokens_and_objects_match(path, pages):
    with pdfplumber.open(path) as a, pdfplumber.open(path) as b:
        for pno in pages:
            plain, fast = a.pages[pno - 1], b.pages[pno - 1]
            for s in list_value(plain.page_obj.contents):
                data = stream_value(s).get_data()
                assert same(lex(data), pdfminer_tokens(data)), (path.name, pno)
            layout(fast)
            objects(fast)
            assert plain.objects == fast.objects, (path.name, pno)
            assert len(fast.chars) > 100, (path.name, pno)  # a page with text, not an empty match


def test_table_rows_match_pdfplumber_extract():
    """Cells of the seed's ruled tables (p.1 to p.4): the same text, None and '' in every position."""
    path = DATA / "seed" / "leshan-shizhong-shebao-2023-budget.pdf"
    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[:4]:
            ruled = _ruling(page)
            for t in _find_tables(path, ruled) if ruled is not None else []:
                assert table_rows(t) == t.extract()
                n += 1
    assert n >= 4


@pytest.mark.parametrize("path,pages", real_pages(), ids=lambda v: getattr(v, "stem", str(v)))
def test_grid_cells_match_pdfplumber(path, pages):
    """The cells found from the ruling's crossings on every page of the real documents: the same boxes in the
    same order."""
    from pdfplumber.table import TableFinder, TableSettings, intersections_to_cells as theirs

    from budgetkit.read.pdf_grid import intersections_to_cells as ours

    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            finder = TableFinder(page, TableSettings.resolve(None))
            assert ours(finder.intersections) == theirs(finder.intersections) == finder.cells, page.page_number
            n += len(finder.cells)
            page.close()
    assert n > 100


def test_a_page_the_fast_interpreter_trips_on_is_read_by_pdfminer_afresh(monkeypatch):
    """Whatever the fast path raises on (a pdfminer release that renamed an internal, a construct it misreads),
    the page is read again by pdfminer's own interpreter on a fresh device: the seed PDF's p.2 gives the same
    characters either way, never a page lost."""
    from budgetkit.read import pdf_content

    pdf_path = DATA / "seed" / "leshan-shizhong-shebao-2023-budget.pdf"
    with pdfplumber.open(pdf_path) as pdf:
        expected = [(c["text"], round(c["x0"], 3), round(c["top"], 3)) for c in pdf.pages[1].chars]

    def broken(self, tokens):
        raise AttributeError("an internal this pdfminer release does not have")

    monkeypatch.setattr(pdf_content.FastInterpreter, "_run", broken)
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[1]
        assert len(layout(page)) > 0 and page._layout is not None  # read, by pdfminer's own interpreter
        got = [(c["text"], round(c["x0"], 3), round(c["top"], 3)) for c in page.chars]
    assert got == expected and len(got) > 100
