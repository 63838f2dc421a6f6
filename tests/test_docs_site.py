"""The documentation site in a real browser (Debian's chromium), offline.

Opens the built site's index and the rules reference at one rule, and checks that each shows its content and
that no request leaves 127.0.0.1 (no web fonts, no CDN scripts).  The site is the one `make docs` built into
site/; when there is none and mkdocs is installed (the `docs` extra), the test builds it into a temporary
folder; otherwise it is skipped with the reason.  `.ci/run` runs `make docs` and then this test.
"""
from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import CHROMIUM, CHROMIUM_FLAGS as FLAGS

ROOT = Path(__file__).resolve().parents[1]

if os.environ.get("BUDGETKIT_SKIP_BROWSER"):
    pytest.skip("BUDGETKIT_SKIP_BROWSER is set", allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    built = ROOT / "site"
    if (built / "index.html").exists() and (built / "rules.html").exists():
        return built
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("mkdocs_jupyter") is None:
        pytest.skip("the documentation site is not built and mkdocs is not installed: run `make docs`")
    out = tmp_path_factory.mktemp("site")
    docs = ROOT / "docs"
    # the generated pages, as `make docs` writes them (the rules without real examples: faster, same anchors)
    if not (docs / "rules.md").exists():
        subprocess.run([sys.executable, str(docs / "gen_rules.py")], check=True, cwd=ROOT)
    if not (docs / "changelog.md").exists():
        (docs / "changelog.md").write_text((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
                       cwd=ROOT, env=env, capture_output=True, text=True)
    assert r.returncode == 0, f"mkdocs build --strict failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_site_index_and_a_rule_page_in_a_real_browser_offline(server):
    """The index names budgetkit in Chinese and English and links the guides; the rules page opens at W02 with
    its titles, tolerance and where it does not hold; nothing is requested from another host."""
    assert Path(CHROMIUM).exists(), "Debian chromium is required: apt-get install chromium (see .ci/run)"
    from playwright.sync_api import sync_playwright

    outside, failed = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda r: outside.append(r.url)
                if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
                and urlparse(r.url).hostname not in ("127.0.0.1", "localhost") else None)
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

        page.goto(f"{server}/index.html", timeout=60_000)
        page.wait_for_selector("article h1", timeout=30_000)
        body = page.locator("article").inner_text()
        assert "读取、核对、探索中国政府部门预算/决算公开文件" in body
        assert "Read, check and explore Chinese government department budget" in body
        assert "make demo" in body and "make test" in body
        for guide in ("guides/journalist.html", "guides/researcher.html", "guides/teacher.html"):
            assert page.locator(f"article a[href='{guide}']").count() >= 1, guide
        # the theme's own stylesheet applied: Material's header is laid out, not bare HTML
        assert page.locator("header.md-header").is_visible()

        # follow the menu to the rules reference, then open one rule
        page.locator("nav.md-nav a[href='rules.html']").first.click()
        page.wait_for_url("**/rules.html", timeout=30_000)
        page.goto(f"{server}/rules.html#W02", timeout=60_000)
        heading = page.locator("h3#W02")
        heading.wait_for(timeout=30_000)
        assert heading.is_visible()
        assert "合计行等于各科目行之和" in heading.inner_text()
        section = page.evaluate("""() => { const h = document.getElementById('W02'); let t = '';
            for (let n = h.nextElementSibling; n && n.tagName !== 'H3' && n.tagName !== 'H2'; n = n.nextElementSibling)
                t += n.innerText + '\\n';
            return t; }""")
        assert "A 合计/总计 row equals the sum of its rows" in section
        assert "n_terms" in section and "severity" in section
        assert "Where it does not hold" in section
        browser.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert failed == [], f"pages or assets not found: {failed}"
