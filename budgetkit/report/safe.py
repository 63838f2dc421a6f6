"""Safe text for reports and the terminal: document text must not carry markup, links or control sequences.

Document text (titles, quotes, labels) and file names are untrusted: a disclosure — or a file pretending to be
one — may contain ``<script>``, ``<img onerror=…>``, ``[x](javascript:…)``, a bare ``https://`` address a
Markdown renderer would turn into a live link, or terminal escape sequences (clear the screen, set the window
title) and bidi overrides that make a terminal show text other than what is there.  Markdown passes raw HTML
through, so every piece of document text is HTML-escaped and its Markdown syntax backslash-escaped; addresses
become code spans (no renderer links inside one); control and bidi characters are shown as ``\\x1b``-style
escapes wherever budgetkit writes text for a person to read.
"""
from __future__ import annotations

import html
import re

from budgetkit.errors import CONTROL, one_line
from budgetkit.errors import escape_char as _escape

_MD_SPECIAL = re.compile(r"([\\`*_\[\]()!|~#{}<>+])")
_SCHEME = re.compile(r"(?i)\b(javascript|vbscript|data)\s*:")
# what renderers autolink (GFM, markdown-it linkify, mistune's url plugin): scheme addresses, www., e-mail
_URL_CHAR = "[^\\s`|<>\u3000-\u9fff\uff00-\uffef]"  # an address ends at a space, markup or Chinese text
_URL_END = "[^\\s`|<>.,;:!?'\")\u3000-\u9fff\uff00-\uffef]"  # and not on a closing punctuation mark
_ADDRESS = re.compile(rf"(?i)(?<![a-z0-9])(?:https?|ftps?|file|mailto)://{_URL_CHAR}*{_URL_END}"
                      rf"|(?<![a-z0-9.])www\.{_URL_CHAR}*{_URL_END}"
                      r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_UNSAFE_BLOCK = re.compile(f"[{CONTROL}]")


def terminal(text) -> str:
    """A report for a terminal or a text file: every control and bidi character shown as an escape (tab and
    newline kept), so that document text can neither run a terminal sequence nor reorder what is shown."""
    return _UNSAFE_BLOCK.sub(_escape, str(text))


def line(text) -> str:
    """One line for stderr (an error, a warning): as :func:`terminal`, and a newline or tab in a file name or in
    document text shown as ``\\n``/``\\t`` so that the line stays one line."""
    return one_line(text)


def for_format(text: str, fmt: str) -> str:
    """A rendered report made safe to print or save: JSON keeps its meaning (the characters become ``\\uXXXX``
    escapes, which JSON decodes back), every other format shows them as escapes."""
    if fmt == "json":
        return _UNSAFE_BLOCK.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
    return terminal(text)


def _md_plain(s: str) -> str:
    s = _MD_SPECIAL.sub(r"\\\1", s)            # Markdown syntax → literal characters
    s = html.escape(s, quote=False)            # raw HTML → text (& < >); quotes stay (no attribute to close)
    s = s.replace("\\&lt;", "&lt;").replace("\\&gt;", "&gt;")
    return _SCHEME.sub(lambda m: m.group(1) + "&#58;", s)  # no URL scheme a renderer could autolink


def md(text) -> str:
    """Document text made inert for Markdown: no raw HTML, no links, no emphasis; reads the same. An address
    (``https://…``, ``www.…``, an e-mail) is a code span: shown as printed, never a live link."""
    if text is None:
        return ""
    s = terminal(str(text).replace("\r", " ").replace("\n", " "))
    out, at = [], 0
    for m in _ADDRESS.finditer(s):
        out.append(_md_plain(s[at:m.start()]))
        out.append(f"`{m.group(0)}`")
        at = m.end()
    out.append(_md_plain(s[at:]))
    return "".join(out)
