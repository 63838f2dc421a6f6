"""Safe text for reports: Markdown that carries document text must not carry markup.

Document text (titles, quotes, labels) is untrusted: a disclosure — or a file pretending to be one —
may contain ``<script>``, ``<img onerror=…>``, ``<svg onload=…>`` or ``[x](javascript:…)``.  Markdown
passes raw HTML through, so every piece of document text is HTML-escaped and its Markdown syntax
(links, images, emphasis, code, tables) backslash-escaped before it goes into a Markdown report.
"""
from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]()!|~#{}<>+])")
_SCHEME = re.compile(r"(?i)\b(javascript|vbscript|data)\s*:")


def md(text) -> str:
    """Document text made inert for Markdown: no raw HTML, no links, no emphasis; reads the same."""
    if text is None:
        return ""
    s = str(text).replace("\r", " ").replace("\n", " ")
    s = _MD_SPECIAL.sub(r"\\\1", s)            # Markdown syntax → literal characters
    s = html.escape(s, quote=False)            # raw HTML → text (& < >); quotes stay (no attribute to close)
    s = s.replace("\\&lt;", "&lt;").replace("\\&gt;", "&gt;")
    return _SCHEME.sub(lambda m: m.group(1) + "&#58;", s)  # no URL scheme a renderer could autolink
