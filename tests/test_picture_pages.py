"""Pages that are pictures inside a text PDF (no text layer: not read, not checked) are listed in
``d.meta['picture_pages']`` as {file, page}, beside the warning that names them, and in the JSON report."""
from __future__ import annotations

import json

import budgetkit
from budgetkit.fuzz.mutate import tiny_pdf


def test_picture_pages_are_listed_in_meta_with_their_file(tmp_path):
    """A built PDF: page 1 a ruled table, then pages whose picture covers 90 %, 20 % and 80 % of the page with no
    text.  Pages 2 and 4 are pictures; page 3 (a small picture on a page of nothing) is not said to be one."""
    p = tmp_path / "图片页.pdf"
    p.write_bytes(tiny_pdf(pictures=(0.9, 0.2, 0.8)))
    d = budgetkit.read(p, keep_going=True)
    assert d.meta["picture_pages"] == [{"file": "图片页.pdf", "page": 2}, {"file": "图片页.pdf", "page": 4}]
    assert any("第2、4页是图片" in w for w in d.warnings)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(tiny_pdf())
    assert budgetkit.read(plain, keep_going=True).meta["picture_pages"] == []


def test_the_json_report_lists_the_picture_pages(tmp_path):
    """The seed PDF (data/seed) with its page 4 replaced by a picture of itself: the check runs on the other pages
    and the JSON report's document names page 4 as not read."""
    import pypdfium2 as pdfium

    from budgetkit.report.findings import to_json
    from conftest import SEED_PDF

    src = pdfium.PdfDocument(str(SEED_PDF))
    new = pdfium.PdfDocument.new()
    new.import_pages(src, [0, 1, 2])
    w, h = src[3].get_size()
    page = new.new_page(w, h)
    img = pdfium.PdfImage.new(new)
    img.set_bitmap(pdfium.PdfBitmap.from_pil(src[3].render(scale=1).to_pil()))
    img.set_matrix(pdfium.PdfMatrix().scale(w, h))
    page.insert_obj(img)
    page.gen_content()
    p = tmp_path / "seed-with-a-scan.pdf"
    new.save(str(p))
    d = budgetkit.read(p, keep_going=True)
    assert d.meta["picture_pages"] == [{"file": p.name, "page": 4}]
    doc = json.loads(to_json(budgetkit.check(d)))["document"]
    assert doc["picture_pages"] == [{"file": p.name, "page": 4}]
